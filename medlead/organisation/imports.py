"""The import of people (an ESR-like staff extract), from CSV or XLSX: every row is planned before any is written
(``core.imports.ChunkedImport``, a chunk of rows at a time, ADR 0031), so the dry run says exactly what would change,
and the import writes the whole file or, on any error, nothing. Every error names its line, its column and the
reason. The kind itself is registered in ``organisation.import_kinds``.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError

from medlead.core import audit as auditor
from medlead.core.bulk import copy_create, values_update
from medlead.core.imports import (
    ChunkedImport,
    Repeats,
    RowError,
    StreamPlan,
    bool_cell,
    choice_cell,
    decimal_cell,
    model_errors,
    unknown_name,
)
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


# ---------------------------------------------------------------------------------------------- people


# Fields with few distinct values whose own checks (``Field.clean``) depend on the value alone: a value that passed
# once is not checked again in the same file (the model's ``clean``, across fields, runs for every row).
_FEW_VALUES = ("kind", "grade", "contract", "ltft_fraction", "contracted_pas", "job_title", "active")
_PASSED_KEPT = 256  # values remembered a field


@dataclass
class _People:
    """What an import of people knows beyond its chunk: the trust's specialties and divisions (by name in lower
    case), those the file asks to add, and those its plan adds."""

    trust: Trust
    specialties: dict[str, Specialty]
    divisions: dict[str, Division]
    asked_specialties: set[str] = field(default_factory=set)
    asked_divisions: set[str] = field(default_factory=set)
    new_divisions: dict[str, str] = field(default_factory=dict)
    new_specialties: dict[str, tuple[str, str]] = field(default_factory=dict)
    # values of the fields in _FEW_VALUES that a row has already passed their field's own checks with
    passed: dict[str, set[Any]] = field(default_factory=lambda: {name: set() for name in _FEW_VALUES})


_PERSON_FIELDS = [f.attname for f in Person._meta.concrete_fields]


class PeoplePlanner:
    """People, a chunk of rows at a time (``core.imports.ChunkPlanner``): each chunk's rows are matched with the
    trust's people by staff number, else by GMC number, in one query."""

    def begin(self, trust: Trust, state: Any) -> _People:
        specialties = Specialty.objects.filter(trust=trust).select_related("division").order_by("pk")
        divisions = Division.objects.filter(trust=trust).order_by("pk")
        context = _People(
            trust=trust,
            specialties={s.name.lower(): s for s in specialties},
            divisions={d.name.lower(): d for d in divisions},
        )
        state.update(repr([(s.pk, s.name, s.division_id) for s in context.specialties.values()]).encode())
        state.update(repr([(d.pk, d.name) for d in context.divisions.values()]).encode())
        return context

    def survey(self, context: _People, line: int, row: dict[str, str], plan: StreamPlan) -> None:
        """A specialty or division the trust does not have is a typo unless a row of the file asks to add it, with
        yes in its create_specialty or create_division column; a value there that is not yes or no is the row's
        error."""
        if bool_cell(row.get("create_specialty", ""), line, "create_specialty", plan) and row.get("specialty"):
            context.asked_specialties.add(row["specialty"].lower())
        if bool_cell(row.get("create_division", ""), line, "create_division", plan) and row.get("division"):
            context.asked_divisions.add(row["division"].lower())

    def chunk(
        self,
        context: _People,
        rows: list[tuple[int, dict[str, str]]],
        plan: StreamPlan,
        state: Any,
        checks: Repeats | None,
    ) -> list[Any]:
        trust, specialties, divisions = context.trust, context.specialties, context.divisions
        staff_numbers = {row["staff_number"] for _, row in rows if row.get("staff_number")}
        gmc_numbers = {row["gmc_number"] for _, row in rows if row.get("gmc_number")}
        # The matched people as plain values (most rows of an extract change nothing: a model instance is made only
        # for a person a row changes), by either number, each read through its own unique index: "not blank" is
        # that index's condition, which PostgreSQL cannot infer from a list of thousands of values (without it, the
        # trust's every person is read).
        people = Person.objects.filter(trust=trust).order_by()
        by_staff_number = people.filter(staff_number__in=staff_numbers).exclude(staff_number="")
        by_gmc_number = people.filter(gmc_number__in=gmc_numbers).exclude(gmc_number="")
        matched = [
            dict(zip(_PERSON_FIELDS, stored, strict=True))
            for stored in by_staff_number.values_list(*_PERSON_FIELDS)
            .union(by_gmc_number.values_list(*_PERSON_FIELDS))
            .order_by("id")
        ]
        for p in matched:  # the state of every record this chunk was matched with, for the fingerprint
            state.update(repr(list(p.values())).encode())
        by_staff = {p["staff_number"]: p for p in matched if p["staff_number"]}
        by_gmc = {p["gmc_number"]: p for p in matched if p["gmc_number"]}
        ops: list[Any] = []
        for line, row in rows:
            before_errors = len(plan.errors)
            for col in PEOPLE_REQUIRED:
                if not row.get(col):
                    plan.errors.append(RowError(line, col, "This value is required."))
            staff, gmc = row.get("staff_number", ""), row.get("gmc_number", "")
            if checks is not None:
                for value, col in ((staff, "staff_number"), (gmc, "gmc_number")):
                    earlier = checks.earlier(col, value, line)
                    if earlier is not None:
                        again = f"'{value}' appears again: it is also on row {earlier}."
                        plan.errors.append(RowError(line, col, again))
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
                "ltft_fraction": decimal_cell(row.get("ltft_fraction", ""), line, "ltft_fraction", plan)
                or Decimal("1.00"),
                "contracted_pas": decimal_cell(row.get("contracted_pas", ""), line, "contracted_pas", plan),
            }
            spec_name, div_name = row.get("specialty", ""), row.get("division", "")
            specialty = specialties.get(spec_name.lower()) if spec_name else None
            if spec_name and specialty is None:
                # rows already checked asked for every specialty and division they name that the trust lacks
                if checks is not None and spec_name.lower() not in context.asked_specialties:
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
                elif (
                    checks is not None
                    and div_name.lower() not in divisions
                    and div_name.lower() not in context.asked_divisions
                ):
                    plan.errors.append(
                        RowError(
                            line,
                            "division",
                            unknown_name("division", div_name, [d.name for d in divisions.values()])
                            + " To add it as a new division, write yes in create_division.",
                        )
                    )
                else:
                    if div_name.lower() not in divisions and div_name.lower() not in context.new_divisions:
                        context.new_divisions[div_name.lower()] = div_name
                        plan.create(f"Division {div_name}")
                    if spec_name.lower() not in context.new_specialties:
                        context.new_specialties[spec_name.lower()] = (spec_name, div_name.lower())
                        plan.create(f"Specialty {spec_name} in {div_name}")
            elif specialty is not None and div_name and specialty.division.name.lower() != div_name.lower():
                plan.errors.append(
                    RowError(
                        line,
                        "division",
                        f"Specialty '{spec_name}' is in division '{specialty.division.name}', not '{div_name}'.",
                    )
                )
            stored = (by_staff.get(staff) if staff else None) or (by_gmc.get(gmc) if gmc else None)
            changed: dict[str, Any] = {}
            if stored is not None:
                changed = {k: v for k, v in values.items() if stored[k] != v}
                new_spec_id = specialty.pk if specialty else (None if not spec_name else -1)
                if spec_name and new_spec_id != stored["specialty_id"]:
                    changed["specialty"] = spec_name
                if not changed and len(plan.errors) == before_errors:
                    # the row says what is stored: applying it writes nothing, so its values are not checked again
                    plan.unchanged += 1
                    continue
            person = (
                None if stored is None else Person.from_db(Person.objects.db, _PERSON_FIELDS, list(stored.values()))
            )
            candidate = Person(trust=trust, **values)
            if person is not None:
                candidate.pk = person.pk
            candidate.specialty = specialty
            if checks is not None:
                passed = [name for name, known in context.passed.items() if getattr(candidate, name) in known]
                try:
                    # the constraints (GMC and staff numbers unique in the trust) are this plan's own checks above:
                    # rows are matched to the trust's people by both, and a number repeated in the file is refused
                    candidate.full_clean(
                        exclude=["trust", "specialty", *passed],
                        validate_unique=person is None,
                        validate_constraints=False,
                    )
                except ValidationError as exc:
                    model_errors(exc, line, plan, skip_columns={e.column for e in plan.errors[before_errors:]})
                else:
                    for name, known in context.passed.items():
                        if len(known) < _PASSED_KEPT:
                            known.add(getattr(candidate, name))
            if len(plan.errors) > before_errors:
                continue
            if person is None:
                plan.create(f"Row {line}: add {candidate.display_name}")
                ops.append(("create_person", values, spec_name.lower() or None))
            else:
                plan.update(f"Row {line}: update {person.display_name} ({', '.join(sorted(changed))})")
                ops.append(("update_person", person, values, spec_name.lower() or None))
        return ops

    def write(self, context: _People, ops: list[Any], actor: Any) -> None:
        """A chunk's people saved and audited together (the caller's transaction still makes the import all or
        nothing), after the new divisions and specialties they name."""
        trust, divisions, specialties = context.trust, context.divisions, context.specialties
        for key, name in context.new_divisions.items():
            if key not in divisions:
                divisions[key] = Division.objects.create(trust=trust, name=name)
                auditor.audit_create(actor=actor, obj=divisions[key], note="import")
        for key, (name, div_key) in context.new_specialties.items():
            if key not in specialties:
                specialties[key] = Specialty.objects.create(trust=trust, name=name, division=divisions[div_key])
                auditor.audit_create(actor=actor, obj=specialties[key], note="import")
        created: list[Person] = []
        updated: list[tuple[Person, dict[str, Any]]] = []
        for op in ops:
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
        copy_create(Person, created)
        auditor.audit_bulk_create(actor=actor, objs=created, note="import")
        if updated:
            values_update(Person, [p for p, _ in updated], PERSON_EDITABLE_FIELDS)
            auditor.audit_bulk_update(actor=actor, pairs=updated, note="import")


PEOPLE = ChunkedImport(
    kind="people",
    required=PEOPLE_REQUIRED,
    optional=PEOPLE_OPTIONAL,
    unique=("staff_number", "gmc_number"),
    planner=PeoplePlanner(),
)
