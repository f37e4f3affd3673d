# SPDX-License-Identifier: MIT
"""
Files in and out of a store: spreadsheet and CSV import with an error
file, and exports (IO-1, IO-2).

`import_file` reads every sheet of an XLSX, ODS or CSV file: a sheet
named like the template's customers sheet ("Customers", "Clients")
holds customers, any other sheet persons (the "Help" and "Lists"
sheets of the template are skipped).  Columns are matched by header in
English or French.  Rejected rows are written, with a "problems"
column, to an error file of the same format, so the user fixes and
imports only those.

`export_file` writes the customers, or their persons, matching a
search to XLSX or CSV, in the template's columns, so an export imports
again.
"""

from __future__ import annotations

import os

from collections.abc import Callable, Iterator, Mapping, Sequence
from typing import IO, Any, Final, Literal

from customer_domain._collect import Collector
from customer_domain.exceptions import Issue, ValidationError
from customer_domain.interchange.columns import (
    CUSTOMER_COLUMNS,
    PERSON_COLUMNS,
    Column,
    HeaderMatch,
    RowPlan,
    boolean_cell,
    cell_text,
    fold_header,
    match_headers,
    phone_text,
)
from customer_domain.interchange.exporting import (
    customer_rows,
    export_columns,
    person_rows,
)
from customer_domain.interchange.importing import (
    Importer,
    ImportProgress,
    ImportReport,
    RowProblem,
)
from customer_domain.interchange.records import PersonRecord, Source
from customer_domain.interchange.tables import (
    Row,
    Table,
    TableWriter,
    open_table_writer,
    read_tables,
)
from customer_domain.interchange.template import SHEETS
from customer_domain.storage.protocols import CustomerQuery, Store


__all__ = ["export_file", "import_file"]

Locale = Literal["en", "fr"]

_CUSTOMER_SHEETS: Final = frozenset(
    fold_header(n) for n in (*SHEETS["customers"], "customer", "client")
)
_SKIPPED_SHEETS: Final = frozenset(
    fold_header(n) for n in (*SHEETS["help"], *SHEETS["lists"])
)


def import_file(
    importer: Importer,
    source: str | os.PathLike[str] | IO[bytes],
    *,
    format: str | None = None,  # noqa: A002 -- the word users know.
    file_name: str | None = None,
    mapping: Mapping[str, str] | None = None,
    customer_number: str | None = None,
    dry_run: bool = False,
    errors_to: str | os.PathLike[str] | IO[bytes] | None = None,
    locale: Locale = "en",
    progress: Callable[[ImportProgress], None] | None = None,
    should_stop: Callable[[], bool] | None = None,
) -> ImportReport:
    """
    Import the customers and persons of a spreadsheet or CSV file.

    Args:
        importer: The store, organization and duplicate handling.
        source: A path or a binary file object.
        format: ``"csv"``, ``"xlsx"``, ``"xls"``, ``"ods"``, or None to
            tell from the content.
        file_name: The name shown in reports (the path's by default).
        mapping: Headers (as written) to column keys, for headers the
            columns do not know: ``{"Tél. bureau": "phone"}``.
        customer_number: Import persons into this customer (seed 003:
            the persons of one customer); rows need no customer column.
        dry_run: Check everything, write nothing.
        errors_to: Where to write the rejected rows with their problems
            (same format as *source*: CSV, or XLSX for workbooks).
        locale: The language of the error file's problems.
        progress: Called after each batch.
        should_stop: Asked between batches; True stops the import.

    Raises:
        ValidationError: An argument is wrong, or the file cannot be
            read (path ``file``); rows that cannot be read are reported,
            not raised.
        StorageError: The store refused a batch; what was committed
            stays, and running the import again finishes it.
    """
    c = Collector()
    if not isinstance(importer, Importer):
        c.add("importer", "invalid_type", importer, expected="an importer")
    number: object = customer_number
    if number is not None and (
        not isinstance(number, str) or not number.strip()
    ):
        c.add("customer_number", "invalid_type", number, expected="text")
    language: object = locale
    if not isinstance(language, str) or language not in ("en", "fr"):
        c.add("locale", "choice.invalid", language, choices="en, fr")
    c.raise_if_any()
    tables = read_tables(source, format=format, file_name=file_name)
    report = ImportReport(dry_run=dry_run)
    errors = _ErrorFile(errors_to, locale, dry_run=dry_run)
    try:
        for table, rows in tables:
            name = fold_header(table.sheet or "")
            if table.sheet is not None and name in _SKIPPED_SHEETS:
                for _ in rows:
                    pass
                continue
            where = table.sheet or table.file
            if table.sheet is not None and name in _CUSTOMER_SHEETS:
                match = match_headers(table.header, CUSTOMER_COLUMNS, mapping)
                records: Iterator[Any] = _customer_records(
                    table, rows, match, importer.region
                )
                kind = "customers"
            else:
                match = match_headers(table.header, PERSON_COLUMNS, mapping)
                records = _person_records(
                    table, rows, match, importer.region, customer_number
                )
                kind = "persons"
            if match.unknown:
                report.unknown_columns[where] = match.unknown
            missing = [
                col
                for col in match.missing
                if not (customer_number and col.key.startswith("customer"))
            ]
            errors.start(table)
            if missing:
                for col in missing:
                    report.problems.append(
                        RowProblem(
                            Source(table.file, table.sheet, table.header_row),
                            col.header(locale),
                            Issue("", "column.missing", col.header(locale)),
                        )
                    )
                for row in rows:
                    report.rows += 1
                    report.rejected += 1
                    errors.write(row.cells, ["column.missing"])
                continue
            run = (
                importer.import_customers
                if kind == "customers"
                else importer.import_records
            )
            run(
                records,
                dry_run=dry_run,
                file=table.file,
                report=report,
                on_rejected=errors.rejected,
                progress=progress,
                should_stop=should_stop,
            )
            if report.interrupted:
                break
    finally:
        errors.close()
    return report


