# SPDX-License-Identifier: MIT
"""
Validated construction, trusted load and memory of a person, measured
side by side in one run (``make bench``).

For 1,000 distinct French contacts (one e-mail, one landline, one mobile,
all valid), it times:

- **ours**: ``Customer.add_person(...)`` with the three channels as data
  (a fresh customer every 100 persons, built outside the timed region);
- **floor**: the raw library calls a host would write by hand for the
  same inputs: ``email_validator.validate_email(...).normalized`` and, per
  number, ``phonenumbers.parse``, ``is_valid_number``, ``format_number``
  (plus ``number_type`` for the mobile);
- **pydantic**: the same person as a pydantic v2 model with ``EmailStr``
  and pydantic-extra-types ``PhoneNumber`` (E.164, default region FR);
- **trusted load**: the persons read back from their wire form with
  ``make_converter(trusted=True)`` (what storage uses); the validated
  load of the same data is shown too.

Each figure is the best of 7 interleaved repeats, per person.  Memory is
traced with tracemalloc over 10,000 persons kept alive in a list (the
list's 8-byte pointers included).  The script measures; it never fails.
"""

from __future__ import annotations

import gc
import platform
import random
import time
import tracemalloc

from collections.abc import Callable
from importlib.metadata import version
from typing import Annotated, Any

import email_validator
import phonenumbers

from pydantic import BaseModel, EmailStr
from pydantic_extra_types.phone_numbers import PhoneNumberValidator

from customer_domain import ContactType, Customer, Person, serialization
from customer_domain.validation import phones


N = 1_000
REPEATS = 7
PER_CUSTOMER = 100
E164 = phonenumbers.PhoneNumberFormat.E164

FrPhone = Annotated[
    str, PhoneNumberValidator(default_region="FR", number_format="E164")
]


class PydanticPerson(BaseModel):
    """The peer: the same person as a pydantic model."""

    first_name: str
    last_name: str
    email: EmailStr
    phone: FrPhone
    mobile: FrPhone


def make_inputs() -> list[tuple[str, str, str, str]]:
    """Distinct valid (first name, e-mail, landline, mobile) tuples."""
    rng = random.Random(42)
    out: list[tuple[str, str, str, str]] = []
    seen: set[str] = set()
    while len(out) < N:
        digits = " ".join(f"{rng.randrange(100):02d}" for _ in range(4))
        fixed = f"0{rng.choice('12345')} {digits}"
        mobile = f"0{rng.choice('67')} {digits[::-1]}"
        email = (
            f"contact{len(out)}.{rng.randrange(10**6)}"
            f"@imprimerie{rng.randrange(500)}.fr"
        )
        if fixed in seen or not (
            phones.is_valid(fixed, region="FR")
            and phones.is_valid(mobile, region="FR", mobile=True)
        ):
            continue
        seen.add(fixed)
        out.append((f"Prénom{len(out)}", email, fixed, mobile))
    return out


INPUTS = make_inputs()


def ours() -> list[Person]:
    """Validated construction through the public API."""
    made: list[Person] = []
    customer, team = _customer()
    for i, (first, email, fixed, mobile) in enumerate(INPUTS):
        if i and i % PER_CUSTOMER == 0:
            customer, team = _customer()
        made.append(
            customer.add_person(
                first_name=first,
                last_name="Couture",
                contact_types=[team],
                channels=[
                    {"kind": "email", "value": email},
                    {"kind": "phone", "value": fixed},
                    {"kind": "mobile", "value": mobile},
                ],
            )
        )
    return made


def _customer() -> tuple[Customer, ContactType]:
    customer = Customer(name="Imprimerie", address={"country": "FR"})
    return customer, customer.add_contact_type("Team")


def floor() -> None:
    """The same email-validator and phonenumbers calls, by hand."""
    for _, email, fixed, mobile in INPUTS:
        _ = email_validator.validate_email(
            email, check_deliverability=False
        ).normalized
        number = phonenumbers.parse(fixed, "FR")
        phonenumbers.is_valid_number(number)
        phonenumbers.format_number(number, E164)
        number = phonenumbers.parse(mobile, "FR")
        phonenumbers.is_valid_number(number)
        phonenumbers.number_type(number)
        phonenumbers.format_number(number, E164)


