# SPDX-License-Identifier: MIT
"""Customers and their contact types (SPEC CU-1..CU-18, CT-1..CT-4)."""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
import uuid

from collections.abc import Callable, Iterable, Mapping
from collections.abc import Set as AbstractSet
from typing import Any, Final, Protocol, TypedDict

import attrs

from customer_domain._collect import Collector, fail, join
from customer_domain.exceptions import ValidationError
from customer_domain.model._base import (
    Entity,
    new_id,
    no_public_constructor,
    set_fields,
    trusted,
)
from customer_domain.model._input import coerce, coerce_all
from customer_domain.model.channels import (
    ChannelInput,
    CommunicationChannel,
    parse_channels,
)
from customer_domain.model.enums import (
    AffiliationKind,
    CustomerKind,
    LicenseType,
    Stage,
    TermsStatus,
    UserStatus,
)
from customer_domain.model.external_user import (
    INVITATION_TTL,
    MAX_INVITATION_TTL,
    ExternalUser,
    Invitation,
    read_networks,
)
from customer_domain.model.external_user import _now as _moment
from customer_domain.model.person import (
    Person,
    end_affiliations,
    read_person_fields,
)
from customer_domain.model.values import (
    Affiliation,
    BankDetails,
    DuplicateOverride,
    ExtraSchema,
    ExtraValue,
    Identifier,
    License,
    PostalAddress,
    TermsOfUse,
    read_extra,
)
from customer_domain.validation import (
    codes,
    currencies,
    emails,
    languages,
    vat,
)
from customer_domain.validation._fields import (
    LONG,
    boolean,
    callback,
    choice,
    date,
    duration,
    identity,
    items,
    non_negative_int,
    text,
)


__all__ = [
    "DEFAULT_CONTACT_TYPE",
    "ContactType",
    "Customer",
    "CustomerChanges",
    "DeactivationVeto",
    "LicenseUsage",
    "suggest_short_name",
]

#: The name of the contact type every customer has (CT-2).
DEFAULT_CONTACT_TYPE: Final = "Customer"
#: Most contact types a customer has (CT-1).
MAX_CONTACT_TYPES: Final = 1000
_MAX_KEY: Final = 200


def _now() -> dt.datetime:
    return dt.datetime.now(dt.UTC)


def _today(at: dt.datetime | None) -> dt.date:
    return (at or _now()).date()


@attrs.frozen(init=False, eq=False, repr=False, weakref_slot=False)
class ContactType(Entity):
    """
    An area of a customer, such as Purchasing or Prepress (SPEC CT-1).

    Contact types live inside their `Customer`: create, rename and delete
    them with its methods.  The default one, "Customer", always exists,
    cannot be renamed or deleted (CT-2) and holds at most one person
    (CT-3).

    .. versionadded:: 0.1.0
    """

    id: uuid.UUID
    name: str
    is_default: bool
    #: The persons in this contact type (read-only; changed in place by
    #: the customer, so adding a person to a large customer is O(1)).
    person_ids: AbstractSet[uuid.UUID]

    def __init__(self, *_: object, **__: object) -> None:
        no_public_constructor("Customer.add_contact_type()")

    def __repr__(self) -> str:
        return (
            f"<ContactType id={self.id} name={self.name!r}"
            f" persons={len(self.person_ids)}>"
        )


def _contact_type(
    name: str,
    *,
    is_default: bool = False,
    id: uuid.UUID | None = None,  # noqa: A002
) -> ContactType:
    return trusted(
        ContactType,
        id=id or new_id(),
        name=name,
        is_default=is_default,
        person_ids=set(),
    )


def _members(ct: ContactType) -> set[uuid.UUID]:
    """The mutable set behind `ContactType.person_ids` (private)."""
    return ct.person_ids  # type: ignore[return-value]


@attrs.frozen(init=False, weakref_slot=False)
class LicenseUsage:
    """
    How many external users a customer may have and has (CU-17).

    .. versionadded:: 0.1.0
    """

    quantity: int
    used: int

    def __init__(self, quantity: int, used: int) -> None:
        c = Collector()
        self.__attrs_init__(
            c.check("quantity", non_negative_int, quantity),
            c.check("used", non_negative_int, used),
        )
        c.raise_if_any()

    @property
    def free(self) -> int:
        """``quantity - used`` (never negative)."""
        return max(self.quantity - self.used, 0)


