# SPDX-License-Identifier: MIT
"""The commands of ``customer-domain`` (click, rich)."""

from __future__ import annotations

import contextlib
import getpass
import json
import locale as _locale
import os
import pathlib
import signal
import sys
import time

from collections.abc import Iterator, Sequence
from typing import Any, Final, Literal, NoReturn, Protocol

import attrs
import click

from rich.console import Console
from rich.progress import (
    BarColumn,
    MofNCompleteColumn,
    Progress,
    TaskProgressColumn,
    TextColumn,
    TimeElapsedColumn,
    TimeRemainingColumn,
)
from rich.table import Table

from customer_domain.duplicates import DuplicateChecker, DuplicatePolicy
from customer_domain.exceptions import (
    NotFoundError,
    StorageError,
    ValidationError,
)
from customer_domain.interchange.files import export_file, import_file
from customer_domain.interchange.importing import (
    DuplicateAction,
    Importer,
    ImportReport,
)
from customer_domain.interchange.template import write_template
from customer_domain.storage.protocols import CustomerQuery, Store
from customer_domain.storage.sql import SqlStore


__all__ = ["cli", "main"]

#: Where the store is when neither ``--db`` nor the variable says.
DEFAULT_DB: Final = "customer-domain.db"
ENV_DB: Final = "CUSTOMER_DOMAIN_DB"
ENV_ORG: Final = "CUSTOMER_DOMAIN_ORG"

EXIT_OK: Final = 0
EXIT_REFUSED_ROWS: Final = 1
EXIT_USAGE: Final = 2
EXIT_INPUT: Final = 3
EXIT_STORAGE: Final = 4
EXIT_INTERRUPTED: Final = 130

Lang = Literal["en", "fr"]


def _default_lang() -> Lang:
    for name in ("LC_ALL", "LC_MESSAGES", "LANG"):
        value = os.environ.get(name, "")
        if value:
            return "fr" if value.lower().startswith("fr") else "en"
    try:
        code = _locale.getlocale()[0] or ""
    except ValueError:  # pragma: no cover - a broken locale
        code = ""
    return "fr" if code.lower().startswith("fr") else "en"


@attrs.define
class Context:
    """What every command shares: the store, the options, the output."""

    db: str
    org: str
    lang: Lang
    actor: str
    as_json: bool
    out: Console
    err: Console
    _store: Store | None = None

    @property
    def store(self) -> Store:
        if self._store is None:
            self._store = open_store(self.db)
        return self._store

    def close(self) -> None:
        if isinstance(self._store, SqlStore):
            self._store.dispose()

    def say(self, en: str, fr: str) -> None:
        """A line for people (not in ``--json`` mode)."""
        if not self.as_json:
            self.err.print(fr if self.lang == "fr" else en)

    def emit(self, data: object) -> None:
        """The result for scripts (``--json``)."""
        if self.as_json:
            click.echo(json.dumps(data, ensure_ascii=False, default=str))


def open_store(db: str) -> Store:
    """A SQL store for a path (SQLite, created) or a database URL."""
    if "://" in db:
        url = db
        if url.startswith("postgresql://"):
            url = "postgresql+psycopg://" + url.removeprefix("postgresql://")
        elif url.startswith("postgres://"):
            url = "postgresql+psycopg://" + url.removeprefix("postgres://")
        return SqlStore(url)
    path = pathlib.Path(db).expanduser()
    path.parent.mkdir(parents=True, exist_ok=True)
    return SqlStore(f"sqlite:///{path}")


