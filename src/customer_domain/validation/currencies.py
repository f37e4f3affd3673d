# SPDX-License-Identifier: MIT
"""
ISO 4217 currency codes.

>>> from customer_domain.validation import currencies
>>> currencies.validate("cad")
'CAD'
>>> currencies.is_valid("EURO")
False
"""

from __future__ import annotations

from customer_domain._collect import fail
from customer_domain.exceptions import ValidationError
from customer_domain.validation._fields import string
from customer_domain.validation._iso import CURRENCIES


__all__ = ["CURRENCIES", "is_valid", "normalize", "validate"]


def normalize(value: str) -> str:
    """Return *value* stripped and upper-cased."""
    return (
        string(value, expected="a currency code", max_length=64)
        .strip()
        .upper()
    )


def validate(value: object) -> str:
    """Return the canonical code or raise `ValidationError`."""
    if not isinstance(value, str):
        fail("invalid_type", value, expected="a currency code")
    code = normalize(value)
    if code not in CURRENCIES:
        fail("currency.invalid", value)
    return code


def is_valid(value: object) -> bool:
    """Tell whether *value* is an ISO 4217 code."""
    try:
        validate(value)
    except ValidationError:
        return False
    return True
