# SPDX-License-Identifier: MIT
"""
Customers and persons as rows of cells, for exports (IO-1).

Rows use the same columns as the import template, so an export can be
imported again.  Pages are read from the store one unit of work at a
time: memory stays flat whatever the size of the base.

>>> from customer_domain import Customer
>>> from customer_domain.storage import InMemoryStore
>>> store = InMemoryStore()
>>> acme = Customer(name="ACME", number="C-1", address={"country": "FR"})
>>> with store.unit_of_work("org") as uow:
...     uow.customers.add(acme)
...     uow.commit()
>>> rows = customer_rows(store, "org", columns=["number", "name"])
>>> list(rows)
[['C-1', 'ACME']]
"""

from __future__ import annotations

import datetime as dt
import enum

from collections.abc import Iterator, Sequence
from typing import Final, Literal

from customer_domain._collect import Collector
from customer_domain.interchange.columns import (
    CUSTOMER_COLUMNS,
    PERSON_COLUMNS,
    Column,
)
from customer_domain.model import ChannelKind, Customer, Person
from customer_domain.storage.protocols import CustomerQuery, Store


__all__ = [
    "customer_rows",
    "export_columns",
    "iter_persons",
    "person_rows",
]

Cell = str | int | float | bool | dt.date | dt.datetime | None
Locale = Literal["en", "fr"]
#: Customers read per unit of work.
PAGE: Final = 500
_YES: Final = {"en": ("yes", "no"), "fr": ("oui", "non")}


def export_columns(
    kind: Literal["customers", "persons"],
    keys: Sequence[str] | None = None,
) -> tuple[Column, ...]:
    """
    The columns of an export of *kind*: all of them, or those named by
    *keys* in that order.

    Raises:
        ValidationError: A key names no column (path ``columns[i]``).
    """
    every = CUSTOMER_COLUMNS if kind == "customers" else PERSON_COLUMNS
    if keys is None:
        return every
    by_key = {c.key: c for c in every}
    c = Collector()
    if isinstance(keys, str | bytes) or not isinstance(keys, Sequence):
        c.add("columns", "invalid_type", keys, expected="a list of columns")
        c.raise_if_any()
    chosen = []
    given: Sequence[object] = keys
    for i, key in enumerate(given):
        column = by_key.get(key) if isinstance(key, str) else None
        if column is None:
            c.add(
                f"columns[{i}]",
                "choice.invalid",
                key,
                choices=", ".join(by_key),
            )
        else:
            chosen.append(column)
    if not chosen and not c:
        c.add("columns", "required")
    c.raise_if_any()
    return tuple(chosen)


def _cell(value: object, locale: Locale) -> Cell:
    if isinstance(value, enum.Enum):
        return str(value.value)
    if isinstance(value, bool):
        yes, no = _YES[locale]
        return yes if value else no
    if isinstance(value, tuple):
        return "; ".join(str(v) for v in value)
    if isinstance(value, str | int | float | dt.date) or value is None:
        return value
    return str(value)


def _channel(record: Customer | Person, key: str) -> str:
    kind = ChannelKind(key.removesuffix("_2"))
    found = [ch for ch in record.channels if ch.kind is kind]
    index = 1 if key.endswith("_2") else 0
    return found[index].value if index < len(found) else ""


def _value(
    record: Customer | Person, column: Column, customer: Customer | None
) -> object:
    key = column.key
    if column.kind == "channel":
        return _channel(record, key)
    if key.startswith("address."):
        address = getattr(record, "address", None)
        return getattr(address, key.removeprefix("address."), "") or ""
    if isinstance(record, Person) and customer is not None:
        if key == "customer_number":
            return customer.number or ""
        if key == "customer_name":
            return customer.name
        if key == "contact_types":
            return tuple(ct.name for ct in customer.contact_types_of(record))
    return getattr(record, key, "")


def customer_rows(
    store: Store,
    organization: str,
    query: CustomerQuery | None = None,
    *,
    columns: Sequence[str] | None = None,
    locale: Locale = "en",
) -> Iterator[list[Cell]]:
    """
    The customers matching *query* (SE-1, SE-2; all of them by default)
    as rows of *columns*, in the search's order.

    Raises:
        ValidationError: A column or the query is wrong.
    """
    chosen = export_columns("customers", columns)
    for customer in _customers(store, organization, query):
        yield [_cell(_value(customer, c, None), locale) for c in chosen]


def person_rows(
    store: Store,
    organization: str,
    query: CustomerQuery | None = None,
    *,
    columns: Sequence[str] | None = None,
    include_inactive: bool = False,
    locale: Locale = "en",
) -> Iterator[list[Cell]]:
    """
    The persons of the customers matching *query*, customer by customer
    (in the search's order), as rows of *columns*.

    Raises:
        ValidationError: A column or the query is wrong.
    """
    chosen = export_columns("persons", columns)
    for customer, persons in _with_persons(
        store, organization, query, include_inactive=include_inactive
    ):
        for person in persons:
            yield [_cell(_value(person, c, customer), locale) for c in chosen]


def _check_query(query: object) -> CustomerQuery:
    if query is None:
        return CustomerQuery(limit=PAGE)
    if not isinstance(query, CustomerQuery):
        c = Collector()
        c.add("query", "invalid_type", query, expected="a customer query")
        c.raise_if_any()
    return query  # type: ignore[return-value]


def _pages(
    store: Store, organization: str, query: object
) -> Iterator[tuple[Customer, ...]]:
    base = _check_query(query)
    offset, left = base.offset, base.limit if query is not None else None
    while True:
        size = PAGE if left is None else min(PAGE, left)
        if size <= 0:
            return
        q = CustomerQuery(
            text=base.text,
            stage=base.stage,
            active=base.active,
            blocked=base.blocked,
            category_id=base.category_id,
            postal_code_prefix=base.postal_code_prefix,
            is_agency=base.is_agency,
            offset=offset,
            limit=size,
        )
        with store.unit_of_work(organization) as uow:
            page = uow.customers.search(q)
        if page.items:
            yield page.items
        offset += len(page.items)
        if left is not None:
            left -= len(page.items)
        if not page.has_next or not page.items:
            return


def _customers(
    store: Store, organization: str, query: object
) -> Iterator[Customer]:
    for items in _pages(store, organization, query):
        yield from items


def _with_persons(
    store: Store,
    organization: str,
    query: object,
    *,
    include_inactive: bool,
) -> Iterator[tuple[Customer, list[Person]]]:
    for items in _pages(store, organization, query):
        with store.unit_of_work(organization) as uow:
            persons = uow.persons.list_for_many(
                [c.id for c in items], include_inactive=include_inactive
            )
        for customer in items:
            yield customer, persons.get(customer.id, [])


def iter_persons(
    store: Store,
    organization: str,
    query: CustomerQuery | None = None,
    *,
    customers: dict[object, Customer] | None = None,
    include_inactive: bool = False,
) -> Iterator[Person]:
    """
    The persons of the customers matching *query*, customer by customer
    (a page of customers per unit of work: memory stays flat).

    Each person's customer is put in *customers* (by id) before the
    person is yielded, and the previous page's are dropped, so that a
    writer looking customers up there (vCard's ``ORG``) finds them.

    Raises:
        ValidationError: The query is wrong.
    """
    pages = _with_persons(
        store, organization, query, include_inactive=include_inactive
    )
    for customer, persons in pages:
        if customers is not None:
            if len(customers) >= PAGE:
                customers.clear()
            customers[customer.id] = customer
        yield from persons
