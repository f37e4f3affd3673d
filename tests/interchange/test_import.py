# SPDX-License-Identifier: MIT
"""The importer: rows to persons, row errors, duplicates, re-runs (IO-2)."""

from __future__ import annotations

import itertools

from collections.abc import Iterator
from typing import TYPE_CHECKING, Any

import pytest

from customer_domain import Customer, ValidationError
from customer_domain.duplicates import Strength
from customer_domain.interchange import PersonRecord, Source
from customer_domain.interchange.importing import (
    DuplicateAction,
    Importer,
    ImportProgress,
    ImportReport,
)
from customer_domain.storage import InMemoryStore
from customer_domain.storage.protocols import CustomerQuery, Store
from customer_domain.storage.sql import SqlStore
from customer_domain.testing.hostile import HostileValues


if TYPE_CHECKING:
    import sqlalchemy as sa


ORG = "org"


@pytest.fixture(params=["memory", "sqlite", "postgres"])
def store(request: pytest.FixtureRequest, tmp_path: Any) -> Iterator[Store]:
    """An empty store holding customer C-1 (FR), on every backend."""
    kind = request.param
    target: Store
    if kind == "memory":
        target = InMemoryStore()
    elif kind == "sqlite":
        target = SqlStore(f"sqlite:///{tmp_path}/import.db")
    else:
        engine: sa.Engine = request.getfixturevalue("postgres_engine")
        schema = request.getfixturevalue("postgres_schema")
        target = SqlStore(engine, schema=schema)
    with target.unit_of_work(ORG) as uow:
        uow.customers.add(
            Customer(name="ACME", number="C-1", address={"country": "FR"})
        )
        uow.commit()
    yield target
    if isinstance(target, SqlStore):
        target.dispose()


def record(row: int, **fields: Any) -> PersonRecord:
    """A row of customer C-1 with *fields* (channels from e-mail/mobile)."""
    channels = []
    if "email" in fields:
        channels.append({"kind": "email", "value": fields.pop("email")})
    if "mobile" in fields:
        channels.append({"kind": "mobile", "value": fields.pop("mobile")})
    if channels:
        fields["channels"] = channels
    number = fields.pop("customer_number", "C-1")
    name = fields.pop("customer_name", "")
    return PersonRecord(
        Source("contacts.csv", None, row),
        fields,
        customer_number=number,
        customer_name=name,
        columns={
            "last_name": "Nom",
            "first_name": "Prénom",
            "channels[0]": "E-mail",
            "channels[1]": "Mobile",
        },
    )


def people(store: Store) -> list[tuple[str, str]]:
    """(last name, e-mail) of every person of C-1, sorted."""
    with store.unit_of_work(ORG) as uow:
        customer = uow.customers.get_by_number("C-1")
        found = uow.persons.list_for(customer.id)
    return sorted((p.last_name, p.email or "") for p in found)


def rows() -> list[PersonRecord]:
    return [
        record(
            2,
            last_name="Lefèvre",
            first_name="Hélène",
            email="h.lefevre@acme.fr",
            mobile="06 12 34 56 78",
        ),
        record(
            3, last_name="Martin", first_name="Paul", email="p.martin@acme.fr"
        ),
        record(4, last_name="Tremblay", email="pas-un-email"),
        record(5, last_name="Durand", email="h.lefevre@acme.fr"),
        record(6, first_name="Sans nom"),
        record(7, last_name="Petit", customer_number="C-404"),
    ]


def test_import_writes_valid_rows_and_reports_the_others(store: Store) -> None:
    """IO-2, DU-8: valid rows become persons; each bad row is reported
    with its row, the column as the user named it, and a code."""
    report = Importer(store, ORG).import_records(rows(), file="contacts.csv")
    assert (report.rows, report.created, report.rejected, report.skipped) == (
        6,
        2,
        3,
        1,
    )
    assert people(store) == [
        ("Lefèvre", "h.lefevre@acme.fr"),
        ("Martin", "p.martin@acme.fr"),
    ]
    found = {(p.source.row, p.column, p.issue.code) for p in report.problems}
    assert (6, "Nom", "required") in found
    assert (7, "", "customer.unknown_number") in {
        (r, "", c) for r, _, c in found
    }
    bad_email = [p for p in report.problems if p.source.row == 4]
    assert bad_email
    assert bad_email[0].column == "E-mail"
    assert bad_email[0].message("fr").startswith("E-mail: ")
    assert bad_email[0].message("fr") != bad_email[0].message("en")
    (dupe,) = report.duplicates
    assert dupe.source.row == 5
    assert dupe.action == "skipped"
    assert dupe.strength in (Strength.STRONG, Strength.EXACT)
    assert dupe.rows == (Source("contacts.csv", None, 2),)


