# SPDX-License-Identifier: MIT
"""
Generic field checks shared by the model (private).

Each function takes untrusted input and returns the canonical value or
raises `ValidationError` with one issue at the empty path; callers run
them through `Collector.check` to place the issue at the field's path.
"""

from __future__ import annotations

import datetime as dt
import enum
import itertools
import unicodedata
import uuid

from collections.abc import Iterable, Mapping
from typing import Final, TypeVar

from customer_domain._collect import fail
from customer_domain.exceptions import Issue, ValidationError


E = TypeVar("E", bound=enum.Enum)

#: Default maximum length of a short text field.
SHORT: Final = 200
#: Maximum length of a free-text field (remarks, terms).
LONG: Final = 4000

_ALLOWED_CONTROL: Final = frozenset("\n\t")
#: Most items of a list field (functions, identifiers, licenses...); a
#: longer list is refused with ``collection.too_large``.
MAX_ITEMS: Final = 1000


def has_control_characters(
    value: str, allowed: frozenset[str] = frozenset()
) -> bool:
    """
    Whether *value* holds a character of Unicode category C (controls,
    format characters such as zero-width and bidi marks, lone
    surrogates, private-use and unassigned code points) not in *allowed*.
    """
    return any(
        unicodedata.category(c)[0] == "C" and c not in allowed for c in value
    )


def text(
    value: object,
    *,
    required: bool = False,
    max_length: int = SHORT,
    multiline: bool = False,
) -> str:
    """
    Return *value* stripped and NFC-normalized.

    ``None`` counts as empty.  Control characters are refused (newlines
    and tabs only in *multiline* fields).
    """
    if value is None:
        value = ""
    if not isinstance(value, str):
        fail("invalid_type", value, expected="text")
    if len(value) > max_length * 4:  # NFC never shrinks text that much.
        fail("text.too_long", value, max=str(max_length))
    if not value.isascii():
        value = unicodedata.normalize("NFC", value)
    value = value.strip()
    if not value:
        if required:
            fail("required", value)
        return ""
    if len(value) > max_length:
        fail("text.too_long", value, max=str(max_length))
    if not value.isprintable() and has_control_characters(
        value, _ALLOWED_CONTROL if multiline else frozenset()
    ):
        fail("text.control_characters", value)
    return value


def string(
    value: object, *, expected: str = "text", max_length: int = LONG
) -> str:
    """
    Return *value* if it is a `str` of at most *max_length* characters.

    The first check of every normalizer: it runs before any other work,
    so a wrong type or a megabyte of text costs nothing.
    """
    if not isinstance(value, str):
        fail("invalid_type", value, expected=expected)
    if len(value) > max_length:
        fail("text.too_long", value, max=str(max_length))
    return value


def items(
    value: object, *, expected: str, limit: int = MAX_ITEMS
) -> list[object] | tuple[object, ...]:
    """
    Return the items of a list input: a list, a tuple or any other
    iterable but text, bytes and mappings, read at most *limit* + 1 items
    deep (an endless generator is refused, not followed).

    An iterable whose iteration raises is refused with ``invalid_type``
    (the host's error is chained as the cause).
    """
    if type(value) is list or type(value) is tuple:
        if len(value) > limit:
            fail("collection.too_large", len(value), max=str(limit))
        return value
    if isinstance(value, str | bytes | bytearray | Mapping) or not isinstance(
        value, Iterable
    ):
        fail("invalid_type", value, expected=expected)
    try:
        out = list(itertools.islice(value, limit + 1))
    except Exception as e:
        error = ValidationError(
            [Issue("", "invalid_type", value, {"expected": expected})]
        )
        raise error from e
    if len(out) > limit:
        fail("collection.too_large", len(out), max=str(limit))
    return out


def texts(value: object, *, max_length: int = SHORT) -> tuple[str, ...]:
    """Return a tuple of non-empty, distinct texts, in input order."""
    if value is None:
        return ()
    out: dict[str, None] = {}
    for item in items(value, expected="a list of texts"):
        t = text(item, max_length=max_length)
        if t:
            out[t] = None
    return tuple(out)


_CHOICES: dict[type[enum.Enum], dict[str, enum.Enum]] = {}


