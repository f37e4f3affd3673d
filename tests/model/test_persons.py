# SPDX-License-Identifier: MIT
"""Persons (SPEC PE-1..PE-6, BX-1)."""

from __future__ import annotations

import datetime as dt
import pickle

import pytest

from customer_domain import (
    AffiliationKind,
    Customer,
    ExternalUser,
    Person,
    ValidationError,
)


def codes(
    error: pytest.ExceptionInfo[ValidationError],
) -> list[tuple[str, str]]:
    """The (path, code) pairs of a raised ValidationError."""
    return [(i.path, i.code) for i in error.value.issues]


def test_person_fields(customer: Customer) -> None:
    """PE-1: title, names, job title, department, functions, location..."""
    person = customer.add_person(
        salutation="Mme",
        first_name=" Mireille ",
        last_name="Couture",
        job_title="Responsable stock",
        department="Logistique",
        functions=["Achats", "Stock", "Achats", " "],
        location="Montréal",
        remark="Visible by the contact\nsecond line",
        contact_types=["Purchasing"],
    )

    assert "Mireille Couture" == person.full_name
    assert ("Achats", "Stock") == person.functions
    assert "Visible by the contact\nsecond line" == person.remark
    assert person.active
    assert person.customer_id == customer.id
    assert (
        f"<Person id={person.id} name='Mireille Couture' customer={customer.id}>"
        == repr(person)
    )


def test_last_name_is_required_and_all_problems_are_listed(
    customer: Customer,
) -> None:
    """PE-1: last name required; every bad field reported with its path."""
    with pytest.raises(ValidationError) as e:
        customer.add_person(
            first_name="x" * 101,
            functions="Achats",
            remark="bad\x00char",
            colour="red",
            contact_types=[],
            channels=[{"kind": "phone", "value": "521 1224 6321"}],
        )

    assert [
        ("colour", "unknown_field"),
        ("first_name", "text.too_long"),
        ("functions", "invalid_type"),
        ("remark", "text.control_characters"),
        ("channels[0].value", "phone.too_long"),
        ("last_name", "required"),
        ("contact_types", "person.contact_type_required"),
    ] == codes(e)
    assert frozenset() == customer.person_ids


def test_update_is_all_or_nothing(person: Person) -> None:
    """PE-1: update validates every change before applying any."""
    person.update(job_title="Acheteuse", functions=["Achats"])
    assert ("Acheteuse", ("Achats",)) == (person.job_title, person.functions)

    with pytest.raises(ValidationError) as e:
        person.update(job_title="Cheffe", last_name="")
    assert [("last_name", "required")] == codes(e)
    assert "Acheteuse" == person.job_title

    person.update(
        channels=[{"kind": "phone", "value": "04 72 00 00 00"}], region="FR"
    )
    assert ["+33472000000"] == [ch.value for ch in person.channels]


def test_persons_are_never_deleted_only_deactivated(
    customer: Customer, person: Person
) -> None:
    """PE-4: no delete method; deactivate and reactivate keep the person."""
    assert not hasattr(customer, "remove_person")
    assert not hasattr(person, "delete")

    customer.deactivate_person(person)
    assert not person.active
    assert person.id in customer.person_ids
    customer.reactivate_person(person)
    assert person.active


def test_host_can_veto_deactivation(
    customer: Customer, person: Person
) -> None:
    """PE-4: the host's reference checker can refuse, with its reason."""

    def veto(p: Person) -> str | None:
        return "responsible user of 3 assets" if p.id == person.id else None

    with pytest.raises(ValidationError) as e:
        customer.deactivate_person(person, veto=veto)

    assert ["person.deactivation_refused"] == list(e.value.codes)
    assert (
        "Cette personne ne peut pas être désactivée : responsible user of 3 assets"
        == e.value.issues[0].message("fr")
    )
    assert person.active


def test_deactivating_a_person_deactivates_its_user(
    customer: Customer, person: Person
) -> None:
    """PE-4, CU-17: the person's external user goes too and frees its seat."""
    user, _ = customer.add_external_user(person)
    assert 1 == customer.license_usage().used

    customer.deactivate_person(person, external_user=user)

    assert not person.active
    assert not user.is_active
    assert 0 == customer.license_usage().used