class DeactivationVeto(Protocol):
    """
    **Protocol:** the host's check before a person is deactivated (PE-4).

    Return None to allow it, or a sentence saying why not (for example
    "responsible user of 3 assets").
    """

    def __call__(self, person: Person, /) -> str | None: ...


class CustomerChanges(TypedDict, total=False):
    """The editable fields of a customer, for `Customer.update`."""

    kind: CustomerKind | str
    name: str
    legal_form: str
    number: str | None
    short_name: str
    address: PostalAddress | Mapping[str, object] | None
    billing_address: PostalAddress | Mapping[str, object] | None
    delivery_address: PostalAddress | Mapping[str, object] | None
    channels: Iterable[ChannelInput]
    notification_email: str | None
    external_remark: str
    internal_remark: str
    bank: BankDetails | Mapping[str, object] | None
    payment_terms: str
    delivery_terms: str
    our_number: str
    vat_id: str | None
    tax_number: str
    registration_number: str
    registration_court: str
    identifiers: Iterable[Identifier | Mapping[str, object]]
    category_ids: Iterable[uuid.UUID | str]
    stage: Stage | str
    active: bool
    blocked: bool
    valid_from: dt.date | str | None
    language: str | None
    currency: str | None
    approval: bool
    licenses: Iterable[License | Mapping[str, object]]
    terms: TermsOfUse | Mapping[str, object]
    is_agency: bool
    extra: Mapping[str, object]


CUSTOMER_KEYS: Final = frozenset(CustomerChanges.__annotations__)


def _long(value: object) -> str:
    return text(value, max_length=LONG, multiline=True)


def _short(value: object) -> str:
    return text(value, max_length=40)


def _name(value: object) -> str:
    return text(value, required=True)


def _optional(check: Callable[[object], str]) -> Callable[[object], Any]:
    def read(value: object) -> str | None:
        if value is None or (isinstance(value, str) and not value.strip()):
            return None
        return check(value)

    return read


def _ids(value: object) -> frozenset[uuid.UUID]:
    if value is None:
        return frozenset()
    listed = items(value, expected="a list of ids")
    c = Collector()
    out: set[uuid.UUID] = set()
    for i, v in enumerate(listed):
        out.add(c.check(f"[{i}]", identity, v))
    c.raise_if_any()
    return frozenset(out)


# Field checks that need no context; the others are read in `_read`.
_CHECKS: Final[Mapping[str, Callable[[object], Any]]] = {
    "kind": lambda v: choice(v, CustomerKind),
    "name": _name,
    "legal_form": _short,
    "number": _optional(codes.validate_customer_number),
    "short_name": _short,
    "notification_email": _optional(emails.validate),
    "external_remark": _long,
    "internal_remark": _long,
    "payment_terms": _long,
    "delivery_terms": _long,
    "our_number": lambda v: text(v, max_length=64),
    "tax_number": lambda v: text(v, max_length=64),
    "registration_number": lambda v: text(v, max_length=64),
    "registration_court": text,
    "category_ids": _ids,
    "stage": lambda v: choice(v, Stage),
    "active": boolean,
    "blocked": boolean,
    "valid_from": date,
    "language": _optional(languages.validate),
    "currency": _optional(currencies.validate),
    "approval": boolean,
    "is_agency": boolean,
}
_OBJECTS: Final[Mapping[str, tuple[type[Any], str]]] = {
    "address": (PostalAddress, "an address"),
    "billing_address": (PostalAddress, "an address"),
    "delivery_address": (PostalAddress, "an address"),
    "bank": (BankDetails, "bank details"),
    "terms": (TermsOfUse, "terms of use"),
}
_LISTS: Final[Mapping[str, tuple[type[Any], str]]] = {
    "identifiers": (Identifier, "identifiers"),
    "licenses": (License, "licenses"),
}
_DEFAULTS: Final[Mapping[str, Any]] = {
    "kind": CustomerKind.COMPANY,
    "legal_form": "",
    "number": None,
    "short_name": "",
    "address": None,
    "billing_address": None,
    "delivery_address": None,
    "channels": (),
    "notification_email": None,
    "external_remark": "",
    "internal_remark": "",
    "bank": None,
    "payment_terms": "",
    "delivery_terms": "",
    "our_number": "",
    "vat_id": None,
    "tax_number": "",
    "registration_number": "",
    "registration_court": "",
    "identifiers": (),
    "category_ids": frozenset(),
    "stage": Stage.CLIENT,
    "active": True,
    "blocked": False,
    "valid_from": None,
    "language": None,
    "currency": None,
    "approval": False,
    "licenses": (),
    "terms": None,
    "is_agency": False,
    "extra": {},
}


