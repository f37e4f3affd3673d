# SPDX-License-Identifier: MIT
"""
The in-memory store: the fake that tests use, and the oracle the
conformance suite compares other backends with.

It keeps the same rows as the SQL adapter, enforces the same uniqueness
and versions, and is safe to share between threads: a unit of work stages
its writes and checks them again when it commits, under one lock.
Searches scan the organization's customers; match keys are looked up in
a dictionary (DU-7).
"""

from __future__ import annotations

import heapq
import operator
import threading
import uuid

from collections.abc import Collection, Iterable, Iterator, Mapping
from typing import Any

import attrs

from customer_domain.exceptions import (
    ConcurrencyError,
    DuplicateError,
    Issue,
    NotFoundError,
)
from customer_domain.model import (
    Agency,
    AgencyAssignment,
    Category,
    Customer,
    ExternalUser,
    Person,
)
from customer_domain.model._base import uuid_from_text
from customer_domain.storage import _args, _rows
from customer_domain.storage._rows import Rows
from customer_domain.storage._uow import BaseUnitOfWork, Kind, entity_id
from customer_domain.storage.protocols import CustomerQuery, MatchKey, Page


__all__ = ["InMemoryStore", "InMemoryUnitOfWork"]

_INT = operator.attrgetter("int")

#: The unique values of each kind: name -> (issue path, issue code).
_UNIQUE: dict[Kind, dict[str, tuple[str, str]]] = {
    "customer": {"number": ("number", "storage.duplicate_number")},
    "external_user": {
        "login": ("login", "storage.duplicate_login"),
        "person_id": ("person_id", "storage.duplicate_user"),
    },
}


@attrs.frozen
class _Record:
    version: int
    rows: Rows
    unique: Mapping[str, str | None]


def _unique(kind: Kind, row: Mapping[str, Any]) -> dict[str, str | None]:
    return {name: row[name] for name in _UNIQUE.get(kind, {})}


@attrs.define
class _Organization:
    records: dict[Kind, dict[str, _Record]] = attrs.Factory(
        lambda: {
            "customer": {},
            "person": {},
            "external_user": {},
            "agency": {},
            "category": {},
        }
    )
    #: (kind, unique name, value) -> id
    unique: dict[tuple[Kind, str, str], str] = attrs.Factory(dict)
    keys: dict[uuid.UUID, frozenset[MatchKey]] = attrs.Factory(dict)
    #: criterion -> value -> owner ids
    key_index: dict[str, dict[str, set[uuid.UUID]]] = attrs.Factory(dict)
    #: criterion -> the values two owners or more share (bulk scans)
    shared: dict[str, set[str]] = attrs.Factory(dict)
    sequences: dict[str, int] = attrs.Factory(dict)


class InMemoryStore:
    """
    A store that keeps everything in this process's memory.

    >>> from customer_domain import Customer
    >>> store = InMemoryStore()
    >>> with store.unit_of_work("acme") as uow:
    ...     uow.customers.add(Customer(name="Hervé David", number="C-1"))
    ...     uow.commit()
    >>> with store.unit_of_work("acme") as uow:
    ...     uow.customers.get_by_number("C-1").name
    'Hervé David'

    .. versionadded:: 0.1.0
    """

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._organizations: dict[str, _Organization] = {}

    def __repr__(self) -> str:
        return f"<InMemoryStore organizations={len(self._organizations)}>"

    def unit_of_work(self, organization: str) -> InMemoryUnitOfWork:
        """Begin a unit of work in *organization* (ST-2)."""
        return InMemoryUnitOfWork(self, organization)

    def _organization(self, name: str) -> _Organization:
        org = self._organizations.get(name)
        if org is None:
            with self._lock:
                org = self._organizations.setdefault(name, _Organization())
        return org


@attrs.define
class _Staged:
    base: int | None
    version: int
    rows: Rows
    unique: dict[str, str | None]


