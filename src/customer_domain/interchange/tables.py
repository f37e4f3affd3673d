# SPDX-License-Identifier: MIT
"""
Spreadsheet and CSV files as tables of cells, read and written as
streams (IO-1 export, IO-2 import).

`read_tables` yields one ``(Table, rows)`` pair per sheet that holds
data: the `Table` says where it is and what its header is, *rows* is an
iterator of `Row` objects, each with its `Source` (file, sheet, row
number as a spreadsheet shows it) and its cells, faithful to the file:
text as text, numbers as numbers (a phone number typed in a cell comes
back as ``612345678.0``), dates as `datetime.date`.  Which header means
which field is the column layer's business, not this module's.

>>> import io
>>> data = "Nom;Prénom\\r\\nLefèvre;Hélène\\r\\n".encode("cp1252")
>>> for table, rows in read_tables(io.BytesIO(data), file_name="a.csv"):
...     print(table.header, [row.cells for row in rows])
('Nom', 'Prénom') [('Lefèvre', 'Hélène')]

`open_table_writer` writes CSV (UTF-8 with a byte-order mark) or XLSX
(streamed through XlsxWriter) row by row; `write_error_file` writes
rows back with a last "problems" column; `neutralize` defuses text a
spreadsheet would take for a formula.

XLSX, XLS and ODS need the ``xlsx`` extra
(``pip install 'customer-domain[xlsx]'``); CSV needs nothing.
"""

from __future__ import annotations

import codecs
import csv
import datetime as dt
import io
import math
import os

from collections.abc import Iterable, Iterator, Sequence
from types import TracebackType
from typing import Any, Final, Literal, Self

import attrs

from customer_domain._messages import Locale
from customer_domain.exceptions import Issue, ValidationError
from customer_domain.interchange import _csv, _xlsx
from customer_domain.interchange._csv import fail_file
from customer_domain.interchange.records import Source


__all__ = [
    "EXCEL_CELL_CHARS",
    "FORMATS",
    "MAX_CELLS",
    "MAX_COLUMNS",
    "MAX_RECORD_CHARS",
    "MAX_UNCOMPRESSED_BYTES",
    "MAX_WORKBOOK_BYTES",
    "Cell",
    "Row",
    "Table",
    "TableWriter",
    "neutralize",
    "open_table_writer",
    "read_tables",
    "write_error_file",
]

Cell = (
    str
    | int
    | float
    | bool
    | dt.date
    | dt.datetime
    | dt.time
    | dt.timedelta
    | None
)
"""What a cell holds: whatever calamine gives, or text from a CSV."""

#: File formats read; `open_table_writer` writes ``"csv"`` and ``"xlsx"``.
FORMATS: Final = ("csv", "xlsx", "xls", "ods")
#: Excel's limit of characters in one cell; longer text is refused.
EXCEL_CELL_CHARS: Final = 32_767
MAX_CELLS: Final = _xlsx.MAX_CELLS
MAX_COLUMNS: Final = _csv.MAX_COLUMNS
MAX_RECORD_CHARS: Final = _csv.MAX_RECORD_CHARS
MAX_UNCOMPRESSED_BYTES: Final = _xlsx.MAX_UNCOMPRESSED_BYTES
MAX_WORKBOOK_BYTES: Final = _xlsx.MAX_WORKBOOK_BYTES

_EXCEL_ROWS: Final = 1_048_576
_FORMULA_START: Final = ("=", "+", "-", "@", "\t", "\r")
_PROBLEMS: Final = {"en": "problems", "fr": "problèmes"}


@attrs.frozen
class Row:
    """
    One row of a table, as read.

    Attributes:
        source: Where the row is (file, sheet, row number as a
            spreadsheet shows it).
        cells: The cells from the table's first column, trailing empty
            cells trimmed.  CSV cells are text (``""`` when empty);
            workbook cells are what calamine gives (``""`` when empty).
        problems: What could not be read (a row too long or too wide:
            its cells are then empty).

    .. versionadded:: 0.1.0
    """

    source: Source
    cells: tuple[Cell, ...]
    problems: tuple[Issue, ...] = ()


