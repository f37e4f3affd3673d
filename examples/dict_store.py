# SPDX-License-Identifier: MIT
"""A small dict-backed storage adapter for customer_domain (ST-1).

Written by a plugin author from docs/writing-a-storage-adapter.md alone,
without reading the library's source; tests/storage/test_example_adapter.py
runs the conformance suite on it.  The project later added what the
duplicate-detection issue asked of adapters (keys that follow writes,
``of_many``, ``lookup(limit=)``, ``groups``), and the unit-of-work failure
rule (bad arguments refused with ``ValidationError`` before anything runs;
any other error of a call, "not found" aside, fails the unit of work),
also from the guide.

Every aggregate is kept as its JSON wire document (``unstructure``), with
the fields that are searched, sorted or kept unique folded next to it.
One lock guards the committed state; a unit of work stages its writes and
applies them all at once, after checking versions and uniqueness again.
"""

from __future__ import annotations

import contextlib
import json
import threading
import unicodedata
import uuid

from collections.abc import Iterable, Iterator
from typing import Any, NamedTuple, NoReturn, Self

from customer_domain import (
    Agency,
    Category,
    ConcurrencyError,
    Customer,
    DuplicateError,
    ExternalUser,
    Issue,
    NotFoundError,
    Person,
    StorageError,
    ValidationError,
)
from customer_domain.matching import customer_keys, person_keys
from customer_domain.serialization import structure, unstructure
from customer_domain.storage import set_version
from customer_domain.storage.protocols import CustomerQuery, MatchKey, Page


MAX_COUNT = 2**63 - 1


CLASSES: dict[str, type] = {
    "customer": Customer,
    "person": Person,
    "external_user": ExternalUser,
    "agency": Agency,
    "category": Category,
}
#: The name of the argument of ``add`` and ``update``, by kind.
_ARGUMENT = {
    "customer": "customer",
    "person": "person",
    "external_user": "user",
    "agency": "agency",
    "category": "category",
}


def fold(text: str | None) -> str:
    return "".join(
        ch
        for ch in unicodedata.normalize("NFKD", (text or "").casefold())
        if not unicodedata.combining(ch)
    )


class Rec(NamedTuple):
    version: int
    doc: str  # the JSON wire document
    meta: dict[str, Any]  # folded / indexed fields


class Pending(NamedTuple):
    loaded: int  # 0 for an add
    new: int
    rec: Rec
    objs: list[object]


def _key(kind: str, obj: Any) -> str:
    return str(obj.customer_id if kind == "agency" else obj.id)


def _meta(kind: str, d: dict[str, Any]) -> dict[str, Any]:
    if kind == "customer":
        addr = d.get("address") or {}
        text = [
            d.get(f)
            for f in (
                "number",
                "name",
                "legal_form",
                "short_name",
                "external_remark",
                "internal_remark",
            )
        ]
        text += [
            addr.get(f)
            for f in ("street", "line2", "postal_code", "city", "country")
        ]
        return {
            "number": d.get("number"),
            "sort": (fold(d["name"]), d["id"]),
            "text": [fold(t) for t in text if t],
            "postal": "".join(fold(addr.get("postal_code")).split()),
            "stage": d.get("stage"),
            "active": d.get("active"),
            "blocked": d.get("blocked"),
            "is_agency": d.get("is_agency"),
            "cats": {str(c) for c in d.get("category_ids") or ()},
        }
    if kind == "person":
        return {
            "customer_id": d["customer_id"],
            "active": d.get("active"),
            "sort": (
                fold(d.get("last_name")),
                fold(d.get("first_name")),
                d["id"],
            ),
        }
    if kind == "external_user":
        return {
            "login": d["login"],
            "person_id": d["person_id"],
            "customer_id": d["customer_id"],
            "sort": (d["login"], d["id"]),
        }
    if kind == "category":
        return {"sort": (fold(d.get("title")), d["id"])}
    if kind == "agency":
        return {
            "pairs": {
                (a["customer_id"], a["order_ref"])
                for a in d.get("assignments") or ()
            }
        }
    raise AssertionError(kind)


def _make_rec(kind: str, obj: object, version: int) -> Rec:
    document = unstructure(obj)
    document["data"]["version"] = version
    return Rec(version, json.dumps(document), _meta(kind, document["data"]))


MAX_ORGANIZATION = 64


class _Org:
    def __init__(self) -> None:
        self.records: dict[str, dict[str, Rec]] = {k: {} for k in CLASSES}
        self.sequences: dict[str, int] = {}
        self.match_keys: dict[uuid.UUID, frozenset[MatchKey]] = {}


