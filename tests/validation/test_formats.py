# SPDX-License-Identifier: MIT
"""The per-format validators: phones, e-mails, URLs, networks (CH-2, EU-2)."""

from __future__ import annotations

import ipaddress

from collections.abc import Callable

import pytest

from customer_domain import ValidationError
from customer_domain.validation import emails, networks, phones, urls


JUNK: list[object] = [None, 42, 4.2, b"x", object(), [], {}]


def issue(fn: Callable[[], object]) -> tuple[str, str, dict[str, str]]:
    """(path, code, params) of the one issue *fn* raises."""
    with pytest.raises(ValidationError) as e:
        fn()
    (only,) = e.value.issues
    return (only.path, only.code, dict(only.params))


@pytest.mark.parametrize(
    ("raw", "region", "expected"),
    [
        ("06.12.34.56.78", "FR", "+33612345678"),
        ("+33 6 12 34 56 78", None, "+33612345678"),
        ("0033 6 12 34 56 78", "FR", "+33612345678"),
        ("06 12 34 56 78", "FR", "+33612345678"),
        ("514 555 0123", "CA", "+15145550123"),
        ("+49 30 901820", None, "+4930901820"),
    ],
)
def test_phones_are_e164(raw: str, region: str | None, expected: str) -> None:
    """CH-2, CH-4: numbers as typed in the seeds become E.164."""
    assert expected == phones.validate(raw, region=region)
    assert expected == phones.normalize(raw, region=region)
    assert phones.is_valid(raw, region=region)


@pytest.mark.parametrize(
    ("raw", "region", "mobile", "code"),
    [
        ("521 1224 6321", "CA", False, "phone.too_long"),
        ("06 12 34 56 78", None, False, "phone.region_required"),
        ("01 42 68 53 00", "FR", True, "phone.not_mobile"),
        ("06 12", "FR", False, "phone.too_short"),
        ("hello", "FR", False, "phone.not_a_number"),
        ("+999 1234", None, False, "phone.invalid_country_code"),
        ("", "FR", False, "required"),
        ("1" * 70, "FR", False, "phone.too_long"),
    ],
)
def test_bad_phones(
    raw: str, region: str | None, mobile: bool, code: str
) -> None:
    """CH-4: bad numbers get phonenumbers' reason as a stable code."""
    assert ("", code) == issue(
        lambda: phones.validate(raw, region=region, mobile=mobile)
    )[:2]
    assert not phones.is_valid(raw, region=region, mobile=mobile)


def test_phone_messages_name_the_region() -> None:
    """CH-4: "521 1224 6321" in Canada: a clear message in en and fr."""
    with pytest.raises(ValidationError) as e:
        phones.validate("521 1224 6321", region="CA")

    assert {"region": "CA"} == dict(e.value.issues[0].params)
    assert "Ce numéro est trop long pour la région CA." == e.value.issues[
        0
    ].message("fr")


def test_fixed_line_is_a_valid_phone_but_not_a_mobile() -> None:
    """CH-2: a mobile channel reports a valid number of the wrong type."""
    assert "+33142685300" == phones.validate("01 42 68 53 00", region="FR")
    assert "+33612345678" == phones.validate(
        "06 12 34 56 78", region="FR", mobile=True
    )


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("mireille.couture@hervedavid.com", "mireille.couture@hervedavid.com"),
        (" John.Smith@Example.COM ", "John.Smith@example.com"),
        ("élise@exämple.fr", "élise@exämple.fr"),
    ],
)
def test_emails_are_normalized(raw: str, expected: str) -> None:
    """CH-2: e-mails take email-validator's normalized form."""
    assert expected == emails.validate(raw)
    assert expected == emails.normalize(raw)


@pytest.mark.parametrize(
    ("raw", "code"),
    [
        ("mireille.couture", "email.missing_at"),
        ("@hervedavid.com", "email.empty_local_part"),
        ("mireille@", "email.empty_domain"),
        ("x@localhost", "email.invalid_domain"),
        ("x@test.invalid", "email.reserved_domain"),
        ("a b@c.com", "email.invalid_local_part"),
        ("a@exa mple.com", "email.invalid_domain"),
        ("x@" + "a" * 320 + ".com", "email.too_long"),
        ("  ", "required"),
    ],
)
def test_bad_emails(raw: str, code: str) -> None:
    """CH-2: each email-validator message maps to a stable code."""
    path, got, params = issue(lambda: emails.validate(raw))

    assert ("", code) == (path, got)
    assert not emails.is_valid(raw)
    if code.startswith("email."):
        assert params.get("detail") or code == "email.too_long"


