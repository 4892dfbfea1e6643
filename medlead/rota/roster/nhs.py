"""Generating a resident doctors' rota that complies with the national terms: the rule set the compliance engine
checks (``data/rota_rules/``) becomes the solver's hard constraints, cover and requests its objective, and nights,
weekends and long days are shared in proportion to each doctor's fraction. Pure: no Django import.

Every rule the engine checks is encoded from the same rule file (rest between shifts, runs and the rest after
them, nights, weekends, average and 72-hour limits). Where a day-based model can only approximate a rule measured
in hours (72 hours in any 168), the engine checks the solver's rota and any breach becomes a constraint for the next
round, so a rota is returned only when the engine finds no breach."""

from __future__ import annotations

import datetime as dt
import time
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from medlead.rota import engine
from medlead.rota.roster.solve import Progress, run

UNDER_WEIGHT = 1000  # per doctor missing from a shift: cover comes first
FAIRNESS_WEIGHT = 10  # per night, weekend or long day away from the doctor's fair share
WEEKEND_WARNING_WEIGHT = 50  # per weekend beyond 1 in 3 (allowed only by agreement)
MAX_ROUNDS = 8


@dataclass(frozen=True)
class ShiftType:
    code: str
    name: str
    start: int  # minutes after midnight
    minutes: int
    needed: tuple[int, ...]  # doctors needed, Monday to Sunday
    grades: frozenset[str]  # the grades that may fill it


@dataclass(frozen=True)
class Doctor:
    id: str
    name: str
    grade: str
    fraction: float = 1.0
    unavailable: frozenset[int] = frozenset()  # day indices: leave, fixed commitments such as teaching


@dataclass(frozen=True)
class Ask:
    """A request to work a shift (``on``) or not to (``shift`` None: the whole day off)."""

    doctor: str
    day: int
    shift: str | None
    on: bool
    weight: int = 1


@dataclass
class Problem:
    start: dt.date  # a Monday
    weeks: int
    shifts: list[ShiftType]
    doctors: list[Doctor]
    rules: engine.RuleSet
    asks: list[Ask] = field(default_factory=list)

    @property
    def days(self) -> int:
        return self.weeks * 7

    def problems(self) -> list[str]:
        """What cannot work, said before any search."""
        out = []
        if self.start.weekday() != 0:
            out.append("A rota starts on a Monday.")
        limit = int(self.rules.param("max_shift_length", "limit_hours") * 60)
        for s in self.shifts:
            if s.minutes > limit:
                out.append(f"{s.name} is {s.minutes / 60:g} hours long; no shift may be longer than {limit // 60}.")
            eligible = [d for d in self.doctors if d.grade in s.grades]
            most = max(s.needed, default=0)
            if most > len(eligible):
                out.append(f"{s.name} needs {most} doctors on a day but only {len(eligible)} on the rota may work it.")
        for d in self.doctors:
            if len(d.unavailable) >= self.days:
                out.append(f"{d.name} is on leave or otherwise unavailable on every day of the rota.")
        return out


@dataclass
class Unmet:
    day: int
    shift: str
    short: int
    reason: str


@dataclass
class Generated:
    status: str  # "optimal", "feasible", "infeasible" (none found: ``exhausted``, or not within the time)
    assignment: dict[tuple[str, int], str]
    report: engine.Report | None
    unmet_cover: list[Unmet]
    unmet_asks: list[tuple[Ask, str]]
    objective: int | None
    bound: float | None
    seconds: float
    rounds: int
    # CP-SAT proved the model has no answer: with what is locked (the weeks kept as they are) and the combinations
    # earlier rounds forbade, no rota is left, and more time would find none. Not a proof that no rota keeps the
    # rules: the model asks more than the rules in places (each doctor works in the first and last week; a cut
    # forbids a combination where adding a shift elsewhere might have mended it)
    exhausted: bool = False
    reasons: list[engine.Breach] = field(default_factory=list)  # where exhausted: the breaches earlier rounds forbade


def _classify(problem: Problem) -> dict[str, set[str]]:
    """Which shift types are nights, long, long evenings, by the rule set's own definitions."""
    r = problem.rules.definitions
    night_start = _minutes(r["night_window"][0])
    night_end = _minutes(r["night_window"][1]) + 24 * 60
    out: dict[str, set[str]] = {"night": set(), "long": set(), "evening": set()}
    for s in problem.shifts:
        end = s.start + s.minutes
        overlap = sum(max(0, min(end, night_end + k) - max(s.start, night_start + k)) for k in (-24 * 60, 0, 24 * 60))
        night = overlap >= r["night_min_hours"] * 60
        long_ = s.minutes > r["long_shift_over_hours"] * 60
        if night:
            out["night"].add(s.code)
        if long_:
            out["long"].add(s.code)
        if long_ and not night and end > _minutes(r["long_evening_finishes_after"]):
            out["evening"].add(s.code)
    return out


