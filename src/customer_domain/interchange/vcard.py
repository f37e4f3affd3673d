# SPDX-License-Identifier: MIT
"""
Persons as vCards, and vCards as person records (IO-3, BX-8).

Writing gives vCard 4.0 (RFC 6350) or 3.0 (RFC 2426); reading takes the
2.1, 3.0 and 4.0 cards that phones, mail clients and address books
write, many to a file.  `vobject <https://pypi.org/project/vobject/>`_
does the content lines, escaping and folding: install the ``vcard``
extra (``pip install 'customer-domain[vcard]'``).

The reader maps and does not validate: each card becomes a
`PersonRecord` that the importer checks through the model.  It streams:
the input is cut into cards line by line, so memory stays bounded by
the largest card kept, whatever the file's size; pictures and other
binary properties are dropped as they are read.

>>> from customer_domain.interchange.vcard import read_vcards
>>> text = "BEGIN:VCARD\\r\\nVERSION:3.0\\r\\nN:Lefèvre;Hélène;;Mme;\\r\\n"
>>> text += "TEL;TYPE=CELL,VOICE,pref:+33612345678\\r\\nEND:VCARD\\r\\n"
>>> [record] = read_vcards(text, file="contacts.vcf")
>>> record.fields["last_name"], record.fields["channels"][0]["kind"]
('Lefèvre', 'mobile')
>>> record.source.where()
'contacts.vcf, row 1'
"""

from __future__ import annotations

import codecs
import io
import os
import unicodedata
import zipfile

from collections.abc import Iterable, Iterator, Mapping
from pathlib import Path
from typing import TYPE_CHECKING, Any, BinaryIO, Final

from customer_domain.exceptions import Issue, ValidationError
from customer_domain.interchange._cards import (
    MAX_RAW,
    PURPOSES,
    check_customer,
    check_customers,
    check_file,
    check_person,
    customer_of,
    iterate,
    one_primary_per_kind,
)
from customer_domain.interchange.records import PersonRecord, Source
from customer_domain.model.enums import ChannelKind


if TYPE_CHECKING:
    from types import ModuleType

    from customer_domain.model.customer import Customer
    from customer_domain.model.person import Person


__all__ = [
    "MAX_CARD",
    "MAX_LINE",
    "person_to_vcard",
    "read_vcards",
    "write_vcard_zip",
    "write_vcards",
]

#: The longest physical line read (64 KiB); a longer line of a property
#: the reader maps is dropped with a ``vcard.too_large`` issue, a longer
#: picture is dropped silently.
MAX_LINE: Final = 64 * 1024
#: The most characters of mapped properties one card may hold (256 KiB);
#: a larger card gives a record with a ``vcard.too_large`` issue only.
MAX_CARD: Final = 256 * 1024

_VERSIONS: Final = ("3.0", "4.0")
_CHUNK: Final = 64 * 1024
#: The properties the reader maps; every other line is dropped before
#: vobject sees the card (pictures, keys, X- properties, addresses...).
_MAPPED: Final = frozenset(
    {
        "VERSION",
        "N",
        "FN",
        "ORG",
        "TITLE",
        "ROLE",
        "EMAIL",
        "TEL",
        "URL",
        "NOTE",
    }
)
_PHONE_TYPES: Final[Mapping[ChannelKind, tuple[str, ...]]] = {
    ChannelKind.PHONE: ("voice",),
    ChannelKind.MOBILE: ("cell", "voice"),
    ChannelKind.FAX: ("fax",),
}
_MAX_STEM: Final = 60
#: Names Windows refuses for a file, whatever the extension.
_RESERVED: Final = frozenset(
    {"con", "prn", "aux", "nul"}
    | {f"com{i}" for i in range(10)}
    | {f"lpt{i}" for i in range(10)}
)
#: Zip entries get a fixed date: the same persons give the same bytes.
_ZIP_DATE: Final = (1980, 1, 1, 0, 0, 0)


def _vobject() -> ModuleType:
    try:
        import vobject  # noqa: PLC0415 -- optional: the ``vcard`` extra.
    except ImportError as e:
        msg = (
            "vCard support needs the vcard extra: "
            "pip install 'customer-domain[vcard]'"
        )
        raise ImportError(msg) from e
    module: ModuleType = vobject
    return module


# -- writing ---------------------------------------------------------------


