# SPDX-License-Identifier: MIT
"""The public API: curated, sorted, typed."""

from __future__ import annotations

import typing

import attrs
import pytest

import customer_domain

from customer_domain import interchange, model, serialization, validation
from customer_domain.testing import strategies


@pytest.mark.parametrize(
    "module",
    [
        customer_domain,
        interchange,
        model,
        serialization,
        validation,
        strategies,
    ],
)
def test_all_is_sorted_and_importable(module: object) -> None:
    """__all__ is sorted (constants, classes, then the rest) and exists."""
    names = module.__all__  # type: ignore[attr-defined]

    def isort_style(name: str) -> tuple[int, str]:
        kind = 0 if name.isupper() else 1 if name[0].isupper() else 2
        return (kind, name)

    assert sorted(names, key=isort_style) == names
    assert all(hasattr(module, name) for name in names)


def test_issue_names_import_from_the_package() -> None:
    """Issue 2: the six entities and ValidationError import directly."""
    from customer_domain import (  # noqa: PLC0415
        Agency,
        CommunicationChannel,
        ContactType,
        Customer,
        ExternalUser,
        Person,
        ValidationError,
    )

    assert all(
        isinstance(cls, type)
        for cls in (
            Customer,
            ContactType,
            Person,
            CommunicationChannel,
            ExternalUser,
            Agency,
            ValidationError,
        )
    )


@pytest.mark.parametrize(
    "cls",
    [
        getattr(customer_domain, name)
        for name in customer_domain.__all__
        if attrs.has(getattr(customer_domain, name))
    ],
    ids=lambda c: c.__name__,
)
def test_type_hints_resolve(cls: type) -> None:
    """cattrs needs get_type_hints() to work on every public class."""
    hints = typing.get_type_hints(cls)

    assert {f.name for f in attrs.fields(cls)} <= hints.keys()


def test_known_good_identifiers_in_strategies_are_valid() -> None:
    """The IBANs, BICs and VATs the strategies draw from are valid."""
    from customer_domain.validation import bic, iban, vat  # noqa: PLC0415

    assert all(iban.is_valid(v) for v in strategies._IBANS)
    assert all(bic.is_valid(v) for v in strategies._BICS)
    assert all(vat.is_valid(v) for _, v in strategies._VATS)


def test_phone_examples_cover_most_regions() -> None:
    """The phone strategy draws from (almost) every supported region."""
    regions = {region for _, region, _ in strategies._phone_examples()}

    assert len(regions) > 200
