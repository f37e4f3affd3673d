# SPDX-License-Identifier: MIT
"""
The e-mail fast path gives email-validator's answer (CH-2, issue 12).

`emails.validate` answers plain addresses itself and sends the rest to
email-validator; `emails._validate_slow` always asks email-validator.
Both must agree on every input: the same acceptance, the same
normalized value, the same issues.
"""

from __future__ import annotations

import importlib.util
import json
import sys

from pathlib import Path
from typing import Any

import email_validator
import pytest

from hypothesis import given
from hypothesis import strategies as st

from customer_domain import ValidationError
from customer_domain.validation import emails


_HERE = Path(__file__).parent
_SCRIPT = _HERE.parent.parent / "fuzz" / "email_differential.py"
_CASES = _HERE / "data" / "email_validator_cases.json"


def _differential() -> Any:
    spec = importlib.util.spec_from_file_location(
        "fuzz_email_differential", _SCRIPT
    )
    assert spec is not None
    assert spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules["fuzz_email_differential"] = module
    spec.loader.exec_module(module)
    return module


def _outcome(validate: Any, raw: object) -> tuple[str, object]:
    try:
        return ("ok", validate(raw))
    except ValidationError as e:
        return (
            "refused",
            [(i.path, i.code, dict(i.params)) for i in e.issues],
        )


def _agree(raw: object) -> tuple[str, object]:
    """Both paths' common outcome on *raw* (asserts they agree)."""
    fast = _outcome(emails.validate, raw)
    slow = _outcome(emails._validate_slow, raw)
    assert fast == slow, raw
    return fast


def _hit(text: str) -> bool:
    return emails._fast_path(text.strip()) is not None


def test_generated_sample() -> None:
    """
    CH-2: on 20,000 generated addresses (valid, near-valid, hostile;
    ``make fuzz`` runs 1,000,000) the fast path and email-validator
    agree on acceptance, normalized value and issues.
    """
    report = _differential().run(20_000, seed=12)
    assert report.addresses == 20_000
    assert report.differences == 0, report.text()
    # The sample exercises both paths, and fallbacks of both verdicts.
    refused = report.addresses - report.accepted
    assert report.fast_hits > 5_000
    assert refused > 5_000
    assert report.fallbacks - refused > 500  # Accepted by email-validator.


def test_email_validator_own_cases() -> None:
    """
    CH-2: every address of email-validator's own test suite (the
    version and licence are recorded in the data file) gets the same
    answer from both paths.
    """
    data = json.loads(_CASES.read_text("utf-8"))
    cases: list[str] = data["cases"]
    assert len(cases) == data["count"] >= 300
    hits = sum(_hit(c) for c in cases)
    accepted = 0
    for case in cases:
        verdict, _ = _agree(case)
        accepted += verdict == "ok"
    assert hits >= 20
    assert accepted > hits


def test_email_validator_long_cases() -> None:
    """
    CH-2: the long inputs of email-validator's "not quadratic" tests,
    left out of the data file, are refused alike (they exceed 320).
    """
    for raw in (
        "\u0301" * 50000 + "@example.com",
        "me@\u00e9.xn--" + "9" * 200000 + ".com",
        "me@" + "\u0660" * 40000 + ".com",
    ):
        assert ("refused", [("", "email.too_long", {})]) == _agree(raw)


@pytest.mark.parametrize(
    ("raw", "expected", "hit"),
    [
        # Plain addresses: the domain is lower-cased, the local part kept.
        (
            "Mireille.Couture@HerveDavid.com",
            "Mireille.Couture@hervedavid.com",
            True,
        ),
        (
            " j.doe+crm@Mail.Example.CO.UK\t",
            "j.doe+crm@mail.example.co.uk",
            True,
        ),
        (
            "!#$%&'*+-/=?^_`.{|}~@example.tld",
            "!#$%&'*+-/=?^_`.{|}~@example.tld",
            True,
        ),
        ("x@1.2.3.com", "x@1.2.3.com", True),
        ("x@local.com", "x@local.com", True),
        ("x@mail.example", "x@mail.example", True),
        # RFC 2142 mailbox names are lower-cased, as email-validator does.
        ("PostMaster@Example.COM", "postmaster@example.com", True),
        ("ABUSE@b.com", "abuse@b.com", True),
        ("not-postmaster@b.com", "not-postmaster@b.com", True),
        # Valid, but left to email-validator.
        ("a@b.c", "a@b.c", False),
        ("a@b.1c", "a@b.1c", False),
        ("me@a--b.com", "me@a--b.com", False),
        ("a" * 65 + "@b.com", "a" * 65 + "@b.com", False),
        ("me@xn--bcher-kva.de", "me@bücher.de", False),
        ("\u212a@b.com", "K@b.com", False),
        ("I@\u212a.com", "I@k.com", False),
        ('"j.doe"@b.com', None, False),
        # Refused, always by email-validator.
        ("a@b.c1", None, False),
        ("a@b.123", None, False),
        ("x@host.local", None, False),
        ("x@HOST.LOCALHOST", None, False),
        ("x@b.in-addr.arpa", None, False),
        ("x@b.onion", None, False),
        ("x@b.test", None, False),
        ("x@b.invalid", None, False),
        ("me@ab--cd.com", None, False),
        ("me@xn--0.tld", None, False),
        ("a..b@c.com", None, False),
        ("a.@c.com", None, False),
        ("a@-b.com", None, False),
        ("a@b-.com", None, False),
        ("me@[127.0.0.1]", None, False),
        ("John <j@b.com>", None, False),
        ("a@b.com\x00", None, False),
    ],
)
def test_fast_path_cases(raw: str, expected: str | None, hit: bool) -> None:
    """CH-2: what the fast path takes, and what it leaves."""
    verdict, value = _agree(raw)
    assert hit == _hit(raw)
    if expected is None:
        assert "refused" == verdict
    else:
        assert ("ok", expected) == (verdict, value)


