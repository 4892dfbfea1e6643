"""Reads for appraisal and revalidation."""

from __future__ import annotations

import datetime as dt
from collections import Counter, defaultdict
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

from django.db.models import Q, QuerySet

from medlead.core.bulk import among
from medlead.core.reference_data import in_force, read
from medlead.jobplans.models import JobPlan
from medlead.organisation.models import Person, Trust
from medlead.revalidation import rules
from medlead.revalidation.hooks import FEEDBACK_RELEASED
from medlead.revalidation.models import (
    Appraisal,
    AppraisalStatus,
    Appraiser,
    Concern,
    ConflictOfInterest,
    Connection,
    Recommendation,
    RecommendationKind,
)
from medlead.rulebook.selectors import unconfirmed_for, values_at, values_on
from medlead.rulebook.unconfirmed import Unconfirmed
from medlead.structure.models import Holding

DONE = (AppraisalStatus.COMPLETED, AppraisalStatus.SIGNED_OFF)


@lru_cache(maxsize=1)
def config() -> dict[str, Any]:
    return read("revalidation.yaml")


REVALIDATION = "revalidation.yaml"
# The numbers a trust may confirm or change (rulebook catalogue keys), read together in one query.
SETTING_KEYS = (
    "cycle_years",
    "due_queue_months",
    "defer.typical_months",
    "defer.gmc_advice_over_months",
    "appraisers.max_appraisees",
    "appraisers.max_consecutive_years",
    "appraisers.min_per_cycle",
)


def settings(trust: Trust | int, day: dt.date) -> dict[str, Any]:
    """Revalidation's numbers as ``trust`` applies them on ``day``: its confirmation in force, else the national
    value (one query). Before a value's own date (a local setting first recorded in 2026) the file's value stands."""
    found = values_on(trust, [(REVALIDATION, k, day) for k in SETTING_KEYS])
    out: dict[str, Any] = {}
    for key in SETTING_KEYS:
        if (REVALIDATION, key) in found:
            out[key] = found[(REVALIDATION, key)].value
            continue
        node: Any = config()
        for part in key.split("."):
            node = node[part]
        out[key] = node
    return out


# The settings the revalidation page applies (the appraisal year shown, the recommendations listed as due), in plain
# words: the page names those still national defaults the trust has not confirmed.
HOME_SETTINGS = {
    (REVALIDATION, "appraisal_year_starts"): "the appraisal year's first day",
    (REVALIDATION, "due_queue_months"): "how far ahead recommendations due are listed",
}


def home_unconfirmed(trust: Trust | int, day: dt.date) -> Unconfirmed:
    """ "These settings (...) are the national defaults; your trust has not confirmed them yet." where the appraisal
    year or the due queue's reach on ``day`` awaits the trust's confirmation, else nothing (one query)."""
    return unconfirmed_for(trust, day, HOME_SETTINGS, "setting", "settings")


def appraisal_year(trust: Trust | int, day: dt.date) -> int:
    """The appraisal year ``day`` falls in for ``trust``: the year's first day (``appraisal_year_starts``) as the trust
    confirmed it on ``day``, else the national 1 April (one query)."""
    key = (REVALIDATION, "appraisal_year_starts")
    found = values_on(trust, [(*key, day)])
    starts = found[key].value if key in found else config()["appraisal_year_starts"]
    return rules.appraisal_year(day, starts)


def si_types() -> list[dict[str, str]]:
    return list(config()["supporting_information"])


def si_names() -> dict[str, str]:
    return {t["code"]: t["name"] for t in si_types()}


def active_connection(person: Person) -> Connection | None:
    return Connection.objects.filter(person=person, disconnected_on__isnull=True).order_by("-connected_on").first()


def due_queue(*, trust: Trust, today: dt.date) -> QuerySet[Connection]:
    """Connected doctors whose submission date falls within the next months (or has passed)."""
    horizon = rules.add_months(today, int(settings(trust, today)["due_queue_months"]))
    return (
        Connection.objects.filter(trust=trust, disconnected_on__isnull=True, submission_date__lte=horizon)
        .select_related("person__specialty")
        .order_by("submission_date")
    )


