# SPDX-License-Identifier: MIT
"""
E-mail addresses, checked by email-validator (SPEC CH-2).

Syntax only: no DNS query is made.  The normalized form lower-cases the
domain and keeps the local part as typed:

>>> from customer_domain.validation import emails
>>> emails.validate(" Mireille.Couture@HerveDavid.com ")
'Mireille.Couture@hervedavid.com'
>>> try:
...     emails.validate("mireille.couture@")
... except ValueError as e:
...     print(e.issues[0].code, "|", e)
email.empty_domain | There must be something after the @-sign.

Each email-validator message maps to a stable code (``email.missing_at``,
``email.invalid_domain``, ...); the upstream sentence is kept in the
issue's ``detail`` param.
"""

from __future__ import annotations

from typing import Final

import email_validator

from customer_domain._collect import fail
from customer_domain.exceptions import ValidationError


__all__ = ["is_valid", "normalize", "validate"]

_MAX_INPUT: Final = 320
# Ordered: the first prefix of email-validator's message that matches wins.
_CODES: Final = (
    ("An email address must have an @-sign", "email.missing_at"),
    ("There must be something before the @-sign", "email.empty_local_part"),
    ("There must be something after the @-sign", "email.empty_domain"),
    ("The email address is too long", "email.too_long"),
    (
        "The email address contains invalid characters before the @-sign",
        "email.invalid_local_part",
    ),
    ("The part after the @-sign is a special-use", "email.reserved_domain"),
    ("The part after the @-sign", "email.invalid_domain"),
    ("The domain name", "email.invalid_domain"),
    ("An email address cannot have a period", "email.invalid_local_part"),
    ("An email address cannot end with a period", "email.invalid_domain"),
    ("The part before the @-sign", "email.invalid_local_part"),
    ("The email address is too long before", "email.too_long"),
)


def _code(message: str) -> str:
    for prefix, code in _CODES:
        if message.startswith(prefix):
            return code
    return "email.invalid"


def validate(raw: object) -> str:
    """Return the normalized address or raise `ValidationError`."""
    if not isinstance(raw, str):
        fail("invalid_type", raw, expected="an e-mail address")
    text = raw.strip()
    if not text:
        fail("required", raw)
    if len(text) > _MAX_INPUT:
        fail("email.too_long", raw)
    try:
        result = email_validator.validate_email(
            text, check_deliverability=False
        )
    except email_validator.EmailNotValidError as e:
        fail(_code(str(e)), raw, detail=str(e))
    return result.normalized


def normalize(raw: str) -> str:
    """
    Return the normalized address.

    Normalizing an address needs a full parse, so this is `validate`.
    """
    return validate(raw)


def is_valid(raw: object) -> bool:
    """Tell whether `validate` accepts *raw*."""
    try:
        validate(raw)
    except ValidationError:
        return False
    return True
