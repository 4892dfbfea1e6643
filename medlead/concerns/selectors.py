"""Reads for MHPS cases: only those the reader is named on."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from django.db.models import Q, QuerySet

from medlead.concerns.models import Case, CaseStatus, Investigation, Measure, RoleKind
from medlead.concerns.permissions import cases_filter
from medlead.core.audit import AuditAction, AuditEvent
from medlead.core.policy import Perm, can, person_fact, person_id
from medlead.core.reference_data import as_people_read, read
from medlead.core.stats import suppress_small
from medlead.organisation.models import Trust
from medlead.rulebook.selectors import Value, unconfirmed, values_for
from medlead.rulebook.unconfirmed import Unconfirmed

MHPS = "mhps.yaml"
# The national values of MHPS a trust may confirm or change (rulebook catalogue keys), read together in one query.
MHPS_KEYS = (
    "exclusion.immediate_max_days",
    "exclusion.formal_period_max_days",
    "exclusion.ppa_again_after_periods",
    "investigation.complete_days",
    "investigation.report_further_days",
    "investigation.comments_days",
    "restriction_review_max_days",
    "alert_days_before_review",
)


def rules() -> dict[str, Any]:
    data = read("mhps.yaml")
    # The file names its list of where concerns come from ``intake_sources`` (``sources`` is the file's own
    # citation); the forms and pages ask for it as "sources".
    data["sources"] = data["intake_sources"]
    return data


def mhps_values(trust: Trust, day: dt.date) -> dict[str, Value]:
    """MHPS's timescales and limits as ``trust`` applies them to a record dated ``day``: its confirmation in force,
    else the national default (one query)."""
    return values_for(trust, MHPS, MHPS_KEYS, day)


def names(kind: str) -> dict[str, str]:
    """Plain names for categories, sources or decisions."""
    return {c["code"]: c["name"] for c in rules()[kind]}


@dataclass(frozen=True)
class Timetable:
    """An investigation's timetable under MHPS Part I (data/mhps.yaml, ``investigation``), counted from the case
    investigator's appointment; the doctor's deadline for comments once they have received the report."""

    appointed_on: dt.date
    complete_by: dt.date
    report_due: dt.date
    comments_days: int
    comments_due: dt.date | None  # None until the doctor has received the report
    sources: tuple[str, ...]  # each value's sources as people read them (with "to be confirmed by the trust")
    unconfirmed: Unconfirmed  # "This timetable is the national default; ..." while a value awaits the trust

    @property
    def confirmed(self) -> bool:
        """Every value verified from its source or confirmed by the trust."""
        return not self.unconfirmed


def investigator_appointed_on(case: Case) -> dt.date | None:
    """The day the case's (first) case investigator was appointed: the investigation's timetable counts from it."""
    return (
        case.roles.filter(role=RoleKind.CASE_INVESTIGATOR)
        .order_by("appointed_on")
        .values_list("appointed_on", flat=True)
        .first()
    )


def timetable(*, trust: Trust, appointed_on: dt.date, report_to_doctor_on: dt.date | None = None) -> Timetable:
    """The investigation complete within ``complete_days`` of the case investigator's appointment, the report to
    the case manager within ``report_further_days`` more, and the doctor's comments on its factual content within
    ``comments_days`` of the day they received it: each as ``trust`` applies it on the day of the appointment."""
    found = mhps_values(trust, appointed_on)
    used = [found[f"investigation.{k}"] for k in ("complete_days", "report_further_days", "comments_days")]
    complete_days, report_further_days, comments_days = (int(v.value) for v in used)
    complete_by = appointed_on + dt.timedelta(days=complete_days)
    return Timetable(
        appointed_on=appointed_on,
        complete_by=complete_by,
        report_due=complete_by + dt.timedelta(days=report_further_days),
        comments_days=comments_days,
        comments_due=(
            report_to_doctor_on + dt.timedelta(days=comments_days) if report_to_doctor_on is not None else None
        ),
        sources=tuple(
            dict.fromkeys(
                as_people_read({"sources": list(v.national.sources), "verified": not v.awaiting}) for v in used
            )
        ),
        unconfirmed=unconfirmed("timetable", used),
    )


# The case roles whose holders answer for a case's deadlines: reviews of exclusions and restrictions, reports.
CASE_LEADS = ("case_manager", "hr_lead")


def named_on_a_case(actor: Any, trust: Any) -> bool:
    """Whether ``actor`` is named on any case in ``trust`` (for the menu; never which): the ``case_trusts`` fact,
    read with the actor's other facts."""
    return any(case_trust == trust.pk for _, case_trust, _, _ in person_fact(actor, "case_trusts"))


