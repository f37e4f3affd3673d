# SPDX-License-Identifier: MIT
"""
Importing persons read from files: validated through the model, checked
for duplicates inside the file and against the store, written in
batches (IO-2, DU-8, BX-3).

Each batch is one unit of work: a killed import leaves every batch
either written or not.  Persons get ids derived from their customer and
their fields as read, so importing the same rows again finds them and
creates nothing: a killed import is finished by running it again.

>>> from customer_domain import Customer
>>> from customer_domain.storage import InMemoryStore
>>> from customer_domain.interchange import PersonRecord, Source
>>> store = InMemoryStore()
>>> with store.unit_of_work("org") as uow:
...     uow.customers.add(
...         Customer(name="ACME", number="C-1", address={"country": "FR"})
...     )
...     uow.commit()
>>> rows = [
...     PersonRecord(Source("f.csv", None, 2), {"last_name": "Lefèvre",
...     "channels": [{"kind": "email", "value": "h.lefevre@acme.fr"}]},
...     customer_number="C-1"),
...     PersonRecord(Source("f.csv", None, 3), {"last_name": "Dupont",
...     "channels": [{"kind": "email", "value": "h.lefevre@acme.fr"}]},
...     customer_number="C-1"),
...     PersonRecord(Source("f.csv", None, 4), {"last_name": ""},
...     customer_number="C-1"),
... ]
>>> report = Importer(store, "org").import_records(rows)
>>> report.created, report.skipped, report.rejected
(1, 1, 1)
>>> [(p.source.row, p.issue.code) for p in report.problems]
[(4, 'required')]
>>> Importer(store, "org").import_records(rows).unchanged
1
"""

from __future__ import annotations

import collections
import contextlib
import contextvars
import enum
import hashlib
import itertools
import json
import uuid

from collections.abc import Callable, Iterable, Iterator, Mapping
from typing import Any, Final, TypeVar

import attrs

from customer_domain._collect import Collector
from customer_domain.duplicates import DuplicateChecker, Strength
from customer_domain.exceptions import (
    CustomerDomainError,
    Issue,
    NotFoundError,
    ValidationError,
)
from customer_domain.interchange.records import PersonRecord, Source
from customer_domain.matching import MatchKey
from customer_domain.matching.keys import PERSON_EMAIL
from customer_domain.matching.normalize import (
    company_name_key,
    email_key,
    fold_name,
)
from customer_domain.model import (
    Customer,
    DuplicateOverride,
    Person,
)
from customer_domain.model._base import set_fields
from customer_domain.model.person import read_person_fields
from customer_domain.storage.protocols import Store, UnitOfWork


__all__ = [
    "DEFAULT_CONTACT_TYPE_NAME",
    "DuplicateAction",
    "ImportProgress",
    "ImportReport",
    "Importer",
    "RowDuplicate",
    "RowProblem",
]

#: The contact type imported persons go to when a row names none.
DEFAULT_CONTACT_TYPE_NAME: Final = "Contacts"
#: Problems and duplicates kept in a report (the counts go on).
MAX_REPORTED: Final = 10_000
#: Most rows in one unit of work.
MAX_BATCH_SIZE: Final = 10_000
_REGION: Final = 2
#: Longest file name a report carries.
MAX_FILE_NAME: Final = 1000
_STRENGTH_ORDER: Final = (Strength.WEAK, Strength.STRONG, Strength.EXACT)
#: Ids of imported records derive from this namespace.
_NAMESPACE: Final = uuid.UUID("6f1d2c7e-4b0a-5e8f-9a3d-2b7c1e0f4a51")


class DuplicateAction(enum.Enum):
    """
    What an import does with a row that duplicates a stored person or an
    earlier row (strong or exact evidence, BX-3).

    - ``skip``: report it and write nothing (the default).
    - ``create``: create it anyway, recording a `DuplicateOverride`
      with the actor and the file (DU-3).
    - ``update``: update the stored person with the same e-mail address
      instead; rows without one are skipped.

    .. versionadded:: 0.1.0
    """

    SKIP = "skip"
    CREATE = "create"
    UPDATE = "update"


_ACTIONS: Final = {a.value: a for a in DuplicateAction}


