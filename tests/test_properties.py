# SPDX-License-Identifier: MIT
"""
Properties over the public strategies: round trips, idempotence, and
"arbitrary input gives a valid object or ValidationError, nothing else".
"""

from __future__ import annotations

import copy
import json

from collections.abc import Callable
from typing import Any

import pytest

from hypothesis import given
from hypothesis import strategies as st

from customer_domain import (
    Agency,
    AgencyAssignment,
    BankDetails,
    Category,
    CommunicationChannel,
    Customer,
    ExtraField,
    ExtraSchema,
    Identifier,
    License,
    PostalAddress,
    TermsOfUse,
    ValidationError,
    serialization,
)
from customer_domain.serialization import CustomerSnapshot
from customer_domain.testing import strategies as cds
from customer_domain.validation import (
    countries,
    currencies,
    emails,
    languages,
    networks,
    phones,
    urls,
)


def _as_new(kind: str, data: dict[str, Any]) -> dict[str, Any]:
    """
    The oracle of the client form: *data* with every command-only field
    at a new record's value (docs/serialization.md's table).
    """
    data = copy.deepcopy(data)
    by_kind: dict[str, dict[str, Any]] = {
        "customer": {"seat_ids": [], "super_admin_id": None},
        "person": {"active": True, "affiliations": []},
        "external_user": {"status": "invited", "super_admin": False},
        "agency": {"assignments": []},
    }
    fresh = by_kind.get(kind, {})
    data.update(fresh)
    for key in ("duplicate_override", "external_user_id", "invitation"):
        if key in data:
            data[key] = None
    if "version" in data:
        data["version"] = 0
    if kind == "customer":
        for ct in data["contact_types"]:
            ct["person_ids"] = []
    return data


def _client_view(text: str) -> dict[str, Any]:
    """A document's data without what the validated path sets itself."""
    data: dict[str, Any] = json.loads(text)["data"]
    for d in (data, data.get("customer", {})):
        d.pop("created_at", None)
        d.pop("modified_at", None)
    return data


@given(cds.snapshots())
def test_snapshots_round_trip(snapshot: CustomerSnapshot) -> None:
    """
    IO-4: the trusted form is lossless; the client form keeps what a
    client may set and refuses command-only fields set otherwise than on
    a new record.
    """
    text = serialization.dumps(snapshot)
    back = serialization.loads(text, CustomerSnapshot, trusted=True)
    assert text == serialization.dumps(back)
    assert snapshot.customer == back.customer
    assert [p.channels for p in snapshot.persons] == [
        p.channels for p in back.persons
    ]

    doc = json.loads(text)
    data = doc["data"]
    new: dict[str, Any] = {
        "customer": _as_new("customer", data["customer"]),
        "persons": [_as_new("person", p) for p in data["persons"]],
        "external_users": [],
    }
    new["customer"]["contact_types"] = data["customer"]["contact_types"]
    for p in new["persons"]:
        p["external_user_id"] = None
    if new != data:
        with pytest.raises(ValidationError) as e:
            serialization.structure(doc, CustomerSnapshot)
        assert {"field.read_only"} == set(e.value.codes)
    client = serialization.structure({**doc, "data": new}, CustomerSnapshot)
    assert _client_view(serialization.dumps(client)) == _client_view(
        json.dumps({**doc, "data": new})
    )


@given(
    st.one_of(
        cds.agencies(),
        cds.categories(),
        cds.channels(),
        cds.persons(),
        cds.external_users(),
        cds.customers(),
    )
)
def test_entities_round_trip(obj: Any) -> None:
    """
    IO-4, EU-3, EU-4, PE-6: every entity round-trips through its trusted
    document; a client document sets no command-only field.
    """
    cls = type(obj)
    text = serialization.dumps(obj)
    assert text == serialization.dumps(
        serialization.loads(text, cls, trusted=True)
    )

    doc = json.loads(text)
    kind = doc["schema"].rsplit(".", 1)[1]
    new = _as_new(kind, doc["data"])
    if new != doc["data"]:
        with pytest.raises(ValidationError) as e:
            serialization.structure(doc, cls)
        assert {"field.read_only"} == set(e.value.codes)
    client = serialization.structure({**doc, "data": new}, cls)
    assert _client_view(serialization.dumps(client)) == _client_view(
        json.dumps({**doc, "data": new})
    )


