# SPDX-License-Identifier: MIT
"""Persons: the contacts of a customer (SPEC PE-1..PE-6)."""

from __future__ import annotations

import datetime as dt
import uuid

from collections.abc import Callable, Iterable, Mapping
from typing import Any, Final, TypedDict

import attrs

from customer_domain._collect import Collector, fail
from customer_domain.exceptions import ValidationError
from customer_domain.model._base import (
    Entity,
    new_id,
    no_public_constructor,
    set_fields,
    trusted,
)
from customer_domain.model.channels import (
    ChannelInput,
    CommunicationChannel,
    first_of,
    parse_channels,
)
from customer_domain.model.enums import AffiliationKind, ChannelKind
from customer_domain.model.values import (
    Affiliation,
    DuplicateOverride,
    ExtraSchema,
    ExtraValue,
    read_extra,
)
from customer_domain.validation._fields import (
    LONG,
    choice,
    date,
    identity,
    text,
    texts,
)


__all__ = ["Person", "PersonChanges"]


class PersonChanges(TypedDict, total=False):
    """The editable fields of a person, for `Person.update`."""

    salutation: str
    first_name: str
    last_name: str
    job_title: str
    department: str
    functions: Iterable[str]
    location: str
    remark: str
    channels: Iterable[ChannelInput]
    extra: Mapping[str, object]


def _short(value: object) -> str:
    return text(value, max_length=100)


def _long(value: object) -> str:
    return text(value, max_length=LONG, multiline=True)


def _last_name(value: object) -> str:
    return text(value, required=True, max_length=100)


_CHECKS: Final[Mapping[str, Callable[[object], object]]] = {
    "salutation": _short,
    "first_name": _short,
    "last_name": _last_name,
    "job_title": _short,
    "department": _short,
    "functions": texts,
    "location": _short,
    "remark": _long,
}
#: The keys `read_person_fields` accepts.
PERSON_KEYS: Final = frozenset(PersonChanges.__annotations__)


def read_person_fields(
    c: Collector,
    data: Mapping[str, object],
    *,
    region: str | None,
    schema: ExtraSchema | None,
) -> dict[str, Any]:
    """
    Validate the person fields present in *data*; record problems in *c*.
    """
    if not data.keys() <= PERSON_KEYS:
        c.unknown_keys("", data, PERSON_KEYS)
    out: dict[str, Any] = {}
    for key, value in data.items():
        check = _CHECKS.get(key)
        if check is not None:
            try:
                out[key] = check(value)
            except ValidationError as e:
                c.merge(key, e)
        elif key == "channels":
            out[key] = parse_channels(c, key, value, region)
        elif key == "extra":
            out[key] = c.check(key, read_extra, value, schema)
    return out