def _person_records(
    table: Table,
    rows: Iterator[Row],
    match: HeaderMatch,
    region: str | None,
    customer_number: str | None,
) -> Iterator[PersonRecord]:
    plan = RowPlan(match, table.header, region)
    for row in rows:
        record = plan.read(row.cells, row.source)
        if row.problems:
            record = _with(record, problems=(*record.problems, *row.problems))
        if customer_number is not None:
            record = _with(record, customer_number=customer_number.strip())
        yield record


def _with(record: PersonRecord, **changes: Any) -> PersonRecord:
    import attrs  # noqa: PLC0415 -- attrs.evolve here only.

    return attrs.evolve(record, **changes)


def _customer_records(
    table: Table,
    rows: Iterator[Row],
    match: HeaderMatch,
    region: str | None,
) -> Iterator[PersonRecord]:
    """Customer rows, carried in `PersonRecord` (fields: the customer's)."""
    for row in rows:
        fields, columns, problems = read_customer_row(
            row.cells, match, header=table.header, region=region
        )
        raw = {
            (table.header[i] if i < len(table.header) else str(i)): cell
            for i, cell in enumerate(row.cells)
        }
        yield PersonRecord(
            row.source,
            fields,
            customer_number=str(fields.get("number") or ""),
            customer_name=str(fields.get("name") or ""),
            columns=columns,
            raw=raw,
            problems=(*problems, *row.problems),
        )


def read_customer_row(
    cells: Sequence[object],
    match: HeaderMatch,
    *,
    header: Sequence[object] = (),
    region: str | None = None,
) -> tuple[dict[str, Any], dict[str, str], list[Issue]]:
    """A customers-sheet row as `Customer` arguments, columns, problems."""
    fields: dict[str, Any] = {}
    address: dict[str, str] = {}
    channels: list[dict[str, str]] = []
    columns: dict[str, str] = {}
    problems: list[Issue] = []
    names = [cell_text(h) for h in header]
    for i, column in enumerate(match.columns):
        if column is None or i >= len(cells):
            continue
        heading = names[i] if i < len(names) else column.key
        value = cells[i]
        try:
            _read_cell(column, value, region, fields, address, channels)
        except ValidationError as e:
            problems.extend(issue.prefixed(column.key) for issue in e.issues)
        if column.kind == "channel":
            columns[f"channels[{len(channels) - 1}]"] = heading
        columns[column.key] = heading
    if address:
        fields["address"] = address
        columns.setdefault(
            "address",
            next(
                iter(
                    v for k, v in columns.items() if k.startswith("address.")
                ),
                "",
            ),
        )
    if channels:
        fields["channels"] = channels
    return fields, columns, problems


def _read_cell(  # noqa: PLR0917 -- private, one call site.
    column: Column,
    value: object,
    region: str | None,
    fields: dict[str, Any],
    address: dict[str, str],
    channels: list[dict[str, str]],
) -> None:
    key = column.key
    if column.kind == "channel":
        kind = column.channel_kind
        text = (
            phone_text(value, address.get("country") or region)
            if kind is not None and kind.value in ("phone", "mobile", "fax")
            else cell_text(value)
        )
        if text and kind is not None:
            channels.append({"kind": kind.value, "value": text})
        return
    text = cell_text(value)
    if key.startswith("address."):
        if text:
            address[key.removeprefix("address.")] = text
        return
    if column.kind == "boolean":
        if text:
            fields[key] = boolean_cell(value)
        return
    if text:
        fields[key] = text


