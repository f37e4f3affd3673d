# SPDX-License-Identifier: MIT
"""JSContact export and import, and their match with vCard (SPEC BX-8)."""

from __future__ import annotations

import json

from typing import Any

import pytest
import vobject

from hypothesis import given

from customer_domain import Customer, Person, ValidationError
from customer_domain.interchange import (
    PersonRecord,
    Source,
    person_to_jscontact,
    person_to_vcard,
    read_jscontact,
    read_vcards,
)
from customer_domain.testing.hostile import DEEP, hostile_values


def codes(
    error: pytest.ExceptionInfo[ValidationError],
) -> list[tuple[str, str]]:
    """The (path, code) pairs of a raised ValidationError."""
    return [(i.path, i.code) for i in error.value.issues]


@pytest.fixture(name="full")
def _full(customer: Customer) -> Person:
    """A person with every exported field and a channel of each kind."""
    return customer.add_person(
        salutation="Mme",
        first_name="Hélène",
        last_name="Lefèvre",
        job_title="Acheteuse",
        department="Achats",
        functions=["Stock", "Export"],
        remark="Internal",
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


def test_card(full: Person, customer: Customer) -> None:
    """BX-8: a JSContact Card as RFC 9553 defines it."""
    card = person_to_jscontact(full, customer=customer)

    assert {
        "@type": "Card",
        "version": "1.0",
        "uid": f"urn:uuid:{full.id}",
        "kind": "individual",
        "name": {
            "components": [
                {"kind": "title", "value": "Mme"},
                {"kind": "given", "value": "Hélène"},
                {"kind": "surname", "value": "Lefèvre"},
            ],
            "full": "Hélène Lefèvre",
        },
        "organizations": {
            "o1": {"name": "Imprimerie Lefèvre", "units": [{"name": "Achats"}]}
        },
        "titles": {
            "t1": {"kind": "title", "name": "Acheteuse"},
            "r1": {"kind": "role", "name": "Stock"},
            "r2": {"kind": "role", "name": "Export"},
        },
        "emails": {
            "e1": {
                "address": "helene@lefevre.fr",
                "contexts": {"work": True},
                "pref": 1,
            }
        },
        "phones": {
            "p1": {
                "number": "tel:+33612345678",
                "features": {"mobile": True, "voice": True},
                "contexts": {"private": True},
                "pref": 1,
            },
            "p2": {
                "number": "tel:+33478000000",
                "features": {"voice": True},
                "contexts": {"work": True},
            },
            "p3": {"number": "tel:+33478000009", "features": {"fax": True}},
        },
        "links": {
            "l1": {"uri": "https://www.lefevre.fr", "contexts": {"work": True}}
        },
    } == card
    assert "Internal" not in json.dumps(card)


def test_round_trips_agree_with_vcard(
    full: Person, customer: Customer
) -> None:
    """BX-8: person -> JSContact and person -> vCard 4 read the same."""
    [from_json] = read_jscontact(
        json.dumps(person_to_jscontact(full, customer=customer))
    )
    [from_vcard] = read_vcards(person_to_vcard(full, customer=customer))

    assert from_vcard.fields == from_json.fields
    assert from_vcard.customer_name == from_json.customer_name
    copy = customer.add_person(
        **from_json.fields, contact_types=["Purchasing"]
    )
    assert (full.last_name, full.first_name, full.salutation) == (
        copy.last_name,
        copy.first_name,
        copy.salutation,
    )
    assert [(c.kind, c.value, c.primary) for c in full.channels] == [
        (c.kind, c.value, c.primary) for c in copy.channels
    ]


def _params(line: Any) -> set[str]:
    types = {
        t.lower() for v in line.params.get("TYPE", ()) for t in v.split(",")
    }
    return types | ({"pref"} if line.params.get("PREF") == ["1"] else set())


def test_vcard_4_and_jscontact_say_the_same(
    full: Person, customer: Customer
) -> None:
    """BX-8: each vCard 4 property has its RFC 9555 JSContact twin."""
    card = vobject.readOne(person_to_vcard(full, customer=customer))
    js = person_to_jscontact(full, customer=customer)

    assert card.uid.value == js["uid"]
    assert card.fn.value == js["name"]["full"]
    n = card.n.value
    components = {c["kind"]: c["value"] for c in js["name"]["components"]}
    assert (n.family, n.given, n.prefix) == (
        components["surname"],
        components["given"],
        components["title"],
    )
    assert card.org.value == [
        js["organizations"]["o1"]["name"],
        js["organizations"]["o1"]["units"][0]["name"],
    ]
    titles = list(js["titles"].values())
    assert [card.title.value] == [
        t["name"] for t in titles if t["kind"] == "title"
    ]
    assert [r.value for r in card.contents["role"]] == [
        t["name"] for t in titles if t["kind"] == "role"
    ]
    contexts = {"work": "work", "home": "private"}
    for line, entry in zip(
        card.contents["tel"], js["phones"].values(), strict=True
    ):
        types = _params(line)
        assert line.value == entry["number"]
        assert {f for f in ("voice", "fax") if f in types} | (
            {"mobile"} if "cell" in types else set()
        ) == set(entry["features"])
        assert {contexts[t] for t in types if t in contexts} == set(
            entry.get("contexts", ())
        )
        assert ("pref" in types) == (entry.get("pref") == 1)
    for line, entry in zip(
        card.contents["email"], js["emails"].values(), strict=True
    ):
        assert line.value == entry["address"]
        assert ("pref" in _params(line)) == (entry.get("pref") == 1)
    assert [u.value for u in card.contents["url"]] == [
        link["uri"] for link in js["links"].values()
    ]


def test_read_list_text_and_bytes() -> None:
    """BX-8: a card, a list of cards, their JSON text or bytes."""
    card = {
        "@type": "Card",
        "name": {"full": "Martin, Paul"},
        "titles": {"x": {"name": "Comptable"}},
        "notes": {"n1": {"note": "Rappeler"}},
        "phones": {"p": {"number": "+33 1 23 45 67 89", "contexts": {}}},
    }
    for data in (card, [card], json.dumps(card), json.dumps([card]).encode()):
        [record] = read_jscontact(data, file="contacts.json")
        assert Source("contacts.json", None, 1) == record.source
        assert {
            "last_name": "Martin",
            "first_name": "Paul",
            "job_title": "Comptable",
            "remark": "Rappeler",
            "channels": [
                {
                    "kind": "phone",
                    "value": "+33 1 23 45 67 89",
                    "purpose": "other",
                    "primary": False,
                }
            ],
        } == record.fields
        assert "name.full" == record.columns["last_name"]
        assert "phones.p" == record.columns["channels[0]"]


def test_bad_cards_are_records_with_problems() -> None:
    """BX-8: wrong types inside a card are problems at their path."""
    cards = [
        "not a card",
        {"@type": "CardGroup"},
        {
            "name": {"components": [{"kind": "surname", "value": 42}, 7]},
            "emails": {"e1": {"address": ["x"]}, "e2": "x"},
            "phones": {"p1": {"number": "1", "features": ["mobile"]}},
            "organizations": [],
        },
        {"name": {"components": "Martin"}},
    ]
    records = list(read_jscontact(cards))

    assert [[("", "invalid_type")]] == [
        [(i.path, i.code) for i in records[0].problems]
    ]
    assert [("@type", "jscontact.not_a_card")] == [
        (i.path, i.code) for i in records[1].problems
    ]
    assert [
        ("name.components[0].value", "invalid_type"),
        ("name.components[1]", "invalid_type"),
        ("organizations", "invalid_type"),
        ("emails.e1.address", "invalid_type"),
        ("emails.e2", "invalid_type"),
        ("phones.p1.features", "invalid_type"),
    ] == [(i.path, i.code) for i in records[2].problems]
    assert [("name.components", "invalid_type")] == [
        (i.path, i.code) for i in records[3].problems
    ]
    assert [1, 2, 3, 4] == [r.source.row for r in records]


@pytest.mark.parametrize(
    ("data", "expected"),
    [
        (None, [("data", "invalid_type")]),
        (42, [("data", "invalid_type")]),
        ("{", [("data", "invalid_type")]),
        ('"a card"', [("data", "invalid_type")]),
        ("[" * DEEP + "]" * DEEP, [("data", "document.too_deep")]),
        ("[" * 200_000, [("data", "document.too_deep")]),
    ],
)
def test_read_jscontact_refuses_bad_documents(
    data: object, expected: list[tuple[str, str]]
) -> None:
    """BX-8: bad JSON, deep nesting and wrong types at the call."""
    with pytest.raises(ValidationError) as e:
        read_jscontact(data)  # type: ignore[arg-type]

    assert expected == codes(e)


def test_huge_document_is_refused(monkeypatch: pytest.MonkeyPatch) -> None:
    """BX-8: a text over MAX_JSON is refused before parsing."""
    from customer_domain.interchange import jscontact  # noqa: PLC0415

    monkeypatch.setattr(jscontact, "MAX_JSON", 10)
    with pytest.raises(ValidationError) as e:
        read_jscontact("[" + " " * 20 + "]")

    assert [("data", "document.too_large")] == codes(e)


@given(data=hostile_values(), file=hostile_values())
def test_read_jscontact_hostile_values(data: object, file: object) -> None:
    """BX-8: any data and file give records or a ValidationError."""
    try:
        records = list(read_jscontact(data, file=file))  # type: ignore[arg-type]
    except ValidationError:
        return
    assert all(isinstance(r, PersonRecord) for r in records)


@given(value=hostile_values())
def test_hostile_values_inside_a_card(value: object) -> None:
    """BX-8: any value at any place of a card gives problems, not errors."""
    for card in (
        {"name": value},
        {"name": {"components": value, "full": value}},
        {"name": {"components": [{"kind": value, "value": value}]}},
        {
            "emails": {
                "e": {"address": value, "contexts": value, "pref": value}
            }
        },
        {"phones": {"p": {"number": "1", "features": value}}},
        {"organizations": {"o": {"name": value, "units": value}}},
        {"titles": {"t": {"kind": value, "name": value}}},
        {"notes": value, "links": {"l": value}},
    ):
        [record] = read_jscontact(card)
        assert isinstance(record, PersonRecord)


def test_person_to_jscontact_refuses_bad_arguments(person: Person) -> None:
    """BX-8: wrong arguments give ValidationError with their path."""
    with pytest.raises(ValidationError) as e:
        person_to_jscontact("Martin")  # type: ignore[arg-type]
    assert [("person", "invalid_type")] == codes(e)
    with pytest.raises(ValidationError) as e:
        person_to_jscontact(person, customer={"name": "ACME"})  # type: ignore[arg-type]
    assert [("customer", "invalid_type")] == codes(e)
