# SPDX-License-Identifier: MIT
"""Normalizers and match keys of duplicate detection (DU-5, DU-6)."""

from __future__ import annotations

import pytest

from hypothesis import given
from hypothesis import strategies as st

from customer_domain.matching import (
    company_name_key,
    email_key,
    fold_name,
    person_name_key,
    phone_key,
    postal_code_key,
    vat_key,
)


# Real-world spellings that must give the same key, and near misses that
# must not.
SAME_PERSON = [
    (("Hélène", "LEFÈVRE"), ("helene", "lefevre")),
    (("Hélène", "Lefèvre"), ("LEFEVRE", "Hélène")),  # swapped first/last
    (("Jean-Pierre", "Dupont"), ("Jean Pierre", "DUPONT")),
    (("Jean-Pierre", "Dupont"), ("", "Dupont Jean-Pierre")),
    (("Sean", "O'Brien"), ("Sean", "OBrien")),
    (("Sean", "O’Brien"), ("sean", "o'brien")),
    (("Łukasz", "Østergård"), ("Lukasz", "Ostergard")),
    (("José", "García  López"), ("jose", "garcia lopez")),
    (("Anne-Sophie", "Müller"), ("anne sophie", "MULLER")),
    (("Ｊｏｈｎ", "Ｓｍｉｔｈ"), ("John", "Smith")),  # full-width forms
]
OTHER_PERSON = [
    (("Hélène", "Lefèvre"), ("Hélène", "Lefebvre")),
    (("Jean", "Dupont"), ("Jeanne", "Dupont")),
    (("Jean-Pierre", "Dupont"), ("Pierre", "Dupont")),
    (("Anne", "Muller"), ("Anne", "Mueller")),
]


@pytest.mark.parametrize(("a", "b"), SAME_PERSON)
def test_person_names_match(a: tuple[str, str], b: tuple[str, str]) -> None:
    """DU-5: accents, case, punctuation, spacing and order aside."""
    assert person_name_key(*a) == person_name_key(*b) != ""


@pytest.mark.parametrize(("a", "b"), OTHER_PERSON)
def test_different_names_differ(
    a: tuple[str, str], b: tuple[str, str]
) -> None:
    """DU-5: other names (even close ones) have other keys."""
    assert person_name_key(*a) != person_name_key(*b)


@pytest.mark.parametrize("name", [("", ""), ("  ", "-"), ("", "'.")])
def test_empty_names_give_no_key(name: tuple[str, str]) -> None:
    """BX-3: an empty value never matches: its key is empty."""
    assert person_name_key(*name) == ""


@pytest.mark.parametrize(
    ("a", "b"),
    [
        ("Imprimerie Lefèvre SARL", "IMPRIMERIE LEFEVRE"),
        ("Lefèvre S.A.R.L.", "lefevre"),
        ("Müller GmbH & Co. KG", "Muller"),
        ("ACME Inc.", "Acme Incorporated"),
        ("Acme Ltd", "ACME LIMITED"),
        ("SAS Dupont et Fils", "Dupont et fils"),
    ],
)
def test_company_names_set_legal_forms_aside(a: str, b: str) -> None:
    """DU-6: legal-form words do not make two companies different."""
    assert company_name_key(a) == company_name_key(b) != ""


def test_company_names_that_differ() -> None:
    """DU-6: the rest of the name still counts; a bare legal form stays."""
    assert company_name_key("Lefèvre Imprimerie") != company_name_key(
        "Lefèvre Édition"
    )
    assert company_name_key("SA") == "sa"


@pytest.mark.parametrize(
    ("raw", "region"),
    [
        ("06 12 34 56 78", "FR"),
        ("+33 6 12 34 56 78", None),
        ("0033 6 12 34 56 78", "FR"),
        ("+33612345678", None),
        ("06.12.34.56.78", "FR"),
    ],
)
def test_phone_spellings_match(raw: str, region: str | None) -> None:
    """DU-5: every spelling of a French mobile is one E.164 key."""
    assert phone_key(raw, region) == "+33612345678"


@pytest.mark.parametrize("raw", ["", "12", "not a number", "+", "06 12"])
def test_bad_phones_give_no_key(raw: str) -> None:
    """BX-3: what is not a possible number never matches."""
    assert phone_key(raw, "FR") == ""


def test_phone_region_matters() -> None:
    """DU-5: a national number means another line in another country."""
    assert phone_key("06 12 34 56 78", "FR") != phone_key(
        "06 12 34 56 78", "BE"
    )


def test_email_keys() -> None:
    """DU-5: e-mails compare without case, but keep their dots and tags."""
    assert email_key("Helene.Lefevre@Example.COM") == email_key(
        "helene.lefevre@example.com"
    )
    assert email_key("a.b@example.com") != email_key("ab@example.com")
    assert email_key("a+x@example.com") != email_key("a@example.com")


def test_vat_and_postal_keys() -> None:
    """DU-6: VAT IDs and postal codes without spaces or punctuation."""
    assert vat_key("fr 40-303.265.045") == vat_key("FR40303265045")
    assert postal_code_key("h2x 1y4", "ca") == postal_code_key("H2X1Y4", "CA")
    assert postal_code_key("75011", "FR") != postal_code_key("75011", "DE")
    assert postal_code_key(" ", "FR") == ""


_text = st.text(st.characters(codec="utf-8"), max_size=30)


@given(_text)
def test_folding_is_idempotent(text: str) -> None:
    """DU-5: normalizing a normalized value changes nothing."""
    once = fold_name(text)
    assert fold_name(once) == once
    key = company_name_key(text)
    assert company_name_key(key) == key


@given(_text, _text)
def test_name_key_ignores_order(first: str, last: str) -> None:
    """DU-5: first and last names may be swapped; the key is stable."""
    key = person_name_key(first, last)
    assert key == person_name_key(last, first)
    assert person_name_key("", key) == key
