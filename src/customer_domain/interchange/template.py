# SPDX-License-Identifier: MIT
"""
The import template (IO-2): an XLSX workbook generated from the model's
columns, never kept by hand.

Two layouts:

- ``"persons"``: the persons of one customer (seed 003's "Générer
  fichier d'import"): one sheet, no customer columns.
- ``"base"``: a whole customer base: a customers sheet and a persons
  sheet linked by customer number.

Headers are in English or French; required columns end with ``*``;
cells with a fixed set of values (countries, languages, currencies,
kinds, yes/no) have drop-down lists; each sheet has an example row, and
a help sheet explains every column in both languages.  Needs the
``xlsx`` extra.

>>> import io
>>> buffer = io.BytesIO()
>>> write_template(buffer, layout="base", locale="fr")
>>> buffer.getvalue()[:2]
b'PK'
"""

from __future__ import annotations

import io
import os

from collections.abc import Mapping, Sequence
from typing import IO, Any, Final, Literal

from customer_domain._collect import Collector
from customer_domain.interchange.columns import (
    CUSTOMER_COLUMNS,
    PERSON_COLUMNS,
    Column,
)
from customer_domain.validation.countries import COUNTRIES
from customer_domain.validation.currencies import CURRENCIES
from customer_domain.validation.languages import LANGUAGES


__all__ = ["EXAMPLES", "SHEETS", "write_template"]

Layout = Literal["persons", "base"]
Locale = Literal["en", "fr"]

#: Sheet names by role and locale; the importer knows them all.
SHEETS: Final[Mapping[str, tuple[str, str]]] = {
    "customers": ("Customers", "Clients"),
    "persons": ("Persons", "Interlocuteurs"),
    "help": ("Help", "Aide"),
    "lists": ("Lists", "Listes"),
}

#: The example row of each sheet, by column key: valid values, so that
#: importing an untouched template creates one customer and one person.
EXAMPLES: Final[Mapping[str, str]] = {
    "number": "C-00042",
    "name": "Imprimerie Lefèvre",
    "kind": "company",
    "legal_form": "SARL",
    "address.street": "12 rue de la République",
    "address.postal_code": "69002",
    "address.city": "Lyon",
    "address.country": "FR",
    "vat_id": "FR40303265045",
    "stage": "client",
    "language": "fr",
    "currency": "EUR",
    "customer_number": "C-00042",
    "contact_types": "Achats",
    "salutation": "Mme",
    "first_name": "Hélène",
    "last_name": "Lefèvre",
    "job_title": "Responsable achats",
    "department": "Achats",
    "phone": "04 78 12 34 56",
    "mobile": "06 12 34 56 78",
    "email": "helene.lefevre@imprimerie-lefevre.fr",
}

_YES_NO: Final = {"en": ["yes", "no"], "fr": ["oui", "non"]}
_SHARED_LISTS: Final[Mapping[str, Sequence[str]]] = {
    "address.country": sorted(COUNTRIES),
    "language": list(LANGUAGES),
    "currency": sorted(CURRENCIES),
}
#: Excel's longest inline list of a data validation, in characters.
_INLINE_MAX: Final = 255
#: Rows a drop-down list applies to below the header.
_ROWS: Final = 10_000


def _xlsxwriter() -> Any:
    try:
        import xlsxwriter  # noqa: PLC0415 -- an optional extra.
    except ImportError as e:  # pragma: no cover - depends on the install
        msg = "XLSX files need the extra: pip install 'customer-domain[xlsx]'"
        raise ImportError(msg) from e
    return xlsxwriter


