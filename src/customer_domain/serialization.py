# SPDX-License-Identifier: MIT
"""
JSON wire format of every entity, through cattrs (SPEC IO-4).

Un/structuring rules live here, apart from the model.  Two ways in:

- **validated** (the default): untrusted data (an API payload, an import,
  a file) is checked like the constructors check their arguments;
  unknown keys are refused and every problem comes out in one
  `ValidationError` with its path;
- **trusted**: data this library wrote and a store read back.  Nothing is
  re-validated (no phonenumbers, no email-validator), which makes it
  more than an order of magnitude faster.

>>> from customer_domain import Customer, serialization
>>> acme = Customer(name="ACME", number="C-1")
>>> text = serialization.dumps(acme)
>>> serialization.loads(text, Customer).number
'C-1'
>>> serialization.loads('{"schema": "customer_domain.customer", "version": 1,'
...                     ' "data": {"name": "", "colour": "red"}}', Customer)
Traceback (most recent call last):
  ...
customer_domain.exceptions.ValidationError: colour: Unknown field.
name: This field is required.

Documents carry their schema and version (``{"schema":
"customer_domain.customer", "version": 1, "data": {...}}``); later
versions will upgrade older documents before structuring them.

Use `make_converter` for your own converter (never cattrs' global one),
or `configure_converter` to add these rules to a converter you own.
"""

from __future__ import annotations

import datetime as dt
import enum
import functools
import ipaddress
import json
import sys
import types
import typing
import uuid

from collections.abc import Callable, Mapping
from collections.abc import Set as AbstractSet
from typing import Any, Final, TypeVar, cast

import attrs
import cattrs

from cattrs.gen import make_dict_unstructure_fn

from customer_domain._collect import Collector, fail, join
from customer_domain.exceptions import ValidationError
from customer_domain.model import (
    Affiliation,
    Agency,
    AgencyAssignment,
    BankDetails,
    Category,
    CommunicationChannel,
    ContactType,
    Customer,
    DuplicateOverride,
    ExternalUser,
    ExtraField,
    ExtraSchema,
    Identifier,
    InvitationToken,
    License,
    Person,
    PostalAddress,
    TermsOfUse,
)
from customer_domain.model._base import (
    new_id,
    set_fields,
    trusted,
    uuid_from_text,
)
from customer_domain.model._input import from_mapping
from customer_domain.model.customer import (
    CUSTOMER_KEYS,
    DEFAULT_CONTACT_TYPE,
    MAX_CONTACT_TYPES,
)
from customer_domain.model.enums import ChannelKind, Purpose, UserStatus
from customer_domain.model.external_user import read_networks
from customer_domain.model.person import (
    NO_EXTRA,
    PERSON_KEYS,
    read_person_fields,
)
from customer_domain.validation import codes, emails
from customer_domain.validation._fields import (
    boolean,
    identity,
    items,
    optional_identity,
    text,
    timestamp,
)


__all__ = [
    "DOCUMENT_TYPES",
    "MAX_DEPTH",
    "MAX_DOCUMENT_SIZE",
    "WIRE_VERSION",
    "CustomerSnapshot",
    "configure_converter",
    "dumps",
    "loads",
    "make_converter",
    "structure",
    "unstructure",
]

T = TypeVar("T")

#: The version of the wire format written by this release.
WIRE_VERSION: Final = 1


@attrs.frozen(init=False)
class CustomerSnapshot:
    """
    A customer with its persons and external users: the unit of export,
    import and backup.

    Building one checks the rules that span those aggregates: each person
    is the customer's and in one of its contact types (PE-2), each member
    of a contact type is one of the persons, each external user belongs
    to its person (EU-1) and license seats match active users (CU-17).

    .. versionadded:: 0.1.0
    """

    customer: Customer
    persons: tuple[Person, ...]
    external_users: tuple[ExternalUser, ...]

    def __init__(
        self,
        customer: Customer,
        persons: tuple[Person, ...] | list[Person] = (),
        external_users: tuple[ExternalUser, ...] | list[ExternalUser] = (),
    ) -> None:
        c = Collector()
        if not isinstance(customer, Customer):
            c.add("customer", "invalid_type", customer, expected="a customer")
        persons_ = _instances(c, "persons", persons, Person)
        users_ = _instances(c, "external_users", external_users, ExternalUser)
        c.raise_if_any()
        _check_snapshot(c, customer, persons_, users_)
        c.raise_if_any()
        self.__attrs_init__(customer, persons_, users_)


