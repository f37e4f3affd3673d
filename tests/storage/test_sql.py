# SPDX-License-Identifier: MIT
"""The SQL store passes the conformance suite on SQLite and PostgreSQL (ST-1)."""

from __future__ import annotations

import contextlib
import sqlite3
import uuid

from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
import sqlalchemy as sa

from customer_domain import Agency, Customer, ValidationError
from customer_domain.exceptions import NotFoundError, StorageError
from customer_domain.storage import CustomerQuery, MatchKey, UnitOfWork
from customer_domain.storage.sql import (
    SCHEMA_VERSION,
    SqlStore,
    schema_table,
)
from customer_domain.testing.conformance import Capabilities, StoreContract


def break_sql(uow: UnitOfWork) -> None:
    """
    Make the storage under a SQL unit of work fail its next read.

    On PostgreSQL a statement the database refuses aborts the
    transaction, and every later statement fails: what a host's caught
    error used to leave behind, and what commit used to hide.  SQLite has
    no aborted state: an authorizer denies the next ``SELECT`` once (a
    dropped call), and later statements run again.
    """
    conn: sa.Connection = uow._conn  # type: ignore[attr-defined]
    if conn.dialect.name == "postgresql":
        with contextlib.suppress(sa.exc.DBAPIError):
            conn.exec_driver_sql("SELECT 1 / 0")
        return
    denied: list[int] = []

    def authorize(action: int, *_: object) -> int:
        if action == sqlite3.SQLITE_SELECT and not denied:
            denied.append(action)
            return sqlite3.SQLITE_DENY
        return sqlite3.SQLITE_OK

    # Setting an authorizer expires prepared statements: the next SELECT
    # is prepared again, and denied.
    conn.connection.dbapi_connection.set_authorizer(authorize)  # type: ignore[union-attr]


class TestSqliteFileStore(StoreContract):
    @pytest.fixture
    def store(self, sqlite_store: SqlStore) -> SqlStore:
        return sqlite_store

    def break_storage(self, uow: UnitOfWork) -> None:
        break_sql(uow)


class TestSqliteMemoryStore(StoreContract):
    # One connection shared by the whole process: one writer at a time.
    capabilities = Capabilities(concurrent_threads=False)

    @pytest.fixture
    def store(self) -> Iterator[SqlStore]:
        store = SqlStore("sqlite://")
        yield store
        store.dispose()

    def break_storage(self, uow: UnitOfWork) -> None:
        break_sql(uow)


class TestPostgresStore(StoreContract):
    @pytest.fixture
    def store(self, postgres_store: SqlStore) -> SqlStore:
        return postgres_store

    def break_storage(self, uow: UnitOfWork) -> None:
        break_sql(uow)


@pytest.fixture(params=["sqlite", "postgresql"])
def sql_store(request: pytest.FixtureRequest) -> SqlStore:
    """A store on a SQLite file, then on PostgreSQL."""
    fixture = "sqlite_store" if request.param == "sqlite" else "postgres_store"
    store: SqlStore = request.getfixturevalue(fixture)
    return store


#: The reproducers of the PostgreSQL bug: reads whose arguments the
#: database refused, after which commit returned and wrote nothing.
_REFUSED_BY_THE_DATABASE: dict[str, tuple[str, Callable[[Any], object]]] = {
    "offset-past-64-bits": (
        "offset",
        lambda uow: uow.customers.search(CustomerQuery(offset=2**63)),
    ),
    "negative-lookup-limit": (
        "limit",
        lambda uow: uow.match_keys.lookup([MatchKey("a", "b")], limit=-1),
    ),
    "integer-order-ref": (
        "order_ref",
        lambda uow: uow.agencies.for_order(uuid.uuid4(), 5),
    ),
}


@pytest.mark.parametrize("case", sorted(_REFUSED_BY_THE_DATABASE))
def test_arguments_a_database_refuses_are_refused_first(
    sql_store: SqlStore, case: str
) -> None:
    """
    ST-4, SE-2: the arguments PostgreSQL refused (an offset past 64 bits,
    a negative limit, an integer compared with text) are ValidationErrors
    at their name before any SQL runs; the unit of work commits its
    writes on both databases alike.
    """
    name, call = _REFUSED_BY_THE_DATABASE[case]
    c = Customer(name="X")
    with sql_store.unit_of_work("acme") as uow:
        uow.customers.add(c)
        with pytest.raises(ValidationError) as info:
            call(uow)
        assert not isinstance(info.value, StorageError)
        assert [i.path for i in info.value.issues] == [name]
        uow.commit()
    assert c.version == 1
    with sql_store.unit_of_work("acme") as uow:
        assert uow.customers.get(c.id).name == "X"


