# SPDX-License-Identifier: MIT
"""
The e-mail fast path beside email-validator, side by side in one run
(``make bench``, issue 12).

Inputs: 2,000 distinct realistic plain addresses generated with
``random.Random(42)``: first.last@company.tld and its variants (initials,
digits, underscores and hyphens, plus-tags), sometimes a subdomain,
country and generic TLDs (``.fr``, ``.de``, ``.co.uk``, ``.com``,
``.museum``...), some typed with capitals.  Before anything is timed,
each is checked to get the same value from every operation.

Timed, per address (inputs pre-built outside the timed region):

- **fast**: ``emails.validate(a)``, the public function, fast path on;
- **slow**: ``emails._validate_slow(a)``, the same function with
  email-validator alone (what ``emails.validate`` did before the fast
  path);
- **raw**: ``email_validator.validate_email(a,
  check_deliverability=False).normalized``, the library call alone.

Method: one warm-up pass of each, then 7 repeats; in each repeat every
operation makes one pass over the inputs, in an order rotated from
repeat to repeat.  ``time.perf_counter_ns`` brackets each pass; the
garbage collector is collected before and disabled during each pass.
The figure is the best (minimum) repeat's mean per address; the median
repeat and the median of the ratios taken within each repeat (paired)
are printed too.

Target: slow / fast >= 10x.  The script measures; it never fails (exit
status 0 whatever the target says).

``python benchmarks/bench_emails.py [N]``
"""

from __future__ import annotations

import gc
import platform
import random
import statistics
import sys
import time

from collections.abc import Callable
from importlib.metadata import version
from typing import Final

import email_validator

from customer_domain.validation import emails


N: Final = 2_000
REPEATS: Final = 7
TARGET: Final = 10.0

FIRST: Final = (
    "mireille",
    "herve",
    "amelie",
    "jean-luc",
    "chloe",
    "benoit",
    "elodie",
    "francois",
    "ines",
    "thomas",
    "anna",
    "piotr",
    "sven",
    "ingrid",
    "james",
    "olivia",
    "lukas",
    "katarzyna",
)
LAST: Final = (
    "couture",
    "lefevre",
    "dubois",
    "garnier",
    "mercier",
    "fontaine",
    "schmidt",
    "muller",
    "nowak",
    "kowalski",
    "andersson",
    "lindqvist",
    "smith",
    "obrien",
    "van-der-berg",
)
COMPANIES: Final = (
    "imprimerie-martin",
    "hervedavid",
    "cartonnages-du-nord",
    "editions-lumiere",
    "papeterie-centrale",
    "agence-azur",
    "schmidt-logistik",
    "nordic-paper",
    "acme",
    "gmail",
    "outlook",
    "orange",
    "web",
    "wp",
)
SUBDOMAINS: Final = ("mail", "eu", "paris", "corp", "lists", "mx1")
TLDS: Final = (
    "fr",
    "com",
    "de",
    "pl",
    "se",
    "co.uk",
    "net",
    "org",
    "eu",
    "info",
    "museum",
    "com.au",
)
TAGS: Final = ("news", "crm", "invoices", "2024", "b2b")


def make_addresses(n: int) -> list[str]:
    """*n* distinct realistic plain addresses, always the same (seed 42)."""
    rng = random.Random(42)
    out: dict[str, None] = {}
    while len(out) < n:
        first, last = rng.choice(FIRST), rng.choice(LAST)
        local = rng.choice(
            (
                f"{first}.{last}",
                f"{first}.{last}",
                f"{first[0]}.{last}",
                f"{first}{last}",
                f"{first}_{last}",
                f"{last}{rng.randint(1, 99)}",
                f"{first}.{last}{rng.randint(1, 9)}",
                f"{first}.{last}+{rng.choice(TAGS)}",
            )
        )
        domain = f"{rng.choice(COMPANIES)}.{rng.choice(TLDS)}"
        if rng.random() < 0.2:
            domain = f"{rng.choice(SUBDOMAINS)}.{domain}"
        address = f"{local}@{domain}"
        if rng.random() < 0.1:
            address = f"{local.title()}@{domain.title()}"
        out[address] = None
    return list(out)


