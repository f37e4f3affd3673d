# SPDX-License-Identifier: MIT
"""The SQL store passes the conformance suite on SQLite and PostgreSQL (ST-1)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
import sqlalchemy as sa

from customer_domain.exceptions import StorageError
from customer_domain.storage.sql import SCHEMA_VERSION, SqlStore, schema_table
from customer_domain.testing.conformance import Capabilities, StoreContract


class TestSqliteFileStore(StoreContract):
    @pytest.fixture
    def store(self, sqlite_store: SqlStore) -> SqlStore:
        return sqlite_store


class TestSqliteMemoryStore(StoreContract):
    # One connection shared by the whole process: one writer at a time.
    capabilities = Capabilities(concurrent_threads=False)

    @pytest.fixture
    def store(self) -> Iterator[SqlStore]:
        store = SqlStore("sqlite://")
        yield store
        store.dispose()


class TestPostgresStore(StoreContract):
    @pytest.fixture
    def store(self, postgres_store: SqlStore) -> SqlStore:
        return postgres_store


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
    with store.unit_of_work("acme") as uow:
        with pytest.raises(StorageError, match="no such table"):
            list(uow.match_keys.groups("person.name"))
        with pytest.raises(StorageError, match="no such table"):
            list(uow.match_keys.group_sizes("person.name", max_owners=5))
    store.dispose()
