"""Imports of people (an ESR-like staff extract) and of posts with their holders, from CSV or XLSX.

``plan_import`` validates every row and says what would change, touching nothing (the dry run).
``apply_import`` re-validates and applies the whole file in one transaction: any error and nothing changes.
Every error names its line, its column and the reason.
"""

from __future__ import annotations

import datetime as dt
import functools
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction

from medlead.core import audit as auditor
from medlead.core.bulk import copy_create
from medlead.core.imports import KINDS
from medlead.core.tabular import FileFormatError, Table, read_table
from medlead.organisation.models import (
    PERSON_EDITABLE_FIELDS,
    Contract,
    Division,
    Grade,
    Person,
    Specialty,
    StaffKind,
    Trust,
)
from medlead.organisation.selectors import people_by_number

# The columns are declared once, with the pipeline's other kinds (core.imports.KINDS).
PEOPLE_COLUMNS = KINDS["people"].spec
POST_COLUMNS = KINDS["posts"].spec
TRUE_WORDS = {"yes", "y", "true", "1"}
FALSE_WORDS = {"no", "n", "false", "0", ""}
WRITE_EVERY = 2000  # records saved and audited together by an import


@dataclass
class RowError:
    line: int
    column: str
    reason: str

    def __str__(self) -> str:
        where = f"row {self.line}" + (f", column '{self.column}'" if self.column else "")
        return f"{where}: {self.reason}"


@dataclass
class Plan:
    kind: str
    rows: int = 0
    errors: list[RowError] = field(default_factory=list)
    creates: list[str] = field(default_factory=list)
    updates: list[str] = field(default_factory=list)
    unchanged: int = 0
    # what apply_import executes, in order: (callable, description)
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
            "errors": [{"line": e.line, "column": e.column, "reason": e.reason} for e in self.errors],
            "changes": (self.creates + self.updates)[:500],
        }


class ImportFailed(Exception):
    def __init__(self, plan: Plan) -> None:
        super().__init__(f"{len(plan.errors)} errors")
        self.plan = plan


def _check_columns(table: Table, spec: dict[str, list[str]], plan: Plan) -> bool:
    known = set(spec["required"]) | set(spec["optional"])
    for col in spec["required"]:
        if col not in table.columns:
            plan.errors.append(RowError(1, col, "This required column is missing from the header row."))
    for col in table.columns:
        if col not in known:
            plan.errors.append(RowError(1, col, f"Unknown column. Known columns: {', '.join(sorted(known))}."))
    return not plan.errors


def _decimal(value: str, line: int, column: str, plan: Plan) -> Decimal | None:
    if value == "":
        return None
    try:
        return Decimal(value)
    except InvalidOperation:
        plan.errors.append(RowError(line, column, f"'{value}' is not a number."))
        return None


def _date(value: str, line: int, column: str, plan: Plan) -> dt.date | None:
    if value == "":
        return None
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        plan.errors.append(RowError(line, column, f"'{value}' is not a date in the form YYYY-MM-DD."))
        return None


def _bool(value: str, line: int, column: str, plan: Plan) -> bool:
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


def _choice(value: str, choices: Any, line: int, column: str, plan: Plan, default: str = "") -> str:
    if value == "":
        return default
    found = _choice_lookup(choices).get(value.strip().lower())
    if found is None:
        names = "; ".join(str(c.label) for c in choices)
        plan.errors.append(RowError(line, column, f"'{value}' is not a {column} medlead knows. Use one of: {names}."))
        return default
    return found


def _model_errors(
    exc: ValidationError, line: int, plan: Plan, skip_columns: frozenset[str] | set[str] = frozenset()
) -> None:
    """Add a model's validation errors, except for columns this row already has an error for."""
    for column, messages in exc.message_dict.items():
        if column in skip_columns:
            continue
        for message in messages:
            plan.errors.append(RowError(line, "" if column == "__all__" else column, message))


