"""The rota rule engine: each rule at its boundary, clock changes, properties and bad input. No Django."""

from __future__ import annotations

import datetime as dt
import importlib
import zoneinfo

import numpy as np
import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from medlead.rota.engine import Duty, Rota, check, load
from medlead.rota.engine.csvio import parse
from medlead.rota.engine.timeutil import skipped, to_local, to_local_seconds, to_utc, wall_clock

ENGINE = importlib.import_module("medlead.rota.engine.check")  # the module (the package exports its function)

RULES = load("tcs2016-2019")
RULES_2016 = load("tcs2016")
MON = dt.datetime(2026, 1, 5)  # a Monday, well away from clock changes


def at(day: int, hh: int, mm: int = 0) -> dt.datetime:
    return MON + dt.timedelta(days=day, hours=hh, minutes=mm)


def shift(day: int, start: tuple[int, int], length_min: int, who: str = "Dr A", kind: str = "shift") -> Duty:
    s = at(day, *start)
    return Duty(who, s, s + dt.timedelta(minutes=length_min), kind)


def rules_broken(duties: list[Duty], rules=RULES, **kw) -> list[str]:
    return [b.rule for b in check(Rota.from_duties(duties), rules, **kw).breaches]


def warnings(duties: list[Duty], rules=RULES, **kw) -> list[str]:
    return [b.rule for b in check(Rota.from_duties(duties), rules, **kw).warnings]


# ------------------------------------------------------------------------------------------- single shifts


def test_shift_of_13h00_passes_and_13h01_breaches() -> None:
    assert "max_shift_length" not in rules_broken([shift(0, (8, 0), 13 * 60)])
    assert rules_broken([shift(0, (8, 0), 13 * 60 + 1)]) == ["max_shift_length"]


def test_rest_of_11h_passes_and_10h59_breaches() -> None:
    ok = [shift(0, (8, 0), 10 * 60), shift(1, (5, 0), 8 * 60)]  # ends 18:00, next starts 05:00: 11 h
    assert "min_rest_between_shifts" not in rules_broken(ok)
    short = [shift(0, (8, 0), 10 * 60), shift(1, (4, 59), 8 * 60)]
    assert rules_broken(short) == ["min_rest_between_shifts"]


def test_rest_between_shifts_ignores_on_call_periods() -> None:
    duties = [shift(0, (8, 0), 9 * 60), shift(0, (17, 0), 15 * 60, kind="on_call"), shift(1, (8, 0), 9 * 60)]
    assert "min_rest_between_shifts" not in rules_broken(duties)


# ------------------------------------------------------------------------------------------- runs


def days(n: int, start: tuple[int, int] = (8, 0), length_min: int = 8 * 60, first: int = 0) -> list[Duty]:
    return [shift(first + i, start, length_min) for i in range(n)]


def test_seven_consecutive_shifts_pass_and_eight_breach() -> None:
    assert "max_consecutive_shifts" not in rules_broken(days(7))
    assert "max_consecutive_shifts" in rules_broken(days(8))
    assert "max_consecutive_shifts" not in rules_broken(days(8), RULES_2016)  # 8 allowed before 2019


def test_48h_rest_after_seven_consecutive_shifts() -> None:
    seven = days(7)  # last ends day 6 at 16:00
    ok = [*seven, shift(8, (16, 0), 8 * 60)]  # starts day 8 16:00: exactly 48 h later
    assert "rest_after_consecutive_shifts" not in rules_broken(ok)
    short = [*seven, shift(8, (15, 59), 8 * 60)]
    assert "rest_after_consecutive_shifts" in rules_broken(short)


def test_four_consecutive_long_shifts_pass_five_breach_2016_allows_five() -> None:
    long_days = days(5, (8, 0), 12 * 60)
    assert "max_consecutive_long_shifts" not in rules_broken(long_days[:4])
    assert "max_consecutive_long_shifts" in rules_broken(long_days)
    assert "max_consecutive_long_shifts" not in rules_broken(long_days, RULES_2016)


def test_a_shift_of_exactly_10h_is_not_long() -> None:
    assert "max_consecutive_long_shifts" not in rules_broken(days(5, (8, 0), 10 * 60))


def test_48h_rest_after_four_long_shifts() -> None:
    four = days(4, (8, 0), 12 * 60)  # last ends day 3 20:00
    assert "rest_after_long_shifts" in rules_broken([*four, shift(5, (19, 59), 8 * 60)])
    assert "rest_after_long_shifts" not in rules_broken([*four, shift(5, (20, 0), 8 * 60)])


def nights(n: int, first: int = 0, start: tuple[int, int] = (21, 0), length_min: int = 11 * 60) -> list[Duty]:
    return [shift(first + i, start, length_min) for i in range(n)]


