# SPDX-License-Identifier: MIT
"""
Aggregates as table rows, and back (private).

Every adapter of the project stores the same rows: the wire form of the
aggregate (:mod:`customer_domain.serialization`), its collections split
into child rows, plus the organization and the derived keys that
searches use.  Keys are derived here, once, when an aggregate is
written; loading goes through the trusted (unvalidated) structuring path.
"""

from __future__ import annotations

import re
import unicodedata

from collections.abc import Iterable, Mapping, Sequence
from typing import Any, Final

from customer_domain._text import fold, postal_key
from customer_domain.exceptions import Issue, ValidationError
from customer_domain.matching.keys import customer_keys, person_keys
from customer_domain.model import (
    Agency,
    Category,
    Customer,
    ExternalUser,
    Person,
)
from customer_domain.serialization import _CONVERTERS
from customer_domain.storage.protocols import MatchKey
from customer_domain.validation.codes import is_safe_identifier


__all__ = [
    "DERIVED",
    "Rows",
    "agency_rows",
    "category_row",
    "check_organization",
    "customer_rows",
    "external_user_row",
    "fold",
    "load_agency",
    "load_category",
    "load_customer",
    "load_external_user",
    "load_person",
    "person_rows",
    "postal_key",
]

_WIRE: Final = _CONVERTERS[True]
_MAX_ORGANIZATION: Final = 64

#: Row -> its rows by table name.
Rows = dict[str, list[dict[str, Any]]]

#: Columns that are not part of the wire form.
DERIVED: Final = frozenset(
    {"org", "sort_key", "search_text", "postal_key", "owner_id", "position"}
)

_ORGANIZATION: Final = re.compile(r"[^\x00-\x1f\x7f]{1,64}")


def check_organization(organization: object) -> str:
    """Return *organization* if it is a valid tenant identifier (ST-2)."""
    if (
        not isinstance(organization, str)
        or not _ORGANIZATION.fullmatch(organization)
        or not is_safe_identifier(organization)
        or not unicodedata.is_normalized("NFC", organization)
    ):
        raise ValidationError(
            (
                Issue(
                    "organization",
                    "organization.invalid",
                    organization,
                    {"max": str(_MAX_ORGANIZATION)},
                ),
            )
        )
    return organization


# -- customers ---------------------------------------------------------------


def _search_text(c: Customer) -> str:
    a = c.address
    parts = [
        c.number or "",
        c.name,
        c.legal_form,
        c.short_name,
        c.external_remark,
        c.internal_remark,
    ]
    if a is not None:
        parts += [a.street, a.line2, a.postal_code, a.city, a.country or ""]
    # \x1f separates fields: search terms never contain it (str.split).
    return "\x1f".join(fold(p) for p in parts if p)


def _channel_rows(
    org: str, owner_id: str, channels: Sequence[dict[str, Any]]
) -> list[dict[str, Any]]:
    return [
        {"org": org, "owner_id": owner_id, "position": i, **ch}
        for i, ch in enumerate(channels)
    ]


def _key_rows(
    org: str, owner_id: str, keys: Iterable[MatchKey]
) -> list[dict[str, Any]]:
    """Match keys (DU-7), derived here once, when the owner is written."""
    return [
        {
            "org": org,
            "criterion": k.criterion,
            "value": k.value,
            "owner_id": owner_id,
        }
        for k in keys
    ]


def customer_rows(org: str, customer: Customer, version: int) -> Rows:
    """The rows of *customer* at *version*."""
    d: dict[str, Any] = _WIRE.unstructure(customer)
    cid = d["id"]
    channels = d.pop("channels")
    contact_types = d.pop("contact_types")
    d["version"] = version
    d["org"] = org
    d["sort_key"] = fold(customer.name)
    d["search_text"] = _search_text(customer)
    address = customer.address
    d["postal_key"] = postal_key(address.postal_code) if address else ""
    cts = []
    members = []
    for i, ct in enumerate(contact_types):
        cts.append(
            {
                "org": org,
                "id": ct["id"],
                "customer_id": cid,
                "position": i,
                "name": ct["name"],
                "is_default": ct["is_default"],
            }
        )
        members += [
            {
                "org": org,
                "customer_id": cid,
                "contact_type_id": ct["id"],
                "person_id": pid,
            }
            for pid in ct["person_ids"]
        ]
    return {
        "customers": [d],
        "match_keys": _key_rows(org, cid, customer_keys(customer)),
        "channels": _channel_rows(org, cid, channels),
        "contact_types": cts,
        "contact_type_members": members,
        "customer_categories": [
            {"org": org, "customer_id": cid, "category_id": cat}
            for cat in d["category_ids"]
        ],
    }