# ---------------------------------------------------------------------------------------------- people


def _plan_people(trust: Trust, table: Table, plan: Plan) -> None:
    existing = list(Person.objects.filter(trust=trust))
    by_staff = {p.staff_number: p for p in existing if p.staff_number}
    by_gmc = {p.gmc_number: p for p in existing if p.gmc_number}
    specialties = {s.name.lower(): s for s in Specialty.objects.filter(trust=trust).select_related("division")}
    divisions = {d.name.lower(): d for d in Division.objects.filter(trust=trust)}
    new_divisions: dict[str, str] = {}
    new_specialties: dict[str, tuple[str, str]] = {}
    seen_staff: dict[str, int] = {}
    seen_gmc: dict[str, int] = {}

    for line, row in table.rows:
        before_errors = len(plan.errors)
        for col in PEOPLE_COLUMNS["required"]:
            if not row.get(col):
                plan.errors.append(RowError(line, col, "This value is required."))
        staff, gmc = row.get("staff_number", ""), row.get("gmc_number", "")
        for value, seen, col in ((staff, seen_staff, "staff_number"), (gmc, seen_gmc, "gmc_number")):
            if value:
                if value in seen:
                    plan.errors.append(
                        RowError(line, col, f"'{value}' appears again: it is also on row {seen[value]}.")
                    )
                seen[value] = line
        values: dict[str, Any] = {
            "kind": _choice(row.get("kind", ""), StaffKind, line, "kind", plan, StaffKind.DOCTOR),
            "first_name": row.get("first_name", ""),
            "last_name": row.get("last_name", ""),
            "email": row.get("email", ""),
            "staff_number": staff,
            "gmc_number": gmc,
            "grade": _choice(row.get("grade", ""), Grade, line, "grade", plan),
            "job_title": row.get("job_title", ""),
            "contract": _choice(row.get("contract", ""), Contract, line, "contract", plan, Contract.PERMANENT),
            "ltft_fraction": _decimal(row.get("ltft_fraction", ""), line, "ltft_fraction", plan) or Decimal("1.00"),
            "contracted_pas": _decimal(row.get("contracted_pas", ""), line, "contracted_pas", plan),
        }
        spec_name, div_name = row.get("specialty", ""), row.get("division", "")
        specialty = specialties.get(spec_name.lower()) if spec_name else None
        if spec_name and specialty is None:
            if not div_name:
                plan.errors.append(
                    RowError(
                        line, "specialty", f"No specialty '{spec_name}' in this trust; give its division to create it."
                    )
                )
            else:
                if div_name.lower() not in divisions and div_name.lower() not in new_divisions:
                    new_divisions[div_name.lower()] = div_name
                    plan.creates.append(f"Division {div_name}")
                if spec_name.lower() not in new_specialties:
                    new_specialties[spec_name.lower()] = (spec_name, div_name.lower())
                    plan.creates.append(f"Specialty {spec_name} in {div_name}")
        elif specialty is not None and div_name and specialty.division.name.lower() != div_name.lower():
            plan.errors.append(
                RowError(
                    line,
                    "division",
                    f"Specialty '{spec_name}' is in division '{specialty.division.name}', not '{div_name}'.",
                )
            )
        person = (by_staff.get(staff) if staff else None) or (by_gmc.get(gmc) if gmc else None)
        candidate = Person(trust=trust, **values)
        if person is not None:
            candidate.pk = person.pk
        candidate.specialty = specialty
        try:
            # the constraints (GMC and staff numbers unique in the trust) are this plan's own checks above: rows are
            # matched to the trust's people by both, and a number repeated in the file is refused
            candidate.full_clean(
                exclude=["trust", "specialty"], validate_unique=person is None, validate_constraints=False
            )
        except ValidationError as exc:
            _model_errors(exc, line, plan, skip_columns={e.column for e in plan.errors[before_errors:]})
        if len(plan.errors) > before_errors:
            continue
        if person is None:
            plan.creates.append(f"Row {line}: add {candidate.display_name}")
            plan._ops.append(("create_person", values, spec_name.lower() or None))
        else:
            changed = {k: v for k, v in values.items() if getattr(person, k) != v}
            new_spec_id = specialty.pk if specialty else (None if not spec_name else -1)
            if spec_name and new_spec_id != person.specialty_id:
                changed["specialty"] = spec_name
            if changed:
                plan.updates.append(f"Row {line}: update {person.display_name} ({', '.join(sorted(changed))})")
                plan._ops.append(("update_person", person, values, spec_name.lower() or None))
            else:
                plan.unchanged += 1
    plan._ops.insert(0, ("create_structure", new_divisions, new_specialties))