def test_night_definition_needs_three_hours_between_23_and_06() -> None:
    # 20:00-02:00 has exactly 3 h in the window: a night; 20:00-01:59 has 2 h 59: not a night
    five_nights = [shift(i, (20, 0), 6 * 60) for i in range(5)]
    five_not = [shift(i, (20, 0), 6 * 60 - 1) for i in range(5)]
    assert "max_consecutive_nights" in rules_broken(five_nights)
    assert "max_consecutive_nights" not in rules_broken(five_not)


def test_four_nights_pass_five_breach() -> None:
    assert "max_consecutive_nights" not in rules_broken(nights(4))
    assert "max_consecutive_nights" in rules_broken(nights(5))


def test_46h_rest_after_a_single_night_in_2019_but_only_after_three_in_2016() -> None:
    one_night = nights(1)  # ends day 1 08:00
    short = [*one_night, shift(2, (21, 0), 8 * 60)]  # 37 h later
    assert "rest_after_nights" in rules_broken(short)
    assert "rest_after_nights" not in rules_broken(short, RULES_2016)
    three = nights(3)  # ends day 3 08:00
    assert "rest_after_nights" in rules_broken([*three, shift(5, (5, 59), 8 * 60)], RULES_2016)
    assert "rest_after_nights" not in rules_broken([*three, shift(5, (6, 0), 8 * 60)], RULES_2016)


def test_long_evening_shifts() -> None:
    evenings = [shift(i, (13, 0), 10 * 60 + 30) for i in range(5)]  # 13:00-23:30: long, 30 min of night
    assert "max_consecutive_long_evenings" in rules_broken(evenings)
    assert "max_consecutive_long_evenings" not in rules_broken(evenings[:4])
    ending_at_23 = [shift(i, (12, 30), 10 * 60 + 30) for i in range(5)]  # ends 23:00 exactly: not after 23:00
    assert "max_consecutive_long_evenings" not in rules_broken(ending_at_23)


def test_48h_rest_after_four_long_evenings() -> None:
    four = [shift(i, (13, 0), 10 * 60 + 30) for i in range(4)]  # last ends day 3 23:30
    assert "rest_after_long_evenings" in rules_broken([*four, shift(5, (23, 29), 60)])
    assert "rest_after_long_evenings" not in rules_broken([*four, shift(5, (23, 30), 60)])


# ------------------------------------------------------------------------------------------- hours


def test_72h_in_168_boundary() -> None:
    six = [shift(i, (8, 0), 12 * 60) for i in range(6)]  # 72 h in six days
    assert "max_hours_in_168" not in rules_broken(six)
    plus = [*six, shift(6, (8, 0), 1)]  # one more minute within 168 h of the first start
    assert "max_hours_in_168" in rules_broken(plus)


def test_72h_window_anchored_at_a_shift_end() -> None:
    # 07:00-09:00, then six 12 h shifts 20:30-08:30: the 168 h ending at the last end (day 7 08:30) start at
    # day 0 08:30 and so hold 30 min of the first shift: 72 h 30 min, which no whole-shift count gives
    duties = [shift(0, (7, 0), 120)] + [shift(1 + i, (20, 30), 12 * 60) for i in range(6)]
    found = [b for b in check(Rota.from_duties(duties), RULES).breaches if b.rule == "max_hours_in_168"]
    assert len(found) == 1
    assert "72 h 30 min" in found[0].message


def test_average_48h_over_the_reference_period_and_56h_when_opted_out() -> None:
    # four weeks of 5 x 9.6 h = 48 h a week exactly, then one minute more
    def weeks(extra: int = 0, opted: bool = False) -> list[Duty]:
        out = []
        for w in range(4):
            for d in range(5):
                minutes = 576 + (extra if (w, d) == (3, 4) else 0)
                s = at(w * 7 + d, 7, 0)
                out.append(Duty("Dr A", s, s + dt.timedelta(minutes=minutes), "shift", opted))
        return out

    assert "max_avg_weekly_hours" not in rules_broken(weeks())
    assert "max_avg_weekly_hours" in rules_broken(weeks(1))
    assert "max_avg_weekly_hours" not in rules_broken(weeks(8 * 60 * 4, opted=True))
    assert "max_avg_weekly_hours" in rules_broken(weeks(8 * 60 * 4 + 1, opted=True))


def test_reference_weeks_override_spreads_hours() -> None:
    week = [shift(d, (7, 0), 12 * 60) for d in range(5)]  # 60 h in one week
    assert "max_avg_weekly_hours" in rules_broken(week)
    assert "max_avg_weekly_hours" not in rules_broken(week, reference_weeks=2)


