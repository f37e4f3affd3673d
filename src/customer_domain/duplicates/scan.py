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


class _Groups:
    """Union-find over linked records, with the links and pair evidence."""

    def __init__(self) -> None:
        self.parent: dict[uuid.UUID, uuid.UUID] = {}
        self.links: list[Link] = []
        self.pairs: dict[tuple[uuid.UUID, uuid.UUID], set[str]] = {}

    def _root(self, x: uuid.UUID) -> uuid.UUID:
        parent = self.parent
        root = x
        while parent.setdefault(root, root) != root:
            root = parent[root]
        while parent[x] != root:
            parent[x], x = root, parent[x]
        return root

    def link(self, link: Link, *, evidence: str | None = None) -> None:
        """Join the records of *link*; *evidence* overrides its criterion."""
        ids = sorted(link.ids)
        if evidence is None:
            self.links.append(link)
        first = self._root(ids[0])
        for other in ids[1:]:
            root = self._root(other)
            if root != first:
                self.parent[root] = first
        mark = evidence or (
            "fuzzy_name" if link.method is Method.FUZZY else link.criterion
        )
        for a, b in itertools.combinations(ids, 2):
            self.pairs.setdefault((a, b), set()).add(mark)

    def groups(
        self, keep: Callable[[tuple[uuid.UUID, ...]], bool] = bool
    ) -> list[DuplicateGroup]:
        members: dict[uuid.UUID, list[uuid.UUID]] = {}
        for x in self.parent:
            members.setdefault(self._root(x), []).append(x)
        links: dict[uuid.UUID, list[Link]] = {}
        for link in self.links:
            links.setdefault(self._root(link.ids[0]), []).append(link)
        strength: dict[uuid.UUID, Strength] = {}
        for (a, _), marks in self.pairs.items():
            root = self._root(a)
            s = _pair_strength(marks)
            if root not in strength or RANK[s] < RANK[strength[root]]:
                strength[root] = s
        out = []
        for root, ids in members.items():
            group = tuple(sorted(ids, key=str))
            if len(group) > 1 and root in links and keep(group):
                out.append(
                    DuplicateGroup(
                        group,
                        tuple(links[root]),
                        strength.get(root, Strength.WEAK),
                    )
                )
        out.sort(key=lambda g: (RANK[g.strength], str(g.ids[0])))
        return out


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
    ids = tuple(sorted(owners, key=str))
    if criterion == PERSON_NAME_AT_CUSTOMER:
        found.link(
            Link("name", Method.EXACT, 1.0, value, ids),
            evidence=_SAME_CUSTOMER,
        )
        return
    found.link(Link(CRITERIA[criterion], Method.EXACT, 1.0, value, ids))


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
        members = sorted(owners, key=str)
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
                found.link(
                    Link("name", Method.FUZZY, score, f"{x} ~ {y}", (a, b))
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
    return found.groups(keep=lambda ids: any(i in batch for i in ids))