class _Stop:
    """Ctrl-C asks the import to stop at the next batch boundary."""

    def __init__(self) -> None:
        self.requested = False

    def __call__(self) -> bool:
        return self.requested

    @contextlib.contextmanager
    def installed(self, ctx: Context) -> Iterator[None]:
        def handler(signum: int, frame: object) -> None:  # noqa: ARG001
            if self.requested:  # a second Ctrl-C: stop now
                raise KeyboardInterrupt
            self.requested = True
            ctx.say(
                "Stopping after this batch (Ctrl-C again to stop now)...",
                "Arrêt après ce lot (Ctrl-C de nouveau pour arrêter tout"
                " de suite)...",
            )

        try:
            previous = signal.signal(signal.SIGINT, handler)
        except ValueError:  # not the main thread
            yield
            return
        try:
            yield
        finally:
            signal.signal(signal.SIGINT, previous)


class _Update(Protocol):
    """Tells a progress bar how far a command is."""

    def __call__(self, done: int, total: int | None = None) -> None: ...


def _quiet(done: int, total: int | None = None) -> None:
    """No progress shown (not a terminal, or ``--json``)."""


@contextlib.contextmanager
def _progress(
    ctx: Context, label: str, total: int | None
) -> Iterator[_Update]:
    """A progress bar on a terminal (rows, rows/s, time left), or none."""
    if ctx.as_json or not ctx.err.is_terminal:
        yield _quiet
        return
    with Progress(
        TextColumn("[bold]{task.description}"),
        BarColumn(),
        MofNCompleteColumn(),
        TaskProgressColumn(),
        TextColumn("{task.fields[rate]} rows/s"),
        TimeElapsedColumn(),
        TimeRemainingColumn(),
        console=ctx.err,
        transient=False,
    ) as bar:
        task = bar.add_task(label, total=total, rate="-")
        started = time.perf_counter()

        def update(done: int, total: int | None = None) -> None:
            elapsed = max(time.perf_counter() - started, 1e-9)
            if total is not None:
                bar.update(task, total=total)
            bar.update(task, completed=done, rate=f"{done / elapsed:,.0f}")

        yield update


def _fail(ctx: Context, error: BaseException) -> NoReturn:
    """Print *error* for people (or JSON) and exit with its code."""
    if isinstance(error, ValidationError):
        code = EXIT_INPUT
        lines = [
            f"{i.path or '-'}: {i.message(ctx.lang)}" for i in error.issues
        ]
        data: dict[str, Any] = {
            "error": "validation",
            "issues": [
                {
                    "path": i.path,
                    "code": i.code,
                    "message": i.message(ctx.lang),
                }
                for i in error.issues
            ],
        }
    else:
        code = EXIT_STORAGE
        lines = [str(error)]
        data = {"error": "storage", "message": str(error)}
    if ctx.as_json:
        ctx.emit(data)
    else:
        for line in lines[:50]:
            ctx.err.print(f"[red]{_escape(line)}[/red]")
        if len(lines) > 50:  # noqa: PLR2004
            ctx.err.print(f"... {len(lines) - 50} more")
    ctx.close()
    sys.exit(code)


def _escape(text: str) -> str:
    from rich.markup import escape  # noqa: PLC0415

    return escape(text)


@contextlib.contextmanager
def _errors(ctx: Context) -> Iterator[None]:
    try:
        yield
    except (ValidationError, StorageError) as e:
        _fail(ctx, e)


# -- the group ----------------------------------------------------------------


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.option(
    "--db",
    envvar=ENV_DB,
    default=DEFAULT_DB,
    show_default=True,
    help=(
        "The store: a SQLite file (created if missing) or a database URL"
        f" (postgresql://...).  Also ${ENV_DB}."
    ),
)
@click.option(
    "--org",
    envvar=ENV_ORG,
    default="default",
    show_default=True,
    help=f"The organization (tenant).  Also ${ENV_ORG}.",
)
@click.option(
    "--lang",
    type=click.Choice(["en", "fr"]),
    default=None,
    help="Language of messages and headers (default: from the locale).",
)
@click.option(
    "--actor",
    default=None,
    help="Who runs the command, recorded on overrides (default: you).",
)
@click.option("--json", "as_json", is_flag=True, help="Output JSON.")
@click.pass_context
def cli(
    click_ctx: click.Context,
    db: str,
    org: str,
    lang: Lang | None,
    actor: str | None,
    as_json: bool,
) -> None:
    """Customers and their contacts: import, export, vCards, duplicates."""
    try:
        who = actor or getpass.getuser()
    except (KeyError, OSError):
        who = "customer-domain"
    ctx = Context(
        db=db,
        org=org,
        lang=lang or _default_lang(),
        actor=who,
        as_json=as_json,
        out=Console(),
        err=Console(stderr=True),
    )
    click_ctx.obj = ctx
    click_ctx.call_on_close(ctx.close)