def _choices(enum_type: type[E]) -> dict[str, E]:
    table = _CHOICES.get(enum_type)
    if table is None:
        table = _CHOICES[enum_type] = {
            **{m.name.lower(): m for m in enum_type},
            **{str(m.value).lower(): m for m in enum_type},
        }
    return table  # type: ignore[return-value]


def choice(value: object, enum_type: type[E]) -> E:
    """Return the member of *enum_type* named or valued by *value*."""
    if isinstance(value, enum_type):
        return value
    if isinstance(value, str):
        table = _choices(enum_type)
        member = table.get(value) or table.get(value.strip().lower())
        if member is not None:
            return member
    fail(
        "choice.invalid",
        value,
        choices=", ".join(str(m.value) for m in enum_type),
    )


def boolean(value: object) -> bool:
    """Return *value* if it is a bool (no truthiness guessing)."""
    if isinstance(value, bool):
        return value
    fail("invalid_type", value, expected="true or false")


def non_negative_int(value: object) -> int:
    """Return *value* if it is an int >= 0 (bools are refused)."""
    if isinstance(value, bool) or not isinstance(value, int):
        fail("invalid_type", value, expected="a whole number")
    if value < 0:
        fail("number.negative", value)
    return value


def date(value: object) -> dt.date | None:
    """Return a `datetime.date` from a date or an ISO 8601 string."""
    if value is None or (isinstance(value, str) and not value):
        return None
    if isinstance(value, dt.datetime):
        fail("date.invalid", value)
    if isinstance(value, dt.date):
        return value
    if isinstance(value, str):
        try:
            return dt.date.fromisoformat(value.strip())
        except ValueError:
            pass
    fail("date.invalid", value)


def timestamp(value: object) -> dt.datetime | None:
    """
    Return an aware `datetime.datetime` in UTC from one or an ISO string.

    Storing UTC keeps round trips exact: a zone name (``Europe/Paris``)
    is not part of the wire format, an offset is.
    """
    if value is None or (isinstance(value, str) and not value):
        return None
    if isinstance(value, str):
        try:
            value = dt.datetime.fromisoformat(value.strip())
        except ValueError:
            fail("datetime.invalid", value)
    if not isinstance(value, dt.datetime):
        fail("datetime.invalid", value)
    try:
        offset = value.utcoffset()
    except (TypeError, ValueError):  # A host's broken tzinfo.
        fail("datetime.invalid", value)
    if offset is None:
        fail("datetime.naive", value)
    try:
        return value.astimezone(dt.UTC)
    except OverflowError:
        fail("datetime.out_of_range", value)


def duration(
    value: object, *, at: dt.datetime, longest: dt.timedelta
) -> dt.timedelta:
    """
    Return *value* if it is a positive `datetime.timedelta` of at most
    *longest* whose end, counted from *at*, is a representable time.
    """
    if not isinstance(value, dt.timedelta):
        fail("invalid_type", value, expected="a duration (timedelta)")
    if value <= dt.timedelta(0) or value > longest:
        # Limits are whole days (a user reads "366 days", not "366 days,
        # 0:00:00").
        fail("duration.range", value, days=str(longest.days))
    try:
        at + value  # Checked for overflow.
    except OverflowError:
        fail("datetime.out_of_range", value)
    return value


def callback(value: object) -> object:
    """Return *value* if it is callable (a host's hook), else refuse."""
    if not callable(value):
        fail("invalid_type", value, expected="a function")
    return value


def identity(value: object) -> uuid.UUID:
    """Return a `uuid.UUID` from one or its string form."""
    if isinstance(value, uuid.UUID):
        return value
    if isinstance(value, str):
        try:
            return uuid.UUID(value)
        except ValueError:
            pass
    fail("uuid.invalid", value)


def optional_identity(value: object) -> uuid.UUID | None:
    """Like `identity`, but None stays None."""
    return None if value is None else identity(value)


def check_dates(start: dt.date | None, end: dt.date | None) -> None:
    """Refuse an *end* date before the *start* date."""
    if start is not None and end is not None and end < start:
        fail("dates.order", end.isoformat())
