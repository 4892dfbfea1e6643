"""One import pipeline for every file medlead takes in: people, posts, job plans, rotas, GMC connections,
leadership frameworks and metric values.

    upload ─▶ ``check``: the dry run. The file is imported inside a transaction that is then rolled back, and
              every change it made (read from the audit rows it wrote) or every error (row, column, reason) is
              kept on an ``ImportBatch`` ─▶ the batch page lists them
    confirm ─▶ ``organisation.services.import_confirm``: the batch is queued once (a second confirm does nothing)
    worker ─▶ ``apply``: the same import again, in one transaction: all of it, or on any error nothing

Each kind says who may run it, its columns (a template file to download is built from them), and the function
that imports a file: it validates every row, writes through the app's services (so rules, permissions and audit
hold), and returns the errors, writing nothing when there are any. Reference data a row names that does not
exist (an unknown grade, specialty, post or doctor) is an error, never created on the way.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from django.db import transaction
from django.utils.module_loading import import_string

from medlead.core.actors import SystemActor
from medlead.core.policy import Perm, require

# (actor, trust, filename, content, params) -> errors, each "row N, column 'c': reason"
Runner = Callable[..., list[str]]


@dataclass(frozen=True)
class ImportKind:
    code: str
    label: str
    perm: Perm
    required: tuple[str, ...]
    optional: tuple[str, ...]
    example: tuple[tuple[str, ...], ...]
    runner: str  # dotted path of the Runner, imported when first used
    # a kind whose own dry run describes changes better than the audit rows (people and posts)
    describer: str = ""
    params: tuple[str, ...] = field(default=())
    page: str = "organisation:import"  # the upload page, by URL name

    @property
    def columns(self) -> tuple[str, ...]:
        return self.required + self.optional

    @property
    def spec(self) -> dict[str, list[str]]:
        """The columns as the readers take them (``core.tabular.read_with_header``)."""
        return {"required": list(self.required), "optional": list(self.optional)}

    def run(self, **kwargs: Any) -> list[str]:
        runner: Runner = import_string(self.runner)
        return runner(**kwargs)


KINDS: dict[str, ImportKind] = {
    k.code: k
    for k in (
        ImportKind(
            code="people",
            label="People (ESR-style staff extract)",
            perm=Perm.RUN_IMPORT,
            required=("first_name", "last_name"),
            optional=(
                "staff_number",
                "gmc_number",
                "kind",
                "email",
                "grade",
                "job_title",
                "specialty",
                "division",
                "contract",
                "ltft_fraction",
                "contracted_pas",
            ),
            example=(
                (
                    "Ada",
                    "Lovelace",
                    "E1234567",
                    "1234567",
                    "doctor",
                    "ada.lovelace@nhs.net",
                    "consultant",
                    "",
                    "Cardiology",
                    "Medicine",
                    "permanent",
                    "1.0",
                    "10",
                ),
            ),
            runner="medlead.organisation.imports.run_people",
            describer="medlead.organisation.imports.describe_people",
        ),
        ImportKind(
            code="posts",
            label="Posts and holders",
            perm=Perm.RUN_IMPORT,
            required=("code", "title", "post_type"),
            optional=(
                "division",
                "specialty",
                "pas_allocated",
                "pas_required",
                "has_job_description",
                "reports_to",
                "holder",
                "holder_start",
                "holder_end",
                "holder_interim",
            ),
            example=(
                (
                    "CD-CARD",
                    "Clinical director, cardiology",
                    "clinical_director",
                    "Medicine",
                    "Cardiology",
                    "2",
                    "2.5",
                    "yes",
                    "AMD-MED",
                    "1234567",
                    "2025-04-01",
                    "",
                    "no",
                ),
            ),
            runner="medlead.organisation.imports.run_posts",
            describer="medlead.organisation.imports.describe_posts",
        ),
        ImportKind(
            code="job_plans",
            label="Job-plan activities",
            perm=Perm.MANAGE_JOB_PLANS,
            required=("doctor", "year", "category", "title"),
            optional=(
                "frequency",
                "weekday",
                "start",
                "end",
                "every_n_weeks",
                "annual_hours",
                "annual_premium_hours",
                "location",
                "post_code",
            ),
            example=(
                # doctor, year, category, title, frequency, weekday, start, end, every_n_weeks, annual_hours,
                # annual_premium_hours, location, post_code
                ("1234567", "2026", "dcc", "Clinic", "weekly", "monday", "09:00", "13:00", "", "", "", "OPD", ""),
                ("1234567", "2026", "spa", "Audit and governance", "annualised", "", "", "", "", "84", "", "", ""),
                ("1234567", "2026", "dcc", "On-call work", "annualised", "", "", "", "", "126", "84", "", ""),
            ),
            runner="medlead.jobplans.services.plans_import_run",
            page="jobplans:import",
        ),
        ImportKind(
            code="rota",
            label="A rota",
            perm=Perm.MANAGE_ROTAS,
            required=("doctor", "start", "end"),
            optional=("kind", "opted_out"),
            example=(
                ("1234567", "2026-01-05T08:00", "2026-01-05T17:00", "shift", "false"),
                ("1234567", "2026-01-06T17:00", "2026-01-07T09:00", "on_call", "false"),
            ),
            runner="medlead.rota.services.rota_import_run",
            page="rota:import",
            params=("name", "rule_set", "specialty_id"),
        ),
        ImportKind(
            code="connections",
            label="GMC connections (designated body connection list)",
            perm=Perm.MANAGE_APPRAISALS,
            required=("gmc_number", "submission_date"),
            optional=("connected_on", "name"),
            example=(("1234567", "2027-03-31", "2022-04-01", "Dr Ada Lovelace"),),
            runner="medlead.revalidation.services.connections_import_run",
            page="revalidation:import",
        ),
        ImportKind(
            code="framework",
            label="A leadership framework of the trust's own",
            perm=Perm.MANAGE_FRAMEWORKS,
            required=("domain", "code", "item"),
            optional=("description",),
            example=(("Setting direction", "SD1", "Sets a clear direction for the service", ""),),
            runner="medlead.leadership.services.framework_import_run",
            page="leadership:framework_import",
            params=("name", "code", "scale"),
        ),
        ImportKind(
            code="metric_values",
            label="Metric values (incidents, complaints, mortality and the trust's other measures)",
            perm=Perm.MANAGE_METRICS,
            required=("metric", "date", "value"),
            optional=(),
            example=(("shmi", "2026-04-01", "1.02"), ("incidents", "2026-04-01", "312")),
            runner="medlead.governance.services.values_import_run",
            page="governance:import",
        ),
    )
}


def template_csv(kind: ImportKind) -> str:
    """A CSV file with the kind's columns and an example row, to fill in."""
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(kind.columns)
    writer.writerows(kind.example)
    return out.getvalue()