# ------------------------------------------------------------------------------------------- weekends


def test_weekends_one_in_two_passes_more_breaches_more_than_one_in_three_warns() -> None:
    def weekend_days(pattern: list[bool]) -> list[Duty]:
        out = []
        for w, works in enumerate(pattern):
            out.append(shift(w * 7, (8, 0), 8 * 60))  # every Monday, so the span covers every week
            if works:
                out.append(shift(w * 7 + 5, (8, 0), 8 * 60))  # Saturday
        return out

    one_in_two = weekend_days([True, False] * 3)
    assert "max_weekend_frequency" not in rules_broken(one_in_two)
    assert warnings(one_in_two) == ["max_weekend_frequency"]
    assert "max_weekend_frequency" in rules_broken(weekend_days([True, True, False, True, False, True]))
    one_in_three = weekend_days([True, False, False] * 2)
    assert "max_weekend_frequency" not in rules_broken(one_in_three) and not warnings(one_in_three)


def test_a_night_from_sunday_into_monday_works_the_weekend() -> None:
    duties = [shift(0, (8, 0), 8 * 60), shift(6, (21, 0), 11 * 60), shift(9, (8, 0), 60), shift(11, (8, 0), 60)]
    report = check(Rota.from_duties(duties), RULES)
    assert any(
        w.rule == "max_weekend_frequency" and "1 weekend worked in 2 weeks" in w.message
        for w in report.warnings + report.breaches
    )


# ------------------------------------------------------------------------------------------- on call


def test_on_call_of_24h_passes_and_longer_breaches() -> None:
    assert "max_on_call_length" not in rules_broken([shift(0, (9, 0), 24 * 60, kind="on_call")])
    assert rules_broken([shift(0, (9, 0), 24 * 60 + 1, kind="on_call")]) == ["max_on_call_length"]


def test_three_on_calls_in_7_days_pass_four_breach() -> None:
    three = [shift(d, (17, 0), 15 * 60, kind="on_call") for d in (0, 2, 4)]
    assert "max_on_calls_in_7_days" not in rules_broken(three)
    four = [*three, shift(6, (17, 0), 15 * 60, kind="on_call")]
    assert "max_on_calls_in_7_days" in rules_broken(four)
    spread = [*three, shift(7, (17, 0), 15 * 60, kind="on_call")]  # day 7 is outside days 0-6
    assert "max_on_calls_in_7_days" not in rules_broken(spread)


def test_consecutive_on_calls_allowed_only_friday_to_sunday() -> None:
    weekend = [shift(d, (9, 0), 24 * 60, kind="on_call") for d in (4, 5, 6)]  # Fri, Sat, Sun
    assert "consecutive_on_calls" not in rules_broken(weekend)
    weekday = [shift(d, (17, 0), 15 * 60, kind="on_call") for d in (1, 2)]  # Tue, Wed
    assert rules_broken(weekday) == ["consecutive_on_calls"]
    sunday_monday = [shift(d, (9, 0), 24 * 60, kind="on_call") for d in (6, 7)]
    assert "consecutive_on_calls" in rules_broken(sunday_monday)


def test_first_shift_after_on_call_at_most_10h() -> None:
    on_call = shift(0, (17, 0), 15 * 60, kind="on_call")  # to Tuesday 08:00
    assert "max_shift_after_on_call" not in rules_broken([on_call, shift(1, (9, 0), 10 * 60)])
    assert "max_shift_after_on_call" in rules_broken([on_call, shift(1, (9, 0), 10 * 60 + 1)])


# ------------------------------------------------------------------------------------------- clock changes


def test_shift_across_spring_change_is_an_hour_shorter() -> None:
    # 29 March 2026: clocks go forward. 20:00 Saturday to 09:30 Sunday is 13 h 30 on the wall, 12 h 30 in real time.
    s = dt.datetime(2026, 3, 28, 20, 0)
    duty = Duty("Dr A", s, s + dt.timedelta(hours=13, minutes=30))
    assert "max_shift_length" not in rules_broken([duty])


def test_shift_across_autumn_change_is_an_hour_longer() -> None:
    # 25 October 2026: clocks go back. 21:00 Saturday to 09:30 Sunday is 12 h 30 on the wall, 13 h 30 real.
    s = dt.datetime(2026, 10, 24, 21, 0)
    report = check(Rota.from_duties([Duty("Dr A", s, dt.datetime(2026, 10, 25, 9, 30))]), RULES)
    found = [b for b in report.breaches if b.rule == "max_shift_length"]
    assert len(found) == 1
    assert "13 h 30 min" in found[0].message


