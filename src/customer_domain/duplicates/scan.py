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

import functools
import itertools
import operator
import uuid

from collections.abc import Callable, Iterable, Iterator, Sequence
from collections.abc import Set as AbstractSet
from typing import Final, cast

import attrs

from customer_domain.duplicates._core import (
    CHANNELS,
    CRITERIA,
    INT,
    MAX_BLOCK,
    PHONES,
    RANK,
    Method,
    Strength,
    close_parts,
    describe,
    person_lookup,
)
from customer_domain.duplicates.policy import DuplicatePolicy
from customer_domain.matching.keys import (
    PERSON_NAME,
    PERSON_NAME_AT_CUSTOMER,
    PERSON_NAME_BLOCK,
    PERSON_NAME_PARTS,
    PERSON_NUMBER,
    person_keys,
)
from customer_domain.model import Person
from customer_domain.model._base import _uuid_of
from customer_domain.storage.protocols import MatchKey, UnitOfWork


__all__ = ["DuplicateGroup", "Link", "ScanProgress"]

_SAME_CUSTOMER: Final = "same_customer"
#: The evidence mark of an equal one-word name.
_SINGLE_NAME: Final = "single_name"


@attrs.frozen
class Link:
    """
    Records of a group that share one key, or two close names.

    Attributes:
        criterion: ``"name"``, ``"email"``, ``"phone"``, ``"mobile"``,
            ``"fax"``, ``"number"`` (a number of any kind, with
            ``phone_kinds_match``), ``"company_name"`` or ``"vat"``.
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

    Only strong evidence joins records into a group; a weak link that
    reaches across groups is a (weak) group of its own, so a record can
    be in a strong group and in a weak one (BX-3).
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


#: One link: the records' id integers (sorted), its evidence marks
#: (space-separated), and what to report (criterion, method, score,
#: key), or None for evidence only.  Tuples of atomic values, which the
#: garbage collector stops tracking: a large base gives hundreds of
#: thousands.
_Entry = tuple[tuple[int, ...], str, tuple[str, str, float, str] | None]

_METHODS: Final = {m.value: m for m in Method}
_STRENGTHS: Final = sorted(RANK, key=RANK.__getitem__)


class _Groups:
    """
    Union-find over linked records, with what links them.

    A large base gives hundreds of thousands of links between records
    scattered in memory, so everything kept is atomic (integers, text and
    tuples of them): the garbage collector stops tracking it, and a scan
    does not make each collection walk its whole state.  A link keeps its
    records in one sorted tuple, which its group reuses when that link
    makes the whole group (most do); ids become UUIDs again on output.
    """

    def __init__(self) -> None:
        self.parent: dict[int, int] = {}
        self.entries: list[_Entry] = []
        #: Name key -> how many records share it, and the index of their
        #: link (for same-customer evidence).
        self.names: dict[str, tuple[int, int]] = {}

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
        """Link *owners* by *mark* evidence (reported as *report*)."""
        keys = tuple(sorted(map(INT, owners)))
        self.entries.append((keys, mark, report))

    def join(self, keys: tuple[int, ...]) -> None:
        """Put the records of *keys* (sorted) in one group."""
        parent = self.parent
        first = keys[0]
        root = parent.get(first)
        if root is None:
            parent[first] = root = first
        elif parent[root] != root:
            root = self._root(first)
        for k in keys[1:]:
            up = parent.get(k)
            if up is None:
                parent[k] = root
            elif up != root and (up := self._root(k)) != root:
                parent[up] = root

    def same_customer(self, value: str, size: int) -> bool:
        """
        Whether the *size* records sharing *value* (a name at one
        customer) are all those sharing the name; if so, the name's link
        carries that evidence too.

        Records sharing a name at one customer are some of those sharing
        the name (each record has one name and one customer), so as many
        means the same records, told without reading an id (scattered in
        memory).
        """
        hit = self.names.get(value.partition(":")[2])
        if hit is None or hit[0] != size:
            return False
        entries = self.entries
        keys, marks, report = entries[hit[1]]
        entries[hit[1]] = (keys, f"{marks} {_SAME_CUSTOMER}", report)
        return True

    def link(
        self,
        criterion: str,
        groups: Iterable[tuple[str, AbstractSet[uuid.UUID]]],
        tick: Callable[[int], None] | None = None,
    ) -> int:
        """
        Link the records of each group of *criterion*'s key values; call
        *tick* every 10,000 groups.  The number of groups read.

        The loop every group of a scan goes through, so kept flat.
        """
        entries, names = self.entries, self.names
        append, same_customer = entries.append, self.same_customer
        named = criterion == PERSON_NAME
        same = criterion == PERSON_NAME_AT_CUSTOMER
        mark = _SAME_CUSTOMER if same else CRITERIA[criterion]
        count = 0
        for value, owners in groups:
            count += 1
            if tick is not None and count % 10_000 == 0:
                tick(count)
            if not isinstance(owners, frozenset):
                # An adapter's set (or list): one set from here on.
                owners = frozenset(owners)  # noqa: PLW2901
            if same and same_customer(value, len(owners)):
                continue
            keys = tuple(sorted(map(INT, owners)))
            if same:
                append((keys, mark, None))
                continue
            if named:
                # A one-word name (first or last name missing) is weak
                # evidence unless another criterion agrees.
                marks = mark if " " in value else _SINGLE_NAME
                append((keys, marks, (mark, "exact", 1.0, value)))
                names[value] = (len(owners), len(entries) - 1)
                continue
            append((keys, mark, (mark, "exact", 1.0, value)))
        return count

    def _join_strong(self) -> set[int]:
        """
        Put in one group the records of each link that is strong evidence
        on its own, and of each pair whose links together are (the same
        name and a same number...); the indexes of the links left apart.

        Weak evidence never joins groups (BX-3): a link weak for the
        pairs it makes across groups (a namesake elsewhere, an equal
        one-word name, one shared number, a close name alone) is a group
        of its own, so two persons are never grouped through a third
        they are each only weakly like.
        """
        entries, join = self.entries, self.join
        weak: list[int] = []
        for i, (keys, marks, _) in enumerate(entries):
            if _rank_of(marks) <= _STRONG:
                join(keys)
            else:
                weak.append(i)
        pairs: dict[tuple[int, int], set[str]] = {}
        for i in weak:
            keys, marks, _ = entries[i]
            split = marks.split()
            for pair in itertools.combinations(keys, 2):
                pairs.setdefault(pair, set()).update(split)
        for pair, evidence in pairs.items():
            if RANK[_pair_strength(evidence)] <= _STRONG:
                join(pair)
        parent, root_of = self.parent, self._root
        detached = set()
        for i in weak:
            keys = entries[i][0]
            for k in keys:
                parent.setdefault(k, k)  # A record alone is its own root.
            if len({root_of(k) for k in keys}) > 1:
                detached.add(i)
        return detached

    def groups(
        self, keep: Callable[[tuple[uuid.UUID, ...]], bool] | None = None
    ) -> Iterator[DuplicateGroup]:
        """
        The groups, strongest first, then in the order their first link
        was found (criterion by criterion, each in key order).
        """
        detached = self._join_strong()
        parent, root_of, entries = self.parent, self._root, self.entries
        # Each group's links, at the index of its first link: tuples of
        # atomic tuples, which the garbage collector stops tracking (a
        # list past a few links).  Reading them back in that order reads
        # memory in the order it was written.
        at: list[tuple[_Entry, ...] | list[_Entry] | None] = [None] * len(
            entries
        )
        first: dict[int, int] = {}

        def put(root: int, i: int, entry: _Entry) -> None:
            j = first.setdefault(root, i)
            if j == len(at):
                at.append(None)
            same = at[j]
            if same is None:
                at[j] = (entry,)
            elif isinstance(same, list):
                same.append(entry)
            elif len(same) < _FEW:
                at[j] = (*same, entry)
            else:
                at[j] = [*same, entry]

        for i, entry in enumerate(entries):
            keys = entry[0]
            if i in detached:
                # A weak link across groups: a group of its own, and its
                # records inside each strong group are linked there too.
                at[i] = (entry,)
                by_root: dict[int, list[int]] = {}
                for k in keys:
                    by_root.setdefault(root_of(k), []).append(k)
                for root, inside in by_root.items():
                    if len(inside) > 1:
                        put(root, len(at), (tuple(inside), *entry[1:]))
                continue
            k = keys[0]
            root = parent[k]
            if parent[root] != root:
                root = root_of(k)
            put(root, i, entry)
        count = len(at)
        self.entries, self.names, self.parent = [], {}, {}
        first.clear()
        del entries, parent
        # Rank, then index, as one small integer: sorting those is several
        # times faster than sorting tuples.
        order = []
        merged: dict[int, tuple[int, ...]] = {}
        for i, links in enumerate(at):
            if links is None:
                continue
            if len(links) == 1:
                if links[0][2] is None:
                    continue
                rank = _rank_of(links[0][1])
            else:
                keys, rank = _rank(links)
                if rank < 0:
                    continue
                if keys is not links[0][0]:
                    merged[i] = keys
            order.append(rank * count + i)
        order.sort()
        for code in order:
            rank, i = divmod(code, count)
            links = cast("tuple[_Entry, ...] | list[_Entry]", at[i])
            at[i] = None
            keys = merged.get(i) or links[0][0]
            members = tuple(map(_uuid_of, keys))
            if keep is not None and not keep(members):
                continue
            out = []
            for ks, _, report in links:
                if report is not None:
                    out.append(
                        Link(
                            report[0],
                            _METHODS[report[1]],
                            report[2],
                            report[3],
                            members
                            if ks is keys
                            else tuple(map(_uuid_of, ks)),
                        )
                    )
            yield DuplicateGroup(members, tuple(out), _STRENGTHS[rank])


_CRITERION: Final = operator.itemgetter(0)
_CRITERION_VALUE: Final = operator.itemgetter(0, 1)
_FEW: Final = 16
_STRONG: Final = RANK[Strength.STRONG]
#: Keys per lookup of a scan's owners.
_LOOKUPS: Final = 1000


def _rank(links: Sequence[_Entry]) -> tuple[tuple[int, ...], int]:
    """A group's records and its rank (-1 if nothing to report)."""
    keys = links[0][0]
    marks: set[str] = set()
    reported, alike = False, True
    for ks, mark, report in links:
        marks.update(mark.split())
        reported = reported or report is not None
        alike = alike and ks is keys
    if not reported:
        return keys, -1
    if alike:
        # Every link joins the same records: every pair has every mark.
        return keys, _rank_of(" ".join(sorted(marks)))
    keys = tuple(sorted({k for ks, _, _ in links for k in ks}))
    return keys, RANK[_group_strength(links, len(keys))]


