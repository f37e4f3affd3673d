# SPDX-License-Identifier: MIT
"""
Save and load of N customers (2 persons with 3 channels each) through
`SqlStore` on a SQLite file, side by side with the floor, in one run.
Save floor: raw `sqlite3` ``executemany`` of the very same rows (match
keys included) into the same tables, with the same pragmas and
transaction sizes.  Load floor: raw `sqlite3` ``fetchall`` of the same
rows, the wire dicts built from them and the very same trusted
``structure`` calls (the objects, not only the rows).  With
``CUSTOMER_DOMAIN_TEST_POSTGRES_URL`` set, the store is timed on
PostgreSQL too (in a schema of its own, dropped afterwards).

Then searches under load: the latency of a customer search (one
``CustomerQuery(text=...)`` page, in a unit of work of its own, as a
request would) on an idle SQLite file, and again while another process
imports 100,000 customers into the same file in units of work of 1,000.
The importer writes another organization, so that both phases search
the very same 10,000 customers: the difference is the writer's doing
(its lock, its I/O, its CPU), not a larger base.

    python benchmarks/bench_storage.py [N] [--search-only]

Targets (issue 12): save <= 1.5x and load <= 1.5x the floor on SQLite;
(issue 11) search p99 under load <= 2x idle.
"""

from __future__ import annotations

import gc
import json
import multiprocessing
import os
import random
import sqlite3
import statistics
import sys
import tempfile
import time
import uuid

from pathlib import Path
from typing import Any

import sqlalchemy as sa

from customer_domain import Customer, Person
from customer_domain.serialization import (
    make_converter,
    structure,
    unstructure,
)
from customer_domain.storage import CustomerQuery, _rows
from customer_domain.storage.sql import SqlStore, metadata


ORG = "bench"
_TRUSTED = make_converter(trusted=True)
BATCH = 1000  # customers per unit of work / transaction
#: Ours / floor, save and load (issue 12).
TARGET = 1.5


def _template() -> tuple[dict[str, Any], list[dict[str, Any]]]:
    c = Customer(
        name="Imprimerie Lefèvre",
        legal_form="SARL",
        address={
            "street": "12 rue de la République",
            "postal_code": "69001",
            "city": "Lyon",
            "country": "FR",
        },
    )
    staff = c.add_contact_type("Purchasing")
    people = [
        c.add_person(
            first_name=first,
            last_name=last,
            contact_types=[staff],
            channels=[
                {"kind": "email", "value": f"{first.lower()}@lefevre.example"},
                {"kind": "mobile", "value": "06 12 34 56 78"},
                {"kind": "phone", "value": "04 78 00 00 00"},
            ],
        )
        for first, last in (("Hélène", "Lefèvre"), ("Marc", "Dubois"))
    ]
    return unstructure(c), [unstructure(p) for p in people]


def make(count: int, start: int = 0) -> list[tuple[Customer, list[Person]]]:
    """*count* distinct customers, built on the trusted path (untimed)."""
    customer_doc, person_docs = _template()
    out = []
    for i in range(start, start + count):
        cdata = dict(customer_doc["data"])
        cid = str(uuid.uuid4())
        cdata["id"] = cid
        cdata["name"] = f"Imprimerie Lefèvre {i}"
        cdata["number"] = f"C-{i:07d}"
        ptexts = []
        pids = []
        for doc in person_docs:
            pdata = dict(doc["data"], id=str(uuid.uuid4()), customer_id=cid)
            pids.append(pdata["id"])
            ptexts.append(pdata)
        cts = [dict(ct, id=str(uuid.uuid4())) for ct in cdata["contact_types"]]
        cts[1]["person_ids"] = sorted(pids)
        cdata["contact_types"] = cts
        customer = structure(
            {**customer_doc, "data": cdata}, Customer, trusted=True
        )
        persons = [
            structure({**person_docs[0], "data": p}, Person, trusted=True)
            for p in ptexts
        ]
        out.append((customer, persons))
    return out


