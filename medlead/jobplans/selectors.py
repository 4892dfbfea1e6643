"""Reads for job plans: the trust's policy, a plan's PAs and checks, and the trust's dashboard."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from decimal import Decimal
from functools import lru_cache
from typing import Any

from django.db.models import Count, Q, QuerySet, Sum

from medlead.core import dates
from medlead.core.audit import AuditEvent
from medlead.core.policy import area_for
from medlead.core.reference_data import in_force, read
from medlead.core.stats import funnel
from medlead.jobplans import pa
from medlead.jobplans.models import JOB_PLAN_GRADES, Activity, JobPlan, JobPlanPolicy, OnCallCategory, State
from medlead.jobplans.permissions import JOB_PLAN_READERS, signing_filters
from medlead.organisation.models import Person, Trust
from medlead.rulebook.selectors import values_on
from medlead.structure.models import Holding, Post
from medlead.structure.selectors import current_holdings


@lru_cache(maxsize=1)
def defaults() -> dict[str, Any]:
    return read("job_planning.yaml")


def _minutes(value: dt.time) -> int:
    return value.hour * 60 + value.minute


def contract_for(grade: str, on: dt.date | None = None) -> dict[str, Any]:
    """The contract a grade's job plan is judged by on ``on`` (today unless given), from data/job_planning.yaml; the
    consultant contract 2003 for a grade no contract in force names."""
    contracts = defaults()["contracts"]
    found = in_force(contracts.values(), on or dates.today())
    return next((c for c in found if grade in c["grades"]), contracts["consultant_2003"])


def holidays_by_weekday(year: int, lists: dict[int, list[dt.date]]) -> tuple[int, ...]:
    """England's public holidays in the job-plan year from 1 April ``year`` to 31 March, counted by weekday, from
    each calendar year's list (``lists``, as the trust applies them)."""
    start, end = dt.date(year, 4, 1), dt.date(year + 1, 3, 31)
    counts = [0] * 7
    for y in (year, year + 1):
        for day in lists.get(y, []):
            if start <= day <= end:
                counts[day.weekday()] += 1
    return tuple(counts)


PLANNING, HOLIDAYS = "job_planning.yaml", "public_holidays.yaml"
ON_CALL_CATEGORIES = tuple(
    c for c in OnCallCategory.values if c
)  # each has its supplement table (on_call_supplement.<category>)
# Plain names of the values a plan is judged by, for the sentence saying which the trust has not confirmed.
VALUE_NAMES = {
    "pa_hours": "the hours in a programmed activity",
    "premium_pa_hours": "the hours in a programmed activity in premium time",
    "premium_time.weekday_before": "when premium time ends in the morning",
    "premium_time.weekday_after": "when premium time starts in the evening",
    "premium_time.weekends": "premium time at weekends",
    "spa_threshold": "the minimum supporting professional activities",
    "working_weeks": "the working weeks a year",
    "md_min_sessions": "the medical director's minimum sessions",
    "holidays": "the public holidays",
}


