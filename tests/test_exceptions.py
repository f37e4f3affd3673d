# SPDX-License-Identifier: MIT
"""Errors: one root, every issue with path, code, value, en/fr message."""

from __future__ import annotations

import pathlib
import pickle
import re

import pytest

from customer_domain import (
    Customer,
    CustomerDomainError,
    Issue,
    ValidationError,
)
from customer_domain._messages import MESSAGES, markdown_table


SRC = pathlib.Path(__file__).parent.parent / "src" / "customer_domain"
DOCS = pathlib.Path(__file__).parent.parent / "docs"


def test_one_root() -> None:
    """ValidationError is a CustomerDomainError and a ValueError."""
    assert issubclass(ValidationError, CustomerDomainError)
    assert issubclass(ValidationError, ValueError)


def test_validation_errors_pickle_with_their_issues() -> None:
    """Exceptions pickle, whatever value the host passed in."""
    error = ValidationError(
        [
            Issue(
                "persons[2].channels[0].value",
                "phone.too_long",
                object(),
                {"region": "CA"},
            )
        ]
    )

    copy = pickle.loads(pickle.dumps(error))  # noqa: S301 -- our own data.

    assert error.issues == copy.issues
    assert str(error) == str(copy)
    assert isinstance(copy.issues[0].value, str)  # The repr of object().


def test_messages_by_path_and_prefix() -> None:
    """Issues render in en and fr, by path, and under a prefix."""
    error = ValidationError(
        [
            Issue("value", "phone.too_long", "521", {"region": "CA"}),
            Issue("", "required"),
        ]
    )

    assert [
        "value: This number is too long for region CA.",
        "This field is required.",
    ] == error.messages()
    assert {
        "persons[2].value": ["Ce numéro est trop long pour la région CA."],
        "persons[2]": ["Ce champ est obligatoire."],
    } == error.prefixed("persons[2]").by_path("fr")
    assert "[0].value" == Issue("value", "required").prefixed(
        "[0]"
    ).path.removeprefix("")
    assert "x[0]" == Issue("[0]", "required").prefixed("x").path
    assert ("phone.too_long", "required") == error.codes


def test_long_values_are_shortened() -> None:
    """An issue keeps a printable, bounded copy of odd values."""
    issue = Issue("x", "required", [1] * 1000)

    assert isinstance(issue.value, str)
    assert len(issue.value) <= 200


@pytest.mark.parametrize("code", sorted(MESSAGES))
def test_every_code_has_both_messages(code: str) -> None:
    """Every code renders in English and French with its params."""
    en, fr = MESSAGES[code]
    params = {
        name: "P"
        for name in re.findall(r"{(\w+)}", en + fr)
        if name != "value"
    }
    issue = Issue("f", code, "V", params)

    assert en
    assert fr
    assert en != fr
    assert "{" not in issue.message("en")
    assert "{" not in issue.message("fr")


def test_every_code_raised_is_in_the_catalogue() -> None:
    """Codes written in the sources all have messages."""
    used: set[str] = set()
    pattern = re.compile(
        r'''(?:fail|add|_fail)\(\s*(?:[^,()]*,\s*)?f?"([a-z_]+(?:\.[a-z_{}]+)?)"'''
    )
    for path in SRC.rglob("*.py"):
        used.update(pattern.findall(path.read_text()))
    kinds = ("vat", "iban", "bic", "identifier")
    reasons = (
        "invalid_format",
        "invalid_length",
        "invalid_checksum",
        "invalid_component",
    )
    expanded = {f"{k}.{r}" for k in kinds for r in reasons} | {
        c for c in used if "{" not in c
    }

    assert len(used) > 40
    assert set() == {c for c in expanded if c not in MESSAGES}


def test_error_codes_page_is_up_to_date() -> None:
    """The docs list every code with both messages (make error-codes)."""
    assert markdown_table() == (DOCS / "error-codes.md").read_text()


def test_customer_errors_use_catalogue_codes() -> None:
    """A real error only carries catalogued codes."""
    with pytest.raises(ValidationError) as e:
        Customer(name="", currency="?", channels=[{"kind": "x", "value": ""}])

    assert all(i.code in MESSAGES for i in e.value.issues)
