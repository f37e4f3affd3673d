# SPDX-License-Identifier: MIT
"""
Writers for the concurrency tests (private): module-level functions, so
that processes started with ``spawn`` can run them.  Each makes its own
store from a URL and reports what happened, refused writes included.
"""

from __future__ import annotations

import time
import uuid

from customer_domain import Customer, NumberingStrategy
from customer_domain.exceptions import (
    ConcurrencyError,
    CustomerDomainError,
    TransientStorageError,
)
from customer_domain.storage.sql import SqlStore


def _store(url: str, schema: str | None) -> SqlStore:
    return SqlStore(url, schema=schema, create=False)


def generated_numbers(
    url: str, schema: str | None, org: str, count: int
) -> tuple[list[str], list[str]]:
    """Add *count* customers numbered by the strategy; numbers, errors."""
    store = _store(url, schema)
    strategy = NumberingStrategy(prefix="G-", width=6, check_digit="luhn")
    numbers, errors = [], []
    try:
        for _ in range(count):
            try:
                with store.unit_of_work(org) as uow:
                    number = strategy.next_number(uow.sequences)
                    uow.customers.add(
                        Customer(name="Generated", number=number)
                    )
                    uow.commit()
                numbers.append(number)
            except CustomerDomainError as e:
                errors.append(type(e).__name__)
    finally:
        store.dispose()
    return numbers, errors


def colliding_numbers(
    url: str, schema: str | None, org: str, count: int
) -> tuple[list[str], list[str]]:
    """Try to add customers C-0..C-(count-1); numbers won, errors."""
    store = _store(url, schema)
    won, errors = [], []
    try:
        for k in range(count):
            try:
                with store.unit_of_work(org) as uow:
                    uow.customers.add(
                        Customer(name="Colliding", number=f"C-{k}")
                    )
                    uow.commit()
                won.append(f"C-{k}")
            except CustomerDomainError as e:
                errors.append(type(e).__name__)
    finally:
        store.dispose()
    return won, errors


def edits(  # noqa: PLR0917 -- submitted positionally to executors.
    url: str,
    schema: str | None,
    org: str,
    customer_id: str,
    token: str,
    count: int,
) -> tuple[int, int, list[str]]:
    """
    Append ``token-k;`` to the customer's remark *count* times, reloading
    and retrying when refused as stale.  Returns (edits saved, stale
    refusals, other errors).
    """
    store = _store(url, schema)
    saved = refused = 0
    errors: list[str] = []
    try:
        for k in range(count):
            while True:
                try:
                    with store.unit_of_work(org) as uow:
                        c = uow.customers.get(uuid.UUID(customer_id))
                    c.update(
                        internal_remark=f"{c.internal_remark}{token}-{k};"
                    )
                    time.sleep(0.002)  # a user's think time: others commit
                    with store.unit_of_work(org) as uow:
                        uow.customers.update(c)
                        uow.commit()
                    saved += 1
                    break
                except (ConcurrencyError, TransientStorageError):
                    refused += 1
                except CustomerDomainError as e:
                    errors.append(type(e).__name__)
                    break
    finally:
        store.dispose()
    return saved, refused, errors
