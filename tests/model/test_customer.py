# SPDX-License-Identifier: MIT
"""Customers (SPEC CU-1..CU-18)."""

from __future__ import annotations

import datetime as dt
import uuid

import pytest

from customer_domain import (
    BankDetails,
    Category,
    Customer,
    CustomerKind,
    ExtraField,
    ExtraSchema,
    Identifier,
    License,
    LicenseType,
    Person,
    PostalAddress,
    Stage,
    TermsOfUse,
    TermsStatus,
    ValidationError,
    suggest_short_name,
)


def codes(
    error: pytest.ExceptionInfo[ValidationError],
) -> list[tuple[str, str]]:
    """The (path, code) pairs of a raised ValidationError."""
    return [(i.path, i.code) for i in error.value.issues]


def test_full_customer_is_normalized() -> None:
    """CU-1..CU-13: every field of a customer is validated and normalized."""
    customer = Customer(
        kind="company",
        name="  Hervé David ",
        legal_form="SA",
        number=" 8005551 ",
        short_name="HDAVID",
        address={"street": "1 rue X", "city": "Montréal", "country": "ca"},
        billing_address=PostalAddress(city="Laval", country="CA"),
        delivery_address={
            "city": "Québec",
            "postal_code": "g1r 4p5",
            "country": "CA",
        },
        channels=[
            {"kind": "phone", "value": "514 555 0123"},
            {"kind": "fax", "value": "514 555 0124"},
            {"kind": "email", "value": "info@hervedavid.com"},
            {"kind": "web", "value": "https://hervedavid.com"},
        ],
        notification_email="Factures@HerveDavid.com",
        external_remark="Quai 3",
        internal_remark="Bon payeur",
        bank={
            "bank_name": "BNP",
            "bic": "bnpa fr pp",
            "iban": "FR14 2004 1010 0505 0001 3M02 606",
        },
        payment_terms="30 jours",
        delivery_terms="DAP",
        our_number="F-77",
        vat_id="FR 40 303 265 045",
        tax_number="123",
        registration_number="RCS Lyon 303 265 045",
        registration_court="Lyon",
        identifiers=[{"scheme": "ca.neq", "value": "1143556789"}],
        stage="prospect",
        active=True,
        blocked=False,
        valid_from="2024-01-31",
        language="fr",
        currency="cad",
        licenses=[{"quantity": 3, "title": "Portal", "type": "customer"}],
        is_agency=False,
    )

    assert "Hervé David" == customer.name
    assert "8005551" == customer.number
    assert "CA" == customer.country
    assert "G1R 4P5" == customer.delivery_address.postal_code  # type: ignore[union-attr]
    assert [
        "+15145550123",
        "+15145550124",
        "info@hervedavid.com",
        "https://hervedavid.com",
    ] == [ch.value for ch in customer.channels]
    assert "Factures@hervedavid.com" == customer.notification_email
    assert (
        BankDetails(
            bank_name="BNP", bic="BNPAFRPP", iban="FR1420041010050500013M02606"
        )
        == customer.bank
    )
    assert "FR40303265045" == customer.vat_id
    assert (
        Identifier(scheme="ca.neq", value="1143556789"),
    ) == customer.identifiers
    assert Stage.PROSPECT is customer.stage
    assert dt.date(2024, 1, 31) == customer.valid_from
    assert ("fr", "CAD") == (customer.language, customer.currency)
    assert customer.created_at == customer.modified_at
    assert customer.created_at.tzinfo is not None
    assert TermsStatus.NOT_READ is customer.terms.status


