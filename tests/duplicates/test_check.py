# SPDX-License-Identifier: MIT
"""The duplicate check on creation and the bulk scans (DU-1..DU-8, BX-3)."""

from __future__ import annotations

import uuid

from typing import Any

import pytest

from hypothesis import given, settings
from hypothesis import strategies as st

from customer_domain import (
    Customer,
    DuplicateOverride,
    Person,
    PotentialDuplicatesError,
    ValidationError,
)
from customer_domain.duplicates import (
    DuplicateChecker,
    DuplicatePolicy,
    Method,
    ScanProgress,
    Strength,
)
from customer_domain.exceptions import NotFoundError
from customer_domain.storage import InMemoryStore, MatchKey


ORG = "acme"


def company(name: str = "Imprimerie Lefèvre", **fields: Any) -> Customer:
    fields.setdefault("address", {"country": "FR", "postal_code": "69001"})
    return Customer(name=name, **fields)


def person(
    customer: Customer, first: str, last: str, *channels: Any
) -> Person:
    try:
        staff = customer.contact_type("Staff")
    except ValidationError:
        staff = customer.add_contact_type("Staff")
    return customer.add_person(
        first_name=first,
        last_name=last,
        contact_types=[staff],
        channels=[{"kind": k, "value": v} for k, v in channels],
    )


def stored(*objects: Customer | Person) -> InMemoryStore:
    store = InMemoryStore()
    with store.unit_of_work(ORG) as uow:
        for obj in objects:
            if isinstance(obj, Customer):
                uow.customers.add(obj)
            else:
                uow.persons.add(obj)
        uow.commit()
    return store


def check(store: InMemoryStore, p: Person, **policy: Any) -> Any:
    with store.unit_of_work(ORG) as uow:
        return DuplicateChecker(DuplicatePolicy(**policy)).check_person(uow, p)


# -- the check ---------------------------------------------------------------


def test_name_email_and_phone_variants_are_found() -> None:
    """DU-1, DU-5, BX-3: every matching criterion, with values compared."""
    c = company()
    first = person(
        c,
        "Hélène",
        "Lefèvre",
        ("email", "Helene@Lefevre.example"),
        ("mobile", "06 12 34 56 78"),
    )
    store = stored(c, first)
    again = person(
        c,
        "LEFEVRE",
        "helene",
        ("email", "helene@lefevre.example"),
        ("mobile", "0033 6 12 34 56 78"),
    )
    found = check(store, again)
    assert found.ids == (first.id,)
    (candidate,) = found
    assert candidate.strength is Strength.EXACT
    assert [
        (r.criterion, r.method, r.path, r.value, r.other_value)
        for r in candidate.reasons
    ] == [
        (
            "name",
            Method.EXACT,
            "last_name",
            "LEFEVRE helene",
            "Hélène Lefèvre",
        ),
        (
            "email",
            Method.EXACT,
            "channels[0]",
            "helene@lefevre.example",
            "Helene@Lefevre.example",
        ),
        (
            "mobile",
            Method.EXACT,
            "channels[1]",
            "0033 6 12 34 56 78",
            "06 12 34 56 78",
        ),
    ]


def test_namesakes_elsewhere_are_weak_same_customer_strong() -> None:
    """BX-3: a namesake at another customer is weak evidence."""
    c, other = company(), company("Autre")
    here = person(c, "Jean", "Martin")
    there = person(other, "Jean", "Martin")
    store = stored(c, other, here, there)
    found = check(store, person(c, "Jean", "MARTIN"))
    strengths = {cand.id: cand.strength for cand in found}
    assert strengths == {here.id: Strength.STRONG, there.id: Strength.WEAK}
    assert found.candidates[0].id == here.id


def test_criteria_can_be_switched_off() -> None:
    """DU-2: each criterion of seed 003's table is on or off."""
    c = company()
    first = person(c, "Anne", "Roy", ("email", "anne@roy.example"))
    store = stored(c, first)
    again = person(c, "Anne", "Roy", ("email", "anne@roy.example"))
    assert check(store, again).candidates[0].criteria == ("name", "email")
    assert check(store, again, names=False).candidates[0].criteria == (
        "email",
    )
    assert not check(store, again, names=False, emails=False)