@attrs.frozen
class Table:
    """
    One sheet (or the CSV file) with data.

    Attributes:
        file: The file's name as given to `read_tables` (no directory).
        sheet: The sheet's name, or None for a CSV file.
        header: The first non-empty row, as text, trailing empty cells
            trimmed.
        header_row: Its row number (1 when it is the first line).

    .. versionadded:: 0.1.0
    """

    file: str
    sheet: str | None
    header: tuple[str, ...]
    header_row: int


# -- reading -----------------------------------------------------------------


def read_tables(
    source: str | os.PathLike[str] | io.BufferedIOBase | Any,
    *,
    format: str | None = None,  # noqa: A002 -- the word users know.
    file_name: str | None = None,
    sheets: Sequence[str] | None = None,
    encoding: str | None = None,
    delimiter: str | None = None,
) -> Iterator[tuple[Table, Iterator[Row]]]:
    """
    Yield ``(table, rows)`` for every sheet of *source* that holds data.

    Read a table's *rows* before asking for the next table: rows of a
    table left behind raise ``file.closed``.  Arguments are checked at
    the call; the file is opened and read on the first ``next()``, so
    its problems (``file.unreadable``, ``file.format``, ``file.empty``,
    ``file.too_large``...) raise there, as a `ValidationError` at path
    ``"file"``.  A CSV row too long or too wide is yielded with a
    problem and no cells, and reading goes on.

    Args:
        source: A path or a binary file object (not closed here).
        format: ``"csv"``, ``"xlsx"``, ``"xls"``, ``"ods"``, or None to
            tell from the content (ZIP: XLSX or ODS by its entries, OLE2:
            XLS, anything else: CSV), the name's extension deciding
            only between XLSX and ODS when an archive does not tell.
        file_name: The name shown in each `Source`; by default the
            path's or the file object's base name.
        sheets: The sheets to read, in this order (hidden ones too); by
            default every visible worksheet in workbook order.  Ignored
            for CSV.
        encoding: A CSV file's encoding; detected by default.
        delimiter: A CSV file's delimiter (``";"``, ``","``, tab or
            ``"|"``); detected by default.

    .. versionadded:: 0.1.0
    """
    issues: list[Issue] = []
    path: str | None = None
    if isinstance(source, (str, os.PathLike)):
        try:
            path = os.fspath(source)
        except Exception:  # noqa: BLE001 -- a hostile __fspath__.
            path = None
        if not isinstance(path, str):
            issues.append(_type_issue("source", "a path or a binary file"))
    elif not _has_method(source, "read"):
        issues.append(_type_issue("source", "a path or a binary file"))
    if format is not None and not _is_choice(format, FORMATS):
        issues.append(_choice_issue("format", format, FORMATS))
    if file_name is not None and type(file_name) is not str:
        issues.append(_type_issue("file_name", "text"))
    names: tuple[str, ...] | None = None
    given: object = sheets
    if given is not None:
        if (
            isinstance(given, (str, bytes))
            or not isinstance(given, Sequence)
            or not all(type(s) is str for s in given)
        ):
            issues.append(_type_issue("sheets", "a list of sheet names"))
        else:
            names = tuple(given)
    if encoding is not None:
        issues.extend(_encoding_issues(encoding))
    if delimiter is not None and not _is_choice(delimiter, _csv.DELIMITERS):
        issues.append(_choice_issue("delimiter", delimiter, _csv.DELIMITERS))
    if issues:
        raise ValidationError(issues)
    if file_name is None:
        file_name = _base_name(path if path is not None else source)
    return _read(
        path if path is not None else source,
        format,
        file_name,
        names,
        encoding,
        delimiter,
    )


def _has_method(obj: object, name: str) -> bool:
    try:
        return callable(getattr(obj, name, None))
    except Exception:  # noqa: BLE001 -- a hostile __getattr__.
        return False


def _is_choice(value: object, choices: Sequence[str]) -> bool:
    """Whether *value* is one of *choices* (never calls its ``__eq__``)."""
    return type(value) is str and value in choices


