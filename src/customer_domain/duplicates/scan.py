# SPDX-License-Identifier: MIT
"""
Bulk scans for duplicates (DU-8, BX-3): a whole organization's base, or
an incoming batch before it is written.

Exact criteria group records by shared keys, read from the key index in
key order; fuzzy names compare records only inside blocks of similar
names.  No pair of records is ever compared otherwise, and memory grows
with the records that have a duplicate, not with the base.

.. versionadded:: 0.1.0
"""

from __future__ import annotations

import itertools
import uuid

from collections.abc import Callable, Iterable, Iterator
from typing import Final

import attrs

from customer_domain.duplicates._core import (
    CHANNELS,
    CRITERIA,
    INT,
    MAX_BLOCK,
    RANK,
    Method,
    Strength,
    person_lookup,
)
from customer_domain.duplicates.keys import (
    PERSON_NAME,
    PERSON_NAME_AT_CUSTOMER,
    PERSON_NAME_BLOCK,
    person_keys,
)
from customer_domain.duplicates.policy import DuplicatePolicy
from customer_domain.model import Person
from customer_domain.storage.protocols import MatchKey, UnitOfWork


__all__ = ["DuplicateGroup", "Link", "ScanProgress"]

_SAME_CUSTOMER: Final = "same_customer"


@attrs.frozen
class Link:
    """
    Records of a group that share one key, or two close names.

    Attributes:
        criterion: ``"name"``, ``"email"``, ``"phone"``, ``"mobile"``,
            ``"fax"``, ``"company_name"`` or ``"vat"``.
        method: Equal keys, or similar names.
        score: 1.0 for equal keys; the Jaro-Winkler similarity otherwise.
        key: The shared normalized value (for close names, both).
        ids: The records linked.
    """

    criterion: str
    method: Method
    score: float
    key: str
    ids: tuple[uuid.UUID, ...]


@attrs.frozen
class DuplicateGroup:
    """
    Records that are potential duplicates of one another, with every
    link found between them and the strength of the strongest pair.
    """

    ids: tuple[uuid.UUID, ...]
    links: tuple[Link, ...]
    strength: Strength


@attrs.frozen
class ScanProgress:
    """Where a bulk scan is: *step* of *steps* (one per criterion)."""

    criterion: str
    step: int
    steps: int
    keys: int


#: One link: the records' id integers (sorted), the evidence mark, and
#: what to report (criterion, method, score, key), or None for evidence
#: only.  Tuples of atomic values, which the garbage collector stops
#: tracking: a scan of a large base holds hundreds of thousands.
_Entry = tuple[tuple[int, ...], str, tuple[str, str, float, str] | None]


class _Groups:
    """Union-find over linked records, with what links them."""

    def __init__(self) -> None:
        self.parent: dict[int, int] = {}
        self.ids: dict[int, uuid.UUID] = {}
        self.entries: list[_Entry] = []

    def _root(self, x: int) -> int:
        parent = self.parent
        root = x
        while (up := parent[root]) != root:
            root = up
        while (up := parent[x]) != root:
            parent[x] = root
            x = up
        return root

    def add(
        self,
        owners: Iterable[uuid.UUID],
        mark: str,
        report: tuple[str, str, float, str] | None,
    ) -> None:
        """Join *owners*, linked by *mark* evidence (reported as *report*)."""
        parent, ids = self.parent, self.ids
        keys = []
        for i in owners:
            k = i.int
            if k not in parent:
                parent[k] = k
                ids[k] = i
            keys.append(k)
        keys.sort()
        first = self._root(keys[0])
        for other in keys[1:]:
            root = self._root(other)
            if root != first:
                parent[root] = first
        self.entries.append((tuple(keys), mark, report))

    def groups(
        self, keep: Callable[[tuple[uuid.UUID, ...]], bool] = bool
    ) -> Iterator[DuplicateGroup]:
        """The groups, strongest first, then by their first id."""
        root_of = self._root
        by_root: dict[int, list[_Entry]] = {}
        for entry in self.entries:
            by_root.setdefault(root_of(entry[0][0]), []).append(entry)
        self.entries = []
        found = []
        for root, entries in by_root.items():
            if not any(report for _, _, report in entries):
                continue
            keys = tuple(sorted({k for ks, _, _ in entries for k in ks}))
            strength = _group_strength(entries, len(keys))
            found.append((RANK[strength], keys, root, strength))
        # By integer is by text: ids are fixed-width hexadecimal.
        found.sort()
        ids = self.ids
        for _, keys, root, strength in found:
            group = tuple(ids[k] for k in keys)
            if not keep(group):
                continue
            links = tuple(
                Link(r[0], Method(r[1]), r[2], r[3], tuple(ids[k] for k in ks))
                for ks, _, r in by_root[root]
                if r is not None
            )
            yield DuplicateGroup(group, links, strength)


def _group_strength(entries: list[_Entry], size: int) -> Strength:
    """The strength of the strongest pair of a group of *size* records."""
    if size == 2:  # noqa: PLR2004
        # Two records (most groups): the pair's evidence is all of it.
        return _pair_strength({mark for _, mark, _ in entries})
    pairs: dict[tuple[int, int], set[str]] = {}
    for keys, mark, _ in entries:
        for pair in itertools.combinations(keys, 2):
            pairs.setdefault(pair, set()).add(mark)
    return min(
        (_pair_strength(marks) for marks in pairs.values()),
        key=RANK.__getitem__,
    )