def main(argv: Sequence[str] | None = None) -> None:
    """Run the command line (the ``customer-domain`` script)."""
    cli.main(
        args=list(argv) if argv is not None else None,
        prog_name="customer-domain",
    )


# -- template -----------------------------------------------------------------


@cli.command()
@click.argument("output", type=click.Path(dir_okay=False, writable=True))
@click.option(
    "--layout",
    type=click.Choice(["persons", "base"]),
    default="base",
    show_default=True,
    help="persons: one customer's persons; base: customers and persons.",
)
@click.pass_obj
def template(
    ctx: Context, output: str, layout: Literal["persons", "base"]
) -> None:
    """Write the XLSX import template to OUTPUT."""
    with _errors(ctx):
        write_template(output, layout=layout, locale=ctx.lang)
    ctx.say(f"Template written to {output}.", f"Modèle écrit dans {output}.")
    ctx.emit({"template": output, "layout": layout})


# -- import -------------------------------------------------------------------


def _mapping(values: Sequence[str]) -> dict[str, str]:
    out = {}
    for value in values:
        head, sep, key = value.rpartition("=")
        if not sep or not head:
            raise click.BadParameter(
                f"{value!r}: expected HEADER=column", param_hint="--map"
            )
        out[head] = key
    return out


def _count_lines(path: str) -> int | None:
    """Rows of a CSV file, roughly (for the progress bar)."""
    try:
        with open(path, "rb") as f:  # noqa: PTH123
            head = f.read(4)
            if head.startswith((b"PK", b"\xd0\xcf")):
                return None
            f.seek(0)
            return (
                sum(
                    chunk.count(b"\n")
                    for chunk in iter(lambda: f.read(1 << 20), b"")
                )
                - 1
            )
    except OSError:
        return None


@cli.command(name="import")
@click.argument("file", type=click.Path(exists=True, dir_okay=False))
@click.option(
    "--dry-run", is_flag=True, help="Check everything, write nothing."
)
@click.option(
    "--customer",
    "customer_number",
    default=None,
    help="Import the persons of this customer (by number).",
)
@click.option(
    "--on-duplicate",
    type=click.Choice([a.value for a in DuplicateAction]),
    default="skip",
    show_default=True,
    help="skip and report; create anyway (recorded); update the stored one.",
)
@click.option(
    "--errors",
    "errors_to",
    type=click.Path(dir_okay=False, writable=True),
    default=None,
    help="Write rejected rows with their problems to this file"
    " (default: FILE's name with .errors before the extension).",
)
@click.option(
    "--map",
    "maps",
    multiple=True,
    metavar="HEADER=COLUMN",
    help="Read a header as a column: --map 'Tél. bureau=phone'.",
)
@click.option("--region", default=None, help="Default phone region: FR, CA...")
@click.option(
    "--batch-size",
    type=click.IntRange(1, 10_000),
    default=500,
    show_default=True,
)
@click.option("--fuzzy", is_flag=True, help="Compare names fuzzily too.")
@click.pass_obj
def import_(
    ctx: Context,
    file: str,
    dry_run: bool,
    customer_number: str | None,
    on_duplicate: str,
    errors_to: str | None,
    maps: Sequence[str],
    region: str | None,
    batch_size: int,
    fuzzy: bool,
) -> None:
    """Import customers and persons from an XLSX, ODS or CSV FILE."""
    mapping = _mapping(maps)
    if errors_to is None:
        path = pathlib.Path(file)
        suffix = (
            ".csv" if path.suffix.lower() in (".csv", ".txt", "") else ".xlsx"
        )
        errors_to = str(path.with_name(f"{path.stem}.errors{suffix}"))
    stop = _Stop()
    with _errors(ctx):
        importer = Importer(
            ctx.store,
            ctx.org,
            checker=DuplicateChecker(DuplicatePolicy(fuzzy_names=fuzzy)),
            on_duplicate=on_duplicate,
            actor=ctx.actor,
            batch_size=batch_size,
            region=region.upper() if region else None,
        )
        total = _count_lines(file)
        with _progress(ctx, "import", total) as update, stop.installed(ctx):
            report = import_file(
                importer,
                file,
                mapping=mapping or None,
                customer_number=customer_number,
                dry_run=dry_run,
                errors_to=errors_to,
                locale=ctx.lang,
                progress=lambda p: update(p.rows),
                should_stop=stop,
            )
    _finish(ctx, report, errors_to)


