# SPDX-License-Identifier: MIT
"""
The SQL store: SQLite (embedded, the default) or PostgreSQL, through
SQLAlchemy 2 Core.  Install it with ``pip install customer-domain[sql]``.

>>> from customer_domain import Customer
>>> store = SqlStore("sqlite://")  # in memory; give a file path to keep it
>>> with store.unit_of_work("acme") as uow:
...     uow.customers.add(Customer(name="Hervé David", number="C-1"))
...     uow.commit()
>>> with store.unit_of_work("acme") as uow:
...     uow.customers.get_by_number("C-1").name
'Hervé David'

Each column holds the wire form of a field (:mod:`customer_domain.
serialization`): ids and timestamps as text, enums as their values,
composite values (addresses, licenses...) as JSON; channels, contact types
and their members, category links and agency assignments have tables of
their own.  :data:`metadata` describes the tables, for hosts that manage
their schema with Alembic; :data:`SCHEMA_VERSION` is recorded in the
``cd_schema`` table.

SQLite connections run with foreign keys on, WAL journaling (files) and
a busy timeout.  Transactions begin deferred: a unit of work reads in a
snapshot without any lock (readers never wait for a writer) and takes
the write lock at its first write, waiting for it if it has not read
yet; one that has read cannot wait (its snapshot would be stale) and
gets :class:`~customer_domain.exceptions.TransientStorageError` at once.
Driver errors become :class:`~customer_domain.exceptions.StorageError`
subclasses.

.. versionadded:: 0.1.0
"""

from __future__ import annotations

import contextlib
import datetime as dt
import enum
import json
import operator
import re
import threading
import types
import typing
import uuid
import weakref

from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from typing import Any, Final

import attrs


try:
    import sqlalchemy as sa

    from sqlalchemy.dialects import postgresql, sqlite
except ImportError as e:  # pragma: no cover - depends on the environment
    msg = (
        "customer_domain.storage.sql needs SQLAlchemy: "
        "pip install 'customer-domain[sql]'"
    )
    raise ImportError(msg) from e

from customer_domain.exceptions import (
    ConcurrencyError,
    DuplicateError,
    Issue,
    NotFoundError,
    StorageError,
    TransientStorageError,
)
from customer_domain.model import (
    Agency,
    AgencyAssignment,
    Category,
    Customer,
    ExternalUser,
    Person,
)
from customer_domain.model._base import uuid_from_text
from customer_domain.storage import _args, _rows
from customer_domain.storage._rows import Rows
from customer_domain.storage._uow import BaseUnitOfWork, Kind, entity_id
from customer_domain.storage.protocols import CustomerQuery, MatchKey, Page


__all__ = ["SCHEMA_VERSION", "SqlStore", "SqlUnitOfWork", "metadata"]

#: The version of the tables below; stored in ``cd_schema``.
SCHEMA_VERSION: Final = 2

#: The tables of the SQL store, for hosts' own migrations.
metadata: Final = sa.MetaData()

# Ids and sort keys compare by code point everywhere (as Python does).
_ID = sa.String(36).with_variant(sa.String(36, collation="C"), "postgresql")
_KEY = sa.Text().with_variant(sa.Text(collation="C"), "postgresql")
_ORG = sa.String(64)
_JSON = sa.JSON(none_as_null=True).with_variant(
    postgresql.JSONB(none_as_null=True), "postgresql"
)


def _column_type(  # noqa: PLR0911 -- one return per type.
    tp: Any,
) -> tuple[sa.types.TypeEngine[Any], bool]:
    """The column type of a model field's type, and whether it is nullable."""
    nullable = False
    if typing.get_origin(tp) in (types.UnionType, typing.Union):
        args = [a for a in typing.get_args(tp) if a is not type(None)]
        nullable = len(args) < len(typing.get_args(tp))
        tp = args[0] if len(args) == 1 else object
    if tp is str:
        return sa.Text(), nullable
    if tp is bool:
        return sa.Boolean(), nullable
    if tp is int:
        return sa.Integer(), nullable
    if tp is uuid.UUID:
        return _ID, nullable
    if tp is dt.datetime:
        return sa.String(40), nullable
    if tp is dt.date:
        return sa.String(10), nullable
    if isinstance(tp, type) and issubclass(tp, enum.Enum):
        return sa.String(40), nullable
    return _JSON, True


def _columns(cls: type, *, skip: Iterable[str] = ()) -> list[sa.Column[Any]]:
    hints = typing.get_type_hints(cls)
    out: list[sa.Column[Any]] = []
    for f in attrs.fields(cls):
        if f.name in ("id", "org", *skip):
            continue
        type_, nullable = _column_type(hints[f.name])
        out.append(sa.Column(f.name, type_, nullable=nullable))
    return out


def _table(name: str, *items: Any) -> sa.Table:
    return sa.Table(name, metadata, *items)


schema_table = _table(
    "cd_schema", sa.Column("version", sa.Integer, nullable=False)
)

customers = _table(
    "cd_customers",
    sa.Column("org", _ORG, primary_key=True),
    sa.Column("id", _ID, primary_key=True),
    *_columns(Customer, skip=("channels", "contact_types")),
    sa.Column("sort_key", _KEY, nullable=False),
    sa.Column("search_text", _KEY, nullable=False),
    sa.Column("postal_key", _KEY, nullable=False),
    sa.UniqueConstraint("org", "number", name="uq_cd_customers_number"),
    sa.Index("ix_cd_customers_sort", "org", "sort_key", "id"),
    sa.Index("ix_cd_customers_postal", "org", "postal_key"),
)

channels = _table(
    "cd_channels",
    sa.Column("org", _ORG, primary_key=True),
    sa.Column("owner_id", _ID, primary_key=True),
    sa.Column("position", sa.Integer, primary_key=True, autoincrement=False),
    sa.Column("kind", sa.String(40), nullable=False),
    sa.Column("value", sa.Text, nullable=False),
    sa.Column("raw", sa.Text, nullable=False),
    sa.Column("region", sa.String(8), nullable=True),
    sa.Column("primary", sa.Boolean, nullable=False),
    sa.Column("purpose", sa.String(40), nullable=False),
)

contact_types = _table(
    "cd_contact_types",
    sa.Column("org", _ORG, primary_key=True),
    sa.Column("id", _ID, primary_key=True),
    sa.Column("customer_id", _ID, nullable=False),
    sa.Column("position", sa.Integer, nullable=False),
    sa.Column("name", sa.Text, nullable=False),
    sa.Column("is_default", sa.Boolean, nullable=False),
    sa.Index("ix_cd_contact_types_customer", "org", "customer_id"),
)

contact_type_members = _table(
    "cd_contact_type_members",
    sa.Column("org", _ORG, primary_key=True),
    sa.Column("contact_type_id", _ID, primary_key=True),
    sa.Column("person_id", _ID, primary_key=True),
    sa.Column("customer_id", _ID, nullable=False),
    sa.Index("ix_cd_members_customer", "org", "customer_id"),
)

customer_categories = _table(
    "cd_customer_categories",
    sa.Column("org", _ORG, primary_key=True),
    sa.Column("customer_id", _ID, primary_key=True),
    sa.Column("category_id", _ID, primary_key=True),
    sa.Index("ix_cd_customer_categories", "org", "category_id"),
)

persons = _table(
    "cd_persons",
    sa.Column("org", _ORG, primary_key=True),
    sa.Column("id", _ID, primary_key=True),
    *_columns(Person, skip=("channels",)),
    sa.Column("sort_key", _KEY, nullable=False),
    sa.Index("ix_cd_persons_customer", "org", "customer_id", "sort_key", "id"),
)

external_users = _table(
    "cd_external_users",
    sa.Column("org", _ORG, primary_key=True),
    sa.Column("id", _ID, primary_key=True),
    *_columns(ExternalUser),
    sa.UniqueConstraint("org", "login", name="uq_cd_external_users_login"),
    sa.UniqueConstraint(
        "org", "person_id", name="uq_cd_external_users_person"
    ),
    sa.Index("ix_cd_external_users_customer", "org", "customer_id"),
)

