# SPDX-License-Identifier: MIT
"""Communication channels: phones, mobiles, faxes, e-mails, web URLs."""

from __future__ import annotations

import sys

from collections.abc import Iterable, Mapping
from typing import Final, NotRequired, Required, TypeAlias, TypedDict

import attrs

from customer_domain._collect import Collector, fail, join
from customer_domain.exceptions import ValidationError
from customer_domain.model.enums import ChannelKind, Purpose
from customer_domain.validation import countries, emails, phones, urls
from customer_domain.validation._fields import (
    boolean,
    choice,
    has_control_characters,
)
from customer_domain.validation._fields import items as list_items
from customer_domain.validation._iso import COUNTRIES


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


_KINDS: Final = {k.value: k for k in ChannelKind}


def _canonical(kind: ChannelKind, raw: object, region: str | None) -> str:
    """The canonical value of *raw* for a channel of *kind*, or raise."""
    if kind is ChannelKind.EMAIL:
        return emails.validate(raw)
    if kind is ChannelKind.MOBILE:
        return phones.validate(raw, region=region, mobile=True)
    if kind is ChannelKind.WEB:
        return urls.validate(raw)
    return phones.validate(raw, region=region)


@attrs.frozen(init=False, repr=False, weakref_slot=False)
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
        self._build(c, kind, value, None, region, primary, purpose)
        c.raise_if_any()

    def _build(  # noqa: PLR0917 -- positional: this is the hot path.
        self,
        c: Collector,
        kind: object,
        value: object,
        raw: object,
        region: object,
        primary: object,
        purpose: object,
    ) -> None:
        # This is the hot path of validated construction: values already of
        # the right type skip their checks, and the only costly call is the
        # one to phonenumbers, email-validator or the URL check.
        kind_ = _KINDS.get(kind) if type(kind) is str else None
        if kind_ is None:
            kind_ = (
                kind
                if type(kind) is ChannelKind
                else c.check("kind", choice, kind, ChannelKind)
            )
        if region is not None and (
            type(region) is not str or region not in COUNTRIES
        ):
            region = c.check("region", countries.validate, region)
        source = value if raw is None else raw
        canonical = ""
        if kind_ is not None:
            try:
                canonical = _canonical(kind_, source, region)
            except ValidationError as e:
                c.merge("value", e)
            else:
                if raw is not None and canonical != value:
                    c.add(
                        "value",
                        "channel.value_mismatch",
                        value,
                        expected=canonical,
                    )
        text = source.strip() if isinstance(source, str) else ""
        if text == canonical:
            text = canonical  # One string object, not two equal ones.
        elif not text.isprintable() and has_control_characters(text):
            # The raw input is kept for display: no NUL, controls or
            # lone surrogates, whatever the parser skipped.
            c.add("value", "text.control_characters", text)
        self.__attrs_init__(
            kind_,
            canonical,
            text,
            sys.intern(region) if isinstance(region, str) else None,
            primary
            if primary is False or primary is True
            else c.check("primary", boolean, primary),
            purpose
            if type(purpose) is Purpose
            else c.check("purpose", choice, purpose, Purpose),
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
        if type(data) is not dict and not isinstance(data, Mapping):
            fail("invalid_type", data, expected="a channel")
        c = Collector()
        if not data.keys() <= _KEYS:
            c.unknown_keys("", data, _KEYS)
        if "kind" not in data or "value" not in data:
            for key in ("kind", "value"):
                if key not in data:
                    c.add(key, "required")
        obj = cls.__new__(cls)
        if not c:
            obj._build(  # noqa: SLF001 -- same class, before __init__.
                c,
                data["kind"],
                data["value"],
                data.get("raw"),
                data.get("region", region),
                data.get("primary", False),
                data.get("purpose", Purpose.WORK),
            )
        c.raise_if_any()
        return obj

    def __repr__(self) -> str:
        flag = " primary" if self.primary else ""
        return f"<CommunicationChannel {self.kind.value} {self.value}{flag}>"


#: Most channels a person or a customer has (CH-3).
MAX_CHANNELS: Final = 100

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
    if type(items) is not list or len(items) > MAX_CHANNELS:
        items = c.check(
            path,
            list_items,
            items,
            expected="a list of channels",
            limit=MAX_CHANNELS,
        )
        if items is None:
            return ()
    out: list[CommunicationChannel] = []
    primaries: set[ChannelKind] = set()
    from_data = CommunicationChannel.from_data
    # The common form input, {"kind": ..., "value": ...}, takes a short
    # path (validated construction is dominated by it); anything else, or
    # any problem, goes through `from_data` for the full checks and paths.
    quick_region: str | bool | None = False
    if region is None:
        quick_region = None
    elif type(region) is str and region in COUNTRIES:
        quick_region = sys.intern(region)
    for i, item in enumerate(items):
        if type(item) is CommunicationChannel:
            channel = item
        elif (
            quick_region is not False
            and type(item) is dict
            and len(item) == 2  # noqa: PLR2004 -- just kind and value.
            and (quick := _quick(item, quick_region)) is not None  # type: ignore[arg-type]
        ):
            channel = quick
        else:
            try:
                channel = from_data(item, region=region)
            except ValidationError as e:
                c.merge(join(path, i), e)
                continue
        if channel.primary:
            if channel.kind in primaries:
                c.add(
                    join(join(path, i), "primary"),
                    "channel.duplicate_primary",
                    True,
                    kind=channel.kind.value,
                )
            primaries.add(channel.kind)
        out.append(channel)
    return tuple(out)


def _quick(
    item: dict[str, object], region: str | None
) -> CommunicationChannel | None:
    """A valid channel from ``{"kind": ..., "value": ...}``, or None."""
    kind = item.get("kind")
    value = item.get("value")
    if type(kind) is not str or type(value) is not str:
        return None
    kind_ = _KINDS.get(kind)
    if kind_ is None or kind_ is ChannelKind.WEB:
        return None
    try:
        canonical = _canonical(kind_, value, region)
    except ValidationError:
        return None
    raw = value.strip()
    if raw != canonical and not raw.isprintable():
        return None  # The full path reports control characters.
    channel: CommunicationChannel = object.__new__(CommunicationChannel)
    channel.__attrs_init__(
        kind_,
        canonical,
        canonical if raw == canonical else raw,
        region,
        False,  # primary
        Purpose.WORK,
    )
    return channel


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
