# SPDX-License-Identifier: MIT
"""
The fuzz harness: every public door of *customer_domain* under hostile
input (issue 11).

Each *target* builds a valid call on a fresh world (a customer with
contact types, persons, an external user, an agency, a category, a
store), then replaces one or more of its arguments with hostile values
(`customer_domain.testing.hostile.HostileValues`) and runs it.  An
outcome is one of:

- a success, or one of the library's errors (`CustomerDomainError`);
- a **foreign exception**: anything else (the count must be 0);
- an **atomicity violation**: the call raised a library error but the
  objects it was given changed (their trusted serialized form differs),
  or a store's state changed after a refused unit of work.

Store targets run on every backend: in memory, a SQLite file, and
PostgreSQL when ``CUSTOMER_DOMAIN_TEST_POSTGRES_URL`` holds a URL.

`run` returns a `Report`; ``python fuzz/harness.py [INPUTS] [SEED]``
prints it.
"""

from __future__ import annotations

import atexit
import datetime as dt
import inspect
import io
import ipaddress
import json
import os
import random
import shutil
import sys
import tempfile
import time
import traceback
import uuid

from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import sqlalchemy as sa

import customer_domain as cd

from customer_domain import matching, serialization
from customer_domain.duplicates import DuplicateChecker, DuplicatePolicy
from customer_domain.interchange import (
    Importer,
    PersonRecord,
    Source,
    columns,
    export_file,
    import_file,
    person_to_jscontact,
    person_to_vcard,
    read_jscontact,
    read_vcards,
    tables,
    write_template,
)
from customer_domain.matching import normalize, person_keys
from customer_domain.serialization import CustomerSnapshot
from customer_domain.storage import CustomerQuery, InMemoryStore
from customer_domain.storage.sql import SqlStore
from customer_domain.testing.hostile import HostileValues
from customer_domain.validation import (
    bic,
    codes,
    countries,
    currencies,
    emails,
    iban,
    identifiers,
    languages,
    networks,
    phones,
    urls,
    vat,
)


_TRUSTED = serialization.make_converter(trusted=True)


def _state(obj: object) -> object:
    """A comparable picture of *obj* (its full trusted form)."""
    try:
        return json.dumps(
            _TRUSTED.unstructure(obj), sort_keys=True, default=repr
        )
    except Exception:
        return repr(type(obj))


@dataclass
class World:
    """Valid objects every target starts from."""

    customer: cd.Customer
    other: cd.Customer
    agency_customer: cd.Customer
    purchasing: cd.ContactType
    person: cd.Person
    bare: cd.Person
    user: cd.ExternalUser
    agency: cd.Agency
    category: cd.Category
    token: str

    @classmethod
    def make(cls) -> World:
        customer = cd.Customer(
            name="Imprimerie Lefèvre",
            number="C-0001",
            address={"postal_code": "69001", "country": "FR"},
            licenses=[{"quantity": 3, "title": "Portal"}],
        )
        purchasing = customer.add_contact_type("Purchasing")
        person = customer.add_person(
            first_name="Hélène",
            last_name="Lefèvre",
            contact_types=[purchasing],
            channels=[
                {"kind": "email", "value": "helene@lefevre.fr"},
                {"kind": "mobile", "value": "06 12 34 56 78"},
            ],
        )
        bare = customer.add_person(
            last_name="Martin", contact_types=["Purchasing"]
        )
        user, invitation = customer.add_external_user(person)
        other = cd.Customer(name="Hervé David", address={"country": "CA"})
        other.add_contact_type("Ops")
        agency_customer = cd.Customer(name="Studio", is_agency=True)
        agency = cd.Agency(agency_customer)
        agency.assign("ORD-1", customer=customer)
        return cls(
            customer=customer,
            other=other,
            agency_customer=agency_customer,
            purchasing=purchasing,
            person=person,
            bare=bare,
            user=user,
            agency=agency,
            category=cd.Category(title="Éditeurs"),
            token=invitation.token,
        )


#: fn, valid arguments (positional names first), subjects whose state
#: must not change when the call is refused.
Call = tuple[Callable[..., Any], dict[str, Any], list[object]]


@dataclass
class Target:
    """One public door."""

    name: str
    build: Callable[[World], Call]
    positional: tuple[str, ...] = ()
    #: Checks a successful call's result: what is wrong with it, if any.
    post: Callable[[Any], str | None] | None = None


def _t(
    name: str,
    *positional: str,
    post: Callable[[Any], str | None] | None = None,
) -> Callable[[Callable[[World], Call]], Target]:
    def wrap(build: Callable[[World], Call]) -> Target:
        target = Target(name, build, positional, post)
        TARGETS.append(target)
        return target

    return wrap


TARGETS: list[Target] = []

_NOW = dt.datetime(2024, 5, 1, tzinfo=dt.UTC)


# -- constructors and functions of customer_domain.__all__ ---------------


@_t("Customer")
def _customer(w: World) -> Call:
    return (
        cd.Customer,
        {
            "name": "ACME",
            "number": "C-9",
            "address": {"country": "FR", "postal_code": "75001"},
            "channels": [{"kind": "phone", "value": "01 23 45 67 89"}],
            "vat_id": "FR40303265045",
            "bank": {"iban": "FR7630006000011234567890189"},
            "identifiers": [{"scheme": "siren", "value": "303265045"}],
            "licenses": [{"quantity": 2}],
            "extra": {},
            "valid_from": "2024-01-01",
            "language": "fr",
            "currency": "EUR",
        },
        [],
    )


def _value_object(cls: type, **kwargs: Any) -> Callable[[World], Call]:
    return lambda w: (cls, dict(kwargs), [])