def cases_for(*, actor: Any, trust: Any) -> QuerySet[Case]:
    """The cases ``actor`` is named on, in ``trust``; everyone else sees none (``Perm.VIEW_CASE``)."""
    return Case.objects.filter(cases_filter(actor), trust=trust).select_related("doctor").distinct()


def _managed(person_id: int) -> Q:
    """A case's record (``case__``) on an open case ``person_id`` manages or is HR lead on: whose deadlines are
    theirs."""
    return Q(case__status=CaseStatus.OPEN, case__roles__person_id=person_id, case__roles__role__in=CASE_LEADS)


def alert_days(trust: Trust, day: dt.date) -> int:
    """How many days before a review is due its case's leads are told, as ``trust`` applies it on ``day``."""
    return int(mhps_values(trust, day)["alert_days_before_review"].value)


def reviews_due(*, person_id: int, trust: Any) -> QuerySet[Measure]:
    """Exclusion and restriction reviews not yet done on the open cases ``person_id`` manages or is HR lead on."""
    return Measure.objects.filter(_managed(person_id), trust=trust, reviewed_on__isnull=True).distinct()


def reports_due(*, person_id: int, trust: Any) -> QuerySet[Investigation]:
    """Investigation reports not yet received on the open cases ``person_id`` manages or is HR lead on."""
    return Investigation.objects.filter(_managed(person_id), trust=trust, report_received_on__isnull=True).distinct()


def deadlines(*, actor: Any, trust: Any, today: dt.date) -> list[Measure]:
    """Exclusion and restriction reviews not yet done on cases ``actor`` manages or is HR lead on, earliest first
    (overdue first)."""
    pid = person_id(actor)
    if pid is None:
        return []
    return list(reviews_due(person_id=pid, trust=trust).select_related("case").order_by("review_by"))


def report_deadlines(*, actor: Any, trust: Any) -> list[Any]:
    """Investigation reports not yet received on open cases ``actor`` manages or is HR lead on, earliest due first."""
    pid = person_id(actor)
    if pid is None:
        return []
    return list(reports_due(person_id=pid, trust=trust).order_by("report_due"))


def doctor_has_open_case(person: Any) -> bool:
    """That an open case exists (never its content): for the responsible officer's recommendation."""
    return Case.objects.filter(doctor=person, status=CaseStatus.OPEN).exists()


def sees_health(*, actor: Any, case: Case) -> bool:
    """The case manager, and those they name for it, see a case's health information (``Perm.VIEW_CASE_HEALTH``)."""
    return can(actor, Perm.VIEW_CASE_HEALTH, case)


def excluded_since(measures: Iterable[Measure], on: dt.date | None = None) -> dt.date | None:
    """The first day of a case's current exclusion, or None if the doctor is not excluded: an exclusion is counted
    from its first day across all its periods (an immediate exclusion and each renewed formal period), not from the
    start of the current period; a lifted exclusion ends it, and a later one starts afresh. With ``on``, as things
    stood that day (periods started by then; a review after it not yet made). ``measures`` are the case's measures
    (prefetched: no query)."""
    periods = sorted(
        (m for m in measures if m.is_exclusion and (on is None or m.starts_on <= on)),
        key=lambda m: (m.starts_on, m.pk or 0),
    )
    if not periods or (periods[-1].reviewed_on is not None and (on is None or periods[-1].reviewed_on <= on)):
        return None
    start = periods[-1].starts_on
    for earlier in reversed(periods[:-1]):
        # renewed, or changed on review into the exclusion that follows it (an immediate exclusion into a formal one)
        changed_into = earlier.review_outcome == "changed" and earlier.reviewed_on == start
        if earlier.review_outcome != "renewed" and not changed_into:
            break
        start = earlier.starts_on
    return start