def awaiting_gmc(*, trust: Trust) -> QuerySet[Recommendation]:
    """Recommendations made in medlead and not yet marked submitted to the GMC, the earliest submission date first."""
    return (
        Recommendation.objects.filter(trust=trust, submitted_on__isnull=True)
        .select_related("person")
        .order_by("due_date", "made_on", "pk")
    )


def cycle_dates(connection: Connection) -> tuple[dt.date, dt.date]:
    """(start, first due date) of the current revalidation cycle. The cycle starts at the last revalidation (or the
    connection, or five years before it was due). A deferral extends the same cycle: it moves the submission date
    but neither the start nor the date the cycle was first due (issue 13)."""
    recs = list(
        Recommendation.objects.filter(connection=connection)
        .order_by("made_on", "pk")
        .values_list("kind", "made_on", "due_date")
    )
    last_revalidation = max((made for kind, made, _ in recs if kind == RecommendationKind.REVALIDATE), default=None)
    deferrals = [
        due
        for kind, made, due in recs
        if kind == RecommendationKind.DEFER and (last_revalidation is None or made > last_revalidation)
    ]
    first_due = deferrals[0] if deferrals else connection.submission_date
    if last_revalidation is not None:
        return last_revalidation, first_due
    cycle = 12 * int(settings(connection.trust_id, first_due)["cycle_years"])
    return max(connection.connected_on, rules.add_months(first_due, -cycle)), first_due


def cycle_start(connection: Connection) -> dt.date:
    return cycle_dates(connection)[0]


def doctor_record(*, person: Person, today: dt.date) -> dict[str, Any]:
    """What the responsible officer needs for a recommendation: connection, the cycle's appraisals and their
    completeness, supporting-information gaps, earlier recommendations and deferrals."""
    connection = active_connection(person)
    if connection is None:
        return {"connection": None}
    start, first_due = cycle_dates(connection)
    years = list(range(appraisal_year(person.trust_id, start), appraisal_year(person.trust_id, today) + 1))
    appraisals = list(
        Appraisal.objects.filter(person=person, year__in=years)
        .select_related("appraiser")
        .prefetch_related("supporting_info")
    )
    kinds: dict[int, set[str]] = defaultdict(set)
    for a in appraisals:
        kinds[a.year].update(si.kind for si in a.supporting_info.all())
        if a.colleague_feedback_id:  # an attached 360 is feedback from colleagues
            kinds[a.year].add("colleague_feedback")
    by_year = {a.year: a for a in appraisals}
    completed_years = [y for y in years if y in by_year and by_year[y].status in DONE]
    # a colleague or patient feedback exercise whose report was released in this cycle counts for its kind (issue 33)
    feedback = FEEDBACK_RELEASED(connection.trust, {person.pk: (start, max(today, connection.submission_date))}).get(
        person.pk, {}
    )
    for kind in feedback:
        kinds[years[-1]].add(kind)
    recs = list(Recommendation.objects.filter(connection=connection).order_by("-made_on"))
    gaps = []
    for y in years[:-1] if len(years) > 1 else years:  # the current year may still be under way
        found = by_year.get(y)
        if found is None:
            gaps.append(f"No appraisal recorded for {y}/{(y + 1) % 100:02d}.")
        elif found.status == AppraisalStatus.MISSED and not found.missed_approved:
            gaps.append(f"The {found.year_label} appraisal was missed without approval ({found.missed_reason}).")
    gaps += rules.missing_in_cycle(kinds, [y for y in completed_years], si_types())
    gaps += rules.appraisers_in_cycle(
        {y: by_year[y].appraiser_id for y in completed_years},
        int(settings(connection.trust_id, today)["appraisers.min_per_cycle"]),
    )
    return {
        "connection": connection,
        "cycle_start": start,
        "years": years,
        "appraisals": by_year,
        "gaps": gaps,
        "recommendations": recs,
        "first_due": first_due,
        "feedback": feedback,
    }


def open_concerns(*, person: Person) -> QuerySet[Concern]:
    return Concern.objects.filter(person=person, resolved_on__isnull=True)