def _flat_rows(
    data: list[tuple[Customer, list[Person]]],
) -> list[dict[str, tuple[list[str], list[tuple[Any, ...]]]]]:
    """The rows `SqlStore` writes, per batch and table, as plain tuples."""
    batches = []
    for start in range(0, len(data), BATCH):
        tables: dict[str, list[dict[str, Any]]] = {}
        for customer, persons in data[start : start + BATCH]:
            for name, rows in _rows.customer_rows(ORG, customer, 1).items():
                tables.setdefault(name, []).extend(rows)
            for p in persons:
                for name, rows in _rows.person_rows(ORG, p, 1).items():
                    tables.setdefault(name, []).extend(rows)
        batches.append(dict(tables))
    out = []
    for batch in batches:
        flat = {}
        for name, rows in batch.items():
            if not rows:
                continue
            table = metadata.tables[f"cd_{name}"]
            cols = [c.name for c in table.columns]
            flat[name] = (
                cols,
                [
                    tuple(
                        json.dumps(r[c])
                        if isinstance(r[c], (dict, list))
                        else r[c]
                        for c in cols
                    )
                    for r in rows
                ],
            )
        out.append(flat)
    return out


def floor(
    path: Path, data: list[tuple[Customer, list[Person]]]
) -> tuple[float, float, int]:
    SqlStore(f"sqlite:///{path}").create_schema()
    batches = _flat_rows(data)  # untimed: the floor writes ready-made rows
    conn = sqlite3.connect(path, isolation_level=None)
    conn.execute("PRAGMA journal_mode = WAL")
    conn.execute("PRAGMA synchronous = NORMAL")
    conn.execute("PRAGMA foreign_keys = ON")
    t0 = time.perf_counter()
    for flat in batches:
        conn.execute("BEGIN IMMEDIATE")
        for name in (
            "customers",
            "contact_types",
            "contact_type_members",
            "customer_categories",
            "persons",
            "channels",
            "match_keys",
        ):
            if name in flat:
                cols, rows = flat[name]
                names = ", ".join(f'"{c}"' for c in cols)
                marks = ", ".join("?" * len(cols))
                conn.executemany(
                    f"INSERT INTO cd_{name} ({names}) VALUES ({marks})",  # noqa: S608 -- our table names.
                    rows,
                )
        conn.execute("COMMIT")
    save = time.perf_counter() - t0
    t0 = time.perf_counter()
    objects = _load_raw(conn)
    load = time.perf_counter() - t0
    conn.close()
    return save, load, objects


def _readers(name: str) -> dict[str, Any]:
    """How SQLAlchemy turns a column of *name* back: JSON and booleans."""
    out: dict[str, Any] = {}
    for column in metadata.tables[f"cd_{name}"].columns:
        if isinstance(column.type, sa.JSON):
            out[column.name] = lambda v: None if v is None else json.loads(v)
        elif isinstance(column.type, sa.Boolean):
            out[column.name] = bool
    return out


def _fetch(
    conn: sqlite3.Connection, name: str, order: str
) -> list[dict[str, Any]]:
    """Every row of table *name* as a dict, columns read as SQLAlchemy does."""
    cursor = conn.execute(f"SELECT * FROM cd_{name} ORDER BY {order}")  # noqa: S608 -- our table names.
    cols = [d[0] for d in cursor.description]
    readers = _readers(name)
    rows = []
    for values in cursor.fetchall():
        row = dict(zip(cols, values, strict=True))
        for col, read in readers.items():
            row[col] = read(row[col])
        rows.append(row)
    return rows


def _load_raw(conn: sqlite3.Connection) -> int:
    """
    The load floor (issue 12): raw ``sqlite3`` fetchall of the rows
    `SqlStore` reads, the wire dicts built from them, and the very same
    trusted ``structure`` calls; no SQLAlchemy, no query building.
    """
    channels: dict[str, list[dict[str, Any]]] = {}
    for ch in _fetch(conn, "channels", "owner_id, position"):
        channels.setdefault(ch.pop("owner_id"), []).append(ch)
    types: dict[str, list[dict[str, Any]]] = {}
    for ct in _fetch(conn, "contact_types", "customer_id, position"):
        types.setdefault(ct["customer_id"], []).append(ct)
    members: dict[str, list[str]] = {}
    for m in _fetch(conn, "contact_type_members", "contact_type_id"):
        members.setdefault(m["contact_type_id"], []).append(m["person_id"])
    loaded = 0
    for row in _fetch(conn, "customers", "sort_key, id"):
        row["channels"] = channels.get(row["id"], [])
        row["contact_types"] = [
            {
                "id": ct["id"],
                "name": ct["name"],
                "is_default": ct["is_default"],
                "person_ids": members.get(ct["id"], []),
            }
            for ct in types.get(row["id"], [])
        ]
        _TRUSTED.structure(row, Customer)
        loaded += 1
    for row in _fetch(conn, "persons", "customer_id, sort_key, id"):
        row["channels"] = channels.get(row["id"], [])
        _TRUSTED.structure(row, Person)
        loaded += 1
    return loaded


