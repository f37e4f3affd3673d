# SPDX-License-Identifier: MIT
"""
The blocking guarantee of docs/duplicates.md (DU-2, issue 12): which
edits keep two names in a shared block, proven over generated names.
"""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from customer_domain import Customer, ValidationError
from customer_domain.matching import (
    name_blocks,
    name_parts,
    person_keys,
    person_name_key,
)


_LETTERS = "abcdefghijklmnopqrstuvwxyzéèàüößøłç"
_NAMES = st.text(st.sampled_from(_LETTERS), min_size=3, max_size=12)


@st.composite
def _respelled(draw: st.DrawFn, name: str) -> str:
    """*name* with spaces, hyphens and apostrophes put in or taken out,
    its case and accents changed: what `name_parts` folds away."""
    out = []
    for ch in name:
        kind = draw(st.integers(0, 9))
        if kind == 0:
            out.append(draw(st.sampled_from([" ", "-", "'", "’", " - "])))
        if kind == 1:
            ch = ch.upper()  # noqa: PLW2901
        if kind == 2:
            ch = {"é": "e", "ü": "u", "ö": "o", "ç": "c"}.get(ch, ch)  # noqa: PLW2901
        out.append(ch)
    return "".join(out)


@st.composite
def _typo_after_three(draw: st.DrawFn, name: str) -> str:
    """*name* with a typo past its first three letters."""
    i = draw(st.integers(3, len(name)))
    edit = draw(st.sampled_from(["insert", "delete", "replace", "swap"]))
    ch = draw(st.sampled_from("abcdefghijklmnopqrstuvwxyz"))
    if edit == "insert" or i == len(name):
        return name[:i] + ch + name[i:]
    if edit == "delete":
        return name[:i] + name[i + 1 :]
    if edit == "replace":
        return name[:i] + ch + name[i + 1 :]
    return name[:i] + name[i + 1 : i + 2] + name[i] + name[i + 2 :]


@given(_NAMES, _NAMES, st.data())
def test_respellings_keep_a_shared_block(
    first: str, last: str, data: st.DataObject
) -> None:
    """
    DU-2: spaces, hyphens or apostrophes added or dropped inside a
    name, case and accents changed, first and last names swapped: the
    name parts are equal and the blocks the same.
    """
    a = data.draw(_respelled(first))
    b = data.draw(_respelled(last))
    if data.draw(st.booleans()):
        a, b = b, a
        assert set(name_parts(a, b)) == set(name_parts(first, last))
    else:
        assert name_parts(a, b) == name_parts(first, last)
    assert name_blocks(a, b) == name_blocks(first, last)


@given(_NAMES, _NAMES, st.data())
def test_a_typo_past_three_letters_keeps_a_shared_block(
    first: str, last: str, data: st.DataObject
) -> None:
    """
    DU-2: a typo past the first three letters of one name, whatever
    happens to the other name past its initial, keeps a shared block
    (in either order of the names).
    """
    fa, la = name_parts(first, last)
    typo = data.draw(_typo_after_three(fa))
    other = la[0] + data.draw(st.text(st.sampled_from(_LETTERS), max_size=8))
    swapped = data.draw(st.booleans())
    mine = name_blocks(first, last)
    theirs = name_blocks(other, typo) if swapped else name_blocks(typo, other)

    assert mine & theirs


@given(_NAMES, _NAMES, _NAMES, _NAMES)
def test_blocks_are_shared_exactly_as_documented(
    f1: str, l1: str, f2: str, l2: str
) -> None:
    """
    DU-2: two names share a block if and only if, in one order or the
    other, one name keeps its first three letters and the other its
    initial (on their name parts).
    """
    a, b = name_parts(f1, l1), name_parts(f2, l2)

    def agree(x: tuple[str, str], y: tuple[str, str]) -> bool:
        return (x[0][:3] == y[0][:3] and x[1][0] == y[1][0]) or (
            x[1][:3] == y[1][:3] and x[0][0] == y[0][0]
        )

    expected = agree(a, b) or agree(a, (b[1], b[0]))
    assert bool(name_blocks(f1, l1) & name_blocks(f2, l2)) == expected


def test_a_name_missing_a_part_has_no_block() -> None:
    """DU-2: one-word names match on equal keys only."""
    assert name_blocks("", "Lefèvre") == frozenset()
    assert name_blocks("Hélène", " ") == frozenset()


@given(
    st.text(max_size=20),
    st.text(max_size=20),
)
def test_person_keys_fold_each_name_once_with_the_same_keys(
    first: str, last: str
) -> None:
    """
    DU-5, DU-7: the keys `person_keys` derives from the two folded names
    equal `person_name_key`, `name_parts` and `name_blocks` of the same
    names.
    """
    customer = Customer(name="ACME")
    try:
        person = customer.add_person(
            first_name=first, last_name=last, contact_types=["Customer"]
        )
    except ValidationError:
        return
    keys = {k.criterion: k.value for k in person_keys(person)}
    blocks = {k.value for k in person_keys(person) if "block" in k.criterion}
    name = person_name_key(person.first_name, person.last_name)

    assert keys.get("person.name", "") == name
    if name:
        parts = name_parts(person.first_name, person.last_name)
        assert keys["person.name_parts"] == "|".join(parts)
    assert blocks == set(name_blocks(person.first_name, person.last_name))
