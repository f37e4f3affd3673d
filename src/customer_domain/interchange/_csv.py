# SPDX-License-Identifier: MIT
"""
CSV reading (private): encoding and delimiter detection, a bounded
line source for `csv.reader`, and per-row recovery.

`records` yields ``(row number, cells or None, issue or None)``: the
public `customer_domain.interchange.tables` module builds tables from it.
"""

from __future__ import annotations

import codecs
import csv
import io
import re

from collections.abc import Callable, Iterator
from typing import Final

from customer_domain.exceptions import Issue, ValidationError


__all__ = [
    "DELIMITERS",
    "MAX_COLUMNS",
    "MAX_RECORD_CHARS",
    "SAMPLE_BYTES",
    "detect_delimiter",
    "detect_encoding",
    "is_ascii_compatible",
    "looks_binary",
    "records",
]

#: Bytes read first to detect the format, the encoding and the delimiter.
SAMPLE_BYTES: Final = 65_536
#: The longest record (a line, or lines of one quoted cell) read.
MAX_RECORD_CHARS: Final = 1_048_576
#: The widest row read (Excel's limit too).
MAX_COLUMNS: Final = 16_384
#: Delimiters recognised, in order of preference on a tie.
DELIMITERS: Final = (";", ",", "\t", "|")

_SNIFF_CHARS: Final = 4_096
_SNIFF_LINES: Final = 50
_CONTROL_SHARE: Final = 0.05
_UTF16_SHARE: Final = 0.4
_ESCAPED = re.compile("[\udc80-\udcff]+")


def file_issue(code: str, value: object = None, **params: str) -> Issue:
    """An issue about the file as a whole (path ``"file"``)."""
    return Issue("file", code, value, params)


def fail_file(
    code: str, value: object = None, **params: str
) -> ValidationError:
    """A `ValidationError` with one `file_issue` (to ``raise``)."""
    return ValidationError((file_issue(code, value, **params),))


# -- detection -------------------------------------------------------------


def detect_encoding(sample: bytes, *, at_eof: bool) -> str:  # noqa: PLR0911 -- one return per rule.
    """
    The codec of a CSV file from its first bytes.

    A byte-order mark first (UTF-8, UTF-32, UTF-16); then UTF-16 without
    one when every other byte is NUL; then strict UTF-8 (a character cut
    at the sample's end is not an error unless the file ends there);
    then cp1252 (Windows, French Excel); then latin-1, which never fails.
    """
    if sample.startswith(codecs.BOM_UTF8):
        return "utf-8-sig"
    if sample.startswith((codecs.BOM_UTF32_LE, codecs.BOM_UTF32_BE)):
        return "utf-32"
    if sample.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return "utf-16"
    head = sample[:4096]
    half = len(head) // 2
    if half >= 2:  # noqa: PLR2004 -- two characters at least.
        even = head[0::2].count(0) / half
        odd = head[1::2].count(0) / half
        if odd > _UTF16_SHARE and even < _UTF16_SHARE / 4:
            return "utf-16-le"
        if even > _UTF16_SHARE and odd < _UTF16_SHARE / 4:
            return "utf-16-be"
    try:
        codecs.getincrementaldecoder("utf-8")().decode(sample, final=at_eof)
    except UnicodeDecodeError:
        pass
    else:
        return "utf-8"
    try:
        sample.decode("cp1252")
    except UnicodeDecodeError:
        return "latin-1"
    return "cp1252"


def is_ascii_compatible(encoding: str) -> bool:
    """Whether *encoding* writes ASCII as ASCII (undecodable bytes escape)."""
    try:
        return "\n,;\"'".encode(encoding) == b"\n,;\"'"
    except (UnicodeError, LookupError):
        return False


def looks_binary(text: str) -> bool:
    """Whether decoded *text* holds NUL or many control characters."""
    if "\x00" in text:
        return True
    controls = sum(
        1 for c in text if (c < " " and c not in "\t\n\r\f\v") or c == "\x7f"
    )
    return controls > len(text) * _CONTROL_SHARE


def _counts(line: str) -> dict[str, int]:
    """How often each delimiter occurs in *line* outside double quotes."""
    counts = dict.fromkeys(DELIMITERS, 0)
    quoted = False
    for c in line:
        if c == '"':
            quoted = not quoted
        elif not quoted and c in counts:
            counts[c] += 1
    return counts


def detect_delimiter(sample: str) -> str:
    """
    The delimiter of a CSV file from its first lines.

    The header line decides when one delimiter occurs in it more often
    than any other (a header rarely holds decimal commas, data often
    does).  On a tie, `csv.Sniffer` restricted to the known delimiters
    looks at the first lines.  A header with no delimiter is one column:
    the delimiter is then the one that occurs least in the sample (a
    spreadsheet quotes cells holding its own delimiter).
    """
    lines = [line for line in sample.splitlines() if line.strip()]
    lines = lines[:_SNIFF_LINES]
    if not lines:
        return ","
    header = _counts(lines[0])
    best = max(header.values())
    leaders = [d for d in DELIMITERS if header[d] == best]
    if best and len(leaders) == 1:
        return leaders[0]
    if best:
        text = "\n".join(lines)[:_SNIFF_CHARS]
        try:
            sniffed = csv.Sniffer().sniff(text, delimiters="".join(leaders))
        except csv.Error:
            return leaders[0]
        return (
            sniffed.delimiter if sniffed.delimiter in leaders else leaders[0]
        )
    totals = dict.fromkeys(DELIMITERS, 0)
    for line in lines:
        for d, n in _counts(line).items():
            totals[d] += n
    return min(DELIMITERS, key=lambda d: (totals[d], DELIMITERS.index(d)))


