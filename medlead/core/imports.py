"""The machinery of the one import pipeline: what a kind of import is, the registry of kinds, row-by-row plans and
their errors, and the dry-run and apply driver. It imports no app.

    upload ─▶ dry run: the file is imported inside a transaction that is then rolled back, and every change it made
              (read back through a ``ChangeLog``: the audit rows it wrote) or every error (row, column, reason) is
              kept on the batch ─▶ the batch's page lists them
    confirm ─▶ the batch is queued once (a second confirm does nothing)
    worker ─▶ apply: the same import again, in one transaction: all of it, or on any error nothing

The ``imports`` app owns the batch, its tasks and its pages. Each app registers its own kinds in
``<app>/import_kinds.py`` (found by ``core.apps`` once the apps are loaded): who may run it, its columns (a template
file to download is built from them), the function that imports a file, and any options its upload form asks. A
runner validates every row, writes through the app's services (so rules, permissions and audit hold), and returns
the errors, writing nothing when there are any. Reference data a row names that does not exist (an unknown grade,
specialty, post or doctor) is an error, never created on the way.
"""

from __future__ import annotations

import csv
import datetime as dt
import difflib
import functools
import hashlib
import io
import itertools
from array import array
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from typing import TYPE_CHECKING, Any, Protocol

from django import forms
from django.core.exceptions import ValidationError
from django.db import transaction

from medlead.core.layouts import Layout, translate
from medlead.core.tabular import FileFormatError, Rows, Table, cell_problems, format_error, read_table

if TYPE_CHECKING:
    from medlead.core.policy import Perm

# (actor, trust, filename, content, params) -> errors: each a sentence "row N, column 'c': reason", or a dict with
# its line, column and reason
Runner = Callable[..., list[Any]]
# (trust, filename, content) -> the dry run's summary, for a kind that describes its own changes
Describer = Callable[..., dict[str, Any]]


