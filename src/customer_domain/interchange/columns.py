# SPDX-License-Identifier: MIT
"""
The columns of a spreadsheet of customers and persons, derived from the
model, and the reading of one row of cells into model fields (IO-2).

Which columns exist follows `PersonChanges` and `CustomerChanges`: each
text, choice, boolean or date field is a column, a postal address is one
column per part, and channels are one column per kind (and a second one,
``email_2``...).  Only the headers' wording is kept by hand (in English
and French, with the other names real files use).

>>> [c.key for c in PERSON_COLUMNS][:4]
['customer_number', 'customer_name', 'contact_types', 'salutation']
>>> HEADERS = ("Nom", "Prénom", "Téléphone", "Courriel", "Âge")
>>> found = match_headers(HEADERS, PERSON_COLUMNS)
>>> [c.key if c else None for c in found.columns]
['last_name', 'first_name', 'phone', 'email', None]
>>> found.unknown
('Âge',)
"""

from __future__ import annotations

import collections.abc
import datetime as dt
import re
import typing

from collections.abc import Iterable, Mapping, Sequence
from typing import Any, Final, Literal

import attrs

from customer_domain._collect import Collector
from customer_domain.exceptions import Issue, ValidationError
from customer_domain.interchange._labels import LABELS
from customer_domain.interchange.records import PersonRecord, Source
from customer_domain.matching.normalize import fold_name
from customer_domain.model import (
    ChannelKind,
    CustomerChanges,
    PersonChanges,
    PostalAddress,
)
from customer_domain.validation import phones


__all__ = [
    "CUSTOMER_COLUMNS",
    "PERSON_COLUMNS",
    "Column",
    "HeaderMatch",
    "match_headers",
    "read_person_row",
]

Locale = Literal["en", "fr"]

#: How a column's cells are read.
ValueKind = Literal["text", "texts", "choice", "boolean", "date", "channel"]


@attrs.frozen
class Column:
    """
    One column of an import template or an export.

    Attributes:
        key: The field it holds: ``last_name``, ``address.city``,
            ``email_2`` (a second e-mail channel), ``customer_number``.
        kind: How cells are read: ``text``, ``texts`` (several values
            separated by ``;``), ``choice``, ``boolean``, ``date`` or
            ``channel``.
        required: Whether a row must give a value.
        choices: The accepted values of a ``choice`` column.

    .. versionadded:: 0.1.0
    """

    key: str
    kind: ValueKind = "text"
    required: bool = False
    choices: tuple[str, ...] = ()

    def header(self, locale: Locale = "en") -> str:
        """The column's header in *locale*."""
        en, fr, *_ = LABELS[self.key]
        return fr if locale == "fr" else en

    def help(self, locale: Locale = "en") -> str:
        """What to write in the column, in *locale*."""
        _, _, en, fr, _ = LABELS[self.key]
        return fr if locale == "fr" else en

    def names(self) -> tuple[str, ...]:
        """Every header this column answers to, folded."""
        en, fr, _, _, aliases = LABELS[self.key]
        words = (en, fr, self.key, self.key.replace(".", " "), *aliases)
        return tuple(dict.fromkeys(fold_header(w) for w in words))

    @property
    def channel_kind(self) -> ChannelKind | None:
        """The channel kind of a ``channel`` column."""
        if self.kind != "channel":
            return None
        return ChannelKind(self.key.removesuffix("_2"))


#: Fields of `PersonChanges` or `CustomerChanges` that have no column:
#: structures of many parts that a row cannot hold well.  A test checks
#: that every other field has one.
NOT_IN_COLUMNS: Final = frozenset(
    {
        "channels",  # one column per kind instead
        "extra",  # the host's own fields: given by the host's schema
        "billing_address",
        "delivery_address",
        "bank",
        "identifiers",
        "category_ids",
        "licenses",
        "terms",
        "number",  # a person has none; customers: see CUSTOMER_COLUMNS
    }
)