categories = _table(
    "cd_categories",
    sa.Column("org", _ORG, primary_key=True),
    sa.Column("id", _ID, primary_key=True),
    *_columns(Category),
    sa.Column("sort_key", _KEY, nullable=False),
)

agencies = _table(
    "cd_agencies",
    sa.Column("org", _ORG, primary_key=True),
    sa.Column("customer_id", _ID, primary_key=True),
    sa.Column("version", sa.Integer, nullable=False),
)

agency_assignments = _table(
    "cd_agency_assignments",
    sa.Column("org", _ORG, primary_key=True),
    sa.Column("agency_id", _ID, primary_key=True),
    sa.Column("position", sa.Integer, primary_key=True, autoincrement=False),
    sa.Column("order_ref", sa.Text, nullable=False),
    sa.Column("customer_id", _ID, nullable=False),
    sa.Index("ix_cd_assignments_order", "org", "customer_id", "order_ref"),
)

sequences = _table(
    "cd_sequences",
    sa.Column("org", _ORG, primary_key=True),
    sa.Column("name", sa.String(64), primary_key=True),
    sa.Column("value", sa.BigInteger, nullable=False),
)

match_keys = _table(
    "cd_match_keys",
    sa.Column("org", _ORG, primary_key=True),
    sa.Column("criterion", sa.String(64), primary_key=True),
    sa.Column("value", _KEY, primary_key=True),
    sa.Column("owner_id", _ID, primary_key=True),
    # Not covering on purpose: a plan made while the table is small
    # (PostgreSQL's generic plans) must find the primary key cheaper for
    # lookups by criterion and value (index-only there), or every lookup
    # scans the organization.  SQLite is told to use it (INDEXED BY).
    sa.Index("ix_cd_match_keys_owner", "org", "owner_id"),
)

#: Reads SQLite must be told the index of: the keys of given owners,
#: which it would otherwise read through the primary key (covering, but
#: led by org alone: a scan of the organization per batch of an import).
_SQLITE_INDEXES: Final = {
    ("cd_match_keys", "owner_id"): "ix_cd_match_keys_owner",
}

#: Tables in the order inserts are flushed (parents first).
_INSERT_ORDER: Final = (
    customers,
    contact_types,
    contact_type_members,
    customer_categories,
    persons,
    channels,
    external_users,
    categories,
    agencies,
    agency_assignments,
    match_keys,
)

#: The main table of each kind, and its key column.
_MAIN: Final[Mapping[Kind, tuple[sa.Table, str]]] = {
    "customer": (customers, "id"),
    "person": (persons, "id"),
    "external_user": (external_users, "id"),
    "agency": (agencies, "customer_id"),
    "category": (categories, "id"),
}

#: Child tables of each kind, and their column naming the parent.
_CHILDREN: Final[Mapping[Kind, tuple[tuple[sa.Table, str], ...]]] = {
    "customer": (
        (channels, "owner_id"),
        (contact_type_members, "customer_id"),
        (contact_types, "customer_id"),
        (customer_categories, "customer_id"),
        (match_keys, "owner_id"),
    ),
    "person": ((channels, "owner_id"), (match_keys, "owner_id")),
    "agency": ((agency_assignments, "agency_id"),),
}

#: Unique constraints: name -> (column, issue code).
_UNIQUE: Final = {
    "uq_cd_customers_number": ("number", "storage.duplicate_number"),
    "uq_cd_external_users_login": ("login", "storage.duplicate_login"),
    "uq_cd_external_users_person": ("person_id", "storage.duplicate_user"),
}
_UNIQUE_BY_COLUMNS: Final = {
    ("cd_customers", "number"): "uq_cd_customers_number",
    ("cd_external_users", "login"): "uq_cd_external_users_login",
    ("cd_external_users", "person_id"): "uq_cd_external_users_person",
}
_SQLITE_UNIQUE: Final = re.compile(r"UNIQUE constraint failed: (.*)")
_TRANSIENT_SQLSTATES: Final = frozenset({"40001", "40P01", "55P03", "57014"})
_KIND_OF_TABLE: Final = {t.name: k for k, (t, _) in _MAIN.items()}


_Row = dict[str, Any]


def _dump_json(value: Any) -> str:
    """JSON text of a composite value; empty lists and objects are common."""
    if not value:
        if type(value) is list:
            return "[]"
        if type(value) is dict:
            return "{}"
    return json.dumps(value, ensure_ascii=False, separators=(",", ":"))


def _load_json(text: str) -> Any:
    if text == "[]":
        return []
    if text == "{}":
        return {}
    return json.loads(text)


class _DriverSql:
    """
    SQL text for the bulk paths (private): inserts, and reads of whole rows
    by one column, sent to the driver as they are (``exec_driver_sql``)
    with tuples of parameters.  Generated from :data:`metadata`, like the
    statements SQLAlchemy compiles, without their per-row processing:
    composite columns are encoded and decoded here, once.
    """

    def __init__(self, dialect: sa.Dialect, schema: str | None) -> None:
        preparer = dialect.identifier_preparer
        self._postgres = dialect.name == "postgresql"
        self._quote = preparer.quote
        self._schema = (
            "" if schema is None else f"{preparer.quote_schema(schema)}."
        )
        if dialect.paramstyle == "qmark":
            self._mark = "?"
        elif dialect.paramstyle in ("format", "pyformat"):
            self._mark = "%s"
        else:
            msg = (
                "SqlStore needs a driver with the qmark, format or pyformat"
                f" paramstyle, not {dialect.paramstyle!r}"
            )
            raise StorageError(msg)
        self._selects: dict[tuple[Any, ...], str] = {}
        self._sqlite = dialect.name == "sqlite"
        self.inserts: Final = {t.name: self._insert(t) for t in _INSERT_ORDER}
        #: ``COPY ... FROM STDIN`` of each table, through psycopg 3 only
        #: (empty for other drivers: they get ``executemany``).
        self.copies: Final = (
            {t.name: self._copy(t) for t in _INSERT_ORDER}
            if self._postgres and dialect.driver == "psycopg"
            else {}
        )

    def _name(self, table: sa.Table) -> str:
        return f"{self._schema}{self._quote(table.name)}"

    def _insert(self, table: sa.Table) -> tuple[str, Callable[[Any], Any]]:
        names = [c.name for c in table.columns]
        sql = (
            f"INSERT INTO {self._name(table)}"  # noqa: S608 -- quoted names from metadata; values bound.
            f" ({', '.join(map(self._quote, names))})"
            f" VALUES ({', '.join([self._mark] * len(names))})"
        )
        return sql, operator.itemgetter(*names)

    def _copy(self, table: sa.Table) -> str:
        names = ", ".join(self._quote(c.name) for c in table.columns)
        return f"COPY {self._name(table)} ({names}) FROM STDIN"

    def select(
        self,
        table: sa.Table,
        column: str,
        count: int,
        *,
        active: bool,
        order_by: tuple[str, ...],
    ) -> str:
        """``SELECT`` the wire columns where *column* is one of *count*."""
        key = (table.name, column, count, active, order_by)
        sql = self._selects.get(key)
        if sql is None:
            q = self._quote
            names = ", ".join(q(c) for c in _wire_columns(table, column))
            marks = ", ".join([self._mark] * count)
            hint = ""
            if self._sqlite and (table.name, column) in _SQLITE_INDEXES:
                # Without statistics SQLite prefers the covering primary
                # key and scans the organization (see _SQLITE_INDEXES).
                hint = f" INDEXED BY {q(_SQLITE_INDEXES[table.name, column])}"
            sql = (
                f"SELECT {names} FROM {self._name(table)}{hint}"  # noqa: S608 -- quoted names from metadata; values bound.
                f" WHERE {q('org')} = {self._mark}"
                f" AND {q(column)} IN ({marks})"
            )
            if active:
                sql += f" AND {q('active')} = {self._mark}"
            if order_by:
                sql += f" ORDER BY {', '.join(map(q, order_by))}"
            self._selects[key] = sql
        return sql

    def key_groups(
        self,
        org: str,
        criterion: str,
        max_owners: int | None,
        *,
        owners: bool,
    ) -> tuple[str, tuple[Any, ...]]:
        """
        Each value of a criterion that several owners share, with its
        owners' ids joined by commas (ids never hold one), or how many.
        """
        limit = () if max_owners is None else (max_owners,)
        return (
            self._key_groups(limited=max_owners is not None, owners=owners),
            (org, criterion, *limit),
        )

    def _key_groups(self, *, limited: bool, owners: bool) -> str:
        key = ("key_groups", limited, owners)
        sql = self._selects.get(key)
        if sql is None:
            q, mark = self._quote, self._mark
            having = (
                f"count(*) BETWEEN 2 AND {mark}" if limited else "count(*) > 1"
            )
            # One pass over the index range, grouped as it is read: a
            # row per shared value, not one per owner (a large base has
            # hundreds of thousands), and no second search per value.
            if not owners:
                column = "count(*)"
            elif self._postgres:
                column = f"string_agg({q('owner_id')}, ',')"
            else:
                column = f"group_concat({q('owner_id')}, ',')"
            sql = (
                f"SELECT {q('value')}, {column}"  # noqa: S608 -- quoted names; values bound.
                f" FROM {self._name(match_keys)}"
                f" WHERE {q('org')} = {mark} AND {q('criterion')} = {mark}"
                f" GROUP BY {q('value')} HAVING {having}"
                f" ORDER BY {q('value')}"
            )
            self._selects[key] = sql
        return sql

    def key_lookup(self, count: int, *, limited: bool) -> str:
        """*count* index lookups of match keys, each LIMITed if asked."""
        key = ("key_lookup", count, limited)
        sql = self._selects.get(key)
        if sql is None:
            q, mark = self._quote, self._mark
            one = (
                f"SELECT {q('criterion')}, {q('value')}, {q('owner_id')}"  # noqa: S608 -- quoted names; values bound.
                f" FROM {self._name(match_keys)}"
                f" WHERE {q('org')} = {mark} AND {q('criterion')} = {mark}"
                f" AND {q('value')} = {mark}"
            )
            if limited:
                one += f" ORDER BY {q('owner_id')} LIMIT {mark}"
            sql = " UNION ALL ".join(
                f"SELECT * FROM ({one}) AS k{i}"  # noqa: S608 -- quoted names; values bound.
                for i in range(count)
            )
            self._selects[key] = sql
        return sql


