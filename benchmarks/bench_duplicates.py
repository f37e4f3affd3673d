# SPDX-License-Identifier: MIT
"""
Duplicate detection at scale (issue 4): the check on creation with N
stored persons, in memory and on a SQLite file (and PostgreSQL with
``CUSTOMER_DOMAIN_TEST_POSTGRES_URL``), side by side with a linear scan
over the same records' keys (the peer); then the bulk exact scan.

    python benchmarks/bench_duplicates.py [N ...]     (default 10000 100000)

Each probe is a new person, half of them a respelling of a stored one
(swapped, upper-cased names; the same mobile typed another way).  The
figure "beyond keys" subtracts the time to derive the probe's own keys
(normalizing the candidate), as the targets say.  Targets at 1M: memory
p50 <= 50 us and SQLite p50 <= 1 ms beyond keys; p50 at 1M within 2x of
p50 at 10k; bulk exact scan of 1M persons <= 10 s.

Each backend is measured alone in the process (the store measured before
it is dropped), after a collection of the garbage its fill left: the
figures are the backend's, not the benchmark's own heap.  The scan's own
garbage collections are counted.
"""

from __future__ import annotations

import gc
import os
import random
import statistics
import sys
import tempfile
import time
import uuid

from pathlib import Path
from typing import Any

from customer_domain import Customer, Person
from customer_domain.duplicates import DuplicateChecker
from customer_domain.matching import person_keys
from customer_domain.serialization import structure, unstructure
from customer_domain.storage import InMemoryStore
from customer_domain.storage.sql import SqlStore


ORG = "bench"
PROBES = 1000
FIRST = [f"Prénom{i}" for i in range(300)]
LAST = [f"Nom{i}" for i in range(3000)]


def _template() -> tuple[Customer, dict[str, Any]]:
    c = Customer(name="Bench", address={"country": "FR"})
    staff = c.add_contact_type("Staff")
    p = c.add_person(
        first_name="Hélène",
        last_name="Lefèvre",
        contact_types=[staff],
        channels=[
            {"kind": "email", "value": "helene@example.com"},
            {"kind": "mobile", "value": "06 12 34 56 78"},
        ],
    )
    return c, unstructure(p)


def make(count: int, seed: int = 1) -> tuple[Customer, list[Person]]:
    """*count* persons of one customer, built on the trusted path."""
    rng = random.Random(seed)
    customer, doc = _template()
    out = []
    for i in range(count):
        data = dict(doc["data"])
        data["id"] = str(uuid.UUID(int=rng.getrandbits(128), version=4))
        data["first_name"] = rng.choice(FIRST)
        data["last_name"] = rng.choice(LAST)
        mobile = f"+3361{i:07d}"
        data["channels"] = [
            dict(doc["data"]["channels"][0], value=f"p{i}@example.com"),
            dict(doc["data"]["channels"][1], value=mobile, raw=mobile),
        ]
        out.append(structure({**doc, "data": data}, Person, trusted=True))
    return customer, out


def probes(customer: Customer, stored: list[Person]) -> list[Person]:
    """New persons: even ones respell a stored person, odd ones are new."""
    rng = random.Random(2)
    staff = customer.contact_type("Staff")
    out = []
    for i in range(PROBES):
        if i % 2 == 0:
            p = rng.choice(stored)
            first, last = p.last_name.upper(), p.first_name.lower()
            number = p.channels[1].value.replace("+33", "0")
        else:
            first, last = f"Nouveau{i}", f"Venu{i}"
            number = f"076{i:07d}"
        out.append(
            customer.add_person(
                first_name=first,
                last_name=last,
                contact_types=[staff],
                channels=[{"kind": "mobile", "value": number}],
            )
        )
    return out


def fill(store: Any, persons: list[Person]) -> float:
    t0 = time.perf_counter()
    for start in range(0, len(persons), 10_000):
        with store.unit_of_work(ORG) as uow:
            for p in persons[start : start + 10_000]:
                uow.persons.add(p)
            uow.commit()
    return time.perf_counter() - t0


def latencies(
    store: Any, probe: list[Person]
) -> tuple[list[float], list[float], int]:
    """Per-probe check time and time beyond keys, in microseconds."""
    checker = DuplicateChecker()
    total, beyond, found = [], [], 0
    with store.unit_of_work(ORG) as uow:
        checker.check_person(uow, probe[0])  # warm-up
        for p in probe:
            t0 = time.perf_counter_ns()
            person_keys(p)
            t1 = time.perf_counter_ns()
            result = checker.check_person(uow, p)
            t2 = time.perf_counter_ns()
            found += bool(result)
            total.append((t2 - t1 + (t1 - t0)) / 1000)
            beyond.append((t2 - t1 - (t1 - t0)) / 1000)
    return total, beyond, found