@settings(max_examples=300, deadline=None)
@given(st.datetimes(min_value=dt.datetime(2000, 1, 1), max_value=dt.datetime(2040, 12, 31)))
def test_local_to_utc_matches_zoneinfo(value: dt.datetime) -> None:
    # A rota's wall-clock time carries no fold: the engine reads a repeated autumn time as its first occurrence
    # (fold=0, British Summer Time). Hypothesis also generates fold=1, which no rota file can express.
    value = value.replace(microsecond=0, second=0, fold=0)
    expected = value.replace(tzinfo=zoneinfo.ZoneInfo("Europe/London")).astimezone(dt.UTC).replace(tzinfo=None)
    got = to_utc(np.array([to_local_seconds(value)], dtype=np.int64))[0]
    assert got == to_local_seconds(expected)


@settings(max_examples=300, deadline=None)
@given(st.datetimes(min_value=dt.datetime(2000, 1, 1), max_value=dt.datetime(2040, 12, 31)))
def test_utc_to_local_matches_zoneinfo(value: dt.datetime) -> None:
    value = value.replace(microsecond=0, second=0)
    expected = value.replace(tzinfo=dt.UTC).astimezone(zoneinfo.ZoneInfo("Europe/London")).replace(tzinfo=None)
    assert to_local(np.array([to_local_seconds(value)], dtype=np.int64))[0] == to_local_seconds(expected)


def test_a_repeated_autumn_time_is_read_as_its_first_occurrence_and_a_skipped_spring_time_as_gmt() -> None:
    """The engine's rule for ambiguous local times (timeutil's docstring), by hand: on 25 October 2026 the
    clocks go back at 02:00 BST, so 01:30 happens twice; it is read as 01:30 BST = 00:30 UTC. On 29 March 2026
    01:30 does not exist; it is read with GMT's offset = 01:30 UTC."""
    autumn = to_utc(np.array([to_local_seconds(dt.datetime(2026, 10, 25, 1, 30))], dtype=np.int64))[0]
    assert autumn == to_local_seconds(dt.datetime(2026, 10, 25, 0, 30))
    spring = to_utc(np.array([to_local_seconds(dt.datetime(2026, 3, 29, 1, 30))], dtype=np.int64))[0]
    assert spring == to_local_seconds(dt.datetime(2026, 3, 29, 1, 30))


# ------------------------------------------------------------------------------------------- properties

duty_strategy = st.builds(
    lambda who, day, hh, length, kind: Duty(who, at(day, hh), at(day, hh) + dt.timedelta(minutes=length), kind),
    st.sampled_from(["Dr A", "Dr B", "Dr C"]),
    st.integers(0, 27),
    st.integers(0, 23),
    st.integers(60, 16 * 60),
    st.sampled_from(["shift", "shift", "shift", "on_call", "on_call_work"]),
)


def verdicts(duties: list[Duty]) -> list[tuple]:
    report = check(Rota.from_duties(duties), RULES)
    return sorted((b.doctor, b.rule, b.start, b.end, b.message) for b in report.breaches + report.warnings)


@settings(max_examples=150, deadline=None)
@given(st.lists(duty_strategy, max_size=40), st.randoms())
def test_reordering_rows_changes_no_verdict(duties: list[Duty], rnd) -> None:
    shuffled = list(duties)
    rnd.shuffle(shuffled)
    assert verdicts(duties) == verdicts(shuffled)


@settings(max_examples=150, deadline=None)
@given(st.lists(duty_strategy, max_size=40))
def test_splitting_by_doctor_changes_no_verdict(duties: list[Duty]) -> None:
    together = verdicts(duties)
    apart = sorted(v for who in {d.doctor for d in duties} for v in verdicts([d for d in duties if d.doctor == who]))
    assert together == apart


@settings(max_examples=100, deadline=None)
@given(
    st.lists(
        st.builds(
            lambda who, duty: Duty(who, duty.start, duty.end, duty.kind),
            st.sampled_from([f"Dr {c}" for c in "ABCDEFGH"]),
            duty_strategy,
        ),
        max_size=60,
    ),
    st.integers(1, 12),
)
def test_checking_a_large_rota_in_blocks_of_doctors_changes_nothing(duties: list[Duty], block_rows: int) -> None:
    """A national rota is checked a few thousand rows at a time: the report, in order, is the same."""
    rota = Rota.from_duties(duties)
    whole = check(rota, RULES)
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(ENGINE, "BLOCK_ROWS", block_rows)
        in_blocks = check(rota, RULES)
        patch.setattr(ENGINE, "_packed", lambda *args: None)  # times that are not whole minutes take this path
        unpacked = check(rota, RULES)
    for report in (in_blocks, unpacked):
        assert (report.breaches, report.warnings, report.shifts_checked) == (
            whole.breaches,
            whole.warnings,
            whole.shifts_checked,
        )


