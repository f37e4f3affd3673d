# SPDX-License-Identifier: MIT
"""
PostgreSQL gets large batches of new rows by COPY, and stores and refuses
exactly what ``executemany`` does (ST-3, ST-4, IO-2).
"""

from __future__ import annotations

import contextlib

from collections.abc import Iterable, Sequence
from typing import Any

import pytest
import sqlalchemy as sa

from customer_domain import Customer, Person
from customer_domain.exceptions import (
    DuplicateError,
    StorageError,
    TransientStorageError,
)
from customer_domain.serialization import structure, unstructure
from customer_domain.storage import CustomerQuery, UnitOfWork
from customer_domain.storage import sql as sql_module
from customer_domain.storage.sql import SqlStore, SqlUnitOfWork, metadata
from customer_domain.testing.conformance import (
    AcceptedIsStoredContract,
    AgencyContract,
    RoundTripContract,
    TenantContract,
    UniquenessContract,
    UnitOfWorkContract,
)


#: Thresholds that send every batch by COPY, and none.
ALWAYS, NEVER = 1, 10**9

#: Text the model accepts that COPY's text format must escape: quotes,
#: backslashes, its NULL marker and end-of-data marker, tabs and
#: newlines (multiline fields only), astral and combining characters.
HOSTILE = 'O\'Brien "&" \\ \\\\ \\N \\. \\t ;DROP TABLE x;-- 😀 𝔘 é ∑ \u2028'
HOSTILE_LINES = f"{HOSTILE}\ttab\nnew line\n\\N\n\\.\n\t"


@pytest.fixture
def copies(monkeypatch: pytest.MonkeyPatch) -> list[tuple[str, int]]:
    """Record each COPY the unit of work sends: its table, its rows."""
    sent: list[tuple[str, int]] = []
    original = SqlUnitOfWork._copy

    def spy(
        self: SqlUnitOfWork, sql: str, rows: Iterable[Sequence[Any]]
    ) -> None:
        rows = list(rows)
        sent.append((sql.split()[1].rsplit(".", 1)[-1].strip('"'), len(rows)))
        original(self, sql, rows)

    monkeypatch.setattr(SqlUnitOfWork, "_copy", spy)
    return sent


def threshold(monkeypatch: pytest.MonkeyPatch, rows: int) -> None:
    monkeypatch.setattr(sql_module, "_COPY_MIN_ROWS", rows)


def customers(
    count: int, *, start: int = 0, hostile: bool = True
) -> list[tuple[Customer, list[Person]]]:
    """*count* customers with two persons (three channels each)."""
    out = []
    for i in range(start, start + count):
        text = HOSTILE if hostile and i % 2 else f"plain {i}"
        lines = HOSTILE_LINES if hostile else ""
        c = Customer(
            name=f"{text} {i}",
            number=f"C-{i:05d}",
            short_name="\\N" if i % 3 == 0 else "",
            address={
                "street": text,
                "postal_code": "69001",
                "city": "Lyon",
                "country": "FR",
            },
            internal_remark=(lines * 100)[:4000] if i % 4 == 0 else lines,
            extra={
                "note": lines,
                "flag": bool(i % 2),
                "count": i,
                "ratio": i / 7,
                "empty": "",
            },
            licenses=[{"quantity": 5, "title": "Portal"}],
        )
        staff = c.add_contact_type(f"Staff {text}")
        people = [
            c.add_person(
                first_name=first,
                last_name=f"{text} {i}",
                remark=lines,
                contact_types=[staff],
                channels=[
                    {"kind": "email", "value": f"p{i}.{first}@example.com"},
                    {"kind": "mobile", "value": "06 12 34 56 78"},
                    {"kind": "phone", "value": "04 78 00 00 00"},
                ],
            )
            for first in ("Hélène", "Marc")
        ]
        out.append((c, people))
    return out


def again(
    data: list[tuple[Customer, list[Person]]],
) -> list[tuple[Customer, list[Person]]]:
    """Other objects of the same (new) customers and persons."""
    return [
        (
            structure(unstructure(c), Customer, trusted=True),
            [structure(unstructure(p), Person, trusted=True) for p in ps],
        )
        for c, ps in data
    ]


def save(
    store: SqlStore, org: str, data: list[tuple[Customer, list[Person]]]
) -> None:
    with store.unit_of_work(org) as uow:
        for c, ps in data:
            uow.customers.add(c)
            for p in ps:
                uow.persons.add(p)
        uow.commit()


