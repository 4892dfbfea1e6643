"""The rota rule engine: every rule of a rule set checked over whole arrays at once (NumPy), no Django.

Definitions (from the rule set's ``definitions``; see ``data/rota_rules/``):
- Times are Europe/London wall clock; durations are real elapsed time (``timeutil.to_utc``).
- Night shift: at least ``night_min_hours`` of the shift between 23:00 and 06:00. Long shift: more than
  ``long_shift_over_hours``. Long evening: long, not a night, finishing after 23:00 on the day it started.
- Consecutive: each starts on the calendar day after the previous one (a second start on the same day stays
  in the run). Weekend worked: any duty covering time between Saturday 00:00 and Monday 00:00.
- The reference period for averages and weekends: Monday of the doctor's first week to Sunday of the last,
  in whole weeks, unless ``reference_weeks`` is given.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from functools import lru_cache
from operator import attrgetter
from typing import Any, NamedTuple

import numpy as np
import numpy.typing as npt

from medlead.rota.engine.model import ON_CALL, ON_CALL_WORK, SHIFT, Rota
from medlead.rota.engine.rules import RuleSet, breaks_due
from medlead.rota.engine.timeutil import DAY, HOUR, from_local_seconds, to_local, to_local_seconds, to_utc

I64 = npt.NDArray[np.int64]
BOOL = npt.NDArray[np.bool_]
BIG = np.int64(1) << np.int64(40)  # separates doctors in combined sort keys (times stay below 2**40)


class Breach(NamedTuple):
    """One finding. A named tuple: a national check makes hundreds of thousands, and a frozen dataclass took five
    times as long to make each."""

    doctor: str
    rule: str
    start: dt.datetime
    end: dt.datetime
    message: str
    severity: str = "breach"  # or "warning"
    hint: str = ""  # a simple fix, where one exists

    def as_dict(self) -> dict[str, Any]:
        data = {
            "doctor": self.doctor,
            "rule": self.rule,
            "start": self.start.isoformat(timespec="minutes"),
            "end": self.end.isoformat(timespec="minutes"),
            "message": self.message,
        }
        if self.hint:
            data["hint"] = self.hint
        return data


@dataclass
class Report:
    rule_set: str
    shifts_checked: int
    breaches: list[Breach] = field(default_factory=list)
    warnings: list[Breach] = field(default_factory=list)

    @property
    def compliant(self) -> bool:
        return not self.breaches

    def summary(self) -> dict[str, Any]:
        return {
            "rule_set": self.rule_set,
            "shifts_checked": self.shifts_checked,
            "breaches": len(self.breaches),
            "warnings": len(self.warnings),
            "by_rule": dict(sorted(Counter(b.rule for b in self.breaches).items())),
            "by_doctor": dict(sorted(Counter(b.doctor for b in self.breaches).items())),
        }

    def as_dict(self) -> dict[str, Any]:
        return {
            "breaches": [b.as_dict() for b in self.breaches],
            "warnings": [w.as_dict() for w in self.warnings],
            "summary": self.summary(),
        }


@lru_cache(maxsize=4096)  # durations repeat: a national check words the same few ones hundreds of thousands of times
def hours(seconds: float) -> str:
    """Real durations in plain words: 13 h, 13 h 1 min."""
    total = round(float(seconds) / 60)
    h, m = divmod(total, 60)
    if h == 0:
        return f"{m} min"
    return f"{h} h" if m == 0 else f"{h} h {m} min"


class _Out:
    """Collects findings as (rule, doctor index, window start, window end, message)."""

    def __init__(self, rota: Rota) -> None:
        self.rota = rota
        self.items: list[Breach] = []
        self.warnings: list[Breach] = []

    def add(
        self, rule: str, doctor: Any, start: Any, end: Any, message: str, warning: bool = False, hint: str = ""
    ) -> None:
        b = Breach(
            doctor=self.rota.doctors[int(doctor)],
            rule=rule,
            start=_datetime(int(start)),
            end=_datetime(int(end)),
            message=message,
            severity="warning" if warning else "breach",
            hint=hint,
        )
        (self.warnings if warning else self.items).append(b)

    def add_all(
        self,
        rule: str,
        doctor: I64,
        start: I64,
        end: I64,
        messages: list[str],
        hints: list[str] | None = None,
        warning: bool = False,
    ) -> None:
        """One rule's findings at once: arrays of doctors, local starts and ends, with their words in the same
        order (a national check finds hundreds of thousands: one by one, converting each number, cost a second)."""
        names = self.rota.doctors
        severity = "warning" if warning else "breach"
        found = [
            Breach(names[d], rule, _datetime(s), _datetime(e), message, severity, hint)
            for d, s, e, message, hint in zip(
                doctor.tolist(),
                start.tolist(),
                end.tolist(),
                messages,
                hints if hints is not None else [""] * len(messages),
                strict=True,
            )
        ]
        (self.warnings if warning else self.items).extend(found)


@lru_cache(maxsize=65536)  # shift patterns repeat across doctors: so do the times findings begin and end
def _datetime(local_seconds: int) -> dt.datetime:
    return from_local_seconds(local_seconds)


def _count(n: int, words: str) -> str:
    """3 consecutive night shifts; 1 night shift."""
    return f"{n} {words}" if n != 1 else f"1 {words.removeprefix('consecutive ').removesuffix('s')}"


def _runs(doctor: I64, day: I64) -> tuple[I64, I64]:
    """Indices of the first and last element of each run of consecutive calendar days, per doctor."""
    if doctor.size == 0:
        empty = np.zeros(0, dtype=np.int64)
        return empty, empty
    new = np.ones(doctor.size, dtype=np.bool_)
    new[1:] = (doctor[1:] != doctor[:-1]) | (day[1:] - day[:-1] > 1)
    first = np.flatnonzero(new)
    last = np.append(first[1:] - 1, doctor.size - 1)
    return first, last


def _next_index(doctor: I64, start_u: I64, sel_doctor: I64, after_u: I64) -> I64:
    """For each (doctor, time) the index of that doctor's first shift starting at or after ``time``; -1 if none."""
    keys = doctor * BIG + start_u
    idx = np.searchsorted(keys, sel_doctor * BIG + after_u, side="left")
    ok = idx < doctor.size
    ok[ok] &= doctor[idx[ok]] == sel_doctor[ok]
    return np.where(ok, idx, -1)


