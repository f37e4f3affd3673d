# SPDX-License-Identifier: MIT
"""
The boundary holds (issue 11): hostile input gets the library's errors,
a refused command changes nothing, and errors themselves never fail.
"""

from __future__ import annotations

import copy
import datetime as dt
import importlib.util
import json
import pickle
import sys
import uuid

from pathlib import Path
from typing import Any

import pytest

from customer_domain import (
    Customer,
    CustomerDomainError,
    DuplicateOverride,
    ExternalUser,
    ExtraField,
    ExtraSchema,
    Issue,
    NumberingStrategy,
    ValidationError,
    matching,
    serialization,
)
from customer_domain.duplicates import DuplicateChecker
from customer_domain.matching import normalize
from customer_domain.storage import InMemoryStore
from customer_domain.testing.hostile import HostileValues, Raising
from customer_domain.validation import bic, codes, iban, phones, vat


_HARNESS = Path(__file__).parent.parent / "fuzz" / "harness.py"


def _harness() -> Any:
    spec = importlib.util.spec_from_file_location("fuzz_harness", _HARNESS)
    assert spec is not None
    assert spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules["fuzz_harness"] = module
    spec.loader.exec_module(module)
    return module


def _state(obj: object) -> str:
    return json.dumps(serialization.unstructure(obj), sort_keys=True)


def test_fuzz_harness_brief_run() -> None:
    """
    ST-4, CU-*, PE-*, EU-*: a brief pass of the fuzz harness (``make
    fuzz`` runs 100,000+) over every model door and validator finds no
    foreign exception and no atomicity violation, stores included.
    """
    harness = _harness()
    targets = harness.TARGETS
    report = harness.run(8 * len(targets), seed=11, big=False, targets=targets)
    assert report.inputs == 8 * len(targets)
    assert report.library_errors > 0
    assert report.successes > 0
    assert not report.foreign, report.text()
    assert not report.atomicity, report.text()
    assert not report.privilege, report.text()


def test_fuzz_harness_sees_a_privilege_leak() -> None:
    """
    EU-3, EU-4: the harness's privilege check flags a command-only field
    on a loaded document (here through the trusted form, which keeps
    them), so a leak in the validated form could not pass unseen.
    """
    harness = _harness()
    world = harness.World.make()
    user = world.user
    user.accept_invitation(world.token)
    back = serialization.structure(
        serialization.unstructure(user), ExternalUser, trusted=True
    )

    assert "ExternalUser.status" == harness._privilege(back)
    client = harness._client_form(
        ExternalUser, serialization.unstructure(user)["data"]
    )
    fresh = serialization.structure(
        {**serialization.unstructure(user), "data": client}, ExternalUser
    )
    assert harness._privilege(fresh) is None


@pytest.mark.parametrize(
    "value",
    [
        10**5000,
        [[[[[[[[[[[]]]]]]]]]]],
        Raising(),
        "\ud800" * 3,
        "x" * 1_000_000,
        {"a": Raising(ValueError)},
    ],
    ids=["huge-int", "nested", "raising-repr", "surrogates", "1MB", "dict"],
)
def test_errors_never_fail_to_build(value: object) -> None:
    """Issue: an error with any value has a bounded, safe form (IO-4)."""
    error = ValidationError([Issue("x", "choice.invalid", value)])
    assert len(repr(error)) < 1000
    assert len(str(error)) < 1000
    str(error).encode("utf-8")  # Printable on any UTF-8 stream.
    again = pickle.loads(pickle.dumps(error))  # noqa: S301 -- our own data.
    assert again.issues == error.issues


def test_deep_json_is_refused() -> None:
    """IO-4: nesting beyond the limit is a ValidationError."""
    with pytest.raises(ValidationError) as e:
        serialization.loads("[" * 100_000, Customer)
    assert e.value.codes == ("document.too_deep",)
    deep: object = {}
    for _ in range(100):
        deep = {"a": deep}
    doc = {"schema": "customer_domain.customer", "version": 1, "data": deep}
    with pytest.raises(ValidationError) as e:
        serialization.structure(doc, Customer)
    assert e.value.codes == ("document.too_deep",)