def raw_normalized(address: str) -> str:
    """email-validator's normalized form, called directly."""
    return email_validator.validate_email(
        address, check_deliverability=False
    ).normalized


OPERATIONS: Final[dict[str, Callable[[str], str]]] = {
    "fast (emails.validate)": emails.validate,
    "slow (emails._validate_slow)": emails._validate_slow,  # noqa: SLF001
    "raw (validate_email)": raw_normalized,
}


def one_pass(operation: Callable[[str], str], inputs: list[str]) -> int:
    """Nanoseconds of one pass of *operation* over *inputs*."""
    t0 = time.perf_counter_ns()
    for address in inputs:
        operation(address)
    return time.perf_counter_ns() - t0


def run_passes(inputs: list[str]) -> dict[str, list[int]]:
    """One warm-up then REPEATS interleaved passes of each; ns per pass."""
    names = list(OPERATIONS)
    times: dict[str, list[int]] = {name: [] for name in names}
    for repeat in range(-1, REPEATS):  # -1: the warm-up pass.
        shift = max(repeat, 0) % len(names)
        for name in names[shift:] + names[:shift]:
            gc.collect()
            gc.disable()
            try:
                elapsed = one_pass(OPERATIONS[name], inputs)
            finally:
                gc.enable()
            if repeat >= 0:
                times[name].append(elapsed)
    return times


def paired(times: dict[str, list[int]], num: str, den: str) -> float:
    """Median over the repeats of the ratio num/den within each repeat."""
    return statistics.median(
        a / b for a, b in zip(times[num], times[den], strict=True)
    )


def main(argv: list[str]) -> int:
    """Check the inputs, measure, print the table and the target."""
    started = time.perf_counter()
    n = int(argv[1]) if len(argv) > 1 else N
    print(
        f"Python {platform.python_version()}"
        f" ({platform.python_implementation()},"
        f" {platform.system()} {platform.machine()}),"
        f" email-validator {version('email-validator')},"
        f" idna {version('idna')}"
    )
    inputs = make_addresses(n)
    hits = 0
    for address in inputs:
        values = {op(address) for op in OPERATIONS.values()}
        if len(values) != 1:
            print(f"FAIL  different results for {address!r}: {values}")
            return 0
        hits += emails._fast_path(address) is not None  # noqa: SLF001
    print(
        f"Inputs: {n:,} distinct realistic plain addresses, e.g."
        f" {inputs[0]!r}, {inputs[1]!r}, {inputs[2]!r};\nsame result from"
        f" every operation: yes; fast-path hits: {hits:,}/{n:,}"
    )

    times = run_passes(inputs)
    best = {k: min(v) / n / 1e3 for k, v in times.items()}
    median = {k: statistics.median(v) / n / 1e3 for k, v in times.items()}
    fast = best["fast (emails.validate)"]
    print(
        f"\nTime per address: 1 warm-up + {REPEATS} interleaved repeats;"
        " best = mean of the fastest repeat,\nmedian = mean of the median"
        " repeat; gc disabled while timed.\n"
    )
    header = f"{'operation':<30}{'best µs':>9}{'median µs':>11}{'/ fast':>9}"
    print(header)
    print("-" * len(header))
    for name, value in best.items():
        print(
            f"{name:<30}{value:>9.2f}{median[name]:>11.2f}"
            f"{value / fast:>8.1f}x"
        )

    ratio = best["slow (emails._validate_slow)"] / fast
    p_ratio = paired(
        times, "slow (emails._validate_slow)", "fast (emails.validate)"
    )
    raw_ratio = best["raw (validate_email)"] / fast
    p_raw = paired(times, "raw (validate_email)", "fast (emails.validate)")
    print("\nTargets")
    print(
        f"  {'PASS' if ratio >= TARGET else 'FAIL'}  slow / fast >="
        f" {TARGET:.0f}x on plain addresses: {ratio:.1f}x (paired median"
        f" {p_ratio:.1f}x); raw validate_email / fast: {raw_ratio:.1f}x"
        f" (paired median {p_raw:.1f}x)"
    )
    print(f"\n(run time {time.perf_counter() - started:.1f} s)")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