def policy_for(trust: Trust, *, grade: str = "", year: int | None = None) -> pa.Policy:
    """The policy a job plan is judged by: its grade's contract (the consultant contract 2003, or the 2021
    specialty doctor and specialist contracts) with each value as the trust applies it on 1 April of the plan's
    year (its confirmation in the rulebook, else its job-planning policy's setting, else the national default), and
    the year's public holidays. Two queries."""
    d = defaults()
    year = year if year is not None else current_year()
    # a job-plan year runs from 1 April: the contract in force on that day judges the plan
    day = dt.date(year, 4, 1)
    contract = contract_for(grade, day)
    sas = contract is d["contracts"]["sas_2021"]
    prefix = "contracts.sas_2021." if sas else ""
    own = ("premium_time.weekday_before", "premium_time.weekday_after", "premium_time.weekends", "spa_threshold")
    common = ("pa_hours", "premium_pa_hours", "working_weeks", "md_min_sessions")
    wanted = [(PLANNING, f"{prefix}{k}", day) for k in own] + [(PLANNING, k, day) for k in common]
    # each calendar year's holidays as the trust applies them on that year's first day
    wanted += [(HOLIDAYS, f"england.{y}", dt.date(y, 1, 1)) for y in (year, year + 1)]
    # the on-call availability supplement, each category's table as the trust applies it on the same day
    wanted += [(PLANNING, f"on_call_supplement.{c}", day) for c in ON_CALL_CATEGORIES]
    found = values_on(trust, wanted)
    p = JobPlanPolicy.objects.filter(trust=trust).first()
    local: dict[str, Any] = {}
    if p is not None:  # the trust's job-planning policy, where the rulebook holds no confirmation
        local = {
            "premium_time.weekday_before": p.sas_premium_before if sas else p.premium_before,
            "premium_time.weekday_after": p.sas_premium_after if sas else p.premium_after,
            "premium_time.weekends": p.weekends_premium,
            "spa_threshold": p.sas_spa_threshold if sas else p.spa_threshold,
            "working_weeks": p.working_weeks,
        }
    applied: dict[str, Any] = {}
    unconfirmed: list[str] = []
    for key in (*own, *common):
        value = found[(PLANNING, f"{prefix}{key}" if key in own else key)]
        if not value.confirmed and key in local:
            applied[key] = local[key]
            continue
        applied[key] = value.value
        if value.awaiting:
            unconfirmed.append(VALUE_NAMES[key])
    holidays: dict[int, list[dt.date]] = {}
    for y in (year, year + 1):
        listed = found.get((HOLIDAYS, f"england.{y}"))
        if listed is not None:
            holidays[y] = list(listed.value)
            if listed.awaiting and VALUE_NAMES["holidays"] not in unconfirmed:
                unconfirmed.append(VALUE_NAMES["holidays"])
    on_call = {c: found.get((PLANNING, f"on_call_supplement.{c}")) for c in ON_CALL_CATEGORIES}
    return pa.Policy(
        pa_hours=Decimal(str(applied["pa_hours"])),
        premium_pa_hours=Decimal(str(applied["premium_pa_hours"])),
        premium_before=_clock(applied["premium_time.weekday_before"]),
        premium_after=_clock(applied["premium_time.weekday_after"]),
        weekends_premium=bool(applied["premium_time.weekends"]),
        spa_threshold=Decimal(str(applied["spa_threshold"])),
        working_weeks=int(applied["working_weeks"]),
        md_min_sessions=Decimal(str(applied["md_min_sessions"])),
        contract=contract["name"],
        holidays_by_weekday=holidays_by_weekday(year, holidays),
        national_defaults=tuple(unconfirmed),
        on_call_table={c: [list(row) for row in v.value] for c, v in on_call.items() if v is not None},
        on_call_unconfirmed=frozenset(c for c, v in on_call.items() if v is not None and v.awaiting),
    )


def _clock(value: dt.time | str) -> int:
    """Minutes after midnight of a time of day, given as a time (a trust's setting) or as "HH:MM" (the data)."""
    if isinstance(value, dt.time):
        return _minutes(value)
    hours, minutes = str(value).split(":")
    return int(hours) * 60 + int(minutes)


def plan_policy(plan: JobPlan) -> pa.Policy:
    return policy_for(plan.trust, grade=plan.person.grade, year=plan.year)


def to_activity(a: Activity) -> pa.Activity:
    return pa.Activity(
        category=pa.Category(a.category),
        title=a.title,
        weekday=a.weekday,
        start=_minutes(a.start) if a.start is not None else None,
        end=_minutes(a.end) if a.end is not None else None,
        every_n_weeks=a.every_n_weeks if a.frequency == "one_in_n" else 1,
        annual_hours=a.annual_hours if a.frequency == "annualised" else None,
        annual_premium_hours=a.annual_premium_hours if a.frequency == "annualised" else None,
        post_id=a.post_id,
        id=a.pk,
        on_public_holidays=a.on_public_holidays,
    )