def test_loads_refuses_wrong_types() -> None:
    """IO-4: a non-text document or an unknown class is refused."""
    for bad in (None, 5, Raising()):
        with pytest.raises(ValidationError):
            serialization.loads(bad, Customer)  # type: ignore[arg-type]
    with pytest.raises(ValidationError):
        serialization.loads("{}", [Customer])  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("ttl", "code"),
    [
        (7, "invalid_type"),
        (dt.timedelta.max, "duration.range"),
        (dt.timedelta(0), "duration.range"),
        (dt.timedelta(days=-1), "duration.range"),
    ],
)
def test_invite_checks_its_duration(
    customer: Customer, ttl: object, code: str
) -> None:
    """EU-4: a bad ttl is refused at ``ttl``; the user is unchanged."""
    person = customer.add_person(
        last_name="Roy",
        contact_types=["Purchasing"],
        channels=[{"kind": "email", "value": "roy@example.com"}],
    )
    user, _ = customer.add_external_user(person)
    before = _state(user)
    with pytest.raises(ValidationError) as e:
        user.invite(ttl=ttl)  # type: ignore[arg-type]
    assert [(i.path, i.code) for i in e.value.issues] == [("ttl", code)]
    assert _state(user) == before
    good = user.invite(ttl=dt.timedelta(days=1))
    assert good.expires_at > dt.datetime.now(dt.UTC)


def test_dates_at_the_end_of_time(customer: Customer) -> None:
    """EU-4, CU-18: year 9999 with an offset is refused, not overflowed."""
    end = dt.datetime.max.replace(tzinfo=dt.timezone(dt.timedelta(hours=-5)))
    with pytest.raises(ValidationError) as e:
        customer.accept_terms(by="bob", at=end)
    assert "datetime.out_of_range" in e.value.codes
    person = customer.add_person(
        last_name="Roy",
        contact_types=["Purchasing"],
        channels=[{"kind": "email", "value": "roy@example.com"}],
    )
    late = dt.datetime(9999, 12, 30, tzinfo=dt.UTC)
    with pytest.raises(ValidationError) as e:
        customer.add_external_user(person, now=late)
    assert [i.path for i in e.value.issues] == ["ttl"]
    assert person.external_user_id is None


def test_move_person_refuses_a_string_date(customer: Customer) -> None:
    """PE-5: ``at`` must be a datetime; nothing moves."""
    other = Customer(name="Other")
    person = customer.add_person(last_name="Roy", contact_types=["Purchasing"])
    before = (_state(customer), _state(other), _state(person))
    with pytest.raises(ValidationError) as e:
        customer.move_person(
            person,
            to=other,
            contact_types=["Customer"],
            at="2024-01-01",  # type: ignore[arg-type]
        )
    assert [i.path for i in e.value.issues] == ["at"]
    assert (_state(customer), _state(other), _state(person)) == before


def test_callbacks_must_be_callable(customer: Customer) -> None:
    """PE-4, DU-8: ``veto=`` and ``progress=`` must be functions."""
    person = customer.add_person(last_name="Roy", contact_types=["Purchasing"])
    with pytest.raises(ValidationError) as e:
        customer.deactivate_person(person, veto="no")  # type: ignore[arg-type]
    assert [i.path for i in e.value.issues] == ["veto"]
    assert person.active
    store = InMemoryStore()
    with store.unit_of_work("acme") as uow, pytest.raises(ValidationError):
        DuplicateChecker().scan_persons(uow, progress=5)  # type: ignore[arg-type]


def test_numbering_format_refuses_non_integers() -> None:
    """CU-3, BX-6: format(1.5), format(True), format(2**70) are refused."""
    strategy = NumberingStrategy(prefix="C-", width=5)
    for bad in (1.5, True, "7", None, 2**70):
        with pytest.raises(ValidationError):
            strategy.format(bad)  # type: ignore[arg-type]
    assert strategy.format(7) == "C-00007"


