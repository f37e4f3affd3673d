# SPDX-License-Identifier: MIT
"""Whole files in and out: template, import with an error file, exports,
round trips through XLSX, CSV, vCard 4 and JSContact (IO-1..IO-3)."""

from __future__ import annotations

import io
import json

from pathlib import Path
from typing import Any, Literal

import pytest
import python_calamine
import xlsxwriter

from customer_domain import Customer, ValidationError
from customer_domain.interchange import (
    CUSTOMER_COLUMNS,
    PERSON_COLUMNS,
    Importer,
    export_file,
    import_file,
    match_headers,
    person_to_jscontact,
    read_jscontact,
    read_tables,
    read_vcards,
    write_template,
    write_vcards,
)
from customer_domain.interchange._labels import LABELS
from customer_domain.interchange.columns import NOT_IN_COLUMNS, phone_text
from customer_domain.interchange.exporting import iter_persons
from customer_domain.model import CustomerChanges, PersonChanges
from customer_domain.storage import InMemoryStore
from customer_domain.storage.protocols import CustomerQuery
from customer_domain.storage.sql import SqlStore
from customer_domain.validation import phones


ORG = "org"

FRENCH_CSV = (
    "N° client;Civilité;Prénom;NOM;Tél. fixe;Portable;Courriel;Âge\r\n"
    "C-1;Mme;Hélène;Lefèvre;04 78 12 34 56;612345678;h.lefevre@acme.fr;40\r\n"
    "C-1;M.;Paul;Martin;;3,36123E+10;p.martin@acme.fr;\r\n"
    "C-1;;Zoé;;;;zoe@acme.fr;\r\n"
    "C-1;Mme;Helene;LEFEVRE;;;h.lefevre@acme.fr;\r\n"
).encode("cp1252")


def acme_store() -> InMemoryStore:
    store = InMemoryStore()
    with store.unit_of_work(ORG) as uow:
        uow.customers.add(
            Customer(name="ACME", number="C-1", address={"country": "FR"})
        )
        uow.commit()
    return store


def persons_of(store: Any, number: str = "C-1") -> list[Any]:
    with store.unit_of_work(ORG) as uow:
        customer = uow.customers.get_by_number(number)
        return list(uow.persons.list_for(customer.id))


def test_every_model_field_has_a_column_and_a_label() -> None:
    """IO-2: columns derive from the model; each has its two headers."""
    person_keys = {c.key for c in PERSON_COLUMNS}
    customer_keys = {c.key for c in CUSTOMER_COLUMNS}
    for key in PersonChanges.__annotations__:
        assert key in person_keys or key in NOT_IN_COLUMNS, key
    for key in CustomerChanges.__annotations__:
        assert (
            key in customer_keys
            or key in NOT_IN_COLUMNS
            or any(k.startswith(f"{key}.") for k in customer_keys)
        ), key
    for column in (*PERSON_COLUMNS, *CUSTOMER_COLUMNS):
        assert column.key in LABELS
        assert column.header("en")
        assert column.header("fr")
    used = person_keys | customer_keys
    assert set(LABELS) <= used


@pytest.mark.parametrize("columns", [PERSON_COLUMNS, CUSTOMER_COLUMNS])
def test_no_header_names_two_columns(columns: Any) -> None:
    """IO-2: a header in either language names one column of a sheet."""
    seen: dict[str, str] = {}
    for column in columns:
        for name in column.names():
            assert seen.setdefault(name, column.key) == column.key, name


