# SPDX-License-Identifier: MIT
"""
Workbooks (private): format detection, archive checks before calamine
reads a file, calamine and XlsxWriter imported on first use.

calamine builds each sheet as one dense grid from its first to its last
cell: a sheet holding ``A1`` and ``XFD1048576`` asks for 17 billion
cells and aborts the process.  `check_archive` therefore reads every
entry of an XLSX or ODS archive once, decompressing it to count its real
size (a zip bomb stops at `MAX_UNCOMPRESSED_BYTES`), and computes each
sheet's grid from its cell positions (`MAX_CELLS` for all sheets).
"""

from __future__ import annotations

import io
import re
import zipfile

from collections.abc import Iterator
from types import ModuleType
from typing import IO, Final, cast
from xml.etree import ElementTree as ET

from customer_domain.exceptions import ValidationError
from customer_domain.interchange._csv import fail_file


__all__ = [
    "MAX_CELLS",
    "MAX_UNCOMPRESSED_BYTES",
    "MAX_WORKBOOK_BYTES",
    "calamine",
    "check_archive",
    "sniff_format",
    "xlsxwriter",
]

#: The largest XLSX, XLS or ODS file read (it is read into memory).
MAX_WORKBOOK_BYTES: Final = 100 * 1024 * 1024
#: The most an XLSX or ODS archive may expand to, all entries together.
MAX_UNCOMPRESSED_BYTES: Final = 1024 * 1024 * 1024
#: The most cells calamine may build, all sheets together.
MAX_CELLS: Final = 10_000_000
_MAX_ENTRIES: Final = 10_000
_MAX_TAG: Final = 1024 * 1024
_CHUNK: Final = 1024 * 1024

_ODS_MIME: Final = b"application/vnd.oasis.opendocument.spreadsheet"
_EXTRA: Final = (
    "Spreadsheets need the xlsx extra: pip install 'customer-domain[xlsx]'"
)


def calamine() -> ModuleType:
    """`python_calamine`, or an ImportError naming the extra."""
    try:
        import python_calamine  # noqa: PLC0415 -- optional dependency.
    except ImportError as e:
        raise ImportError(_EXTRA) from e
    return python_calamine


def xlsxwriter() -> ModuleType:
    """`xlsxwriter`, or an ImportError naming the extra."""
    try:
        import xlsxwriter  # noqa: PLC0415 -- optional dependency.
    except ImportError as e:
        raise ImportError(_EXTRA) from e
    return cast("ModuleType", xlsxwriter)


def sniff_format(head: bytes, data: bytes | None, extension: str) -> str:
    """
    ``"xlsx"``, ``"ods"``, ``"xls"`` or ``"csv"`` from the content.

    *data* is the whole file when *head* shows a ZIP archive.  An archive
    that is neither an XLSX nor an ODS workbook is refused; the file
    name's *extension* decides only between the two when the archive
    does not tell.
    """
    if head.startswith(b"\xd0\xcf\x11\xe0"):
        return "xls"
    if not head.startswith(b"PK\x03\x04") or data is None:
        return "csv"
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            names = set(archive.namelist())
            mime = (
                archive.read("mimetype")[:100].strip()
                if "mimetype" in names
                else b""
            )
    except Exception as e:
        raise fail_file("file.unreadable") from e
    if mime == _ODS_MIME:
        return "ods"
    if "xl/workbook.xml" in names:
        return "xlsx"
    if not mime and extension in {"xlsx", "ods"}:
        return extension
    raise fail_file("file.format")


def check_archive(data: bytes, fmt: str) -> None:
    """Refuse an archive too large once expanded or with too many cells."""
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            infos = archive.infolist()
            budget = [MAX_UNCOMPRESSED_BYTES]
            cells = 0
            for info in infos:
                with archive.open(info) as entry:
                    chunks = _chunks(entry, budget)
                    if fmt == "ods" and info.filename == "content.xml":
                        cells += _ods_cells(chunks)
                    elif fmt == "xlsx" and info.filename.endswith(".xml"):
                        cells += _xlsx_cells(chunks)
                    else:
                        for _ in chunks:
                            pass
                _check_budget(cells, len(infos))
    except _BudgetError as e:
        raise _too_large() from e
    except ValidationError:
        raise
    except Exception as e:
        raise fail_file("file.unreadable") from e


def _too_large() -> Exception:
    return fail_file(
        "file.too_large",
        max=f"{MAX_UNCOMPRESSED_BYTES // 1024 // 1024:,} MB"
        f" expanded, {MAX_CELLS:,} cells",
    )


class _BudgetError(Exception):
    """The archive expands beyond `MAX_UNCOMPRESSED_BYTES`."""


