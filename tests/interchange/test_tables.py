# SPDX-License-Identifier: MIT
"""Reading and writing CSV, XLSX, XLS and ODS tables (IO-1, IO-2)."""

from __future__ import annotations

import contextlib
import datetime as dt
import io
import random
import zipfile

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import xlsxwriter

from customer_domain import Issue, ValidationError
from customer_domain.interchange import (
    Row,
    Source,
    Table,
    _csv,
    _xlsx,
    neutralize,
    open_table_writer,
    read_tables,
    write_error_file,
)


FRENCH_EXCEL = (
    "Nom;Prénom;Téléphone;E-mail\r\n"
    "Lefèvre;Hélène;06 12 34 56 78;helene@lefevre.fr\r\n"
    "Müller;Françoise;+33 6 12 34 56 78;f@muller.fr\r\n"
    "Dupont;Zoë;;\r\n"
).encode("cp1252")


def read(data: bytes, **kwargs: Any) -> list[tuple[Table, list[Row]]]:
    """Every table of *data* with its rows, read to the end."""
    return [
        (table, list(rows))
        for table, rows in read_tables(io.BytesIO(data), **kwargs)
    ]


def read_all(source: Any, **kwargs: Any) -> None:
    """Read every row of *source*."""
    for _, rows in read_tables(source, **kwargs):
        list(rows)


def cells(data: bytes, **kwargs: Any) -> list[tuple[Any, ...]]:
    """The header and the rows' cells of the only table of *data*."""
    [(table, rows)] = read(data, **kwargs)
    return [table.header, *(r.cells for r in rows)]


def codes(data: bytes, **kwargs: Any) -> tuple[str, ...]:
    """The codes of the `ValidationError` that reading *data* raises."""
    with pytest.raises(ValidationError) as e:
        read(data, **kwargs)
    return e.value.codes


def xlsx(sheets: dict[str, list[list[Any]]]) -> bytes:
    """An XLSX workbook as Excel users make them, built with XlsxWriter."""
    out = io.BytesIO()
    book = xlsxwriter.Workbook(out, {"in_memory": True})
    day = book.add_format({"num_format": "dd/mm/yyyy"})
    for name, rows in sheets.items():
        sheet = book.add_worksheet(name)
        for r, row in enumerate(rows):
            for c, value in enumerate(row):
                if isinstance(value, dt.date):
                    sheet.write_datetime(r, c, value, day)
                elif value is not None:
                    sheet.write(r, c, value)
    book.close()
    return out.getvalue()


_ODS_NS = (
    'xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" '
    'xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0" '
    'xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0"'
)


_MANIFEST = (
    '<?xml version="1.0" encoding="UTF-8"?><manifest:manifest xmlns:manifest='
    '"urn:oasis:names:tc:opendocument:xmlns:manifest:1.0" manifest:version="1.2">'
    '<manifest:file-entry manifest:full-path="/" manifest:media-type='
    '"application/vnd.oasis.opendocument.spreadsheet"/>'
    '<manifest:file-entry manifest:full-path="content.xml" '
    'manifest:media-type="text/xml"/></manifest:manifest>'
)


def ods(tables_xml: str) -> bytes:
    """A minimal ODS file (what LibreOffice writes, without styles)."""
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr(
            zipfile.ZipInfo("mimetype"),
            "application/vnd.oasis.opendocument.spreadsheet",
        )
        z.writestr("META-INF/manifest.xml", _MANIFEST)
        z.writestr(
            "content.xml",
            f'<?xml version="1.0" encoding="UTF-8"?>'
            f'<office:document-content {_ODS_NS} office:version="1.2">'
            f"<office:body><office:spreadsheet>{tables_xml}"
            f"</office:spreadsheet></office:body></office:document-content>",
        )
    return out.getvalue()


def ods_cell(value: str | float) -> str:
    """One ODS cell holding text or a number."""
    if isinstance(value, str):
        return (
            '<table:table-cell office:value-type="string">'
            f"<text:p>{value}</text:p></table:table-cell>"
        )
    return (
        '<table:table-cell office:value-type="float" '
        f'office:value="{value}"><text:p>{value}</text:p></table:table-cell>'
    )


def ods_row(*values: str | float) -> str:
    """One ODS row."""
    return (
        f"<table:table-row>{''.join(map(ods_cell, values))}</table:table-row>"
    )


# -- CSV ---------------------------------------------------------------------


