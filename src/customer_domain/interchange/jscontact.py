# SPDX-License-Identifier: MIT
"""
Persons as JSContact cards, and cards as person records (RFC 9553,
BX-8).

A person becomes a ``Card`` object as RFC 9553 defines it, with the
properties RFC 9555 maps from the vCard that `person_to_vcard` writes,
so the two formats say the same thing.  Reading takes a card, a list of
cards, or their JSON text, and gives one `PersonRecord` per card, not
validated (the importer does that).  No extra is needed.

>>> from customer_domain.interchange.jscontact import read_jscontact
>>> card = {
...     "@type": "Card",
...     "version": "1.0",
...     "name": {
...         "components": [
...             {"kind": "given", "value": "Hélène"},
...             {"kind": "surname", "value": "Lefèvre"},
...         ]
...     },
...     "phones": {"p1": {"number": "tel:+33612345678",
...                       "features": {"mobile": True}}},
... }
>>> [record] = read_jscontact(card)
>>> record.fields["last_name"], record.fields["channels"][0]["value"]
('Lefèvre', '+33612345678')
"""

from __future__ import annotations

import json

from collections.abc import Iterator, Mapping
from typing import TYPE_CHECKING, Any, Final

from customer_domain.exceptions import Issue, ValidationError
from customer_domain.interchange._cards import (
    PURPOSES,
    check_customer,
    check_file,
    check_person,
    one_primary_per_kind,
    text_or_none,
)
from customer_domain.interchange.records import PersonRecord, Source
from customer_domain.model.enums import ChannelKind


if TYPE_CHECKING:
    from customer_domain.model.customer import Customer
    from customer_domain.model.person import Person


__all__ = [
    "MAX_JSON",
    "person_to_jscontact",
    "read_jscontact",
]

#: The largest JSON text `read_jscontact` parses (64 MiB).
MAX_JSON: Final = 64 * 1024 * 1024
#: The deepest nesting reported when JSON text is too deep to parse.
_MAX_DEPTH: Final = 32

_FEATURES: Final[Mapping[ChannelKind, dict[str, bool]]] = {
    ChannelKind.PHONE: {"voice": True},
    ChannelKind.MOBILE: {"mobile": True, "voice": True},
    ChannelKind.FAX: {"fax": True},
}
_CONTEXTS: Final = {"work": "work", "home": "private"}


def person_to_jscontact(
    person: Person, *, customer: Customer | None = None
) -> dict[str, Any]:
    """
    Return *person* as a JSContact ``Card`` (RFC 9553, BX-8).

    The card holds what `person_to_vcard` writes, mapped as RFC 9555
    says: ``uid`` (``urn:uuid:`` and the id), ``name`` (``components``
    title, given and surname; ``full``), ``organizations`` (the
    customer's name and the department as a unit), ``titles`` (the job
    title as kind ``title``, each function as kind ``role``),
    ``emails``, ``phones`` (``tel:`` URIs; ``features`` mobile, voice
    or fax) and ``links`` (web), with ``contexts`` work or private and
    ``pref`` 1 for the primary channel of its kind.  ``remark``,
    ``location`` and ``extra`` are not written.

    Args:
        person: The person.
        customer: Its customer, for ``organizations``.

    Raises:
        ValidationError: ``invalid_type`` for an argument of the wrong
            type.

    .. versionadded:: 0.1.0
    """
    person = check_person(person)
    customer = check_customer(customer)
    components = [
        {"kind": kind, "value": value}
        for kind, value in (
            ("title", person.salutation),
            ("given", person.first_name),
            ("surname", person.last_name),
        )
        if value
    ]
    card: dict[str, Any] = {
        "@type": "Card",
        "version": "1.0",
        "uid": f"urn:uuid:{person.id}",
        "kind": "individual",
        "name": {
            "components": components,
            "full": person.full_name or person.last_name,
        },
    }
    organization: dict[str, Any] = {}
    if customer is not None and customer.name:
        organization["name"] = customer.name
    if person.department:
        organization["units"] = [{"name": person.department}]
    if organization:
        card["organizations"] = {"o1": organization}
    titles: dict[str, Any] = {}
    if person.job_title:
        titles["t1"] = {"kind": "title", "name": person.job_title}
    for n, function in enumerate(person.functions, 1):
        titles[f"r{n}"] = {"kind": "role", "name": function}
    if titles:
        card["titles"] = titles
    groups: dict[str, dict[str, Any]] = {}
    for channel in person.channels:
        entry: dict[str, Any]
        if channel.kind is ChannelKind.EMAIL:
            group, entry = "emails", {"address": channel.value}
        elif channel.kind is ChannelKind.WEB:
            group, entry = "links", {"uri": channel.value}
        else:
            group = "phones"
            entry = {
                "number": f"tel:{channel.value}",
                "features": dict(_FEATURES[channel.kind]),
            }
        purpose = PURPOSES.get(channel.purpose)
        if purpose:
            entry["contexts"] = {_CONTEXTS[purpose]: True}
        if channel.primary:
            entry["pref"] = 1
        entries = groups.setdefault(group, {})
        entries[f"{group[0]}{len(entries) + 1}"] = entry
    card.update(groups)
    return card