def _read(
    c: Collector,
    data: Mapping[str, object],
    current: Mapping[str, Any],
    schema: ExtraSchema | None,
) -> dict[str, Any]:
    """Validate the customer fields in *data* over the *current* ones."""
    c.unknown_keys("", data, CUSTOMER_KEYS)
    out: dict[str, Any] = {}
    for key, value in data.items():
        if key in _CHECKS:
            out[key] = c.check(key, _CHECKS[key], value)
        elif key in _OBJECTS:
            cls, expected = _OBJECTS[key]
            out[key] = coerce(c, key, value, cls, expected)
        elif key in _LISTS:
            cls, expected = _LISTS[key]
            out[key] = coerce_all(c, key, value, cls, expected)
        elif key == "extra":
            out[key] = c.check(key, read_extra, value, schema)
    merged = {**current, **out}
    address = merged.get("address")
    country = address.country if isinstance(address, PostalAddress) else None
    # Country-dependent fields are read in the final country.
    if "channels" in data:
        out["channels"] = parse_channels(
            c, "channels", data["channels"], country
        )
    if "vat_id" in data:
        out["vat_id"] = c.check(
            "vat_id",
            _optional(lambda v: vat.validate(v, country=country)),
            data["vat_id"],
        )
    merged.update(out)
    if (
        merged.get("kind") is CustomerKind.INDIVIDUAL
        and merged.get("legal_form")
        and "legal_form" not in {i.path for i in c.issues}
    ):
        c.add("legal_form", "legal_form.individual", merged["legal_form"])
    if out.get("terms", 0) is None:
        out["terms"] = TermsOfUse()
    return out