def appraiser_candidates(*, trust: Trust, year: int) -> list[rules.Candidate]:
    # the cap as the trust applies it on the first day of the appraisal year (1 April)
    default_cap = int(settings(trust, dt.date(year, 4, 1))["appraisers.max_appraisees"])
    loads = Counter(Appraisal.objects.filter(trust=trust, year=year).order_by().values_list("appraiser_id", flat=True))
    return [
        rules.Candidate(
            a.person_id,
            a.person.display_name,
            a.person.specialty_id,
            loads.get(a.person_id, 0),
            a.max_appraisees or default_cap,
        )
        for a in Appraiser.objects.filter(trust=trust, active=True)
        .select_related("person")
        .order_by("person__last_name")
    ]


def suggestions(*, doctor: Person, year: int) -> tuple[list[Any], list[Any]]:
    trust = doctor.trust
    conflicts = set(ConflictOfInterest.objects.filter(trust=trust).values_list("appraiser_id", "doctor_id"))
    appraised_by = dict(
        Appraisal.objects.filter(trust=trust, year=year).order_by().values_list("person_id", "appraiser_id")
    )
    history = dict(
        Appraisal.objects.filter(person=doctor, year__lt=year).order_by().values_list("year", "appraiser_id")
    )
    consecutive: dict[int, int] = {}
    y = year - 1
    first = history.get(y)
    while first is not None and history.get(y) == first:
        consecutive[first] = consecutive.get(first, 0) + 1
        y -= 1
    return rules.suggest_appraisers(
        doctor_id=doctor.pk,
        doctor_specialty_id=doctor.specialty_id,
        candidates=appraiser_candidates(trust=trust, year=year),
        conflicts=conflicts,
        appraised_by=appraised_by,
        consecutive_years=consecutive,
        max_consecutive=int(settings(trust, dt.date(year, 4, 1))["appraisers.max_consecutive_years"]),
    )


def scope_of_work(*, person: Person, year: int) -> str:
    """The doctor's roles from the structure and their job plan, to start the appraisal's scope of work."""

    lines = [f"{person.get_grade_display()}{', ' + person.specialty.name if person.specialty else ''}, {person.trust}."]
    for h in Holding.objects.filter(person=person, end__isnull=True).select_related("post"):
        lines.append(f"{h.post.title} ({h.post.pas_allocated:g} PAs) since {h.start:%B %Y}.")
    plan = JobPlan.objects.filter(person=person, year=year).first()
    if plan is not None:
        lines.append(
            f"Job plan {plan.year_label}: {plan.pas_total:g} PAs ({plan.pas_dcc:g} DCC, {plan.pas_spa:g} SPA, "
            f"{plan.pas_anr:g} additional NHS responsibilities)."
        )
    return "\n".join(lines)


def _connected_on(trust: Trust, end: dt.date) -> QuerySet[Any, Any]:
    # a subquery, not a list of ids: a list of a trust's 1,500 doctors made one query take 60 ms
    return (
        Connection.objects.filter(trust=trust, connected_on__lte=end)
        .filter(Q(disconnected_on__isnull=True) | Q(disconnected_on__gt=end))
        .values("person_id")
    )


def appraisal_rate_sets(*, trust: Trust, year: int) -> tuple[QuerySet[Any], QuerySet[Any]]:
    """The two sets ``appraisal_rates`` counts for its rate, to be counted elsewhere (the home page reads them with
    its other counts): the doctors connected on 31 March at the end of the year, and those of them appraised."""
    connected = _connected_on(trust, dt.date(year + 1, 3, 31))
    appraised = (
        Appraisal.objects.filter(
            trust=trust,
            year=year,
            person_id__in=connected,
            status__in=[AppraisalStatus.COMPLETED, AppraisalStatus.SIGNED_OFF],
        )
        .order_by()
        .values("person_id")
        .distinct()
    )
    return connected.distinct(), appraised


