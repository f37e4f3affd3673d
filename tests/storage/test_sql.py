# SPDX-License-Identifier: MIT
"""The SQL store passes the conformance suite on SQLite and PostgreSQL (ST-1)."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from customer_domain.storage.sql import SqlStore
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
