# SPDX-License-Identifier: MIT
"""
Phone parsing reuse (issue 12): an import where 30% of the numbers
repeat (switchboards, shared fax lines), validated with the outcome
cache and with a fresh parse each time, side by side in one run, with
a check that both give the same results.

``python benchmarks/bench_phones.py [ROWS] [REPEAT]``
"""

from __future__ import annotations

import random
import statistics
import sys
import time

from collections.abc import Callable

from customer_domain import ValidationError
from customer_domain.validation import phones


REPEATED = 0.3


def _rows(n: int) -> list[tuple[str, str]]:
    """*n* French numbers as typed, 30% of them repeats of earlier ones."""
    rng = random.Random(7)
    out: list[tuple[str, str]] = []
    for _ in range(n):
        if out and rng.random() < REPEATED:
            out.append(rng.choice(out))
            continue
        digits = f"{rng.randrange(1, 8)}{rng.randrange(10**8):08d}"
        sep = rng.choice([" ", ".", "", "-"])
        pairs = [digits[i : i + 2] for i in range(1, 9, 2)]
        out.append((f"0{digits[0]}{sep}{sep.join(pairs)}", "FR"))
    return out


def _each(
    fn: Callable[[str, str], object], rows: list[tuple[str, str]]
) -> list[object]:
    out: list[object] = []
    for raw, region in rows:
        try:
            out.append(fn(raw, region))
        except ValidationError as e:
            out.append(e.codes)
    return out


def _cached(raw: str, region: str) -> object:
    return phones.validate(raw, region=region)


def _fresh(raw: str, region: str) -> object:
    return phones._validate(raw, region, mobile=False)  # noqa: SLF001


def _time(run: Callable[[], object], repeat: int) -> float:
    times = []
    for _ in range(repeat):
        phones.clear_cache()  # Every run starts cold: no earlier run helps.
        start = time.perf_counter()
        run()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def main() -> int:
    n = int(sys.argv[1]) if len(sys.argv) > 1 else 20_000
    repeat = int(sys.argv[2]) if len(sys.argv) > 2 else 5
    rows = _rows(n)
    same = _each(_cached, rows) == _each(_fresh, rows)
    fresh = _time(lambda: _each(_fresh, rows), repeat)
    cached = _time(lambda: _each(_cached, rows), repeat)
    print(f"{n:,} numbers, {REPEATED:.0%} repeated, cold cache per run")
    print(f"  fresh parse each   {fresh / n * 1e6:8.2f} us/number")
    print(f"  with the cache     {cached / n * 1e6:8.2f} us/number")
    print(f"  fresh/cached       {fresh / cached:8.2f}x")
    print(f"  same results       {same}")
    return 0 if same else 1


if __name__ == "__main__":
    sys.exit(main())
