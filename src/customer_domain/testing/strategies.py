# SPDX-License-Identifier: MIT
"""
Hypothesis strategies for every public type of *customer_domain*.

Valid values are built constructively (from example numbers, safe
alphabets and known-good identifiers), never by filtering random data,
so they stay fast and never trip Hypothesis' health checks.  Each input
format also has an *invalid twin* (`invalid_phone_numbers`,
`invalid_emails`, ...) whose values the library must refuse with a
`~customer_domain.ValidationError`.

>>> from hypothesis import given
>>> from customer_domain.testing import strategies as cds
>>> @given(cds.customers())
... def test_customers_have_the_default_contact_type(customer):
...     assert customer.default_contact_type.name == "Customer"
>>> test_customers_have_the_default_contact_type()

Strategies take keyword-only arguments, themselves strategies where a
value may vary (Hypothesis' API style).
"""

from __future__ import annotations

import contextlib
import datetime as dt
import functools
import ipaddress
import string

from collections.abc import Sequence
from typing import Any, Final

import phonenumbers

from hypothesis import strategies as st
from phonenumbers import PhoneNumberFormat, PhoneNumberType
from stdnum import luhn

from customer_domain.exceptions import ValidationError
from customer_domain.model import (
    Affiliation,
    AffiliationKind,
    Agency,
    BankDetails,
    Category,
    ChannelData,
    ChannelKind,
    CommunicationChannel,
    Customer,
    CustomerKind,
    ExternalUser,
    ExtraField,
    ExtraFieldType,
    ExtraSchema,
    Identifier,
    License,
    LicenseType,
    Person,
    PostalAddress,
    Purpose,
    Stage,
    TermsOfUse,
    TermsStatus,
)
from customer_domain.serialization import CustomerSnapshot
from customer_domain.validation import phones
from customer_domain.validation._iso import COUNTRIES, CURRENCIES
from customer_domain.validation.languages import LANGUAGES


__all__ = [
    "affiliations",
    "agencies",
    "bank_details",
    "categories",
    "channel_data",
    "channels",
    "countries",
    "currencies",
    "customer_numbers",
    "customers",
    "emails",
    "external_users",
    "extra_schemas",
    "identifiers",
    "invalid_channel_data",
    "invalid_countries",
    "invalid_currencies",
    "invalid_emails",
    "invalid_networks",
    "invalid_phone_numbers",
    "invalid_urls",
    "languages",
    "licenses",
    "logins",
    "names",
    "networks",
    "persons",
    "phone_numbers",
    "postal_addresses",
    "snapshots",
    "terms_of_use",
    "urls",
]

# -- scalars -----------------------------------------------------------------

_LETTERS: Final = st.characters(categories=["Lu", "Ll", "Lo"])


def names(*, max_size: int = 40) -> st.SearchStrategy[str]:
    """Names as people type them: letters, marks, digits, spaces, dashes."""
    rest = st.text(
        st.characters(categories=["L", "M", "Nd", "Zs", "Pd", "Po"]),
        max_size=max_size - 1,
    )
    return st.builds(lambda a, b: a + b, _LETTERS, rest)


def countries() -> st.SearchStrategy[str]:
    """ISO 3166-1 alpha-2 codes, in any case."""
    return st.sampled_from(sorted(COUNTRIES)).flatmap(_any_case)


def currencies() -> st.SearchStrategy[str]:
    """ISO 4217 codes, in any case."""
    return st.sampled_from(sorted(CURRENCIES)).flatmap(_any_case)


def languages() -> st.SearchStrategy[str]:
    """The supported language tags (CU-13), in any case, ``_`` or ``-``."""
    return st.sampled_from(LANGUAGES).flatmap(
        lambda tag: st.sampled_from(
            [tag, tag.lower(), tag.upper(), tag.replace("-", "_")]
        )
    )


def _any_case(value: str) -> st.SearchStrategy[str]:
    return st.sampled_from([value, value.lower(), value.title()])


def customer_numbers() -> st.SearchStrategy[str]:
    """Valid customer numbers (CU-3)."""
    return st.from_regex(r"[A-Z0-9][A-Z0-9_./-]{0,15}", fullmatch=True)


def logins() -> st.SearchStrategy[str]:
    """Valid external-user logins (EU-2)."""
    return st.from_regex(r"[a-zA-Z0-9][a-zA-Z0-9._@-]{2,30}", fullmatch=True)


_ATOM: Final = st.text(
    string.ascii_letters + string.digits, min_size=1, max_size=8
)
_TLDS: Final = ("com", "fr", "ca", "de", "org", "net", "io", "co.uk")