@attrs.frozen
class RowProblem:
    """
    A problem with one row, where the user typed it.

    Attributes:
        source: The file, sheet and row.
        column: The column's header as written in the file (or the
            vCard property); ``""`` for the row as a whole.
        issue: What is wrong (code, value, message).

    .. versionadded:: 0.1.0
    """

    source: Source
    column: str
    issue: Issue

    def message(self, locale: str = "en") -> str:
        """``"<column>: <message>"`` in English or French."""
        text = self.issue.message("fr" if locale == "fr" else "en")
        return f"{self.column}: {text}" if self.column else text


@attrs.frozen
class RowDuplicate:
    """
    A row that duplicates stored persons or earlier rows.

    Attributes:
        source: The row.
        name: The person's name as read.
        strength: How surely it is a duplicate.
        criteria: What matched (``email``, ``name``...).
        person_ids: The stored persons it duplicates.
        rows: The earlier rows of the file it duplicates.
        action: What was done: ``skipped``, ``created`` or ``updated``
            (``reported`` for weak evidence, which never stops a row).

    .. versionadded:: 0.1.0
    """

    source: Source
    name: str
    strength: Strength
    criteria: tuple[str, ...]
    person_ids: tuple[uuid.UUID, ...]
    rows: tuple[Source, ...]
    action: str


@attrs.frozen
class ImportProgress:
    """Where an import is: rows read so far and what became of them."""

    rows: int
    created: int
    updated: int
    skipped: int
    rejected: int


@attrs.define
class ImportReport:
    """
    What an import did, or would do (a dry run).

    Attributes:
        rows: Records read.
        created: Persons created.
        updated: Persons updated (``update`` action).
        unchanged: Rows already imported (same customer, same values).
        skipped: Duplicates not written.
        rejected: Rows refused for their problems.
        customers_created: Customers created (from a customers sheet,
            or for person rows naming one that did not exist).
        customers_updated: Customers updated (``update`` action).
        customers_unchanged: Customers-sheet rows already stored.
        problems: The problems of rejected rows (the first
            `MAX_REPORTED`).
        duplicates: Duplicate rows and what was done with them (the
            first `MAX_REPORTED`).
        unknown_columns: Headers no column answers to, by sheet.
        dry_run: Nothing was written.
        interrupted: The import stopped at a batch boundary before the
            end of the file.

    .. versionadded:: 0.1.0
    """

    rows: int = 0
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    skipped: int = 0
    rejected: int = 0
    customers_created: int = 0
    customers_updated: int = 0
    customers_unchanged: int = 0
    problems: list[RowProblem] = attrs.field(factory=list)
    duplicates: list[RowDuplicate] = attrs.field(factory=list)
    unknown_columns: dict[str, tuple[str, ...]] = attrs.field(factory=dict)
    dry_run: bool = False
    interrupted: bool = False

    def progress(self) -> ImportProgress:
        """The counts so far."""
        return ImportProgress(
            self.rows, self.created, self.updated, self.skipped, self.rejected
        )


#: Called with each rejected record and its problems (an error file).
RejectedSink = Callable[[PersonRecord, list[RowProblem]], None]


@attrs.frozen
class _Row:
    """A record that passed validation, with its person."""

    record: PersonRecord
    customer: Customer
    person: Person
    types: tuple[str, ...]