class InMemoryUnitOfWork(BaseUnitOfWork):
    """
    A unit of work of an `InMemoryStore`.

    .. versionadded:: 0.1.0
    """

    def __init__(self, store: InMemoryStore, organization: str) -> None:
        super().__init__(organization)
        self._store = store
        self._org = store._organization(self.organization)  # noqa: SLF001
        self._staged: dict[tuple[Kind, str], _Staged] = {}
        self._staged_keys: dict[uuid.UUID, frozenset[MatchKey]] = {}
        #: Unique values of the staged records: (kind, name, value) -> id.
        self._staged_unique: dict[tuple[Kind, str, str], str] = {}
        self.customers = _Customers(self)
        self.persons = _Persons(self)
        self.external_users = _ExternalUsers(self)
        self.agencies = _Agencies(self)
        self.categories = _Categories(self)
        self.sequences = _Sequences(self)
        self.match_keys = _MatchKeys(self)

    # -- reads -------------------------------------------------------------

    def _rows(self, kind: Kind, id: str) -> Rows | None:  # noqa: A002
        staged = self._staged.get((kind, id))
        if staged is not None:
            return staged.rows
        record = self._org.records[kind].get(id)
        return None if record is None else record.rows

    def _all(self, kind: Kind) -> Iterator[Rows]:
        for id, record in list(self._org.records[kind].items()):  # noqa: A001
            if (kind, id) not in self._staged:
                yield record.rows
        for (k, _), staged in self._staged.items():
            if k == kind:
                yield staged.rows

    def _owner_of(self, kind: Kind, name: str, value: str) -> str | None:
        """The id holding unique *value*, as this unit of work sees it."""
        staged_owner = self._staged_unique.get((kind, name, value))
        if staged_owner is not None:
            return staged_owner
        owner = self._org.unique.get((kind, name, value))
        if owner is not None:
            mine = self._staged.get((kind, owner))
            if mine is not None and mine.unique.get(name) != value:
                return None
        return owner

    # -- writes ------------------------------------------------------------

    def _check_unique(
        self,
        kind: Kind,
        id: str,  # noqa: A002
        unique: Mapping[str, str | None],
    ) -> None:
        issues = []
        for name, value in unique.items():
            if value is None:
                continue
            owner = self._owner_of(kind, name, value)
            if owner is not None and owner != id:
                path, code = _UNIQUE[kind][name]
                issues.append(Issue(path, code, value))
        if issues:
            raise DuplicateError(issues)

    def _write(
        self,
        kind: Kind,
        obj: Any,
        make: Any,
        *,
        new: bool,
    ) -> None:
        with self._writing():
            id = entity_id(kind, obj)  # noqa: A001
            expected, version = self._versions(kind, obj, new=new)
            stored = self._staged.get((kind, id))
            if stored is None:
                record = self._org.records[kind].get(id)
                current = None if record is None else record.version
            else:
                current = stored.version
            if expected is None and current is not None:
                raise DuplicateError(
                    (Issue("id", "storage.duplicate_id", id, {"kind": kind}),)
                )
            if expected is not None:
                if current is None:
                    raise NotFoundError(kind, id)
                if current != expected:
                    raise ConcurrencyError(kind, id, obj.version)
            rows: Rows = make(self.organization, obj, version)
            keys = rows.pop("match_keys", None)
            if keys is not None:
                self._staged_keys[uuid_from_text(id)] = frozenset(
                    MatchKey(k["criterion"], k["value"]) for k in keys
                )
            main = next(iter(rows.values()))[0]
            unique = _unique(kind, main)
            self._check_unique(kind, id, unique)
            base = stored.base if stored is not None else expected
            if stored is not None:
                for name, value in stored.unique.items():
                    if value is not None:
                        self._staged_unique.pop((kind, name, value), None)
            for name, value in unique.items():
                if value is not None:
                    self._staged_unique[(kind, name, value)] = id
            self._staged[(kind, id)] = _Staged(base, version, rows, unique)
            self._track(kind, obj, version)

    # -- commit ------------------------------------------------------------

    def _commit(self) -> None:
        org = self._org
        with self._store._lock:  # noqa: SLF001
            self._check_commit(org)
            for (kind, id), staged in self._staged.items():  # noqa: A001
                old = org.records[kind].get(id)
                if old is not None:
                    for name, value in old.unique.items():
                        if value is not None:
                            org.unique.pop((kind, name, value), None)
                org.records[kind][id] = _Record(
                    staged.version, staged.rows, staged.unique
                )
            for (kind, id), staged in self._staged.items():  # noqa: A001
                for name, value in staged.unique.items():
                    if value is not None:
                        org.unique[(kind, name, value)] = id
            index, shared = org.key_index, org.shared
            for owner, keys in self._staged_keys.items():
                for key in org.keys.get(owner, ()):
                    values = index[key.criterion]
                    owners = values[key.value]
                    owners.discard(owner)
                    if len(owners) == 1:
                        shared[key.criterion].discard(key.value)
                    elif not owners:
                        del values[key.value]
                if keys:
                    org.keys[owner] = keys
                else:
                    org.keys.pop(owner, None)
                for key in keys:
                    owners = index.setdefault(key.criterion, {}).setdefault(
                        key.value, set()
                    )
                    owners.add(owner)
                    if len(owners) == 2:  # noqa: PLR2004 -- now shared.
                        shared.setdefault(key.criterion, set()).add(key.value)

    def _check_commit(self, org: _Organization) -> None:
        """Check the staged writes again: others may have committed since."""
        for (kind, id), staged in self._staged.items():  # noqa: A001
            record = org.records[kind].get(id)
            if staged.base is None:
                if record is not None:
                    raise DuplicateError(
                        (
                            Issue(
                                "id",
                                "storage.duplicate_id",
                                id,
                                {"kind": kind},
                            ),
                        )
                    )
            elif record is None:
                raise NotFoundError(kind, id)
            elif record.version != staged.base:
                raise ConcurrencyError(kind, id, staged.base)
        issues = []
        for (kind, id), staged in self._staged.items():  # noqa: A001
            for name, value in staged.unique.items():
                if value is None:
                    continue
                owner = org.unique.get((kind, name, value))
                if owner is None or owner == id:
                    continue
                other = self._staged.get((kind, owner))
                if other is not None and other.unique.get(name) != value:
                    continue
                path, code = _UNIQUE[kind][name]
                issues.append(Issue(path, code, value))
        if issues:
            raise DuplicateError(issues)

    def _rollback(self) -> None:
        self._staged.clear()
        self._staged_keys.clear()
        self._staged_unique.clear()


