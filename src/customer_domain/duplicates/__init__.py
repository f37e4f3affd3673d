# SPDX-License-Identifier: MIT
"""
Duplicate detection (SPEC DU-1..DU-8, BX-3): per-organization
policies, the check on creation and bulk scans.  The match keys they
look up and their normalizers are in `customer_domain.matching`.

>>> from customer_domain import Customer
>>> from customer_domain.duplicates import DuplicateChecker, DuplicatePolicy
>>> from customer_domain.storage import InMemoryStore
>>> checker = DuplicateChecker(DuplicatePolicy(phone_kinds_match=True))
>>> acme = Customer(name="ACME", address={"country": "FR"})
>>> staff = [acme.add_contact_type("Staff")]
>>> helene = acme.add_person(
...     first_name="Hélène", last_name="Lefèvre", contact_types=staff,
...     channels=[{"kind": "mobile", "value": "06 12 34 56 78"}],
... )
>>> typed_again = acme.add_person(
...     first_name="LEFEVRE", last_name="helene", contact_types=staff,
...     channels=[{"kind": "phone", "value": "+33 6 12 34 56 78"}],
... )
>>> with InMemoryStore().unit_of_work("acme") as uow:
...     _ = checker.add_person(uow, helene)
...     found = checker.check_person(uow, typed_again)
>>> for r in found.candidates[0].reasons:
...     print(r.criterion, "|", r.value, "|", r.other_value)
name | LEFEVRE helene | Hélène Lefèvre
mobile | +33 6 12 34 56 78 | 06 12 34 56 78
>>> found.candidates[0].strength
<Strength.EXACT: 'exact'>

.. versionadded:: 0.1.0
"""

from customer_domain.duplicates.check import (
    Candidate,
    DuplicateCheck,
    DuplicateChecker,
    Method,
    Reason,
    Strength,
)
from customer_domain.duplicates.policy import DuplicatePolicy
from customer_domain.duplicates.scan import DuplicateGroup, Link, ScanProgress


__all__ = [
    "Candidate",
    "DuplicateCheck",
    "DuplicateChecker",
    "DuplicateGroup",
    "DuplicatePolicy",
    "Link",
    "Method",
    "Reason",
    "ScanProgress",
    "Strength",
]
