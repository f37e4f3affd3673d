# SPDX-License-Identifier: MIT
"""Customer numbering strategies (CU-3, BX-6)."""

from __future__ import annotations

import enum
import re

from typing import Final, Protocol

import attrs

from stdnum import luhn
from stdnum.iso7064 import mod_11_10, mod_97_10

from customer_domain._collect import Collector, fail


__all__ = ["CheckDigit", "NumberingStrategy", "SequenceSource"]

_PREFIX: Final = re.compile(r"[A-Za-z0-9._/-]{0,20}")
_MIN_WIDTH: Final = 1
_MAX_WIDTH: Final = 18
_MAX_BITS: Final = 64


class CheckDigit(enum.Enum):
    """
    The check digit appended to generated customer numbers (BX-6).

    .. versionadded:: 0.1.0
    """

    #: One Luhn digit (as on payment cards).
    LUHN = "luhn"
    #: One ISO 7064 MOD 11-10 digit.
    ISO7064_MOD_11_10 = "iso7064_mod_11_10"
    #: Two ISO 7064 MOD 97-10 digits (as in IBANs).
    ISO7064_MOD_97_10 = "iso7064_mod_97_10"


_CALC: Final = {
    CheckDigit.LUHN: luhn.calc_check_digit,
    CheckDigit.ISO7064_MOD_11_10: mod_11_10.calc_check_digit,
    CheckDigit.ISO7064_MOD_97_10: mod_97_10.calc_check_digits,
}


_CHECK_DIGITS_BY_VALUE: Final[dict[object, CheckDigit]] = {
    d.value: d for d in CheckDigit
}
_CHECK_DIGITS: Final[dict[object, CheckDigit]] = {
    **_CHECK_DIGITS_BY_VALUE,
    **{d: d for d in CheckDigit},
}


class SequenceSource(Protocol):
    """
    Anything that hands out the next value of a named sequence: in
    practice a unit of work's ``sequences``
    (:class:`customer_domain.storage.Sequences`).
    """

    def next(self, name: str, /) -> int: ...


@attrs.frozen
class NumberingStrategy:
    """
    How customer numbers are generated (CU-3): a *prefix*, the sequence
    value padded to *width* digits, and an optional *check_digit* (BX-6).

    >>> strategy = NumberingStrategy(prefix="C-", width=5)
    >>> strategy.format(42)
    'C-00042'
    >>> NumberingStrategy(width=6, check_digit="luhn").format(42)
    '0000422'

    The values come from the storage's sequence named *sequence*, which
    never hands out a value twice, even to concurrent writers:
    ``strategy.next_number(uow.sequences)``.

    Raises:
        ValidationError: A prefix with other characters than letters,
            digits and ``-_/.``, or a width outside 1..18.

    .. versionadded:: 0.1.0
    """

    prefix: str = ""
    width: int = 6
    #: Given as a `CheckDigit` or its value (``"luhn"``).
    check_digit: CheckDigit | str | None = None
    sequence: str = "customer"

    def __attrs_post_init__(self) -> None:
        c = Collector()
        prefix: object = self.prefix
        width: object = self.width
        sequence: object = self.sequence
        check_digit: object = self.check_digit
        if not isinstance(prefix, str) or not _PREFIX.fullmatch(prefix):
            c.add("prefix", "numbering.prefix", prefix)
        if (
            not isinstance(width, int)
            or isinstance(width, bool)
            or not _MIN_WIDTH <= width <= _MAX_WIDTH
        ):
            c.add(
                "width",
                "numbering.width",
                width,
                min=str(_MIN_WIDTH),
                max=str(_MAX_WIDTH),
            )
        if not isinstance(sequence, str) or not _PREFIX.fullmatch(sequence):
            c.add("sequence", "numbering.prefix", sequence)
        if check_digit is not None:
            found = _CHECK_DIGITS.get(check_digit)
            if found is None:
                c.add(
                    "check_digit",
                    "choice.invalid",
                    check_digit,
                    choices=", ".join(map(str, _CHECK_DIGITS_BY_VALUE)),
                )
            object.__setattr__(self, "check_digit", found)
        c.raise_if_any()

    def format(self, value: int) -> str:
        """Return the customer number of sequence *value*."""
        c = Collector()
        if isinstance(value, bool) or not isinstance(value, int):
            fail("invalid_type", value, expected="a whole number")
        if value < 1 or value.bit_length() > _MAX_BITS:
            c.add("", "numbering.exhausted", value, width=str(self.width))
            c.raise_if_any()
        digits = str(value)
        if len(digits) > self.width:
            c.add("", "numbering.exhausted", value, width=str(self.width))
            c.raise_if_any()
        digits = digits.zfill(self.width)
        if self.check_digit is not None:
            digits += _CALC[CheckDigit(self.check_digit)](digits)
        return self.prefix + digits

    def next_number(self, sequences: SequenceSource) -> str:
        """Draw the next value of the sequence and return its number."""
        draw = getattr(sequences, "next", None)
        if not callable(draw):
            fail("invalid_type", sequences, expected="a sequence source")
        return self.format(draw(self.sequence))