def test_phone_kinds_match_is_a_policy_setting() -> None:
    """DU-2: a mobile typed as a phone matches only when asked."""
    c = company()
    first = person(c, "A", "B", ("mobile", "06 12 34 56 78"))
    store = stored(c, first)
    again = person(c, "C", "D", ("phone", "+33 6 12 34 56 78"))
    assert not check(store, again)
    found = check(store, again, phone_kinds_match=True)
    assert found.candidates[0].criteria == ("mobile",)
    assert found.candidates[0].strength is Strength.WEAK


def test_empty_values_never_match() -> None:
    """BX-3: no e-mail, no phone: nothing to compare."""
    c = company()
    store = stored(c, person(c, "Ann", "Lee"))
    assert not check(store, person(c, "Bob", "Kay"))


def test_shared_key_past_the_cap_is_not_evidence() -> None:
    """BX-3: a switchboard number shared by many persons is set aside."""
    c = company()
    staff = [
        person(c, f"P{i}", "Staff", ("phone", "04 78 00 00 00"))
        for i in range(4)
    ]
    store = stored(c, *staff)
    newcomer = person(c, "New", "Comer", ("phone", "04 78 00 00 00"))
    assert len(check(store, newcomer, max_shared=4)) == 4
    found = check(store, newcomer, max_shared=3)
    assert not found
    assert found.too_common == (MatchKey("person.phone", "+33478000000"),)


def test_a_record_never_matches_itself() -> None:
    """DU-1: checking a stored person does not report it."""
    c = company()
    p = person(c, "Ann", "Lee", ("email", "ann@lee.example"))
    store = stored(c, p)
    assert not check(store, p)


def test_fuzzy_names_with_a_score() -> None:
    """
    DU-2: typos are found when fuzzy matching is on, each name compared
    on its own, with one reason and score per name.
    """
    c = company()
    first = person(c, "Hélène", "Lefèvre")
    store = stored(c, first)
    typo = person(c, "Helene", "Lefevbre")
    assert not check(store, typo)
    found = check(store, typo, fuzzy_names=True)
    given, family = found.candidates[0].reasons
    assert (given.criterion, given.method, given.path) == (
        "name",
        Method.FUZZY,
        "first_name",
    )
    assert (given.value, given.other_value, given.score) == (
        "Helene",
        "Hélène",
        1.0,
    )
    assert (family.path, family.other_value) == ("last_name", "Lefèvre")
    assert 0.9 <= family.score < 1
    assert found.candidates[0].strength is Strength.WEAK
    assert not check(store, typo, fuzzy_names=True, last_name_threshold=0.99)
    assert not check(store, person(c, "Marc", "Dubois"), fuzzy_names=True)


def test_fuzzy_names_compare_each_name_on_its_own() -> None:
    """
    DU-2: a close whole name with another first name is not a match
    ("tara white" / "tayla white"); swapped names still are.
    """
    c = company()
    store = stored(
        c, person(c, "Tara", "White"), person(c, "Hélène", "Lefèvre")
    )

    assert not check(store, person(c, "Tayla", "White"), fuzzy_names=True)
    swapped = check(store, person(c, "LEFEVBRE", "Helene"), fuzzy_names=True)
    (candidate,) = swapped.candidates
    assert [(r.path, r.other_value) for r in candidate.reasons] == [
        ("first_name", "Lefèvre"),
        ("last_name", "Hélène"),
    ]


def test_split_and_joined_words_are_close_names() -> None:
    """
    DU-2: a space inserted into or removed from a name, a hyphen or an
    apostrophe added or dropped: the names still match.
    """
    c = company()
    store = stored(
        c,
        person(c, "Tara", "Rollins"),
        person(c, "Jean-Baptiste", "De La Fontaine"),
        person(c, "Siobhan", "O'Brien"),
    )

    for first, last in (
        ("Tara", "Rolli ns"),
        ("Jean Baptiste", "Delafontaine"),
        ("Siobhan", "OBrien"),
    ):
        found = check(store, person(c, first, last), fuzzy_names=True)
        assert len(found) == 1, (first, last)