def test_headers_match_in_either_language() -> None:
    """IO-2: headers match case-, accent- and spacing-insensitively;
    unknown ones are reported, required missing ones too."""
    found = match_headers(
        ["  NOM ", "prenom", "E-MAIL", "Tel portable", "Couleur", "nom"],
        PERSON_COLUMNS,
    )
    keys = [c.key if c else None for c in found.columns]
    assert keys == ["last_name", "first_name", "email", "mobile", None, None]
    assert found.unknown == ("Couleur",)
    assert found.repeated == ("nom",)
    assert match_headers(["Prénom"], PERSON_COLUMNS).missing[0].key == (
        "last_name"
    )
    mapped = match_headers(
        ["Tél. bureau"], PERSON_COLUMNS, {"Tél. bureau": "phone"}
    )
    assert mapped.columns[0] is not None
    assert mapped.columns[0].key == "phone"
    with pytest.raises(ValidationError) as e:
        match_headers(["x"], PERSON_COLUMNS, {"x": "shoe_size"})
    assert e.value.issues[0].path == "mapping.x"


@pytest.mark.parametrize(
    ("cell", "region", "expected"),
    [
        (612345678, "FR", "+33612345678"),
        (612345678.0, "FR", "+33612345678"),
        (33612345678, "FR", "+33612345678"),
        (33612345678.0, None, "+33612345678"),
        (33612345678.0, "CA", "+33612345678"),
        (5145550123, "CA", "+15145550123"),
        ("06 12 34 56 78", "FR", "+33612345678"),
    ],
)
def test_numeric_phone_cells_are_mended(
    cell: object, region: str | None, expected: str
) -> None:
    """IO-2: a phone column Excel read as numbers keeps its number."""
    text = phone_text(cell, region)
    assert phones.validate(text, region=region) == expected


@pytest.mark.parametrize("cell", ["3,36123E+10", "3.36E+10", " 6.1E8 "])
def test_scientific_phone_cells_are_refused(cell: str) -> None:
    """IO-2: a number shown in scientific notation lost its digits."""
    with pytest.raises(ValidationError) as e:
        phone_text(cell, "FR")
    assert e.value.codes == ("phone.scientific",)


def test_french_excel_csv_imports_with_an_error_file() -> None:
    """IO-2: a cp1252 ``;`` CSV with French headers: good rows stored,
    bad ones reported by row and column and written to an error file
    with a "problèmes" column; the repeated person is a duplicate."""
    store = acme_store()
    errors = io.BytesIO()
    report = import_file(
        Importer(store, ORG),
        io.BytesIO(FRENCH_CSV),
        file_name="contacts.csv",
        errors_to=errors,
        locale="fr",
    )
    assert report.unknown_columns == {"contacts.csv": ("Âge",)}
    assert (report.created, report.rejected, report.skipped) == (1, 2, 1)
    (helene,) = persons_of(store)
    assert [ch.value for ch in helene.channels] == [
        "+33478123456",
        "+33612345678",
        "h.lefevre@acme.fr",
    ]
    where = {(p.source.row, p.column, p.issue.code) for p in report.problems}
    assert where == {
        (3, "Portable", "phone.scientific"),
        (4, "NOM", "required"),
    }
    text = errors.getvalue().decode("utf-8-sig")
    lines = text.splitlines()
    assert lines[0].endswith("problèmes")
    assert len(lines) == 3
    assert "Zoé" in lines[2]
    assert "obligatoire" in lines[2]


def test_reimporting_a_file_creates_nothing_new(tmp_path: Path) -> None:
    """IO-2: the same file twice: the second run finds every row."""
    store = SqlStore(f"sqlite:///{tmp_path}/x.db")
    with store.unit_of_work(ORG) as uow:
        uow.customers.add(
            Customer(name="ACME", number="C-1", address={"country": "FR"})
        )
        uow.commit()
    path = tmp_path / "contacts.csv"
    path.write_bytes(FRENCH_CSV)
    first = import_file(Importer(store, ORG), path)
    second = import_file(Importer(store, ORG), path)
    assert first.created == 1
    assert (second.created, second.unchanged) == (0, 1)
    store.dispose()


