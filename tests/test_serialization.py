# SPDX-License-Identifier: MIT
"""The JSON wire format (SPEC IO-4): versioned, lossless, strict."""

from __future__ import annotations

import json

from typing import Any

import cattrs
import pytest

from customer_domain import (
    Agency,
    Category,
    CommunicationChannel,
    Customer,
    ExternalUser,
    Person,
    ValidationError,
    serialization,
)
from customer_domain.serialization import CustomerSnapshot


def _snapshot(*, users: bool = True) -> CustomerSnapshot:
    customer = Customer(
        name="Hervé David",
        number="8005551",
        address={"city": "Montréal", "country": "CA"},
        licenses=[{"quantity": 2, "title": "Portal"}],
        terms={
            "status": "accepted",
            "by": "md",
            "at": "2024-01-01T10:00:00+01:00",
        },
    )
    ops = customer.add_contact_type("Opérations")
    persons = [
        customer.add_person(
            first_name=f"P{i}",
            last_name="Couture",
            contact_types=[ops],
            channels=[
                {"kind": "email", "value": f"p{i}@hervedavid.com"},
                {"kind": "phone", "value": "514 555 0123"},
            ],
        )
        for i in range(3)
    ]
    if not users:
        return CustomerSnapshot(customer, persons)
    user, _ = customer.add_external_user(
        persons[2], allowed_networks=["10.0.0.0/8"]
    )
    return CustomerSnapshot(customer, persons, [user])


def _doc(obj: object) -> dict[str, Any]:
    return json.loads(serialization.dumps(obj))  # type: ignore[no-any-return]


def _without_timestamps(text: str) -> str:
    data = json.loads(text)["data"]
    for d in (data, data.get("customer", {})):
        d.pop("created_at", None)
        d.pop("modified_at", None)
    return json.dumps(data)


def test_every_entity_round_trips() -> None:
    """IO-4: dumps then loads (trusted) gives an equal document."""
    snap = _snapshot()
    agency = Agency(Customer(name="Studio", is_agency=True))
    agency.assign("ORDER-1", customer=snap.customer)
    objects: list[object] = [
        snap,
        snap.customer,
        snap.persons[0],
        snap.external_users[0],
        agency,
        Category(title="Printers"),
        snap.persons[0].channels[1],
    ]
    for obj in objects:
        text = serialization.dumps(obj)
        back = serialization.loads(text, type(obj), trusted=True)
        assert text == serialization.dumps(back)
        assert type(obj) is type(back)


def test_new_records_round_trip_through_the_client_form() -> None:
    """
    IO-4: what a client may send (a new record) round-trips through the
    validated path, timestamps aside (set when the document is read).
    """
    snap = _snapshot(users=False)
    fresh = Customer(name="Fresh")
    fresh.add_contact_type("Buyers")
    objects: list[object] = [
        snap,
        fresh,
        snap.persons[0],
        Agency(Customer(name="Studio", is_agency=True)),
        Category(title="Printers"),
        snap.persons[0].channels[1],
    ]
    for obj in objects:
        text = serialization.dumps(obj)
        back = serialization.loads(text, type(obj))
        assert _without_timestamps(text) == _without_timestamps(
            serialization.dumps(back)
        )
        assert type(obj) is type(back)


def test_documents_are_versioned() -> None:
    """IO-4: each document names its schema and version."""
    doc = _doc(Category(title="Printers"))

    assert {"schema", "version", "data"} == doc.keys()
    assert ("customer_domain.category", 1) == (doc["schema"], doc["version"])
    doc["version"] = 99
    with pytest.raises(ValidationError) as e:
        serialization.structure(doc, Category)
    assert ["document.unsupported"] == list(e.value.codes)
    with pytest.raises(ValidationError):
        serialization.structure(doc, dict)
    with pytest.raises(ValidationError) as e:
        serialization.loads("{not json", Category)
    assert ["invalid_type"] == list(e.value.codes)


def test_structure_errors_have_paths_into_the_document() -> None:
    """Bad data in a snapshot reports persons[2].channels[0].value etc."""
    doc = _doc(_snapshot(users=False))
    data = doc["data"]
    data["persons"][2]["channels"][0]["raw"] = "mireille.couture@"
    data["persons"][1]["last_name"] = ""
    data["persons"][0]["nickname"] = "Mimi"
    data["customer"]["currency"] = "EURO"

    with pytest.raises(ValidationError) as e:
        serialization.structure(doc, CustomerSnapshot)

    assert [
        ("customer.currency", "currency.invalid"),
        ("persons[0].nickname", "unknown_field"),
        ("persons[1].last_name", "required"),
        ("persons[2].channels[0].value", "email.empty_domain"),
    ] == [(i.path, i.code) for i in e.value.issues]
    assert (
        "persons[2].channels[0].value: Il doit y avoir quelque chose après le @."
        == e.value.messages("fr")[3]
    )