def read_jscontact(
    data: Mapping[str, Any] | list[Any] | str | bytes,
    *,
    file: str = "cards.json",
) -> Iterator[PersonRecord]:
    """
    Read JSContact cards as person records (RFC 9553, BX-8).

    Mapped: ``name`` (``surname`` and ``surname2`` components: last
    name; ``given`` and ``given2``: first name; ``title``: salutation;
    without components, ``full`` as a vCard ``FN``), the first of
    ``organizations`` (name: `PersonRecord.customer_name`, first unit:
    department), ``titles`` (the first of kind ``title``: job title;
    kind ``role``: functions), ``emails``, ``phones`` (feature
    ``mobile``: mobile, ``fax``: fax, else phone; a ``tel:`` prefix is
    dropped), ``links`` (web) and ``notes`` (remark).  Context ``work``
    or ``private`` gives the purpose (else ``other``); ``pref`` 1 makes
    the first such channel of its kind primary.

    Each record's `Source` is ``(file, None, n)`` for the n-th card and
    its ``raw`` the card itself.  A value of the wrong type is a
    ``invalid_type`` problem of its record at its path
    (``emails.e1.address``); an object that is not a card gives a
    record with a ``jscontact.not_a_card`` problem.

    Args:
        data: A card, a list of cards, or the JSON text (str or bytes)
            of either.
        file: The file's name, for the records' `Source`.

    Raises:
        ValidationError: At the call: ``invalid_type`` for arguments of
            the wrong type or invalid JSON, ``document.too_large`` for a
            text over `MAX_JSON` characters, ``document.too_deep`` for
            JSON nested too deep to parse.

    .. versionadded:: 0.1.0
    """
    file = check_file(file)
    document: object = data
    if isinstance(document, str | bytes | bytearray):
        document = _parse(document)
    if isinstance(document, Mapping):
        cards: list[Any] | tuple[Any, ...] = [document]
    elif isinstance(document, list | tuple):
        cards = document
    else:
        raise ValidationError(
            [
                Issue(
                    "data",
                    "invalid_type",
                    data,
                    {"expected": "a JSContact card, a list of cards or JSON"},
                )
            ]
        )
    return _records(cards, file)


def _parse(text: str | bytes | bytearray) -> object:
    if len(text) > MAX_JSON:
        raise ValidationError(
            [
                Issue(
                    "data",
                    "document.too_large",
                    len(text),
                    {"max": str(MAX_JSON)},
                )
            ]
        )
    try:
        return json.loads(text)
    except RecursionError:
        raise ValidationError(
            [
                Issue(
                    "data", "document.too_deep", None, {"max": str(_MAX_DEPTH)}
                )
            ]
        ) from None
    except (TypeError, ValueError) as e:
        raise ValidationError(
            [Issue("data", "invalid_type", str(e), {"expected": "JSON"})]
        ) from None


def _records(
    cards: list[Any] | tuple[Any, ...], file: str
) -> Iterator[PersonRecord]:
    for number, card in enumerate(cards, 1):
        yield _record(card, Source(file, None, number))


class _Reader:
    """The fields, columns and problems of one card being read."""

    __slots__ = ("channels", "columns", "fields", "problems")

    def __init__(self) -> None:
        self.fields: dict[str, Any] = {}
        self.columns: dict[str, str] = {}
        self.problems: list[Issue] = []
        self.channels: list[dict[str, Any]] = []

    def wrong(self, path: str, value: object, expected: str) -> None:
        self.problems.append(
            Issue(path, "invalid_type", value, {"expected": expected})
        )

    def mapping(self, card: Mapping[Any, Any], path: str) -> Mapping[Any, Any]:
        value = card.get(path)
        if value is None:
            return {}
        if not isinstance(value, Mapping):
            self.wrong(path, value, "an object")
            return {}
        return value

    def text(self, value: object, path: str) -> str:
        if value is None:
            return ""
        text = text_or_none(value)
        if text is None:
            self.wrong(path, value, "a text")
            return ""
        return text.strip()

    def put(self, key: str, value: str, path: str) -> None:
        if value and key not in self.fields:
            self.fields[key] = value
            self.columns[key] = path

    def entries(
        self, card: Mapping[Any, Any], group: str
    ) -> Iterator[tuple[str, Mapping[Any, Any]]]:
        """The objects of a map property (``emails``...), with paths."""
        for key, value in self.mapping(card, group).items():
            # A key is shown as it is when it is short text; anything else
            # (a huge int included: str() refuses past 4,300 digits) by
            # its type.
            name = (
                key[:100]
                if type(key) is str
                else str(key)
                if type(key) is int and abs(key) < 10**100
                else type(key).__name__
            )
            path = f"{group}.{name}"
            if isinstance(value, Mapping):
                yield path, value
            else:
                self.wrong(path, value, "an object")