def _merge_windows(doctor: I64, start: I64, end: I64, value: npt.NDArray[Any]) -> list[tuple[int, int, int, Any]]:
    """Merge overlapping windows of the same doctor into one, keeping the largest value."""
    order = np.lexsort((start, doctor))
    merged: list[tuple[int, int, int, Any]] = []
    for i in order:
        d, s, e, v = int(doctor[i]), int(start[i]), int(end[i]), value[i]
        if merged and merged[-1][0] == d and s <= merged[-1][2]:
            pd, ps, pe, pv = merged[-1]
            merged[-1] = (pd, ps, max(pe, e), max(pv, v))
        else:
            merged.append((d, s, e, v))
    return merged


BLOCK_ROWS = 1 << 16  # rows checked together: whole doctors, about this many (fastest measured: 2**15 to 2**16)
# the packed sort key: doctor within its block, start in minutes from the earliest, length in minutes, kind
_KIND_BITS, _LENGTH_BITS, _START_BITS, _DOCTOR_BITS = 2, 11, 20, 16


def _sorted_blocks(rota: Rota) -> Iterator[Rota]:
    """The rota cut into blocks of whole doctors of about ``BLOCK_ROWS`` rows each, each block's rows sorted by
    doctor, start, end and kind: a total order, so that the order of rows never matters.

    Every rule is about one doctor's duties, so blocks are checked independently with the same answers. A
    block's working arrays stay small (they fit in the processor's cache), so peak memory is the input plus two
    numbers a row, whatever the size of the rota. Doctors keep their order; a block's ``doctors`` are a slice.

    Fast path (whole-minute times, a span under two years, duties under 34 hours, blocks of under 65,536
    doctors): each row is packed into one 49-bit number (doctor in its block, start, length, kind), so a block is
    one gather and one ``np.sort``, unpacked into sorted columns. Rows equal on every key are identical, so ties
    are harmless. Otherwise each block's columns are gathered and ordered by ``np.lexsort``.
    """
    if len(rota) == 0:
        return
    counts = np.bincount(rota.doctor, minlength=len(rota.doctors))
    block_of_doctor = (np.cumsum(counts) - counts) // BLOCK_ROWS  # by the row offset where the doctor begins
    n_blocks = int(block_of_doctor[-1]) + 1
    first_doctor = np.searchsorted(block_of_doctor, np.arange(n_blocks + 1), side="left")
    ends = np.cumsum(np.bincount(block_of_doctor, weights=counts, minlength=n_blocks)).astype(np.int64)
    if n_blocks == 1:
        order: I64 | None = None
    else:
        row_block = block_of_doctor.astype(np.uint8 if n_blocks <= 2**8 else np.int64)[rota.doctor]
        order = np.argsort(row_block, kind="stable")  # a radix sort: linear in the rows
        del row_block
    key = _packed(rota, first_doctor, block_of_doctor)
    t0 = int(rota.start.min())
    fraction = rota.fractions()
    hi = 0
    for b in range(n_blocks):
        lo, hi = hi, int(ends[b])
        if lo == hi:
            continue  # a doctor with more than a block's rows leaves blocks empty
        d0, d1 = int(first_doctor[b]), int(first_doctor[b + 1])
        rows = slice(lo, hi) if order is None else order[lo:hi]
        if key is not None:
            packed = np.sort(key[rows])
            start = ((packed >> (_KIND_BITS + _LENGTH_BITS)) & (2**_START_BITS - 1)) * 60 + t0
            columns = (
                packed >> (_KIND_BITS + _LENGTH_BITS + _START_BITS),
                start,
                start + ((packed >> _KIND_BITS) & (2**_LENGTH_BITS - 1)) * 60,
                (packed & (2**_KIND_BITS - 1)).astype(np.int8),
            )
        else:
            doctor, start, end, kind = rota.doctor[rows] - d0, rota.start[rows], rota.end[rows], rota.kind[rows]
            by = np.lexsort((kind, end, start, doctor))
            columns = (doctor[by], start[by], end[by], kind[by])
        yield Rota(
            doctors=rota.doctors[d0:d1],
            doctor=columns[0],
            start=columns[1],
            end=columns[2],
            kind=columns[3],
            opted_out=rota.opted_out[d0:d1],
            fraction=fraction[d0:d1],
        )