def _label(size: int) -> str:
    return "a" * size


@pytest.mark.parametrize(
    ("raw", "length", "accepted", "hit"),
    [
        # The local part: 64 is the fast path's limit, not the library's.
        ("k" * 64 + "@b.com", 70, True, True),
        ("k" * 65 + "@b.com", 71, True, False),
        # A label: 63 characters at most.
        ("j@" + _label(63) + ".com", 69, True, True),
        ("j@" + _label(64) + ".com", 70, False, False),
        ("j@b." + "c" * 63, 67, True, True),
        ("j@b." + "c" * 64, 68, False, False),
        # The whole address: 254 characters at most.
        (
            "j@" + ".".join([_label(63)] * 3) + "." + _label(56) + ".com",
            254,
            True,
            True,
        ),
        (
            "j@" + ".".join([_label(63)] * 3) + "." + _label(57) + ".com",
            255,
            False,
            False,
        ),
        (
            "k" * 64
            + "@"
            + ".".join([_label(63)] * 2)
            + "."
            + _label(57)
            + ".com",
            254,
            True,
            True,
        ),
        (
            "k" * 64
            + "@"
            + ".".join([_label(63)] * 2)
            + "."
            + _label(58)
            + ".com",
            255,
            False,
            False,
        ),
        (
            "k" * 64
            + "@"
            + ".".join([_label(63)] * 2)
            + "."
            + _label(57)
            + ".COM",
            254,
            True,
            True,
        ),
    ],
)
def test_length_limits(
    raw: str, length: int, accepted: bool, hit: bool
) -> None:
    """CH-2: lengths at the limits of the local part, labels, address."""
    assert length == len(raw)
    verdict, _ = _agree(raw)
    assert accepted == (verdict == "ok")
    assert hit == _hit(raw)


def test_fast_path_steps_aside_when_special_use_names_change(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """
    CH-2: email-validator's special-use list is settable; when a host
    changes it, email-validator decides alone.
    """
    assert _hit("a@b.corp")
    monkeypatch.setattr(
        email_validator,
        "SPECIAL_USE_DOMAIN_NAMES",
        [*email_validator.SPECIAL_USE_DOMAIN_NAMES, "corp"],
    )
    assert not _hit("a@b.corp")
    verdict, value = _agree("a@b.corp")
    assert "refused" == verdict
    assert [("", "email.reserved_domain", value[0][2])] == value  # type: ignore[index]


_ATEXT = "abcXYZ019!#$%&'*+-/=?^_`{|}~"
_NEAR = _ATEXT + '.@"()[]\\ \t\x00\x7féßıK\u212a\u00ad\uff0e\ud800'
_LDH = "abzAZ09-"
_LOCALS = st.one_of(
    st.text(_ATEXT, min_size=1, max_size=70),
    st.lists(
        st.text(_ATEXT, min_size=1, max_size=10), min_size=1, max_size=8
    ).map(".".join),
    st.text(_NEAR, max_size=70),
)
_LABELS = st.one_of(
    st.text(_LDH, min_size=1, max_size=65),
    st.sampled_from(["xn--bcher-kva", "local", "test", "localhost", "arpa"]),
    st.text(_NEAR, max_size=8),
)
_DOMAINS = st.lists(_LABELS, min_size=1, max_size=6).map(".".join)


@given(
    st.one_of(
        st.tuples(_LOCALS, _DOMAINS).map("@".join),
        st.text(_NEAR, max_size=40),
        st.text(max_size=40),
    )
)
def test_property_fast_path_agrees(raw: str) -> None:
    """CH-2: built and arbitrary addresses get one answer from both."""
    verdict, _ = _agree(raw)
    if _hit(raw):
        assert "ok" == verdict


@pytest.mark.parametrize(
    ("setting", "value"),
    [
        ("STRICT", True),
        ("GLOBALLY_DELIVERABLE", False),
        ("TEST_ENVIRONMENT", True),
        ("ALLOW_SMTPUTF8", False),
        ("ALLOW_EMPTY_LOCAL", True),
        ("ALLOW_QUOTED_LOCAL", True),
        ("ALLOW_DOMAIN_LITERAL", True),
        ("ALLOW_DISPLAY_NAME", True),
    ],
)
def test_fast_path_agrees_under_other_settings(
    monkeypatch: pytest.MonkeyPatch, setting: str, value: bool
) -> None:
    """
    CH-2: email-validator's other module settings only widen what it
    accepts (or, for STRICT, refuse local parts the fast path leaves
    alone): both paths still agree when a host changes one.
    """
    monkeypatch.setattr(email_validator, setting, value)
    differential = _differential()
    for raw in differential.addresses(1_000, seed=len(setting)):
        _agree(raw)
