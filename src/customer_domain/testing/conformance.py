# SPDX-License-Identifier: MIT
"""
The storage conformance suite (ST-1): what any backend must do.

A backend author subclasses :class:`StoreContract` in a test module,
overrides the ``store`` fixture so that it returns a fresh, empty store,
and declares what the backend can do in :attr:`StoreContract.capabilities`::

    import pytest
    from customer_domain.testing.conformance import Capabilities, StoreContract

    class TestMyStore(StoreContract):
        capabilities = Capabilities(concurrent_threads=True)

        @pytest.fixture
        def store(self):
            return MyStore(...)

The base classes have no ``Test`` prefix, so pytest collects only the
subclass.  Tests are skipped only because of a declared capability, never
by name.  The in-memory store is the reference: the state machine of
:class:`StatefulContract` runs the same random commands on both and
compares every answer.
"""

from __future__ import annotations

import functools
import threading
import uuid

from collections.abc import Callable
from typing import Any, ClassVar, TypeVar

import attrs
import pytest

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from hypothesis.stateful import (
    RuleBasedStateMachine,
    invariant,
    precondition,
    rule,
    run_state_machine_as_test,
)

from customer_domain import (
    DEFAULT_CONTACT_TYPE,
    Agency,
    Category,
    Customer,
    ExternalUser,
    Person,
    ValidationError,
)
from customer_domain.duplicates import (
    DuplicateChecker,
    DuplicatePolicy,
    Strength,
)
from customer_domain.exceptions import (
    ConcurrencyError,
    ConflictError,
    DuplicateError,
    NotFoundError,
    StorageError,
)
from customer_domain.matching import customer_keys, person_keys
from customer_domain.model import NumberingStrategy
from customer_domain.serialization import structure, unstructure
from customer_domain.storage import (
    CustomerQuery,
    InMemoryStore,
    MatchKey,
    Store,
    UnitOfWork,
    set_version,
)


__all__ = [
    "AcceptedIsStoredContract",
    "AgencyContract",
    "Capabilities",
    "ConcurrencyContract",
    "DuplicateContract",
    "MatchKeyContract",
    "RoundTripContract",
    "SearchContract",
    "StatefulContract",
    "StoreContract",
    "TenantContract",
    "UniquenessContract",
    "UnitOfWorkContract",
]

T = TypeVar("T")

ORG: str = "org-a"

#: Seconds a test waits for another thread before it calls it hung.
_WAIT = 60.0
OTHER: str = "org-b"


@attrs.frozen
class Capabilities:
    """
    What a backend declares it can do; tests that need more are skipped.

    Attributes:
        concurrent_threads: Units of work may run at once in several
            threads of one process (one store object shared).
        stateful_examples: How many random command sequences the state
            machine tries, and how many generated records
            `AcceptedIsStoredContract` stores.
        storage_faults: The test class overrides
            :meth:`StoreContract.break_storage`, so that the suite can
            check the unit-of-work failure rule on reads (ST-4).

    .. versionadded:: 0.1.0
    """

    concurrent_threads: bool = True
    stateful_examples: int = 25
    storage_faults: bool = True


def _same(a: object, b: object) -> None:
    """Assert that two entities hold the same data, version aside."""
    da, db = unstructure(a)["data"], unstructure(b)["data"]
    da.pop("version", None)
    db.pop("version", None)
    assert da == db


def _company(name: str = "Imprimerie Lefèvre", **fields: Any) -> Customer:
    fields.setdefault("address", {"country": "FR", "postal_code": "69001"})
    fields.setdefault("licenses", [{"quantity": 5, "title": "Portal"}])
    return Customer(name=name, **fields)


def _person(customer: Customer, **fields: Any) -> Person:
    """A new person of *customer*, in its "Staff" contact type."""
    try:
        staff = customer.contact_type("Staff")
    except ValidationError:
        staff = customer.add_contact_type("Staff")
    return customer.add_person(contact_types=[staff], **fields)


def _copy(c: Customer) -> Customer:
    """Another object of the same customer (as if loaded again)."""
    return structure(unstructure(c), Customer, trusted=True)