_RANKS: dict[str, int] = {}


def _rank_of(marks: str) -> int:
    """The rank of a pair with evidence *marks* (remembered: few sets)."""
    rank = _RANKS.get(marks)
    if rank is None:
        rank = _RANKS[marks] = RANK[_pair_strength(set(marks.split()))]
    return rank


def _group_strength(entries: Sequence[_Entry], size: int) -> Strength:
    """The strength of the strongest pair of a group of *size* records."""
    if size == 2:  # noqa: PLR2004
        # Two records (most groups): the pair's evidence is all of it.
        return _pair_strength(
            {m for _, marks, _ in entries for m in marks.split()}
        )
    pairs: dict[tuple[int, int], set[str]] = {}
    for keys, marks, _ in entries:
        for pair in itertools.combinations(keys, 2):
            pairs.setdefault(pair, set()).update(marks.split())
    return min(
        (_pair_strength(marks) for marks in pairs.values()),
        key=RANK.__getitem__,
    )


def _pair_strength(marks: AbstractSet[str]) -> Strength:
    name = "name" in marks
    channels = marks & CHANNELS
    if (name and channels) or "vat" in marks:
        return Strength.EXACT
    if (
        (("fuzzy_name" in marks or _SINGLE_NAME in marks) and channels)
        or "email" in marks
        or len(channels) > 1
        or (name and _SAME_CUSTOMER in marks)
        or "company_name" in marks
    ):
        return Strength.STRONG
    return Strength.WEAK