def test_move_keeps_identity_and_history(
    customer: Customer, person: Person
) -> None:
    """PE-5: moved, not re-created; membership ended; user keeps its id."""
    user, _ = customer.add_external_user(person)
    new_company = Customer(
        name="Nouvelle Société", licenses=[{"quantity": 1, "title": "P"}]
    )
    sales = new_company.add_contact_type("Sales")
    person.collaborate_with(new_company.id, role="buyer")
    before = (person.id, user.id, user.login)

    customer.move_person(
        person,
        to=new_company,
        contact_types=[sales],
        external_user=user,
        at=dt.datetime(2025, 3, 1, tzinfo=dt.UTC),
        role="Acheteuse",
    )

    assert before == (person.id, user.id, user.login)
    assert new_company.id == person.customer_id == user.customer_id
    assert person.id not in customer.person_ids
    assert frozenset({person.id}) == sales.person_ids
    past = [a for a in person.affiliations if a.kind is AffiliationKind.MEMBER]
    assert [(customer.id, dt.date(2025, 3, 1), False, "Acheteuse")] == [
        (a.customer_id, a.valid_to, a.active, a.role) for a in past
    ]
    assert not any(a.active for a in person.affiliations)
    assert (0, 1) == (
        customer.license_usage().used,
        new_company.license_usage().used,
    )
    assert user.super_admin
    assert new_company.super_admin_id == user.id
    assert customer.super_admin_id is None


def test_failed_move_changes_nothing(
    customer: Customer, person: Person
) -> None:
    """PE-5: a refused move (no free license there) leaves all as it was."""
    user, _ = customer.add_external_user(person)
    target = Customer(name="No licenses")

    with pytest.raises(ValidationError) as e:
        customer.move_person(
            person, to=target, contact_types=[], external_user=user
        )

    assert [
        ("contact_types", "person.contact_type_required"),
    ] == codes(e)
    with pytest.raises(ValidationError) as e:
        customer.move_person(
            person, to=target, contact_types=["Customer"], external_user=user
        )
    assert [("external_user", "license.exhausted")] == codes(e)
    with pytest.raises(ValidationError) as e:
        customer.move_person(person, to=target, contact_types=["Customer"])
    assert [("external_user", "required")] == codes(e)
    with pytest.raises(ValidationError):
        customer.move_person(person, to=customer, contact_types=["Customer"])

    assert person.customer_id == customer.id == user.customer_id
    assert person.id in customer.person_ids
    assert frozenset() == target.person_ids
    assert () == person.affiliations


def test_collaborations_have_role_dates_and_active_flag(
    person: Person,
) -> None:
    """PE-6, BX-1: a person may manage other customers, with history."""
    other = Customer(name="Filiale")
    link = person.collaborate_with(
        other.id,
        role="Gestionnaire",
        valid_from="2025-01-01",
        valid_to="2025-12-31",
    )

    assert ("Gestionnaire", dt.date(2025, 1, 1), True) == (
        link.role,
        link.valid_from,
        link.active,
    )
    assert other.id in person.customer_ids(on=dt.date(2025, 6, 1))
    assert other.id not in person.customer_ids(on=dt.date(2026, 6, 1))

    person.end_collaboration(other.id, on="2025-06-30")
    (ended,) = person.affiliations
    assert (dt.date(2025, 6, 30), False) == (ended.valid_to, ended.active)
    assert frozenset({person.customer_id}) == person.customer_ids(
        on=dt.date(2025, 6, 1)
    )


def test_bad_collaborations_are_refused(person: Person) -> None:
    """PE-6, BX-1: own customer, reversed dates and unknown links refused."""
    other = Customer(name="Filiale")
    with pytest.raises(ValidationError) as e:
        person.collaborate_with(person.customer_id)
    assert ["affiliation.own_customer"] == list(e.value.codes)
    with pytest.raises(ValidationError) as e:
        person.collaborate_with(
            other.id, valid_from="2025-02-01", valid_to="2025-01-01"
        )
    assert [("valid_to", "dates.order")] == codes(e)
    with pytest.raises(ValidationError) as e:
        person.end_collaboration(other.id)
    assert ["affiliation.unknown"] == list(e.value.codes)
    assert () == person.affiliations


def test_persons_are_created_by_their_customer() -> None:
    """PE-2: a Person cannot be made outside a customer."""
    with pytest.raises(TypeError, match=r"Customer\.add_person"):
        Person(last_name="X")
    with pytest.raises(TypeError, match=r"Customer\.add_external_user"):
        ExternalUser()


def test_persons_pickle_and_compare_by_id(person: Person) -> None:
    """Entities compare by id and pickle."""
    copy = pickle.loads(pickle.dumps(person))  # noqa: S301 -- our own data.

    assert copy == person
    assert copy.channels == person.channels
    assert hash(copy) == hash(person)
