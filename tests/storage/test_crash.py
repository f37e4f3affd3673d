# SPDX-License-Identifier: MIT
"""
Crash consistency (ST-4, ST-1): a unit of work cut short by a crash
leaves all of its writes or none of them, and the store works on.

- SQLite file: a writer process is killed with SIGKILL before its
  commit, while its batch is being sent, just before ``COMMIT``, or at
  a few moments after ``commit()`` began; the file passes SQLite's
  integrity check, holds the whole batch or nothing of it, and a new
  unit of work writes at once (a busy timeout of 0: any lock left
  behind would fail it, without timing anything).
- PostgreSQL: the unit of work's backend is terminated
  (``pg_terminate_backend``) before it sends anything, after its batch
  was sent, and while its commit waits halfway through the batch (or a
  pooled connection's, between units of work); ``commit()`` fails with
  `TransientStorageError`, ``rollback()`` and leaving the block do not
  fail, nothing of the batch is stored, and the same store writes it
  afterwards.

Every batch has the same shape: customers each with a person, their
contact types, members, channels and match keys.  Counts of every table
must be a whole number of batches.
"""

from __future__ import annotations

import contextlib
import functools
import multiprocessing
import os
import signal
import sqlite3
import sys
import threading
import time
import uuid

from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
import sqlalchemy as sa

from customer_domain.exceptions import StorageError, TransientStorageError
from customer_domain.storage import CustomerQuery, UnitOfWork
from customer_domain.storage.sql import SqlStore, metadata
from customer_domain.testing import _workers
from customer_domain.testing._workers import crash_batch


pytestmark = pytest.mark.skipif(
    sys.platform == "win32", reason="SIGKILL is POSIX"
)

ORG = "acme"
#: Customers (each with a person) per batch.
SIZE = 500
#: Seconds after which a child or a helper thread is called hung.
HUNG = 60.0
#: The tables of the store, each with an ``org`` column.
TABLES = tuple(t.name for t in metadata.sorted_tables if t.name != "cd_schema")


@functools.cache
def _rows_per_customer() -> dict[str, int]:
    """Rows of each table for one customer of a batch, with its person."""
    store = SqlStore("sqlite://")
    with store.unit_of_work(ORG) as uow:
        for customer, person in crash_batch(0, 1):
            uow.customers.add(customer)
            uow.persons.add(person)
        uow.commit()
    with store.engine.connect() as conn:
        counts = _count(lambda sql: conn.exec_driver_sql(sql).scalar_one())
    store.dispose()
    return counts


def _count(
    scalar: Callable[[str], object], schema: str | None = None
) -> dict[str, int]:
    """The rows of the organization in each table (*scalar* runs SQL)."""
    prefix = "" if schema is None else f'"{schema}".'
    out = {}
    for table in TABLES:
        n = scalar(
            f"SELECT count(*) FROM {prefix}{table} WHERE org = '{ORG}'"  # noqa: S608 -- names from metadata.
        )
        assert isinstance(n, int)
        out[table] = n
    return out


def _batches(count: int) -> dict[str, int]:
    """The rows of each table once *count* whole batches are stored."""
    return {t: n * count * SIZE for t, n in _rows_per_customer().items()}


def _write_batch(store: SqlStore, batch: int) -> None:
    with store.unit_of_work(ORG) as uow:
        for customer, person in crash_batch(batch, SIZE):
            uow.customers.add(customer)
            uow.persons.add(person)
        uow.commit()


def _stored(store: SqlStore, batch: int) -> int:
    """How many customers of *batch* the store finds (a search)."""
    with store.unit_of_work(ORG) as uow:
        return uow.customers.search(CustomerQuery(text=f"b{batch}-n")).total


# -- SQLite: a writer process killed ----------------------------------------