class _Repository:
    #: The kind of aggregate, the class of its objects, and the name of
    #: the argument that holds one in ``add`` and ``update``.
    kind: Kind
    cls: type
    argument: str

    def __init__(self, uow: InMemoryUnitOfWork) -> None:
        self._uow = uow

    def _store(self, obj: object, make: Any, *, new: bool) -> None:
        uow = self._uow
        uow._check_open()  # noqa: SLF001
        _args.model(self.argument, obj, self.cls)
        uow._write(self.kind, obj, make, new=new)  # noqa: SLF001

    def _get(self, id: object, argument: str = "id") -> Rows:  # noqa: A002
        uow = self._uow
        uow._check_open()  # noqa: SLF001
        key = _args.identity(argument, id)
        with uow._reading():  # noqa: SLF001
            rows = uow._rows(self.kind, str(key))  # noqa: SLF001
            if rows is None:
                raise NotFoundError(self.kind, key)
            return rows

    def _by_unique(self, unique: str, value: object) -> Rows:
        """The rows whose unique *unique* value is *value*."""
        uow = self._uow
        uow._check_open()  # noqa: SLF001
        text = _args.key_text(unique, value)
        with uow._reading():  # noqa: SLF001
            owner = uow._owner_of(self.kind, unique, text)  # noqa: SLF001
            rows = None if owner is None else uow._rows(self.kind, owner)  # noqa: SLF001
            if rows is None:
                raise NotFoundError(self.kind, text)
            return rows


def _load_customer(rows: Rows) -> Customer:
    return _rows.load_customer(
        rows["customers"][0],
        rows["channels"],
        rows["contact_types"],
        rows["contact_type_members"],
    )


def _load_person(rows: Rows) -> Person:
    return _rows.load_person(rows["persons"][0], rows["channels"])


