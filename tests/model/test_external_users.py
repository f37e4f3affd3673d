# SPDX-License-Identifier: MIT
"""External users and licenses (SPEC EU-1..EU-5, CU-17)."""

from __future__ import annotations

import datetime as dt
import ipaddress

import pytest

from customer_domain import (
    Customer,
    Invitation,
    InvitationToken,
    Person,
    UserStatus,
    ValidationError,
)


NOW = dt.datetime(2025, 1, 10, 9, tzinfo=dt.UTC)


def codes(
    error: pytest.ExceptionInfo[ValidationError],
) -> list[tuple[str, str]]:
    """The (path, code) pairs of a raised ValidationError."""
    return [(i.path, i.code) for i in error.value.issues]


def test_user_is_made_from_a_person_with_prefilled_email(
    customer: Customer, person: Person
) -> None:
    """EU-1, EU-2: login, e-mail from the person, fixed "customer" role."""
    user, invitation = customer.add_external_user(
        person,
        login="8005551216",
        allowed_networks=["192.0.2.0/24", "2001:db8::1"],
    )

    assert person.external_user_id == user.id
    assert (person.id, customer.id) == (user.person_id, user.customer_id)
    assert ("8005551216", "helene.lefevre@lefevre.fr") == (
        user.login,
        user.email,
    )
    assert "customer" == user.role
    assert UserStatus.INVITED is user.status
    assert (
        ipaddress.ip_network("192.0.2.0/24"),
        ipaddress.ip_network("2001:db8::1/128"),
    ) == user.allowed_networks
    assert isinstance(invitation, Invitation)


def test_login_defaults_to_the_email(
    customer: Customer, person: Person
) -> None:
    """EU-2: without a login, the user code is the (lower-cased) e-mail."""
    user, _ = customer.add_external_user(person, email="Helene@Lefevre.FR")

    assert "helene@lefevre.fr" == user.login
    assert "Helene@lefevre.fr" == user.email


def test_one_external_user_per_person(
    customer: Customer, person: Person
) -> None:
    """EU-1: a second user for the same person is refused."""
    customer.add_external_user(person)

    with pytest.raises(ValidationError) as e:
        customer.add_external_user(person, login="other")
    assert [("person", "external_user.exists")] == codes(e)
    assert 1 == customer.license_usage().used


def test_one_user_whatever_the_number_of_contact_types(
    customer: Customer, person: Person
) -> None:
    """EU-1, PE-2: a person in several contact types has one user."""
    customer.assign(person, customer.add_contact_type("Prepress"))
    user, _ = customer.add_external_user(person)

    assert 2 == len(customer.contact_types_of(person))
    assert person.external_user_id == user.id


def test_bad_user_input_is_reported_field_by_field(
    customer: Customer, person: Person
) -> None:
    """EU-2: "123.542.654.785" and other bad values are refused."""
    with pytest.raises(ValidationError) as e:
        customer.add_external_user(
            person,
            login="a b",
            email="not-an-email",
            allowed_networks=["10.0.0.0/8", "123.542.654.785", "10.0.0.1/8"],
        )

    assert [
        ("email", "email.missing_at"),
        ("login", "login.invalid"),
        ("allowed_networks[1]", "network.invalid"),
        ("allowed_networks[2]", "network.host_bits"),
    ] == codes(e)
    assert (
        "« 123.542.654.785 » n’est pas une adresse ou un réseau IPv4 ou IPv6."
        == e.value.issues[2].message("fr")
    )
    assert person.external_user_id is None


def test_person_without_email_needs_one(customer: Customer) -> None:
    """EU-2: the e-mail is required; it comes from the person if it has one."""
    bare = customer.add_person(
        last_name="Martin", contact_types=["Purchasing"]
    )

    with pytest.raises(ValidationError) as e:
        customer.add_external_user(bare, login="martin")
    assert [("email", "external_user.email_required")] == codes(e)


def test_first_user_is_the_super_admin(
    customer: Customer, person: Person
) -> None:
    """EU-3: the first external user of a customer is its super-admin."""
    other = customer.add_person(
        last_name="Martin",
        contact_types=["Purchasing"],
        channels=[{"kind": "email", "value": "martin@lefevre.fr"}],
    )
    first, _ = customer.add_external_user(person)
    second, _ = customer.add_external_user(other)

    assert (True, False) == (first.super_admin, second.super_admin)
    assert first.id == customer.super_admin_id


def test_default_user_for_a_customer_without_persons() -> None:
    """EU-3, EU-1: a default user comes with its own person."""
    customer = Customer(name="ACME", licenses=[{"quantity": 1, "title": "P"}])

    person, user, _ = customer.add_default_user(
        login="acme-admin", email="admin@acme.com"
    )

    assert user.super_admin
    assert person.external_user_id == user.id
    assert (customer.default_contact_type,) == customer.contact_types_of(
        person
    )
    with pytest.raises(ValidationError) as e:
        customer.add_default_user(login="again", email="again@acme.com")
    assert ["external_user.has_persons"] == list(e.value.codes)