@attrs.frozen(init=False, eq=False, repr=False, weakref_slot=False)
class Person(Entity):
    """
    A contact person of a customer (SPEC PE-1..PE-6).

    Persons are created by `Customer.add_person`, which also puts them in
    their contact types (PE-2); they are never deleted, only deactivated
    (PE-4).  A person is an aggregate of its own: editing it does not
    load its customer's other persons.

    Equality is identity: two `Person` objects are equal when their
    :attr:`id` is.

    .. versionadded:: 0.1.0
    """

    id: uuid.UUID
    customer_id: uuid.UUID
    last_name: str
    first_name: str
    salutation: str
    job_title: str
    department: str
    functions: tuple[str, ...]
    location: str
    #: Remarks visible to the contact.
    remark: str
    channels: tuple[CommunicationChannel, ...]
    active: bool
    #: Collaborations (PE-6) and past memberships (PE-5), BX-1.
    affiliations: tuple[Affiliation, ...]
    external_user_id: uuid.UUID | None
    extra: Mapping[str, ExtraValue]
    #: Set when the person was created despite potential duplicates.
    duplicate_override: DuplicateOverride | None
    version: int

    def __init__(self, *_: object, **__: object) -> None:
        no_public_constructor("Customer.add_person()")

    @classmethod
    def _new(
        cls,
        customer_id: uuid.UUID,
        fields: Mapping[str, Any],
        *,
        id: uuid.UUID | None = None,  # noqa: A002
    ) -> Person:
        person: Person = object.__new__(cls)
        get = fields.get
        person.__attrs_init__(
            id or new_id(),
            customer_id,
            fields["last_name"],
            get("first_name", ""),
            get("salutation", ""),
            get("job_title", ""),
            get("department", ""),
            get("functions", ()),
            get("location", ""),
            get("remark", ""),
            get("channels", ()),
            True,  # active
            (),  # affiliations
            None,  # external_user_id
            get("extra") or NO_EXTRA,
            None,  # duplicate_override
            0,  # version
        )
        return person

    def __repr__(self) -> str:
        state = "" if self.active else " inactive"
        return (
            f"<Person id={self.id} name={self.full_name!r}"
            f" customer={self.customer_id}{state}>"
        )

    @property
    def full_name(self) -> str:
        """First and last name, as one would write them."""
        return f"{self.first_name} {self.last_name}".strip()

    def channel(self, kind: ChannelKind | str) -> CommunicationChannel | None:
        """Return the primary channel of *kind*, else the first, else None."""
        return first_of(self.channels, choice(kind, ChannelKind))

    @property
    def email(self) -> str | None:
        """The canonical primary (else first) e-mail address, if any."""
        ch = first_of(self.channels, ChannelKind.EMAIL)
        return None if ch is None else ch.value

    def update(
        self,
        *,
        region: str | None = None,
        extra_schema: ExtraSchema | None = None,
        **changes: object,
    ) -> None:
        """
        Change some fields; all or nothing.

        Args:
            region: Default region for phone numbers given as data.
            extra_schema: The host's schema, to check ``extra``.
            changes: Fields of `PersonChanges`.

        Raises:
            ValidationError: With every problem; nothing is changed.
        """
        c = Collector()
        fields = read_person_fields(
            c, changes, region=region, schema=extra_schema
        )
        c.raise_if_any()
        set_fields(self, **fields)

    def add_channel(
        self, channel: ChannelInput, *, region: str | None = None
    ) -> CommunicationChannel:
        """
        Add a channel; a new primary one replaces the old primary of its
        kind (CH-3).

        Args:
            channel: A channel, or its data.
            region: Where to read a national phone number given as data
                (usually the customer's `Customer.country`).
        """
        if isinstance(channel, CommunicationChannel):
            new = channel
        else:
            new = CommunicationChannel.from_data(channel, region=region)
        channels = self.channels
        if new.primary:
            channels = tuple(
                _with_primary(ch, False) if ch.kind is new.kind else ch
                for ch in channels
            )
        set_fields(self, channels=(*channels, new))
        return new

    def _index(self, index: object) -> int:
        if not isinstance(index, int) or not (
            -len(self.channels) <= index < len(self.channels)
        ):
            fail("channel.index", index)
        return index

    def remove_channel(self, index: int) -> CommunicationChannel:
        """Remove and return the channel at *index*."""
        index = self._index(index)
        channels = list(self.channels)
        removed = channels.pop(index)
        set_fields(self, channels=tuple(channels))
        return removed

    def set_primary(self, index: int) -> None:
        """Make the channel at *index* the primary one of its kind (CH-3)."""
        chosen = self.channels[self._index(index)]
        channels = tuple(
            _with_primary(ch, ch is chosen) if ch.kind is chosen.kind else ch
            for ch in self.channels
        )
        set_fields(self, channels=channels)

    def collaborate_with(
        self,
        customer_id: uuid.UUID,
        *,
        role: str = "",
        valid_from: dt.date | str | None = None,
        valid_to: dt.date | str | None = None,
    ) -> Affiliation:
        """
        Let this person manage another customer too (PE-6), with a role and
        validity dates (BX-1).
        """
        c = Collector()
        customer_id = c.check("customer_id", identity, customer_id)
        c.raise_if_any()
        if customer_id == self.customer_id:
            fail("affiliation.own_customer", str(customer_id))
        link = Affiliation(
            customer_id=customer_id,
            kind=AffiliationKind.COLLABORATOR,
            role=role,
            valid_from=valid_from,
            valid_to=valid_to,
        )
        set_fields(self, affiliations=(*self.affiliations, link))
        return link

    def end_collaboration(
        self, customer_id: uuid.UUID, *, on: dt.date | str | None = None
    ) -> None:
        """End every active collaboration with *customer_id* on date *on*."""
        c = Collector()
        customer_id = c.check("customer_id", identity, customer_id)
        day = c.check("on", date, on) or dt.datetime.now(dt.UTC).date()
        c.raise_if_any()
        if not any(
            a.active and a.customer_id == customer_id
            for a in self.affiliations
        ):
            fail("affiliation.unknown", str(customer_id))
        set_fields(
            self, affiliations=_ended(self.affiliations, customer_id, day)
        )

    def customer_ids(self, on: dt.date | None = None) -> frozenset[uuid.UUID]:
        """
        The customers this person acts for on date *on*: its own and those
        it collaborates with (PE-6).
        """
        c = Collector()
        day = c.check("on", date, on) or dt.datetime.now(dt.UTC).date()
        c.raise_if_any()
        return frozenset(
            {self.customer_id}
            | {
                a.customer_id
                for a in self.affiliations
                if a.kind is AffiliationKind.COLLABORATOR and a.is_current(day)
            }
        )


#: The one empty mapping shared by records without extra fields
#: (typed read-only; a mappingproxy would not pickle).
NO_EXTRA: Final[Mapping[str, ExtraValue]] = {}


def _with_primary(
    ch: CommunicationChannel, primary: bool
) -> CommunicationChannel:
    if ch.primary is primary:
        return ch
    return trusted(
        CommunicationChannel,
        kind=ch.kind,
        value=ch.value,
        raw=ch.raw,
        region=ch.region,
        primary=primary,
        purpose=ch.purpose,
    )


def _ended(
    links: tuple[Affiliation, ...], customer_id: uuid.UUID, day: dt.date
) -> tuple[Affiliation, ...]:
    out = []
    for a in links:
        if a.active and a.customer_id == customer_id:
            end = a.valid_to if a.valid_to and a.valid_to < day else day
            start = a.valid_from
            if start is not None and start > end:
                start = end
            a = trusted(  # noqa: PLW2901 -- the ended copy replaces it.
                Affiliation,
                customer_id=a.customer_id,
                kind=a.kind,
                role=a.role,
                valid_from=start,
                valid_to=end,
                active=False,
            )
        out.append(a)
    return tuple(out)


def end_affiliations(
    person: Person, customer_id: uuid.UUID, day: dt.date
) -> tuple[Affiliation, ...]:
    """The person's affiliations with those to *customer_id* ended."""
    return _ended(person.affiliations, customer_id, day)