def appraisal_rates(*, trust: Trust, year: int) -> dict[str, Any]:
    """The appraisal rate as the annual organisational audit counts it: of the doctors with a prescribed connection
    to the trust on 31 March at the end of the appraisal year (each counted once), how many had an appraisal for
    that year completed or signed off. Appraisals of doctors not connected on that date (left, or never connected)
    count in neither figure, so the rate can never pass 100%. NOT VERIFIED: the audit's own sub-categories
    (1a/1b/2/3, Annex C of the Framework of Quality Assurance) were not found in the sources we hold; this is the
    overall rate only."""
    end = dt.date(year + 1, 3, 31)
    connected = _connected_on(trust, end)
    n = connected.distinct().count()
    rows = list(
        Appraisal.objects.filter(trust=trust, year=year, person_id__in=connected)
        .order_by()
        .values_list("person_id", "status", "missed_approved")
    )
    statuses = Counter(status for _, status, _ in rows)
    finished = {AppraisalStatus.COMPLETED, AppraisalStatus.SIGNED_OFF}
    done = len({person for person, status, _ in rows if status in finished})
    missed = [approved for _, status, approved in rows if status == AppraisalStatus.MISSED]
    return {
        "connected": n,
        "done": done,
        "on": end,
        "rate": (done / n * 100) if n else 0.0,
        "statuses": [(label, statuses.get(value, 0)) for value, label in AppraisalStatus.choices],
        "missed_approved": sum(1 for approved in missed if approved is True),
        "missed_unapproved": sum(1 for approved in missed if approved is not True),
    }


def recommendation_stats(*, trust: Trust, year: int) -> dict[str, Any]:
    start, end = dt.date(year, 4, 1), dt.date(year + 1, 3, 31)
    recs = list(Recommendation.objects.filter(trust=trust, made_on__gte=start, made_on__lte=end))
    kinds = Counter(r.get_kind_display() for r in recs)
    return {
        "total": len(recs),
        "on_time": sum(1 for r in recs if r.on_time),
        "late": sum(1 for r in recs if not r.on_time),
        "by_kind": [(label, kinds.get(label, 0)) for label in RecommendationKind.labels],
    }


# ------------------------------------------------------------- feedback from colleagues and patients (issue 33)

FEEDBACK_KINDS = ("colleague_feedback", "patient_feedback")


def cycle_windows(connections: list[Connection]) -> dict[int, tuple[dt.date, dt.date]]:
    """Person id -> (cycle start, submission date) of each connection's current revalidation cycle, reckoned as
    ``cycle_dates`` does (the cycle's length as the trust applies it on the day each cycle was first due), in two
    queries whatever the number of doctors. The connections are of one trust."""
    if not connections:
        return {}
    recs: dict[int, list[tuple[str, dt.date, dt.date]]] = defaultdict(list)
    for cid, kind, made, due in (
        Recommendation.objects.filter(among("connection_id", [c.pk for c in connections]))
        .order_by("made_on", "pk")
        .values_list("connection_id", "kind", "made_on", "due_date")
    ):
        recs[cid].append((kind, made, due))
    firsts: dict[int, tuple[dt.date | None, dt.date]] = {}
    for c in connections:
        last = max((made for kind, made, _ in recs[c.pk] if kind == RecommendationKind.REVALIDATE), default=None)
        deferrals = [
            due for kind, made, due in recs[c.pk] if kind == RecommendationKind.DEFER and (last is None or made > last)
        ]
        firsts[c.pk] = (last, deferrals[0] if deferrals else c.submission_date)
    trust_id = connections[0].trust_id  # every connection asked about is of one trust
    years_of = {
        (key, day): value.value
        for (_, key, day, value) in values_at(
            trust_id, {(REVALIDATION, "cycle_years", first_due) for _, first_due in firsts.values()}
        )
    }
    out = {}
    for c in connections:
        last, first_due = firsts[c.pk]
        if last is not None:
            out[c.person_id] = (last, c.submission_date)
            continue
        cycle = int(years_of.get(("cycle_years", first_due), config()["cycle_years"]))
        out[c.person_id] = (max(c.connected_on, rules.add_months(first_due, -12 * cycle)), c.submission_date)
    return out


def feedback_figure(*, trust: Trust, year: int) -> dict[str, Any]:
    """The RO annual report's figure: of the doctors with a prescribed connection to the trust on 31 March at the end
    of the appraisal year (counted as the appraisal rate counts them), how many had colleague feedback, patient
    feedback, and both, released in their current revalidation cycle by that day (a feedback exercise run in medlead
    and released to the doctor)."""
    end = dt.date(year + 1, 3, 31)
    connections = list(
        Connection.objects.filter(trust=trust, connected_on__lte=end)
        .filter(Q(disconnected_on__isnull=True) | Q(disconnected_on__gt=end))
        .order_by("person_id", "-connected_on")
        .only("trust_id", "person_id", "connected_on", "submission_date")
    )
    latest = {c.person_id: c for c in reversed(connections)}  # one connection a doctor: the latest
    windows = {pid: (start, end) for pid, (start, _) in cycle_windows(list(latest.values())).items()}
    released = FEEDBACK_RELEASED(trust, windows)
    colleague = {pid for pid, kinds in released.items() if "colleague_feedback" in kinds}
    patient = {pid for pid, kinds in released.items() if "patient_feedback" in kinds}
    return {
        "connected": len(latest),
        "on": end,
        "colleague": len(colleague),
        "patient": len(patient),
        "both": len(colleague & patient),
        "neither": len(latest) - len(colleague | patient),
    }