# what ``excluded_since`` reads of a measure
_MEASURE_FIELDS = ("pk", "kind", "starts_on", "reviewed_on", "review_outcome")


@dataclass
class _OpenCase:
    """What the board's counts read of an open case."""

    raised_on: dt.date
    categories: list[str]
    decision: str
    decided_on: dt.date | None
    investigated_on: dt.date | None
    measures: list[Measure]


def board_counts(*, trust: Any, today: dt.date) -> dict[str, Any]:
    """For the board: the cases open on ``today`` by category and by stage, and exclusions with their length, as
    they stood that day (a case raised later is left out, one closed later still counts; an issued board report
    asks for its data date), small numbers suppressed as elsewhere in medlead (core.stats.suppress_small). Never a
    name."""
    from collections import Counter

    # the cases open that day with their investigation's start and their measures, in one query: a row for each
    # measure of a case (and one for a case with none)
    open_cases: dict[int, _OpenCase] = {}
    for pk, raised_on, categories, decision, decided_on, investigated_on, *measure in (
        Case.objects.filter(trust=trust, raised_on__lte=today)
        .filter(Q(status=CaseStatus.OPEN) | Q(closed_on__gt=today))
        .values_list(
            "pk",
            "raised_on",
            "categories",
            "decision",
            "decided_on",
            "investigation__started_on",
            *(f"measures__{name}" for name in _MEASURE_FIELDS),
        )
    ):
        case = open_cases.setdefault(
            pk, _OpenCase(raised_on, categories, decision, decided_on, investigated_on, measures=[])
        )
        if measure[0] is not None:
            case.measures.append(Measure(**dict(zip(_MEASURE_FIELDS, measure, strict=True))))
    by_category: Counter[str] = Counter()
    stages: Counter[str] = Counter()
    for case in open_cases.values():
        by_category.update(case.categories)
        if case.investigated_on is not None and case.investigated_on <= today:
            stage = "Under investigation"
        elif case.decision and (case.decided_on is None or case.decided_on <= today):
            stage = "Decided"
        else:
            stage = "Initial assessment"
        stages[stage] += 1
    excluded_days = [
        (today - start).days
        for case in open_cases.values()
        if (start := excluded_since(case.measures, on=today)) is not None
    ]
    categories = names("categories")
    ages = sorted((today - case.raised_on).days for case in open_cases.values())
    return {
        "open": len(open_cases),
        "median_open_days": ages[len(ages) // 2] if len(ages) >= 3 else None,
        "by_category": suppress_small({categories.get(k, k): v for k, v in by_category.items()}, 3),
        "by_stage": suppress_small(dict(stages), 3),
        "excluded": len(excluded_days) if len(excluded_days) >= 3 or not excluded_days else None,
        "longest_exclusion_days": max(excluded_days) if len(excluded_days) >= 3 else None,
    }


def case_audit(case: Case) -> list[Any]:
    """Every audit event about a case and its parts (roles, advice, measures, investigation, evidence), newest
    first: the case's own history, the only place these events are shown (``CASE_TRAIL``). A part is found among
    the case's current parts or, once deleted, by its creation event (whose ``case_id`` the trail keeps). Seven
    queries."""

    parts: dict[str, set[str]] = {
        "concerns.case": {str(case.pk)},
        "concerns.caserole": {str(i) for i in case.roles.values_list("pk", flat=True)},
        "concerns.advicecontact": {str(i) for i in case.advice.values_list("pk", flat=True)},
        "concerns.measure": {str(i) for i in case.measures.values_list("pk", flat=True)},
        "concerns.evidence": {str(i) for i in case.evidence.values_list("pk", flat=True)},
        "concerns.investigation": {
            str(i) for i in Investigation.objects.filter(case=case).values_list("pk", flat=True)
        },
    }
    created = AuditEvent.objects.filter(
        trust_id=case.trust_id, model__in=list(parts), action=AuditAction.CREATE, changes__case_id__1=case.pk
    ).values_list("model", "object_pk")
    for model, pk in created:
        parts[model].add(pk)
    q = Q(pk__in=[])
    for model, ids in parts.items():
        if ids:
            q |= Q(model=model, object_pk__in=sorted(ids))
    return list(AuditEvent.objects.filter(q, trust_id=case.trust_id).order_by("-at", "-pk")[:500])