def post_shares(*, plan: JobPlan) -> list[pa.PostShare]:
    """The management posts the plan's doctor holds now, with how many hold each."""
    held = list(current_holdings(trust=plan.trust).filter(person_id=plan.person_id).select_related("post__post_type"))
    counts = dict(
        current_holdings(trust=plan.trust)
        .filter(post_id__in=[h.post_id for h in held])
        .values("post_id")
        .annotate(n=Count("id"))
        .values_list("post_id", "n")
    )
    return [
        pa.PostShare(
            post_id=h.post_id,
            title=h.post.title,
            pas_allocated=h.post.pas_allocated,
            holders=counts.get(h.post_id, 1),
            is_medical_director=h.post.post_type.code == "medical_director",
        )
        for h in held
        if h.post.post_type.management
    ]


def job_share_totals(*, plan: JobPlan, posts: list[pa.PostShare]) -> dict[int, Decimal]:
    """PAs for each job-shared post across all its current holders' plans of the same year."""
    shared = [p.post_id for p in posts if p.holders > 1]
    if not shared:
        return {}
    holders = Holding.objects.filter(post_id__in=shared, end__isnull=True).values_list("person_id", flat=True)
    policy = plan_policy(plan)
    totals: dict[int, Decimal] = defaultdict(Decimal)
    for a in Activity.objects.filter(job_plan__year=plan.year, job_plan__person_id__in=holders, post_id__in=shared):
        totals[a.post_id] += pa.activity_pas(to_activity(a), policy)  # type: ignore[index]
    return totals


def agreed_at(plan: JobPlan) -> Any:
    """When the doctor last agreed the plan (from the audit trail of its moves), or None."""

    return (
        AuditEvent.objects.filter(model="jobplans.jobplan", object_pk=str(plan.pk), changes__state__1=State.AGREED)
        .order_by("-at")
        .values_list("at", flat=True)
        .first()
    )


def plan_view(*, plan: JobPlan) -> dict[str, Any]:
    policy = plan_policy(plan)
    activities = list(plan.activities.select_related("post").order_by("weekday", "start"))
    items = [to_activity(a) for a in activities]
    summary = pa.summarise(items, policy)
    posts = post_shares(plan=plan)
    findings = pa.check(
        items,
        policy,
        contracted_pas=plan.contracted_pas,
        posts=posts,
        intends_to_return=plan.intends_to_return,
        job_share_totals=job_share_totals(plan=plan, posts=posts),
    )
    supplement = policy.supplement(plan.on_call_category, plan.on_call_every_n)
    days = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"]
    grid = [{"day": d, "items": [a for a in activities if a.weekday == i]} for i, d in enumerate(days)]
    return {
        "activities": activities,
        "summary": summary,
        "findings": findings,
        "supplement": supplement,
        "supplement_shown": f"{supplement.normalize():f}",  # 8%, 2.5%: as the rules page shows the table
        "supplement_notice": policy.supplement_notice(plan.on_call_category),
        "grid": grid,
        "annualised": [a for a in activities if a.frequency == "annualised"],
        "posts": posts,
        "policy": policy,
    }


SIGNING = {
    State.AGREED: State.SIGNED_CD,
    State.SIGNED_CD: State.SIGNED,
    State.APPEAL: State.SIGNED,
}  # the signature a plan in each state waits for


def missing_for_signature(*, plan: JobPlan, view: dict[str, Any] | None = None) -> list[str]:
    """What must be put right before the plan can be signed, each in plain words; none when it can be."""
    view = view if view is not None else plan_view(plan=plan)
    out = [] if view["activities"] else ["Add the timetable: the plan has no activities."]
    return out + [f.message for f in view["findings"] if pa.blocks_signature(f)]


def plans(
    *,
    trust: Trust,
    year: int,
    state: str = "",
    specialty_id: int | None = None,
    actor: Any = None,
    waiting_for_actor: bool = False,
) -> QuerySet[JobPlan]:
    """A year's plans; for ``actor``, only those they may open (a clinical director's, in their specialties);
    with ``waiting_for_actor``, only those waiting for their signature."""
    qs = JobPlan.objects.filter(trust=trust, year=year).select_related("person__specialty__division")
    if waiting_for_actor:
        waiting = Q(pk__in=[])
        for pending in plans_waiting(actor=actor, trust=trust, year=year).values():
            waiting |= Q(pk__in=pending.values("pk"))
        qs = qs.filter(waiting)
    if actor is not None:
        area = area_for(actor, trust, JOB_PLAN_READERS)
        if area is not None:
            qs = qs.filter(person__specialty_id__in=area)
    if state:
        qs = qs.filter(state=state)
    if specialty_id:
        qs = qs.filter(person__specialty_id=specialty_id)
    return qs.order_by("person__last_name", "person__first_name")