def person_to_vcard(
    person: Person,
    *,
    customer: Customer | None = None,
    version: str = "4.0",
) -> str:
    """
    Return one vCard for *person* (IO-3, BX-8), lines ending in CRLF.

    Written: ``N`` (last name; first name; ; salutation;), ``FN`` (first
    and last name), ``ORG`` (*customer*'s name; the department), one
    ``ROLE`` per function, ``TITLE`` (job title), ``EMAIL``, ``TEL`` and
    ``URL`` from the channels and ``UID`` (``urn:uuid:`` and the
    person's id).  Channels say their purpose as ``TYPE=work`` or
    ``TYPE=home`` (billing and other have none) and their kind as
    ``TYPE=cell,voice`` (mobile), ``voice`` (phone) or ``fax``; the
    primary one of its kind has ``PREF=1`` (4.0) or ``TYPE=pref``
    (3.0).  In 4.0 phone numbers are ``tel:`` URIs (``VALUE=uri``), as
    RFC 6350 recommends; in 3.0 they are text.

    Not written: ``remark`` (internal notes stay in the application),
    ``location`` (no vCard property holds it) and ``extra``.

    Args:
        person: The person.
        customer: Its customer, for ``ORG``; without one, ``ORG`` only
            holds the department, if any.
        version: ``"4.0"`` (RFC 6350) or ``"3.0"`` (RFC 2426).

    Raises:
        ValidationError: ``invalid_type`` for an argument of the wrong
            type, ``choice.invalid`` for another version.
        ImportError: The ``vcard`` extra is not installed.

    .. versionadded:: 0.1.0
    """
    person = check_person(person)
    customer = check_customer(customer)
    version = _check_version(version)
    return _card(_vobject(), person, customer, version)


def write_vcards(
    persons: Iterable[Person],
    *,
    customers: Mapping[Any, Customer] | None = None,
    version: str = "4.0",
) -> str:
    """
    Return the vCards of *persons*, one after the other (IO-3).

    Args:
        persons: The persons, in the order of the file.
        customers: Customers by id, for ``ORG``: each person's
            `Person.customer_id` is looked up.
        version: ``"4.0"`` or ``"3.0"``.

    Raises:
        ValidationError: ``invalid_type`` at ``persons[i]`` (or
            ``customers...``) for a value of the wrong type.

    .. versionadded:: 0.1.0
    """
    table = check_customers(customers)
    version = _check_version(version)
    vobject = _vobject()
    return "".join(
        _card(vobject, person, customer_of(table, person), version)
        for person in iterate(persons)
    )


def write_vcard_zip(
    target: str | os.PathLike[str] | BinaryIO,
    persons: Iterable[Person],
    *,
    customers: Mapping[Any, Customer] | None = None,
    version: str = "4.0",
) -> int:
    """
    Write a zip archive with one ``.vcf`` file per person; return how
    many (IO-3).

    Each card is compressed and written as it is made: the archive is
    never held in memory, so *persons* may be a generator over a large
    store.  File names are the person's name, safe on every system:
    accents dropped, letters and digits kept, everything else ``_``, at
    most 60 characters, never empty (``contact``), never a reserved
    Windows name, unique without regard to case (``-2``, ``-3``...).

    Args:
        target: A path, or a binary file object open for writing.
        persons: The persons.
        customers: Customers by id, for ``ORG``.
        version: ``"4.0"`` or ``"3.0"``.

    Raises:
        ValidationError: As `write_vcards`; a file at *target* is then
            removed.

    .. versionadded:: 0.1.0
    """
    is_path = isinstance(target, str | os.PathLike)
    try:
        writable = is_path or callable(target.write)  # type: ignore[union-attr]
    except Exception:  # noqa: BLE001 -- any object without a write method.
        writable = False
    if not writable or (isinstance(target, str) and "\x00" in target):
        raise ValidationError(
            [
                Issue(
                    "target",
                    "invalid_type",
                    target,
                    {"expected": "a path or a binary file"},
                )
            ]
        )
    table = check_customers(customers)
    version = _check_version(version)
    vobject = _vobject()
    count = 0
    try:
        with zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED) as archive:
            used: set[str] = set()
            for person in iterate(persons):
                card = _card(
                    vobject, person, customer_of(table, person), version
                )
                info = zipfile.ZipInfo(_file_name(person, used), _ZIP_DATE)
                info.compress_type = zipfile.ZIP_DEFLATED
                with archive.open(info, "w") as entry:
                    entry.write(card.encode("utf-8"))
                count += 1
    except ValidationError:
        if is_path:
            Path(target).unlink()  # type: ignore[arg-type]
        raise
    return count


