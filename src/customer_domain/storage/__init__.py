# SPDX-License-Identifier: MIT
"""
Storage: the protocols a backend implements (ST-1), and the project's
adapters.

* :class:`InMemoryStore`: in this process's memory; the fake for tests.
* :class:`customer_domain.storage.sql.SqlStore`: SQLite or PostgreSQL
  through SQLAlchemy Core (``pip install customer-domain[sql]``).

>>> from customer_domain import Customer
>>> from customer_domain.storage import InMemoryStore, CustomerQuery
>>> store = InMemoryStore()
>>> with store.unit_of_work("acme") as uow:
...     uow.customers.add(Customer(name="Imprimerie Lefèvre"))
...     uow.commit()
>>> with store.unit_of_work("acme") as uow:
...     page = uow.customers.search(CustomerQuery(text="LEFEVRE"))
...     [c.name for c in page.items]
['Imprimerie Lefèvre']
"""

from __future__ import annotations

from customer_domain.storage._uow import set_version
from customer_domain.storage.memory import InMemoryStore, InMemoryUnitOfWork
from customer_domain.storage.protocols import (
    MAX_LIMIT,
    Agencies,
    Categories,
    CustomerQuery,
    Customers,
    ExternalUsers,
    MatchKey,
    MatchKeys,
    Page,
    Persons,
    Sequences,
    Store,
    UnitOfWork,
)


__all__ = [
    "MAX_LIMIT",
    "Agencies",
    "Categories",
    "CustomerQuery",
    "Customers",
    "ExternalUsers",
    "InMemoryStore",
    "InMemoryUnitOfWork",
    "MatchKey",
    "MatchKeys",
    "Page",
    "Persons",
    "Sequences",
    "Store",
    "UnitOfWork",
    "set_version",
]