class Importer:
    """
    Imports persons into one organization of *store*.

    Args:
        store: Where to write.
        organization: The organization (tenant).
        checker: The duplicate checker (its policy for the
            organization is used); a default one if None.
        on_duplicate: What to do with duplicate rows.
        actor: Who imports, recorded on overrides (``create`` action).
        batch_size: Rows per unit of work (1 to 10,000).
        region: Default region (``"FR"``) for phone numbers of customers
            that have no country.
        contact_type: The contact type of persons whose row names none.

    Raises:
        ValidationError: An argument is wrong.

    .. versionadded:: 0.1.0
    """

    def __init__(
        self,
        store: Store,
        organization: str,
        *,
        checker: DuplicateChecker | None = None,
        on_duplicate: DuplicateAction | str = DuplicateAction.SKIP,
        actor: str = "import",
        batch_size: int = 500,
        region: str | None = None,
        contact_type: str = DEFAULT_CONTACT_TYPE_NAME,
    ) -> None:
        c = Collector()
        org: object = organization
        size: object = batch_size
        zone: object = region
        if not callable(getattr(store, "unit_of_work", None)):
            c.add("store", "invalid_type", store, expected="a store")
        if not isinstance(org, str) or not org:
            c.add(
                "organization",
                "invalid_type",
                org,
                expected="an organization name",
            )
        if checker is not None and not isinstance(checker, DuplicateChecker):
            c.add(
                "checker",
                "invalid_type",
                checker,
                expected="a duplicate checker",
            )
        given: object = on_duplicate
        action: DuplicateAction | None = None
        if isinstance(given, DuplicateAction):
            action = given
        elif isinstance(given, str) and given in _ACTIONS:
            action = _ACTIONS[given]
        else:
            c.add(
                "on_duplicate",
                "choice.invalid",
                given,
                choices=", ".join(_ACTIONS),
            )
        texts: tuple[tuple[str, object], ...] = (
            ("actor", actor),
            ("contact_type", contact_type),
        )
        for name, value in texts:
            if not isinstance(value, str) or not value.strip():
                c.add(name, "invalid_type", value, expected="text")
            elif len(value) > 200:  # noqa: PLR2004
                c.add(name, "text.too_long", value, max="200")
        if (
            isinstance(size, bool)
            or not isinstance(size, int)
            or not 1 <= size <= MAX_BATCH_SIZE
        ):
            c.add(
                "batch_size",
                "number.between",
                batch_size,
                min="1",
                max="10000",
            )
        if zone is not None and not (
            isinstance(zone, str) and zone.isascii() and len(zone) == _REGION
        ):
            c.add(
                "region",
                "invalid_type",
                region,
                expected="a two-letter region",
            )
        c.raise_if_any()
        self.store = store
        self.organization = organization
        self.checker = checker or DuplicateChecker()
        self.on_duplicate = action
        self.actor = actor
        self.batch_size = batch_size
        self.region = region.upper() if region else None
        self.contact_type = contact_type.strip()

    # -- the run -----------------------------------------------------------

    def import_records(
        self,
        records: Iterable[PersonRecord],
        *,
        dry_run: bool = False,
        file: str = "",
        on_rejected: RejectedSink | None = None,
        progress: Callable[[ImportProgress], None] | None = None,
        should_stop: Callable[[], bool] | None = None,
        report: ImportReport | None = None,
    ) -> ImportReport:
        """
        Import *records* (from any reader) and report what happened.

        With *dry_run*, every check runs (duplicates inside the file
        included) and nothing is written: the one unit of work is rolled
        back at the end.  Otherwise each batch is committed on its own.
        *should_stop* is asked between batches (a Ctrl-C handler);
        *on_rejected* receives each rejected record with its problems.

        Raises:
            ValidationError: An argument is wrong.
            StorageError: The store refused a batch (what was committed
                before stays; running again finishes the import).
        """
        return self._import(
            "batch",
            records,
            dry_run=dry_run,
            file=file,
            on_rejected=on_rejected,
            progress=progress,
            should_stop=should_stop,
            report=report,
        )

    def import_customers(
        self,
        records: Iterable[PersonRecord],
        *,
        dry_run: bool = False,
        file: str = "",
        on_rejected: RejectedSink | None = None,
        progress: Callable[[ImportProgress], None] | None = None,
        should_stop: Callable[[], bool] | None = None,
        report: ImportReport | None = None,
    ) -> ImportReport:
        """
        Import customers: records whose ``fields`` are `Customer`
        arguments (a customers sheet).  A row whose number is stored, or
        (without a number) whose name a customer created from a file
        already has, is unchanged (``update``: updated); a new customer
        with strong duplicates is handled by *on_duplicate*.

        Raises:
            ValidationError: An argument is wrong.
            StorageError: The store refused a batch.
        """
        return self._import(
            "customer_batch",
            records,
            dry_run=dry_run,
            file=file,
            on_rejected=on_rejected,
            progress=progress,
            should_stop=should_stop,
            report=report,
        )

    def _import(
        self,
        handler: str,
        records: object,
        *,
        dry_run: object,
        file: object,
        on_rejected: object,
        progress: object,
        should_stop: object,
        report: object,
    ) -> ImportReport:
        """Check the arguments of an import, then run it batch by batch
        with the `_Run` method *handler*."""
        c = Collector()
        for name, value in (
            ("on_rejected", on_rejected),
            ("progress", progress),
            ("should_stop", should_stop),
        ):
            if value is not None and not callable(value):
                c.add(name, "invalid_type", value, expected="a function")
        if not isinstance(dry_run, bool):
            c.add("dry_run", "invalid_type", dry_run, expected="a boolean")
        if not isinstance(file, str) or len(file) > MAX_FILE_NAME:
            c.add("file", "invalid_type", file, expected="a file name")
        if report is not None and not isinstance(report, ImportReport):
            c.add("report", "invalid_type", report, expected="a report")
        if isinstance(records, str | bytes | Mapping) or not isinstance(
            records, Iterable
        ):
            c.add(
                "records",
                "invalid_type",
                records,
                expected="records read from a file",
            )
        c.raise_if_any()
        assert isinstance(dry_run, bool)  # noqa: S101 -- checked above.
        assert isinstance(file, str)  # noqa: S101
        assert isinstance(records, Iterable)  # noqa: S101
        done = report if isinstance(report, ImportReport) else ImportReport()
        done.dry_run = dry_run
        run = _Run(self, done, file, on_rejected, dry_run)  # type: ignore[arg-type]
        with self.session(dry_run=dry_run) as session:
            session.feed(
                getattr(run, handler),
                records,
                done,
                progress,  # type: ignore[arg-type]
                should_stop,  # type: ignore[arg-type]
            )
        return done

    @contextlib.contextmanager
    def session(self, *, dry_run: bool) -> Iterator[_Session]:
        """
        Units of work for one import: one per batch, committed; or, for
        a dry run, one for the whole import (every sheet), rolled back.
        """
        if not dry_run:
            yield _Session(self, None)
            return
        active = _DRY.get()
        if active is not None and active.importer is self:
            yield active
            return
        with self.store.unit_of_work(self.organization) as uow:
            session = _Session(self, uow)
            token = _DRY.set(session)
            try:
                yield session
            finally:
                _DRY.reset(token)
                uow.rollback()