def test_french_excel_csv() -> None:
    """IO-2: cp1252, ';' and CRLF from French Excel read with accents."""
    [(table, rows)] = read(FRENCH_EXCEL, file_name="contacts.csv")

    assert (
        Table(
            "contacts.csv", None, ("Nom", "Prénom", "Téléphone", "E-mail"), 1
        )
        == table
    )
    assert [
        ("Lefèvre", "Hélène", "06 12 34 56 78", "helene@lefevre.fr"),
        ("Müller", "Françoise", "+33 6 12 34 56 78", "f@muller.fr"),
        ("Dupont", "Zoë"),
    ] == [r.cells for r in rows]
    assert Source("contacts.csv", None, 2) == rows[0].source
    assert () == rows[0].problems


def test_french_decimal_commas_do_not_fool_the_delimiter() -> None:
    """IO-2: ';' files whose data hold decimal commas keep ';'."""
    data = b"Nom;Remise;Taux\r\nA;12,5;3,2\r\nB;1,5;0,25\r\n"

    assert [
        ("Nom", "Remise", "Taux"),
        ("A", "12,5", "3,2"),
        ("B", "1,5", "0,25"),
    ] == cells(data)


def test_utf8_bom_comma_csv() -> None:
    """IO-2: UTF-8 with a byte-order mark, ',' delimited."""
    data = "\ufeffName,First name\nLefèvre,Hélène\n".encode()

    assert [("Name", "First name"), ("Lefèvre", "Hélène")] == cells(data)


def test_utf8_without_bom_and_a_character_cut_by_the_sample() -> None:
    """IO-2: UTF-8 whose sample ends inside a character stays UTF-8."""
    line = "Hélène,é\n"
    data = ("Nom,x\n" + line * 20_000).encode()
    cut = _csv.SAMPLE_BYTES
    assert data[cut - 1] >= 0x80  # The sample ends inside "é"

    [(_, rows)] = read(data)
    assert {r.cells for r in rows} == {("Hélène", "é")}


def test_utf16_tab_unicode_text() -> None:
    """IO-2: Excel's "Unicode text": UTF-16 LE with BOM, tab delimited."""
    data = "Nom\tPrénom\r\nLefèvre\tHélène\r\n".encode("utf-16")

    assert [("Nom", "Prénom"), ("Lefèvre", "Hélène")] == cells(data)


def test_utf16_without_bom() -> None:
    """IO-2: UTF-16 LE and BE without a byte-order mark are recognised."""
    text = "Nom;Prénom\r\nLefèvre;Hélène\r\n"

    for codec in ("utf-16-le", "utf-16-be"):
        assert [("Nom", "Prénom"), ("Lefèvre", "Hélène")] == cells(
            text.encode(codec)
        )


def test_mixed_encoding_reads_stray_bytes_as_cp1252() -> None:
    """IO-2: a cp1252 line in a UTF-8 file (past the sample) is repaired."""
    data = (
        b"Nom,x\n"
        + "Hélène,1\n".encode() * 10_000
        + "Zoë,2\n".encode("cp1252")
    )

    [(_, rows)] = read(data)
    assert ("Zoë", "2") == rows[-1].cells


def test_one_column_csv() -> None:
    """IO-2: one column, with commas in unquoted data, stays one column."""
    data = b"E-mail\r\na@b.fr\r\nDupont; Jean\r\n"

    assert [("E-mail",), ("a@b.fr",), ("Dupont; Jean",)] == cells(data)


def test_quoted_newlines_and_delimiters() -> None:
    """IO-2: quoted cells keep newlines, delimiters and quotes; row numbers count records."""
    data = b'Nom,Adresse\r\n"Lef\xc3\xa8vre","1 rue A\r\nBat. B, 2e"\r\nB,"dit ""Bob"""\r\n'

    [(_, rows)] = read(data)
    assert [("Lefèvre", "1 rue A\r\nBat. B, 2e"), ("B", 'dit "Bob"')] == [
        r.cells for r in rows
    ]
    assert [2, 3] == [r.source.row for r in rows]


def test_empty_rows_skipped_but_counted_and_title_rows() -> None:
    """IO-2: the header is the first non-empty row; empty rows keep their numbers."""
    data = b"\r\n;;\r\nNom;Email\r\n\r\nA;a@b.fr;;\r\n;;;\r\nB\r\n"

    [(table, rows)] = read(data)
    assert ("Nom", "Email") == table.header
    assert 3 == table.header_row
    assert [(5, ("A", "a@b.fr")), (7, ("B",))] == [
        (r.source.row, r.cells) for r in rows
    ]


