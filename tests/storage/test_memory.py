# SPDX-License-Identifier: MIT
"""The in-memory store passes the conformance suite (ST-1)."""

from __future__ import annotations

import pytest

from customer_domain.storage import InMemoryStore
from customer_domain.testing.conformance import StoreContract


class TestInMemoryStore(StoreContract):
    @pytest.fixture
    def store(self) -> InMemoryStore:
        return InMemoryStore()
