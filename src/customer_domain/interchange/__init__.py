# SPDX-License-Identifier: MIT
"""
Customers and persons in and out of files: spreadsheets (XLSX, ODS,
CSV), vCard and JSContact (IO-1, IO-2, IO-3, BX-8).

Readers turn rows and cards into `PersonRecord` objects; the importer
validates them through the model and checks them for duplicates.
Spreadsheet formats need the ``xlsx`` extra, vCard the ``vcard`` extra
(imported only when a vCard function is called, so this package imports
without it); JSContact needs none.
"""

from __future__ import annotations

from customer_domain.interchange.jscontact import (
    person_to_jscontact,
    read_jscontact,
)
from customer_domain.interchange.records import PersonRecord, Source
from customer_domain.interchange.vcard import (
    person_to_vcard,
    read_vcards,
    write_vcard_zip,
    write_vcards,
)


__all__ = [
    "PersonRecord",
    "Source",
    "person_to_jscontact",
    "person_to_vcard",
    "read_jscontact",
    "read_vcards",
    "write_vcard_zip",
    "write_vcards",
]