def test_given_encoding_and_delimiter() -> None:
    """IO-2: an explicit encoding and delimiter win over detection."""
    data = "a|b,c\r\né|f,g\r\n".encode("latin-1")

    assert [("a", "b,c"), ("é", "f,g")] == cells(
        data, encoding="latin-1", delimiter="|"
    )


def test_path_source_and_file_name(tmp_path: Path) -> None:
    """IO-2: a path is read and its base name is the Source's file."""
    path = tmp_path / "contacts.csv"
    path.write_bytes(FRENCH_EXCEL)

    [(table, rows)] = [(t, list(r)) for t, r in read_tables(path)]
    assert "contacts.csv" == table.file
    assert "contacts.csv, row 2" == rows[0].source.where()


def test_nul_bytes_in_the_sample_are_binary() -> None:
    """IO-2: NUL or control bytes at the start: not a text file."""
    assert ("file.format",) == codes(b"Nom,x\r\na\x00b,c\r\n")
    assert ("file.format",) == codes(b"\x01\x02\x03abc")


def test_nul_bytes_after_the_sample_are_kept() -> None:
    """IO-2: a NUL far in a file is kept in its cell (the model refuses it)."""
    data = b"Nom,x\n" + b"a,b\n" * 20_000 + b"c\x00d,e\n"

    [(_, rows)] = read(data)
    assert ("c\x00d", "e") == rows[-1].cells


def test_huge_line_is_a_row_problem_and_reading_goes_on() -> None:
    """IO-2: a 10 MB line gives file.line_too_long for its row only."""
    data = b"Nom,x\n" + b"A" * 10_000_000 + b"\nB,c\n"

    [(_, rows)] = read(data)
    assert [(2, (), ("file.line_too_long",)), (3, ("B", "c"), ())] == [
        (r.source.row, r.cells, tuple(i.code for i in r.problems))
        for r in rows
    ]
    assert (
        "Row 2 is longer than 1,048,576 characters: it was not read."
        == rows[0].problems[0].message()
    )


def test_runaway_quote_is_bounded() -> None:
    """IO-2: an unclosed quote swallows at most MAX_RECORD_CHARS."""
    data = b'Nom,x\n"A,b\n' + b"c,d\n" * 300_000

    [(_, rows)] = read(data)
    assert rows[0].problems[0].code == "file.line_too_long"
    assert len(rows) < 300_000


def test_million_columns() -> None:
    """IO-2: a row of 1,000,000 cells gives file.too_many_columns."""
    data = b"Nom,x\n" + b"a," * 500_000 + b"\n" + b"," * 1_000_000 + b"\nB\n"

    [(_, rows)] = read(data)
    assert ["file.too_many_columns"] == [
        i.code for r in rows for i in r.problems
    ]
    assert [2, 4] == [r.source.row for r in rows]


@pytest.mark.parametrize(
    "data",
    [b"", b"\r\n\r\n", b";;;\r\n;;\r\n", b"\xef\xbb\xbf"],
    ids=["nothing", "blank lines", "delimiters only", "BOM only"],
)
def test_empty_files(data: bytes) -> None:
    """IO-2: a file with no data gives file.empty."""
    assert ("file.empty",) == codes(data)


def test_html_disguised_as_xls() -> None:
    """IO-2: web "Excel exports" that are HTML are refused."""
    assert ("file.format",) == codes(
        b"<html><table><tr><td>x</td></tr></table></html>"
    )


# -- workbooks ---------------------------------------------------------------


def test_xlsx_numbers_dates_and_sheets() -> None:
    """IO-2: XLSX phone cells come back as numbers, dates as dates, every sheet."""
    data = xlsx(
        {
            "Personnes": [
                ["Nom", "Téléphone", "Naissance"],
                ["Lefèvre", 612345678, dt.date(1980, 5, 17)],
                [None, None, None],
                ["Müller", 33612345678.0, None],
                ["Dupont", 3.36123e10],
            ],
            "Vide": [],
            "Autres": [[None], [None, "Titre"], ["Nom"], ["Zoë"]],
        }
    )

    [(people, rows), (others, more)] = read(data, file_name="c.xlsx")
    assert (
        Table("c.xlsx", "Personnes", ("Nom", "Téléphone", "Naissance"), 1)
        == people
    )
    assert [
        ("Lefèvre", 612345678.0, dt.date(1980, 5, 17)),
        ("Müller", 33612345678.0),
        ("Dupont", 33612300000.0),
    ] == [r.cells for r in rows]
    assert [2, 4, 5] == [r.source.row for r in rows]
    assert Source("c.xlsx", "Personnes", 2) == rows[0].source
    assert ("", "Titre") == others.header
    assert 2 == others.header_row
    assert [(3, ("Nom",)), (4, ("Zoë",))] == [
        (r.source.row, r.cells) for r in more
    ]


