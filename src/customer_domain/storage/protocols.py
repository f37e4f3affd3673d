# SPDX-License-Identifier: MIT
"""
What a storage backend implements (ST-1).

A :class:`Store` hands out :class:`UnitOfWork` objects, each bound to one
organization (ST-2) and to one transaction (ST-4).  The repositories of a
unit of work read and write the aggregates of the model; nothing is
visible to others until :meth:`UnitOfWork.commit`, and leaving the
``with`` block without committing writes nothing.

These are :class:`typing.Protocol` classes: a backend does not inherit
from them, it passes the conformance suite
(:mod:`customer_domain.testing.conformance`).
"""

from __future__ import annotations

import uuid

from collections.abc import Iterable, Iterator, Mapping
from types import TracebackType
from typing import Any, Final, Generic, Protocol, Self, TypeVar

import attrs

from customer_domain._collect import Collector
from customer_domain.matching.keys import MatchKey
from customer_domain.model import (
    Agency,
    AgencyAssignment,
    Category,
    Customer,
    ExternalUser,
    Person,
    Stage,
)
from customer_domain.validation._fields import (
    choice,
    optional_identity,
    text,
)


__all__ = [
    "Agencies",
    "Categories",
    "CustomerQuery",
    "Customers",
    "ExternalUsers",
    "MatchKey",
    "MatchKeys",
    "Page",
    "Persons",
    "Sequences",
    "Store",
    "UnitOfWork",
]

T = TypeVar("T")
T_co = TypeVar("T_co", covariant=True)

#: The largest page a listing returns.
MAX_LIMIT: Final = 1000
#: The largest offset of a search: a signed 64-bit integer, what SQL
#: databases bind.
MAX_OFFSET: Final = 2**63 - 1


def _checked_later(value: object) -> Any:
    """Accept any input here: `CustomerQuery` validates it field by field."""
    return value


@attrs.frozen
class CustomerQuery:
    """
    A customer search (SE-1) with its filters (SE-2) and page.

    Attributes:
        text: Words that must all appear, accent- and case-insensitively,
            in the number, name, legal form, short name, street, postal
            code, city, country or remarks.  ``""`` matches everyone.
        stage: Only prospects or only clients.
        active: Only active (True) or inactive (False) customers.
        blocked: Only blocked or only unblocked customers.
        category_id: Only customers in this category.
        postal_code_prefix: Only customers whose postal code starts so
            (a region: ``"75"``); spaces and case are ignored.
        is_agency: Only agencies, or only non-agencies.
        offset: How many results to skip (up to ``2**63 - 1``).
        limit: How many results to return, at most `MAX_LIMIT`.

    Results are ordered by name (accent- and case-insensitively), then
    by id, so pages never overlap or skip a customer.

    .. versionadded:: 0.1.0
    """

    text: str = ""
    stage: Stage | None = attrs.field(default=None, converter=_checked_later)
    active: bool | None = None
    blocked: bool | None = None
    category_id: uuid.UUID | None = attrs.field(
        default=None, converter=_checked_later
    )
    postal_code_prefix: str = ""
    is_agency: bool | None = None
    offset: int = 0
    limit: int = 50

    def __attrs_post_init__(self) -> None:
        c = Collector()
        if self.stage is not None:
            stage = c.check("stage", choice, self.stage, Stage)
            object.__setattr__(self, "stage", stage)
        category = c.check("category_id", optional_identity, self.category_id)
        object.__setattr__(self, "category_id", category)
        for name in ("text", "postal_code_prefix"):
            value = getattr(self, name)
            if isinstance(value, str):
                c.check(name, text, value, max_length=200)
            else:
                c.add(name, "invalid_type", value, expected="text")
        for name in ("active", "blocked", "is_agency"):
            value = getattr(self, name)
            if value is not None and not isinstance(value, bool):
                c.add(name, "invalid_type", value, expected="a boolean")
        offset: object = self.offset
        limit: object = self.limit
        if isinstance(offset, bool) or not isinstance(offset, int):
            c.add("offset", "invalid_type", offset, expected="a whole number")
        elif offset < 0:
            c.add("offset", "number.negative", offset)
        elif offset > MAX_OFFSET:
            c.add("offset", "number.too_large", offset, max=str(MAX_OFFSET))
        if isinstance(limit, bool) or not isinstance(limit, int):
            c.add("limit", "invalid_type", limit, expected="a whole number")
        elif not 1 <= limit <= MAX_LIMIT:
            c.add("limit", "query.limit", limit, max=str(MAX_LIMIT))
        c.raise_if_any()


