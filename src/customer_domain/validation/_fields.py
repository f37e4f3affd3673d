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
import unicodedata
import uuid

from collections.abc import Iterable
from typing import Final, TypeVar

from customer_domain._collect import fail


E = TypeVar("E", bound=enum.Enum)

#: Default maximum length of a short text field.
SHORT: Final = 200
#: Maximum length of a free-text field (remarks, terms).
LONG: Final = 4000

_ALLOWED_CONTROL: Final = frozenset("\n\t")


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
    if not value.isascii():
        value = unicodedata.normalize("NFC", value)
    value = value.strip()
    if not value:
        if required:
            fail("required", value)
        return ""
    if not value.isprintable():
        allowed = _ALLOWED_CONTROL if multiline else frozenset()
        if any(
            unicodedata.category(c)[0] == "C" and c not in allowed
            for c in value
        ):
            fail("text.control_characters", value)
    if len(value) > max_length:
        fail("text.too_long", value, max=str(max_length))
    return value


def texts(value: object, *, max_length: int = SHORT) -> tuple[str, ...]:
    """Return a tuple of non-empty, distinct texts, in input order."""
    if value is None:
        return ()
    if isinstance(value, str) or not isinstance(value, Iterable):
        fail("invalid_type", value, expected="a list of texts")
    out: list[str] = []
    for item in value:
        t = text(item, max_length=max_length)
        if t and t not in out:
            out.append(t)
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
    if value is None or value == "":
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
    if value is None or value == "":
        return None
    if isinstance(value, str):
        try:
            value = dt.datetime.fromisoformat(value.strip())
        except ValueError:
            fail("datetime.invalid", value)
    if not isinstance(value, dt.datetime):
        fail("datetime.invalid", value)
    if value.tzinfo is None or value.utcoffset() is None:
        fail("datetime.naive", value)
    return value.astimezone(dt.UTC)


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
