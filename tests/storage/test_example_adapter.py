# SPDX-License-Identifier: MIT
"""
The example third-party adapter (examples/dict_store.py), written from
the "Writing a storage adapter" guide alone, passes the suite (ST-1).
"""

from __future__ import annotations

import importlib.util
import sys

from pathlib import Path
from typing import Any

import pytest

from customer_domain.exceptions import StorageError
from customer_domain.storage import UnitOfWork
from customer_domain.testing.conformance import Capabilities, StoreContract


def _load_example() -> Any:
    path = Path(__file__).parents[2] / "examples" / "dict_store.py"
    spec = importlib.util.spec_from_file_location("dict_store", path)
    assert spec is not None
    assert spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules["dict_store"] = module
    spec.loader.exec_module(module)
    return module


dict_store = _load_example()


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


class TestExampleDictStore(StoreContract):
    """ST-1: an adapter written from the docs page passes the suite."""

    capabilities = Capabilities(concurrent_threads=True)

    @pytest.fixture
    def store(self) -> Any:
        return dict_store.DictStore()

    def break_storage(self, uow: UnitOfWork) -> None:
        uow._org = _FailsOnce(uow._org)  # type: ignore[attr-defined]
