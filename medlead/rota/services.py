"""Writes for rotas and exception reports. Each validates, is audited, and re-checks the rota it changes."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from medlead.accounts.models import Role, User
from medlead.core import audit as auditor
from medlead.core import dates, notify
from medlead.core import services as core
from medlead.core.params import YEARS
from medlead.core.policy import Perm, require
from medlead.core.tabular import read_with_header
from medlead.organisation.models import Person, Specialty, Trust
from medlead.organisation.selectors import people_by_number
from medlead.rota import engine, placed, publication, selectors
from medlead.rota.engine import fines
from medlead.rota.engine.timeutil import skipped, skipped_reason
from medlead.rota.models import (
    IN_FORCE,
    Duty,
    DutyKind,
    ExceptionReport,
    GuardianQuarter,
    Outcome,
    Preference,
    ReportKind,
    ReportStatus,
    Rota,
    RotaBreach,
    RotaMember,
    Route,
)
from medlead.rota.selectors import fine_bases, fine_categories, fine_payer, fine_rates, rules_version
from medlead.rota.workflows import EXCEPTION_REPORT
from medlead.structure.models import Holding

# ------------------------------------------------------------------------------------------- checking


def _local_naive(value: dt.datetime) -> dt.datetime:
    return timezone.localtime(value).replace(tzinfo=None)


def _aware(value: dt.datetime) -> dt.datetime:
    return timezone.make_aware(value) if timezone.is_naive(value) else value


@transaction.atomic
def rota_check(*, rota: Rota) -> engine.Report:
    """Run the rule engine over the rota and store what it finds, replacing the last check."""
    duties = selectors.rota_duties(rota=rota)
    first = min((d.start.date() for d in duties), default=None)
    rules = selectors.trust_rules(rota.trust, rota.rules_id(first), first or dates.today())
    report = engine.check(engine.Rota.from_duties(duties), rules)
    RotaBreach.objects.filter(rota=rota).delete()
    RotaBreach.objects.bulk_create(
        [
            RotaBreach(
                trust_id=rota.trust_id,
                rota=rota,
                person_id=int(b.doctor),
                rule=b.rule,
                start=_aware(b.start),
                end=_aware(b.end),
                message=b.message[:300],
                hint=b.hint[:300],
                source=rules.source(b.rule)[:300],
                warning=b.severity == "warning",
            )
            for b in report.breaches + report.warnings
        ]
    )
    rota.checked_at = timezone.now()
    rota.checked_rules = rules.id
    rota.save(update_fields=["checked_at", "checked_rules", "updated_at"])
    return report


def rota_create(
    *, actor: Any, trust: Trust, name: str, rule_set: str = IN_FORCE, specialty: Specialty | None = None
) -> Rota:
    require(actor, Perm.MANAGE_ROTAS, trust)
    return core.create(actor=actor, obj=Rota(trust=trust, name=name, rule_set=rule_set, specialty=specialty))


@transaction.atomic
def member_add(*, actor: Any, rota: Rota, person: Person, opted_out: bool = False) -> RotaMember:
    require(actor, Perm.MANAGE_ROTAS, rota)
    if person.trust_id != rota.trust_id:
        raise ValidationError({"person": "The doctor must work in the same trust as the rota."})
    if RotaMember.objects.filter(rota=rota, person=person).exists():
        raise ValidationError({"person": f"{person} is already on this rota."})
    member = core.create(
        actor=actor, obj=RotaMember(trust_id=rota.trust_id, rota=rota, person=person, opted_out=opted_out)
    )
    rota_check(rota=rota)
    return member


@transaction.atomic
def duty_add(
    *, actor: Any, rota: Rota, person: Person, start: dt.datetime, end: dt.datetime, kind: str = DutyKind.SHIFT
) -> tuple[Duty, engine.Report]:
    require(actor, Perm.MANAGE_ROTAS, rota)
    if not RotaMember.objects.filter(rota=rota, person=person).exists():
        raise ValidationError({"person": f"{person} is not on this rota; add them first."})
    for name, value in (("start", start), ("end", end)):
        if timezone.is_naive(value) and skipped(value):
            raise ValidationError({name: skipped_reason(value)})
    duty = core.create(
        actor=actor,
        obj=Duty(trust_id=rota.trust_id, rota=rota, person=person, start=_aware(start), end=_aware(end), kind=kind),
    )
    publication.duties_changed(rota=rota, before=set(), after=publication.duty_keys([duty]), what="a duty added")
    return duty, rota_check(rota=rota)


@transaction.atomic
def duty_delete(*, actor: Any, duty: Duty) -> engine.Report:
    require(actor, Perm.MANAGE_ROTAS, duty)
    rota = duty.rota
    gone = publication.duty_keys([duty])
    core.delete(actor=actor, obj=duty)
    publication.duties_changed(rota=rota, before=gone, after=set(), what="a duty removed")
    return rota_check(rota=rota)


# ------------------------------------------------------------------------------------------- import

# The columns of a rota import (its kind, with an example file, is registered in rota.import_kinds).
IMPORT_REQUIRED = ("doctor", "start", "end")
IMPORT_OPTIONAL = ("kind", "opted_out")


@transaction.atomic
def rota_import(
    *,
    actor: Any,
    trust: Trust,
    name: str,
    rule_set: str,
    filename: str,
    content: bytes,
    specialty: Specialty | None = None,
) -> tuple[Rota | None, list[str]]:
    """Create a rota from a CSV or XLSX file (``doctor`` is a GMC or staff number). All or nothing: on any
    error nothing is saved and every error is returned as 'row N, column C: reason'."""
    require(actor, Perm.MANAGE_ROTAS, trust)
    table, errors = read_with_header(filename, content, IMPORT_REQUIRED, IMPORT_OPTIONAL)
    if table is None:
        return None, errors
    if Rota.objects.filter(trust=trust, name=name).exists():
        errors.append(f"A rota called '{name}' already exists.")
    if rule_set and rule_set not in engine.available():
        errors.append(f"'{rule_set}' is not a set of rules medlead knows.")
    if errors:
        return None, errors
    people = people_by_number(trust=trust)
    rows: list[tuple[Person, dt.datetime, dt.datetime, str]] = []
    opted: dict[int, bool] = {}
    for line, row in table.rows:
        person = people.get(row.get("doctor", ""))
        if person is None:
            errors.append(f"row {line}, column 'doctor': no doctor with GMC or staff number '{row.get('doctor', '')}'")
        times = {}
        for col in ("start", "end"):
            try:
                times[col] = dt.datetime.fromisoformat(row.get(col, ""))
            except ValueError:
                errors.append(
                    f"row {line}, column '{col}': '{row.get(col, '')}' is not a date and time like 2026-01-05T08:00"
                )
                continue
            if not YEARS[0] <= times[col].year <= YEARS[1]:
                errors.append(f"row {line}, column '{col}': choose a date between {YEARS[0]} and {YEARS[1]}")
                del times[col]
            elif times[col].tzinfo is None and skipped(times[col]):
                errors.append(f"row {line}, column '{col}': {skipped_reason(times[col])}")
        if len(times) == 2 and times["end"] <= times["start"]:
            errors.append(f"row {line}, column 'end': the end is not after the start")
        kind = (row.get("kind") or "shift").strip().lower()
        if kind not in DutyKind.values:
            errors.append(f"row {line}, column 'kind': '{kind}' is not shift, on_call or on_call_work")
        word = (row.get("opted_out") or "").strip().lower()
        if word not in {"", "true", "false", "yes", "no"}:
            errors.append(f"row {line}, column 'opted_out': '{word}' is not true or false")
        if person is not None and len(times) == 2:
            rows.append((person, times["start"], times["end"], kind))
            if word:
                opted[person.pk] = opted.get(person.pk, False) or word in {"true", "yes"}
    if not table.rows:
        errors.append("row 1: the file has no rows")
    if errors:
        return None, errors
    rota = rota_create(actor=actor, trust=trust, name=name, rule_set=rule_set, specialty=specialty)
    members = [
        RotaMember(trust=trust, rota=rota, person_id=pid, opted_out=opted.get(pid, False))
        for pid in dict.fromkeys(p.pk for p, _, _, _ in rows)
    ]
    RotaMember.objects.bulk_create(members)
    duties = Duty.objects.bulk_create(
        [Duty(trust=trust, rota=rota, person=p, start=_aware(s), end=_aware(e), kind=k) for p, s, e, k in rows],
        batch_size=1000,
    )
    auditor.audit_bulk_create(actor=actor, objs=[*members, *duties], note=f"rota import {filename}")
    rota_check(rota=rota)
    return rota, []


# ------------------------------------------------------------------------------------ exception reports


ROUTE_BY_NAME = {"supervisor": Route.SUPERVISOR, "medical_workforce": Route.MEDICAL_WORKFORCE}
ROUTE_BY_NAME["director_of_medical_education"] = Route.DIRECTOR_OF_MEDICAL_EDUCATION


def _approvers_emails(report: ExceptionReport) -> list[str]:
    """Where a new report is announced: the person or team its route names, in the trusts it reaches (a placed
    doctor's host, lead employer or both, as their placement says: ``placed.named``)."""

    if report.route == Route.SUPERVISOR:
        return [report.supervisor.email] if report.supervisor and report.supervisor.email else []
    who = placed.named(report)
    trusts = ([report.trust_id] if who.host else []) + ([who.lead.pk] if who.lead is not None else [])
    if report.route == Route.MEDICAL_WORKFORCE:
        return list(
            User.objects.filter(
                role_assignments__role=Role.MEDICAL_STAFFING, role_assignments__trust_id__in=trusts, is_active=True
            )
            .exclude(email="")
            .values_list("email", flat=True)
            .distinct()
        )
    return list(
        Holding.objects.filter(
            trust_id__in=trusts, end__isnull=True, post__post_type__code="director_of_medical_education"
        )
        .exclude(person__email="")
        .values_list("person__email", flat=True)
    )


def classify(report: ExceptionReport) -> dict[str, Any]:
    """Apply the rules in force on the date of the event: the version and the route. Returns those rules."""

    rules = selectors.exception_rules(report.trust, report.occurred_on)
    report.rules_version = rules["code"]
    route = ROUTE_BY_NAME.get(str(rules["routes"][report.kind]))
    if route is None:
        raise ValidationError(
            "Your trust's confirmed route for this kind of report is not one medlead knows (supervisor, "
            "medical_workforce or director_of_medical_education). Correct it on the rules and values in force page."
        )
    report.route = route
    return rules


@transaction.atomic
def report_submit(
    *, actor: Any, doctor: Person, supervisor: Person | None = None, today: dt.date | None = None, **data: Any
) -> ExceptionReport:
    """A resident doctor reports that work varied from their work schedule. Judged by the rules in force on the
    date of the event: under version 13, within 28 days, routed to medical workforce (or, for education, the
    director of medical education), with the doctor's choice of pay or time off for extra hours."""
    require(actor, Perm.SUBMIT_EXCEPTION_REPORT, doctor)
    if supervisor is not None and supervisor.trust_id != doctor.trust_id:
        raise ValidationError({"supervisor": "The educational supervisor must work in the same trust."})
    report = ExceptionReport(trust_id=doctor.trust_id, doctor=doctor, supervisor=supervisor, **data)
    rules = classify(report)
    today = today or dates.today()
    window = rules.get("submit_within_days")
    if window and report.occurred_on and (today - report.occurred_on).days > window:
        raise ValidationError(
            {
                "occurred_on": f"Exception reports are submitted within {window} days of the event ({rules['name']}); "
                f"this was {(today - report.occurred_on).days} days ago."
            }
        )
    if rules["doctor_chooses_pay_or_toil"] and report.kind == ReportKind.HOURS and not report.preferred:
        raise ValidationError({"preferred": "Choose payment or time off in lieu for the extra hours."})
    if not rules["doctor_chooses_pay_or_toil"]:
        report.preferred = ""
    report = core.create(actor=actor, obj=report)
    notify.email(
        _approvers_emails(report),
        subject=f"Exception report from {doctor.display_name}",
        body=f"{doctor.display_name} has submitted an exception report ({report.get_kind_display()}, "
        f"{report.occurred_on:%d %B %Y}). Please agree an outcome in medlead.",
    )
    return report


@transaction.atomic
def report_agree_outcome(
    *,
    actor: Any,
    report: ExceptionReport,
    outcome: str,
    toil_hours: Decimal | None = None,
    toil_by: dt.date | None = None,
    outcome_note: str = "",
    safe_hours_breach: bool = False,
    hours_verified_by: str = "",
) -> ExceptionReport:

    report = ExceptionReport.objects.select_for_update().select_related("doctor", "trust").get(pk=report.pk)
    if report.status == ReportStatus.AGREED:
        raise ValidationError("An outcome has already been agreed for this report.")
    EXCEPTION_REPORT.move(actor, report, ReportStatus.AGREED)
    if report.preferred and outcome in (Outcome.PAYMENT, Outcome.TOIL):
        # Version 13: the doctor's choice stands, unless a breach of safe working hours mandates time off.
        chosen = Outcome.PAYMENT if report.preferred == Preference.PAY else Outcome.TOIL
        if safe_hours_breach and outcome != Outcome.TOIL:
            raise ValidationError({"outcome": "Safe working hours were breached: time off in lieu is mandated."})
        if not safe_hours_breach and outcome != chosen:
            raise ValidationError(
                {"outcome": f"The doctor chose {chosen.label.lower()}; it cannot be changed without their consent."}
            )
    tiers = {t["code"]: t["name"] for t in rules_version(report.rules_version).get("verification_tiers", [])}
    if hours_verified_by and hours_verified_by not in tiers:
        raise ValidationError({"hours_verified_by": "Choose one of the tiers of evidence."})
    paid = outcome in (Outcome.PAYMENT, Outcome.TOIL)
    if tiers and report.kind == ReportKind.HOURS and paid and not hours_verified_by:
        raise ValidationError(
            {"hours_verified_by": "Say how the additional hours were confirmed before agreeing payment or time off."}
        )
    core.update(
        actor=actor,
        obj=report,
        data={
            "outcome": outcome,
            "toil_hours": toil_hours,
            "toil_by": toil_by,
            "outcome_note": outcome_note,
            "safe_hours_breach": safe_hours_breach,
            "hours_verified_by": hours_verified_by,
            "status": ReportStatus.AGREED,
            "outcome_at": timezone.now(),
        },
    )
    notify.email_people(
        [report.doctor],
        subject="Outcome of your exception report",
        body=f"Your exception report of {report.occurred_on:%d %B %Y}: {report.get_outcome_display()}.",
    )
    return report


def fine_terms(
    *,
    report: ExceptionReport,
    category: str,
    amount: Decimal | None = None,
    hours: Decimal | None = None,
    hourly_rate: Decimal | None = None,
    note: str = "",
) -> dict[str, Any]:
    """The fine's fields as they would be saved (nothing is): a fine for hours or rest computed from the hours of the
    breach and the doctor's basic hourly rate at the penalty rate, split between the doctor and the guardian's fund;
    the version 13 fines (access, information breaches) as an amount. ``ValidationError`` says what is wrong."""
    data: dict[str, Any] = {
        "fine_category": category,
        "fine_note": note,
        "fine_amount": None,
        "fine_hours": None,
        "fine_hourly_rate": None,
        "fine_to_doctor": None,
        "fine_to_guardian": None,
        "fine_payer": "",
    }
    if category:
        if category not in fine_categories(on=report.occurred_on):
            raise ValidationError(
                {"fine_category": "Choose one of the breaches that attract a fine on the date of the event."}
            )
        data["fine_payer"] = fine_payer(report)
        if fine_bases()[category] == "hours":
            errors = {}
            if not hours or hours <= 0:
                errors["fine_hours"] = "Give the hours of the breach (the hours beyond the limit), more than 0."
            if not hourly_rate or hourly_rate <= 0:
                errors["fine_hourly_rate"] = "Give the doctor's basic hourly rate in pounds, more than £0."
            if errors:
                raise ValidationError(errors)
            assert hours is not None and hourly_rate is not None
            fine = fines.compute(hours, hourly_rate, fine_rates(report.trust, report.occurred_on))
            data.update(
                fine_amount=fine.total,
                fine_hours=hours,
                fine_hourly_rate=hourly_rate,
                fine_to_doctor=fine.to_doctor,
                fine_to_guardian=fine.to_guardian,
            )
        else:
            if amount is None or amount <= 0:
                raise ValidationError({"fine_amount": "Give the amount of the fine in pounds, more than £0."})
            data.update(fine_amount=amount, fine_to_guardian=amount)
    return data


def report_flag_fine(
    *,
    actor: Any,
    report: ExceptionReport,
    category: str,
    amount: Decimal | None = None,
    hours: Decimal | None = None,
    hourly_rate: Decimal | None = None,
    note: str = "",
) -> ExceptionReport:
    """The guardian flags (or clears) a fine, as ``fine_terms`` computes it."""

    require(actor, Perm.FLAG_FINES, report)
    data = fine_terms(report=report, category=category, amount=amount, hours=hours, hourly_rate=hourly_rate, note=note)
    return core.update(actor=actor, obj=report, data=data)


def guardian_quarter_save(*, actor: Any, trust: Trust, year: int, quarter: int, **data: Any) -> Any:
    """The guardian records a quarter's access, detriment and information-breach figures and their summary."""

    require(actor, Perm.FLAG_FINES, trust)
    existing = GuardianQuarter.objects.filter(trust=trust, year=year, quarter=quarter).first()
    if existing is None:
        return core.create(actor=actor, obj=GuardianQuarter(trust=trust, year=year, quarter=quarter, **data))
    return core.update(actor=actor, obj=existing, data=data)


def rota_import_run(*, actor: Any, trust: Trust, filename: str, content: bytes, params: dict[str, Any]) -> list[str]:
    """For the shared import pipeline (``core.imports``): ``params`` names the rota, its rule set and specialty."""
    specialty_id = params.get("specialty_id")
    specialty = Specialty.objects.filter(trust=trust, pk=specialty_id).first() if specialty_id else None
    return rota_import(
        actor=actor,
        trust=trust,
        name=params.get("name", ""),
        rule_set=params.get("rule_set", IN_FORCE),
        specialty=specialty,
        filename=filename,
        content=content,
    )[1]
