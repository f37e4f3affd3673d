# SPDX-License-Identifier: MIT
"""vCard export and import (SPEC IO-3, BX-8)."""

from __future__ import annotations

import contextlib
import io
import sys
import time
import zipfile

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from hypothesis import given
from hypothesis import strategies as st

from customer_domain import Customer, Person, ValidationError
from customer_domain.interchange import (
    PersonRecord,
    Source,
    person_to_vcard,
    read_vcards,
    write_vcard_zip,
    write_vcards,
)
from customer_domain.interchange.vcard import MAX_CARD, MAX_LINE
from customer_domain.testing.hostile import hostile_values


DATA = Path(__file__).parent / "data"


def codes(
    error: pytest.ExceptionInfo[ValidationError],
) -> list[tuple[str, str]]:
    """The (path, code) pairs of a raised ValidationError."""
    return [(i.path, i.code) for i in error.value.issues]


def read(name: str) -> list[PersonRecord]:
    """The records of a sample file, read from its bytes."""
    with (DATA / name).open("rb") as f:
        return list(read_vcards(f, file=name))


def channel(
    kind: str, value: str, purpose: str = "other", *, primary: bool = False
) -> dict[str, Any]:
    """A channel as a reader gives it."""
    return {
        "kind": kind,
        "value": value,
        "purpose": purpose,
        "primary": primary,
    }


@pytest.fixture(name="full")
def _full(customer: Customer) -> Person:
    """A person with every exported field and a channel of each kind."""
    return customer.add_person(
        salutation="Mme",
        first_name="Hélène",
        last_name="Lefèvre",
        job_title="Acheteuse; senior",
        department="Achats",
        functions=["Stock", "Achats, export"],
        location="Bâtiment B",
        remark="Internal: slow payer",
        contact_types=["Purchasing"],
        channels=[
            {"kind": "email", "value": "helene@lefevre.fr", "primary": True},
            {
                "kind": "mobile",
                "value": "06 12 34 56 78",
                "purpose": "home",
                "primary": True,
            },
            {"kind": "phone", "value": "04 78 00 00 00"},
            {"kind": "fax", "value": "04 78 00 00 09", "purpose": "other"},
            {"kind": "web", "value": "https://www.lefevre.fr"},
        ],
    )


# -- export -------------------------------------------------------------


def test_vcard_4(full: Person, customer: Customer) -> None:
    """IO-3, BX-8: a vCard 4.0 with tel: URIs, PREF=1 and escaping."""
    text = person_to_vcard(full, customer=customer)

    lines = text.split("\r\n")
    assert lines[:2] == ["BEGIN:VCARD", "VERSION:4.0"]
    assert text.endswith("END:VCARD\r\n")
    assert f"UID:urn:uuid:{full.id}" in lines
    assert "N:Lefèvre;Hélène;;Mme;" in lines
    assert "FN:Hélène Lefèvre" in lines
    assert "ORG:Imprimerie Lefèvre;Achats" in lines
    assert "TITLE:Acheteuse\\; senior" in lines
    assert "ROLE:Achats\\, export" in lines
    assert "EMAIL;PREF=1;TYPE=work:helene@lefevre.fr" in lines
    assert (
        "TEL;PREF=1;TYPE=cell,voice,home;VALUE=uri:tel:+33612345678" in lines
    )
    assert "TEL;TYPE=voice,work;VALUE=uri:tel:+33478000000" in lines
    assert "TEL;TYPE=fax;VALUE=uri:tel:+33478000009" in lines
    assert "URL;TYPE=work:https://www.lefevre.fr" in lines


def test_vcard_3(full: Person) -> None:
    """IO-3: vCard 3.0 writes phones as text and the primary as TYPE=pref."""
    lines = person_to_vcard(full, version="3.0").split("\r\n")

    assert "VERSION:3.0" in lines
    assert "TEL;TYPE=cell,voice,home,pref:+33612345678" in lines
    assert "EMAIL;TYPE=work,pref:helene@lefevre.fr" in lines
    assert "ORG:;Achats" in lines


