# SPDX-License-Identifier: MIT
"""
Customers and persons in and out of files: spreadsheets (XLSX, ODS,
CSV), vCard and JSContact (IO-1, IO-2, IO-3, BX-8).

Readers turn rows and cards into `PersonRecord` objects; the `Importer`
validates them through the model, checks them for duplicates and writes
them in batches.  `import_file` and `export_file` do the same for whole
spreadsheets; `write_template` writes the import template.
`read_tables` and `open_table_writer` read and write the rows of CSV,
XLSX, XLS and ODS files.

Spreadsheet formats need the ``xlsx`` extra, vCard the ``vcard`` extra
(both imported only when a function needs them, so this package imports
without them); CSV and JSContact need none.
"""

from __future__ import annotations

from customer_domain.interchange.columns import (
    CUSTOMER_COLUMNS,
    PERSON_COLUMNS,
    Column,
    HeaderMatch,
    match_headers,
    read_person_row,
)
from customer_domain.interchange.exporting import (
    customer_rows,
    export_columns,
    person_rows,
)
from customer_domain.interchange.files import export_file, import_file
from customer_domain.interchange.importing import (
    DuplicateAction,
    Importer,
    ImportProgress,
    ImportReport,
    RowDuplicate,
    RowProblem,
)
from customer_domain.interchange.jscontact import (
    person_to_jscontact,
    read_jscontact,
)
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
from customer_domain.interchange.template import write_template
from customer_domain.interchange.vcard import (
    person_to_vcard,
    read_vcards,
    write_vcard_zip,
    write_vcards,
)


__all__ = [
    "CUSTOMER_COLUMNS",
    "PERSON_COLUMNS",
    "Cell",
    "Column",
    "DuplicateAction",
    "HeaderMatch",
    "ImportProgress",
    "ImportReport",
    "Importer",
    "PersonRecord",
    "Row",
    "RowDuplicate",
    "RowProblem",
    "Source",
    "Table",
    "TableWriter",
    "customer_rows",
    "export_columns",
    "export_file",
    "import_file",
    "match_headers",
    "neutralize",
    "open_table_writer",
    "person_rows",
    "person_to_jscontact",
    "person_to_vcard",
    "read_jscontact",
    "read_person_row",
    "read_tables",
    "read_vcards",
    "write_error_file",
    "write_template",
    "write_vcard_zip",
    "write_vcards",
]