def write_template(
    target: str | os.PathLike[str] | IO[bytes],
    *,
    layout: Layout = "persons",
    locale: Locale = "en",
) -> None:
    """
    Write the import template to *target* (a path or a binary file).

    Args:
        layout: ``"persons"`` (one customer's persons) or ``"base"``
            (customers and persons).
        locale: ``"en"`` or ``"fr"``: headers, sheet names, yes/no.

    Raises:
        ValidationError: An argument is wrong.
    """
    c = Collector()
    chosen: object = layout
    language: object = locale
    if not isinstance(chosen, str) or chosen not in ("persons", "base"):
        c.add("layout", "choice.invalid", chosen, choices="persons, base")
    if not isinstance(language, str) or language not in ("en", "fr"):
        c.add("locale", "choice.invalid", language, choices="en, fr")
    if (
        not isinstance(target, str | os.PathLike)
        and not callable(getattr(target, "write", None))
    ) or (isinstance(target, str) and ("\x00" in target or not target)):
        c.add("target", "invalid_type", target, expected="a path or a file")
    c.raise_if_any()
    fr = locale == "fr"
    buffer = io.BytesIO()
    book = _xlsxwriter().Workbook(buffer, {"in_memory": True})
    bold = book.add_format({"bold": True, "bg_color": "#DDEBF7"})
    required = book.add_format(
        {"bold": True, "bg_color": "#FCE4D6", "font_color": "#C00000"}
    )
    text = book.add_format({"num_format": "@"})
    sheets: list[tuple[str, Sequence[Column]]] = []
    if layout == "base":
        sheets.append((SHEETS["customers"][fr], CUSTOMER_COLUMNS))
        sheets.append((SHEETS["persons"][fr], PERSON_COLUMNS))
    else:
        own = [
            col
            for col in PERSON_COLUMNS
            if col.key not in ("customer_number", "customer_name")
        ]
        sheets.append((SHEETS["persons"][fr], own))
    ranges: dict[str, str] = {}
    for i, (key, values) in enumerate(_SHARED_LISTS.items()):
        letter = _letter(i)
        ranges[key] = (
            f"='{SHEETS['lists'][fr]}'!${letter}$2:${letter}${len(values) + 1}"
        )
    for name, columns in sheets:
        sheet = book.add_worksheet(name)
        for i, col in enumerate(columns):
            head = col.header(locale) + ("*" if col.required else "")
            sheet.write_string(0, i, head, required if col.required else bold)
            sheet.set_column(i, i, max(12, len(head) + 2), text)
            sheet.write_comment(0, i, col.help(locale))
            example = EXAMPLES.get(col.key, "")
            if example:
                sheet.write_string(1, i, example)
            source: object = ranges.get(col.key)
            if source is None and col.kind == "choice":
                source = list(col.choices)
            elif source is None and col.kind == "boolean":
                source = _YES_NO[locale]
            if source is not None:
                sheet.data_validation(
                    1,
                    i,
                    _ROWS,
                    i,
                    {
                        "validate": "list",
                        "source": source,
                        "ignore_blank": True,
                        "error_type": "warning",
                    },
                )
        sheet.freeze_panes(1, 0)
    help_sheet = book.add_worksheet(SHEETS["help"][fr])
    heads = ("Sheet", "Column", "English", "Français", "Required")
    if fr:
        heads = ("Feuille", "Colonne", "English", "Français", "Obligatoire")
    for i, head in enumerate(heads):
        help_sheet.write_string(0, i, head, bold)
    row = 1
    for name, columns in sheets:
        for col in columns:
            help_sheet.write_string(row, 0, name)
            help_sheet.write_string(row, 1, col.header(locale))
            help_sheet.write_string(row, 2, col.help("en"))
            help_sheet.write_string(row, 3, col.help("fr"))
            yes, no = _YES_NO[locale]
            help_sheet.write_string(row, 4, yes if col.required else no)
            row += 1
    help_sheet.set_column(0, 1, 24)
    help_sheet.set_column(2, 3, 70)
    # The lists come last: the first sheet is where the user types.
    lists = book.add_worksheet(SHEETS["lists"][fr])
    for i, (key, values) in enumerate(_SHARED_LISTS.items()):
        lists.write_string(0, i, key)
        for j, value in enumerate(values, start=1):
            lists.write_string(j, i, value)
    lists.hide()
    book.close()
    data = buffer.getvalue()
    if isinstance(target, str | os.PathLike):
        with open(target, "wb") as out:  # noqa: PTH123
            out.write(data)
    else:
        target.write(data)


def _letter(index: int) -> str:
    """The column letter of a 0-based *index* (A, B... Z, AA...)."""
    out = ""
    index += 1
    while index:
        index, rest = divmod(index - 1, 26)
        out = chr(65 + rest) + out
    return out