def test_users_are_bounded_by_licenses(
    customer: Customer, person: Person
) -> None:
    """CU-17: no free license, no new user; deactivation frees a seat."""
    others = [
        customer.add_person(
            last_name=f"P{i}",
            contact_types=["Purchasing"],
            channels=[{"kind": "email", "value": f"p{i}@lefevre.fr"}],
        )
        for i in range(2)
    ]
    first, _ = customer.add_external_user(person)
    customer.add_external_user(others[0])

    with pytest.raises(ValidationError) as e:
        customer.add_external_user(others[1])
    (issue,) = e.value.issues
    assert "license.exhausted" == issue.code
    assert (
        "No free license: 2 of 2 customer licenses are used."
        == issue.message("en")
    )
    assert others[1].external_user_id is None

    customer.deactivate_external_user(first)
    third, _ = customer.add_external_user(others[1])
    assert 2 == customer.license_usage().used
    with pytest.raises(ValidationError):
        customer.reactivate_external_user(first)
    with pytest.raises(ValidationError) as e:
        customer.update(licenses=[{"quantity": 1, "title": "Portal"}])
    assert [("licenses", "license.exhausted")] == codes(e)
    assert 2 == customer.license_usage().quantity
    assert third.holds_seat


def test_invitation_is_random_hashed_single_use_and_expiring(
    customer: Customer, person: Person
) -> None:
    """EU-4: token random, stored hashed, single-use, expiring."""
    user, invitation = customer.add_external_user(person, now=NOW)
    stored = user.invitation

    assert stored is not None
    assert invitation.token not in repr(invitation)
    assert invitation.token != stored.token_hash
    assert 64 == len(stored.token_hash)
    assert (
        NOW + dt.timedelta(days=7)
        == stored.expires_at
        == invitation.expires_at
    )

    with pytest.raises(ValidationError) as e:
        user.accept_invitation("guess", now=NOW)
    assert ["invitation.invalid"] == list(e.value.codes)
    with pytest.raises(ValidationError) as e:
        user.accept_invitation(
            invitation.token, now=NOW + dt.timedelta(days=8)
        )
    assert ["invitation.expired"] == list(e.value.codes)

    user.accept_invitation(invitation.token, now=NOW + dt.timedelta(days=1))
    assert user.is_active
    with pytest.raises(ValidationError) as e:
        user.accept_invitation(
            invitation.token, now=NOW + dt.timedelta(days=1)
        )
    assert ["invitation.used"] == list(e.value.codes)


def test_reinviting_replaces_the_old_link(
    customer: Customer, person: Person
) -> None:
    """EU-4: a new invitation invalidates the previous one."""
    user, old = customer.add_external_user(person, now=NOW)
    new = user.invite(now=NOW)

    with pytest.raises(ValidationError):
        user.accept_invitation(old.token, now=NOW)
    user.accept_invitation(new.token, now=NOW)
    assert user.is_active
    for junk in (None, 42, b"x"):
        with pytest.raises(ValidationError):
            user.accept_invitation(junk, now=NOW)
    with pytest.raises(ValidationError) as e:
        user.invite(now=dt.datetime(2025, 1, 1))  # noqa: DTZ001
    assert ["datetime.naive"] == list(e.value.codes)


def test_inactive_user_cannot_accept(
    customer: Customer, person: Person
) -> None:
    """EU-4: a deactivated user's link does not activate it."""
    user, invitation = customer.add_external_user(person, now=NOW)
    customer.deactivate_external_user(user)

    with pytest.raises(ValidationError) as e:
        user.accept_invitation(invitation.token, now=NOW)
    assert ["external_user.inactive"] == list(e.value.codes)


def test_ip_restriction(customer: Customer, person: Person) -> None:
    """EU-2: optional restriction to addresses or networks, v4 and v6."""
    user, _ = customer.add_external_user(person)
    assert user.allows("203.0.113.9")  # No restriction: every address.

    user.update(
        allowed_networks=["192.0.2.0/24", "2001:db8::/32"], branch="Montréal"
    )
    assert user.allows("192.0.2.77")
    assert user.allows(ipaddress.ip_address("::ffff:192.0.2.77"))
    assert user.allows("2001:db8::5")
    assert not user.allows("203.0.113.9")
    assert not user.allows("not an address")
    assert "Montréal" == user.branch

    with pytest.raises(ValidationError) as e:
        user.update(allowed_networks=["123.542.654.785"], login="")
    assert [
        ("login", "required"),
        ("allowed_networks[0]", "network.invalid"),
    ] == codes(e)
    assert 2 == len(user.allowed_networks)


def test_invitation_values_validate_their_input() -> None:
    """EU-4: stored invitation tokens are checked when built from data."""
    with pytest.raises(ValidationError) as e:
        InvitationToken("nothex", "yesterday")
    assert [
        ("token_hash", "invalid_type"),
        ("expires_at", "datetime.invalid"),
    ] == codes(e)
