"""The roster model for Google OR-Tools' CP-SAT solver: every hard constraint of an ``Instance`` as a constraint,
cover and requests as the objective. Parts of a roster can be locked (already published) and a previous roster
given as a hint, so a re-solve after a change moves as little as possible. Pure: no Django import.

The result is re-scored by ``evaluate`` (which shares no code with this model) before it is called feasible."""

from __future__ import annotations

import threading
import time
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from medlead.rota.roster import lns
from medlead.rota.roster.evaluate import Evaluation, evaluate
from medlead.rota.roster.instance import Instance


@dataclass
class Progress:
    """What the search has found so far: read by a task to show progress, and set to stop it."""

    best: int | None = None
    bound: float | None = None
    seconds: float = 0.0
    stop: threading.Event = field(default_factory=threading.Event)

    @property
    def gap(self) -> float | None:
        if self.best is None or self.bound is None:
            return None
        return 0.0 if self.best == 0 else max(self.best - self.bound, 0) / abs(self.best) * 100


class _Traced(Progress):
    """Progress that keeps (seconds, objective) at each improving solution the solver reports."""

    def __init__(self, stop: threading.Event) -> None:
        super().__init__(stop=stop)
        self.trace: list[tuple[float, int]] = []

    def __setattr__(self, name: str, value: Any) -> None:
        super().__setattr__(name, value)
        best = getattr(self, "best", None)
        if name == "seconds" and best is not None and hasattr(self, "trace"):
            self.trace.append((float(value), int(best)))


@dataclass
class Result:
    # "optimal", "feasible", "infeasible" (none found: proven, or not within the time limit) or "rejected" (the
    # search's roster breaks a hard constraint by the independent evaluator: a disagreement to be fixed, never hidden)
    status: str
    roster: dict[tuple[str, int], str]
    objective: int | None
    lower_bound: float | None
    seconds: float
    evaluation: Evaluation | None
    proven: bool = True  # for "infeasible": proven so, or only none found in time
    first_feasible: float | None = None  # seconds to the first feasible roster
    trace: list[tuple[float, int]] = field(default_factory=list)  # (seconds, objective) at each improvement