def _finish(ctx: Context, report: ImportReport, errors_to: str | None) -> None:
    """Show an import's report, then exit with its code."""
    _show_report(ctx, report, errors_to)
    if report.interrupted:
        sys.exit(EXIT_INTERRUPTED)
    if report.rejected or report.skipped:
        sys.exit(EXIT_REFUSED_ROWS)


def _report_data(report: ImportReport, lang: Lang) -> dict[str, Any]:
    return {
        "dry_run": report.dry_run,
        "interrupted": report.interrupted,
        "rows": report.rows,
        "created": report.created,
        "updated": report.updated,
        "unchanged": report.unchanged,
        "skipped": report.skipped,
        "rejected": report.rejected,
        "customers_created": report.customers_created,
        "customers_updated": report.customers_updated,
        "customers_unchanged": report.customers_unchanged,
        "unknown_columns": report.unknown_columns,
        "problems": [
            {
                "file": p.source.file,
                "sheet": p.source.sheet,
                "row": p.source.row,
                "column": p.column,
                "code": p.issue.code,
                "message": p.issue.message(lang),
            }
            for p in report.problems
        ],
        "duplicates": [
            {
                "file": d.source.file,
                "sheet": d.source.sheet,
                "row": d.source.row,
                "name": d.name,
                "strength": d.strength.value,
                "criteria": list(d.criteria),
                "person_ids": [str(i) for i in d.person_ids],
                "rows": [r.row for r in d.rows],
                "action": d.action,
            }
            for d in report.duplicates
        ],
    }