def _check_organization(organization: object) -> None:
    ok = (
        isinstance(organization, str)
        and 1 <= len(organization) <= MAX_ORGANIZATION
        and not any(unicodedata.category(ch) == "Cc" for ch in organization)
    )
    if not ok:
        raise ValidationError(
            [
                Issue(
                    "organization",
                    "organization.invalid",
                    organization,
                    {"max": "64"},
                )
            ]
        )


# -- arguments: refused before anything runs; the unit of work goes on ---


def _refuse(name: str, value: object, expected: str) -> NoReturn:
    raise ValidationError(
        [Issue(name, "invalid_type", value, {"expected": expected})]
    )


def _object(name: str, value: object, cls: type) -> None:
    if not isinstance(value, cls):
        _refuse(name, value, f"a {cls.__name__}")


def _uuid(name: str, value: object) -> uuid.UUID:
    if not isinstance(value, uuid.UUID):
        _refuse(name, value, "a UUID")
    return value


def _uuids(name: str, values: object) -> list[uuid.UUID]:
    if isinstance(values, str) or not isinstance(values, Iterable):
        _refuse(name, values, "a list of UUIDs")
    out = list(values)
    for value in out:
        _uuid(name, value)
    return out


def _text(name: str, value: object, max_length: int = 0) -> str:
    if (
        not isinstance(value, str)
        or "\x00" in value
        or (max_length and not 0 < len(value) <= max_length)
    ):
        _refuse(name, value, "text without NUL")
    try:
        value.encode()
    except UnicodeEncodeError:
        _refuse(name, value, "text without lone surrogates")
    return value


def _count(name: str, value: object) -> int | None:
    if value is None:
        return None
    if (
        isinstance(value, bool)
        or not isinstance(value, int)
        or not 1 <= value <= MAX_COUNT
    ):
        _refuse(name, value, f"a whole number from 1 to {MAX_COUNT}")
    return value


def _flag(name: str, value: object) -> bool:
    if not isinstance(value, bool):
        _refuse(name, value, "true or false")
    return value


def _keys(name: str, keys: object) -> list[MatchKey]:
    if isinstance(keys, str) or not isinstance(keys, Iterable):
        _refuse(name, keys, "match keys")
    out = list(keys)
    for k in out:
        if not isinstance(k, MatchKey):
            _refuse(name, k, "match keys")
        _text(name, k.criterion, 64)
        _text(name, k.value)
    return out


class DictStore:
    """Keeps every organization's aggregates in this process's memory."""

    def __init__(self) -> None:
        self._lock = threading.RLock()
        self._orgs: dict[str, _Org] = {}

    def unit_of_work(self, organization: str) -> DictUnitOfWork:
        _check_organization(organization)
        with self._lock:
            org = self._orgs.setdefault(organization, _Org())
        return DictUnitOfWork(self._lock, org, organization)


