# SPDX-License-Identifier: MIT
"""
Real parallel writers, threads and processes, on a SQLite file and on
PostgreSQL (ST-3): no duplicate number, no lost update, every refused
write reported as the library's error.
"""

from __future__ import annotations

import multiprocessing

from collections.abc import Callable, Iterator
from concurrent.futures import (
    Executor,
    ProcessPoolExecutor,
    ThreadPoolExecutor,
)
from pathlib import Path
from typing import Any

import pytest

from customer_domain import Customer
from customer_domain.storage import CustomerQuery
from customer_domain.storage.sql import SqlStore
from customer_domain.testing import _workers


WORKERS = 4
ORG = "acme"


def _executor(kind: str) -> Executor:
    if kind == "threads":
        return ThreadPoolExecutor(WORKERS)
    return ProcessPoolExecutor(
        WORKERS, mp_context=multiprocessing.get_context("spawn")
    )


@pytest.fixture(params=["sqlite", "postgresql"])
def database(
    request: pytest.FixtureRequest, tmp_path: Path
) -> Iterator[tuple[str, str | None]]:
    """A URL and schema holding empty, created tables."""
    if request.param == "sqlite":
        url, schema = f"sqlite:///{tmp_path}/customers.db", None
        SqlStore(url).create_schema()
        yield url, schema
        return
    url = request.getfixturevalue("postgres_url")
    engine = request.getfixturevalue("postgres_engine")
    schema = request.getfixturevalue("postgres_schema")
    SqlStore(engine, schema=schema).create_schema()
    yield url, schema


def _run(
    kind: str, fn: Callable[..., Any], *args_per_worker: tuple[Any, ...]
) -> list[Any]:
    with _executor(kind) as pool:
        futures = [pool.submit(fn, *args) for args in args_per_worker]
        return [f.result(timeout=300) for f in futures]


def _stored_numbers(url: str, schema: str | None) -> list[str]:
    store = SqlStore(url, schema=schema)
    try:
        with store.unit_of_work(ORG) as uow:
            numbers: list[str] = []
            offset = 0
            while True:
                page = uow.customers.search(
                    CustomerQuery(offset=offset, limit=1000)
                )
                numbers += [c.number for c in page.items if c.number]
                offset += 1000
                if not page.has_next:
                    return numbers
    finally:
        store.dispose()


@pytest.mark.parametrize("kind", ["threads", "processes"])
def test_generated_numbers_never_repeat(
    kind: str, database: tuple[str, str | None]
) -> None:
    """CU-3, ST-3, BX-6: concurrent writers drawing numbers get distinct ones."""
    url, schema = database
    results = _run(
        kind, _workers.generated_numbers, *[(url, schema, ORG, 15)] * WORKERS
    )
    numbers = [n for won, _ in results for n in won]
    errors = [e for _, errs in results for e in errs]
    assert errors == []
    assert len(numbers) == WORKERS * 15
    assert len(set(numbers)) == len(numbers)
    assert sorted(_stored_numbers(url, schema)) == sorted(numbers)


@pytest.mark.parametrize("kind", ["threads", "processes"])
def test_colliding_numbers_have_one_winner(
    kind: str, database: tuple[str, str | None]
) -> None:
    """CU-3, ST-3: each number is won once; the others get DuplicateError."""
    url, schema = database
    results = _run(
        kind, _workers.colliding_numbers, *[(url, schema, ORG, 15)] * WORKERS
    )
    won = [n for w, _ in results for n in w]
    errors = [e for _, errs in results for e in errs]
    assert sorted(won) == sorted(f"C-{k}" for k in range(15))
    assert errors == ["DuplicateError"] * (WORKERS * 15 - 15)
    assert sorted(_stored_numbers(url, schema)) == sorted(won)


@pytest.mark.parametrize("kind", ["threads", "processes"])
def test_concurrent_edits_lose_nothing(
    kind: str, database: tuple[str, str | None]
) -> None:
    """ST-3: every saved edit survives; stale ones are refused, then retried."""
    url, schema = database
    store = SqlStore(url, schema=schema)
    c = Customer(name="Shared")
    with store.unit_of_work(ORG) as uow:
        uow.customers.add(c)
        uow.commit()
    count = 10
    results = _run(
        kind,
        _workers.edits,
        *[
            (url, schema, ORG, str(c.id), f"w{i}", count)
            for i in range(WORKERS)
        ],
    )
    with store.unit_of_work(ORG) as uow:
        final = uow.customers.get(c.id)
    store.dispose()
    saved = sum(r[0] for r in results)
    assert [e for r in results for e in r[2]] == []
    assert saved == WORKERS * count
    assert final.version == 1 + saved
    tokens = set(final.internal_remark.split(";")) - {""}
    assert tokens == {
        f"w{i}-{k}" for i in range(WORKERS) for k in range(count)
    }
    refused = sum(r[1] for r in results)
    # Shown with -s: how often writers were refused and retried.
    print(f"{kind}: {saved} saved, {refused} stale writes refused")  # noqa: T201
