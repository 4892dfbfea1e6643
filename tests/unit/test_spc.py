"""The Making Data Count XmR chart (core/spc.py) against series worked out by hand from the rules in
data/spc.yaml: limits at mean +/- 2.66 x the mean moving range; shift and trend of 7; 2 of 3 beyond two-thirds."""

from __future__ import annotations

import datetime as dt

import pytest

from medlead.core.reference_data import read
from medlead.core.spc import Params, SpcError, parse_csv, xmr


def months(values: list[float], start: dt.date = dt.date(2024, 1, 1)) -> list[tuple[dt.date, float]]:
    out = []
    for i, v in enumerate(values):
        year, month = divmod(start.month - 1 + i, 12)
        out.append((dt.date(start.year + year, month + 1, 1), v))
    return out


def flagged(chart, rule: str) -> list[int]:
    return [i for i, p in enumerate(chart.points) if rule in p.rules]


def test_the_parameters_come_from_the_data_file() -> None:
    p = Params.from_data(read("spc.yaml"))
    assert (p.limit_multiplier, p.shift_run, p.trend_run, p.two_of_three, p.trial_limits_below) == (
        2.66,
        7,
        7,
        (2, 3),
        12,
    )
    assert p.near_limit_fraction == pytest.approx(2 / 3)


def test_limits_are_the_mean_plus_or_minus_2_66_mean_moving_ranges() -> None:
    # mean 59/6; moving ranges 1, 1, 2, 1, 24: mean 5.8; 2.66 x 5.8 = 15.428
    chart = xmr(months([5, 6, 5, 7, 6, 30]))
    p = chart.points[0]
    assert p.mean == pytest.approx(59 / 6)
    assert p.upper == pytest.approx(59 / 6 + 15.428)
    assert p.lower == pytest.approx(59 / 6 - 15.428)
    assert chart.points[-1].rules == ("beyond_limits",)
    assert chart.points[-1].special_cause == "improvement"
    assert chart.variation == "improvement"
    assert flagged(chart, "beyond_limits") == [5]


def test_a_high_point_is_a_concern_when_lower_is_better_and_neutral_without_a_direction() -> None:
    data = months([5, 6, 5, 7, 6, 30])
    assert xmr(data, improvement="down").variation == "concern"
    assert xmr(data, improvement="neutral").variation == "neutral"


def test_seven_points_above_the_mean_are_a_shift_and_six_are_not() -> None:
    # five 4s and ten 6s: mean 80/15 = 5.33; moving ranges eight 2s and six 0s: mean 16/14, limits +/- 3.04,
    # near-limit lines +/- 2.03, so no point is near a limit; the seven 6s in a row (indices 7 to 13) are a shift.
    seven = xmr(months([4, 6, 4, 6, 4, 6, 4, 6, 6, 6, 6, 6, 6, 6, 4]))
    assert flagged(seven, "shift") == list(range(7, 14))
    assert {seven.points[i].special_cause for i in range(7, 14)} == {"improvement"}
    assert [p.rules for p in seven.points if p.rules and p.rules != ("shift",)] == []
    six = xmr(months([4, 6, 4, 6, 4, 6, 4, 4, 6, 6, 6, 6, 6, 6, 4]))
    assert flagged(six, "shift") == []


def test_a_point_on_the_mean_breaks_a_shift() -> None:
    # mean 75/15 = 5 exactly, and the point at index 10 is 5: two runs of three 6s, not a shift of seven
    on_mean = xmr(months([4, 6, 4, 6, 4, 6, 4, 6, 6, 6, 5, 6, 6, 6, 0]))
    assert on_mean.points[10].value == on_mean.points[10].mean
    assert flagged(on_mean, "shift") == []
    above = xmr(months([4, 6, 4, 6, 4, 6, 4, 6, 6, 6, 6, 6, 6, 6, 0]))
    assert flagged(above, "shift") == list(range(7, 14))


def test_seven_points_each_higher_than_the_last_are_a_trend_and_a_repeat_breaks_it() -> None:
    rising = xmr(months([5, 5, 5, 1, 2, 3, 4, 5, 6, 7, 5, 5]))
    assert flagged(rising, "trend") == list(range(3, 10))
    six_rising = xmr(months([5, 5, 5, 5, 2, 3, 4, 5, 6, 7, 5, 5]))
    assert flagged(six_rising, "trend") == []
    repeat = xmr(months([5, 5, 1, 2, 3, 3, 4, 5, 6, 7, 5, 5]))  # 3 then 3: two runs, neither of seven
    assert flagged(repeat, "trend") == []
    falling = xmr(months([5, 5, 5, 9, 8, 7, 6, 5, 4, 3, 5, 5]), improvement="down")
    assert flagged(falling, "trend") == list(range(3, 10))
    assert {falling.points[i].special_cause for i in range(4, 10)} == {"improvement"}