def _of_kinds(
    uow: UnitOfWork,
    groups: Iterable[tuple[str, frozenset[uuid.UUID]]],
    kinds: list[str],
) -> Iterator[tuple[str, frozenset[uuid.UUID]]]:
    """Keep the owners of each number that hold it as one of *kinds*."""
    for value, owners in groups:
        wanted = {MatchKey(kind, value) for kind in kinds}
        kept = frozenset(
            owner
            for owner, keys in uow.match_keys.of_many(owners).items()
            if not wanted.isdisjoint(keys)
        )
        if len(kept) > 1:
            yield value, kept


def _tick(
    progress: Callable[[ScanProgress], None],
    criterion: str,
    step: int,
    steps: list[str],
    count: int,
) -> None:
    progress(ScanProgress(criterion, step, len(steps), count))


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
    kinds = [c for c in steps if c in PHONES]
    if kinds and policy.phone_kinds_match:
        # Numbers match whatever their kind: one pass over every number.
        steps[steps.index(kinds[0])] = PERSON_NUMBER
        steps = [c for c in steps if c not in PHONES]
    if fuzzy:
        steps.append(PERSON_NAME_BLOCK)
    found = _Groups()
    for step, criterion in enumerate(steps, 1):
        tick = (
            None
            if progress is None
            else functools.partial(_tick, progress, criterion, step, steps)
        )
        if criterion == PERSON_NAME_BLOCK:
            blocks = uow.match_keys.groups(criterion, max_owners=MAX_BLOCK)
            count = _fuzzy(uow, found, blocks, policy, names={})
        elif criterion == PERSON_NAME_AT_CUSTOMER:
            count = _same_customer(uow, found, policy.max_shared, tick)
        else:
            groups = uow.match_keys.groups(
                criterion, max_owners=policy.max_shared
            )
            if criterion == PERSON_NUMBER and len(kinds) < len(PHONES):
                groups = _of_kinds(uow, groups, kinds)
            count = found.link(criterion, groups, tick)
        if progress is not None:
            progress(ScanProgress(criterion, step, len(steps), count))
    yield from found.groups()