def test_snapshot_checks_rules_across_aggregates() -> None:
    """PE-2, EU-1, CU-17: a snapshot's persons and users must fit."""
    doc = _doc(_snapshot(users=False))
    data = doc["data"]
    data["persons"].pop(0)

    with pytest.raises(ValidationError) as e:
        serialization.structure(doc, CustomerSnapshot)
    assert [
        ("customer.contact_types[1].person_ids", "person.other_customer"),
    ] == [(i.path, i.code) for i in e.value.issues]

    snap = _snapshot()
    other = _snapshot()
    with pytest.raises(ValidationError) as e:
        CustomerSnapshot(snap.customer, snap.persons, other.external_users)
    assert [
        ("external_users[0].customer_id", "external_user.other_customer"),
        ("external_users[0].person_id", "external_user.other_customer"),
        ("customer.seat_ids", "license.exhausted"),
    ] == [(i.path, i.code) for i in e.value.issues]


def test_customer_document_rules_are_checked() -> None:
    """CT-2, CT-3: a document cannot drop or stuff the default type."""
    doc = _doc(_snapshot(users=False))
    types = doc["data"]["customer"]["contact_types"]
    types[0]["person_ids"] = list(types[1]["person_ids"])
    types.append(
        {
            "id": types[1]["id"],
            "name": "opérations",
            "is_default": False,
            "person_ids": [],
        }
    )

    with pytest.raises(ValidationError) as e:
        serialization.structure(doc, CustomerSnapshot)
    assert [
        (
            "customer.contact_types[0].person_ids",
            "contact_type.default_occupied",
        ),
        ("customer.contact_types[2].name", "contact_type.duplicate_name"),
    ] == [(i.path, i.code) for i in e.value.issues]

    doc = _doc(Customer(name="Studio"))
    doc["data"]["contact_types"][0]["is_default"] = False
    with pytest.raises(ValidationError) as e:
        serialization.structure(doc, Customer)
    assert ["contact_type.default_protected"] == list(e.value.codes)
    doc["data"]["contact_types"] = []
    with pytest.raises(ValidationError) as e:
        serialization.structure(doc, Customer)
    assert [("contact_types", "required")] == [
        (i.path, i.code) for i in e.value.issues
    ]


@pytest.mark.parametrize("data", [None, 1, "x", [], {"schema": 1}])
def test_junk_documents_are_refused(data: object) -> None:
    """Arbitrary input gives ValidationError, never another error."""
    for cls in (
        Customer,
        Person,
        ExternalUser,
        Agency,
        Category,
        CommunicationChannel,
        CustomerSnapshot,
    ):
        with pytest.raises(ValidationError):
            serialization.structure(data, cls)
        with pytest.raises(ValidationError):
            serialization.structure(
                {
                    "schema": serialization.DOCUMENT_TYPES[cls],
                    "version": 1,
                    "data": data,
                },
                cls,
            )


def test_trusted_path_does_not_revalidate() -> None:
    """The trusted path (storage reads) skips phonenumbers & co."""
    doc = _doc(_snapshot().persons[0])
    doc["data"]["channels"][1]["value"] = "+15145550199"  # Not raw's value.

    person = serialization.structure(doc, Person, trusted=True)

    assert "+15145550199" == person.channels[1].value
    with pytest.raises(ValidationError):
        serialization.structure(doc, Person)
    del doc["data"]["last_name"]
    with pytest.raises(ValidationError) as e:
        serialization.structure(doc, Person, trusted=True)
    assert ["document.unsupported"] == list(e.value.codes)


def test_make_converter_gives_a_new_converter() -> None:
    """make_converter never touches cattrs' global converter."""
    a, b = serialization.make_converter(), serialization.make_converter()
    category = Category(title="Printers")

    assert a is not b
    assert a is not cattrs.global_converter
    assert a.unstructure(category) == b.unstructure(category)
    assert "Printers" == a.structure(a.unstructure(category), Category).title

    own = cattrs.Converter()
    serialization.configure_converter(own, trusted=True)
    assert category == own.structure(own.unstructure(category), Category)