def _matches(
    row: Mapping[str, Any], q: CustomerQuery, terms: list[str]
) -> bool:
    if q.stage is not None and row["stage"] != q.stage.value:
        return False
    for name in ("active", "blocked", "is_agency"):
        wanted = getattr(q, name)
        if wanted is not None and row[name] != wanted:
            return False
    if (
        q.category_id is not None
        and str(q.category_id) not in row["category_ids"]
    ):
        return False
    prefix = _rows.postal_key(q.postal_code_prefix)
    if not row["postal_key"].startswith(prefix):
        return False
    text = row["search_text"]
    return all(t in text for t in terms)


class _Customers(_Repository):
    kind: Kind = "customer"
    cls = Customer
    argument = "customer"

    def add(self, customer: Customer, /) -> None:
        self._store(customer, _rows.customer_rows, new=True)

    def update(self, customer: Customer, /) -> None:
        self._store(customer, _rows.customer_rows, new=False)

    def get(self, id: uuid.UUID, /) -> Customer:  # noqa: A002
        return _load_customer(self._get(id))

    def get_by_number(self, number: str, /) -> Customer:
        return _load_customer(self._by_unique("number", number))

    def search(self, query: CustomerQuery, /) -> Page[Customer]:
        uow = self._uow
        uow._check_open()  # noqa: SLF001
        query = _args.query(query)
        with uow._reading():  # noqa: SLF001
            terms = _rows.fold(query.text).split()
            found = [
                rows
                for rows in uow._all("customer")  # noqa: SLF001
                if _matches(rows["customers"][0], query, terms)
            ]
            found.sort(
                key=lambda r: (
                    r["customers"][0]["sort_key"],
                    r["customers"][0]["id"],
                )
            )
            page = found[query.offset : query.offset + query.limit]
            return Page(
                tuple(_load_customer(r) for r in page),
                len(found),
                query.offset,
                query.limit,
            )


class _Persons(_Repository):
    kind: Kind = "person"
    cls = Person
    argument = "person"

    def add(self, person: Person, /) -> None:
        self._store(person, _rows.person_rows, new=True)

    def update(self, person: Person, /) -> None:
        self._store(person, _rows.person_rows, new=False)

    def get(self, id: uuid.UUID, /) -> Person:  # noqa: A002
        return _load_person(self._get(id))

    def list_for(
        self, customer_id: uuid.UUID, /, *, include_inactive: bool = False
    ) -> list[Person]:
        uow = self._uow
        uow._check_open()  # noqa: SLF001
        cid = _args.identity("customer_id", customer_id)
        inactive = _args.flag("include_inactive", include_inactive)
        with uow._reading():  # noqa: SLF001
            return self._list([cid], include_inactive=inactive)[cid]

    def list_for_many(
        self,
        customer_ids: Iterable[uuid.UUID],
        /,
        *,
        include_inactive: bool = False,
    ) -> dict[uuid.UUID, list[Person]]:
        uow = self._uow
        uow._check_open()  # noqa: SLF001
        ids = _args.identities("customer_ids", customer_ids)
        inactive = _args.flag("include_inactive", include_inactive)
        with uow._reading():  # noqa: SLF001
            return self._list(ids, include_inactive=inactive)

    def _list(
        self, customer_ids: list[uuid.UUID], *, include_inactive: bool
    ) -> dict[uuid.UUID, list[Person]]:
        out: dict[uuid.UUID, list[Rows]] = {i: [] for i in customer_ids}
        wanted = {str(i): i for i in customer_ids}
        for rows in self._uow._all("person"):  # noqa: SLF001
            row = rows["persons"][0]
            cid = wanted.get(row["customer_id"])
            if cid is not None and (include_inactive or row["active"]):
                out[cid].append(rows)
        for found in out.values():
            found.sort(
                key=lambda r: (
                    r["persons"][0]["sort_key"],
                    r["persons"][0]["id"],
                )
            )
        return {
            cid: [_load_person(r) for r in found] for cid, found in out.items()
        }


def _user_rows(org: str, user: ExternalUser, version: int) -> Rows:
    return {"external_users": [_rows.external_user_row(org, user, version)]}


def _category_rows(org: str, category: Category, version: int) -> Rows:
    return {"categories": [_rows.category_row(org, category, version)]}