def _wire_columns(table: sa.Table, *keep: str) -> list[str]:
    """The wire columns of *table* (and *keep*), not the derived ones."""
    return [
        c.name
        for c in table.columns
        if c.name not in _rows.DERIVED or c.name in keep
    ]


def _encode(table: sa.Table, rows: list[dict[str, Any]]) -> None:
    """Turn composite values of *rows* into JSON text, in place."""
    for column in _JSON_COLUMNS[table.name]:
        for row in rows:
            value = row[column]
            if value is not None:
                row[column] = _dump_json(value)


def _decoder(
    table: sa.Table, columns: Sequence[str]
) -> Callable[[Iterable[Sequence[Any]]], list[_Row]]:
    """Rows of the driver -> wire dicts (JSON decoded, booleans as bool)."""
    json_columns = [c for c in columns if c in _JSON_COLUMNS[table.name]]
    bool_columns = [
        c for c in columns if isinstance(table.c[c].type, sa.Boolean)
    ]
    names = tuple(columns)

    def decode(rows: Iterable[Sequence[Any]]) -> list[_Row]:
        out = []
        for row in rows:
            d = dict(zip(names, row, strict=True))
            for c in json_columns:
                value = d[c]
                if type(value) is str:  # SQLite; psycopg decodes JSONB.
                    d[c] = _load_json(value)
            for c in bool_columns:
                value = d[c]
                if value is not None:
                    d[c] = value == 1
            out.append(d)
        return out

    return decode


_JSON_COLUMNS: Final = {
    t.name: frozenset(c.name for c in t.columns if isinstance(c.type, sa.JSON))
    for t in metadata.sorted_tables
}

#: Row decoders by (table, the column rows are read by).
_DECODERS: Final = {
    (t.name, column): _decoder(t, _wire_columns(t, column))
    for t, column in (
        (customers, "id"),
        (customers, "number"),
        (persons, "id"),
        (persons, "customer_id"),
        (channels, "owner_id"),
        (contact_types, "customer_id"),
        (contact_type_members, "customer_id"),
        (external_users, "id"),
        (external_users, "login"),
        (categories, "id"),
        (agencies, "customer_id"),
        (agency_assignments, "agency_id"),
        (match_keys, "owner_id"),
    )
}


#: The longest PostgreSQL identifier, in bytes (NAMEDATALEN - 1).
_MAX_SCHEMA: Final = 63
#: The longest SQLite busy timeout, in seconds (a 32-bit count of ms).
_MAX_BUSY_TIMEOUT: Final = (2**31 - 1) / 1000
_MAX_PORT: Final = 65535


def _parse_url(url: str | sa.URL) -> sa.URL:
    """
    The SQLAlchemy URL of *url*, checked before any driver is loaded:
    SQLite or PostgreSQL (plain ``postgresql://`` through psycopg 3), a
    port from 1 to 65535.
    """
    try:
        parsed = sa.make_url(url)
        backend = parsed.get_backend_name()
        port = parsed.port
    except (sa.exc.ArgumentError, ValueError, TypeError) as e:
        msg = f"not a database URL: {url!r} ({e})"
        raise StorageError(msg) from e
    shown = parsed.render_as_string(hide_password=True)
    if backend == "postgres":
        backend = "postgresql"
        parsed = parsed.set(drivername="postgresql")
    if backend not in ("sqlite", "postgresql"):
        msg = f"SqlStore supports SQLite and PostgreSQL, not {backend}"
        raise StorageError(msg)
    if port is not None and not 1 <= port <= _MAX_PORT:
        msg = f"not a database URL: {shown!r} (port {port})"
        raise StorageError(msg)
    if parsed.drivername == "postgresql":
        parsed = parsed.set(drivername="postgresql+psycopg")
    return parsed


def _engine(url: str | sa.URL) -> sa.Engine:
    """An engine for *url*, or the reason none can be made."""
    parsed = _parse_url(url)
    options: dict[str, Any] = {}
    if parsed.get_backend_name() == "sqlite" and _is_memory(parsed):
        options["poolclass"] = sa.StaticPool
        options["connect_args"] = {"check_same_thread": False}
    elif parsed.get_backend_name() == "postgresql":
        # A pooled connection whose server end died (a restart, an idle
        # timeout, pg_terminate_backend) is replaced before a unit of
        # work gets it, at the cost of one round trip per checkout.
        options["pool_pre_ping"] = True
    try:
        return sa.create_engine(
            parsed,
            json_serializer=_dump_json,
            json_deserializer=_load_json,
            **options,
        )
    except (ImportError, sa.exc.SQLAlchemyError, ValueError, TypeError) as e:
        # A driver that is not installed, options it does not take.
        shown = parsed.render_as_string(hide_password=True)
        msg = f"cannot use {shown!r}: {e}"
        raise StorageError(msg) from e


def _check_schema(schema: object) -> str | None:
    if schema is None:
        return None
    if not isinstance(schema, str):
        _args.refuse(
            "schema", "invalid_type", schema, expected="a schema name"
        )
    if (
        not schema
        or not schema.isprintable()
        or len(schema.encode(errors="replace")) > _MAX_SCHEMA
    ):
        msg = (
            f"not a PostgreSQL schema name: {schema!r} (1 to"
            f" {_MAX_SCHEMA} bytes of printable text)"
        )
        raise StorageError(msg)
    return schema


def _check_busy_timeout(busy_timeout: object) -> float:
    if isinstance(busy_timeout, bool) or not isinstance(
        busy_timeout, (int, float)
    ):
        _args.refuse(
            "busy_timeout",
            "invalid_type",
            busy_timeout,
            expected="a number of seconds",
        )
    if not 0 <= busy_timeout <= _MAX_BUSY_TIMEOUT:  # NaN compares False
        msg = (
            f"busy_timeout must be 0 to {_MAX_BUSY_TIMEOUT} seconds,"
            f" not {busy_timeout!r}"
        )
        raise StorageError(msg)
    return float(busy_timeout)