def _domains() -> st.SearchStrategy[str]:
    label = st.text(
        string.ascii_lowercase + string.digits, min_size=1, max_size=10
    )
    return st.builds(
        lambda labels, tld: ".".join([*labels, tld]),
        st.lists(label, min_size=1, max_size=2),
        st.sampled_from(_TLDS),
    )


def emails() -> st.SearchStrategy[str]:
    """E-mail addresses email-validator accepts (CH-2)."""
    local = st.builds(
        lambda atoms, sep: sep.join(atoms),
        st.lists(_ATOM, min_size=1, max_size=3),
        st.sampled_from([".", "-", "_", "+"]),
    )
    domain = _domains().flatmap(_any_case)
    return st.builds(lambda a, b: f"{a}@{b}", local, domain)


def urls() -> st.SearchStrategy[str]:
    """Absolute http(s) URLs (CH-2)."""
    path = st.lists(_ATOM, max_size=3).map(lambda p: "/" + "/".join(p))
    return st.builds(
        lambda scheme, host, p: f"{scheme}://{host}{p}",
        st.sampled_from(["http", "https", "HTTPS"]),
        _domains(),
        path,
    )


def networks() -> st.SearchStrategy[str]:
    """IPv4/IPv6 addresses and networks, as text (EU-2)."""

    def network(
        addr: ipaddress.IPv4Address | ipaddress.IPv6Address, cut: int
    ) -> str:
        prefix = max(addr.max_prefixlen - cut, 0)
        net = ipaddress.ip_network(f"{addr}/{prefix}", strict=False)
        return str(
            net.network_address if prefix == addr.max_prefixlen else net
        )

    return st.builds(
        network,
        st.one_of(st.ip_addresses(v=4), st.ip_addresses(v=6)),
        st.integers(0, 24),
    )


# -- phone numbers -----------------------------------------------------------

_FORMATS: Final = (
    PhoneNumberFormat.E164,
    PhoneNumberFormat.INTERNATIONAL,
    PhoneNumberFormat.NATIONAL,
)


@functools.cache
def _phone_examples() -> tuple[tuple[str, str, ChannelKind], ...]:
    """(raw, region, kind) for every region's example numbers that parse."""
    out = []
    regions = sorted(set(phonenumbers.SUPPORTED_REGIONS) & COUNTRIES)
    for region in regions:
        for ptype, kind in (
            (PhoneNumberType.FIXED_LINE, ChannelKind.PHONE),
            (PhoneNumberType.MOBILE, ChannelKind.MOBILE),
        ):
            example = phonenumbers.example_number_for_type(region, ptype)
            if example is None:
                continue
            for fmt in _FORMATS:
                raw = phonenumbers.format_number(example, fmt)
                if phones.is_valid(
                    raw, region=region, mobile=kind is ChannelKind.MOBILE
                ):
                    out.append((raw, region, kind))
    return tuple(out)


def phone_numbers(
    *, kinds: Sequence[ChannelKind] = (ChannelKind.PHONE, ChannelKind.MOBILE)
) -> st.SearchStrategy[tuple[str, str, ChannelKind]]:
    """
    ``(raw, region, kind)``: a number as typed (E.164, international or
    national format) with the region to read it in, valid for *kind*.
    """
    return st.deferred(
        lambda: st.sampled_from(
            [e for e in _phone_examples() if e[2] in kinds]
        )
    )


def invalid_phone_numbers() -> st.SearchStrategy[tuple[str, str | None]]:
    """``(raw, region)`` pairs that `phones.validate` refuses."""
    too_long = phone_numbers().map(lambda e: (e[0] + "123456789012", e[1]))
    return st.one_of(
        too_long,
        st.just(("521 1224 6321", "CA")),
        st.just(("06 12 34 56 78", None)),
        st.tuples(
            st.text("abcxyz!?#", min_size=1, max_size=10),
            st.sampled_from(["FR", "CA", None]),
        ),
        st.tuples(
            st.from_regex(r"\+?[0-9]{1,2}", fullmatch=True), st.just("FR")
        ),
    )


# -- channels ----------------------------------------------------------------


