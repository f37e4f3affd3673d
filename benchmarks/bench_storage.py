# SPDX-License-Identifier: MIT
"""
Save and load of N customers (2 persons with 3 channels each) through
`SqlStore` on a SQLite file, side by side with the floor: raw `sqlite3`
``executemany`` / ``fetchall`` of the very same rows (match keys
included) into the same tables, with the same pragmas and transaction
sizes.  With
``CUSTOMER_DOMAIN_TEST_POSTGRES_URL`` set, the store is timed on
PostgreSQL too (in a schema of its own, dropped afterwards).

    python benchmarks/bench_storage.py [N]

Targets (issue 3): save <= 2x and load <= 2x the floor on SQLite.
"""

from __future__ import annotations

import gc
import json
import os
import sqlite3
import sys
import tempfile
import time
import uuid

from pathlib import Path
from typing import Any

import sqlalchemy as sa

from customer_domain import Customer, Person
from customer_domain.serialization import structure, unstructure
from customer_domain.storage import CustomerQuery, _rows
from customer_domain.storage.sql import SqlStore, metadata


ORG = "bench"
BATCH = 1000  # customers per unit of work / transaction


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


def make(count: int) -> list[tuple[Customer, list[Person]]]:
    """*count* distinct customers, built on the trusted path (untimed)."""
    customer_doc, person_docs = _template()
    out = []
    for i in range(count):
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
    n = 0
    for name in (
        "customers",
        "contact_types",
        "contact_type_members",
        "persons",
        "channels",
    ):
        n += len(conn.execute(f"SELECT * FROM cd_{name}").fetchall())  # noqa: S608
    load = time.perf_counter() - t0
    conn.close()
    return save, load, n


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


def main() -> None:
    count = int(sys.argv[1]) if len(sys.argv) > 1 else 100_000
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
        fs, fl, rows = floor(Path(tmp) / "floor.db", data)
        store = SqlStore(f"sqlite:///{Path(tmp) / 'ours.db'}")
        store.create_schema()
        os_, ol, loaded = ours(store, data)
        store.dispose()
    if loaded != 3 * count:
        raise SystemExit(f"loaded {loaded} objects, expected {3 * count}")
    print(f"\n{'SQLite file':28} {'save s':>8} {'load s':>8}")
    print(f"{'floor (raw sqlite3)':28} {fs:8.2f} {fl:8.2f}   ({rows:,} rows)")
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
            f"  {'PASS' if ratio <= 2 else 'FAIL'}  {label} <= 2x floor:"
            f" {ratio:.2f}x"
        )


if __name__ == "__main__":
    main()