class SqlStore:
    """
    A store in a SQL database.

    Args:
        url: A SQLAlchemy URL (``"sqlite:///customers.db"``,
            ``"sqlite://"`` for memory, ``"postgresql://user@host/db"``),
            as text or a `sqlalchemy.URL`, or an `sqlalchemy.engine.Engine`
            the host configured.
        schema: A PostgreSQL schema to hold the tables (through
            SQLAlchemy's ``schema_translate_map``).
        create: Create the tables, if missing, on first use.
        busy_timeout: Seconds a SQLite writer waits for the file lock.

    Raises:
        StorageError: The URL cannot be parsed, names another database
            than SQLite or PostgreSQL, a driver that is not installed or
            an asynchronous one, or a port outside 1..65535; the schema
            name is empty or too long, or given for SQLite; the busy
            timeout is negative or too long.  At first use: the database
            cannot be reached, or holds tables of another schema version.
        ValidationError: An argument of the wrong type (its issue's path
            is the argument's name).

    .. versionadded:: 0.1.0
    """

    def __init__(
        self,
        url: str | sa.URL | sa.Engine,
        *,
        schema: str | None = None,
        create: bool = True,
        busy_timeout: float = 30.0,
    ) -> None:
        create = _args.flag("create", create)
        schema = _check_schema(schema)
        busy_timeout = _check_busy_timeout(busy_timeout)
        if isinstance(url, (str, sa.URL)):
            engine = _engine(url)
        elif isinstance(url, sa.Engine):
            engine = url
        else:
            _args.refuse(
                "url",
                "invalid_type",
                url,
                expected="a database URL or an SQLAlchemy Engine",
            )
        dialect = engine.dialect
        if dialect.name not in ("sqlite", "postgresql"):
            msg = (
                f"SqlStore supports SQLite and PostgreSQL, not {dialect.name}"
            )
            raise StorageError(msg)
        if dialect.is_async:
            msg = (
                f"SqlStore needs a synchronous driver, not {dialect.driver}"
                " (an asynchronous one)"
            )
            raise StorageError(msg)
        if dialect.name == "sqlite":
            if schema is not None:
                msg = (
                    "schema= names a PostgreSQL schema; SQLite has none"
                    f" (got {schema!r})"
                )
                raise StorageError(msg)
            _configure_sqlite(engine, busy_timeout)
        elif dialect.name == "postgresql":
            _configure_postgres(engine)
        if schema is not None:
            engine = engine.execution_options(
                schema_translate_map={None: schema}
            )
        self.engine: Final = engine
        self._sql: Final = _DriverSql(engine.dialect, schema)
        self._schema: Final = schema
        self._create = create
        self._ready = False
        self._lock = threading.Lock()
        #: SQLite files: thread id -> the unit of work that writes.
        self._writers: dict[int, SqlUnitOfWork] = {}
        self._sqlite_file: Final = dialect.name == "sqlite" and not (
            _is_memory(engine.url)
        )

    def __repr__(self) -> str:
        return f"<SqlStore {self.engine.url!r}>"

    def create_schema(self) -> None:
        """
        Create the tables if they are missing, and record the schema
        version.  Safe to call from concurrent processes.

        Tables already there at this version are only read, as any unit
        of work reads: on SQLite, without waiting for a writer.
        """
        try:
            with _connect(self.engine) as conn:
                with conn.begin():
                    found = self._versions(conn)
                if found is None:
                    # Write transaction from the start (SQLite: BEGIN
                    # IMMEDIATE): creators queue rather than collide.
                    conn.execution_options(customer_domain_begin="IMMEDIATE")
                    with conn.begin():
                        if conn.dialect.name == "postgresql":
                            conn.execute(
                                sa.text("SELECT pg_advisory_xact_lock(72177)")
                            )
                        metadata.create_all(conn, checkfirst=True)
                        found = self._versions(conn) or []
                        if not found:
                            conn.execute(
                                schema_table.insert(),
                                {"version": SCHEMA_VERSION},
                            )
                            found = [SCHEMA_VERSION]
        except sa.exc.DBAPIError as e:
            raise _translate(e) from e
        except sa.exc.SQLAlchemyError as e:
            raise StorageError(str(e)) from e
        if found != [SCHEMA_VERSION]:
            msg = (
                f"the database holds customer_domain schema version"
                f" {found}, this library uses {SCHEMA_VERSION}"
            )
            raise StorageError(msg)
        self._ready = True

    def _versions(self, conn: sa.Connection) -> list[int] | None:
        """The versions ``cd_schema`` records; None if it is missing."""
        if not sa.inspect(conn).has_table(
            schema_table.name, schema=self._schema
        ):
            return None
        return list(
            conn.execute(sa.select(schema_table.c.version)).scalars().all()
        )

    def dispose(self) -> None:
        """Close the connections of the pool."""
        self.engine.dispose()

    def unit_of_work(self, organization: str) -> SqlUnitOfWork:
        """Begin a unit of work (a transaction) in *organization*."""
        if not self._ready and self._create:
            with self._lock:
                if not self._ready:
                    self.create_schema()
        return SqlUnitOfWork(self, organization)

    # -- SQLite's write lock, within one thread -------------------------

    def _claim_write_lock(self, uow: SqlUnitOfWork) -> None:
        """
        Note that *uow* is about to write (take SQLite's write lock).

        Another unit of work of this store, in this thread, that holds
        the lock would never let it go while this one waits for it (the
        thread is waiting): refuse at once, rather than after the busy
        timeout.
        """
        thread = threading.get_ident()
        with self._lock:
            holder = self._writers.get(thread)
            if holder is not None and holder is not uow:
                msg = (
                    "database is locked: another unit of work of this"
                    " thread holds SQLite's write lock, and this one would"
                    " wait for it forever; commit or roll back the other"
                    " first"
                )
                raise TransientStorageError(msg)
            self._writers[thread] = uow

    def _release_write_lock(self, uow: SqlUnitOfWork) -> None:
        with self._lock:
            for thread, holder in list(self._writers.items()):
                if holder is uow:
                    del self._writers[thread]


def _connect(engine: sa.Engine) -> sa.Connection:
    """A connection of *engine*, or the library's error."""
    try:
        return engine.connect()
    except sa.exc.DBAPIError as e:
        raise _translate(e) from e
    except (sa.exc.SQLAlchemyError, TypeError, ValueError) as e:
        # Connection options the driver refuses.
        msg = f"cannot connect to the database: {e}"
        raise StorageError(msg) from e


def _is_memory(url: str | sa.URL) -> bool:
    database = sa.make_url(url).database
    return not database or database == ":memory:"


#: Engines whose SQLite connections are configured (once per engine).
_CONFIGURED: Final[weakref.WeakSet[sa.Engine]] = weakref.WeakSet()


def _configure_postgres(engine: sa.Engine) -> None:
    """
    No server-side prepared statements (psycopg 3): psycopg prepares a
    statement run five times, and PostgreSQL then keeps one generic plan
    made while the tables were small (a new database, or one never
    analyzed).  Every index costs the same there, and the plan kept may
    scan the whole organization for each match-key lookup as the tables
    grow (an import of 10,000 persons took five minutes).  An unnamed
    statement is planned with its values, for the tables as they are.
    Set at each checkout, so connections pooled before the store was
    made are covered too.
    """
    if engine in _CONFIGURED:
        return
    _CONFIGURED.add(engine)

    @sa.event.listens_for(engine, "checkout")
    def _checkout(dbapi_connection: Any, *_: Any) -> None:
        if getattr(dbapi_connection, "prepare_threshold", None) is not None:
            dbapi_connection.prepare_threshold = None