def _record(card: object, source: Source) -> PersonRecord:
    if not isinstance(card, Mapping):
        issue = Issue(
            "", "invalid_type", card, {"expected": "a JSContact card"}
        )
        return PersonRecord(source, problems=(issue,))
    kind = card.get("@type", "Card")
    if text_or_none(kind) != "Card":
        issue = Issue("@type", "jscontact.not_a_card", kind)
        return PersonRecord(source, raw=card, problems=(issue,))
    r = _Reader()
    _name(r, card)
    customer_name = _organization(r, card)
    _titles(r, card)
    for group, key in (
        ("emails", "address"),
        ("phones", "number"),
        ("links", "uri"),
    ):
        for path, entry in r.entries(card, group):
            _channel(r, group, path, entry, key)
    notes = [
        note
        for path, entry in r.entries(card, "notes")
        if (note := r.text(entry.get("note"), f"{path}.note"))
    ]
    if notes:
        r.fields["remark"] = "\n".join(notes)
        r.columns["remark"] = "notes"
    if r.channels:
        one_primary_per_kind(r.channels)
        r.fields["channels"] = r.channels
    return PersonRecord(
        source,
        fields=r.fields,
        customer_name=customer_name,
        columns=r.columns,
        raw=card,
        problems=tuple(r.problems),
    )


def _name(r: _Reader, card: Mapping[Any, Any]) -> None:
    name = r.mapping(card, "name")
    parts: dict[str, list[str]] = {}
    components = name.get("components")
    if components is not None and not isinstance(components, list | tuple):
        r.wrong("name.components", components, "a list")
        components = ()
    for i, component in enumerate(components or ()):
        path = f"name.components[{i}]"
        if not isinstance(component, Mapping):
            r.wrong(path, component, "an object")
            continue
        kind = text_or_none(component.get("kind"))
        value = r.text(component.get("value"), f"{path}.value")
        if kind is not None and value:
            parts.setdefault(kind, []).append(value)
    last = " ".join([*parts.get("surname", ()), *parts.get("surname2", ())])
    first = " ".join([*parts.get("given", ()), *parts.get("given2", ())])
    r.put("last_name", last, "name")
    r.put("first_name", first, "name")
    r.put("salutation", " ".join(parts.get("title", ())), "name")
    if not last and not first:
        full = r.text(name.get("full"), "name.full")
        last, comma, first = full.partition(",")
        r.put("last_name", last.strip() if comma else full, "name.full")
        r.put("first_name", first.strip(), "name.full")


def _organization(r: _Reader, card: Mapping[Any, Any]) -> str:
    for path, organization in r.entries(card, "organizations"):
        name = r.text(organization.get("name"), f"{path}.name")
        if name:
            r.columns["customer_name"] = path
        units = organization.get("units")
        if isinstance(units, list | tuple) and units:
            unit = units[0]
            if isinstance(unit, Mapping):
                r.put(
                    "department",
                    r.text(unit.get("name"), f"{path}.units[0].name"),
                    path,
                )
        elif units is not None and not isinstance(units, list | tuple):
            r.wrong(f"{path}.units", units, "a list")
        return name
    return ""


def _titles(r: _Reader, card: Mapping[Any, Any]) -> None:
    functions: list[str] = []
    for path, title in r.entries(card, "titles"):
        name = r.text(title.get("name"), f"{path}.name")
        if text_or_none(title.get("kind")) == "role":
            if name:
                functions.append(name)
                r.columns.setdefault("functions", "titles")
        else:
            r.put("job_title", name, path)
    if functions:
        r.fields["functions"] = functions


def _flags(r: _Reader, entry: Mapping[Any, Any], path: str) -> set[str]:
    """The keys set to true of a ``contexts`` or ``features`` object."""
    value = entry.get(path.rpartition(".")[2])
    if value is None:
        return set()
    if not isinstance(value, Mapping):
        r.wrong(path, value, "an object")
        return set()
    return {k for k, v in value.items() if type(k) is str and v is True}


def _channel(
    r: _Reader,
    group: str,
    path: str,
    entry: Mapping[Any, Any],
    key: str,
) -> None:
    value = r.text(entry.get(key), f"{path}.{key}")
    if not value:
        return
    if group == "emails":
        kind = "email"
    elif group == "links":
        kind = "web"
    else:
        features = _flags(r, entry, f"{path}.features")
        kind = (
            "mobile"
            if "mobile" in features
            else "fax"
            if "fax" in features
            else "phone"
        )
        if value[:4].lower() == "tel:":
            value = value[4:]
    contexts = _flags(r, entry, f"{path}.contexts")
    purpose = (
        "work"
        if "work" in contexts
        else "home"
        if "private" in contexts
        else "other"
    )
    pref = entry.get("pref")
    primary = type(pref) is int and pref == 1
    r.columns[f"channels[{len(r.channels)}]"] = path
    r.channels.append(
        {"kind": kind, "value": value, "purpose": purpose, "primary": primary}
    )