def test_seed_003_mode_imports_into_one_customer() -> None:
    """IO-2 (seed 003): the persons of one customer, without a customer
    column."""
    store = acme_store()
    data = "Nom;Prénom;E-mail\nDupont;Jean;j.dupont@acme.fr\n".encode()
    report = import_file(
        Importer(store, ORG), io.BytesIO(data), customer_number="C-1"
    )
    assert report.created == 1
    assert persons_of(store)[0].last_name == "Dupont"


def test_missing_required_column_rejects_the_sheet() -> None:
    """IO-2: a sheet without a required column imports nothing and says
    which column is missing."""
    store = acme_store()
    data = b"Prenom;E-mail\nJean;j@acme.fr\n"
    report = import_file(
        Importer(store, ORG), io.BytesIO(data), customer_number="C-1"
    )
    assert report.created == 0
    assert report.rejected == 1
    assert report.problems[0].issue.code == "column.missing"


def test_unreadable_files_are_refused() -> None:
    """IO-2: garbage is the library's error at path ``file``."""
    with pytest.raises(ValidationError) as e:
        import_file(
            Importer(acme_store(), ORG), io.BytesIO(b"PK\x03\x04garbage")
        )
    assert e.value.issues[0].path == "file"
    with pytest.raises(ValidationError):
        import_file("importer", io.BytesIO(b"a"))  # type: ignore[arg-type]


def _template_rows(layout: str) -> dict[str, list[list[Any]]]:
    buffer = io.BytesIO()
    write_template(buffer, layout=layout, locale="fr")  # type: ignore[arg-type]
    book = python_calamine.CalamineWorkbook.from_filelike(
        io.BytesIO(buffer.getvalue())
    )
    return {
        name: book.get_sheet_by_name(name).to_python()
        for name in book.sheet_names
    }


def test_template_has_both_languages_and_imports_its_example() -> None:
    """IO-2: the template marks required columns, explains every column
    in English and French, and its example rows import as they are."""
    sheets = _template_rows("base")
    assert list(sheets) == ["Clients", "Interlocuteurs", "Aide", "Listes"]
    assert "Nom*" in sheets["Interlocuteurs"][0]
    help_rows = sheets["Aide"][1:]
    assert len(help_rows) == len(CUSTOMER_COLUMNS) + len(PERSON_COLUMNS)
    assert all(row[2] and row[3] for row in help_rows)
    buffer = io.BytesIO()
    write_template(buffer, layout="base", locale="en")
    store = InMemoryStore()
    report = import_file(Importer(store, ORG), io.BytesIO(buffer.getvalue()))
    assert report.problems == []
    assert (report.customers_created, report.created) == (1, 1)
    (person,) = persons_of(store, "C-00042")
    assert person.email == "helene.lefevre@imprimerie-lefevre.fr"


def test_template_refuses_bad_arguments() -> None:
    """IO-2: wrong arguments are the library's error."""
    with pytest.raises(ValidationError) as e:
        write_template(io.BytesIO(), layout="all", locale="de")  # type: ignore[arg-type]
    assert {i.path for i in e.value.issues} == {"layout", "locale"}


def _with_persons() -> InMemoryStore:
    store = InMemoryStore()
    acme = Customer(name="ACME", number="C-1", address={"country": "FR"})
    buyers = acme.add_contact_type("Achats")
    people = [
        acme.add_person(
            first_name="Hélène",
            last_name="Lefèvre",
            job_title="=1+1",
            contact_types=[buyers],
            channels=[
                {"kind": "email", "value": "h.lefevre@acme.fr"},
                {"kind": "mobile", "value": "06 12 34 56 78"},
                {"kind": "phone", "value": "04 78 12 34 56"},
            ],
        ),
        acme.add_person(
            first_name="Paul",
            last_name="Martin",
            functions=["Signataire", "Acheteur"],
            contact_types=[buyers],
            channels=[{"kind": "email", "value": "p.martin@acme.fr"}],
        ),
    ]
    with store.unit_of_work(ORG) as uow:
        uow.customers.add(acme)
        for person in people:
            uow.persons.add(person)
        uow.commit()
    return store


