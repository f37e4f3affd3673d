# SPDX-License-Identifier: MIT
"""
Validated construction, trusted load and memory of a person, measured
side by side in one run (``make bench``).

Inputs: 10,000 distinct French contacts (first and last name, one
e-mail, one landline "01".."05", one mobile "06"/"07", in national
format), generated with ``random.Random(42)`` and each checked with
``customer_domain.validation`` before anything is timed.  The first
1,000 are the timing inputs, all 10,000 the memory inputs.

Timed, per person (all inputs pre-built outside the timed region):

- **ours**: ``customer.add_person(last_name=..., first_name=...,
  contact_types=[ct], channels=[{"kind": "email", ...}, {"kind":
  "phone", ...}, {"kind": "mobile", ...}])`` on a customer whose
  address country is FR.  A fresh customer and contact type is built
  every 100 persons, outside the timed region, so membership sets stay
  small (<= 100 ids);
- **floor**: exactly the library calls our success path makes, and
  nothing else: ``email_validator.validate_email(e,
  check_deliverability=False).normalized``; for the landline
  ``phonenumbers.parse``, ``is_valid_number``, ``format_number(E164)``;
  for the mobile ``parse``, ``number_type``, ``format_number(E164)``
  (``validation/phones.py`` calls ``number_type`` *instead of*
  ``is_valid_number`` for mobiles).  The floor with an extra
  ``is_valid_number`` on the mobile is shown for information;
- **peer**: the same person as a pydantic v2 model (``EmailStr``;
  pydantic-extra-types ``PhoneNumberValidator(default_region="FR",
  number_format="E164")``), built with ``Model(**data)``;
- **trusted load**: ``make_converter(trusted=True).structure(d,
  Person)`` over the persons' wire dicts (``make_converter()
  .unstructure(p)``, prepared beforehand), the path storage uses; the
  validated load ``make_converter().structure(d, Person)`` is shown too.

Method: one warm-up pass of each operation, then 7 repeats; in each
repeat every operation makes one pass over the 1,000 inputs, in an
order rotated from repeat to repeat (interleaved: all see the same
machine state).  ``time.perf_counter_ns`` brackets each pass (each
100-person chunk for ours); the garbage collector is collected before
and disabled during each pass, as ``timeit`` does.  The figure is the
best (minimum) repeat's mean per person; the median repeat is printed
too, and each ratio target also shows the median of the ratios taken
within each repeat.

Memory: ``tracemalloc`` traced size after minus before (``gc.collect()``
first), divided by N = 10,000 persons kept alive in a list (the list's
own 8-byte pointers are included).  Two input forms are measured:

- from pre-built dicts/arguments kept alive outside the traced region
  (strings the person shares with its input are then not counted);
- from JSON text decoded inside the traced region, each dict dropped
  once its person is built, as a store reading rows or a service reading
  requests would do: the person then owns (and is charged for) every
  string it keeps.  The memory target uses this figure.

Validated construction's figure includes the growth of the contact
types' membership sets (the customers are built before tracing).

The script measures; it never fails (exit status 0 whatever the
targets say).
"""

from __future__ import annotations

import gc
import json
import platform
import random
import statistics
import sys
import time
import tracemalloc
import unicodedata

from collections.abc import Callable
from dataclasses import dataclass
from importlib.metadata import version
from typing import Annotated, Any, Final

import email_validator
import phonenumbers

from pydantic import BaseModel, EmailStr
from pydantic_extra_types.phone_numbers import PhoneNumberValidator

from customer_domain import ContactType, Customer, Person
from customer_domain.serialization import make_converter
from customer_domain.validation import emails, phones


N_TIMING: Final = 1_000
N_MEMORY: Final = 10_000
REPEATS: Final = 7
PER_CUSTOMER: Final = 100
REGION: Final = "FR"
E164: Final = phonenumbers.PhoneNumberFormat.E164

