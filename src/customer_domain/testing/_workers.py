# SPDX-License-Identifier: MIT
"""
Writers for the concurrency and crash tests (private): module-level
functions, so that processes started with ``spawn`` or ``forkserver``
can run them.  Each makes its own store from a URL and reports what
happened, refused writes included.
"""

from __future__ import annotations

import contextlib
import os
import time
import uuid

from multiprocessing.connection import Connection
from typing import Any, Final

import sqlalchemy as sa

from customer_domain import Customer, NumberingStrategy, Person
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


# -- crash tests ----------------------------------------------------------

#: Where `crash_writer` waits, in its last batch, to be killed.
PAUSES: Final = ("staged", "insert", "commit", "none")


def crash_batch(batch: int, size: int) -> list[tuple[Customer, Person]]:
    """
    Batch *batch* of the crash tests: *size* customers named
    ``B<batch> C<i>``, numbered ``B<batch>-N<i>``, each with one person
    who has an e-mail address.
    """
    out = []
    for i in range(size):
        customer = Customer(name=f"B{batch} C{i}", number=f"B{batch}-N{i}")
        person = customer.add_person(
            contact_types="Customer",
            first_name="Ada",
            last_name=f"B{batch} L{i}",
            channels=[
                {"kind": "email", "value": f"b{batch}.p{i}@example.com"}
            ],
        )
        out.append((customer, person))
    return out


def crash_writer(  # noqa: PLR0917 -- a process target, called positionally.
    url: str, org: str, batches: int, size: int, pause: str, parent: Connection
) -> None:
    """
    Commit batches ``0 .. batches - 2`` of `crash_batch` to the SQLite
    file *url*, then add the last one and commit it, reporting each step
    through the `multiprocessing` connection *parent* to a parent that
    kills this process with SIGKILL.

    Messages: ``("committed", batch, seconds the commit took)``,
    ``("committing",)`` just before the last ``commit()``, and
    ``("paused", where)``.  In the last batch the writer waits to be
    killed (until *parent* closes) at *pause*: ``"staged"``, every
    object added but nothing sent (before ``commit()``); ``"insert"``, in
    ``commit()``, after the first ``INSERT``; ``"commit"``, in
    ``commit()``, every row sent, before ``COMMIT``; ``"none"``, nowhere.
    After the last commit it waits too.

    Its connection has a small page cache: SQLite writes the pages of a
    transaction to the WAL before ``COMMIT``, as for a very large batch.
    """
    if pause not in PAUSES:
        msg = f"pause must be one of {PAUSES}, not {pause!r}"
        raise ValueError(msg)
    store = _store(url, None)
    armed = False

    def wait_for_kill() -> None:
        with contextlib.suppress(EOFError):
            parent.recv()
        os._exit(1)  # the parent went away without killing us

    def paused(where: str) -> None:
        if armed and pause == where:
            parent.send(("paused", where))
            wait_for_kill()

    def small_cache(dbapi_connection: Any, _: Any) -> None:
        dbapi_connection.execute("PRAGMA cache_size = 50")

    def after_execute(*args: Any) -> None:
        # The arguments are the connection, cursor, statement, ...
        if str(args[2]).startswith("INSERT"):
            paused("insert")

    def before_commit(*_: object) -> None:
        paused("commit")

    sa.event.listen(store.engine, "connect", small_cache)
    sa.event.listen(store.engine, "after_cursor_execute", after_execute)
    sa.event.listen(store.engine, "commit", before_commit)
    for b in range(batches):
        uow = store.unit_of_work(org)
        for customer, person in crash_batch(b, size):
            uow.customers.add(customer)
            uow.persons.add(person)
        armed = b == batches - 1
        if armed:
            paused("staged")
            parent.send(("committing",))
        start = time.perf_counter()
        uow.commit()
        parent.send(("committed", b, time.perf_counter() - start))
    wait_for_kill()