def _same_customer(
    uow: UnitOfWork,
    found: _Groups,
    max_shared: int,
    tick: Callable[[int], None] | None,
) -> int:
    """
    Link the records that share a name at one customer (DU-5), after the
    name pass; the number of shared values read.

    Most are all the records sharing the name: their count tells it (see
    `_Groups.same_customer`).  Only the other values (a few namesakes of
    a larger group, or of a name shared by too many) have their owners
    read.
    """
    rest: list[MatchKey] = []
    count = 0
    for value, size in uow.match_keys.group_sizes(
        PERSON_NAME_AT_CUSTOMER, max_owners=max_shared
    ):
        count += 1
        if tick is not None and count % 10_000 == 0:
            tick(count)
        if found.same_customer(value, size):
            continue
        rest.append(MatchKey(PERSON_NAME_AT_CUSTOMER, value))
        if len(rest) == _LOOKUPS:
            _link_owners(uow, found, rest, max_shared)
            rest = []
    _link_owners(uow, found, rest, max_shared)
    return count


def _link_owners(
    uow: UnitOfWork, found: _Groups, keys: list[MatchKey], max_shared: int
) -> None:
    """Link the owners of *keys* (of one criterion, in value order)."""
    if not keys:
        return
    owners = uow.match_keys.lookup(keys, limit=max_shared + 1)
    found.link(
        keys[0].criterion,
        (
            (key.value, shared)
            for key in keys
            if 1 < len(shared := owners.get(key, frozenset())) <= max_shared
        ),
    )


#: A record's name key and its first and last name parts.
_Names = tuple[str, str, str]


def _names_of(keys: Iterable[MatchKey]) -> _Names:
    """A record's name key and name parts, from its match keys."""
    name = parts = ""
    for k in keys:
        if k.criterion == PERSON_NAME:
            name = k.value
        elif k.criterion == PERSON_NAME_PARTS:
            parts = k.value
    first, _, last = parts.partition("|")
    return name, first, last


def _fuzzy(
    uow: UnitOfWork,
    found: _Groups,
    blocks: Iterable[tuple[str, Iterable[uuid.UUID]]],
    policy: DuplicatePolicy,
    *,
    names: dict[uuid.UUID, _Names],
) -> int:
    """
    Link close names inside each block, each name compared on its own
    (`close_parts`); the number of blocks read.

    The loop over a block's pairs reads plain tuples: no UUID is hashed
    in it.
    """
    seen: set[tuple[int, int]] = set()
    count = 0
    for _, owners in blocks:
        count += 1
        members = sorted(owners, key=INT)
        missing = [m for m in members if m not in names]
        for owner, keys in uow.match_keys.of_many(missing).items():
            names[owner] = _names_of(keys)
        rows = [
            (m, m.int, *names.get(m, _NO_NAME))
            for m in members
            if names.get(m, _NO_NAME)[0]
        ]
        for (a, ai, x, xf, xl), (b, bi, y, yf, yl) in itertools.combinations(
            rows, 2
        ):
            if x == y or (ai, bi) in seen:
                continue
            close = close_parts(xf, xl, yf, yl, policy)
            if close is not None:
                seen.add((ai, bi))
                found.add(
                    (a, b),
                    "fuzzy_name",
                    (
                        "name",
                        "fuzzy",
                        min(close[0], close[1]),
                        f"{x} ~ {y} ({describe(close)})",
                    ),
                )
    return count


_NO_NAME: Final = ("", "", "")


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
    names: dict[uuid.UUID, _Names] = {}
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
        names[person.id] = _names_of(keys)
        for key in keys:
            if key.criterion == PERSON_NAME_BLOCK:
                blocks.setdefault(key.value, set()).add(person.id)
    stored = uow.match_keys.lookup(by_key, limit=policy.max_shared + 1)
    found = _Groups()
    shared = []
    for key, members in by_key.items():
        owners = frozenset(members | stored.get(key, frozenset()))
        if 1 < len(owners) <= policy.max_shared:
            shared.append((key.criterion, key.value, owners))
    # By criterion, then value, as a scan reads them (names first).
    shared.sort(key=_CRITERION_VALUE)
    for criterion, groups in itertools.groupby(shared, key=_CRITERION):
        found.link(criterion, ((value, owners) for _, value, owners in groups))
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