def _type_issue(path: str, expected: str) -> Issue:
    return Issue(path, "invalid_type", None, {"expected": expected})


def _choice_issue(path: str, value: object, choices: Sequence[str]) -> Issue:
    shown = ", ".join(repr(c) for c in choices)
    return Issue(path, "choice.invalid", value, {"choices": shown})


def _encoding_issues(encoding: object) -> list[Issue]:
    if type(encoding) is not str:
        return [_type_issue("encoding", "an encoding name")]
    try:
        info = codecs.lookup(encoding)
    except (LookupError, ValueError, TypeError):
        info = None
    if info is None or not getattr(info, "_is_text_encoding", True):
        return [Issue("encoding", "file.encoding_unknown", encoding)]
    return []


def _base_name(source: object) -> str:
    try:
        name = source if type(source) is str else getattr(source, "name", "")
    except Exception:  # noqa: BLE001 -- a hostile __getattr__.
        return ""
    if not isinstance(name, str):
        return ""
    return name.replace("\\", "/").rsplit("/", 1)[-1]


def _read(  # noqa: PLR0917 -- private, one call site.
    source: str | Any,
    fmt: str | None,
    file_name: str,
    sheets: tuple[str, ...] | None,
    encoding: str | None,
    delimiter: str | None,
) -> Iterator[tuple[Table, Iterator[Row]]]:
    state = _State()
    opened: Any = None
    try:
        if isinstance(source, str):
            try:
                opened = open(source, "rb")  # noqa: SIM115, PTH123 -- closed below.
            except (OSError, ValueError) as e:
                raise fail_file("file.unreadable") from e
            read = opened.read
        else:
            read = source.read
        try:
            head = _csv.read_sample(read, _csv.SAMPLE_BYTES)
        except _csv.SourceError as e:
            raise fail_file("file.unreadable") from e
        if not head:
            raise fail_file("file.empty")
        extension = file_name.rsplit(".", 1)[-1].lower() if file_name else ""
        data: bytes | None = None
        if fmt in {"xlsx", "xls", "ods"} or (
            fmt is None and head.startswith((b"PK\x03\x04", b"\xd0\xcf"))
        ):
            data = _read_all(head, read)
        if fmt is None:
            fmt = _xlsx.sniff_format(head, data, extension)
        if fmt == "csv":
            yield from _read_csv(
                head, read, file_name, encoding, delimiter, state
            )
        else:
            assert data is not None  # noqa: S101 -- read above for workbooks.
            yield from _read_workbook(data, fmt, file_name, sheets, state)
    finally:
        state.closed = True
        if opened is not None:
            opened.close()


class _State:
    """Whether the file is closed (rows left behind then refuse)."""

    closed = False


def _read_all(head: bytes, read: Any) -> bytes:
    try:
        rest = _csv.read_sample(read, MAX_WORKBOOK_BYTES + 1 - len(head))
    except _csv.SourceError as e:
        raise fail_file("file.unreadable") from e
    data = head + rest
    if len(data) > MAX_WORKBOOK_BYTES:
        raise fail_file(
            "file.too_large", max=f"{MAX_WORKBOOK_BYTES // 1024 // 1024} MB"
        )
    return data


def _read_csv(  # noqa: PLR0917 -- private, one call site.
    head: bytes,
    read: Any,
    file_name: str,
    encoding: str | None,
    delimiter: str | None,
    state: _State,
) -> Iterator[tuple[Table, Iterator[Row]]]:
    at_eof = len(head) < _csv.SAMPLE_BYTES
    if encoding is None:
        encoding = _csv.detect_encoding(head, at_eof=at_eof)
    ascii_compatible = _csv.is_ascii_compatible(encoding)
    try:
        sample = codecs.getincrementaldecoder(encoding)(
            errors="replace"
        ).decode(head, final=at_eof)
    except Exception as e:
        raise fail_file("file.encoding", encoding=encoding, row="1") from e
    if _csv.looks_binary(sample) or sample.lstrip().lower().startswith(
        ("<!doctype html", "<html", "<?xml", "<table")
    ):
        raise fail_file("file.format")
    if delimiter is None:
        complete = sample if at_eof else sample[: _last_newline(sample)]
        delimiter = _csv.detect_delimiter(complete)
    stream = io.BufferedReader(_csv.Replay(head, read))
    text = io.TextIOWrapper(
        stream,
        encoding=encoding,
        errors="surrogateescape" if ascii_compatible else "replace",
        newline="",
    )
    records = _csv.records(text, delimiter, encoding)
    for row, cells, issue in records:
        if issue is not None:
            raise ValidationError((issue,))
        if cells:
            header = tuple(_header_text(c) for c in cells)
            table = Table(file_name, None, header, row)
            yield table, _csv_rows(records, file_name, state)
            return
    raise fail_file("file.empty")


