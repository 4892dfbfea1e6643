"""Programmed-activity arithmetic and job-plan checks. Pure: no Django import.

A PA is 4 hours, or 3 hours in premium time (medical-workforce-governance.md, S66-S68). Activities are weekly,
1 in N weeks, or annualised hours spread over the trust's working weeks.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal
from enum import StrEnum

from medlead.rulebook.unconfirmed import Unconfirmed

MINUTES_PER_DAY = 24 * 60


class Category(StrEnum):
    DCC = "dcc"
    SPA = "spa"
    ANR = "anr"  # additional NHS responsibilities, including medical management posts
    EXT = "ext"  # external duties


@dataclass(frozen=True)
class Policy:
    pa_hours: Decimal = Decimal("4")
    premium_pa_hours: Decimal = Decimal("3")
    premium_before: int = 7 * 60  # minutes after midnight, weekdays
    premium_after: int = 19 * 60
    weekends_premium: bool = True
    spa_threshold: Decimal = Decimal("1.5")
    working_weeks: int = 42
    md_min_sessions: Decimal = Decimal("5")
    contract: str = "Consultant contract 2003"
    # public holidays in the plan's year, counted by weekday (0 = Monday): time worked on them is premium time
    holidays_by_weekday: tuple[int, ...] = (0, 0, 0, 0, 0, 0, 0)
    # the values above that are national defaults the trust has not confirmed, in plain words (pages say so)
    national_defaults: tuple[str, ...] = ()
    weeks_in_year: int = 52
    # the on-call availability supplement as the trust applies it: each category's rows of [up to "1 in N", percent]
    on_call_table: Mapping[str, Sequence[Sequence[float]]] = field(default_factory=dict, hash=False)
    # the categories whose supplement table is the national default the trust has not confirmed
    on_call_unconfirmed: frozenset[str] = frozenset()

    def supplement(self, category: str, every_n: int | None) -> Decimal:
        """The availability supplement (% of basic salary) for an on-call rota of ``1 in every_n`` in ``category``."""
        return on_call_supplement(category, every_n, self.on_call_table)

    def supplement_notice(self, category: str) -> Unconfirmed:
        """ "This availability supplement is the national default; your trust has not confirmed it yet." where the
        category's table awaits the trust's confirmation, else nothing."""
        return Unconfirmed("availability supplement", int(bool(category) and category in self.on_call_unconfirmed))

    @property
    def notice(self) -> Unconfirmed:
        """ "These values (the hours in a programmed activity and ...) are the national defaults; your trust has not
        confirmed them yet." where the plan is judged by values the trust has not confirmed, else nothing."""
        return Unconfirmed.named("value", self.national_defaults, "values")


@dataclass(frozen=True)
class Activity:
    category: Category
    title: str
    weekday: int | None = None  # 0 = Monday; None for annualised activities
    start: int | None = None  # minutes after midnight
    end: int | None = None  # may be at or before start: ends the next day
    every_n_weeks: int = 1
    annual_hours: Decimal | None = None
    # of the annualised hours, those worked in premium time (e.g. unpredictable on-call work at night)
    annual_premium_hours: Decimal | None = None
    post_id: int | None = None
    id: int | None = None
    on_public_holidays: bool = False  # also worked when its day is a public holiday


@dataclass(frozen=True)
class PostShare:
    """A management post the doctor holds now: its PAs, and how many hold it (a job share)."""

    post_id: int
    title: str
    pas_allocated: Decimal
    holders: int
    is_medical_director: bool = False


@dataclass(frozen=True)
class Finding:
    check: str
    message: str
    severity: str = "warning"  # or "error"


# The problems that stop a plan being signed (issue 31): a plan that does not add up to the contract, or two weekly
# activities at the same time, is not a plan anyone can be held to. The other findings are for the signer to weigh.
BLOCKS_SIGNATURE = frozenset({"total_vs_contract", "clash"})


def blocks_signature(finding: Finding) -> bool:
    return finding.severity == "error" and finding.check in BLOCKS_SIGNATURE


@dataclass
class Summary:
    by_category: dict[Category, Decimal] = field(default_factory=dict)
    total: Decimal = Decimal("0")
    by_post: dict[int, Decimal] = field(default_factory=dict)
    per_activity: dict[int, Decimal] = field(default_factory=dict)


Q = Decimal("0.01")