def linear(persons: list[Person], probe: list[Person]) -> list[float]:
    """The peer: compare each probe's keys with every record's keys."""
    rows = [
        (
            p.id,
            {k for k in person_keys(p) if k.criterion != "person.name_block"},
        )
        for p in persons
    ]
    out = []
    for p in probe[:50]:  # a full scan per probe: 50 are plenty
        mine = person_keys(p)
        t0 = time.perf_counter_ns()
        _ = [i for i, keys in rows if keys & mine]
        out.append((time.perf_counter_ns() - t0) / 1000)
    return out


def pct(values: list[float], q: float) -> float:
    return statistics.quantiles(values, n=100)[int(q) - 1]


def run(count: int) -> dict[str, float]:
    customer, persons = make(count)
    probe = probes(customer, persons)
    gc.collect()
    gc.freeze()
    results: dict[str, float] = {}
    print(f"\n{count:,} stored persons")
    print(
        f"{'':24} {'p50 us':>10} {'p99 us':>10} {'p50 beyond keys':>16}  found"
    )
    lin = linear(persons, probe)
    print(
        f"{'linear scan (peer)':24} {pct(lin, 50):10.1f} {pct(lin, 99):10.1f}"
    )
    with tempfile.TemporaryDirectory() as tmp:
        backends: list[tuple[str, Any]] = [
            ("memory", InMemoryStore),
            ("SQLite file", lambda: SqlStore(f"sqlite:///{Path(tmp)}/d.db")),
        ]
        url = os.environ.get("CUSTOMER_DOMAIN_TEST_POSTGRES_URL")
        schema = f"cd_bench_{uuid.uuid4().hex[:8]}"
        if url:
            import sqlalchemy as sa  # noqa: PLC0415

            engine = sa.create_engine(
                url.replace("postgresql://", "postgresql+psycopg://", 1)
            )
            with engine.begin() as conn:
                conn.exec_driver_sql(f'CREATE SCHEMA "{schema}"')
            backends.append(
                ("PostgreSQL", lambda: SqlStore(engine, schema=schema))
            )
        for n, (label, backend) in enumerate(backends):
            # Each backend alone in the process: the one measured before
            # is gone, and no garbage is left to collect from its fill.
            store = backend()
            # The same persons (same seed), unsaved, for each store.
            fill_s = fill(store, persons if n == 0 else make(count)[1])
            gc.collect()
            total, beyond, found = latencies(store, probe)
            results[f"{label} p50"] = pct(beyond, 50)
            print(
                f"{label:24} {pct(total, 50):10.1f} {pct(total, 99):10.1f}"
                f" {pct(beyond, 50):16.1f}  {found}/{PROBES}"
                f"   (filled in {fill_s:.0f} s;"
                f" peer/ours {pct(lin, 50) / pct(total, 50):,.0f}x)"
            )
            gc.collect()
            with store.unit_of_work(ORG) as uow:
                t0 = time.perf_counter()
                groups = sum(1 for _ in DuplicateChecker().scan_persons(uow))
                scan_s = time.perf_counter() - t0
            results[f"{label} scan"] = scan_s
            print(
                f"{'  bulk exact scan':24} {scan_s:10.2f} s"
                f"  {groups:,} groups, {count / scan_s:,.0f} persons/s"
            )
            if label == "PostgreSQL":
                store.dispose()
                with engine.begin() as conn:
                    conn.exec_driver_sql(f'DROP SCHEMA "{schema}" CASCADE')
            elif isinstance(store, SqlStore):
                store.dispose()
            del store
            gc.collect()
    gc.unfreeze()
    return results


def main() -> None:
    counts = [int(a) for a in sys.argv[1:]] or [10_000, 100_000]
    results = {n: run(n) for n in counts}
    small, large = min(counts), max(counts)
    print()
    ratios = {}
    for label in ("memory", "SQLite file"):
        ratio = results[large][f"{label} p50"] / results[small][f"{label} p50"]
        ratios[label] = ratio
        print(f"{label}: p50 at {large:,} / p50 at {small:,} = {ratio:.2f}x")
    if large >= 1_000_000:
        r = results[large]
        for name, ok in (
            ("memory p50 at 1M <= 2x p50 at 10k", ratios["memory"] <= 2),
            ("SQLite p50 at 1M <= 2x p50 at 10k", ratios["SQLite file"] <= 2),
            ("memory p50 <= 50 us", r["memory p50"] <= 50),
            ("SQLite p50 <= 1 ms", r["SQLite file p50"] <= 1000),
            ("bulk exact scan (memory) <= 10 s", r["memory scan"] <= 10),
            ("bulk exact scan (SQLite) <= 10 s", r["SQLite file scan"] <= 10),
        ):
            print(f"  {'PASS' if ok else 'FAIL'}  {name}")


if __name__ == "__main__":
    main()