def _show_report(
    ctx: Context, report: ImportReport, errors_to: str | None
) -> None:
    if ctx.as_json:
        ctx.emit(_report_data(report, ctx.lang))
        return
    fr = ctx.lang == "fr"
    if report.problems:
        table = Table(title="Lignes refusées" if fr else "Rejected rows")
        for head in (
            ("Feuille", "Ligne", "Colonne", "Problème")
            if fr
            else ("Sheet", "Row", "Column", "Problem")
        ):
            table.add_column(head)
        for p in report.problems[:200]:
            table.add_row(
                p.source.sheet or p.source.file,
                str(p.source.row),
                p.column,
                p.issue.message(ctx.lang),
            )
        ctx.err.print(table)
        if len(report.problems) > 200:  # noqa: PLR2004
            ctx.say(
                f"... and {len(report.problems) - 200} more problems.",
                f"... et {len(report.problems) - 200} autres problèmes.",
            )
    acted = [d for d in report.duplicates if d.action != "reported"]
    weak = len(report.duplicates) - len(acted)
    if acted:
        table = Table(title="Doublons" if fr else "Duplicates")
        for head in (
            ("Ligne", "Nom", "Force", "Critères", "Lignes", "Action")
            if fr
            else ("Row", "Name", "Strength", "Criteria", "Rows", "Action")
        ):
            table.add_column(head)
        for d in acted[:200]:
            table.add_row(
                str(d.source.row),
                d.name,
                d.strength.value,
                ", ".join(d.criteria),
                ", ".join(str(r.row) for r in d.rows),
                d.action,
            )
        ctx.err.print(table)
    if weak:
        ctx.say(
            f"{weak:,} rows share only weak evidence with others (a"
            " namesake at another customer...): imported, listed with"
            " --json.",
            f"{weak:,} lignes n'ont en commun avec d'autres que des indices"
            " faibles (un homonyme chez un autre client...) : importées,"
            " listées avec --json.",
        )
    for where, heads in report.unknown_columns.items():
        ctx.say(
            f"Unknown columns in {where} (not imported): {', '.join(heads)}",
            f"Colonnes inconnues dans {where} (non importées) :"
            f" {', '.join(heads)}",
        )
    summary = Table(title="Résumé" if fr else "Summary", show_header=False)
    summary.add_column()
    summary.add_column(justify="right")
    rows = [
        ("rows read", "lignes lues", report.rows),
        (
            f"persons created{' (dry run)' if report.dry_run else ''}",
            "interlocuteurs créés"
            + (" (simulation)" if report.dry_run else ""),
            report.created,
        ),
        ("persons updated", "interlocuteurs mis à jour", report.updated),
        ("already imported", "déjà importées", report.unchanged),
        ("duplicates skipped", "doublons écartés", report.skipped),
        ("rows rejected", "lignes refusées", report.rejected),
        ("customers created", "clients créés", report.customers_created),
        (
            "customers already stored",
            "clients déjà enregistrés",
            report.customers_unchanged,
        ),
    ]
    for en, fr_label, value in rows:
        summary.add_row(fr_label if fr else en, f"{value:,}")
    ctx.err.print(summary)
    if report.rejected and errors_to and not report.dry_run:
        ctx.say(
            f"Rejected rows and their problems: {errors_to}",
            f"Lignes refusées et leurs problèmes : {errors_to}",
        )
    if report.interrupted:
        ctx.say(
            "Interrupted: run the same command again to finish.",
            "Interrompu : relancez la même commande pour terminer.",
        )


# -- export -------------------------------------------------------------------


def _query(
    text: str, stage: str | None, active: bool | None, postal_code: str
) -> CustomerQuery:
    return CustomerQuery(
        text=text,
        stage=stage,
        active=active,
        postal_code_prefix=postal_code,
        limit=1000,
    )


def _format_of(path: str, given: str | None) -> Literal["csv", "xlsx"]:
    if given in ("csv", "xlsx"):
        return given  # type: ignore[return-value]
    return "csv" if path.lower().endswith((".csv", ".txt")) else "xlsx"


@cli.command()
@click.argument("output", type=click.Path(dir_okay=False, writable=True))
@click.option(
    "--what",
    type=click.Choice(["persons", "customers"]),
    default="persons",
    show_default=True,
)
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["csv", "xlsx"]),
    default=None,
    help="Default: from OUTPUT's extension.",
)
@click.option(
    "--columns",
    default=None,
    help="Comma-separated column keys (default: all).",
)
@click.option("--text", default="", help="Search words (SE-1).")
@click.option(
    "--stage", type=click.Choice(["prospect", "client"]), default=None
)
@click.option(
    "--active/--inactive",
    default=None,
    help="Only active or inactive customers.",
)
@click.option(
    "--postal-code", default="", help="Postal code prefix (a region)."
)
@click.option(
    "--delimiter",
    type=click.Choice([",", ";", "\t"]),
    default=None,
    help="CSV delimiter (default: ';' in French, ',' otherwise).",
)
@click.pass_obj
def export(
    ctx: Context,
    output: str,
    what: Literal["persons", "customers"],
    fmt: str | None,
    columns: str | None,
    text: str,
    stage: str | None,
    active: bool | None,
    postal_code: str,
    delimiter: str | None,
) -> None:
    """Export customers or their persons to an XLSX or CSV OUTPUT."""
    keys = [c.strip() for c in columns.split(",")] if columns else None
    with _errors(ctx):
        query = _query(text, stage, active, postal_code)
        total = None
        if what == "customers":
            with ctx.store.unit_of_work(ctx.org) as uow:
                total = uow.customers.search(
                    attrs.evolve(query, limit=1)
                ).total
        with _progress(ctx, "export", total) as update:
            count = export_file(
                ctx.store,
                ctx.org,
                output,
                what=what,
                query=None
                if not (text or stage or active is not None or postal_code)
                else query,
                columns=keys,
                format=_format_of(output, fmt),
                locale=ctx.lang,
                delimiter=delimiter or (";" if ctx.lang == "fr" else ","),
                progress=update,
            )
    ctx.say(
        f"{count:,} rows written to {output}.",
        f"{count:,} lignes écrites dans {output}.",
    )
    ctx.emit({"output": output, "rows": count})


