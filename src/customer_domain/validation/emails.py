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

**Fast path.**  ``email_validator.validate_email`` takes 36-76 µs per
call.  Plain addresses, the vast majority, are recognised by a strict
compiled pattern and a few cheap checks instead, and get exactly the
value ``validate_email(text, check_deliverability=False).normalized``
would return.  The fast path only ever *accepts*: whatever it does not
recognise with certainty goes to email-validator unchanged, so every
refusal, code and message is email-validator's.  It takes an address
(after stripping) when all of these hold:

- it is ASCII and at most 254 characters long (email-validator's
  limit on the whole address);
- it is ``local@domain`` where *local* is a dot-atom: one or more runs
  of RFC 5322 atext (letters, digits and ``!#$%&'*+-/=?^_`{|}~``)
  joined by single dots (so no quotes, spaces, brackets, backslashes,
  comments, display names or leading, trailing or doubled dots), at
  most 64 characters long;
- *domain* has at least two labels of 1-63 letters, digits and hyphens
  that neither start nor end with a hyphen, and no ``--`` anywhere (so
  no Punycode ``xn--`` label and no R-LDH label, which email-validator
  decodes or refuses); its last label (the TLD) is 2-63 letters, so it
  ends with a letter as email-validator requires;
- the domain is not, and does not end in, one of email-validator's
  special-use names (``SPECIAL_USE_DOMAIN_NAMES``: ``arpa``,
  ``invalid``, ``local``, ``localhost``, ``onion``, ``test``), and that
  list is still the one email-validator was imported with.

The result is the local part as typed (lower-cased when it is one of
RFC 2142's case-insensitive mailbox names, ``postmaster``, ``abuse``...,
as email-validator does) and the domain lower-cased.  Everything else
(internationalized addresses, quoted local parts, IP literals,
special-use names, a 65-character local part that email-validator
would accept, ...) takes email-validator's path.  (``example`` is not
on email-validator's list: ``x@mail.example`` is accepted by both.)
email-validator's other settings (``STRICT``, ``ALLOW_*``,
``GLOBALLY_DELIVERABLE``, ``TEST_ENVIRONMENT``) can only make it accept
more, or, for ``STRICT``, refuse local parts over 64 characters, which
the fast path leaves alone.  The differential test
``tests/validation/test_email_fast_path.py`` and ``make fuzz``
(``fuzz/email_differential.py``, 1,000,000 addresses) check that both
paths agree.
"""

from __future__ import annotations

import re

from typing import Final

import email_validator

from email_validator.rfc_constants import CASE_INSENSITIVE_MAILBOX_NAMES

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

# -- the fast path (see the module docstring) -------------------------------

# email-validator's EMAIL_MAX_LENGTH; RFC 5321's local-part limit, which
# email-validator only enforces in strict mode (longer ones fall back).
_MAX_ADDRESS: Final = 254
_MAX_LOCAL: Final = 64
# RFC 5322 atext, ASCII only (email-validator's rfc_constants.ATEXT).
_ATEXT: Final = r"A-Za-z0-9!#$%&'*+/=?^_`{|}~-"
# A hostname label of 1-63 characters, no hyphen at either end.
_LABEL: Final = r"[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?"
# No capturing group (they slow the match down), no re.IGNORECASE (it
# would let the Kelvin sign match [A-Za-z]) and no \d or \w (they match
# non-ASCII digits and letters).
_PLAIN: Final = re.compile(
    rf"[{_ATEXT}]+(?:\.[{_ATEXT}]+)*@(?:{_LABEL}\.)+[A-Za-z]{{2,63}}"
)
# email-validator refuses a domain equal to, or ending in "." + , any of
# these.  The list is public and settable, so the fast path only runs
# while it is the one email-validator was imported with.
_SPECIAL_USE: Final = list(email_validator.SPECIAL_USE_DOMAIN_NAMES)
# Single labels (all of them, today) can only be the TLD of a domain of
# two labels or more; names with a dot are compared as suffixes.
_SPECIAL_TLDS: Final = frozenset(d for d in _SPECIAL_USE if "." not in d)
_SPECIAL_SUFFIXES: Final = tuple("." + d for d in _SPECIAL_USE if "." in d)
# RFC 2142 mailbox names, which email-validator lower-cases.
_CASE_INSENSITIVE: Final = frozenset(CASE_INSENSITIVE_MAILBOX_NAMES)
_CASE_INSENSITIVE_LONGEST: Final = max(map(len, _CASE_INSENSITIVE), default=0)


def _fast_path(text: str) -> str | None:
    """
    The normalized form of a plain address, or None: "ask email-validator".

    *text* is stripped.  Never refuses: None only means "not recognised".
    """
    if (
        len(text) > _MAX_ADDRESS
        or not text.isascii()
        or _PLAIN.fullmatch(text) is None
    ):
        return None
    local, _, domain = text.partition("@")  # The only @.
    if len(local) > _MAX_LOCAL or "--" in domain:
        return None
    domain = domain.lower()
    if domain[domain.rfind(".") + 1 :] in _SPECIAL_TLDS:
        return None
    if _SPECIAL_SUFFIXES and ("." + domain).endswith(_SPECIAL_SUFFIXES):
        return None
    if email_validator.SPECIAL_USE_DOMAIN_NAMES != _SPECIAL_USE:
        return None
    if (
        len(local) <= _CASE_INSENSITIVE_LONGEST
        and local.lower() in _CASE_INSENSITIVE
    ):
        local = local.lower()
    return local + "@" + domain


# -- the public API -----------------------------------------------------------


def _code(message: str) -> str:
    for prefix, code in _CODES:
        if message.startswith(prefix):
            return code
    return "email.invalid"


def _text(raw: object) -> str:
    """The stripped input, or the type and length refusals."""
    if not isinstance(raw, str):
        fail("invalid_type", raw, expected="an e-mail address")
    text = raw.strip()
    if not text:
        fail("required", raw)
    if len(text) > _MAX_INPUT:
        fail("email.too_long", raw)
    return text


def _slow_path(raw: object, text: str) -> str:
    """email-validator's verdict on *text* (stripped from *raw*)."""
    try:
        result = email_validator.validate_email(
            text, check_deliverability=False
        )
    except email_validator.EmailNotValidError as e:
        fail(_code(str(e)), raw, detail=str(e))
    return result.normalized


def _validate_slow(raw: object) -> str:
    """`validate` without the fast path (for the differential tests)."""
    return _slow_path(raw, _text(raw))


def validate(raw: object) -> str:
    """Return the normalized address or raise `ValidationError`."""
    text = _text(raw)
    fast = _fast_path(text)
    if fast is not None:
        return fast
    return _slow_path(raw, text)


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