def _instances(
    c: Collector, path: str, values: object, cls: type[T]
) -> tuple[T, ...]:
    if not isinstance(values, list | tuple):
        c.add(path, "invalid_type", values, expected="a list")
        return ()
    for i, v in enumerate(values):
        if not isinstance(v, cls):
            c.add(join(path, i), "invalid_type", v, expected=cls.__name__)
    return tuple(values)


def _check_snapshot(
    c: Collector,
    customer: Customer,
    persons: tuple[Person, ...],
    users: tuple[ExternalUser, ...],
) -> None:
    members = customer.person_ids
    by_id: dict[uuid.UUID, Person] = {}
    for i, p in enumerate(persons):
        where = join("persons", i)
        if p.id in by_id:
            c.add(
                join(where, "id"),
                "choice.invalid",
                str(p.id),
                choices="unique ids",
            )
        by_id[p.id] = p
        if p.customer_id != customer.id:
            c.add(
                join(where, "customer_id"),
                "person.other_customer",
                str(p.customer_id),
            )
        elif p.id not in members:
            c.add(where, "person.contact_type_required", str(p.id))
    for ct_i, ct in enumerate(customer.contact_types):
        for pid in sorted(ct.person_ids - by_id.keys(), key=str):
            c.add(
                f"customer.contact_types[{ct_i}].person_ids",
                "person.other_customer",
                str(pid),
            )
    seats = set()
    for i, u in enumerate(users):
        where = join("external_users", i)
        person = by_id.get(u.person_id)
        if u.customer_id != customer.id:
            c.add(
                join(where, "customer_id"),
                "external_user.other_customer",
                str(u.customer_id),
            )
        if person is None or person.external_user_id != u.id:
            c.add(
                join(where, "person_id"),
                "external_user.other_customer",
                str(u.person_id),
            )
        if u.holds_seat:
            seats.add(u.id)
    if seats != set(customer.seat_ids):
        c.add(
            "customer.seat_ids",
            "license.exhausted",
            len(customer.seat_ids),
            used=str(len(seats)),
            quantity=str(customer.license_usage().quantity),
        )


# -- unstructuring (one wire format for both paths) ---------------------------


def _unstructure_ids(ids: AbstractSet[uuid.UUID]) -> list[str]:
    return sorted(str(i) for i in ids)


_ID_SETS: Final = (frozenset, AbstractSet)
_reference: Final = functools.lru_cache(maxsize=1024)(uuid_from_text)


def _origin(tp: Any) -> Any:
    return typing.get_origin(tp)


def _is_model(cls: Any) -> bool:
    return isinstance(cls, type) and attrs.has(cls)


def _configure_unstructure(conv: cattrs.Converter) -> None:
    conv.register_unstructure_hook(uuid.UUID, str)
    conv.register_unstructure_hook(dt.datetime, dt.datetime.isoformat)
    conv.register_unstructure_hook(dt.date, dt.date.isoformat)
    conv.register_unstructure_hook(ipaddress.IPv4Network, str)
    conv.register_unstructure_hook(ipaddress.IPv6Network, str)
    conv.register_unstructure_hook_func(
        lambda t: _origin(t) in _ID_SETS, _unstructure_ids
    )
    conv.register_unstructure_hook_func(lambda t: _origin(t) is Mapping, dict)
    conv.register_unstructure_hook_factory(
        _is_model, lambda cls: make_dict_unstructure_fn(cls, conv)
    )


# -- trusted structuring: no validation, fast -------------------------------


def _enum_loader(cls: type[enum.Enum]) -> Callable[[Any], Any]:
    return cls._value2member_map_.__getitem__


