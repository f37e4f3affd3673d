# SPDX-License-Identifier: MIT
"""
Customers and persons in and out of files: spreadsheets (XLSX, ODS,
CSV), vCard and JSContact (IO-1, IO-2, IO-3, BX-8).

Readers turn rows and cards into `PersonRecord` objects; the importer
validates them through the model and checks them for duplicates.
Spreadsheet formats need the ``xlsx`` extra, vCard the ``vcard`` extra.
"""

from __future__ import annotations

from customer_domain.interchange.records import PersonRecord, Source


__all__ = ["PersonRecord", "Source"]
