# SPDX-License-Identifier: MIT
"""Shared test configuration: Hypothesis profiles and small factories."""

from __future__ import annotations

import os

import pytest

from hypothesis import HealthCheck, settings

from customer_domain import ContactType, Customer, Person


# The first parse in a phone region loads its metadata (~1 ms): no
# deadlines.  CI is derandomized so that a run is reproducible.
settings.register_profile(
    "dev",
    deadline=None,
    max_examples=50,
    suppress_health_check=[HealthCheck.too_slow],
)
settings.register_profile(
    "ci",
    parent=settings.get_profile("dev"),
    derandomize=True,
    print_blob=True,
)
settings.load_profile("ci" if os.environ.get("CI") else "dev")


@pytest.fixture(name="customer")
def _customer() -> Customer:
    """A French company with one spare contact type and two licenses."""
    customer = Customer(
        name="Imprimerie Lefèvre",
        legal_form="SARL",
        number="C-0001",
        address={"city": "Lyon", "postal_code": "69001", "country": "FR"},
        licenses=[{"quantity": 2, "title": "Portal"}],
    )
    customer.add_contact_type("Purchasing")
    return customer


@pytest.fixture(name="purchasing")
def _purchasing(customer: Customer) -> ContactType:
    """The customer's "Purchasing" contact type."""
    return customer.contact_type("Purchasing")


@pytest.fixture(name="person")
def _person(customer: Customer, purchasing: ContactType) -> Person:
    """Hélène Lefèvre, in Purchasing, with an e-mail and a mobile."""
    return customer.add_person(
        first_name="Hélène",
        last_name="Lefèvre",
        contact_types=[purchasing],
        channels=[
            {"kind": "email", "value": "helene.lefevre@lefevre.fr"},
            {"kind": "mobile", "value": "06 12 34 56 78"},
        ],
    )
