# SPDX-License-Identifier: MIT
"""The phone outcome cache changes no result (CH-2, CH-4; issue 12)."""

from __future__ import annotations

import random

import pytest

from customer_domain import ValidationError
from customer_domain.testing import strategies as cds
from customer_domain.validation import phones


def _outcome(raw: str, region: str | None, mobile: bool) -> object:
    try:
        return phones.validate(raw, region=region, mobile=mobile)
    except ValidationError as e:
        return [(i.code, i.value, dict(i.params)) for i in e.issues]


def _uncached(raw: str, region: str | None, mobile: bool) -> object:
    try:
        return phones._validate(raw, region, mobile=mobile)
    except ValidationError as e:
        return [(i.code, i.value, dict(i.params)) for i in e.issues]


def _inputs(n: int) -> list[tuple[str, str | None, bool]]:
    rng = random.Random(12)  # noqa: S311 -- not for secrets.
    examples = [raw for raw, _, _ in cds._phone_examples()]
    junk = ["06", "12", "+", "abc", "0033 6 12", "+1 555", "06 12 34 56 7"]
    out = []
    for _ in range(n):
        raw = rng.choice(examples + junk)
        if rng.random() < 0.3:
            raw = raw.replace(" ", rng.choice(["", ".", "-", " "]))
        region = rng.choice([None, "FR", "CA", "DE", "US", "ZZ"])
        out.append((raw, region, rng.random() < 0.3))
    return out


def test_cached_outcomes_equal_fresh_parses() -> None:
    """
    CH-2, CH-4: with numbers that repeat, every result and every error
    (code, value, params) is what a fresh parse gives, repeats included.
    """
    phones.clear_cache()
    inputs = _inputs(3000)

    for raw, region, mobile in inputs + inputs:
        assert _outcome(raw, region, mobile) == _uncached(raw, region, mobile)
    info = phones._outcome.cache_info()
    assert info.hits >= len(inputs)
    assert info.currsize <= phones.CACHE_SIZE


def test_the_cache_is_bounded() -> None:
    """CH-2: the cache keeps at most CACHE_SIZE outcomes."""
    phones.clear_cache()
    for i in range(phones.CACHE_SIZE + 100):
        phones.is_valid(f"+3361234{i:04d}")

    assert phones._outcome.cache_info().currsize == phones.CACHE_SIZE
    phones.clear_cache()
    assert phones._outcome.cache_info().currsize == 0


@pytest.mark.parametrize("mobile", [1, "yes", None])
def test_mobile_must_be_a_flag(mobile: object) -> None:
    """CH-4: ``mobile`` is True or False, not any value."""
    with pytest.raises(ValidationError) as e:
        phones.validate("06 12 34 56 78", region="FR", mobile=mobile)  # type: ignore[arg-type]

    assert ["invalid_type"] == list(e.value.codes)