class DictUnitOfWork:
    def __init__(
        self, lock: threading.RLock, org: _Org, organization: str
    ) -> None:
        self._lock = lock
        self._org = org
        self._organization = organization
        self._pending: dict[str, dict[str, Pending]] = {k: {} for k in CLASSES}
        self._keys: dict[uuid.UUID, frozenset[MatchKey]] = {}
        self._state = "open"
        self.customers = _Customers(self)
        self.persons = _Persons(self)
        self.external_users = _ExternalUsers(self)
        self.agencies = _Agencies(self)
        self.categories = _Categories(self)
        self.sequences = _Sequences(self)
        self.match_keys = _MatchKeys(self)

    @property
    def organization(self) -> str:
        return self._organization

    def __repr__(self) -> str:
        return (
            f"<DictUnitOfWork organization={self._organization!r}"
            f" {self._state}>"
        )

    # -- life cycle ------------------------------------------------------

    def __enter__(self) -> Self:
        return self

    def __exit__(self, exc_type: object, exc: object, tb: object) -> None:
        if self._state in ("open", "failed"):
            self.rollback()

    def _check(self) -> None:
        if self._state == "failed":
            raise StorageError(
                "this unit of work is failed: a call failed, roll back and"
                " start again"
            )
        if self._state != "open":
            raise StorageError(f"this unit of work is {self._state}")

    @contextlib.contextmanager
    def _reading(self) -> Iterator[None]:
        """The failure rule: a read's error fails us, but "not found"."""
        self._check()
        try:
            yield
        except (NotFoundError, GeneratorExit):
            raise
        except BaseException:
            self._state = "failed"
            raise

    @contextlib.contextmanager
    def _writing(self) -> Iterator[None]:
        """The failure rule: any error of a write fails us."""
        self._check()
        try:
            yield
        except BaseException:
            self._state = "failed"
            raise

    def rollback(self) -> None:
        if self._state in ("committed", "rolled back"):
            return
        self._pending = {k: {} for k in CLASSES}
        self._keys = {}
        self._state = "rolled back"

    def commit(self) -> None:
        self._check()
        records = self._org.records
        with self._lock:
            try:
                for kind, pend in self._pending.items():
                    for key, p in pend.items():
                        current = records[kind].get(key)
                        if p.loaded == 0 and current is not None:
                            raise _duplicate_id(kind, key)
                        if p.loaded and (
                            current is None or current.version != p.loaded
                        ):
                            raise ConcurrencyError(
                                kind, uuid.UUID(key), p.loaded
                            )
                        self._check_unique(kind, key, p.rec)
            except BaseException:
                self._state = "failed"
                raise
            for kind, pend in self._pending.items():
                for key, p in pend.items():
                    records[kind][key] = p.rec
            self._org.match_keys.update(self._keys)
        self._state = "committed"
        for pend in self._pending.values():
            for p in pend.values():
                for obj in p.objs:
                    set_version(obj, p.new)

    # -- reads -------------------------------------------------------------

    def _view(self, kind: str) -> dict[str, Rec]:
        """Committed records of *kind* overlaid with this unit's writes."""
        self._check()
        with self._lock:
            view = dict(self._org.records[kind])
        view.update((k, p.rec) for k, p in self._pending[kind].items())
        return view

    def _load(self, kind: str, rec: Rec) -> Any:
        return structure(json.loads(rec.doc), CLASSES[kind], trusted=True)

    def _get(self, kind: str, key: object) -> Any:
        self._check()
        skey = str(key)
        p = self._pending[kind].get(skey)
        if p is not None:
            return self._load(kind, p.rec)
        with self._lock:
            rec = self._org.records[kind].get(skey)
        if rec is None:
            raise NotFoundError(kind, key)
        return self._load(kind, rec)

    def _find(
        self, kind: str, field: str, value: object, sort: bool = False
    ) -> list[Any]:
        found = [
            r for r in self._view(kind).values() if r.meta[field] == value
        ]
        if sort:
            found.sort(key=lambda r: r.meta["sort"])
        return [self._load(kind, r) for r in found]

    # -- writes ------------------------------------------------------------

    def _write(self, kind: str, obj: Any, *, add: bool) -> None:
        self._check()
        _object(_ARGUMENT[kind], obj, CLASSES[kind])
        key = _key(kind, obj)
        with self._writing(), self._lock:
            current = self._org.records[kind].get(key)
            p = self._pending[kind].get(key)
            if add:
                if obj.version != 0 or p is not None or current is not None:
                    raise _duplicate_id(kind, key)
                loaded, new, objs = 0, 1, []
            elif p is not None:
                if obj.version not in (p.loaded, p.new):
                    raise ConcurrencyError(kind, uuid.UUID(key), obj.version)
                loaded, new, objs = p.loaded, p.new, p.objs
            else:
                if obj.version == 0 or current is None:
                    raise NotFoundError(kind, uuid.UUID(key))
                if obj.version != current.version:
                    raise ConcurrencyError(kind, uuid.UUID(key), obj.version)
                loaded, new, objs = obj.version, obj.version + 1, []
            rec = _make_rec(kind, obj, new)
            self._check_unique(kind, key, rec)
        self._pending[kind][key] = Pending(loaded, new, rec, [*objs, obj])
        # Duplicate detection's keys follow every write (DU-7).
        if kind == "person":
            self._keys[obj.id] = person_keys(obj)
        elif kind == "customer":
            self._keys[obj.id] = customer_keys(obj)

    def _check_unique(self, kind: str, key: str, rec: Rec) -> None:
        if kind == "customer":
            fields = [("number", "storage.duplicate_number")]
        elif kind == "external_user":
            fields = [
                ("login", "storage.duplicate_login"),
                ("person_id", "storage.duplicate_user"),
            ]
        else:
            return
        committed = self._org.records[kind]
        pending = self._pending[kind]
        for field, code in fields:
            value = rec.meta[field]
            if value is None:
                continue
            for other in set(committed) | set(pending):
                if other == key:
                    continue
                o = (
                    pending[other].rec
                    if other in pending
                    else committed[other]
                )
                if o.meta[field] == value:
                    # the value as text: a UUID would become its repr
                    raise DuplicateError([Issue(field, code, value)])