def _loader(  # noqa: PLR0911 -- one return per kind of type.
    tp: Any, models: Mapping[type, Callable[[Any], Any]]
) -> Callable[[Any], Any] | None:
    """A function turning wire data of type *tp* into a value; None = as is."""
    origin = typing.get_origin(tp)
    if tp in (str, int, bool, float):
        return None
    if tp is uuid.UUID:
        return uuid_from_text
    if tp is dt.datetime:
        return dt.datetime.fromisoformat
    if tp is dt.date:
        return dt.date.fromisoformat
    if isinstance(tp, type) and issubclass(tp, enum.Enum):
        return _enum_loader(tp)
    if tp in models:
        return models[tp]
    if origin in (types.UnionType, typing.Union):
        args = [a for a in typing.get_args(tp) if a is not type(None)]
        if set(args) == {ipaddress.IPv4Network, ipaddress.IPv6Network}:
            return ipaddress.ip_network
        (inner,) = args
        load = _loader(inner, models)
        if load is None:
            return None
        return lambda v: None if v is None else load(v)
    if origin is tuple:
        inner = _loader(typing.get_args(tp)[0], models)
        if inner is None:
            return tuple
        return lambda v: tuple([inner(x) for x in v])
    if origin is frozenset:
        inner = _loader(typing.get_args(tp)[0], models)
        return lambda v: frozenset([inner(x) for x in v] if inner else v)
    if origin is AbstractSet:
        inner = _loader(typing.get_args(tp)[0], models)
        return lambda v: {inner(x) for x in v} if inner else set(v)
    if origin is Mapping:
        # Most records have no extra fields: share one empty mapping.
        return lambda v: v or NO_EXTRA
    msg = f"no trusted loader for {tp!r}"  # A model field of a new type.
    raise TypeError(msg)


def _load_channel(data: Mapping[str, Any]) -> CommunicationChannel:
    """
    The channel loader, written by hand: channels are most of a person's
    memory, so equal strings are shared as validated construction does
    (``raw`` equal to ``value``; the region, interned).
    """
    obj: CommunicationChannel = object.__new__(CommunicationChannel)
    value = data["value"]
    raw = data["raw"]
    region = data["region"]
    obj.__attrs_init__(
        _CHANNEL_KINDS[data["kind"]],
        value,
        value if raw == value else raw,
        None if region is None else sys.intern(region),
        data["primary"],
        _PURPOSES[data["purpose"]],
    )
    return obj


_CHANNEL_KINDS: Final[Mapping[object, ChannelKind]] = {
    k.value: k for k in ChannelKind
}
_PURPOSES: Final[Mapping[object, Purpose]] = {p.value: p for p in Purpose}


def _trusted_structure(
    cls: type[T], models: dict[type, Callable[[Any], Any]]
) -> Callable[[Any], T]:
    """
    Generate the loader of *cls*: one call of its ``__attrs_init__`` with
    each field read from the dict, converted only where the wire type
    differs from the model's (as attrs and cattrs generate their code).
    """
    hints = typing.get_type_hints(cls)
    scope: dict[str, Any] = {"new": object.__new__, "cls": cls}
    args = []
    for i, f in enumerate(attrs.fields(cast("Any", cls))):
        fn = _loader(hints[f.name], models)
        if fn is uuid_from_text and f.name != "id":
            # A reference (the customer of each of its persons...) repeats
            # from document to document: read each once, share the UUID.
            fn = _reference
        if fn is None:
            args.append(f"d[{f.name!r}]")
        else:
            scope[f"load{i}"] = fn
            args.append(f"load{i}(d[{f.name!r}])")
    source = (
        "def load(d):\n"
        "    obj = new(cls)\n"
        f"    obj.__attrs_init__({', '.join(args)})\n"
        "    return obj\n"
    )
    exec(compile(source, f"<trusted loader of {cls.__name__}>", "exec"), scope)  # noqa: S102 -- generated from attrs fields only.
    load: Callable[[Any], T] = scope["load"]
    models[cls] = load
    return load


# -- validated structuring -------------------------------------------------


_VALUE_OBJECTS: Final = (
    DuplicateOverride,
    PostalAddress,
    BankDetails,
    Identifier,
    License,
    TermsOfUse,
    Affiliation,
    ExtraField,
    ExtraSchema,
    InvitationToken,
    AgencyAssignment,
)


def _mapping(data: object) -> Mapping[str, Any]:
    if not isinstance(data, Mapping):
        fail("invalid_type", data, expected="an object")
    return data


