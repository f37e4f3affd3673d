# SPDX-License-Identifier: MIT
"""
The customer languages of SPEC CU-13, as BCP 47 tags.

Input is matched case-insensitively and ``_`` is read as ``-``:

>>> from customer_domain.validation import languages
>>> languages.validate("pt_br")
'pt-BR'
>>> languages.validate("ZH-HANS")
'zh-Hans'
>>> languages.is_valid("klingon")
False
"""

from __future__ import annotations

from typing import Final

from customer_domain._collect import fail
from customer_domain.exceptions import ValidationError
from customer_domain.validation._fields import string


__all__ = ["LANGUAGES", "is_valid", "normalize", "validate"]

#: The supported language tags (seed 002's fourteen languages).
LANGUAGES: Final = (
    "cs",
    "de",
    "en-US",
    "es",
    "fr",
    "hu",
    "it",
    "ja",
    "nl",
    "pl",
    "pt-BR",
    "ru",
    "tr",
    "zh-Hans",
)
_BY_KEY: Final = {tag.lower(): tag for tag in LANGUAGES}
_TAGS: Final = frozenset(LANGUAGES)


def normalize(value: str) -> str:
    """Return the tag in its canonical case, or *value* stripped."""
    value = string(value, expected="a language tag", max_length=64)
    key = value.strip().replace("_", "-").lower()
    return _BY_KEY.get(key, value.strip())


def validate(value: object) -> str:
    """Return the canonical tag or raise `ValidationError`."""
    if not isinstance(value, str):
        fail("invalid_type", value, expected="a language tag")
    tag = normalize(value)
    if tag not in _TAGS:
        fail("language.unsupported", value, choices=", ".join(LANGUAGES))
    return tag


def is_valid(value: object) -> bool:
    """Tell whether *value* names a supported language."""
    try:
        validate(value)
    except ValidationError:
        return False
    return True