def _check_version(version: object) -> str:
    if type(version) is not str:
        raise ValidationError(
            [Issue("version", "invalid_type", version, {"expected": "a text"})]
        )
    if version not in _VERSIONS:
        raise ValidationError(
            [
                Issue(
                    "version",
                    "choice.invalid",
                    version,
                    {"choices": ", ".join(_VERSIONS)},
                )
            ]
        )
    return version


def _card(
    vobject: ModuleType,
    person: Person,
    customer: Customer | None,
    version: str,
) -> str:
    card = vobject.vCard()
    _put(card, "version", version)
    _put(card, "uid", f"urn:uuid:{person.id}")
    name = vobject.vcard.Name(
        family=person.last_name,
        given=person.first_name,
        prefix=person.salutation,
    )
    _put(card, "n", name)
    _put(card, "fn", person.full_name or person.last_name)
    organization = customer.name if customer is not None else ""
    if organization or person.department:
        units = [person.department] if person.department else []
        _put(card, "org", [organization, *units])
    if person.job_title:
        _put(card, "title", person.job_title)
    for function in person.functions:
        _put(card, "role", function)
    for channel in person.channels:
        types: list[str] = []
        if channel.kind is ChannelKind.EMAIL:
            line = _put(card, "email")
            line.value = channel.value
        elif channel.kind is ChannelKind.WEB:
            line = _put(card, "url")
            line.value = channel.value
        else:
            line = _put(card, "tel")
            types.extend(_PHONE_TYPES[channel.kind])
            if version == "4.0":
                line.value = f"tel:{channel.value}"
                line.params["VALUE"] = ["uri"]
            else:
                line.value = channel.value
        purpose = PURPOSES.get(channel.purpose)
        if purpose:
            types.append(purpose)
        if channel.primary:
            if version == "4.0":
                line.params["PREF"] = ["1"]
            else:
                types.append("pref")
        if types:
            line.params["TYPE"] = types
    text: str = card.serialize()
    return text


def _put(card: Any, name: str, value: object = None) -> Any:
    """Add a *name* line to *card* (with *value*, if given); return it."""
    line = card.add(name)
    if value is not None:
        line.value = value
    return line


def _file_name(person: Person, used: set[str]) -> str:
    """A safe, unique ``.vcf`` name for *person*; remembered in *used*."""
    name = person.full_name or person.last_name
    folded = unicodedata.normalize("NFKD", name)
    chars = []
    for ch in folded:
        if unicodedata.combining(ch):
            continue
        chars.append(ch if ch.isascii() and ch.isalnum() else "_")
    stem = "_".join(filter(None, "".join(chars).split("_")))[:_MAX_STEM]
    stem = stem.strip("_") or "contact"
    if stem.lower() in _RESERVED:
        stem += "_"
    candidate, n = stem, 1
    while candidate.lower() in used:
        n += 1
        candidate = f"{stem}-{n}"
    used.add(candidate.lower())
    return f"{candidate}.vcf"


# -- reading ---------------------------------------------------------------


