"""PA arithmetic and job-plan checks (pure)."""

from __future__ import annotations

from decimal import Decimal

import pytest

from medlead.core.stats import funnel
from medlead.jobplans.pa import (
    Activity,
    Category,
    Policy,
    PostShare,
    activity_pas,
    check,
    on_call_supplement,
    summarise,
)

P = Policy()
D = Decimal


def session(day: int, start: str, end: str, category: Category = Category.DCC, **kw) -> Activity:
    h1, m1 = map(int, start.split(":"))
    h2, m2 = map(int, end.split(":"))
    return Activity(category, kw.pop("title", f"{category} {day} {start}"), day, h1 * 60 + m1, h2 * 60 + m2, **kw)


@pytest.mark.parametrize(
    ("activity", "expected"),
    [
        (session(0, "09:00", "13:00"), D("1")),  # 4 h in the day: 1 PA
        (session(0, "19:00", "22:00"), D("1")),  # 3 h of premium time: 1 PA
        (session(0, "17:00", "21:00"), D("0.5") + D("2") / 3),  # 2 h ordinary + 2 h premium
        (session(5, "09:00", "12:00"), D("1")),  # Saturday is premium time
        (session(4, "22:00", "01:00"), D("1")),  # across midnight into Saturday: all premium
        (session(0, "05:00", "09:00"), D("2") / 3 + D("0.5")),  # 05-07 premium, 07-09 ordinary
        (session(0, "09:00", "13:00", every_n_weeks=4), D("0.25")),  # 1 in 4 weeks
        (Activity(Category.SPA, "Appraisals", annual_hours=D("168")), D("1")),  # 168 h / 42 weeks / 4 h
    ],
)
def test_activity_pas(activity: Activity, expected: Decimal) -> None:
    assert activity_pas(activity, P).quantize(D("0.0001")) == expected.quantize(D("0.0001"))


def test_premium_time_is_a_trust_setting() -> None:
    late = Policy(premium_after=20 * 60)
    assert activity_pas(session(0, "19:00", "20:00"), late) == D("0.25")


def ten_pa_week(spa_sessions: int = 2) -> list[Activity]:
    out = []
    for i in range(10):
        day, half = divmod(i, 2)
        cat = Category.SPA if i < spa_sessions else Category.DCC
        out.append(session(day, "09:00" if half == 0 else "13:00", "13:00" if half == 0 else "17:00", cat))
    return out


def test_summary_by_category_and_total() -> None:
    s = summarise(ten_pa_week(), P)
    assert s.by_category[Category.DCC] == D("8.00") and s.by_category[Category.SPA] == D("2.00")
    assert s.total == D("10.00")


def test_a_balanced_plan_passes_every_check() -> None:
    assert check(ten_pa_week(), P, contracted_pas=D("10")) == []


def test_total_against_contract_and_spa_threshold() -> None:
    findings = {f.check for f in check(ten_pa_week(spa_sessions=1)[:9], P, contracted_pas=D("10"))}
    assert findings == {"total_vs_contract", "spa_below_threshold"}


def test_management_time_against_the_post_and_job_share_split() -> None:
    week = [*ten_pa_week()[:8], Activity(Category.ANR, "CD", annual_hours=D("168"), post_id=7)]
    shared = PostShare(7, "Clinical director", D("2"), holders=2)
    assert [f.check for f in check(week, P, contracted_pas=D("9"), posts=[shared])] == []  # 1 PA = half of 2
    alone = PostShare(7, "Clinical director", D("2"), holders=1)
    found = check(week, P, contracted_pas=D("9"), posts=[alone])
    assert [f.check for f in found] == ["management_pas"]
    assert "the plan has 1.00 PAs for it, the post allocates 2.00" in found[0].message


def test_job_share_totals_must_match_the_post() -> None:
    week = [*ten_pa_week()[:8], Activity(Category.ANR, "DMD", annual_hours=D("168"), post_id=3)]
    shared = PostShare(3, "Deputy medical director", D("2"), holders=2)
    assert check(week, P, contracted_pas=D("9"), posts=[shared], job_share_totals={3: D("2")}) == []
    found = check(week, P, contracted_pas=D("9"), posts=[shared], job_share_totals={3: D("3")})
    assert [f.check for f in found] == ["job_share"]


def test_medical_director_with_fewer_than_five_sessions() -> None:
    md = PostShare(1, "Medical director", D("4"), holders=1, is_medical_director=True)
    week = [*ten_pa_week()[:6], Activity(Category.ANR, "MD", annual_hours=D("672"), post_id=1)]
    assert "md_sessions" in {f.check for f in check(week, P, contracted_pas=D("10"), posts=[md])}
    week5 = [*ten_pa_week()[:5], Activity(Category.ANR, "MD", annual_hours=D("840"), post_id=1)]
    md5 = PostShare(1, "Medical director", D("5"), holders=1, is_medical_director=True)
    assert "md_sessions" not in {f.check for f in check(week5, P, contracted_pas=D("10"), posts=[md5])}


def test_management_post_without_clinical_time_prompts_an_exit_and_reentry_plan() -> None:
    md = PostShare(1, "Medical director", D("8"), holders=1, is_medical_director=True)
    week = [session(0, "09:00", "17:00", Category.SPA), Activity(Category.ANR, "MD", annual_hours=D("1344"), post_id=1)]
    assert "reentry_plan" in {f.check for f in check(week, P, contracted_pas=D("10"), posts=[md])}
    assert "reentry_plan" not in {
        f.check for f in check(week, P, contracted_pas=D("10"), posts=[md], intends_to_return=False)
    }