def _packed(rota: Rota, first_doctor: I64, block_of_doctor: I64) -> I64 | None:
    """Each row as one sortable number, or None where the rota does not fit the fast path."""
    if np.diff(first_doctor).max() >= 2**_DOCTOR_BITS or np.any(rota.start % 60) or np.any(rota.end % 60):
        return None
    # built in place, one column at a time: at most two numbers a row alive at once
    key = first_doctor[block_of_doctor][rota.doctor]
    np.subtract(rota.doctor, key, out=key)
    column = rota.start - int(rota.start.min())
    column //= 60
    if column.max() >= 2**_START_BITS:
        return None
    key <<= _START_BITS
    key |= column
    np.subtract(rota.end, rota.start, out=column)
    column //= 60
    if column.min() < 0 or column.max() >= 2**_LENGTH_BITS:
        return None
    key <<= _LENGTH_BITS
    key |= column
    del column
    key <<= _KIND_BITS
    key |= rota.kind
    return key


FINDING_ORDER = attrgetter("doctor", "start", "rule")


def check(rota: Rota, rules: RuleSet, *, reference_weeks: int | None = None) -> Report:
    report = Report(rule_set=rules.id, shifts_checked=len(rota))
    for block in _sorted_blocks(rota):
        out = _check_block(block, rules, reference_weeks)
        report.breaches += out.items
        report.warnings += out.warnings
    report.breaches.sort(key=FINDING_ORDER)
    report.warnings.sort(key=FINDING_ORDER)
    return report


def _check_block(rota: Rota, rules: RuleSet, reference_weeks: int | None) -> _Out:
    """One block of whole doctors, its rows sorted by doctor, start, end and kind."""
    out = _Out(rota)
    doctor, start_l, end_l, kind = rota.doctor, rota.start, rota.end, rota.kind
    start_u, end_u = to_utc(start_l), to_utc(end_l)

    columns = {"doctor": doctor, "sl": start_l, "el": end_l, "su": start_u, "eu": end_u}

    def rows(mask: BOOL) -> dict[str, I64]:
        return {name: values[mask] for name, values in columns.items()}

    sh = kind == SHIFT
    S = rows(sh)
    S["dur"] = S["eu"] - S["su"]
    S["day"] = S["sl"] // DAY
    C = rows(kind == ON_CALL)
    C["dur"] = C["eu"] - C["su"]
    C["day"] = C["sl"] // DAY
    worked_on_call = kind == ON_CALL_WORK
    if worked_on_call.any():  # time worked: shifts and work done during non-resident on-call
        W = rows(sh | worked_on_call)
        W["dur"] = W["eu"] - W["su"]
        W["kind"] = kind[sh | worked_on_call].astype(np.int64)
    else:  # only shifts are worked: the shift arrays serve, no copy
        W = {**S, "kind": np.zeros(S["doctor"].size, dtype=np.int64)}

    _shift_length(S, rules, out)
    _rest_between(S, rules, out)
    night, long_, evening = _classify(S, rules)
    _runs_rule(
        S,
        np.ones_like(night),
        rules,
        out,
        "max_consecutive_shifts",
        "rest_after_consecutive_shifts",
        "consecutive shifts",
    )
    _runs_rule(S, long_, rules, out, "max_consecutive_long_shifts", "rest_after_long_shifts", "consecutive long shifts")
    _runs_rule(
        S,
        night,
        rules,
        out,
        "max_consecutive_nights",
        "rest_after_nights",
        "consecutive night shifts",
        rest_after_run_of=int(rules.param("rest_after_nights", "after_run_of")),
    )
    _runs_rule(
        S,
        evening,
        rules,
        out,
        "max_consecutive_long_evenings",
        "rest_after_long_evenings",
        "consecutive long evening shifts",
    )
    _hours_in_168(W, rules, out)
    first_monday, weeks = _reference_period(doctor, start_l, len(rota.doctors), reference_weeks)
    _average_hours(W, rota, rules, out, first_monday, weeks)
    work = kind != ON_CALL_WORK  # work during on-call lies within an on-call period already counted
    _weekends(doctor[work], start_l[work], end_l[work], kind[work], rules, out, first_monday, weeks, len(rota.doctors))
    _on_calls(C, S, rules, out)
    _non_resident_rest(C, W, rules, out)
    return out


# ------------------------------------------------------------------------------------------------ shifts