@pytest.mark.parametrize("threshold", [0.49, 1.01, True, "0.9", None])
def test_per_name_thresholds_are_checked(threshold: object) -> None:
    """DU-2: thresholds are numbers from 0.5 to 1."""
    for name in ("first_name_threshold", "last_name_threshold"):
        with pytest.raises(ValidationError) as e:
            DuplicatePolicy(**{name: threshold})  # type: ignore[arg-type]
        assert [(name, "duplicates.threshold")] == [
            (i.path, i.code) for i in e.value.issues
        ]


def test_a_one_word_name_is_weak_alone() -> None:
    """
    DU-5: an equal one-word name (first or last name missing) at the
    same customer is weak evidence; with a same number it is strong.
    """
    c = company()
    store = stored(c, person(c, "", "Lefèvre", ("mobile", "06 12 34 56 78")))

    alone = check(store, person(c, "", "LEFEVRE"))
    assert alone.candidates[0].strength is Strength.WEAK
    with_number = check(
        store, person(c, "", "Lefevre", ("mobile", "+33 6 12 34 56 78"))
    )
    assert with_number.candidates[0].strength is Strength.STRONG
    d = company()
    full = stored(d, person(d, "Hélène", "Lefèvre"))
    assert (
        check(full, person(d, "helene", "lefevre")).candidates[0].strength
        is Strength.STRONG
    )


# -- deciding ----------------------------------------------------------------


def test_abandon_writes_nothing_and_says_why_in_both_languages() -> None:
    """DU-3: a found duplicate stops the creation; nothing is written."""
    c = company()
    first = person(c, "Hélène", "Lefèvre", ("email", "h@lefevre.example"))
    store = stored(c, first)
    again = person(c, "Helene", "Lefevre", ("email", "H@lefevre.example"))
    checker = DuplicateChecker()
    with store.unit_of_work(ORG) as uow:
        with pytest.raises(PotentialDuplicatesError) as info:
            checker.add_person(uow, again)
        uow.commit()
    error = info.value
    assert isinstance(error, ValidationError)
    assert [c.id for c in error.candidates] == [first.id]
    assert error.by_path() == {
        "last_name": ["Same name as Hélène Lefèvre."],
        "channels[0]": [
            "Same e-mail address as Hélène Lefèvre (h@lefevre.example)."
        ],
    }
    assert error.messages("fr")[0] == "last_name: Même nom que Hélène Lefèvre."
    with store.unit_of_work(ORG) as uow, pytest.raises(NotFoundError):
        uow.persons.get(again.id)


def test_create_anyway_is_recorded() -> None:
    """DU-3: an override records who, why, when and the candidates."""
    c = company()
    first = person(c, "Jean", "Martin")
    store = stored(c, first)
    namesake = person(c, "Jean", "Martin")
    checker = DuplicateChecker()
    with store.unit_of_work(ORG) as uow:
        found = checker.add_person(
            uow,
            namesake,
            override=DuplicateOverride(by="alice", reason="Homonyme"),
        )
        uow.commit()
    assert found.ids == (first.id,)
    with store.unit_of_work(ORG) as uow:
        kept = uow.persons.get(namesake.id)
    override = kept.duplicate_override
    assert override is not None
    assert (override.by, override.reason, override.candidate_ids) == (
        "alice",
        "Homonyme",
        (first.id,),
    )
    assert override.at.tzinfo is not None


def test_no_duplicate_no_override_recorded() -> None:
    """DU-3: an override is recorded only when it overrode something."""
    c = company()
    store = stored(c)
    p = person(c, "Solo", "Person")
    with store.unit_of_work(ORG) as uow:
        DuplicateChecker().add_person(
            uow, p, override=DuplicateOverride(by="a", reason="b")
        )
        uow.commit()
    assert p.duplicate_override is None


