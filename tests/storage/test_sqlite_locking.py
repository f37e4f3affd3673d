# SPDX-License-Identifier: MIT
"""
SQLite's file lock (ST-3, ST-4): units of work begin deferred, so that
readers never wait for a writer and one thread may read in one unit of
work while it writes in another; a writer that cannot get the lock it
needs fails at once with TransientStorageError, and its unit of work is
failed.

"No wait" is shown without timing: a store whose busy timeout is 0
fails at the first wait, and a write lock that another connection can
take with a timeout of 0 is held by nobody.
"""

from __future__ import annotations

import sqlite3
import threading

from collections.abc import Iterator
from pathlib import Path

import pytest

from customer_domain import Customer
from customer_domain.exceptions import (
    NotFoundError,
    StorageError,
    TransientStorageError,
)
from customer_domain.storage import CustomerQuery, UnitOfWork
from customer_domain.storage.sql import SqlStore


ORG = "acme"
#: Seconds a test waits for another thread before it calls it hung.
HUNG = 60.0


@pytest.fixture
def path(tmp_path: Path) -> Path:
    """A SQLite file holding the tables and one customer, C-1."""
    path = tmp_path / "customers.db"
    store = SqlStore(f"sqlite:///{path}")
    with store.unit_of_work(ORG) as uow:
        uow.customers.add(Customer(name="Imprimerie Lefèvre", number="C-1"))
        uow.commit()
    store.dispose()
    return path


def _store(path: Path, busy_timeout: float) -> SqlStore:
    return SqlStore(f"sqlite:///{path}", busy_timeout=busy_timeout)


@pytest.fixture
def impatient(path: Path) -> Iterator[SqlStore]:
    """A store on the file that fails at once instead of waiting."""
    store = _store(path, busy_timeout=0)
    yield store
    store.dispose()


@pytest.fixture
def patient(path: Path) -> Iterator[SqlStore]:
    """A store on the file that would wait an hour for the lock."""
    store = _store(path, busy_timeout=3600)
    yield store
    store.dispose()


@pytest.fixture
def other_writer(path: Path) -> Iterator[sqlite3.Connection]:
    """Another connection holding the write lock (an uncommitted write)."""
    conn = sqlite3.connect(path, isolation_level=None, timeout=0)
    conn.execute("BEGIN IMMEDIATE")
    conn.execute(
        "INSERT INTO cd_sequences (org, name, value) VALUES ('x', 'y', 1)"
    )
    yield conn
    conn.execute("ROLLBACK")
    conn.close()


def _lock_is_free(path: Path) -> bool:
    """Whether another connection gets the write lock without waiting."""
    conn = sqlite3.connect(path, isolation_level=None, timeout=0)
    try:
        conn.execute("BEGIN IMMEDIATE")
    except sqlite3.OperationalError as e:
        assert "locked" in str(e)
        return False
    finally:
        conn.close()  # rolls back
    return True


@pytest.mark.usefixtures("other_writer")
def test_readers_never_wait_for_a_writer(
    path: Path, impatient: SqlStore
) -> None:
    """
    ST-4: while another connection holds the write lock, every read of a
    unit of work runs (with a busy timeout of 0, any wait would fail).
    """
    with impatient.unit_of_work(ORG) as uow:
        page = uow.customers.search(CustomerQuery(text="lefevre"))
        assert [c.number for c in page.items] == ["C-1"]
        assert uow.customers.get_by_number("C-1").name == "Imprimerie Lefèvre"
        with pytest.raises(NotFoundError):
            uow.customers.get_by_number("C-2")
        assert uow.persons.list_for(page.items[0].id) == []
        uow.commit()
    # A store opened now finds its tables without taking the lock either.
    late = _store(path, busy_timeout=0)
    with late.unit_of_work(ORG) as uow:
        assert uow.customers.search(CustomerQuery()).total == 1
    late.dispose()