def _shift_length(S: dict[str, I64], rules: RuleSet, out: _Out) -> None:
    limit = int(rules.param("max_shift_length", "limit_hours") * HOUR)
    _too_long(
        S,
        limit,
        out,
        "max_shift_length",
        lambda n: f"A shift of {hours(n)} is longer than the {hours(limit)} limit.",
        lambda n: f"End this shift {hours(n - limit)} earlier, or split it.",
    )


def _too_long(
    rows: dict[str, I64],
    limit: int,
    out: _Out,
    rule: str,
    message: Callable[[int], str],
    hint: Callable[[int], str],
) -> None:
    """Each duty of ``rows`` lasting more than ``limit`` seconds, as one of ``rule``'s findings."""
    bad = np.flatnonzero(rows["dur"] > limit)
    length = rows["dur"][bad].tolist()
    out.add_all(
        rule,
        rows["doctor"][bad],
        rows["sl"][bad],
        rows["el"][bad],
        [message(n) for n in length],
        [hint(n) for n in length],
    )


def _rest_between(S: dict[str, I64], rules: RuleSet, out: _Out) -> None:
    minimum = int(rules.param("min_rest_between_shifts", "min_hours") * HOUR)
    same = S["doctor"][1:] == S["doctor"][:-1]
    gap = S["su"][1:] - S["eu"][:-1]
    bad = np.flatnonzero(same & (gap < minimum))
    rest = gap[bad].tolist()
    out.add_all(
        "min_rest_between_shifts",
        S["doctor"][bad],
        S["el"][bad],
        S["sl"][bad + 1],
        [f"Only {hours(max(g, 0))} rest between shifts; at least {hours(minimum)} is needed." for g in rest],
        [f"Move the next shift {hours(minimum - g)} later to restore {hours(minimum)} rest." for g in rest],
    )


def _classify(S: dict[str, I64], rules: RuleSet) -> tuple[BOOL, BOOL, BOOL]:
    """Night, long and long-evening flags for each shift."""
    in_night = np.zeros(S["su"].size, dtype=np.int64)
    if S["day"].size == 0:
        return in_night.astype(np.bool_), in_night.astype(np.bool_), in_night.astype(np.bool_)
    d0 = int(S["day"].min()) - 1
    span = np.arange(d0, int(S["day"].max()) + 3, dtype=np.int64)  # every day a night window can start on
    starts_u = to_utc(span * DAY + rules.night_start)  # real time of each day's 23:00 ...
    ends_u = to_utc((span + 1) * DAY + rules.night_end)  # ... and of the next morning's 06:00
    day_index = S["day"] - d0
    for k in (-1, 0):
        w_start, w_end = starts_u[day_index + k], ends_u[day_index + k]
        in_night += np.clip(np.minimum(S["eu"], w_end) - np.maximum(S["su"], w_start), 0, None)
    # only a duty of more than 23 h can reach the night window that opens the day after it starts
    very_long = np.flatnonzero(S["dur"] > 23 * HOUR)
    if very_long.size:
        nxt = day_index[very_long] + 1
        in_night[very_long] += np.clip(
            np.minimum(S["eu"][very_long], ends_u[nxt]) - np.maximum(S["su"][very_long], starts_u[nxt]), 0, None
        )
    night = in_night >= int(rules.definitions["night_min_hours"] * HOUR)
    long_ = S["dur"] > int(rules.definitions["long_shift_over_hours"] * HOUR)
    evening = long_ & ~night & (S["el"] > S["day"] * DAY + rules.long_evening_after)
    return night, long_, evening


def _runs_rule(
    S: dict[str, I64],
    mask: BOOL,
    rules: RuleSet,
    out: _Out,
    max_rule: str,
    rest_rule: str,
    words: str,
    rest_after_run_of: int | None = None,
) -> None:
    idx = np.flatnonzero(mask)  # positions within the shift arrays
    if idx.size == 0:
        return
    doctor, day = S["doctor"][idx], S["day"][idx]
    first, last = _runs(doctor, day)
    length = day[last] - day[first] + 1
    limit = int(rules.param(max_rule, "limit"))
    for r in np.flatnonzero(length > limit):
        out.add(
            max_rule,
            doctor[first[r]],
            S["sl"][idx[first[r]]],
            S["el"][idx[last[r]]],
            f"{length[r]} {words} in a row; the limit is {limit}.",
            hint=f"Give a day off within the run, so that no more than {limit} come in a row.",
        )
    needs_rest = length >= (rest_after_run_of if rest_after_run_of is not None else limit)
    runs = np.flatnonzero(needs_rest)
    if runs.size == 0:
        return
    minimum = int(rules.param(rest_rule, "min_hours") * HOUR)
    end_pos = idx[last[runs]]
    nxt = end_pos + 1
    has_next = nxt < S["doctor"].size
    has_next[has_next] &= S["doctor"][nxt[has_next]] == S["doctor"][end_pos[has_next]]
    runs, end_pos, nxt = runs[has_next], end_pos[has_next], nxt[has_next]
    rest = S["su"][nxt] - S["eu"][end_pos]
    short = rest < minimum
    pos, gaps = end_pos[short], rest[short].tolist()
    out.add_all(
        rest_rule,
        S["doctor"][pos],
        S["el"][pos],
        S["sl"][nxt[short]],
        [
            f"Only {hours(max(gap, 0))} rest after {_count(n, words)}; at least {hours(minimum)} is needed."
            for gap, n in zip(gaps, length[runs[short]].tolist(), strict=True)
        ],
        [f"Move the next shift {hours(minimum - gap)} later." for gap in gaps],
    )