def test_a_doctor_without_duties_between_blocks_is_harmless(monkeypatch: pytest.MonkeyPatch) -> None:
    days = (0, 2, 4)  # 14-hour shifts with two nights' rest between them
    week = [Duty("Dr A", at(d, 8), at(d, 22)) for d in days] + [Duty("Dr C", at(d, 8), at(d, 22)) for d in days]
    rota = Rota.from_duties(week)
    # Dr B is on the rota's list of doctors but has no duties; the rows name doctors 0 (Dr A) and 2 (Dr C)
    rota = Rota(
        doctors=["Dr A", "Dr B", "Dr C"],
        doctor=np.where(rota.doctor == 1, 2, rota.doctor),
        start=rota.start,
        end=rota.end,
        kind=rota.kind,
        opted_out=np.zeros(3, dtype=np.bool_),
    )
    monkeypatch.setattr(ENGINE, "BLOCK_ROWS", 2)
    report = check(rota, RULES)
    # 14-hour shifts: each is longer than 13 hours, three for each of the two doctors with duties
    assert [(b.doctor, b.rule) for b in report.breaches] == [("Dr A", "max_shift_length")] * 3 + [
        ("Dr C", "max_shift_length")
    ] * 3


# ------------------------------------------------------------------------------------------- bad input


def test_bad_rows_are_all_listed_and_nothing_is_returned() -> None:
    rota, errors = parse(
        "doctor,start,end,kind,opted_out\n"
        "Dr A,2026-01-05T08:00,2026-01-05T07:00,,\n"
        "Dr A,soon,2026-01-05T17:00,,\n"
        "Dr B,2026-01-05T08:00,2026-01-05T17:00,standby,\n"
        "Dr C,2026-01-05T08:00,2026-01-05T17:00,shift,maybe\n"
        "Dr D,2026-01-05T08:00,2026-01-05T17:00,shift,true\n"
        "Dr D,2026-01-06T08:00,2026-01-06T17:00,shift,false\n"
        "Dr E,2026-01-05T08:00+01:00,2026-01-05T17:00,,\n"
    )
    assert rota is None
    assert [e.line for e in errors] == [2, 3, 4, 5, 7, 8]
    assert "end is not after the start" in errors[0].reason
    assert "opted_out" in errors[4].reason and "line 6" in errors[4].reason
    assert "offset" in errors[5].reason


def test_missing_column_is_reported() -> None:
    rota, errors = parse("doctor,start\nDr A,2026-01-05T08:00\n")
    assert rota is None and errors[0].reason == "missing column 'end'"


def test_parsed_csv_matches_duties() -> None:
    rota, errors = parse("doctor,start,end\nDr A,2026-01-05T08:00,2026-01-05T21:01\n")
    assert not errors and rota is not None
    assert [b.rule for b in check(rota, RULES).breaches] == ["max_shift_length"]


def test_unknown_rule_set_is_refused() -> None:
    with pytest.raises(ValueError, match="tcs2016-2019"):
        load("tcs2099")


def test_rest_breach_hint_says_how_far_to_move_the_next_shift() -> None:
    report = check(Rota.from_duties([shift(0, (8, 0), 10 * 60), shift(1, (3, 0), 8 * 60)]), RULES)
    (breach,) = report.breaches
    assert breach.hint == "Move the next shift 2 h later to restore 11 h rest."


# ------------------------------------------------------------------------------------------- non-resident on call


def work(day: int, start: tuple[int, int], length_min: int) -> Duty:
    return shift(day, start, length_min, kind="on_call_work")


def test_8h_total_rest_in_24h_of_non_resident_on_call() -> None:
    saturday = [shift(5, (9, 0), 24 * 60, kind="on_call")]
    sixteen = [work(5, (9, 0), 8 * 60), work(5, (18, 0), 8 * 60)]  # 16 h worked, 8 h rest
    assert "non_resident_rest_total" not in rules_broken(saturday + sixteen)
    one_more = [work(5, (9, 0), 8 * 60), work(5, (18, 0), 8 * 60 + 1)]  # 7 h 59 min rest
    assert "non_resident_rest_total" in rules_broken(saturday + one_more)