def _apply_people(trust: Trust, plan: Plan, actor: Any) -> None:
    _, new_divisions, new_specialties = plan._ops[0]
    divisions = {d.name.lower(): d for d in Division.objects.filter(trust=trust)}
    for key, name in new_divisions.items():
        divisions[key] = Division.objects.create(trust=trust, name=name)
        auditor.audit_create(actor=actor, obj=divisions[key], note="import")
    specialties = {s.name.lower(): s for s in Specialty.objects.filter(trust=trust)}
    for key, (name, div_key) in new_specialties.items():
        specialties[key] = Specialty.objects.create(trust=trust, name=name, division=divisions[div_key])
        auditor.audit_create(actor=actor, obj=specialties[key], note="import")
    created: list[Person] = []
    updated: list[tuple[Person, dict[str, Any]]] = []

    def write() -> None:
        """The rows so far, saved and audited: a few thousand at a time, so that a national file's records are never
        all in memory at once (the caller's transaction still makes the import all or nothing)."""
        copy_create(Person, created)
        auditor.audit_bulk_create(actor=actor, objs=created, note="import")
        if updated:
            Person.objects.bulk_update([p for p, _ in updated], list(PERSON_EDITABLE_FIELDS), batch_size=500)
            auditor.audit_bulk_update(actor=actor, pairs=updated, note="import")
        created.clear()
        updated.clear()

    for op in plan._ops[1:]:
        if op[0] == "create_person":
            _, values, spec = op
            created.append(Person(trust=trust, specialty=specialties.get(spec) if spec else None, **values))
        else:
            _, person, values, spec = op
            before = auditor.snapshot(person)
            for k, v in values.items():
                setattr(person, k, v)
            if spec:
                person.specialty = specialties[spec]
            updated.append((person, before))
        if len(created) + len(updated) >= WRITE_EVERY:
            write()
    write()


# ----------------------------------------------------------------------------------------------- posts