def _duplicate_id(kind: str, key: str) -> DuplicateError:
    return DuplicateError(
        [Issue("id", "storage.duplicate_id", key, {"kind": kind})]
    )


class _Repo:
    kind = ""
    #: The name of ``get``'s argument.
    key_name = "id"

    def __init__(self, uow: DictUnitOfWork) -> None:
        self._uow = uow

    def add(self, obj: Any, /) -> None:
        self._uow._write(self.kind, obj, add=True)

    def update(self, obj: Any, /) -> None:
        self._uow._write(self.kind, obj, add=False)

    def get(self, id: uuid.UUID, /) -> Any:
        self._uow._check()
        key = _uuid(self.key_name, id)
        with self._uow._reading():
            return self._uow._get(self.kind, key)


class _Customers(_Repo):
    kind = "customer"

    def get_by_number(self, number: str, /) -> Customer:
        self._uow._check()
        number = _text("number", number)
        with self._uow._reading():
            found = self._uow._find("customer", "number", number)
            if not found:
                raise NotFoundError("customer", number)
            customer: Customer = found[0]
            return customer

    def search(self, query: CustomerQuery, /) -> Page[Customer]:
        self._uow._check()
        if not isinstance(query, CustomerQuery):
            _refuse("query", query, "a CustomerQuery")
        with self._uow._reading():
            return self._search(query)

    def _search(self, query: CustomerQuery) -> Page[Customer]:
        words = fold(query.text).split()
        prefix = "".join(fold(query.postal_code_prefix).split())
        stage = getattr(query.stage, "value", query.stage)
        matches = []
        for rec in self._uow._view("customer").values():
            m = rec.meta
            if not all(any(w in t for t in m["text"]) for w in words):
                continue
            if stage is not None and m["stage"] != stage:
                continue
            if any(
                v is not None and m[f] != v
                for f, v in (
                    ("active", query.active),
                    ("blocked", query.blocked),
                    ("is_agency", query.is_agency),
                )
            ):
                continue
            if (
                query.category_id is not None
                and str(query.category_id) not in m["cats"]
            ):
                continue
            if prefix and not m["postal"].startswith(prefix):
                continue
            matches.append(rec)
        matches.sort(key=lambda r: r.meta["sort"])
        page = matches[query.offset : query.offset + query.limit]
        items = tuple(self._uow._load("customer", r) for r in page)
        return Page(
            items=items,
            total=len(matches),
            offset=query.offset,
            limit=query.limit,
        )


class _Persons(_Repo):
    kind = "person"

    def list_for(
        self, customer_id: uuid.UUID, /, *, include_inactive: bool = False
    ) -> list[Person]:
        self._uow._check()
        cid = _uuid("customer_id", customer_id)
        inactive = _flag("include_inactive", include_inactive)
        with self._uow._reading():
            return self._list([cid], inactive)[cid]

    def list_for_many(
        self, customer_ids: Any, /, *, include_inactive: bool = False
    ) -> dict[uuid.UUID, list[Person]]:
        self._uow._check()
        ids = _uuids("customer_ids", customer_ids)
        inactive = _flag("include_inactive", include_inactive)
        with self._uow._reading():
            return self._list(ids, inactive)

    def _list(
        self, ids: list[uuid.UUID], include_inactive: bool
    ) -> dict[uuid.UUID, list[Person]]:
        wanted = {str(i) for i in ids}
        recs = sorted(
            (
                r
                for r in self._uow._view("person").values()
                if r.meta["customer_id"] in wanted
                and (include_inactive or r.meta["active"])
            ),
            key=lambda r: r.meta["sort"],
        )
        out: dict[uuid.UUID, list[Person]] = {i: [] for i in ids}
        by_str = {str(i): i for i in ids}
        for r in recs:
            out[by_str[r.meta["customer_id"]]].append(
                self._uow._load("person", r)
            )
        return out


class _ExternalUsers(_Repo):
    kind = "external_user"

    def get_by_login(self, login: str, /) -> ExternalUser:
        self._uow._check()
        login = _text("login", login)
        with self._uow._reading():
            found = self._uow._find("external_user", "login", login)
            if not found:
                raise NotFoundError("external_user", login)
            user: ExternalUser = found[0]
            return user

    def list_for(self, customer_id: uuid.UUID, /) -> list[ExternalUser]:
        self._uow._check()
        cid = _uuid("customer_id", customer_id)
        with self._uow._reading():
            return self._uow._find(
                "external_user", "customer_id", str(cid), sort=True
            )