def stored_rows(store: SqlStore, org: str) -> dict[str, list[str]]:
    """
    Every row of *org*, table by table, as PostgreSQL's own JSON text
    (types told apart: true, 1 and "1"; JSONB values as stored).
    """
    store.create_schema()
    out = {}
    with store.engine.connect() as conn:
        for table in metadata.sorted_tables:
            if "org" not in table.c:
                continue
            name = f'"{store._schema}"."{table.name}"'
            out[table.name] = sorted(
                conn.exec_driver_sql(
                    f"SELECT (to_jsonb(t) - 'org')::text FROM {name} t"  # noqa: S608 -- our names.
                    " WHERE org = %s",
                    (org,),
                ).scalars()
            )
    return out


def count(store: SqlStore, org: str) -> int:
    with store.unit_of_work(org) as uow:
        return uow.customers.search(CustomerQuery(limit=1)).total


def test_copy_stores_what_executemany_stores(
    postgres_store: SqlStore,
    monkeypatch: pytest.MonkeyPatch,
    copies: list[tuple[str, int]],
) -> None:
    """
    ST-3, IO-2: a batch sent by COPY stores the very rows executemany
    stores (types, JSONB values, NULLs, hostile and long text), and
    reads back equal to what was added.
    """
    data = customers(30)
    threshold(monkeypatch, NEVER)
    save(postgres_store, "many", again(data))
    assert copies == []
    threshold(monkeypatch, ALWAYS)
    save(postgres_store, "copy", data)
    copied = dict(copies)
    assert copied["cd_customers"] == 30
    assert copied["cd_persons"] == 60
    assert copied["cd_channels"] == 180
    by_copy = stored_rows(postgres_store, "copy")
    assert by_copy == stored_rows(postgres_store, "many")
    assert sum(map(len, by_copy.values())) > 30 + 60 + 180
    with postgres_store.unit_of_work("copy") as uow:
        for c, ps in data:
            assert unstructure(uow.customers.get(c.id)) == unstructure(c)
            for p in ps:
                assert unstructure(uow.persons.get(p.id)) == unstructure(p)
        assert uow.customers.get_by_number("C-00001").name.startswith(HOSTILE)


def test_default_threshold(
    postgres_store: SqlStore, copies: list[tuple[str, int]]
) -> None:
    """
    IO-2: by default tables of fewer new rows than the threshold get
    executemany, the others COPY; both in one unit of work.
    """
    small = sql_module._COPY_MIN_ROWS - 1
    assert small >= 1
    data = customers(small, hostile=False)
    save(postgres_store, "acme", data)
    copied = dict(copies)
    assert "cd_customers" not in copied
    assert copied["cd_channels"] == 6 * small  # the same commit
    assert all(rows >= sql_module._COPY_MIN_ROWS for _, rows in copies)
    copies.clear()
    save(postgres_store, "acme", customers(small + 1, start=small))
    assert dict(copies)["cd_customers"] == small + 1
    assert count(postgres_store, "acme") == 2 * small + 1


def test_sqlite_never_copies(
    sqlite_store: SqlStore,
    monkeypatch: pytest.MonkeyPatch,
    copies: list[tuple[str, int]],
) -> None:
    """IO-2: SQLite has no COPY: every batch goes by executemany."""
    threshold(monkeypatch, ALWAYS)
    save(sqlite_store, "acme", customers(12))
    assert copies == []
    assert count(sqlite_store, "acme") == 12


def refusal(
    store: SqlStore,
    monkeypatch: pytest.MonkeyPatch,
    rows: int,
    org: str,
    data: list[tuple[Customer, list[Person]]],
) -> tuple[type[BaseException], tuple[Any, ...]]:
    """
    The error of saving *data* in *org* with threshold *rows*: its type
    and issues; check that it failed the unit of work and wrote nothing.
    """
    threshold(monkeypatch, rows)
    before = stored_rows(store, org)
    with store.unit_of_work(org) as uow:
        for c, ps in data:
            uow.customers.add(c)
            for p in ps:
                uow.persons.add(p)
        with pytest.raises(DuplicateError) as info:
            uow.customers.search(CustomerQuery())  # sends the inserts
        with pytest.raises(StorageError, match="roll back and start again"):
            uow.commit()
    assert stored_rows(store, org) == before
    error = info.value
    return type(error), tuple(error.issues)


def test_duplicate_number_in_the_batch(
    postgres_store: SqlStore,
    monkeypatch: pytest.MonkeyPatch,
    copies: list[tuple[str, int]],
) -> None:
    """
    ST-3, ST-4, CU-3: two customers of one batch with one number: COPY
    raises the error executemany raises, and nothing of it is stored.
    """
    data = customers(20)
    twin = customers(1, start=7)
    errors = [
        refusal(postgres_store, monkeypatch, rows, org, [*again(data), *tw])
        for rows, org, tw in (
            (NEVER, "many", again(twin)),
            (ALWAYS, "copy", again(twin)),
        )
    ]
    assert ("cd_customers", 21) in copies
    assert errors[0] == errors[1]
    kind, issues = errors[1]
    assert kind is DuplicateError
    assert {i.code for i in issues} == {"storage.duplicate_number"}
    assert "C-00007" in {i.value for i in issues}
    # The store, and its connections, work afterwards.
    save(postgres_store, "copy", data)
    assert count(postgres_store, "copy") == 20


