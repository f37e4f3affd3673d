# SPDX-License-Identifier: MIT
"""
National business and tax identifiers (SPEC CU-10).

A *scheme* names the kind of number.  When python-stdnum has a module of
that name (``"fr.siret"``, ``"de.handelsregisternummer"``, ``"ca.bn"``,
``"lei"``...) the number is checked and compacted by it; other schemes
(``"ca.neq"``, Quebec's enterprise number, has none) are kept as typed:

>>> from customer_domain.validation import identifiers
>>> identifiers.validate("732 829 320 00074", scheme="fr.siret")
'73282932000074'
>>> identifiers.validate("1143556789", scheme="ca.neq")
'1143556789'
>>> identifiers.is_valid("732 829 320 00075", scheme="fr.siret")
False
"""

from __future__ import annotations

import importlib
import re

from collections.abc import Callable
from types import ModuleType
from typing import Final

from customer_domain._collect import fail
from customer_domain.exceptions import ValidationError
from customer_domain.validation import _stdnum
from customer_domain.validation._fields import text


__all__ = ["is_valid", "normalize_scheme", "validate"]

_SCHEME: Final = re.compile(r"[a-z][a-z0-9_]*(\.[a-z][a-z0-9_]*)?\Z")
_MAX_SCHEME: Final = 40


def normalize_scheme(raw: object) -> str:
    """Return the scheme name lower-cased or raise `ValidationError`."""
    scheme = text(raw, required=True, max_length=_MAX_SCHEME).lower()
    if not _SCHEME.match(scheme):
        fail("choice.invalid", raw, choices="cc.name (fr.siret, ca.neq...)")
    return scheme


def _module(scheme: str) -> ModuleType | None:
    try:
        module = importlib.import_module(f"stdnum.{scheme}")
    except ImportError:
        return None
    return module if callable(getattr(module, "validate", None)) else None


def validate(raw: object, *, scheme: str) -> str:
    """Return the compact number or raise `ValidationError`."""
    module = _module(normalize_scheme(scheme))
    if module is None:
        return text(raw, required=True, max_length=64)
    check: Callable[[str], str] = module.validate
    return _stdnum.run("identifier", check, raw, scheme=scheme)


def is_valid(raw: object, *, scheme: str) -> bool:
    """Tell whether `validate` accepts *raw*."""
    try:
        validate(raw, scheme=scheme)
    except ValidationError:
        return False
    return True