def test_email_messages_in_both_languages() -> None:
    """Errors: the French message of a missing @-sign."""
    with pytest.raises(ValidationError) as e:
        emails.validate("mireille.couture")

    assert "Une adresse e-mail doit contenir un @." == e.value.issues[
        0
    ].message("fr")


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("https://www.hervedavid.com", "https://www.hervedavid.com"),
        (
            "HTTP://WWW.HerveDavid.com/Fr?q=1",
            "http://www.hervedavid.com/Fr?q=1",
        ),
        ("https://192.0.2.1:8443/x", "https://192.0.2.1:8443/x"),
        ("https://[2001:db8::1]/", "https://[2001:db8::1]/"),
        ("https://bücher.example.de", "https://bücher.example.de"),
    ],
)
def test_urls(raw: str, expected: str) -> None:
    """CH-2: absolute http(s) URLs; scheme and host lower-cased."""
    assert expected == urls.validate(raw)
    assert urls.is_valid(raw)


@pytest.mark.parametrize(
    "raw",
    [
        "www.hervedavid.com",
        "ftp://hervedavid.com",
        "https://localhost",
        "https://",
        "https://exa mple.com",
        "https://example.com:99999",
        "https://-bad-.com",
        "javascript:alert(1)",
    ],
)
def test_bad_urls(raw: str) -> None:
    """CH-2: anything but an absolute http(s) URL is refused."""
    assert ("", "url.invalid") == issue(lambda: urls.validate(raw))[:2]


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("192.0.2.7", ipaddress.ip_network("192.0.2.7/32")),
        ("10.0.0.0/8", ipaddress.ip_network("10.0.0.0/8")),
        ("2001:db8::/32", ipaddress.ip_network("2001:db8::/32")),
        (ipaddress.ip_address("::1"), ipaddress.ip_network("::1/128")),
    ],
)
def test_networks(raw: object, expected: networks.Network) -> None:
    """EU-2: addresses and networks, IPv4 and IPv6."""
    assert expected == networks.validate(raw)
    assert str(expected) == networks.normalize(raw)


def test_bad_networks() -> None:
    """EU-2: "123.542.654.785", leading zeros and host bits are refused."""
    assert ("", "network.invalid", {}) == issue(
        lambda: networks.validate("123.542.654.785")
    )
    assert (
        "network.invalid" == issue(lambda: networks.validate("010.0.0.1"))[1]
    )
    assert ("", "network.host_bits", {"suggestion": "10.0.0.0/8"}) == issue(
        lambda: networks.validate("10.0.0.1/8")
    )
    assert not networks.is_valid("256.1.1.1")


@pytest.mark.parametrize("junk", JUNK)
def test_junk_gives_validation_error(junk: object) -> None:
    """Bad data never escapes as TypeError or AttributeError."""
    for validate in (
        lambda v: phones.validate(v, region="FR"),
        lambda v: phones.validate(v, region="FR", mobile=True),
        emails.validate,
        urls.validate,
        networks.validate,
    ):
        with pytest.raises(ValidationError):
            validate(junk)
    for is_valid in (
        phones.is_valid,
        emails.is_valid,
        urls.is_valid,
        networks.is_valid,
    ):
        assert is_valid(junk) is False


@pytest.mark.parametrize(
    ("validate", "raw"),
    [
        (lambda v: phones.validate(v, region="FR"), "06 12 34 56 78"),
        (emails.validate, "Mireille@HerveDavid.com"),
        (urls.validate, "HTTPS://HerveDavid.com/a"),
        (networks.normalize, "2001:DB8::/32"),
    ],
)
def test_normalizing_twice_changes_nothing(
    validate: Callable[[object], object], raw: str
) -> None:
    """CH-2: validate(validate(x)) == validate(x)."""
    once = validate(raw)

    assert once == validate(once)