def _keys(cls: Any) -> frozenset[str]:
    return frozenset(f.name for f in attrs.fields(cls))


def _is_fresh(value: object, fresh: object) -> bool:
    """
    Whether *value* is *fresh*, the wire value of a field on a record no
    command has touched; strict about types, so a hostile ``__eq__`` is
    never called.
    """
    if fresh is None or isinstance(fresh, bool):
        return value is fresh
    if isinstance(fresh, list):
        return type(value) in (list, tuple) and not value
    return type(value) is type(fresh) and value == fresh


def _read_only(
    c: Collector,
    data: Mapping[str, Any],
    prefix: str,
    fresh: Mapping[str, object],
) -> None:
    """
    Refuse each command-only field of *data* set to anything but a new
    record's value (in *fresh*), with ``field.read_only``: a document from
    a client never sets what only a command may set.
    """
    for name, value in fresh.items():
        if name in data and not _is_fresh(data[name], value):
            c.add(join(prefix, name), "field.read_only", data[name])


#: The command-only fields of each document and their value on a new
#: record; a validated document may leave them out or repeat that value
#: (docs/serialization.md lists them).
_READ_ONLY: Final[Mapping[type, Mapping[str, object]]] = {
    Customer: {
        "seat_ids": [],
        "super_admin_id": None,
        "duplicate_override": None,
        "version": 0,
    },
    Person: {
        "active": True,
        "affiliations": [],
        "external_user_id": None,
        "duplicate_override": None,
        "version": 0,
    },
    ExternalUser: {
        "status": UserStatus.INVITED.value,
        "super_admin": False,
        "invitation": None,
        "version": 0,
    },
    Agency: {"assignments": [], "version": 0},
    Category: {"version": 0},
    CustomerSnapshot: {"external_users": []},
}


def _contact_types(
    c: Collector, value: object, *, members: bool
) -> tuple[ContactType, ...]:
    """
    Read the contact types of a customer document.  Their members are
    read only inside a snapshot, where they are the snapshot's persons;
    elsewhere persons join contact types through `Customer.add_person`.
    """
    try:
        listed = items(
            value,
            expected="a list of contact types",
            limit=MAX_CONTACT_TYPES,
        )
    except ValidationError as e:
        c.merge("contact_types", e)
        return ()
    if not listed:
        c.add("contact_types", "required")
        return ()
    out: list[ContactType] = []
    names: set[str] = set()
    defaults = 0
    for i, item in enumerate(listed):
        where = join("contact_types", i)
        if not isinstance(item, Mapping):
            c.add(where, "invalid_type", item, expected="a contact type")
            continue
        c.unknown_keys(where, item, _keys(ContactType))
        name = c.check(
            join(where, "name"),
            text,
            item.get("name"),
            required=True,
            max_length=100,
        )
        is_default = c.check(
            join(where, "is_default"), boolean, item.get("is_default", False)
        )
        ids = item.get("person_ids", ())
        if not members and not _is_fresh(ids, []):
            c.add(join(where, "person_ids"), "field.read_only", ids)
            ids = ()
        member_ids = c.check(join(where, "person_ids"), _id_set, ids)
        ident = c.check(join(where, "id"), optional_identity, item.get("id"))
        if is_default:
            defaults += 1
            if name and name != DEFAULT_CONTACT_TYPE:
                c.add(
                    join(where, "name"), "contact_type.default_protected", name
                )
            if member_ids and len(member_ids) > 1:
                c.add(
                    join(where, "person_ids"),
                    "contact_type.default_occupied",
                    len(member_ids),
                )
        if name:
            folded = name.casefold()
            if folded in names:
                c.add(join(where, "name"), "contact_type.duplicate_name", name)
            names.add(folded)
        out.append(
            trusted(
                ContactType,
                id=ident or new_id(),
                name=name,
                is_default=is_default,
                person_ids=set(member_ids) if member_ids else set(),
            )
        )
    if defaults != 1:
        c.add("contact_types", "contact_type.default_protected", defaults)
    return tuple(out)


def _id_set(value: object) -> frozenset[uuid.UUID]:
    if not isinstance(value, list | tuple | frozenset | set):
        fail("invalid_type", value, expected="a list of ids")
    c = Collector()
    out = frozenset(
        c.check(f"[{i}]", identity, v) for i, v in enumerate(value)
    )
    c.raise_if_any()
    return out