def test_a_read_only_unit_of_work_takes_no_write_lock(
    path: Path, patient: SqlStore
) -> None:
    """ST-4: a unit of work that only reads leaves the write lock free."""
    with patient.unit_of_work(ORG) as uow:
        assert uow.customers.search(CustomerQuery()).total == 1
        assert _lock_is_free(path)
        uow.commit()
    with patient.unit_of_work(ORG) as uow:
        uow.customers.add(Customer(name="Second"))
        uow.customers.search(CustomerQuery())  # sends the insert
        assert not _lock_is_free(path)  # a writer holds it...
        uow.commit()
    assert _lock_is_free(path)  # ...until it commits


@pytest.mark.parametrize("reader_first", [True, False])
def test_reading_and_writing_units_of_work_in_one_thread(
    impatient: SqlStore, *, reader_first: bool
) -> None:
    """
    ST-4: two units of work open in one thread, one reading while the
    other writes, both succeed, neither waiting for the other (a busy
    timeout of 0); the reader keeps its snapshot.
    """
    new = Customer(name="Atelier Zola", number="C-2")
    with (
        impatient.unit_of_work(ORG) as reader,
        impatient.unit_of_work(ORG) as writer,
    ):
        if reader_first:
            assert reader.customers.search(CustomerQuery()).total == 1
        writer.customers.add(new)
        writer.customers.get(new.id)  # sends the insert: holds the lock
        assert reader.customers.search(CustomerQuery()).total == 1
        with pytest.raises(NotFoundError):
            reader.customers.get(new.id)
        writer.commit()
        assert reader.customers.search(CustomerQuery()).total == 1
        reader.commit()
    assert new.version == 1
    with impatient.unit_of_work(ORG) as uow:
        assert uow.customers.get_by_number("C-2").id == new.id


def _write(uow: UnitOfWork, work: str, customer: Customer) -> None:
    """The first write of a unit of work that has read: *work*."""
    if work == "add":
        uow.customers.add(customer)
        uow.commit()  # sends the insert
    elif work == "update":
        stored = uow.customers.get_by_number("C-1")
        stored.update(short_name="LEFEVRE")
        uow.customers.update(stored)
    else:
        uow.sequences.next("customer")


def _fails_as_transient(
    patient: SqlStore, work: str
) -> tuple[TransientStorageError, Customer]:
    """A unit of work that read, then writes: its error, its customer."""
    mine = Customer(name="Mine", number="C-9")
    with patient.unit_of_work(ORG) as uow:
        assert uow.customers.search(CustomerQuery()).total >= 1
        with pytest.raises(TransientStorageError) as info:
            _write(uow, work, mine)
        # The failure rule: the unit of work failed with the write (or
        # was rolled back with the commit that failed).
        with pytest.raises(StorageError, match=r"failed|rolled back"):
            uow.customers.search(CustomerQuery())
        with pytest.raises(StorageError):
            uow.commit()
    return info.value, mine


@pytest.mark.parametrize("work", ["add", "update", "next"])
def test_writer_whose_snapshot_is_stale_fails_at_once(
    path: Path, impatient: SqlStore, work: str
) -> None:
    """
    ST-3, ST-4: a unit of work that read before another committed cannot
    write over what it did not see: TransientStorageError at its first
    write (SQLite's busy snapshot), and it is failed.
    """
    other = Customer(name="Other")
    with impatient.unit_of_work(ORG) as uow:
        assert uow.customers.search(CustomerQuery()).total == 1
        with impatient.unit_of_work(ORG) as theirs:
            theirs.customers.add(other)
            theirs.commit()
        mine = Customer(name="Mine")
        with pytest.raises(TransientStorageError) as info:
            _write(uow, work, mine)
        assert "retry it from the start" in str(info.value)
        with pytest.raises(StorageError, match=r"failed|rolled back"):
            uow.customers.search(CustomerQuery())
    assert mine.version == 0
    assert _lock_is_free(path)
    # Retried from the start, it succeeds.
    with impatient.unit_of_work(ORG) as uow:
        assert uow.customers.search(CustomerQuery()).total == 2
        assert uow.sequences.next("customer") == 1
        uow.commit()