class _Writer:
    """A `crash_writer` process, forked from a server that imported it."""

    def __init__(self, url: str, batches: int, pause: str) -> None:
        context = multiprocessing.get_context("forkserver")
        # The server imports the library once; each writer starts at once.
        context.set_forkserver_preload(["customer_domain.testing._workers"])
        self._messages, child = context.Pipe()
        self.proc = context.Process(
            target=_workers.crash_writer,
            args=(url, ORG, batches, SIZE, pause, child),
            daemon=True,
        )
        self.proc.start()
        child.close()

    def expect(self, *message: object) -> tuple[object, ...]:
        """Wait for the writer's next message, which starts with *message*."""
        got: tuple[object, ...] = ()
        with contextlib.suppress(EOFError):
            if self._messages.poll(HUNG):
                got = self._messages.recv()
        if not got:
            self.close()
            pytest.fail(
                f"the writer never said {message}"
                f" (exit code {self.proc.exitcode})"
            )
        assert got[: len(message)] == message
        return got

    def kill(self) -> None:
        """Send SIGKILL: the process dies at once, wherever it is."""
        assert self.proc.pid is not None
        os.kill(self.proc.pid, signal.SIGKILL)
        self.proc.join(HUNG)
        assert self.proc.exitcode == -signal.SIGKILL

    def close(self) -> None:
        if self.proc.is_alive():
            self.proc.kill()
            self.proc.join(HUNG)
        self._messages.close()


@pytest.fixture
def path(tmp_path: Path) -> Path:
    """A SQLite file holding the tables, and no connection to it."""
    path = tmp_path / "customers.db"
    store = SqlStore(f"sqlite:///{path}")
    store.create_schema()
    store.dispose()
    return path


@pytest.fixture
def writer(path: Path) -> Iterator[Callable[[int, str], _Writer]]:
    """Start `crash_writer` on the file; every one is gone at the end."""
    started: list[_Writer] = []

    def start(batches: int, pause: str) -> _Writer:
        started.append(_Writer(f"sqlite:///{path}", batches, pause))
        return started[-1]

    yield start
    for w in started:
        w.close()


def _integrity(path: Path) -> list[tuple[str, ...]]:
    with contextlib.closing(sqlite3.connect(path)) as conn:
        return conn.execute("PRAGMA integrity_check").fetchall()


def _file_counts(path: Path) -> dict[str, int]:
    with contextlib.closing(sqlite3.connect(path)) as conn:
        return _count(lambda sql: conn.execute(sql).fetchone()[0])


def _check_after_kill(path: Path, committed: int) -> bool:
    """
    Check the file after the writer was killed in batch *committed*
    (batches before it committed): not corrupt, the earlier batches
    whole, the last one whole or absent; then write it (or the next one)
    with a busy timeout of 0.  Return whether the last batch was there.
    """
    assert _integrity(path) == [("ok",)]
    counts = _file_counts(path)
    assert counts in (_batches(committed), _batches(committed + 1))
    landed = counts == _batches(committed + 1)
    store = SqlStore(f"sqlite:///{path}", busy_timeout=0)
    try:
        for b in range(committed):
            assert _stored(store, b) == SIZE
        assert _stored(store, committed) == (SIZE if landed else 0)
        # No lock was left behind: a writer that waited would fail.
        _write_batch(store, committed + landed)
        assert _stored(store, committed + landed) == SIZE
    finally:
        store.dispose()
    assert _integrity(path) == [("ok",)]
    assert _file_counts(path) == _batches(committed + 1 + landed)
    return landed


@pytest.mark.parametrize(
    ("pause", "committed"),
    [
        ("staged", 0),
        ("insert", 0),
        ("commit", 0),
        ("insert", 1),
        ("commit", 1),
    ],
)
def test_sqlite_writer_killed_before_its_commit_leaves_nothing(
    writer: Callable[[int, str], _Writer],
    path: Path,
    pause: str,
    committed: int,
) -> None:
    """
    ST-4, ST-1: a writer killed with SIGKILL before ``commit()``
    (staged), in ``commit()`` after its first INSERT, or with every row
    sent but before ``COMMIT``, leaves nothing of its unit of work (the
    uncommitted frames it wrote to the WAL are dropped), keeps the
    batches it committed before, and leaves no lock behind.
    """
    w = writer(committed + 1, pause)
    for b in range(committed):
        w.expect("committed", b)
    if pause != "staged":
        w.expect("committing")
    w.expect("paused", pause)
    if pause != "staged" and not committed:
        # The premise: uncommitted pages are on disk, in the WAL.
        assert path.with_name(f"{path.name}-wal").stat().st_size > 0
    w.kill()
    assert _check_after_kill(path, committed) is False


