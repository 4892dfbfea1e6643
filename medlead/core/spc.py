"""Statistical process control as NHS England's Making Data Count prescribes it (data/spc.yaml has the parameters
and their sources; ../shared/domain/variation-and-spc.md the facts).

An XmR chart per segment (a segment runs from the start, or a rebase date, to the next rebase date): the mean,
process limits at mean +/- 2.66 x the mean moving range, and four special-cause rules:

- ``beyond_limits``: a point above the upper or below the lower process limit;
- ``shift``: a run of 7 or more points all above or all below the mean (a point on the mean breaks the run);
- ``trend``: a run of 7 or more points each higher than the one before, or each lower (a repeat breaks it);
- ``two_of_three``: 2 of 3 consecutive points between the near-limit line (two-thirds of the way from the mean to
  a limit) and the limit, with all 3 points on the same side of the mean.

A point flagged by a rule is a special cause: ``improvement`` or ``concern`` by the metric's direction, ``neutral``
for a metric with none. Where rules disagree on a point's side, the first of beyond_limits, trend, two_of_three,
shift decides (the order plot-the-dots uses). The variation icon is the latest point's; the assurance icon compares
the target with the latest segment's limits. Pure: no Django import.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, Literal

Improvement = Literal["up", "down", "neutral"]
RULES = ("beyond_limits", "shift", "trend", "two_of_three")
PRIORITY = ("beyond_limits", "trend", "two_of_three", "shift")


@dataclass(frozen=True)
class Params:
    limit_multiplier: float = 2.66
    near_limit_fraction: float = 2 / 3
    shift_run: int = 7
    trend_run: int = 7
    two_of_three: tuple[int, int] = (2, 3)
    trial_limits_below: int = 12
    screen_outliers: bool = False
    outlier_moving_range: float = 3.267

    @classmethod
    def from_data(cls, data: Mapping[str, Any]) -> Params:
        """From data/spc.yaml's contents (the caller reads the file)."""
        count, window = data["two_of_three"]
        return cls(
            limit_multiplier=float(data["limit_multiplier"]),
            near_limit_fraction=float(data["near_limit_fraction"]),
            shift_run=int(data["shift_run"]),
            trend_run=int(data["trend_run"]),
            two_of_three=(int(count), int(window)),
            trial_limits_below=int(data["trial_limits_below"]),
            screen_outliers=bool(data["screen_outliers"]),
            outlier_moving_range=float(data["outlier_moving_range"]),
        )


@dataclass(frozen=True)
class Point:
    date: dt.date
    value: float
    mean: float
    lower: float
    upper: float
    near_lower: float
    near_upper: float
    special_cause: str | None  # "improvement", "concern", "neutral" or None (common cause)
    rules: tuple[str, ...]
    segment: int

    def as_dict(self) -> dict[str, Any]:
        return {
            "date": self.date.isoformat(),
            "value": self.value,
            "mean": self.mean,
            "lower": self.lower,
            "upper": self.upper,
            "special_cause": self.special_cause,
            "rules": list(self.rules),
        }


@dataclass(frozen=True)
class Chart:
    points: list[Point]
    improvement: Improvement
    target: float | None
    variation: str | None  # of the latest point: "common_cause", "improvement", "concern", "neutral"
    assurance: str | None  # "pass", "fail", "hit_and_miss"; None without a target or a direction
    warnings: list[str] = field(default_factory=list)

    def as_dict(self) -> dict[str, Any]:
        return {
            "points": [p.as_dict() for p in self.points],
            "variation": self.variation,
            "assurance": self.assurance,
            "warnings": list(self.warnings),
        }


class SpcError(ValueError):
    """Input the chart cannot be drawn from (the message says why, in words)."""


