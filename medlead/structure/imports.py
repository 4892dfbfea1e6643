"""The import of posts and their holders, from CSV or XLSX: every row is planned before any is written
(``core.imports.RowImport``), so the dry run says exactly what would change, and the import writes the whole file
or, on any error, nothing. A post's holder is a person already in the trust (by GMC or staff number); a post reports
to another post of the file or of the trust. The kind itself is registered in ``structure.import_kinds``.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError

from medlead.core import audit as auditor
from medlead.core.imports import (
    Plan,
    RowError,
    RowImport,
    bool_cell,
    date_cell,
    decimal_cell,
    model_errors,
    unknown_name,
)
from medlead.core.tabular import Table
from medlead.organisation.models import Division, Specialty, Trust
from medlead.organisation.selectors import people_by_number
from medlead.structure.models import Holding, Post, PostType

POST_REQUIRED = ("code", "title", "post_type")
POST_OPTIONAL = (
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
)


def _plan_posts(trust: Trust, table: Table, plan: Plan) -> None:
    types = {t.code: t for t in PostType.objects.all()} | {t.name.lower(): t for t in PostType.objects.all()}
    posts = {p.code: p for p in Post.objects.filter(trust=trust)}
    divisions = {d.name.lower(): d for d in Division.objects.filter(trust=trust)}
    specialties = {s.name.lower(): s for s in Specialty.objects.filter(trust=trust)}
    names = {"division": [d.name for d in divisions.values()], "specialty": [s.name for s in specialties.values()]}
    people_by_key = people_by_number(trust=trust)
    existing_holdings = set(Holding.objects.filter(trust=trust).values_list("post__code", "person_id", "start"))
    file_codes: dict[str, int] = {}
    post_rows: dict[str, dict[str, Any]] = {}
    holdings: list[dict[str, Any]] = []

    for line, row in table.rows:
        before_errors = len(plan.errors)
        code = row.get("code", "")
        for col in POST_REQUIRED:
            if not row.get(col):
                plan.errors.append(RowError(line, col, "This value is required."))
        ptype = types.get(row.get("post_type", "").lower())
        if row.get("post_type") and ptype is None:
            plan.errors.append(RowError(line, "post_type", f"Unknown post type '{row['post_type']}'."))
        division = divisions.get(row.get("division", "").lower()) if row.get("division") else None
        if row.get("division") and division is None:
            plan.errors.append(RowError(line, "division", unknown_name("division", row["division"], names["division"])))
        specialty = specialties.get(row.get("specialty", "").lower()) if row.get("specialty") else None
        if row.get("specialty") and specialty is None:
            reason = unknown_name("specialty", row["specialty"], names["specialty"])
            plan.errors.append(RowError(line, "specialty", reason))
        values = {
            "title": row.get("title", ""),
            "post_type": ptype,
            "division": division,
            "specialty": specialty,
            "pas_allocated": decimal_cell(row.get("pas_allocated", ""), line, "pas_allocated", plan) or Decimal("0"),
            "pas_required": decimal_cell(row.get("pas_required", ""), line, "pas_required", plan),
            "has_job_description": bool_cell(row.get("has_job_description", ""), line, "has_job_description", plan),
        }
        holder_key = row.get("holder", "")
        holder = people_by_key.get(holder_key) if holder_key else None
        if holder_key and holder is None:
            plan.errors.append(RowError(line, "holder", f"No person with GMC or staff number '{holder_key}'."))
        start = date_cell(row.get("holder_start", ""), line, "holder_start", plan)
        end = date_cell(row.get("holder_end", ""), line, "holder_end", plan)
        interim = bool_cell(row.get("holder_interim", ""), line, "holder_interim", plan)
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
            model_errors(exc, data["line"], plan)
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


POSTS = RowImport(
    kind="posts", required=POST_REQUIRED, optional=POST_OPTIONAL, planner=_plan_posts, applier=_apply_posts
)
