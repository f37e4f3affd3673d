# SPDX-License-Identifier: MIT
"""
ISO 3166-1 alpha-2 country codes.

>>> from customer_domain.validation import countries
>>> countries.validate(" fr ")
'FR'
>>> countries.is_valid("XX")
False
"""

from __future__ import annotations

from customer_domain._collect import fail
from customer_domain.exceptions import ValidationError
from customer_domain.validation._fields import string
from customer_domain.validation._iso import COUNTRIES


__all__ = ["COUNTRIES", "is_valid", "normalize", "validate"]


def normalize(value: str) -> str:
    """Return *value* stripped and upper-cased."""
    return (
        string(value, expected="a country code", max_length=64).strip().upper()
    )


def validate(value: object) -> str:
    """Return the canonical code or raise `ValidationError`."""
    if not isinstance(value, str):
        fail("invalid_type", value, expected="a country code")
    code = normalize(value)
    if code not in COUNTRIES:
        fail("country.invalid", value)
    return code


def is_valid(value: object) -> bool:
    """Tell whether *value* is an ISO 3166-1 alpha-2 code."""
    try:
        validate(value)
    except ValidationError:
        return False
    return True
