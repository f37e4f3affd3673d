# SPDX-License-Identifier: MIT
"""
Customers and persons in and out of files: spreadsheets (XLSX, ODS,
CSV), vCard and JSContact (IO-1, IO-2, IO-3, BX-8).

Readers turn rows and cards into `PersonRecord` objects; the importer
validates them through the model and checks them for duplicates.
`read_tables` and `open_table_writer` read and write the rows of CSV,
XLSX, XLS and ODS files (`customer_domain.interchange.tables`).
Spreadsheet formats need the ``xlsx`` extra, vCard the ``vcard`` extra;
CSV needs none.
"""

from __future__ import annotations

from customer_domain.interchange.records import PersonRecord, Source
from customer_domain.interchange.tables import (
    Cell,
    Row,
    Table,
    TableWriter,
    neutralize,
    open_table_writer,
    read_tables,
    write_error_file,
)


__all__ = [
    "Cell",
    "PersonRecord",
    "Row",
    "Source",
    "Table",
    "TableWriter",
    "neutralize",
    "open_table_writer",
    "read_tables",
    "write_error_file",
]