def _round(value: Decimal) -> Decimal:
    return value.quantize(Q, rounding=ROUND_HALF_UP)


def _segments(weekday: int, start: int, end: int, policy: Policy) -> list[tuple[int, int, int]]:
    """(day, ordinary, premium) minutes of a session on ``weekday`` from ``start`` to ``end`` (next day if
    ``end <= start``), split at midnight."""
    length = end - start if end > start else end + MINUTES_PER_DAY - start
    out = []
    minute, day = start, weekday
    remaining = length
    while remaining > 0:
        step = min(remaining, MINUTES_PER_DAY - minute)
        if policy.weekends_premium and day >= 5:
            out.append((day, 0, step))
        else:
            # split [minute, minute + step) into the premium morning, ordinary day, premium evening
            lo, hi = minute, minute + step
            morning = max(0, min(hi, policy.premium_before) - lo)
            evening = max(0, hi - max(lo, policy.premium_after))
            out.append((day, step - morning - evening, morning + evening))
        remaining -= step
        minute, day = 0, (day + 1) % 7
    return out


def premium_minutes(weekday: int, start: int, end: int, policy: Policy) -> tuple[int, int]:
    """(ordinary, premium) minutes of a session on ``weekday`` from ``start`` to ``end`` (next day if end <= start)."""
    segments = _segments(weekday, start, end, policy)
    return sum(s[1] for s in segments), sum(s[2] for s in segments)


def activity_pas(activity: Activity, policy: Policy) -> Decimal:
    """Average PAs a week that one activity is worth."""
    if activity.annual_hours is not None:
        # Annualised hours count 4 to the PA, except those in premium time, which count 3 (consultant contract 2003,
        # schedule 3: unpredictable emergency work from on-call duty in premium time is 3 hours a PA).
        premium_hours = min(activity.annual_premium_hours or Decimal("0"), activity.annual_hours)
        ordinary_hours = activity.annual_hours - premium_hours
        return (ordinary_hours / policy.pa_hours + premium_hours / policy.premium_pa_hours) / policy.working_weeks
    if activity.weekday is None or activity.start is None or activity.end is None:
        return Decimal("0")
    segments = _segments(activity.weekday, activity.start, activity.end, policy)
    ordinary, premium = sum(s[1] for s in segments), sum(s[2] for s in segments)
    pas = Decimal(ordinary) / 60 / policy.pa_hours + Decimal(premium) / 60 / policy.premium_pa_hours
    if activity.on_public_holidays:
        # On a public holiday the ordinary minutes of that day are premium time: spread the difference over the year.
        uplift = 1 / policy.premium_pa_hours - 1 / policy.pa_hours
        for day, day_ordinary, _ in segments:
            share = Decimal(policy.holidays_by_weekday[day]) / policy.weeks_in_year
            pas += Decimal(day_ordinary) / 60 * uplift * share
    return pas / max(activity.every_n_weeks, 1)


def summarise(activities: Iterable[Activity], policy: Policy) -> Summary:
    summary = Summary(by_category={c: Decimal("0") for c in Category})
    by_post: dict[int, Decimal] = defaultdict(Decimal)
    for i, a in enumerate(activities):
        pas = activity_pas(a, policy)
        summary.by_category[a.category] += pas
        summary.per_activity[a.id if a.id is not None else i] = _round(pas)
        if a.post_id is not None:
            by_post[a.post_id] += pas
    summary.by_category = {c: _round(v) for c, v in summary.by_category.items()}
    summary.total = _round(sum(summary.by_category.values(), Decimal("0")))
    summary.by_post = {k: _round(v) for k, v in by_post.items()}
    return summary


def on_call_supplement(category: str, every_n: int | None, table: Mapping[str, Sequence[Sequence[float]]]) -> Decimal:
    """The availability supplement (% of basic salary) for an on-call rota of ``1 in every_n``."""
    if not category or not every_n or category not in table:
        return Decimal("0")
    for upto, percent in table[category]:
        if every_n <= upto:
            return Decimal(str(percent))
    return Decimal("0")


MINUTES_PER_WEEK = 7 * MINUTES_PER_DAY


