# SPDX-License-Identifier: MIT
"""
Hostile values: what any public door of a library may receive.

Two ways to draw them, with the same vocabulary:

- `hostile_values` is a Hypothesis strategy, for property tests
  (``@given(value=hostile_values())``);
- `HostileValues` is a plain seeded generator (`random.Random`), for a
  fuzz loop of hundreds of thousands of inputs where Hypothesis'
  shrinking is not wanted.

Both draw wrong types, None, empty and 1 MB strings, control characters,
NUL, lone surrogates, bidi overrides and zero-width characters,
confusables, NaN and infinities, huge and negative integers, dates and
datetimes at the ends of their range, naive datetimes, deep nesting,
mappings with unexpected keys, truncated JSON and objects whose
``__repr__``, ``__eq__``, ``__hash__`` or ``__iter__`` raise.

>>> from customer_domain.testing.hostile import HostileValues
>>> values = HostileValues(seed=1)
>>> len([values.any() for _ in range(100)])
100
"""

from __future__ import annotations

import datetime as dt
import decimal
import math
import random
import uuid

from collections.abc import Callable, Iterator
from typing import Any, Final

from hypothesis import strategies as st


__all__ = ["DEEP", "HostileValues", "Raising", "hostile_values"]

#: Nesting depth of the deepest values drawn (above the interpreter's
#: recursion limit, so that recursive code fails where it recurses).
DEEP: Final = 5000
_MEGABYTE: Final = 1_000_000

#: Characters that break text handling or fool a reader.
_NASTY_CHARS: Final = (
    "\x00",  # NUL: PostgreSQL refuses it in text.
    "\x01",
    "\x1b",  # ESC: terminal escapes.
    "\x7f",
    "\x85",  # C1 next line.
    "\x9b",  # C1 CSI.
    "\ud800",  # Lone surrogates: not encodable in UTF-8.
    "\udfff",
    "\u200b",  # Zero-width space.
    "\u200d",  # Zero-width joiner.
    "\u202e",  # Right-to-left override.
    "\u2066",  # Left-to-right isolate.
    "\ufeff",  # Byte-order mark.
    "\ufffd",
    "\U0010ffff",  # A non-character.
    "\u0430",  # Cyrillic a, confusable with Latin a.
    "\u0391",  # Greek Alpha.
    "\u2028",  # Line separator.
    "\r",
    "\n",
    "\t",
    "'",
    '"',
    "\\",
    "%",
    "_",
    "=",
    "@",
)

_STRINGS: Final = (
    "",
    " ",
    "\x00",
    "null",
    "None",
    "0",
    "-1",
    "1e999",
    "NaN",
    "inf",
    "true",
    "[]",
    "{}",
    "' OR 1=1 --",
    "Robert'); DROP TABLE customers;--",
    '=HYPERLINK("http://x")',
    "${jndi:ldap://x}",
    "../../etc/passwd",
    "\u0430dmin",  # Cyrillic 'а' + 'dmin'.
    "pa\u200bypal",
    "\u202egnp.exe",
    "x@y",
    "a" * 65 + "@example.com",
    "+33 6 12 34 56 78",
    "06.12.34.56.78",
    "521 1224 6321",
    "123.542.654.785",
    "2001:db8::/129",
    "0.0.0.0/0",
    "FR40303265045",
    "DE89 3704 0044 0532 0130 00",
    "9999-12-31",
    "0001-01-01",
    "9999-12-31T23:59:59+14:00",
    "0001-01-01T00:00:00-14:00",
    "2024-02-30",
    "2024-01-01",
    "00000000-0000-0000-0000-000000000000",
    "{12345678-1234-5678-1234-567812345678}",
    "customer",
    "Customer",
    " Customer ",
    "CUSTOMER",
    "email",
    "phone",
    "active",
    "invited",
    "Hélène Lefèvre",
    "LEFÈVRE",
    "e\u0301",  # Decomposed é.
    "\U0001f600",
    "ß" * 50,
    "ﬁ" * 300,  # Expands under NFKC.
    '{"schema": "customer_domain.customer", "version": 1, "data": {',
    '{"schema": "customer_domain.customer", "version": 1, "data": []}',
)

_INTS: Final = (
    0,
    1,
    -1,
    2,
    7,
    100,
    2**31,
    2**63 - 1,
    2**63,
    -(2**63) - 1,
    2**64,
    10**100,
    -(10**100),
    10**5000 - 1,
)

_FLOATS: Final = (
    math.nan,
    math.inf,
    -math.inf,
    0.0,
    -0.0,
    1.5,
    1e308,
    -1e-308,
    2.0**63,
)

_DATES: Final = (
    dt.date.min,
    dt.date.max,
    dt.date(1, 1, 2),
    dt.date(9999, 12, 30),
    dt.date(2024, 2, 29),
)

_DATETIMES: Final = (
    dt.datetime.min,
    dt.datetime.max,
    dt.datetime.min.replace(tzinfo=dt.UTC),
    dt.datetime.max.replace(tzinfo=dt.UTC),
    dt.datetime.min.replace(tzinfo=dt.timezone(dt.timedelta(hours=14))),
    dt.datetime.max.replace(tzinfo=dt.timezone(dt.timedelta(hours=-14))),
    dt.datetime(2024, 1, 1),  # Naive.
    dt.datetime(2024, 1, 1, tzinfo=dt.UTC),
)

_DURATIONS: Final = (
    dt.timedelta.max,
    dt.timedelta.min,
    dt.timedelta(0),
    dt.timedelta(days=-1),
    dt.timedelta(microseconds=1),
    dt.timedelta(days=7),
)


