# SPDX-License-Identifier: MIT
"""
IBAN (International Bank Account Number), checked by python-stdnum.

>>> from customer_domain.validation import iban
>>> iban.validate("FR14 2004 1010 0505 0001 3M0 2606")
'FR1420041010050500013M02606'
>>> iban.is_valid("FR15 2004 1010 0505 0001 3M0 2606")
False
"""

from __future__ import annotations

from stdnum import iban as _iban

from customer_domain.exceptions import ValidationError
from customer_domain.validation import _stdnum


__all__ = ["is_valid", "normalize", "validate"]


def normalize(raw: str) -> str:
    """Return *raw* without spaces, upper-cased."""
    return _stdnum.compact("iban", _iban.compact, raw)


def validate(raw: object) -> str:
    """Return the compact IBAN or raise `ValidationError`."""
    return _stdnum.run("iban", _iban.validate, raw)


def is_valid(raw: object) -> bool:
    """Tell whether `validate` accepts *raw*."""
    try:
        validate(raw)
    except ValidationError:
        return False
    return True
