# SPDX-License-Identifier: MIT
"""What every unit of work of the project shares (private)."""

from __future__ import annotations

import contextlib

from collections.abc import Iterator
from types import TracebackType
from typing import Any, Literal, Self

import attrs

from customer_domain._collect import fail
from customer_domain.exceptions import (
    ConcurrencyError,
    DuplicateError,
    Issue,
    NotFoundError,
    StorageError,
)
from customer_domain.model._base import set_fields
from customer_domain.storage._rows import check_organization


Kind = Literal["customer", "person", "external_user", "agency", "category"]
State = Literal["open", "committed", "rolled back", "failed"]


def entity_id(kind: Kind, obj: Any) -> str:
    """The id of *obj* as stored (an agency is keyed by its customer)."""
    return str(obj.customer_id if kind == "agency" else obj.id)


@attrs.define
class Pending:
    """A written aggregate: the version it was loaded at, the new one."""

    base: int
    new: int
    objects: list[Any]


Versioned = Any  # Customer, Person, ExternalUser, Agency or Category


def set_version(entity: Versioned, version: int) -> None:
    """
    Set the stored *version* of *entity* (for adapters, after a commit).

    Entities are frozen to their users; a storage adapter records here the
    version its commit wrote.

    >>> from customer_domain import Category
    >>> category = Category(title="Éditeurs")
    >>> set_version(category, 1)
    >>> category.version
    1

    .. versionadded:: 0.1.0
    """
    value: object = version
    if isinstance(value, bool) or not isinstance(value, int) or value < 0:
        fail("invalid_type", value, expected="a version (an integer >= 0)")
    set_fields(entity, version=version)


class BaseUnitOfWork:
    """
    State, organization and version bookkeeping of a unit of work.

    Subclasses implement ``_commit`` and ``_rollback``, check a call's
    arguments first (`customer_domain.storage._args`), then run its work
    in ``with self._writing():`` or ``with self._reading():``.

    The unit-of-work failure rule: any error of a write, and any error
    of a read but `NotFoundError` (an answer), fails the unit of work.
    After it every call, `commit` included, raises `StorageError`;
    nothing is written, no version changes; leaving the block rolls back.
    A refused argument (`ValidationError` before any work) fails nothing.
    """

    def __init__(self, organization: str) -> None:
        self._organization = check_organization(organization)
        self._state: State = "open"
        self._failure: tuple[str, BaseException] | None = None
        self._pending: dict[tuple[Kind, str], Pending] = {}

    @property
    def organization(self) -> str:
        """The organization (tenant) this unit of work reads and writes."""
        return self._organization

    def __repr__(self) -> str:
        return (
            f"<{type(self).__name__} organization={self._organization!r}"
            f" {self._state}>"
        )

    def __enter__(self) -> Self:
        self._check_open()
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        if self._state in ("open", "failed"):
            self.rollback()

    def _check_open(self) -> None:
        if self._state == "open":
            return
        msg = f"this unit of work is {self._state}"
        if self._state == "failed" and self._failure is not None:
            what, cause = self._failure
            msg += f": {what} failed, roll back and start again"
            raise StorageError(msg) from cause
        raise StorageError(msg)

    def _mark_failed(self, what: str, cause: BaseException) -> None:
        """Fail the unit of work: *what* ("a read") raised *cause*."""
        if self._state == "open":
            self._state = "failed"
            self._failure = (what, cause)

    @contextlib.contextmanager
    def _writing(self) -> Iterator[None]:
        """Run a write: any error fails the unit of work."""
        self._check_open()
        try:
            yield
        except BaseException as e:
            self._mark_failed("a write", e)
            raise

    @contextlib.contextmanager
    def _reading(self) -> Iterator[None]:
        """
        Run a read: any error but `NotFoundError` (an answer) fails the
        unit of work.  A generator that is closed early is no error.
        """
        self._check_open()
        try:
            yield
        except (NotFoundError, GeneratorExit):
            raise
        except BaseException as e:
            self._mark_failed("a read", e)
            raise

    def _versions(
        self, kind: Kind, obj: Any, *, new: bool
    ) -> tuple[int | None, int]:
        """
        Return the version the stored row must have (None: must not
        exist) and the version to write.
        """
        key = (kind, entity_id(kind, obj))
        pending = self._pending.get(key)
        if new:
            if pending is not None or obj.version != 0:
                raise DuplicateError(
                    (
                        Issue(
                            "id",
                            "storage.duplicate_id",
                            key[1],
                            {"kind": kind},
                        ),
                    )
                )
            return None, 1
        if pending is None:
            if obj.version == 0:
                raise NotFoundError(kind, key[1])
            return obj.version, obj.version + 1
        # The object read before this unit of work wrote it, or read back
        # after (a store's reads return its own writes, at their new
        # version): both are current here.
        if obj.version not in (pending.base, pending.new):
            raise ConcurrencyError(kind, key[1], obj.version)
        return pending.new, pending.new

    def _track(self, kind: Kind, obj: Any, new_version: int) -> None:
        key = (kind, entity_id(kind, obj))
        pending = self._pending.get(key)
        if pending is None:
            self._pending[key] = Pending(obj.version, new_version, [obj])
        elif not any(o is obj for o in pending.objects):
            pending.objects.append(obj)

    def commit(self) -> None:
        """Write everything at once, then set the new versions."""
        self._check_open()
        try:
            self._commit()
        except BaseException as e:
            self._mark_failed("commit", e)
            self.rollback()
            raise
        self._state = "committed"
        for pending in self._pending.values():
            for obj in pending.objects:
                set_version(obj, pending.new)

    def rollback(self) -> None:
        """Discard every write; the unit of work is closed."""
        if self._state in ("committed", "rolled back"):
            return
        self._state = "rolled back"
        self._pending.clear()
        self._rollback()

    def _commit(self) -> None:
        raise NotImplementedError

    def _rollback(self) -> None:
        raise NotImplementedError