FIRST_NAMES: Final = (
    "Mireille",
    "Hervé",
    "Amélie",
    "Jean-Luc",
    "Chloé",
    "Benoît",
    "Élodie",
    "François",
    "Inès",
    "Loïc",
    "Camille",
    "Thomas",
    "Nathalie",
    "Julien",
    "Sophie",
    "Mathieu",
)
LAST_NAMES: Final = (
    "Couture",
    "Lefèvre",
    "Dubois",
    "Garnier",
    "Mercier",
    "Bérard",
    "Fontaine",
    "Rousseau",
    "Lemaître",
    "Chevalier",
    "Moreau",
    "Girard",
)
DOMAINS: Final = (
    "imprimerie-martin.fr",
    "cartonnages-du-nord.fr",
    "editions-lumiere.com",
    "papeterie-centrale.fr",
    "agence-azur.net",
)

# The peer.  PhoneNumberValidator exists in every pydantic-extra-types
# the project allows (>= 2.10), so no PhoneNumber subclass is needed.
FrPhone = Annotated[
    str, PhoneNumberValidator(default_region=REGION, number_format="E164")
]


class PydanticPerson(BaseModel):
    """The same person as a pydantic v2 model."""

    first_name: str
    last_name: str
    email: EmailStr
    phone: FrPhone
    mobile: FrPhone


# -- inputs -----------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Contact:
    """One input: a person with an e-mail, a landline and a mobile."""

    first_name: str
    last_name: str
    email: str
    phone: str
    mobile: str

    def fields(self) -> dict[str, Any]:
        """The keyword arguments of ``add_person`` (without types)."""
        return {
            "last_name": self.last_name,
            "first_name": self.first_name,
            "channels": [
                {"kind": "email", "value": self.email},
                {"kind": "phone", "value": self.phone},
                {"kind": "mobile", "value": self.mobile},
            ],
        }

    def model_data(self) -> dict[str, str]:
        """The keyword arguments of the pydantic model."""
        return {
            "first_name": self.first_name,
            "last_name": self.last_name,
            "email": self.email,
            "phone": self.phone,
            "mobile": self.mobile,
        }


def _ascii(name: str) -> str:
    folded = unicodedata.normalize("NFKD", name).encode("ascii", "ignore")
    return folded.decode().lower()


def _national(rng: random.Random, prefix: str) -> str:
    pairs = " ".join(f"{rng.randrange(100):02d}" for _ in range(4))
    return f"{prefix} {pairs}"


def make_contacts(n: int) -> list[Contact]:
    """*n* distinct valid contacts, always the same ones (seed 42)."""
    rng = random.Random(42)
    out: list[Contact] = []
    seen: set[str] = set()
    while len(out) < n:
        first = rng.choice(FIRST_NAMES)
        last = rng.choice(LAST_NAMES)
        phone = _national(rng, f"0{rng.randint(1, 5)}")
        mobile = _national(rng, f"0{rng.choice('67')}")
        email = (
            f"{_ascii(first)}.{_ascii(last)}.{len(out)}@{rng.choice(DOMAINS)}"
        )
        if (
            phone in seen
            or mobile in seen
            or not phones.is_valid(phone, region=REGION)
            or not phones.is_valid(mobile, region=REGION, mobile=True)
            or not emails.is_valid(email)
        ):
            continue
        seen.update((phone, mobile))
        out.append(Contact(first, last, email, phone, mobile))
    return out


def new_customer() -> tuple[Customer, ContactType]:
    """A French customer with one (non-default) contact type."""
    customer = Customer(name="Imprimerie Martin", address={"country": "FR"})
    return customer, customer.add_contact_type("Achats")


def build_persons(inputs: list[dict[str, Any]]) -> list[Person]:
    """Validated construction of every input, a customer every 100."""
    out: list[Person] = []
    for start in range(0, len(inputs), PER_CUSTOMER):
        customer, team = new_customer()
        out.extend(
            customer.add_person(contact_types=[team], **fields)
            for fields in inputs[start : start + PER_CUSTOMER]
        )
    return out


# -- timed passes (each returns the nanoseconds of its timed region) ---------