for _cls, _kwargs in (
    (cd.PostalAddress, {"street": "1 rue", "city": "Lyon", "country": "FR"}),
    (
        cd.BankDetails,
        {"iban": "FR7630006000011234567890189", "bic": "BNPAFRPP"},
    ),
    (cd.Identifier, {"scheme": "siren", "value": "303265045"}),
    (cd.License, {"quantity": 2, "title": "Portal"}),
    (cd.TermsOfUse, {"status": "accepted", "by": "bob", "at": _NOW}),
    (cd.DuplicateOverride, {"by": "alice", "reason": "checked"}),
    (
        cd.Affiliation,
        {"customer_id": uuid.UUID(int=5), "kind": "collaborator"},
    ),
    (cd.ExtraField, {"name": "size", "type": "integer"}),
    (cd.Category, {"title": "Éditeurs"}),
    (cd.NumberingStrategy, {"prefix": "C-", "width": 5}),
    (
        cd.InvitationToken,
        {"token_hash": "a" * 64, "expires_at": _NOW},
    ),
    (
        cd.AgencyAssignment,
        {
            "order_ref": "O-1",
            "customer_id": uuid.UUID(int=1),
            "agency_id": uuid.UUID(int=2),
        },
    ),
):
    _t(_cls.__name__)(_value_object(_cls, **_kwargs))


@_t("ExtraSchema")
def _extra_schema(w: World) -> Call:
    return (
        cd.ExtraSchema,
        {"fields": [{"name": "size", "type": "integer", "required": True}]},
        [],
    )


@_t("CommunicationChannel.from_data")
def _channel(w: World) -> Call:
    return (
        cd.CommunicationChannel.from_data,
        {"data": {"kind": "phone", "value": "06 12 34 56 78"}, "region": "FR"},
        [],
    )


@_t("Agency")
def _agency(w: World) -> Call:
    return cd.Agency, {"customer": w.agency_customer}, [w.agency_customer]


@_t("suggest_short_name", "name")
def _short_name(w: World) -> Call:
    return cd.suggest_short_name, {"name": "Hervé David"}, []


@_t("can_access_order", "user")
def _can_access(w: World) -> Call:
    return (
        cd.can_access_order,
        {
            "user": w.user,
            "order_ref": "ORD-1",
            "order_customer_id": w.customer.id,
            "agency": w.agency,
            "person": w.person,
        },
        [w.user, w.agency, w.person],
    )


@_t("decide_access", "user")
def _decide_access(w: World) -> Call:
    return (
        cd.decide_access,
        {
            "user": w.user,
            "customer": w.customer,
            "order_ref": "ORD-1",
            "order_customer": w.customer,
            "person": w.person,
            "agency": w.agency,
            "address": "192.0.2.1",
            "branch": "Lyon",
            "on": "2024-06-01",
        },
        [w.user, w.customer, w.person, w.agency],
    )


# -- model methods --------------------------------------------------------


def _method(
    name: str,
    subject: Callable[[World], object],
    method: str,
    args: Callable[[World], dict[str, Any]],
    *positional: str,
    others: Callable[[World], list[object]] = lambda w: [],
) -> None:
    def build(w: World) -> Call:
        obj = subject(w)
        return getattr(obj, method), args(w), [obj, *others(w)]

    _t(name, *positional)(build)


def _everyone(w: World) -> list[object]:
    return [w.customer, w.person, w.bare, w.user, w.other]