def _hours_in_168(S: dict[str, I64], rules: RuleSet, out: _Out) -> None:
    window = 168 * HOUR
    limit = int(rules.param("max_hours_in_168", "limit_hours") * HOUR)
    doctor, su, eu, dur = S["doctor"], S["su"], S["eu"], S["dur"]
    n = doctor.size
    if n == 0:
        return
    cum = np.concatenate(([0], np.cumsum(dur)))
    key_s, key_e = doctor * BIG + su, doctor * BIG + eu
    # windows starting at each shift start: shifts i..k start inside; the last may run past the window
    k = np.searchsorted(key_s, key_s + window, side="left") - 1
    total_s = cum[k + 1] - cum[:-1] - np.clip(eu[k] - (su + window), 0, None)
    # windows ending at each shift end: shifts j..i end inside; the first may start before the window
    j = np.searchsorted(key_e, key_e - window, side="right")
    total_e = cum[1:] - cum[j] - np.clip((eu - window) - su[j], 0, None)
    bad_s, bad_e = np.flatnonzero(total_s > limit), np.flatnonzero(total_e > limit)
    if bad_s.size == 0 and bad_e.size == 0:
        return
    w_doc = np.concatenate((doctor[bad_s], doctor[bad_e]))
    w_start = np.concatenate((su[bad_s], eu[bad_e] - window))
    w_end = np.concatenate((su[bad_s] + window, eu[bad_e]))
    value = np.concatenate((total_s[bad_s], total_e[bad_e]))
    for d, ws, we, v in _merge_windows(w_doc, w_start, w_end, value):
        local_ws, local_we = to_local(np.array([ws, we], dtype=np.int64))
        out.add(
            "max_hours_in_168",
            d,
            local_ws,
            local_we,
            f"{hours(v)} worked within 168 consecutive hours; the limit is {hours(limit)}.",
        )


def _reference_period(doctor: I64, start_l: I64, n_doctors: int, reference_weeks: int | None) -> tuple[I64, I64]:
    """Per doctor: the Monday (local day number) that starts the reference period, and its length in weeks."""
    day = start_l // DAY
    monday = day - (day + 3) % 7  # 1970-01-01 was a Thursday
    first = np.full(n_doctors, np.iinfo(np.int64).max, dtype=np.int64)
    last = np.full(n_doctors, np.iinfo(np.int64).min, dtype=np.int64)
    np.minimum.at(first, doctor, monday)
    np.maximum.at(last, doctor, monday)
    weeks = (last - first) // 7 + 1
    if reference_weeks is not None:
        weeks = np.full(n_doctors, reference_weeks, dtype=np.int64)
    return first, weeks


def _average_hours(W: dict[str, I64], rota: Rota, rules: RuleSet, out: _Out, first_monday: I64, weeks: I64) -> None:
    total = np.bincount(W["doctor"], weights=W["dur"], minlength=len(rota.doctors))
    full_time = np.where(
        rota.opted_out,
        rules.param("max_avg_weekly_hours", "opted_out_limit_hours"),
        rules.param("max_avg_weekly_hours", "limit_hours"),
    )
    fraction = rota.fractions()
    pro_rata = bool(rules.rules["max_avg_weekly_hours"].get("ltft_pro_rata", False))
    limit = np.round(full_time * (fraction if pro_rata else 1.0) * HOUR / 60) * 60  # to the minute
    average = total / np.maximum(weeks, 1)
    for d in np.flatnonzero(average > limit):
        start = first_monday[d] * DAY
        why = []
        if rota.opted_out[d]:
            why.append("opted out of the working time regulations")
        if pro_rata and fraction[d] < 1:
            why.append(f"less than full time at {fraction[d]:.0%} of {hours(full_time[d] * HOUR)}")
        out.add(
            "max_avg_weekly_hours",
            d,
            start,
            start + weeks[d] * 7 * DAY,
            f"Average of {hours(average[d])} a week over {weeks[d]} {'week' if weeks[d] == 1 else 'weeks'}; "
            f"the limit is {hours(limit[d])}" + (f" ({'; '.join(why)})." if why else "."),
        )


