# SPDX-License-Identifier: MIT
"""
Documents carry no privilege (IO-4 and the rules a command enforces):
a validated document sets only what the matching command could set.
"""

from __future__ import annotations

import datetime as dt
import json
import uuid

from typing import Any

import pytest

from customer_domain import (
    Agency,
    Category,
    Customer,
    ExternalUser,
    Person,
    ValidationError,
    can_access_order,
    serialization,
)
from customer_domain.serialization import CustomerSnapshot


def _doc(obj: object) -> dict[str, Any]:
    return json.loads(serialization.dumps(obj))  # type: ignore[no-any-return]


def _customer() -> Customer:
    return Customer(
        name="Hervé David", licenses=[{"quantity": 3, "title": "Portal"}]
    )


def _fresh_person() -> tuple[Customer, Person]:
    customer = _customer()
    person = customer.add_person(
        last_name="Couture",
        contact_types=["Customer"],
        channels=[{"kind": "email", "value": "mc@hervedavid.com"}],
    )
    return customer, person


def _fresh_user() -> ExternalUser:
    customer, person = _fresh_person()
    user, _ = customer.add_external_user(person)
    return user


OTHER = str(uuid.uuid4())
HASH = "0" * 64
#: Each command-only field, a value a client might try, and the
#: document it is tried on.
PRIVILEGED: list[tuple[str, str, object]] = [
    ("customer", "version", 7),
    ("customer", "version", 2**70),
    ("customer", "version", True),
    ("customer", "version", "0"),
    ("customer", "seat_ids", [OTHER]),
    ("customer", "super_admin_id", OTHER),
    (
        "customer",
        "duplicate_override",
        {"reason": "mine", "by": "me", "at": "2024-01-01T00:00:00+00:00"},
    ),
    ("person", "active", False),
    ("person", "active", 1),
    (
        "person",
        "affiliations",
        [{"customer_id": OTHER, "kind": "collaborator"}],
    ),
    ("person", "external_user_id", OTHER),
    ("person", "version", 3),
    ("external_user", "status", "active"),
    ("external_user", "status", {"value": "active"}),
    ("external_user", "super_admin", True),
    (
        "external_user",
        "invitation",
        {
            "token_hash": HASH,
            "expires_at": "9999-01-01T00:00:00+00:00",
            "used_at": None,
        },
    ),
    ("external_user", "version", 1),
    (
        "agency",
        "assignments",
        [{"order_ref": "ORD-1", "customer_id": OTHER, "agency_id": OTHER}],
    ),
    ("agency", "version", 5),
    ("category", "version", 1),
]


def _new(kind: str) -> tuple[type[Any], dict[str, Any]]:
    if kind == "customer":
        return Customer, _doc(_customer())
    if kind == "person":
        return Person, _doc(_fresh_person()[1])
    if kind == "external_user":
        # As add_external_user makes it before it issues the invitation
        # (and for a customer's second user).
        doc = _doc(_fresh_user())
        doc["data"].update(invitation=None, super_admin=False)
        return ExternalUser, doc
    if kind == "agency":
        return Agency, _doc(Agency(Customer(name="Studio", is_agency=True)))
    return Category, _doc(Category(title="Printers"))


@pytest.mark.parametrize(("kind", "field", "value"), PRIVILEGED)
def test_a_document_cannot_set_a_command_only_field(
    kind: str, field: str, value: object
) -> None:
    """
    CU-17, EU-1, EU-3, EU-4, PE-6, AG-2, ST-3: each command-only field
    set by a client document is refused at its path; the trusted form
    (what storage reads back) still holds it.
    """
    cls, doc = _new(kind)
    doc["data"][field] = value

    with pytest.raises(ValidationError) as e:
        serialization.structure(doc, cls)

    assert [(field, "field.read_only")] == [
        (i.path, i.code) for i in e.value.issues
    ]
    assert e.value.messages("fr")[0].startswith(f"{field}: Ce champ")


@pytest.mark.parametrize(
    "kind", ["customer", "person", "external_user", "agency", "category"]
)
def test_a_new_records_document_is_accepted(kind: str) -> None:
    """IO-4: command-only fields at a new record's value are accepted."""
    cls, doc = _new(kind)

    obj = serialization.structure(doc, cls)

    assert doc["data"]["version"] == obj.version == 0