_method(
    "Customer.update",
    lambda w: w.customer,
    "update",
    lambda w: {
        "name": "New",
        "channels": [{"kind": "fax", "value": "0123456789"}],
    },
)
_method(
    "Customer.add_contact_type",
    lambda w: w.customer,
    "add_contact_type",
    lambda w: {"name": "Prepress"},
    "name",
)
_method(
    "Customer.rename_contact_type",
    lambda w: w.customer,
    "rename_contact_type",
    lambda w: {"contact_type": "Purchasing", "name": "Buying"},
    "contact_type",
    "name",
)
_method(
    "Customer.remove_contact_type",
    lambda w: w.customer,
    "remove_contact_type",
    lambda w: {"contact_type": w.customer.add_contact_type("Spare")},
    "contact_type",
)
_method(
    "Customer.contact_type",
    lambda w: w.customer,
    "contact_type",
    lambda w: {"key": "Purchasing"},
    "key",
)
_method(
    "Customer.contact_types_of",
    lambda w: w.customer,
    "contact_types_of",
    lambda w: {"person": w.person},
    "person",
)
_method(
    "Customer.add_person",
    lambda w: w.customer,
    "add_person",
    lambda w: {
        "last_name": "Durand",
        "first_name": "Luc",
        "functions": ["buyer"],
        "contact_types": ["Purchasing"],
        "channels": [{"kind": "email", "value": "luc@durand.fr"}],
    },
)
_method(
    "Customer.assign",
    lambda w: w.customer,
    "assign",
    lambda w: {
        "person": w.bare,
        "contact_type": w.customer.default_contact_type,
    },
    "person",
    "contact_type",
    others=lambda w: [w.bare],
)
_method(
    "Customer.unassign",
    lambda w: w.customer,
    "unassign",
    lambda w: {"person": w.person, "contact_type": "Purchasing"},
    "person",
    "contact_type",
    others=lambda w: [w.person],
)
_method(
    "Customer.deactivate_person",
    lambda w: w.customer,
    "deactivate_person",
    lambda w: {
        "person": w.person,
        "veto": lambda p: None,
        "external_user": w.user,
    },
    "person",
    others=lambda w: [w.person, w.user],
)
_method(
    "Customer.reactivate_person",
    lambda w: w.customer,
    "reactivate_person",
    lambda w: {"person": w.bare},
    "person",
    others=lambda w: [w.bare],
)
_method(
    "Customer.move_person",
    lambda w: w.customer,
    "move_person",
    lambda w: {
        "person": w.person,
        "to": w.other,
        "contact_types": ["Ops"],
        "external_user": w.user,
        "at": _NOW,
        "role": "buyer",
    },
    "person",
    others=_everyone,
)
_method(
    "Customer.add_external_user",
    lambda w: w.customer,
    "add_external_user",
    lambda w: {
        "person": w.bare,
        "login": "martin",
        "email": "m@martin.fr",
        "allowed_networks": ["10.0.0.0/8"],
        "branch": "Lyon",
        "now": _NOW,
        "ttl": dt.timedelta(days=2),
    },
    "person",
    others=lambda w: [w.bare],
)
_method(
    "Customer.add_default_user",
    lambda w: w.other,
    "add_default_user",
    lambda w: {"login": "default", "email": "d@david.ca", "now": _NOW},
)
_method(
    "Customer.deactivate_external_user",
    lambda w: w.customer,
    "deactivate_external_user",
    lambda w: {"user": w.user},
    "user",
    others=lambda w: [w.user],
)
_method(
    "Customer.reactivate_external_user",
    lambda w: w.customer,
    "reactivate_external_user",
    lambda w: {"user": w.user},
    "user",
    others=lambda w: [w.user],
)
_method(
    "Customer.approval_recipients",
    lambda w: w.customer,
    "approval_recipients",
    lambda w: {"persons": [w.person, w.bare]},
    "persons",
)
_method(
    "Customer.accept_terms",
    lambda w: w.customer,
    "accept_terms",
    lambda w: {"by": "bob", "at": _NOW},
)
_method(
    "Customer.decline_terms",
    lambda w: w.customer,
    "decline_terms",
    lambda w: {"by": "bob", "at": _NOW},
)
_method(
    "Person.update",
    lambda w: w.person,
    "update",
    lambda w: {"first_name": "Anne", "region": "FR", "remark": "x\ny"},
)
_method(
    "Person.add_channel",
    lambda w: w.person,
    "add_channel",
    lambda w: {
        "channel": {
            "kind": "phone",
            "value": "01 23 45 67 89",
            "primary": True,
        },
        "region": "FR",
    },
    "channel",
)
_method(
    "Person.remove_channel",
    lambda w: w.person,
    "remove_channel",
    lambda w: {"index": 0},
    "index",
)
_method(
    "Person.set_primary",
    lambda w: w.person,
    "set_primary",
    lambda w: {"index": 1},
    "index",
)
_method(
    "Person.channel",
    lambda w: w.person,
    "channel",
    lambda w: {"kind": "email"},
    "kind",
)
_method(
    "Person.collaborate_with",
    lambda w: w.person,
    "collaborate_with",
    lambda w: {
        "customer_id": w.other.id,
        "role": "buyer",
        "valid_from": "2024-01-01",
        "valid_to": "2025-01-01",
    },
    "customer_id",
)
_method(
    "Person.end_collaboration",
    lambda w: w.person,
    "end_collaboration",
    lambda w: {"customer_id": w.other.id, "on": "2024-06-01"},
    "customer_id",
)
_method(
    "Person.customer_ids",
    lambda w: w.person,
    "customer_ids",
    lambda w: {"on": dt.date(2024, 6, 1)},
)
_method(
    "ExternalUser.update",
    lambda w: w.user,
    "update",
    lambda w: {
        "login": "helene",
        "email": "h@lefevre.fr",
        "allowed_networks": ["192.0.2.0/24"],
        "branch": "Lyon",
    },
)
_method(
    "ExternalUser.invite",
    lambda w: w.user,
    "invite",
    lambda w: {"now": _NOW, "ttl": dt.timedelta(days=3)},
)
_method(
    "ExternalUser.accept_invitation",
    lambda w: w.user,
    "accept_invitation",
    lambda w: {"token": w.token, "now": dt.datetime.now(dt.UTC)},
    "token",
)
_method(
    "ExternalUser.allows",
    lambda w: w.user,
    "allows",
    lambda w: {"address": ipaddress.ip_address("192.0.2.1")},
    "address",
)
_method(
    "Agency.assign",
    lambda w: w.agency,
    "assign",
    lambda w: {"order_ref": "ORD-2", "customer": w.customer},
    "order_ref",
)
_method(
    "Agency.unassign",
    lambda w: w.agency,
    "unassign",
    lambda w: {"order_ref": "ORD-1", "customer": w.customer},
    "order_ref",
)
_method(
    "Agency.can_access",
    lambda w: w.agency,
    "can_access",
    lambda w: {"order_ref": "ORD-1", "customer_id": w.customer.id},
    "order_ref",
    "customer_id",
)
_method(
    "Category.update",
    lambda w: w.category,
    "update",
    lambda w: {"title": "Presse", "description": "x"},
)
_method(
    "NumberingStrategy.format",
    lambda w: cd.NumberingStrategy(prefix="C-", width=5),
    "format",
    lambda w: {"value": 42},
    "value",
)


# -- validation, normalizers ---------------------------------------------


def _function(label: str, fn: Callable[..., Any], /, **kwargs: Any) -> None:
    first = next(iter(kwargs))
    _t(label, first)(lambda w: (fn, dict(kwargs), []))


for _mod, _value in (
    (bic, "BNPAFRPP"),
    (countries, "FR"),
    (currencies, "EUR"),
    (emails, "a@example.com"),
    (iban, "FR7630006000011234567890189"),
    (languages, "fr"),
    (networks, "10.0.0.0/8"),
    (urls, "https://example.com"),
):
    for _verb in ("validate", "is_valid", "normalize"):
        _function(f"{_mod.__name__}.{_verb}", getattr(_mod, _verb), raw=_value)
for _verb in ("validate", "is_valid", "normalize"):
    _function(
        f"phones.{_verb}",
        getattr(phones, _verb),
        raw="06 12 34 56 78",
        region="FR",
    )
    _function(
        f"vat.{_verb}", getattr(vat, _verb), raw="FR40303265045", country="FR"
    )
for _verb in ("validate", "is_valid"):
    _function(
        f"identifiers.{_verb}",
        getattr(identifiers, _verb),
        raw="303265045",
        scheme="siren",
    )