def _model(
    instance: Instance,
    locked: Mapping[tuple[str, int], str | None],
    hint: Mapping[tuple[str, int], str],
    change_weight: int,
) -> tuple[Any, dict[tuple[str, int, str], Any]]:
    from ortools.sat.python import cp_model

    m = cp_model.CpModel()
    days, shifts = instance.days, list(instance.shifts.values())
    x: dict[tuple[str, int, str], Any] = {}
    work: dict[tuple[str, int], Any] = {}
    objective: list[Any] = []
    for s in instance.staff.values():
        off = instance.days_off.get(s.id, set())
        for d in range(days):
            vars_today = []
            for sh in shifts:
                if d in off or s.max_shifts.get(sh.id, 0) == 0:
                    continue
                v = m.new_bool_var(f"x_{s.id}_{d}_{sh.id}")
                x[s.id, d, sh.id] = v
                vars_today.append(v)
            w = m.new_bool_var(f"w_{s.id}_{d}")
            m.add(sum(vars_today) == w)  # at most one shift a day
            work[s.id, d] = w
            if (s.id, d) in locked:
                want = locked[s.id, d]
                for sh in shifts:
                    if (s.id, d, sh.id) in x:
                        m.add(x[s.id, d, sh.id] == int(want == sh.id))
                if want is None:
                    m.add(w == 0)
            elif (s.id, d) in hint or change_weight:
                for sh in shifts:
                    if (s.id, d, sh.id) in x:
                        m.add_hint(x[s.id, d, sh.id], hint.get((s.id, d)) == sh.id)
        # forbidden successions
        for d in range(days - 1):
            for a in shifts:
                for b in a.cannot_follow:
                    if (s.id, d, a.id) in x and (s.id, d + 1, b) in x:
                        m.add_bool_or([x[s.id, d, a.id].negated(), x[s.id, d + 1, b].negated()])
        # per-type maxima and total minutes
        for sh in shifts:
            m.add(sum(x[s.id, d, sh.id] for d in range(days) if (s.id, d, sh.id) in x) <= s.max_shifts.get(sh.id, 0))
        minutes = sum(x[k] * instance.shifts[k[2]].minutes for k in x if k[0] == s.id)
        m.add(minutes <= s.max_minutes)
        m.add(minutes >= s.min_minutes)
        row = [work[s.id, d] for d in range(days)]
        # at most max_consecutive working days in any window of max_consecutive + 1
        k = s.max_consecutive
        for d in range(days - k):
            m.add(sum(row[d : d + k + 1]) <= k)
        # no run of work shorter than min_consecutive between two days off (a run at the edge of the horizon may
        # continue outside it: the published best-known values are reached only so)
        for length in range(1, s.min_consecutive):
            for d in range(1, days - length):
                m.add_bool_or([row[d - 1], *[row[d + i].negated() for i in range(length)], row[d + length]])
        # no run of days off shorter than min_days_off between two working days
        for length in range(1, s.min_days_off):
            for d in range(1, days - length):
                m.add_bool_or([row[d - 1].negated(), *[row[d + i] for i in range(length)], row[d + length].negated()])
        # weekends
        weekends = []
        for week in range(days // 7):
            y = m.new_bool_var(f"we_{s.id}_{week}")
            m.add_max_equality(y, [row[7 * week + 5], row[7 * week + 6]])
            weekends.append(y)
        m.add(sum(weekends) <= s.max_weekends)
        # a re-solve moves as little as possible from the previous roster
        if change_weight:
            for d in range(days):
                if (s.id, d) in locked or (s.id, d) not in hint:
                    continue
                before = hint[s.id, d]
                if (s.id, d, before) in x:
                    objective.append(change_weight * (1 - x[s.id, d, before]))
                else:
                    objective.append(change_weight)

    for r in instance.on_requests:
        wanted = x.get((r.staff, r.day, r.shift))
        objective.append(r.weight * (1 - wanted) if wanted is not None else r.weight)
    for r in instance.off_requests:
        unwanted = x.get((r.staff, r.day, r.shift))
        if unwanted is not None:
            objective.append(r.weight * unwanted)
    n = len(instance.staff)
    for c in instance.cover:
        assigned = sum(x[s, c.day, c.shift] for s in instance.staff if (s, c.day, c.shift) in x)
        under = m.new_int_var(0, c.requirement, f"u_{c.day}_{c.shift}")
        over = m.new_int_var(0, n, f"o_{c.day}_{c.shift}")
        m.add(assigned - c.requirement == over - under)
        objective += [c.weight_under * under, c.weight_over * over]
    m.minimize(sum(objective))
    return m, x


def run(
    model: Any,
    *,
    time_limit: float,
    workers: int,
    state: Progress | None,
    started: float,
    seed: int = 0,
    deterministic: bool = False,
    stall: float | None = None,
    give_up: float | None = None,
) -> tuple[Any, Any]:
    """Solve ``model`` within ``time_limit`` seconds on ``workers`` threads. With ``state``, each improving solution
    is written to it, and setting ``state.stop`` ends the search (between solutions too), keeping the best found.
    ``deterministic`` makes ``time_limit`` the solver's deterministic time (the same search on any machine).
    ``stall`` (seconds, with ``state``) ends the search once a roster has been found and none better for that long;
    ``give_up`` (seconds, with ``state``) ends it if no roster has been found by then."""
    from ortools.sat.python import cp_model

    solver = cp_model.CpSolver()
    if deterministic:
        solver.parameters.max_deterministic_time = max(time_limit, 0.01)
        solver.parameters.interleave_search = True
    else:
        solver.parameters.max_time_in_seconds = max(time_limit, 0.1)
    solver.parameters.num_workers = max(workers, 1)
    solver.parameters.random_seed = seed
    watched = state or Progress()

    class Callback(cp_model.CpSolverSolutionCallback):
        def on_solution_callback(self) -> None:
            watched.best = round(self.objective_value)
            watched.bound = self.best_objective_bound
            watched.seconds = time.perf_counter() - started
            if watched.stop.is_set():
                self.stop_search()

    done = threading.Event()
    begun = time.perf_counter() - started

    def watch() -> None:
        while not watched.stop.wait(0.2):
            if done.is_set():
                return
            if (
                stall is not None
                and watched.best is not None
                and time.perf_counter() - started - max(watched.seconds, begun) > stall
            ):
                break
            if give_up is not None and watched.best is None and time.perf_counter() - started - begun > give_up:
                break
        solver.stop_search()

    if state is not None:
        threading.Thread(target=watch, daemon=True).start()
    status = solver.solve(model, Callback())
    done.set()
    return solver, status


def solve(
    instance: Instance,
    *,
    time_limit: float = 60.0,
    workers: int = 2,
    locked: Mapping[tuple[str, int], str | None] | None = None,
    hint: Mapping[tuple[str, int], str] | None = None,
    change_weight: int = 0,
    progress: Progress | None = None,
    seed: int = 0,
    deterministic: bool = False,
    iterations: int | None = None,
    whole_model: bool | None = None,
    hint_whole: bool | None = None,
    stall: float | None = None,
) -> Result:
    """Solve within ``time_limit`` seconds on ``workers`` threads, keeping the best roster found (ADR 0032). Where
    the model is small, CP-SAT on the whole model for the whole time (``hint_whole``: started from the greedy
    roster), handing over to large neighbourhood search once it has found nothing better for ``stall`` seconds (off by
    default), or to
    the greedy roster and the search if it has found no roster within a share of the time. Where it is large, a
    first feasible roster built person by person, then large neighbourhood search for the time left.

    ``locked`` fixes (staff, day) to a shift or to a day off; ``hint`` is a previous roster and, with
    ``change_weight``, each change from it is charged in the objective. ``progress`` is updated at each improving
    roster; setting ``progress.stop`` ends the search with the best roster so far. ``deterministic`` measures
    every CP-SAT limit in the solver's deterministic time (not the clock) and ``iterations`` caps the parts the
    search re-solves, so the same call gives the same roster on any machine however loaded."""

    started = time.perf_counter()
    locked = dict(locked or {})
    previous = dict(hint or {}) if change_weight else {}
    state = progress or Progress()

    def clock() -> float:
        return time.perf_counter() - started

    def deadline() -> float:
        return float("inf") if deterministic else time_limit - clock()

    def publish(cost: int, bound: float | None = None) -> None:
        state.best = cost
        if bound is not None:
            state.bound = bound
        state.seconds = clock()

    def greedy() -> tuple[dict[tuple[str, int], str] | None, bool]:
        return lns.construct(
            instance,
            locked=locked,
            previous=previous,
            change_weight=change_weight,
            workers=workers,
            seed=seed,
            deterministic=deterministic,
            stop=state.stop,
            deadline=deadline,
        )

    small = (
        len(instance.staff) * instance.days * len(instance.shifts) <= lns.WHOLE_MODEL_CELLS
        and instance.days <= lns.WHOLE_MODEL_DAYS
    )
    use_whole = small if whole_model is None else whole_model
    hinted = lns.WHOLE_MODEL_HINT if hint_whole is None else hint_whole
    roster: dict[tuple[str, int], str] | None = None
    first_feasible: float | None = None
    cost = 0
    trace: list[tuple[float, int]] = []
    if not use_whole or hinted:
        roster, proven = greedy()
        if roster is None:
            return Result("infeasible", {}, None, None, clock(), None, proven=proven)
        first_feasible = clock()
        cost = lns.total_cost(instance, roster, previous, change_weight)
        trace.append((first_feasible, cost))
        publish(cost)
    bound: float | None = None
    optimal = False
    if use_whole and not state.stop.is_set():
        # CP-SAT on the whole model, as ADR 0012 did: proofs of optimality and a lower bound
        from ortools.sat.python import cp_model

        model, x = _model(instance, locked, previous, change_weight)
        if hinted and roster is not None:
            model.clear_hints()
            for (sid, d, sh), v in x.items():
                model.add_hint(v, roster.get((sid, d)) == sh)
        # the whole time, handing over to the neighbourhood search only once the whole model stalls, or to the
        # greedy roster and the neighbourhood search if it has found nothing within a share of the time
        budget = 10.0 if deterministic else max(deadline(), 0.1)
        if stall is None:
            stall = lns.WHOLE_MODEL_STALL
        watched = _Traced(stop=threading.Event())
        done_whole = threading.Event()

        def forward() -> None:  # a stop asked of the whole search stops the whole model too
            while not watched.stop.wait(0.2):
                if state.stop.is_set() or done_whole.is_set():
                    break
            if state.stop.is_set():
                watched.stop.set()

        threading.Thread(target=forward, daemon=True).start()
        solver, status = run(
            model,
            time_limit=budget,
            workers=workers if deterministic else max(workers, lns.WHOLE_MODEL_WORKERS),
            state=watched,
            started=started,
            seed=seed,
            deterministic=deterministic,
            stall=None if deterministic else stall,
            give_up=None if deterministic or roster is not None else time_limit * lns.WHOLE_MODEL_FIRST_SHARE,
        )
        done_whole.set()
        if status == cp_model.INFEASIBLE and roster is None:
            return Result("infeasible", {}, None, None, clock(), None, proven=True)
        if status in (cp_model.OPTIMAL, cp_model.FEASIBLE):
            whole = {(s, d): sh for (s, d, sh), v in x.items() if solver.boolean_value(v)}
            whole_cost = lns.total_cost(instance, whole, previous, change_weight)
            if not change_weight:
                bound = solver.best_objective_bound
            if roster is None or whole_cost <= cost:
                if first_feasible is None:
                    first_feasible = watched.trace[0][0] if watched.trace else clock()
                roster, cost = whole, whole_cost
                optimal = status == cp_model.OPTIMAL
                if not change_weight:  # the whole model's improvements as they came (its objective is the penalty)
                    for when, value in watched.trace:
                        if (not trace or value < trace[-1][1]) and value >= whole_cost:
                            trace.append((when, value))
                if not trace or whole_cost < trace[-1][1]:
                    trace.append((clock(), whole_cost))
                publish(cost, bound)
    if roster is None:  # the whole model found nothing in its share of the time: the greedy roster, then search
        roster, proven = greedy()
        if roster is None:
            return Result("infeasible", {}, None, None, clock(), None, proven=proven)
        first_feasible = clock()
        cost = lns.total_cost(instance, roster, previous, change_weight)
        trace.append((first_feasible, cost))
        publish(cost)
    if not optimal:
        found = lns.search(
            instance,
            roster,
            locked=locked,
            previous=previous,
            change_weight=change_weight,
            workers=workers,
            seed=seed,
            deterministic=deterministic,
            stop=state.stop,
            deadline=deadline,
            clock=clock,
            iterations=iterations if deterministic or iterations is not None else None,
            on_improve=lambda s: publish(s.cost),
            trace=trace,
        )
        roster, cost = found.roster, found.cost
    seconds = clock()
    evaluation = evaluate(instance, roster)
    if not evaluation.feasible:  # never report a roster that breaks a hard constraint: say it was rejected
        return Result("rejected", {}, None, None, seconds, evaluation, proven=False, first_feasible=first_feasible)
    return Result(
        "optimal" if optimal and not change_weight else "feasible",
        roster,
        evaluation.objective,
        bound,
        seconds,
        evaluation,
        first_feasible=first_feasible,
        trace=trace,
    )
