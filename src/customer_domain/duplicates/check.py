# SPDX-License-Identifier: MIT
"""
The duplicate check on creation (DU-1..DU-7, BX-3).

.. versionadded:: 0.1.0
"""

from __future__ import annotations

import contextlib
import uuid

from collections.abc import Callable, Iterable, Iterator, Mapping
from typing import Any, Final, Generic, TypeVar

import attrs

from customer_domain._collect import Collector, fail
from customer_domain.duplicates._core import (
    CHANNELS,
    CRITERIA,
    INT,
    MAX_BLOCK,
    RANK,
    CloseNames,
    Method,
    Strength,
    close_names,
    person_lookup,
)
from customer_domain.duplicates.policy import DuplicatePolicy
from customer_domain.duplicates.scan import (
    DuplicateGroup,
    ScanProgress,
    check_batch,
    scan,
)
from customer_domain.exceptions import (
    Issue,
    NotFoundError,
    PotentialDuplicatesError,
)
from customer_domain.matching.keys import (
    CHANNEL_CRITERIA,
    CUSTOMER_VAT,
    PERSON_EMAIL,
    PERSON_FAX,
    PERSON_MOBILE,
    PERSON_NAME,
    PERSON_NAME_BLOCK,
    PERSON_NAME_PARTS,
    PERSON_PHONE,
    channel_key,
    customer_keys,
    person_keys,
)
from customer_domain.matching.normalize import fold_name
from customer_domain.model import Customer, DuplicateOverride, Person
from customer_domain.model._base import set_fields
from customer_domain.storage.protocols import MatchKey, UnitOfWork
from customer_domain.validation._fields import callback, items


__all__ = [
    "Candidate",
    "DuplicateCheck",
    "DuplicateChecker",
    "Method",
    "Reason",
    "Strength",
]

R = TypeVar("R", Person, Customer)


@attrs.frozen
class Reason:
    """
    One criterion that matched (BX-3).

    Attributes:
        criterion: ``"name"``, ``"email"``, ``"phone"``, ``"mobile"``,
            ``"fax"``, ``"company_name"`` or ``"vat"``.
        method: Equal keys, or similar names.
        score: 1.0 for equal keys; the Jaro-Winkler similarity otherwise.
        path: The field of the checked record that matched.
        value: Its value, as entered.
        other_value: The candidate's value, as entered.
        key: The normalized value compared (the checked record's).
    """

    criterion: str
    method: Method
    score: float
    path: str
    value: str
    other_value: str
    key: str


@attrs.frozen
class Candidate(Generic[R]):
    """
    A potential duplicate: the stored record, every criterion that
    matched, and how strong the evidence is.
    """

    record: R
    reasons: tuple[Reason, ...]
    strength: Strength

    @property
    def id(self) -> uuid.UUID:
        """The candidate's id."""
        return self.record.id

    @property
    def criteria(self) -> tuple[str, ...]:
        """The criteria that matched, in order."""
        return tuple(dict.fromkeys(r.criterion for r in self.reasons))


@attrs.frozen
class DuplicateCheck(Generic[R]):
    """
    What a check found: candidates, strongest first, and the keys set
    aside because too many records share them (BX-3).  False when there
    is no candidate.
    """

    candidates: tuple[Candidate[R], ...]
    too_common: tuple[MatchKey, ...] = ()

    def __bool__(self) -> bool:
        return bool(self.candidates)

    def __len__(self) -> int:
        return len(self.candidates)

    def __iter__(self) -> Iterator[Candidate[R]]:
        return iter(self.candidates)

    @property
    def ids(self) -> tuple[uuid.UUID, ...]:
        """The candidates' ids, in order."""
        return tuple(c.id for c in self.candidates)

    def error(self) -> PotentialDuplicatesError:
        """The error a refused creation raises: one issue per reason."""
        issues = []
        for candidate in self.candidates:
            name = _display(candidate.record)
            for r in candidate.reasons:
                code = f"duplicates.{r.criterion}"
                params = {"name": name, "other": r.other_value}
                if r.method is Method.FUZZY:
                    code = "duplicates.name_fuzzy"
                    params["score"] = str(round(r.score * 100))
                issues.append(Issue(r.path, code, str(candidate.id), params))
        return PotentialDuplicatesError(issues, self.candidates)