def ours(
    store: SqlStore, data: list[tuple[Customer, list[Person]]]
) -> tuple[float, float, int]:
    t0 = time.perf_counter()
    for start in range(0, len(data), BATCH):
        with store.unit_of_work(ORG) as uow:
            for customer, persons in data[start : start + BATCH]:
                uow.customers.add(customer)
                for p in persons:
                    uow.persons.add(p)
            uow.commit()
    save = time.perf_counter() - t0
    t0 = time.perf_counter()
    loaded = 0
    with store.unit_of_work(ORG) as uow:
        offset = 0
        while True:
            page = uow.customers.search(
                CustomerQuery(offset=offset, limit=BATCH)
            )
            people = uow.persons.list_for_many([c.id for c in page.items])
            loaded += len(page.items) + sum(len(v) for v in people.values())
            offset += BATCH
            if not page.has_next:
                break
    load = time.perf_counter() - t0
    return save, load, loaded


#: Customers the searches run over, in their own organization.
SEARCHED = 10_000
#: Customers the other process imports while the searches run.
IMPORTED = 100_000
#: Searches timed on the idle file.
IDLE_SEARCHES = 1000
#: Words searched (each a page of the customers whose name or number
#: holds both): a few hundred matches out of 10,000.
TEXTS = [f"lefevre {n}" for n in range(10, 100)]


def importer(path: str, count: int, started: Any, org: str = "import") -> None:
    """Import *count* customers in units of work of `BATCH` (a process)."""
    store = SqlStore(f"sqlite:///{path}", create=False)
    for start in range(0, count, BATCH):
        batch = make(BATCH, start)
        with store.unit_of_work(org) as uow:
            started.set()
            for customer, _ in batch:
                uow.customers.add(customer)
            uow.commit()
    store.dispose()


def _search(store: SqlStore, text: str) -> float:
    """Seconds of one search page, its unit of work included."""
    t0 = time.perf_counter()
    with store.unit_of_work(ORG) as uow:
        page = uow.customers.search(CustomerQuery(text=text, limit=20))
    elapsed = time.perf_counter() - t0
    if not page.items:
        raise SystemExit(f"the search for {text!r} found nothing")
    return elapsed


def _percentiles(seconds: list[float]) -> tuple[float, float]:
    """p50 and p99, in milliseconds."""
    cuts = statistics.quantiles(seconds, n=100, method="inclusive")
    return cuts[49] * 1000, cuts[98] * 1000