class _ExternalUsers(_Repository):
    kind: Kind = "external_user"
    cls = ExternalUser
    argument = "user"

    def add(self, user: ExternalUser, /) -> None:
        self._store(user, _user_rows, new=True)

    def update(self, user: ExternalUser, /) -> None:
        self._store(user, _user_rows, new=False)

    def get(self, id: uuid.UUID, /) -> ExternalUser:  # noqa: A002
        rows = self._get(id)
        return _rows.load_external_user(rows["external_users"][0])

    def get_by_login(self, login: str, /) -> ExternalUser:
        rows = self._by_unique("login", login)
        return _rows.load_external_user(rows["external_users"][0])

    def list_for(self, customer_id: uuid.UUID, /) -> list[ExternalUser]:
        uow = self._uow
        uow._check_open()  # noqa: SLF001
        cid = str(_args.identity("customer_id", customer_id))
        with uow._reading():  # noqa: SLF001
            rows = [
                r["external_users"][0]
                for r in uow._all("external_user")  # noqa: SLF001
                if r["external_users"][0]["customer_id"] == cid
            ]
            rows.sort(key=lambda r: (r["login"], r["id"]))
            return [_rows.load_external_user(r) for r in rows]


class _Agencies(_Repository):
    kind: Kind = "agency"
    cls = Agency
    argument = "agency"

    def add(self, agency: Agency, /) -> None:
        self._store(agency, _rows.agency_rows, new=True)

    def update(self, agency: Agency, /) -> None:
        self._store(agency, _rows.agency_rows, new=False)

    def get(self, customer_id: uuid.UUID, /) -> Agency:
        rows = self._get(customer_id, "customer_id")
        return _rows.load_agency(
            rows["agencies"][0], rows["agency_assignments"]
        )

    def for_order(
        self, customer_id: uuid.UUID, order_ref: str, /
    ) -> list[AgencyAssignment]:
        uow = self._uow
        uow._check_open()  # noqa: SLF001
        cid = str(_args.identity("customer_id", customer_id))
        order = _args.key_text("order_ref", order_ref)
        with uow._reading():  # noqa: SLF001
            found = [
                AgencyAssignment(
                    link["order_ref"], link["customer_id"], link["agency_id"]
                )
                for rows in uow._all("agency")  # noqa: SLF001
                for link in rows["agency_assignments"]
                if link["order_ref"] == order and link["customer_id"] == cid
            ]
            found.sort(key=lambda a: str(a.agency_id))
            return found


class _Categories(_Repository):
    kind: Kind = "category"
    cls = Category
    argument = "category"

    def add(self, category: Category, /) -> None:
        self._store(category, _category_rows, new=True)

    def update(self, category: Category, /) -> None:
        self._store(category, _category_rows, new=False)

    def get(self, id: uuid.UUID, /) -> Category:  # noqa: A002
        return _rows.load_category(self._get(id)["categories"][0])

    def list(self) -> list[Category]:
        uow = self._uow
        uow._check_open()  # noqa: SLF001
        with uow._reading():  # noqa: SLF001
            rows = [r["categories"][0] for r in uow._all("category")]  # noqa: SLF001
            rows.sort(key=lambda r: (r["sort_key"], r["id"]))
            return [_rows.load_category(r) for r in rows]


class _Sequences:
    def __init__(self, uow: InMemoryUnitOfWork) -> None:
        self._uow = uow

    def next(self, name: str, /) -> int:
        uow = self._uow
        uow._check_open()  # noqa: SLF001
        key = _args.name("name", name)
        with uow._writing(), uow._store._lock:  # noqa: SLF001
            counters = uow._org.sequences  # noqa: SLF001
            value = counters.get(key, 0) + 1
            counters[key] = value
            return value