def _pair_strength(marks: set[str]) -> Strength:
    name = "name" in marks
    channels = marks & CHANNELS
    if (name and channels) or "vat" in marks:
        return Strength.EXACT
    if (
        ("fuzzy_name" in marks and channels)
        or "email" in marks
        or len(channels) > 1
        or (name and _SAME_CUSTOMER in marks)
        or "company_name" in marks
    ):
        return Strength.STRONG
    return Strength.WEAK


def scan(
    uow: UnitOfWork,
    criteria: Iterable[str],
    policy: DuplicatePolicy,
    *,
    fuzzy: bool,
    progress: Callable[[ScanProgress], None] | None,
) -> Iterator[DuplicateGroup]:
    """Groups of the stored records sharing keys of *criteria* (DU-8)."""
    steps = list(criteria)
    if steps and steps[0] == PERSON_NAME:
        steps.insert(1, PERSON_NAME_AT_CUSTOMER)
    if fuzzy:
        steps.append(PERSON_NAME_BLOCK)
    found = _Groups()
    for step, criterion in enumerate(steps, 1):
        count = 0
        if criterion == PERSON_NAME_BLOCK:
            blocks = uow.match_keys.groups(criterion, max_owners=MAX_BLOCK)
            count = _fuzzy(uow, found, blocks, policy, names={})
        else:
            for value, owners in uow.match_keys.groups(
                criterion, max_owners=policy.max_shared
            ):
                count += 1
                _link_key(found, criterion, value, owners)
                if progress is not None and count % 10_000 == 0:
                    progress(ScanProgress(criterion, step, len(steps), count))
        if progress is not None:
            progress(ScanProgress(criterion, step, len(steps), count))
    yield from found.groups()


def _link_key(
    found: _Groups, criterion: str, value: str, owners: Iterable[uuid.UUID]
) -> None:
    if criterion == PERSON_NAME_AT_CUSTOMER:
        found.add(owners, _SAME_CUSTOMER, None)
        return
    name = CRITERIA[criterion]
    found.add(owners, name, (name, "exact", 1.0, value))


def _fuzzy(
    uow: UnitOfWork,
    found: _Groups,
    blocks: Iterable[tuple[str, Iterable[uuid.UUID]]],
    policy: DuplicatePolicy,
    *,
    names: dict[uuid.UUID, str],
) -> int:
    """Link close names inside each block; the number of blocks read."""
    from rapidfuzz.distance import JaroWinkler  # noqa: PLC0415 -- optional.

    seen: set[tuple[uuid.UUID, uuid.UUID]] = set()
    count = 0
    for _, owners in blocks:
        count += 1
        members = sorted(owners, key=INT)
        missing = [m for m in members if m not in names]
        for owner, keys in uow.match_keys.of_many(missing).items():
            names[owner] = next(
                (k.value for k in keys if k.criterion == PERSON_NAME), ""
            )
        for a, b in itertools.combinations(members, 2):
            x, y = names.get(a, ""), names.get(b, "")
            if not x or not y or x == y or (a, b) in seen:
                continue
            score = JaroWinkler.normalized_similarity(x, y)
            if score >= policy.fuzzy_threshold:
                seen.add((a, b))
                found.add(
                    (a, b),
                    "fuzzy_name",
                    ("name", "fuzzy", score, f"{x} ~ {y}"),
                )
    return count


def check_batch(
    uow: UnitOfWork,
    persons: Iterable[Person],
    policy: DuplicatePolicy,
) -> list[DuplicateGroup]:
    """
    Groups of potential duplicates involving *persons* (not yet
    written): inside the batch, and with stored persons.
    """
    batch: dict[uuid.UUID, Person] = {p.id: p for p in persons}
    by_key: dict[MatchKey, set[uuid.UUID]] = {}
    names: dict[uuid.UUID, str] = {}
    blocks: dict[str, set[uuid.UUID]] = {}
    for person in batch.values():
        keys = person_keys(person)
        wanted = person_lookup(keys, policy)
        if policy.names:
            wanted += [
                k for k in keys if k.criterion == PERSON_NAME_AT_CUSTOMER
            ]
        for key in wanted:
            by_key.setdefault(key, set()).add(person.id)
        for key in keys:
            if key.criterion == PERSON_NAME:
                names[person.id] = key.value
            elif key.criterion == PERSON_NAME_BLOCK:
                blocks.setdefault(key.value, set()).add(person.id)
    stored = uow.match_keys.lookup(by_key, limit=policy.max_shared + 1)
    found = _Groups()
    for key, members in sorted(by_key.items()):
        owners = members | stored.get(key, frozenset())
        if 1 < len(owners) <= policy.max_shared:
            _link_key(found, key.criterion, key.value, owners)
    if policy.fuzzy_names:
        in_store = uow.match_keys.lookup(
            [MatchKey(PERSON_NAME_BLOCK, b) for b in blocks], limit=MAX_BLOCK
        )
        _fuzzy(
            uow,
            found,
            (
                (
                    b,
                    members
                    | in_store.get(MatchKey(PERSON_NAME_BLOCK, b), set()),
                )
                for b, members in sorted(blocks.items())
            ),
            policy,
            names=names,
        )
    return list(found.groups(keep=lambda ids: any(i in batch for i in ids)))
