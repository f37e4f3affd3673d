# SPDX-License-Identifier: MIT
"""
Normalizers for duplicate detection (DU-5): pure functions turning a
value into the form two spellings of the same thing share.

They never raise on text: what cannot be normalized gives ``""``, and an
empty key never matches (BX-3).

>>> person_name_key("Hélène", "LEFÈVRE")
'helene lefevre'
>>> person_name_key("lefevre", "helene")
'helene lefevre'
>>> company_name_key("Imprimerie Lefèvre SARL")
'imprimerie lefevre'
>>> email_key("Helene.Lefevre@Example.COM")
'helene.lefevre@example.com'
>>> phone_key("06 12 34 56 78", region="FR")
'+33612345678'

.. versionadded:: 0.1.0
"""

from __future__ import annotations

import re

from typing import Final

from customer_domain._text import fold, postal_key
from customer_domain.exceptions import ValidationError
from customer_domain.validation import phones, vat
from customer_domain.validation._fields import string


#: Longest text a key function reads (the model's texts are shorter).
MAX_KEY_INPUT: Final = 4000

__all__ = [
    "LEGAL_FORMS",
    "company_name_key",
    "email_key",
    "fold_name",
    "person_name_key",
    "phone_key",
    "postal_code_key",
    "vat_key",
]

#: Letters that Unicode decomposition leaves alone (research: NFKD does
#: not fold them), spelled as their ASCII readers write them.
_LETTERS: Final = str.maketrans(
    {
        "ł": "l",
        "ø": "o",
        "æ": "ae",
        "œ": "oe",
        "đ": "d",
        "ð": "d",
        "ı": "i",
        "þ": "th",
    }
)

#: Apostrophes join ("O'Brien" is "obrien"); other punctuation separates.
_APOSTROPHES: Final = re.compile(r"['’ʼ`´]")
_SEPARATORS: Final = re.compile(r"[\W_]+")

#: Legal-form words set aside in company names (DU-6), folded.  Dotted
#: forms ("S.A.R.L.") lose their dots before the comparison.
LEGAL_FORMS: Final = frozenset(
    {
        # France, Belgium, Switzerland, Luxembourg
        "sa",
        "sarl",
        "sas",
        "sasu",
        "eurl",
        "snc",
        "scs",
        "sca",
        "sci",
        "scop",
        "sel",
        "selarl",
        "gie",
        "ei",
        "eirl",
        "sprl",
        "srl",
        "scrl",
        "asbl",
        "sagl",
        # Germany, Austria
        "gmbh",
        "ag",
        "kg",
        "ohg",
        "ug",
        "ev",
        "kgaa",
        "gbr",
        "co",
        # English-speaking countries
        "ltd",
        "limited",
        "plc",
        "llc",
        "llp",
        "lp",
        "inc",
        "incorporated",
        "corp",
        "corporation",
        "company",
        "pty",
        # Elsewhere in Europe
        "bv",
        "nv",
        "spa",
        "sl",
        "slu",
        "ab",
        "as",
        "asa",
        "oy",
        "oyj",
        "aps",
        "sp",
        "zoo",
        "sro",
        "kft",
        "lda",
    }
)


def fold_name(text: str) -> str:
    """
    Fold *text* for comparison: compatibility decomposition, accents
    stripped, case folded, ``ł ø æ œ đ ð ı þ`` spelled out, apostrophes
    dropped, other punctuation and runs of spaces made one space.

    >>> fold_name("  Jean-Pierre  D’Alembert ")
    'jean pierre dalembert'
    >>> fold_name("Łukasz Østergård")
    'lukasz ostergard'
    """
    text = string(text, max_length=MAX_KEY_INPUT)
    text = _APOSTROPHES.sub("", fold(text).translate(_LETTERS))
    return " ".join(_SEPARATORS.sub(" ", text).split())


def person_name_key(first_name: str, last_name: str) -> str:
    """
    The key of a person's name: its folded words, sorted, so that the
    order of first and last names does not matter (DU-5).

    >>> person_name_key("Jean-Pierre", "Dupont")
    'dupont jean pierre'
    >>> person_name_key("", "DUPONT Jean Pierre")
    'dupont jean pierre'
    >>> person_name_key("", "  ")
    ''
    """
    first = string(first_name, max_length=MAX_KEY_INPUT)
    last = string(last_name, max_length=MAX_KEY_INPUT)
    return " ".join(sorted(fold_name(f"{first} {last}").split()))


def company_name_key(name: str) -> str:
    """
    The key of a company name: folded, legal-form words set aside.

    A name made only of legal-form words keeps them (``"SA"`` stays
    ``"sa"``) rather than becoming empty.

    >>> company_name_key("LEFÈVRE & Fils S.A.R.L.")
    'lefevre fils'
    >>> company_name_key("Müller GmbH & Co. KG")
    'muller'
    """
    words = fold_name(
        string(name, max_length=MAX_KEY_INPUT).replace(".", "")
    ).split()
    kept = [w for w in words if w not in LEGAL_FORMS]
    return " ".join(kept or words)


def email_key(address: str) -> str:
    """
    The key of an e-mail address: the whole address case-folded.

    Channels hold addresses normalized by email-validator (the domain
    lower-cased and in Unicode form); its local part keeps its case, which
    mail servers almost never honour, so the key folds it too.

    >>> email_key("Hélène@Lefèvre.example")
    'hélène@lefèvre.example'
    """
    return string(address, max_length=MAX_KEY_INPUT).strip().casefold()


def phone_key(number: str, region: str | None = None) -> str:
    """
    The key of a phone number: its E.164 form, or ``""`` if *number* is
    not a valid number (as `customer_domain.validation.phones` decides).
    Channels already hold E.164 numbers; raw input is read in *region*.

    >>> phone_key("+33 6 12 34 56 78")
    '+33612345678'
    >>> phone_key("0033 6 12 34 56 78", region="FR")
    '+33612345678'
    >>> phone_key("12")
    ''
    """
    try:
        return phones.validate(number, region=region)
    except ValidationError:
        return ""


def vat_key(vat_id: str) -> str:
    """
    The key of a VAT ID: compact and upper-cased
    (`customer_domain.validation.vat.normalize`).

    >>> vat_key("fr 40 303 265 045")
    'FR40303265045'
    """
    return vat.normalize(vat_id)


def postal_code_key(postal_code: str, country: str | None = None) -> str:
    """
    The key of a postal code: folded, without spaces, after its country
    (``"75011"`` in France and in another country are not the same
    place); ``""`` without a postal code.

    >>> postal_code_key("H2X 1Y4", "ca")
    'CA:h2x1y4'
    >>> postal_code_key("")
    ''
    """
    code = postal_key(string(postal_code, max_length=MAX_KEY_INPUT))
    if country is not None:
        country = string(country, max_length=MAX_KEY_INPUT)
    if not code:
        return ""
    return f"{(country or '').upper()}:{code}"
