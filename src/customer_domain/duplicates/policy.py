# SPDX-License-Identifier: MIT
"""
What an organization counts as a potential duplicate (DU-2, DU-4, DU-6).

.. versionadded:: 0.1.0
"""

from __future__ import annotations

import importlib.util

from typing import Any, Final

import attrs

from customer_domain._collect import Collector
from customer_domain.matching.keys import (
    CUSTOMER_NAME_POSTAL,
    CUSTOMER_VAT,
    PERSON_EMAIL,
    PERSON_FAX,
    PERSON_MOBILE,
    PERSON_NAME,
    PERSON_PHONE,
)


__all__ = ["DuplicatePolicy"]

_MAX_CAP = 1000
#: Default per-name thresholds, chosen on benchmarks/bench_matching.py.
FIRST_NAME_THRESHOLD: Final = 0.88
LAST_NAME_THRESHOLD: Final = 0.93


@attrs.frozen(init=False)
class DuplicatePolicy:
    """
    The duplicate check of one organization, as seed 003's decision table
    configures it, plus what the best CRMs add (BX-3).

    Args:
        names: Same last and first names (in any order, accents, case
            and punctuation aside).
        phones: A same phone or fax number (E.164).
        mobiles: A same mobile number.
        emails: A same e-mail address.
        phone_kinds_match: Whether a number matches across phone, mobile
            and fax (a mobile given as a phone); off by default.
        on_modification: Check updates too, not only creations (DU-4).
        fuzzy_names: Also report names with typos (Jaro-Winkler through
            rapidfuzz: ``pip install 'customer-domain[fuzzy]'``), each
            name compared on its own: first with first and last with last
            (or crosswise, for swapped names).
        first_name_threshold: The least Jaro-Winkler similarity, from 0.5
            to 1, of the first names of a fuzzy match.
        last_name_threshold: The same for the last names.
        max_shared: A key shared by more records than this (a company's
            switchboard, a family e-mail) stops counting as evidence.
        company_names: Customers with the same company name (legal forms
            aside) in the same postal code (DU-6).
        vat_ids: Customers with the same VAT ID (DU-6).

    Raises:
        ValidationError: A threshold or cap is out of range.

    >>> DuplicatePolicy(emails=False).criteria
    ('person.name', 'person.phone', 'person.fax', 'person.mobile')

    .. versionadded:: 0.1.0
    """

    names: bool
    phones: bool
    mobiles: bool
    emails: bool
    phone_kinds_match: bool
    on_modification: bool
    fuzzy_names: bool
    first_name_threshold: float
    last_name_threshold: float
    max_shared: int
    company_names: bool
    vat_ids: bool

    def __init__(
        self,
        *,
        names: bool = True,
        phones: bool = True,
        mobiles: bool = True,
        emails: bool = True,
        phone_kinds_match: bool = False,
        on_modification: bool = False,
        fuzzy_names: bool = False,
        first_name_threshold: float = FIRST_NAME_THRESHOLD,
        last_name_threshold: float = LAST_NAME_THRESHOLD,
        max_shared: int = 20,
        company_names: bool = True,
        vat_ids: bool = True,
    ) -> None:
        c = Collector()
        flags: dict[str, Any] = {
            "names": names,
            "phones": phones,
            "mobiles": mobiles,
            "emails": emails,
            "phone_kinds_match": phone_kinds_match,
            "on_modification": on_modification,
            "fuzzy_names": fuzzy_names,
            "company_names": company_names,
            "vat_ids": vat_ids,
        }
        for name, value in flags.items():
            if not isinstance(value, bool):
                c.add(name, "invalid_type", value, expected="true or false")
        thresholds: dict[str, object] = {
            "first_name_threshold": first_name_threshold,
            "last_name_threshold": last_name_threshold,
        }
        for name, threshold in thresholds.items():
            if (
                isinstance(threshold, bool)
                or not isinstance(threshold, (int, float))
                or not 0.5 <= threshold <= 1  # noqa: PLR2004 -- documented.
            ):
                c.add(name, "duplicates.threshold", threshold)
        cap: object = max_shared
        if (
            isinstance(cap, bool)
            or not isinstance(cap, int)
            or not 1 <= cap <= _MAX_CAP
        ):
            c.add("max_shared", "duplicates.max_shared", max_shared)
        if fuzzy_names is True and not _has_rapidfuzz():
            c.add("fuzzy_names", "duplicates.fuzzy_unavailable", True)
        c.raise_if_any()
        self.__attrs_init__(
            names,
            phones,
            mobiles,
            emails,
            phone_kinds_match,
            on_modification,
            fuzzy_names,
            float(first_name_threshold),
            float(last_name_threshold),
            max_shared,
            company_names,
            vat_ids,
        )

    @property
    def criteria(self) -> tuple[str, ...]:
        """The person criteria (match-key names) this policy looks up."""
        out = []
        if self.names:
            out.append(PERSON_NAME)
        if self.phones:
            out += [PERSON_PHONE, PERSON_FAX]
        if self.mobiles:
            out.append(PERSON_MOBILE)
        if self.emails:
            out.append(PERSON_EMAIL)
        return tuple(out)

    @property
    def customer_criteria(self) -> tuple[str, ...]:
        """The customer criteria this policy looks up (DU-6)."""
        out = []
        if self.company_names:
            out.append(CUSTOMER_NAME_POSTAL)
        if self.vat_ids:
            out.append(CUSTOMER_VAT)
        return tuple(out)


def _has_rapidfuzz() -> bool:
    return importlib.util.find_spec("rapidfuzz") is not None