def _configure_sqlite(engine: sa.Engine, busy_timeout: float) -> None:
    if engine in _CONFIGURED:
        return
    _CONFIGURED.add(engine)
    memory = _is_memory(engine.url)

    @sa.event.listens_for(engine, "connect")
    def _connect(dbapi_connection: Any, _: Any) -> None:
        # Let SQLAlchemy's "begin" event below open transactions itself.
        dbapi_connection.isolation_level = None
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA foreign_keys = ON")
        cursor.execute(f"PRAGMA busy_timeout = {int(busy_timeout * 1000)}")
        if not memory:
            cursor.execute("PRAGMA journal_mode = WAL")
            cursor.execute("PRAGMA synchronous = NORMAL")
        cursor.close()

    @sa.event.listens_for(engine, "begin")
    def _begin(conn: sa.Connection) -> None:
        # Deferred: a unit of work reads in a snapshot, taking no lock (in
        # WAL, readers never wait for a writer), and takes the write lock
        # at its first write.  One that has only written so far waits for
        # the lock (busy_timeout); one that read first cannot wait (its
        # snapshot would be stale once the other commits), so SQLite
        # refuses it at once: TransientStorageError, retry from the start.
        mode = conn.get_execution_options().get(
            "customer_domain_begin", "DEFERRED"
        )
        conn.exec_driver_sql(f"BEGIN {mode}")


def _translate(
    e: sa.exc.DBAPIError, rows: Sequence[Mapping[str, Any]] = ()
) -> StorageError:
    """The library's error for driver error *e* (rows: what was written)."""
    orig = e.orig
    if isinstance(e, sa.exc.IntegrityError):
        constraint = _constraint(e)
        if constraint in _UNIQUE:
            column, code = _UNIQUE[constraint]
            values = _culprits(orig, [r.get(column) for r in rows])
            return DuplicateError(
                [Issue(column, code, v) for v in values]
                or [Issue(column, code, None)]
            )
        if constraint is not None and constraint.startswith("pk:"):
            kind = _KIND_OF_TABLE.get(constraint[3:], constraint[3:])
            ids = sorted(
                {str(r.get("id", r.get("customer_id"))) for r in rows}
            )
            return DuplicateError(
                [
                    Issue("id", "storage.duplicate_id", i, {"kind": kind})
                    for i in ids[:1]
                ]
            )
        return StorageError(f"integrity error: {orig}")
    sqlstate = getattr(orig, "sqlstate", None)
    name = getattr(orig, "sqlite_errorname", "")
    if (
        e.connection_invalidated
        or sqlstate in _TRANSIENT_SQLSTATES
        or (sqlstate or "").startswith("08")
        or name.startswith(("SQLITE_BUSY", "SQLITE_LOCKED"))
        or "database is locked" in str(orig)
    ):
        msg = f"{orig} ({name})" if name else str(orig)
        if name == "SQLITE_BUSY_SNAPSHOT":
            msg += (
                ": another unit of work wrote the database since this one"
                " first read it; retry it from the start"
            )
        return TransientStorageError(msg)
    return StorageError(str(orig))


#: PostgreSQL's detail of a unique violation: ``Key (org, number)=(o, C-1)
#: already exists.``
_PG_KEY: Final = re.compile(
    r"Key \((?P<cols>[^)]*)\)=\((?P<vals>.*)\) already"
)


def _culprits(orig: object, written: Sequence[object]) -> list[str]:
    """
    The values a unique violation is about: those written twice in the
    batch; else the one PostgreSQL names; else every value written.
    """
    seen: set[str] = set()
    twice: set[str] = set()
    for value in (str(v) for v in written if v):
        (twice if value in seen else seen).add(value)
    if twice:
        return sorted(twice)
    detail = getattr(getattr(orig, "diag", None), "message_detail", None)
    found = _PG_KEY.search(detail) if isinstance(detail, str) else None
    if found is not None:
        named = found["vals"].split(", ")[-1]
        if named in seen:
            return [named]
    return sorted(seen)


def _constraint(e: sa.exc.IntegrityError) -> str | None:
    diag = getattr(e.orig, "diag", None)
    name = getattr(diag, "constraint_name", None)
    if name:
        table = getattr(diag, "table_name", "")
        if name == f"{table}_pkey":
            return f"pk:{table}"
        return str(name)
    match = _SQLITE_UNIQUE.search(str(e.orig))
    if match is None:
        return None
    cols = [c.strip() for c in match.group(1).split(",")]
    table = cols[0].split(".")[0]
    names = tuple(c.split(".")[-1] for c in cols)
    if names[-1] != "org" and (table, names[-1]) in _UNIQUE_BY_COLUMNS:
        return _UNIQUE_BY_COLUMNS[(table, names[-1])]
    return f"pk:{table}"