def _display(record: Person | Customer) -> str:
    if isinstance(record, Person):
        return record.full_name
    return record.name


Policies = (
    DuplicatePolicy
    | Mapping[str, DuplicatePolicy]
    | Callable[[str], DuplicatePolicy]
)


class DuplicateChecker:
    """
    Checks persons and customers for potential duplicates in their
    organization, and writes them with their decision (DU-1..DU-8).

    Args:
        policies: One `DuplicatePolicy` for every organization, a
            mapping from organization to policy, or a function returning
            an organization's policy.
        default: The policy of organizations a mapping does not list.

    >>> from customer_domain import Customer
    >>> from customer_domain.storage import InMemoryStore
    >>> store, checker = InMemoryStore(), DuplicateChecker()
    >>> acme = Customer(name="ACME", address={"country": "FR"})
    >>> staff = [acme.add_contact_type("Staff")]
    >>> first = acme.add_person(
    ...     first_name="Hélène", last_name="Lefèvre", contact_types=staff
    ... )
    >>> again = acme.add_person(
    ...     first_name="HELENE", last_name="LEFEVRE", contact_types=staff
    ... )
    >>> with store.unit_of_work("org") as uow:
    ...     _ = checker.add_person(uow, first)
    ...     found = checker.check_person(uow, again)
    >>> [(c.record.full_name, c.criteria, c.strength.value) for c in found]
    [('Hélène Lefèvre', ('name',), 'strong')]

    .. versionadded:: 0.1.0
    """

    def __init__(
        self,
        policies: Policies | None = None,
        *,
        default: DuplicatePolicy | None = None,
    ) -> None:
        c = Collector()
        if default is not None and not isinstance(default, DuplicatePolicy):
            c.add("default", "invalid_type", default, expected=_POLICY)
        if isinstance(policies, Mapping):
            for org, policy in policies.items():
                if not isinstance(policy, DuplicatePolicy):
                    c.add(str(org), "invalid_type", policy, expected=_POLICY)
        elif not (
            policies is None
            or isinstance(policies, DuplicatePolicy)
            or callable(policies)
        ):
            c.add(
                "policies",
                "invalid_type",
                policies,
                expected="a policy, a mapping or a function",
            )
        c.raise_if_any()
        self._default = default or DuplicatePolicy()
        self._policies = policies if policies is not None else self._default

    def policy_for(self, organization: str) -> DuplicatePolicy:
        """
        The policy of *organization*.

        Raises:
            ValidationError: A policy function returned something else.
        """
        policies = self._policies
        if isinstance(policies, DuplicatePolicy):
            return policies
        if isinstance(policies, Mapping):
            return policies.get(organization, self._default)
        policy = policies(organization)
        if not isinstance(policy, DuplicatePolicy):
            fail("invalid_type", policy, expected=_POLICY)
        return policy

    # -- persons -----------------------------------------------------------

    def check_person(
        self, uow: UnitOfWork, person: Person
    ) -> DuplicateCheck[Person]:
        """
        The potential duplicates of *person* among the organization's
        active persons (DU-1, DU-5); writes nothing.
        """
        _expect(person, Person, "a person")
        policy = self.policy_for(uow.organization)
        keys = person_keys(person)
        wanted = person_lookup(keys, policy)
        matched, too_common = _lookup(uow, wanted, policy.max_shared)
        fuzzy: dict[uuid.UUID, CloseNames] = {}
        if policy.fuzzy_names:
            fuzzy = _fuzzy_names(uow, keys, policy, exclude=matched)
        matched.pop(person.id, None)
        fuzzy.pop(person.id, None)
        candidates = []
        for owner in sorted({*matched, *fuzzy}, key=INT):
            try:
                other = uow.persons.get(owner)
            except NotFoundError:  # a customer's id shares no person key
                continue
            reasons = _person_reasons(
                person, other, matched.get(owner, ()), fuzzy.get(owner)
            )
            if reasons:
                candidates.append(
                    Candidate(
                        other,
                        reasons,
                        _person_strength(person, other, reasons),
                    )
                )
        return DuplicateCheck(_ranked(candidates), too_common)

    def add_person(
        self,
        uow: UnitOfWork,
        person: Person,
        *,
        override: DuplicateOverride | None = None,
    ) -> DuplicateCheck[Person]:
        """
        Check *person*, then add it (its match keys go with it).

        Raises:
            PotentialDuplicatesError: Candidates were found and no
                *override* was given; nothing was written (DU-3).
        """
        _expect(override, DuplicateOverride | None, "a duplicate override")
        found = self.check_person(uow, person)
        with _decided(person, found, override):
            uow.persons.add(person)
        return found

    def update_person(
        self,
        uow: UnitOfWork,
        person: Person,
        *,
        override: DuplicateOverride | None = None,
    ) -> DuplicateCheck[Person]:
        """
        Update *person* (its match keys follow); checked first only if
        the policy says ``on_modification`` (DU-4).
        """
        _expect(person, Person, "a person")
        _expect(override, DuplicateOverride | None, "a duplicate override")
        found: DuplicateCheck[Person] = DuplicateCheck(())
        if self.policy_for(uow.organization).on_modification:
            found = self.check_person(uow, person)
        with _decided(person, found, override):
            uow.persons.update(person)
        return found

    # -- customers ---------------------------------------------------------

    def check_customer(
        self, uow: UnitOfWork, customer: Customer
    ) -> DuplicateCheck[Customer]:
        """
        The potential duplicates of *customer*: same company name in the
        same postal code, same VAT ID (DU-6); writes nothing.
        """
        _expect(customer, Customer, "a customer")
        policy = self.policy_for(uow.organization)
        wanted = [
            k
            for k in customer_keys(customer)
            if k.criterion in policy.customer_criteria
        ]
        matched, too_common = _lookup(uow, wanted, policy.max_shared)
        matched.pop(customer.id, None)
        candidates = []
        for owner in sorted(matched, key=INT):
            try:
                other = uow.customers.get(owner)
            except NotFoundError:
                continue
            reasons = tuple(
                _customer_reason(customer, other, key)
                for key in sorted(matched[owner])
            )
            strength = (
                Strength.EXACT
                if any(r.criterion == "vat" for r in reasons)
                else Strength.STRONG
            )
            candidates.append(Candidate(other, reasons, strength))
        return DuplicateCheck(_ranked(candidates), too_common)

    def add_customer(
        self,
        uow: UnitOfWork,
        customer: Customer,
        *,
        override: DuplicateOverride | None = None,
    ) -> DuplicateCheck[Customer]:
        """
        Check *customer*, then add it.

        Raises:
            PotentialDuplicatesError: Candidates were found and no
                *override* was given; nothing was written (DU-3).
        """
        _expect(override, DuplicateOverride | None, "a duplicate override")
        found = self.check_customer(uow, customer)
        with _decided(customer, found, override):
            uow.customers.add(customer)
        return found

    def update_customer(
        self,
        uow: UnitOfWork,
        customer: Customer,
        *,
        override: DuplicateOverride | None = None,
    ) -> DuplicateCheck[Customer]:
        """Update *customer*; checked first only ``on_modification``."""
        _expect(customer, Customer, "a customer")
        _expect(override, DuplicateOverride | None, "a duplicate override")
        found: DuplicateCheck[Customer] = DuplicateCheck(())
        if self.policy_for(uow.organization).on_modification:
            found = self.check_customer(uow, customer)
        with _decided(customer, found, override):
            uow.customers.update(customer)
        return found

    # -- bulk --------------------------------------------------------------

    def scan_persons(
        self,
        uow: UnitOfWork,
        *,
        progress: Callable[[ScanProgress], None] | None = None,
    ) -> Iterator[DuplicateGroup]:
        """
        Groups of potential duplicates among the organization's active
        persons, strongest first, then in the order found (criterion by
        criterion, each in key order) (DU-8), from the key index: exact
        criteria by shared keys, close names inside name blocks.
        *progress* is called as the scan goes, once per criterion at
        least.
        """
        if progress is not None:
            _check_callback("progress", progress)
        policy = self.policy_for(uow.organization)
        return scan(
            uow,
            policy.criteria,
            policy,
            fuzzy=policy.fuzzy_names,
            progress=progress,
        )

    def scan_customers(
        self,
        uow: UnitOfWork,
        *,
        progress: Callable[[ScanProgress], None] | None = None,
    ) -> Iterator[DuplicateGroup]:
        """Groups of potential duplicates among active customers (DU-6)."""
        if progress is not None:
            _check_callback("progress", progress)
        policy = self.policy_for(uow.organization)
        return scan(
            uow,
            policy.customer_criteria,
            policy,
            fuzzy=False,
            progress=progress,
        )

    def check_batch(
        self, uow: UnitOfWork, persons: Iterable[Person]
    ) -> list[DuplicateGroup]:
        """
        Groups of potential duplicates involving *persons*, an incoming
        batch not yet written (an import): among themselves and with the
        stored persons (BX-3).
        """
        given = items(persons, expected="a list of persons", limit=MAX_BATCH)
        c = Collector()
        batch: list[Person] = []
        for i, person in enumerate(given):
            if isinstance(person, Person):
                batch.append(person)
            else:
                c.add(f"[{i}]", "invalid_type", person, expected="a person")
        c.raise_if_any()
        return check_batch(uow, batch, self.policy_for(uow.organization))


