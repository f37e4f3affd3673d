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


class TestExampleDictStore(StoreContract):
    """ST-1: an adapter written from the docs page passes the suite."""

    capabilities = Capabilities(concurrent_threads=True)

    @pytest.fixture
    def store(self) -> Any:
        return dict_store.DictStore()