_function(
    "identifiers.normalize_scheme", identifiers.normalize_scheme, raw="siren"
)
_function("codes.validate_login", codes.validate_login, raw="helene")
_function(
    "codes.validate_customer_number", codes.validate_customer_number, raw="C-1"
)
_function("normalize.fold_name", normalize.fold_name, text="Hélène")
_function(
    "normalize.person_name_key",
    normalize.person_name_key,
    first_name="Hélène",
    last_name="Lefèvre",
)
_function(
    "normalize.company_name_key", normalize.company_name_key, name="ACME SA"
)
_function("normalize.email_key", normalize.email_key, address="a@b.fr")
_function(
    "normalize.phone_key",
    normalize.phone_key,
    number="0612345678",
    region="FR",
)
_function("normalize.vat_key", normalize.vat_key, vat_id="FR40303265045")
_function(
    "normalize.postal_code_key",
    normalize.postal_code_key,
    postal_code="75 001",
    country="FR",
)
_function(
    "matching.name_parts",
    matching.name_parts,
    first_name="Jean-Baptiste",
    last_name="De La Fontaine",
)
_function(
    "matching.name_blocks",
    matching.name_blocks,
    first_name="Hélène",
    last_name="Lefèvre",
)
_function(
    "matching.person_keys", matching.person_keys, person=World.make().person
)
_function(
    "matching.customer_keys",
    matching.customer_keys,
    customer=World.make().customer,
)
_t("DuplicatePolicy")(
    lambda w: (
        DuplicatePolicy,
        {
            "fuzzy_names": False,
            "first_name_threshold": 0.9,
            "last_name_threshold": 0.9,
        },
        [],
    )
)


# -- files and tables -----------------------------------------------------


def _drain(  # noqa: PLR0917 -- read_tables' keywords, mutated one by one.
    data: Any,
    format: Any = None,  # noqa: A002 -- read_tables' name.
    file_name: Any = None,
    sheets: Any = None,
    encoding: Any = None,
    delimiter: Any = None,
) -> int:
    """`read_tables` on *data* (bytes, or a hostile object), rows read."""
    if isinstance(data, str):
        data = data.encode("utf-8", "surrogatepass")
    if isinstance(data, os.PathLike):
        data = b""  # Never a path: no file of the machine is read.
    source = io.BytesIO(data) if isinstance(data, (bytes, bytearray)) else data
    return sum(
        1
        for _, rows in tables.read_tables(
            source,
            format=format,
            file_name=file_name,
            sheets=sheets,
            encoding=encoding,
            delimiter=delimiter,
        )
        for _ in rows
    )


def _error_file(header: Any, rows: Any, **kwargs: Any) -> int:
    """`write_error_file` into memory."""
    return tables.write_error_file(io.BytesIO(), header, rows, **kwargs)


_error_file.open_keywords = False  # type: ignore[attr-defined]


def _good_xlsx() -> bytes:
    out = io.BytesIO()
    with tables.open_table_writer(
        out, "xlsx", header=["Nom", "Téléphone", "Date"], sheet="Personnes"
    ) as writer:
        writer.write_row(["Lefèvre", 612345678, dt.date(2024, 1, 2)])
        writer.write_row(["Müller", 33612345678.0, None])
        writer.add_sheet("Autres", ["E-mail"])
        writer.write_row(["a@b.fr"])
    return out.getvalue()


_GOOD_FILES = {
    "csv": (
        "Nom;Prénom;Téléphone\r\nLefèvre;Hélène;06 12 34 56 78\r\n"
        '"Müller";"A;\r\nB";+33612345678\r\n'
    ).encode("cp1252"),
    "xlsx": _good_xlsx(),
}
_FILE_RNG = random.Random(0)


def _mutated(good: bytes) -> bytes:
    """*good* with a few bytes flipped, inserted or cut (seeded)."""
    rng = _FILE_RNG
    data = bytearray(good)
    for _ in range(rng.randint(1, 6)):
        op = rng.randrange(4)
        at = rng.randrange(len(data) + 1)
        if op == 0 and at < len(data):
            data[at] = rng.randrange(256)
        elif op == 1:
            data[at:at] = rng.randbytes(rng.randint(1, 32))
        elif op == 2:
            del data[at:]
        else:
            data[at:at] = data[at : at + rng.randint(1, 64)]
    return bytes(data)


_function(
    "tables.read_tables",
    _drain,
    data=_GOOD_FILES["csv"],
    format=None,
    file_name="contacts.csv",
    sheets=None,
    encoding=None,
    delimiter=None,
)


def _mutated_target(good: bytes) -> Callable[[World], Call]:
    def build(w: World) -> Call:
        data = _mutated(good)
        return (_drain, {"data": data, "file_name": "f", "format": None}, [])

    return build


for _file_kind, _good_file in _GOOD_FILES.items():
    _t(f"tables.read_tables(mutated {_file_kind})")(
        _mutated_target(_good_file)
    )
_function("tables.neutralize", tables.neutralize, value="=1+1")
_function(
    "tables.write_error_file",
    _error_file,
    header=["Nom", "E-mail"],
    rows=[(["Lefèvre", "x"], ["E-mail invalide"])],
    format="xlsx",
    locale="fr",
    sheet="Erreurs",
    delimiter=";",
)


# -- serialization --------------------------------------------------------


#: Each document type and the world's object of that type.
_DOCUMENTS: tuple[tuple[type, Callable[[World], Any]], ...] = (
    (cd.Customer, lambda w: w.customer),
    (cd.Person, lambda w: w.person),
    (cd.ExternalUser, lambda w: w.user),
    (cd.Agency, lambda w: w.agency),
    (cd.Category, lambda w: w.category),
)

for _kind, _pick in _DOCUMENTS:

    def _loads(w: World, kind: type = _kind, pick: Any = _pick) -> Call:
        return (
            serialization.loads,
            {"text": serialization.dumps(pick(w)), "cls": kind},
            [],
        )

    def _structure(w: World, kind: type = _kind, pick: Any = _pick) -> Call:
        return (
            serialization.structure,
            {"document": serialization.unstructure(pick(w)), "cls": kind},
            [],
        )

    _t(f"loads[{_kind.__name__}]", "text", "cls")(_loads)
    _t(f"structure[{_kind.__name__}]", "document", "cls")(_structure)


# Client documents, field by field: a success never carries a
# command-only field a client set (docs/serialization.md).