def _last_newline(text: str) -> int:
    cut = max(text.rfind("\n"), text.rfind("\r"))
    return cut if cut > 0 else len(text)


def _csv_rows(
    records: Iterator[tuple[int, tuple[str, ...], Issue | None]],
    file_name: str,
    state: _State,
) -> Iterator[Row]:
    while True:
        if state.closed:
            raise fail_file("file.closed")
        try:
            row, cells, issue = next(records)
        except StopIteration:
            return
        if cells or issue is not None:
            yield Row(
                Source(file_name, None, row),
                cells,
                () if issue is None else (issue,),
            )


def _header_text(cell: Cell) -> str:
    if cell is None:
        return ""
    if isinstance(cell, str):
        return cell
    if isinstance(cell, float) and cell.is_integer():
        return str(int(cell))
    if isinstance(cell, (dt.date, dt.time)):
        return cell.isoformat()
    return str(cell)


def _calamine_call(fn: Any, *args: Any) -> Any:
    """*fn(*args)* with calamine's errors (panics too) as file issues."""
    try:
        return fn(*args)
    except ValidationError:
        raise
    except Exception as e:
        raise fail_file("file.unreadable") from e
    except BaseException as e:
        if type(e).__name__ != "PanicException":  # pyo3: a Rust panic.
            raise
        raise fail_file("file.unreadable") from e


def _read_workbook(
    data: bytes,
    fmt: str,
    file_name: str,
    sheets: tuple[str, ...] | None,
    state: _State,
) -> Iterator[tuple[Table, Iterator[Row]]]:
    calamine = _xlsx.calamine()
    if fmt in {"xlsx", "ods"}:
        if not data.startswith(b"PK\x03\x04"):
            raise fail_file("file.unreadable")
        _xlsx.check_archive(data, fmt)
    elif not data.startswith(b"\xd0\xcf\x11\xe0"):
        raise fail_file("file.unreadable")
    book = _calamine_call(
        calamine.CalamineWorkbook.from_filelike, io.BytesIO(data)
    )
    try:
        metadata = _calamine_call(lambda: list(book.sheets_metadata))
        if sheets is None:
            names = [
                m.name
                for m in metadata
                if m.typ == calamine.SheetTypeEnum.WorkSheet
                and m.visible == calamine.SheetVisibleEnum.Visible
            ]
        else:
            known = {m.name for m in metadata}
            missing = [
                Issue(f"sheets[{i}]", "file.sheet_not_found", name)
                for i, name in enumerate(sheets)
                if name not in known
            ]
            if missing:
                raise ValidationError(missing)
            names = list(sheets)
        found = False
        for name in names:
            sheet = _calamine_call(book.get_sheet_by_name, name)
            rows = _calamine_call(sheet.iter_rows)
            table = _sheet_header(rows, file_name, name)
            if table is None:
                continue
            found = True
            yield table, _sheet_rows(rows, table, state)
        if not found:
            raise fail_file("file.empty")
    finally:
        _calamine_call(book.close)


def _trim(cells: Sequence[Cell]) -> tuple[Cell, ...]:
    end = len(cells)
    while end and (cells[end - 1] is None or cells[end - 1] == ""):
        end -= 1
    return tuple(cells[:end])