class _MatchKeys:
    def __init__(self, uow: InMemoryUnitOfWork) -> None:
        self._uow = uow

    def replace(
        self, owner_id: uuid.UUID, keys: Iterable[MatchKey], /
    ) -> None:
        uow = self._uow
        uow._check_open()  # noqa: SLF001
        owner = _args.identity("owner_id", owner_id)
        wanted = frozenset(_args.match_keys("keys", keys))
        with uow._writing():  # noqa: SLF001
            uow._staged_keys[owner] = wanted  # noqa: SLF001

    def of(self, owner_id: uuid.UUID, /) -> frozenset[MatchKey]:
        uow = self._uow
        uow._check_open()  # noqa: SLF001
        owner = _args.identity("owner_id", owner_id)
        with uow._reading():  # noqa: SLF001
            return self._of([owner])[owner]

    def of_many(
        self, owner_ids: Iterable[uuid.UUID], /
    ) -> dict[uuid.UUID, frozenset[MatchKey]]:
        uow = self._uow
        uow._check_open()  # noqa: SLF001
        owners = _args.identities("owner_ids", owner_ids)
        with uow._reading():  # noqa: SLF001
            return self._of(owners)

    def _of(
        self, owner_ids: list[uuid.UUID]
    ) -> dict[uuid.UUID, frozenset[MatchKey]]:
        staged = self._uow._staged_keys  # noqa: SLF001
        stored = self._uow._org.keys  # noqa: SLF001
        out = {}
        for owner_id in owner_ids:
            keys = staged.get(owner_id)
            out[owner_id] = (
                stored.get(owner_id, frozenset()) if keys is None else keys
            )
        return out

    def _owners(self, key: MatchKey) -> set[uuid.UUID]:
        """The owners of *key* as this unit of work sees it."""
        staged = self._uow._staged_keys  # noqa: SLF001
        found = self._uow._org.key_index.get(key.criterion, {}).get(key.value)  # noqa: SLF001
        if not staged:
            return set() if found is None else set(found)
        owners = {o for o in found or () if o not in staged}
        owners.update(o for o, ks in staged.items() if key in ks)
        return owners

    def lookup(
        self, keys: Iterable[MatchKey], /, *, limit: int | None = None
    ) -> Mapping[MatchKey, frozenset[uuid.UUID]]:
        uow = self._uow
        uow._check_open()  # noqa: SLF001
        wanted = _args.match_keys("keys", keys)
        cap = _args.optional_count("limit", limit)
        with uow._reading():  # noqa: SLF001
            out: dict[MatchKey, frozenset[uuid.UUID]] = {}
            for key in set(wanted):
                owners = self._owners(key)
                if owners:
                    if cap is not None and len(owners) > cap:
                        # The first ones by id, as an SQL store's ORDER BY.
                        owners = set(heapq.nsmallest(cap, owners, key=_INT))
                    out[key] = frozenset(owners)
            return out

    def groups(
        self, criterion: str, /, *, max_owners: int | None = None
    ) -> Iterator[tuple[str, frozenset[uuid.UUID]]]:
        shared = self._shared("criterion", criterion, max_owners)
        return ((value, frozenset(owners)) for value, owners in shared)

    def group_sizes(
        self, criterion: str, /, *, max_owners: int | None = None
    ) -> Iterator[tuple[str, int]]:
        shared = self._shared("criterion", criterion, max_owners)
        return ((value, len(owners)) for value, owners in shared)

    def _shared(
        self, argument: str, criterion: object, max_owners: object
    ) -> Iterator[tuple[str, Collection[uuid.UUID]]]:
        """Check the arguments now; stream the shared values later."""
        self._uow._check_open()  # noqa: SLF001
        name = _args.name(argument, criterion)
        cap = _args.optional_count("max_owners", max_owners)
        return self._stream(name, cap)

    def _stream(
        self, criterion: str, max_owners: int | None
    ) -> Iterator[tuple[str, Collection[uuid.UUID]]]:
        """The values of *criterion* 2 to *max_owners* owners share."""
        uow = self._uow
        with uow._reading():  # noqa: SLF001
            staged = uow._staged_keys  # noqa: SLF001
            with uow._store._lock:  # noqa: SLF001
                shared = uow._org.shared.get(criterion, set())  # noqa: SLF001
                values = (
                    shared.union(
                        k.value
                        for keys in staged.values()
                        for k in keys
                        if k.criterion == criterion
                    )
                    if staged
                    else shared
                )
                ordered = sorted(values)
            index = uow._org.key_index.get(criterion, {})  # noqa: SLF001
            for value in ordered:
                owners = (
                    self._owners(MatchKey(criterion, value))
                    if staged
                    else index.get(value, ())
                )
                if len(owners) > 1 and (
                    max_owners is None or len(owners) <= max_owners
                ):
                    yield value, owners