def test_a_weekend_on_call_has_8h_total_rest_in_each_of_its_24_hours() -> None:
    weekend = [shift(5, (9, 0), 48 * 60, kind="on_call")]  # Saturday 09:00 to Monday 09:00
    saturday = [work(5, (10, 0), 8 * 60)]  # 16 h rest in the first 24 hours
    # Sunday 09:00 to Monday 09:00: 16 h worked (8 h rest), then 16 h and a minute (7 h 59 min)
    sunday = [work(6, (9, 0), 8 * 60), work(6, (18, 0), 3 * 60), work(6, (22, 0), 4 * 60), work(7, (3, 0), 60)]
    assert "non_resident_rest_total" not in rules_broken(weekend + saturday + sunday)
    one_more = [*sunday[:3], work(7, (3, 0), 61)]
    assert "non_resident_rest_total" in rules_broken(weekend + saturday + one_more)


def test_5h_continuous_rest_between_22_and_07_on_call() -> None:
    night = [shift(0, (17, 0), 16 * 60, kind="on_call")]  # Monday 17:00 to Tuesday 09:00
    ok = [work(0, (22, 0), 60), work(1, (4, 0), 60)]  # rest 23:00-04:00: 5 h
    assert "non_resident_rest_continuous" not in rules_broken(night + ok)
    short = [work(0, (22, 0), 60), work(1, (3, 59), 60)]  # 4 h 59 min
    assert rules_broken(night + short) == ["non_resident_rest_continuous"]


def test_each_night_of_a_weekend_on_call_is_judged_on_its_own_longest_rest() -> None:
    weekend = [shift(5, (9, 0), 48 * 60, kind="on_call")]  # Saturday 09:00 to Monday 09:00
    # Saturday night: calls 23:00-01:00 and 00:30-02:00 (overlapping), 04:00-05:00. Rest 22-23, 02-04 and 05-07:
    # the longest is 2 h. Sunday night: a call 22:00-23:30, another 05:00-06:00: 5 h 30 min from 23:30 to 05:00.
    saturday = [work(5, (23, 0), 120), work(6, (0, 30), 90), work(6, (4, 0), 60)]
    sunday = [work(6, (22, 0), 90), work(7, (5, 0), 60)]
    report = check(Rota.from_duties(weekend + saturday + sunday), RULES)
    found = [b for b in report.breaches if b.rule.startswith("non_resident_rest")]
    assert [(b.rule, b.start, b.end) for b in found] == [("non_resident_rest_continuous", at(5, 22), at(6, 7))]
    assert "The longest rest between 22:00 and 07:00 on call was 2 h;" in found[0].message


def test_on_call_rest_is_judged_only_where_work_on_call_is_known() -> None:
    night = [shift(0, (17, 0), 16 * 60, kind="on_call")]
    assert rules_broken(night) == []


def test_work_on_call_counts_towards_average_hours() -> None:
    # one week: four 12-hour day shifts (48 h) pass; an hour's work on call takes the average to 49 h
    days = [shift(d, (8, 0), 12 * 60) for d in (0, 2, 4, 6)]
    assert "max_avg_weekly_hours" not in rules_broken(days)
    on_call = [shift(1, (20, 0), 12 * 60, kind="on_call"), work(1, (23, 0), 60)]
    assert "max_avg_weekly_hours" in rules_broken(days + on_call)


# ------------------------------------------------------------------------------------------- less than full time


def test_less_than_full_time_average_is_pro_rata() -> None:
    def week(total_min: int, fraction: float) -> list[Duty]:
        each = total_min // 3
        return [
            Duty(
                "Dr L",
                at(d, 8),
                at(d, 8) + dt.timedelta(minutes=each + (total_min % 3 if d == 4 else 0)),
                fraction=fraction,
            )
            for d in (0, 2, 4)
        ]

    # 60% of 48 h is 28 h 48 min
    assert "max_avg_weekly_hours" not in rules_broken(week(28 * 60 + 48, 0.6))
    assert "max_avg_weekly_hours" in rules_broken(week(28 * 60 + 49, 0.6))
    assert "max_avg_weekly_hours" not in rules_broken(week(28 * 60 + 49, 1.0))


# ------------------------------------------------------------------------------------------- breaks (information)


def test_breaks_due_by_shift_length_and_the_third_on_long_nights_since_2019() -> None:
    from medlead.rota.engine import shift_breaks

    def due(start: tuple[int, int], minutes: int, rules=RULES) -> int:
        s = at(0, *start)
        return shift_breaks(rules, s, s + dt.timedelta(minutes=minutes))

    assert due((8, 0), 5 * 60) == 0
    assert due((8, 0), 5 * 60 + 1) == 1
    assert due((8, 0), 9 * 60) == 1
    assert due((8, 0), 9 * 60 + 1) == 2
    assert due((8, 0), 12 * 60) == 2  # a 12-hour day shift
    assert due((20, 0), 12 * 60) == 3  # a 12-hour night shift since 2019
    assert due((20, 0), 12 * 60 - 1) == 2
    assert due((20, 0), 12 * 60, RULES_2016) == 2