def test_sqlite_writer_killed_after_its_commit_keeps_everything(
    writer: Callable[[int, str], _Writer], path: Path
) -> None:
    """
    ST-4, ST-1: a writer killed with SIGKILL once ``commit()`` returned
    has its whole batch stored (a process crash loses no commit).
    """
    w = writer(1, "none")
    w.expect("committing")
    w.expect("committed", 0)
    w.kill()
    assert _check_after_kill(path, 0) is True


@pytest.mark.parametrize("fraction", [0.3, 0.7, 1.0])
def test_sqlite_writer_killed_during_commit_leaves_all_or_nothing(
    writer: Callable[[int, str], _Writer], path: Path, fraction: float
) -> None:
    """
    ST-4, ST-1: a writer that committed one batch is killed with SIGKILL
    during the ``commit()`` of a second one of the same size (at a
    *fraction* of the time the first commit took: sending rows,
    committing, checkpointing): the first batch is all there, the
    second all there or absent, and no lock is left behind.
    """
    w = writer(2, "none")
    _, _, seconds = w.expect("committed", 0)
    assert isinstance(seconds, float)
    w.expect("committing")
    time.sleep(fraction * seconds)
    w.kill()
    landed = _check_after_kill(path, 1)
    # Shown with -s: where the kill landed.
    print(f"killed at {fraction} x {seconds:.3f}s: second batch {landed=}")  # noqa: T201


# -- PostgreSQL: the unit of work's backend terminated ----------------------


@pytest.fixture
def pg(
    postgres_url: str, postgres_engine: sa.Engine, postgres_schema: str
) -> Iterator[tuple[SqlStore, str]]:
    """
    A store with tables whose connections carry an application name of
    their own (to find their backends), and that name.
    """
    name = f"cd-crash-{uuid.uuid4().hex[:12]}"
    sep = "&" if "?" in postgres_url else "?"
    store = SqlStore(
        f"{postgres_url}{sep}application_name={name}", schema=postgres_schema
    )
    store.create_schema()
    yield store, name
    store.dispose()
    # Backends of the store that are still there (none, if all went well).
    with postgres_engine.connect() as conn:
        conn.execute(
            sa.text(
                "SELECT pg_terminate_backend(pid) FROM pg_stat_activity"
                " WHERE application_name = :name"
            ),
            {"name": name},
        )


def _backends(
    engine: sa.Engine, name: str, state: str, *, on: str | None = None
) -> list[int]:
    """
    The pids of the store's backends in *state*; with *on*, those whose
    ``INSERT INTO`` or ``COPY`` (large batches) of table *on* (a name)
    waits for a lock.
    """
    sql = (
        "SELECT pid FROM pg_stat_activity"
        " WHERE application_name = :name AND state = :state"
    )
    params = {"name": name, "state": state}
    if on is not None:
        sql += (
            " AND wait_event_type = 'Lock'"
            " AND (query LIKE :insert OR query LIKE :copy)"
        )
        params["insert"] = f"INSERT INTO %{on} %"
        params["copy"] = f"COPY %{on} %"
    with engine.connect() as conn:
        rows = conn.execute(sa.text(sql), params)
        return [int(pid) for pid in rows.scalars()]


def _terminate(engine: sa.Engine, pid: int) -> None:
    with engine.connect() as conn:
        done = conn.execute(
            sa.text("SELECT pg_terminate_backend(:pid, 10000)"), {"pid": pid}
        ).scalar_one()
    assert done is True


def _pg_counts(engine: sa.Engine, schema: str) -> dict[str, int]:
    with engine.connect() as conn:
        return _count(
            lambda sql: conn.exec_driver_sql(sql).scalar_one(), schema
        )


class _HostError(Exception):
    """An error of the host's own code, in a unit of work."""


def _end(uow: UnitOfWork, end: str) -> None:
    """End a unit of work whose connection was lost, as *end* says."""
    if end == "commit":
        # The library's error, never the driver's.
        with pytest.raises(TransientStorageError):
            uow.commit()
    elif end == "rollback":
        uow.rollback()  # nothing is left to roll back: no error
    elif end == "host error":
        # Leaving the block rolls back and lets the host's error through.
        with pytest.raises(_HostError), uow:
            raise _HostError
    else:
        with uow:
            pass  # no commit: leaving the block rolls back, quietly
    with pytest.raises(StorageError, match=r"rolled back"):
        uow.customers.search(CustomerQuery())