@pytest.mark.parametrize(
    ("fields", "paths"),
    [
        ({"by": "", "reason": "x"}, ["by"]),
        ({"by": "a", "reason": " "}, ["reason"]),
        ({"by": "a", "reason": "b", "at": "yesterday"}, ["at"]),
        (
            {"by": "a", "reason": "b", "candidate_ids": ["nope"]},
            ["candidate_ids[0]"],
        ),
        ({"by": "a", "reason": "b", "candidate_ids": "x"}, ["candidate_ids"]),
    ],
)
def test_bad_override_refused(
    fields: dict[str, Any], paths: list[str]
) -> None:
    """DU-3: an override says who and why, or it is refused."""
    with pytest.raises(ValidationError) as info:
        DuplicateOverride(**fields)
    assert [i.path for i in info.value.issues] == paths


def test_modification_is_checked_only_when_asked() -> None:
    """DU-4: by default, the check runs on creation only."""
    c = company()
    a = person(c, "Ann", "Lee")
    b = person(c, "Bob", "Kay")
    store = stored(c, a, b)
    b.update(first_name="Ann", last_name="Lee")
    with store.unit_of_work(ORG) as uow:
        assert not DuplicateChecker().update_person(uow, b)
        strict = DuplicateChecker(DuplicatePolicy(on_modification=True))
        with pytest.raises(PotentialDuplicatesError):
            strict.update_person(uow, b)


def test_policies_per_organization() -> None:
    """DU-2: each organization has its own policy."""
    checker = DuplicateChecker(
        {"strict": DuplicatePolicy(on_modification=True)},
        default=DuplicatePolicy(names=False),
    )
    assert checker.policy_for("strict").on_modification
    assert not checker.policy_for("other").names
    by_function = DuplicateChecker(
        lambda org: DuplicatePolicy(emails=org == "x")
    )
    assert by_function.policy_for("x").emails
    assert not by_function.policy_for("y").emails


@pytest.mark.parametrize(
    ("settings_", "paths"),
    [
        ({"first_name_threshold": 0.2}, ["first_name_threshold"]),
        ({"last_name_threshold": "high"}, ["last_name_threshold"]),
        ({"max_shared": 0}, ["max_shared"]),
        ({"max_shared": True}, ["max_shared"]),
        ({"names": "yes", "max_shared": 10**6}, ["names", "max_shared"]),
    ],
)
def test_bad_policy_refused(
    settings_: dict[str, Any], paths: list[str]
) -> None:
    """DU-2: every bad setting is reported at its name."""
    with pytest.raises(ValidationError) as info:
        DuplicatePolicy(**settings_)
    assert [i.path for i in info.value.issues] == paths


# -- customers ---------------------------------------------------------------


def test_customers_same_name_and_postal_code_or_vat() -> None:
    """DU-6: same company name in the same postal code; same VAT ID."""
    first = company("Imprimerie Lefèvre SARL", vat_id="FR40303265045")
    store = stored(first)
    checker = DuplicateChecker()
    with store.unit_of_work(ORG) as uow:
        same_place = checker.check_customer(uow, company("IMPRIMERIE LEFEVRE"))
        elsewhere = checker.check_customer(
            uow,
            company(
                "Imprimerie Lefèvre",
                address={"country": "FR", "postal_code": "75011"},
            ),
        )
        same_vat = checker.check_customer(
            uow, company("Autre nom", vat_id="FR 40 303 265 045")
        )
    assert [c.criteria for c in same_place] == [("company_name",)]
    assert same_place.candidates[0].strength is Strength.STRONG
    assert not elsewhere
    assert [c.criteria for c in same_vat] == [("vat",)]
    assert same_vat.candidates[0].strength is Strength.EXACT


def test_inactive_records_are_not_candidates() -> None:
    """DU-7: keys follow deactivation."""
    c = company()
    gone = person(c, "Ann", "Lee")
    c.deactivate_person(gone)
    store = stored(c, gone)
    assert not check(store, person(c, "Ann", "Lee"))


# -- properties --------------------------------------------------------------

_names = st.sampled_from(["Ann", "Anne", "ANN", "Ånn", "Bob", "Lee", "Roy"])
_phones = st.sampled_from(
    ["", "06 12 34 56 78", "+33612345678", "04 78 00 00 00"]
)