def _structure_customer(data: object, *, members: bool = False) -> Customer:
    """
    A new customer from a client document: the constructor's arguments
    and its id; command-only fields only as a new customer has them,
    contact types (without members, except in a snapshot) as
    `Customer.add_contact_type` makes them; created and modified now.
    """
    data = _mapping(data)
    c = Collector()
    c.unknown_keys("", data, _keys(Customer))
    _read_only(c, data, "", _READ_ONLY[Customer])
    public = {k: v for k, v in data.items() if k in CUSTOMER_KEYS}
    customer = c.check(
        "",
        Customer,
        id=data.get("id"),
        name=public.pop("name", None),
        **public,
    )
    contact_types = (
        _contact_types(c, data["contact_types"], members=members)
        if "contact_types" in data
        else None
    )
    # Timestamps are checked but not taken: the customer is created now,
    # as the constructor would create it; a document cannot backdate it.
    c.check("created_at", timestamp, data.get("created_at"))
    c.check("modified_at", timestamp, data.get("modified_at"))
    c.raise_if_any()
    if contact_types:
        set_fields(customer, contact_types=contact_types)
    return customer


_PERSON_REFS: Final = frozenset({"id", "customer_id"})


def _structure_person(data: object) -> Person:
    """
    A new person from a client document: what `Customer.add_person`
    takes, its id and its customer's id.
    """
    data = _mapping(data)
    c = Collector()
    fresh = _READ_ONLY[Person]
    c.unknown_keys(
        "", data, PERSON_KEYS | fresh.keys() | {"id", "customer_id"}
    )
    _read_only(c, data, "", fresh)
    fields = read_person_fields(
        c,
        {k: v for k, v in data.items() if k in PERSON_KEYS},
        region=None,
        schema=None,
    )
    if "last_name" not in data:
        c.add("last_name", "required")
    person_id = c.check("id", optional_identity, data.get("id"))
    customer_id = c.check("customer_id", identity, data.get("customer_id"))
    c.raise_if_any()
    return Person._new(customer_id, fields, id=person_id)  # noqa: SLF001


def _structure_external_user(data: object) -> ExternalUser:
    """
    An external user as `Customer.add_external_user` makes it before its
    invitation: invited, not super-admin, no token.  The command decides
    the rest, so a document never activates a user or makes one admin.
    """
    data = _mapping(data)
    c = Collector()
    c.unknown_keys("", data, _keys(ExternalUser))
    _read_only(c, data, "", _READ_ONLY[ExternalUser])
    fields = {
        "id": c.check("id", optional_identity, data.get("id")) or new_id(),
        "person_id": c.check("person_id", identity, data.get("person_id")),
        "customer_id": c.check(
            "customer_id", identity, data.get("customer_id")
        ),
        "login": c.check("login", codes.validate_login, data.get("login")),
        "email": c.check("email", emails.validate, data.get("email")),
        "status": UserStatus.INVITED,
        "super_admin": False,
        "allowed_networks": c.check(
            "allowed_networks", read_networks, data.get("allowed_networks")
        ),
        "branch": c.check("branch", text, data.get("branch", "")),
        "invitation": None,
        "version": 0,
    }
    c.raise_if_any()
    return trusted(ExternalUser, **fields)


def _structure_agency(data: object) -> Agency:
    """An agency as `Agency` makes it: no assignments yet."""
    data = _mapping(data)
    c = Collector()
    c.unknown_keys("", data, _keys(Agency))
    _read_only(c, data, "", _READ_ONLY[Agency])
    cid = c.check("customer_id", identity, data.get("customer_id"))
    c.raise_if_any()
    return trusted(Agency, customer_id=cid, assignments=(), version=0)


def _structure_category(data: object) -> Category:
    data = _mapping(data)
    c = Collector()
    c.unknown_keys("", data, _keys(Category))
    _read_only(c, data, "", _READ_ONLY[Category])
    public = {k: data[k] for k in ("id", "title", "description") if k in data}
    category = c.check("", Category, title=public.pop("title", ""), **public)
    c.raise_if_any()
    return category


