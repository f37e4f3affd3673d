# SPDX-License-Identifier: MIT
"""Agencies acting for customers on orders (SPEC AG-1..AG-4)."""

from __future__ import annotations

import pytest

from customer_domain import (
    Agency,
    AgencyAssignment,
    Customer,
    ExternalUser,
    Person,
    ValidationError,
    can_access_order,
)


def _active_user(customer: Customer, name: str) -> ExternalUser:
    """An accepted external user of *customer*."""
    return _person_and_user(customer, name)[1]


def _person_and_user(
    customer: Customer, name: str
) -> tuple[Person, ExternalUser]:
    """A person of *customer* with an accepted external user."""
    customer.update(licenses=[{"quantity": 5, "title": "P"}])
    person = customer.add_person(
        last_name=name,
        contact_types=[customer.add_contact_type(f"Team {name}")],
        channels=[{"kind": "email", "value": f"{name.lower()}@example.com"}],
    )
    user, invitation = customer.add_external_user(person)
    user.accept_invitation(invitation.token)
    return person, user


def test_only_flagged_customers_are_agencies() -> None:
    """AG-1: any customer can be flagged; unflagged ones are refused."""
    with pytest.raises(ValidationError) as e:
        Agency(Customer(name="Plain"))
    assert ["agency.not_an_agency"] == list(e.value.codes)
    with pytest.raises(ValidationError):
        Agency("not a customer")  # type: ignore[arg-type]

    flagged = Customer(name="Plain")
    flagged.update(is_agency=True)
    assert flagged.id == Agency(flagged).customer_id


def test_agency_users_see_only_assigned_orders() -> None:
    """AG-2, AG-3: the agency's users see order 1 of C, no other of C's."""
    client = Customer(name="Client 1")
    studio = Customer(name="Client 2", is_agency=True)
    agency = Agency(studio)
    client_user = _active_user(client, "Alice")
    agency_user = _active_user(studio, "Bob")

    assignment = agency.assign("ORDER-1", customer=client)

    assert AgencyAssignment("ORDER-1", client.id, studio.id) == assignment
    assert can_access_order(
        agency_user,
        order_ref="ORDER-1",
        order_customer_id=client.id,
        agency=agency,
    )
    assert not can_access_order(
        agency_user,
        order_ref="ORDER-2",
        order_customer_id=client.id,
        agency=agency,
    )
    assert can_access_order(
        client_user, order_ref="ORDER-2", order_customer_id=client.id
    )
    assert not can_access_order(
        client_user, order_ref="X", order_customer_id=studio.id, agency=agency
    )


def test_access_is_the_union_and_removal_revokes() -> None:
    """AG-4: an agency for many customers at once; unassign removes access."""
    studio = Customer(name="Studio", is_agency=True)
    agency = Agency(studio)
    c1, c3 = Customer(name="Client 1"), Customer(name="Client 3")
    agency.assign("ORDER-1", customer=c1)
    agency.assign("ORDER-3", customer=c3.id)
    user = _active_user(studio, "Bob")

    assert agency.can_access("ORDER-1", c1.id)
    assert agency.can_access("ORDER-3", c3.id)
    assert not agency.can_access("ORDER-3", c1.id)

    agency.unassign("ORDER-1", customer=c1)
    assert not can_access_order(
        user, order_ref="ORDER-1", order_customer_id=c1.id, agency=agency
    )
    assert can_access_order(
        user, order_ref="ORDER-3", order_customer_id=c3.id, agency=agency
    )
    with pytest.raises(ValidationError) as e:
        agency.unassign("ORDER-1", customer=c1)
    assert ["agency.not_assigned"] == list(e.value.codes)


def test_bad_assignments_are_refused() -> None:
    """AG-2: own orders, duplicates and bad references are refused."""
    studio = Customer(name="Studio", is_agency=True)
    agency = Agency(studio)
    client = Customer(name="Client")
    agency.assign("ORDER-1", customer=client)

    for ref, customer, expected in (
        ("ORDER-9", studio, [("customer", "agency.own_order")]),
        ("ORDER-1", client, [("order_ref", "agency.already_assigned")]),
        ("", client, [("order_ref", "required")]),
        ("ORDER-2", "nope", [("customer", "uuid.invalid")]),
    ):
        with pytest.raises(ValidationError) as e:
            agency.assign(ref, customer=customer)  # type: ignore[arg-type]
        assert expected == [(i.path, i.code) for i in e.value.issues]
    assert 1 == len(agency.assignments)
    with pytest.raises(ValidationError):
        AgencyAssignment("O", studio.id, studio.id)


def test_inactive_users_and_collaborations() -> None:
    """AG-3, PE-6: inactive users see nothing; collaborators see more."""
    home, managed = Customer(name="Home"), Customer(name="Managed")
    person, user = _person_and_user(home, "Carl")
    assert not can_access_order(
        user, order_ref="O", order_customer_id=managed.id
    )

    person.collaborate_with(managed.id, role="Portal manager")
    assert can_access_order(
        user, order_ref="O", order_customer_id=managed.id, person=person
    )
    person.end_collaboration(managed.id)
    assert not can_access_order(
        user, order_ref="O", order_customer_id=managed.id, person=person
    )

    home.deactivate_external_user(user)
    assert not can_access_order(user, order_ref="O", order_customer_id=home.id)