# -- search and show ----------------------------------------------------------


@cli.command()
@click.argument("text", default="")
@click.option(
    "--limit", type=click.IntRange(1, 1000), default=20, show_default=True
)
@click.option("--offset", type=click.IntRange(0), default=0)
@click.pass_obj
def search(ctx: Context, text: str, limit: int, offset: int) -> None:
    """Search customers by number, name, address or remarks (SE-1)."""
    with _errors(ctx), ctx.store.unit_of_work(ctx.org) as uow:
        page = uow.customers.search(
            CustomerQuery(text=text, limit=limit, offset=offset)
        )
    if ctx.as_json:
        ctx.emit(
            {
                "total": page.total,
                "items": [
                    {
                        "id": str(c.id),
                        "number": c.number,
                        "name": c.name,
                        "city": c.address.city if c.address else "",
                        "country": c.country,
                        "active": c.active,
                    }
                    for c in page.items
                ],
            }
        )
        return
    fr = ctx.lang == "fr"
    table = Table(
        title=f"{page.total:,} " + ("clients" if fr else "customers")
    )
    for head in (
        ("Numéro", "Nom", "Ville", "Pays")
        if fr
        else ("Number", "Name", "City", "Country")
    ):
        table.add_column(head)
    for c in page.items:
        table.add_row(
            c.number or "",
            c.name,
            c.address.city if c.address else "",
            c.country or "",
        )
    ctx.out.print(table)


@cli.command()
@click.argument("key")
@click.pass_obj
def show(ctx: Context, key: str) -> None:
    """Show one customer (by number or id) and its persons."""
    import uuid  # noqa: PLC0415

    with _errors(ctx), ctx.store.unit_of_work(ctx.org) as uow:
        try:
            customer = uow.customers.get_by_number(key)
        except NotFoundError:
            try:
                ident = uuid.UUID(key)
            except ValueError:
                raise NotFoundError("customer", key) from None
            customer = uow.customers.get(ident)
        persons = uow.persons.list_for(customer.id, include_inactive=True)
    if ctx.as_json:
        from customer_domain.serialization import unstructure  # noqa: PLC0415

        ctx.emit(
            {
                "customer": unstructure(customer),
                "persons": [unstructure(p) for p in persons],
            }
        )
        return
    fr = ctx.lang == "fr"
    ctx.out.print(
        f"[bold]{_escape(customer.name)}[/bold]  {customer.number or ''}"
        f"  ({customer.country or '-'})"
    )
    table = Table()
    for head in (
        ("Nom", "Fonction", "E-mail", "Téléphones", "Types", "Actif")
        if fr
        else ("Name", "Job title", "E-mail", "Phones", "Types", "Active")
    ):
        table.add_column(head)
    for p in persons:
        phones = ", ".join(
            ch.value
            for ch in p.channels
            if ch.kind.value in ("phone", "mobile")
        )
        types = ", ".join(ct.name for ct in customer.contact_types_of(p))
        table.add_row(
            p.full_name,
            p.job_title,
            p.email or "",
            phones,
            types,
            "✓" if p.active else "✗",
        )
    ctx.out.print(table)


