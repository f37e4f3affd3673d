# SPDX-License-Identifier: MIT
"""Shared pieces of the check and the scans (private)."""

from __future__ import annotations

import enum
import functools
import operator

from collections.abc import Callable, Iterable
from typing import Final

from customer_domain.duplicates.policy import DuplicatePolicy
from customer_domain.matching.keys import (
    CUSTOMER_NAME_POSTAL,
    CUSTOMER_VAT,
    PERSON_EMAIL,
    PERSON_FAX,
    PERSON_MOBILE,
    PERSON_NAME,
    PERSON_NUMBER,
    PERSON_PHONE,
)
from customer_domain.storage.protocols import MatchKey


#: Sorts UUIDs by their integer: the order of their text, much faster.
INT: Final = operator.attrgetter("int")

#: How many owners of one name block a fuzzy check compares at most.
MAX_BLOCK: Final = 500

PHONES: Final = (PERSON_PHONE, PERSON_MOBILE, PERSON_FAX)

#: Match-key criterion -> the criterion a user reads.
CRITERIA: Final = {
    PERSON_NAME: "name",
    PERSON_EMAIL: "email",
    PERSON_PHONE: "phone",
    PERSON_MOBILE: "mobile",
    PERSON_FAX: "fax",
    PERSON_NUMBER: "number",
    CUSTOMER_NAME_POSTAL: "company_name",
    CUSTOMER_VAT: "vat",
}
CHANNELS: Final = frozenset({"email", "phone", "mobile", "fax", "number"})


class Strength(enum.Enum):
    """
    How surely a candidate is the same record (BX-3).

    - ``exact``: the same name and a same e-mail or number; a same VAT ID.
    - ``strong``: a same e-mail; two same numbers; the same name at the
      same customer; a close name and a same e-mail or number; a same
      company name in the same postal code.
    - ``weak``: anything less (a namesake elsewhere, one shared number,
      a close name alone).
    """

    EXACT = "exact"
    STRONG = "strong"
    WEAK = "weak"


RANK: Final = {Strength.EXACT: 0, Strength.STRONG: 1, Strength.WEAK: 2}


class Method(enum.Enum):
    """How a criterion matched: equal keys, or similar names."""

    EXACT = "exact"
    FUZZY = "fuzzy"


def person_lookup(
    keys: Iterable[MatchKey], policy: DuplicatePolicy
) -> list[MatchKey]:
    """The keys a check of a person with *keys* looks up."""
    enabled = set(policy.criteria)
    out: set[MatchKey] = set()
    for key in keys:
        if key.criterion not in enabled:
            continue
        out.add(key)
        if policy.phone_kinds_match and key.criterion in PHONES:
            # Numbers of the kinds the policy compares, and only those:
            # the relation stays symmetric.
            out.update(MatchKey(c, key.value) for c in PHONES if c in enabled)
    return list(out)


#: How two close names compare: the first names' and last names'
#: similarities, and whether the names were swapped.
CloseNames = tuple[float, float, bool]


def close_names(
    mine: str, theirs: str, policy: DuplicatePolicy
) -> CloseNames | None:
    """
    Compare two ``"<first>|<last>"`` name parts (`PERSON_NAME_PARTS`),
    each name on its own (first with first, last with last, or crosswise
    for swapped names): their similarities if both reach the policy's
    thresholds, the better orientation first.  Names missing a part are
    never close (they match on equal keys only).
    """
    first, _, last = mine.partition("|")
    other_first, _, other_last = theirs.partition("|")
    return close_parts(first, last, other_first, other_last, policy)


def close_parts(
    first: str,
    last: str,
    other_first: str,
    other_last: str,
    policy: DuplicatePolicy,
) -> CloseNames | None:
    """`close_names` on names already split into their two parts."""
    if not (first and last and other_first and other_last):
        return None
    similarity = _similarity()
    first_min = policy.first_name_threshold
    last_min = policy.last_name_threshold
    best: CloseNames | None = None
    for swapped, a, b in (
        (False, other_first, other_last),
        (True, other_last, other_first),
    ):
        # score_cutoff: rapidfuzz returns 0 at once below the threshold.
        f = similarity(first, a, score_cutoff=first_min)
        if not f:
            continue
        s = similarity(last, b, score_cutoff=last_min)
        if s and (best is None or min(f, s) > min(best[0], best[1])):
            best = (f, s, swapped)
    return best


@functools.cache
def _similarity() -> Callable[..., float]:
    """rapidfuzz's Jaro-Winkler similarity (imported once, when needed)."""
    from rapidfuzz.distance import JaroWinkler  # noqa: PLC0415 -- optional.

    return JaroWinkler.normalized_similarity


def describe(close: CloseNames) -> str:
    """How two close names compared, for a reader: the per-name scores."""
    first, last, swapped = close
    text = f"first name {first:.2f}, last name {last:.2f}"
    return f"{text}, swapped" if swapped else text