def _channel_columns() -> list[Column]:
    out: list[Column] = []
    for kind in ChannelKind:
        out.append(Column(kind.value, "channel"))
        out.append(Column(f"{kind.value}_2", "channel"))
    return out


_SEQUENCES: Final = (collections.abc.Iterable, tuple, list)


def _kind_of(tp: Any) -> tuple[ValueKind, tuple[str, ...]]:
    if typing.get_origin(tp) in _SEQUENCES:
        return "texts", ()
    args = [a for a in typing.get_args(tp) if a is not type(None)] or [tp]
    for arg in args:
        if isinstance(arg, type) and issubclass(arg, bool):
            return "boolean", ()
        if isinstance(arg, type) and issubclass(arg, dt.date):
            return "date", ()
        if isinstance(arg, type) and hasattr(arg, "__members__"):
            return "choice", tuple(m.value for m in arg)  # type: ignore[attr-defined]
    return "text", ()


def _columns(
    hints: Mapping[str, Any], required: frozenset[str]
) -> list[Column]:
    out: list[Column] = []
    for key, tp in hints.items():
        if key in NOT_IN_COLUMNS:
            continue
        if key == "address":
            out.extend(
                Column(f"address.{f.name}")
                for f in attrs.fields(PostalAddress)
            )
            continue
        kind, choices = _kind_of(tp)
        out.append(Column(key, kind, key in required, choices))
    return out


def _person_columns() -> tuple[Column, ...]:
    hints = typing.get_type_hints(PersonChanges)
    # The customer a row belongs to, and the contact types it is put in
    # (`Customer.add_person`'s arguments beside the person's fields).
    links = [
        Column("customer_number"),
        Column("customer_name"),
        Column("contact_types", "texts"),
    ]
    own = _columns(hints, frozenset({"last_name"}))
    return (*links, *own, *_channel_columns())


def _customer_columns() -> tuple[Column, ...]:
    hints = typing.get_type_hints(CustomerChanges)
    first = [Column("number"), Column("name", required=True)]
    rest = [c for c in _columns(hints, frozenset()) if c.key != "name"]
    return (*first, *rest, *_channel_columns())


#: The columns of a persons sheet: the customer link, the person's
#: fields, then one column per channel kind (two each).
PERSON_COLUMNS: Final = _person_columns()
#: The columns of a customers sheet.
CUSTOMER_COLUMNS: Final = _customer_columns()


# -- headers -----------------------------------------------------------------

#: Longest header read; longer ones are unknown columns.
MAX_HEADER: Final = 200


def fold_header(text: object) -> str:
    """
    A header folded for matching: accents, case, punctuation and spacing
    ignored, a trailing ``*`` (the template's "required" mark) dropped.

    >>> fold_header("  Téléphone*  ")
    'telephone'
    >>> fold_header("E-MAIL") == fold_header("e mail")
    True
    """
    if not isinstance(text, str) or len(text) > MAX_HEADER:
        return ""
    return fold_name(text.replace("*", " ").replace(".", " "))


@attrs.frozen
class HeaderMatch:
    """
    Which column each header of a sheet holds.

    Attributes:
        columns: One entry per header: its `Column`, or None.
        unknown: The headers no column answers to (reported, never
            silently dropped).
        missing: Required columns no header gives.
        repeated: Headers naming a column already given by an earlier
            header.

    .. versionadded:: 0.1.0
    """

    columns: tuple[Column | None, ...]
    unknown: tuple[str, ...]
    missing: tuple[Column, ...]
    repeated: tuple[str, ...]