class _DryRun(Exception):
    """Raised to roll the dry run's transaction back."""


def _changes_from_audit(marker: int, actor: Any, trust_id: int) -> tuple[int, int, list[str]]:
    from medlead.core.audit import AuditAction, AuditEvent

    events = AuditEvent.objects.filter(pk__gt=marker, trust_id=trust_id)
    if getattr(actor, "pk", None):
        events = events.filter(actor_id=actor.pk)
    creates = updates = 0
    lines: list[str] = []
    for e in events.order_by("pk").values("action", "model", "object_repr", "changes")[:5000]:
        what = _verbose(e["model"])
        if e["action"] == AuditAction.CREATE:
            creates += 1
            lines.append(f"Add {what}: {e['object_repr']}")
        elif e["action"] == AuditAction.UPDATE:
            updates += 1
            lines.append(f"Change {what} {e['object_repr']}: {', '.join(sorted(e['changes'] or {}))}")
    return creates, updates, lines


@dataclass
class _Prepared:
    filename: str
    content: bytes
    params: dict[str, Any]
    errors: list[str]
    skipped: int


def _prepare(spec: ImportKind, filename: str, content: bytes, params: dict[str, Any]) -> _Prepared:
    """A national file (``params['layout']``, kept with the batch) rewritten in the kind's own columns; any other
    file as it came."""
    from medlead.core.layouts import Layout, translate

    if not params.get("layout"):
        return _Prepared(filename, content, params, [], 0)
    done = translate(Layout.from_params(params["layout"]), filename, content, spec.columns, spec.required)
    rest = {k: v for k, v in params.items() if k != "layout"}
    return _Prepared(done.filename, done.content, rest, done.errors, done.skipped)


