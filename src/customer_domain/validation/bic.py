# SPDX-License-Identifier: MIT
"""
BIC (ISO 9362 business identifier code), checked by python-stdnum.

>>> from customer_domain.validation import bic
>>> bic.validate("bnpa fr pp")
'BNPAFRPP'
>>> bic.is_valid("BNPA")
False
"""

from __future__ import annotations

from stdnum import bic as _bic

from customer_domain.exceptions import ValidationError
from customer_domain.validation import _stdnum


__all__ = ["is_valid", "normalize", "validate"]


def normalize(raw: str) -> str:
    """Return *raw* without spaces, upper-cased."""
    return _stdnum.compact("bic", _bic.compact, raw)


def validate(raw: object) -> str:
    """Return the compact BIC or raise `ValidationError`."""
    return _stdnum.run("bic", _bic.validate, raw)


def is_valid(raw: object) -> bool:
    """Tell whether `validate` accepts *raw*."""
    try:
        validate(raw)
    except ValidationError:
        return False
    return True