@settings(max_examples=30)
@given(st.lists(st.tuples(_names, _names, _phones), min_size=2, max_size=5))
def test_the_match_relation_is_symmetric(
    rows: list[tuple[str, str, str]],
) -> None:
    """DU-5: if A finds B, B finds A (for the same reasons)."""
    c = company()
    people = [
        person(c, first, last, *([("phone", phone)] if phone else []))
        for first, last, phone in rows
    ]
    store = stored(c, *people)
    found = {
        p.id: {cand.id: cand.criteria for cand in check(store, p)}
        for p in people
    }
    for a in people:
        assert a.id not in found[a.id]
        for b, criteria in found[a.id].items():
            assert found[b][a.id] == criteria


# -- bulk --------------------------------------------------------------------


def test_bulk_scan_groups_and_progress() -> None:
    """DU-8: groups with their links, strongest first, with progress."""
    c, other = company(), company("Autre")
    a = person(c, "Hélène", "Lefèvre", ("email", "h@example.com"))
    b = person(other, "helene", "LEFEVRE", ("email", "H@example.com"))
    d = person(c, "Marc", "Dubois", ("phone", "04 78 00 00 00"))
    e = person(other, "Zoé", "Roy", ("phone", "+33 4 78 00 00 00"))
    alone = person(c, "Solo", "Person")
    store = stored(c, other, a, b, d, e, alone)
    seen: list[ScanProgress] = []
    with store.unit_of_work(ORG) as uow:
        groups = list(
            DuplicateChecker().scan_persons(uow, progress=seen.append)
        )
    assert [(set(g.ids), g.strength) for g in groups] == [
        ({a.id, b.id}, Strength.EXACT),
        ({d.id, e.id}, Strength.WEAK),
    ]
    assert sorted(link.criterion for link in groups[0].links) == [
        "email",
        "name",
    ]
    assert [p.step for p in seen] == list(range(1, len(seen) + 1))
    assert seen[-1].step == seen[-1].steps


def test_bulk_scan_fuzzy_by_blocks() -> None:
    """DU-8: close names are grouped through blocks, with the score."""
    c = company()
    a, b = person(c, "Hélène", "Lefèvre"), person(c, "Helene", "Lefevbre")
    store = stored(c, a, b, person(c, "Marc", "Dubois"))
    with store.unit_of_work(ORG) as uow:
        groups = list(
            DuplicateChecker(DuplicatePolicy(fuzzy_names=True)).scan_persons(
                uow
            )
        )
    assert [set(g.ids) for g in groups] == [{a.id, b.id}]
    (link,) = groups[0].links
    assert link.method is Method.FUZZY
    assert link.score >= 0.92


def test_batch_finds_duplicates_inside_and_with_the_store() -> None:
    """BX-3: an import batch is checked before it is written."""
    c = company()
    existing = person(c, "Ann", "Lee", ("email", "ann@lee.example"))
    store = stored(c, existing)
    batch = [
        person(c, "ANN", "lee", ("email", "other@lee.example")),
        person(c, "Bob", "Kay", ("mobile", "06 12 34 56 78")),
        person(c, "Robert", "Kay", ("mobile", "+33612345678")),
        person(c, "Solo", "Person"),
    ]
    with store.unit_of_work(ORG) as uow:
        groups = DuplicateChecker().check_batch(uow, batch)
        assert uow.persons.list_for(c.id) == [existing]
    assert sorted(sorted(map(str, g.ids)) for g in groups) == sorted(
        [
            sorted(map(str, (existing.id, batch[0].id))),
            sorted(map(str, (batch[1].id, batch[2].id))),
        ]
    )


def test_unknown_owner_keys_are_ignored() -> None:
    """DU-7: a key whose owner is no person is not a candidate."""
    c = company()
    store = stored(c)
    with store.unit_of_work(ORG) as uow:
        uow.match_keys.replace(
            uuid.uuid4(), [MatchKey("person.name", "ann lee")]
        )
        found = DuplicateChecker().check_person(uow, person(c, "Ann", "Lee"))
    assert not found