def check(*, actor: Any, trust: Any, kind: str, filename: str, content: bytes, params: dict[str, Any]) -> Any:
    """The dry run, kept as an ``ImportBatch``: every change the file would make, or every error. Nothing stays.

    A small file is checked at once, in the request. A large one (over ``MEDLEAD_IMPORT_INLINE_MAX_BYTES``) is kept
    as *checking* and checked by a worker (``organisation.tasks.check_import_batch``), so that no request waits on
    tens of thousands of rows; its page says so until the check is done."""
    from django.conf import settings

    from medlead.organisation.models import ImportBatch, ImportStatus

    spec = KINDS[kind]
    require(actor, spec.perm, trust)
    batch = ImportBatch(
        trust=trust,
        kind=kind,
        filename=filename,
        content=content,
        params=params,
        created_by=actor if getattr(actor, "is_authenticated", False) else None,
    )
    if len(content) > settings.MEDLEAD_IMPORT_INLINE_MAX_BYTES:
        from medlead.organisation.tasks import check_import_batch

        batch.status = ImportStatus.CHECKING
        batch.summary = {"kind": kind, "bytes": len(content)}
        batch.save()
        transaction.on_commit(lambda: check_import_batch.delay(batch.pk))
        return batch
    batch.summary = dry_run(actor=actor, trust=trust, kind=kind, filename=filename, content=content, params=params)
    batch.status = ImportStatus.INVALID if batch.summary["errors"] else ImportStatus.CHECKED
    batch.save()
    return batch


def dry_run(
    *, actor: Any, trust: Any, kind: str, filename: str, content: bytes, params: dict[str, Any]
) -> dict[str, Any]:
    """Every change the file would make, or every error, with nothing kept."""
    from medlead.core.audit import AuditEvent

    spec = KINDS[kind]
    summary: dict[str, Any]
    run = _prepare(spec, filename, content, params)
    if run.errors:
        summary = {"kind": kind, "rows": 0, "creates": 0, "updates": 0, "unchanged": 0, "changes": []}
        summary["errors"] = [_as_error(e) for e in run.errors]
    elif spec.describer:
        summary = import_string(spec.describer)(trust=trust, filename=run.filename, content=run.content)
    else:
        summary = {}
        try:
            with transaction.atomic():
                marker = AuditEvent.objects.order_by("-pk").values_list("pk", flat=True).first() or 0
                errors = spec.run(
                    actor=actor, trust=trust, filename=run.filename, content=run.content, params=run.params
                )
                creates, updates, lines = _changes_from_audit(marker, actor, trust.pk)
                summary = {
                    "kind": kind,
                    "rows": _row_count(run.filename, run.content),
                    "creates": 0 if errors else creates,
                    "updates": 0 if errors else updates,
                    "unchanged": 0,
                    "errors": [_as_error(e) for e in errors],
                    "changes": [] if errors else lines[:500],
                }
                raise _DryRun
        except _DryRun:
            pass
    summary["skipped"] = run.skipped
    return summary


def apply(*, batch: Any) -> dict[str, Any]:
    """Import a confirmed batch for real, all or nothing; the summary says what happened."""
    from medlead.core.audit import AuditEvent

    spec = KINDS[batch.kind]
    # The person who uploaded the file; the worker itself if their account has since been removed.
    actor = batch.created_by or SystemActor("import worker")
    run = _prepare(spec, batch.filename, bytes(batch.content), batch.params)
    summary = dict(batch.summary)
    try:
        with transaction.atomic():
            marker = AuditEvent.objects.order_by("-pk").values_list("pk", flat=True).first() or 0
            errors = run.errors or spec.run(
                actor=actor, trust=batch.trust, filename=run.filename, content=run.content, params=run.params
            )
            if errors:
                summary["errors"] = [_as_error(e) for e in errors]
                raise _DryRun  # roll back: nothing changes
            if not spec.describer:
                creates, updates, lines = _changes_from_audit(marker, actor, batch.trust_id)
                summary |= {"creates": creates, "updates": updates, "changes": lines[:500]}
            summary["errors"] = []
    except _DryRun:
        summary["failed"] = True
    return summary


def _verbose(label: str) -> str:
    from django.apps import apps

    try:
        return str(apps.get_model(label)._meta.verbose_name)
    except (LookupError, ValueError):
        return label.split(".")[-1]


def _row_count(filename: str, content: bytes) -> int:
    from medlead.core.tabular import FileFormatError, read_table

    try:
        return len(read_table(filename, content).rows)
    except FileFormatError:
        return 0


def _as_error(error: Any) -> dict[str, Any]:
    """Errors as the batch page shows them: line, column and reason when the importer gave them apart."""
    if isinstance(error, dict):
        return error
    return {"line": None, "column": "", "reason": str(error)}