def _plan_posts(trust: Trust, table: Table, plan: Plan) -> None:
    from medlead.structure.models import Holding, Post, PostType

    types = {t.code: t for t in PostType.objects.all()} | {t.name.lower(): t for t in PostType.objects.all()}
    posts = {p.code: p for p in Post.objects.filter(trust=trust)}
    divisions = {d.name.lower(): d for d in Division.objects.filter(trust=trust)}
    specialties = {s.name.lower(): s for s in Specialty.objects.filter(trust=trust)}
    people_by_key = people_by_number(trust=trust)
    existing_holdings = set(Holding.objects.filter(trust=trust).values_list("post__code", "person_id", "start"))
    file_codes: dict[str, int] = {}
    post_rows: dict[str, dict[str, Any]] = {}
    holdings: list[dict[str, Any]] = []

    for line, row in table.rows:
        before_errors = len(plan.errors)
        code = row.get("code", "")
        for col in POST_COLUMNS["required"]:
            if not row.get(col):
                plan.errors.append(RowError(line, col, "This value is required."))
        ptype = types.get(row.get("post_type", "").lower())
        if row.get("post_type") and ptype is None:
            plan.errors.append(RowError(line, "post_type", f"Unknown post type '{row['post_type']}'."))
        division = divisions.get(row.get("division", "").lower()) if row.get("division") else None
        if row.get("division") and division is None:
            plan.errors.append(RowError(line, "division", f"No division '{row['division']}' in this trust."))
        specialty = specialties.get(row.get("specialty", "").lower()) if row.get("specialty") else None
        if row.get("specialty") and specialty is None:
            plan.errors.append(RowError(line, "specialty", f"No specialty '{row['specialty']}' in this trust."))
        values = {
            "title": row.get("title", ""),
            "post_type": ptype,
            "division": division,
            "specialty": specialty,
            "pas_allocated": _decimal(row.get("pas_allocated", ""), line, "pas_allocated", plan) or Decimal("0"),
            "pas_required": _decimal(row.get("pas_required", ""), line, "pas_required", plan),
            "has_job_description": _bool(row.get("has_job_description", ""), line, "has_job_description", plan),
        }
        holder_key = row.get("holder", "")
        holder = people_by_key.get(holder_key) if holder_key else None
        if holder_key and holder is None:
            plan.errors.append(RowError(line, "holder", f"No person with GMC or staff number '{holder_key}'."))
        start = _date(row.get("holder_start", ""), line, "holder_start", plan)
        end = _date(row.get("holder_end", ""), line, "holder_end", plan)
        interim = _bool(row.get("holder_interim", ""), line, "holder_interim", plan)
        if holder_key and start is None and not any(e.line == line and e.column == "holder_start" for e in plan.errors):
            plan.errors.append(RowError(line, "holder_start", "Give the date the holder started."))
        if start and end and end < start:
            plan.errors.append(RowError(line, "holder_end", "The end date is before the start date."))
        if len(plan.errors) > before_errors:
            continue
        if code in file_codes:
            first = post_rows[code]
            if any(values[k] != first["values"][k] for k in ("title", "post_type")):
                plan.errors.append(
                    RowError(
                        line,
                        "code",
                        f"Post '{code}' is on row {file_codes[code]} with a different title or type; "
                        "repeat a post only to add another holder (a job share).",
                    )
                )
                continue
        else:
            file_codes[code] = line
            post_rows[code] = {"line": line, "values": values, "reports_to": row.get("reports_to", "")}
        if holder is not None and start is not None and (code, holder.pk, start) not in existing_holdings:
            holdings.append(
                {"line": line, "code": code, "person": holder, "start": start, "end": end, "interim": interim}
            )

    for code, data in post_rows.items():
        ref = data["reports_to"]
        if ref and ref not in post_rows and ref not in posts:
            plan.errors.append(
                RowError(data["line"], "reports_to", f"No post with code '{ref}' in the file or the trust.")
            )
        if ref == code:
            plan.errors.append(RowError(data["line"], "reports_to", "A post cannot report to itself."))
        candidate = Post(trust=trust, code=code, **data["values"])
        if code in posts:
            candidate.pk = posts[code].pk
        try:
            candidate.full_clean(exclude=["trust", "reports_to"], validate_unique=False, validate_constraints=False)
        except ValidationError as exc:
            _model_errors(exc, data["line"], plan)
            continue
        existing = posts.get(code)
        if existing is None:
            plan.creates.append(f"Row {data['line']}: add post {code} – {data['values']['title']}")
        else:
            changed = [k for k, v in data["values"].items() if getattr(existing, k) != v]
            if (existing.reports_to.code if existing.reports_to else "") != ref and ref:
                changed.append("reports_to")
            if changed:
                plan.updates.append(f"Row {data['line']}: update post {code} ({', '.join(sorted(changed))})")
            else:
                plan.unchanged += 1
    for h in holdings:
        plan.creates.append(f"Row {h['line']}: {h['person'].display_name} holds {h['code']} from {h['start']:%d %b %Y}")
    plan._ops = [post_rows, holdings]


