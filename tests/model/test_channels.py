# SPDX-License-Identifier: MIT
"""Communication channels (SPEC CH-1..CH-4, BX-2)."""

from __future__ import annotations

import pickle

import pytest

from customer_domain import (
    ChannelKind,
    CommunicationChannel,
    Customer,
    Person,
    Purpose,
    ValidationError,
)


@pytest.mark.parametrize(
    ("kind", "raw", "region", "canonical"),
    [
        ("phone", "01 42 68 53 00", "FR", "+33142685300"),
        ("mobile", "06.12.34.56.78", "FR", "+33612345678"),
        ("mobile", "+33 6 12 34 56 78", None, "+33612345678"),
        ("fax", "0033 1 42 68 53 00", "FR", "+33142685300"),
        (
            "email",
            "mireille.couture@hervedavid.com",
            None,
            "mireille.couture@hervedavid.com",
        ),
        ("email", "Mireille@HerveDavid.COM", None, "Mireille@hervedavid.com"),
        (
            "web",
            "HTTPS://HerveDavid.com/fr",
            None,
            "https://hervedavid.com/fr",
        ),
    ],
)
def test_every_kind_is_stored_canonical_with_its_raw_input(
    kind: str, raw: str, region: str | None, canonical: str
) -> None:
    """CH-1, CH-2, CH-4: canonical value stored, raw input kept beside it."""
    channel = CommunicationChannel(kind, raw, region=region)

    assert canonical == channel.value
    assert raw == channel.raw
    assert region == channel.region
    assert ChannelKind(kind) is channel.kind


def test_defaults_and_purpose() -> None:
    """BX-2: a channel has a primary flag and a purpose (work by default)."""
    channel = CommunicationChannel(
        "email", "a@b.fr", primary=True, purpose="billing"
    )

    assert channel.primary is True
    assert Purpose.BILLING is channel.purpose
    assert Purpose.WORK is CommunicationChannel("email", "a@b.fr").purpose


@pytest.mark.parametrize(
    ("args", "kwargs", "issues"),
    [
        (
            ("phone", "521 1224 6321"),
            {"region": "CA"},
            [("value", "phone.too_long")],
        ),
        (
            ("mobile", "01 42 68 53 00"),
            {"region": "FR"},
            [("value", "phone.not_mobile")],
        ),
        (
            ("phone", "06 12 34 56 78"),
            {},
            [("value", "phone.region_required")],
        ),
        (
            ("email", "mireille.couture@"),
            {},
            [("value", "email.empty_domain")],
        ),
        (("web", "www.hervedavid.com"), {}, [("value", "url.invalid")]),
        (("pigeon", "x"), {}, [("kind", "choice.invalid")]),
        (
            ("phone", "06 12 34 56 78"),
            {"region": "ZZ", "primary": "yes", "purpose": "fun"},
            [
                ("region", "country.invalid"),
                ("value", "phone.region_required"),
                ("primary", "invalid_type"),
                ("purpose", "choice.invalid"),
            ],
        ),
        ((42, None), {}, [("kind", "choice.invalid")]),
        (("email", None), {}, [("value", "invalid_type")]),
        (("email", "   "), {}, [("value", "required")]),
    ],
)
def test_bad_channels_report_every_issue(
    args: tuple[object, object],
    kwargs: dict[str, object],
    issues: list[tuple[str, str]],
) -> None:
    """CH-2, CH-4: bad input gives every issue with its path and code."""
    with pytest.raises(ValidationError) as e:
        CommunicationChannel(*args, **kwargs)  # type: ignore[arg-type]

    assert issues == [(i.path, i.code) for i in e.value.issues]


def test_invalid_for_region_message_in_both_languages() -> None:
    """CH-4: "521 1224 6321" in Canada gets a clear error in en and fr."""
    with pytest.raises(ValidationError) as e:
        CommunicationChannel("phone", "521 1224 6321", region="CA")

    (issue,) = e.value.issues
    assert "This number is too long for region CA." == issue.message("en")
    assert "Ce numéro est trop long pour la région CA." == issue.message("fr")
    assert "521 1224 6321" == issue.value


def test_from_data_refuses_unknown_keys_and_missing_ones() -> None:
    """Unknown keys are refused at the boundary; kind and value required."""
    with pytest.raises(ValidationError) as e:
        CommunicationChannel.from_data({"colour": "red"})

    assert [
        ("colour", "unknown_field"),
        ("kind", "required"),
        ("value", "required"),
    ] == [(i.path, i.code) for i in e.value.issues]


def test_from_data_with_raw_checks_the_canonical_value() -> None:
    """BX-2: a stored channel's value must be the canonical form of raw."""
    ok = CommunicationChannel.from_data(
        {
            "kind": "phone",
            "value": "+33142685300",
            "raw": "01 42 68 53 00",
            "region": "FR",
        }
    )
    assert "01 42 68 53 00" == ok.raw

    with pytest.raises(ValidationError) as e:
        CommunicationChannel.from_data(
            {
                "kind": "phone",
                "value": "+33100000000",
                "raw": "01 42 68 53 00",
                "region": "FR",
            }
        )
    assert ["channel.value_mismatch"] == [i.code for i in e.value.issues]


def test_channels_are_values() -> None:
    """Channels compare by value, hash, pickle and have a short repr."""
    a = CommunicationChannel("mobile", "06 12 34 56 78", region="FR")
    b = CommunicationChannel("mobile", "06 12 34 56 78", region="FR")

    assert a == b
    assert hash(a) == hash(b)
    assert a == pickle.loads(pickle.dumps(a))  # noqa: S301 -- our own data.
    assert "<CommunicationChannel mobile +33612345678>" == repr(a)


def test_several_channels_of_a_kind_one_primary(
    customer: Customer, person: Person
) -> None:
    """CH-3: several channels of a kind; at most one primary per kind."""
    person.add_channel(
        {"kind": "email", "value": "h.lefevre@gmail.com", "primary": True}
    )
    person.add_channel(
        {"kind": "email", "value": "helene@lefevre.fr", "primary": True}
    )

    emails = [ch for ch in person.channels if ch.kind is ChannelKind.EMAIL]
    assert 3 == len(emails)
    assert ["helene@lefevre.fr"] == [ch.value for ch in emails if ch.primary]
    assert "helene@lefevre.fr" == person.email

    with pytest.raises(ValidationError) as e:
        customer.add_person(
            last_name="Martin",
            contact_types=["Purchasing"],
            channels=[
                {"kind": "phone", "value": "01 42 68 53 00", "primary": True},
                {"kind": "phone", "value": "01 42 68 53 01", "primary": True},
            ],
        )
    assert [("channels[1].primary", "channel.duplicate_primary")] == [
        (i.path, i.code) for i in e.value.issues
    ]


def test_set_primary_and_remove_channel(person: Person) -> None:
    """CH-3: set_primary moves the flag within a kind; bad index refused."""
    person.add_channel(
        {"kind": "mobile", "value": "07 56 78 90 12"}, region="FR"
    )
    person.set_primary(2)

    mobiles = [ch for ch in person.channels if ch.kind is ChannelKind.MOBILE]
    assert [False, True] == [ch.primary for ch in mobiles]

    removed = person.remove_channel(0)
    assert ChannelKind.EMAIL is removed.kind
    for bad in (10, -10, "0", None):
        with pytest.raises(ValidationError) as e:
            person.remove_channel(bad)  # type: ignore[arg-type]
        assert ["channel.index"] == list(e.value.codes)