@given(
    st.one_of(
        cds.postal_addresses(),
        cds.bank_details(),
        cds.identifiers(),
        cds.licenses(),
        cds.terms_of_use(),
        cds.affiliations(),
        cds.extra_schemas(),
    )
)
def test_value_objects_round_trip(value: Any) -> None:
    """IO-4: value objects round-trip through the converters."""
    for trusted in (False, True):
        conv = serialization.make_converter(trusted=trusted)
        assert value == conv.structure(conv.unstructure(value), type(value))


@given(cds.phone_numbers())
def test_phone_normalization_is_idempotent(
    number: tuple[str, str, Any],
) -> None:
    """CH-2: normalize(normalize(x)) == normalize(x) for phones."""
    raw, region, _ = number
    once = phones.validate(raw, region=region)

    assert once == phones.validate(once, region=region)
    assert once == phones.validate(once)


@pytest.mark.parametrize(
    ("strategy", "check"),
    [
        (cds.emails(), emails.validate),
        (cds.urls(), urls.validate),
        (cds.networks(), networks.normalize),
        (cds.countries(), countries.validate),
        (cds.currencies(), currencies.validate),
        (cds.languages(), languages.validate),
    ],
)
def test_normalization_is_idempotent(
    strategy: st.SearchStrategy[str], check: Callable[[str], str]
) -> None:
    """CH-2, EU-2, CU-5, CU-13: normalizing twice changes nothing."""

    @given(strategy)
    def run(value: str) -> None:
        once = check(value)
        assert once == check(once)

    run()


@given(cds.invalid_phone_numbers())
def test_invalid_phone_numbers_are_refused(
    number: tuple[str, str | None],
) -> None:
    """CH-4: the invalid twin of phone numbers is always refused."""
    assert not phones.is_valid(number[0], region=number[1])


@pytest.mark.parametrize(
    ("strategy", "is_valid"),
    [
        (cds.invalid_emails(), emails.is_valid),
        (cds.invalid_urls(), urls.is_valid),
        (cds.invalid_networks(), networks.is_valid),
        (cds.invalid_countries(), countries.is_valid),
        (cds.invalid_currencies(), currencies.is_valid),
    ],
)
def test_invalid_twins_are_refused(
    strategy: st.SearchStrategy[str], is_valid: Callable[[str], bool]
) -> None:
    """CH-2, EU-2: every invalid twin is refused."""

    @given(strategy)
    def run(value: str) -> None:
        assert not is_valid(value)

    run()


@given(cds.invalid_channel_data())
def test_invalid_channel_data_gives_validation_error(
    data: dict[str, Any],
) -> None:
    """CH-2: invalid channel data raises ValidationError with issues."""
    with pytest.raises(ValidationError) as e:
        CommunicationChannel.from_data(data)

    assert e.value.issues


# -- arbitrary input: a valid object or ValidationError, nothing else ---------

JUNK = st.recursive(
    st.none()
    | st.booleans()
    | st.integers()
    | st.floats()
    | st.text(max_size=20)
    | st.binary(max_size=5)
    | st.dates()
    | st.uuids(),
    lambda inner: (
        st.lists(inner, max_size=3)
        | st.dictionaries(st.text(max_size=8), inner, max_size=3)
    ),
    max_leaves=8,
)
FIELD_NAMES = st.sampled_from(
    [
        "name",
        "kind",
        "number",
        "address",
        "channels",
        "bank",
        "vat_id",
        "identifiers",
        "licenses",
        "terms",
        "extra",
        "language",
        "currency",
        "category_ids",
        "valid_from",
        "active",
        "street",
        "country",
        "postal_code",
        "bic",
        "iban",
        "scheme",
        "value",
        "quantity",
        "title",
        "type",
        "status",
        "at",
        "by",
        "required",
        "choices",
        "fields",
        "description",
        "region",
        "primary",
        "purpose",
        "id",
        "zz",
    ]
)
KWARGS = st.dictionaries(FIELD_NAMES, JUNK, max_size=6)