class ImportOptions(forms.Form):
    """What a kind's upload form asks besides the file (a rota's name and rules, a framework's name and scale). The
    answers are kept with the batch as its ``params`` and handed to the runner, so the confirm imports exactly what
    the dry run checked."""

    def __init__(self, *args: Any, trust: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.trust = trust

    def params(self) -> dict[str, Any]:
        return {}


@dataclass(frozen=True)
class Kind:
    code: str
    label: str
    perm: Perm
    required: tuple[str, ...]
    optional: tuple[str, ...]
    example: tuple[tuple[str, ...], ...]
    runner: Runner
    # a kind whose own dry run describes changes better than the audit rows (people and posts)
    describer: Describer | None = None
    options: type[ImportOptions] | None = None
    title: str = ""  # the upload page's heading
    section: str = "trust"  # the part of the site the upload page belongs to (the navigation's highlight)
    about: str = ""  # a template with what the upload page says about this kind's rows, if anything
    # a kind whose dry run leaves a fingerprint in its summary (``ChunkedImport``): its runner is handed it back as
    # ``fingerprint``, with ``report``, a dict it fills with what the apply did
    fingerprinted: bool = False

    @property
    def columns(self) -> tuple[str, ...]:
        return self.required + self.optional

    @property
    def spec(self) -> dict[str, list[str]]:
        """The columns as the readers take them (``core.tabular.read_with_header``)."""
        return {"required": list(self.required), "optional": list(self.optional)}

    def template_csv(self) -> str:
        """A CSV file with the kind's columns and an example row, to fill in."""
        out = io.StringIO()
        writer = csv.writer(out)
        writer.writerow(self.columns)
        writer.writerows(self.example)
        return out.getvalue()


KINDS: dict[str, Kind] = {}


def register(kind: Kind) -> Kind:
    """Add a kind of import (from its app's ``import_kinds`` module). Two kinds with one code is a mistake."""
    known = KINDS.get(kind.code)
    if known is not None and known != kind:
        raise ValueError(f"Two import kinds are called {kind.code!r}.")
    KINDS[kind.code] = kind
    return kind


# ------------------------------------------------------------------------------------------- row errors


@dataclass
class RowError:
    line: int
    column: str
    reason: str

    def __str__(self) -> str:
        where = f"row {self.line}" + (f", column '{self.column}'" if self.column else "")
        return f"{where}: {self.reason}"

    def as_dict(self) -> dict[str, Any]:
        return {"line": self.line, "column": self.column, "reason": self.reason}


def as_error(error: Any) -> dict[str, Any]:
    """Errors as the batch page shows them: line, column and reason when the importer gave them apart."""
    if isinstance(error, RowError):
        return error.as_dict()
    if isinstance(error, dict):
        return error
    return {"line": None, "column": "", "reason": str(error)}


# --------------------------------------------------------------------------- row-by-row plans (people, posts)


@dataclass
class Plan:
    kind: str
    rows: int = 0
    errors: list[RowError] = field(default_factory=list)
    creates: list[str] = field(default_factory=list)
    updates: list[str] = field(default_factory=list)
    unchanged: int = 0
    # what the apply step executes, in the order its planner left them
    _ops: list[Any] = field(default_factory=list, repr=False)

    @property
    def ok(self) -> bool:
        return not self.errors

    def summary(self) -> dict[str, Any]:
        return {
            "kind": self.kind,
            "rows": self.rows,
            "creates": len(self.creates),
            "updates": len(self.updates),
            "unchanged": self.unchanged,
            "errors": [e.as_dict() for e in self.errors],
            "changes": (self.creates + self.updates)[:500],
        }


class ImportFailed(Exception):
    def __init__(self, plan: Plan) -> None:
        super().__init__(f"{len(plan.errors)} errors")
        self.plan = plan


@dataclass(frozen=True)
class RowImport:
    """An import that plans every row before it writes any (people, posts): ``plan`` validates the file and says
    what would change, touching nothing (the dry run); ``apply`` plans again and writes the whole file in one
    transaction, or on any error nothing (``ImportFailed`` carries the errors)."""

    kind: str
    required: tuple[str, ...]
    optional: tuple[str, ...]
    planner: Callable[[Any, Table, Plan], None]  # (trust, table, plan): fills the plan's changes, errors and ops
    applier: Callable[[Any, Plan, Any], None]  # (trust, plan, actor): writes the plan's ops

    def plan(self, *, trust: Any, filename: str, content: bytes) -> Plan:
        plan = Plan(kind=self.kind)
        try:
            table = read_table(filename, content)
        except FileFormatError as exc:
            plan.errors.append(RowError(1, "", str(exc)))
            return plan
        plan.rows = len(table.rows)
        if not table.rows:
            plan.errors.append(RowError(1, "", "The file has a header row but no data rows."))
            return plan
        if check_columns(table, self.required, self.optional, plan):
            self.planner(trust, table, plan)
        return plan

    def apply(self, *, trust: Any, filename: str, content: bytes, actor: Any) -> Plan:
        with transaction.atomic():
            plan = self.plan(trust=trust, filename=filename, content=content)
            if not plan.ok:
                raise ImportFailed(plan)
            self.applier(trust, plan, actor)
            if not plan.ok:  # an error only visible once earlier rows exist (e.g. a reporting loop)
                raise ImportFailed(plan)  # leaving the atomic block by an exception rolls everything back
        return plan

    def run(self, *, actor: Any, trust: Any, filename: str, content: bytes, params: dict[str, Any]) -> list[Any]:
        """The kind's runner for the pipeline."""
        try:
            self.apply(trust=trust, filename=filename, content=content, actor=actor)
        except ImportFailed as failed:
            return [e.as_dict() for e in failed.plan.errors]
        return []

    def describe(self, *, trust: Any, filename: str, content: bytes) -> dict[str, Any]:
        """The kind's describer for the pipeline: the plan, in words."""
        return self.plan(trust=trust, filename=filename, content=content).summary()


# ------------------------------------------------------------------ imports that stream (people; ADR 0031)

CHUNK_ROWS = 2000  # rows planned, and written, together
KEEP_CHANGES = 500  # change lines a plan keeps of each sort (it counts them all)
FINGERPRINT_FORMAT = "1"  # changed whenever what a chunk's state digest covers changes


@dataclass
class StreamPlan(Plan):
    """A plan that never holds a file's rows: it counts every change but keeps only the first ``KEEP_CHANGES``
    lines of each sort to show, and every error. ``fingerprint`` says what the dry run read (``ChunkedImport``)."""

    created: int = 0
    updated: int = 0
    fingerprint: str = ""
    replanned: bool = False  # an apply that found the records changed since the dry run, and planned again

    def create(self, line: str) -> None:
        self.created += 1
        if len(self.creates) < KEEP_CHANGES:
            self.creates.append(line)

    def update(self, line: str) -> None:
        self.updated += 1
        if len(self.updates) < KEEP_CHANGES:
            self.updates.append(line)

    def summary(self) -> dict[str, Any]:
        return super().summary() | {
            "creates": self.created,
            "updates": self.updated,
            "fingerprint": self.fingerprint,
            "replanned": self.replanned,
        }


class Repeats:
    """The values of a file's key columns (a staff number) that appear on more than one row, found without keeping
    every value: pass 1 keeps 8 bytes a row (a hash), and afterwards only the values whose hash repeats are watched,
    with the line they were first seen on. A hash shared by two different values only makes both watched."""

    def __init__(self, columns: tuple[str, ...]) -> None:
        self.columns = columns
        self._hashes = {c: array("q") for c in columns}
        self._watched: dict[str, set[int]] = {}
        self._first: dict[tuple[str, str], int] = {}

    def add(self, row: dict[str, str]) -> None:
        for column in self.columns:
            value = row.get(column, "")
            if value:
                self._hashes[column].append(hash(value))

    def close(self) -> None:
        for column, hashes in self._hashes.items():
            ordered = sorted(hashes)
            self._watched[column] = {a for a, b in itertools.pairwise(ordered) if a == b}
        self._hashes = {}

    def earlier(self, column: str, value: str, line: int) -> int | None:
        """The line ``value`` was first seen on in ``column``, if before ``line`` (rows are met in file order)."""
        if not value or hash(value) not in self._watched.get(column, ()):
            return None
        first = self._first.setdefault((column, value), line)
        return first if first != line else None


class ChunkPlanner(Protocol):
    """An app's part of an import that streams: the driver (``ChunkedImport``) reads the file, the planner says what
    each chunk of rows means, and writes it."""

    def begin(self, trust: Any, state: Any) -> Any:
        """The import's context (the trust's reference data a row may name), its state fed to ``state``
        (a ``hashlib`` object)."""
        ...

    def survey(self, context: Any, line: int, row: dict[str, str], plan: StreamPlan) -> None:
        """Pass 1, every row before any is planned: what the file as a whole says (a new specialty asked for)."""
        ...

    def chunk(
        self, context: Any, rows: list[tuple[int, dict[str, str]]], plan: StreamPlan, state: Any, checks: Repeats | None
    ) -> list[Any]:
        """The chunk's changes (counted on ``plan``) and the operations that make them. Feeds ``state`` the stored
        values of every record the rows were matched with. ``checks`` is None when the rows are known to be valid
        (the dry run of these very bytes found no error, against records in the same state): nothing is checked."""
        ...

    def write(self, context: Any, ops: list[Any], actor: Any) -> None:
        """Write a chunk's operations through the app's services (saved and audited)."""
        ...


class _Changed(Exception):
    """Raised to roll back an apply that found the records changed since the dry run."""


@dataclass(frozen=True)
class ChunkedImport:
    """An import that reads its file in chunks (people, from a national staff extract; ADR 0031). Memory stays flat
    in the file's size: nothing keeps a row once its chunk is planned (and, in the apply, written).

    ``plan`` (the dry run) reads the file twice: pass 1 checks every cell and finds the keys repeated in the file
    and whatever the planner surveys; pass 2 plans chunk by chunk, matching each chunk's rows with the trust's
    records in one query. It leaves a fingerprint: the file's hash and a digest of the state of the records each
    chunk was matched with (and of the reference data). ``apply`` given that fingerprint plans nothing again: it
    reads the chunks, writes them and checks each chunk's digest *before* writing it; at the first difference (a
    record changed since the dry run) it rolls back what it wrote and plans again honestly, writing chunk by chunk
    while no error is found. All or nothing, in the caller's transaction: on any error, ``ImportFailed``."""

    kind: str
    required: tuple[str, ...]
    optional: tuple[str, ...]
    unique: tuple[str, ...]  # columns whose value may appear on one row only
    planner: ChunkPlanner

    def plan(self, *, trust: Any, filename: str, content: bytes) -> StreamPlan:
        return self._checked(trust, filename, content)

    def apply(self, *, trust: Any, filename: str, content: bytes, actor: Any, fingerprint: str = "") -> StreamPlan:
        with transaction.atomic():
            if fingerprint:
                try:
                    with transaction.atomic():  # a savepoint: a changed record undoes only this attempt
                        return self._trusted(trust, filename, content, actor, fingerprint)
                except _Changed:
                    pass
            plan = self._checked(trust, filename, content, writer=actor)
            plan.replanned = bool(fingerprint)
            if not plan.ok:
                raise ImportFailed(plan)  # leaving the atomic block by an exception rolls everything back
        return plan

    def run(
        self,
        *,
        actor: Any,
        trust: Any,
        filename: str,
        content: bytes,
        params: dict[str, Any],
        fingerprint: str = "",
        report: dict[str, Any] | None = None,
    ) -> list[Any]:
        """The kind's runner for the pipeline; ``report`` gets what the apply did (``StreamPlan.summary``)."""
        try:
            plan = self.apply(trust=trust, filename=filename, content=content, actor=actor, fingerprint=fingerprint)
        except ImportFailed as failed:
            return [e.as_dict() for e in failed.plan.errors]
        if report is not None:
            report |= plan.summary()
        return []

    def describe(self, *, trust: Any, filename: str, content: bytes) -> dict[str, Any]:
        """The kind's describer for the pipeline: the plan, in words."""
        return self.plan(trust=trust, filename=filename, content=content).summary()

    def _checked(self, trust: Any, filename: str, content: bytes, writer: Any = None) -> StreamPlan:
        """Plan every row with every check; given the ``writer`` (the actor applying the file), write each chunk
        while the plan has no error. A dry run names none: it writes nothing."""
        plan = StreamPlan(kind=self.kind)
        state = hashlib.blake2b(digest_size=8)
        context = self.planner.begin(trust, state)
        digests = [state.hexdigest()]
        try:
            rows = Rows(filename, content)
            repeats, surveyed = self._survey(context, rows, plan)
        except FileFormatError as exc:
            plan.errors = [RowError(1, "", str(exc))]
            return plan
        if not plan.rows:
            plan.errors = [RowError(1, "", "The file has a header row but no data rows.")]
            return plan
        if not check_columns(Table(rows.columns, []), self.required, self.optional, plan):
            return plan
        plan.errors = surveyed.errors
        for chunk in _chunks(rows):
            state = hashlib.blake2b(digest_size=8)
            ops = self.planner.chunk(context, chunk, plan, state, repeats)
            digests.append(state.hexdigest())
            if writer is not None and plan.ok:
                self.planner.write(context, ops, writer)
        plan.fingerprint = self._fingerprint(content, digests)
        return plan

    def _survey(self, context: Any, rows: Rows, plan: StreamPlan) -> tuple[Repeats, StreamPlan]:
        """Pass 1: every cell checked as text, the rows counted, repeated keys found, the planner's survey (its
        errors kept apart, shown only if the header is right)."""
        repeats = Repeats(self.unique)
        surveyed = StreamPlan(kind=self.kind)
        problems: list[str] = []
        total = 0
        for line, row in rows:
            plan.rows += 1
            found = cell_problems(line, row)
            if found:
                total += len(found)
                problems += found[: max(0, 20 - len(problems))]
            repeats.add(row)
            self.planner.survey(context, line, row, surveyed)
        error = format_error(rows.columns, problems, total=total)
        if error is not None:
            raise error
        repeats.close()
        return repeats, surveyed

    def _trusted(self, trust: Any, filename: str, content: bytes, actor: Any, fingerprint: str) -> StreamPlan:
        """Write the file the dry run checked, chunk by chunk, while each chunk finds the records as the dry run
        found them; ``_Changed`` at the first that does not."""
        plan = StreamPlan(kind=self.kind)
        expected = fingerprint.split(":")
        if len(expected) != 3 or expected[:2] != self._fingerprint(content, []).split(":")[:2]:
            raise _Changed  # another file, or another format of fingerprint
        digests = expected[2].split(",")
        state = hashlib.blake2b(digest_size=8)
        context = self.planner.begin(trust, state)
        if state.hexdigest() != digests[0]:
            raise _Changed
        number = 0
        for number, chunk in enumerate(_chunks(Rows(filename, content)), start=1):
            plan.rows += len(chunk)
            state = hashlib.blake2b(digest_size=8)
            ops = self.planner.chunk(context, chunk, plan, state, None)
            if number >= len(digests) or state.hexdigest() != digests[number]:
                raise _Changed
            self.planner.write(context, ops, actor)
        if len(digests) != number + 1:
            raise _Changed
        plan.fingerprint = fingerprint
        return plan

    def _fingerprint(self, content: bytes, digests: list[str]) -> str:
        """ "<format and kind>:<the file's hash>:<the state digests, the reference data's then each chunk's>"."""
        return f"{FINGERPRINT_FORMAT}/{self.kind}:{hashlib.sha256(content).hexdigest()}:{','.join(digests)}"


def _chunks(rows: Iterable[tuple[int, dict[str, str]]]) -> Iterator[list[tuple[int, dict[str, str]]]]:
    iterator = iter(rows)
    while chunk := list(itertools.islice(iterator, CHUNK_ROWS)):
        yield chunk


TRUE_WORDS = {"yes", "y", "true", "1"}
FALSE_WORDS = {"no", "n", "false", "0", ""}


def check_columns(table: Table, required: tuple[str, ...], optional: tuple[str, ...], plan: Plan) -> bool:
    known = set(required) | set(optional)
    for col in required:
        if col not in table.columns:
            plan.errors.append(RowError(1, col, "This required column is missing from the header row."))
    for col in table.columns:
        if col not in known:
            plan.errors.append(RowError(1, col, f"Unknown column. Known columns: {', '.join(sorted(known))}."))
    return not plan.errors


def decimal_cell(value: str, line: int, column: str, plan: Plan) -> Decimal | None:
    if value == "":
        return None
    try:
        return Decimal(value)
    except InvalidOperation:
        plan.errors.append(RowError(line, column, f"'{value}' is not a number."))
        return None


def date_cell(value: str, line: int, column: str, plan: Plan) -> dt.date | None:
    if value == "":
        return None
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        plan.errors.append(RowError(line, column, f"'{value}' is not a date in the form YYYY-MM-DD."))
        return None


def bool_cell(value: str, line: int, column: str, plan: Plan) -> bool:
    word = value.strip().lower()
    if word in TRUE_WORDS:
        return True
    if word not in FALSE_WORDS:
        plan.errors.append(RowError(line, column, f"'{value}' is not yes or no."))
    return False


@functools.cache
def _choice_lookup(choices: Any) -> dict[str, str]:
    """A choice's value and its label (in lower case) to its value: made once per set of choices, not per row."""
    return {c.value: c.value for c in choices} | {c.label.lower(): c.value for c in choices}


def choice_cell(value: str, choices: Any, line: int, column: str, plan: Plan, default: str = "") -> str:
    if value == "":
        return default
    found = _choice_lookup(choices).get(value.strip().lower())
    if found is None:
        names = "; ".join(str(c.label) for c in choices)
        plan.errors.append(RowError(line, column, f"'{value}' is not a {column} medlead knows. Use one of: {names}."))
        return default
    return found


def did_you_mean(value: str, names: Any) -> str:
    """ " — did you mean 'Cardiology'?" for a name typed close to one that exists (``difflib``), else ""."""
    by_lower = {str(n).lower(): str(n) for n in names}
    close = difflib.get_close_matches(value.strip().lower(), list(by_lower), n=3, cutoff=0.6)
    if not close:
        return ""
    return " — did you mean " + " or ".join(f"'{by_lower[c]}'" for c in close) + "?"


def unknown_name(what: str, value: str, names: Any) -> str:
    """The reason a row names reference data that does not exist: "No specialty called 'Cardiolgy' — did you mean
    'Cardiology'?"."""
    return f"No {what} called '{value}'" + (did_you_mean(value, names) or " in this trust.")


def model_errors(
    exc: ValidationError, line: int, plan: Plan, skip_columns: frozenset[str] | set[str] = frozenset()
) -> None:
    """Add a model's validation errors, except for columns this row already has an error for."""
    for column, messages in exc.message_dict.items():
        if column in skip_columns:
            continue
        for message in messages:
            plan.errors.append(RowError(line, "" if column == "__all__" else column, message))


# ------------------------------------------------------------------------------------- the driver


class Batch(Protocol):
    """What the driver reads of a batch: the ``imports`` app's ``ImportBatch``, saved or not."""

    kind: str
    filename: str
    content: Any  # bytes, or the memoryview a database gives back
    params: dict[str, Any]
    trust: Any


class ChangeLog(Protocol):
    """Where the driver reads back what an import wrote (the audit trail), to list it."""

    def marker(self) -> int:
        """A point in the log: changes written after it are the import's."""
        ...

    def since(self, marker: int, actor: Any, trust_id: int) -> tuple[int, int, list[str]]:
        """(records added, records changed, one line for each) written after ``marker``."""
        ...


class _DryRun(Exception):
    """Raised to roll the dry run's transaction back."""


@dataclass
class _Prepared:
    filename: str
    content: bytes
    params: dict[str, Any]
    errors: list[str]
    skipped: int
    # medlead's column -> the heading the uploaded file gives it (a national file's layout), for the errors
    headings: dict[str, str] = field(default_factory=dict)

    def in_file_terms(self, errors: list[Any]) -> list[dict[str, Any]]:
        """Every error as the batch page shows it, naming the column as the file names it ("Registration Number",
        not gmc_number)."""
        shown = [as_error(e) for e in errors]
        return [e | {"column": self.headings.get(e.get("column") or "", e.get("column") or "")} for e in shown]


def _prepare(kind: Kind, filename: str, content: bytes, params: dict[str, Any]) -> _Prepared:
    """A national file (``params['layout']``, kept with the batch) rewritten in the kind's own columns; any other
    file as it came."""
    if not params.get("layout"):
        return _Prepared(filename, content, params, [], 0)
    layout = Layout.from_params(params["layout"])
    done = translate(layout, filename, content, kind.columns, kind.required)
    rest = {k: v for k, v in params.items() if k != "layout"}
    return _Prepared(done.filename, done.content, rest, done.errors, done.skipped, layout.headings())


def dry_run(*, actor: Any, batch: Batch, changes: ChangeLog) -> dict[str, Any]:
    """Every change the batch's file would make, or every error, with nothing kept."""
    kind = KINDS[batch.kind]
    summary: dict[str, Any]
    run = _prepare(kind, batch.filename, _as_bytes(batch.content), batch.params)
    if run.errors:
        summary = {"kind": kind.code, "rows": 0, "creates": 0, "updates": 0, "unchanged": 0, "changes": []}
        summary["errors"] = [as_error(e) for e in run.errors]
    elif kind.describer is not None:
        summary = kind.describer(trust=batch.trust, filename=run.filename, content=run.content)
        summary["errors"] = run.in_file_terms(summary.get("errors", []))
    else:
        summary = {}
        try:
            with transaction.atomic():
                marker = changes.marker()
                errors = kind.runner(
                    actor=actor, trust=batch.trust, filename=run.filename, content=run.content, params=run.params
                )
                creates, updates, lines = changes.since(marker, actor, batch.trust.pk)
                summary = {
                    "kind": kind.code,
                    "rows": _row_count(run.filename, run.content),
                    "creates": 0 if errors else creates,
                    "updates": 0 if errors else updates,
                    "unchanged": 0,
                    "errors": run.in_file_terms(errors),
                    "changes": [] if errors else lines[:500],
                }
                raise _DryRun
        except _DryRun:
            pass
    summary["skipped"] = run.skipped
    return summary


def apply(*, actor: Any, batch: Batch, summary: dict[str, Any], changes: ChangeLog) -> dict[str, Any]:
    """Import a confirmed batch for real, all or nothing. Returns its dry run's ``summary`` brought up to date:
    what happened, or the errors and ``failed``."""
    kind = KINDS[batch.kind]
    run = _prepare(kind, batch.filename, _as_bytes(batch.content), batch.params)
    summary = dict(summary)
    try:
        with transaction.atomic():
            marker = changes.marker()
            report: dict[str, Any] = {}
            # a kind that streams is handed back what its dry run read, so that it need not plan the file again
            extra = {"fingerprint": summary.get("fingerprint", ""), "report": report} if kind.fingerprinted else {}
            errors = run.errors or kind.runner(
                actor=actor, trust=batch.trust, filename=run.filename, content=run.content, params=run.params, **extra
            )
            if errors:
                summary["errors"] = run.in_file_terms(errors)
                raise _DryRun  # roll back: nothing changes
            summary |= report  # what the apply did (planned again if the records changed since the dry run)
            if kind.describer is None:
                creates, updates, lines = changes.since(marker, actor, batch.trust.pk)
                summary |= {"creates": creates, "updates": updates, "changes": lines[:500]}
            summary["errors"] = []
    except _DryRun:
        summary["failed"] = True
    return summary


def _as_bytes(content: Any) -> bytes:
    """A batch's file as bytes, copied only if it is not bytes already (a database's memoryview)."""
    return content if isinstance(content, bytes) else bytes(content)


def _row_count(filename: str, content: bytes) -> int:
    try:
        return len(read_table(filename, content).rows)
    except FileFormatError:
        return 0