@pytest.mark.parametrize(
    ("sent", "end"),
    [
        (False, "commit"),
        (True, "commit"),
        (True, "rollback"),
        (True, "host error"),
        (True, "exit"),
    ],
)
def test_postgres_backend_terminated_in_a_unit_of_work(
    pg: tuple[SqlStore, str],
    postgres_engine: sa.Engine,
    postgres_schema: str,
    *,
    sent: bool,
    end: str,
) -> None:
    """
    ST-4, ST-1: the backend of a unit of work is terminated before it
    sent anything, or once its batch was sent (before ``COMMIT``):
    ``commit()`` raises TransientStorageError (the library's error, not
    the driver's), while ``rollback()`` or leaving the block without
    committing (the host's own error going through) raise nothing;
    nothing of the batch is stored, and the same store writes it
    afterwards (its pool drops the dead connection).
    """
    store, name = pg
    uow = store.unit_of_work(ORG)
    for customer, person in crash_batch(0, SIZE):
        uow.customers.add(customer)
        uow.persons.add(person)
    state = "idle"
    if sent:
        # A read sends the batch first: it reads its own writes.
        assert uow.customers.search(CustomerQuery(limit=1)).total == SIZE
        state = "idle in transaction"
    pids = _backends(postgres_engine, name, state)
    assert len(pids) == 1
    _terminate(postgres_engine, pids[0])
    _end(uow, end)
    assert _pg_counts(postgres_engine, postgres_schema) == _batches(0)
    _write_batch(store, 0)
    assert _stored(store, 0) == SIZE
    assert _pg_counts(postgres_engine, postgres_schema) == _batches(1)


def test_postgres_pooled_connection_terminated(
    pg: tuple[SqlStore, str],
    postgres_engine: sa.Engine,
    postgres_schema: str,
) -> None:
    """
    ST-4, ST-1: a pooled connection's backend is terminated between
    units of work: a store made from a URL pings a pooled connection
    before use, so the next unit of work gets a live one and writes.
    """
    store, name = pg
    _write_batch(store, 0)
    pids = _backends(postgres_engine, name, "idle")
    assert len(pids) == 1
    _terminate(postgres_engine, pids[0])
    _write_batch(store, 1)
    assert _stored(store, 1) == SIZE
    assert _pg_counts(postgres_engine, postgres_schema) == _batches(2)


def test_postgres_backend_terminated_during_commit(
    pg: tuple[SqlStore, str],
    postgres_engine: sa.Engine,
    postgres_schema: str,
) -> None:
    """
    ST-4, ST-1: after one committed batch, the commit of a second one is
    held halfway (another transaction locks ``cd_persons``: customers
    are sent, persons wait) and its backend terminated there: the commit
    raises TransientStorageError, the first batch is all there, nothing
    of the second, and the same store then writes it.
    """
    store, name = pg
    _write_batch(store, 0)
    terminated: list[int] = []
    done = threading.Event()

    def terminate_when_waiting(lock: sa.Connection) -> None:
        try:
            deadline = time.monotonic() + HUNG
            while not done.wait(0.01) and time.monotonic() < deadline:
                pids = _backends(
                    postgres_engine, name, "active", on="cd_persons"
                )
                if pids:
                    _terminate(postgres_engine, pids[0])
                    terminated.extend(pids)
                    return
        finally:
            lock.rollback()  # lets the commit go on if nothing was found
            lock.close()

    lock = postgres_engine.connect()
    lock.exec_driver_sql(
        f'LOCK TABLE "{postgres_schema}".cd_persons IN SHARE MODE'
    )
    helper = threading.Thread(target=terminate_when_waiting, args=(lock,))
    helper.start()
    try:
        with store.unit_of_work(ORG) as uow:
            for customer, person in crash_batch(1, SIZE):
                uow.customers.add(customer)
                uow.persons.add(person)
            with pytest.raises(TransientStorageError):
                uow.commit()
    finally:
        done.set()
        helper.join(HUNG)
    assert not helper.is_alive()
    assert len(terminated) == 1
    assert _pg_counts(postgres_engine, postgres_schema) == _batches(1)
    assert _stored(store, 0) == SIZE
    assert _stored(store, 1) == 0
    _write_batch(store, 1)
    assert _stored(store, 1) == SIZE
    assert _pg_counts(postgres_engine, postgres_schema) == _batches(2)