def test_two_of_three_points_beyond_two_thirds_of_the_way_to_a_limit() -> None:
    # 10, 11 alternating with 13.5 at indices 10 and 12: mean 217/20 = 10.85; moving ranges fifteen 1s and four
    # 2.5s: mean 25/19; limits 10.85 +/- 3.50; near-limit lines 10.85 +/- 2.33 = 13.18. Both 13.5s are beyond
    # the near-limit line and inside the limit, two of the three points 10 to 12.
    values: list[float] = [10, 11] * 10
    values[10] = values[12] = 13.5
    chart = xmr(months(values))
    assert chart.points[0].upper == pytest.approx(10.85 + 2.66 * 25 / 19)
    assert flagged(chart, "two_of_three") == [10, 12]
    assert flagged(chart, "beyond_limits") == flagged(chart, "shift") == flagged(chart, "trend") == []
    assert chart.points[10].special_cause == "improvement"
    assert chart.variation == "common_cause"

    one = [10.0, 11.0] * 10
    one[10] = 13.5
    assert flagged(xmr(months(one)), "two_of_three") == []


# NHS-R's plot-the-dots, ptd_two_in_three (R/ptd_calculate_point_type.R), which codes Making Data Count's rule:
# two of three consecutive points close to a process limit (beyond the near-limit line, not beyond the limit) AND
# all three points on the same side of the mean. Each series below has mean 11 exactly and sixteen points of
# 11, 12, 11, 10 repeated (fifteen moving ranges of 1) before the points that matter.
BASE: list[float] = [11, 12, 11, 10] * 4


def test_two_near_limit_points_either_side_of_a_point_on_the_mean_are_no_signal() -> None:
    # 14, 11, 14, 11, 10, 10, 9, 9 after the base: sum 176 + 88 = 264 over 24 points, mean 11. Moving ranges:
    # fifteen 1s, then 4, 3, 3, 3, 1, 0, 1, 0: 30 over 23. Limits 11 +/- 2.66 x 30/23 = 3.47; near-limit lines
    # 11 +/- 2.31. The 14s (indices 16 and 18) are 3 above the mean: near the limit, inside it. Index 17 is 11,
    # exactly on the mean, so no three consecutive points are all on one side: no signal.
    chart = xmr(months([*BASE, 14, 11, 14, 11, 10, 10, 9, 9]))
    assert chart.points[17].value == chart.points[17].mean == 11
    assert chart.points[0].upper == pytest.approx(11 + 2.66 * 30 / 23)
    assert flagged(chart, "two_of_three") == []
    assert [p.special_cause for p in chart.points] == [None] * 24


def test_two_near_limit_points_either_side_of_a_point_across_the_mean_are_no_signal() -> None:
    # 14, 10, 14, 11, 10, 10, 10, 9: mean 11; moving ranges fifteen 1s, then 4, 4, 4, 3, 1, 0, 0, 1: 32 over 23;
    # near-limit lines 11 +/- 2.47. The 14s are near the limit, but the 10 between them is below the mean.
    chart = xmr(months([*BASE, 14, 10, 14, 11, 10, 10, 10, 9]))
    assert flagged(chart, "two_of_three") == []
    assert [p.special_cause for p in chart.points] == [None] * 24


def test_two_near_limit_points_with_the_third_on_the_same_side_of_the_mean_are_a_signal() -> None:
    # 14, 12, 14, 11, 10, 10, 9, 8: mean 11; moving ranges fifteen 1s, then 4, 2, 2, 3, 1, 0, 1, 1: 29 over 23;
    # limits 11 +/- 3.35, near-limit lines 11 +/- 2.24. Indices 16 to 18 (14, 12, 14) are all above the mean and
    # two of them are near the limit: those two are flagged, the 12 between them is not. The 8 at index 23 is
    # near the lower limit on its own: no signal.
    series = months([*BASE, 14, 12, 14, 11, 10, 10, 9, 8])
    chart = xmr(series)
    assert chart.points[0].upper == pytest.approx(11 + 2.66 * 29 / 23)
    assert flagged(chart, "two_of_three") == [16, 18]
    assert [chart.points[i].special_cause for i in (16, 17, 18, 23)] == ["improvement", None, "improvement", None]
    assert xmr(series, improvement="down").points[16].special_cause == "concern"


def test_a_point_beyond_the_limit_is_not_close_to_it() -> None:
    # plot-the-dots counts a point as close to a limit only if it is not beyond it. 24 points of the base pattern,
    # then 14, 12, 17, 11, 10, 10, 9, 9, 9, 9: sum 264 + 110 = 374 over 34, mean 11; moving ranges twenty-three 1s,
    # then 4, 2, 5, 6, 1, 0, 1, 0, 0, 0: 42 over 33 = 14/11; limits 11 +/- 3.39, near-limit lines 11 +/- 2.26.
    # The 17 (index 26) is beyond the upper limit; the 14 (index 24) is the only point close to it: no two of three.
    chart = xmr(months([*(BASE + BASE[:8]), 14, 12, 17, 11, 10, 10, 9, 9, 9, 9]))
    assert chart.points[0].upper == pytest.approx(11 + 2.66 * 14 / 11)
    assert flagged(chart, "beyond_limits") == [26]
    assert flagged(chart, "two_of_three") == []
    assert chart.points[24].special_cause is None