def test_remark_location_and_extra_are_not_exported(full: Person) -> None:
    """IO-3: internal notes never leave the application in a vCard."""
    text = person_to_vcard(full)

    assert "slow payer" not in text
    assert "NOTE" not in text
    assert "Bâtiment" not in text


def test_long_values_are_folded(customer: Customer) -> None:
    """IO-3: lines are folded at 75 octets by vobject."""
    person = customer.add_person(
        last_name="Lefèvre",
        job_title="é" * 90,
        contact_types=["Purchasing"],
    )
    text = person_to_vcard(person)

    assert all(len(line.encode()) <= 76 for line in text.split("\r\n"))
    [record] = read_vcards(text)
    assert "é" * 90 == record.fields["job_title"]


@pytest.mark.parametrize(
    ("kwargs", "expected"),
    [
        ({"person": None}, [("person", "invalid_type")]),
        ({"person": "Lefèvre"}, [("person", "invalid_type")]),
        ({"customer": "ACME"}, [("customer", "invalid_type")]),
        ({"version": "2.1"}, [("version", "choice.invalid")]),
        ({"version": 4.0}, [("version", "invalid_type")]),
    ],
)
def test_person_to_vcard_refuses_bad_arguments(
    person: Person, kwargs: dict[str, Any], expected: list[tuple[str, str]]
) -> None:
    """IO-3: wrong arguments give ValidationError with their path."""
    arguments: dict[str, Any] = {"person": person, **kwargs}
    with pytest.raises(ValidationError) as e:
        person_to_vcard(**arguments)

    assert expected == codes(e)


@given(value=hostile_values())
def test_person_to_vcard_hostile_arguments(value: object) -> None:
    """IO-3: any customer or version gives a card or a ValidationError."""
    customer = Customer(name="ACME")
    customer.add_contact_type("Ops")
    person = customer.add_person(last_name="Martin", contact_types=["Ops"])
    for kwargs in ({"customer": value}, {"version": value}):
        with contextlib.suppress(ValidationError):
            person_to_vcard(person, **kwargs)  # type: ignore[arg-type]


def test_write_vcards(
    full: Person, person: Person, customer: Customer
) -> None:
    """IO-3: many cards in one text; ORG from the customers mapping."""
    text = write_vcards([full, person], customers={customer.id: customer})

    assert 2 == text.count("BEGIN:VCARD")
    assert 2 == text.count("ORG:Imprimerie Lefèvre")
    with pytest.raises(ValidationError) as e:
        write_vcards([full, "x"])  # type: ignore[list-item]
    assert [("persons[1]", "invalid_type")] == codes(e)
    with pytest.raises(ValidationError) as e:
        write_vcards("persons")  # type: ignore[arg-type]
    assert [("persons", "invalid_type")] == codes(e)
    with pytest.raises(ValidationError) as e:
        write_vcards([full], customers={customer.id: "ACME"})  # type: ignore[dict-item]
    assert [(f"customers[{customer.id}]", "invalid_type")] == codes(e)


def test_zip_has_one_safe_unique_file_per_person(customer: Customer) -> None:
    """IO-3: zip names are safe on every OS, unique and never empty."""
    names = [
        ("Lefèvre", "Hélène"),
        ("LEFÈVRE", "hélène"),
        ("../../etc", "passwd"),
        ("CON", ""),
        ("李", "小龙"),
        ("x" * 100, ""),
    ]
    persons = [
        customer.add_person(
            last_name=last, first_name=first, contact_types=["Purchasing"]
        )
        for last, first in names
    ]
    buffer = io.BytesIO()

    assert 6 == write_vcard_zip(buffer, persons)

    with zipfile.ZipFile(buffer) as archive:
        files = archive.namelist()
        assert [
            "Helene_Lefevre.vcf",
            "helene_LEFEVRE-2.vcf",
            "passwd_etc.vcf",
            "CON_.vcf",
            "contact.vcf",
            "x" * 60 + ".vcf",
        ] == files
        [record] = read_vcards(archive.read(files[0]))
        assert "Lefèvre" == record.fields["last_name"]