def channel_data(
    *, kinds: Sequence[ChannelKind] = tuple(ChannelKind)
) -> st.SearchStrategy[ChannelData]:
    """Valid `ChannelData` of the given *kinds*."""

    def data(kind: ChannelKind, draw: st.DrawFn) -> ChannelData:
        region: str | None = None
        if kind is ChannelKind.EMAIL:
            value = draw(emails())
        elif kind is ChannelKind.WEB:
            value = draw(urls())
        else:
            wanted = (
                ChannelKind.MOBILE
                if kind is ChannelKind.MOBILE
                else ChannelKind.PHONE
            )
            value, region, _ = draw(phone_numbers(kinds=[wanted]))
        out: ChannelData = {"kind": kind.value, "value": value}
        if region is not None:
            out["region"] = region
        out["purpose"] = draw(st.sampled_from(Purpose)).value
        return out

    @st.composite
    def build(draw: st.DrawFn) -> ChannelData:
        return data(draw(st.sampled_from(kinds)), draw)

    return build()


def channels(
    *, kinds: Sequence[ChannelKind] = tuple(ChannelKind)
) -> st.SearchStrategy[CommunicationChannel]:
    """Valid `CommunicationChannel` objects."""
    return channel_data(kinds=kinds).map(CommunicationChannel.from_data)


def invalid_emails() -> st.SearchStrategy[str]:
    """Addresses email-validator refuses."""
    return st.one_of(
        _ATOM,
        _ATOM.map(lambda a: f"@{a}.com"),
        _ATOM.map(lambda a: f"{a}@"),
        _ATOM.map(lambda a: f"{a}@@{a}.com"),
        _ATOM.map(lambda a: f"{a} x@{a}.com"),
        _ATOM.map(lambda a: f"{a}@localhost"),
        _ATOM.map(lambda a: f"{a}@{a}.invalid"),
    )


def invalid_urls() -> st.SearchStrategy[str]:
    """Text that is not an absolute http(s) URL."""
    return st.one_of(
        _domains(),
        _domains().map(lambda d: f"ftp://{d}"),
        st.just("https://"),
        _ATOM.map(lambda a: f"https://{a}"),
        _domains().map(lambda d: f"https://{d} /x"),
    )


def invalid_networks() -> st.SearchStrategy[str]:
    """Text that is not an IP address or network, like "123.542.654.785"."""
    octet = st.integers(0, 255).map(str)
    bad = st.integers(256, 999).map(str)
    return st.one_of(
        st.just("123.542.654.785"),
        st.builds(
            lambda a, b, c, d: f"{a}.{b}.{c}.{d}", octet, bad, octet, octet
        ),
        st.builds(lambda a: f"0{int(a) % 100 + 10}.0.0.1", octet),
        st.builds(lambda a: f"10.0.0.{int(a) % 254 + 1}/8", octet),
        _ATOM,
    )


def invalid_countries() -> st.SearchStrategy[str]:
    """Two-letter codes that are not ISO 3166 countries."""
    return st.sampled_from(
        sorted(
            a + b
            for a in string.ascii_uppercase
            for b in string.ascii_uppercase
            if a + b not in COUNTRIES
        )
    )


def invalid_currencies() -> st.SearchStrategy[str]:
    """Texts that are not ISO 4217 codes."""
    return st.sampled_from(["EURO", "US$", "XXX", "ABC", "", "€"])


def invalid_channel_data() -> st.SearchStrategy[dict[str, Any]]:
    """Channel data the library refuses, one problem or more."""
    phone = invalid_phone_numbers().map(
        lambda p: {"kind": "phone", "value": p[0], "region": p[1]}
    )
    return st.one_of(
        phone,
        invalid_emails().map(lambda e: {"kind": "email", "value": e}),
        invalid_urls().map(lambda u: {"kind": "web", "value": u}),
        st.just({"kind": "pigeon", "value": "x"}),
        st.just({"kind": "email"}),
        st.just({"kind": "email", "value": "a@b.fr", "colour": "red"}),
    )


# -- value objects -----------------------------------------------------------


def postal_addresses() -> st.SearchStrategy[PostalAddress]:
    """Valid `PostalAddress` values (CU-5)."""
    return st.builds(
        PostalAddress,
        street=names(max_size=60),
        line2=st.just("") | names(),
        po_box=st.just("") | st.from_regex(r"BP [0-9]{1,4}", fullmatch=True),
        postal_code=st.from_regex(r"[0-9A-Za-z]{3,6}", fullmatch=True),
        city=names(),
        region=st.just(""),
        country=st.none() | countries(),
    )


#: IBANs, BICs and VAT numbers known valid (checked by a test).
_IBANS: Final = (
    "FR14 2004 1010 0505 0001 3M02 606",
    "DE89 3704 0044 0532 0130 00",
    "GB29 NWBK 6016 1331 9268 19",
    "NL91 ABNA 0417 1643 00",
    "ES91 2100 0418 4502 0005 1332",
    "CH93 0076 2011 6238 5295 7",
)
_BICS: Final = ("BNPAFRPPXXX", "DEUTDEFF", "NWBKGB2L", "UBSWCHZH80A")
_VATS: Final = (
    ("FR", "FR 40 303 265 045"),
    ("DE", "DE136695976"),
    ("BE", "BE0403170701"),
    ("GB", "GB 980 7806 84"),
)


