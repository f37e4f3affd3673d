# SPDX-License-Identifier: MIT
"""Text folding shared by searches and duplicate detection (private)."""

from __future__ import annotations

import unicodedata


__all__ = ["fold", "postal_key"]


def fold(value: str) -> str:
    """
    Return *value* for accent- and case-insensitive comparison.

    >>> fold("Hélène LEFÈVRE")
    'helene lefevre'
    >>> fold("Straße")
    'strasse'
    >>> fold("ᴬᴮ ＣＤ")  # compatibility forms decompose to capitals
    'ab cd'
    """
    if value.isascii():
        return value.lower()
    # Unicode's compatibility caseless match: NFKD(casefold(NFKD(x))).
    decomposed = unicodedata.normalize("NFKD", value)
    return "".join(
        ch
        for ch in unicodedata.normalize("NFKD", decomposed.casefold())
        if not unicodedata.combining(ch)
    )


def postal_key(value: str) -> str:
    """A postal code without spaces, folded: ``"h2x 1y4"`` -> ``"h2x1y4"``."""
    return "".join(fold(value).split())