def match_headers(
    header: Sequence[object],
    columns: Sequence[Column],
    mapping: Mapping[str, str] | None = None,
) -> HeaderMatch:
    """
    Match a sheet's *header* to *columns*, in English or French, case-
    and accent-insensitively; *mapping* maps a header (as written) to a
    column key and wins over the names.

    Raises:
        ValidationError: *mapping* names a column key that does not
            exist (path ``mapping.<header>``).
    """
    header, columns, mapping = _check_match_arguments(header, columns, mapping)
    by_key = {c.key: c for c in columns}
    by_name: dict[str, Column] = {}
    for each in columns:
        for name in each.names():
            by_name.setdefault(name, each)
    forced: dict[str, Column] = {}
    c = Collector()
    pairs: Iterable[tuple[object, object]] = (mapping or {}).items()
    for head, key in pairs:
        wanted = by_key.get(key) if isinstance(key, str) else None
        if wanted is None or not isinstance(head, str):
            c.add(
                f"mapping.{head}",
                "choice.invalid",
                key,
                choices=", ".join(by_key),
            )
        else:
            forced[fold_header(head)] = wanted
    c.raise_if_any()
    found: list[Column | None] = []
    unknown: list[str] = []
    repeated: list[str] = []
    seen: set[str] = set()
    for cell in header:
        head = _header_name(cell)
        folded = fold_header(head)
        column: Column | None = forced.get(folded) or by_name.get(folded)
        if column is None and "/" in head:
            # "Province / région": either part may name the column.
            parts = (fold_header(part) for part in head.split("/"))
            column = next((by_name[p] for p in parts if p in by_name), None)
        if column is not None and column.key in seen:
            repeated.append(head)
            column = None
        elif column is None and folded:
            unknown.append(head)
        if column is not None:
            seen.add(column.key)
        found.append(column)
    missing = tuple(c for c in columns if c.required and c.key not in seen)
    return HeaderMatch(tuple(found), tuple(unknown), missing, tuple(repeated))


#: Most columns a sheet may have (Excel's limit).
MAX_COLUMNS: Final = 16_384


def _sequence(
    c: Collector, path: str, value: object, expected: str
) -> tuple[object, ...]:
    """*value* as a tuple when it is a list or tuple of at most
    `MAX_COLUMNS` items; else an issue and ``()``."""
    if not isinstance(value, list | tuple):
        c.add(path, "invalid_type", value, expected=expected)
        return ()
    if len(value) > MAX_COLUMNS:
        c.add(path, "number.too_large", len(value), max=str(MAX_COLUMNS))
        return ()
    return tuple(value)


def _check_match_arguments(
    header: object, columns: object, mapping: object
) -> tuple[tuple[object, ...], tuple[Column, ...], Mapping[str, str]]:
    c = Collector()
    heads = _sequence(c, "header", header, "a list of headers")
    cols = _sequence(c, "columns", columns, "a list of columns")
    if not all(isinstance(col, Column) for col in cols):
        c.add("columns", "invalid_type", None, expected="a list of columns")
    pairs: dict[str, str] = {}
    if mapping is not None:
        if not isinstance(mapping, Mapping) or len(mapping) > MAX_COLUMNS:
            c.add(
                "mapping",
                "invalid_type",
                None,
                expected="headers mapped to column keys",
            )
        else:
            for head, key in mapping.items():
                if not isinstance(head, str) or not isinstance(key, str):
                    c.add(
                        "mapping",
                        "invalid_type",
                        None,
                        expected="headers mapped to column keys",
                    )
                    break
                pairs[head] = key
    c.raise_if_any()
    return heads, cols, pairs  # type: ignore[return-value]


# -- cells -------------------------------------------------------------------

_TRUE: Final = frozenset({"yes", "y", "true", "1", "x", "oui", "o", "vrai"})
_FALSE: Final = frozenset({"no", "n", "false", "0", "non", "faux", ""})
#: A number Excel wrote in scientific notation: its digits are lost.
_SCIENTIFIC: Final = re.compile(r"^\s*[+-]?\d+(?:[.,]\d+)?[eE][+-]?\d+\s*$")
#: What a reader gives as a cell.
_CELL_TYPES: Final = (
    str,
    int,
    float,
    bool,
    dt.date,
    dt.datetime,
    dt.time,
    dt.timedelta,
)
_HUGE: Final = 10**30
#: What `neutralize` protects with a quote.
_FORMULA_START: Final = frozenset("=+-@\t\r")
_DIGITS: Final = re.compile(r"^\d{6,15}$")
_PHONE_KINDS: Final = frozenset(
    {ChannelKind.PHONE, ChannelKind.MOBILE, ChannelKind.FAX}
)
_PHONE_VALUES: Final = frozenset(k.value for k in _PHONE_KINDS)