_NEW_VALUES: dict[type, dict[str, Any]] = {
    cd.Customer: {"seat_ids": [], "super_admin_id": None},
    cd.Person: {"active": True, "affiliations": [], "external_user_id": None},
    cd.ExternalUser: {
        "status": "invited",
        "super_admin": False,
        "invitation": None,
    },
    cd.Agency: {"assignments": []},
    cd.Category: {},
}


def _client_form(kind: type, data: dict[str, Any]) -> dict[str, Any]:
    """*data* as a client may send it: command-only fields as new."""
    out = {**data, **_NEW_VALUES[kind], "version": 0}
    if "duplicate_override" in out:
        out["duplicate_override"] = None
    if kind is cd.Customer:
        out["contact_types"] = [
            {**ct, "person_ids": []} for ct in data["contact_types"]
        ]
    return out


def _privilege(obj: Any, *, members: bool = False) -> str | None:
    """The command-only field a validated document set, if any."""
    if isinstance(obj, CustomerSnapshot):
        if obj.external_users:
            return "snapshot.external_users"
        for part in (obj.customer, *obj.persons):
            wrong = _privilege(part, members=True)
            if wrong:
                return wrong
        return None
    fields: dict[str, bool] = {}
    if isinstance(obj, cd.Customer):
        fields = {
            "seat_ids": not obj.seat_ids,
            "super_admin_id": obj.super_admin_id is None,
            "contact_types": members
            or not any(ct.person_ids for ct in obj.contact_types),
        }
    elif isinstance(obj, cd.Person):
        fields = {
            "active": obj.active is True,
            "affiliations": not obj.affiliations,
            "external_user_id": obj.external_user_id is None,
        }
    elif isinstance(obj, cd.ExternalUser):
        fields = {
            "status": obj.status is cd.UserStatus.INVITED,
            "super_admin": obj.super_admin is False,
            "invitation": obj.invitation is None,
        }
    elif isinstance(obj, cd.Agency):
        fields = {"assignments": not obj.assignments}
    fields["version"] = obj.version == 0
    fields["duplicate_override"] = (
        getattr(obj, "duplicate_override", None) is None
    )
    names = [name for name, fresh in fields.items() if not fresh]
    return f"{type(obj).__name__}.{names[0]}" if names else None


def _document_loader(
    kind: type, document: dict[str, Any]
) -> Callable[..., Any]:
    def load(**data: Any) -> Any:
        return serialization.structure({**document, "data": data}, kind)

    return load


for _kind, _pick in _DOCUMENTS:

    def _fields(w: World, kind: type = _kind, pick: Any = _pick) -> Call:
        document = serialization.unstructure(pick(w))
        data = _client_form(kind, document["data"])
        return (_document_loader(kind, document), data, [])

    _t(f"document[{_kind.__name__}] fields", post=_privilege)(_fields)


@_t("document[CustomerSnapshot] fields", post=_privilege)
def _snapshot_fields(w: World) -> Call:
    document = serialization.unstructure(
        CustomerSnapshot(w.customer, [w.person, w.bare], [w.user])
    )
    data = document["data"]
    customer = _client_form(cd.Customer, data["customer"])
    customer["contact_types"] = data["customer"]["contact_types"]
    client = {
        "customer": customer,
        "persons": [_client_form(cd.Person, p) for p in data["persons"]],
        "external_users": [],
    }
    return (_document_loader(CustomerSnapshot, document), client, [])


# -- interchange: vCard and JSContact -----------------------------------


def _read_vcards(data: object, file: object = "cards.vcf") -> object:
    return list(read_vcards(data, file=file))  # type: ignore[arg-type]


def _read_jscontact(data: object, file: object = "cards.json") -> object:
    return list(read_jscontact(data, file=file))  # type: ignore[arg-type]


_CARD_WORLD = World.make()
_VCARD = person_to_vcard(_CARD_WORLD.person, customer=_CARD_WORLD.customer)
_VCARD_21 = (
    "BEGIN:VCARD\r\nVERSION:2.1\r\n"
    "N;CHARSET=UTF-8;ENCODING=QUOTED-PRINTABLE:Lef=C3=A8vre;H=C3=A9l=\r\n"
    "=C3=A8ne\r\nTEL;CELL;VOICE:+33612345678\r\nitem1.EMAIL;TYPE=pref:a@b.fr"
    "\r\nPHOTO;ENCODING=BASE64;JPEG:/9j/4AAQ\r\n  /2wBD\r\n\r\nEND:VCARD\r\n"
)
_JSCARD = person_to_jscontact(
    _CARD_WORLD.person, customer=_CARD_WORLD.customer
)
_function("read_vcards[text]", _read_vcards, data=_VCARD, file="cards.vcf")
_function(
    "read_vcards[bytes]",
    _read_vcards,
    data=_VCARD_21.encode("cp1252", "replace") + _VCARD.encode("utf-16"),
    file="cards.vcf",
)
_function(
    "read_jscontact[text]",
    _read_jscontact,
    data=json.dumps([_JSCARD, _JSCARD]),
    file="cards.json",
)
_function("read_jscontact[card]", _read_jscontact, data=_JSCARD)


@_t("person_to_vcard", "person")
def _person_to_vcard(w: World) -> Call:
    return (
        person_to_vcard,
        {"person": w.person, "customer": w.customer, "version": "3.0"},
        [w.person, w.customer],
    )


@_t("person_to_jscontact", "person")
def _person_to_jscontact(w: World) -> Call:
    return (
        person_to_jscontact,
        {"person": w.person, "customer": w.customer},
        [w.person, w.customer],
    )


# -- stores and the duplicate checker ------------------------------------


@dataclass(frozen=True)
class _Tenant:
    """One organization of a store: where a store target runs."""

    store: Any
    org: str