# -- helpers -----------------------------------------------------------------

_POLICY: Final = "a duplicate policy"


#: Most persons `DuplicateChecker.check_batch` takes at once.
MAX_BATCH: Final = 1_000_000


def _check_callback(name: str, value: object) -> None:
    c = Collector()
    c.check(name, callback, value)
    c.raise_if_any()


def _expect(value: object, cls: Any, expected: str) -> None:
    """Refuse *value* with a `ValidationError` unless it is a *cls*."""
    if not isinstance(value, cls):
        fail("invalid_type", value, expected=expected)


@contextlib.contextmanager
def _decided(
    record: Person | Customer,
    found: DuplicateCheck[Person] | DuplicateCheck[Customer],
    override: DuplicateOverride | None,
) -> Iterator[None]:
    """
    Refuse, or record the override with the candidates it set aside for
    the write in the ``with`` block; if that write fails, the record is
    given back its previous override (a refused call changes nothing).
    """
    if not found:
        yield
        return
    if override is None:
        raise found.error()
    before = record.duplicate_override
    set_fields(
        record,
        duplicate_override=attrs.evolve(override, candidate_ids=found.ids),
    )
    try:
        yield
    except BaseException:
        set_fields(record, duplicate_override=before)
        raise


def _lookup(
    uow: UnitOfWork, keys: list[MatchKey], cap: int
) -> tuple[dict[uuid.UUID, set[MatchKey]], tuple[MatchKey, ...]]:
    """
    The keys each owner shares with *keys*, and the keys set aside
    because more than *cap* owners share them (BX-3).
    """
    if not keys:
        return {}, ()
    matched: dict[uuid.UUID, set[MatchKey]] = {}
    too_common = []
    for key, owners in uow.match_keys.lookup(keys, limit=cap + 1).items():
        if len(owners) > cap:
            too_common.append(key)
            continue
        for owner in owners:
            matched.setdefault(owner, set()).add(key)
    return matched, tuple(sorted(too_common))