def cell_text(value: object) -> str:  # noqa: PLR0911 -- one per type.
    """
    A cell as text: numbers without a spurious ``.0``, dates in ISO
    form, None as ``""``.

    >>> cell_text(612345678.0), cell_text(dt.date(2026, 1, 31))
    ('612345678', '2026-01-31')
    """
    if value is None:
        return ""
    if not isinstance(value, _CELL_TYPES):
        raise ValidationError(
            (Issue("", "invalid_type", value, {"expected": "a cell"}),)
        )
    if isinstance(value, int) and not isinstance(value, bool):
        if abs(value) >= _HUGE:
            raise ValidationError(
                (Issue("", "number.too_large", None, {"max": "1e30"}),)
            )
        return str(value)
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, float):
        if value.is_integer() and abs(value) < 1e17:  # noqa: PLR2004
            return str(int(value))
        return repr(value)
    if isinstance(value, dt.datetime) and value.time() == dt.time():
        return value.date().isoformat()
    if isinstance(value, dt.date | dt.time):
        return value.isoformat()
    if isinstance(value, str):
        text = value.strip()
        # A CSV export neutralised a formula-like text with a quote
        # (OWASP): reading it back removes that quote.
        if text[:1] == "'" and text[1:2] in _FORMULA_START:
            return text[1:]
        return text
    return str(value)


def phone_text(value: object, region: str | None) -> str:
    """
    A phone cell as text, mending what spreadsheets do to numbers: a
    number cell lost its leading ``0`` or ``+``; it is read as a national
    number, and else as an international one (``33612345678`` is
    ``+33612345678``).

    Raises:
        ValidationError: ``phone.scientific`` for a number written in
            scientific notation (its last digits are lost).
    """
    c = Collector()
    _check_region(c, region)
    c.raise_if_any()
    text = cell_text(value)
    if _SCIENTIFIC.match(text):
        raise ValidationError((Issue("", "phone.scientific", text),))
    numeric = isinstance(value, int | float) and not isinstance(value, bool)
    if (numeric or _DIGITS.match(text)) and _DIGITS.match(text):
        if phones.is_valid(text, region=region):
            return text
        if phones.is_valid(f"+{text}"):
            return f"+{text}"
        if phones.is_valid(f"0{text}", region=region):
            return f"0{text}"
    return text


def boolean_cell(value: object) -> bool:
    """
    A yes/no cell: yes, oui, true, x, 1 (and their opposites, or empty).

    Raises:
        ValidationError: ``invalid_type`` for anything else.
    """
    if isinstance(value, bool):
        return value
    folded = fold_header(cell_text(value))
    if folded in _TRUE:
        return True
    if folded in _FALSE:
        return False
    raise ValidationError(
        (Issue("", "invalid_type", value, {"expected": "yes or no"}),)
    )


def texts_cell(value: object) -> list[str]:
    """Several values in one cell, separated by ``;`` or line breaks."""
    return [
        part.strip()
        for part in re.split(r"[;\n]", cell_text(value))
        if part.strip()
    ]


# -- rows --------------------------------------------------------------------