def test_reimporting_the_same_rows_creates_nothing(store: Store) -> None:
    """IO-2: a second import of the same file finds every row imported."""
    Importer(store, ORG).import_records(rows())
    before = people(store)
    again = Importer(store, ORG).import_records(rows())
    assert again.created == 0
    assert again.unchanged == 2
    assert people(store) == before


def test_a_killed_import_finishes_when_run_again(store: Store) -> None:
    """IO-2, ST-4: a process killed mid-import leaves whole batches; the
    same command run again finishes without duplicates."""
    many = [
        record(i + 2, last_name=f"Nom{i}", email=f"n{i}@acme.fr")
        for i in range(25)
    ]

    def dies(records: list[PersonRecord]) -> Iterator[PersonRecord]:
        for i, r in enumerate(records):
            if i == 17:
                raise KeyboardInterrupt
            yield r

    with pytest.raises(KeyboardInterrupt):
        Importer(store, ORG, batch_size=5).import_records(dies(many))
    assert len(people(store)) == 15  # three whole batches, not 17
    report = Importer(store, ORG, batch_size=5).import_records(many)
    assert (report.unchanged, report.created) == (15, 10)
    assert len(people(store)) == 25


def test_should_stop_ends_at_a_batch_boundary(store: Store) -> None:
    """IO-2: a stop request (Ctrl-C) ends the import between batches."""
    many = [record(i + 2, last_name=f"Nom{i}") for i in range(12)]
    calls = itertools.count(1)
    report = Importer(store, ORG, batch_size=5).import_records(
        many, should_stop=lambda: next(calls) >= 2
    )
    assert report.interrupted
    assert report.created == 10
    assert len(people(store)) == 10


def test_dry_run_writes_nothing_and_reports_the_same(store: Store) -> None:
    """IO-2: a dry run validates and checks duplicates (inside the file
    too, across batches) and writes nothing."""
    dry = Importer(store, ORG, batch_size=2).import_records(
        rows(), dry_run=True
    )
    assert dry.dry_run
    assert people(store) == []
    real = Importer(store, ORG, batch_size=2).import_records(rows())
    assert (dry.created, dry.rejected, dry.skipped) == (
        real.created,
        real.rejected,
        real.skipped,
    )


def test_create_anyway_records_the_override(store: Store) -> None:
    """IO-2, DU-3: the ``create`` action writes the duplicate with an
    override naming the actor and the file."""
    Importer(store, ORG).import_records(rows()[:1])
    report = Importer(
        store, ORG, on_duplicate="create", actor="alice"
    ).import_records([rows()[3]], file="contacts.csv")
    assert report.created == 1
    assert report.duplicates[0].action == "created"
    with store.unit_of_work(ORG) as uow:
        customer = uow.customers.get_by_number("C-1")
        durand = next(
            p
            for p in uow.persons.list_for(customer.id)
            if p.last_name == "Durand"
        )
    override = durand.duplicate_override
    assert override is not None
    assert override.by == "alice"
    assert "contacts.csv" in override.reason
    assert len(override.candidate_ids) == 1


def test_update_action_updates_the_person_with_the_same_email(
    store: Store,
) -> None:
    """IO-2: the ``update`` action changes the stored person matched by
    e-mail instead of creating another."""
    Importer(store, ORG).import_records(rows()[:1])
    changed = record(
        9,
        last_name="Lefèvre",
        first_name="Hélène",
        email="h.lefevre@acme.fr",
        job_title="Directrice",
    )
    report = Importer(
        store, ORG, on_duplicate=DuplicateAction.UPDATE
    ).import_records([changed])
    assert (report.updated, report.created) == (1, 0)
    with store.unit_of_work(ORG) as uow:
        customer = uow.customers.get_by_number("C-1")
        (helene,) = uow.persons.list_for(customer.id)
    assert helene.job_title == "Directrice"


def test_customers_named_by_name_are_created_once(store: Store) -> None:
    """IO-2: rows naming a customer by name only create it once, and
    again not on a re-import."""
    named = [
        record(
            2, last_name="Roy", customer_number="", customer_name="Érable Inc."
        ),
        record(
            3,
            last_name="Gagnon",
            customer_number="",
            customer_name="ERABLE INC",
        ),
    ]
    first = Importer(store, ORG, region="CA").import_records(named)
    assert (first.created, first.customers_created) == (2, 1)
    second = Importer(store, ORG, region="CA").import_records(named)
    assert (second.created, second.customers_created) == (0, 0)
    assert second.unchanged == 2