class _Backends:
    """
    The stores every store target runs on: in memory, a SQLite file and,
    when ``CUSTOMER_DOMAIN_TEST_POSTGRES_URL`` holds a URL, PostgreSQL
    (in a schema of its own, dropped at exit).  SQL stores are opened
    once per run; each input gets an organization of its own.
    """

    def __init__(self) -> None:
        self.sql: dict[str, Any] = {}
        self.count = 0
        self.names = ["InMemoryStore", "SqlStore[sqlite]"]
        if os.environ.get(POSTGRES_ENV):
            self.names.append("SqlStore[postgresql]")

    def tenant(self, name: str) -> _Tenant:
        if name == "InMemoryStore":
            return _Tenant(InMemoryStore(), "acme")
        store = self.sql.get(name) or self._open(name)
        self.count += 1
        return _Tenant(store, f"fuzz-{self.count}")

    def _open(self, name: str) -> Any:
        if name == "SqlStore[sqlite]":
            folder = tempfile.mkdtemp(prefix="cd-fuzz-")
            atexit.register(shutil.rmtree, folder, ignore_errors=True)
            store = SqlStore(f"sqlite:///{folder}/fuzz.db", busy_timeout=5)
        else:
            url = os.environ[POSTGRES_ENV]
            engine = sa.create_engine(
                url.replace("postgresql://", "postgresql+psycopg://", 1)
            )
            schema = f"cd_fuzz_{uuid.uuid4().hex[:12]}"
            with engine.begin() as conn:
                conn.exec_driver_sql(f'CREATE SCHEMA "{schema}"')

            def drop() -> None:
                with engine.begin() as conn:
                    conn.exec_driver_sql(f'DROP SCHEMA "{schema}" CASCADE')
                engine.dispose()

            atexit.register(drop)
            store = SqlStore(engine, schema=schema)
        store.create_schema()
        self.sql[name] = store
        return store


POSTGRES_ENV = "CUSTOMER_DOMAIN_TEST_POSTGRES_URL"
BACKENDS = _Backends()


def _stored(w: World, backend: str) -> _Tenant:
    tenant = BACKENDS.tenant(backend)
    with tenant.store.unit_of_work(tenant.org) as uow:
        uow.customers.add(w.customer)
        uow.persons.add(w.person)
        uow.persons.add(w.bare)
        uow.external_users.add(w.user)
        uow.commit()
    return tenant


def _store_state(tenant: _Tenant) -> object:
    with tenant.store.unit_of_work(tenant.org) as uow:
        page = uow.customers.search(CustomerQuery(limit=100))
        out = [_state(c) for c in page.items]
        for c in page.items:
            out.extend(
                _state(p)
                for p in uow.persons.list_for(c.id, include_inactive=True)
            )
        return out


class _StoreCall:
    """Run *method* of a repository inside a unit of work, then commit."""

    open_keywords = False

    def __init__(self, tenant: _Tenant, repo: str, method: str) -> None:
        self.tenant = tenant
        self.repo = repo
        self.method = method

    def __call__(self, *args: Any, **kwargs: Any) -> object:
        store, org = self.tenant.store, self.tenant.org
        with store.unit_of_work(org) as uow:
            repo = getattr(uow, self.repo) if self.repo else uow
            result = getattr(repo, self.method)(*args, **kwargs)
            if hasattr(result, "__next__"):
                result = list(result)
            uow.commit()
            return result


def _store_target(
    repo: str,
    method: str,
    args: Callable[[World], dict[str, Any]],
    *positional: str,
) -> None:
    for backend in BACKENDS.names:

        def build(w: World, backend: str = backend) -> Call:
            tenant = _stored(w, backend)
            return _StoreCall(tenant, repo, method), args(w), [tenant]

        _t(f"{backend}.{repo}.{method}", *positional)(build)


_store_target("customers", "get", lambda w: {"id": w.customer.id}, "id")
_store_target(
    "customers", "get_by_number", lambda w: {"number": "C-0001"}, "number"
)
_store_target(
    "customers",
    "search",
    lambda w: {"query": CustomerQuery(text="lefevre")},
    "query",
)
_store_target(
    "customers",
    "add",
    lambda w: {"customer": cd.Customer(name="N")},
    "customer",
)
_store_target(
    "customers", "update", lambda w: {"customer": w.customer}, "customer"
)
_store_target("persons", "get", lambda w: {"id": w.person.id}, "id")
_store_target(
    "persons",
    "list_for",
    lambda w: {"customer_id": w.customer.id, "include_inactive": True},
    "customer_id",
)
_store_target("persons", "update", lambda w: {"person": w.person}, "person")
_store_target(
    "external_users",
    "get_by_login",
    lambda w: {"login": w.user.login},
    "login",
)
_store_target(
    "external_users",
    "list_for",
    lambda w: {"customer_id": w.customer.id},
    "customer_id",
)
_store_target(
    "agencies",
    "for_order",
    lambda w: {"customer_id": w.customer.id, "order_ref": "ORD-1"},
    "customer_id",
    "order_ref",
)
_store_target("sequences", "next", lambda w: {"name": "customer"}, "name")
_store_target(
    "match_keys", "of", lambda w: {"owner_id": w.person.id}, "owner_id"
)
_store_target(
    "match_keys",
    "lookup",
    lambda w: {"keys": list(person_keys(w.person)), "limit": 10},
    "keys",
)
_store_target(
    "match_keys",
    "groups",
    lambda w: {"criterion": "person.email"},
    "criterion",
)


class _CheckerCall:
    open_keywords = False

    def __init__(self, tenant: _Tenant, method: str) -> None:
        self.tenant = tenant
        self.method = method
        self.checker = DuplicateChecker()

    def __call__(self, *args: Any, **kwargs: Any) -> object:
        store, org = self.tenant.store, self.tenant.org
        with store.unit_of_work(org) as uow:
            result = getattr(self.checker, self.method)(uow, *args, **kwargs)
            if hasattr(result, "__next__"):
                result = list(result)
            uow.commit()
            return result


def _checker_target(
    method: str, args: Callable[[World], dict[str, Any]], *positional: str
) -> None:
    for backend in BACKENDS.names:

        def build(w: World, backend: str = backend) -> Call:
            tenant = _stored(w, backend)
            subjects: list[object] = [tenant]
            kwargs = args(w)
            subjects.extend(
                v
                for v in kwargs.values()
                if isinstance(v, cd.Person | cd.Customer)
            )
            return _CheckerCall(tenant, method), kwargs, subjects

        _t(f"DuplicateChecker[{backend}].{method}", *positional)(build)