def test_every_problem_is_reported_at_once() -> None:
    """CU-1..CU-13: one ValidationError lists all bad fields with paths."""
    with pytest.raises(ValidationError) as e:
        Customer(
            kind="person",
            name="",
            number="8005 551",
            address={"country": "XX", "colour": "red"},
            channels=[{"kind": "email", "value": "no-at-sign"}],
            bank={"iban": "FR15 2004 1010 0505 0001 3M02 606", "bic": "BNPA"},
            vat_id="FR40303265046",
            language="klingon",
            currency="EURO",
            valid_from="31/01/2024",
            licenses=[{"quantity": -1}],
            active="yes",  # type: ignore[arg-type]
            category_ids=["not-a-uuid"],
        )

    assert [
        ("name", "required"),
        ("kind", "choice.invalid"),
        ("number", "customer_number.invalid"),
        ("address.colour", "unknown_field"),
        ("address.country", "country.invalid"),
        ("bank.bic", "bic.invalid_length"),
        ("bank.iban", "iban.invalid_checksum"),
        ("category_ids[0]", "uuid.invalid"),
        ("active", "invalid_type"),
        ("valid_from", "date.invalid"),
        ("language", "language.unsupported"),
        ("currency", "currency.invalid"),
        ("licenses[0].quantity", "number.negative"),
        ("licenses[0].title", "required"),
        ("channels[0].value", "email.missing_at"),
        ("vat_id", "vat.invalid_checksum"),
    ] == codes(e)


def test_messages_are_in_english_and_french() -> None:
    """Errors read field by field in either language."""
    with pytest.raises(ValidationError) as e:
        Customer(name="", currency="EURO")

    assert {
        "name": ["Ce champ est obligatoire."],
        "currency": ["« EURO » n’est pas un code de devise ISO 4217."],
    } == e.value.by_path("fr")
    assert [
        "name: This field is required.",
        "currency: “EURO” is not an ISO 4217 currency code.",
    ] == e.value.messages("en")


def test_legal_form_only_for_companies() -> None:
    """CU-1, CU-2: an individual has no legal-form complement."""
    person_like = Customer(kind=CustomerKind.INDIVIDUAL, name="Jean Dupont")
    assert "" == person_like.legal_form

    with pytest.raises(ValidationError) as e:
        Customer(kind="individual", name="Jean Dupont", legal_form="SARL")
    assert [("legal_form", "legal_form.individual")] == codes(e)

    with pytest.raises(ValidationError) as e:
        person_like.update(legal_form="SARL")
    assert [("legal_form", "legal_form.individual")] == codes(e)


def test_update_is_all_or_nothing() -> None:
    """CU-14: update changes valid fields, bumps modified_at; bad = no change."""
    customer = Customer(name="ACME", currency="EUR")
    created = customer.modified_at

    customer.update(name="ACME Print", currency="usd")
    assert ("ACME Print", "USD") == (customer.name, customer.currency)
    assert customer.modified_at >= created

    with pytest.raises(ValidationError) as e:
        customer.update(name="Other", currency="EURO", colour="red")
    assert [
        ("colour", "unknown_field"),
        ("currency", "currency.invalid"),
    ] == codes(e)
    assert ("ACME Print", "USD") == (customer.name, customer.currency)


def test_vat_without_prefix_takes_the_customer_country() -> None:
    """CU-10: a VAT number typed without prefix uses the address country."""
    customer = Customer(
        name="ACME", address={"country": "FR"}, vat_id="40303265045"
    )

    assert "FR40303265045" == customer.vat_id


def test_short_name_is_suggested_on_request() -> None:
    """CU-4: a pseudo is suggested from the name and stays editable."""
    customer = Customer(name="Hervé David")
    customer.update(short_name=suggest_short_name(customer.name))
    assert "HERVEDAVID" == customer.short_name

    customer.update(short_name="HD")
    assert "HD" == customer.short_name
    with pytest.raises(ValidationError):
        customer.update(short_name="x" * 41)


def test_categories_have_a_required_title() -> None:
    """CU-11: a category has a required title, an optional description."""
    printers = Category(title="Printers", description="Offset and digital")
    customer = Customer(
        name="ACME", category_ids=[printers.id, str(printers.id)]
    )
    assert frozenset({printers.id}) == customer.category_ids

    with pytest.raises(ValidationError) as e:
        Category(title="  ")
    assert [("title", "required")] == codes(e)
    with pytest.raises(ValidationError):
        printers.update(title="")
    assert "Printers" == printers.title