def test_duplicate_number_of_a_stored_customer(
    postgres_store: SqlStore,
    monkeypatch: pytest.MonkeyPatch,
    copies: list[tuple[str, int]],
) -> None:
    """
    ST-3, ST-4, CU-3: a batch taking a stored customer's number: the same
    error by COPY as by executemany; the stored customer stays alone.
    """
    for org in ("many", "copy"):
        save(postgres_store, org, customers(1, start=5))
    data = customers(20, start=100)
    data[3][0].update(number="C-00005")
    errors = [
        refusal(postgres_store, monkeypatch, NEVER, "many", again(data)),
        refusal(postgres_store, monkeypatch, ALWAYS, "copy", again(data)),
    ]
    assert ("cd_customers", 20) in copies
    assert errors[0] == errors[1]
    assert errors[1][0] is DuplicateError
    assert "C-00005" in {i.value for i in errors[1][1]}
    assert {count(postgres_store, org) for org in ("many", "copy")} == {1}
    save(postgres_store, "copy", again(data)[:3])
    assert count(postgres_store, "copy") == 4


def test_person_id_stored_twice(
    postgres_store: SqlStore,
    monkeypatch: pytest.MonkeyPatch,
    copies: list[tuple[str, int]],
) -> None:
    """
    ST-3, ST-4: a person whose id is stored, added again (another object
    of it) in a batch: the same duplicate id by COPY as by executemany.
    """
    data = customers(12)
    for org in ("many", "copy"):
        save(postgres_store, org, again(data))
    more = customers(12, start=50)
    person = data[4][1][0]
    batch = [
        (c, [*ps, person]) if i == 0 else (c, ps)
        for i, (c, ps) in enumerate(more)
    ]
    errors = [
        refusal(postgres_store, monkeypatch, NEVER, "many", again(batch)),
        refusal(postgres_store, monkeypatch, ALWAYS, "copy", again(batch)),
    ]
    assert ("cd_persons", 25) in copies
    assert errors[0] == errors[1]
    kind, issues = errors[1]
    assert kind is DuplicateError
    assert [(i.code, i.params) for i in issues] == [
        ("storage.duplicate_id", {"kind": "person"})
    ]
    assert {count(postgres_store, org) for org in ("many", "copy")} == {12}


@pytest.mark.parametrize("rows", [NEVER, ALWAYS], ids=["many", "copy"])
def test_lost_connection_during_copy(
    postgres_store: SqlStore,
    postgres_engine: sa.Engine,
    monkeypatch: pytest.MonkeyPatch,
    copies: list[tuple[str, int]],
    rows: int,
) -> None:
    """
    ST-4: a connection lost under a COPY is a transient storage error,
    as under executemany; the store goes on with a new connection.
    """
    threshold(monkeypatch, rows)
    with postgres_store.unit_of_work("acme") as uow:
        uow.customers.search(CustomerQuery())  # a connection, a backend
        conn = uow._conn
        pid = conn.exec_driver_sql("SELECT pg_backend_pid()").scalar()
        with postgres_engine.connect() as other:
            other.exec_driver_sql("SELECT pg_terminate_backend(%s)", (pid,))
        for c, _ in customers(3):
            uow.customers.add(c)
        with pytest.raises(TransientStorageError) as info:
            uow.commit()
    assert bool(copies) == (rows == ALWAYS)
    assert isinstance(info.value.__cause__, sa.exc.DBAPIError)
    assert info.value.__cause__.connection_invalidated
    save(postgres_store, "acme", customers(3))
    assert count(postgres_store, "acme") == 3


class TestPostgresStoreEverythingByCopy(
    RoundTripContract,
    AcceptedIsStoredContract,
    UnitOfWorkContract,
    TenantContract,
    UniquenessContract,
    AgencyContract,
):
    """The conformance suite's writes, every batch sent by COPY (ST-1)."""

    @pytest.fixture
    def store(
        self, postgres_store: SqlStore, monkeypatch: pytest.MonkeyPatch
    ) -> SqlStore:
        threshold(monkeypatch, ALWAYS)
        return postgres_store

    def break_storage(self, uow: UnitOfWork) -> None:
        """Abort the transaction: every later statement fails."""
        conn: sa.Connection = uow._conn  # type: ignore[attr-defined]
        with contextlib.suppress(sa.exc.DBAPIError):
            conn.exec_driver_sql("SELECT 1 / 0")