def search_under_load(tmp: Path) -> bool:
    """Search p50/p99 idle and during an import; whether p99 <= 2x."""
    path = tmp / "search.db"
    store = SqlStore(f"sqlite:///{path}")
    for start in range(0, SEARCHED, BATCH):
        with store.unit_of_work(ORG) as uow:
            for customer, _ in make(BATCH, start):
                uow.customers.add(customer)
            uow.commit()
    rng = random.Random(3)
    idle = [_search(store, rng.choice(TEXTS)) for _ in range(IDLE_SEARCHES)]
    context = multiprocessing.get_context("spawn")
    started = context.Event()
    process = context.Process(
        target=importer, args=(str(path), IMPORTED, started)
    )
    t0 = time.perf_counter()
    process.start()
    if not started.wait(120):
        process.kill()
        raise SystemExit("the importer did not start")
    loaded = []
    while process.is_alive():
        loaded.append(_search(store, rng.choice(TEXTS)))
    took = time.perf_counter() - t0
    process.join()
    if process.exitcode != 0:
        raise SystemExit(f"the importer failed ({process.exitcode})")
    with store.unit_of_work("import") as uow:
        imported = uow.customers.search(CustomerQuery(limit=1)).total
    store.dispose()
    if imported != IMPORTED:
        raise SystemExit(f"imported {imported}, expected {IMPORTED}")
    i50, i99 = _percentiles(idle)
    l50, l99 = _percentiles(loaded)
    print(
        f"\nSearch of {SEARCHED:,} customers (one page of"
        " CustomerQuery(text=...)), SQLite file;"
        f"\nunder load: another process imports {IMPORTED:,} customers"
        f" in units of work of {BATCH:,} ({took:.1f} s)"
    )
    print(f"{'':28} {'p50 ms':>8} {'p99 ms':>8} {'searches':>9}")
    print(f"{'idle':28} {i50:8.2f} {i99:8.2f} {len(idle):9,}")
    print(f"{'under load':28} {l50:8.2f} {l99:8.2f} {len(loaded):9,}")
    print(f"{'under load / idle':28} {l50 / i50:7.2f}x {l99 / i99:7.2f}x")
    ratio = l99 / i99
    print(
        f"  {'PASS' if ratio <= 2 else 'FAIL'}  search p99 under load"
        f" <= 2x idle: {ratio:.2f}x"
    )
    return ratio <= 2


def main() -> None:
    args = [a for a in sys.argv[1:] if not a.startswith("--")]
    if "--search-only" in sys.argv[1:]:
        with tempfile.TemporaryDirectory() as tmp:
            search_under_load(Path(tmp))
        return
    count = int(args[0]) if args else 100_000
    print(
        f"building {count:,} customers (2 persons, 3 channels each),"
        " untimed..."
    )
    data = make(count)
    # The fixture data are neither side's work: keep the garbage collector
    # from scanning them again and again while either side is timed.
    gc.collect()
    gc.freeze()
    with tempfile.TemporaryDirectory() as tmp:
        fs, fl, floor_loaded = floor(Path(tmp) / "floor.db", data)
        store = SqlStore(f"sqlite:///{Path(tmp) / 'ours.db'}")
        store.create_schema()
        os_, ol, loaded = ours(store, data)
        store.dispose()
    if loaded != 3 * count or floor_loaded != 3 * count:
        raise SystemExit(
            f"loaded {loaded} and {floor_loaded} objects, expected {3 * count}"
        )
    print(f"\n{'SQLite file':28} {'save s':>8} {'load s':>8}")
    print(
        f"{'floor (raw sqlite3)':28} {fs:8.2f} {fl:8.2f}"
        f"   ({floor_loaded:,} objects)"
    )
    print(
        f"{'ours (SqlStore)':28} {os_:8.2f} {ol:8.2f}   ({loaded:,} objects)"
    )
    print(f"{'ours / floor':28} {os_ / fs:8.2f}x {ol / fl:7.2f}x")
    url = os.environ.get("CUSTOMER_DOMAIN_TEST_POSTGRES_URL")
    if url:
        fresh = make(count)
        engine = sa.create_engine(
            url.replace("postgresql://", "postgresql+psycopg://", 1)
        )
        schema = f"cd_bench_{uuid.uuid4().hex[:12]}"
        with engine.begin() as conn:
            conn.exec_driver_sql(f'CREATE SCHEMA "{schema}"')
        try:
            store = SqlStore(engine, schema=schema)
            store.create_schema()
            ps, pl, _ = ours(store, fresh)
            print(
                f"{'ours (SqlStore, PostgreSQL)':28} {ps:8.2f} {pl:8.2f}"
                f"   ({ps / fs:.2f}x / {pl / fl:.2f}x the SQLite floor)"
            )
        finally:
            with engine.begin() as conn:
                conn.exec_driver_sql(f'DROP SCHEMA "{schema}" CASCADE')
            engine.dispose()
    for label, ratio in (("save", os_ / fs), ("load", ol / fl)):
        print(
            f"  {'PASS' if ratio <= TARGET else 'FAIL'}  {label} <= {TARGET}x"
            f" floor: {ratio:.2f}x"
        )
    gc.unfreeze()
    del data
    gc.collect()
    with tempfile.TemporaryDirectory() as tmp:
        search_under_load(Path(tmp))


if __name__ == "__main__":
    main()