class _Session:
    """Where batches go: fresh units of work, or the dry run's one."""

    def __init__(self, importer: Importer, uow: UnitOfWork | None) -> None:
        self.importer = importer
        self.uow = uow

    def feed(
        self,
        handle: Callable[[UnitOfWork, list[object]], None],
        records: Iterable[object],
        report: ImportReport,
        progress: Callable[[ImportProgress], None] | None,
        should_stop: Callable[[], bool] | None,
    ) -> None:
        importer = self.importer
        for batch in _batched(records, importer.batch_size):
            if self.uow is not None:
                handle(self.uow, batch)
            else:
                with importer.store.unit_of_work(importer.organization) as uow:
                    handle(uow, batch)
                    uow.commit()
            if progress is not None:
                progress(report.progress())
            if should_stop is not None and should_stop():
                report.interrupted = True
                break


#: The dry run in progress (so that every sheet of a file shares it).
_DRY: contextvars.ContextVar[_Session | None] = contextvars.ContextVar(
    "customer_domain_dry_run", default=None
)


def _batched(records: Iterable[object], size: int) -> Iterator[list[object]]:
    """Batches of *records*; what a foreign iterable raises becomes the
    library's error (the library's own errors, a reader's, pass)."""
    try:
        it = iter(records)
        while batch := list(itertools.islice(it, size)):
            yield batch
    except CustomerDomainError:
        raise
    except Exception as e:
        issue = Issue(
            "records",
            "invalid_type",
            None,
            {"expected": "records read from a file"},
        )
        raise ValidationError((issue,)) from e


def _has_name_key(person: Person) -> bool:
    """Whether *person* has a name key (then it has match keys)."""
    return bool(fold_name(person.last_name) or fold_name(person.first_name))


def _fingerprint(customer_id: uuid.UUID, record: PersonRecord) -> uuid.UUID:
    """The id of a person imported from *record*: same values, same id."""
    text = json.dumps(
        record.fields, sort_keys=True, default=repr, ensure_ascii=False
    )
    digest = hashlib.sha256(
        f"{customer_id}\x00{text}".encode("utf-8", "surrogatepass")
    ).hexdigest()
    return uuid.uuid5(_NAMESPACE, digest)