@pytest.mark.parametrize("work", ["add", "update", "next"])
def test_writer_that_read_fails_at_once_when_the_lock_is_taken(
    path: Path, patient: SqlStore, work: str
) -> None:
    """
    ST-3, ST-4: while another connection holds the write lock, a unit of
    work that has read cannot wait for it (its snapshot would be stale):
    it gets TransientStorageError at once, even with an hour of busy
    timeout, and is failed; nothing of it is written.
    """
    holder = sqlite3.connect(path, isolation_level=None, timeout=0)
    holder.execute("BEGIN IMMEDIATE")
    outcome: list[object] = []

    def race() -> None:
        try:
            outcome.append(_fails_as_transient(patient, work))
        except BaseException as e:  # noqa: BLE001 -- reported below.
            outcome.append(e)

    thread = threading.Thread(target=race, daemon=True)
    thread.start()
    thread.join(HUNG)
    hung = thread.is_alive()
    holder.execute("ROLLBACK")  # lets a waiting writer go, if any
    holder.close()
    thread.join(HUNG)
    assert not hung, "the writer waited for the lock"
    assert len(outcome) == 1
    assert isinstance(outcome[0], tuple), outcome[0]
    error, mine = outcome[0]
    assert "database is locked" in str(error)
    assert mine.version == 0
    with patient.unit_of_work(ORG) as uow:
        with pytest.raises(NotFoundError):
            uow.customers.get(mine.id)
        assert uow.customers.get_by_number("C-1").short_name == ""


def test_second_writer_of_one_thread_fails_at_once(path: Path) -> None:
    """
    ST-4: a unit of work that writes while another of the same thread
    holds the write lock would wait for itself until the busy timeout:
    it gets TransientStorageError at once, saying so, and is failed; the
    first one commits.
    """
    # Were it to wait, it would fail after 5 s with SQLite's own message.
    patient = _store(path, busy_timeout=5)
    first, second = Customer(name="First"), Customer(name="Second")
    with patient.unit_of_work(ORG) as uow:
        uow.customers.add(first)
        uow.customers.get(first.id)  # sends the insert: holds the lock
        with patient.unit_of_work(ORG) as other:
            other.customers.add(second)
            with pytest.raises(
                TransientStorageError, match="another unit of work of this"
            ):
                other.commit()
            with pytest.raises(StorageError):
                other.customers.search(CustomerQuery())
        # Reads of a third one still run.
        with patient.unit_of_work(ORG) as reader:
            assert reader.customers.search(CustomerQuery()).total == 1
        uow.commit()
    assert (first.version, second.version) == (1, 0)
    # Once the first is done, the same thread writes again.
    with patient.unit_of_work(ORG) as uow:
        uow.customers.add(second)
        uow.commit()
    assert second.version == 1
    assert _lock_is_free(path)
    patient.dispose()


def test_writers_that_only_write_still_queue(
    path: Path, patient: SqlStore
) -> None:
    """
    ST-3: a unit of work whose first statement is a write waits for the
    lock (the busy timeout), as before: concurrent writers queue rather
    than fail.
    """
    holder = sqlite3.connect(path, isolation_level=None, timeout=0)
    holder.execute("BEGIN IMMEDIATE")
    waiting = threading.Event()
    outcome: list[object] = []

    def write() -> None:
        try:
            with patient.unit_of_work(ORG) as uow:
                waiting.set()
                outcome.append(uow.sequences.next("customer"))
                uow.commit()
        except BaseException as e:  # noqa: BLE001 -- reported below.
            outcome.append(e)

    thread = threading.Thread(target=write, daemon=True)
    thread.start()
    assert waiting.wait(HUNG)
    # Whether or not the writer reached the lock yet, it cannot pass it.
    assert outcome == []
    holder.execute("COMMIT")
    holder.close()
    thread.join(HUNG)
    assert not thread.is_alive(), "the writer hangs"
    assert outcome == [1]