# -- interchange: columns, template, importer, exports ------------------


_function(
    "columns.match_headers",
    columns.match_headers,
    header=["Nom", "Prénom", "E-mail"],
    columns=columns.PERSON_COLUMNS,
    mapping={"E-mail": "email"},
)
_function(
    "columns.read_person_row",
    columns.read_person_row,
    cells=["Lefèvre", 612345678, "a@b.fr"],
    match=columns.match_headers(
        ["Nom", "Mobile", "E-mail"], columns.PERSON_COLUMNS
    ),
    source=Source("f.csv", None, 2),
    header=["Nom", "Mobile", "E-mail"],
    region="FR",
)
_function(
    "columns.phone_text", columns.phone_text, value=612345678.0, region="FR"
)
_function("columns.cell_text", columns.cell_text, value=dt.date(2024, 1, 2))
_function("columns.boolean_cell", columns.boolean_cell, value="oui")


def _template(layout: Any, locale: Any = "en") -> int:
    """`write_template` into memory (never a path of the machine)."""
    out = io.BytesIO()
    write_template(out, layout=layout, locale=locale)
    return len(out.getvalue())


_function("write_template", _template, layout="base", locale="fr")


class _InterchangeCall:
    """An import or an export on a tenant (files in memory only)."""

    open_keywords = False

    def __init__(self, tenant: _Tenant, what: str) -> None:
        self.tenant = tenant
        self.what = what

    def __call__(self, *args: Any, **kwargs: Any) -> object:
        store, org = self.tenant.store, self.tenant.org
        if self.what == "export":
            return export_file(store, org, io.BytesIO(), *args, **kwargs)
        options = {
            k: kwargs.pop(k)
            for k in (
                "on_duplicate",
                "batch_size",
                "region",
                "actor",
                "contact_type",
            )
            if k in kwargs
        }
        importer = Importer(store, org, **options)
        if self.what == "records":
            return importer.import_records(*args, **kwargs).rows
        data = kwargs.pop("data", b"")
        if isinstance(data, str):
            data = data.encode("utf-8", "surrogatepass")
        source = (
            io.BytesIO(data) if isinstance(data, bytes | bytearray) else data
        )
        return import_file(importer, source, *args, **kwargs).rows


_IMPORT_CSV = (
    "N° client;Nom;Prénom;Portable;Courriel;Âge\r\n"
    "C-0001;Dupuis;Marc;612345678;m.dupuis@lefevre.fr;40\r\n"
    "C-0001;;Zoé;3,36E+10;zoe@@x;\r\n"
).encode("cp1252")


def _interchange_target(
    what: str, args: Callable[[World], dict[str, Any]], *positional: str
) -> None:
    for backend in BACKENDS.names:

        def build(w: World, backend: str = backend) -> Call:
            tenant = _stored(w, backend)
            return _InterchangeCall(tenant, what), args(w), [tenant]

        _t(f"{backend}.interchange.{what}", *positional)(build)


_interchange_target(
    "records",
    lambda w: {
        "records": [
            PersonRecord(
                Source("f.csv", None, 2),
                {"last_name": "Dupuis", "first_name": "Marc"},
                customer_number="C-0001",
            )
        ],
        "dry_run": False,
        "file": "f.csv",
        "on_duplicate": "skip",
        "batch_size": 10,
        "region": "FR",
        "actor": "fuzz",
        "contact_type": "Contacts",
    },
    "records",
)
_interchange_target(
    "file",
    lambda w: {
        "data": _IMPORT_CSV,
        "format": "csv",
        "file_name": "contacts.csv",
        "mapping": {"Âge": "remark"},
        "customer_number": None,
        "dry_run": False,
        "locale": "fr",
        "on_duplicate": "create",
    },
)
_interchange_target(
    "file(mutated)",
    lambda w: {
        "data": _mutated(_IMPORT_CSV),
        "file_name": "contacts.csv",
        "dry_run": w.customer.version % 2 == 0,
    },
)
_interchange_target(
    "export",
    lambda w: {
        "what": "persons",
        "query": CustomerQuery(text="lefevre"),
        "columns": ["last_name", "email", "mobile"],
        "format": "csv",
        "locale": "fr",
        "delimiter": ";",
        "include_inactive": True,
    },
)


def _new_person(w: World) -> cd.Person:
    return w.customer.add_person(
        first_name="Hélène", last_name="LEFEVRE", contact_types=["Purchasing"]
    )


_checker_target(
    "add_person",
    lambda w: {
        "person": _new_person(w),
        "override": cd.DuplicateOverride(by="alice", reason="checked"),
    },
    "person",
)
_checker_target("check_person", lambda w: {"person": _new_person(w)}, "person")
_checker_target(
    "add_customer",
    lambda w: {"customer": cd.Customer(name="Imprimerie Lefèvre")},
    "customer",
)
_checker_target(
    "check_batch", lambda w: {"persons": [_new_person(w)]}, "persons"
)
_checker_target("scan_persons", lambda w: {"progress": lambda p: None})


# -- the loop -------------------------------------------------------------


@dataclass
class Report:
    """What a run found."""

    inputs: int = 0
    library_errors: int = 0
    successes: int = 0
    foreign: Counter[tuple[str, str]] = field(default_factory=Counter)
    examples: dict[tuple[str, str], str] = field(default_factory=dict)
    atomicity: Counter[str] = field(default_factory=Counter)
    atomicity_examples: dict[str, str] = field(default_factory=dict)
    privilege: Counter[str] = field(default_factory=Counter)
    privilege_examples: dict[str, str] = field(default_factory=dict)
    slowest: list[tuple[float, str, str]] = field(default_factory=list)
    per_target: Counter[str] = field(default_factory=Counter)

    def text(self) -> str:
        out = io.StringIO()
        w = out.write
        w(f"inputs                 {self.inputs:>9,}\n")
        w(f"library errors         {self.library_errors:>9,}\n")
        w(f"successes              {self.successes:>9,}\n")
        w(f"foreign exceptions     {sum(self.foreign.values()):>9,}\n")
        for (kind, where), n in self.foreign.most_common():
            w(f"  {n:>7,}  {kind} at {where}\n")
            w(f"           e.g. {self.examples[kind, where]}\n")
        w(f"atomicity violations   {sum(self.atomicity.values()):>9,}\n")
        for name, n in self.atomicity.most_common():
            w(f"  {n:>7,}  {name}: {self.atomicity_examples[name]}\n")
        w(f"privilege violations   {sum(self.privilege.values()):>9,}\n")
        for name, n in self.privilege.most_common():
            w(f"  {n:>7,}  {name}: {self.privilege_examples[name]}\n")
        w("slowest inputs\n")
        for seconds, name, desc in sorted(self.slowest, reverse=True)[:10]:
            w(f"  {seconds * 1000:>9.1f} ms  {name}  {desc}\n")
        return out.getvalue()