def _sheet_header(rows: Any, file_name: str, sheet: str) -> Table | None:
    """
    The first non-empty row of a sheet, as a `Table` (None if there is
    none).  calamine's ``iter_rows`` starts at the sheet's first row.
    """
    number = 0
    while True:
        cells = _calamine_call(next, rows, None)
        if cells is None:
            return None
        number += 1
        trimmed = _trim(cells)
        if trimmed:
            header = tuple(_header_text(c) for c in trimmed)
            return Table(file_name, sheet, header, number)


def _sheet_rows(rows: Any, table: Table, state: _State) -> Iterator[Row]:
    number = table.header_row
    while True:
        if state.closed:
            raise fail_file("file.closed")
        cells = _calamine_call(next, rows, None)
        if cells is None:
            return
        number += 1
        trimmed = _trim(cells)
        if trimmed:
            yield Row(Source(table.file, table.sheet, number), trimmed)


# -- writing -----------------------------------------------------------------


def neutralize(value: str) -> str:
    """
    Return *value* with a leading ``'`` if a spreadsheet could take it
    for a formula (OWASP "CSV injection").

    Text starting with ``=``, ``+``, ``-``, ``@``, a tab or a carriage
    return is prefixed, phone numbers such as ``+33 6 12 34 56 78`` and
    negative amounts typed as text too: a spreadsheet shows the prefixed
    cell as text, which is what it is.  Numbers (`int`, `float`) are not
    text and are never prefixed.  The CSV writer applies this to every
    text cell; the XLSX writer needs not (it writes text cells as text,
    never as formulas).

    >>> neutralize("=1+1"), neutralize("+33612345678"), neutralize("Anne")
    ("'=1+1", "'+33612345678", 'Anne')

    .. versionadded:: 0.1.0
    """
    if type(value) is not str:
        raise ValidationError((_type_issue("value", "text"),))
    return "'" + value if value.startswith(_FORMULA_START) else value


class TableWriter:
    """
    Writes rows of cells to a CSV or XLSX file, sheet by sheet, row by
    row (made by `open_table_writer`).

    Rows are streamed: an XLSX sheet is finished when the next one is
    added (XlsxWriter's ``constant_memory`` mode), so sheets are written
    one after the other.  A refused row (a cell of an unknown type, a
    text over `EXCEL_CELL_CHARS` characters) raises `ValidationError`
    before any of its cells is written: the file stays whole.

    .. versionadded:: 0.1.0
    """

    def __init__(self, backend: _CsvBackend | _XlsxBackend) -> None:
        self._backend = backend
        self._closed = False

    @property
    def rows_written(self) -> int:
        """Rows written so far, headers and all sheets included."""
        return self._backend.rows

    def add_sheet(self, name: str, header: Sequence[str]) -> None:
        """Start a new sheet (XLSX only) with its *header* row."""
        self._check_open()
        if type(name) is not str:
            raise ValidationError((_type_issue("name", "text"),))
        self._backend.add_sheet(name, _check_header(header))

    def write_row(self, cells: Sequence[Cell]) -> None:
        """Write one row of cells (None for an empty cell)."""
        self._check_open()
        if isinstance(cells, (str, bytes)) or not isinstance(cells, Sequence):
            raise ValidationError((_type_issue("cells", "a list of cells"),))
        self._backend.write_row(_check_cells(tuple(cells)))

    def close(self) -> None:
        """Finish the file (a second call does nothing)."""
        if not self._closed:
            self._closed = True
            self._backend.close()

    def __enter__(self) -> Self:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.close()

    def _check_open(self) -> None:
        if self._closed:
            raise fail_file("file.closed")