# -- duplicates ----------------------------------------------------------


@cli.command()
@click.option("--fuzzy", is_flag=True, help="Compare names fuzzily too.")
@click.option(
    "--customers",
    "of_customers",
    is_flag=True,
    help="Scan customers, not persons.",
)
@click.option(
    "--output",
    "-o",
    type=click.Path(dir_okay=False, writable=True),
    default=None,
    help="Also write the groups to XLSX or CSV.",
)
@click.option(
    "--limit",
    type=click.IntRange(1),
    default=50,
    show_default=True,
    help="Groups shown on the terminal.",
)
@click.pass_obj
def duplicates(
    ctx: Context,
    fuzzy: bool,
    of_customers: bool,
    output: str | None,
    limit: int,
) -> None:
    """Scan the base for potential duplicates (DU-8, BX-3)."""
    checker = DuplicateChecker(DuplicatePolicy(fuzzy_names=fuzzy))
    fr = ctx.lang == "fr"
    rows: list[list[Any]] = []
    with (
        _errors(ctx),
        _progress(ctx, "scan", None) as update,
        ctx.store.unit_of_work(ctx.org) as uow,
    ):

        def step(p: Any) -> None:
            update(p.step, p.steps)

        scan = (
            checker.scan_customers(uow, progress=step)
            if of_customers
            else checker.scan_persons(uow, progress=step)
        )
        groups = list(scan)
        for number, group in enumerate(groups, start=1):
            criteria = ", ".join(
                sorted({link.criterion for link in group.links})
            )
            for ident in group.ids:
                try:
                    record: Any = (
                        uow.customers.get(ident)
                        if of_customers
                        else uow.persons.get(ident)
                    )
                except NotFoundError:
                    continue
                if of_customers:
                    rows.append(
                        [
                            number,
                            group.strength.value,
                            criteria,
                            record.name,
                            record.number or "",
                            "",
                            str(record.id),
                        ]
                    )
                else:
                    customer = uow.customers.get(record.customer_id)
                    rows.append(
                        [
                            number,
                            group.strength.value,
                            criteria,
                            record.full_name,
                            customer.name,
                            record.email or "",
                            str(record.id),
                        ]
                    )
    heads = (
        ("Groupe", "Force", "Critères", "Nom", "Client", "E-mail", "Id")
        if fr
        else (
            "Group",
            "Strength",
            "Criteria",
            "Name",
            "Customer",
            "E-mail",
            "Id",
        )
    )
    if output:
        from customer_domain.interchange.tables import open_table_writer  # noqa: PLC0415

        with (
            _errors(ctx),
            open_table_writer(
                output,
                _format_of(output, None),
                header=list(heads),
                sheet="Doublons" if fr else "Duplicates",
            ) as writer,
        ):
            for row in rows:
                writer.write_row(row)
    if ctx.as_json:
        ctx.emit(
            {
                "groups": len(groups),
                "rows": [
                    dict(
                        zip(
                            (
                                "group",
                                "strength",
                                "criteria",
                                "name",
                                "customer",
                                "email",
                                "id",
                            ),
                            r,
                            strict=True,
                        )
                    )
                    for r in rows
                ],
            }
        )
    else:
        table = Table(
            title=f"{len(groups):,} "
            + (
                "groupes de doublons potentiels"
                if fr
                else "groups of potential duplicates"
            )
        )
        for head in heads[:-1]:
            table.add_column(head)
        for row in rows:
            if row[0] > limit:
                break
            table.add_row(*(str(v) for v in row[:-1]))
        ctx.out.print(table)
        if output:
            ctx.say(
                f"Groups written to {output}.",
                f"Groupes écrits dans {output}.",
            )
    if groups:
        sys.exit(EXIT_REFUSED_ROWS)


