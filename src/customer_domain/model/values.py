# SPDX-License-Identifier: MIT
"""
Value objects: addresses, bank details, identifiers, licenses, terms of
use, affiliations and host-defined extra fields.

Each is immutable and compares by value.  Its constructor validates every
field and raises one `ValidationError` listing all problems.
"""

from __future__ import annotations

import datetime as dt
import decimal
import math
import re
import uuid

from collections.abc import Iterable, Mapping
from typing import Final, TypeAlias

import attrs

from customer_domain._collect import Collector, fail, join
from customer_domain.model._input import coerce_all
from customer_domain.model.enums import (
    AffiliationKind,
    ExtraFieldType,
    LicenseType,
    TermsStatus,
)
from customer_domain.validation import bic, countries, iban, identifiers
from customer_domain.validation._fields import (
    LONG,
    boolean,
    check_dates,
    choice,
    date,
    identity,
    non_negative_int,
    text,
    texts,
    timestamp,
)


__all__ = [
    "Affiliation",
    "BankDetails",
    "DuplicateOverride",
    "ExtraField",
    "ExtraSchema",
    "ExtraValue",
    "Identifier",
    "License",
    "PostalAddress",
    "TermsOfUse",
]

#: A value of a host-defined extra field (JSON-native).
ExtraValue: TypeAlias = str | int | float | bool


def _country(value: object) -> str | None:
    if value is None or (isinstance(value, str) and not value):
        return None
    return countries.validate(value)


@attrs.frozen(init=False, weakref_slot=False)
class PostalAddress:
    """
    A postal address (SPEC CU-5).

    >>> from customer_domain import PostalAddress
    >>> address = PostalAddress(city="Montréal", postal_code="h2x 1y4",
    ...                         country="ca")
    >>> address.postal_code, address.country
    ('H2X 1Y4', 'CA')

    .. versionadded:: 0.1.0
    """

    street: str
    line2: str
    po_box: str
    postal_code: str
    city: str
    region: str
    country: str | None

    def __init__(
        self,
        *,
        street: str = "",
        line2: str = "",
        po_box: str = "",
        postal_code: str = "",
        city: str = "",
        region: str = "",
        country: str | None = None,
    ) -> None:
        c = Collector()
        code = c.check("postal_code", text, postal_code, max_length=20)
        self.__attrs_init__(
            c.check("street", text, street),
            c.check("line2", text, line2),
            c.check("po_box", text, po_box, max_length=40),
            code.upper() if code else code,
            c.check("city", text, city),
            c.check("region", text, region),
            c.check("country", _country, country),
        )
        c.raise_if_any()


@attrs.frozen(init=False, weakref_slot=False)
class BankDetails:
    """
    A customer's bank account (SPEC CU-8); BIC and IBAN are checked.

    .. versionadded:: 0.1.0
    """

    bank_name: str
    street: str
    city: str
    country: str | None
    bic: str
    bank_code: str
    account_number: str
    iban: str

    def __init__(
        self,
        *,
        bank_name: str = "",
        street: str = "",
        city: str = "",
        country: str | None = None,
        bic: str = "",
        bank_code: str = "",
        account_number: str = "",
        iban: str = "",
    ) -> None:
        c = Collector()
        self.__attrs_init__(
            c.check("bank_name", text, bank_name),
            c.check("street", text, street),
            c.check("city", text, city),
            c.check("country", _country, country),
            c.check("bic", _optional_bic, bic),
            c.check("bank_code", text, bank_code, max_length=40),
            c.check("account_number", text, account_number, max_length=40),
            c.check("iban", _optional_iban, iban),
        )
        c.raise_if_any()


def _blank(value: object) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


def _optional_bic(value: object) -> str:
    return "" if _blank(value) else bic.validate(value)


def _optional_iban(value: object) -> str:
    return "" if _blank(value) else iban.validate(value)