class SqlUnitOfWork(BaseUnitOfWork):
    """
    A unit of work of a `SqlStore`: one database transaction.

    New rows are sent in batches before the next read and at commit:
    ``executemany``, or on PostgreSQL (psycopg 3) ``COPY ... FROM
    STDIN`` for the tables that have many; updates go at once, guarded
    by the version.

    .. versionadded:: 0.1.0
    """

    def __init__(self, store: SqlStore, organization: str) -> None:
        super().__init__(organization)
        self._store = store
        self._conn = _connect(store.engine)
        try:
            self._tx = self._conn.begin()
        except sa.exc.DBAPIError as e:
            self._conn.close()
            raise _translate(e) from e
        #: Whether this unit of work has sent a write (SQLite: holds, or
        #: asked for, the write lock).
        self._writer = False
        self._inserts: dict[str, list[dict[str, Any]]] = {}
        self.customers = _Customers(self)
        self.persons = _Persons(self)
        self.external_users = _ExternalUsers(self)
        self.agencies = _Agencies(self)
        self.categories = _Categories(self)
        self.sequences = _Sequences(self)
        self.match_keys = _MatchKeys(self)

    # -- statements ----------------------------------------------------------

    @contextlib.contextmanager
    def _db(self, rows: Sequence[Mapping[str, Any]] = ()) -> Iterator[None]:
        try:
            yield
        except sa.exc.DBAPIError as e:
            raise _translate(e, rows) from e
        except sa.exc.SQLAlchemyError as e:
            # A connection invalidated or closed under the unit of work,
            # a statement SQLAlchemy could not run: the library's error.
            raise StorageError(str(e)) from e

    def _execute(
        self, statement: Any, params: Any = None
    ) -> sa.CursorResult[Any]:
        with self._db(params if isinstance(params, list) else ()):
            return self._conn.execute(statement, params)

    def _select(self, statement: Any) -> list[_Row]:
        """The rows of *statement*, as dicts (after sending what is due)."""
        self._check_open()
        self._flush()
        with self._db():
            result = self._conn.execute(statement)
            keys = tuple(result.keys())
            return [dict(zip(keys, row, strict=True)) for row in result]

    def _fetch(
        self,
        table: sa.Table,
        column: str,
        values: Sequence[str],
        *,
        active: bool = False,
        order_by: tuple[str, ...] = (),
    ) -> list[_Row]:
        """
        The wire rows of *table* whose *column* is one of *values* (and
        active, if asked), through the driver: the bulk read path.
        """
        self._check_open()
        self._flush()
        sql = self._store._sql  # noqa: SLF001
        decode = _DECODERS[table.name, column]
        out: list[_Row] = []
        for start in range(0, len(values), _CHUNK):
            chunk = values[start : start + _CHUNK]
            params: tuple[Any, ...] = (self.organization, *chunk)
            if active:
                params += (True,)
            statement = sql.select(
                table, column, len(chunk), active=active, order_by=order_by
            )
            with self._db():
                out += decode(
                    self._conn.exec_driver_sql(statement, params).all()
                )
        return out

    def _will_write(self) -> None:
        """Before this unit of work's first write statement."""
        if not self._writer:
            if self._store._sqlite_file:  # noqa: SLF001
                self._store._claim_write_lock(self)  # noqa: SLF001
            self._writer = True

    def _stage(self, rows: Rows) -> None:
        for table, items in rows.items():
            if items:
                self._inserts.setdefault(table, []).extend(items)

    def _flush(self) -> None:
        if not self._inserts:
            return
        pending, self._inserts = self._inserts, {}
        driver_sql = self._store._sql  # noqa: SLF001
        try:
            self._will_write()
            for table in _INSERT_ORDER:
                rows = pending.get(table.name.removeprefix("cd_"))
                if not rows:
                    continue
                sql, params = driver_sql.inserts[table.name]
                copy = driver_sql.copies.get(table.name)
                _encode(table, rows)
                with self._db(rows):
                    if copy is not None and len(rows) >= _COPY_MIN_ROWS:
                        self._copy(copy, map(params, rows))
                    else:
                        self._conn.exec_driver_sql(
                            sql, list(map(params, rows))
                        )
        except BaseException as e:
            # A refused write fails the whole unit of work (ST-4).
            self._mark_failed("a write", e)
            raise

    def _copy(self, sql: str, rows: Iterable[Sequence[Any]]) -> None:
        """
        Send *rows* with PostgreSQL's ``COPY ... FROM STDIN`` (*sql*), on
        this unit of work's connection and transaction (psycopg 3 only).

        psycopg escapes the values (text format) and raises its own
        errors: they are wrapped as SQLAlchemy wraps those of a statement
        (`sqlalchemy.exc.IntegrityError`...), for ``_db`` to translate
        them as it does those of ``executemany``.
        """
        import psycopg  # noqa: PLC0415 -- only PostgreSQL stores get here.

        driver = typing.cast(
            "psycopg.Connection[Any]", self._conn.connection.driver_connection
        )
        try:
            with driver.cursor() as cursor, cursor.copy(sql) as copy:
                for row in rows:
                    copy.write_row(row)
        except psycopg.Error as e:
            # What SQLAlchemy's psycopg dialect calls a disconnect.
            lost = driver.closed or driver.broken
            wrapped = sa.exc.DBAPIError.instance(
                sql,
                None,
                e,
                psycopg.Error,
                connection_invalidated=lost,
                dialect=self._conn.dialect,
            )
            if lost:
                # As SQLAlchemy does after a statement: the pool must not
                # hand this connection out again.
                self._conn.invalidate(e)
            raise wrapped from e

    # -- writes --------------------------------------------------------------

    def _write(self, kind: Kind, obj: Any, rows: Rows, *, new: bool) -> None:
        id = entity_id(kind, obj)  # noqa: A001
        expected, version = self._versions(kind, obj, new=new)
        main_name, *_ = rows
        main = rows[main_name][0]
        main["version"] = version
        if expected is None:
            self._stage(rows)
        else:
            self._flush()
            self._will_write()
            table, key = _MAIN[kind]
            values = {k: v for k, v in main.items() if k not in ("org", key)}
            result = self._execute(
                table.update()
                .where(
                    table.c.org == self.organization,
                    table.c[key] == id,
                    table.c.version == expected,
                )
                .values(values),
                None,
            )
            if result.rowcount != 1:
                self._missing_or_stale(kind, id, obj.version)
            for child, parent in _CHILDREN.get(kind, ()):
                self._execute(
                    child.delete().where(
                        child.c.org == self.organization,
                        child.c[parent] == id,
                    )
                )
            self._stage({k: v for k, v in rows.items() if k != main_name})
        self._track(kind, obj, version)

    def _missing_or_stale(self, kind: Kind, id: str, version: int) -> None:  # noqa: A002
        table, key = _MAIN[kind]
        found = self._execute(
            sa.select(table.c.version).where(
                table.c.org == self.organization, table.c[key] == id
            )
        ).first()
        if found is None:
            raise NotFoundError(kind, id)
        raise ConcurrencyError(kind, id, version)

    # -- transaction ---------------------------------------------------------

    def _commit(self) -> None:
        self._flush()
        if self._aborted():
            # PostgreSQL answers COMMIT of a failed transaction with a
            # rollback, not an error: say so, rather than report success.
            msg = (
                "the transaction failed (a statement was refused), so"
                " nothing was written: roll back and start again"
            )
            raise StorageError(msg)
        with self._db():
            self._tx.commit()
        self._conn.close()
        self._store._release_write_lock(self)  # noqa: SLF001

    def _aborted(self) -> bool:
        """Whether the database has failed this transaction (PostgreSQL)."""
        with self._db():
            dbapi_connection = self._conn.connection.dbapi_connection
        info = getattr(dbapi_connection, "info", None)  # psycopg 3
        status = getattr(info, "transaction_status", None)
        return getattr(status, "name", None) == "INERROR"

    def _rollback(self) -> None:
        self._inserts.clear()
        self._store._release_write_lock(self)  # noqa: SLF001
        if self._conn.closed:
            return
        try:
            if self._tx.is_active:
                self._tx.rollback()
        except sa.exc.DBAPIError as e:
            # A lost connection leaves nothing to roll back: the database
            # dropped the transaction with it.  Not an error, and not one
            # to hide the host's own error in ``__exit__``.
            if not e.connection_invalidated:  # pragma: no cover
                raise _translate(e) from e
        finally:
            self._conn.close()


#: Ids per IN (...) list: well under SQLite's and PostgreSQL's limits.
_CHUNK: Final = 1000
#: New rows of one table from which PostgreSQL (psycopg 3) gets them by
#: ``COPY`` rather than ``executemany``.  Measured on a local server: at
#: 1 row COPY took 1.2-1.4x as long, at 2 to 5 about as long, from 10 on
#: 0.6-0.9x, from 100 on 0.4-0.6x.  Not Final: the tests change it.
_COPY_MIN_ROWS = 10
_KEY_ORDER: Final = operator.attrgetter("criterion", "value")
#: Match keys per lookup statement (four parameters each).
_KEYS_PER_LOOKUP: Final = 200


def _wire(table: sa.Table) -> sa.Select[Any]:
    """SELECT the wire columns of *table*, not the derived ones."""
    return sa.select(*(table.c[name] for name in _wire_columns(table)))


class _Repository:
    #: The kind of aggregate, the class of its objects, and the name of
    #: the argument that holds one in ``add`` and ``update``.
    kind: Kind
    cls: type
    argument: str

    def __init__(self, uow: SqlUnitOfWork) -> None:
        self._uow = uow

    @property
    def _org(self) -> str:
        return self._uow.organization

    def _children(
        self, table: sa.Table, parent: str, ids: Sequence[str]
    ) -> dict[str, list[_Row]]:
        """The rows of *table* under each parent, in position order."""
        out: dict[str, list[_Row]] = {i: [] for i in ids}
        order = (parent, "position") if "position" in table.c else (parent,)
        for row in self._uow._fetch(table, parent, ids, order_by=order):  # noqa: SLF001
            out[row[parent]].append(row)
        return out

    def _store(
        self, obj: Any, rows: Callable[[Any], Rows], *, new: bool
    ) -> None:
        uow = self._uow
        uow._check_open()  # noqa: SLF001
        _args.model(self.argument, obj, self.cls)
        with uow._writing():  # noqa: SLF001
            uow._write(self.kind, obj, rows(obj), new=new)  # noqa: SLF001

    def _one(self, table: sa.Table, column: str, value: object) -> _Row:
        rows = self._uow._fetch(table, column, [str(value)])  # noqa: SLF001
        if not rows:
            raise NotFoundError(self.kind, value)
        return rows[0]