def test_weak_links_never_join_groups() -> None:
    """
    BX-3: evidence of different pairs does not add up, and weak links
    do not chain persons: a-b share a name (other customers), b-d a
    number; each pair is weak and is its own group.
    """
    c, other = company(), company("Autre")
    a = person(c, "Ann", "Lee")
    b = person(other, "Ann", "Lee", ("phone", "04 78 00 00 00"))
    d = person(c, "Zoé", "Roy", ("phone", "+33 4 78 00 00 00"))
    store = stored(c, other, a, b, d)
    with store.unit_of_work(ORG) as uow:
        groups = list(DuplicateChecker().scan_persons(uow))

    assert sorted(
        (sorted(map(str, g.ids)), g.strength, [k.criterion for k in g.links])
        for g in groups
    ) == sorted(
        [
            (sorted(map(str, (a.id, b.id))), Strength.WEAK, ["name"]),
            (sorted(map(str, (b.id, d.id))), Strength.WEAK, ["phone"]),
        ]
    )


@pytest.mark.parametrize(
    ("args", "kwargs", "paths"),
    [
        (("strict",), {}, ["policies"]),
        (({"acme": "strict"},), {}, ["acme"]),
        ((), {"default": 3}, ["default"]),
    ],
)
def test_bad_checker_configuration_refused(
    args: tuple[Any, ...], kwargs: dict[str, Any], paths: list[str]
) -> None:
    """DU-2: a checker is given policies, or it says what is wrong."""
    with pytest.raises(ValidationError) as info:
        DuplicateChecker(*args, **kwargs)
    assert [i.path for i in info.value.issues] == paths
    assert info.value.codes == ("invalid_type",) * len(paths)


def test_policy_function_must_return_a_policy() -> None:
    """DU-2: a policy function returning something else is refused."""
    checker = DuplicateChecker(lambda _: None)  # type: ignore[arg-type]
    with pytest.raises(ValidationError) as info:
        checker.policy_for("acme")
    assert info.value.codes == ("invalid_type",)


def test_bad_records_refused_with_validation_errors() -> None:
    """DU-1: the checker refuses what is not a record, writing nothing."""
    c = company()
    store = stored(c)
    checker = DuplicateChecker()
    with store.unit_of_work(ORG) as uow:
        for call in (
            lambda: checker.check_person(uow, "Ann Lee"),  # type: ignore[arg-type]
            lambda: checker.add_person(
                uow,
                person(c, "A", "B"),
                override="yes",  # type: ignore[arg-type]
            ),
            lambda: checker.update_person(uow, None),  # type: ignore[arg-type]
            lambda: checker.check_customer(uow, {"name": "X"}),  # type: ignore[arg-type]
            lambda: checker.add_customer(uow, company(), override=1),  # type: ignore[arg-type]
        ):
            with pytest.raises(ValidationError) as info:
                call()
            assert info.value.codes == ("invalid_type",)
        with pytest.raises(ValidationError) as info:
            checker.check_batch(uow, [person(c, "A", "B"), "C D"])  # type: ignore[list-item]
        assert [i.path for i in info.value.issues] == ["[1]"]
        uow.commit()
    with store.unit_of_work(ORG) as uow:
        assert uow.persons.list_for(c.id) == []


def _scan(store: InMemoryStore, **policy: Any) -> list[Any]:
    with store.unit_of_work(ORG) as uow:
        checker = DuplicateChecker(DuplicatePolicy(**policy))
        return list(checker.scan_persons(uow))


def test_bulk_scan_matches_numbers_of_any_kind_when_the_policy_says() -> None:
    """DU-2, DU-8: with phone_kinds_match, a phone and a mobile match."""
    c = company()
    a = person(c, "Ann", "Lee", ("phone", "06 12 34 56 78"))
    b = person(c, "Bob", "Kay", ("mobile", "+33612345678"))
    d = person(c, "Zoé", "Roy", ("fax", "0033 6 12 34 56 78"))
    store = stored(c, a, b, d)
    assert _scan(store) == []
    (group,) = _scan(store, phone_kinds_match=True)
    assert set(group.ids) == {a.id, b.id, d.id}
    assert [(link.criterion, link.key) for link in group.links] == [
        ("number", "+33612345678")
    ]
    assert group.strength is Strength.WEAK
    # Mobiles off: the mobile is no evidence, the phone and the fax are.
    (group,) = _scan(store, phone_kinds_match=True, mobiles=False)
    assert set(group.ids) == {a.id, d.id}
    # Phones (and faxes) off: one mobile is left, nothing to match.
    assert _scan(store, phone_kinds_match=True, phones=False) == []