@attrs.frozen(init=False, weakref_slot=False)
class Identifier:
    """
    A national business or tax number under a *scheme* (SPEC CU-10).

    Schemes python-stdnum knows (``"fr.siret"``, ``"ca.bn"``...) are
    checked; others (``"ca.neq"``) are kept as typed.

    >>> from customer_domain import Identifier
    >>> Identifier(scheme="FR.SIREN", value="732 829 320")
    Identifier(scheme='fr.siren', value='732829320')

    .. versionadded:: 0.1.0
    """

    scheme: str
    value: str

    def __init__(self, *, scheme: str = "", value: str = "") -> None:
        c = Collector()
        scheme_ = c.check("scheme", identifiers.normalize_scheme, scheme)
        value_ = value
        if scheme_ is not None:
            value_ = c.check(
                "value", identifiers.validate, value, scheme=scheme_
            )
        self.__attrs_init__(scheme_, value_)
        c.raise_if_any()


@attrs.frozen(init=False, weakref_slot=False)
class License:
    """
    A license package (SPEC CU-17): *quantity* external users may be
    created for the customer with the customer-type packages.

    .. versionadded:: 0.1.0
    """

    quantity: int
    title: str
    description: str
    type: LicenseType

    def __init__(
        self,
        *,
        quantity: int = 0,
        title: str = "",
        description: str = "",
        type: LicenseType | str = LicenseType.CUSTOMER,  # noqa: A002
    ) -> None:
        c = Collector()
        self.__attrs_init__(
            c.check("quantity", non_negative_int, quantity),
            c.check("title", text, title, required=True),
            c.check(
                "description",
                text,
                description,
                max_length=LONG,
                multiline=True,
            ),
            c.check("type", choice, type, LicenseType),
        )
        c.raise_if_any()


@attrs.frozen(init=False, weakref_slot=False)
class TermsOfUse:
    """
    Whether the customer accepted the terms of use, when and by whom
    (SPEC CU-18).

    .. versionadded:: 0.1.0
    """

    status: TermsStatus
    at: dt.datetime | None
    by: str

    def __init__(
        self,
        *,
        status: TermsStatus | str = TermsStatus.NOT_READ,
        at: dt.datetime | str | None = None,
        by: str = "",
    ) -> None:
        c = Collector()
        self.__attrs_init__(
            c.check("status", choice, status, TermsStatus),
            c.check("at", timestamp, at),
            c.check("by", text, by),
        )
        if self.status not in (None, TermsStatus.NOT_READ):
            if self.at is None and "at" not in _paths(c):
                c.add("at", "terms.user_required")
            if not self.by and "by" not in _paths(c):
                c.add("by", "terms.user_required")
        c.raise_if_any()


@attrs.frozen(init=False, weakref_slot=False)
class DuplicateOverride:
    """
    A record created (or changed) although the duplicate check found
    potential duplicates: who decided, why, when, and which candidates
    were set aside (SPEC DU-3).

    >>> DuplicateOverride(by="alice", reason="")
    Traceback (most recent call last):
    ...
    customer_domain.exceptions.ValidationError: reason: This field is required.

    .. versionadded:: 0.1.0
    """

    by: str
    reason: str
    at: dt.datetime
    candidate_ids: tuple[uuid.UUID, ...]

    def __init__(
        self,
        *,
        by: str,
        reason: str,
        at: dt.datetime | str | None = None,
        candidate_ids: Iterable[uuid.UUID | str] = (),
    ) -> None:
        c = Collector()
        who = c.check("by", text, by, required=True)
        why = c.check("reason", text, reason, required=True, max_length=LONG)
        when = c.check("at", timestamp, at)
        ids: list[uuid.UUID] = []
        if isinstance(candidate_ids, (str, bytes)) or not isinstance(
            candidate_ids, Iterable
        ):
            c.add("candidate_ids", "invalid_type", expected="a list of ids")
        else:
            for i, value in enumerate(candidate_ids):
                ids.append(c.check(join("candidate_ids", i), identity, value))
        c.raise_if_any()
        self.__attrs_init__(
            who,
            why,
            when or dt.datetime.now(dt.UTC),
            tuple(sorted(set(ids))),
        )