# ------------------------------------------------------------------ Good medical practice's domains (ADR 0028)

GMP = "good_medical_practice.yaml"
SI_DOMAIN = "domain_of_supporting_information"


@dataclass(frozen=True)
class Edition:
    """The edition of Good medical practice an appraisal is judged by, and whether its inputs and summary are
    organised by the edition's domains (``domains`` is empty when they are not: medlead's undivided layout)."""

    code: str
    title: str
    sources: tuple[str, ...]
    domains: tuple[tuple[str, str], ...]  # (code, name) in the edition's order, when organised by domain

    @property
    def by_domain(self) -> bool:
        return bool(self.domains)

    def domain_name(self, code: str) -> str:
        return dict(self.domains).get(code, "")


UNDIVIDED = Edition("", "", (), ())


@lru_cache(maxsize=1)
def gmp_config() -> dict[str, Any]:
    return read(GMP)


def appraisal_day(trust: Trust | int, appraisal: Appraisal) -> dt.date:
    """The day an appraisal is judged by (a record is judged by the rules in force on its date): its meeting date
    when one is recorded, else the last day of its appraisal year as the trust applies the year (one query, none
    with a meeting date). An appraisal not yet booked is held within its year, so its year's last day is the
    latest rules it can fall under."""
    if appraisal.meeting_date is not None:
        return appraisal.meeting_date
    return appraisal_period(trust, appraisal.year)[1]


def appraisal_period(trust: Trust | int, year: int) -> tuple[dt.date, dt.date]:
    """The first and last days of appraisal year ``year`` as the trust applies the year's first day (nationally
    1 April to 31 March; one query)."""
    key = (REVALIDATION, "appraisal_year_starts")
    found = values_on(trust, [(*key, dt.date(year, 4, 1))])
    month, first = found[key].value if key in found else config()["appraisal_year_starts"]
    return dt.date(year, int(month), int(first)), dt.date(year + 1, int(month), int(first)) - dt.timedelta(days=1)


def edition_on(day: dt.date) -> Edition:
    """The edition of Good medical practice in force on ``day``, its domains given where appraisals on that day are
    organised by them (from 30 January 2024); before the first edition held, medlead's undivided layout."""
    data = gmp_config()
    found = in_force(data["editions"], day)
    if not found:
        return UNDIVIDED
    edition = found[-1]
    organised = bool(in_force([data[SI_DOMAIN]], day))
    domains = tuple((d["code"], d["name"]) for d in edition["domains"]) if organised else ()
    return Edition(str(edition["id"]), str(edition["title"]), tuple(edition["sources"]), domains)


def appraisal_edition(appraisal: Appraisal) -> Edition:
    return edition_on(appraisal_day(appraisal.trust_id, appraisal))


def si_domains(trust: Trust | int, day: dt.date) -> dict[str, str]:
    """The domain each type of supporting information is filed under on ``day`` unless the doctor chooses another:
    the trust's confirmed value where it names one of the edition's domains, else the national one (one query).
    Empty where appraisals on ``day`` are not organised by domain."""
    edition = edition_on(day)
    if not edition.by_domain:
        return {}
    national = {k: v for k, v in gmp_config()[SI_DOMAIN].items() if k in si_names()}
    found = values_on(trust, [(GMP, f"{SI_DOMAIN}.{code}", day) for code in national])
    codes = {c for c, _ in edition.domains}
    out = {}
    for code, default in national.items():
        value = found.get((GMP, f"{SI_DOMAIN}.{code}"))
        chosen = str(value.value).strip() if value is not None else ""
        out[code] = chosen if chosen in codes else str(default)
    return out