def test_xlsx_named_sheets() -> None:
    """IO-2: sheets= picks sheets in its order; an unknown name is refused."""
    data = xlsx({"A": [["a"]], "B": [["b"]]})

    assert ["B", "A"] == [t.sheet for t, _ in read(data, sheets=["B", "A"])]
    with pytest.raises(ValidationError) as e:
        read(data, sheets=["A", "Z"])
    assert [("sheets[1]", "file.sheet_not_found")] == [
        (i.path, i.code) for i in e.value.issues
    ]


def test_ods() -> None:
    """IO-2: ODS sheets read like XLSX ones, empty rows counted."""
    data = ods(
        '<table:table table:name="Feuille1">'
        + ods_row("Nom", "Téléphone")
        + "<table:table-row><table:table-cell/></table:table-row>"
        + ods_row("Lefèvre", 612345678)
        + "</table:table>"
    )

    [(table, rows)] = read(data, file_name="c.ods")
    assert Table("c.ods", "Feuille1", ("Nom", "Téléphone"), 1) == table
    assert [(3, ("Lefèvre", 612345678.0))] == [
        (r.source.row, r.cells) for r in rows
    ]


def test_format_given_and_detected() -> None:
    """IO-2: format= forces the reader; content wins over a wrong extension."""
    data = xlsx({"A": [["Nom"], ["x"]]})

    assert [("Nom",), ("x",)] == cells(data, format="xlsx")
    assert [("Nom",), ("x",)] == cells(data, file_name="contacts.csv")
    assert ("file.unreadable",) == codes(b"Nom\r\nx\r\n", format="xlsx")
    assert ("file.unreadable",) == codes(b"Nom\r\nx\r\n", format="xls")


def test_zip_that_is_not_a_spreadsheet() -> None:
    """IO-2: a ZIP of something else is file.format."""
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as z:
        z.writestr("readme.txt", "hello")

    assert ("file.format",) == codes(out.getvalue())


