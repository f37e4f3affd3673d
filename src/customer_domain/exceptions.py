# SPDX-License-Identifier: MIT
"""
Every exception that *customer_domain* raises.

All of them derive from :class:`CustomerDomainError`, so a host can catch
the library's errors with one ``except`` clause.

Storage errors form a second family under :class:`StorageError`. A write
refused because of stored data (a customer number already taken, a record
changed by someone else) is a :class:`ConflictError`: it is *also* a
:class:`ValidationError`, with issues a UI shows like any other.

Bad input always gives a :class:`ValidationError` that carries **every**
problem found, each as an :class:`Issue` with a path, a stable code, the
offending value and a message in English and French:

>>> from customer_domain import Customer, ValidationError
>>> try:
...     Customer(kind="company", name="", currency="EURO")
... except ValidationError as e:
...     for issue in e.issues:
...         print(issue.path, issue.code, "|", issue.message("fr"))
name required | Ce champ est obligatoire.
currency currency.invalid | « EURO » n’est pas un code de devise ISO 4217.
"""

from __future__ import annotations

import reprlib

from collections.abc import Iterable, Mapping
from typing import Any, Final

import attrs

from customer_domain._messages import Locale, render


__all__ = [
    "ConcurrencyError",
    "ConflictError",
    "CustomerDomainError",
    "DuplicateError",
    "Issue",
    "NotFoundError",
    "PotentialDuplicatesError",
    "StorageError",
    "TransientStorageError",
    "ValidationError",
]

_MAX_VALUE_REPR: Final = 200
_MAX_INT_DIGITS: Final = 60


class _SafeRepr(reprlib.Repr):
    """``repr`` that stays short, shallow and never raises."""

    def __init__(self) -> None:
        super().__init__()
        self.maxlevel = 3
        self.maxlist = self.maxtuple = self.maxdict = 6
        self.maxset = self.maxfrozenset = self.maxdeque = self.maxarray = 6
        self.maxstring = self.maxother = self.maxlong = _MAX_VALUE_REPR

    def repr_int(self, x: int, level: int) -> str:  # noqa: ARG002
        if x.bit_length() > _MAX_INT_DIGITS * 3:
            return f"<int of {x.bit_length()} bits>"
        return int.__repr__(x)

    def repr_instance(self, x: object, level: int) -> str:  # noqa: ARG002
        try:
            text = repr(x)
        except Exception:  # noqa: BLE001 -- a hostile __repr__.
            return f"<{type(x).__name__} object>"
        if len(text) > _MAX_VALUE_REPR:
            text = text[: _MAX_VALUE_REPR - 1] + "…"
        return text


_SAFE_REPR: Final = _SafeRepr()


def _printable(text: str) -> str:
    """*text* cut to a bounded length, lone surrogates escaped."""
    if len(text) > _MAX_VALUE_REPR:
        text = text[: _MAX_VALUE_REPR - 1] + "…"
    if not text.isascii():
        text = text.encode("utf-8", "backslashreplace").decode("utf-8")
    return text


def _portable(value: object) -> object:
    """
    Keep *value* if it is a short plain scalar, else a bounded ``repr``.

    An issue must pickle and print safely whatever the host passed in: a
    5,000-digit integer, a 1 MB string, a deeply nested list, a lone
    surrogate or an object whose ``__repr__`` raises.
    """
    if value is None or type(value) in (bool, float):
        return value
    if type(value) is int:
        if value.bit_length() > _MAX_INT_DIGITS * 3:
            return _SAFE_REPR.repr_int(value, 0)
        return value
    if type(value) is str:
        return _printable(value)
    try:
        return _printable(_SAFE_REPR.repr(value))
    except Exception:  # noqa: BLE001 -- a hostile value's dunders.
        return f"<{type(value).__name__} object>"


def _params(params: Mapping[str, str]) -> dict[str, str]:
    return {
        _printable(str(k)): v if type(v) is str else str(_portable(v))
        for k, v in params.items()
    }


class CustomerDomainError(Exception):
    """
    Base class of every exception raised by *customer_domain*.

    .. versionadded:: 0.1.0
    """


@attrs.frozen
class Issue:
    """
    One problem found in an input.

    Attributes:
        path:
            Where the problem is, in the input's own terms:
            ``"persons[2].channels[0].value"``; ``""`` for the whole input.
        code:
            A stable, dotted machine-readable code (``"phone.too_long"``).
            Every code is listed, with both messages, in the docs.
        value:
            The offending value (its ``repr`` if it is not a plain scalar).
        params:
            Values interpolated into the message (``{"region": "CA"}``).

    .. versionadded:: 0.1.0
    """

    path: str
    code: str
    value: object = attrs.field(default=None, converter=_portable)
    params: Mapping[str, str] = attrs.field(factory=dict, converter=_params)

    def message(self, locale: Locale = "en") -> str:
        """
        Return the sentence a UI can show next to the field.

        Args:
            locale: ``"en"`` or ``"fr"``.
        """
        return render(self.code, locale, self.value, self.params)

    def prefixed(self, prefix: str) -> Issue:
        """Return this issue with *prefix* put in front of its path."""
        if not prefix:
            return self
        if not self.path:
            path = prefix
        elif self.path.startswith("["):
            path = prefix + self.path
        else:
            path = f"{prefix}.{self.path}"
        return Issue(path, self.code, self.value, self.params)