def test_customer_refuses_a_bad_extra_schema() -> None:
    """CU-15: ``extra_schema`` must be an ExtraSchema."""
    with pytest.raises(ValidationError) as e:
        Customer(name="X", extra={"a": 1}, extra_schema={})  # type: ignore[arg-type]
    assert [i.path for i in e.value.issues] == ["extra"]
    schema = ExtraSchema([ExtraField(name="a", type="integer")])
    assert Customer(name="X", extra={"a": 1}, extra_schema=schema).extra == {
        "a": 1
    }


@pytest.mark.parametrize(
    ("value", "code"),
    [
        (float("nan"), "number.not_finite"),
        (float("inf"), "number.not_finite"),
        (2**64, "number.range"),
        ("a\x00b", "text.control_characters"),
        ("\ud800", "text.control_characters"),
        ("a\u202eb", "text.control_characters"),
    ],
)
def test_extra_values_are_storable(value: object, code: str) -> None:
    """CU-15: NaN, infinities, 65-bit ints and control text are refused."""
    with pytest.raises(ValidationError) as e:
        Customer(name="X", extra={"a": value})
    assert [(i.path, i.code) for i in e.value.issues] == [("extra.a", code)]
    assert Customer(name="X", extra={"a": 1.5, "b": "ok"}).extra == {
        "a": 1.5,
        "b": "ok",
    }


def test_phone_raw_input_is_clean() -> None:
    """CH-2: the raw input kept for display has no controls."""
    c = Customer(name="X", address={"country": "FR"})
    with pytest.raises(ValidationError) as e:
        c.update(channels=[{"kind": "phone", "value": "01 23 45\x00 67 89"}])
    assert "text.control_characters" in e.value.codes
    c.update(channels=[{"kind": "phone", "value": "01 23 45 67 89"}])
    assert c.channels[0].value == "+33123456789"


@pytest.mark.parametrize(
    "login",
    ["p\u0430ypal", "ad\u200bmin", "x\ud800y", "ab\u202ecd", "Ωmega1"],
)
def test_logins_follow_the_safe_profile(login: str) -> None:
    """EU-2: no invisible characters, controls or mixed scripts."""
    with pytest.raises(ValidationError) as e:
        codes.validate_login(login)
    assert e.value.codes in (("identifier.unsafe",), ("login.invalid",))


def test_safe_logins_pass() -> None:
    """EU-2: NFKC folds full-width forms; one script, or Latin + Han."""
    assert codes.validate_login("ＨＥＬＥＮＥ") == "helene"
    assert codes.validate_login("josé.garcía@x.es") == "josé.garcía@x.es"
    assert codes.validate_login("山田taro") == "山田taro"
    assert codes.validate_login("иван.петров") == "иван.петров"


def test_organization_ids_follow_the_safe_profile() -> None:
    """ST-2: an organization id is a safe identifier."""
    store = InMemoryStore()
    for bad in ("p\u0430ypal", "a\u200bb", "x\ud800", "e\u0301"):
        with pytest.raises(ValidationError):
            store.unit_of_work(bad)
    with store.unit_of_work("acme-é") as uow:
        assert uow.organization == "acme-é"


@pytest.mark.parametrize(
    "call",
    [
        lambda: bic.normalize(7),  # type: ignore[arg-type]
        lambda: iban.normalize(None),  # type: ignore[arg-type]
        lambda: vat.normalize(b"x"),
        lambda: phones.validate("0612345678", region={}),  # type: ignore[arg-type]
        lambda: normalize.fold_name(1.5),  # type: ignore[arg-type]
        lambda: normalize.email_key(("a",)),  # type: ignore[arg-type]
        lambda: normalize.fold_name("é" * 1_000_000),
        lambda: matching.person_keys(1),  # type: ignore[arg-type]
        lambda: matching.customer_keys(None),  # type: ignore[arg-type]
        lambda: matching.name_blocks("a", ["b"]),  # type: ignore[arg-type]
        lambda: matching.name_parts(None, "b"),  # type: ignore[arg-type]
    ],
)
def test_normalizers_refuse_non_text(call: Any) -> None:
    """
    CH-2, DU-5, DU-7: normalizers and match keys answer bad input with
    ValidationError.
    """
    with pytest.raises(ValidationError):
        call()


