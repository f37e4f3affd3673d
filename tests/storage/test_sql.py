# SPDX-License-Identifier: MIT
"""The SQL store passes the conformance suite on SQLite and PostgreSQL (ST-1)."""

from __future__ import annotations

import contextlib
import sqlite3
import types
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
    # A real engine of another database; a stub stands for its driver.
    driver = types.SimpleNamespace(
        paramstyle="format",
        version_info=(2, 0, 0),
        __version__="2.0.0",
        Error=Exception,
    )
    engine = sa.create_engine("mysql+pymysql://u@h/db", module=driver)
    with pytest.raises(StorageError, match="SQLite and PostgreSQL, not mysql"):
        SqlStore(engine)


def test_asynchronous_engines_are_refused(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """ST-1: an engine of an asynchronous driver is refused up front."""
    engine = sa.create_engine("sqlite://")
    monkeypatch.setattr(engine.dialect, "is_async", True)
    with pytest.raises(StorageError, match="synchronous driver"):
        SqlStore(engine)


@pytest.mark.parametrize(
    ("url", "match"),
    [
        ("", "not a database URL"),
        ("not a url", "not a database URL"),
        ("://", "not a database URL"),
        ("postgresql://h:abc/db", "not a database URL"),
        ("postgresql://h:99999/db", "port 99999"),
        ("postgresql://h:0/db", "port 0"),
        ("postgresql://user:secret@h:70000/db", "port 70000"),
        ("mysql://u@h/db", "SQLite and PostgreSQL, not mysql"),
        ("mongodb://h/db", "SQLite and PostgreSQL, not mongodb"),
        ("oracle+oracledb://h/db", "SQLite and PostgreSQL, not oracle"),
        ("postgresql+nosuchdriver://h/db", "cannot use"),
        ("sqlite+nosuchdriver:///x.db", "cannot use"),
        ("sqlite:///x.db?timeout=abc", "cannot use"),
    ],
)
def test_bad_urls_are_storage_errors(url: str, match: str) -> None:
    """
    ST-1: an empty, malformed or unsupported URL (a bad port, another
    database, a driver that is not installed, options the driver cannot
    read) is a StorageError when the store is made, never SQLAlchemy's
    or the driver's own exception.
    """
    with pytest.raises(StorageError, match=match) as info:
        SqlStore(url)
    assert type(info.value) is StorageError
    assert "secret" not in str(info.value)


@pytest.mark.parametrize(
    "url", [None, 42, b"sqlite://", Path("customers.db"), ["sqlite://"]]
)
def test_url_of_the_wrong_type_is_a_validation_error(url: object) -> None:
    """ST-1: neither text nor an Engine: a ValidationError at `url`."""
    with pytest.raises(ValidationError) as info:
        SqlStore(url)  # type: ignore[arg-type]
    assert [i.path for i in info.value.issues] == ["url"]


def test_mock_engine_is_not_an_engine() -> None:
    """ST-1: SQLAlchemy's mock engine cannot run a unit of work."""
    engine = sa.create_mock_engine("sqlite://", executor=lambda *_, **__: None)
    with pytest.raises(ValidationError) as info:
        SqlStore(engine)  # type: ignore[arg-type]
    assert [i.path for i in info.value.issues] == ["url"]


@pytest.mark.parametrize(
    ("options", "name"),
    [
        ({"schema": 5}, "schema"),
        ({"schema": b"crm"}, "schema"),
        ({"busy_timeout": "30"}, "busy_timeout"),
        ({"busy_timeout": None}, "busy_timeout"),
        ({"busy_timeout": True}, "busy_timeout"),
        ({"create": "yes"}, "create"),
        ({"create": None}, "create"),
    ],
)
def test_options_of_the_wrong_type_are_validation_errors(
    options: dict[str, Any], name: str
) -> None:
    """ST-1: an option of the wrong type is a ValidationError at its name."""
    for url in ("sqlite://", "postgresql://h/db"):
        with pytest.raises(ValidationError) as info:
            SqlStore(url, **options)
        assert [i.path for i in info.value.issues] == [name]


@pytest.mark.parametrize(
    ("url", "options", "match"),
    [
        ("postgresql://h/db", {"schema": ""}, "not a PostgreSQL schema"),
        ("postgresql://h/db", {"schema": "s" * 64}, "not a PostgreSQL"),
        ("postgresql://h/db", {"schema": "é" * 32}, "not a PostgreSQL"),
        ("postgresql://h/db", {"schema": "a\x00b"}, "not a PostgreSQL"),
        ("postgresql://h/db", {"schema": "tab\tbed"}, "not a PostgreSQL"),
        ("sqlite://", {"schema": "crm"}, "SQLite has none"),
        ("sqlite://", {"busy_timeout": -1}, "busy_timeout must be"),
        ("sqlite://", {"busy_timeout": float("nan")}, "busy_timeout"),
        ("sqlite://", {"busy_timeout": float("inf")}, "busy_timeout"),
        ("sqlite://", {"busy_timeout": 10**7}, "busy_timeout"),
    ],
)
def test_bad_options_are_storage_errors(
    url: str, options: dict[str, Any], match: str
) -> None:
    """ST-1: a schema or busy timeout no database can use: StorageError."""
    with pytest.raises(StorageError, match=match):
        SqlStore(url, **options)


def test_good_options_are_kept(tmp_path: Path) -> None:
    """ST-1: the limits themselves are accepted (and used)."""
    store = SqlStore(f"sqlite:///{tmp_path / 'x.db'}", busy_timeout=0)
    with store.unit_of_work("acme") as uow:
        assert uow.customers.search(CustomerQuery()).total == 0
    store.dispose()
    assert SqlStore("postgresql://h/db", schema="s" * 63)._schema == "s" * 63


def test_unreachable_database_is_a_storage_error() -> None:
    """ST-1: a server that refuses the connection: StorageError."""
    store = SqlStore("postgresql://nobody@127.0.0.1:1/none")
    with pytest.raises(StorageError, match="connection"):
        store.unit_of_work("acme")
    store.dispose()


def test_missing_postgresql_schema_is_a_storage_error(
    postgres_engine: sa.Engine,
) -> None:
    """ST-1: tables cannot be created in a schema that does not exist."""
    store = SqlStore(postgres_engine, schema=f"cd_missing_{uuid.uuid4().hex}")
    with pytest.raises(StorageError, match="does not exist"):
        store.unit_of_work("acme")


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