class ValidationError(CustomerDomainError, ValueError):
    """
    An input was refused; :attr:`issues` lists every problem found in it.

    ``str()`` gives one English line per issue (``path: message``); use
    :meth:`messages` or :meth:`by_path` to show them in another language.

    .. versionadded:: 0.1.0
    """

    issues: tuple[Issue, ...]

    def __init__(self, issues: Iterable[Issue]) -> None:
        self.issues = tuple(issues)
        super().__init__(self.issues)

    def __reduce__(self) -> tuple[type[ValidationError], tuple[object]]:
        return (type(self), (self.issues,))

    def __str__(self) -> str:
        return "\n".join(self.messages("en"))

    @property
    def codes(self) -> tuple[str, ...]:
        """The codes of all issues, in order."""
        return tuple(i.code for i in self.issues)

    def messages(self, locale: Locale = "en") -> list[str]:
        """Return ``"path: message"`` lines in *locale*."""
        return [
            f"{i.path}: {i.message(locale)}" if i.path else i.message(locale)
            for i in self.issues
        ]

    def by_path(self, locale: Locale = "en") -> dict[str, list[str]]:
        """
        Return the messages grouped by path, for showing them field by field.
        """
        out: dict[str, list[str]] = {}
        for i in self.issues:
            out.setdefault(i.path, []).append(i.message(locale))
        return out

    def prefixed(self, prefix: str) -> ValidationError:
        """Return a copy whose issue paths all start with *prefix*."""
        return ValidationError(i.prefixed(prefix) for i in self.issues)


class PotentialDuplicatesError(ValidationError):
    """
    A creation stopped because the duplicate check found potential
    duplicates (DU-3); nothing was written.

    Each issue is one criterion of one candidate, at the field of the new
    record that matched (``"channels[1]"``, ``"last_name"``...), so a UI
    shows them field by field.  :attr:`candidates` holds the
    `customer_domain.duplicates.Candidate` objects, strongest first.  To
    create anyway, pass a `DuplicateOverride` saying who decided and why.

    .. versionadded:: 0.1.0
    """

    candidates: tuple[Any, ...]

    def __init__(
        self, issues: Iterable[Issue], candidates: Iterable[Any] = ()
    ) -> None:
        super().__init__(issues)
        self.candidates = tuple(candidates)

    def __reduce__(  # type: ignore[override]
        self,
    ) -> tuple[type[PotentialDuplicatesError], tuple[object, ...]]:
        return (type(self), (self.issues, self.candidates))


# -- storage ---------------------------------------------------------------


class StorageError(CustomerDomainError):
    """
    A storage backend refused or failed an operation.

    Adapters translate their driver's errors into this family, so hosts
    never catch ``sqlite3`` or ``psycopg`` exceptions.  Whenever one is
    raised inside a unit of work, nothing of that unit of work is written
    -- except when the connection is lost while the database is
    committing: `commit` then raises `TransientStorageError` though the
    commit may have happened (no database can tell).

    .. versionadded:: 0.1.0
    """


class TransientStorageError(StorageError):
    """
    A failure that may succeed if the unit of work is retried from the
    start: a locked SQLite file, a PostgreSQL serialization failure or
    deadlock, a lost connection.

    .. versionadded:: 0.1.0
    """


class NotFoundError(StorageError, LookupError):
    """
    No *kind* record with this *key* exists in the organization.

    .. versionadded:: 0.1.0
    """

    kind: str
    key: str

    def __init__(self, kind: str, key: object) -> None:
        self.kind = kind
        self.key = str(key)
        super().__init__(f"no {kind} {self.key!r} in this organization")

    def __reduce__(self) -> tuple[type[NotFoundError], tuple[str, str]]:
        return (type(self), (self.kind, self.key))


class ConflictError(StorageError, ValidationError):
    """
    A write refused because it conflicts with what is stored.

    It is a :class:`ValidationError` too: :attr:`issues` say which field
    conflicts, in English and French.  Nothing of the unit of work was
    written.

    .. versionadded:: 0.1.0
    """


class DuplicateError(ConflictError):
    """
    A value that must be unique in the organization is already used: a
    customer number (CU-3), an external user's login (EU-2), a second
    external user for one person (EU-1), or an id.

    >>> issue = Issue("number", "storage.duplicate_number", "C-1")
    >>> e = DuplicateError([issue])
    >>> e.messages("fr")
    ['number: Le numéro client « C-1 » est déjà utilisé par un autre client.']

    .. versionadded:: 0.1.0
    """


class ConcurrencyError(ConflictError):
    """
    A stale write (ST-3): the *kind* record *id* was changed and saved by
    someone else after this copy was loaded at *version*.

    Reload the record, apply the change again and retry.

    .. versionadded:: 0.1.0
    """

    kind: str
    id: str
    version: int

    def __init__(self, kind: str, id: object, version: int) -> None:  # noqa: A002
        self.kind = kind
        self.id = str(id)
        self.version = version
        super().__init__(
            (Issue("version", "storage.stale", version, {"kind": kind}),)
        )

    def __reduce__(  # type: ignore[override]
        self,
    ) -> tuple[type[ConcurrencyError], tuple[str, str, int]]:
        return (type(self), (self.kind, self.id, self.version))