def test_an_external_user_document_cannot_activate_itself() -> None:
    """EU-3, EU-4: no document makes a user active, admin or invited."""
    user = _fresh_user()
    assert user.super_admin
    doc = _doc(user)
    doc["data"].update(
        status="active",
        super_admin=True,
        customer_id=OTHER,
        invitation={
            "token_hash": HASH,
            "expires_at": "9999-01-01T00:00:00+00:00",
            "used_at": None,
        },
    )

    with pytest.raises(ValidationError) as e:
        serialization.structure(doc, ExternalUser)
    assert ["invitation", "status", "super_admin"] == sorted(
        i.path for i in e.value.issues
    )

    for key in ("status", "super_admin", "invitation"):
        del doc["data"][key]
    loaded = serialization.structure(doc, ExternalUser)
    assert (loaded.status.value, loaded.super_admin) == ("invited", False)
    assert loaded.invitation is None
    with pytest.raises(ValidationError) as e:
        loaded.accept_invitation("any token")
    assert ["invitation.invalid"] == list(e.value.codes)
    assert not loaded.is_active


def test_a_person_document_grants_no_order_access() -> None:
    """PE-6: only collaborate_with links a person to another customer."""
    customer, person = _fresh_person()
    doc = _doc(person)
    user, invitation = customer.add_external_user(person)
    user.accept_invitation(invitation.token)
    other = Customer(name="Other")
    doc["data"]["affiliations"] = [
        {"customer_id": str(other.id), "kind": "collaborator"}
    ]

    with pytest.raises(ValidationError) as e:
        serialization.structure(doc, Person)
    assert [("affiliations", "field.read_only")] == [
        (i.path, i.code) for i in e.value.issues
    ]

    doc["data"]["affiliations"] = []
    loaded = serialization.structure(doc, Person)
    assert not can_access_order(
        user, order_ref="O-1", order_customer_id=other.id, person=loaded
    )


def test_a_customer_document_sets_no_seat_admin_or_members() -> None:
    """
    CU-14, CU-17, EU-3, PE-2: seats, super-admin and contact-type members
    come from commands; timestamps are the time the document is read.
    """
    customer, person = _fresh_person()
    customer.add_external_user(person)
    doc = _doc(customer)

    with pytest.raises(ValidationError) as e:
        serialization.structure(doc, Customer)
    assert [
        "contact_types[0].person_ids",
        "seat_ids",
        "super_admin_id",
    ] == sorted(i.path for i in e.value.issues)
    assert {"field.read_only"} == set(e.value.codes)

    doc = _doc(Customer(name="Old"))
    doc["data"]["created_at"] = "2001-01-01T00:00:00+00:00"
    doc["data"]["modified_at"] = "2001-01-02T00:00:00+00:00"
    before = dt.datetime.now(dt.UTC)
    loaded = serialization.structure(doc, Customer)
    assert loaded.created_at == loaded.modified_at >= before
    doc["data"]["created_at"] = "yesterday"
    with pytest.raises(ValidationError) as e:
        serialization.structure(doc, Customer)
    assert ["created_at"] == [i.path for i in e.value.issues]


def test_a_snapshot_document_holds_no_users() -> None:
    """
    EU-1, EU-4, CU-17: users come from add_external_user, which issues
    their invitation; a client snapshot carries persons in contact types.
    """
    customer, person = _fresh_person()
    user, _ = customer.add_external_user(person)
    doc = _doc(CustomerSnapshot(customer, [person], [user]))

    with pytest.raises(ValidationError) as e:
        serialization.structure(doc, CustomerSnapshot)
    assert {
        "external_users",
        "customer.seat_ids",
        "customer.super_admin_id",
        "persons[0].external_user_id",
    } == {i.path for i in e.value.issues}

    data = doc["data"]
    data["external_users"] = []
    data["customer"].update(seat_ids=[], super_admin_id=None)
    data["persons"][0]["external_user_id"] = None
    snap = serialization.structure(doc, CustomerSnapshot)
    assert {person.id} == snap.customer.default_contact_type.person_ids
    assert snap.persons[0].external_user_id is None