class _Customers(_Repository):
    kind: Kind = "customer"
    cls = Customer
    argument = "customer"

    def _rows(self, customer: Customer) -> Rows:
        return _rows.customer_rows(self._org, customer, 0)

    def add(self, customer: Customer, /) -> None:
        self._store(customer, self._rows, new=True)

    def update(self, customer: Customer, /) -> None:
        self._store(customer, self._rows, new=False)

    def _load(self, rows: Sequence[_Row]) -> list[Customer]:
        ids = [r["id"] for r in rows]
        chans = self._children(channels, "owner_id", ids)
        cts = self._children(contact_types, "customer_id", ids)
        members = self._children(contact_type_members, "customer_id", ids)
        return [
            _rows.load_customer(
                r, chans[r["id"]], cts[r["id"]], members[r["id"]]
            )
            for r in rows
        ]

    def get(self, id: uuid.UUID, /) -> Customer:  # noqa: A002
        uow = self._uow
        uow._check_open()  # noqa: SLF001
        key = _args.identity("id", id)
        with uow._reading():  # noqa: SLF001
            return self._load([self._one(customers, "id", key)])[0]

    def get_by_number(self, number: str, /) -> Customer:
        uow = self._uow
        uow._check_open()  # noqa: SLF001
        text = _args.key_text("number", number)
        with uow._reading():  # noqa: SLF001
            return self._load([self._one(customers, "number", text)])[0]

    def search(self, query: CustomerQuery, /) -> Page[Customer]:
        uow = self._uow
        uow._check_open()  # noqa: SLF001
        query = _args.query(query)
        with uow._reading():  # noqa: SLF001
            return self._search(query)

    def _search(self, query: CustomerQuery) -> Page[Customer]:
        c = customers.c
        where: list[Any] = [c.org == self._org]
        where += [
            c.search_text.like(f"%{_escape(term)}%", escape="\\")
            for term in _rows.fold(query.text).split()
        ]
        if query.stage is not None:
            where.append(c.stage == query.stage.value)
        for name in ("active", "blocked", "is_agency"):
            wanted = getattr(query, name)
            if wanted is not None:
                where.append(c[name] == wanted)
        if query.category_id is not None:
            cc = customer_categories.c
            where.append(
                sa.exists().where(
                    cc.org == c.org,
                    cc.customer_id == c.id,
                    cc.category_id == str(query.category_id),
                )
            )
        prefix = _rows.postal_key(query.postal_code_prefix)
        if prefix:
            where.append(c.postal_key.like(f"{_escape(prefix)}%", escape="\\"))
        total = self._uow._select(  # noqa: SLF001
            sa.select(sa.func.count().label("n"))
            .select_from(customers)
            .where(*where)
        )[0]["n"]
        ids = [
            r["id"]
            for r in self._uow._select(  # noqa: SLF001
                sa.select(c.id)
                .where(*where)
                .order_by(c.sort_key, c.id)
                .offset(query.offset)
                .limit(query.limit)
            )
        ]
        # The page's ids, then their rows through the bulk read path.
        rows = {r["id"]: r for r in self._uow._fetch(customers, "id", ids)}  # noqa: SLF001
        items = self._load([rows[i] for i in ids])
        return Page(tuple(items), total, query.offset, query.limit)


def _escape(text: str) -> str:
    return text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")


class _Persons(_Repository):
    kind: Kind = "person"
    cls = Person
    argument = "person"

    def _rows(self, person: Person) -> Rows:
        return _rows.person_rows(self._org, person, 0)

    def add(self, person: Person, /) -> None:
        self._store(person, self._rows, new=True)

    def update(self, person: Person, /) -> None:
        self._store(person, self._rows, new=False)

    def _load(self, rows: Sequence[_Row]) -> list[Person]:
        chans = self._children(channels, "owner_id", [r["id"] for r in rows])
        return [_rows.load_person(r, chans[r["id"]]) for r in rows]

    def get(self, id: uuid.UUID, /) -> Person:  # noqa: A002
        uow = self._uow
        uow._check_open()  # noqa: SLF001
        key = _args.identity("id", id)
        with uow._reading():  # noqa: SLF001
            return self._load([self._one(persons, "id", key)])[0]

    def list_for(
        self, customer_id: uuid.UUID, /, *, include_inactive: bool = False
    ) -> list[Person]:
        uow = self._uow
        uow._check_open()  # noqa: SLF001
        cid = _args.identity("customer_id", customer_id)
        inactive = _args.flag("include_inactive", include_inactive)
        with uow._reading():  # noqa: SLF001
            return self._list([cid], include_inactive=inactive)[cid]

    def list_for_many(
        self,
        customer_ids: Iterable[uuid.UUID],
        /,
        *,
        include_inactive: bool = False,
    ) -> dict[uuid.UUID, list[Person]]:
        uow = self._uow
        uow._check_open()  # noqa: SLF001
        ids = _args.identities("customer_ids", customer_ids)
        inactive = _args.flag("include_inactive", include_inactive)
        with uow._reading():  # noqa: SLF001
            return self._list(ids, include_inactive=inactive)

    def _list(
        self, customer_ids: list[uuid.UUID], *, include_inactive: bool
    ) -> dict[uuid.UUID, list[Person]]:
        ids = list(dict.fromkeys(customer_ids))
        by_text = {str(cid): cid for cid in ids}
        out: dict[uuid.UUID, list[Person]] = {cid: [] for cid in ids}
        rows = self._uow._fetch(  # noqa: SLF001
            persons,
            "customer_id",
            list(by_text),
            active=not include_inactive,
            order_by=("customer_id", "sort_key", "id"),
        )
        for row, person in zip(rows, self._load(rows), strict=True):
            out[by_text[row["customer_id"]]].append(person)
        return out


class _ExternalUsers(_Repository):
    kind: Kind = "external_user"
    cls = ExternalUser
    argument = "user"

    def _rows(self, user: ExternalUser) -> Rows:
        return {
            "external_users": [_rows.external_user_row(self._org, user, 0)]
        }

    def add(self, user: ExternalUser, /) -> None:
        self._store(user, self._rows, new=True)

    def update(self, user: ExternalUser, /) -> None:
        self._store(user, self._rows, new=False)

    def get(self, id: uuid.UUID, /) -> ExternalUser:  # noqa: A002
        uow = self._uow
        uow._check_open()  # noqa: SLF001
        key = _args.identity("id", id)
        with uow._reading():  # noqa: SLF001
            return _rows.load_external_user(
                self._one(external_users, "id", key)
            )

    def get_by_login(self, login: str, /) -> ExternalUser:
        uow = self._uow
        uow._check_open()  # noqa: SLF001
        text = _args.key_text("login", login)
        with uow._reading():  # noqa: SLF001
            return _rows.load_external_user(
                self._one(external_users, "login", text)
            )

    def list_for(self, customer_id: uuid.UUID, /) -> list[ExternalUser]:
        uow = self._uow
        uow._check_open()  # noqa: SLF001
        cid = str(_args.identity("customer_id", customer_id))
        u = external_users.c
        with uow._reading():  # noqa: SLF001
            return [
                _rows.load_external_user(r)
                for r in uow._select(  # noqa: SLF001
                    _wire(external_users)
                    .where(u.org == self._org, u.customer_id == cid)
                    .order_by(u.login, u.id)
                )
            ]


class _Agencies(_Repository):
    kind: Kind = "agency"
    cls = Agency
    argument = "agency"

    def _rows(self, agency: Agency) -> Rows:
        return _rows.agency_rows(self._org, agency, 0)

    def add(self, agency: Agency, /) -> None:
        self._store(agency, self._rows, new=True)

    def update(self, agency: Agency, /) -> None:
        self._store(agency, self._rows, new=False)

    def get(self, customer_id: uuid.UUID, /) -> Agency:
        uow = self._uow
        uow._check_open()  # noqa: SLF001
        key = _args.identity("customer_id", customer_id)
        with uow._reading():  # noqa: SLF001
            row = self._one(agencies, "customer_id", key)
            links = self._children(
                agency_assignments, "agency_id", [row["customer_id"]]
            )
            return _rows.load_agency(row, links[row["customer_id"]])

    def for_order(
        self, customer_id: uuid.UUID, order_ref: str, /
    ) -> list[AgencyAssignment]:
        uow = self._uow
        uow._check_open()  # noqa: SLF001
        cid = str(_args.identity("customer_id", customer_id))
        order = _args.key_text("order_ref", order_ref)
        a = agency_assignments.c
        with uow._reading():  # noqa: SLF001
            return [
                AgencyAssignment(
                    r["order_ref"], r["customer_id"], r["agency_id"]
                )
                for r in uow._select(  # noqa: SLF001
                    sa.select(agency_assignments)
                    .where(
                        a.org == self._org,
                        a.customer_id == cid,
                        a.order_ref == order,
                    )
                    .order_by(a.agency_id)
                )
            ]