def open_table_writer(
    target: str | os.PathLike[str] | io.BufferedIOBase | Any,
    format: Literal["csv", "xlsx"] = "csv",  # noqa: A002 -- the word users know.
    *,
    header: Sequence[str] = (),
    sheet: str = "Sheet1",
    delimiter: str = ",",
) -> TableWriter:
    """
    Open a `TableWriter` on *target* with a first sheet.

    Args:
        target: A path (created or replaced) or a binary file object
            (written, not closed).
        format: ``"csv"``: UTF-8 with a byte-order mark (so that Excel
            reads accents right), CRLF line ends, text cells passed
            through `neutralize`; ``"xlsx"``: XlsxWriter, header row
            bold and frozen, dates as dates, text always as text.
        header: The first row.
        sheet: The first sheet's name (XLSX).
        delimiter: The CSV delimiter: ``","`` by default; French Excel
            opens ``";"`` files with a double-click.

    .. versionadded:: 0.1.0
    """
    issues: list[Issue] = []
    path: str | None = None
    if isinstance(target, (str, os.PathLike)):
        try:
            path = os.fspath(target)
        except Exception:  # noqa: BLE001 -- a hostile __fspath__.
            path = None
        if not isinstance(path, str):
            issues.append(_type_issue("target", "a path or a binary file"))
    elif not _has_method(target, "write"):
        issues.append(_type_issue("target", "a path or a binary file"))
    if not _is_choice(format, ("csv", "xlsx")):
        issues.append(_choice_issue("format", format, ("csv", "xlsx")))
    if type(sheet) is not str:
        issues.append(_type_issue("sheet", "text"))
    if not _is_choice(delimiter, _csv.DELIMITERS):
        issues.append(_choice_issue("delimiter", delimiter, _csv.DELIMITERS))
    try:
        checked = _check_header(header)
    except ValidationError as e:
        issues.extend(e.issues)
    if issues:
        raise ValidationError(issues)
    where = path if path is not None else target
    backend: _CsvBackend | _XlsxBackend
    if format == "csv":
        backend = _CsvBackend(where, delimiter)
    else:
        backend = _XlsxBackend(where)
    writer = TableWriter(backend)
    try:
        backend.add_sheet(sheet, checked)
    except BaseException:
        writer.close()
        raise
    return writer


def write_error_file(
    target: str | os.PathLike[str] | io.BufferedIOBase | Any,
    header: Sequence[str],
    rows: Iterable[tuple[Sequence[Cell], Sequence[Issue | str]]],
    *,
    format: Literal["csv", "xlsx"] = "csv",  # noqa: A002 -- the word users know.
    locale: Locale = "en",
    sheet: str = "Sheet1",
    delimiter: str = ",",
) -> int:
    """
    Write *rows* back with their problems in a last column, so that the
    user fixes them and imports only those rows again; return the
    number of rows written (the header not counted).

    The last column is headed "problems" (``locale="fr"``:
    "problèmes") and holds one problem a line: an `Issue` as
    ``"path: message"`` in *locale*, text as given.  A row longer than
    *header* keeps its extra cells after the problems.

    >>> import io
    >>> out = io.BytesIO()
    >>> write_error_file(out, ["Nom"], [(["Lefèvre"], ["E-mail manquant"])],
    ...                  locale="fr")
    1
    >>> out.getvalue().decode("utf-8-sig")
    'Nom,problèmes\\r\\nLefèvre,E-mail manquant\\r\\n'

    .. versionadded:: 0.1.0
    """
    if not _is_choice(locale, ("en", "fr")):
        raise ValidationError((_choice_issue("locale", locale, ("en", "fr")),))
    checked = _check_header(header)
    width = len(checked)
    written = 0
    with open_table_writer(
        target,
        format,
        header=(*checked, _PROBLEMS[locale]),
        sheet=sheet,
        delimiter=delimiter,
    ) as writer:
        for i, given in enumerate(_host_items(rows, "rows")):
            pair: object = given
            if not isinstance(pair, tuple) or len(pair) != 2:  # noqa: PLR2004
                raise ValidationError(
                    (_type_issue(f"rows[{i}]", "(cells, problems)"),)
                )
            cells: object = pair[0]
            problems: object = pair[1]
            if isinstance(cells, (str, bytes)) or not isinstance(
                cells, Sequence
            ):
                raise ValidationError(
                    (_type_issue(f"rows[{i}][0]", "a list of cells"),)
                )
            text = _problems_text(problems, locale, f"rows[{i}][1]")
            padded = (*cells[:width], *([None] * (width - len(cells))))
            try:
                writer.write_row((*padded, text, *cells[width:]))
            except ValidationError as e:
                raise e.prefixed(f"rows[{i}]") from None
            written += 1
    return written