def test_zip_to_a_path_streams_and_removes_on_error(
    tmp_path: Path, person: Person
) -> None:
    """IO-3: a generator of persons is written; a bad one removes the file."""

    def persons() -> Iterator[object]:
        yield person
        yield "not a person"

    target = tmp_path / "cards.zip"
    assert 1 == write_vcard_zip(target, iter([person]), version="3.0")
    assert zipfile.is_zipfile(target)
    bad = tmp_path / "bad.zip"
    with pytest.raises(ValidationError) as e:
        write_vcard_zip(bad, persons())  # type: ignore[arg-type]
    assert [("persons[1]", "invalid_type")] == codes(e)
    assert not bad.exists()
    with pytest.raises(ValidationError) as e:
        write_vcard_zip(42, [person])  # type: ignore[arg-type]
    assert [("target", "invalid_type")] == codes(e)


# -- import: real-shaped files --------------------------------------------


def test_iphone() -> None:
    """IO-3: iOS 3.0 with item groups, lower-case type lists and a photo."""
    first, second = read("iphone.vcf")

    assert Source("iphone.vcf", None, 1) == first.source
    assert {
        "last_name": "Lefèvre",
        "first_name": "Hélène",
        "salutation": "Mme",
        "department": "Achats",
        "job_title": "Acheteuse",
        "channels": [
            channel("email", "helene.lefevre@lefevre.fr", primary=True),
            channel("mobile", "+33 6 12 34 56 78", primary=True),
            channel("phone", "+33 4 78 00 00 00"),
            channel("phone", "04 78 00 00 01", "work"),
            channel("web", "https://www.lefevre.fr", primary=True),
        ],
    } == first.fields
    assert "Imprimerie Lefèvre" == first.customer_name
    assert "PHOTO" in first.raw
    assert [
        channel("mobile", "06 98 76 54 32", primary=True),
        channel("fax", "01 23 45 67 89", "home"),
        channel("email", "paul.martin@example.com", "home"),
    ] == second.fields["channels"]
    assert () == first.problems == second.problems


def test_android() -> None:
    """IO-3: Android 2.1, quoted-printable UTF-8 with soft line breaks."""
    first, second = read("android.vcf")

    assert "Lefèvre" == first.fields["last_name"]
    assert "Hélène" == first.fields["first_name"]
    assert (
        "Rencontrée au salon de Lyon, très intéressée par l'offre d'été"
        == first.fields["remark"]
    )
    assert [
        channel("mobile", "+33612345678"),
        channel("phone", "0478000000", "work"),
        channel("email", "helene@example.fr", "home"),
    ] == first.fields["channels"]
    assert "Société Générale des Imprimeurs" == second.customer_name
    assert {"last_name": "N", "channels[0]": "TEL"}.items() <= dict(
        second.columns
    ).items()


def test_outlook() -> None:
    """IO-3: Outlook 2.1 in Windows-1252 bytes, bare parameters."""
    [record] = read("outlook.vcf")

    assert {
        "last_name": "Lefèvre",
        "first_name": "Hélène",
        "department": "Achats",
        "job_title": "Acheteuse principale",
        "remark": "Budget annuel : 5 000 €",
        "channels": [
            channel("phone", "+33 4 78 00 00 00", "work"),
            channel("mobile", "06 12 34 56 78"),
            channel("fax", "04 78 00 00 09", "work"),
            channel("web", "http://www.lefevre.fr", "work"),
            channel("email", "helene.lefevre@lefevre.fr", primary=True),
        ],
    } == record.fields
    assert () == record.problems