def _weekends(
    doctor: I64,
    start_l: I64,
    end_l: I64,
    kind: npt.NDArray[np.int8],
    rules: RuleSet,
    out: _Out,
    first_monday: I64,
    weeks: I64,
    n_doctors: int,
) -> None:
    use = np.ones(doctor.size, dtype=np.bool_) if rules.definitions["weekend_counts_on_call"] else kind == SHIFT
    d, s, e = doctor[use], start_l[use], end_l[use]
    day = s // DAY
    monday = day - (day + 3) % 7
    saturday = (monday + 5) * DAY
    covers = (s < saturday + 2 * DAY) & (e > saturday)
    # a duty that starts on a Friday but runs into the next week's weekend is covered by the same test
    # rows are sorted by doctor and start, so a doctor's weekends come in order: count the changes
    covered_doc, covered_week = d[covers], monday[covers]
    new = np.ones(covered_doc.size, dtype=np.bool_)
    new[1:] = (covered_doc[1:] != covered_doc[:-1]) | (covered_week[1:] != covered_week[:-1])
    worked = np.bincount(covered_doc[new], minlength=n_doctors)
    num, den = rules.param("max_weekend_frequency", "max_fraction")
    wnum, wden = rules.param("max_weekend_frequency", "warn_fraction")
    too_many = worked * den > num * weeks
    by_agreement = ~too_many & (worked * wden > wnum * weeks)
    for doc in np.flatnonzero((worked > 0) & (too_many | by_agreement)):
        start = first_monday[doc] * DAY
        end = start + weeks[doc] * 7 * DAY
        n, w = int(worked[doc]), int(weeks[doc])
        text = f"{n} {'weekend' if n == 1 else 'weekends'} worked in {w} {'week' if w == 1 else 'weeks'}"
        if too_many[doc]:
            out.add("max_weekend_frequency", doc, start, end, f"{text}: more than 1 in {den // num}.")
        else:
            out.add(
                "max_weekend_frequency",
                doc,
                start,
                end,
                f"{text}: more than 1 in {wden // wnum}, allowed only by agreement.",
                warning=True,
            )


# ------------------------------------------------------------------------------------------------ on call


def _on_calls(C: dict[str, I64], S: dict[str, I64], rules: RuleSet, out: _Out) -> None:
    n = C["doctor"].size
    if n == 0:
        return
    limit = int(rules.param("max_on_call_length", "limit_hours") * HOUR)
    _too_long(
        C,
        limit,
        out,
        "max_on_call_length",
        lambda n: f"An on-call period of {hours(n)} is longer than {hours(limit)}.",
        lambda n: f"End the on-call period {hours(n - limit)} earlier.",
    )

    most = int(rules.param("max_on_calls_in_7_days", "limit"))
    keys = C["doctor"] * BIG + C["day"]
    count = np.searchsorted(keys, keys + 7, side="left") - np.arange(n)
    over = count > most
    first_bad = over.copy()
    first_bad[1:] &= ~(over[:-1] & (C["doctor"][1:] == C["doctor"][:-1]))
    for i in np.flatnonzero(first_bad):
        out.add(
            "max_on_calls_in_7_days",
            C["doctor"][i],
            C["sl"][i],
            C["day"][i] * DAY + 7 * DAY,
            f"{count[i]} on-call periods start within 7 days; the limit is {most}.",
        )

    allowed = np.zeros(7, dtype=np.bool_)
    allowed[rules.param("consecutive_on_calls", "allowed_weekdays")] = True
    weekday = (C["day"] + 3) % 7
    pair = (C["doctor"][1:] == C["doctor"][:-1]) & (C["day"][1:] - C["day"][:-1] == 1)
    pair &= ~(allowed[weekday[:-1]] & allowed[weekday[1:]])
    for i in np.flatnonzero(pair):
        out.add(
            "consecutive_on_calls",
            C["doctor"][i],
            C["sl"][i],
            C["el"][i + 1],
            "On-call periods on consecutive days (allowed only from Friday to Sunday).",
        )

    cap = int(rules.param("max_shift_after_on_call", "limit_hours") * HOUR)
    nxt = _next_index(S["doctor"], S["su"], C["doctor"], C["su"] + 1)
    ok = nxt >= 0
    long_after = np.zeros(n, dtype=np.bool_)
    long_after[ok] = S["dur"][nxt[ok]] > cap
    bad = np.flatnonzero(long_after)
    j = nxt[bad]
    length = S["dur"][j].tolist()
    out.add_all(
        "max_shift_after_on_call",
        C["doctor"][bad],
        S["sl"][j],
        S["el"][j],
        [f"The first shift after an on-call period lasts {hours(n)}; the limit is {hours(cap)}." for n in length],
        [f"Shorten that shift by {hours(n - cap)}." for n in length],
    )