def _paths(c: Collector) -> set[str]:
    return {i.path for i in c.issues}


@attrs.frozen(init=False, weakref_slot=False)
class Affiliation:
    """
    A person's link to a customer other than its current one (SPEC BX-1):
    a collaboration (PE-6) or a past membership kept after a move (PE-5).

    .. versionadded:: 0.1.0
    """

    customer_id: uuid.UUID
    kind: AffiliationKind
    role: str
    valid_from: dt.date | None
    valid_to: dt.date | None
    active: bool

    def __init__(
        self,
        *,
        customer_id: uuid.UUID | str,
        kind: AffiliationKind | str = AffiliationKind.COLLABORATOR,
        role: str = "",
        valid_from: dt.date | str | None = None,
        valid_to: dt.date | str | None = None,
        active: bool = True,
    ) -> None:
        c = Collector()
        self.__attrs_init__(
            c.check("customer_id", identity, customer_id),
            c.check("kind", choice, kind, AffiliationKind),
            c.check("role", text, role),
            c.check("valid_from", date, valid_from),
            c.check("valid_to", date, valid_to),
            c.check("active", boolean, active),
        )
        if not c:
            c.check("valid_to", check_dates, self.valid_from, self.valid_to)
        c.raise_if_any()

    def is_current(self, on: dt.date) -> bool:
        """Tell whether the link is active and valid on the date *on*."""
        return (
            self.active
            and (self.valid_from is None or self.valid_from <= on)
            and (self.valid_to is None or on <= self.valid_to)
        )


_FIELD_NAME: Final = re.compile(r"[a-z][a-z0-9_]{0,63}\Z")


def _field_name(value: object) -> str:
    name = text(value, required=True, max_length=64)
    if not _FIELD_NAME.match(name):
        fail("choice.invalid", value, choices="snake_case names")
    return name


@attrs.frozen(init=False, weakref_slot=False)
class ExtraField:
    """
    One host-defined extra field (SPEC CU-15).

    .. versionadded:: 0.1.0
    """

    name: str
    type: ExtraFieldType
    required: bool
    choices: tuple[str, ...]
    label: str

    def __init__(
        self,
        *,
        name: str = "",
        type: ExtraFieldType | str = ExtraFieldType.TEXT,  # noqa: A002
        required: bool = False,
        choices: Iterable[str] = (),
        label: str = "",
    ) -> None:
        c = Collector()
        self.__attrs_init__(
            c.check("name", _field_name, name),
            c.check("type", choice, type, ExtraFieldType),
            c.check("required", boolean, required),
            c.check("choices", texts, choices),
            c.check("label", text, label),
        )
        if self.type is ExtraFieldType.CHOICE and not self.choices:
            c.add("choices", "required")
        c.raise_if_any()

    def read(self, value: object) -> ExtraValue:
        """Return *value* checked and in canonical form for this field."""
        kind = self.type
        if kind is ExtraFieldType.TEXT:
            return text(value, max_length=LONG, multiline=True)
        if kind is ExtraFieldType.BOOLEAN:
            return boolean(value)
        if kind is ExtraFieldType.INTEGER:
            if isinstance(value, bool) or not isinstance(value, int):
                fail("invalid_type", value, expected="a whole number")
            if not -_MAX_INT <= value <= _MAX_INT:
                fail("number.range", value, max=str(_MAX_INT))
            return value
        if kind is ExtraFieldType.DECIMAL:
            return _decimal(value)
        if kind is ExtraFieldType.DATE:
            day = date(value)
            if day is None:
                fail("required", value)
            return day.isoformat()
        choice_ = text(value)
        if choice_ not in self.choices:
            fail("choice.invalid", value, choices=", ".join(self.choices))
        return choice_