# ------------------------------------------------------------------------------------------- rules by date


def test_the_rules_in_force_follow_the_date() -> None:
    from medlead.rota.engine import in_force

    assert in_force(dt.date(2019, 8, 6)) == "tcs2016"
    assert in_force(dt.date(2019, 8, 7)) == "tcs2016-2019"
    assert in_force(dt.date(2026, 11, 30)) == "tcs2016-2019"
    assert in_force(dt.date(2015, 1, 1)) == "tcs2016"  # before any: the earliest


# ------------------------------------------------------------------------------------------- guardian fines


def test_fine_is_the_penalty_rate_split_between_doctor_and_guardian() -> None:
    from decimal import Decimal

    from medlead.rota.engine.fines import Rates, compute

    rates = Rates(Decimal("4"), Decimal("1.5"), Decimal("2.5"))  # hand-written from guardian_fines.yaml
    fine = compute(Decimal("2"), Decimal("24.50"), rates)
    assert (fine.total, fine.to_doctor, fine.to_guardian) == (Decimal("196.00"), Decimal("73.50"), Decimal("122.50"))
    odd = compute(Decimal("0.33"), Decimal("19.99"), rates)  # shares always add up to the total
    assert odd.to_doctor + odd.to_guardian == odd.total == Decimal("26.39")
    with pytest.raises(ValueError):
        compute(Decimal("0"), Decimal("20"), rates)
    with pytest.raises(ValueError):
        Rates.from_data({"penalty_multiplier": 4, "doctor_multiplier": 1.5, "guardian_multiplier": 2})


def test_a_breach_is_judged_by_the_version_of_the_terms_in_force_on_its_date() -> None:
    from medlead.rota.engine.fines import calculation_on

    # version 12 up to 3 February 2026, version 13 from 4 February 2026 (NHS Employers, 19 September 2025)
    assert calculation_on(dt.date(2026, 1, 15))["code"] == "v12"
    assert calculation_on(dt.date(2026, 2, 3))["code"] == "v12"
    assert calculation_on(dt.date(2026, 2, 4))["code"] == "v13"
    assert calculation_on(dt.date(2026, 3, 15))["code"] == "v13"
    with pytest.raises(LookupError):
        calculation_on(dt.date(2016, 8, 2))  # before the 2016 terms: no guardian fine


def test_breaks_missed_on_more_than_a_quarter_of_occasions_attract_a_fine_from_7_august_2019() -> None:
    from fractions import Fraction

    from medlead.rota.engine.fines import BreaksRule, breaks_rule_on, missed_breaks_fine_due

    rule = breaks_rule_on(dt.date(2026, 3, 31))
    assert rule == BreaksRule(Fraction(1, 4), 4)  # a quarter, over a 4-week reference period
    assert not missed_breaks_fine_due(8, 2, rule)  # exactly a quarter: no fine
    assert missed_breaks_fine_due(8, 3, rule)  # more than a quarter: a fine
    assert not missed_breaks_fine_due(8, 0, rule)
    assert breaks_rule_on(dt.date(2019, 8, 6)) is None  # the 2019 amendments took effect on 7 August 2019
    assert breaks_rule_on(dt.date(2019, 8, 7)) == rule
    for occasions, missed in ((0, 0), (8, 9), (8, -1)):
        with pytest.raises(ValueError):
            missed_breaks_fine_due(occasions, missed, rule)
    with pytest.raises(ValueError):
        BreaksRule.from_data({"missed_share_above": "1", "reference_period_weeks": 4})


@pytest.mark.parametrize(
    ("wall_clock", "skipped_by_the_clocks"),
    [
        (dt.datetime(2026, 3, 29, 0, 59), False),  # GMT, before the change
        (dt.datetime(2026, 3, 29, 1, 0), True),  # the clocks go from 01:00 GMT to 02:00 BST
        (dt.datetime(2026, 3, 29, 1, 59), True),
        (dt.datetime(2026, 3, 29, 2, 0), False),  # BST
        (dt.datetime(2026, 10, 25, 1, 30), False),  # autumn: shown twice, but shown
        (dt.datetime(2027, 3, 28, 1, 30), True),  # the last Sunday of March 2027
        (dt.datetime(2027, 3, 29, 1, 30), False),
    ],
)
def test_the_hour_the_clocks_skip_in_spring_is_known(wall_clock: dt.datetime, skipped_by_the_clocks: bool) -> None:
    assert skipped(wall_clock) is skipped_by_the_clocks