def shift_breaks(rules: RuleSet, start: dt.datetime, end: dt.datetime) -> int:
    """The 30-minute breaks one shift (local wall-clock times) entitles the doctor to; information, not a rule."""
    sl = np.array([to_local_seconds(start)], dtype=np.int64)
    el = np.array([to_local_seconds(end)], dtype=np.int64)
    su, eu = to_utc(sl), to_utc(el)
    one = {"sl": sl, "el": el, "su": su, "eu": eu, "dur": eu - su, "day": sl // DAY}
    night, _, _ = _classify(one, rules)
    return breaks_due(rules, int(one["dur"][0]), bool(night[0]))


class _WorkedBefore:
    """For rows of work sorted by doctor and start (``W``), all at once for arrays of (doctor, time): the time worked
    between two times (``between``: each row counts its part of the stretch, overlapping rows each count) and the
    number of rows that overlap a stretch (``overlapping``). A row's part before x is max(0, x - start) -
    max(0, x - end), so both are sums over the rows that start (or end) before x: prefix sums found by binary
    search."""

    def __init__(self, W: dict[str, I64]) -> None:
        self.starts = W["doctor"] * BIG + W["su"]  # sorted
        self.start_sums = np.concatenate(([0], np.cumsum(W["su"])))
        ends = W["doctor"] * BIG + W["eu"]
        order = np.argsort(ends, kind="stable")
        self.ends = ends[order]
        self.end_sums = np.concatenate(([0], np.cumsum(W["eu"][order])))

    def between(self, doctor: I64, a: I64, b: I64) -> I64:
        base = doctor * BIG
        s0, e0 = np.searchsorted(self.starts, base), np.searchsorted(self.ends, base)

        def until(x: I64) -> I64:
            s1, e1 = np.searchsorted(self.starts, base + x), np.searchsorted(self.ends, base + x)
            after_starts = x * (s1 - s0) - (self.start_sums[s1] - self.start_sums[s0])
            after_ends = x * (e1 - e0) - (self.end_sums[e1] - self.end_sums[e0])
            return after_starts - after_ends

        return until(b) - until(a)

    def overlapping(self, doctor: I64, lo: I64, hi: I64) -> I64:
        """Rows with start < hi and end > lo: those starting before hi, less those ending by lo."""
        base = doctor * BIG
        started = np.searchsorted(self.starts, base + hi) - np.searchsorted(self.starts, base)
        ended = np.searchsorted(self.ends, base + lo, side="right") - np.searchsorted(self.ends, base)
        return started - ended


def _non_resident_rest(C: dict[str, I64], W: dict[str, I64], rules: RuleSet, out: _Out) -> None:
    """Rest during non-resident on-call, judged only for on-call periods in which work is known (``on_call_work``
    rows): 8 hours' total rest in each 24 hours from the start of the period, and 5 hours' continuous rest between
    22:00 and 07:00 on each night the period covers for at least 5 hours. Shifts in the window count as work.

    Worked out for all periods at once where arrays can (the total rest of a period of up to 24 hours; which nights
    a period covers, and whether any work falls in them); period by period for the rest (a longer period's later
    days, and the longest rest of a night with work in it), in the periods' order."""
    if C["doctor"].size == 0 or not np.any(W["kind"] == ON_CALL_WORK):
        return
    total_min = int(rules.param("non_resident_rest_total", "min_hours") * HOUR)
    per = int(rules.param("non_resident_rest_total", "per_hours") * HOUR)
    cont_min = int(rules.param("non_resident_rest_continuous", "min_hours") * HOUR)
    w_from, w_to = (_clock_seconds(t) for t in rules.param("non_resident_rest_continuous", "window"))
    keys_s = W["doctor"] * BIG + W["su"]
    longest = int(W["dur"].max()) if W["dur"].size else 0
    # the periods in which work is known: an on_call_work row of the doctor's overlapping the period. Rows are in key
    # order (doctor, then start): among those starting before the period ends, the latest end (a running maximum; an
    # earlier doctor's keys all lie below this doctor's) must fall after it starts.
    known = W["kind"] == ON_CALL_WORK
    ends_by_start = np.maximum.accumulate(W["doctor"][known] * BIG + W["eu"][known])
    before_end = np.searchsorted(keys_s[known], C["doctor"] * BIG + C["eu"], side="left")
    with_work = (before_end > 0) & (ends_by_start[np.maximum(before_end - 1, 0)] > C["doctor"] * BIG + C["su"])
    at = np.flatnonzero(with_work)
    doctor, su, eu = C["doctor"][at], C["su"][at], C["eu"][at]
    worked = _WorkedBefore(W)
    # total rest: a period of up to 24 hours has one window, its first 24 hours
    one_window = eu - su <= per
    first_worked = worked.between(doctor, su, su + per)
    short_of_rest = one_window & (per - first_worked < total_min)
    # the nights each period covers, from the night before its first day while a night starts before it ends
    first_night = C["sl"][at] // DAY - 1
    reach = C["el"][at] - w_from - first_night * DAY
    nights = np.where(reach > 0, (reach + DAY - 1) // DAY, 0)
    of = np.repeat(np.arange(at.size), nights)
    night_day = first_night[of] + (np.arange(of.size) - np.repeat(np.cumsum(nights) - nights, nights))
    n_lo_l, n_hi_l = night_day * DAY + w_from, (night_day + 1) * DAY + w_to
    n_lo, n_hi = to_utc(n_lo_l), to_utc(n_hi_l)
    covered = np.minimum(eu[of], n_hi) - np.maximum(su[of], n_lo)
    # a night with no work in it has all of its hours of rest, at least the 5 it covers
    judged = np.flatnonzero((covered >= cont_min) & (worked.overlapping(doctor[of], n_lo, n_hi) > 0))
    window_ends = np.maximum(eu, su + per)
    rest = _longest_rest(W, keys_s, longest, of[judged], doctor, su, window_ends, n_lo[judged], n_hi[judged])
    bad = judged[rest < cont_min]
    rest = rest[rest < cont_min].tolist()
    between, expected = f"{_hhmm(w_from)} and {_hhmm(w_to)}", hours(cont_min)
    out.add_all(
        "non_resident_rest_continuous",
        doctor[of[bad]],
        n_lo_l[bad],
        n_hi_l[bad],
        [
            f"The longest rest between {between} on call was {hours(r)}; at least {expected} continuous is expected."
            for r in rest
        ],
        ["Arrange for the work overnight to leave a 5-hour stretch of rest."] * len(rest),
    )

    # total rest in each 24 hours from the start of the period: the first 24 hours of every period were worked out
    # above; a longer period's later days are summed here, one by one
    each = np.flatnonzero(short_of_rest | ~one_window)
    los = np.searchsorted(keys_s, doctor[each] * BIG + su[each] - longest, side="left").tolist()
    his = np.searchsorted(keys_s, doctor[each] * BIG + window_ends[each], side="left").tolist()
    for p, lo, hi in zip(each.tolist(), los, his, strict=True):
        start, end, window_end = int(su[p]), int(eu[p]), int(window_ends[p])
        t, done = start, int(first_worked[p])
        while per - done >= total_min and t + per < end:
            t += per
            rows = slice(lo, hi)
            done = sum(
                max(0, min(e, t + per) - max(s, t))
                for s, e in zip(W["su"][rows].tolist(), W["eu"][rows].tolist(), strict=True)
                if e > start and s < window_end
            )
        if per - done < total_min:
            out.add(
                "non_resident_rest_total",
                doctor[p],
                C["sl"][at[p]],
                C["el"][at[p]],
                f"Only {hours(per - done)} rest in the {hours(per)} from the start of this on-call period; "
                f"at least {hours(total_min)} is expected.",
                hint="Lighten the work expected on call, or give compensatory rest the next day.",
            )


def _longest_rest(
    W: dict[str, I64],
    keys_s: I64,
    longest: int,
    period: I64,
    doctor: I64,
    start: I64,
    window_end: I64,
    lo: I64,
    hi: I64,
) -> I64:
    """For each night [lo, hi) of an on-call period (``period`` indexes the periods' ``doctor``, ``start`` and
    ``window_end``), the longest stretch of it not covered by the doctor's work that overlaps both the period
    (ending after its start, starting before its window's end) and the night, all nights at once.

    Each night's candidate rows (those starting from ``longest`` before the night to its end) are laid end to end,
    each clipped to the night; a row that does not count shrinks to nothing at the night's start. The work so far
    in a night is a running maximum of ends, kept within the night by adding its number times 2**32 (real times in
    seconds since 1970 stay below 2**32 until 2106); each gap is a row's start less the work before it, and the
    last the night's end less all of it."""
    if period.size == 0:
        return np.zeros(0, dtype=np.int64)
    d = doctor[period]
    first = np.searchsorted(keys_s, d * BIG + lo - longest, side="left")
    count = np.searchsorted(keys_s, d * BIG + hi, side="left") - first
    night = np.repeat(np.arange(period.size), count)
    row = first[night] + (np.arange(night.size) - np.repeat(np.cumsum(count) - count, count))
    s, e = W["su"][row], W["eu"][row]
    counts = (e > start[period][night]) & (s < window_end[period][night]) & (e > lo[night]) & (s < hi[night])
    s = np.where(counts, np.clip(s, lo[night], hi[night]), lo[night])
    e = np.where(counts, np.clip(e, lo[night], hi[night]), lo[night])
    shift = night.astype(np.int64) << 32
    done = np.maximum.accumulate(e + shift) - shift  # the work's end so far, each night's rows alone
    before = np.concatenate(([0], done[:-1]))
    opens = np.cumsum(count) - count  # each night's first row: only the night's start lies before it
    before[opens] = lo
    before = np.maximum(before, lo[night])
    gap = np.maximum(s - before, 0)
    last = opens + count - 1
    return np.maximum(np.maximum.reduceat(gap, opens), hi - np.maximum(done[last], lo))


def _clock_seconds(text: str) -> int:
    hh, mm = text.split(":")
    return int(hh) * HOUR + int(mm) * 60


def _hhmm(seconds: int) -> str:
    return f"{seconds // HOUR:02d}:{seconds % HOUR // 60:02d}"


def weekly_averages(rota: Rota, *, reference_weeks: int | None = None) -> dict[str, float]:
    """Each doctor's average weekly hours worked (shifts and known work on call; real time) over their reference
    period."""
    if len(rota) == 0:
        return {}
    shifts = rota.kind != ON_CALL
    duration = to_utc(rota.end) - to_utc(rota.start)
    _, weeks = _reference_period(rota.doctor, rota.start, len(rota.doctors), reference_weeks)
    total = np.bincount(rota.doctor[shifts], weights=duration[shifts], minlength=len(rota.doctors))
    return {name: float(total[i] / HOUR / max(int(weeks[i]), 1)) for i, name in enumerate(rota.doctors)}