def test_google() -> None:
    """IO-3: Google 3.0 export, many cards; FN when N is empty."""
    records = read("google.vcf")

    assert [1, 2, 3, 4] == [r.source.row for r in records]
    assert (
        "Préfère être appelée le matin, avant 10 h.\n"
        "Ne pas appeler le vendredi." == records[0].fields["remark"]
    )
    assert {"last_name": "Martin", "first_name": "Paul"}.items() <= records[
        1
    ].fields.items()
    assert "FN" == records[1].columns["last_name"]
    assert "M." == records[2].fields["salutation"]
    assert "Support ACME" == records[3].fields["last_name"]
    assert "ACME SA" == records[3].customer_name


def test_thunderbird() -> None:
    """IO-3: Thunderbird 4.0 with tel: URIs, PREF=1 and ROLE."""
    [record] = read("thunderbird.vcf")

    assert ["Achats", "Stock"] == record.fields["functions"]
    assert "Contact principal\nbureau 2" == record.fields["remark"]
    assert [
        channel("email", "helene.lefevre@lefevre.fr", "work", primary=True),
        channel("email", "helene@example.fr", "home"),
        channel("mobile", "+33612345678", primary=True),
        channel("phone", "+33478000000", "work"),
        channel("fax", "+33478000009"),
        channel("web", "https://www.lefevre.fr", "work"),
    ] == record.fields["channels"]
    assert "ORG" == record.columns["department"]


def test_records_build_persons(customer: Customer) -> None:
    """IO-3: every sample card's fields are accepted by the model."""
    for name in (
        "iphone.vcf",
        "android.vcf",
        "outlook.vcf",
        "google.vcf",
        "thunderbird.vcf",
    ):
        for record in read(name):
            fields = dict(record.fields)
            person = customer.add_person(
                **fields, contact_types=["Purchasing"]
            )
            assert person.last_name


@pytest.mark.parametrize("version", ["3.0", "4.0"])
def test_round_trip(full: Person, customer: Customer, version: str) -> None:
    """IO-3, BX-8: person -> vCard -> record -> person keeps the fields."""
    [record] = read_vcards(
        person_to_vcard(full, customer=customer, version=version)
    )
    copy = customer.add_person(**record.fields, contact_types=["Purchasing"])

    assert customer.name == record.customer_name
    for name in (
        "last_name",
        "first_name",
        "salutation",
        "job_title",
        "department",
        "functions",
    ):
        assert getattr(full, name) == getattr(copy, name), name
    assert [(c.kind, c.value, c.primary) for c in full.channels] == [
        (c.kind, c.value, c.primary) for c in copy.channels
    ]
    # Billing and other have no vCard type: both come back as "other".
    assert ["work", "home", "work", "other", "work"] == [
        c.purpose.value for c in copy.channels
    ]


# -- import: encodings and sources ----------------------------------------

CARD = "BEGIN:VCARD\r\nVERSION:3.0\r\nN:Lefèvre;Hélène\r\nEND:VCARD\r\n"


@pytest.mark.parametrize(
    "data",
    [
        CARD,
        "\ufeff" + CARD,
        CARD.encode(),
        b"\xef\xbb\xbf" + CARD.encode(),
        CARD.encode("utf-16"),
        CARD.encode("utf-16-be").join([b"\xfe\xff", b""]),
        CARD.encode("utf-32"),
        CARD.encode("cp1252"),
        bytearray(CARD.encode()),
        io.BytesIO(CARD.encode("utf-16")),
        io.StringIO(CARD.replace("\r\n", "\n")),
    ],
)
def test_encodings(data: object) -> None:
    """IO-3: str, bytes (UTF-8, UTF-16, cp1252) and file objects."""
    [record] = read_vcards(data)

    assert "Lefèvre" == record.fields["last_name"]
    assert "Hélène" == record.fields["first_name"]
    assert () == record.problems


def test_quoted_printable_latin_1() -> None:
    """IO-3: 2.1 quoted-printable in ISO-8859-1 and windows-1252."""
    text = (
        "BEGIN:VCARD\nVERSION:2.1\n"
        "N;ENCODING=QUOTED-PRINTABLE;CHARSET=ISO-8859-1:Lef=E8vre;H=E9l=E8ne\n"
        "NOTE;ENCODING=QUOTED-PRINTABLE;CHARSET=windows-1252:5 =80=\n"
        " HT\nEND:VCARD\n"
    )
    [record] = read_vcards(text)

    assert "Lefèvre" == record.fields["last_name"]
    assert "5 € HT" == record.fields["remark"]