def _runs(signs: Sequence[int], minimum: int) -> list[int]:
    """For each position, the sign of the run of equal non-zero signs of at least ``minimum`` it belongs to, else 0."""
    out = [0] * len(signs)
    start = 0
    for i in range(1, len(signs) + 1):
        if i == len(signs) or signs[i] != signs[start]:
            if signs[start] != 0 and i - start >= minimum:
                out[start:i] = [signs[start]] * (i - start)
            start = i
    return out


def _sign(x: float) -> int:
    return (x > 0) - (x < 0)


def _segment(values: Sequence[float], p: Params) -> tuple[float, float, float, dict[str, list[int]]]:
    """Mean, half-width of the process limits, half-width of the near-limit lines, and each rule's side per point."""
    n = len(values)
    mean = sum(values) / n
    ranges = [abs(values[i] - values[i - 1]) for i in range(1, n)]
    mean_range = sum(ranges) / len(ranges)
    if p.screen_outliers and mean_range > 0:
        kept = [r for r in ranges if r < p.outlier_moving_range * mean_range]
        mean_range = sum(kept) / len(kept) if kept else mean_range
    half = p.limit_multiplier * mean_range
    near = p.near_limit_fraction * half
    side = [_sign(v - mean) for v in values]

    beyond = [s if abs(v - mean) > half else 0 for v, s in zip(values, side, strict=True)]

    shift = _runs(side, p.shift_run)

    # A trend is a run of points each above (or below) the one before: steps of equal sign joined end to end.
    steps = [_sign(values[i] - values[i - 1]) for i in range(1, n)]
    step_runs = _runs(steps, p.trend_run - 1)
    trend = [0] * n
    for i, s in enumerate(step_runs):
        if s:
            trend[i] = trend[i] or s  # the first point of a run keeps an earlier run's side only if it had one
            trend[i + 1] = s

    # Two of three as plot-the-dots codes it (ptd_two_in_three): a point is close to a limit when it lies beyond
    # the near-limit line but not beyond the limit; a window of three fires when at least two of its points are
    # close AND all three are on the same side of the mean (a point on the mean, or one across it, is no signal).
    # Only the close points of a firing window are flagged.
    count, window = p.two_of_three
    close = [near < abs(v - mean) <= half for v in values]
    two = [0] * n
    for start in range(0, max(n - window + 1, 0)):
        members = range(start, start + window)
        s = side[start]
        if s and all(side[i] == s for i in members) and sum(close[i] for i in members) >= count:
            for i in members:
                if close[i]:
                    two[i] = s
    return mean, half, near, {"beyond_limits": beyond, "shift": shift, "trend": trend, "two_of_three": two}


def _special_cause(sides: Mapping[str, int], improvement: Improvement) -> str | None:
    side = next((sides[r] for r in PRIORITY if sides[r]), 0)
    if not side:
        return None
    if improvement == "neutral":
        return "neutral"
    return "improvement" if (side > 0) == (improvement == "up") else "concern"


def _assurance(target: float | None, improvement: Improvement, lower: float, upper: float) -> str | None:
    if target is None or improvement == "neutral":
        return None
    if target > upper:
        return "fail" if improvement == "up" else "pass"
    if target < lower:
        return "pass" if improvement == "up" else "fail"
    return "hit_and_miss"