def test_truncated_xlsx() -> None:
    """IO-2: a truncated XLSX is file.unreadable."""
    data = xlsx({"A": [["Nom"], ["x"]]})

    for size in (10, len(data) // 2, len(data) - 10):
        assert ("file.unreadable",) == codes(data[:size], format="xlsx")


def test_zip_bomb(monkeypatch: pytest.MonkeyPatch) -> None:
    """IO-2: an archive expanding past the cap (lowered here) is file.too_large."""
    monkeypatch.setattr(_xlsx, "MAX_UNCOMPRESSED_BYTES", 8 * 1024 * 1024)
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("xl/workbook.xml", "<workbook/>")
        with z.open("xl/media/bomb.bin", "w") as entry:
            chunk = bytes(1024 * 1024)
            for _ in range(9):
                entry.write(chunk)

    assert ("file.too_large",) == codes(out.getvalue())


def test_sparse_cell_bomb_in_xlsx() -> None:
    """IO-2: A1 and XFD1048576 would make calamine abort: file.too_large."""
    out = io.BytesIO()
    book = xlsxwriter.Workbook(out, {"in_memory": True})
    sheet = book.add_worksheet()
    sheet.write(0, 0, "Nom")
    sheet.write(1_048_575, 16_383, "far")
    book.close()

    assert ("file.too_large",) == codes(out.getvalue())


def test_repeated_cell_bomb_in_ods() -> None:
    """IO-2: ODS repeats over 10 million cells are file.too_large."""
    data = ods(
        '<table:table table:name="T"><table:table-row '
        'table:number-rows-repeated="1048576"><table:table-cell '
        'table:number-columns-repeated="16384" office:value-type="string">'
        "<text:p>x</text:p></table:table-cell></table:table-row></table:table>"
    )

    assert ("file.too_large",) == codes(data)


def test_trailing_empty_repeats_in_ods_are_fine() -> None:
    """IO-2: LibreOffice's trailing empty repeated rows are not cells."""
    data = ods(
        '<table:table table:name="T">'
        + ods_row("Nom")
        + '<table:table-row table:number-rows-repeated="1048575">'
        '<table:table-cell table:number-columns-repeated="1024"/>'
        "</table:table-row></table:table>"
    )

    assert [("Nom",)] == cells(data)


def test_rows_left_behind_raise() -> None:
    """IO-2: rows of a table read after the next table was asked: file.closed."""
    data = xlsx({"A": [["a"], ["1"]], "B": [["b"], ["2"]]})

    pairs = list(read_tables(io.BytesIO(data)))
    with pytest.raises(ValidationError) as e:
        list(pairs[0][1])
    assert ("file.closed",) == e.value.codes


# -- hostile arguments ---------------------------------------------------------


class _Failing(io.RawIOBase):
    def readable(self) -> bool:
        return True

    def readinto(self, b: Any) -> int:  # noqa: ARG002 -- always fails.
        raise RuntimeError("disk on fire")


@pytest.mark.parametrize(
    ("kwargs", "path", "code"),
    [
        ({"source": 42}, "source", "invalid_type"),
        ({"source": b"a,b"}, "source", "invalid_type"),
        ({"source": io.StringIO("a,b")}, "file", "file.unreadable"),
        ({"source": _Failing()}, "file", "file.unreadable"),
        ({"source": "/nonexistent/x.csv"}, "file", "file.unreadable"),
        ({"source": "a\udcff.csv"}, "file", "file.unreadable"),
        ({"source": "a\x00.csv"}, "file", "file.unreadable"),
        ({"source": "/"}, "file", "file.unreadable"),
        ({"format": "pdf"}, "format", "choice.invalid"),
        ({"format": ["csv"]}, "format", "choice.invalid"),
        ({"file_name": 3}, "file_name", "invalid_type"),
        ({"sheets": "A"}, "sheets", "invalid_type"),
        ({"sheets": [1]}, "sheets", "invalid_type"),
        ({"encoding": "klingon"}, "encoding", "file.encoding_unknown"),
        ({"encoding": "rot13"}, "encoding", "file.encoding_unknown"),
        ({"encoding": 8}, "encoding", "invalid_type"),
        ({"delimiter": ":"}, "delimiter", "choice.invalid"),
        ({"delimiter": {}}, "delimiter", "choice.invalid"),
    ],
)
def test_hostile_arguments(
    kwargs: dict[str, Any], path: str, code: str
) -> None:
    """IO-2: bad arguments give ValidationError with the argument's path."""
    args: dict[str, Any] = {"source": io.BytesIO(FRENCH_EXCEL), **kwargs}
    source = args.pop("source")

    with pytest.raises(ValidationError) as e:
        read_all(source, **args)
    assert [(path, code)] == [(i.path, i.code) for i in e.value.issues]


def test_utf7_undecodable_is_file_encoding() -> None:
    """IO-2: bytes an explicit encoding cannot decode give file.encoding."""
    data = b"a,b\n" + b"c,d\n" * 20_000 + b"+\xff\xfe,e\n"

    assert ("file.encoding",) == codes(data, encoding="utf-7")


def _mutations(good: bytes, rng: random.Random) -> Iterator[bytes]:
    for _ in range(60):
        data = bytearray(good)
        for _ in range(rng.randint(1, 8)):
            op = rng.randrange(3)
            at = rng.randrange(len(data) + 1)
            if op == 0 and at < len(data):
                data[at] = rng.randrange(256)
            elif op == 1:
                data[at:at] = rng.randbytes(rng.randint(1, 16))
            else:
                del data[at:]
        yield bytes(data)


@pytest.mark.parametrize("kind", ["csv", "xlsx", "ods", "garbage"])
def test_mutated_files_only_raise_validation_error(kind: str) -> None:
    """IO-2: flipped, inserted and truncated bytes give rows or ValidationError."""
    rng = random.Random(kind)  # noqa: S311 -- reproducible mutations.
    good = {
        "csv": FRENCH_EXCEL,
        "xlsx": xlsx({"A": [["Nom", "Tel"], ["x", 612345678]]}),
        "ods": ods(
            '<table:table table:name="T">'
            + ods_row("Nom", 1)
            + "</table:table>"
        ),
        "garbage": rng.randbytes(300),
    }[kind]
    for data in _mutations(good, rng):
        with contextlib.suppress(ValidationError):
            read(data)


# -- writing -------------------------------------------------------------------


def test_neutralize() -> None:
    """IO-1: OWASP: text starting = + - @ tab CR gets a leading quote."""
    given = [
        "=1+1",
        "@SUM(A1)",
        "+33612345678",
        "-2",
        "\tx",
        "\rx",
        "Anne",
        "",
        "a=b",
    ]

    assert [
        "'=1+1",
        "'@SUM(A1)",
        "'+33612345678",
        "'-2",
        "'\tx",
        "'\rx",
        "Anne",
        "",
        "a=b",
    ] == [neutralize(v) for v in given]
    with pytest.raises(ValidationError):
        neutralize(3)  # type: ignore[arg-type]


def test_csv_writer_neutralizes_and_reads_back() -> None:
    """IO-1: the CSV writer writes UTF-8-BOM, CRLF, neutralized text."""
    out = io.BytesIO()
    with open_table_writer(
        out, "csv", header=["Nom", "Valeur"], delimiter=";"
    ) as w:
        for value in ["=1+1", "@SUM(A1)", "+33 6 12", "-2", "\tx", "\rx"]:
            w.write_row(["Lefèvre", value])
        w.write_row(["n", -2])
    data = out.getvalue()

    assert data.startswith(
        b"\xef\xbb\xbfNom;Valeur\r\nLef\xc3\xa8vre;'=1+1\r\n"
    )
    assert [
        ("Nom", "Valeur"),
        ("Lefèvre", "'=1+1"),
        ("Lefèvre", "'@SUM(A1)"),
        ("Lefèvre", "'+33 6 12"),
        ("Lefèvre", "'-2"),
        ("Lefèvre", "'\tx"),
        ("Lefèvre", "'\rx"),
        ("n", "-2"),
    ] == cells(data)


def test_csv_round_trip(tmp_path: Path) -> None:
    """IO-1: rows written to a CSV path read back equal."""
    rows = [
        ("Lefèvre", "Hélène", "1 rue A\nBât. B"),
        ("Zoë", 'dit "Z"; ok', "x,y"),
    ]
    path = tmp_path / "out.csv"
    with open_table_writer(path, header=["Nom", "Prénom", "Adresse"]) as w:
        for row in rows:
            w.write_row(row)

    assert [("Nom", "Prénom", "Adresse"), *rows] == cells(path.read_bytes())


def test_xlsx_round_trip_several_sheets() -> None:
    """IO-1: XLSX keeps text as text (even formulas), numbers, dates, sheets."""
    out = io.BytesIO()
    with open_table_writer(
        out, "xlsx", header=["Nom", "Tel", "Date"], sheet="Personnes"
    ) as w:
        w.write_row(["=1+1", 612345678, dt.date(2024, 1, 2)])
        w.write_row(["+33 6 12", 0.5, dt.datetime(2024, 1, 2, 3, 4, 5)])  # noqa: DTZ001
        w.write_row([True, None, "x" * 32_767])
        w.add_sheet("Autres", ["Nom"])
        w.write_row(["Zoë"])
        assert 6 == w.rows_written

    [(people, rows), (others, more)] = read(out.getvalue())
    assert ("Personnes", ("Nom", "Tel", "Date")) == (
        people.sheet,
        people.header,
    )
    assert [
        ("=1+1", 612345678.0, dt.date(2024, 1, 2)),
        ("+33 6 12", 0.5, dt.datetime(2024, 1, 2, 3, 4, 5)),  # noqa: DTZ001
        (True, "", "x" * 32_767),
    ] == [r.cells for r in rows]
    assert ("Autres", [("Zoë",)]) == (others.sheet, [r.cells for r in more])


def test_xlsx_header_is_bold_and_frozen() -> None:
    """IO-1: the XLSX header row is bold and frozen, columns widened."""
    out = io.BytesIO()
    with open_table_writer(out, "xlsx", header=["Nom"]) as w:
        w.write_row(["Lefèvre"])
    with zipfile.ZipFile(out) as z:
        sheet = z.read("xl/worksheets/sheet1.xml").decode()
        styles = z.read("xl/styles.xml").decode()

    assert 'state="frozen"' in sheet
    assert "<col " in sheet
    assert "<b/>" in styles


def test_writer_refuses_bad_rows_and_stays_whole() -> None:
    """IO-1: a refused row writes nothing; the file stays readable."""
    out = io.BytesIO()
    with open_table_writer(out, "xlsx", header=["Nom", "x"]) as w:
        with pytest.raises(ValidationError) as e:
            w.write_row(["ok", "y" * 32_768])
        assert [("cells[1]", "file.cell_too_long")] == [
            (i.path, i.code) for i in e.value.issues
        ]
        with pytest.raises(ValidationError) as e:
            w.write_row(["ok", object()])  # type: ignore[list-item]
        assert ("invalid_type",) == e.value.codes
        with pytest.raises(ValidationError) as e:
            w.write_row("abc")
        with pytest.raises(ValidationError) as e:
            w.add_sheet("a[b]", ["x"])
        assert ("file.sheet_name",) == e.value.codes
        w.write_row(["fin"])
    with pytest.raises(ValidationError) as e:
        w.write_row(["late"])
    assert ("file.closed",) == e.value.codes

    assert [("Nom", "x"), ("fin",)] == cells(out.getvalue())


def test_csv_has_one_sheet() -> None:
    """IO-1: a second sheet in a CSV is file.one_sheet."""
    with (
        open_table_writer(io.BytesIO(), header=["a"]) as w,
        pytest.raises(ValidationError) as e,
    ):
        w.add_sheet("B", ["b"])

    assert ("file.one_sheet",) == e.value.codes


@pytest.mark.parametrize(
    ("kwargs", "path"),
    [
        ({"target": 3}, "target"),
        ({"format": "ods"}, "format"),
        ({"format": ["csv"]}, "format"),
        ({"delimiter": ":"}, "delimiter"),
        ({"header": "Nom"}, "header"),
        ({"header": [1]}, "header"),
        ({"sheet": 1}, "sheet"),
    ],
)
def test_writer_hostile_arguments(kwargs: dict[str, Any], path: str) -> None:
    """IO-1: bad writer arguments give ValidationError at their path."""
    args: dict[str, Any] = {"target": io.BytesIO(), **kwargs}

    with pytest.raises(ValidationError) as e:
        open_table_writer(args.pop("target"), **args)
    assert [path] == [i.path for i in e.value.issues]


def test_writer_to_an_unwritable_path(tmp_path: Path) -> None:
    """IO-1: a path that cannot be written is file.unreadable."""
    with pytest.raises(ValidationError) as e:
        open_table_writer(tmp_path / "missing" / "x.csv", header=["a"])

    assert ("file.unreadable",) == e.value.codes


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_error_file(fmt: str) -> None:
    """IO-2: the error file repeats the rows with a last problems column."""
    out = io.BytesIO()
    written = write_error_file(
        out,
        ["Nom", "E-mail"],
        [
            (
                ["Lefèvre", "pas-un-mail"],
                [Issue("channels[0].value", "email.invalid", "x")],
            ),
            (["Zoë"], ["Nom inconnu", "Deuxième problème"]),
        ],
        format=fmt,  # type: ignore[arg-type]
        locale="fr",
    )

    assert 2 == written
    got = cells(out.getvalue())
    assert ("Nom", "E-mail", "problèmes") == got[0]
    assert got[1][:2] == ("Lefèvre", "pas-un-mail")
    assert str(got[1][2]).startswith("channels[0].value: ")
    assert ("Zoë", "", "Nom inconnu\nDeuxième problème") == got[2]


def test_error_file_bad_input() -> None:
    """IO-2: bad rows or locale in the error file give ValidationError."""
    for kwargs in (
        {"rows": [("x",)]},
        {"rows": [(["a"], "not a list")]},
        {"rows": [(["a"], [3])]},
        {"rows": 5},
        {"locale": "de"},
    ):
        args: dict[str, Any] = {"rows": [], **kwargs}
        with pytest.raises(ValidationError):
            write_error_file(io.BytesIO(), ["Nom"], **args)


def test_xlsx_needs_the_extra(monkeypatch: pytest.MonkeyPatch) -> None:
    """IO-2: without python-calamine, the ImportError names the extra."""
    import sys  # noqa: PLC0415

    monkeypatch.setitem(sys.modules, "python_calamine", None)

    with pytest.raises(ImportError, match=r"customer-domain\[xlsx\]"):
        read(xlsx({"A": [["a"]]}))