@attrs.frozen
class Page(Generic[T_co]):
    """
    One page of results, and the *total* number of matches.

    .. versionadded:: 0.1.0
    """

    items: tuple[T_co, ...]
    total: int
    offset: int
    limit: int

    @property
    def has_next(self) -> bool:
        """Whether a later page holds more results."""
        return self.offset + len(self.items) < self.total


class Customers(Protocol):
    """
    The customers of one organization, with their contact types (and
    memberships), channels and category links.

    .. versionadded:: 0.1.0
    """

    def add(self, customer: Customer, /) -> None:
        """
        Store a new customer.

        Raises:
            DuplicateError: Its id or number is already used (CU-3).
        """

    def update(self, customer: Customer, /) -> None:
        """
        Store the changes of a customer loaded from this store.

        Raises:
            ConcurrencyError: It was changed since it was loaded (ST-3).
            DuplicateError: Its new number is already used.
            NotFoundError: It was never stored.
        """

    def get(self, id: uuid.UUID, /) -> Customer:  # noqa: A002
        """
        Raises:
            NotFoundError: No such customer in this organization.
        """

    def get_by_number(self, number: str, /) -> Customer:
        """
        Raises:
            NotFoundError: No customer has this number.
        """

    def search(self, query: CustomerQuery, /) -> Page[Customer]:
        """Return one page of the customers matching *query* (SE-1, SE-2)."""


class Persons(Protocol):
    """
    The persons of one organization with their channels.  Persons are
    never deleted, only deactivated (PE-4).

    .. versionadded:: 0.1.0
    """

    def add(self, person: Person, /) -> None:
        """
        Store a new person.  References between aggregates (its
        customer) are the model's to keep right; stores do not check them.
        """

    def update(self, person: Person, /) -> None:
        """Store the changes of a person loaded from this store."""

    def get(self, id: uuid.UUID, /) -> Person:  # noqa: A002
        """Raises `NotFoundError` if there is no such person."""

    def list_for(
        self, customer_id: uuid.UUID, /, *, include_inactive: bool = False
    ) -> list[Person]:
        """
        The persons of a customer (its own, not collaborators attached
        by affiliation), by last then first name, then id (SE-3);
        inactive ones only when asked for (PE-4).
        """

    def list_for_many(
        self,
        customer_ids: Iterable[uuid.UUID],
        /,
        *,
        include_inactive: bool = False,
    ) -> dict[uuid.UUID, list[Person]]:
        """
        `list_for` of several customers at once (for a page of a
        listing or an export): every given id is a key.
        """


class ExternalUsers(Protocol):
    """
    External (portal) users (EU-5).  Logins are unique per
    organization, and a person has at most one external user (EU-1).

    .. versionadded:: 0.1.0
    """

    def add(self, user: ExternalUser, /) -> None:
        """Raises `DuplicateError` if the login or person is taken."""

    def update(self, user: ExternalUser, /) -> None: ...

    def get(self, id: uuid.UUID, /) -> ExternalUser: ...  # noqa: A002

    def get_by_login(self, login: str, /) -> ExternalUser:
        """Raises `NotFoundError` if no user has this login."""

    def list_for(self, customer_id: uuid.UUID, /) -> list[ExternalUser]:
        """The external users of a customer, by login, then id."""


class Agencies(Protocol):
    """
    Agencies and their assignments (AG-2..AG-4): an order reference of
    the host, the order's customer, the agency.

    .. versionadded:: 0.1.0
    """

    def add(self, agency: Agency, /) -> None: ...

    def update(self, agency: Agency, /) -> None: ...

    def get(self, customer_id: uuid.UUID, /) -> Agency:
        """The agency whose own customer is *customer_id*."""

    def for_order(
        self, customer_id: uuid.UUID, order_ref: str, /
    ) -> list[AgencyAssignment]:
        """The assignments on that order of that customer, by agency id."""


class Categories(Protocol):
    """
    Customer categories (CU-11).

    .. versionadded:: 0.1.0
    """

    def add(self, category: Category, /) -> None: ...

    def update(self, category: Category, /) -> None: ...

    def get(self, id: uuid.UUID, /) -> Category: ...  # noqa: A002

    def list(self) -> list[Category]:
        """Every category, by title (accents and case aside), then id."""