def _run_threads(
    count: int, work: Callable[[int], T]
) -> list[T | BaseException]:
    """Run *work(i)* in *count* threads started together; their results."""
    barrier = threading.Barrier(count)
    results: list[T | BaseException] = [RuntimeError("not run")] * count

    def run(i: int) -> None:
        barrier.wait()
        try:
            results[i] = work(i)
        except BaseException as e:  # noqa: BLE001 -- reported to the test.
            results[i] = e

    threads = [threading.Thread(target=run, args=(i,)) for i in range(count)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return results


class _Base:
    #: What the backend under test can do.
    capabilities: ClassVar[Capabilities] = Capabilities()

    @pytest.fixture
    def store(self) -> Store:
        """Return a fresh, empty store.  Backends override this fixture."""
        msg = "override the `store` fixture to return a fresh, empty store"
        raise NotImplementedError(msg)

    def break_storage(self, uow: UnitOfWork) -> None:
        """
        Make the storage under *uow* fail from now on, as a lost
        connection or a statement the database refuses would: every later
        read of *uow* that reaches the stored data (not only its own
        writes) raises a `StorageError` other than `NotFoundError`.

        Backends override this (it may reach into their private state) to
        run the failure-rule tests, or declare
        ``Capabilities(storage_faults=False)``.  Whatever it breaks must
        mend when *uow* rolls back: the test then reads with a new one.
        """
        msg = (
            "override `break_storage(uow)` to make the storage under the"
            " unit of work fail, or declare"
            " Capabilities(storage_faults=False)"
        )
        raise NotImplementedError(msg)

    def require(self, capability: str) -> None:
        """Skip the test unless the backend declares *capability*."""
        if not getattr(self.capabilities, capability):
            pytest.skip(f"the backend does not declare {capability}")

    @staticmethod
    def add(store: Store, *objects: object, org: str = ORG) -> None:
        """Store new *objects* in one unit of work."""
        with store.unit_of_work(org) as uow:
            for obj in objects:
                repo = {
                    Customer: uow.customers,
                    Person: uow.persons,
                    ExternalUser: uow.external_users,
                    Agency: uow.agencies,
                    Category: uow.categories,
                }[type(obj)]
                repo.add(obj)  # type: ignore[attr-defined]
            uow.commit()


class RoundTripContract(_Base):
    """Every entity comes back as it was stored (ST-1, IO-4)."""

    def test_customer_round_trip(self, store: Store) -> None:
        """ST-1: a customer with all its parts is stored and loaded whole."""
        c = _company(
            legal_form="SARL",
            number="C-1",
            short_name="LEFEVRE",
            channels=[{"kind": "phone", "value": "04 78 00 00 00"}],
            billing_address={"city": "Lyon", "country": "FR"},
            bank={"iban": "FR14 2004 1010 0505 0001 3M02 606"},
            vat_id="FR40303265045",
            identifiers=[{"scheme": "siren", "value": "303265045"}],
            category_ids=[uuid.uuid4()],
            stage="prospect",
            licenses=[{"quantity": 3, "title": "Portal"}],
            extra={"region": "Sud"},
            internal_remark="Pays à 60 jours",
            language="fr",
            currency="EUR",
        )
        buyers = c.add_contact_type("Purchasing")
        p = c.add_person(
            first_name="Hélène",
            last_name="Lefèvre",
            contact_types=[buyers, c.default_contact_type],
            channels=[
                {"kind": "mobile", "value": "06 12 34 56 78", "primary": True},
                {"kind": "email", "value": "helene@example.com"},
            ],
            functions=["Buyer", "Approver"],
        )
        self.add(store, c, p)
        with store.unit_of_work(ORG) as uow:
            loaded = uow.customers.get(c.id)
            _same(loaded, c)
            _same(uow.persons.get(p.id), p)
            assert loaded.version == 1
            assert loaded.contact_type("Purchasing").person_ids == {p.id}

    def test_versions_are_set_on_commit(self, store: Store) -> None:
        """ST-3: a stored aggregate is at version 1, then 2 after an update."""
        c = _company()
        assert c.version == 0
        with store.unit_of_work(ORG) as uow:
            uow.customers.add(c)
            assert c.version == 0
            uow.commit()
        assert c.version == 1
        with store.unit_of_work(ORG) as uow:
            c.update(name="Lefèvre Impression")
            uow.customers.update(c)
            uow.commit()
        assert c.version == 2
        with store.unit_of_work(ORG) as uow:
            assert uow.customers.get(c.id).version == 2

    def test_external_user_round_trip(self, store: Store) -> None:
        """EU-2, EU-4: logins, networks and hashed invitations survive."""
        c = _company(licenses=[{"quantity": 2, "title": "Portal"}])
        p = _person(
            c,
            last_name="Couture",
            channels=[{"kind": "email", "value": "mireille@example.com"}],
        )
        user, _ = c.add_external_user(
            p,
            login="mcouture",
            allowed_networks=["192.0.2.0/24", "2001:db8::/32"],
        )
        self.add(store, c, p, user)
        with store.unit_of_work(ORG) as uow:
            _same(uow.external_users.get(user.id), user)
            _same(uow.external_users.get_by_login("mcouture"), user)
            assert [u.id for u in uow.external_users.list_for(c.id)] == [
                user.id
            ]

    def test_category_and_agency_round_trip(self, store: Store) -> None:
        """CU-11, AG-2: categories and agency assignments survive."""
        cat = Category(title="Éditeurs", description="Maisons d’édition")
        studio = _company("Studio", is_agency=True)
        client = _company("Client")
        agency = Agency(studio)
        agency.assign("ORD-1", customer=client)
        agency.assign("ORD-2", customer=client)
        self.add(store, cat, studio, client, agency)
        with store.unit_of_work(ORG) as uow:
            _same(uow.categories.get(cat.id), cat)
            assert [x.id for x in uow.categories.list()] == [cat.id]
            _same(uow.agencies.get(studio.id), agency)
            assert uow.agencies.get(studio.id).version == 1

    def test_listings_are_ordered(self, store: Store) -> None:
        """SE-3, CU-11, EU-5: categories by title, external users by login."""
        titles = ["Zèbre", "abeille", "Éléphant"]
        cats = [Category(title=t) for t in titles]
        c = _company(licenses=[{"quantity": 3, "title": "Portal"}])
        people = [
            _person(
                c,
                last_name=n,
                channels=[{"kind": "email", "value": f"{n}@example.com"}],
            )
            for n in ("Un", "Deux", "Trois")
        ]
        users = [
            c.add_external_user(p, login=login)[0]
            for p, login in zip(people, ["zoe", "adam", "marc"], strict=True)
        ]
        self.add(store, *cats, c, *people, *users)
        with store.unit_of_work(ORG) as uow:
            assert [x.title for x in uow.categories.list()] == [
                "abeille",
                "Éléphant",
                "Zèbre",
            ]
            assert [u.login for u in uow.external_users.list_for(c.id)] == [
                "adam",
                "marc",
                "zoe",
            ]
            assert uow.external_users.list_for(uuid.uuid4()) == []

    @pytest.mark.parametrize(
        "repository",
        ["customers", "persons", "external_users", "categories", "agencies"],
    )
    def test_missing_is_not_found(self, store: Store, repository: str) -> None:
        """ST-1: reading an unknown id raises NotFoundError, a LookupError."""
        with store.unit_of_work(ORG) as uow:
            with pytest.raises(NotFoundError) as info:
                getattr(uow, repository).get(uuid.uuid4())
            assert isinstance(info.value, LookupError)
            with pytest.raises(NotFoundError):
                uow.customers.get_by_number("nope")
            with pytest.raises(NotFoundError):
                uow.external_users.get_by_login("nope")

    def test_update_of_unstored_is_not_found(self, store: Store) -> None:
        """ST-3: updating what was never stored is refused."""
        with store.unit_of_work(ORG) as uow, pytest.raises(NotFoundError):
            uow.customers.update(_company())


_NOBODY = uuid.UUID(int=7)
_A_KEY = MatchKey("person.name", "helene lefevre")

#: A read of each repository method, of nothing in particular: once the
#: storage is broken, each must reach it (the failure-rule tests).
_READS: dict[str, Callable[[Any], object]] = {
    "customers.get": lambda uow: uow.customers.get(_NOBODY),
    "customers.get_by_number": lambda uow: uow.customers.get_by_number("X"),
    "customers.search": lambda uow: uow.customers.search(
        CustomerQuery(text="lefevre")
    ),
    "persons.get": lambda uow: uow.persons.get(_NOBODY),
    "persons.list_for": lambda uow: uow.persons.list_for(_NOBODY),
    "persons.list_for_many": lambda uow: uow.persons.list_for_many([_NOBODY]),
    "external_users.get": lambda uow: uow.external_users.get(_NOBODY),
    "external_users.get_by_login": lambda uow: uow.external_users.get_by_login(
        "nobody"
    ),
    "external_users.list_for": lambda uow: uow.external_users.list_for(
        _NOBODY
    ),
    "agencies.get": lambda uow: uow.agencies.get(_NOBODY),
    "agencies.for_order": lambda uow: uow.agencies.for_order(_NOBODY, "ORD-1"),
    "categories.get": lambda uow: uow.categories.get(_NOBODY),
    "categories.list": lambda uow: uow.categories.list(),
    "match_keys.of": lambda uow: uow.match_keys.of(_NOBODY),
    "match_keys.of_many": lambda uow: uow.match_keys.of_many([_NOBODY]),
    "match_keys.lookup": lambda uow: uow.match_keys.lookup([_A_KEY], limit=5),
    "match_keys.groups": lambda uow: list(
        uow.match_keys.groups("person.name", max_owners=5)
    ),
    "match_keys.group_sizes": lambda uow: list(
        uow.match_keys.group_sizes("person.name")
    ),
}

#: Every call after a failure; each must raise `StorageError`.
_AFTER_FAILURE: dict[str, Callable[[Any], object]] = {
    **_READS,
    "customers.add": lambda uow: uow.customers.add(_company("Later")),
    "sequences.next": lambda uow: uow.sequences.next("customer"),
    "match_keys.replace": lambda uow: uow.match_keys.replace(
        _NOBODY, [_A_KEY]
    ),
    "commit": lambda uow: uow.commit(),
}

#: Bad arguments: (the argument's name, a call passing a bad one).
_BAD_ARGUMENTS: dict[str, tuple[str, Callable[[Any], object]]] = {
    "add-text": ("customer", lambda uow: uow.customers.add("not a customer")),
    "add-category-as-customer": (
        "customer",
        lambda uow: uow.customers.add(Category(title="x")),
    ),
    "update-none": ("customer", lambda uow: uow.customers.update(None)),
    "add-customer-as-person": (
        "person",
        lambda uow: uow.persons.add(_company("Not a person")),
    ),
    "update-person-text": ("person", lambda uow: uow.persons.update("x")),
    "add-customer-as-user": (
        "user",
        lambda uow: uow.external_users.add(_company("Not a user")),
    ),
    "update-customer-as-agency": (
        "agency",
        lambda uow: uow.agencies.update(_company("Not an agency")),
    ),
    "add-dict-as-category": (
        "category",
        lambda uow: uow.categories.add({"title": "x"}),
    ),
    "get-uuid-text": ("id", lambda uow: uow.customers.get(str(_NOBODY))),
    "get-not-uuid": ("id", lambda uow: uow.customers.get("not-a-uuid")),
    "get-int": ("id", lambda uow: uow.persons.get(1)),
    "get-none": ("id", lambda uow: uow.external_users.get(None)),
    "get-bytes": ("id", lambda uow: uow.categories.get(b"x")),
    "agency-get-text": (
        "customer_id",
        lambda uow: uow.agencies.get("x"),
    ),
    "number-int": ("number", lambda uow: uow.customers.get_by_number(1)),
    "number-nul": (
        "number",
        lambda uow: uow.customers.get_by_number("C-\x00"),
    ),
    "login-none": (
        "login",
        lambda uow: uow.external_users.get_by_login(None),
    ),
    "search-text": ("query", lambda uow: uow.customers.search("lefevre")),
    "search-dict": (
        "query",
        lambda uow: uow.customers.search({"text": "x"}),
    ),
    "list-for-text": (
        "customer_id",
        lambda uow: uow.persons.list_for("x"),
    ),
    "list-for-inactive-text": (
        "include_inactive",
        lambda uow: uow.persons.list_for(_NOBODY, include_inactive="yes"),
    ),
    "list-for-many-mixed": (
        "customer_ids",
        lambda uow: uow.persons.list_for_many([_NOBODY, "x"]),
    ),
    "list-for-many-none": (
        "customer_ids",
        lambda uow: uow.persons.list_for_many(None),
    ),
    "users-list-for-int": (
        "customer_id",
        lambda uow: uow.external_users.list_for(5),
    ),
    "for-order-customer-text": (
        "customer_id",
        lambda uow: uow.agencies.for_order("x", "ORD-1"),
    ),
    "for-order-int": (
        "order_ref",
        lambda uow: uow.agencies.for_order(_NOBODY, 5),
    ),
    "for-order-nul": (
        "order_ref",
        lambda uow: uow.agencies.for_order(_NOBODY, "ORD\x00"),
    ),
    "sequence-int": ("name", lambda uow: uow.sequences.next(5)),
    "sequence-empty": ("name", lambda uow: uow.sequences.next("")),
    "sequence-too-long": ("name", lambda uow: uow.sequences.next("n" * 65)),
    "replace-owner-text": (
        "owner_id",
        lambda uow: uow.match_keys.replace("x", []),
    ),
    "replace-keys-text": (
        "keys",
        lambda uow: uow.match_keys.replace(_NOBODY, ["person.name"]),
    ),
    "replace-keys-none": (
        "keys",
        lambda uow: uow.match_keys.replace(_NOBODY, None),
    ),
    "replace-criterion-too-long": (
        "keys",
        lambda uow: uow.match_keys.replace(_NOBODY, [MatchKey("c" * 65, "v")]),
    ),
    "of-text": ("owner_id", lambda uow: uow.match_keys.of("x")),
    "of-many-int": ("owner_ids", lambda uow: uow.match_keys.of_many([1])),
    "lookup-text": (
        "keys",
        lambda uow: uow.match_keys.lookup("person.name"),
    ),
    "lookup-nul": (
        "keys",
        lambda uow: uow.match_keys.lookup([MatchKey("person.name", "a\x00")]),
    ),
    "lookup-limit-negative": (
        "limit",
        lambda uow: uow.match_keys.lookup([_A_KEY], limit=-1),
    ),
    "lookup-limit-zero": (
        "limit",
        lambda uow: uow.match_keys.lookup([_A_KEY], limit=0),
    ),
    "lookup-limit-past-64-bits": (
        "limit",
        lambda uow: uow.match_keys.lookup([_A_KEY], limit=2**63),
    ),
    "lookup-limit-bool": (
        "limit",
        lambda uow: uow.match_keys.lookup([_A_KEY], limit=True),
    ),
    "lookup-limit-float": (
        "limit",
        lambda uow: uow.match_keys.lookup([_A_KEY], limit=2.5),
    ),
    "groups-criterion-int": (
        "criterion",
        lambda uow: list(uow.match_keys.groups(5)),
    ),
    "groups-max-negative": (
        "max_owners",
        lambda uow: list(uow.match_keys.groups("person.name", max_owners=-1)),
    ),
    "group-sizes-max-past-64-bits": (
        "max_owners",
        lambda uow: list(
            uow.match_keys.group_sizes("person.name", max_owners=2**63)
        ),
    ),
    "group-sizes-criterion-none": (
        "criterion",
        lambda uow: list(uow.match_keys.group_sizes(None)),
    ),
}


class UnitOfWorkContract(_Base):
    """A unit of work commits everything or nothing (ST-4)."""

    def test_leaving_without_commit_writes_nothing(self, store: Store) -> None:
        """ST-4: no commit, nothing written."""
        c = _company()
        with store.unit_of_work(ORG) as uow:
            uow.customers.add(c)
        assert c.version == 0
        with store.unit_of_work(ORG) as uow, pytest.raises(NotFoundError):
            uow.customers.get(c.id)

    def test_exception_rolls_back(self, store: Store) -> None:
        """ST-4: an exception in the block discards every write."""
        c = _company()
        with pytest.raises(ZeroDivisionError):
            with store.unit_of_work(ORG) as uow:
                uow.customers.add(c)
                _ = 1 / 0
        with store.unit_of_work(ORG) as uow, pytest.raises(NotFoundError):
            uow.customers.get(c.id)

    def test_failed_command_writes_nothing(self, store: Store) -> None:
        """ST-4: when one write is refused, the others are not kept."""
        self.add(store, _company(number="C-1"))
        first, second = _company("First"), _company("Second", number="C-1")
        with pytest.raises(DuplicateError):
            with store.unit_of_work(ORG) as uow:
                uow.customers.add(first)
                uow.customers.add(second)
                uow.commit()
        assert first.version == 0
        with store.unit_of_work(ORG) as uow:
            for c in (first, second):
                with pytest.raises(NotFoundError):
                    uow.customers.get(c.id)

    def test_failed_unit_of_work_cannot_commit(self, store: Store) -> None:
        """ST-4: after a refused write, commit raises and writes nothing."""
        self.add(store, _company(number="C-1"))
        kept = _company("Kept")
        with store.unit_of_work(ORG) as uow:
            uow.customers.add(kept)
            with pytest.raises(DuplicateError):
                uow.customers.add(_company(number="C-1"))
                uow.customers.get(kept.id)  # a read flushes pending writes
            # Every later call fails as the unit of work did: even a read
            # of nothing is no "not found" answer.
            with pytest.raises(StorageError) as info:
                uow.customers.get(uuid.uuid4())
            assert not isinstance(info.value, NotFoundError)
            with pytest.raises(StorageError):
                uow.commit()
        assert kept.version == 0
        with store.unit_of_work(ORG) as uow, pytest.raises(NotFoundError):
            uow.customers.get(kept.id)

    def test_closed_after_commit(self, store: Store) -> None:
        """ST-4: a committed unit of work cannot be used again."""
        with store.unit_of_work(ORG) as uow:
            uow.commit()
            with pytest.raises(StorageError):
                uow.customers.add(_company())
            with pytest.raises(StorageError):
                uow.commit()

    def test_reads_see_own_writes(self, store: Store) -> None:
        """ST-4: a unit of work reads what it wrote before committing."""
        c = _company(number="C-9")
        with store.unit_of_work(ORG) as uow:
            uow.customers.add(c)
            assert uow.customers.get_by_number("C-9").id == c.id
            assert uow.customers.search(CustomerQuery()).total == 1

    def test_own_write_read_back_can_be_updated(self, store: Store) -> None:
        """ST-3: what a unit of work reads back of its writes is current."""
        c = _company()
        with store.unit_of_work(ORG) as uow:
            uow.customers.add(c)
            again = uow.customers.get(c.id)
            again.update(name="Renamed")
            uow.customers.update(again)
            uow.commit()
        with store.unit_of_work(ORG) as uow:
            stored = uow.customers.get(c.id)
            assert (stored.name, stored.version) == ("Renamed", 1)
            stored.update(name="Twice")
            uow.customers.update(stored)
            again = uow.customers.get(c.id)
            again.update(name="Thrice")
            uow.customers.update(again)
            uow.commit()
        with store.unit_of_work(ORG) as uow:
            stored = uow.customers.get(c.id)
        assert (stored.name, stored.version) == ("Thrice", 2)

    def test_update_of_missing_fails_unit_of_work(self, store: Store) -> None:
        """ST-4: an update refused as not found fails the unit of work."""
        kept = _company("Kept")
        ghost = _company("Ghost")
        set_version(ghost, 3)
        with store.unit_of_work(ORG) as uow:
            uow.customers.add(kept)
            with pytest.raises(NotFoundError):
                uow.customers.update(ghost)
            with pytest.raises(StorageError):
                uow.commit()
        with store.unit_of_work(ORG) as uow, pytest.raises(NotFoundError):
            uow.customers.get(kept.id)

    def test_failed_read_keeps_unit_of_work(self, store: Store) -> None:
        """ST-4: a read that finds nothing is an answer, not a failure."""
        c = _company()
        with store.unit_of_work(ORG) as uow:
            uow.customers.add(c)
            for read in (
                "customers.get",
                "customers.get_by_number",
                "persons.get",
                "external_users.get",
                "external_users.get_by_login",
                "agencies.get",
                "categories.get",
            ):
                with pytest.raises(NotFoundError):
                    _READS[read](uow)
            uow.commit()
        assert c.version == 1

    @pytest.mark.parametrize("read", sorted(_READS))
    def test_storage_error_in_a_read_fails_unit_of_work(
        self, store: Store, read: str
    ) -> None:
        """
        ST-4: the unit-of-work failure rule.  A host catches a storage
        error of a read and goes on: every later call, commit included,
        raises StorageError, and nothing is written.
        """
        self.require("storage_faults")
        c = _company()
        with store.unit_of_work(ORG) as uow:
            uow.customers.add(c)
            self.break_storage(uow)
            with pytest.raises(StorageError) as info:
                _READS[read](uow)
            assert not isinstance(info.value, NotFoundError), info.value
            for name, call in _AFTER_FAILURE.items():
                with pytest.raises(StorageError) as later:
                    call(uow)
                assert not isinstance(later.value, NotFoundError), name
        assert c.version == 0
        with store.unit_of_work(ORG) as uow:
            with pytest.raises(NotFoundError):
                uow.customers.get(c.id)
            assert uow.customers.search(CustomerQuery()).total == 0

    def test_caught_storage_error_then_commit_is_refused(
        self, store: Store
    ) -> None:
        """
        ST-4: a host that catches a failed read's StorageError and then
        commits gets StorageError, not a success that wrote nothing.
        """
        self.require("storage_faults")
        c = _company()
        with store.unit_of_work(ORG) as uow:
            uow.customers.add(c)
            self.break_storage(uow)
            with pytest.raises(StorageError):  # the host catches it
                uow.customers.search(CustomerQuery(text="x"))
            with pytest.raises(StorageError):
                uow.commit()
        assert c.version == 0
        with store.unit_of_work(ORG) as uow, pytest.raises(NotFoundError):
            uow.customers.get(c.id)

    @pytest.mark.parametrize("case", sorted(_BAD_ARGUMENTS))
    def test_bad_argument_refused_and_unit_of_work_goes_on(
        self, store: Store, case: str
    ) -> None:
        """
        ST-4, ST-1: a bad argument is a ValidationError at the argument's
        name, raised before anything runs: it fails nothing, and the unit
        of work commits what it wrote.
        """
        name, call = _BAD_ARGUMENTS[case]
        c = _company()
        with store.unit_of_work(ORG) as uow:
            uow.customers.add(c)
            with pytest.raises(ValidationError) as info:
                call(uow)
            assert not isinstance(info.value, StorageError), info.value
            assert [i.path for i in info.value.issues] == [name]
            assert uow.customers.get(c.id).id == c.id
            assert uow.sequences.next("after") == 1
            uow.commit()
        assert c.version == 1
        with store.unit_of_work(ORG) as uow:
            assert uow.customers.get(c.id).version == 1

    @pytest.mark.parametrize(
        "organization",
        ["", "x" * 65, "a\nb", "\x00", "tab\tbed", "del\x7f", None, 3],
    )
    def test_invalid_organization(
        self, store: Store, organization: Any
    ) -> None:
        """ST-2: an organization is a non-empty identifier."""
        with pytest.raises(ValidationError) as info:
            store.unit_of_work(organization)
        assert info.value.codes == ("organization.invalid",)
        assert [i.path for i in info.value.issues] == ["organization"]


class TenantContract(_Base):
    """No call reads or writes another organization's data (ST-2)."""

    def test_other_organization_sees_nothing(self, store: Store) -> None:
        """ST-2: every read is scoped to the unit of work's organization."""
        c = _company(number="C-1")
        p = _person(c, last_name="Lefèvre")
        user, _ = c.add_external_user(
            p, login="hlefevre", email="hl@example.com"
        )
        cat = Category(title="Éditeurs")
        self.add(store, c, p, user, cat)
        with store.unit_of_work(ORG) as uow:
            uow.match_keys.replace(p.id, [MatchKey("person.name", "lefevre")])
            uow.commit()
        with store.unit_of_work(OTHER) as uow:
            for repo, key in (
                (uow.customers, c.id),
                (uow.persons, p.id),
                (uow.external_users, user.id),
                (uow.categories, cat.id),
            ):
                with pytest.raises(NotFoundError):
                    repo.get(key)
            with pytest.raises(NotFoundError):
                uow.customers.get_by_number("C-1")
            with pytest.raises(NotFoundError):
                uow.external_users.get_by_login("hlefevre")
            assert uow.customers.search(CustomerQuery()).total == 0
            assert uow.persons.list_for(c.id, include_inactive=True) == []
            assert uow.external_users.list_for(c.id) == []
            assert uow.categories.list() == []
            assert (
                uow.match_keys.lookup([MatchKey("person.name", "lefevre")])
                == {}
            )
            assert uow.match_keys.of(p.id) == frozenset()

    def test_other_organization_cannot_overwrite(self, store: Store) -> None:
        """ST-2: an update through another organization changes nothing."""
        c = _company(number="C-1")
        self.add(store, c)
        c.update(name="Hijacked")
        with store.unit_of_work(OTHER) as uow, pytest.raises(NotFoundError):
            uow.customers.update(c)
        with store.unit_of_work(ORG) as uow:
            assert uow.customers.get(c.id).name == "Imprimerie Lefèvre"

    def test_unique_values_are_per_organization(self, store: Store) -> None:
        """ST-2, CU-3, EU-2: numbers, logins, sequences: per organization."""
        for org in (ORG, OTHER):
            c = _company(number="C-1")
            p = _person(c, last_name="Lefèvre")
            user, _ = c.add_external_user(
                p, login="hlefevre", email="hl@example.com"
            )
            self.add(store, c, p, user, org=org)
            with store.unit_of_work(org) as uow:
                assert uow.sequences.next("customer") == 1
                uow.commit()


class UniquenessContract(_Base):
    """Unique values are enforced by the backend (CU-3, EU-1, EU-2)."""

    def test_duplicate_number_refused(self, store: Store) -> None:
        """CU-3: a second customer with a number in use is refused clearly."""
        self.add(store, _company(number="C-1"))
        dup = _company("Autre", number="C-1")
        with pytest.raises(DuplicateError) as info:
            with store.unit_of_work(ORG) as uow:
                uow.customers.add(dup)
                uow.commit()
        error = info.value
        assert isinstance(error, ConflictError)
        assert isinstance(error, ValidationError)
        assert [(i.path, i.code, i.value) for i in error.issues] == [
            ("number", "storage.duplicate_number", "C-1")
        ]
        assert "C-1" in error.messages("fr")[0]

    def test_duplicate_number_in_one_unit_of_work(self, store: Store) -> None:
        """CU-3: two new customers with one number in one command."""
        with pytest.raises(DuplicateError):
            with store.unit_of_work(ORG) as uow:
                uow.customers.add(_company(number="C-1"))
                uow.customers.add(_company(number="C-1"))
                uow.commit()
        with store.unit_of_work(ORG) as uow:
            assert uow.customers.search(CustomerQuery()).total == 0

    def test_customers_without_number(self, store: Store) -> None:
        """CU-3: the number is optional; many customers may have none."""
        self.add(store, _company(), _company(), _company())
        with store.unit_of_work(ORG) as uow:
            assert uow.customers.search(CustomerQuery()).total == 3

    def test_changing_to_a_taken_number_refused(self, store: Store) -> None:
        """CU-3: an update may not take another customer's number."""
        a, b = _company(number="C-1"), _company(number="C-2")
        self.add(store, a, b)
        b.update(number="C-1")
        with pytest.raises(DuplicateError) as info:
            with store.unit_of_work(ORG) as uow:
                uow.customers.update(b)
                uow.commit()
        assert info.value.issues[0].path == "number"
        with store.unit_of_work(ORG) as uow:
            assert uow.customers.get(b.id).number == "C-2"

    def test_numbers_can_be_swapped_through_a_free_one(
        self, store: Store
    ) -> None:
        """CU-3: a number freed by an update can be taken afterwards."""
        a = _company(number="C-1")
        self.add(store, a)
        a.update(number="C-9")
        b = _company(number="C-1")
        with store.unit_of_work(ORG) as uow:
            uow.customers.update(a)
            uow.commit()
        self.add(store, b)
        with store.unit_of_work(ORG) as uow:
            assert uow.customers.get_by_number("C-1").id == b.id
            assert uow.customers.get_by_number("C-9").id == a.id

    def test_duplicate_login_refused(self, store: Store) -> None:
        """EU-2: logins are unique in the organization."""
        c = _company(licenses=[{"quantity": 5, "title": "Portal"}])
        p1 = _person(c, last_name="Un")
        p2 = _person(c, last_name="Deux")
        u1, _ = c.add_external_user(p1, login="same", email="a@example.com")
        self.add(store, c, p1, p2, u1)
        other = _company(
            "Autre", licenses=[{"quantity": 5, "title": "Portal"}]
        )
        p3 = _person(other, last_name="Trois")
        u3, _ = other.add_external_user(
            p3, login="same", email="c@example.com"
        )
        with pytest.raises(DuplicateError) as info:
            with store.unit_of_work(ORG) as uow:
                uow.customers.add(other)
                uow.persons.add(p3)
                uow.external_users.add(u3)
                uow.commit()
        assert info.value.codes == ("storage.duplicate_login",)
        del p2

    def test_one_external_user_per_person(self, store: Store) -> None:
        """EU-1: a person has at most one external user, whatever the copy."""
        c = _company(licenses=[{"quantity": 5, "title": "Portal"}])
        p = _person(c, last_name="Un")
        u1, _ = c.add_external_user(p, login="one", email="a@example.com")
        self.add(store, c, p, u1)
        # A second copy of the customer, made without knowing about u1:
        with store.unit_of_work(ORG) as uow:
            copy_c = uow.customers.get(c.id)
            copy_p = uow.persons.get(p.id)
        object.__setattr__(copy_p, "external_user_id", None)
        u2, _ = copy_c.add_external_user(
            copy_p, login="two", email="b@example.com"
        )
        with pytest.raises(DuplicateError) as info:
            with store.unit_of_work(ORG) as uow:
                uow.external_users.add(u2)
                uow.commit()
        assert info.value.codes == ("storage.duplicate_user",)

    def test_adding_twice_refused(self, store: Store) -> None:
        """ST-3: an id is stored once; adding it again is a duplicate."""
        c = _company()
        self.add(store, c)
        with store.unit_of_work(ORG) as uow, pytest.raises(DuplicateError):
            uow.customers.add(c)

    def test_sequence_and_numbering(self, store: Store) -> None:
        """CU-3, BX-6: sequences count from 1; strategies format them."""
        strategy = NumberingStrategy(prefix="C-", width=4, check_digit="luhn")
        with store.unit_of_work(ORG) as uow:
            numbers = [strategy.next_number(uow.sequences) for _ in range(3)]
            assert uow.sequences.next("other") == 1
            uow.commit()
        assert numbers == ["C-00018", "C-00026", "C-00034"]
        with store.unit_of_work(ORG) as uow:
            assert uow.sequences.next("customer") == 4


class ConcurrencyContract(_Base):
    """Stale writes are refused; concurrent writers stay correct (ST-3)."""

    def test_stale_update_refused(self, store: Store) -> None:
        """ST-3: of two edits from one version, the second is refused."""
        c = _company()
        self.add(store, c)
        with store.unit_of_work(ORG) as uow:
            mine, theirs = uow.customers.get(c.id), uow.customers.get(c.id)
        theirs.update(name="Theirs")
        with store.unit_of_work(ORG) as uow:
            uow.customers.update(theirs)
            uow.commit()
        mine.update(name="Mine")
        with pytest.raises(ConcurrencyError) as info:
            with store.unit_of_work(ORG) as uow:
                uow.customers.update(mine)
                uow.commit()
        assert info.value.codes == ("storage.stale",)
        assert mine.version == 1
        with store.unit_of_work(ORG) as uow:
            stored = uow.customers.get(c.id)
        assert (stored.name, stored.version) == ("Theirs", 2)

    def test_stale_person_and_user_refused(self, store: Store) -> None:
        """ST-3: persons and external users carry versions too."""
        c = _company()
        p = _person(c, last_name="Lefèvre")
        self.add(store, c, p)
        with store.unit_of_work(ORG) as uow:
            a, b = uow.persons.get(p.id), uow.persons.get(p.id)
        a.update(first_name="A")
        b.update(first_name="B")
        with store.unit_of_work(ORG) as uow:
            uow.persons.update(a)
            uow.commit()
        with store.unit_of_work(ORG) as uow, pytest.raises(ConcurrencyError):
            uow.persons.update(b)
            uow.commit()

    def test_two_updates_in_one_unit_of_work(self, store: Store) -> None:
        """ST-3: one command may write an aggregate twice: one new version."""
        c = _company()
        with store.unit_of_work(ORG) as uow:
            uow.customers.add(c)
            c.update(name="Second")
            uow.customers.update(c)
            uow.commit()
        assert c.version == 1
        with store.unit_of_work(ORG) as uow:
            c.update(name="Third")
            uow.customers.update(c)
            c.update(name="Fourth")
            uow.customers.update(c)
            uow.commit()
        with store.unit_of_work(ORG) as uow:
            stored = uow.customers.get(c.id)
        assert (stored.name, stored.version, c.version) == ("Fourth", 2, 2)

    def test_concurrent_numbers_collide(self, store: Store) -> None:
        """ST-3: threads adding one number: exactly one wins."""
        self.require("concurrent_threads")

        def work(i: int) -> None:
            with store.unit_of_work(ORG) as uow:
                uow.customers.add(_company(f"Writer {i}", number="C-1"))
                uow.commit()

        results = _run_threads(6, work)
        assert sum(r is None for r in results) == 1
        assert all(
            isinstance(r, DuplicateError) for r in results if r is not None
        ), results

    def test_concurrent_edits_lose_nothing(self, store: Store) -> None:
        """ST-3: threads editing one version: one wins, others are refused."""
        self.require("concurrent_threads")
        c = _company()
        self.add(store, c)

        def work(i: int) -> None:
            with store.unit_of_work(ORG) as uow:
                copy = uow.customers.get(c.id)
            copy.update(internal_remark=f"edit {i}")
            with store.unit_of_work(ORG) as uow:
                uow.customers.update(copy)
                uow.commit()

        results = _run_threads(6, work)
        # Whoever read after a commit may win too; but every win made a
        # new version and every loss was reported.
        wins = sum(r is None for r in results)
        assert wins >= 1
        assert all(
            isinstance(r, ConcurrencyError) for r in results if r is not None
        ), results
        with store.unit_of_work(ORG) as uow:
            assert uow.customers.get(c.id).version == 1 + wins

    def _interleave(
        self,
        store: Store,
        first: Callable[[UnitOfWork], None],
        second: Callable[[UnitOfWork], None],
    ) -> BaseException | None:
        """
        Run two units of work that overlap: *first* writes, *second*
        writes (in another thread), *first* commits, then *second*
        commits.  A backend that makes the second wait for the first
        (a lock) runs them one after the other instead; either way the
        first commit wins.  Returns what the second raised.
        """
        second_wrote = threading.Event()
        first_committed = threading.Event()
        outcome: list[BaseException | None] = [None]

        def run_second() -> None:
            try:
                with store.unit_of_work(ORG) as uow:
                    second(uow)
                    second_wrote.set()
                    first_committed.wait(_WAIT)
                    uow.commit()
            except BaseException as e:  # noqa: BLE001 -- reported below.
                outcome[0] = e
            finally:
                second_wrote.set()

        with store.unit_of_work(ORG) as uow:
            first(uow)
            thread = threading.Thread(target=run_second)
            thread.start()
            # A backend that locks holds the second one back: wait a bit.
            second_wrote.wait(0.5)
            uow.commit()
        first_committed.set()
        thread.join(_WAIT)
        assert not thread.is_alive(), "the second unit of work hangs"
        return outcome[0]

    def test_overlapping_edits_second_commit_refused(
        self, store: Store
    ) -> None:
        """ST-3: two open units of work edit one version: the later loses."""
        self.require("concurrent_threads")
        c = _company()
        self.add(store, c)
        with store.unit_of_work(ORG) as uow:
            mine, theirs = uow.customers.get(c.id), uow.customers.get(c.id)
        mine.update(internal_remark="mine")
        theirs.update(internal_remark="theirs")
        error = self._interleave(
            store,
            lambda uow: uow.customers.update(mine),
            lambda uow: uow.customers.update(theirs),
        )
        assert isinstance(error, ConcurrencyError), error
        with store.unit_of_work(ORG) as uow:
            stored = uow.customers.get(c.id)
        assert (stored.internal_remark, stored.version) == ("mine", 2)

    def test_overlapping_numbers_second_commit_refused(
        self, store: Store
    ) -> None:
        """ST-3: two open units of work take one number: the later loses."""
        self.require("concurrent_threads")
        first, second = _company("First", number="X"), _company("Second")
        second.update(number="X")
        error = self._interleave(
            store,
            lambda uow: uow.customers.add(first),
            lambda uow: uow.customers.add(second),
        )
        assert isinstance(error, DuplicateError), error
        with store.unit_of_work(ORG) as uow:
            assert uow.customers.get_by_number("X").name == "First"
            with pytest.raises(NotFoundError):
                uow.customers.get(second.id)

    def test_overlapping_adds_of_one_id_second_refused(
        self, store: Store
    ) -> None:
        """ST-3: two open units of work add one id: the later loses."""
        self.require("concurrent_threads")
        first = _company("First")
        second = _copy(first)
        second.update(name="Second")
        error = self._interleave(
            store,
            lambda uow: uow.customers.add(first),
            lambda uow: uow.customers.add(second),
        )
        assert isinstance(error, DuplicateError), error
        with store.unit_of_work(ORG) as uow:
            assert uow.customers.get(first.id).name == "First"

    def test_concurrent_sequences_never_repeat(self, store: Store) -> None:
        """CU-3: concurrent writers never draw the same number."""
        self.require("concurrent_threads")

        def work(_: int) -> list[int]:
            drawn = []
            for _ in range(5):
                with store.unit_of_work(ORG) as uow:
                    drawn.append(uow.sequences.next("customer"))
                    uow.commit()
            return drawn

        results = _run_threads(4, work)
        values = [v for r in results for v in r]  # type: ignore[union-attr]
        assert sorted(values) == list(range(1, 21))


class SearchContract(_Base):
    """Searches and listings (SE-1, SE-2, SE-3, PE-4)."""

    @pytest.fixture
    def base(self, store: Store) -> dict[str, Customer]:
        cat = uuid.UUID(int=1)
        out = {
            "lefevre": _company(
                "Imprimerie Lefèvre",
                number="C-100",
                legal_form="SARL",
                short_name="IMPLEF",
                internal_remark="Paie à trente jours",
                address={
                    "street": "12 rue de la République",
                    "line2": "Bâtiment B",
                    "postal_code": "69001",
                    "city": "Lyon",
                    "country": "FR",
                },
                category_ids=[cat],
            ),
            "herve": _company(
                "Hervé David",
                number="C-200",
                address={
                    "postal_code": "H2X 1Y4",
                    "city": "Montréal",
                    "country": "CA",
                },
                external_remark="Client fidèle",
                is_agency=True,
            ),
            "studio": _company(
                "Studio 100%",
                stage="prospect",
                address={
                    "postal_code": "75011",
                    "city": "Paris",
                    "country": "FR",
                },
                category_ids=[cat],
            ),
            "blocked": _company(
                "Éditions Bloquées",
                blocked=True,
                active=False,
                address={
                    "postal_code": "69007",
                    "city": "Lyon",
                    "country": "FR",
                },
            ),
        }
        self.add(store, *out.values())
        return out

    def _names(self, store: Store, **query: Any) -> list[str]:
        with store.unit_of_work(ORG) as uow:
            return [
                c.name
                for c in uow.customers.search(CustomerQuery(**query)).items
            ]

    def test_text_is_accent_and_case_insensitive(
        self, store: Store, base: dict[str, Customer]
    ) -> None:
        """SE-1: "LEFEVRE", "lefèvre" and "Lefevre" find the same customer."""
        for text in ("LEFEVRE", "lefèvre", "Lefevre", "LEFÈVRE"):
            assert self._names(store, text=text) == ["Imprimerie Lefèvre"]
        assert self._names(store, text="montreal") == ["Hervé David"]

    def test_text_searches_every_listed_field(
        self, store: Store, base: dict[str, Customer]
    ) -> None:
        """SE-1: every listed field is searched."""
        for text in ("sarl", "implef", "batiment", "trente jours"):
            assert self._names(store, text=text) == ["Imprimerie Lefèvre"]
        assert self._names(store, text="c-200") == ["Hervé David"]
        assert self._names(store, text="republique") == ["Imprimerie Lefèvre"]
        assert self._names(store, text="h2x") == ["Hervé David"]
        assert self._names(store, text="fidele") == ["Hervé David"]
        assert self._names(store, text="ca") == ["Hervé David"]
        assert self._names(store, text="lyon") == [
            "Éditions Bloquées",
            "Imprimerie Lefèvre",
        ]

    def test_all_words_must_match(
        self, store: Store, base: dict[str, Customer]
    ) -> None:
        """SE-1: several words narrow the search."""
        assert self._names(store, text="lyon imprimerie") == [
            "Imprimerie Lefèvre"
        ]
        assert self._names(store, text="lyon montreal") == []

    def test_wildcards_are_literal(
        self, store: Store, base: dict[str, Customer]
    ) -> None:
        """SE-1: "%" and "_" in a search are plain characters."""
        assert self._names(store, text="100%") == ["Studio 100%"]
        assert self._names(store, text="_") == []
        assert self._names(store, text="%") == ["Studio 100%"]

    def test_filters_combine(
        self, store: Store, base: dict[str, Customer]
    ) -> None:
        """SE-2: status, category, region, agency flag, and combinations."""
        assert self._names(store, stage="prospect") == ["Studio 100%"]
        assert self._names(store, blocked=True) == ["Éditions Bloquées"]
        assert self._names(store, active=True, postal_code_prefix="69") == [
            "Imprimerie Lefèvre"
        ]
        assert self._names(store, category_id=uuid.UUID(int=1)) == [
            "Imprimerie Lefèvre",
            "Studio 100%",
        ]
        assert self._names(store, is_agency=True) == ["Hervé David"]
        assert self._names(store, postal_code_prefix="h2x 1") == [
            "Hervé David"
        ]
        assert self._names(
            store, category_id=uuid.UUID(int=1), stage="client", text="lyon"
        ) == ["Imprimerie Lefèvre"]

    def test_pages_are_stable(self, store: Store) -> None:
        """SE-2: ordered by name then id; pages neither overlap nor skip."""
        made = [_company(name) for name in ["b", "A", "é", "c", "E", "a"] * 3]
        self.add(store, *made)
        seen: list[uuid.UUID] = []
        offset = 0
        with store.unit_of_work(ORG) as uow:
            while True:
                page = uow.customers.search(
                    CustomerQuery(offset=offset, limit=4)
                )
                assert page.total == len(made)
                seen += [c.id for c in page.items]
                offset += 4
                if not page.has_next:
                    break
        assert sorted(seen) == sorted(c.id for c in made)
        by_id = {c.id: c for c in made}
        keys = [by_id[i].name.lower().replace("é", "e") for i in seen]
        assert keys == sorted(keys)

    @pytest.mark.parametrize(
        "query",
        [
            {"limit": 0},
            {"limit": 1001},
            {"limit": True},
            {"limit": 5.0},
            {"limit": "5"},
            {"offset": -1},
            {"offset": 2**63},
            {"offset": False},
            {"offset": 1.5},
            {"offset": "1"},
            {"active": "yes"},
            {"text": 3},
            {"text": None},
            {"text": "a\x00b"},
            {"postal_code_prefix": None},
            {"stage": "nope"},
            {"category_id": "not-a-uuid"},
        ],
    )
    def test_bad_queries_refused(self, query: dict[str, Any]) -> None:
        """SE-2: a bad query is a ValidationError at its field (before any
        store sees it: an offset past 64 bits included)."""
        with pytest.raises(ValidationError) as info:
            CustomerQuery(**query)
        assert [i.path for i in info.value.issues] == list(query)

    def test_persons_listing(self, store: Store) -> None:
        """SE-3, PE-4: persons by name; inactive ones only on request."""
        c = _company()
        zoe = _person(c, last_name="Zola", first_name="Émile")
        anne = _person(c, last_name="Ärnö", first_name="Anne")
        bob = _person(c, last_name="arno", first_name="Bob")
        c.deactivate_person(bob)
        self.add(store, c, zoe, anne, bob)
        with store.unit_of_work(ORG) as uow:
            active = uow.persons.list_for(c.id)
            everyone = uow.persons.list_for(c.id, include_inactive=True)
        assert [p.last_name for p in active] == ["Ärnö", "Zola"]
        assert [p.first_name for p in everyone] == ["Anne", "Bob", "Émile"]
        other = _company("Other")
        nobody = uuid.uuid4()
        with store.unit_of_work(ORG) as uow:
            many = uow.persons.list_for_many([c.id, nobody, other.id])
            assert set(many) == {c.id, nobody, other.id}
            assert [p.id for p in many[c.id]] == [p.id for p in active]
            assert many[nobody] == []
            assert many[other.id] == []


class MatchKeyContract(_Base):
    """The keys duplicate detection looks up (DU-7)."""

    def test_replace_of_and_lookup(self, store: Store) -> None:
        """DU-7: keys are stored by owner and found by value."""
        a, b = uuid.uuid4(), uuid.uuid4()
        name = MatchKey("person.name", "helene lefevre")
        email = MatchKey("person.email", "h@example.com")
        with store.unit_of_work(ORG) as uow:
            uow.match_keys.replace(a, [name, email])
            uow.match_keys.replace(b, [name])
            assert uow.match_keys.lookup([name]) == {name: frozenset({a, b})}
            uow.commit()
        with store.unit_of_work(ORG) as uow:
            assert uow.match_keys.of(a) == {name, email}
            assert uow.match_keys.lookup(
                [name, email, MatchKey("x", "y")]
            ) == {
                name: frozenset({a, b}),
                email: frozenset({a}),
            }
            uow.match_keys.replace(a, [email])
            uow.commit()
        with store.unit_of_work(ORG) as uow:
            assert uow.match_keys.lookup([name]) == {name: frozenset({b})}
            assert uow.match_keys.lookup([]) == {}

    def test_lookup_limit_of_many_and_groups(self, store: Store) -> None:
        """
        DU-7, DU-8: capped lookups, keys of many owners, shared values and
        how many share each.
        """
        owners = sorted(uuid.uuid4() for _ in range(4))
        shared = MatchKey("test.phone", "+33100000000")
        with store.unit_of_work(ORG) as uow:
            for i, owner in enumerate(owners):
                uow.match_keys.replace(
                    owner, [shared, MatchKey("test.name", f"n{i % 2}")]
                )
            uow.commit()
        with store.unit_of_work(ORG) as uow:
            capped = uow.match_keys.lookup([shared], limit=2)
            assert capped == {shared: frozenset(owners[:2])}
            nobody = uuid.uuid4()
            many = uow.match_keys.of_many([owners[0], nobody])
            assert set(many) == {owners[0], nobody}
            assert many[owners[0]] == {shared, MatchKey("test.name", "n0")}
            assert many[nobody] == frozenset()
            groups = list(uow.match_keys.groups("test.name"))
            assert groups == [
                ("n0", frozenset(owners[0::2])),
                ("n1", frozenset(owners[1::2])),
            ]
            assert (
                list(uow.match_keys.groups("test.phone", max_owners=3)) == []
            )
            assert list(uow.match_keys.groups("nothing")) == []
            # The same values, with how many owners share each.
            assert list(uow.match_keys.group_sizes("test.name")) == [
                ("n0", 2),
                ("n1", 2),
            ]
            assert list(
                uow.match_keys.group_sizes("test.phone", max_owners=4)
            ) == [("+33100000000", 4)]
            assert (
                list(uow.match_keys.group_sizes("test.phone", max_owners=3))
                == []
            )
            assert list(uow.match_keys.group_sizes("nothing")) == []
        with store.unit_of_work(OTHER) as uow:
            assert list(uow.match_keys.groups("test.name")) == []
            assert list(uow.match_keys.group_sizes("test.name")) == []
            assert uow.match_keys.lookup([shared]) == {}
        with store.unit_of_work(ORG) as uow:
            uow.match_keys.replace(owners[0], [])
            uow.commit()
        with store.unit_of_work(ORG) as uow:
            # "n0" is no longer shared; "n1" still is.
            assert list(uow.match_keys.groups("test.name")) == [
                ("n1", frozenset(owners[1::2]))
            ]
            assert list(uow.match_keys.group_sizes("test.name")) == [("n1", 2)]

    def test_keys_follow_person_writes(self, store: Store) -> None:
        """DU-7: keys follow edits, moves and deactivation of a person."""
        c = _company()
        other = _company("Other")
        p = _person(
            c,
            first_name="Hélène",
            last_name="Lefèvre",
            channels=[{"kind": "email", "value": "h@example.com"}],
        )
        self.add(store, c, other, p)
        with store.unit_of_work(ORG) as uow:
            assert uow.match_keys.of(p.id) == person_keys(p)
            assert uow.match_keys.lookup(
                [MatchKey("person.name", "helene lefevre")]
            ) == {MatchKey("person.name", "helene lefevre"): {p.id}}
            assert uow.match_keys.of(c.id) == customer_keys(c)
        with store.unit_of_work(ORG) as uow:
            p = uow.persons.get(p.id)
            p.update(last_name="Martin")
            uow.persons.update(p)
            uow.commit()
        with store.unit_of_work(ORG) as uow:
            keys = uow.match_keys.of(p.id)
            assert MatchKey("person.name", "helene martin") in keys
            assert MatchKey("person.name", "helene lefevre") not in keys
            assert (
                uow.match_keys.lookup(
                    [MatchKey("person.name", "helene lefevre")]
                )
                == {}
            )
            c, other = uow.customers.get(c.id), uow.customers.get(other.id)
            c.move_person(p, to=other, contact_types=DEFAULT_CONTACT_TYPE)
            uow.customers.update(c)
            uow.customers.update(other)
            uow.persons.update(p)
            uow.commit()
        with store.unit_of_work(ORG) as uow:
            assert MatchKey(
                "person.name_at_customer", f"{other.id}:helene martin"
            ) in uow.match_keys.of(p.id)
            other = uow.customers.get(other.id)
            other.deactivate_person(p)
            uow.persons.update(p)
            uow.commit()
        with store.unit_of_work(ORG) as uow:
            assert uow.match_keys.of(p.id) == frozenset()

    def test_keys_roll_back(self, store: Store) -> None:
        """ST-4: keys written by a rolled-back command are not kept."""
        a = uuid.uuid4()
        with store.unit_of_work(ORG) as uow:
            uow.match_keys.replace(a, [MatchKey("person.name", "x")])
        with store.unit_of_work(ORG) as uow:
            assert uow.match_keys.of(a) == frozenset()


class DuplicateContract(_Base):
    """The duplicate check answers the same on every backend (DU-1..DU-8)."""

    @staticmethod
    def _fixture() -> tuple[list[Customer], list[Person]]:
        """Two customers and three persons, not stored yet."""
        c = _company("Imprimerie Lefèvre", address={"country": "FR"})
        other = _company("Autre Client", address={"country": "FR"})
        people = [
            _person(
                c,
                first_name="Hélène",
                last_name="Lefèvre",
                channels=[
                    {"kind": "email", "value": "Helene@Lefevre.example"},
                    {"kind": "mobile", "value": "06 12 34 56 78"},
                ],
            ),
            _person(other, first_name="Helene", last_name="LEFEVRE"),
            _person(
                other,
                first_name="Marc",
                last_name="Dubois",
                channels=[{"kind": "phone", "value": "04 78 00 00 00"}],
            ),
        ]
        return [c, other], people

    def _store(self, store: Store, objects: list[Any]) -> None:
        """Store copies of *objects* (so that several stores can)."""
        self.add(
            store,
            *(
                structure(unstructure(o), type(o), trusted=True)
                for o in objects
            ),
        )

    def _answer(self, store: Store, person: Person) -> list[object]:
        checker = DuplicateChecker(DuplicatePolicy(phone_kinds_match=True))
        with store.unit_of_work(ORG) as uow:
            found = checker.check_person(uow, person)
        return [
            (
                c.id,
                c.strength,
                [
                    (r.criterion, r.path, r.value, r.other_value)
                    for r in c.reasons
                ],
            )
            for c in found
        ]

    def test_same_candidates_as_in_memory(self, store: Store) -> None:
        """DU-3, DU-5, BX-3: same candidates, reasons and strengths."""
        customers, people = self._fixture()
        reference = InMemoryStore()
        for s in (store, reference):
            self._store(s, [*customers, *people])
        newcomer = _person(
            customers[0],
            first_name="LEFEVRE",
            last_name="helene",
            channels=[
                {"kind": "email", "value": "helene@lefevre.example"},
                {"kind": "phone", "value": "+33 4 78 00 00 00"},
            ],
        )
        answer = self._answer(store, newcomer)
        assert answer == self._answer(reference, newcomer)
        # Ties (two weak candidates) are ordered by id.
        assert sorted((a[0], a[1]) for a in answer) == sorted(  # type: ignore[index]
            [
                (people[0].id, Strength.EXACT),
                (people[1].id, Strength.WEAK),
                (people[2].id, Strength.WEAK),
            ],
            key=str,
        )
        assert answer[0][0] == people[0].id  # type: ignore[index]

    def test_bulk_scan_groups(self, store: Store) -> None:
        """DU-8: a scan groups the stored duplicates with their links."""
        customers, people = self._fixture()
        self._store(store, [*customers, *people])
        with store.unit_of_work(ORG) as uow:
            groups = list(DuplicateChecker().scan_persons(uow))
        assert [g.ids for g in groups] == [
            tuple(sorted((people[0].id, people[1].id), key=str))
        ]
        assert [link.criterion for link in groups[0].links] == ["name"]

    def test_bulk_scan_same_customer_evidence(self, store: Store) -> None:
        """
        DU-5, DU-8, BX-3: namesakes all at one customer are strong; of
        three namesakes, the pair at one customer is a strong group and
        the three a weak one (weak evidence never joins groups), as in
        memory.
        """
        c = _company("Imprimerie Lefèvre", address={"country": "FR"})
        other = _company("Autre Client", address={"country": "FR"})
        people = [
            _person(c, first_name="Ann", last_name="Lee"),
            _person(c, first_name="ANN", last_name="lee"),
            _person(c, first_name="Bob", last_name="Kay"),
            _person(other, first_name="Bob", last_name="Kay"),
            _person(c, first_name="bob", last_name="KAY"),
            _person(c, first_name="Zoé", last_name="Roy"),
            _person(other, first_name="Zoe", last_name="Roy"),
        ]
        reference = InMemoryStore()
        answers = []
        for s in (store, reference):
            self._store(s, [c, other, *people])
            with s.unit_of_work(ORG) as uow:
                answers.append(
                    [
                        (g.ids, g.strength, [link.key for link in g.links])
                        for g in DuplicateChecker().scan_persons(uow)
                    ]
                )
        ids = [p.id for p in people]
        assert answers[0] == answers[1]
        assert [(set(i), s) for i, s, _ in answers[0]] == [
            ({ids[0], ids[1]}, Strength.STRONG),
            ({ids[2], ids[4]}, Strength.STRONG),
            ({ids[2], ids[3], ids[4]}, Strength.WEAK),
            ({ids[5], ids[6]}, Strength.WEAK),
        ]


class AgencyContract(_Base):
    """Agency assignments (AG-2..AG-4)."""

    def test_for_order(self, store: Store) -> None:
        """AG-3, AG-4: assignments found by order; removal removes access."""
        studio = _company("Studio", is_agency=True)
        other = _company("Other studio", is_agency=True)
        client = _company("Client")
        a1, a2 = Agency(studio), Agency(other)
        a1.assign("ORD-1", customer=client)
        a2.assign("ORD-1", customer=client)
        a2.assign("ORD-2", customer=client)
        self.add(store, studio, other, client, a1, a2)
        with store.unit_of_work(ORG) as uow:
            found = uow.agencies.for_order(client.id, "ORD-1")
            assert {a.agency_id for a in found} == {studio.id, other.id}
            assert uow.agencies.for_order(client.id, "ORD-3") == []
            a2.unassign("ORD-1", customer=client)
            uow.agencies.update(a2)
            uow.commit()
        with store.unit_of_work(ORG) as uow:
            found = uow.agencies.for_order(client.id, "ORD-1")
            assert [a.agency_id for a in found] == [studio.id]


_NAMES = st.sampled_from(
    ["Lefèvre", "LEFEVRE", "Hervé", "herve", "Zola", "Ärnö"]
)
_NUMBERS = st.none() | st.sampled_from(["C-1", "C-2", "C-3"])


class _Machine(RuleBasedStateMachine):
    """Random commands run on the backend and on the in-memory oracle."""

    def __init__(self, store: Store) -> None:
        super().__init__()
        # A new organization per run: a fresh, empty store as far as
        # tenant isolation goes (which the other contracts check).
        self.org = f"stateful-{uuid.uuid4()}"
        self.stores = (store, InMemoryStore())
        self.ids: list[uuid.UUID] = []
        self.copies: list[tuple[Customer, Customer]] = []

    def _both(self, command: Callable[[Any, int], Any]) -> Any:
        outcomes = []
        for i, store in enumerate(self.stores):
            try:
                with store.unit_of_work(self.org) as uow:
                    result = command(uow, i)
                    uow.commit()
                outcomes.append(("ok", result))
            except (StorageError, ValidationError) as e:
                outcomes.append(("error", type(e).__name__))
        assert outcomes[0] == outcomes[1], outcomes
        return outcomes[0]

    @rule(name=_NAMES, number=_NUMBERS)
    def add_customer(self, name: str, number: str | None) -> None:
        c = _company(name, number=number)
        pair = (c, _copy(c))
        outcome = self._both(lambda uow, i: uow.customers.add(pair[i]))
        if outcome[0] == "ok":
            self.ids.append(c.id)

    @precondition(lambda self: self.ids)
    @rule(data=st.data())
    def load_copy(self, data: st.DataObject) -> None:
        cid = data.draw(st.sampled_from(self.ids))
        pair = [None, None]

        def load(uow: Any, i: int) -> None:
            pair[i] = uow.customers.get(cid)

        self._both(load)
        self.copies.append((pair[0], pair[1]))  # type: ignore[arg-type]

    @precondition(lambda self: self.copies)
    @rule(data=st.data(), name=_NAMES, number=_NUMBERS)
    def update_copy(
        self, data: st.DataObject, name: str, number: str | None
    ) -> None:
        pair = data.draw(st.sampled_from(self.copies))
        for c in pair:
            c.update(name=name, number=number)
        self._both(lambda uow, i: uow.customers.update(pair[i]))

    @rule(text=st.sampled_from(["", "lefevre", "HERVE", "c-1", "zo", "arno"]))
    def search(self, text: str) -> None:
        self._both(
            lambda uow, _: [
                (c.id, c.name, c.number, c.version)
                for c in uow.customers.search(CustomerQuery(text=text)).items
            ]
        )

    @rule(number=st.sampled_from(["C-1", "C-2", "C-3"]))
    def by_number(self, number: str) -> None:
        self._both(lambda uow, _: uow.customers.get_by_number(number).id)

    @rule()
    def draw_number(self) -> None:
        self._both(lambda uow, _: uow.sequences.next("customer"))

    @invariant()
    def same_total(self) -> None:
        self._both(lambda uow, _: uow.customers.search(CustomerQuery()).total)


# -- what the model accepts, every backend stores ----------------------------

#: Texts that break naive storage: case folds that grow ("İ", "ß"),
#: compatibility forms, bidi controls, combining marks, astral and
#: private-use characters, SQL and LIKE metacharacters, line and
#: paragraph separators, a BOM, and the controls and surrogates the
#: model must refuse (they are tried too).
_EDGE_TEXTS: tuple[str, ...] = (
    "İstanbul",
    "Straße",
    "ﬁnance ﬂow",
    "\u202eevil\u202c",
    "e\u0301e\u0301",
    "👩\u200d👩\u200d👧\u200d👦",
    "𝔘𝔫𝔦𝔠𝔬𝔡𝔢 \U0010fffd \ue000",
    "Robert'); DROP TABLE customers;--",
    '100%_\\ "quoted"',
    "line\u2028separator\u2029",
    "\ufeffbom",
    "ǅ Ⅻ ﷺ ǈ",
    "tab\there",
    "two\nlines",
    "nul\x00",
    "c1\x85",
    "lone \ud800",
    " ",
)

_EDGE_CHARS: tuple[str, ...] = ("é", "İ", "ß", "ﬁ", "𝔘", "a\u0301", "x")


def _edge_texts() -> st.SearchStrategy[str]:
    """Any text, hostile included, and texts at and around the limits."""
    return st.one_of(
        st.sampled_from(_EDGE_TEXTS),
        st.text(st.characters(exclude_categories=[]), max_size=30),
        st.builds(
            lambda ch, n: (ch * n)[:n],
            st.sampled_from(_EDGE_CHARS),
            st.sampled_from([1, 99, 100, 101, 199, 200, 201, 3999, 4000]),
        ),
    )


def _attempt(command: Callable[[], object]) -> bool:
    """Run *command*; False when the model refuses it."""
    try:
        command()
    except ValidationError:
        return False
    return True


_CUSTOMER_TEXTS: tuple[str, ...] = (
    "name",
    "legal_form",
    "short_name",
    "number",
    "external_remark",
    "internal_remark",
    "payment_terms",
    "delivery_terms",
    "our_number",
    "tax_number",
    "registration_number",
    "registration_court",
)
_PERSON_TEXTS: tuple[str, ...] = (
    "last_name",
    "first_name",
    "salutation",
    "job_title",
    "department",
    "location",
    "remark",
)


class AcceptedIsStoredContract(_Base):
    """What the model accepts, the backend stores and gives back (ST-1)."""

    def test_accepted_text_is_stored_as_it_was(self, store: Store) -> None:
        """
        ST-1, IO-4, SE-1: generated records carrying any text the model
        accepts (hostile text included: folds that grow, bidi controls,
        astral characters, SQL metacharacters, texts at the limits) are
        never refused at commit and come back equal; each is found by
        its number, login and name.
        """
        counter = iter(range(1_000_000))

        @settings(
            max_examples=self.capabilities.stateful_examples,
            deadline=None,
            suppress_health_check=list(HealthCheck),
        )
        @given(data=st.data())
        def run(data: st.DataObject) -> None:
            org = f"texts-{next(counter)}"
            self._store_edge_texts(store, org, data)

        run()

    def _store_edge_texts(
        self, store: Store, org: str, data: st.DataObject
    ) -> None:
        text = _edge_texts()
        c = _company(number="N-1")
        for field in _CUSTOMER_TEXTS:
            t = data.draw(text, label=field)
            changes: dict[str, Any] = {field: t}
            _attempt(functools.partial(c.update, **changes))
        t = data.draw(text, label="address")
        _attempt(
            lambda: c.update(
                address={"street": t, "city": t, "postal_code": t[:20]}
            )
        )
        t = data.draw(text, label="extra")
        _attempt(lambda: c.update(extra={"note": t}))
        t = data.draw(text, label="contact type")
        if not _attempt(lambda: c.add_contact_type(t)):
            c.add_contact_type("Staff")
        team = c.contact_types[-1]
        p = c.add_person(last_name="Lefèvre", contact_types=[team])
        for field in _PERSON_TEXTS:
            t = data.draw(text, label=field)
            changes = {field: t}
            _attempt(functools.partial(p.update, **changes))
        t = data.draw(text, label="functions")
        _attempt(lambda: p.update(functions=[t]))
        t = data.draw(text, label="person extra")
        _attempt(lambda: p.update(extra={"note": t}))
        t = data.draw(text, label="phone")
        _attempt(lambda: p.add_channel({"kind": "phone", "value": t}))
        p.add_channel({"kind": "email", "value": "helene@example.com"})
        user, _ = c.add_external_user(p, login="hlefevre")
        t = data.draw(text, label="login")
        _attempt(lambda: user.update(login=t))
        t = data.draw(text, label="branch")
        _attempt(lambda: user.update(branch=t))
        title = data.draw(text, label="category")
        category = Category(title="Printers")
        _attempt(lambda: category.update(title=title, description=title))

        self.add(store, c, p, user, category, org=org)

        with store.unit_of_work(org) as uow:
            _same(uow.customers.get(c.id), c)
            _same(uow.persons.get(p.id), p)
            _same(uow.external_users.get(user.id), user)
            _same(uow.categories.get(category.id), category)
            if c.number is not None:
                assert uow.customers.get_by_number(c.number).id == c.id
            assert uow.external_users.get_by_login(user.login).id == user.id
            found = uow.customers.search(CustomerQuery(text=c.name))
            assert [c.id] == [x.id for x in found.items]


class StatefulContract(_Base):
    """The backend answers every command as the in-memory store does."""

    def test_matches_in_memory_store(self, store: Store) -> None:
        """ST-1, ST-3, CU-3, SE-1: random commands, same answers."""
        run_state_machine_as_test(
            lambda: _Machine(store),  # type: ignore[arg-type]
            settings=settings(
                max_examples=self.capabilities.stateful_examples,
                stateful_step_count=15,
                deadline=None,
                suppress_health_check=[HealthCheck.too_slow],
            ),
        )


class StoreContract(
    RoundTripContract,
    AcceptedIsStoredContract,
    UnitOfWorkContract,
    TenantContract,
    UniquenessContract,
    ConcurrencyContract,
    SearchContract,
    MatchKeyContract,
    DuplicateContract,
    AgencyContract,
    StatefulContract,
):
    """
    The whole suite: subclass it and override the ``store`` fixture.

    .. versionadded:: 0.1.0
    """