def _customer_id(organization: str, name_key: str) -> uuid.UUID:
    """The id of a customer created from a name only."""
    digest = hashlib.sha256(
        f"{organization}\x00customer\x00{name_key}".encode(
            "utf-8", "surrogatepass"
        )
    ).hexdigest()
    return uuid.uuid5(_NAMESPACE, digest)


#: How many customers and rows an import remembers (memory stays flat
#: whatever the size of the file).
MAX_REMEMBERED: Final = 100_000

K = TypeVar("K")
V = TypeVar("V")


class _Bounded(collections.OrderedDict[K, V]):
    """A mapping that forgets its oldest entries past *size*."""

    def __init__(self, size: int) -> None:
        super().__init__()
        self.size = size

    def __setitem__(self, key: K, value: V) -> None:
        super().__setitem__(key, value)
        if len(self) > self.size:
            self.popitem(last=False)


class _Run:
    """One import: the report, the customers seen, the pending state."""

    def __init__(
        self,
        importer: Importer,
        report: ImportReport,
        file: str,
        on_rejected: RejectedSink | None,
        dry_run: bool,
    ) -> None:
        self.importer = importer
        self.report = report
        self.file = file
        self.on_rejected = on_rejected
        self.dry_run = dry_run
        #: Customer ids by number and by folded name, for this run
        #: (bounded: a forgotten one is looked up again).
        self.by_number: _Bounded[str, uuid.UUID] = _Bounded(MAX_REMEMBERED)
        self.by_name: _Bounded[str, uuid.UUID] = _Bounded(MAX_REMEMBERED)
        #: Customers created in the current batch (and, in a dry run,
        #: in the run), by id.
        self.created: dict[uuid.UUID, Customer] = {}
        #: Rows of this run by person id (to name earlier rows; bounded:
        #: a repeat of a forgotten row is found stored, as unchanged).
        self.rows: _Bounded[uuid.UUID, Source] = _Bounded(MAX_REMEMBERED)

    # -- rows --------------------------------------------------------------

    def reject(self, record: PersonRecord, issues: Iterable[Issue]) -> None:
        problems = []
        for issue in issues:
            column = _column_of(record, issue.path)
            problems.append(RowProblem(record.source, column, issue))
        self.report.rejected += 1
        room = MAX_REPORTED - len(self.report.problems)
        if room > 0:
            self.report.problems.extend(problems[:room])
        if self.on_rejected is not None:
            self.on_rejected(record, problems)

    def customer(
        self,
        uow: UnitOfWork,
        record: PersonRecord,
        loaded: dict[uuid.UUID, Customer],
    ) -> Customer:
        """The record's customer, loaded once per batch (or created)."""
        number: object = record.customer_number
        name: object = record.customer_name
        if not isinstance(number, str) or not isinstance(name, str):
            raise ValidationError(
                (
                    Issue(
                        "customer_number",
                        "invalid_type",
                        number,
                        {"expected": "text"},
                    ),
                )
            )
        number, name = number.strip(), name.strip()
        if number:
            cid = self.by_number.get(number)
            if cid is None:
                try:
                    found = uow.customers.get_by_number(number)
                except NotFoundError:
                    if not name:
                        raise ValidationError(
                            (
                                Issue(
                                    "customer_number",
                                    "customer.unknown_number",
                                    number,
                                ),
                            )
                        ) from None
                    # A number and a name: the customer is created.
                    return self.new_customer(
                        uow, loaded, f"number\x00{number}", name, number
                    )
                cid = found.id
                loaded.setdefault(cid, found)
                self.by_number[number] = cid
            return self.load(uow, loaded, cid)
        if not name:
            raise ValidationError((Issue("customer_name", "required"),))
        key = company_name_key(name)
        if not key:
            raise ValidationError((Issue("customer_name", "required", name),))
        return self.new_customer(uow, loaded, key, name, None)

    def new_customer(
        self,
        uow: UnitOfWork,
        loaded: dict[uuid.UUID, Customer],
        key: str,
        name: str,
        number: str | None,
    ) -> Customer:
        """The customer a row names without a stored match: created once
        (its id derives from *key*, so a re-run finds it)."""
        cid = self.by_name.get(key) or _customer_id(
            self.importer.organization, key
        )
        if cid in loaded:
            return loaded[cid]
        if cid in self.created:
            return loaded.setdefault(cid, self.created[cid])
        found: Customer | None = None
        if number is None:  # (a number no customer has is new: no lookup)
            try:
                found = uow.customers.get(cid)
            except NotFoundError:
                found = None
        if found is None:
            country = self.importer.region
            found = Customer(
                name=name,
                number=number,
                id=cid,
                address={"country": country} if country else None,
            )
            self.created[cid] = found
        self.by_name[key] = cid
        if number is not None:
            self.by_number[number] = cid
        return loaded.setdefault(cid, found)

    def load(
        self,
        uow: UnitOfWork,
        loaded: dict[uuid.UUID, Customer],
        cid: uuid.UUID,
    ) -> Customer:
        """Customer *cid*, read once per batch (or the one being made)."""
        if cid not in loaded:
            made = self.created.get(cid)
            loaded[cid] = made if made is not None else uow.customers.get(cid)
        return loaded[cid]

    def build(
        self,
        uow: UnitOfWork,
        record: object,
        loaded: dict[uuid.UUID, Customer],
    ) -> _Row | None:
        if not isinstance(record, PersonRecord):
            source = Source(self.file, None, self.report.rows)
            bad = PersonRecord(source)
            self.reject(
                bad,
                [
                    Issue(
                        "",
                        "invalid_type",
                        record,
                        {"expected": "a record read from a file"},
                    )
                ],
            )
            return None
        if record.problems:
            self.reject(record, record.problems)
            return None
        try:
            customer = self.customer(uow, record, loaded)
        except ValidationError as e:
            self.reject(record, e.issues)
            return None
        fields = (
            dict(given)
            if isinstance(given := _loose(record.fields), Mapping)
            else {}
        )
        types = fields.pop("contact_types", None) or [
            self.importer.contact_type
        ]
        if isinstance(types, str):
            types = [types]
        c = Collector()
        data = read_person_fields(
            c,
            fields,
            region=customer.country or self.importer.region,
            schema=None,
        )
        if "last_name" not in fields:
            c.add("last_name", "required")
        if c:
            self.reject(record, c.issues)
            return None
        pid = _fingerprint(customer.id, record)
        person = Person._new(customer.id, data, id=pid)  # noqa: SLF001
        return _Row(
            record,
            customer,
            person,
            tuple(str(t) for t in types),
        )

    def batch(self, uow: UnitOfWork, batch: list[object]) -> None:
        report = self.report
        loaded: dict[uuid.UUID, Customer] = {}
        rows: list[_Row] = []
        for record in batch:
            report.rows += 1
            row = self.build(uow, record, loaded)
            if row is not None:
                rows.append(row)
        rows = self.drop_known(uow, rows)
        rows = self.drop_repeats(rows)
        checker = self.importer.checker
        groups = checker.check_batch(uow, [r.person for r in rows])
        decided = self.decide(uow, rows, groups)
        touched: dict[uuid.UUID, Customer] = {}
        for row in rows:
            outcome = decided.get(row.person.id)
            if outcome == "skip":
                report.skipped += 1
                continue
            if isinstance(outcome, Person):
                self.update(uow, row, outcome)
                continue
            if isinstance(outcome, DuplicateOverride):
                set_fields(row.person, duplicate_override=outcome)
            if self.attach(row):
                uow.persons.add(row.person)
                touched[row.customer.id] = row.customer
                self.rows[row.person.id] = row.record.source
                report.created += 1
        for cid, customer in touched.items():
            if cid in self.created and customer.version == 0:
                uow.customers.add(customer)
                self.created.pop(cid)
                report.customers_created += 1
            else:
                uow.customers.update(customer)

    def customer_batch(self, uow: UnitOfWork, batch: list[object]) -> None:
        """Import a batch of customers-sheet rows."""
        report = self.report
        checker = self.importer.checker
        action = self.importer.on_duplicate
        for record in batch:
            report.rows += 1
            if not isinstance(record, PersonRecord):
                self.build(uow, record, {})
                continue
            if record.problems:
                self.reject(record, record.problems)
                continue
            given = _loose(record.fields)
            fields = dict(given) if isinstance(given, Mapping) else {}
            number = fields.get("number")
            try:
                existing = self.existing_customer(uow, fields)
                if existing is not None:
                    if action is DuplicateAction.UPDATE:
                        changes = {
                            k: v for k, v in fields.items() if k != "number"
                        }
                        existing.update(**changes)
                        uow.customers.update(existing)
                        report.customers_updated += 1
                    else:
                        report.customers_unchanged += 1
                    self.remember(existing)
                    continue
                if not number:
                    key = company_name_key(str(fields.get("name") or ""))
                    fields["id"] = _customer_id(
                        self.importer.organization, key
                    )
                customer = Customer(**fields)
            except ValidationError as e:
                self.reject(record, e.issues)
                continue
            found = checker.check_customer(uow, customer)
            strong = [
                c
                for c in found.candidates
                if c.strength in (Strength.EXACT, Strength.STRONG)
            ]
            if strong and action is not DuplicateAction.CREATE:
                report.skipped += 1
                self.note_customer(record, customer, strong, "skipped")
                continue
            override = None
            if strong:
                override = DuplicateOverride(
                    by=self.importer.actor,
                    reason=f"import of {self.file or 'a file'}"[:4000],
                )
                self.note_customer(record, customer, strong, "created")
            if found and not strong:
                self.note_customer(
                    record, customer, list(found.candidates), "reported"
                )
            if override is not None:
                checker.add_customer(uow, customer, override=override)
            else:
                uow.customers.add(customer)
            report.customers_created += 1
            self.remember(customer)

    def existing_customer(
        self, uow: UnitOfWork, fields: Mapping[str, object]
    ) -> Customer | None:
        """The stored customer a customers-sheet row describes."""
        number = fields.get("number")
        if isinstance(number, str) and number.strip():
            try:
                return uow.customers.get_by_number(number.strip())
            except NotFoundError:
                return None
        name = fields.get("name")
        key = company_name_key(name) if isinstance(name, str) else ""
        if not key:
            return None
        try:
            return uow.customers.get(
                _customer_id(self.importer.organization, key)
            )
        except NotFoundError:
            return None

    def remember(self, customer: Customer) -> None:
        if customer.number:
            self.by_number[customer.number] = customer.id

    def note_customer(
        self,
        record: PersonRecord,
        customer: Customer,
        candidates: list[Any],
        action: str,
    ) -> None:
        if len(self.report.duplicates) < MAX_REPORTED:
            self.report.duplicates.append(
                RowDuplicate(
                    record.source,
                    customer.name,
                    max(
                        (c.strength for c in candidates),
                        key=_STRENGTH_ORDER.index,
                    ),
                    tuple(sorted({k for c in candidates for k in c.criteria})),
                    tuple(c.id for c in candidates),
                    (),
                    action,
                )
            )

    def drop_known(self, uow: UnitOfWork, rows: list[_Row]) -> list[_Row]:
        """Rows imported before (their id is stored) are unchanged."""
        if not rows:
            return rows
        stored = uow.match_keys.of_many([r.person.id for r in rows])
        out = []
        for row in rows:
            pid = row.person.id
            known = bool(stored.get(pid))
            # A person with keys is stored iff its keys are; one without
            # (a name that folds to nothing, no channel) is looked up.
            if not known and not _has_name_key(row.person):
                try:
                    uow.persons.get(pid)
                    known = True
                except NotFoundError:
                    known = False
            if known:
                self.report.unchanged += 1
            else:
                out.append(row)
        return out

    def drop_repeats(self, rows: list[_Row]) -> list[_Row]:
        """A row repeating an earlier row (same values) is a duplicate."""
        out = []
        seen: dict[uuid.UUID, Source] = {}
        for row in rows:
            pid = row.person.id
            first = seen.get(pid) or self.rows.get(pid)
            if first is None:
                seen[pid] = row.record.source
                out.append(row)
                continue
            self.report.skipped += 1
            self.note(
                row,
                Strength.EXACT,
                criteria=("all",),
                ids=(),
                earlier=(first,),
                action="skipped",
            )
        return out

    def note(
        self,
        row: _Row,
        strength: Strength,
        *,
        criteria: tuple[str, ...],
        ids: tuple[uuid.UUID, ...],
        earlier: tuple[Source, ...],
        action: str,
    ) -> None:
        if len(self.report.duplicates) < MAX_REPORTED:
            self.report.duplicates.append(
                RowDuplicate(
                    row.record.source,
                    row.person.full_name,
                    strength,
                    criteria,
                    ids,
                    earlier,
                    action,
                )
            )

    def decide(
        self, uow: UnitOfWork, rows: list[_Row], groups: list[Any]
    ) -> dict[uuid.UUID, object]:
        """What to do with each duplicate row of the batch."""
        action = self.importer.on_duplicate
        order = {r.person.id: i for i, r in enumerate(rows)}
        by_id = {r.person.id: r for r in rows}
        out: dict[uuid.UUID, object] = {}
        for group in groups:
            strong = group.strength in (Strength.EXACT, Strength.STRONG)
            stored = tuple(i for i in group.ids if i not in by_id)
            mine = sorted(
                (i for i in group.ids if i in by_id), key=order.__getitem__
            )
            criteria = tuple(sorted({link.criterion for link in group.links}))
            # With nothing stored, the first row of the file is kept.
            dupes = mine if stored else mine[1:]
            for pid in mine if not strong else []:
                row = by_id[pid]
                others = tuple(i for i in group.ids if i != pid)
                self.note(
                    row,
                    group.strength,
                    criteria=criteria,
                    ids=tuple(i for i in others if i not in by_id),
                    earlier=tuple(
                        by_id[i].record.source for i in others if i in by_id
                    ),
                    action="reported",
                )
            if not strong:
                continue
            for pid in dupes:
                if pid in out:
                    continue
                row = by_id[pid]
                earlier = tuple(
                    by_id[i].record.source
                    for i in mine
                    if order[i] < order[pid]
                )
                done = "skipped"
                if action is DuplicateAction.CREATE:
                    out[pid] = DuplicateOverride(
                        by=self.importer.actor,
                        reason=f"import of {self.file or 'a file'}"[:4000],
                        candidate_ids=tuple(i for i in group.ids if i != pid),
                    )
                    done = "created"
                elif action is DuplicateAction.UPDATE and (
                    target := self.target(uow, row, stored)
                ):
                    out[pid] = target
                    done = "updated"
                else:
                    out[pid] = "skip"
                self.note(
                    row,
                    group.strength,
                    criteria=criteria,
                    ids=stored,
                    earlier=earlier,
                    action=done,
                )
        return out

    def target(
        self, uow: UnitOfWork, row: _Row, stored: tuple[uuid.UUID, ...]
    ) -> Person | None:
        """The stored person with the row's e-mail, to update."""
        email = row.person.email
        if not email or not stored:
            return None
        key = MatchKey(PERSON_EMAIL, email_key(email))
        owners = uow.match_keys.lookup([key]).get(key, frozenset())
        for pid in sorted(owners & set(stored), key=lambda i: i.int):
            try:
                return uow.persons.get(pid)
            except NotFoundError:
                continue
        return None

    def update(self, uow: UnitOfWork, row: _Row, target: Person) -> None:
        fields = {
            k: v for k, v in row.record.fields.items() if k != "contact_types"
        }
        try:
            target.update(
                region=row.customer.country or self.importer.region, **fields
            )
        except ValidationError as e:
            self.reject(row.record, e.issues)
            return
        uow.persons.update(target)
        self.report.updated += 1

    def attach(self, row: _Row) -> bool:
        """Put the row's person in its contact types (created if new)."""
        customer = row.customer
        c = Collector()
        for name in row.types:
            try:
                customer.contact_type(name)
            except ValidationError:
                try:
                    customer.add_contact_type(name)
                except ValidationError as e:
                    c.merge("contact_types", e)
        if not c:
            types = customer._resolve_types(  # noqa: SLF001
                c, "contact_types", list(row.types), row.person.id
            )
        if c:
            self.reject(row.record, c.issues)
            return False
        customer._add_members(row.person.id, types)  # noqa: SLF001
        return True


def _loose(value: object) -> object:
    """*value* as read: a record built by a host may hold anything."""
    return value


def _column_of(record: PersonRecord, path: str) -> str:
    """The column (as the user wrote it) a problem's path points at."""
    given = _loose(record.columns)
    columns = given if isinstance(given, Mapping) else {}
    probe = path
    while probe:
        if probe in columns:
            return str(columns[probe])
        cut = max(probe.rfind("."), probe.rfind("["))
        probe = probe[:cut] if cut > 0 else ""
    return ""