def plans_waiting(*, actor: Any, trust: Trust, year: int) -> dict[str, QuerySet[JobPlan]]:
    """The plans waiting for ``actor`` to sign, by state: a clinical director's agreed plans in their specialties,
    and the plans a medical director (or an associate, in their area) signs off; never their own."""
    return {
        str(state): JobPlan.objects.filter(allowed, trust=trust, year=year)
        for state, allowed in signing_filters(actor, trust).items()
    }


def plannable_people(*, trust: Trust, actor: Any = None) -> QuerySet[Person]:
    """The doctors who have a job plan (consultants and SAS doctors), within ``actor``'s area when given."""
    qs = Person.objects.filter(trust=trust, active=True, grade__in=JOB_PLAN_GRADES)
    if actor is not None:
        area = area_for(actor, trust, JOB_PLAN_READERS)
        if area is not None:
            qs = qs.filter(specialty_id__in=area)
    return qs


def held_posts(*, plan: JobPlan) -> QuerySet[Post]:
    """The management posts the plan's doctor holds now: the only posts its management time can be for."""
    return Post.objects.filter(
        trust_id=plan.trust_id, holdings__person_id=plan.person_id, holdings__end__isnull=True
    ).distinct()


def current_year() -> int:
    today = dates.today()
    return today.year if today.month >= 4 else today.year - 1


def dashboard(*, trust: Trust, year: int) -> dict[str, Any]:
    """Completion by division and specialty, PAs by category by specialty, management time, SPA outliers."""
    # no ordering: the plans' own (by the doctor's name) would join every plan to its doctor for each count below
    qs = JobPlan.objects.filter(trust=trust, year=year).order_by()
    signed = Q(state=State.SIGNED)
    by_specialty = list(
        qs.values("person__specialty__name", "person__specialty__division__name")
        .annotate(
            total=Count("id"),
            signed=Count("id", filter=signed),
            dcc=Sum("pas_dcc"),
            spa=Sum("pas_spa"),
            anr=Sum("pas_anr"),
            ext=Sum("pas_ext"),
            all=Sum("pas_total"),
        )
        .order_by("person__specialty__name")
    )
    # each division's counts from its specialties' (one query fewer); no specialty, no division: last, as PostgreSQL
    # orders an empty name
    divisions: dict[str | None, dict[str, Any]] = {}
    for row in by_specialty:
        name = row["person__specialty__division__name"]
        division = divisions.setdefault(name, {"person__specialty__division__name": name, "total": 0, "signed": 0})
        division["total"] += row["total"]
        division["signed"] += row["signed"]
    by_division = sorted(
        divisions.values(),
        key=lambda d: (d["person__specialty__division__name"] is None, d["person__specialty__division__name"] or ""),
    )
    totals = qs.aggregate(
        plans=Count("id"),
        signed=Count("id", filter=signed),
        management=Sum("pas_management"),
        all=Sum("pas_total"),
        spa=Sum("pas_spa"),
    )
    states = dict(qs.values("state").annotate(n=Count("id")).values_list("state", "n"))
    points = [
        (
            row["person__specialty__name"] or "No specialty",
            row["total"],
            float(row["spa"] / row["all"]) if row["all"] else 0.0,
        )
        for row in by_specialty
    ]
    per_plan_shares = [
        float(spa / total) for spa, total in qs.filter(pas_total__gt=0).values_list("pas_spa", "pas_total")
    ]
    return {
        "year": year,
        "by_division": by_division,
        "by_specialty": by_specialty,
        "totals": totals,
        "states": [(label, states.get(value, 0)) for value, label in State.choices],
        "funnel": funnel(points, per_plan_shares),
    }