# -- import: bad input ----------------------------------------------------


@pytest.mark.parametrize(
    ("kwargs", "expected"),
    [
        ({"data": None}, [("data", "invalid_type")]),
        ({"data": 42}, [("data", "invalid_type")]),
        ({"data": ["BEGIN:VCARD"]}, [("data", "invalid_type")]),
        ({"file": None}, [("file", "invalid_type")]),
        ({"file": "x" * 300}, [("file", "text.too_long")]),
    ],
)
def test_read_vcards_refuses_bad_arguments(
    kwargs: dict[str, Any], expected: list[tuple[str, str]]
) -> None:
    """IO-3: wrong arguments are refused at the call, with their path."""
    arguments: dict[str, Any] = {"data": CARD, **kwargs}
    with pytest.raises(ValidationError) as e:
        read_vcards(**arguments)

    assert expected == codes(e)


@given(data=hostile_values(), file=hostile_values())
def test_read_vcards_hostile_values(data: object, file: object) -> None:
    """IO-3: any data and file give records or a ValidationError."""
    try:
        records = list(read_vcards(data, file=file))  # type: ignore[arg-type]
    except ValidationError:
        return
    assert all(isinstance(r, PersonRecord) for r in records)


@given(text=st.text(alphabet="BEGINDVCARD:;=\r\n \t.,\\\x00\ud800é"))
def test_read_vcards_any_text(text: str) -> None:
    """IO-3: any text made of vCard's own characters reads without error."""
    for record in read_vcards(text):
        assert isinstance(record, PersonRecord)


def test_truncated_nested_and_unbalanced() -> None:
    """IO-3: a card without END, nesting and stray lines keep the rest."""
    text = (
        "END:VCARD\n"  # Stray.
        "BEGIN:VCARD\nN:First\n"  # No END: truncated.
        "BEGIN:VCARD\nN:Second\nEND:VCARD\nEND:VCARD\n"
        "BEGIN:VCARD\nVERSION:2.1\nN:Third\nAGENT:\n"
        "BEGIN:VCARD\nN:Agent\nEND:VCARD\nTEL:+33612345678\nEND:VCARD\n"
        "BEGIN:VCARD\nN:Last"  # Cut at the end of the file.
    )
    records = list(read_vcards(text))

    assert ["First", "Second", "Third", "Last"] == [
        r.fields["last_name"] for r in records
    ]
    assert [1, 2, 3, 4] == [r.source.row for r in records]
    assert [("", "vcard.truncated")] == [
        (i.path, i.code) for i in records[0].problems
    ]
    assert () == records[1].problems == records[2].problems
    assert 1 == len(records[2].fields["channels"])
    assert ["vcard.truncated"] == [i.code for i in records[3].problems]


def test_unreadable_lines_are_problems_of_their_property() -> None:
    """IO-3: a line vobject cannot read is reported; the card still reads."""
    text = (
        'BEGIN:VCARD\nN:Martin\nTEL\nFN;X="open:x\n'
        "EMAIL;ENCODING=QUOTED-PRINTABLE;CHARSET=nope:a=40b\nEND:VCARD\n"
    )
    [record] = read_vcards(text)

    assert "Martin" == record.fields["last_name"]
    assert ["TEL", "FN", "EMAIL"] == [i.path for i in record.problems]
    assert {"vcard.unreadable"} == {i.code for i in record.problems}
    assert all(i.message("fr") for i in record.problems)