def _structure_snapshot(
    data: object, conv: cattrs.Converter
) -> CustomerSnapshot:
    """
    A new customer with its new persons, in the contact types the
    document gives; users are created by `Customer.add_external_user`,
    which issues their invitations, so a client snapshot holds none.
    """
    data = _mapping(data)
    c = Collector()
    c.unknown_keys("", data, _keys(CustomerSnapshot))
    _read_only(c, data, "", _READ_ONLY[CustomerSnapshot])
    if "customer" not in data:
        c.add("customer", "required")
    customer = c.check(
        "customer", _structure_customer, data.get("customer"), members=True
    )
    persons = _list(c, "persons", data.get("persons", ()), conv, Person)
    c.raise_if_any()
    return CustomerSnapshot(customer, persons)


def _list(
    c: Collector,
    path: str,
    value: object,
    conv: cattrs.Converter,
    cls: type[T],
) -> list[T]:
    if not isinstance(value, list | tuple):
        c.add(path, "invalid_type", value, expected="a list")
        return []
    return [
        c.check(join(path, i), conv.structure, v, cls)
        for i, v in enumerate(value)
    ]


def _validated(fn: Callable[[object], T]) -> Callable[[object, Any], T]:
    return lambda data, _: fn(data)


def _configure_validated(conv: cattrs.Converter) -> None:
    for cls in _VALUE_OBJECTS:
        conv.register_structure_hook(cls, functools.partial(_value_hook, cls))
    conv.register_structure_hook(
        CommunicationChannel,
        _validated(lambda d: CommunicationChannel.from_data(_mapping(d))),
    )
    conv.register_structure_hook(Customer, _validated(_structure_customer))
    conv.register_structure_hook(Person, _validated(_structure_person))
    conv.register_structure_hook(
        ExternalUser, _validated(_structure_external_user)
    )
    conv.register_structure_hook(Agency, _validated(_structure_agency))
    conv.register_structure_hook(Category, _validated(_structure_category))
    conv.register_structure_hook(
        CustomerSnapshot, lambda d, _: _structure_snapshot(d, conv)
    )


def _value_hook(cls: type[T], data: object, _: Any) -> T:
    return from_mapping(cls, _mapping(data))


def _configure_trusted(conv: cattrs.Converter) -> None:
    models: dict[type, Callable[[Any], Any]] = {
        CommunicationChannel: _load_channel
    }
    for cls in (
        *_VALUE_OBJECTS,
        CommunicationChannel,
        ContactType,
        Customer,
        Person,
        ExternalUser,
        Agency,
        Category,
    ):
        load = models.get(cls) or _trusted_structure(cls, models)
        conv.register_structure_hook(cls, lambda d, _, load=load: load(d))
    snap = _trusted_structure(CustomerSnapshot, models)
    conv.register_structure_hook(CustomerSnapshot, lambda d, _: snap(d))


# -- public API -----------------------------------------------------------


def configure_converter(
    converter: cattrs.Converter, *, trusted: bool = False
) -> None:
    """
    Add customer_domain's hooks to *converter*.

    Args:
        converter: A converter you own.
        trusted: Structure without validation; only for data this library
            wrote (what storage reads back).
    """
    _configure_unstructure(converter)
    if trusted:
        _configure_trusted(converter)
    else:
        _configure_validated(converter)


def make_converter(*, trusted: bool = False) -> cattrs.Converter:
    """
    Return a new converter for the wire format (see `configure_converter`).

    .. versionadded:: 0.1.0
    """
    converter = cattrs.Converter()
    configure_converter(converter, trusted=trusted)
    return converter


_CONVERTERS: Final = {
    False: make_converter(),
    True: make_converter(trusted=True),
}

#: The schema name written in documents, by type.
DOCUMENT_TYPES: Final[Mapping[type, str]] = {
    Customer: "customer_domain.customer",
    Person: "customer_domain.person",
    ExternalUser: "customer_domain.external_user",
    Agency: "customer_domain.agency",
    Category: "customer_domain.category",
    CommunicationChannel: "customer_domain.channel",
    CustomerSnapshot: "customer_domain.snapshot",
}