def test_failed_read_on_postgresql_then_commit_raises(
    postgres_store: SqlStore,
) -> None:
    """
    ST-4: the PostgreSQL bug.  A read refused by the database, caught by
    the host, fails the unit of work: commit raises, says why, bumps no
    version, and the customer is not stored.
    """
    c = Customer(name="X")
    agency = Agency(Customer(name="Studio", is_agency=True))
    with postgres_store.unit_of_work("acme") as uow:
        uow.customers.add(c)
        uow.agencies.add(agency)
        uow.customers.get(c.id)  # sends the inserts
        break_sql(uow)
        with pytest.raises(StorageError) as info:
            uow.agencies.for_order(uuid.uuid4(), "ORD-1")
        assert "current transaction is aborted" in str(info.value)
        with pytest.raises(
            StorageError,
            match="failed: a read failed, roll back and start again",
        ) as later:
            uow.commit()
        assert later.value.__cause__ is info.value
        assert repr(uow).endswith("failed>")
    assert repr(uow).endswith("rolled back>")
    assert (c.version, agency.version) == (0, 0)
    with postgres_store.unit_of_work("acme") as uow:
        with pytest.raises(NotFoundError):
            uow.customers.get(c.id)
        with pytest.raises(NotFoundError):
            uow.agencies.get(agency.customer_id)


def test_transaction_aborted_outside_the_library_cannot_commit(
    postgres_store: SqlStore,
) -> None:
    """
    ST-4: a statement of the host's own that PostgreSQL refused, on the
    unit of work's connection, leaves nothing to commit: commit raises
    instead of returning over the database's silent rollback.
    """
    c = Customer(name="X")
    with postgres_store.unit_of_work("acme") as uow:
        uow.customers.add(c)
        uow.customers.get(c.id)  # sends the insert
        break_sql(uow)
        with pytest.raises(StorageError, match="nothing was written"):
            uow.commit()
    assert c.version == 0
    with (
        postgres_store.unit_of_work("acme") as uow,
        pytest.raises(NotFoundError),
    ):
        uow.customers.get(c.id)


def test_lost_connection_is_a_storage_error(sql_store: SqlStore) -> None:
    """
    ST-4: a connection lost under a unit of work (invalidated) fails it
    with the library's error, never SQLAlchemy's; the store goes on.
    """
    c = Customer(name="X")
    with sql_store.unit_of_work("acme") as uow:
        uow.customers.add(c)
        uow._conn.invalidate()
        with pytest.raises(StorageError) as info:
            uow.customers.search(CustomerQuery())
        assert not isinstance(info.value, NotFoundError)
        assert isinstance(info.value.__cause__, sa.exc.SQLAlchemyError)
        with pytest.raises(StorageError, match="roll back and start again"):
            uow.commit()
    with sql_store.unit_of_work("acme") as uow:
        assert uow.customers.search(CustomerQuery()).total == 0


def test_database_of_another_schema_version_is_refused(tmp_path: Path) -> None:
    """ST-1: a store never reads tables of another schema version."""
    url = f"sqlite:///{tmp_path / 'old.db'}"
    SqlStore(url).create_schema()
    engine = sa.create_engine(url)
    with engine.begin() as conn:
        conn.execute(
            sa.update(schema_table).values(version=SCHEMA_VERSION - 1)
        )
    engine.dispose()
    store = SqlStore(url)
    with pytest.raises(StorageError) as info:
        store.unit_of_work("acme")
    assert f"schema version [{SCHEMA_VERSION - 1}]" in str(info.value)
    store.dispose()


def test_other_dialects_are_refused() -> None:
    """ST-1: SqlStore says which databases it supports, up front."""
    # A mock engine: no MySQL driver needed to tell the dialect.
    engine = sa.create_mock_engine("mysql://", executor=lambda *_, **__: None)
    with pytest.raises(StorageError, match="SQLite and PostgreSQL"):
        SqlStore(engine)  # type: ignore[arg-type]


def test_bad_url_is_a_storage_error(tmp_path: Path) -> None:
    """ST-1: a database that cannot be opened is the library's error."""
    store = SqlStore(f"sqlite:///{tmp_path / 'missing' / 'dir' / 'x.db'}")
    with pytest.raises(StorageError):
        store.unit_of_work("acme")


def test_driver_errors_of_a_bulk_read_are_storage_errors(
    tmp_path: Path,
) -> None:
    """ST-1, DU-8: a scan's read through the driver's cursor fails as the
    library's error, not the driver's."""
    url = f"sqlite:///{tmp_path / 'd.db'}"
    store = SqlStore(url)
    store.create_schema()
    engine = sa.create_engine(url)
    with engine.begin() as conn:
        conn.exec_driver_sql("DROP TABLE cd_match_keys")
    engine.dispose()
    calls: list[Callable[[Any], object]] = [
        lambda uow: list(uow.match_keys.groups("person.name")),
        lambda uow: list(
            uow.match_keys.group_sizes("person.name", max_owners=5)
        ),
    ]
    for call in calls:
        with store.unit_of_work("acme") as uow:
            with pytest.raises(StorageError, match="no such table"):
                call(uow)
            # The failure rule: the unit of work failed with the read.
            with pytest.raises(StorageError, match="a read failed"):
                uow.customers.search(CustomerQuery())
    store.dispose()