def load_customer(
    row: Mapping[str, Any],
    channels: Iterable[Mapping[str, Any]],
    contact_types: Iterable[Mapping[str, Any]],
    members: Iterable[Mapping[str, Any]],
) -> Customer:
    """
    The customer of these rows (trusted: rows come from the store).

    Channels and contact types come in position order; extra columns
    (the derived ones) are ignored.
    """
    d = dict(row)
    by_type: dict[str, list[str]] = {}
    for m in members:
        by_type.setdefault(m["contact_type_id"], []).append(m["person_id"])
    d["channels"] = channels
    d["contact_types"] = [
        {
            "id": ct["id"],
            "name": ct["name"],
            "is_default": ct["is_default"],
            "person_ids": by_type.get(ct["id"], ()),
        }
        for ct in contact_types
    ]
    customer: Customer = _WIRE.structure(d, Customer)
    return customer


# -- persons, external users, categories, agencies ----------------------------


def person_rows(org: str, person: Person, version: int) -> Rows:
    """The rows of *person* at *version*."""
    d: dict[str, Any] = _WIRE.unstructure(person)
    channels = d.pop("channels")
    d["version"] = version
    d["org"] = org
    d["sort_key"] = f"{fold(person.last_name)}\x1f{fold(person.first_name)}"
    return {
        "persons": [d],
        "channels": _channel_rows(org, d["id"], channels),
        "match_keys": _key_rows(org, d["id"], person_keys(person)),
    }


def load_person(
    row: Mapping[str, Any], channels: Iterable[Mapping[str, Any]]
) -> Person:
    """The person of these rows (channels in position order)."""
    d = dict(row)
    d["channels"] = channels
    person: Person = _WIRE.structure(d, Person)
    return person


def external_user_row(
    org: str, user: ExternalUser, version: int
) -> dict[str, Any]:
    """The row of *user* at *version*."""
    d: dict[str, Any] = _WIRE.unstructure(user)
    d["version"] = version
    d["org"] = org
    return d


def load_external_user(row: Mapping[str, Any]) -> ExternalUser:
    """The external user of this row."""
    user: ExternalUser = _WIRE.structure(row, ExternalUser)
    return user


def category_row(org: str, category: Category, version: int) -> dict[str, Any]:
    """The row of *category* at *version*."""
    d: dict[str, Any] = _WIRE.unstructure(category)
    d["version"] = version
    d["org"] = org
    d["sort_key"] = fold(category.title)
    return d


def load_category(row: Mapping[str, Any]) -> Category:
    """The category of this row."""
    category: Category = _WIRE.structure(row, Category)
    return category


def agency_rows(org: str, agency: Agency, version: int) -> Rows:
    """The rows of *agency* at *version*."""
    d: dict[str, Any] = _WIRE.unstructure(agency)
    return {
        "agencies": [
            {"org": org, "customer_id": d["customer_id"], "version": version}
        ],
        "agency_assignments": [
            {"org": org, "position": i, **a}
            for i, a in enumerate(d["assignments"])
        ],
    }


def load_agency(
    row: Mapping[str, Any], assignments: Iterable[Mapping[str, Any]]
) -> Agency:
    """The agency of these rows (assignments in position order)."""
    agency: Agency = _WIRE.structure(
        {
            "customer_id": row["customer_id"],
            "version": row["version"],
            "assignments": assignments,
        },
        Agency,
    )
    return agency