# -- vCard ----------------------------------------------------------------


@cli.group()
def vcard() -> None:
    """vCard export and import (IO-3, BX-8)."""


@vcard.command(name="export")
@click.argument("output", type=click.Path(dir_okay=False, writable=True))
@click.option(
    "--version",
    "card_version",
    type=click.Choice(["4.0", "3.0"]),
    default="4.0",
    show_default=True,
)
@click.option(
    "--text", default="", help="Only customers matching these words."
)
@click.option(
    "--customer",
    "customer_number",
    default=None,
    help="Only this customer (by number).",
)
@click.pass_obj
def vcard_export(
    ctx: Context,
    output: str,
    card_version: str,
    text: str,
    customer_number: str | None,
) -> None:
    """Write the persons' vCards: OUTPUT.zip (one per person) or .vcf."""
    from customer_domain.interchange.exporting import iter_persons  # noqa: PLC0415
    from customer_domain.interchange.vcard import (  # noqa: PLC0415
        write_vcard_zip,
        write_vcards,
    )

    customers: dict[object, Any] = {}
    with _errors(ctx):
        if customer_number is not None:
            with ctx.store.unit_of_work(ctx.org) as uow:
                customer = uow.customers.get_by_number(customer_number)
                persons: Any = uow.persons.list_for(customer.id)
            customers[customer.id] = customer
        else:
            query = CustomerQuery(text=text, limit=1000) if text else None
            persons = iter_persons(
                ctx.store, ctx.org, query, customers=customers
            )
        if output.lower().endswith(".vcf"):
            data = write_vcards(
                persons, customers=customers, version=card_version
            )
            pathlib.Path(output).write_text(data, encoding="utf-8")
            count = data.count("BEGIN:VCARD")
        else:
            count = write_vcard_zip(
                output, persons, customers=customers, version=card_version
            )
    ctx.say(
        f"{count:,} vCards written to {output}.",
        f"{count:,} vCards écrites dans {output}.",
    )
    ctx.emit({"output": output, "cards": count})


@vcard.command(name="import")
@click.argument("file", type=click.Path(exists=True, dir_okay=False))
@click.option(
    "--dry-run", is_flag=True, help="Check everything, write nothing."
)
@click.option(
    "--customer",
    "customer_number",
    default=None,
    help="Put every card's person in this customer (by number);"
    " otherwise the card's ORG names it (created if missing).",
)
@click.option(
    "--on-duplicate",
    type=click.Choice([a.value for a in DuplicateAction]),
    default="skip",
    show_default=True,
)
@click.option("--region", default=None, help="Default phone region: FR, CA...")
@click.pass_obj
def vcard_import(
    ctx: Context,
    file: str,
    dry_run: bool,
    customer_number: str | None,
    on_duplicate: str,
    region: str | None,
) -> None:
    """Import the persons of a .vcf FILE (vCard 2.1, 3.0 or 4.0)."""
    from customer_domain.interchange.vcard import read_vcards  # noqa: PLC0415

    stop = _Stop()
    with _errors(ctx):
        importer = Importer(
            ctx.store,
            ctx.org,
            on_duplicate=on_duplicate,
            actor=ctx.actor,
            region=region.upper() if region else None,
        )
        data = pathlib.Path(file).read_bytes()
        records: Any = read_vcards(data, file=pathlib.Path(file).name)
        if customer_number is not None:
            records = (
                attrs.evolve(r, customer_number=customer_number)
                for r in records
            )
        with _progress(ctx, "vcard", None) as update, stop.installed(ctx):
            report = importer.import_records(
                records,
                dry_run=dry_run,
                file=pathlib.Path(file).name,
                progress=lambda p: update(p.rows),
                should_stop=stop,
            )
    _finish(ctx, report, None)