def pass_ours(inputs: list[dict[str, Any]]) -> int:
    """Validated construction through the public API."""
    # The inputs are distinct, but every repeat sees them again: start
    # each pass with an empty phone cache, or it would time lookups.
    phones.clear_cache()
    total = 0
    clock = time.perf_counter_ns
    for start in range(0, len(inputs), PER_CUSTOMER):
        chunk = inputs[start : start + PER_CUSTOMER]
        customer, team = new_customer()  # Not timed.
        add_person = customer.add_person
        t0 = clock()
        for fields in chunk:
            add_person(contact_types=[team], **fields)
        total += clock() - t0
    return total


def pass_floor(contacts: list[Contact]) -> int:
    """The library calls of our success path, by hand, nothing else."""
    validate_email = email_validator.validate_email
    parse = phonenumbers.parse
    is_valid_number = phonenumbers.is_valid_number
    number_type = phonenumbers.number_type
    format_number = phonenumbers.format_number
    t0 = time.perf_counter_ns()
    for c in contacts:
        _email = validate_email(c.email, check_deliverability=False).normalized
        fixed = parse(c.phone, REGION)
        _valid = is_valid_number(fixed)
        _phone = format_number(fixed, E164)
        mobile = parse(c.mobile, REGION)
        _type = number_type(mobile)
        _mobile = format_number(mobile, E164)
    return time.perf_counter_ns() - t0


def pass_floor_plus(contacts: list[Contact]) -> int:
    """The floor plus ``is_valid_number`` on the mobile (information)."""
    validate_email = email_validator.validate_email
    parse = phonenumbers.parse
    is_valid_number = phonenumbers.is_valid_number
    number_type = phonenumbers.number_type
    format_number = phonenumbers.format_number
    t0 = time.perf_counter_ns()
    for c in contacts:
        _email = validate_email(c.email, check_deliverability=False).normalized
        fixed = parse(c.phone, REGION)
        _valid = is_valid_number(fixed)
        _phone = format_number(fixed, E164)
        mobile = parse(c.mobile, REGION)
        _valid = is_valid_number(mobile)
        _type = number_type(mobile)
        _mobile = format_number(mobile, E164)
    return time.perf_counter_ns() - t0


def pass_peer(data: list[dict[str, str]]) -> int:
    """The same person as a pydantic v2 model."""
    model = PydanticPerson
    t0 = time.perf_counter_ns()
    for d in data:
        model(**d)
    return time.perf_counter_ns() - t0


def pass_structure(
    structure: Callable[[Any, type[Person]], Person],
    stored: list[dict[str, Any]],
) -> int:
    """Persons read back from their wire dicts by *structure*."""
    phones.clear_cache()  # As for ours: no repeat is timed as a lookup.
    t0 = time.perf_counter_ns()
    for d in stored:
        structure(d, Person)
    return time.perf_counter_ns() - t0


def run_passes(
    passes: dict[str, Callable[[], int]],
) -> dict[str, list[int]]:
    """One warm-up then REPEATS interleaved passes of each; ns per pass."""
    names = list(passes)
    times: dict[str, list[int]] = {name: [] for name in names}
    for repeat in range(-1, REPEATS):  # -1: the warm-up pass.
        shift = max(repeat, 0) % len(names)
        for name in names[shift:] + names[:shift]:
            gc.collect()
            gc.disable()
            try:
                elapsed = passes[name]()
            finally:
                gc.enable()
            if repeat >= 0:
                times[name].append(elapsed)
    return times


# -- memory -------------------------------------------------------------------


def traced_per_item(build: Callable[[], list[Any]]) -> tuple[float, list[Any]]:
    """Traced bytes per item of what *build* returns (kept alive)."""
    gc.collect()
    tracemalloc.start()
    try:
        before = tracemalloc.get_traced_memory()[0]
        kept = build()
        gc.collect()
        after = tracemalloc.get_traced_memory()[0]
    finally:
        tracemalloc.stop()
    return (after - before) / len(kept), kept


def membership_bytes(customers: list[tuple[Customer, ContactType]]) -> int:
    """What the contact types' member sets grew by, in bytes."""
    empty = sys.getsizeof(set())
    return sum(sys.getsizeof(ct.person_ids) - empty for _, ct in customers)