def test_terms_of_use_status_date_and_user() -> None:
    """CU-18: terms not read / accepted / declined, with date and user."""
    customer = Customer(name="ACME")
    at = dt.datetime(2024, 5, 1, 12, tzinfo=dt.UTC)

    customer.accept_terms(by="jdupont", at=at)
    assert TermsOfUse(status="accepted", by="jdupont", at=at) == customer.terms
    customer.decline_terms(by="jdupont", at=at)
    assert TermsStatus.DECLINED is customer.terms.status

    with pytest.raises(ValidationError) as e:
        TermsOfUse(status="accepted")
    assert [
        ("at", "terms.user_required"),
        ("by", "terms.user_required"),
    ] == codes(e)
    with pytest.raises(ValidationError) as e:
        TermsOfUse(status="accepted", by="x", at=dt.datetime(2024, 5, 1))  # noqa: DTZ001
    assert [("at", "datetime.naive")] == codes(e)


def test_extra_fields_follow_the_host_schema() -> None:
    """CU-15: host-defined extra fields, some mandatory, are validated."""
    schema = ExtraSchema(
        [
            ExtraField(name="sector", required=True),
            ExtraField(name="employees", type="integer"),
            ExtraField(name="since", type="date"),
            ExtraField(name="size", type="choice", choices=["S", "M", "L"]),
            ExtraField(name="revenue", type="decimal"),
        ]
    )
    customer = Customer(
        name="ACME",
        extra={
            "sector": "Print",
            "employees": 12,
            "since": "2020-02-01",
            "revenue": "1e3",
        },
        extra_schema=schema,
    )
    assert {
        "sector": "Print",
        "employees": 12,
        "since": "2020-02-01",
        "revenue": "1E+3",
    } == dict(customer.extra)

    with pytest.raises(ValidationError) as e:
        Customer(
            name="ACME",
            extra={"employees": "many", "size": "XL", "other": 1},
            extra_schema=schema,
        )
    assert [
        ("extra.other", "unknown_field"),
        ("extra.sector", "required"),
        ("extra.employees", "invalid_type"),
        ("extra.size", "choice.invalid"),
    ] == codes(e)

    with pytest.raises(ValidationError) as e:
        Customer(name="ACME", extra={"nested": {"a": 1}})
    assert [("extra.nested", "invalid_type")] == codes(e)


def test_approval_recipients(customer: Customer, person: Person) -> None:
    """CU-16: with approval on, every active person with an e-mail."""
    no_mail = customer.add_person(
        last_name="Martin", contact_types=["Purchasing"]
    )
    assert () == customer.approval_recipients([person, no_mail])

    customer.update(approval=True)
    assert ("helene.lefevre@lefevre.fr",) == customer.approval_recipients(
        [person, no_mail]
    )
    customer.deactivate_person(person)
    assert () == customer.approval_recipients([person, no_mail])


def test_license_usage_counts_customer_licenses_only() -> None:
    """CU-17: free = quantity - used, over customer-type packages."""
    customer = Customer(
        name="ACME",
        licenses=[
            License(quantity=3, title="Portal"),
            License(quantity=2, title="More"),
            License(quantity=9, title="Suppliers", type=LicenseType.SUPPLIER),
        ],
    )
    usage = customer.license_usage()

    assert (5, 0, 5) == (usage.quantity, usage.used, usage.free)


def test_customer_identity_and_repr() -> None:
    """Entities compare by id; the repr is short and greppable."""
    ident = uuid.uuid4()
    a = Customer(name="ACME", number="C-1", id=ident)
    b = Customer(name="Other", id=str(ident))

    assert a == b
    assert hash(a) == hash(b)
    assert f"<Customer id={ident} number='C-1' name='ACME'>" == repr(a)
    with pytest.raises(ValidationError) as e:
        Customer(name="ACME", id="nope")
    assert [("id", "uuid.invalid")] == codes(e)


def test_customers_are_frozen_outside_their_methods() -> None:
    """Fields change only through methods that check the rules."""
    customer = Customer(name="ACME")

    with pytest.raises(AttributeError):
        customer.name = ""  # type: ignore[misc]
