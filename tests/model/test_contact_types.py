# SPDX-License-Identifier: MIT
"""Contact types (SPEC CT-1..CT-4) and membership (PE-2)."""

from __future__ import annotations

import pytest

from customer_domain import (
    DEFAULT_CONTACT_TYPE,
    ContactType,
    Customer,
    Person,
    ValidationError,
)


def codes(
    error: pytest.ExceptionInfo[ValidationError],
) -> list[tuple[str, str]]:
    """The (path, code) pairs of a raised ValidationError."""
    return [(i.path, i.code) for i in error.value.issues]


def test_every_customer_has_the_default_contact_type() -> None:
    """CT-2: a new customer has the contact type "Customer", empty."""
    customer = Customer(name="ACME")

    (default,) = customer.contact_types
    assert DEFAULT_CONTACT_TYPE == default.name == "Customer"
    assert default.is_default
    assert frozenset() == default.person_ids
    assert default is customer.default_contact_type


def test_contact_types_may_stay_empty_and_are_managed_freely() -> None:
    """CT-1, CT-4: others are created, renamed and deleted freely."""
    customer = Customer(name="ACME")
    prepress = customer.add_contact_type("Prepress")
    assert frozenset() == prepress.person_ids

    renamed = customer.rename_contact_type(prepress, "Pre-press")
    assert prepress.id == renamed.id
    assert renamed is customer.contact_type("pre-press")

    customer.remove_contact_type(renamed.id)
    assert ["Customer"] == [ct.name for ct in customer.contact_types]


@pytest.mark.parametrize(
    "name", ["", "   ", "customer", "PURCHASING", None, 3]
)
def test_contact_type_names_are_required_and_unique(name: object) -> None:
    """CT-1: a name is required and unique within the customer."""
    customer = Customer(name="ACME")
    customer.add_contact_type("Purchasing")

    with pytest.raises(ValidationError) as e:
        customer.add_contact_type(name)  # type: ignore[arg-type]

    ((path, code),) = codes(e)
    assert "name" == path
    assert code in {"required", "contact_type.duplicate_name", "invalid_type"}
    assert 2 == len(customer.contact_types)


def test_default_contact_type_cannot_be_deleted_or_renamed() -> None:
    """CT-2: the contact type "Customer" can never be deleted or renamed."""
    customer = Customer(name="ACME")
    default = customer.default_contact_type

    for attempt in (
        lambda: customer.remove_contact_type(default),
        lambda: customer.remove_contact_type("Customer"),
        lambda: customer.rename_contact_type(default.id, "Clients"),
    ):
        with pytest.raises(ValidationError) as e:
            attempt()
        assert ["contact_type.default_protected"] == list(e.value.codes)
    assert (default,) == customer.contact_types


def test_default_contact_type_holds_at_most_one_person() -> None:
    """CT-3: a second person in "Customer" is refused, first is kept."""
    customer = Customer(name="ACME")
    other = customer.add_contact_type("Other")
    first = customer.add_person(last_name="First", contact_types=["Customer"])

    with pytest.raises(ValidationError) as e:
        customer.add_person(last_name="Second", contact_types=["Customer"])
    assert [("contact_types[0]", "contact_type.default_occupied")] == codes(e)

    second = customer.add_person(last_name="Second", contact_types=[other])
    with pytest.raises(ValidationError) as e:
        customer.assign(second, customer.default_contact_type)
    assert [("contact_type[0]", "contact_type.default_occupied")] == codes(e)
    assert frozenset({first.id}) == customer.default_contact_type.person_ids
    assert frozenset({first.id, second.id}) == customer.person_ids


def test_person_needs_a_contact_type_of_its_customer() -> None:
    """PE-2: at least one contact type, and one of its own customer."""
    customer = Customer(name="ACME")
    elsewhere = Customer(name="Other").add_contact_type("Sales")

    for types, expected in (
        ([], [("contact_types", "person.contact_type_required")]),
        ([elsewhere], [("contact_types[0]", "contact_type.unknown")]),
        (["Nope"], [("contact_types[0]", "contact_type.unknown")]),
        (42, [("contact_types", "invalid_type")]),
    ):
        with pytest.raises(ValidationError) as e:
            customer.add_person(last_name="X", contact_types=types)  # type: ignore[arg-type]
        assert expected == codes(e)
    assert frozenset() == customer.person_ids


def test_one_person_in_several_contact_types(
    customer: Customer, person: Person
) -> None:
    """PE-2: the same person (same id, same user) in several types."""
    prepress = customer.add_contact_type("Prepress")
    customer.assign(person, prepress)
    customer.assign(person, prepress)  # Assigning twice changes nothing.

    assert ["Purchasing", "Prepress"] == [
        ct.name for ct in customer.contact_types_of(person)
    ]
    customer.unassign(person, "Purchasing")
    assert [prepress] == list(customer.contact_types_of(person))


def test_last_contact_type_of_a_person_cannot_go(
    customer: Customer, person: Person, purchasing: ContactType
) -> None:
    """PE-2: unassigning or deleting a person's only contact type fails."""
    with pytest.raises(ValidationError) as e:
        customer.unassign(person, purchasing)
    assert ["person.contact_type_required"] == list(e.value.codes)

    with pytest.raises(ValidationError) as e:
        customer.remove_contact_type(purchasing)
    assert ["contact_type.in_use"] == list(e.value.codes)
    assert (purchasing,) == customer.contact_types_of(person)


def test_contact_type_of_another_customer_person_is_refused(
    person: Person,
) -> None:
    """PE-2: a customer only manages its own persons."""
    other = Customer(name="Other")

    with pytest.raises(ValidationError) as e:
        other.assign(person, other.default_contact_type)
    assert ["person.other_customer"] == list(e.value.codes)


def test_contact_types_are_created_by_their_customer() -> None:
    """CT-1: contact types have no public constructor."""
    with pytest.raises(TypeError, match=r"Customer\.add_contact_type"):
        ContactType()
