# SPDX-License-Identifier: MIT
"""Shared test configuration: Hypothesis profiles and small factories."""

from __future__ import annotations

import os
import uuid

from collections.abc import Iterator

import pytest
import sqlalchemy as sa

from hypothesis import HealthCheck, settings

from customer_domain import ContactType, Customer, Person
from customer_domain.storage.sql import SqlStore


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


# -- stores -------------------------------------------------------------

#: The environment variable that holds the PostgreSQL URL of the tests.
POSTGRES_ENV = "CUSTOMER_DOMAIN_TEST_POSTGRES_URL"


@pytest.fixture(scope="session")
def postgres_url() -> str:
    url = os.environ.get(POSTGRES_ENV, "")
    if not url:
        pytest.skip(
            f"PostgreSQL tests need {POSTGRES_ENV} set to a database URL, "
            "e.g. postgresql://postgres@127.0.0.1:5432/test "
            "(.ci/run sets it)"
        )
    return url


@pytest.fixture(scope="session")
def postgres_engine(postgres_url: str) -> Iterator[sa.Engine]:
    engine = sa.create_engine(
        postgres_url.replace("postgresql://", "postgresql+psycopg://", 1)
    )
    yield engine
    engine.dispose()


def new_schema(engine: sa.Engine) -> str:
    """Create an empty schema of its own for one test; return its name."""
    schema = f"cd_test_{uuid.uuid4().hex[:16]}"
    with engine.begin() as conn:
        conn.exec_driver_sql(f'CREATE SCHEMA "{schema}"')
    return schema


def drop_schema(engine: sa.Engine, schema: str) -> None:
    with engine.begin() as conn:
        conn.exec_driver_sql(f'DROP SCHEMA "{schema}" CASCADE')


@pytest.fixture
def postgres_schema(postgres_engine: sa.Engine) -> Iterator[str]:
    """An empty PostgreSQL schema of this test's own, dropped afterwards."""
    schema = new_schema(postgres_engine)
    try:
        yield schema
    finally:
        drop_schema(postgres_engine, schema)


@pytest.fixture
def postgres_store(
    postgres_engine: sa.Engine, postgres_schema: str
) -> SqlStore:
    """A SqlStore in a schema of its own."""
    return SqlStore(postgres_engine, schema=postgres_schema)


@pytest.fixture
def sqlite_store(tmp_path: os.PathLike[str]) -> Iterator[SqlStore]:
    """A SqlStore in a new SQLite file."""
    store = SqlStore(f"sqlite:///{tmp_path}/customers.db")
    yield store
    store.dispose()
