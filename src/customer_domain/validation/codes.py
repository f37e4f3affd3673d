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

Logins (and organization ids) follow a *safe identifier profile*, after
RFC 8265 (PRECIS, usernames) and Unicode TR 39 (security mechanisms):
compatibility forms are folded (NFKC: a full-width ``Ａ`` is ``a``),
then every character is an ASCII letter, digit or punctuation, or a
non-ASCII letter, mark or digit; no spaces, controls, invisible
(zero-width, bidi) or unassigned characters; and the letters come from
one script, or from Latin with Han, Hiragana, Katakana, Hangul or
Bopomofo (TR 39's "highly restrictive" level), so that a Cyrillic
``а`` cannot pass for a Latin ``a``:

>>> codes.validate_login("ｈｅｌｅｎｅ")
'helene'
>>> codes.is_safe_identifier("p\u0430ypal")  # Cyrillic a among Latin
False
>>> codes.is_safe_identifier("山田taro")
True
"""

from __future__ import annotations

import re
import unicodedata

from typing import Final

from customer_domain._collect import fail


__all__ = [
    "is_safe_identifier",
    "validate_customer_number",
    "validate_login",
]

_NUMBER: Final = re.compile(r"[A-Za-z0-9][A-Za-z0-9_./-]{0,31}\Z")
_LOGIN: Final = re.compile(r"[^\s\x00-\x1f\x7f]{3,64}\Z")
_MAX_LOGIN_INPUT: Final = 256
#: Scripts that may appear together with Latin (TR 39, highly
#: restrictive); any other mix is refused.
_WITH_LATIN: Final = (
    frozenset({"LATIN", "HAN", "HIRAGANA", "KATAKANA"}),
    frozenset({"LATIN", "HAN", "BOPOMOFO"}),
    frozenset({"LATIN", "HAN", "HANGUL"}),
)
_SCRIPT_ALIASES: Final = {"CJK": "HAN", "HALFWIDTH": "KATAKANA"}


def _script(ch: str) -> str:
    """The script of a letter, from its Unicode name (first word)."""
    word = unicodedata.name(ch, "UNKNOWN").split(" ", 1)[0]
    return _SCRIPT_ALIASES.get(word, word)


def is_safe_identifier(value: object) -> bool:
    """
    Tell whether *value* follows the safe identifier profile (above).

    The check is on the text as given; `validate_login` folds it first.
    """
    if not isinstance(value, str) or not value:
        return False
    if value.isascii():
        return value.isprintable() and " " not in value
    scripts: set[str] = set()
    for ch in value:
        if ch.isascii():
            if not ch.isprintable() or ch == " ":
                return False
            if ch.isalpha():
                scripts.add("LATIN")
            continue
        category = unicodedata.category(ch)
        if category[0] == "L":
            scripts.add(_script(ch))
        elif category not in ("Mn", "Mc", "Nd"):
            return False
    if len(scripts) <= 1:
        return True
    return any(scripts <= allowed for allowed in _WITH_LATIN)


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
    if len(raw) > _MAX_LOGIN_INPUT:
        fail("login.invalid", raw)
    value = raw.strip()
    if not value.isascii():
        value = unicodedata.normalize("NFKC", value)
    value = value.lower()
    if not value:
        fail("required", raw)
    if not _LOGIN.match(value):
        fail("login.invalid", raw)
    if not is_safe_identifier(value):
        fail("identifier.unsafe", raw)
    return value
