# SPDX-License-Identifier: MIT
"""The ``customer-domain`` command (IO-1, IO-2, IO-3, DU-8, SE-1)."""

from __future__ import annotations

import json
import os
import signal
import zipfile

from collections.abc import Callable
from pathlib import Path

import pytest

from click.testing import CliRunner, Result
from rich.console import Console

from customer_domain.cli import app


Invoke = Callable[..., Result]

CSV = (
    "Numéro client;Société;Nom;Prénom;Mobile;E-mail\n"
    "C-1;ACME;Lefèvre;Hélène;06 12 34 56 78;h.lefevre@acme.fr\n"
    "C-1;ACME;Martin;Paul;;p.martin@acme\n"
    "C-2;Érable inc.;Tremblay;Luc;+1 514 555 0123;luc@erable.ca\n"
    "C-1;ACME;LEFEVRE;Helene;;h.lefevre@acme.fr\n"
)


@pytest.fixture
def run(tmp_path: Path) -> Invoke:
    """Run the command on a SQLite file of this test, in *tmp_path*."""
    runner = CliRunner(env={"COLUMNS": "200"})
    db = tmp_path / "base.db"

    def invoke(*args: str) -> Result:
        return runner.invoke(
            app.cli,
            ["--db", str(db), "--lang", "en", *args],
            catch_exceptions=False,
        )

    return invoke


def _csv(tmp_path: Path) -> Path:
    path = tmp_path / "contacts.csv"
    path.write_text(CSV, encoding="utf-8")
    return path


def test_import_reports_and_exits_1_when_rows_are_refused(
    run: Invoke, tmp_path: Path
) -> None:
    """IO-2: the import stores good rows, shows refused ones, writes the
    error file and exits 1 ("done, some rows refused")."""
    path = _csv(tmp_path)
    result = run("import", str(path), "--region", "FR")
    assert result.exit_code == 1, result.output
    assert "Rejected rows" in result.output
    errors = tmp_path / "contacts.errors.csv"
    assert "p.martin@acme" in errors.read_text(encoding="utf-8-sig")
    again = run("--json", "import", str(path), "--region", "FR")
    data = json.loads(again.stdout)
    assert (data["created"], data["unchanged"]) == (0, 2)
    assert data["problems"][0]["row"] == 3
    assert data["problems"][0]["column"] == "E-mail"


def test_dry_run_writes_nothing(run: Invoke, tmp_path: Path) -> None:
    """IO-2: ``--dry-run`` checks and writes nothing."""
    path = _csv(tmp_path)
    result = run("--json", "import", str(path), "--dry-run")
    assert json.loads(result.stdout)["created"] == 2
    listed = run("--json", "search")
    assert json.loads(listed.stdout)["total"] == 0


def test_export_search_show_and_vcards(run: Invoke, tmp_path: Path) -> None:
    """IO-1, IO-3, SE-1: exports, search, show and vCards on the base the
    import made."""
    run("import", str(_csv(tmp_path)), "--region", "FR")
    out = tmp_path / "persons.csv"
    assert run("export", str(out)).exit_code == 0
    assert "Lefèvre" in out.read_text(encoding="utf-8-sig")
    xlsx = tmp_path / "customers.xlsx"
    assert run("export", "--what", "customers", str(xlsx)).exit_code == 0
    assert xlsx.read_bytes()[:2] == b"PK"
    found = json.loads(run("--json", "search", "erable").stdout)
    assert [c["number"] for c in found["items"]] == ["C-2"]
    shown = run("show", "C-1")
    assert "Hélène Lefèvre" in shown.output
    assert run("show", "C-404").exit_code == 4
    cards = tmp_path / "cards.zip"
    assert run("vcard", "export", str(cards)).exit_code == 0
    with zipfile.ZipFile(cards) as z:
        assert len(z.namelist()) == 2
    vcf = tmp_path / "cards.vcf"
    run("vcard", "export", str(vcf), "--customer", "C-1")
    other = CliRunner().invoke(
        app.cli,
        [
            "--db",
            str(tmp_path / "other.db"),
            "--json",
            "vcard",
            "import",
            str(vcf),
        ],
    )
    assert json.loads(other.stdout)["created"] == 1


def test_template_and_duplicates(run: Invoke, tmp_path: Path) -> None:
    """IO-2, DU-8: the template command, and a duplicate scan that exits
    1 when it finds groups and writes them to a file."""
    template = tmp_path / "template.xlsx"
    assert run("template", str(template)).exit_code == 0
    assert template.read_bytes()[:2] == b"PK"
    shared = tmp_path / "shared.csv"
    shared.write_text(
        "Numéro client;Société;Nom;Prénom;Mobile\n"
        "C-1;ACME;Lefèvre;Hélène;+33 6 12 34 56 78\n"
        "C-1;ACME;Durand;Marc;+33 6 12 34 56 78\n",
        encoding="utf-8",
    )
    assert run("import", str(shared)).exit_code == 0
    report = tmp_path / "dupes.csv"
    result = run("duplicates", "--output", str(report))
    assert result.exit_code == 1
    text = report.read_text(encoding="utf-8-sig")
    assert "Marc Durand" in text
    assert "mobile" in text


def test_bad_input_exits_3_with_the_message(
    run: Invoke, tmp_path: Path
) -> None:
    """IO-2: an unreadable file or a wrong value: exit 3, the message in
    the chosen language, no traceback."""
    bad = tmp_path / "bad.xlsx"
    bad.write_bytes(b"PK\x03\x04 not a workbook")
    result = run("import", str(bad))
    assert result.exit_code == 3
    assert "Traceback" not in result.output
    wrong = run("export", str(tmp_path / "x.csv"), "--columns", "shoe")
    assert wrong.exit_code == 3
    assert run("import", str(tmp_path / "missing.csv")).exit_code == 2


def test_ctrl_c_asks_to_stop_at_a_batch_boundary() -> None:
    """IO-2: the first Ctrl-C asks the import to stop after the batch;
    the second stops at once."""
    stop = app._Stop()
    ctx = app.Context(
        db="x",
        org="o",
        lang="en",
        actor="a",
        as_json=True,
        out=Console(),
        err=Console(stderr=True),
    )
    with stop.installed(ctx):
        handler = signal.getsignal(signal.SIGINT)
        assert callable(handler)
        handler(signal.SIGINT, None)
        assert stop()
        with pytest.raises(KeyboardInterrupt):
            handler(signal.SIGINT, None)
    assert signal.getsignal(signal.SIGINT) is not handler


def test_default_language_follows_the_locale(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """IO-2: ``--lang`` defaults to French in a French locale."""
    for name in ("LC_ALL", "LC_MESSAGES", "LANG"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("LANG", "fr_CA.UTF-8")
    assert app._default_lang() == "fr"
    monkeypatch.setenv("LANG", "en_GB.UTF-8")
    assert app._default_lang() == "en"
    assert os.environ["LANG"] == "en_GB.UTF-8"