def construct(
    customers: list[tuple[Customer, ContactType]],
    n: int,
    get: Callable[[int], dict[str, Any]],
) -> list[Person]:
    """Validated construction of inputs 0..n-1, 100 per customer."""
    made: list[Person] = []
    for i in range(n):
        customer, team = customers[i // PER_CUSTOMER]
        made.append(customer.add_person(contact_types=[team], **get(i)))
    return made


def measure_memory(contacts: list[Contact]) -> dict[str, float]:
    """Bytes per person for validated construction and trusted load."""
    validating = make_converter()
    structure = make_converter(trusted=True).structure
    n = len(contacts)
    inputs = [c.fields() for c in contacts]
    out: dict[str, float] = {}

    # Validated construction; the customers are built before tracing.
    customers = [new_customer() for _ in range(0, n, PER_CUSTOMER)]
    out["validated, shared inputs"], persons = traced_per_item(
        lambda: construct(customers, n, inputs.__getitem__)
    )
    out["validated, membership sets"] = membership_bytes(customers) / n
    stored = [validating.unstructure(p) for p in persons]
    del persons

    more = [new_customer() for _ in range(0, n, PER_CUSTOMER)]
    input_texts = [json.dumps(fields) for fields in inputs]
    out["validated, own strings"], _ = traced_per_item(
        lambda: construct(more, n, lambda i: json.loads(input_texts[i]))
    )

    # Trusted load, the way a store holds persons.
    out["trusted, shared dicts"], _ = traced_per_item(
        lambda: [structure(d, Person) for d in stored]
    )
    texts = [json.dumps(d) for d in stored]
    out["trusted, own strings"], _ = traced_per_item(
        lambda: [structure(json.loads(t), Person) for t in texts]
    )
    return out


# -- report -------------------------------------------------------------------


def versions() -> str:
    """The versions of Python and of the libraries measured."""
    libs = (
        "customer-domain",
        "phonenumbers",
        "email-validator",
        "pydantic",
        "pydantic-core",
        "pydantic-extra-types",
        "attrs",
        "cattrs",
    )
    return (
        f"Python {platform.python_version()}"
        f" ({platform.python_implementation()},"
        f" {platform.system()} {platform.machine()})\n"
        + ", ".join(f"{lib} {version(lib)}" for lib in libs)
    )


def paired(times: dict[str, list[int]], num: str, den: str) -> float:
    """Median over the repeats of the ratio num/den within each repeat."""
    return statistics.median(
        a / b for a, b in zip(times[num], times[den], strict=True)
    )


#: Issue 12: ours/peer, the paired median.
PEER_TARGET: Final = 0.9
#: Issue 12: bytes per person (trusted load, own strings).
MEMORY_GUARD: Final = 1100


def main() -> None:
    """Measure, then print the table and the targets."""
    started = time.perf_counter()
    print(versions())

    contacts = make_contacts(N_MEMORY)
    timing = contacts[:N_TIMING]
    inputs = [c.fields() for c in timing]
    model_data = [c.model_data() for c in timing]
    validating = make_converter()
    trusting = make_converter(trusted=True)
    stored = [validating.unstructure(p) for p in build_persons(inputs)]
    first = timing[0]
    print(
        f"Inputs, e.g.: {first.first_name} {first.last_name}"
        f" <{first.email}>, {first.phone!r}, {first.mobile!r} (region FR)"
    )

    passes: dict[str, Callable[[], int]] = {
        "floor": lambda: pass_floor(timing),
        "floor + is_valid(mobile)": lambda: pass_floor_plus(timing),
        "ours (validated)": lambda: pass_ours(inputs),
        "peer (pydantic)": lambda: pass_peer(model_data),
        "trusted load": lambda: pass_structure(trusting.structure, stored),
        "validated load": lambda: pass_structure(validating.structure, stored),
    }
    times = run_passes(passes)
    best = {k: min(v) / N_TIMING / 1e3 for k, v in times.items()}
    median = {
        k: statistics.median(v) / N_TIMING / 1e3 for k, v in times.items()
    }

    print(
        f"\nTime per person: {N_TIMING} distinct valid French contacts"
        " (1 e-mail, 1 landline, 1 mobile), 1 warm-up +"
        f" {REPEATS} interleaved repeats;\nbest = mean of the fastest"
        " repeat, median = mean of the median repeat; gc disabled while"
        " timed;\nours: a fresh customer + contact type every"
        f" {PER_CUSTOMER} persons, built outside the timed region.\n"
    )
    floor, ours, peer = (
        best["floor"],
        best["ours (validated)"],
        best["peer (pydantic)"],
    )
    header = (
        f"{'operation':<26}{'best µs':>9}{'median µs':>11}"
        f"{'/ floor':>9}{'/ ours':>8}{'/ peer':>8}"
    )
    print(header)
    print("-" * len(header))
    for name, value in best.items():
        print(
            f"{name:<26}{value:>9.2f}{median[name]:>11.2f}"
            f"{value / floor:>9.3f}{value / ours:>8.3f}{value / peer:>8.3f}"
        )
    print(
        "\nfloor: exactly the calls of src's success path (mobile:"
        " number_type, no is_valid_number);\n'floor + is_valid(mobile)':"
        " the same plus is_valid_number on the mobile, for information."
    )
    trusted_load = best["trusted load"]
    print(
        f"\nours - floor = {ours - floor:.2f} µs/person;"
        f" ours - peer = {ours - peer:.2f} µs/person;"
        f" ours / trusted load = {ours / trusted_load:.1f}x"
    )

    memory = measure_memory(contacts)
    print(
        f"\nMemory per person (tracemalloc, N = {N_MEMORY:,} persons with"
        " 3 channels kept alive in a list;\nthe list's 8-byte pointers"
        " included; gc.collect() before each measurement):"
    )
    for label, key in (
        ("trusted load, persons own their strings", "trusted, own strings"),
        ("trusted load, strings shared with dicts", "trusted, shared dicts"),
        ("validated, persons own their strings", "validated, own strings"),
        ("validated, strings shared with inputs", "validated, shared inputs"),
    ):
        print(f"  {label:<44}{memory[key]:>8.0f} B")
    print(
        "  (validated figures include the contact types' member sets:"
        f" {memory['validated, membership sets']:.0f} B/person)"
    )
    print(
        "  'own strings': inputs decoded from JSON inside the traced region"
        " and dropped;\n  'shared': pre-built dicts/inputs kept alive"
        " outside it, their strings not counted.\n  The memory target uses"
        " 'trusted load, persons own their strings'."
    )

    ratio_floor = ours / floor
    ratio_peer = ours / peer
    speedup = ours / trusted_load
    mem = memory["trusted, own strings"]
    p_floor = paired(times, "ours (validated)", "floor")
    p_peer = paired(times, "ours (validated)", "peer (pydantic)")
    p_speedup = paired(times, "ours (validated)", "trusted load")
    shared = memory["trusted, shared dicts"]
    validated_mem = memory["validated, own strings"]
    # Issue 12: "<= 1.10x the floor" is retired (the floor includes
    # email-validator, which the fast path now skips: ours may be under
    # it); "trusted load >= 20x validated" is shown, not a target (it
    # penalises a faster validated path); memory has a 1.1 KB guard.
    print(
        f"\ninformation: ours/floor {ratio_floor:.3f}x (paired median"
        f" {p_floor:.3f}x); validated/trusted load {speedup:.1f}x (paired"
        f" median {p_speedup:.1f}x)"
    )
    targets = (
        (
            "validated construction vs pydantic peer, paired median <= 0.9",
            p_peer <= PEER_TARGET,
            f"ours/peer paired median {p_peer:.3f} (best {ratio_peer:.3f})",
        ),
        (
            "memory <= 1,100 B/person, 3 channels (guard)",
            mem <= MEMORY_GUARD,
            (
                f"trusted load {mem:.0f} B (shared dicts {shared:.0f} B);"
                f" validated construction {validated_mem:.0f} B"
            ),
        ),
    )
    print("\nTargets")
    for label, ok, figure in targets:
        print(f"  {'PASS' if ok else 'FAIL'}  {label}: {figure}")
    print(f"\n(run time {time.perf_counter() - started:.1f} s)")


if __name__ == "__main__":
    main()