def bank_details() -> st.SearchStrategy[BankDetails]:
    """Valid `BankDetails` (CU-8) with a real IBAN and BIC."""
    return st.builds(
        BankDetails,
        bank_name=names(),
        city=st.just("") | names(),
        country=st.none() | countries(),
        bic=st.sampled_from(_BICS),
        iban=st.sampled_from(_IBANS),
        account_number=st.just("")
        | st.from_regex(r"[0-9]{5,12}", fullmatch=True),
    )


def identifiers() -> st.SearchStrategy[Identifier]:
    """Valid `Identifier` values: checked French SIRENs and free NEQs."""
    siren = st.from_regex(r"[0-9]{8}", fullmatch=True).map(
        lambda d: d + luhn.calc_check_digit(d)
    )
    return st.one_of(
        siren.map(lambda v: Identifier(scheme="fr.siren", value=v)),
        st.from_regex(r"11[0-9]{8}", fullmatch=True).map(
            lambda v: Identifier(scheme="ca.neq", value=v)
        ),
    )


def licenses() -> st.SearchStrategy[License]:
    """Valid `License` packages (CU-17)."""
    return st.builds(
        License,
        quantity=st.integers(0, 50),
        title=names(),
        description=st.just(""),
        type=st.sampled_from(LicenseType),
    )


def terms_of_use() -> st.SearchStrategy[TermsOfUse]:
    """Valid `TermsOfUse` (CU-18)."""
    return st.one_of(
        st.just(TermsOfUse()),
        st.builds(
            TermsOfUse,
            status=st.sampled_from(
                [TermsStatus.ACCEPTED, TermsStatus.DECLINED]
            ),
            at=st.datetimes(timezones=st.timezones()),
            by=logins(),
        ),
    )


def affiliations() -> st.SearchStrategy[Affiliation]:
    """Valid `Affiliation` links (BX-1)."""
    return st.builds(
        lambda cid, kind, role, start, days, active: Affiliation(
            customer_id=cid,
            kind=kind,
            role=role,
            valid_from=start,
            valid_to=None
            if start is None or days is None
            else start.fromordinal(
                min(start.toordinal() + days, dt.date.max.toordinal())
            ),
            active=active,
        ),
        st.uuids(),
        st.sampled_from(AffiliationKind),
        st.just("") | names(),
        st.none() | st.dates(),
        st.none() | st.integers(0, 3650),
        st.booleans(),
    )


def extra_schemas() -> st.SearchStrategy[ExtraSchema]:
    """Valid host schemas of extra fields (CU-15)."""
    field = st.builds(
        lambda name, kind, required: ExtraField(
            name=name,
            type=kind,
            required=required,
            choices=("a", "b") if kind is ExtraFieldType.CHOICE else (),
        ),
        st.from_regex(r"[a-z][a-z0-9_]{0,10}", fullmatch=True),
        st.sampled_from(ExtraFieldType),
        st.booleans(),
    )
    return st.lists(field, max_size=4, unique_by=lambda f: f.name).map(
        ExtraSchema
    )


def categories() -> st.SearchStrategy[Category]:
    """Valid `Category` objects (CU-11)."""
    return st.builds(
        Category, title=names(), description=st.just("") | names()
    )


# -- entities ----------------------------------------------------------------