def _week_spans(a: Activity) -> list[tuple[int, int]]:
    """The minutes of the week (0 = Monday 00:00) an activity covers, split where it runs past Sunday midnight into
    the next week's Monday."""
    assert a.weekday is not None and a.start is not None and a.end is not None
    length = a.end - a.start if a.end > a.start else a.end + MINUTES_PER_DAY - a.start
    begin = a.weekday * MINUTES_PER_DAY + a.start
    finish = begin + length
    if finish <= MINUTES_PER_WEEK:
        return [(begin, finish)]
    return [(begin, MINUTES_PER_WEEK), (0, finish - MINUTES_PER_WEEK)]


def _clashes(activities: Sequence[Activity]) -> list[Finding]:
    """Timetabled activities that overlap anywhere in the week: on the same day, across midnight (Monday 22:00-02:00
    against Tuesday 01:00-03:00) and across the end of the week (a Sunday night against Monday 07:00)."""
    timed = [a for a in activities if a.weekday is not None and a.start is not None and a.end is not None]
    spans = [_week_spans(a) for a in timed]
    out = []
    for i, a in enumerate(timed):
        for j in range(i + 1, len(timed)):
            b = timed[j]
            if any(s1 < e2 and s2 < e1 for s1, e1 in spans[i] for s2, e2 in spans[j]):
                both_weekly = a.every_n_weeks == 1 and b.every_n_weeks == 1
                out.append(
                    Finding(
                        "clash",
                        f"'{a.title}' and '{b.title}' overlap"
                        + ("." if both_weekly else " (one is not weekly: check they fall in different weeks)."),
                        "error" if both_weekly else "warning",
                    )
                )
    return out


def check(
    activities: Sequence[Activity],
    policy: Policy,
    *,
    contracted_pas: Decimal | None,
    posts: Sequence[PostShare] = (),
    intends_to_return: bool = True,
    job_share_totals: dict[int, Decimal] | None = None,
) -> list[Finding]:
    """Every check on one job plan, each explained. ``job_share_totals`` maps a job-shared post to the PAs for it
    across all its holders' plans."""
    s = summarise(activities, policy)
    findings: list[Finding] = []
    if contracted_pas is not None and s.total != _round(contracted_pas):
        more = s.total > contracted_pas
        findings.append(
            Finding(
                "total_vs_contract",
                f"The plan adds up to {s.total} PAs but the contract is for {_round(contracted_pas)}"
                + (": the extra PAs need agreeing as additional PAs." if more else ": the plan is short."),
                "error",
            )
        )
    if s.by_category[Category.SPA] < policy.spa_threshold:
        findings.append(
            Finding(
                "spa_below_threshold",
                f"Supporting professional activities are {s.by_category[Category.SPA]} PAs, below the "
                f"threshold of {policy.spa_threshold} for the {policy.contract}.",
            )
        )
    for post in posts:
        in_plan = _round(s.by_post.get(post.post_id, Decimal("0")))
        share = _round(post.pas_allocated / max(post.holders, 1))
        if in_plan != share:
            findings.append(
                Finding(
                    "management_pas",
                    f"{post.title}: the plan has {in_plan} PAs for it, the post allocates {share}"
                    + (" (a job share, split between its holders)." if post.holders > 1 else "."),
                )
            )
        if post.is_medical_director:
            # A job-shared medical director post is judged by the post's sessions, not each half's.
            shared = post.holders > 1 and job_share_totals is not None
            sessions = _round(job_share_totals.get(post.post_id, Decimal("0"))) if shared else in_plan  # type: ignore[union-attr]
            if sessions < policy.md_min_sessions:
                findings.append(
                    Finding(
                        "md_sessions",
                        f"{post.title} has {sessions} sessions"
                        + (" across its job share" if shared else " in this plan")
                        + f"; the job is very hard in fewer than {policy.md_min_sessions} (BMJ 1997).",
                        "error",
                    )
                )
        if post.holders > 1 and job_share_totals is not None:
            total = _round(job_share_totals.get(post.post_id, Decimal("0")))
            if total != _round(post.pas_allocated):
                findings.append(
                    Finding(
                        "job_share",
                        f"{post.title} is job-shared: the holders' plans give it {total} PAs together, but the post "
                        f"allocates {_round(post.pas_allocated)}.",
                    )
                )
    if posts and s.by_category[Category.DCC] == 0 and intends_to_return:
        findings.append(
            Finding(
                "reentry_plan",
                "No clinical time in this plan while holding a management post, and the doctor intends to return "
                "to practice: agree an exit and re-entry plan (skills to keep up, retraining, protected time).",
            )
        )
    findings.extend(_clashes(activities))
    return findings
