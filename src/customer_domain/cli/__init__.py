# SPDX-License-Identifier: MIT
"""
The ``customer-domain`` command: import, export, vCards, duplicates and
search on an embedded SQLite file or a PostgreSQL database (extra
``cli``).

Exit codes:

- 0: done, nothing refused;
- 1: done, but rows were rejected or duplicates skipped (import), or
  duplicates were found (``duplicates``);
- 2: wrong usage (an unknown option, a missing argument);
- 3: an input was refused: a file that cannot be read, a wrong value;
- 4: the store failed (locked, unreachable, conflicting writes);
- 130: stopped by Ctrl-C, at a batch boundary (what was done is kept
  and printed; running the same command again finishes the import).
"""

from __future__ import annotations

from customer_domain.cli.app import main


__all__ = ["main"]
