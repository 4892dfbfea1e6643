"""The import of people (an ESR-like staff extract), from CSV or XLSX: every row is planned before any is written
(``core.imports.RowImport``), so the dry run says exactly what would change, and the import writes the whole file
or, on any error, nothing. Every error names its line, its column and the reason. The kind itself is registered in
``organisation.import_kinds``.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError

from medlead.core import audit as auditor
from medlead.core.bulk import copy_create
from medlead.core.imports import (
    Plan,
    RowError,
    RowImport,
    bool_cell,
    choice_cell,
    decimal_cell,
    model_errors,
    unknown_name,
)
from medlead.core.tabular import Table
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

PEOPLE_REQUIRED = ("first_name", "last_name")
PEOPLE_OPTIONAL = (
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
    "create_specialty",
    "create_division",
)
WRITE_EVERY = 2000  # records saved and audited together by an import


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
    # a specialty or division the trust does not have is a typo unless a row of the file asks to add it
    asked_specialties, asked_divisions = _asked_to_create(table, plan)

    for line, row in table.rows:
        before_errors = len(plan.errors)
        for col in PEOPLE_REQUIRED:
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
            "kind": choice_cell(row.get("kind", ""), StaffKind, line, "kind", plan, StaffKind.DOCTOR),
            "first_name": row.get("first_name", ""),
            "last_name": row.get("last_name", ""),
            "email": row.get("email", ""),
            "staff_number": staff,
            "gmc_number": gmc,
            "grade": choice_cell(row.get("grade", ""), Grade, line, "grade", plan),
            "job_title": row.get("job_title", ""),
            "contract": choice_cell(row.get("contract", ""), Contract, line, "contract", plan, Contract.PERMANENT),
            "ltft_fraction": decimal_cell(row.get("ltft_fraction", ""), line, "ltft_fraction", plan) or Decimal("1.00"),
            "contracted_pas": decimal_cell(row.get("contracted_pas", ""), line, "contracted_pas", plan),
        }
        spec_name, div_name = row.get("specialty", ""), row.get("division", "")
        specialty = specialties.get(spec_name.lower()) if spec_name else None
        if spec_name and specialty is None:
            if spec_name.lower() not in asked_specialties:
                plan.errors.append(
                    RowError(
                        line,
                        "specialty",
                        unknown_name("specialty", spec_name, [s.name for s in specialties.values()])
                        + " To add it as a new specialty, write yes in create_specialty.",
                    )
                )
            elif not div_name:
                plan.errors.append(
                    RowError(line, "specialty", f"Give the division of the new specialty '{spec_name}'.")
                )
            elif div_name.lower() not in divisions and div_name.lower() not in asked_divisions:
                plan.errors.append(
                    RowError(
                        line,
                        "division",
                        unknown_name("division", div_name, [d.name for d in divisions.values()])
                        + " To add it as a new division, write yes in create_division.",
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
            model_errors(exc, line, plan, skip_columns={e.column for e in plan.errors[before_errors:]})
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


def _asked_to_create(table: Table, plan: Plan) -> tuple[set[str], set[str]]:
    """The specialties and divisions (in lower case) that a row of the file asks to add, with yes in its
    create_specialty or create_division column; a value there that is not yes or no is the row's error."""
    specialties: set[str] = set()
    divisions: set[str] = set()
    for line, row in table.rows:
        if bool_cell(row.get("create_specialty", ""), line, "create_specialty", plan) and row.get("specialty"):
            specialties.add(row["specialty"].lower())
        if bool_cell(row.get("create_division", ""), line, "create_division", plan) and row.get("division"):
            divisions.add(row["division"].lower())
    return specialties, divisions


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


PEOPLE = RowImport(
    kind="people", required=PEOPLE_REQUIRED, optional=PEOPLE_OPTIONAL, planner=_plan_people, applier=_apply_people
)