def test_numbers_of_a_kind_turned_off_match_neither_way() -> None:
    """DU-2, DU-5: a kind the policy leaves out is no evidence, both ways."""
    c = company()
    a = person(c, "Ann", "Lee", ("phone", "06 12 34 56 78"))
    b = person(c, "Bob", "Kay", ("mobile", "+33612345678"))
    store = stored(c, a, b)
    policy = {"phone_kinds_match": True, "mobiles": False}
    # A new phone finds the stored phone, not the stored mobile; a new
    # mobile finds nothing.
    found = check(
        store, person(c, "Cy", "Po", ("phone", "0612345678")), **policy
    )
    assert [cand.id for cand in found] == [a.id]
    assert not check(
        store, person(c, "Cy", "Po", ("mobile", "0612345678")), **policy
    )


def test_bulk_scan_same_customer_evidence() -> None:
    """
    BX-3, DU-8: namesakes at one customer are strong, elsewhere weak,
    and a weak namesake never joins a strong group.
    """
    c, other = company(), company("Autre")
    a, b = person(c, "Ann", "Lee"), person(c, "ANN", "lee")
    d, e = person(c, "Bob", "Kay"), person(other, "Bob", "Kay")
    f = person(c, "Bob", "Kay")
    store = stored(c, other, a, b, d, e)
    assert [(set(g.ids), g.strength) for g in _scan(store)] == [
        ({a.id, b.id}, Strength.STRONG),
        ({d.id, e.id}, Strength.WEAK),
    ]
    # A third Bob Kay at c: the group holds a pair at one customer.
    with store.unit_of_work(ORG) as uow:
        uow.persons.add(f)
        uow.commit()
    # The two at c are strong; the one elsewhere is a weak namesake of
    # both, reported apart, never grouped with them.
    groups = {frozenset(g.ids): g for g in _scan(store)}
    assert {ids: g.strength for ids, g in groups.items()} == {
        frozenset({a.id, b.id}): Strength.STRONG,
        frozenset({d.id, f.id}): Strength.STRONG,
        frozenset({d.id, e.id, f.id}): Strength.WEAK,
    }
    (link,) = groups[frozenset({d.id, f.id})].links
    assert (link.criterion, set(link.ids)) == ("name", {d.id, f.id})
    # Names off: no name evidence at all, at one customer or not.
    assert _scan(store, names=False) == []


_scan_names = st.sampled_from(["Ann Lee", "Lee Ann", "Bob Kay", "Zoé Roy"])
_scan_channels = st.lists(
    st.tuples(
        st.sampled_from(["phone", "mobile", "email"]),
        st.sampled_from(["1", "2", "3"]),
    ),
    max_size=2,
)


def _reference_strength(marks: set[str]) -> Strength:
    """The pair rules of `Strength`, written out again (BX-3)."""
    channels = marks & {"email", "phone", "mobile", "fax", "number"}
    if "name" in marks and channels:
        return Strength.EXACT
    if "email" in marks or len(channels) > 1 or {"name", "same"} <= marks:
        return Strength.STRONG
    return Strength.WEAK


