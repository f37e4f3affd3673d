# SPDX-License-Identifier: MIT
"""A real process killed mid-import, then run again (IO-2, ST-4)."""

from __future__ import annotations

import os
import signal
import sqlite3
import subprocess
import sys
import time

from pathlib import Path

import pytest


ROWS = 3000
BATCH = 50


def _count(db: Path) -> int:
    try:
        with sqlite3.connect(db, timeout=5) as conn:
            (n,) = conn.execute("SELECT count(*) FROM cd_persons").fetchone()
    except sqlite3.OperationalError:  # not created yet
        return 0
    return int(n)


def _command(db: Path, path: Path) -> list[str]:
    return [
        sys.executable,
        "-c",
        "from customer_domain.cli import main; main()",
        "--db",
        str(db),
        "--json",
        "import",
        str(path),
        "--batch-size",
        str(BATCH),
        "--region",
        "FR",
    ]


@pytest.mark.skipif(os.name != "posix", reason="SIGKILL is POSIX")
def test_a_killed_import_is_finished_by_running_it_again(
    tmp_path: Path,
) -> None:
    """IO-2, ST-4: SIGKILL in the middle of an import leaves whole
    batches; the same command again finishes it, with no duplicates."""
    path = tmp_path / "contacts.csv"
    lines = ["Numéro client;Société;Nom;Prénom;E-mail"]
    lines += [
        f"C-{i // 5};Société {i // 5};Nom{i};Prénom{i};p{i}@exemple.fr"
        for i in range(ROWS)
    ]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    db = tmp_path / "base.db"
    process = subprocess.Popen(  # noqa: S603 -- our own command.
        _command(db, path),
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    deadline = time.monotonic() + 120
    while _count(db) < BATCH * 3 and time.monotonic() < deadline:
        if process.poll() is not None:
            break
        time.sleep(0.02)
    process.send_signal(signal.SIGKILL)
    process.wait()
    written = _count(db)
    assert written % BATCH == 0, "a batch was half-written"
    assert 0 < written < ROWS, "the kill came too late to prove anything"
    finished = subprocess.run(  # noqa: S603 -- our own command.
        _command(db, path), capture_output=True, check=False, timeout=300
    )
    assert finished.returncode == 0, finished.stderr.decode()
    assert _count(db) == ROWS
    with sqlite3.connect(db) as conn:
        (emails,) = conn.execute(
            "SELECT count(DISTINCT value) FROM cd_channels"
            " WHERE kind = 'email'"
        ).fetchone()
    assert emails == ROWS
