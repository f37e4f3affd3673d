# SPDX-License-Identifier: MIT
"""
Validation cost per element as collections grow (issue 11, linear time).

For each collection a host may hand the library, the time of one
validated call divided by the number of elements, at 1,000, 10,000 and
100,000 elements, side by side in one run, with the ratio of the largest
size's per-element cost to the smallest's (target <= 1.5x).

Collections with a documented size limit (``docs/errors.md``: person
functions, allowed networks, contact types given at once or in a
document, identifiers) are refused past it; their rows show that a
refusal costs no more than reading up to the limit (the per-element
cost falls as the input grows).  Collections without a limit (persons
of a snapshot, with their contact-type memberships) are validated in
full.

``python benchmarks/bench_collections.py [REPEAT]``
"""

from __future__ import annotations

import contextlib
import gc
import json
import statistics
import sys
import time
import uuid

from collections.abc import Callable

from customer_domain import (
    Customer,
    CustomerDomainError,
    serialization,
)
from customer_domain.serialization import CustomerSnapshot


SIZES = (1_000, 10_000, 100_000)
TARGET = 1.5


def _time(call: Callable[[], object], repeat: int) -> float:
    """The median time of *call*, in seconds."""
    times = []
    call_ = call
    with contextlib.suppress(CustomerDomainError):
        call_()  # Warm up (phone metadata, caches) outside the timing.
    gc.collect()  # The garbage of building the input is not the call's.
    for _ in range(repeat):
        start = time.perf_counter()
        with contextlib.suppress(CustomerDomainError):
            call()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def _functions(n: int) -> Callable[[], object]:
    customer = Customer(name="ACME")
    ct = customer.add_contact_type("Team")
    values = [f"function {i}" for i in range(n)]
    return lambda: customer.add_person(
        last_name="Roy", contact_types=[ct], functions=values
    )


def _networks(n: int) -> Callable[[], object]:
    customer = Customer(
        name="ACME", licenses=[{"quantity": 5, "title": "Portal"}]
    )
    person = customer.add_person(
        last_name="Roy",
        contact_types=["Customer"],
        channels=[{"kind": "email", "value": "roy@example.com"}],
    )
    nets = [
        f"10.{i // 65536 % 256}.{i // 256 % 256}.{i % 256}" for i in range(n)
    ]
    user, _ = customer.add_external_user(person)
    return lambda: user.update(allowed_networks=nets)


def _contact_types(n: int) -> Callable[[], object]:
    customer = Customer(name="ACME")
    for i in range(50):
        customer.add_contact_type(f"Team {i}")
    keys = [f"team {i % 50}" for i in range(n)]
    return lambda: customer.add_person(last_name="Roy", contact_types=keys)


def _document_types(n: int) -> Callable[[], object]:
    doc = serialization.unstructure(Customer(name="ACME"))
    doc["data"]["contact_types"] += [
        {"id": str(uuid.uuid4()), "name": f"Team {i}", "is_default": False}
        for i in range(n - 1)  # With the default one: n contact types.
    ]
    text = json.dumps(doc)
    return lambda: serialization.loads(text, Customer)


def _snapshot(n: int) -> Callable[[], object]:
    customer = Customer(name="ACME", address={"country": "FR"})
    team = customer.add_contact_type("Team")
    persons = [
        customer.add_person(
            last_name=f"Roy {i}",
            contact_types=[team],
            channels=[{"kind": "email", "value": f"p{i}@example.com"}],
        )
        for i in range(n)
    ]
    text = serialization.dumps(CustomerSnapshot(customer, persons))
    return lambda: serialization.loads(text, CustomerSnapshot)


CASES: dict[str, tuple[Callable[[int], Callable[[], object]], bool]] = {
    "person functions (limit 1,000)": (_functions, True),
    "allowed networks (limit 1,000)": (_networks, True),
    "contact types given (limit 1,000)": (_contact_types, True),
    "contact types (document, limit 1,000)": (_document_types, True),
    "persons of a snapshot (document)": (_snapshot, False),
}


def main() -> int:
    repeat = int(sys.argv[1]) if len(sys.argv) > 1 else 5
    header = "".join(f"{n:>14,}" for n in SIZES)
    print(f"{'us per element':<40}{header}   largest/smallest")
    failed = False
    for name, (make, limited) in CASES.items():
        costs = []
        for n in SIZES:
            call = make(n)
            runs = repeat if n < SIZES[-1] or limited else max(1, repeat // 2)
            costs.append(_time(call, runs) / n * 1e6)
        ratio = costs[-1] / costs[0]
        ok = ratio <= TARGET
        failed |= not ok
        cells = "".join(f"{c:>14.3f}" for c in costs)
        verdict = "PASS" if ok else "FAIL"
        print(f"{name:<40}{cells}   {ratio:>6.2f}x {verdict}")
    print(
        f"target: per-element cost at {SIZES[-1]:,}"
        f" <= {TARGET}x at {SIZES[0]:,}"
    )
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