def _apply_posts(trust: Trust, plan: Plan, actor: Any) -> None:
    from medlead.structure.models import Holding, Post

    post_rows, holdings = plan._ops
    posts = {p.code: p for p in Post.objects.filter(trust=trust)}
    for code, data in post_rows.items():
        if code in posts:
            post = posts[code]
            before = auditor.snapshot(post)
            for k, v in data["values"].items():
                setattr(post, k, v)
            post.save()
            auditor.audit_update(actor=actor, obj=post, before=before, note="import")
        else:
            posts[code] = Post.objects.create(trust=trust, code=code, **data["values"])
            auditor.audit_create(actor=actor, obj=posts[code], note="import")
    for code, data in post_rows.items():
        ref = data["reports_to"]
        if ref and (posts[code].reports_to_id != posts[ref].pk):
            before = auditor.snapshot(posts[code])
            posts[code].reports_to = posts[ref]
            try:
                posts[code].clean()
            except ValidationError as exc:
                plan.errors.append(RowError(data["line"], "reports_to", " ".join(exc.messages)))
                continue
            posts[code].save(update_fields=["reports_to"])
            auditor.audit_update(actor=actor, obj=posts[code], before=before, note="import")
    for h in holdings:
        holding = Holding.objects.create(
            trust=trust, post=posts[h["code"]], person=h["person"], start=h["start"], end=h["end"], interim=h["interim"]
        )
        auditor.audit_create(actor=actor, obj=holding, note="import")


# ------------------------------------------------------------------------------------------- interface

PLANNERS = {"people": (_plan_people, PEOPLE_COLUMNS), "posts": (_plan_posts, POST_COLUMNS)}
APPLIERS = {"people": _apply_people, "posts": _apply_posts}


def plan_import(*, trust: Trust, kind: str, filename: str, content: bytes) -> Plan:
    """Validate a file and describe what importing it would change. Changes nothing."""
    if kind not in PLANNERS:
        raise ValueError(f"Unknown import kind {kind!r}")
    plan = Plan(kind=kind)
    try:
        table = read_table(filename, content)
    except FileFormatError as exc:
        plan.errors.append(RowError(1, "", str(exc)))
        return plan
    plan.rows = len(table.rows)
    planner, spec = PLANNERS[kind]
    if not table.rows:
        plan.errors.append(RowError(1, "", "The file has a header row but no data rows."))
        return plan
    if _check_columns(table, spec, plan):
        planner(trust, table, plan)
    return plan


def apply_import(*, trust: Trust, kind: str, filename: str, content: bytes, actor: Any) -> Plan:
    """Import the whole file or, on any error, nothing (``ImportFailed`` carries the errors)."""
    with transaction.atomic():
        plan = plan_import(trust=trust, kind=kind, filename=filename, content=content)
        if not plan.ok:
            raise ImportFailed(plan)
        APPLIERS[kind](trust, plan, actor)
        if not plan.ok:  # an error only visible once earlier rows exist (e.g. a reporting loop)
            raise ImportFailed(plan)  # leaving the atomic block by an exception rolls everything back
    return plan


# ------------------------------------------------------------------------------------- the shared pipeline


def _errors(plan: Plan) -> list[dict[str, Any]]:
    return [{"line": e.line, "column": e.column, "reason": e.reason} for e in plan.errors]


def _runner(kind: str) -> Any:
    def run(*, actor: Any, trust: Trust, filename: str, content: bytes, params: dict[str, Any]) -> list[Any]:
        try:
            apply_import(trust=trust, kind=kind, filename=filename, content=content, actor=actor)
        except ImportFailed as failed:
            return _errors(failed.plan)
        return []

    return run


run_people = _runner("people")
run_posts = _runner("posts")


def _describer(kind: str) -> Any:
    def describe(*, trust: Trust, filename: str, content: bytes) -> dict[str, Any]:
        summary = plan_import(trust=trust, kind=kind, filename=filename, content=content).summary()
        return summary

    return describe


describe_people = _describer("people")
describe_posts = _describer("posts")