class _Categories(_Repository):
    kind: Kind = "category"
    cls = Category
    argument = "category"

    def _rows(self, category: Category) -> Rows:
        return {"categories": [_rows.category_row(self._org, category, 0)]}

    def add(self, category: Category, /) -> None:
        self._store(category, self._rows, new=True)

    def update(self, category: Category, /) -> None:
        self._store(category, self._rows, new=False)

    def get(self, id: uuid.UUID, /) -> Category:  # noqa: A002
        uow = self._uow
        uow._check_open()  # noqa: SLF001
        key = _args.identity("id", id)
        with uow._reading():  # noqa: SLF001
            return _rows.load_category(self._one(categories, "id", key))

    def list(self) -> list[Category]:
        uow = self._uow
        c = categories.c
        with uow._reading():  # noqa: SLF001
            return [
                _rows.load_category(r)
                for r in uow._select(  # noqa: SLF001
                    _wire(categories)
                    .where(c.org == self._org)
                    .order_by(c.sort_key, c.id)
                )
            ]


class _Sequences:
    def __init__(self, uow: SqlUnitOfWork) -> None:
        self._uow = uow

    def next(self, name: str, /) -> int:
        uow = self._uow
        uow._check_open()  # noqa: SLF001
        key = _args.name("name", name)
        with uow._writing():  # noqa: SLF001
            uow._will_write()  # noqa: SLF001
            insert = (
                postgresql.insert
                if uow._conn.dialect.name == "postgresql"  # noqa: SLF001
                else sqlite.insert
            )
            # One atomic statement: the row lock it takes is held until
            # the unit of work ends, so no value is handed out twice.
            stmt = (
                insert(sequences)
                .values(org=uow.organization, name=key, value=1)
                .on_conflict_do_update(
                    index_elements=[sequences.c.org, sequences.c.name],
                    set_={"value": sequences.c.value + 1},
                )
                .returning(sequences.c.value)
            )
            value: int = uow._execute(stmt).scalar_one()  # noqa: SLF001
            return value


class _MatchKeys:
    def __init__(self, uow: SqlUnitOfWork) -> None:
        self._uow = uow

    def replace(
        self, owner_id: uuid.UUID, keys: Iterable[MatchKey], /
    ) -> None:
        uow = self._uow
        uow._check_open()  # noqa: SLF001
        owner = str(_args.identity("owner_id", owner_id))
        wanted = sorted(set(_args.match_keys("keys", keys)))
        with uow._writing():  # noqa: SLF001
            uow._flush()  # noqa: SLF001
            uow._will_write()  # noqa: SLF001
            m = match_keys.c
            uow._execute(  # noqa: SLF001
                match_keys.delete().where(
                    m.org == uow.organization, m.owner_id == owner
                )
            )
            uow._stage(  # noqa: SLF001
                {
                    "match_keys": [
                        {
                            "org": uow.organization,
                            "criterion": k.criterion,
                            "value": k.value,
                            "owner_id": owner,
                        }
                        for k in wanted
                    ]
                }
            )

    def of(self, owner_id: uuid.UUID, /) -> frozenset[MatchKey]:
        uow = self._uow
        uow._check_open()  # noqa: SLF001
        owner = _args.identity("owner_id", owner_id)
        with uow._reading():  # noqa: SLF001
            return self._of([owner])[owner]

    def of_many(
        self, owner_ids: Iterable[uuid.UUID], /
    ) -> dict[uuid.UUID, frozenset[MatchKey]]:
        uow = self._uow
        uow._check_open()  # noqa: SLF001
        owners = _args.identities("owner_ids", owner_ids)
        with uow._reading():  # noqa: SLF001
            return self._of(owners)

    def _of(
        self, owner_ids: list[uuid.UUID]
    ) -> dict[uuid.UUID, frozenset[MatchKey]]:
        ids = list(dict.fromkeys(owner_ids))
        by_text = {str(i): i for i in ids}
        found: dict[uuid.UUID, set[MatchKey]] = {i: set() for i in ids}
        for row in self._uow._fetch(match_keys, "owner_id", list(by_text)):  # noqa: SLF001
            found[by_text[row["owner_id"]]].add(
                MatchKey(row["criterion"], row["value"])
            )
        return {i: frozenset(keys) for i, keys in found.items()}

    def lookup(
        self, keys: Iterable[MatchKey], /, *, limit: int | None = None
    ) -> Mapping[MatchKey, frozenset[uuid.UUID]]:
        uow = self._uow
        uow._check_open()  # noqa: SLF001
        wanted = sorted(set(_args.match_keys("keys", keys)), key=_KEY_ORDER)
        cap = _args.optional_count("limit", limit)
        with uow._reading():  # noqa: SLF001
            return self._lookup(wanted, cap)

    def _lookup(
        self, wanted: list[MatchKey], limit: int | None
    ) -> Mapping[MatchKey, frozenset[uuid.UUID]]:
        uow = self._uow
        uow._flush()  # noqa: SLF001
        found: dict[MatchKey, set[uuid.UUID]] = {}
        sql = uow._store._sql  # noqa: SLF001
        # One index range per key, each with its own LIMIT: a few keys
        # per call (a check), so a few hundred per statement at most.
        for start in range(0, len(wanted), _KEYS_PER_LOOKUP):
            chunk = wanted[start : start + _KEYS_PER_LOOKUP]
            params: list[Any] = []
            for key in chunk:
                params += [uow.organization, key.criterion, key.value]
                if limit is not None:
                    params.append(limit)
            statement = sql.key_lookup(len(chunk), limited=limit is not None)
            with uow._db():  # noqa: SLF001
                rows = uow._conn.exec_driver_sql(statement, tuple(params))  # noqa: SLF001
                for criterion, value, owner in rows.all():
                    found.setdefault(MatchKey(criterion, value), set()).add(
                        uuid_from_text(owner)
                    )
        return {k: frozenset(v) for k, v in found.items()}

    def groups(
        self, criterion: str, /, *, max_owners: int | None = None
    ) -> Iterator[tuple[str, frozenset[uuid.UUID]]]:
        shared = self._shared(criterion, max_owners, owners=True)
        return (
            (value, frozenset(map(uuid_from_text, owners.split(","))))
            for value, owners in shared
        )

    def group_sizes(
        self, criterion: str, /, *, max_owners: int | None = None
    ) -> Iterator[tuple[str, int]]:
        return self._shared(criterion, max_owners, owners=False)

    def _shared(
        self, criterion: object, max_owners: object, *, owners: bool
    ) -> Iterator[Any]:
        """Check the arguments now; stream the shared values later."""
        self._uow._check_open()  # noqa: SLF001
        name = _args.name("criterion", criterion)
        cap = _args.optional_count("max_owners", max_owners)
        return self._stream(name, cap, owners=owners)

    def _stream(
        self, criterion: str, max_owners: int | None, *, owners: bool
    ) -> Iterator[Any]:
        uow = self._uow
        with uow._reading():  # noqa: SLF001
            uow._flush()  # noqa: SLF001
            statement, params = uow._store._sql.key_groups(  # noqa: SLF001
                uow.organization, criterion, max_owners, owners=owners
            )
            # Only shared values come back: memory follows the
            # duplicates, not the base.  Read in batches through the
            # driver's own cursor, in the unit of work's transaction: its
            # rows are tuples of text and numbers, which the garbage
            # collector stops tracking (a scan of a large base reads
            # hundreds of thousands).
            dbapi = uow._conn.dialect.loaded_dbapi  # noqa: SLF001
            with uow._db():  # noqa: SLF001
                cursor = uow._conn.connection.cursor()  # noqa: SLF001
            try:
                cursor.execute(statement, params)
                while rows := cursor.fetchmany(1000):
                    yield from rows
            except dbapi.Error as e:
                # As SQLAlchemy would have wrapped it, then as every error.
                wrapped = sa.exc.DBAPIError.instance(
                    statement, params, e, dbapi.Error
                )
                if isinstance(wrapped, sa.exc.DBAPIError):
                    raise _translate(wrapped) from e
                raise
            finally:
                cursor.close()