@st.composite
def customers(draw: st.DrawFn) -> Customer:
    """Valid `Customer` objects with varied fields (CU-1..CU-18)."""
    kind = draw(st.sampled_from(CustomerKind))
    address = draw(st.none() | postal_addresses())
    vat = None
    if kind is CustomerKind.COMPANY and draw(st.booleans()):
        vat = draw(st.sampled_from(_VATS))[1]
    return Customer(
        name=draw(names()),
        kind=kind,
        legal_form=draw(st.sampled_from(["", "SARL", "SA", "GmbH"]))
        if kind is CustomerKind.COMPANY
        else "",
        number=draw(st.none() | customer_numbers()),
        short_name=draw(st.just("") | names(max_size=12)),
        address=address,
        delivery_address=draw(st.none() | postal_addresses()),
        channels=draw(
            st.lists(
                channel_data(kinds=[ChannelKind.EMAIL, ChannelKind.WEB]),
                max_size=2,
            )
        ),
        notification_email=draw(st.none() | emails()),
        external_remark=draw(st.just("") | names()),
        bank=draw(st.none() | bank_details()),
        vat_id=vat,
        identifiers=draw(st.lists(identifiers(), max_size=2)),
        stage=draw(st.sampled_from(Stage)),
        active=draw(st.booleans()),
        blocked=draw(st.booleans()),
        valid_from=draw(st.none() | st.dates()),
        language=draw(st.none() | languages()),
        currency=draw(st.none() | currencies()),
        approval=draw(st.booleans()),
        licenses=draw(st.lists(licenses(), max_size=2)),
        terms=draw(terms_of_use()),
        is_agency=draw(st.booleans()),
        extra=draw(
            st.dictionaries(
                st.from_regex(r"[a-z][a-z0-9_]{0,8}", fullmatch=True),
                st.one_of(
                    st.text(
                        st.characters(exclude_categories=["C"]), max_size=10
                    ),
                    st.integers(-(2**63) + 1, 2**63 - 1),
                    st.booleans(),
                ),
                max_size=2,
            )
        ),
    )


@st.composite
def snapshots(
    draw: st.DrawFn,
    *,
    min_persons: int = 0,
    max_persons: int = 3,
    min_users: int = 0,
) -> CustomerSnapshot:
    """
    A customer with contact types and persons (with channels and
    collaborations), some with an external user, as a `CustomerSnapshot`.
    """
    customer = draw(customers())
    teams = [customer.add_contact_type("Team")]
    for name in draw(st.lists(names(), max_size=2)):
        # A name equal to an existing one (after folding) is refused.
        with contextlib.suppress(ValidationError):
            teams.append(customer.add_contact_type(name))
    count = draw(st.integers(min_persons, max(min_persons, max_persons)))
    seats = draw(st.integers(min_users, max(min_users, count)))
    customer.update(
        licenses=[*customer.licenses, License(quantity=seats, title="Seats")]
    )
    persons: list[Person] = []
    users: list[ExternalUser] = []
    for i in range(count):
        types = draw(st.lists(st.sampled_from(teams), min_size=1, unique=True))
        if i == 0 and draw(st.booleans()):
            types.append(customer.default_contact_type)
        person = customer.add_person(
            contact_types=types,
            last_name=draw(names()),
            first_name=draw(st.just("") | names()),
            job_title=draw(st.just("") | names()),
            functions=draw(st.lists(names(), max_size=2)),
            channels=draw(
                st.lists(channel_data(), max_size=3).map(_one_primary_per_kind)
            ),
        )
        for link in draw(st.lists(affiliations(), max_size=1)):
            person.collaborate_with(
                link.customer_id,
                role=link.role,
                valid_from=link.valid_from,
                valid_to=link.valid_to,
            )
        persons.append(person)
        if len(users) < min_users or (
            len(users) < seats and draw(st.booleans())
        ):
            user, _ = customer.add_external_user(
                person,
                login=draw(logins()),
                email=draw(emails()),
                allowed_networks=draw(st.lists(networks(), max_size=2)),
            )
            users.append(user)
    return CustomerSnapshot(customer, persons, users)


def _one_primary_per_kind(items: list[ChannelData]) -> list[ChannelData]:
    seen: set[object] = set()
    out = []
    for item in items:
        item = dict(item)  # type: ignore[assignment]  # noqa: PLW2901
        if item["kind"] not in seen:
            item["primary"] = True
            seen.add(item["kind"])
        out.append(item)
    return out


def persons() -> st.SearchStrategy[Person]:
    """Valid `Person` objects (PE-1..PE-6)."""
    return snapshots(min_persons=1, max_persons=2).flatmap(
        lambda s: st.sampled_from(s.persons)
    )


def external_users() -> st.SearchStrategy[ExternalUser]:
    """Valid `ExternalUser` objects (EU-1..EU-4)."""
    return snapshots(min_persons=1, max_persons=2, min_users=1).flatmap(
        lambda s: st.sampled_from(s.external_users)
    )


@st.composite
def agencies(draw: st.DrawFn) -> Agency:
    """An `Agency` with a few order assignments (AG-1..AG-4)."""
    agency = Agency(Customer(name=draw(names()), is_agency=True))
    refs = draw(
        st.lists(
            st.from_regex(r"ORD-[0-9]{1,6}", fullmatch=True),
            max_size=3,
            unique=True,
        )
    )
    for ref in refs:
        agency.assign(ref, customer=draw(st.uuids()))
    return agency