class Raising:
    """
    An object whose every dunder a library might call raises.

    ``__repr__``, ``__str__``, ``__eq__``, ``__hash__``, ``__iter__``,
    ``__len__``, ``__bool__`` and ``__index__`` all raise *error*.
    """

    __slots__ = ("error",)

    def __init__(self, error: type[BaseException] = RuntimeError) -> None:
        self.error = error

    def _raise(self, *_: object) -> Any:
        raise self.error("hostile")

    __repr__ = __str__ = __hash__ = __iter__ = __len__ = _raise
    __bool__ = __index__ = __format__ = __eq__ = __lt__ = _raise
    __getattr__ = _raise


def _nested_list(depth: int) -> object:
    value: object = []
    for _ in range(depth):
        value = [value]
    return value


def _nested_dict(depth: int) -> object:
    value: object = {}
    for _ in range(depth):
        value = {"a": value}
    return value


class _Unhashable(dict[str, str]):
    """A mapping that cannot be a dict key or a set member."""


class HostileValues:
    """
    A seeded, plain generator of hostile values.

    Args:
        seed: For reproducible runs.
        big: Include 1 MB strings and deeply nested values (slow callers
            turn this off for a quick pass).
    """

    def __init__(self, seed: int | None = None, *, big: bool = True) -> None:
        self.rng = random.Random(seed)  # noqa: S311 -- not for secrets.
        self.big = big
        self._kinds: tuple[Callable[[], object], ...] = (
            self.text,
            self.text,
            self.text,
            self.integer,
            self.number,
            self.moment,
            self.container,
            self.wrong_type,
            self.mapping,
        )

    def any(self) -> object:
        """One hostile value of any kind."""
        return self.rng.choice(self._kinds)()

    def text(self) -> str:
        """A hostile string."""
        rng = self.rng
        roll = rng.random()
        if roll < 0.35:  # noqa: PLR2004
            return rng.choice(_STRINGS)
        if roll < 0.75:  # noqa: PLR2004
            base = rng.choice(_STRINGS) or "abc"
            at = rng.randrange(len(base) + 1)
            nasty = "".join(
                rng.choice(_NASTY_CHARS) for _ in range(rng.randint(1, 3))
            )
            return base[:at] + nasty + base[at:]
        if roll < 0.95 or not self.big:  # noqa: PLR2004
            return "".join(
                chr(rng.randrange(0x110000)) for _ in range(rng.randint(1, 40))
            )
        fill = rng.choice(("a", "é", "\x00", "1", " ", "ﬁ", "\ud800", "a."))
        return fill * (_MEGABYTE // len(fill))

    def integer(self) -> int | bool:
        """A hostile integer (bools included: they are ints in Python)."""
        rng = self.rng
        if rng.random() < 0.2:  # noqa: PLR2004
            return rng.choice((True, False))
        return rng.choice(_INTS)

    def number(self) -> object:
        """A float, a Decimal or a complex number."""
        rng = self.rng
        return rng.choice(
            (
                *_FLOATS,
                decimal.Decimal("NaN"),
                decimal.Decimal("sNaN"),
                decimal.Decimal("1e999999"),
                complex(1, 1),
            )
        )

    def moment(self) -> object:
        """A date, datetime or duration at the ends of its range."""
        return self.rng.choice((*_DATES, *_DATETIMES, *_DURATIONS))

    def container(self) -> object:
        """A list, tuple, set, generator or deeply nested structure."""
        rng = self.rng
        roll = rng.random()
        if roll < 0.3:  # noqa: PLR2004
            return [self.text() for _ in range(rng.randint(0, 4))]
        if roll < 0.45:  # noqa: PLR2004
            return (self.any(),)
        if roll < 0.55:  # noqa: PLR2004
            return {rng.choice(_STRINGS), rng.choice(_INTS)}
        if roll < 0.65:  # noqa: PLR2004
            return iter([self.text()])
        if roll < 0.75:  # noqa: PLR2004
            return [None, [], {}]
        if not self.big:
            return _nested_list(50)
        return rng.choice((_nested_list, _nested_dict))(DEEP)

    def mapping(self) -> dict[Any, Any]:
        """A mapping with odd keys and values."""
        rng = self.rng
        out: dict[Any, Any] = {}
        for _ in range(rng.randint(0, 4)):
            key = rng.choice(
                (
                    rng.choice(_STRINGS),
                    rng.choice(_INTS),
                    None,
                    "kind",
                    "value",
                    "name",
                    "data",
                )
            )
            out[key] = rng.choice((self.text, self.integer, self.wrong_type))()
        return out

    def wrong_type(self) -> object:
        """None, bytes, an object, a class, a callable, a UUID..."""
        rng = self.rng
        return rng.choice(
            (
                None,
                b"bytes",
                bytearray(b"\xff\xfe"),
                object(),
                object,
                print,
                lambda: None,
                uuid.UUID(int=0),
                uuid.uuid4(),
                Raising(),
                Raising(RecursionError),
                _Unhashable(a="b"),
                Ellipsis,
                NotImplemented,
                slice(1, 2),
                range(3),
                memoryview(b"x"),
                frozenset(),
                type("Fake", (), {"id": uuid.UUID(int=1), "version": 0})(),
            )
        )

    def __iter__(self) -> Iterator[object]:
        while True:
            yield self.any()


def hostile_values(*, big: bool = False) -> st.SearchStrategy[object]:
    """
    A Hypothesis strategy of the values `HostileValues` draws.

    Args:
        big: Include 1 MB strings and deeply nested values.
    """
    return st.randoms(use_true_random=False).map(
        lambda r: HostileValues(r.getrandbits(64), big=big).any()
    )