def test_rows_with_contact_types_create_them(store: Store) -> None:
    """IO-2, CT-4: named contact types are created as needed; the
    "Customer" type still holds one person at most (CT-3)."""
    report = Importer(store, ORG).import_records(
        [
            record(2, last_name="A", contact_types=["Achats"]),
            record(3, last_name="B", contact_types=["Customer"]),
            record(4, last_name="C", contact_types=["Customer"]),
        ]
    )
    assert (report.created, report.rejected) == (2, 1)
    assert report.problems[0].issue.code == "contact_type.default_occupied"
    with store.unit_of_work(ORG) as uow:
        customer = uow.customers.get_by_number("C-1")
    assert {ct.name for ct in customer.contact_types} >= {"Achats"}


@pytest.mark.parametrize(
    ("kwargs", "path"),
    [
        ({"organization": ""}, "organization"),
        ({"batch_size": 0}, "batch_size"),
        ({"batch_size": True}, "batch_size"),
        ({"on_duplicate": "merge"}, "on_duplicate"),
        ({"region": "FRA"}, "region"),
        ({"actor": "x" * 201}, "actor"),
        ({"checker": object()}, "checker"),
    ],
)
def test_importer_refuses_bad_arguments(
    kwargs: dict[str, Any], path: str
) -> None:
    """IO-2: wrong arguments are refused with the argument's path."""
    args: dict[str, Any] = {"store": InMemoryStore(), "organization": ORG}
    args.update(kwargs)
    with pytest.raises(ValidationError) as e:
        Importer(args.pop("store"), args.pop("organization"), **args)
    assert path in {i.path for i in e.value.issues}


def test_hostile_records_are_rejected_not_crashed() -> None:
    """IO-2: whatever a record holds, the row is rejected with issues and
    nothing else is written."""
    store = InMemoryStore()
    with store.unit_of_work(ORG) as uow:
        uow.customers.add(
            Customer(name="ACME", number="C-1", address={"country": "FR"})
        )
        uow.commit()
    values = HostileValues(seed=7)
    records: list[object] = []
    for i in range(300):
        fields = {
            "last_name": values.any(),
            "first_name": values.any(),
            "channels": values.any(),
            "job_title": values.any(),
        }
        if i % 3 == 0:
            fields[f"unknown_{i}"] = values.any()
        records.append(
            PersonRecord(
                Source("f.csv", None, i + 2),
                fields,
                customer_number=values.any() if i % 5 == 0 else "C-1",  # type: ignore[arg-type]
            )
        )
    records.append(values.any())
    report = Importer(store, ORG).import_records(records)  # type: ignore[arg-type]
    assert report.rows == 301
    assert report.created + report.rejected + report.skipped == 301
    assert report.rejected > 250
    with pytest.raises(ValidationError):
        Importer(store, ORG).import_records("not records")  # type: ignore[arg-type]


def test_report_counts_progress() -> None:
    """IO-2: progress is reported after each batch."""
    store = InMemoryStore()
    seen: list[ImportProgress] = []
    report = Importer(store, ORG, batch_size=2).import_records(
        [record(i, last_name="X", customer_number="C-9") for i in range(5)],
        progress=seen.append,
    )
    assert isinstance(report, ImportReport)
    assert [p.rows for p in seen] == [2, 4, 5]
    assert report.rejected == 5


def test_ids_derive_from_the_values() -> None:
    """IO-2: the same row of the same customer gets the same id (what
    makes a re-run idempotent); another value, another id."""
    store = InMemoryStore()
    with store.unit_of_work(ORG) as uow:
        uow.customers.add(
            Customer(name="ACME", number="C-1", address={"country": "FR"})
        )
        uow.commit()
    Importer(store, ORG).import_records([record(2, last_name="Roy")])
    Importer(store, ORG).import_records([record(3, last_name="Roi")])
    with store.unit_of_work(ORG) as uow:
        customer = uow.customers.get_by_number("C-1")
        ids = {p.id for p in uow.persons.list_for(customer.id)}
    assert len(ids) == 2
    assert all(i.version == 5 for i in ids)


@pytest.mark.parametrize("method", ["import_records", "import_customers"])
@pytest.mark.parametrize(
    ("kwargs", "path"),
    [
        ({"records": "rows"}, "records"),
        ({"dry_run": "yes"}, "dry_run"),
        ({"file": 3}, "file"),
        ({"progress": 1}, "progress"),
        ({"report": {}}, "report"),
    ],
)
def test_both_imports_refuse_bad_arguments(
    method: str, kwargs: dict[str, Any], path: str
) -> None:
    """IO-2: customers and persons imports check their arguments alike,
    before anything is read or written."""
    store = InMemoryStore()
    args: dict[str, Any] = {"records": []}
    args.update(kwargs)
    with pytest.raises(ValidationError) as e:
        getattr(Importer(store, ORG), method)(args.pop("records"), **args)
    assert path in {i.path for i in e.value.issues}
    with store.unit_of_work(ORG) as uow:
        assert uow.customers.search(CustomerQuery()).total == 0
