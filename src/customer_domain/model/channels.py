# SPDX-License-Identifier: MIT
"""Communication channels: phones, mobiles, faxes, e-mails, web URLs."""

from __future__ import annotations

import sys

from collections.abc import Iterable, Mapping
from typing import Final, NotRequired, Required, TypeAlias, TypedDict

import attrs

from customer_domain._collect import Collector, fail, join
from customer_domain.model.enums import ChannelKind, Purpose
from customer_domain.validation import countries, emails, phones, urls
from customer_domain.validation._fields import boolean, choice


__all__ = ["ChannelData", "ChannelInput", "CommunicationChannel"]


class ChannelData(TypedDict, total=False):
    """
    A channel as plain data (what a form or a JSON payload gives).

    ``value`` is the input as typed.  ``raw`` is accepted for documents
    written by the library itself: then ``raw`` is parsed and ``value``
    must be its canonical form.
    """

    kind: Required[str | ChannelKind]
    value: Required[str]
    raw: NotRequired[str]
    region: NotRequired[str | None]
    primary: NotRequired[bool]
    purpose: NotRequired[str | Purpose]


_KEYS: Final = frozenset(ChannelData.__annotations__)


def _canonical(kind: ChannelKind, raw: object, region: str | None) -> str:
    if kind is ChannelKind.EMAIL:
        return emails.validate(raw)
    if kind is ChannelKind.WEB:
        return urls.validate(raw)
    return phones.validate(
        raw, region=region, mobile=kind is ChannelKind.MOBILE
    )


@attrs.frozen(init=False, repr=False)
class CommunicationChannel:
    """
    One way to reach a person or a customer (SPEC CH-1..CH-4, BX-2).

    The *value* given is validated for its *kind* and stored in canonical
    form (E.164 for phones, mobiles and faxes; email-validator's normal
    form for e-mails; absolute http(s) URL for web); the input as typed
    stays in :attr:`raw` for display:

    >>> from customer_domain import CommunicationChannel
    >>> ch = CommunicationChannel("mobile", "06.12.34.56.78", region="FR")
    >>> ch.value, ch.raw, ch.region
    ('+33612345678', '06.12.34.56.78', 'FR')

    Args:
        kind: A `ChannelKind` or its value (``"phone"``, ``"email"``...).
        value: The input as typed.
        region: ISO 3166 country used to read phone numbers written
            without their country code (usually the customer's country).
        primary: The preferred channel of its kind (one per kind, CH-3).
        purpose: What the channel is for (work, home, billing, other).

    Raises:
        ValidationError: With every problem found (paths ``kind``,
            ``value``, ``region``, ``primary``, ``purpose``).

    .. versionadded:: 0.1.0
    """

    kind: ChannelKind
    #: The canonical value.
    value: str
    #: The input as typed (stripped).
    raw: str
    #: The region used to read a national phone number, if any.
    region: str | None
    primary: bool
    purpose: Purpose

    def __init__(
        self,
        kind: ChannelKind | str,
        value: str,
        *,
        region: str | None = None,
        primary: bool = False,
        purpose: Purpose | str = Purpose.WORK,
    ) -> None:
        c = Collector()
        self._build(
            c,
            kind=kind,
            value=value,
            raw=None,
            region=region,
            primary=primary,
            purpose=purpose,
        )
        c.raise_if_any()

    def _build(
        self,
        c: Collector,
        *,
        kind: object,
        value: object,
        raw: object,
        region: object,
        primary: object,
        purpose: object,
    ) -> None:
        kind_ = c.check("kind", choice, kind, ChannelKind)
        if region is not None:
            region = c.check("region", countries.validate, region)
        source = value if raw is None else raw
        canonical = None
        if kind_ is not None:
            canonical = c.check("value", _canonical, kind_, source, region)
            if raw is not None and not c and canonical != value:
                c.add(
                    "value",
                    "channel.value_mismatch",
                    value,
                    expected=canonical,
                )
        text = source.strip() if isinstance(source, str) else ""
        if text == canonical:
            text = canonical  # One string object, not two equal ones.
        self.__attrs_init__(
            kind_,
            canonical,
            text,
            sys.intern(region) if isinstance(region, str) else None,
            c.check("primary", boolean, primary),
            c.check("purpose", choice, purpose, Purpose),
        )

    @classmethod
    def from_data(
        cls,
        data: ChannelData | Mapping[str, object],
        *,
        region: str | None = None,
    ) -> CommunicationChannel:
        """
        Build a channel from plain data; *region* is the default region.

        Unknown keys are refused.
        """
        if not isinstance(data, Mapping):
            fail("invalid_type", data, expected="a channel")
        c = Collector()
        c.unknown_keys("", data, _KEYS)
        for key in ("kind", "value"):
            if key not in data:
                c.add(key, "required")
        obj = cls.__new__(cls)
        if not c:
            obj._build(  # noqa: SLF001 -- same class, before __init__.
                c,
                kind=data["kind"],
                value=data["value"],
                raw=data.get("raw"),
                region=data.get("region", region),
                primary=data.get("primary", False),
                purpose=data.get("purpose", Purpose.WORK),
            )
        c.raise_if_any()
        return obj

    def __repr__(self) -> str:
        flag = " primary" if self.primary else ""
        return f"<CommunicationChannel {self.kind.value} {self.value}{flag}>"


#: What methods taking channels accept: channels or their data.
ChannelInput: TypeAlias = CommunicationChannel | ChannelData


def parse_channels(
    c: Collector, path: str, items: object, region: str | None
) -> tuple[CommunicationChannel, ...]:
    """
    Read a list of channels or channel data; check CH-3 (one primary per
    kind).  Problems are recorded in *c* below *path*.
    """
    if items is None:
        return ()
    if isinstance(items, str | bytes | Mapping) or not isinstance(
        items, Iterable
    ):
        c.add(path, "invalid_type", items, expected="a list of channels")
        return ()
    out: list[CommunicationChannel] = []
    primaries: set[ChannelKind] = set()
    for i, item in enumerate(items):
        where = join(path, i)
        if isinstance(item, CommunicationChannel):
            channel: CommunicationChannel | None = item
        else:
            channel = c.check(
                where, CommunicationChannel.from_data, item, region=region
            )
        if channel is None:
            continue
        if channel.primary:
            if channel.kind in primaries:
                c.add(
                    join(where, "primary"),
                    "channel.duplicate_primary",
                    True,
                    kind=channel.kind.value,
                )
            primaries.add(channel.kind)
        out.append(channel)
    return tuple(out)


def first_of(
    channels: Iterable[CommunicationChannel], kind: ChannelKind
) -> CommunicationChannel | None:
    """Return the primary channel of *kind*, else the first, else None."""
    found = None
    for ch in channels:
        if ch.kind is kind:
            if ch.primary:
                return ch
            if found is None:
                found = ch
    return found