def _shape(store: Any) -> list[tuple[Any, ...]]:
    return sorted(
        (
            p.last_name,
            p.first_name,
            p.job_title,
            p.functions,
            sorted((ch.kind.value, ch.value) for ch in p.channels),
        )
        for p in persons_of(store)
    )


@pytest.mark.parametrize("fmt", ["xlsx", "csv"])
def test_export_then_import_round_trips(fmt: Literal["csv", "xlsx"]) -> None:
    """IO-1, IO-2: persons exported to XLSX or CSV import into an empty
    store as the same persons with the same channels."""
    source = _with_persons()
    buffer = io.BytesIO()
    count = export_file(
        source,
        ORG,
        buffer,
        what="persons",
        format=fmt,
        locale="fr",
    )
    assert count == 2
    target = InMemoryStore()
    report = import_file(
        Importer(target, ORG, region="FR"),
        io.BytesIO(buffer.getvalue()),
        format=fmt,
    )
    assert report.problems == []
    assert _shape(target) == _shape(source)


def test_csv_export_neutralises_formulas() -> None:
    """IO-1: a cell a spreadsheet would run as a formula is written as
    text (OWASP CSV injection)."""
    buffer = io.BytesIO()
    export_file(
        _with_persons(),
        ORG,
        buffer,
        format="csv",
        columns=["last_name", "job_title", "mobile"],
    )
    text = buffer.getvalue().decode("utf-8-sig")
    assert "'=1+1" in text
    assert "'+33612345678" in text


def test_export_refuses_unknown_columns() -> None:
    """IO-1: columns are checked before anything is written."""
    with pytest.raises(ValidationError) as e:
        export_file(
            _with_persons(), ORG, io.BytesIO(), columns=["last_name", "x"]
        )
    assert e.value.issues[0].path == "columns[1]"


def test_vcard_and_jscontact_round_trip_through_the_importer() -> None:
    """IO-3, BX-8: persons to vCard 4 and to JSContact, then imported into
    an empty store: the same persons and channels."""
    source = _with_persons()
    customers: dict[object, Customer] = {}
    persons = list(iter_persons(source, ORG, customers=customers))
    cards = write_vcards(persons, customers=customers)
    target = InMemoryStore()
    report = Importer(target, ORG, region="FR").import_records(
        read_vcards(cards)
    )
    assert report.problems == []
    with target.unit_of_work(ORG) as uow:
        (acme,) = uow.customers.search(CustomerQuery()).items
        got = sorted(
            (p.last_name, tuple((c.kind.value, c.value) for c in p.channels))
            for p in uow.persons.list_for(acme.id)
        )
    want = sorted(
        (p.last_name, tuple((c.kind.value, c.value) for c in p.channels))
        for p in persons
    )
    assert got == want
    document = json.dumps(
        [
            person_to_jscontact(p, customer=customers[p.customer_id])
            for p in persons
        ]
    )
    again = InMemoryStore()
    report = Importer(again, ORG, region="FR").import_records(
        read_jscontact(document)
    )
    assert (report.created, report.problems) == (2, [])


def test_read_tables_gives_the_header_and_rows() -> None:
    """IO-2: the reader gives the header and rows with their numbers."""
    buffer = io.BytesIO()
    book = xlsxwriter.Workbook(buffer, {"in_memory": True})
    sheet = book.add_worksheet("Interlocuteurs")
    sheet.write_row(0, 0, ["Nom", "Mobile"])
    sheet.write_row(1, 0, ["Lefèvre", 612345678])
    book.close()
    ((table, rows),) = [
        (t, list(r)) for t, r in read_tables(io.BytesIO(buffer.getvalue()))
    ]
    assert table.header == ("Nom", "Mobile")
    assert [(r.source.row, r.cells) for r in rows] == [
        (2, ("Lefèvre", 612345678.0))
    ]