def test_clashes_weekly_are_errors_and_one_in_n_are_warnings() -> None:
    a = session(1, "09:00", "13:00", title="Clinic")
    b = session(1, "12:00", "14:00", title="Theatre")
    c = session(1, "12:00", "14:00", title="Rota meeting", every_n_weeks=4)
    found = check([a, b], P, contracted_pas=None)
    assert [(f.check, f.severity) for f in found] == [("spa_below_threshold", "warning"), ("clash", "error")]
    assert [(f.check, f.severity) for f in check([a, c], P, contracted_pas=None) if f.check == "clash"] == [
        ("clash", "warning")
    ]
    assert not [f for f in check([a, session(1, "13:00", "17:00")], P, contracted_pas=None) if f.check == "clash"]


def test_on_call_supplement_bands() -> None:
    table = {"A": [[4, 8.0], [8, 5.0], [999, 3.0]], "B": [[4, 3.0], [8, 2.0], [999, 1.0]]}
    assert on_call_supplement("A", 4, table) == D("8.0")
    assert on_call_supplement("A", 5, table) == D("5.0")
    assert on_call_supplement("B", 12, table) == D("1.0")
    assert on_call_supplement("", None, table) == D("0")


def test_funnel_flags_only_groups_outside_their_limits() -> None:
    values = [0.2] * 50 + [0.3] * 50
    f = funnel([("Big and usual", 40, 0.25), ("Small and odd", 3, 0.29), ("Big and odd", 40, 0.29)], values)
    flags = {p.label: (p.outside_95, p.outside_998) for p in f.points}
    assert flags["Big and usual"] == (False, False)
    assert flags["Small and odd"] == (False, False)  # within the wide limits of a small group
    assert flags["Big and odd"] == (True, True)


def clash_pairs(*activities: Activity) -> list[str]:
    return [f.message for f in check(list(activities), P, contracted_pas=None) if f.check == "clash"]


def test_clashes_across_midnight_and_the_end_of_the_week() -> None:
    # Monday 22:00-02:00 runs into Tuesday: it meets Tuesday 01:00-03:00, but not Tuesday 02:00-04:00
    night = session(0, "22:00", "02:00", title="Monday night")
    assert clash_pairs(night, session(1, "01:00", "03:00", title="Early Tuesday"))
    assert not clash_pairs(night, session(1, "02:00", "04:00", title="Later Tuesday"))
    # a Sunday night into Monday meets a Monday 07:00 start; one ending at 07:00 does not
    assert clash_pairs(session(6, "21:00", "08:00", title="Sunday night"), session(0, "07:00", "11:00"))
    assert not clash_pairs(session(6, "21:00", "07:00", title="Sunday night"), session(0, "07:00", "11:00"))


def test_a_job_shared_medical_director_post_is_judged_by_the_posts_sessions() -> None:
    """Six sessions shared three and three: neither half is "fewer than 5" (BMJ 1997 is about the post)."""
    shared = PostShare(1, "Medical director", D("6"), holders=2, is_medical_director=True)
    half = [Activity(Category.ANR, "Medical director", annual_hours=D("504"), post_id=1)]  # 3 PAs over 42 weeks
    assert summarise(half, P).by_post[1] == D("3.00")
    found = {f.check for f in check(half, P, contracted_pas=None, posts=[shared], job_share_totals={1: D("6")})}
    assert "md_sessions" not in found
    thin = {f.check for f in check(half, P, contracted_pas=None, posts=[shared], job_share_totals={1: D("4")})}
    assert "md_sessions" in thin


def test_unpredictable_on_call_work_in_premium_time_counts_three_hours_a_pa() -> None:
    """Consultant contract 2003, schedule 3. By hand, over 42 weeks: 126 h a year of on-call work, 84 of them at
    night: 42 h / 4 + 84 h / 3 = 10.5 + 28 = 38.5 PA-hours a year, / 42 = 0.9167 PAs a week (not 126 / 4 / 42 =
    0.75)."""
    on_call = Activity(Category.DCC, "On-call work", annual_hours=D("126"), annual_premium_hours=D("84"))
    assert round(activity_pas(on_call, P), 4) == D("0.9167")
    all_day = Activity(Category.DCC, "On-call work", annual_hours=D("126"))
    assert activity_pas(all_day, P) == D("0.75")
    all_night = Activity(Category.DCC, "On-call work", annual_hours=D("126"), annual_premium_hours=D("126"))
    assert activity_pas(all_night, P) == D("1")


def test_an_activity_worked_on_public_holidays_earns_premium_pas_on_them() -> None:
    # six Monday public holidays in the year: 4 h on each counts 4/3 PA instead of 1, spread over 52 weeks
    policy = Policy(holidays_by_weekday=(6, 0, 0, 0, 0, 0, 0))
    plain = session(0, "09:00", "13:00")
    worked = session(0, "09:00", "13:00", on_public_holidays=True)
    assert activity_pas(plain, policy) == D("1")
    assert activity_pas(worked, policy) == D("1") + D("4") * (D(1) / 3 - D(1) / 4) * 6 / 52
    # a Sunday night into Monday: only Monday's ordinary time (none before 07:00) could change; it is premium anyway
    assert activity_pas(session(6, "22:00", "02:00", on_public_holidays=True), policy) == D("4") / 3
    # 1 in 2 weeks halves it
    fortnightly = session(0, "09:00", "13:00", on_public_holidays=True, every_n_weeks=2)
    assert activity_pas(fortnightly, policy) == activity_pas(worked, policy) / 2