def test_add_default_user_refused_changes_nothing() -> None:
    """EU-3: a refused default user leaves no phantom member behind."""
    c = Customer(name="X", licenses=[{"quantity": 1, "title": "Portal"}])
    before = _state(c)
    with pytest.raises(ValidationError):
        c.add_default_user(
            login="default",
            email="d@example.com",
            now="2024-01-01",  # type: ignore[arg-type]
        )
    assert _state(c) == before
    assert not c.person_ids
    person, user, _ = c.add_default_user(login="default", email="d@ex.com")
    assert c.person_ids == {person.id}
    assert c.super_admin_id == user.id


def test_refused_add_keeps_the_override_unset(customer: Customer) -> None:
    """DU-3: an add the store refuses does not leave the override set."""
    store = InMemoryStore()
    checker = DuplicateChecker()
    first = customer.add_person(
        first_name="Anne", last_name="Roy", contact_types=["Purchasing"]
    )
    with store.unit_of_work("acme") as uow:
        checker.add_person(uow, first)
        uow.commit()
    again = customer.add_person(
        first_name="Anne", last_name="Roy", contact_types=["Purchasing"]
    )
    with store.unit_of_work("acme") as uow:
        uow.persons.add(again)  # Taken: the checked add will be refused.
        with pytest.raises(CustomerDomainError):
            checker.add_person(
                uow, again, override=DuplicateOverride(by="a", reason="b")
            )
    assert again.duplicate_override is None


def test_copy_shares_no_mutable_state(customer: Customer) -> None:
    """CT-1, PE-2: a shallow copy has its own contact-type members."""
    twin = copy.copy(customer)
    person = customer.add_person(last_name="Roy", contact_types=["Purchasing"])
    assert person.id in customer.person_ids
    assert person.id not in twin.person_ids
    assert twin == customer  # Same identity.


@pytest.mark.parametrize("size", [10, 100])
def test_hostile_values_are_reproducible(size: int) -> None:
    """The generator is seeded: a failing input can be replayed."""
    a = [Issue("", "x", v).value for v in _draw(HostileValues(3), size)]
    b = [Issue("", "x", v).value for v in _draw(HostileValues(3), size)]
    assert [type(v) for v in a] == [type(v) for v in b]
    assert [v for v in a if isinstance(v, str) and " at 0x" not in v] == [
        v for v in b if isinstance(v, str) and " at 0x" not in v
    ]


def _draw(values: HostileValues, size: int) -> list[object]:
    out = []
    for _ in range(size):
        v = values.any()
        out.append(v if not isinstance(v, Raising) else "<raising>")
    return out


def test_contact_type_lookup_refuses_unhashable(customer: Customer) -> None:
    """CT-1: a key that is no id, name or contact type is refused."""
    bads: tuple[object, ...] = ({}, [], Raising(), 5)
    for bad in bads:
        with pytest.raises(ValidationError):
            customer.contact_type(bad)  # type: ignore[arg-type]
    default = customer.default_contact_type
    assert customer.contact_type(default.id) is default
    with pytest.raises(ValidationError):
        customer.contact_type(uuid.UUID(int=0))


def test_store_list_arguments_whose_iteration_raises() -> None:
    """ST-2: a list argument whose iteration raises is a ValidationError."""
    store = InMemoryStore()
    with store.unit_of_work("acme") as uow:
        with pytest.raises(ValidationError) as e:
            uow.persons.list_for_many(Raising())
        assert [i.path for i in e.value.issues] == ["customer_ids"]
        with pytest.raises(ValidationError) as e:
            uow.match_keys.lookup(Raising(), limit=5)
        assert [i.path for i in e.value.issues] == ["keys"]
        assert uow.persons.list_for_many([]) == {}
