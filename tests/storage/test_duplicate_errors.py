# SPDX-License-Identifier: MIT
"""A refused batch names the values at fault, not the whole batch (ST-3)."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest

from customer_domain import Customer
from customer_domain.exceptions import DuplicateError
from customer_domain.storage.sql import SqlStore


@pytest.fixture(params=["sqlite", "postgres"])
def store(request: pytest.FixtureRequest, tmp_path: Any) -> Iterator[SqlStore]:
    if request.param == "sqlite":
        target = SqlStore(f"sqlite:///{tmp_path}/d.db")
    else:
        target = SqlStore(
            request.getfixturevalue("postgres_engine"),
            schema=request.getfixturevalue("postgres_schema"),
        )
    yield target
    target.dispose()


def _customers(*numbers: str) -> list[Customer]:
    return [Customer(name=f"Client {n}", number=n) for n in numbers]


def _add_all(store: SqlStore, numbers: list[str]) -> None:
    """Add customers with *numbers* in one unit of work."""
    with store.unit_of_work("o") as uow:
        for customer in _customers(*numbers):
            uow.customers.add(customer)
        uow.commit()


def test_a_number_twice_in_one_batch_is_the_one_named(store: SqlStore) -> None:
    """ST-3: of 30 new customers, the issue names the number given twice."""
    numbers = [f"C-{i}" for i in range(30)] + ["C-7"]
    with pytest.raises(DuplicateError) as e:
        _add_all(store, numbers)
    assert [(i.path, i.value) for i in e.value.issues] == [("number", "C-7")]
    with store.unit_of_work("o") as uow:  # nothing of the batch is stored
        uow.customers.add(Customer(name="Fine", number="C-1"))
        uow.commit()


def test_a_number_already_stored_is_named_when_the_server_says(
    store: SqlStore,
) -> None:
    """ST-3: against a stored customer, PostgreSQL names the number; SQLite
    does not, and every number of the batch is listed."""
    with store.unit_of_work("o") as uow:
        uow.customers.add(Customer(name="Stored", number="C-5"))
        uow.commit()
    numbers = [f"C-{i}" for i in range(20)]
    with pytest.raises(DuplicateError) as e:
        _add_all(store, numbers)
    values = [i.value for i in e.value.issues]
    if store.engine.dialect.name == "postgresql":
        assert values == ["C-5"]
    else:
        assert "C-5" in values
