# SPDX-License-Identifier: MIT
"""
Customer numbers and external-user logins (SPEC CU-3, EU-2).

>>> from customer_domain.validation import codes
>>> codes.validate_customer_number(" C-000123 ")
'C-000123'
>>> codes.validate_login("Mireille.Couture@HerveDavid.com")
'mireille.couture@hervedavid.com'
>>> try:
...     codes.validate_login("a b")
... except ValueError as e:
...     print(e)
A login has 3 to 64 characters and no spaces.

Logins compare case-insensitively, so their canonical form is lower-case.
"""

from __future__ import annotations

import re

from typing import Final

from customer_domain._collect import fail


__all__ = ["validate_customer_number", "validate_login"]

_NUMBER: Final = re.compile(r"[A-Za-z0-9][A-Za-z0-9_./-]{0,31}\Z")
_LOGIN: Final = re.compile(r"[^\s\x00-\x1f\x7f]{3,64}\Z")


def validate_customer_number(raw: object) -> str:
    """Return the customer number stripped, or raise `ValidationError`."""
    if not isinstance(raw, str):
        fail("invalid_type", raw, expected="text")
    value = raw.strip()
    if not value:
        fail("required", raw)
    if not _NUMBER.match(value):
        fail("customer_number.invalid", raw)
    return value


def validate_login(raw: object) -> str:
    """Return the login stripped and lower-cased, or raise."""
    if not isinstance(raw, str):
        fail("invalid_type", raw, expected="text")
    value = raw.strip().lower()
    if not value:
        fail("required", raw)
    if not _LOGIN.match(value):
        fail("login.invalid", raw)
    return value