#: Most extra values a record holds (CU-15).
MAX_EXTRA_FIELDS: Final = 200
#: Integers are kept within 64 bits, what every backend stores.
_MAX_INT: Final = 2**63 - 1
_MAX_DECIMAL_TEXT: Final = 64


def _decimal(value: object) -> str:
    if isinstance(value, bool) or not isinstance(value, int | float | str):
        fail("invalid_type", value, expected="a decimal number")
    if isinstance(value, int) and not -_MAX_INT <= value <= _MAX_INT:
        fail("number.range", value, max=str(_MAX_INT))
    if isinstance(value, str) and len(value) > _MAX_DECIMAL_TEXT:
        fail("text.too_long", value, max=str(_MAX_DECIMAL_TEXT))
    try:
        number = decimal.Decimal(str(value).strip())
    except decimal.InvalidOperation:
        fail("invalid_type", value, expected="a decimal number")
    if not number.is_finite():
        fail("invalid_type", value, expected="a decimal number")
    return str(number)


@attrs.frozen(init=False, weakref_slot=False)
class ExtraSchema:
    """
    The host's schema of extra fields ("characteristic groups", CU-15).

    >>> from customer_domain import ExtraField, ExtraSchema
    >>> schema = ExtraSchema([ExtraField(name="sector", required=True)])
    >>> schema.validate({"sector": " Print "})
    {'sector': 'Print'}

    .. versionadded:: 0.1.0
    """

    fields: tuple[ExtraField, ...]

    def __init__(
        self, fields: Iterable[ExtraField | Mapping[str, object]] = ()
    ) -> None:
        c = Collector()
        fields_ = coerce_all(c, "fields", fields, ExtraField, "extra fields")
        self.__attrs_init__(fields_)
        seen: set[str] = set()
        for i, f in enumerate(fields_):
            if f.name in seen:
                c.add(
                    join(join("fields", i), "name"),
                    "choice.invalid",
                    f.name,
                    choices="unique names",
                )
            seen.add(f.name)
        c.raise_if_any()

    def validate(self, data: object) -> dict[str, ExtraValue]:
        """Return *data* checked against the schema, or raise."""
        return read_extra(data, self)


def read_extra(
    data: object, schema: ExtraSchema | None
) -> dict[str, ExtraValue]:
    """Check extra-field *data*, against *schema* when there is one."""
    if data is None:
        data = {}
    if not isinstance(data, Mapping):
        fail("invalid_type", data, expected="an object")
    if schema is not None and not isinstance(schema, ExtraSchema):
        fail("invalid_type", schema, expected="an extra schema")
    if len(data) > MAX_EXTRA_FIELDS:
        fail("collection.too_large", len(data), max=str(MAX_EXTRA_FIELDS))
    c = Collector()
    out: dict[str, ExtraValue] = {}
    if schema is None:
        for key, value in data.items():
            if not isinstance(key, str) or not _FIELD_NAME.match(key):
                c.add("", "unknown_field", key)
            elif isinstance(value, bool):
                out[key] = value
            elif isinstance(value, str):
                out[key] = c.check(
                    key, text, value, max_length=LONG, multiline=True
                )
            elif isinstance(value, int):
                if -_MAX_INT <= value <= _MAX_INT:
                    out[key] = value
                else:
                    c.add(key, "number.range", value, max=str(_MAX_INT))
            elif isinstance(value, float):
                if math.isfinite(value):
                    out[key] = value
                else:
                    c.add(key, "number.not_finite", value)
            else:
                c.add(
                    key,
                    "invalid_type",
                    value,
                    expected="text, number or boolean",
                )
    else:
        by_name = {f.name: f for f in schema.fields}
        c.unknown_keys("", data, frozenset(by_name))
        for name, field in by_name.items():
            value = data.get(name)
            if value is None or (isinstance(value, str) and not value):
                if field.required:
                    c.add(name, "required", value)
                continue
            read = c.check(name, field.read, value)
            if read is not None:
                out[name] = read
    c.raise_if_any()
    return out