def test_a_csv_duty_in_the_skipped_hour_is_refused_with_its_line() -> None:
    rota, errors = parse(
        "doctor,start,end\n"
        "Dr A,2026-03-28T21:00,2026-03-29T01:30\n"  # a night ending at a time no clock shows
        "Dr A,2026-03-29T02:00,2026-03-29T09:00\n"
        "Dr A,9999-03-01T08:00,9999-03-01T17:00\n"  # beyond any rota: said so, not a failure
    )
    assert rota is None
    assert [e.line for e in errors] == [2, 4]
    assert errors[1].reason == "choose dates between 2000 and 2100"
    assert "01:30 on 29 March 2026 does not exist in the UK" in errors[0].reason


QUARTER = 15 * 60


@settings(max_examples=300)
@given(
    st.integers(0, 40),  # the period's start, in quarter hours from 16:00 on the first day
    st.integers(4, 96),  # its length in quarter hours
    st.lists(st.tuples(st.integers(-40, 140), st.integers(1, 40)), min_size=1, max_size=8),  # work: start, length
)
def test_the_longest_rest_of_a_night_on_call_matches_a_quarter_hour_scan(
    start_q: int, length_q: int, rows: list[tuple[int, int]]
) -> None:
    """The longest rest between 22:00 and 07:00, found all at once, against a scan of the night's quarter hours.
    The rows that count are the rule's: work overlapping the night that ends after the period starts and starts
    before its first 24 hours (or the period, if longer) are over."""
    base = 16 * 3600
    su = base + start_q * QUARTER
    eu = su + length_q * QUARTER
    window_end = max(eu, su + 24 * 3600)
    lo, hi = 22 * 3600, 31 * 3600  # the first night, 22:00 to 07:00
    work = sorted((base + s * QUARTER, base + (s + n) * QUARTER) for s, n in rows)
    assume(any(e > lo and s < hi for s, e in work))  # the engine judges only a night with work in it
    counted = [(s, e) for s, e in work if e > su and s < window_end and e > lo and s < hi]
    free = [not any(s <= t < e for s, e in counted) for t in range(lo, hi, QUARTER)]
    longest = run = 0
    for slot_free in free:
        run = run + 1 if slot_free else 0
        longest = max(longest, run)
    W = {
        "doctor": np.zeros(len(work), dtype=np.int64),
        "su": np.array([s for s, _ in work], dtype=np.int64),
        "eu": np.array([e for _, e in work], dtype=np.int64),
    }
    found = ENGINE._longest_rest(
        W,
        W["su"],  # one doctor, index 0: the keys are the starts
        max(e - s for s, e in work),
        np.array([0]),
        np.array([0]),
        np.array([su]),
        np.array([window_end]),
        np.array([lo]),
        np.array([hi]),
    )
    assert found.tolist() == [longest * QUARTER]


@settings(max_examples=300, deadline=None)
@given(st.datetimes(min_value=dt.datetime(2000, 1, 2), max_value=dt.datetime(2099, 12, 30), timezones=st.just(dt.UTC)))
def test_instants_on_the_uk_wall_clock_match_zoneinfo(value: dt.datetime) -> None:
    """A rota's stored duties (aware instants) read as the UK's wall clock all at once, as zoneinfo reads each."""
    london = zoneinfo.ZoneInfo("Europe/London")
    assert wall_clock([value]) == [value.astimezone(london).replace(tzinfo=None)]


def test_instants_around_both_changes_read_on_the_wall_clock() -> None:
    """By hand, 2026: the clocks go forward at 01:00 UTC on 29 March and back at 01:00 UTC on 25 October."""
    utc = [
        dt.datetime(2026, 3, 29, 0, 59, 30, 250, tzinfo=dt.UTC),  # 00:59:30 GMT, microseconds kept
        dt.datetime(2026, 3, 29, 1, 0, tzinfo=dt.UTC),  # 02:00 BST
        dt.datetime(2026, 10, 25, 0, 30, tzinfo=dt.UTC),  # 01:30 BST, the first 01:30
        dt.datetime(2026, 10, 25, 1, 30, tzinfo=dt.UTC),  # 01:30 GMT, the second
        dt.datetime(2026, 7, 1, 12, 0, tzinfo=zoneinfo.ZoneInfo("Europe/London")),  # given in UK time: 12:00
    ]
    assert wall_clock(utc) == [
        dt.datetime(2026, 3, 29, 0, 59, 30, 250),
        dt.datetime(2026, 3, 29, 2, 0),
        dt.datetime(2026, 10, 25, 1, 30),
        dt.datetime(2026, 10, 25, 1, 30),
        dt.datetime(2026, 7, 1, 12, 0),
    ]
    assert wall_clock([]) == []