class _Agencies(_Repo):
    kind = "agency"
    key_name = "customer_id"

    def for_order(
        self, customer_id: uuid.UUID, order_ref: str, /
    ) -> list[Any]:
        self._uow._check()
        pair = (
            str(_uuid("customer_id", customer_id)),
            _text("order_ref", order_ref),
        )
        with self._uow._reading():
            recs = sorted(
                (k, r)
                for k, r in self._uow._view("agency").items()
                if pair in r.meta["pairs"]
            )
            return [
                a
                for _, r in recs
                for a in self._uow._load("agency", r).assignments
                if str(a.customer_id) == pair[0] and a.order_ref == pair[1]
            ]


class _Categories(_Repo):
    kind = "category"

    def list(self) -> list[Category]:
        with self._uow._reading():
            recs = sorted(
                self._uow._view("category").values(),
                key=lambda r: r.meta["sort"],
            )
            return [self._uow._load("category", r) for r in recs]


class _Sequences:
    def __init__(self, uow: DictUnitOfWork) -> None:
        self._uow = uow

    def next(self, name: str, /) -> int:
        self._uow._check()
        name = _text("name", name, 64)
        with self._uow._writing(), self._uow._lock:
            seqs = self._uow._org.sequences
            seqs[name] = seqs.get(name, 0) + 1
            return seqs[name]


class _MatchKeys:
    def __init__(self, uow: DictUnitOfWork) -> None:
        self._uow = uow

    def _all(self) -> dict[uuid.UUID, frozenset[MatchKey]]:
        with self._uow._lock:
            view = dict(self._uow._org.match_keys)
        view.update(self._uow._keys)
        return view

    def replace(self, owner_id: uuid.UUID, keys: Any, /) -> None:
        self._uow._check()
        owner = _uuid("owner_id", owner_id)
        wanted = frozenset(_keys("keys", keys))
        with self._uow._writing():
            self._uow._keys[owner] = wanted

    def of(self, owner_id: uuid.UUID, /) -> frozenset[MatchKey]:
        self._uow._check()
        owner = _uuid("owner_id", owner_id)
        with self._uow._reading():
            return self._all().get(owner, frozenset())

    def of_many(
        self, owner_ids: Iterable[uuid.UUID], /
    ) -> dict[uuid.UUID, frozenset[MatchKey]]:
        self._uow._check()
        owners = _uuids("owner_ids", owner_ids)
        with self._uow._reading():
            everything = self._all()
            return {o: everything.get(o, frozenset()) for o in owners}

    def _owners(self) -> dict[MatchKey, set[uuid.UUID]]:
        # A linear scan, fine for an example; a real backend indexes keys.
        found: dict[MatchKey, set[uuid.UUID]] = {}
        for owner, owned in self._all().items():
            for k in owned:
                found.setdefault(k, set()).add(owner)
        return found

    def lookup(
        self, keys: Any, /, *, limit: int | None = None
    ) -> dict[MatchKey, frozenset[uuid.UUID]]:
        self._uow._check()
        wanted = _keys("keys", keys)
        cap = _count("limit", limit)
        with self._uow._reading():
            owners = self._owners()
            out = {}
            for k in set(wanted):
                if k in owners:
                    ids = sorted(owners[k], key=str)
                    out[k] = frozenset(ids if cap is None else ids[:cap])
            return out

    def groups(
        self, criterion: str, /, *, max_owners: int | None = None
    ) -> Iterator[tuple[str, frozenset[uuid.UUID]]]:
        # Arguments are checked at the call, not at the first next().
        self._uow._check()
        criterion = _text("criterion", criterion, 64)
        cap = _count("max_owners", max_owners)
        return self._groups(criterion, cap)

    def _groups(
        self, criterion: str, max_owners: int | None
    ) -> Iterator[tuple[str, frozenset[uuid.UUID]]]:
        with self._uow._reading():
            owners = self._owners()
            for k in sorted(owners):
                n = len(owners[k])
                if (
                    k.criterion == criterion
                    and n > 1
                    and (max_owners is None or n <= max_owners)
                ):
                    yield k.value, frozenset(owners[k])

    def group_sizes(
        self, criterion: str, /, *, max_owners: int | None = None
    ) -> Iterator[tuple[str, int]]:
        groups = self.groups(criterion, max_owners=max_owners)
        return ((value, len(owners)) for value, owners in groups)