_KEYWORD_CONSTRUCTORS: list[Callable[..., object]] = [
    Customer,
    PostalAddress,
    BankDetails,
    Identifier,
    License,
    TermsOfUse,
    ExtraField,
    Category,
]


def _only_validation_errors(
    fn: Callable[..., object], *args: Any, **kwargs: Any
) -> None:
    try:
        fn(*args, **kwargs)
    except ValidationError as e:
        assert e.issues
        assert all(i.message("en") and i.message("fr") for i in e.issues)
    except TypeError as e:
        # Only Python's own "unexpected/missing argument" errors, raised at
        # the call itself: a programming error, not bad data.
        assert "argument" in str(e), e
        assert e.__traceback__ is not None
        assert e.__traceback__.tb_next is None, e


@pytest.mark.parametrize(
    "cls", _KEYWORD_CONSTRUCTORS, ids=lambda c: c.__name__
)
def test_arbitrary_keywords_give_object_or_validation_error(
    cls: Callable[..., object],
) -> None:
    """Bad data never escapes as a bare ValueError/KeyError/AttributeError."""

    @given(KWARGS)
    def run(kwargs: dict[str, Any]) -> None:
        _only_validation_errors(cls, **kwargs)

    run()


@given(JUNK, JUNK, JUNK)
def test_arbitrary_positional_input(a: Any, b: Any, c: Any) -> None:
    """Channels, schemas, agencies and assignments take junk safely."""
    _only_validation_errors(CommunicationChannel, a, b, region=c)
    _only_validation_errors(CommunicationChannel.from_data, a)
    _only_validation_errors(ExtraSchema, a)
    _only_validation_errors(Agency, a)
    _only_validation_errors(AgencyAssignment, a, b, c)


@given(KWARGS, JUNK)
def test_arbitrary_input_to_customer_methods(
    kwargs: dict[str, Any], junk: Any
) -> None:
    """Methods taking data refuse junk with ValidationError only."""
    customer = Customer(name="ACME", licenses=[{"quantity": 1, "title": "P"}])
    _only_validation_errors(customer.update, **kwargs)
    _only_validation_errors(customer.add_contact_type, junk)
    _only_validation_errors(customer.contact_type, junk)
    person_fields = {k: v for k, v in kwargs.items() if k != "id"}
    _only_validation_errors(
        customer.add_person, contact_types=junk, **person_fields
    )
    person = customer.add_person(last_name="X", contact_types=["Customer"])
    _only_validation_errors(person.update, **person_fields)
    _only_validation_errors(person.channel, junk)
    _only_validation_errors(customer.assign, junk, junk)
    _only_validation_errors(customer.assign, person, junk)
    _only_validation_errors(customer.deactivate_person, junk)
    _only_validation_errors(customer.deactivate_external_user, junk)
    _only_validation_errors(
        customer.move_person, junk, to=junk, contact_types=junk
    )
    _only_validation_errors(
        customer.move_person, person, to=junk, contact_types=junk
    )
    _only_validation_errors(person.add_channel, junk)
    _only_validation_errors(person.collaborate_with, junk, role=junk)
    _only_validation_errors(
        customer.add_external_user,
        person,
        login=junk,
        email=junk,
        allowed_networks=junk,
    )


@given(JUNK)
def test_arbitrary_documents(data: Any) -> None:
    """Any document gives an object or ValidationError (validated path)."""
    for cls in serialization.DOCUMENT_TYPES:
        _only_validation_errors(serialization.structure, data, cls)
        doc = {
            "schema": serialization.DOCUMENT_TYPES[cls],
            "version": 1,
            "data": data,
        }
        _only_validation_errors(serialization.structure, doc, cls)