def read_person_row(
    cells: Sequence[object],
    match: HeaderMatch,
    source: Source,
    *,
    header: Sequence[object] = (),
    region: str | None = None,
) -> PersonRecord:
    """
    One row of a persons sheet as a `PersonRecord` (values not yet
    validated: the importer does that through the model).

    Args:
        cells: The row's cells, in the header's order.
        match: The sheet's `match_headers` result.
        source: Where the row is.
        header: The headers as written (for ``raw`` and ``columns``).
        region: Default region for mending numeric phone cells.
    """
    c = Collector()
    cells = _sequence(c, "cells", cells, "a list of cells")
    header = _sequence(c, "header", header, "a list of headers")
    given: object = match
    if not isinstance(given, HeaderMatch):
        c.add("match", "invalid_type", given, expected="a header match")
    if not isinstance(source, Source):
        c.add("source", "invalid_type", source, expected="a source")
    _check_region(c, region)
    c.raise_if_any()
    return RowPlan(match, header, region).read(cells, source)


class RowPlan:
    """
    How the rows of one persons sheet are read: worked out once from the
    header, then applied to each row (`read_person_row` for one row).
    """

    def __init__(
        self,
        match: HeaderMatch,
        header: Sequence[object],
        region: str | None,
    ) -> None:
        names = [_header_name(h) for h in header]
        self.region = region
        self.width = len(match.columns)
        self.slots: list[tuple[int, Column, str, str | None]] = []
        self.columns: dict[str, str] = {}
        for i, column in enumerate(match.columns):
            if column is None:
                continue
            heading = names[i] if i < len(names) else column.key
            kind = column.channel_kind
            self.slots.append(
                (i, column, heading, None if kind is None else kind.value)
            )
            self.columns.setdefault(column.key, heading)
        for key in ("customer_number", "customer_name"):
            self.columns.setdefault(key, _heading(match, names, key))
        # The error file writes the row back under the same headers: a
        # header given twice keeps both cells.
        seen: set[str] = set()
        self.raw_keys: list[str] = []
        for i, name in enumerate(names):
            key = name if name and name not in seen else f"{name} ({i + 1})"
            seen.add(key)
            self.raw_keys.append(key)

    def read(self, cells: Sequence[object], source: Source) -> PersonRecord:
        """One row's `PersonRecord`."""
        fields: dict[str, Any] = {}
        columns = dict(self.columns)
        problems: list[Issue] = []
        channels: list[dict[str, str]] = []
        number = name = ""
        count = len(cells)
        for i, column, heading, kind in self.slots:
            if i >= count:
                break
            value = cells[i]
            if value is None or value == "":
                continue
            key = column.key
            try:
                if kind is not None:
                    text = (
                        phone_text(value, self.region)
                        if kind in _PHONE_VALUES
                        else cell_text(value)
                    )
                    if text:
                        columns[f"channels[{len(channels)}]"] = heading
                        channels.append({"kind": kind, "value": text})
                elif key == "customer_number":
                    number = cell_text(value)
                elif key == "customer_name":
                    name = cell_text(value)
                elif column.kind == "texts":
                    values = texts_cell(value)
                    if values:
                        fields[key] = values
                else:
                    text = cell_text(value)
                    if text:
                        fields[key] = text
            except ValidationError as e:
                # A cell that cannot even be read: reported at its column.
                problems.extend(issue.prefixed(key) for issue in e.issues)
        if channels:
            fields["channels"] = channels
        keys = self.raw_keys
        raw = {
            (keys[i] if i < len(keys) else f"({i + 1})"): cells[i]
            for i in range(count)
        }
        return PersonRecord(
            source,
            fields,
            customer_number=number,
            customer_name=name,
            columns=columns,
            raw=raw,
            problems=tuple(problems),
        )


def _header_name(cell: object) -> str:
    """A header as text ("" for what no header can be)."""
    try:
        return cell_text(cell)[:MAX_HEADER]
    except ValidationError:
        return ""


def _check_region(c: Collector, region: object) -> None:
    if region is not None and not (
        isinstance(region, str) and len(region) == 2 and region.isascii()  # noqa: PLR2004
    ):
        c.add("region", "invalid_type", region, expected="a region: FR, CA...")


def _heading(match: HeaderMatch, names: Sequence[str], key: str) -> str:
    for i, column in enumerate(match.columns):
        if column is not None and column.key == key and i < len(names):
            return names[i]
    return LABELS[key][0]