def read_vcards(
    data: str | bytes | Any, *, file: str = "cards.vcf"
) -> Iterator[PersonRecord]:
    """
    Read the cards of a vCard file as person records (IO-3, BX-8).

    Takes vCard 2.1, 3.0 and 4.0 as phones and mail clients write them:
    folded lines, quoted-printable values with soft line breaks and a
    ``CHARSET``, 2.1's bare parameters (``TEL;CELL;VOICE:``), type
    lists (``TYPE=work,voice``, ``TYPE="cell,voice"``), grouped
    properties (``item1.TEL``).  Bytes are read as UTF-8 (with or
    without a byte-order mark) or UTF-16 (with one); a line that is not
    UTF-8 is read as Windows-1252.

    Mapped: ``N`` (family; given and additional names; ;prefix as the
    salutation), ``FN`` when ``N`` gives no name (all of it is the last
    name, or ``Last, First`` when it has a comma), ``ORG`` (first
    component: `PersonRecord.customer_name`; second: the department),
    ``TITLE`` (job title), ``ROLE`` (functions), ``EMAIL``, ``TEL``
    (``cell``: mobile, ``fax``: fax, else phone), ``URL`` (web) and
    ``NOTE`` (remark).  ``TYPE=work`` and ``home`` give the purpose
    (else ``other``); ``PREF`` or ``TYPE=pref`` make the first such
    channel of its kind primary.  Everything else is ignored, pictures
    included.  Values are not validated: the importer does that.

    Each record's `Source` is ``(file, None, n)`` for the n-th card,
    its ``raw`` the card's text (at most 64 KiB) and its ``columns``
    the property each field came from.  A card that cannot be read
    gives a record with ``problems``: ``vcard.unreadable``,
    ``vcard.too_large`` (a line over `MAX_LINE` or a card over
    `MAX_CARD`) or ``vcard.truncated`` (no ``END:VCARD``); the
    following cards still come through.

    Args:
        data: The file's text or bytes, or a text or binary file
            object, read in chunks.
        file: The file's name, for the records' `Source`.

    Raises:
        ValidationError: ``invalid_type`` for an argument of the wrong
            type (checked at the call, before the first record).
        OSError: What the file object raises.
        ImportError: The ``vcard`` extra is not installed.

    .. versionadded:: 0.1.0
    """
    file = check_file(file)
    chunks = _chunks(data)
    vobject = _vobject()
    return _records(vobject, _lines(chunks), file)


def _chunks(data: object) -> Iterator[str | bytes]:
    """The input in chunks of at most `_CHUNK` characters or bytes."""
    if isinstance(data, str | bytes):
        return _slices(data)
    if isinstance(data, bytearray | memoryview):
        return _slices(bytes(data))
    try:
        read = data.read  # type: ignore[attr-defined]
    except Exception:  # noqa: BLE001 -- any object without a read method.
        read = None
    if not callable(read):
        raise ValidationError(
            [
                Issue(
                    "data",
                    "invalid_type",
                    data,
                    {"expected": "a vCard text, bytes or file"},
                )
            ]
        )
    return _reads(read, data)


def _slices(data: str | bytes) -> Iterator[str | bytes]:
    for start in range(0, len(data), _CHUNK):
        yield data[start : start + _CHUNK]


def _reads(read: Any, data: object) -> Iterator[str | bytes]:
    while True:
        try:
            chunk = read(_CHUNK)
        except OSError:
            raise
        except Exception as e:
            error = ValidationError(
                [
                    Issue(
                        "data",
                        "invalid_type",
                        data,
                        {"expected": "a readable vCard file"},
                    )
                ]
            )
            raise error from e
        if isinstance(chunk, bytearray | memoryview):
            chunk = bytes(chunk)
        if not isinstance(chunk, str | bytes):
            raise ValidationError(
                [
                    Issue(
                        "data",
                        "invalid_type",
                        chunk,
                        {"expected": "a file that reads text or bytes"},
                    )
                ]
            )
        if not chunk:
            return
        yield chunk


