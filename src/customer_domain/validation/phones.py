# SPDX-License-Identifier: MIT
"""
Phone, mobile and fax numbers, stored in E.164 form (SPEC CH-2, CH-4).

Parsing uses phonenumbers; a number written without its country
code is read in the *region* given (the customer's country):

>>> from customer_domain.validation import phones
>>> phones.validate("06.12.34.56.78", region="FR")
'+33612345678'
>>> phones.validate("0033 6 12 34 56 78", region="FR")
'+33612345678'
>>> phones.validate("+33 6 12 34 56 78")
'+33612345678'
>>> try:
...     phones.validate("521 1224 6321", region="CA")
... except ValueError as e:
...     print(e)
This number is too long for region CA.

The codes of the issues follow phonenumbers' own reasons
(``phone.too_short``, ``phone.too_long``, ``phone.invalid_length``,
``phone.invalid_for_region``, ...).  With ``mobile=True`` a valid number
that is not a mobile number gives ``phone.not_mobile``.

Outcomes are kept in a bounded cache keyed by (input, region, mobile):
imports repeat numbers (a switchboard, a shared fax line), and a repeat
costs a dictionary lookup instead of a parse.  Results are the same
with or without it; `clear_cache` empties it.
"""

from __future__ import annotations

import functools

from typing import Final

import phonenumbers

from phonenumbers import (
    NumberParseException,
    PhoneNumber,
    PhoneNumberFormat,
    PhoneNumberType,
    ValidationResult,
)

from customer_domain._collect import fail
from customer_domain.exceptions import ValidationError


__all__ = ["CACHE_SIZE", "clear_cache", "is_valid", "normalize", "validate"]

_MAX_INPUT: Final = 64
#: How many outcomes of `validate` are kept (least recently used first
#: out); about 200 bytes each.
CACHE_SIZE: Final = 8192
_E164: Final = PhoneNumberFormat.E164
_MOBILE_TYPES: Final = frozenset(
    {PhoneNumberType.MOBILE, PhoneNumberType.FIXED_LINE_OR_MOBILE}
)
_PARSE_CODES: Final = {
    NumberParseException.INVALID_COUNTRY_CODE: "phone.invalid_country_code",
    NumberParseException.NOT_A_NUMBER: "phone.not_a_number",
    NumberParseException.TOO_SHORT_AFTER_IDD: "phone.too_short",
    NumberParseException.TOO_SHORT_NSN: "phone.too_short",
    NumberParseException.TOO_LONG: "phone.too_long",
}
_LENGTH_CODES: Final = {
    ValidationResult.TOO_SHORT: "phone.too_short",
    ValidationResult.TOO_LONG: "phone.too_long",
    ValidationResult.INVALID_LENGTH: "phone.invalid_length",
    ValidationResult.INVALID_COUNTRY_CODE: "phone.invalid_country_code",
}


def _check(raw: object, region: object) -> tuple[str, str | None]:
    """*raw* and *region* as plain str, or the type and length refusals."""
    if not isinstance(raw, str):
        fail("invalid_type", raw, expected="a phone number")
    if region is not None and not isinstance(region, str):
        fail("invalid_type", region, expected="a region (ISO 3166 code)")
    if len(raw) > _MAX_INPUT * 4:
        fail("phone.too_long", raw, region=region or "?")
    # Plain str: a subclass's __hash__ and __eq__ (the cache's key) and
    # its strip() are never called.
    return str.__str__(raw), None if region is None else str.__str__(region)


def _parse(raw: str, region: str | None) -> PhoneNumber:
    """Parse *raw*, already checked by `_check`."""
    text = raw.strip()
    if not text:
        fail("required", raw)
    if len(text) > _MAX_INPUT:
        fail("phone.too_long", raw, region=region or "?")
    try:
        return phonenumbers.parse(text, region)
    except NumberParseException as e:
        if (
            e.error_type == NumberParseException.INVALID_COUNTRY_CODE
            and region is None
            and not text.startswith(("+", "00"))
        ):
            fail("phone.region_required", raw)
        fail(_PARSE_CODES.get(e.error_type, "phone.not_a_number"), raw)


def normalize(raw: str, *, region: str | None = None) -> str:
    """
    Return *raw* in E.164 form without checking that the number exists.

    Raises `ValidationError` only if *raw* cannot be read as a number.
    """
    return phonenumbers.format_number(_parse(*_check(raw, region)), _E164)


def validate(
    raw: object, *, region: str | None = None, mobile: bool = False
) -> str:
    """
    Return *raw* in E.164 form or raise `ValidationError`.

    Args:
        raw: The number as typed.
        region: ISO 3166 code used when *raw* has no country code.
        mobile: Also require a mobile number.
    """
    key, where = _check(raw, region)
    if not isinstance(mobile, bool):
        fail("invalid_type", mobile, expected="True or False")
    value, code, params = _outcome(key, where, mobile)
    if code:
        fail(code, raw, **dict(params))
    return value


@functools.lru_cache(maxsize=CACHE_SIZE)
def _outcome(
    raw: str, region: str | None, mobile: bool
) -> tuple[str, str, tuple[tuple[str, str], ...]]:
    """The E.164 form, or the issue's code and params: never raises."""
    try:
        return _validate(raw, region, mobile=mobile), "", ()
    except ValidationError as e:
        (issue,) = e.issues
        return "", issue.code, tuple(issue.params.items())


def _validate(raw: str, region: str | None, *, mobile: bool) -> str:
    number = _parse(raw, region)
    if mobile:
        # number_type() does the work of is_valid_number() and more: one
        # call checks both that the number exists and that it is mobile.
        kind = phonenumbers.number_type(number)
        if kind in _MOBILE_TYPES:
            return phonenumbers.format_number(number, _E164)
        if kind != PhoneNumberType.UNKNOWN:
            fail("phone.not_mobile", raw)
    elif phonenumbers.is_valid_number(number):
        return phonenumbers.format_number(number, _E164)
    where = phonenumbers.region_code_for_number(number) or region or "?"
    reason = phonenumbers.is_possible_number_with_reason(number)
    fail(
        _LENGTH_CODES.get(reason, "phone.invalid_for_region"),
        raw,
        region=where,
    )


def clear_cache() -> None:
    """Forget the outcomes `validate` kept."""
    _outcome.cache_clear()


def is_valid(
    raw: object, *, region: str | None = None, mobile: bool = False
) -> bool:
    """Tell whether `validate` accepts *raw*."""
    try:
        validate(raw, region=region, mobile=mobile)
    except ValidationError:
        return False
    return True
