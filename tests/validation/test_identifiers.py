# SPDX-License-Identifier: MIT
"""Identifiers and codes: VAT, IBAN, BIC, national numbers, ISO codes,
languages, customer numbers and logins (CU-3, CU-5, CU-8, CU-10, CU-13,
EU-2)."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from customer_domain import ValidationError
from customer_domain.validation import (
    bic,
    codes,
    countries,
    currencies,
    iban,
    identifiers,
    languages,
    vat,
)
from customer_domain.validation.languages import LANGUAGES


def code_of(fn: Callable[[], object]) -> str:
    """The code of the one issue *fn* raises."""
    with pytest.raises(ValidationError) as e:
        fn()
    (only,) = e.value.issues
    assert "" == only.path
    return only.code


def test_vat_numbers() -> None:
    """CU-10: VAT checked by python-stdnum, compact, with its prefix."""
    assert "FR40303265045" == vat.validate("FR 40 303 265 045")
    assert "FR40303265045" == vat.validate("40303265045", country="FR")
    assert "EL094259216" == vat.validate("094259216", country="GR")
    assert "vat.invalid_checksum" == code_of(
        lambda: vat.validate("FR40303265046")
    )
    assert "vat.invalid_component" == code_of(
        lambda: vat.validate("40303265045")
    )
    assert "required" == code_of(lambda: vat.validate(" "))
    assert not vat.is_valid("FR40303265046")


def test_vat_of_countries_without_rule_is_kept_compact() -> None:
    """CU-10: validated where a standard exists, kept otherwise."""
    assert "ZZ12345" == vat.validate("zz 12-345")
    assert "vat.invalid_format" == code_of(
        lambda: vat.validate("ZZ" + "1" * 40)
    )


def test_iban_and_bic() -> None:
    """CU-8: IBAN and BIC checked and compacted."""
    assert "FR1420041010050500013M02606" == iban.validate(
        "FR14 2004 1010 0505 0001 3M0 2606"
    )
    assert "iban.invalid_checksum" == code_of(
        lambda: iban.validate("FR15 2004 1010 0505 0001 3M0 2606")
    )
    assert "BNPAFRPPXXX" == bic.validate("bnpa fr pp xxx")
    assert "bic.invalid_length" == code_of(lambda: bic.validate("BNPA"))
    assert "FR14" == iban.normalize("fr 14")
    assert "BNPA" == bic.normalize("bn pa")


def test_national_identifiers() -> None:
    """CU-10: known schemes are checked, others (Quebec NEQ) kept."""
    assert "73282932000074" == identifiers.validate(
        "732 829 320 00074", scheme="fr.siret"
    )
    assert "identifier.invalid_checksum" == code_of(
        lambda: identifiers.validate("732 829 320 00075", scheme="fr.siret")
    )
    assert "1143556789" == identifiers.validate(
        " 1143556789 ", scheme="ca.neq"
    )
    assert "fr.siret" == identifiers.normalize_scheme(" FR.SIRET ")
    assert "choice.invalid" == code_of(
        lambda: identifiers.normalize_scheme("../etc")
    )


@pytest.mark.parametrize("tag", LANGUAGES)
def test_all_languages_of_cu13(tag: str) -> None:
    """CU-13: the fourteen languages, in any case, with _ or -."""
    assert tag == languages.validate(tag)
    assert tag == languages.validate(tag.upper().replace("-", "_"))


def test_iso_codes() -> None:
    """CU-5, CU-13: ISO 3166 countries and ISO 4217 currencies."""
    assert "FR" == countries.validate(" fr ")
    assert "CAD" == currencies.validate("cad")
    assert "country.invalid" == code_of(lambda: countries.validate("XX"))
    assert "currency.invalid" == code_of(lambda: currencies.validate("EURO"))
    assert "language.unsupported" == code_of(
        lambda: languages.validate("klingon")
    )
    assert 249 == len(countries.COUNTRIES)


def test_customer_numbers_and_logins() -> None:
    """CU-3, EU-2: customer numbers and logins have a simple syntax."""
    assert "C-000123" == codes.validate_customer_number(" C-000123 ")
    assert "customer_number.invalid" == code_of(
        lambda: codes.validate_customer_number("C 123")
    )
    assert "8005551216" == codes.validate_login("8005551216")
    assert "m.couture@hervedavid.com" == codes.validate_login(
        "M.Couture@HerveDavid.com"
    )
    assert "login.invalid" == code_of(lambda: codes.validate_login("ab"))
    assert "login.invalid" == code_of(lambda: codes.validate_login("a b c"))


@pytest.mark.parametrize("junk", [None, 42, b"x", object(), [], {}])
def test_junk_gives_validation_error(junk: object) -> None:
    """Bad data never escapes as TypeError or AttributeError."""
    for validate in (
        vat.validate,
        iban.validate,
        bic.validate,
        lambda v: identifiers.validate(v, scheme="fr.siret"),
        lambda v: identifiers.validate(v, scheme="ca.neq"),
        countries.validate,
        currencies.validate,
        languages.validate,
        codes.validate_customer_number,
        codes.validate_login,
    ):
        with pytest.raises(ValidationError):
            validate(junk)
    assert vat.is_valid(junk) is False
    assert iban.is_valid(junk) is False
    assert countries.is_valid(junk) is False