class Sequences(Protocol):
    """
    Named counters for numbering (CU-3).

    .. versionadded:: 0.1.0
    """

    def next(self, name: str, /) -> int:
        """
        Return the next value of sequence *name* (1 first).  No value is
        ever returned twice, even to concurrent writers in other
        processes; a rolled-back unit of work may leave a gap.
        """


class MatchKeys(Protocol):
    """
    The normalized keys of duplicate detection (DU-7), by owner (a
    person's or a customer's id).

    A store keeps the keys of persons and customers itself: when one is
    added or updated, its keys become
    :func:`customer_domain.matching.person_keys` (or
    :func:`~customer_domain.matching.customer_keys`) of it, as if by
    :meth:`replace`.  Lookups never scan the records: they use an index
    (a dictionary, an indexed column).

    .. versionadded:: 0.1.0
    """

    def replace(
        self, owner_id: uuid.UUID, keys: Iterable[MatchKey], /
    ) -> None:
        """Make *keys* the owner's keys, dropping its previous ones."""

    def of(self, owner_id: uuid.UUID, /) -> frozenset[MatchKey]:
        """The owner's keys."""

    def of_many(
        self, owner_ids: Iterable[uuid.UUID], /
    ) -> dict[uuid.UUID, frozenset[MatchKey]]:
        """`of` for several owners at once: every given id is a key."""

    def lookup(
        self, keys: Iterable[MatchKey], /, *, limit: int | None = None
    ) -> Mapping[MatchKey, frozenset[uuid.UUID]]:
        """
        The owners of each of *keys* that has any (an index lookup).

        With *limit*, at most that many owners per key (any of them):
        enough to tell a key shared by too many records (BX-3) without
        reading them all.
        """

    def groups(
        self, criterion: str, /, *, max_owners: int | None = None
    ) -> Iterator[tuple[str, frozenset[uuid.UUID]]]:
        """
        Every value of *criterion* that two or more owners share (at most
        *max_owners*, if given), with its owners, in value order (by code
        point); streamed, for bulk scans (DU-8).
        """

    def group_sizes(
        self, criterion: str, /, *, max_owners: int | None = None
    ) -> Iterator[tuple[str, int]]:
        """
        `groups` with how many owners share each value, not which: what a
        bulk scan reads when it needs only that (DU-8), without reading
        every owner's id.

        .. versionadded:: 0.1.0
        """


class UnitOfWork(Protocol):
    """
    One transaction in one organization (ST-2, ST-4).

    Use it as a context manager and call :meth:`commit`; leaving the
    block without committing, or with an exception, writes nothing.  After
    commit or rollback the unit of work is closed.

    The unit-of-work failure rule: when a write is refused (any error
    from ``add``, ``update``, ``sequences.next`` or
    ``match_keys.replace``: a `ConflictError`, or `NotFoundError` from
    ``update``), or a read fails with any error but `NotFoundError` (a
    lost connection, a statement the database refused), the unit of work
    has failed: the error comes from the call itself or, at the latest,
    from the next call or :meth:`commit`; every later call, `commit`
    included, raises `StorageError`; nothing of it is written and no
    version changes.  Reads that find nothing (`NotFoundError` from
    ``get``) are only answers.

    A bad argument (an id that is not a `uuid.UUID`, an object of the
    wrong class for ``add``, a limit that is not an ``int`` from 1 to
    ``2**63 - 1``...) is refused with `ValidationError`, whose issue's
    path is the argument's name, before anything runs: it fails nothing.

    Reads return the unit of work's own writes, at the version they
    will have; what is read back may be written again.

    .. versionadded:: 0.1.0
    """

    @property
    def organization(self) -> str: ...

    @property
    def customers(self) -> Customers: ...

    @property
    def persons(self) -> Persons: ...

    @property
    def external_users(self) -> ExternalUsers: ...

    @property
    def agencies(self) -> Agencies: ...

    @property
    def categories(self) -> Categories: ...

    @property
    def sequences(self) -> Sequences: ...

    @property
    def match_keys(self) -> MatchKeys: ...

    def __enter__(self) -> Self: ...

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None: ...

    def commit(self) -> None:
        """
        Make every write of this unit of work visible at once, and set
        the new ``version`` of each written aggregate.
        """

    def rollback(self) -> None:
        """Discard every write of this unit of work."""


class Store(Protocol):
    """
    A storage backend (ST-1).

    .. versionadded:: 0.1.0
    """

    def unit_of_work(self, organization: str) -> UnitOfWork:
        """
        Begin a unit of work in *organization*.

        Raises:
            ValidationError: The organization is not a valid identifier.
        """
