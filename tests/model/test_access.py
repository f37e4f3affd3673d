# SPDX-License-Identifier: MIT
"""One access decision with its reasons (EU-2, CU-12, AG-1..AG-4, PE-6)."""

from __future__ import annotations

import datetime as dt
import ipaddress

from typing import Any

import pytest

from customer_domain import (
    Agency,
    Customer,
    ExternalUser,
    ValidationError,
    decide_access,
)


def _active_user(customer: Customer, **options: object) -> ExternalUser:
    person = customer.add_person(
        last_name="Roy",
        contact_types=["Purchasing"],
        channels=[{"kind": "email", "value": "roy@example.com"}],
    )
    user, invitation = customer.add_external_user(person, **options)  # type: ignore[arg-type]
    user.accept_invitation(invitation.token)
    return user


def test_active_user_of_a_valid_customer_is_allowed(
    customer: Customer,
) -> None:
    """EU-2, CU-12: the plain case is allowed, with no reasons."""
    user = _active_user(customer)
    decision = decide_access(user, customer=customer)
    assert decision
    assert decision.reasons == ()
    order = decide_access(
        user, customer=customer, order_ref="O-1", order_customer=customer
    )
    assert order.allowed


@pytest.mark.parametrize(
    ("changes", "code"),
    [
        ({"blocked": True}, "access.customer_blocked"),
        ({"active": False}, "access.customer_inactive"),
        ({"valid_from": "2999-01-01"}, "access.customer_not_yet_valid"),
    ],
)
def test_customer_state_denies_its_users(
    customer: Customer, changes: dict[str, Any], code: str
) -> None:
    """CU-12: a blocked, inactive or not-yet-valid customer grants none."""
    user = _active_user(customer)
    customer.update(**changes)
    decision = decide_access(user, customer=customer)
    assert not decision
    assert decision.codes == (code,)
    assert decision.messages("fr")[0].startswith("Le client")


def test_invited_and_inactive_users_are_denied(customer: Customer) -> None:
    """EU-4: only an active user gets in."""
    person = customer.add_person(
        last_name="Roy",
        contact_types=["Purchasing"],
        channels=[{"kind": "email", "value": "roy@example.com"}],
    )
    user, _ = customer.add_external_user(person)
    assert decide_access(user, customer=customer).codes == (
        "access.user_invited",
    )
    customer.deactivate_external_user(user)
    assert decide_access(user, customer=customer).codes == (
        "access.user_inactive",
    )


def test_ip_and_branch_restrictions(customer: Customer) -> None:
    """EU-2: networks and the branch are enforced alike."""
    user = _active_user(
        customer, allowed_networks=["192.0.2.0/24"], branch="Lyon"
    )
    ok = decide_access(
        user, customer=customer, address="192.0.2.7", branch=" lyon "
    )
    assert ok.allowed
    denied = decide_access(
        user,
        customer=customer,
        address=ipaddress.ip_address("198.51.100.1"),
        branch="Paris",
    )
    assert denied.codes == ("access.address_refused", "access.branch_refused")
    unknown = decide_access(user, customer=customer)
    assert unknown.codes == ("access.address_refused", "access.branch_refused")


def test_agency_access_ends_with_the_flag_and_the_client_state(
    customer: Customer,
) -> None:
    """AG-1, AG-3: clearing the agency flag ends its assignments' access."""
    studio = Customer(
        name="Studio",
        is_agency=True,
        licenses=[{"quantity": 1, "title": "Portal"}],
    )
    studio.add_contact_type("Purchasing")
    user = _active_user(studio)
    agency = Agency(studio)
    agency.assign("O-1", customer=customer)
    allowed = decide_access(
        user,
        customer=studio,
        order_ref="O-1",
        order_customer=customer,
        agency=agency,
    )
    assert allowed
    other = decide_access(
        user,
        customer=studio,
        order_ref="O-2",
        order_customer=customer,
        agency=agency,
    )
    assert other.codes == ("access.order_refused",)
    customer.update(blocked=True)
    blocked = decide_access(
        user,
        customer=studio,
        order_ref="O-1",
        order_customer=customer,
        agency=agency,
    )
    assert blocked.codes == ("access.customer_blocked",)
    assert blocked.reasons[0].path == "order_customer"
    customer.update(blocked=False)
    studio.update(is_agency=False)
    cleared = decide_access(
        user,
        customer=studio,
        order_ref="O-1",
        order_customer=customer,
        agency=agency,
    )
    assert cleared.codes == ("access.agency_flag_cleared",)


def test_collaboration_gives_access_while_current(customer: Customer) -> None:
    """PE-6, BX-1: a current collaboration opens the other's orders."""
    person = customer.add_person(
        last_name="Roy",
        contact_types=["Purchasing"],
        channels=[{"kind": "email", "value": "roy@example.com"}],
    )
    user, invitation = customer.add_external_user(person)
    user.accept_invitation(invitation.token)
    other = Customer(name="Other")
    person.collaborate_with(other.id, role="buyer")

    def decide() -> tuple[str, ...]:
        return decide_access(
            user,
            customer=customer,
            order_ref="O-9",
            order_customer=other,
            person=person,
        ).codes

    assert decide() == ()
    person.end_collaboration(other.id, on="2000-01-01")
    assert decide() == ("access.order_refused",)


def test_bad_arguments_are_refused(customer: Customer) -> None:
    """EU-2: wrong types, or another customer, are ValidationErrors."""
    user = _active_user(customer)
    with pytest.raises(ValidationError) as e:
        decide_access(user, customer=Customer(name="X"))
    assert [i.path for i in e.value.issues] == ["customer"]
    with pytest.raises(ValidationError) as e:
        decide_access("u", customer="c", address=5, on="soon")  # type: ignore[arg-type]
    assert {i.path for i in e.value.issues} == {"user", "customer", "address"}
    with pytest.raises(ValidationError) as e:
        decide_access(user, customer=customer, order_customer=customer)
    assert [i.path for i in e.value.issues] == ["order_ref"]
    with pytest.raises(ValidationError) as e:
        decide_access(user, customer=customer, on=dt.datetime.now(dt.UTC))
    assert [i.path for i in e.value.issues] == ["on"]
