# SPDX-License-Identifier: MIT
"""
What every reader hands the importer, whatever the file format.

A reader (spreadsheet, CSV, vCard, JSContact) turns each row or card of
a file into a `PersonRecord`: where it came from (`Source`), which
customer it belongs to, and the person's fields as `PersonChanges` keys
(``channels`` as a list of ``{"kind", "value", ...}`` mappings).  The
reader does not validate the values: the importer builds the person
through the model, so a file and a form meet the same rules and the
same messages.  What the reader itself could not read (a cell of the
wrong type, an undecodable vCard line) travels in ``problems``.

>>> record = PersonRecord(
...     Source("contacts.csv", None, 2),
...     fields={"last_name": "Lefèvre", "first_name": "Hélène"},
...     customer_number="C-00042",
... )
>>> record.source.where()
'contacts.csv, row 2'
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import attrs

from customer_domain.exceptions import Issue


__all__ = ["PersonRecord", "Source"]


@attrs.frozen
class Source:
    """
    Where a record is in its file, as the user sees it.

    Attributes:
        file: The file's name (no directory).
        sheet: The sheet's name (XLSX, ODS), or None (CSV, vCard).
        row: The row number as a spreadsheet shows it (the header is
            row 1 when it is the first line), or the card's number in
            a vCard file (the first card is 1).

    .. versionadded:: 0.1.0
    """

    file: str
    sheet: str | None
    row: int

    def where(self, locale: str = "en") -> str:
        """``"file, sheet, row N"`` in English or French."""
        word = ("ligne" if locale == "fr" else "row") if self.row else ""
        parts = [self.file]
        if self.sheet is not None:
            parts.append(self.sheet)
        if word:
            parts.append(f"{word} {self.row}")
        return ", ".join(parts)


@attrs.frozen
class PersonRecord:
    """
    One person read from a file, not yet validated.

    Attributes:
        source: Where it was read.
        fields: Keys of `PersonChanges` (``last_name``, ``first_name``,
            ``channels``...) with the values as read.
        customer_number: The customer's number, when the file gives it.
        customer_name: The customer's name (a vCard's ``ORG``), when the
            file gives it.
        columns: The column (or vCard property) each field came from,
            so a problem is reported where the user typed the value:
            ``{"last_name": "Nom", "channels[0]": "E-mail"}``.
        raw: The record as it was in the file (cells by header, or the
            card's text), written back to the error file.
        problems: What the reader could not read, with paths as in
            ``columns``.

    .. versionadded:: 0.1.0
    """

    source: Source
    fields: Mapping[str, Any] = attrs.field(factory=dict)
    customer_number: str = ""
    customer_name: str = ""
    columns: Mapping[str, str] = attrs.field(factory=dict)
    raw: Mapping[str, Any] | str = attrs.field(factory=dict)
    problems: tuple[Issue, ...] = ()
