"""Writes for appraisal and revalidation. Each validates, is audited, and explains a refusal."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction

from medlead.core import audit as auditor
from medlead.core import notify
from medlead.core import services as core
from medlead.core.actors import SystemActor
from medlead.core.dates import parse_day, today
from medlead.core.params import is_digits
from medlead.core.policy import Forbidden, Perm, require
from medlead.core.tabular import read_with_header
from medlead.organisation.models import Person, Trust
from medlead.revalidation import rules
from medlead.revalidation.hooks import OPEN_MHPS_CASE
from medlead.revalidation.models import (
    Appraisal,
    AppraisalStatus,
    Concern,
    Connection,
    Recommendation,
    RecommendationKind,
    SupportingInfo,
)
from medlead.revalidation.selectors import (
    appraisal_day,
    appraisal_edition,
    appraisal_year,
    config,
    doctor_record,
    edition_on,
    scope_of_work,
    settings,
    si_domains,
    si_names,
    suggestions,
)
from medlead.revalidation.workflows import APPRAISAL

# ------------------------------------------------------------------------------------------- connections

# The columns of the connection list (its kind, with an example file, is registered in revalidation.import_kinds).
IMPORT_REQUIRED = ("gmc_number", "submission_date")
IMPORT_OPTIONAL = ("connected_on", "name")


@transaction.atomic
def connections_import(
    *, actor: Any, trust: Trust, filename: str, content: bytes, today: dt.date
) -> tuple[int, list[str]]:
    """Import the connection list (as exported from the GMC's system): ``gmc_number``, ``submission_date`` and
    optionally ``connected_on``. All or nothing; each error names row, column and reason."""
    table, errors = read_with_header(filename, content, IMPORT_REQUIRED, IMPORT_OPTIONAL)
    require(actor, Perm.MANAGE_APPRAISALS, trust)
    if table is None or errors:
        return 0, errors
    people = {p.gmc_number: p for p in Person.objects.filter(trust=trust) if p.gmc_number}
    seen: dict[str, int] = {}
    rows = []
    for line, row in table.rows:
        gmc = row.get("gmc_number", "").strip()
        person = people.get(gmc)
        if not is_digits(gmc) or len(gmc) != 7:
            errors.append(f"row {line}, column 'gmc_number': '{gmc}' is not a 7-digit GMC number")
        elif person is None:
            errors.append(f"row {line}, column 'gmc_number': no doctor with GMC number {gmc} in this trust")
        elif gmc in seen:
            errors.append(f"row {line}, column 'gmc_number': {gmc} is also on row {seen[gmc]}")
        seen.setdefault(gmc, line)
        dates: dict[str, dt.date] = {}
        for col in ("submission_date", "connected_on"):
            if row.get(col):
                try:
                    dates[col] = parse_day(row[col])
                except ValueError:
                    errors.append(
                        f"row {line}, column '{col}': '{row[col]}' is not a date like 2027-03-31 or 31/03/2027"
                    )
            elif col == "submission_date":
                errors.append(f"row {line}, column 'submission_date': this value is required")
        if person is not None and "submission_date" in dates:
            rows.append((person, dates["submission_date"], dates.get("connected_on", today)))
    if errors:
        return 0, errors
    for person, submission, connected in rows:
        existing = Connection.objects.filter(person=person, disconnected_on__isnull=True).first()
        if existing is None:
            core.create(
                actor=actor,
                obj=Connection(trust=trust, person=person, connected_on=connected, submission_date=submission),
                note=f"import {filename}",
            )
        elif existing.submission_date != submission:
            core.update(actor=actor, obj=existing, data={"submission_date": submission}, note=f"import {filename}")
    return len(rows), []


def connections_import_run(
    *, actor: Any, trust: Trust, filename: str, content: bytes, params: dict[str, Any]
) -> list[str]:
    """For the shared import pipeline (``core.imports``)."""

    return connections_import(actor=actor, trust=trust, filename=filename, content=content, today=today())[1]


# ------------------------------------------------------------------------------------------- appraisals


@transaction.atomic
def appraisal_create(
    *, actor: Any, person: Person, year: int, appraiser: Person | None, extension_reason: str = ""
) -> Appraisal:
    """Arrange a doctor's appraisal for a year. An appraiser who has appraised the doctor three years in a row is
    refused, unless the responsible officer keeps them, giving a reason (recorded in the audit trail)."""
    require(actor, Perm.MANAGE_APPRAISALS, person)
    note = ""
    if appraiser is not None:
        allowed, refused = suggestions(doctor=person, year=year)
        reason = next((why for c, why in refused if c.person_id == appraiser.pk), None)
        if reason is not None and rules.extendable(reason) and extension_reason.strip():
            require(actor, Perm.MAKE_RECOMMENDATIONS, person)
            note = f"appraiser kept beyond three years by the responsible officer: {extension_reason.strip()[:200]}"
            allowed.append(next((c, why) for c, why in refused if c.person_id == appraiser.pk))
        elif reason is not None:
            raise ValidationError({"appraiser": f"{appraiser} cannot appraise {person}: {reason}."})
        if appraiser.pk not in {c.person_id for c, _ in allowed}:
            raise ValidationError({"appraiser": f"{appraiser} is not an active appraiser here."})
    if Appraisal.objects.filter(person=person, year=year).exists():
        raise ValidationError({"year": f"{person} already has an appraisal for {year}/{(year + 1) % 100:02d}."})
    appraisal = core.create(
        actor=actor,
        obj=Appraisal(
            trust_id=person.trust_id,
            person=person,
            year=year,
            appraiser=appraiser,
            scope_of_work=scope_of_work(person=person, year=year),
        ),
        note=note,
    )
    notify.email_people(
        [person, appraiser],
        subject=f"Appraisal {appraisal.year_label}",
        body=f"{appraiser or 'An appraiser'} will appraise {person} for {appraisal.year_label}.",
    )
    return appraisal


INPUT_FIELDS = (
    "scope_of_work",
    "previous_pdp_review",
    "achievements",
    "probity_declared",
    "health_declared",
    "colleague_feedback",
    "domain_reflections",
)
OUTPUT_FIELDS = ("summary", "new_pdp", "statements_confirmed", "domain_summaries")


def _by_domain(appraisal: Appraisal, field: str, given: Any) -> dict[str, str]:
    """The texts under each domain of the appraisal's edition: those given replace the stored ones; a code that is
    not one of the edition's domains is dropped (an appraisal not organised by domain keeps what it had)."""
    stored = dict(getattr(appraisal, field) or {})
    codes = [c for c, _ in appraisal_edition(appraisal).domains]
    if not isinstance(given, dict):
        return stored
    for code in codes:
        if code in given:
            stored[code] = str(given[code] or "").strip()
    return {k: v for k, v in stored.items() if v}


def appraisal_update_inputs(*, actor: Any, appraisal: Appraisal, **data: Any) -> Appraisal:
    require(actor, Perm.EDIT_APPRAISAL_INPUTS, appraisal)
    if appraisal.status in (AppraisalStatus.SIGNED_OFF,):
        raise ValidationError("A signed-off appraisal cannot be changed.")
    data = {k: v for k, v in data.items() if k in INPUT_FIELDS}
    if "domain_reflections" in data:
        data["domain_reflections"] = _by_domain(appraisal, "domain_reflections", data["domain_reflections"])
    cycle = data.get("colleague_feedback")
    if cycle is not None and (cycle.subject_id != appraisal.person_id or cycle.status != "closed"):
        raise ValidationError({"colleague_feedback": "Attach one of your own completed 360s."})
    if APPRAISAL.may_move(actor, appraisal, AppraisalStatus.PREPARING):
        data["status"] = AppraisalStatus.PREPARING
    return core.update(actor=actor, obj=appraisal, data=data)


def appraisal_update_outputs(*, actor: Any, appraisal: Appraisal, sign_off: bool = False, **data: Any) -> Appraisal:
    require(actor, Perm.EDIT_APPRAISAL_OUTPUTS, appraisal)
    if appraisal.status == AppraisalStatus.SIGNED_OFF:
        raise ValidationError("A signed-off appraisal cannot be changed.")
    data = {k: v for k, v in data.items() if k in OUTPUT_FIELDS}
    if "domain_summaries" in data:
        data["domain_summaries"] = _by_domain(appraisal, "domain_summaries", data["domain_summaries"])
    edition = appraisal_edition(appraisal)
    summaries = data.get("domain_summaries", appraisal.domain_summaries) or {}
    summarised = bool(data.get("summary") or appraisal.summary) or any(summaries.values())
    if sign_off:
        missing = []
        if edition.by_domain:
            # Good medical practice 2024: the appraiser summarises the discussion under each of the four domains
            missing += [f"the summary under {name}" for code, name in edition.domains if not summaries.get(code)]
        elif not (data.get("summary") or appraisal.summary):
            missing.append("the summary")
        if not (data.get("new_pdp") or appraisal.new_pdp):
            missing.append("the new PDP")
        if not data.get("statements_confirmed", appraisal.statements_confirmed):
            missing.append("the appraiser's statements")
        if not (appraisal.probity_declared and appraisal.health_declared):
            missing.append("the doctor's probity and health statements")
        if missing:
            raise ValidationError(f"Before signing off, complete {', '.join(missing)}.")
        APPRAISAL.move(actor, appraisal, AppraisalStatus.SIGNED_OFF)
        data["status"] = AppraisalStatus.SIGNED_OFF
        data["signed_off_on"] = today()
    elif summarised and APPRAISAL.may_move(actor, appraisal, AppraisalStatus.COMPLETED):
        data["status"] = AppraisalStatus.COMPLETED
    return core.update(actor=actor, obj=appraisal, data=data)


def status_choices(*, actor: Any, appraisal: Appraisal) -> list[tuple[str, str]]:
    """The statuses ``actor`` may move this appraisal to by hand (booking, missed, reopening): never sign-off,
    which is the appraiser's, with their statements and the doctor's declarations."""
    return [(m.target, m.label) for m in APPRAISAL.moves_for(actor, appraisal) if m.perm == Perm.ARRANGE_APPRAISAL]


def appraisal_set_status(
    *, actor: Any, appraisal: Appraisal, status: str, meeting_date: dt.date | None = None, missed_reason: str = ""
) -> Appraisal:
    if status != appraisal.status:
        move = APPRAISAL.move(actor, appraisal, status)
        if move.perm != Perm.ARRANGE_APPRAISAL:
            raise Forbidden(move.perm)
    else:
        require(actor, Perm.ARRANGE_APPRAISAL, appraisal)
    return core.update(
        actor=actor,
        obj=appraisal,
        data={
            "status": status,
            "meeting_date": meeting_date or appraisal.meeting_date,
            "missed_reason": missed_reason or appraisal.missed_reason,
        },
    )


def missed_decision(*, actor: Any, appraisal: Appraisal, approved: bool) -> Appraisal:
    if appraisal.status != AppraisalStatus.MISSED:
        raise ValidationError("Only a missed or incomplete appraisal is approved or not.")
    require(actor, Perm.DECIDE_MISSED_APPRAISAL, appraisal)
    return core.update(actor=actor, obj=appraisal, data={"missed_approved": approved})


def supporting_info_add(
    *,
    actor: Any,
    appraisal: Appraisal,
    kind: str,
    title: str,
    date: dt.date | None = None,
    reflection: str = "",
    domain: str = "",
) -> SupportingInfo:
    """Add supporting information. In an appraisal organised by Good medical practice's domains it is filed under
    the domain chosen, else its type's usual domain (data/good_medical_practice.yaml, as the trust confirmed it)."""
    require(actor, Perm.EDIT_APPRAISAL_INPUTS, appraisal)
    if appraisal.status == AppraisalStatus.SIGNED_OFF:
        raise ValidationError("A signed-off appraisal cannot be changed.")
    if kind not in si_names():
        raise ValidationError({"kind": "Choose one of the six types of supporting information."})
    day = appraisal_day(appraisal.trust_id, appraisal)
    edition = edition_on(day)
    if not edition.by_domain:
        domain = ""
    elif not domain:
        domain = si_domains(appraisal.trust_id, day).get(kind, "")
    elif not edition.domain_name(domain):
        raise ValidationError({"domain": f"Choose one of the domains of {edition.title}."})
    return core.create(
        actor=actor,
        obj=SupportingInfo(
            trust_id=appraisal.trust_id,
            appraisal=appraisal,
            kind=kind,
            title=title,
            date=date,
            reflection=reflection,
            domain=domain,
        ),
    )


def supporting_info_domain(*, actor: Any, item: SupportingInfo, domain: str) -> SupportingInfo:
    """The doctor files a piece of supporting information under another of the edition's domains."""
    appraisal = item.appraisal
    require(actor, Perm.EDIT_APPRAISAL_INPUTS, appraisal)
    if appraisal.status == AppraisalStatus.SIGNED_OFF:
        raise ValidationError("A signed-off appraisal cannot be changed.")
    edition = appraisal_edition(appraisal)
    if not edition.by_domain:
        raise ValidationError("This appraisal is not organised by the domains of Good medical practice.")
    if not edition.domain_name(domain):
        raise ValidationError({"domain": f"Choose one of the domains of {edition.title}."})
    return core.update(actor=actor, obj=item, data={"domain": domain})


# ---------------------------------------------------------------------------------------- recommendations


def recommendation_notes(
    *, connection: Connection, kind: str, defer_to: dt.date | None, criteria: list[str], today: dt.date
) -> list[rules.Note]:
    """What stands in the way of a recommendation (errors) and what the responsible officer should weigh
    (warnings)."""
    cfg = config()
    numbers = settings(connection.trust_id, today)
    record = doctor_record(person=connection.person, today=today)
    late = rules.check_on_time(due=connection.submission_date, today=today)
    if kind == RecommendationKind.DEFER:
        return (
            late
            + rules.check_criteria([c["code"] for c in cfg["deferral_criteria"]], criteria, "a deferral")
            + rules.check_deferral(
                due=connection.submission_date,
                new_date=defer_to,
                first_due=record["first_due"],
                typical=numbers["defer.typical_months"],
                advice_over=int(numbers["defer.gmc_advice_over_months"]),
            )
        )
    if kind == RecommendationKind.NON_ENGAGEMENT:
        codes = [c["code"] for c in cfg["non_engagement_criteria"]]
        return late + rules.check_criteria(codes, criteria, "non-engagement")
    notes = late + [rules.Note("warning", gap) for gap in record["gaps"]]
    if Concern.objects.filter(person=connection.person, resolved_on__isnull=True).exists() or OPEN_MHPS_CASE(
        connection.person
    ):
        notes.append(rules.Note("warning", "There are open concerns about this doctor."))
    return notes


def awaiting_gmc(connection: Connection) -> Recommendation | None:
    """The connection's recommendation made in medlead but not yet marked submitted to the GMC, if there is one."""
    return Recommendation.objects.filter(connection=connection, submitted_on__isnull=True).order_by("-made_on").first()


def recommend_check(
    *,
    connection: Connection,
    kind: str,
    evidence: str,
    today: dt.date,
    defer_to: dt.date | None = None,
    defer_reason: str = "",
    criteria: list[str] | None = None,
    acknowledged: bool = False,
) -> None:
    """Whether the recommendation can be made as given: ``ValidationError`` with the reason when it cannot (the
    check-your-answers page and the recommendation itself ask the same)."""
    waiting = awaiting_gmc(connection)
    if waiting is not None:
        raise ValidationError(
            f"The {waiting.get_kind_display().lower()} recommendation made on {waiting.made_on:%-d %B %Y} is not yet "
            "marked as submitted to the GMC: mark it submitted before making the next one."
        )
    if not evidence.strip():
        raise ValidationError({"evidence": "Record what the recommendation rests on."})
    if kind == RecommendationKind.DEFER and not defer_reason:
        raise ValidationError({"defer_reason": "Choose the reason for deferring."})
    notes = recommendation_notes(
        connection=connection, kind=kind, defer_to=defer_to, criteria=criteria or [], today=today
    )
    errors = [n.text for n in notes if n.level == "error"]
    if errors:
        raise ValidationError(errors)
    if any(n.level == "warning" for n in notes) and not acknowledged:
        raise ValidationError("Confirm that you have weighed the warnings shown before making this recommendation.")


@transaction.atomic
def recommend(
    *,
    actor: Any,
    connection: Connection,
    kind: str,
    evidence: str,
    today: dt.date,
    defer_to: dt.date | None = None,
    defer_reason: str = "",
    criteria: list[str] | None = None,
    acknowledged: bool = False,
) -> Recommendation:
    """The responsible officer's recommendation, recorded in medlead; it still has to be submitted on GMC Connect by
    the submission date, and stays waiting for that (``gmc_submitted``)."""
    require(actor, Perm.MAKE_RECOMMENDATIONS, connection)
    connection = Connection.objects.select_for_update().get(pk=connection.pk)
    criteria = criteria or []
    recommend_check(
        connection=connection,
        kind=kind,
        evidence=evidence,
        today=today,
        defer_to=defer_to,
        defer_reason=defer_reason,
        criteria=criteria,
        acknowledged=acknowledged,
    )
    rec = core.create(
        actor=actor,
        obj=Recommendation(
            trust_id=connection.trust_id,
            connection=connection,
            person=connection.person,
            kind=kind,
            due_date=connection.submission_date,
            made_on=today,
            made_by=actor if getattr(actor, "pk", None) else None,
            defer_to=defer_to if kind == RecommendationKind.DEFER else None,
            defer_reason=defer_reason,
            criteria_confirmed=criteria if kind != RecommendationKind.REVALIDATE else [],
            evidence=evidence.strip(),
        ),
    )
    if kind == RecommendationKind.REVALIDATE:
        cycle_years = int(settings(connection.trust_id, connection.submission_date)["cycle_years"])
        next_date = rules.add_months(connection.submission_date, 12 * cycle_years)
        core.update(actor=actor, obj=connection, data={"submission_date": next_date}, note="revalidated")
    elif kind == RecommendationKind.DEFER:
        core.update(actor=actor, obj=connection, data={"submission_date": defer_to}, note="deferred")
    return rec


@transaction.atomic
def gmc_submitted(
    *, actor: Any, recommendation: Recommendation, submitted_on: dt.date, today: dt.date
) -> Recommendation:
    """The responsible officer marks a recommendation as submitted to the GMC on GMC Connect, on the day they did."""
    rec = Recommendation.objects.select_for_update().get(pk=recommendation.pk)
    require(actor, Perm.MAKE_RECOMMENDATIONS, rec)
    if rec.submitted_on is not None:
        raise ValidationError(f"This recommendation was marked submitted to the GMC on {rec.submitted_on:%-d %B %Y}.")
    if submitted_on > today:
        raise ValidationError({"submitted_on": "The date it was submitted cannot be in the future."})
    if submitted_on < rec.made_on:
        raise ValidationError(
            {"submitted_on": f"The date it was submitted cannot be before it was made ({rec.made_on:%-d %B %Y})."}
        )
    return core.update(actor=actor, obj=rec, data={"submitted_on": submitted_on})


def concern_add(*, actor: Any, person: Person, summary: str) -> Concern:
    require(actor, Perm.VIEW_CONCERNS, person)
    return core.create(actor=actor, obj=Concern(trust_id=person.trust_id, person=person, summary=summary))


def concerns_read(*, actor: Any, person: Person) -> list[Concern]:
    """Open concerns for the responsible officer; each read is audited."""
    require(actor, Perm.VIEW_CONCERNS, person)
    concerns = list(Concern.objects.filter(person=person, resolved_on__isnull=True))
    for c in concerns:
        auditor.audit_read(actor=actor, obj=c, note="revalidation record")
    return concerns


# ------------------------------------------------------------- feedback from colleagues and patients (issue 33)

# The appraisals a reflection on a feedback report may go into: not signed off, not missed.
OPEN_FOR_FEEDBACK = (
    AppraisalStatus.NOT_STARTED,
    AppraisalStatus.PREPARING,
    AppraisalStatus.BOOKED,
    AppraisalStatus.COMPLETED,
)


def next_appraisal(*, person: Person, day: dt.date) -> Appraisal | None:
    """The doctor's next appraisal on ``day``: the first of the current and the next appraisal years' appraisals that
    is neither signed off nor missed (a completed one not yet signed off still takes supporting information)."""
    year = appraisal_year(person.trust_id, day)
    return (
        Appraisal.objects.filter(person=person, year__in=(year, year + 1), status__in=OPEN_FOR_FEEDBACK)
        .order_by("year")
        .first()
    )


@transaction.atomic
def feedback_supporting_info_add(
    *, actor: Any, person: Person, kinds: list[str], title: str, day: dt.date, reflection: str
) -> list[SupportingInfo]:
    """A released colleague or patient feedback report and the doctor's reflection on it, as supporting information
    (one item of each kind, ``colleague_feedback`` and/or ``patient_feedback``) in the doctor's next appraisal
    (``next_appraisal``). Where the doctor has none, the appraisal of the first of this and the next appraisal years
    that has none yet is created, with no appraiser, so that the reflection is never lost: the revalidation team
    arranges it as any other (its creation is recorded as the system's, for this reason). Only the doctor adds it."""
    unknown = [k for k in kinds if k not in si_names() or k not in ("colleague_feedback", "patient_feedback")]
    if unknown or not kinds:
        raise ValidationError("Feedback is added as feedback from colleagues or from patients.")
    appraisal = next_appraisal(person=person, day=day)
    if appraisal is None:
        year = appraisal_year(person.trust_id, day)
        taken = set(Appraisal.objects.filter(person=person, year__in=(year, year + 1)).values_list("year", flat=True))
        free = next((y for y in (year, year + 1) if y not in taken), None)
        if free is None:
            raise ValidationError(
                "Your appraisals for this year and next are signed off or recorded as missed: ask the revalidation "
                "team to arrange the next one, then add your reflection."
            )
        appraisal = core.create(
            actor=SystemActor("a feedback reflection needs the doctor's next appraisal"),
            obj=Appraisal(
                trust_id=person.trust_id,
                person=person,
                year=free,
                scope_of_work=scope_of_work(person=person, year=free),
            ),
        )
    # filed under each type's usual domain where the appraisal is organised by Good medical practice's domains
    return [
        supporting_info_add(
            actor=actor, appraisal=appraisal, kind=kind, title=title[:200], date=day, reflection=reflection
        )
        for kind in kinds
    ]
