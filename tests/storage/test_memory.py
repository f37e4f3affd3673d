# SPDX-License-Identifier: MIT
"""The in-memory store passes the conformance suite (ST-1)."""

from __future__ import annotations

import pytest

from customer_domain.exceptions import StorageError
from customer_domain.storage import InMemoryStore, UnitOfWork
from customer_domain.testing.conformance import StoreContract


class _FailsOnce:
    """
    An organization's data whose first access fails, as a storage that
    drops one call would; later ones reach the data again.
    """

    def __init__(self, data: object) -> None:
        self._data = data
        self._failed = False

    def __getattr__(self, name: str) -> object:
        if not self._failed:
            self._failed = True
            msg = f"the storage dropped a call (reading {name})"
            raise StorageError(msg)
        return getattr(self._data, name)


class TestInMemoryStore(StoreContract):
    @pytest.fixture
    def store(self) -> InMemoryStore:
        return InMemoryStore()

    def break_storage(self, uow: UnitOfWork) -> None:
        # Memory cannot fail; a unit of work whose organization's data
        # raises once stands for a store that did.
        uow._org = _FailsOnce(uow._org)  # type: ignore[attr-defined]