# -- reading -----------------------------------------------------------------


class SourceError(OSError):
    """The host's file object failed (any exception from its ``read``)."""


class Replay(io.RawIOBase):
    """A raw stream that gives *prefix* back, then the rest of *read*."""

    def __init__(self, prefix: bytes, read: Callable[[int], object]) -> None:
        super().__init__()
        self._prefix = memoryview(prefix)
        self._read = read

    def readable(self) -> bool:
        return True

    def readinto(self, buffer: object) -> int:
        out = memoryview(buffer).cast("B")  # type: ignore[arg-type]
        if self._prefix:
            n = min(len(out), len(self._prefix))
            out[:n] = self._prefix[:n]
            self._prefix = self._prefix[n:]
            return n
        data = read_bytes(self._read, len(out))
        out[: len(data)] = data
        return len(data)


def read_bytes(read: Callable[[int], object], size: int) -> bytes:
    """One call to a host's ``read``, checked: bytes or `SourceError`."""
    try:
        data = read(size)
    except Exception as e:
        raise SourceError(str(e)) from e
    if data is None:
        return b""
    if not isinstance(data, (bytes, bytearray)):
        raise SourceError("read() did not return bytes")
    if len(data) > size:
        data = data[:size]
    return bytes(data)


def read_sample(read: Callable[[int], object], size: int) -> bytes:
    """Up to *size* bytes: several reads if the host's come short."""
    parts: list[bytes] = []
    got = 0
    while got < size:
        data = read_bytes(read, size - got)
        if not data:
            break
        parts.append(data)
        got += len(data)
    return b"".join(parts)


class _TooLongError(Exception):
    """A record over `MAX_RECORD_CHARS` (the rest of its line is skipped)."""


class _Lines:
    """Physical lines for `csv.reader`, never more than one record long."""

    def __init__(self, text: io.TextIOWrapper) -> None:
        self.text = text
        self.record_chars = 0

    def __iter__(self) -> _Lines:
        return self

    def __next__(self) -> str:
        line = self.text.readline(MAX_RECORD_CHARS + 1)
        if not line:
            raise StopIteration
        self.record_chars += len(line)
        if self.record_chars > MAX_RECORD_CHARS:
            while line and not line.endswith(("\n", "\r")):
                line = self.text.readline(MAX_RECORD_CHARS)
            self.record_chars = 0
            raise _TooLongError
        return line


def _unescape(run: re.Match[str]) -> str:
    """Undecodable bytes (escaped as surrogates) read as cp1252."""
    raw = bytes(ord(c) - 0xDC00 for c in run.group())
    try:
        return raw.decode("cp1252")
    except UnicodeDecodeError:
        return raw.decode("latin-1")


def _repair(cell: str) -> str:
    if cell.isascii():
        return cell
    return _ESCAPED.sub(_unescape, cell)


def records(
    text: io.TextIOWrapper, delimiter: str, encoding: str
) -> Iterator[tuple[int, tuple[str, ...], Issue | None]]:
    """
    ``(row, cells, issue)`` for every record of *text*, empty ones too.

    Trailing empty cells are trimmed.  A record too long or too wide
    gives no cells and an issue; reading goes on at the next line.
    """
    lines = _Lines(text)
    reader = csv.reader(lines, delimiter=delimiter)
    row = 0
    while True:
        try:
            cells = next(reader)
        except StopIteration:
            return
        except _TooLongError:
            row += 1
            yield row, (), _row_issue("file.line_too_long", row)
            continue
        except csv.Error:
            lines.record_chars = 0
            row += 1
            yield row, (), _row_issue("file.line_too_long", row)
            continue
        except UnicodeDecodeError as e:
            raise fail_file(
                "file.encoding", encoding=encoding, row=str(row + 1)
            ) from e
        except (OSError, ValueError) as e:
            raise fail_file("file.unreadable") from e
        lines.record_chars = 0
        row += 1
        end = len(cells)
        while end and not cells[end - 1]:
            end -= 1
        if end > MAX_COLUMNS:
            yield row, (), _row_issue("file.too_many_columns", row)
            continue
        yield row, tuple(_repair(c) for c in cells[:end]), None


def _row_issue(code: str, row: int) -> Issue:
    limit = MAX_RECORD_CHARS if code == "file.line_too_long" else MAX_COLUMNS
    return file_issue(code, row=str(row), max=f"{limit:,}")