@settings(max_examples=60, deadline=None)
@given(
    st.lists(
        st.tuples(st.booleans(), _scan_names, _scan_channels),
        min_size=2,
        max_size=8,
    ),
    st.booleans(),
)
def test_bulk_scan_agrees_with_comparing_every_pair(
    rows: list[tuple[bool, str, list[tuple[str, str]]]], kinds_match: bool
) -> None:
    """DU-8, BX-3: grouping on keys gives the groups and strengths that
    comparing every pair of records would (small bases only): groups of
    strong pairs, and each weak link across them a group of its own."""
    c, other = company(), company("Autre")
    values = {
        "phone": "04 78 00 00 0{}",
        "mobile": "06 12 34 56 7{}",
        "email": "x{}@example.com",
    }
    people = []
    for at_c, name, channels in rows:
        first, last = name.split()
        people.append(
            person(
                c if at_c else other,
                first,
                last,
                *[(kind, values[kind].format(n)) for kind, n in channels],
            )
        )
    store = stored(c, other, *people)
    # The reference: evidence of each pair, from the records themselves.
    evidence = {}
    for i, p in enumerate(people):
        for q in people[i + 1 :]:
            marks = set()
            if sorted([p.first_name.casefold(), p.last_name.casefold()]) == (
                sorted([q.first_name.casefold(), q.last_name.casefold()])
            ):
                marks.add("name")
                if p.customer_id == q.customer_id:
                    marks.add("same")
            ours = {(ch.kind.value, ch.value) for ch in p.channels}
            theirs = {(ch.kind.value, ch.value) for ch in q.channels}
            if kinds_match:
                numbers = {v for k, v in ours if k != "email"} & {
                    v for k, v in theirs if k != "email"
                }
                marks.update(["number"] if numbers else [])
                marks.update(k for k, _ in ours & theirs if k == "email")
            else:
                marks.update(k for k, _ in ours & theirs)
            if marks - {"same"}:
                evidence[frozenset((p.id, q.id))] = marks
    parent = {p.id: p.id for p in people}

    def root(x: uuid.UUID) -> uuid.UUID:
        while parent[x] != x:
            x = parent[x]
        return x

    def rank(strength: Strength) -> int:
        return list(Strength).index(strength)

    # Strong pairs make groups; weak evidence never joins them.
    for pair, marks in evidence.items():
        if rank(_reference_strength(marks)) <= rank(Strength.STRONG):
            x, y = sorted(pair, key=str)
            parent[root(y)] = root(x)
    components: dict[uuid.UUID, set[uuid.UUID]] = {}
    for p in people:
        components.setdefault(root(p.id), set()).add(p.id)
    expected: list[tuple[set[uuid.UUID], Strength]] = []
    for members in components.values():
        if len(members) > 1:
            best = min(
                (
                    _reference_strength(marks)
                    for pair, marks in evidence.items()
                    if pair <= members
                ),
                key=rank,
            )
            expected.append((members, best))
    # Each shared key (a link) whose records are not all in one group is
    # a weak group of its own.
    shared: dict[tuple[str, str], set[uuid.UUID]] = {}
    for p in people:
        name = " ".join(
            sorted([p.first_name.casefold(), p.last_name.casefold()])
        )
        shared.setdefault(("name", name), set()).add(p.id)
        for ch in p.channels:
            kind = ch.kind.value
            if kinds_match and kind != "email":
                kind = "number"
            shared.setdefault((kind, ch.value), set()).add(p.id)
    expected.extend(
        (members, Strength.WEAK)
        for members in shared.values()
        if len(members) > 1 and len({root(m) for m in members}) > 1
    )
    got = _scan(store, phone_kinds_match=kinds_match)
    assert sorted(
        (sorted(map(str, g.ids)), g.strength.value) for g in got
    ) == (sorted((sorted(map(str, m)), s.value) for m, s in expected))
    # Strongest first.
    ranks = [list(Strength).index(g.strength) for g in got]
    assert ranks == sorted(ranks)


def test_bulk_scan_takes_plain_sets_from_an_adapter(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """DU-8, ST-1: an adapter's groups holding sets, not frozensets, work."""
    c = company()
    a, b = person(c, "Ann", "Lee"), person(c, "ANN", "lee")
    store = stored(c, a, b)
    with store.unit_of_work(ORG) as uow:
        real = uow.match_keys.groups
        monkeypatch.setattr(
            uow.match_keys,
            "groups",
            lambda criterion, **kw: (
                (value, set(owners)) for value, owners in real(criterion, **kw)
            ),
        )
        (group,) = DuplicateChecker().scan_persons(uow)
    assert set(group.ids) == {a.id, b.id}
    assert group.strength is Strength.STRONG