def _fuzzy_names(
    uow: UnitOfWork,
    keys: frozenset[MatchKey],
    policy: DuplicatePolicy,
    *,
    exclude: Mapping[uuid.UUID, set[MatchKey]],
) -> dict[uuid.UUID, CloseNames]:
    """Owners of a close name, each name compared on its own, by id."""
    name = next((k.value for k in keys if k.criterion == PERSON_NAME), "")
    parts = next(
        (k.value for k in keys if k.criterion == PERSON_NAME_PARTS), ""
    )
    blocks = [k for k in keys if k.criterion == PERSON_NAME_BLOCK]
    if not name or not blocks:
        return {}
    owners: set[uuid.UUID] = set()
    for block_owners in uow.match_keys.lookup(
        blocks, limit=MAX_BLOCK
    ).values():
        owners.update(block_owners)
    same_name = {
        o for o, ks in exclude.items() if MatchKey(PERSON_NAME, name) in ks
    }
    owners -= same_name
    out = {}
    for owner, their in uow.match_keys.of_many(sorted(owners)).items():
        other = next(
            (k.value for k in their if k.criterion == PERSON_NAME), ""
        )
        if not other or other == name:
            continue
        other_parts = next(
            (k.value for k in their if k.criterion == PERSON_NAME_PARTS), ""
        )
        close = close_names(parts, other_parts, policy)
        if close is not None:
            out[owner] = close
    return out