# -- the error file -------------------------------------------------------


class _ErrorFile:
    """Rejected rows, written as they come, in the source's format."""

    def __init__(
        self,
        target: str | os.PathLike[str] | IO[bytes] | None,
        locale: Locale,
        *,
        dry_run: bool,
    ) -> None:
        self.target = target
        self.locale = locale
        self.dry_run = dry_run
        self.writer: TableWriter | None = None
        self.header: tuple[str, ...] = ()
        self.pending: Table | None = None
        self.written = 0

    def start(self, table: Table) -> None:
        self.pending = table
        self.header = table.header

    def _open(self) -> TableWriter:
        table = self.pending
        assert table is not None  # noqa: S101 -- start() came first.
        header = (
            *table.header,
            "problèmes" if self.locale == "fr" else "problems",
        )
        if self.writer is None:
            fmt: Literal["csv", "xlsx"] = (
                "csv" if table.sheet is None else "xlsx"
            )
            self.writer = open_table_writer(
                self.target,
                fmt,
                header=header,
                sheet=(table.sheet or "errors")[:31],
            )
        else:
            self.writer.add_sheet((table.sheet or "errors")[:31], header)
        self.pending = None
        return self.writer

    def write(self, cells: Sequence[object], problems: Sequence[str]) -> None:
        if self.target is None:
            return
        writer = self.writer if self.pending is None else self._open()
        assert writer is not None  # noqa: S101
        width = len(self.header)
        padded = [*cells[:width], *([""] * (width - len(cells)))]
        writer.write_row([*(_safe(c) for c in padded), "\n".join(problems)])
        self.written += 1

    def rejected(
        self, record: PersonRecord, problems: list[RowProblem]
    ) -> None:
        raw = record.raw
        cells = list(raw.values()) if isinstance(raw, Mapping) else [str(raw)]
        self.write(cells, [p.message(self.locale) for p in problems])

    def close(self) -> None:
        if self.writer is not None:
            self.writer.close()


def _safe(cell: object) -> Any:
    """A cell as the writers take it (their types, else its text)."""
    import datetime as dt  # noqa: PLC0415

    if cell is None or isinstance(cell, str | int | float | bool | dt.date):
        return cell
    return cell_text(cell)


# -- export ----------------------------------------------------------------


def export_file(
    store: Store,
    organization: str,
    target: str | os.PathLike[str] | IO[bytes],
    *,
    what: Literal["customers", "persons"] = "persons",
    query: CustomerQuery | None = None,
    columns: Sequence[str] | None = None,
    format: Literal["csv", "xlsx"] = "xlsx",  # noqa: A002
    locale: Locale = "en",
    delimiter: str = ",",
    include_inactive: bool = False,
    progress: Callable[[int], None] | None = None,
) -> int:
    """
    Export the customers matching *query*, or their persons, to *target*
    (IO-1); return the number of rows written.

    Columns are the template's (all, or those named by *columns* in
    that order), headed in *locale*; text a spreadsheet would read as a
    formula is neutralised.

    Raises:
        ValidationError: An argument is wrong.
    """
    c = Collector()
    kind: object = what
    if not isinstance(kind, str) or kind not in ("customers", "persons"):
        c.add("what", "choice.invalid", kind, choices="customers, persons")
    language: object = locale
    if not isinstance(language, str) or language not in ("en", "fr"):
        c.add("locale", "choice.invalid", language, choices="en, fr")
    c.raise_if_any()
    chosen = export_columns(what, columns)
    keys = [col.key for col in chosen]
    rows = (
        customer_rows(store, organization, query, columns=keys, locale=locale)
        if what == "customers"
        else person_rows(
            store,
            organization,
            query,
            columns=keys,
            include_inactive=include_inactive,
            locale=locale,
        )
    )
    sheet = SHEETS[what][locale == "fr"]
    count = 0
    with open_table_writer(
        target,
        format,
        header=[col.header(locale) for col in chosen],
        sheet=sheet,
        delimiter=delimiter,
    ) as writer:
        for row in rows:
            writer.write_row(row)
            count += 1
            if progress is not None and count % 1000 == 0:
                progress(count)
    if progress is not None:
        progress(count)
    return count
