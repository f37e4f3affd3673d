# SPDX-License-Identifier: MIT
"""Running python-stdnum validators with our issue codes (private)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Final

from stdnum import exceptions as stdnum_errors

from customer_domain._collect import fail


_REASONS: Final = (
    (stdnum_errors.InvalidLength, "invalid_length"),
    (stdnum_errors.InvalidChecksum, "invalid_checksum"),
    (stdnum_errors.InvalidComponent, "invalid_component"),
    (stdnum_errors.InvalidFormat, "invalid_format"),
)
_MAX_INPUT: Final = 64


def compact(kind: str, fn: Callable[[str], str], raw: object) -> str:
    """Return ``fn(raw)`` (a stdnum ``compact``) for text of sane length."""
    if not isinstance(raw, str):
        fail("invalid_type", raw, expected="text")
    if len(raw) > _MAX_INPUT * 4:
        fail(f"{kind}.invalid_length", raw)
    try:
        return str(fn(raw))
    except stdnum_errors.ValidationError:
        fail(f"{kind}.invalid_format", raw)


def run(
    kind: str, check: Callable[[str], str], raw: object, **params: str
) -> str:
    """
    Return ``check(raw)``; map stdnum's errors to ``<kind>.<reason>`` codes.
    """
    if not isinstance(raw, str):
        fail("invalid_type", raw, expected="text")
    if not raw.strip():
        fail("required", raw)
    if len(raw) > _MAX_INPUT:
        fail(f"{kind}.invalid_length", raw, **params)
    try:
        return check(raw)
    except stdnum_errors.ValidationError as e:
        for exc_type, reason in _REASONS:
            if isinstance(e, exc_type):
                fail(f"{kind}.{reason}", raw, **params)
        fail(f"{kind}.invalid_format", raw, **params)