def _describe(kwargs: dict[str, Any]) -> str:
    parts = []
    for k, v in kwargs.items():
        try:
            text = repr(v)
        except Exception:
            text = f"<{type(v).__name__} with a raising repr>"
        if len(text) > 60:
            text = text[:57] + "..."
        parts.append(f"{k}={text}")
    return ", ".join(parts)


def _raising_line(error: BaseException) -> str:
    frames = traceback.extract_tb(error.__traceback__)
    for frame in reversed(frames):
        if "customer_domain" in frame.filename:
            short = frame.filename.split("src/")[-1]
            return f"{short}:{frame.lineno}"
    if frames:
        return f"{frames[-1].filename.split('/')[-1]}:{frames[-1].lineno}"
    return "?"


_CALLBACKS = frozenset({"veto", "progress"})


def _open_keywords(fn: Callable[..., Any]) -> bool:
    """Whether *fn* takes ``**kwargs`` (unknown names are then its input)."""
    declared = getattr(fn, "open_keywords", None)
    if declared is not None:
        return bool(declared)
    try:
        params = inspect.signature(fn).parameters.values()
    except (TypeError, ValueError):
        return False
    return any(p.kind is p.VAR_KEYWORD for p in params)


def _mutate(
    h: HostileValues, kwargs: dict[str, Any], *, open_keywords: bool
) -> tuple[dict[str, Any], set[str]]:
    rng = h.rng
    out = dict(kwargs)
    names = list(out)
    changed: set[str] = set()
    if names:
        k = min(len(names), rng.choice((1, 1, 1, 2)))
        for name in rng.sample(names, k=k):
            value = h.any()
            if name in _CALLBACKS and callable(value):
                value = None  # A callable's own errors are the host's.
            out[name] = value
            changed.add(name)
    if open_keywords and (rng.random() < 0.1 or not names):
        out[rng.choice(("extra", "id", "version", "status", "zzz"))] = h.any()
    return out, changed


def _call(
    target: Target, fn: Callable[..., Any], kwargs: dict[str, Any]
) -> Any:
    args = [kwargs.pop(n) for n in target.positional if n in kwargs]
    return fn(*args, **kwargs)


def run(
    inputs: int,
    *,
    seed: int = 0,
    big: bool = True,
    targets: list[Target] | None = None,
    progress: Callable[[int], None] | None = None,
) -> Report:
    """Run *inputs* hostile calls spread over *targets* (all by default)."""
    chosen = targets or TARGETS
    h = HostileValues(seed, big=big)
    report = Report()
    sys.setrecursionlimit(max(sys.getrecursionlimit(), 1000))
    for i in range(inputs):
        target = chosen[i % len(chosen)]
        world = World.make()
        fn, valid, subjects = target.build(world)
        kwargs, _ = _mutate(h, valid, open_keywords=_open_keywords(fn))
        before = [
            _store_state(s) if isinstance(s, _Tenant) else _state(s)
            for s in subjects
        ]
        report.inputs += 1
        report.per_target[target.name] += 1
        start = time.perf_counter()
        failed = False
        try:
            result = _call(target, fn, dict(kwargs))
        except cd.CustomerDomainError:
            report.library_errors += 1
            failed = True
        except Exception as e:
            key = (type(e).__name__, _raising_line(e))
            report.foreign[key] += 1
            report.examples.setdefault(
                key, f"{target.name}({_describe(kwargs)}): {str(e)[:100]}"
            )
            failed = True
        else:
            report.successes += 1
            wrong = target.post(result) if target.post else None
            if wrong:
                report.privilege[target.name] += 1
                report.privilege_examples.setdefault(
                    target.name, f"{wrong} set by ({_describe(kwargs)})"
                )
        elapsed = time.perf_counter() - start
        report.slowest.append((elapsed, target.name, _describe(kwargs)))
        report.slowest = sorted(report.slowest, reverse=True)[:10]
        if failed:
            after = [
                _store_state(s) if isinstance(s, _Tenant) else _state(s)
                for s in subjects
            ]
            for b, a, s in zip(before, after, subjects, strict=True):
                if a != b:
                    report.atomicity[target.name] += 1
                    report.atomicity_examples.setdefault(
                        target.name,
                        f"{type(s).__name__} changed by ({_describe(kwargs)})",
                    )
        if progress is not None and i % 1000 == 0:
            progress(i)
    return report


def main(argv: list[str] | None = None) -> int:
    """``python fuzz/harness.py [INPUTS] [SEED]``."""
    args = sys.argv[1:] if argv is None else argv
    inputs = int(args[0]) if args else 100_000
    seed = int(args[1]) if len(args) > 1 else 0
    started = time.perf_counter()
    report = run(
        inputs,
        seed=seed,
        progress=lambda i: print(f"\r{i:>9,} inputs", end="", file=sys.stderr),
    )
    print(file=sys.stderr)
    print(report.text(), end="")
    print(f"targets                {len(TARGETS):>9,}")
    print(f"seconds                {time.perf_counter() - started:>9.1f}")
    bad = (
        sum(report.foreign.values())
        + sum(report.atomicity.values())
        + sum(report.privilege.values())
    )
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main())