def _person_reasons(
    person: Person,
    other: Person,
    keys: Iterable[MatchKey],
    fuzzy: CloseNames | None,
) -> tuple[Reason, ...]:
    reasons = []
    for key in sorted(keys, key=lambda k: (_ORDER[k.criterion], k.value)):
        criterion = CRITERIA[key.criterion]
        if criterion == "name":
            reasons.append(
                Reason(
                    "name",
                    Method.EXACT,
                    1.0,
                    "last_name",
                    person.full_name,
                    other.full_name,
                    key.value,
                )
            )
            continue
        mine = _channel_with(person, key.value)
        theirs = _channel_with(other, key.value)
        if mine is None or theirs is None:  # pragma: no cover - stale key
            continue
        reasons.append(
            Reason(
                # Across phone kinds, the candidate's kind is the criterion.
                criterion,
                Method.EXACT,
                1.0,
                f"channels[{mine[0]}]",
                mine[1],
                theirs[1],
                key.value,
            )
        )
    if fuzzy is not None:
        first, last, swapped = fuzzy
        other_names = (
            (other.last_name, other.first_name)
            if swapped
            else (other.first_name, other.last_name)
        )
        # One reason per name: which matched, and how closely.
        for path, score, value, other_value in (
            ("first_name", first, person.first_name, other_names[0]),
            ("last_name", last, person.last_name, other_names[1]),
        ):
            reasons.append(
                Reason(
                    "name",
                    Method.FUZZY,
                    score,
                    path,
                    value,
                    other_value,
                    fold_name(value),
                )
            )
    return tuple(reasons)


#: Reasons read name first, then e-mail, then numbers.
_ORDER: Final = {
    c: i
    for i, c in enumerate(
        (PERSON_NAME, PERSON_EMAIL, PERSON_PHONE, PERSON_MOBILE, PERSON_FAX)
    )
}


def _channel_with(person: Person, key: str) -> tuple[int, str] | None:
    """The index and raw value of *person*'s channel whose key is *key*."""
    for i, channel in enumerate(person.channels):
        if (
            channel.kind in CHANNEL_CRITERIA
            and channel_key(channel.kind, channel.value) == key
        ):
            return i, channel.raw
    return None


def _person_strength(
    person: Person, other: Person, reasons: tuple[Reason, ...]
) -> Strength:
    exact = [
        r.key
        for r in reasons
        if r.criterion == "name" and r.method is Method.EXACT
    ]
    # A one-word name (first or last name missing) is weak evidence
    # unless another criterion agrees.
    name = any(" " in key for key in exact)
    single = bool(exact) and not name
    close = any(r.method is Method.FUZZY for r in reasons)
    channels = {r.criterion for r in reasons if r.criterion in CHANNELS}
    if name and channels:
        return Strength.EXACT
    if (
        ((close or single) and channels)
        or "email" in channels
        or len(channels) > 1
        or (name and other.customer_id == person.customer_id)
    ):
        return Strength.STRONG
    return Strength.WEAK


def _customer_reason(
    customer: Customer, other: Customer, key: MatchKey
) -> Reason:
    if key.criterion == CUSTOMER_VAT:
        return Reason(
            "vat",
            Method.EXACT,
            1.0,
            "vat_id",
            customer.vat_id or "",
            other.vat_id or "",
            key.value,
        )
    return Reason(
        "company_name",
        Method.EXACT,
        1.0,
        "name",
        customer.name,
        other.name,
        key.value,
    )


def _ranked(candidates: list[Candidate[R]]) -> tuple[Candidate[R], ...]:
    return tuple(
        sorted(
            candidates,
            key=lambda c: (RANK[c.strength], -len(c.reasons), c.id.int),
        )
    )