def test_assurance_compares_the_target_with_the_limits() -> None:
    data = months([10, 11] * 10)  # mean 10.5, mean moving range 1: limits 7.84 and 13.16
    assert xmr(data, target=14).assurance == "fail"
    assert xmr(data, target=7).assurance == "pass"
    assert xmr(data, target=12).assurance == "hit_and_miss"
    assert xmr(data, target=14, improvement="down").assurance == "pass"
    assert xmr(data, target=7, improvement="down").assurance == "fail"
    assert xmr(data, target=12, improvement="neutral").assurance is None
    assert xmr(data).assurance is None


def test_rebasing_computes_limits_for_each_segment_and_the_rules_within_it() -> None:
    data = months([10, 11] * 6 + [20, 21] * 6)
    whole = xmr(data)
    assert flagged(whole, "shift") == list(range(24))
    split = xmr(data, rebase=[data[12][0]])
    assert (split.points[0].mean, split.points[12].mean) == (10.5, 20.5)
    assert (split.points[12].lower, split.points[12].upper) == pytest.approx((17.84, 23.16))
    assert flagged(split, "shift") == []
    assert split.warnings == []
    # the latest segment's limits judge the target
    assert split.points[-1].segment == 1 and xmr(data, rebase=[data[12][0]], target=15).assurance == "pass"


def test_fewer_than_twelve_points_in_a_segment_have_trial_limits() -> None:
    assert xmr(months([10, 11] * 6)).warnings == []
    warnings = xmr(months([10, 11] * 5 + [10])).warnings
    assert len(warnings) == 1 and "Trial limits" in warnings[0] and "11 points" in warnings[0]


@pytest.mark.parametrize(
    ("data", "rebase", "reason"),
    [
        (months([1]), [], "at least 2 points"),
        ([(dt.date(2024, 1, 1), 1.0), (dt.date(2024, 1, 1), 2.0), (dt.date(2024, 2, 1), 3.0)], [], "2024-01-01"),
        (months([1, 2, 3]), [dt.date(2030, 1, 1)], "rebase date 2030-01-01"),
        (months([1, 2, 3]), [dt.date(2024, 3, 1)], "has 1 point"),
    ],
)
def test_a_chart_that_cannot_be_drawn_says_why(data, rebase, reason) -> None:
    with pytest.raises(SpcError, match=reason):
        xmr(data, rebase=rebase)


def test_the_csv_reader_lists_every_bad_row_by_line() -> None:
    series, errors = parse_csv("date,value\n2024-02-01,3\n2024-01-01,2\n\n")
    assert errors == [] and series == [(dt.date(2024, 2, 1), 3.0), (dt.date(2024, 1, 1), 2.0)]
    _, errors = parse_csv("date,value\n2024-01-01,1\n01/02/2024,2\n2024-03-01,lots\n2024-01-01,4\n2024-05-01\n")
    assert errors == [
        "line 3: date '01/02/2024' is not a date in the form YYYY-MM-DD.",
        "line 4: value 'lots' is not a number.",
        "line 5: date 2024-01-01 appears again (first on line 2).",
        "line 6: expected 2 fields (date,value), found 1.",
    ]
    assert parse_csv("when,amount\n")[1] == ["line 1: the header must be date,value; found 'when,amount'."]
    assert parse_csv("date,value\n2024-01-01,nan\n")[1] == ["line 2: value 'nan' is not a number."]


def test_a_funnel_of_proportions_uses_binomial_limits() -> None:
    from medlead.core.stats import funnel_proportions

    # overall 480 of 600 = 0.8; standard error for 100 doctors sqrt(0.8 x 0.2 / 100) = 0.04: 95% limits at
    # +/- 0.0784, 99.8% at +/- 0.1236
    wide = funnel_proportions([("A", 100, 95), ("B", 100, 65), ("C", 400, 320)])
    assert wide.centre == pytest.approx(0.8)
    assert [(p.label, p.outside_95, p.outside_998) for p in wide.points] == [
        ("A", True, True),
        ("B", True, True),
        ("C", False, False),
    ]
    near = funnel_proportions([("A", 100, 90), ("B", 100, 70), ("C", 400, 320)])
    assert [(p.outside_95, p.outside_998) for p in near.points] == [(True, False), (True, False), (False, False)]
    assert funnel_proportions([]).points == []