def _host_items(items: object, path: str) -> Iterator[object]:
    """The items of a host's iterable; its failures as `ValidationError`."""
    issue = _type_issue(path, "pairs of cells and problems")
    try:
        iterator = iter(items)  # type: ignore[call-overload]
    except Exception as e:
        raise ValidationError((issue,)) from e
    while True:
        try:
            item = next(iterator)
        except StopIteration:
            return
        except Exception as e:
            raise ValidationError((issue,)) from e
        yield item


def _problems_text(problems: object, locale: Locale, path: str) -> str:
    if isinstance(problems, (str, bytes)) or not isinstance(
        problems, Sequence
    ):
        raise ValidationError((_type_issue(path, "a list of problems"),))
    lines = []
    for p in problems:
        if isinstance(p, Issue):
            message = p.message(locale)
            lines.append(f"{p.path}: {message}" if p.path else message)
        elif type(p) is str:
            lines.append(p)
        else:
            raise ValidationError((_type_issue(path, "issues or text"),))
    return "\n".join(lines)


def _check_header(header: object) -> tuple[str, ...]:
    if (
        isinstance(header, (str, bytes))
        or not isinstance(header, Sequence)
        or not all(type(h) is str for h in header)
    ):
        raise ValidationError((_type_issue("header", "a list of texts"),))
    return _check_cells(tuple(header), "header")  # type: ignore[return-value]


_CELL_TYPES: Final = (
    str,
    bool,
    int,
    float,
    dt.date,
    dt.time,
    dt.timedelta,
    type(None),
)


def _check_cells(
    cells: tuple[Any, ...], path: str = "cells"
) -> tuple[Cell, ...]:
    issues = []
    if len(cells) > MAX_COLUMNS:
        raise ValidationError(
            (
                Issue(
                    path,
                    "file.too_many_columns",
                    None,
                    {"row": "?", "max": f"{MAX_COLUMNS:,}"},
                ),
            )
        )
    for i, cell in enumerate(cells):
        if not isinstance(cell, _CELL_TYPES):
            issues.append(_type_issue(f"{path}[{i}]", "a cell value"))
        elif type(cell) is str and len(cell) > EXCEL_CELL_CHARS:
            issues.append(
                Issue(
                    f"{path}[{i}]",
                    "file.cell_too_long",
                    cell,
                    {"max": f"{EXCEL_CELL_CHARS:,}"},
                )
            )
    if issues:
        raise ValidationError(issues)
    return cells


def _csv_text(cell: Cell) -> str:
    if cell is None:
        return ""
    if isinstance(cell, str):
        return neutralize(cell)
    if isinstance(cell, bool):
        return "TRUE" if cell else "FALSE"
    if isinstance(cell, (dt.date, dt.time)):
        return cell.isoformat()
    return str(cell)


class _CsvBackend:
    def __init__(self, where: str | Any, delimiter: str) -> None:
        self.rows = 0
        self._sheets = 0
        self._own: Any = None
        raw: Any
        if isinstance(where, str):
            try:
                self._own = raw = open(where, "wb")  # noqa: SIM115, PTH123 -- closed in close().
            except (OSError, ValueError) as e:
                raise fail_file("file.unreadable") from e
        else:
            raw = _Sink(where)
        self._text = io.TextIOWrapper(
            raw, encoding="utf-8-sig", newline="", write_through=True
        )
        self._csv = csv.writer(self._text, delimiter=delimiter)

    def add_sheet(self, name: str, header: tuple[str, ...]) -> None:  # noqa: ARG002 -- CSV has no sheet names.
        if self._sheets:
            raise fail_file("file.one_sheet")
        self._sheets = 1
        self.write_row(header)

    def write_row(self, cells: tuple[Cell, ...]) -> None:
        try:
            self._csv.writerow([_csv_text(c) for c in cells])
        except (OSError, ValueError) as e:
            raise fail_file("file.unreadable") from e
        self.rows += 1

    def close(self) -> None:
        try:
            self._text.flush()
            if self._own is not None:
                self._text.close()
            else:
                self._text.detach()
        except (OSError, ValueError) as e:
            raise fail_file("file.unreadable") from e