def test_photo_of_five_megabytes_is_skipped_quickly() -> None:
    """IO-3: a 5 MB picture, folded or on one line, is dropped fast."""
    photo = "A" * 5_000_000
    folded = "\r\n ".join(photo[i : i + 74] for i in range(0, len(photo), 74))
    for body in (photo, folded):
        text = (
            "BEGIN:VCARD\r\nVERSION:3.0\r\nN:Martin\r\n"
            f"PHOTO;ENCODING=b;TYPE=JPEG:{body}\r\n"
            "TEL:+33612345678\r\nEND:VCARD\r\n"
        )
        start = time.perf_counter()
        [record] = read_vcards(text.encode())
        assert time.perf_counter() - start < 5
        assert "Martin" == record.fields["last_name"]
        assert 1 == len(record.fields["channels"])
        assert () == record.problems
        assert len(record.raw) <= 64 * 1024


def test_long_lines_and_large_cards() -> None:
    """IO-3: a 1 MB NOTE line and a card over MAX_CARD are reported."""
    long_note = (
        f"BEGIN:VCARD\nN:Martin\nNOTE:{'x' * 1_000_000}\nTEL:1\nEND:VCARD\n"
    )
    [record] = read_vcards(long_note)
    assert [("NOTE", "vcard.too_large")] == [
        (i.path, i.code) for i in record.problems
    ]
    assert str(MAX_LINE) == record.problems[0].params["max"]
    assert "Martin" == record.fields["last_name"]
    assert "remark" not in record.fields

    notes = "".join(f"NOTE:{'x' * 1000}\n" for _ in range(MAX_CARD // 1000))
    big = f"BEGIN:VCARD\nN:Big\n{notes}END:VCARD\nBEGIN:VCARD\nN:Next\nEND:VCARD\n"
    first, second = read_vcards(big)
    assert [("", "vcard.too_large")] == [
        (i.path, i.code) for i in first.problems
    ]
    assert {} == first.fields
    assert "Next" == second.fields["last_name"]


class _Chunks(io.RawIOBase):
    """A binary file that makes its cards as it is read."""

    def __init__(self, count: int) -> None:
        self.cards = (
            f"BEGIN:VCARD\r\nVERSION:3.0\r\nN:Nom{i};Prénom\r\n"
            f"TEL;TYPE=CELL:+3361234{i:04d}\r\nEND:VCARD\r\n".encode()
            for i in range(count)
        )

    def readable(self) -> bool:
        return True

    def read(self, size: int = -1) -> bytes:  # noqa: ARG002
        return next(self.cards, b"")


def test_ten_thousand_cards_stream() -> None:
    """IO-3: 10,000 cards come one by one from a file read in chunks."""
    records = read_vcards(_Chunks(10_000), file="export.vcf")

    first = next(records)
    assert "Nom0" == first.fields["last_name"]
    count = 1 + sum(1 for _ in records)
    assert 10_000 == count


def test_many_cards_in_linear_time() -> None:
    """IO-3: reading time grows linearly with the number of cards."""

    def timed(n: int) -> float:
        text = "BEGIN:VCARD\nN:A\nEND:VCARD\n" * n
        start = time.perf_counter()
        for _ in read_vcards(text):
            pass
        return time.perf_counter() - start

    small, large = timed(2_000), timed(20_000)
    assert large < small * 10 * 3


def test_reader_errors_become_validation_errors() -> None:
    """IO-3: a file object that reads ints or raises is refused."""

    class Weird:
        def read(self, size: int) -> object:  # noqa: ARG002
            return 42

    class Broken:
        def read(self, size: int) -> object:  # noqa: ARG002
            raise RuntimeError

    for data in (Weird(), Broken()):
        records = read_vcards(data)
        with pytest.raises(ValidationError) as e:
            list(records)
        assert [("data", "invalid_type")] == codes(e)


def test_without_the_vcard_extra(
    monkeypatch: pytest.MonkeyPatch, person: Person
) -> None:
    """IO-3: without vobject the package imports; a vCard call names the extra."""
    monkeypatch.setitem(sys.modules, "vobject", None)
    with pytest.raises(ImportError, match=r"customer-domain\[vcard\]"):
        person_to_vcard(person)
    with pytest.raises(ImportError, match=r"customer-domain\[vcard\]"):
        read_vcards(CARD)
