"""The resident doctors' rota generator (rota/roster/nhs.py): what it returns passes the compliance engine with no
breach, and what it cannot cover it says why, in the engine's own words."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from medlead.rota import engine
from medlead.rota.roster.nhs import Ask, Doctor, Problem, ShiftType, check, fairness, generate

EVERYONE = frozenset({"any"})
WARD = [
    ShiftType("D", "Day", 8 * 60, 9 * 60, (2, 2, 2, 2, 2, 0, 0), EVERYONE),
    ShiftType("L", "Long day", 8 * 60, 750, (1,) * 7, EVERYONE),
    ShiftType("N", "Night", 20 * 60, 750, (1,) * 7, EVERYONE),
]
MONDAY = dt.date(2027, 1, 4)


def team(n: int, **unavailable: frozenset[int]) -> list[Doctor]:
    return [
        Doctor(f"d{i}", f"Doctor {i}", "any", 0.8 if i == 3 else 1.0, unavailable.get(f"d{i}", frozenset()))
        for i in range(n)
    ]


def test_a_generated_rota_covers_every_shift_and_the_engine_finds_no_breach() -> None:
    problem = Problem(MONDAY, 4, WARD, team(10), engine.load("tcs2016-2019"), [Ask("d1", 5, None, False, 5)])
    result = generate(problem, time_limit=60)
    assert result.status in ("optimal", "feasible")
    report = check(problem, result.assignment)
    assert report.breaches == [] and report.warnings == []
    assert result.unmet_cover == [] and result.unmet_asks == []
    assert ("d1", 5) not in result.assignment  # the request for a day off is met
    # nights: 28 over 9.8 full-time equivalents; the 80% doctor has fewer than any full-time doctor has most
    shares = {r["doctor"]: r["nights"] for r in fairness(problem, result.assignment)}
    assert sum(shares.values()) == 28 and shares["d3"] <= max(shares.values())


def test_what_cannot_be_covered_is_explained() -> None:
    # three doctors cannot staff a day, a long day and a night every day for a week within the rules
    problem = Problem(MONDAY, 1, WARD, team(3, d0=frozenset({0})), engine.load("tcs2016-2019"))
    result = generate(problem, time_limit=30)
    assert result.status in ("optimal", "feasible")
    assert check(problem, result.assignment).breaches == []
    assert result.unmet_cover
    monday = [u for u in result.unmet_cover if u.day == 0]
    assert monday and any("on leave" in u.reason for u in monday)


def test_an_impossible_plan_is_explained_before_solving() -> None:
    long = ShiftType("X", "Extra long day", 8 * 60, 14 * 60, (1,) * 7, EVERYONE)
    problem = Problem(MONDAY + dt.timedelta(days=1), 1, [long], team(1, d0=frozenset(range(7))), engine.load())
    assert problem.problems() == [
        "A rota starts on a Monday.",
        "Extra long day is 14 hours long; no shift may be longer than 13.",
        "Doctor 0 is on leave or otherwise unavailable on every day of the rota.",
    ]


def test_a_stopped_search_keeps_the_best_rota_found_so_far() -> None:
    from medlead.rota.roster import Progress

    class StopAtFirst(Progress):
        """Asks the search to stop as soon as it reports its first rota: no clock, no race with a timer."""

        def __setattr__(self, name: str, value: object) -> None:
            super().__setattr__(name, value)
            if name == "best" and value is not None:
                self.stop.set()

    problem = Problem(MONDAY, 8, WARD, team(10), engine.load("tcs2016-2019"))
    progress = StopAtFirst()
    result = generate(problem, time_limit=300, workers=1, progress=progress)
    assert progress.stop.is_set()  # the search was stopped, not run to its five minutes
    assert result.status in ("feasible", "optimal") and result.assignment  # the rota found before the stop is kept
    assert result.objective == progress.best
    assert check(problem, result.assignment).breaches == []


def test_a_re_solve_that_cannot_keep_the_rules_says_so_and_why() -> None:
    # two weeks; week 1 kept as it is, in which Doctor 0 worked the Saturday long day and each other doctor one
    # weekday shift; Doctor 0 is then off sick for all of week 2. Judged over the weeks they work (week 1 only),
    # Doctor 0 has worked 1 weekend in 1 week, more than the 1 in 2 the rules allow, and week 1 cannot change.
    problem = Problem(MONDAY, 2, WARD, team(10, d0=frozenset(range(7, 14))), engine.load("tcs2016-2019"))
    kept = {("d0", 5): "L"} | {(f"d{i}", (i - 1) % 5): "L" if i <= 5 else "D" for i in range(1, 10)}
    locked = {(d.id, t): kept.get((d.id, t)) for d in problem.doctors for t in range(7)}
    result = generate(problem, time_limit=60, workers=2, locked=locked)
    assert result.status == "infeasible" and result.exhausted and not result.assignment
    assert [(b.doctor, b.rule) for b in result.reasons] == [("d0", "max_weekend_frequency")]
    assert result.reasons[0].message == "1 weekend worked in 1 week: more than 1 in 2."


def test_a_doctor_who_joined_after_the_kept_weeks_is_rostered_in_the_weeks_left() -> None:
    # two weeks; week 1 kept as it is, generated before Doctor 9 joined the rota (no shift of theirs in it): the
    # weeks left are generated with Doctor 9 in them, within the rules
    problem = Problem(MONDAY, 2, WARD, team(10), engine.load("tcs2016-2019"))
    first = generate(Problem(MONDAY, 2, WARD, team(9), engine.load("tcs2016-2019")), time_limit=60, workers=2)
    assert first.status in ("optimal", "feasible")
    locked = {(d.id, t): first.assignment.get((d.id, t)) for d in problem.doctors for t in range(7)}
    result = generate(problem, time_limit=60, workers=2, locked=locked, hint=first.assignment, change_weight=1)
    assert result.status in ("optimal", "feasible")
    assert check(problem, result.assignment).breaches == []
    assert not any(d == "d9" for d, t in result.assignment if t < 7)
    assert any(d == "d9" for d, t in result.assignment if t >= 7)


def test_no_rota_found_in_the_time_given_is_not_said_to_be_the_end_of_the_search(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    from ortools.sat.python import cp_model

    from medlead.rota.roster import nhs

    real = nhs.run

    def out_of_time(model: Any, **kwargs: Any) -> Any:
        solver, _ = real(model, **kwargs)
        return solver, cp_model.UNKNOWN  # as when the time runs out before the first rota

    monkeypatch.setattr(nhs, "run", out_of_time)
    problem = Problem(MONDAY, 2, WARD, team(10), engine.load("tcs2016-2019"))
    result = generate(problem, time_limit=30)
    assert result.status == "infeasible" and not result.exhausted and result.reasons == []