def _minutes(hhmm: str) -> int:
    h, m = hhmm.split(":")
    return int(h) * 60 + int(m)


def duties(problem: Problem, assignment: Mapping[tuple[str, int], str]) -> list[engine.Duty]:
    shifts = {s.code: s for s in problem.shifts}
    fraction = {d.id: d.fraction for d in problem.doctors}
    monday = dt.datetime.combine(problem.start, dt.time())
    out = []
    for (doctor, day), code in sorted(assignment.items()):
        s = shifts[code]
        start = monday + dt.timedelta(days=day, minutes=s.start)
        out.append(engine.Duty(doctor, start, start + dt.timedelta(minutes=s.minutes), fraction=fraction[doctor]))
    return out


def check(problem: Problem, assignment: Mapping[tuple[str, int], str]) -> engine.Report:
    return engine.check(engine.Rota.from_duties(duties(problem, assignment)), problem.rules)


def _build(
    problem: Problem,
    locked: Mapping[tuple[str, int], str | None],
    hint: Mapping[tuple[str, int], str],
    change_weight: int,
    cuts: list[list[tuple[str, int, str]]],
) -> tuple[Any, dict[tuple[str, int, str], Any]]:
    from ortools.sat.python import cp_model

    m = cp_model.CpModel()
    rules, days = problem.rules, problem.days
    kinds = _classify(problem)
    shifts = problem.shifts
    x: dict[tuple[str, int, str], Any] = {}
    objective: list[Any] = []

    def gap(a: ShiftType, b: ShiftType, k: int) -> int:
        """Minutes of rest between ``a`` ending and ``b`` starting ``k`` days later."""
        return k * 24 * 60 + b.start - (a.start + a.minutes)

    rest = int(rules.param("min_rest_between_shifts", "min_hours") * 60)
    after_nights = int(rules.param("rest_after_nights", "min_hours") * 60)
    runs = [
        ("max_consecutive_shifts", "rest_after_consecutive_shifts", {s.code for s in shifts}),
        ("max_consecutive_long_shifts", "rest_after_long_shifts", kinds["long"]),
        ("max_consecutive_nights", "", kinds["night"]),
        ("max_consecutive_long_evenings", "rest_after_long_evenings", kinds["evening"]),
    ]
    weekly = float(rules.param("max_avg_weekly_hours", "limit_hours"))
    pro_rata = bool(rules.rules["max_avg_weekly_hours"].get("ltft_pro_rata", False))
    in_168 = int(rules.param("max_hours_in_168", "limit_hours") * 60)
    num, den = rules.param("max_weekend_frequency", "max_fraction")
    wnum, wden = rules.param("max_weekend_frequency", "warn_fraction")

    # fair shares of nights, weekend days and long days, by fraction among those who may work them
    def share(codes: set[str], doctor: Doctor) -> float:
        demand = sum(s.needed[t % 7] for s in shifts if s.code in codes for t in range(days))
        pool = sum(d.fraction for d in problem.doctors if any(d.grade in s.grades for s in shifts if s.code in codes))
        return demand * doctor.fraction / pool if pool else 0.0

    for d in problem.doctors:
        mine = [s for s in shifts if d.grade in s.grades]
        work = []
        for t in range(days):
            today = []
            for s in mine:
                if t in d.unavailable:
                    continue
                v = m.new_bool_var(f"x_{d.id}_{t}_{s.code}")
                x[d.id, t, s.code] = v
                today.append(v)
            w = m.new_bool_var(f"w_{d.id}_{t}")
            m.add(sum(today) == w)
            work.append(w)
            if (d.id, t) in locked:
                want = locked[d.id, t]
                for s in mine:
                    if (d.id, t, s.code) in x:
                        m.add(x[d.id, t, s.code] == int(want == s.code))
                if want is None:
                    m.add(w == 0)
            elif hint:
                for s in mine:
                    if (d.id, t, s.code) in x:
                        m.add_hint(x[d.id, t, s.code], hint.get((d.id, t)) == s.code)

        def var(t: int, code: str, did: str = d.id) -> Any:
            return x.get((did, t, code))

        def of(t: int, codes: set[str], did: str = d.id) -> Any:
            vs = [x[did, t, c] for c in codes if (did, t, c) in x]
            return sum(vs) if vs else 0

        # 11 hours between shifts
        for t in range(days - 1):
            for a in mine:
                for b in mine:
                    if gap(a, b, 1) < rest and var(t, a.code) is not None and var(t + 1, b.code) is not None:
                        m.add_bool_or([var(t, a.code).negated(), var(t + 1, b.code).negated()])
        # runs of shifts, long shifts, nights, long evenings; the rest after the longest run
        for max_rule, rest_rule, codes in runs:
            if not codes:
                continue
            limit = int(rules.param(max_rule, "limit"))
            flags = []
            for t in range(days):
                f = m.new_bool_var(f"k_{max_rule}_{d.id}_{t}")
                m.add(of(t, codes) == f)
                flags.append(f)
            for t in range(days - limit):
                m.add(sum(flags[t : t + limit + 1]) <= limit)
            if rest_rule:
                need = int(rules.param(rest_rule, "min_hours") * 60)
                for t in range(days - limit + 1):
                    last = t + limit - 1
                    for a in mine:
                        if a.code not in codes or var(last, a.code) is None:
                            continue
                        for k in (1, 2, 3):
                            for b in mine:
                                if last + k < days and gap(a, b, k) < need and var(last + k, b.code) is not None:
                                    m.add_bool_or(
                                        [
                                            *[flags[i].negated() for i in range(t, last)],
                                            var(last, a.code).negated(),
                                            var(last + k, b.code).negated(),
                                        ]
                                    )
        # 46 hours' rest after any run of nights
        for t in range(days):
            nights_today = [a for a in mine if a.code in kinds["night"] and var(t, a.code) is not None]
            if not nights_today:
                continue
            night_next = of(t + 1, kinds["night"]) if t + 1 < days else 0
            run_goes_on = None
            if not isinstance(night_next, int):
                run_goes_on = m.new_bool_var(f"nn_{d.id}_{t}")
                m.add(night_next == run_goes_on)
            for a in nights_today:
                for k in (1, 2, 3):
                    for b in mine:
                        if t + k >= days or var(t + k, b.code) is None or gap(a, b, k) >= after_nights:
                            continue
                        if k == 1 and b.code in kinds["night"]:
                            continue  # the run goes on
                        clause = [var(t, a.code).negated(), var(t + k, b.code).negated()]
                        if k > 1 and run_goes_on is not None:
                            clause.append(run_goes_on)
                        m.add_bool_or(clause)
        # average weekly hours over the rota, pro rata for less than full time
        per_week = round(weekly * (d.fraction if pro_rata else 1.0) * 60)
        minutes = sum(x[d.id, t, s.code] * s.minutes for t in range(days) for s in mine if (d.id, t, s.code) in x)
        m.add(minutes <= per_week * problem.weeks)
        # 72 hours in any seven days (the engine's 168 hours, checked exactly after solving)
        for t in range(days - 6):
            m.add(
                sum(x[d.id, i, s.code] * s.minutes for i in range(t, t + 7) for s in mine if (d.id, i, s.code) in x)
                <= in_168
            )
        # the doctor works in the first and the last week, so the engine's reference period is the whole rota; not
        # asked of a week whose days are all kept as they are (a doctor who joined the rota after them)
        for week in (0, problem.weeks - 1):
            available = [
                work[t] for t in range(7 * week, 7 * week + 7) if t not in d.unavailable and (d.id, t) not in locked
            ]
            if available:
                m.add(sum(available) >= 1)
        # weekends: at most 1 in 2; beyond 1 in 3 only by agreement, so it costs
        weekend_flags = []
        for week in range(problem.weeks):
            sat, sun, fri = 7 * week + 5, 7 * week + 6, 7 * week + 4
            touching = [work[sat], work[sun]]
            touching += [
                var(fri, s.code) for s in mine if s.start + s.minutes > 24 * 60 and var(fri, s.code) is not None
            ]
            y = m.new_bool_var(f"we_{d.id}_{week}")
            m.add_max_equality(y, touching)
            weekend_flags.append(y)
        m.add(sum(weekend_flags) * den <= num * problem.weeks)
        extra = m.new_int_var(0, problem.weeks, f"wx_{d.id}")
        m.add(extra >= sum(weekend_flags) - (wnum * problem.weeks) // wden)
        objective.append(WEEKEND_WARNING_WEIGHT * extra)
        # fairness: nights and long days in proportion to the doctor's fraction (weekends are spread by their limits)
        for codes in (kinds["night"], kinds["long"] - kinds["night"]):
            if not codes:
                continue
            fair = round(share(codes, d))
            dev = m.new_int_var(0, days, f"fair_{d.id}_{min(codes)}")
            total = sum(of(t, codes) for t in range(days))
            m.add(dev >= total - fair)
            m.add(dev >= fair - total)
            objective.append(FAIRNESS_WEIGHT * dev)
        # requests
        for ask in (a for a in problem.asks if a.doctor == d.id):
            if ask.on and ask.shift is not None:
                v = var(ask.day, ask.shift)
                objective.append(ask.weight * (1 - v) if v is not None else ask.weight)
            elif not ask.on and ask.shift is None:
                objective.append(ask.weight * work[ask.day])
            elif not ask.on and var(ask.day, ask.shift or "") is not None:
                objective.append(ask.weight * var(ask.day, ask.shift or ""))
        if change_weight:
            for t in range(days):
                before = hint.get((d.id, t))
                if (d.id, t) in locked:
                    continue
                if before is None:
                    objective.append(change_weight * work[t])
                elif var(t, before) is not None:
                    objective.append(change_weight * (1 - var(t, before)))
                else:
                    objective.append(change_weight)

    # cover: never more than needed; each doctor short costs most
    for t in range(days):
        for s in shifts:
            assigned = [x[d.id, t, s.code] for d in problem.doctors if (d.id, t, s.code) in x]
            need = s.needed[t % 7]
            m.add(sum(assigned) <= need)
            objective.append(UNDER_WEIGHT * (need - sum(assigned)))
    for cut in cuts:  # breaches the engine found in an earlier round: that combination may not return
        m.add_bool_or([x[k].negated() for k in cut if k in x])
    m.minimize(sum(objective))
    return m, x


def _cut(
    problem: Problem, assignment: Mapping[tuple[str, int], str], breach: engine.Breach
) -> list[tuple[str, int, str]]:
    """The doctor's assignments that overlap the breach's span: at least one must change."""
    monday = dt.datetime.combine(problem.start, dt.time())
    shifts = {s.code: s for s in problem.shifts}
    out = []
    for (doctor, day), code in assignment.items():
        if doctor != breach.doctor:
            continue
        start = monday + dt.timedelta(days=day, minutes=shifts[code].start)
        end = start + dt.timedelta(minutes=shifts[code].minutes)
        if start < breach.end and end > breach.start:
            out.append((doctor, day, code))
    return out


def generate(
    problem: Problem,
    *,
    time_limit: float = 60.0,
    workers: int = 8,
    locked: Mapping[tuple[str, int], str | None] | None = None,
    hint: Mapping[tuple[str, int], str] | None = None,
    change_weight: int = 0,
    progress: Progress | None = None,
) -> Generated:
    """Solve, check with the engine, and solve again with any breach forbidden, within ``time_limit`` in all."""
    from ortools.sat.python import cp_model

    started = time.perf_counter()
    state = progress or Progress()
    cuts: list[list[tuple[str, int, str]]] = []
    found: list[engine.Breach] = []  # the breaches each cut forbids
    current = dict(hint or {})
    for round_ in range(1, MAX_ROUNDS + 1):
        remaining = time_limit - (time.perf_counter() - started)
        if remaining <= 0.5 or state.stop.is_set():
            break
        model, x = _build(problem, locked or {}, current, change_weight if hint else 0, cuts)
        solver, status = run(model, time_limit=remaining, workers=workers, state=state, started=started)
        if status not in (cp_model.OPTIMAL, cp_model.FEASIBLE):
            exhausted = status == cp_model.INFEASIBLE
            return Generated(
                "infeasible",
                {},
                None,
                [],
                [],
                None,
                None,
                time.perf_counter() - started,
                round_,
                exhausted=exhausted,
                reasons=found if exhausted else [],
            )
        assignment = {(d, t): s for (d, t, s), v in x.items() if solver.boolean_value(v)}
        report = check(problem, assignment)
        if not report.breaches:
            optimal = status == cp_model.OPTIMAL and not cuts
            return Generated(
                "optimal" if optimal else "feasible",
                assignment,
                report,
                unmet_cover(problem, assignment),
                unmet_asks(problem, assignment),
                round(solver.objective_value),
                solver.best_objective_bound,
                time.perf_counter() - started,
                round_,
            )
        for breach in report.breaches:
            cut = _cut(problem, assignment, breach)
            if cut:
                cuts.append(cut)
                found.append(breach)
        current = assignment
    return Generated("infeasible", {}, None, [], [], None, None, time.perf_counter() - started, MAX_ROUNDS)


def _breaks_if_added(
    problem: Problem, assignment: Mapping[tuple[str, int], str], doctor: str, day: int, code: str
) -> str:
    """The first rule the engine says adding this shift would break, in plain words, or ""."""
    trial = {k: v for k, v in assignment.items() if k[0] == doctor}
    trial[doctor, day] = code
    report = check(problem, trial)
    if report.breaches:
        return engine.names().get(report.breaches[0].rule, report.breaches[0].rule)
    return ""


def unmet_cover(problem: Problem, assignment: Mapping[tuple[str, int], str]) -> list[Unmet]:
    """Each shift left short, and why: leave, grade, another shift that day, or the rule that would break."""
    out = []
    for t in range(problem.days):
        for s in problem.shifts:
            have = sum(1 for d in problem.doctors if assignment.get((d.id, t)) == s.code)
            short = s.needed[t % 7] - have
            if short <= 0:
                continue
            leave = grade = busy = 0
            blocked: dict[str, int] = {}
            for d in problem.doctors:
                if d.grade not in s.grades:
                    grade += 1
                elif t in d.unavailable:
                    leave += 1
                elif (d.id, t) in assignment:
                    busy += 1
                else:
                    rule = _breaks_if_added(problem, assignment, d.id, t, s.code)
                    blocked[rule or "their hours or fair share"] = (
                        blocked.get(rule or "their hours or fair share", 0) + 1
                    )
            parts = []
            if leave:
                parts.append(f"{leave} on leave or unavailable")
            if busy:
                parts.append(f"{busy} working another shift that day")
            if grade:
                parts.append(f"{grade} not of a grade that may work it")
            parts += [f"{n} would break the rule on {rule.lower()}" for rule, n in sorted(blocked.items())]
            out.append(Unmet(t, s.code, short, "; ".join(parts) or "nobody is left"))
    return out


def unmet_asks(problem: Problem, assignment: Mapping[tuple[str, int], str]) -> list[tuple[Ask, str]]:
    """Each request not met, and why."""
    out = []
    shifts = {s.code: s for s in problem.shifts}
    for ask in problem.asks:
        got = assignment.get((ask.doctor, ask.day))
        if ask.on and got != ask.shift and ask.shift is not None:
            doctor = next(d for d in problem.doctors if d.id == ask.doctor)
            full = sum(1 for d in problem.doctors if assignment.get((d.id, ask.day)) == ask.shift)
            if doctor.grade not in shifts[ask.shift].grades:
                why = "the doctor's grade may not work that shift"
            elif full >= shifts[ask.shift].needed[ask.day % 7]:
                why = "the shift was already fully covered by others"
            else:
                rule = _breaks_if_added(
                    problem,
                    {k: v for k, v in assignment.items() if k != (ask.doctor, ask.day)},
                    ask.doctor,
                    ask.day,
                    ask.shift,
                )
                why = f"it would break the rule on {rule.lower()}" if rule else "cover elsewhere needed the doctor"
            out.append((ask, why))
        elif not ask.on and (got is not None if ask.shift is None else got == ask.shift):
            out.append((ask, "without the doctor the shift would have been short: no one else could work it"))
    return out


def fairness(problem: Problem, assignment: Mapping[tuple[str, int], str]) -> list[dict[str, Any]]:
    """Nights, weekends and long days per doctor, beside their fraction: to show the shares are fair."""
    kinds = _classify(problem)
    rows = []
    for d in problem.doctors:
        mine = {t: c for (doc, t), c in assignment.items() if doc == d.id}
        weekends = sum(
            1
            for w in range(problem.weeks)
            if (7 * w + 5) in mine or (7 * w + 6) in mine or (mine.get(7 * w + 4) in kinds["night"])
        )
        rows.append(
            {
                "doctor": d.id,
                "fraction": d.fraction,
                "nights": sum(1 for c in mine.values() if c in kinds["night"]),
                "long_days": sum(1 for c in mine.values() if c in kinds["long"] - kinds["night"]),
                "weekends": weekends,
                "hours": sum(next(s.minutes for s in problem.shifts if s.code == c) for c in mine.values()) / 60,
            }
        )
    return rows


def assignment_from(rows: Sequence[tuple[str, int, str]]) -> dict[tuple[str, int], str]:
    return {(d, t): s for d, t, s in rows}
