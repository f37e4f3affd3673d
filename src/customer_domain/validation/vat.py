# SPDX-License-Identifier: MIT
"""
VAT identification numbers, checked by python-stdnum where it knows the
country (SPEC CU-10).

The value is stored compact, with its country prefix.  A number typed
without its prefix takes the customer's *country*:

>>> from customer_domain.validation import vat
>>> vat.validate("FR 40 303 265 045")
'FR40303265045'
>>> vat.validate("40303265045", country="FR")
'FR40303265045'
>>> try:
...     vat.validate("FR40303265046")
... except ValueError as e:
...     print(e)
This VAT number's check digits are wrong.

Numbers of countries python-stdnum has no rule for are kept compact,
unchecked.
"""

from __future__ import annotations

import re

from typing import Final

from stdnum import vatin
from stdnum.util import get_cc_module

from customer_domain._collect import fail
from customer_domain.exceptions import ValidationError
from customer_domain.validation import _stdnum, countries
from customer_domain.validation._fields import string


__all__ = ["is_valid", "normalize", "validate"]

_SEPARATORS: Final = re.compile(r"[\s.\-/]")
# VAT prefixes that differ from the ISO 3166 country code.
_PREFIX_OF_COUNTRY: Final = {"GR": "EL"}
_COUNTRY_OF_PREFIX: Final = {"EL": "gr", "XI": "gb"}


def normalize(raw: object, *, country: object = None) -> str:
    """Return *raw* compact and upper-cased, with its country prefix."""
    raw = string(raw, expected="a VAT number", max_length=256)
    if country is not None:
        country = countries.validate(country)
    compact = _SEPARATORS.sub("", raw).upper()
    if country and not compact[:2].isalpha():
        compact = _PREFIX_OF_COUNTRY.get(country, country) + compact
    return compact


def validate(raw: object, *, country: str | None = None) -> str:
    """Return the compact VAT number or raise `ValidationError`."""
    compact = normalize(raw, country=country)
    if not compact:
        fail("required", raw)
    prefix = compact[:2]
    if not prefix.isalpha():
        fail("vat.invalid_component", raw)
    module = get_cc_module(
        _COUNTRY_OF_PREFIX.get(prefix, prefix.lower()), "vat"
    )
    if module is None:
        if not compact.isalnum() or len(compact) > 32:  # noqa: PLR2004
            fail("vat.invalid_format", raw)
        return compact
    return _stdnum.run("vat", vatin.validate, compact)


def is_valid(raw: object, *, country: str | None = None) -> bool:
    """Tell whether `validate` accepts *raw*."""
    try:
        validate(raw, country=country)
    except ValidationError:
        return False
    return True