def _check_budget(cells: int, entries: int) -> None:
    if cells > MAX_CELLS or entries > _MAX_ENTRIES:
        raise _BudgetError


def _chunks(entry: IO[bytes], budget: list[int]) -> Iterator[bytes]:
    while chunk := entry.read(_CHUNK):
        budget[0] -= len(chunk)
        if budget[0] < 0:
            raise _BudgetError
        yield chunk


_TAG = re.compile(rb"<(?:[A-Za-z_][\w.-]*:)?(row|c)(?=[\s/>])([^>]*)>")
_REF = re.compile(rb"""\sr\s*=\s*["']([A-Za-z]*)(\d*)["']""")
_MAX_LETTERS: Final = 3
_MAX_DIGITS: Final = 7


class _Grid:
    """The bounding box of one sheet's cells."""

    def __init__(self) -> None:
        self.rows: list[int] = []
        self.cols: list[int] = []

    def add(self, row: int, col: int) -> None:
        if not self.rows:
            self.rows = [row, row]
            self.cols = [col, col]
            return
        self.rows = [min(self.rows[0], row), max(self.rows[1], row)]
        self.cols = [min(self.cols[0], col), max(self.cols[1], col)]

    def add_box(self, rows: tuple[int, int], cols: tuple[int, int]) -> None:
        self.add(rows[0], cols[0])
        self.add(rows[1], cols[1])

    def cells(self) -> int:
        if not self.rows:
            return 0
        return (self.rows[1] - self.rows[0] + 1) * (
            self.cols[1] - self.cols[0] + 1
        )


def _column(letters: bytes) -> int:
    if len(letters) > _MAX_LETTERS:
        return MAX_CELLS
    n = 0
    for c in letters.upper():
        n = n * 26 + c - 64
    return n - 1


def _xlsx_cells(chunks: Iterator[bytes]) -> int:
    """The grid calamine builds for one worksheet part (0 if none)."""
    grid = _Grid()
    row, col = -1, -1
    carry = b""
    for chunk in [*chunks, b"<"]:
        data = carry + chunk
        cut = data.rfind(b"<")
        carry = data[cut:]
        if len(carry) > _MAX_TAG:
            raise _BudgetError
        for tag in _TAG.finditer(data, 0, cut):
            ref = _REF.search(tag.group(2))
            letters, digits = ref.groups() if ref else (b"", b"")
            if len(digits) > _MAX_DIGITS:
                digits = b"%d" % MAX_CELLS
            if tag.group(1) == b"row":
                row = int(digits) - 1 if digits else row + 1
                col = -1
                continue
            if digits:
                row = int(digits) - 1
            col = _column(letters) if letters else col + 1
            grid.add(max(row, 0), max(col, 0))
    return grid.cells()


_OFFICE = "{urn:oasis:names:tc:opendocument:xmlns:office:1.0}"
_TABLE = "{urn:oasis:names:tc:opendocument:xmlns:table:1.0}"
_CELLS = frozenset({f"{_TABLE}table-cell", f"{_TABLE}covered-table-cell"})


def _repeat(element: ET.Element, name: str) -> int:
    text = element.get(f"{_TABLE}{name}", "1")
    if not text.isdigit() or len(text) > _MAX_DIGITS:
        return MAX_CELLS
    return max(int(text), 1)


def _ods_cells(chunks: Iterator[bytes]) -> int:
    """The cells calamine builds for every table of ``content.xml``."""
    parser: ET.XMLPullParser[ET.Element] = ET.XMLPullParser(
        events=("start", "end")
    )
    total = 0
    grid = _Grid()
    stack: list[ET.Element] = []
    row = col = rows = 0
    for chunk in chunks:
        parser.feed(chunk)
        for pair in parser.read_events():
            event, item = cast("tuple[str, object]", pair)
            element = item if isinstance(item, ET.Element) else None
            if element is None:
                continue
            tag = element.tag
            if event == "start":
                stack.append(element)
                if tag == f"{_TABLE}table":
                    total += grid.cells()
                    grid, row = _Grid(), 0
                elif tag == f"{_TABLE}table-row":
                    rows, col = _repeat(element, "number-rows-repeated"), 0
                continue
            stack.pop()
            if tag in _CELLS:
                cols = _repeat(element, "number-columns-repeated")
                if (
                    element.get(f"{_OFFICE}value-type")
                    or len(element)
                    or (element.text or "").strip()
                ):
                    grid.add_box((row, row + rows - 1), (col, col + cols - 1))
                col += cols
            elif tag == f"{_TABLE}table-row":
                row += rows
            else:
                continue
            if stack and len(stack[-1]) and stack[-1][-1] is element:
                del stack[-1][-1]
    parser.close()
    return total + grid.cells()