class _Sink(io.RawIOBase):
    """A host's binary file object, never closed by us."""

    def __init__(self, target: Any) -> None:
        super().__init__()
        self._target = target

    def writable(self) -> bool:
        return True

    def write(self, data: Any) -> int:
        chunk = bytes(data)
        try:
            self._target.write(chunk)
        except Exception as e:
            raise OSError(str(e)) from e
        return len(chunk)


class _XlsxBackend:
    def __init__(self, where: str | Any) -> None:
        module = _xlsx.xlsxwriter()
        self.rows = 0
        self._book = module.Workbook(
            where,
            {
                "constant_memory": True,
                "remove_timezone": True,
                "strings_to_formulas": False,
                "strings_to_urls": False,
                "strings_to_numbers": False,
            },
        )
        self._bold = self._book.add_format({"bold": True})
        self._formats = {
            dt.datetime: self._book.add_format(
                {"num_format": "yyyy-mm-dd hh:mm:ss"}
            ),
            dt.date: self._book.add_format({"num_format": "yyyy-mm-dd"}),
            dt.time: self._book.add_format({"num_format": "hh:mm:ss"}),
            dt.timedelta: self._book.add_format({"num_format": "[h]:mm:ss"}),
        }
        self._sheet: Any = None
        self._row = 0
        self._widths: list[int] = []

    def add_sheet(self, name: str, header: tuple[str, ...]) -> None:
        errors = _xlsx.xlsxwriter().exceptions
        self._finish_sheet()
        try:
            self._sheet = self._book.add_worksheet(name)
        except (
            errors.InvalidWorksheetName,
            errors.DuplicateWorksheetName,
        ) as e:
            raise ValidationError(
                (Issue("name", "file.sheet_name", name),)
            ) from e
        self._row = 0
        self._widths = []
        self._sheet.freeze_panes(1, 0)
        self._write(header, self._bold)

    def write_row(self, cells: tuple[Cell, ...]) -> None:
        self._write(cells, None)

    def _write(self, cells: tuple[Cell, ...], style: Any) -> None:
        if self._row >= _EXCEL_ROWS:
            raise fail_file("file.too_large", max=f"{_EXCEL_ROWS:,} rows")
        sheet, row = self._sheet, self._row
        for col, cell in enumerate(cells):
            self._cell(sheet, row, col, cell, style)
            width = len(cell) if isinstance(cell, str) else 12
            if col >= len(self._widths):
                self._widths.append(0)
            self._widths[col] = max(self._widths[col], min(width, 50))
        self._row += 1
        self.rows += 1

    def _cell(
        self, sheet: Any, row: int, col: int, cell: Cell, style: Any
    ) -> None:
        if cell is None:
            return
        if isinstance(cell, str):
            sheet.write_string(row, col, cell, style)
        elif isinstance(cell, bool):
            sheet.write_boolean(row, col, cell, style)
        elif isinstance(cell, (int, float)):
            if (isinstance(cell, float) and not math.isfinite(cell)) or (
                isinstance(cell, int) and abs(cell) > 2**53
            ):
                sheet.write_string(row, col, str(cell), style)
            else:
                sheet.write_number(row, col, cell, style)
        else:
            kind = dt.datetime if isinstance(cell, dt.datetime) else type(cell)
            fmt = self._formats.get(kind) or self._formats[dt.date]
            sheet.write_datetime(row, col, cell, fmt)

    def _finish_sheet(self) -> None:
        if self._sheet is not None:
            for col, width in enumerate(self._widths):
                self._sheet.set_column(col, col, max(width, 8) + 2)

    def close(self) -> None:
        self._finish_sheet()
        try:
            self._book.close()
        except Exception as e:
            raise fail_file("file.unreadable") from e