def peer() -> None:
    """The same person as a pydantic v2 model."""
    for first, email, fixed, mobile in INPUTS:
        PydanticPerson(
            first_name=first,
            last_name="Couture",
            email=email,
            phone=fixed,
            mobile=mobile,
        )


def timed(fn: Callable[[], Any]) -> float:
    """Seconds per person of one pass of *fn*."""
    start = time.perf_counter_ns()
    fn()
    return (time.perf_counter_ns() - start) / 1e9 / N


def memory_per_person(build: Callable[[], list[Person]]) -> float:
    """Bytes traced per person kept alive (list pointers included)."""
    gc.collect()
    tracemalloc.start()
    before = tracemalloc.get_traced_memory()[0]
    kept = [p for _ in range(10) for p in build()]
    after = tracemalloc.get_traced_memory()[0]
    tracemalloc.stop()
    return (after - before) / len(kept)


def main() -> None:
    """Measure, then print the table and the targets."""
    validating = serialization.make_converter()
    trusting = serialization.make_converter(trusted=True)
    stored = [validating.unstructure(p) for p in ours()]

    def trusted_load() -> list[Person]:
        return [trusting.structure(d, Person) for d in stored]

    def validated_load() -> list[Person]:
        return [validating.structure(d, Person) for d in stored]

    runs: dict[str, Callable[[], Any]] = {
        "floor": floor,
        "ours": ours,
        "pydantic": peer,
        "trusted load": trusted_load,
        "validated load": validated_load,
    }
    for fn in runs.values():  # Warm-up: metadata loads, caches fill.
        fn()
    best = {name: float("inf") for name in runs}
    for _ in range(REPEATS):
        for name, fn in runs.items():
            best[name] = min(best[name], timed(fn))

    mem_trusted = memory_per_person(trusted_load)
    mem_validated = memory_per_person(ours)

    us = {name: t * 1e6 for name, t in best.items()}
    print(
        f"Python {platform.python_version()}; "
        + ", ".join(
            f"{dist} {version(dist)}"
            for dist in (
                "phonenumbers",
                "email-validator",
                "pydantic",
                "pydantic-extra-types",
                "attrs",
                "cattrs",
            )
        )
    )
    print(f"{N} distinct persons (1 e-mail, 2 phones), best of {REPEATS}\n")
    print(f"{'':<16}{'µs/person':>10}{'/ floor':>10}{'/ ours':>10}")
    for name, value in us.items():
        print(
            f"{name:<16}{value:>10.1f}{value / us['floor']:>10.2f}"
            f"{value / us['ours']:>10.2f}"
        )
    print(f"\nours - floor: {us['ours'] - us['floor']:.1f} µs/person")
    print(
        f"memory: {mem_trusted:.0f} B/person (trusted load), "
        f"{mem_validated:.0f} B/person (validated construction)"
    )

    targets = [
        (
            "validated construction <= 1.10 x floor",
            us["ours"] / us["floor"] <= 1.10,
            f"{us['ours'] / us['floor']:.2f}x",
        ),
        (
            "validated construction faster than pydantic",
            us["ours"] < us["pydantic"],
            f"{us['ours'] / us['pydantic']:.2f}x",
        ),
        (
            "trusted load >= 20 x faster than validated construction",
            us["ours"] / us["trusted load"] >= 20,
            f"{us['ours'] / us['trusted load']:.1f}x",
        ),
        (
            "<= 1 KB per person with 3 channels",
            mem_trusted <= 1024,
            f"{mem_trusted:.0f} B",
        ),
    ]
    print("\nTargets")
    for label, ok, figure in targets:
        print(f"  {'PASS' if ok else 'FAIL'}  {label}: {figure}")


if __name__ == "__main__":
    main()