_BOMS: Final = (
    (codecs.BOM_UTF32_LE, "utf-32"),
    (codecs.BOM_UTF32_BE, "utf-32"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)


def _lines(chunks: Iterator[str | bytes]) -> Iterator[tuple[str, bool]]:
    """
    The physical lines of the input, decoded, without their line end;
    each with True when it was longer than `MAX_LINE` (then only its
    first `MAX_LINE` characters are given).
    """
    first = next(chunks, "")
    if isinstance(first, str):
        text_chunks: Iterator[str] = _text(first, chunks)
        for line, long in _split(text_chunks, "\n"):
            yield line.removesuffix("\r"), long
        return
    for bom, encoding in _BOMS:
        if first.startswith(bom):
            decoder = codecs.getincrementaldecoder(encoding)("replace")
            for line, long in _split(_decoded(decoder, first, chunks), "\n"):
                yield line.removesuffix("\r"), long
            return
    first = first.removeprefix(codecs.BOM_UTF8)
    for raw, long in _split(_binary(first, chunks), b"\n"):
        raw = raw.removesuffix(b"\r")  # noqa: PLW2901
        try:
            line = raw.decode("utf-8")
        except UnicodeDecodeError:
            if long:  # Cut inside a character, perhaps.
                line = raw.decode("utf-8", "replace")
            else:
                line = raw.decode("cp1252", "replace")
        yield line, long


def _text(first: str, chunks: Iterator[str | bytes]) -> Iterator[str]:
    yield first.removeprefix("\ufeff")
    for chunk in chunks:
        if not isinstance(chunk, str):
            raise _mixed(chunk)
        yield chunk


def _binary(first: bytes, chunks: Iterator[str | bytes]) -> Iterator[bytes]:
    yield first
    for chunk in chunks:
        if not isinstance(chunk, bytes):
            raise _mixed(chunk)
        yield chunk


def _decoded(
    decoder: codecs.IncrementalDecoder,
    first: bytes,
    chunks: Iterator[str | bytes],
) -> Iterator[str]:
    yield decoder.decode(first).removeprefix("\ufeff")
    for chunk in chunks:
        if not isinstance(chunk, bytes):
            raise _mixed(chunk)
        yield decoder.decode(chunk)
    yield decoder.decode(b"", final=True)


def _mixed(chunk: object) -> ValidationError:
    return ValidationError(
        [
            Issue(
                "data",
                "invalid_type",
                chunk,
                {"expected": "a file that reads only text or only bytes"},
            )
        ]
    )


def _split(chunks: Iterable[Any], newline: Any) -> Iterator[tuple[Any, bool]]:
    """Split *chunks* at *newline*; cut lines longer than `MAX_LINE`."""
    buffer = newline[:0]
    skipping = False
    for chunk in chunks:
        buffer += chunk
        start = 0
        while True:
            end = buffer.find(newline, start)
            if end < 0:
                break
            if skipping:  # The rest of a line already given, cut.
                skipping = False
            else:
                yield buffer[start:end], False
            start = end + 1
        buffer = buffer[start:]
        if len(buffer) > MAX_LINE:
            if not skipping:
                yield buffer[:MAX_LINE], True
                skipping = True
            buffer = buffer[:0]
    if buffer and not skipping:
        yield buffer, False


class _Card:
    """One card being read: its raw text and the lines vobject will see."""

    __slots__ = (
        "agent",
        "dropping",
        "kept",
        "logical",
        "name",
        "number",
        "overflow",
        "problems",
        "qp",
        "raw",
        "raw_size",
        "size",
        "soft_break",
    )

    def __init__(self, number: int) -> None:
        self.number = number
        self.raw: list[str] = []
        self.raw_size = 0
        #: Logical lines kept, each as its physical lines.
        self.kept: list[list[str]] = []
        self.size = 0
        self.problems: list[Issue] = []
        #: The current logical line, while it is kept.
        self.logical: list[str] | None = None
        self.name = ""
        #: The current property is quoted-printable.
        self.qp = False
        #: The last line ended with a quoted-printable soft line break.
        self.soft_break = False
        #: An AGENT property without a value was just read.
        self.agent = False
        #: The card is over `MAX_CARD`: nothing more is kept.
        self.overflow = False
        #: The current logical line is being dropped (too long).
        self.dropping = False

    def add_raw(self, line: str) -> None:
        if self.raw_size < MAX_RAW:
            self.raw.append(line)
            self.raw_size += len(line) + 2

    def too_large(self, path: str, size: int, limit: int) -> None:
        self.problems.append(
            Issue(path, "vcard.too_large", size, {"max": str(limit)})
        )

    def keep(self, line: str) -> None:
        """Add a physical line to the current logical line, if kept."""
        if self.logical is None:
            return
        self.size += len(line) + 2
        if self.size > MAX_CARD:
            self.too_large("", self.size, MAX_CARD)
            self.overflow = True
            self.logical = None
            self.kept.clear()
            return
        self.logical.append(line)

    def start(self, name: str, line: str) -> None:
        """Start a logical line (kept when the reader maps *name*)."""
        self.name = name
        self.dropping = False
        self.logical = None
        if name in _MAPPED and not self.overflow:
            self.logical = []
            self.kept.append(self.logical)
        colon = line.find(":")
        params = line[:colon] if colon >= 0 else line
        self.qp = "QUOTED-PRINTABLE" in params.upper()
        self.keep_part(line)

    def keep_part(self, line: str) -> None:
        """Keep one physical line, turning a soft line break into a fold."""
        self.soft_break = self.qp and line.endswith("=")
        self.keep(line[:-1] if self.soft_break else line)

    def drop_logical(self, line: str) -> None:
        """Drop the current logical line: *line* of it was too long."""
        if self.logical is not None:
            self.too_large(self.name or "", len(line), MAX_LINE)
            self.kept.pop()
            self.logical = None
        self.dropping = True
        self.soft_break = False

    def text(self) -> str:
        """The kept lines (without BEGIN and END), folded as they came."""
        return "".join(
            "\r\n".join(parts) + "\r\n" for parts in self.kept if parts
        )


def _property(line: str) -> tuple[str, str]:
    """The upper-case name (without group) and the value of a line."""
    end = len(line)
    for sep in (";", ":"):
        i = line.find(sep, 0, end)
        if i >= 0:
            end = i
    name = line[:end].rpartition(".")[2].strip().upper()
    colon = line.find(":")
    value = line[colon + 1 :].strip() if colon >= 0 else ""
    return name, value


def _records(
    vobject: ModuleType, lines: Iterator[tuple[str, bool]], file: str
) -> Iterator[PersonRecord]:
    card: _Card | None = None
    nested = 0
    number = 0
    for line, long in lines:
        if card is None:
            if not long and _is(line, "BEGIN"):
                number += 1
                card = _Card(number)
                card.add_raw(line)
            continue
        card.add_raw(line)
        if nested:
            if _is(line, "BEGIN"):
                nested += 1
            elif _is(line, "END"):
                nested -= 1
            continue
        if card.soft_break or line[:1] in {" ", "\t"}:
            if long:
                card.drop_logical(line)
            elif not card.dropping:
                card.keep_part(" " + line if card.soft_break else line)
            continue
        if not line.strip():
            continue
        name, value = _property(line)
        if name == "END" and value.upper() == "VCARD":
            yield _record(vobject, card, file)
            card = None
            continue
        if name == "BEGIN" and value.upper() == "VCARD":
            if card.agent:  # vCard 2.1: the agent's card follows AGENT.
                nested = 1
                card.agent = False
                continue
            card.problems.append(Issue("", "vcard.truncated", card.number))
            yield _record(vobject, card, file)
            number += 1
            card = _Card(number)
            card.add_raw(line)
            continue
        card.agent = name == "AGENT" and value.upper() in {"", "BEGIN:VCARD"}
        if card.agent and value:
            nested, card.agent = 1, False
        if long:
            card.start(name, "")
            card.drop_logical(line)
            continue
        if ":" not in line and name in _MAPPED:
            card.problems.append(Issue(name, "vcard.unreadable", line))
            card.start("", line)
            continue
        card.start(name, line)
    if card is not None:
        card.problems.append(Issue("", "vcard.truncated", card.number))
        yield _record(vobject, card, file)


def _is(line: str, name: str) -> bool:
    """Whether *line* is ``BEGIN:VCARD`` (or ``END:VCARD``)."""
    got, value = _property(line)
    return got == name and value.upper() == "VCARD"


def _record(vobject: ModuleType, card: _Card, file: str) -> PersonRecord:
    source = Source(file, None, card.number)
    raw = "\r\n".join(card.raw)[:MAX_RAW]
    problems = list(card.problems)
    if card.overflow:
        return PersonRecord(source, raw=raw, problems=tuple(problems))
    lines = []
    base = vobject.base
    try:
        logical = list(base.getLogicalLines(io.StringIO(card.text())))
    except Exception as e:  # noqa: BLE001 -- vobject raises anything.
        problems.append(Issue("", "vcard.unreadable", _error(e)))
        logical = []
    for text, number in logical:
        try:
            lines.append(base.textLineToContentLine(text, number))
        except Exception as e:  # noqa: BLE001 -- vobject raises anything.
            name = _property(text)[0]
            problems.append(Issue(name, "vcard.unreadable", _error(e)))
    fields, customer_name, columns = _map(vobject, lines)
    return PersonRecord(
        source,
        fields=fields,
        customer_name=customer_name,
        columns=columns,
        raw=raw,
        problems=tuple(problems),
    )


def _error(e: Exception) -> str:
    return f"{type(e).__name__}: {e}"


def _text_of(value: object) -> str:
    """A property value as one text (vobject gives lists for some)."""
    if isinstance(value, str):
        return value.strip()
    if isinstance(value, list | tuple):
        return " ".join(filter(None, (_text_of(v) for v in value)))
    return str(value).strip()


def _types(line: Any) -> set[str]:
    """The lower-case TYPE values and bare (2.1) parameters of *line*."""
    out: set[str] = set()
    for value in (*line.params.get("TYPE", ()), *line.singletonparams):
        out.update(t.strip().strip('"').lower() for t in value.split(","))
    return out


def _unescape(vobject: ModuleType, value: object, joiner: str) -> str:
    """
    A text value unescaped by vobject.  A comma not escaped separates
    values in vCard 3.0 but is plain text in 2.1 (and written so by many
    3.0 writers): the parts are joined again with *joiner*.
    """
    if not isinstance(value, str):
        return _text_of(value)
    text: str = joiner.join(vobject.icalendar.stringToTextValues(value))
    return " ".join(text.split()) if joiner == " " else text.strip()


def _components(vobject: ModuleType, value: object) -> list[str]:
    """The ``;``-separated components of a value (``N``, ``ORG``), raw."""
    if not isinstance(value, str):
        return [_text_of(value)]
    parts: list[str] = vobject.icalendar.stringToTextValues(
        value, listSeparator=";", charList=";"
    )
    return parts


def _map(
    vobject: ModuleType, lines: list[Any]
) -> tuple[dict[str, Any], str, dict[str, str]]:
    """The fields, customer name and columns of a card's content lines."""
    fields: dict[str, Any] = {}
    columns: dict[str, str] = {}
    channels: list[dict[str, Any]] = []
    functions: list[str] = []
    notes: list[str] = []
    customer_name = ""
    formatted = ""

    def put(key: str, value: str, prop: str) -> None:
        if value and key not in fields:
            fields[key] = value
            columns[key] = prop

    for line in lines:
        name = line.name.upper()
        value = line.value
        if name == "N":
            n = [
                _unescape(vobject, p, " ") for p in _components(vobject, value)
            ]
            n += [""] * (5 - len(n))
            put("last_name", n[0], "N")
            put("first_name", " ".join(filter(None, n[1:3])), "N")
            put("salutation", n[3], "N")
        elif name == "FN":
            formatted = formatted or _unescape(vobject, value, ",")
        elif name == "ORG":
            parts = [
                _unescape(vobject, p, ",") for p in _components(vobject, value)
            ]
            if not customer_name and parts[0]:
                customer_name = parts[0]
                columns["customer_name"] = "ORG"
            if len(parts) > 1:
                put("department", parts[1], "ORG")
        elif name == "TITLE":
            put("job_title", _unescape(vobject, value, ","), "TITLE")
        elif name == "ROLE":
            text = _unescape(vobject, value, ",")
            if text:
                functions.append(text)
                columns.setdefault("functions", "ROLE")
        elif name == "NOTE":
            text = _unescape(vobject, value, ",")
            if text:
                notes.append(text)
                columns.setdefault("remark", "NOTE")
        elif name in {"EMAIL", "TEL", "URL"}:
            text = _unescape(vobject, value, ",")
            channel = _channel(name, text, _types(line), line)
            if channel is not None:
                columns[f"channels[{len(channels)}]"] = name
                channels.append(channel)
    if "last_name" not in fields and "first_name" not in fields:
        last, comma, first = formatted.partition(",")
        put("last_name", last.strip() if comma else formatted, "FN")
        put("first_name", first.strip(), "FN")
    if functions:
        fields["functions"] = functions
    if notes:
        fields["remark"] = "\n".join(notes)
    if channels:
        one_primary_per_kind(channels)
        fields["channels"] = channels
    return fields, customer_name, columns


def _channel(
    name: str, value: str, types: set[str], line: Any
) -> dict[str, Any] | None:
    if not value:
        return None
    if name == "EMAIL":
        kind = "email"
        value = value.removeprefix("mailto:")
    elif name == "URL":
        kind = "web"
    else:
        kind = "mobile" if "cell" in types else "fax" if "fax" in types else ""
        kind = kind or "phone"
        if value[:4].lower() == "tel:":
            value = value[4:]
    purpose = (
        "work" if "work" in types else "home" if "home" in types else "other"
    )
    pref = line.params.get("PREF", ())
    primary = "pref" in types or "1" in pref
    return {
        "kind": kind,
        "value": value,
        "purpose": purpose,
        "primary": primary,
    }