def xmr(
    data: Sequence[tuple[dt.date, float]],
    *,
    improvement: Improvement = "up",
    target: float | None = None,
    rebase: Sequence[dt.date] = (),
    params: Params | None = None,
) -> Chart:
    """The XmR chart of ``data`` (date, value) pairs in any order; dates must be distinct.

    Raises ``SpcError`` when a chart cannot be drawn: fewer than two points, a repeated date, a rebase date outside
    the data, or a segment of one point (a moving range needs two)."""
    p = params or Params()
    if improvement not in ("up", "down", "neutral"):
        raise SpcError(f"The direction of improvement must be up, down or neutral, not {improvement!r}.")
    points = sorted(data)
    if len(points) < 2:
        raise SpcError(f"An XmR chart needs at least 2 points; it has {len(points)}.")
    dates = [d for d, _ in points]
    again = sorted(d for d, times in Counter(dates).items() if times > 1)
    if again:
        raise SpcError("These dates appear more than once: " + ", ".join(d.isoformat() for d in again) + ".")

    starts = [0]
    for when in sorted(set(rebase)):
        if when <= dates[0] or when > dates[-1]:
            raise SpcError(
                f"The rebase date {when.isoformat()} must fall after the first point ({dates[0].isoformat()}) "
                f"and on or before the last ({dates[-1].isoformat()})."
            )
        index = next(i for i, d in enumerate(dates) if d >= when)
        if index not in starts:
            starts.append(index)
    bounds = list(zip(starts, [*starts[1:], len(points)], strict=True))

    out: list[Point] = []
    warnings: list[str] = []
    lower = upper = 0.0
    for number, (a, b) in enumerate(bounds):
        values = [float(v) for _, v in points[a:b]]
        if len(values) < 2:
            raise SpcError(
                f"The segment from {dates[a].isoformat()} has 1 point; a segment needs at least 2 "
                "(a moving range is the difference between two points)."
            )
        if len(values) < p.trial_limits_below:
            warnings.append(
                f"Trial limits: the segment from {dates[a].isoformat()} has {len(values)} points, fewer than "
                f"{p.trial_limits_below}; its limits will change as points are added."
            )
        mean, half, near, sides = _segment(values, p)
        lower, upper = mean - half, mean + half
        for i, value in enumerate(values):
            per_rule = {r: sides[r][i] for r in RULES}
            out.append(
                Point(
                    date=dates[a + i],
                    value=value,
                    mean=mean,
                    lower=lower,
                    upper=upper,
                    near_lower=mean - near,
                    near_upper=mean + near,
                    special_cause=_special_cause(per_rule, improvement),
                    rules=tuple(r for r in RULES if per_rule[r]),
                    segment=number,
                )
            )
    latest = out[-1].special_cause
    return Chart(
        points=out,
        improvement=improvement,
        target=target,
        variation=latest or "common_cause",
        assurance=_assurance(target, improvement, lower, upper),
        warnings=warnings,
    )


def parse_csv(text: str) -> tuple[list[tuple[dt.date, float]], list[str]]:
    """A ``date,value`` CSV (ISO dates, one row per period, any order) as pairs, and every bad row in words with
    its line number (the header is line 1). Blank lines are skipped. Any error means no pairs."""
    import csv
    import io
    import math

    rows = list(csv.reader(io.StringIO(text)))
    if not rows or [c.strip().lower() for c in rows[0]] != ["date", "value"]:
        found = ",".join(rows[0]) if rows else "nothing"
        return [], [f"line 1: the header must be date,value; found {found!r}."]
    out: list[tuple[dt.date, float]] = []
    errors: list[str] = []
    first_line: dict[dt.date, int] = {}
    for number, row in enumerate(rows[1:], start=2):
        if not any(c.strip() for c in row):
            continue
        if len(row) != 2:
            errors.append(f"line {number}: expected 2 fields (date,value), found {len(row)}.")
            continue
        date_text, value_text = (c.strip() for c in row)
        when: dt.date | None = None
        try:
            if len(date_text) != 10:
                raise ValueError
            when = dt.date.fromisoformat(date_text)
        except ValueError:
            errors.append(f"line {number}: date {date_text!r} is not a date in the form YYYY-MM-DD.")
        try:
            value = float(value_text)
            if not math.isfinite(value):
                raise ValueError
        except ValueError:
            errors.append(f"line {number}: value {value_text!r} is not a number.")
            continue
        if when is None:
            continue
        if when in first_line:
            errors.append(f"line {number}: date {date_text} appears again (first on line {first_line[when]}).")
            continue
        first_line[when] = number
        out.append((when, value))
    if not errors and len(out) < 2:
        errors.append(f"An XmR chart needs at least 2 points; the file has {len(out)}.")
    return ([] if errors else out), errors