def unstructure(obj: object) -> dict[str, Any]:
    """Return the versioned document of *obj*, as JSON-ready data."""
    schema = DOCUMENT_TYPES.get(type(obj))
    if schema is None:
        fail(
            "invalid_type",
            obj,
            expected=", ".join(t.__name__ for t in DOCUMENT_TYPES),
        )
    return {
        "schema": schema,
        "version": WIRE_VERSION,
        "data": _CONVERTERS[False].unstructure(obj),
    }


def structure(document: object, cls: type[T], *, trusted: bool = False) -> T:
    """
    Return the *cls* of a versioned *document* (see `unstructure`).

    Raises:
        ValidationError: The document is not a supported one, or its data
            is invalid (paths are relative to ``data``).
    """
    kind: object = cls
    schema = DOCUMENT_TYPES.get(cls) if isinstance(kind, type) else None
    if schema is None:
        fail(
            "invalid_type",
            cls,
            expected=", ".join(t.__name__ for t in DOCUMENT_TYPES),
        )
    if not trusted:
        _check_shape(document)
    if (
        not isinstance(document, Mapping)
        or document.get("schema") != schema
        or document.get("version") != WIRE_VERSION
        or "data" not in document
    ):
        fail(
            "document.unsupported",
            _describe(document),
            schema=str(schema),
            version=str(WIRE_VERSION),
        )
    try:
        return _CONVERTERS[trusted].structure(document["data"], cls)
    except ValidationError:
        raise
    except (
        KeyError,
        TypeError,
        ValueError,
        AttributeError,
        OverflowError,
        RecursionError,
    ) as e:
        if not trusted:
            raise
        fail(
            "document.unsupported",
            repr(e),
            schema=schema,
            version=str(WIRE_VERSION),
        )


#: The deepest nesting a validated document may have; the model's own
#: documents are at most 6 levels deep.
MAX_DEPTH: Final = 32
#: The largest JSON text `loads` reads (a snapshot of a customer with
#: thousands of persons fits).
MAX_DOCUMENT_SIZE: Final = 64 * 1024 * 1024


_SCALARS: Final = frozenset({str, int, float, bool, type(None)})


def _check_shape(document: object) -> None:
    """
    Refuse a document nested deeper than `MAX_DEPTH`, walking it once
    without recursion (linear in its size).  JSON's own types are told
    by their exact type (an ABC check per node would cost a third of a
    snapshot's load); other mappings and sequences are walked too.
    """
    stack: list[tuple[object, int]] = [(document, 0)]
    pop, push = stack.pop, stack.append
    scalars = _SCALARS
    while stack:
        value, depth = pop()
        kind = type(value)
        if kind is dict:
            children: Any = value.values()  # type: ignore[attr-defined]
        elif kind is list or kind is tuple:
            children = value
        elif kind in scalars:
            continue
        elif isinstance(value, Mapping):
            children = value.values()
        elif isinstance(value, list | tuple):
            children = value
        else:
            continue
        if depth >= MAX_DEPTH:
            fail("document.too_deep", depth, max=str(MAX_DEPTH))
        deeper = depth + 1
        for child in children:
            if type(child) not in scalars:
                push((child, deeper))


def _describe(document: object) -> object:
    if isinstance(document, Mapping):
        return (
            f"{document.get('schema')!r} version {document.get('version')!r}"
        )
    return document


def dumps(obj: object) -> str:
    """Serialize *obj* to a versioned JSON document."""
    return json.dumps(unstructure(obj), ensure_ascii=False)


def loads(text: str | bytes, cls: type[T], *, trusted: bool = False) -> T:
    """
    Parse a JSON document written by `dumps`.

    Raises:
        ValidationError: Invalid JSON, an unsupported document, or data
            that breaks the rules (each problem with its path).
    """
    if not isinstance(text, str | bytes | bytearray):
        fail("invalid_type", text, expected="a JSON document")
    if len(text) > MAX_DOCUMENT_SIZE:
        fail("document.too_large", len(text), max=str(MAX_DOCUMENT_SIZE))
    try:
        document = json.loads(text)
    except RecursionError:
        fail("document.too_deep", None, max=str(MAX_DEPTH))
    except (TypeError, ValueError) as e:
        fail("invalid_type", str(e), expected="a JSON document")
    return structure(document, cls, trusted=trusted)