@attrs.frozen(init=False, eq=False, repr=False, weakref_slot=False)
class Customer(Entity):
    """
    A customer: a company or an individual (SPEC CU-1..CU-18).

    The customer is the aggregate root of its contact types (CT-1..CT-4),
    of which persons are in which contact type (PE-2, CT-3) and of its
    external users' license seats (CU-17, EU-3).  Persons and external
    users are aggregates of their own, created by this class's methods.

    >>> from customer_domain import Customer
    >>> c = Customer(name="Hervé David", kind="company", number="8005551",
    ...              address={"city": "Montréal", "country": "CA"},
    ...              language="fr", currency="cad")
    >>> c
    <Customer id=... number='8005551' name='Hervé David'>
    >>> [ct.name for ct in c.contact_types]
    ['Customer']

    Every argument is keyword-only and validated; all problems come in
    one `ValidationError`.  Mappings are accepted wherever a value object
    (`PostalAddress`, `BankDetails`, `License`...) is expected.

    Equality is identity: two objects are equal when their :attr:`id` is.

    .. versionadded:: 0.1.0
    """

    id: uuid.UUID
    kind: CustomerKind
    name: str
    #: Legal-form complement of a company (SARL, SA, GmbH...), CU-2.
    legal_form: str
    #: Unique within the organization when set (CU-3).
    number: str | None
    #: Pseudo / short name (CU-4); see `suggest_short_name`.
    short_name: str
    #: The main postal address; its country is the customer's (CU-5).
    address: PostalAddress | None
    billing_address: PostalAddress | None
    delivery_address: PostalAddress | None
    #: Central phone, fax, e-mail, web (CU-6).
    channels: tuple[CommunicationChannel, ...]
    #: Where automated e-mails go (CU-6).
    notification_email: str | None
    external_remark: str
    internal_remark: str
    bank: BankDetails | None
    payment_terms: str
    delivery_terms: str
    #: Our number at the customer, printed on orders (CU-10).
    our_number: str
    vat_id: str | None
    tax_number: str
    registration_number: str
    registration_court: str
    identifiers: tuple[Identifier, ...]
    category_ids: frozenset[uuid.UUID]
    stage: Stage
    active: bool
    blocked: bool
    valid_from: dt.date | None
    language: str | None
    currency: str | None
    #: Documents to approve go to persons with an e-mail (CU-16).
    approval: bool
    licenses: tuple[License, ...]
    terms: TermsOfUse
    #: AG-1.
    is_agency: bool
    extra: Mapping[str, ExtraValue]
    contact_types: tuple[ContactType, ...]
    #: Active external users, each holding a license seat (CU-17).
    seat_ids: frozenset[uuid.UUID]
    super_admin_id: uuid.UUID | None
    created_at: dt.datetime
    modified_at: dt.datetime
    #: Set when the customer was created despite potential duplicates.
    duplicate_override: DuplicateOverride | None
    version: int

    def __init__(
        self,
        *,
        name: str,
        kind: CustomerKind | str = CustomerKind.COMPANY,
        legal_form: str = "",
        number: str | None = None,
        short_name: str = "",
        address: PostalAddress | Mapping[str, object] | None = None,
        billing_address: PostalAddress | Mapping[str, object] | None = None,
        delivery_address: PostalAddress | Mapping[str, object] | None = None,
        channels: Iterable[ChannelInput] = (),
        notification_email: str | None = None,
        external_remark: str = "",
        internal_remark: str = "",
        bank: BankDetails | Mapping[str, object] | None = None,
        payment_terms: str = "",
        delivery_terms: str = "",
        our_number: str = "",
        vat_id: str | None = None,
        tax_number: str = "",
        registration_number: str = "",
        registration_court: str = "",
        identifiers: Iterable[Identifier | Mapping[str, object]] = (),
        category_ids: Iterable[uuid.UUID | str] = (),
        stage: Stage | str = Stage.CLIENT,
        active: bool = True,
        blocked: bool = False,
        valid_from: dt.date | str | None = None,
        language: str | None = None,
        currency: str | None = None,
        approval: bool = False,
        licenses: Iterable[License | Mapping[str, object]] = (),
        terms: TermsOfUse | Mapping[str, object] | None = None,
        is_agency: bool = False,
        extra: Mapping[str, object] | None = None,
        extra_schema: ExtraSchema | None = None,
        id: uuid.UUID | str | None = None,  # noqa: A002
    ) -> None:
        data = {k: v for k, v in locals().items() if k in CUSTOMER_KEYS}
        c = Collector()
        fields = _read(c, data, {}, extra_schema)
        ident = new_id() if id is None else c.check("id", identity, id)
        c.raise_if_any()
        at = _now()
        self.__attrs_init__(
            id=ident,
            **fields,
            contact_types=(
                _contact_type(DEFAULT_CONTACT_TYPE, is_default=True),
            ),
            seat_ids=frozenset(),
            super_admin_id=None,
            created_at=at,
            modified_at=at,
            duplicate_override=None,
            version=0,
        )

    def __repr__(self) -> str:
        return (
            f"<Customer id={self.id} number={self.number!r}"
            f" name={self.name!r}>"
        )

    def __copy__(self) -> Customer:
        """
        A copy that shares no mutable state: its contact types are new
        objects with their own member sets, so changing one customer's
        memberships never changes the other's.
        """
        fields = {
            a.name: getattr(self, a.name) for a in attrs.fields(type(self))
        }
        fields["contact_types"] = tuple(
            _contact_type(ct.name, is_default=ct.is_default, id=ct.id)
            for ct in self.contact_types
        )
        for old, new in zip(
            self.contact_types, fields["contact_types"], strict=True
        ):
            _members(new).update(old.person_ids)
        return trusted(Customer, **fields)

    # -- fields ---------------------------------------------------------------

    @property
    def country(self) -> str | None:
        """The country of the main address: the default phone region."""
        return None if self.address is None else self.address.country

    def update(
        self, *, extra_schema: ExtraSchema | None = None, **changes: Any
    ) -> None:
        """
        Change some fields (keys of `CustomerChanges`); all or nothing.

        Raises:
            ValidationError: With every problem; nothing is changed.
        """
        c = Collector()
        current = {k: getattr(self, k) for k in CUSTOMER_KEYS}
        fields = _read(c, changes, current, extra_schema)
        if "licenses" in fields and not c:
            self._check_seats(c, fields["licenses"], len(self.seat_ids))
        c.raise_if_any()
        self._touch(**fields)

    def _touch(self, **fields: Any) -> None:
        if fields:
            set_fields(self, **fields)
        object.__setattr__(self, "modified_at", _now())

    def accept_terms(self, *, by: str, at: dt.datetime | None = None) -> None:
        """Record that *by* accepted the terms of use (CU-18)."""
        self.update(
            terms=TermsOfUse(
                status=TermsStatus.ACCEPTED,
                by=by,
                at=_now() if at is None else at,
            )
        )

    def decline_terms(self, *, by: str, at: dt.datetime | None = None) -> None:
        """Record that *by* declined the terms of use (CU-18)."""
        self.update(
            terms=TermsOfUse(
                status=TermsStatus.DECLINED,
                by=by,
                at=_now() if at is None else at,
            )
        )

    # -- contact types (CT-1..CT-4) -------------------------------------------

    @property
    def default_contact_type(self) -> ContactType:
        """The contact type "Customer" (CT-2)."""
        return next(ct for ct in self.contact_types if ct.is_default)

    @property
    def person_ids(self) -> frozenset[uuid.UUID]:
        """Every person of this customer (each is in a contact type)."""
        return frozenset().union(*(ct.person_ids for ct in self.contact_types))

    def contact_type(self, key: ContactType | uuid.UUID | str) -> ContactType:
        """
        Return this customer's contact type with id, name or object *key*.
        """
        if isinstance(key, ContactType):
            key = key.id
        elif not isinstance(key, uuid.UUID | str):
            fail("invalid_type", key, expected="a contact type, id or name")
        elif isinstance(key, str) and len(key) > _MAX_KEY:
            fail("contact_type.unknown", key)
        for ct in self.contact_types:
            if ct.id == key or (
                isinstance(key, str)
                and ct.name.casefold() == key.strip().casefold()
            ):
                return ct
        fail("contact_type.unknown", str(key))

    def contact_types_of(
        self, person: Person | uuid.UUID
    ) -> tuple[ContactType, ...]:
        """The contact types *person* is in."""
        pid = person.id if isinstance(person, Person) else person
        if not isinstance(pid, uuid.UUID):
            fail("invalid_type", person, expected="a person or its id")
        return tuple(ct for ct in self.contact_types if pid in ct.person_ids)

    def _check_name(
        self, c: Collector, name: object, skip: ContactType | None = None
    ) -> str:
        value = c.check("name", text, name, required=True, max_length=100)
        if value and any(
            ct is not skip and ct.name.casefold() == value.casefold()
            for ct in self.contact_types
        ):
            c.add("name", "contact_type.duplicate_name", value)
        return value

    def add_contact_type(self, name: str) -> ContactType:
        """
        Create a contact type (CT-1, CT-4); it may stay empty.  A customer
        has at most `MAX_CONTACT_TYPES`.
        """
        if len(self.contact_types) >= MAX_CONTACT_TYPES:
            fail(
                "collection.too_large",
                len(self.contact_types) + 1,
                max=str(MAX_CONTACT_TYPES),
            )
        c = Collector()
        value = self._check_name(c, name)
        c.raise_if_any()
        ct = _contact_type(value)
        self._touch(contact_types=(*self.contact_types, ct))
        return ct

    def rename_contact_type(
        self, contact_type: ContactType | uuid.UUID | str, name: str
    ) -> ContactType:
        """Rename a contact type other than the default one (CT-2, CT-4)."""
        ct = self.contact_type(contact_type)
        if ct.is_default:
            fail("contact_type.default_protected", ct.name)
        c = Collector()
        value = self._check_name(c, name, skip=ct)
        c.raise_if_any()
        set_fields(ct, name=value)
        self._touch()
        return ct

    def remove_contact_type(
        self, contact_type: ContactType | uuid.UUID | str
    ) -> None:
        """
        Delete a contact type (CT-4).  The default one cannot be deleted
        (CT-2), nor one that is the only contact type of a person (PE-2).
        """
        ct = self.contact_type(contact_type)
        if ct.is_default:
            fail("contact_type.default_protected", ct.name)
        others = frozenset().union(
            *(o.person_ids for o in self.contact_types if o is not ct)
        )
        orphans = ct.person_ids - others
        if orphans:
            fail("contact_type.in_use", ", ".join(sorted(map(str, orphans))))
        self._touch(
            contact_types=tuple(o for o in self.contact_types if o is not ct)
        )

    def _resolve_types(
        self,
        c: Collector,
        path: str,
        keys: object,
        person_id: uuid.UUID | None,
    ) -> list[ContactType]:
        """Read contact types for a person; checks PE-2 and CT-3."""
        if isinstance(keys, ContactType | uuid.UUID | str):
            keys = [keys]
        keys = c.check(
            path,
            items,
            keys,
            expected="a list of contact types",
            limit=MAX_CONTACT_TYPES,
        )
        if keys is None:
            return []
        found: list[ContactType] = []
        seen: set[uuid.UUID] = set()
        for i, key in enumerate(keys):
            try:
                ct = self.contact_type(key)  # type: ignore[arg-type]
            except ValidationError as e:
                c.merge(join(path, i), e)
                continue
            if ct.id in seen:
                continue
            seen.add(ct.id)
            if ct.is_default and ct.person_ids - {person_id}:
                c.add(join(path, i), "contact_type.default_occupied", ct.name)
            found.append(ct)
        if not found and not any(i.path.startswith(path) for i in c.issues):
            c.add(path, "person.contact_type_required")
        return found

    # -- persons (PE-1..PE-6) -------------------------------------------------

    def add_person(
        self,
        *,
        contact_types: Iterable[ContactType | uuid.UUID | str]
        | ContactType
        | str,
        extra_schema: ExtraSchema | None = None,
        id: uuid.UUID | str | None = None,  # noqa: A002
        **fields: Any,
    ) -> Person:
        """
        Create a person of this customer in *contact_types* (PE-1, PE-2).

        Args:
            contact_types: At least one contact type of this customer
                (objects, ids or names); "Customer" holds one person at
                most (CT-3).
            extra_schema: The host's schema, to check ``extra``.
            id: The person's id, when the host chooses it.
            fields: Keys of `PersonChanges`; ``last_name`` is required.
                Channels given as data are read with the customer's
                country as default region.

        Raises:
            ValidationError: With every problem; nothing is changed.
        """
        c = Collector()
        data = read_person_fields(
            c, fields, region=self.country, schema=extra_schema
        )
        if "last_name" not in fields:
            c.add("last_name", "required")
        ident = new_id() if id is None else c.check("id", identity, id)
        types = self._resolve_types(c, "contact_types", contact_types, None)
        c.raise_if_any()
        person = Person._new(self.id, data, id=ident)  # noqa: SLF001
        self._add_members(person.id, types)
        return person

    def _add_members(self, pid: uuid.UUID, types: list[ContactType]) -> None:
        for ct in types:
            _members(ct).add(pid)
        self._touch()

    def _own(self, person: Person) -> None:
        if not isinstance(person, Person):
            fail("invalid_type", person, expected="a person")
        if person.customer_id != self.id or not any(
            person.id in ct.person_ids for ct in self.contact_types
        ):
            fail("person.other_customer", str(person.id))

    def assign(
        self, person: Person, contact_type: ContactType | uuid.UUID | str
    ) -> None:
        """Put *person* in one more contact type (PE-2, CT-3)."""
        self._own(person)
        c = Collector()
        types = self._resolve_types(
            c, "contact_type", [contact_type], person.id
        )
        c.raise_if_any()
        self._add_members(person.id, types)

    def unassign(
        self, person: Person, contact_type: ContactType | uuid.UUID | str
    ) -> None:
        """Take *person* out of a contact type; not its last one (PE-2)."""
        self._own(person)
        ct = self.contact_type(contact_type)
        if person.id not in ct.person_ids:
            return
        if len(self.contact_types_of(person)) == 1:
            fail("person.contact_type_required", ct.name)
        _members(ct).discard(person.id)
        self._touch()

    def deactivate_person(
        self,
        person: Person,
        *,
        veto: DeactivationVeto | None = None,
        external_user: ExternalUser | None = None,
    ) -> None:
        """
        Deactivate *person*: persons are never deleted (PE-4).

        The host's *veto* is asked first; its reason is reported.  The
        person's *external_user*, if given, is deactivated too and frees
        its license seat.
        """
        self._own(person)
        if external_user is not None:
            self._own_user(external_user, person)
        if veto is not None:
            c = Collector()
            c.check("veto", callback, veto)
            c.raise_if_any()
            reason = veto(person)
            if reason:
                fail(
                    "person.deactivation_refused",
                    str(person.id),
                    reason=str(reason),
                )
        if external_user is not None:
            self.deactivate_external_user(external_user)
        set_fields(person, active=False)

    def reactivate_person(self, person: Person) -> None:
        """Make an inactive person active again (its user stays inactive)."""
        self._own(person)
        set_fields(person, active=True)

    def move_person(
        self,
        person: Person,
        *,
        to: Customer,
        contact_types: Iterable[ContactType | uuid.UUID | str]
        | ContactType
        | str,
        external_user: ExternalUser | None = None,
        at: dt.datetime | None = None,
        role: str = "",
    ) -> None:
        """
        Move *person* to customer *to*, keeping its identity (PE-5).

        Its membership of this customer is ended and kept as history
        (an `Affiliation`), collaborations with *to* end, and its
        *external_user* (if any; required when the person has one) keeps
        its id and login but now sees *to*'s data only; it takes a
        license seat there.

        Raises:
            ValidationError: Nothing is changed.
        """
        self._own(person)
        if not isinstance(to, Customer):
            fail("invalid_type", to, expected="a customer")
        if to.id == self.id:
            fail("person.same_customer", str(to.id))
        c = Collector()
        types = to._resolve_types(c, "contact_types", contact_types, person.id)
        at_ = None if at is None else c.check("at", _moment, at)
        if person.external_user_id is not None and external_user is None:
            c.add("external_user", "required")
        if external_user is not None:
            c.check("external_user", self._own_user, external_user, person)
            if not c and external_user.holds_seat:
                to._check_seats(
                    c, to.licenses, len(to.seat_ids) + 1, path="external_user"
                )
        c.check("role", text, role)
        c.raise_if_any()
        day = _today(at_)
        history = Affiliation(
            customer_id=self.id,
            kind=AffiliationKind.MEMBER,
            role=role,
            valid_to=day,
            active=False,
        )
        links = end_affiliations(person, to.id, day)
        for ct in self.contact_types:
            _members(ct).discard(person.id)
        self._touch()
        to._add_members(person.id, types)
        set_fields(person, customer_id=to.id, affiliations=(*links, history))
        if external_user is not None:
            uid = external_user.id
            self._touch(
                seat_ids=self.seat_ids - {uid},
                super_admin_id=None
                if self.super_admin_id == uid
                else self.super_admin_id,
            )
            first = to.super_admin_id is None
            if external_user.holds_seat:
                to._touch(seat_ids=to.seat_ids | {uid})
            if first:
                to._touch(super_admin_id=uid)
            set_fields(external_user, customer_id=to.id, super_admin=first)

    # -- external users (EU-1..EU-5, CU-17) -----------------------------------

    def license_usage(self) -> LicenseUsage:
        """Customer licenses bought and used (CU-17)."""
        return _usage(self.licenses, len(self.seat_ids))

    def _check_seats(
        self,
        c: Collector,
        licenses: Iterable[License],
        needed: int,
        path: str = "licenses",
    ) -> None:
        usage = _usage(licenses, needed)
        if needed > usage.quantity:
            c.add(
                path,
                "license.exhausted",
                needed,
                used=str(len(self.seat_ids)),
                quantity=str(usage.quantity),
            )

    def _own_user(
        self, user: ExternalUser, person: Person | None = None
    ) -> None:
        if not isinstance(user, ExternalUser):
            fail("invalid_type", user, expected="an external user")
        if user.customer_id != self.id or (
            person is not None and user.person_id != person.id
        ):
            fail("external_user.other_customer", str(user.id))

    def add_external_user(
        self,
        person: Person,
        *,
        login: str | None = None,
        email: str | None = None,
        allowed_networks: Iterable[object] = (),
        branch: str = "",
        now: dt.datetime | None = None,
        ttl: dt.timedelta = INVITATION_TTL,
    ) -> tuple[ExternalUser, Invitation]:
        """
        Give *person* a portal login (EU-1..EU-4).

        One external user per person (EU-1); the first of a customer is
        its super-admin (EU-3); a license seat must be free (CU-17).  The
        e-mail defaults to the person's (EU-2), the login to the e-mail.

        Returns:
            The user and the invitation for the host to send (EU-4).

        Raises:
            ValidationError: With every problem; nothing is changed.
        """
        self._own(person)
        c = Collector()
        if person.external_user_id is not None:
            c.add("person", "external_user.exists", str(person.id))
        if not person.active:
            c.add("person", "person.inactive", str(person.id))
        email_ = email if email is not None else person.email
        if email_ is None:
            c.add("email", "external_user.email_required")
        else:
            email_ = c.check("email", emails.validate, email_)
        login_ = c.check(
            "login",
            codes.validate_login,
            login if login is not None else (email_ or ""),
        )
        nets = c.check("allowed_networks", read_networks, allowed_networks)
        branch_ = c.check("branch", text, branch)
        self._check_invitation(c, now, ttl)
        if not c:
            self._check_seats(
                c, self.licenses, len(self.seat_ids) + 1, path=""
            )
        c.raise_if_any()
        first = self.super_admin_id is None
        user: ExternalUser = trusted(
            ExternalUser,
            id=new_id(),
            person_id=person.id,
            customer_id=self.id,
            login=login_,
            email=email_,
            status=UserStatus.INVITED,
            super_admin=first,
            allowed_networks=nets,
            branch=branch_,
            invitation=None,
            version=0,
        )
        invitation = user.invite(now=now, ttl=ttl)
        set_fields(person, external_user_id=user.id)
        self._touch(
            seat_ids=self.seat_ids | {user.id},
            super_admin_id=user.id if first else self.super_admin_id,
        )
        return user, invitation

    @staticmethod
    def _check_invitation(c: Collector, now: object, ttl: object) -> None:
        at = c.check("now", _moment, now)
        if at is not None:
            c.check("ttl", duration, ttl, at=at, longest=MAX_INVITATION_TTL)

    def add_default_user(
        self,
        *,
        login: str,
        email: str,
        last_name: str = "Default user",
        now: dt.datetime | None = None,
    ) -> tuple[Person, ExternalUser, Invitation]:
        """
        Create the default user of a customer without persons (EU-3).

        Users are never free-standing (EU-1): a person named *last_name*
        is created in the "Customer" contact type and given the user.

        Raises:
            ValidationError: With every problem; nothing is changed.
        """
        if self.person_ids:
            fail("external_user.has_persons", len(self.person_ids))
        c = Collector()
        c.check("email", emails.validate, email)
        c.check("login", codes.validate_login, login)
        c.check("last_name", text, last_name, required=True, max_length=100)
        self._check_invitation(c, now, INVITATION_TTL)
        if not c:
            self._check_seats(
                c, self.licenses, len(self.seat_ids) + 1, path=""
            )
        c.raise_if_any()
        modified = self.modified_at
        person = self.add_person(
            last_name=last_name,
            contact_types=[self.default_contact_type],
            channels=[{"kind": "email", "value": email}],
        )
        try:
            user, invitation = self.add_external_user(
                person, login=login, now=now
            )
        except BaseException:
            # Undo the membership add_person made: nothing is changed.
            for ct in self.contact_types:
                _members(ct).discard(person.id)
            object.__setattr__(self, "modified_at", modified)
            raise
        return person, user, invitation

    def deactivate_external_user(self, user: ExternalUser) -> None:
        """Deactivate *user*; its license seat becomes free."""
        self._own_user(user)
        set_fields(user, status=UserStatus.INACTIVE)
        self._touch(seat_ids=self.seat_ids - {user.id})

    def reactivate_external_user(self, user: ExternalUser) -> None:
        """Let an inactive *user* log in again; needs a free seat (CU-17)."""
        self._own_user(user)
        if user.status is not UserStatus.INACTIVE:
            return
        c = Collector()
        self._check_seats(c, self.licenses, len(self.seat_ids) + 1, path="")
        c.raise_if_any()
        accepted = (
            user.invitation is not None and user.invitation.used_at is not None
        )
        set_fields(
            user, status=UserStatus.ACTIVE if accepted else UserStatus.INVITED
        )
        self._touch(seat_ids=self.seat_ids | {user.id})

    # -- approval (CU-16) -----------------------------------------------------

    def approval_recipients(
        self, persons: Iterable[Person]
    ) -> tuple[str, ...]:
        """
        Who receives documents to approve (CU-16): the e-mail of every
        active person of this customer that has one, when the approval
        option is on; nobody otherwise.
        """
        if not self.approval:
            return ()
        members = self.person_ids
        out: list[str] = []
        for p in persons:
            if p.active and p.customer_id == self.id and p.id in members:
                email = p.email
                if email is not None and email not in out:
                    out.append(email)
        return tuple(out)


def _usage(licenses: Iterable[License], used: int) -> LicenseUsage:
    quantity = sum(
        lic.quantity for lic in licenses if lic.type is LicenseType.CUSTOMER
    )
    return trusted(LicenseUsage, quantity=quantity, used=used)


_WORD: Final = re.compile(r"[A-Z0-9]+")
SHORT_NAME_LENGTH: Final = 12


def suggest_short_name(name: str) -> str:
    """
    Suggest a pseudo for a customer from its *name* (CU-4).

    Accents are dropped and the words joined, upper-case, cut to 12
    characters; the host shows it as an editable proposal.

    >>> suggest_short_name("Hervé David")
    'HERVEDAVID'
    >>> suggest_short_name("Imprimerie Nationale de l'Île")
    'IMPRIMERIENA'
    """
    name = text(name, max_length=LONG)
    folded = unicodedata.normalize("NFKD", name)
    ascii_ = folded.encode("ascii", "ignore").decode().upper()
    return "".join(_WORD.findall(ascii_))[:SHORT_NAME_LENGTH]
