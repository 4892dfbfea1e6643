"""Large neighbourhood search around CP-SAT for rosters of every size (ADR 0032). Pure: no Django import.

Every hard constraint of an ``Instance`` belongs to one member of staff; only cover (soft) ties staff together. So:

1. **A first feasible roster, fast**: each member of staff in turn gets a row of shifts for them alone, given the
   rows already chosen (their requests plus the cover still open): built greedily day by day, else the row with as
   many days of work as the rules allow (dynamic programming over the horizon), else by a small CP-SAT model of
   their row; a person with no feasible row at all means no roster exists, proven.
2. **Large neighbourhood search**: over and over, free a part of the roster (a group of staff over the whole
   horizon, a window of days for everyone, or a group of staff over a window), fix the rest as constants, and
   re-solve that part with CP-SAT, keeping the result when it is no worse. Each shape's size adapts on its own: it
   grows while CP-SAT solves its parts to optimality, and shrinks when they reach their time limit. A part's model
   holds only the days its rules reach; the rest of each free person's row enters their totals as constants.
   Before the first part and again every ``LOCAL_EVERY`` parts, local search (``local.improve``) makes thousands of
   moves of a cell or two a second, until it stalls.
3. Small instances (four weeks or fewer) are given to CP-SAT whole instead, so a proof of optimality and a lower
   bound come where they can (``solve``).

The roster reported is re-scored by ``evaluate`` (which shares no code with this module)."""

from __future__ import annotations

import random
import threading
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from medlead.rota.roster import local
from medlead.rota.roster.evaluate import evaluate
from medlead.rota.roster.instance import Instance, Staff

Cells = dict[tuple[str, int], str]
# A roster this size or smaller (staff x days x shift types), over this many days or fewer, is solved whole by CP-SAT
# for the whole time: on instances up to 12 (four weeks) that finds better rosters than neighbourhoods do, and proofs.
# Over six to twelve weeks (instances 14-19, each under 20,000 cells) the search found better rosters in 60 s on all
# six (ADR 0032, 7 December).
WHOLE_MODEL_CELLS = 20000
WHOLE_MODEL_DAYS = 28
# Seconds without a better roster after which the whole model hands over to the neighbourhood search; None: never.
# Off, because the A/B in ADR 0032 showed no measurable gain from handing over (worse on 5 and 12, better on 8).
WHOLE_MODEL_STALL: float | None = None
# If the whole model has found no roster within this share of the limit, the greedy roster and the neighbourhood
# search take the rest.
WHOLE_MODEL_FIRST_SHARE = 0.3
# The greedy first roster as the whole model's hint: off, as the A/B in ADR 0032 showed no measurable gain.
WHOLE_MODEL_HINT = False
# CP-SAT's own portfolio (LP relaxations, core search and its internal neighbourhoods) is switched on only from about
# eight workers; time-sliced on two cores it finds far better rosters of a whole model than two workers do.
WHOLE_MODEL_WORKERS = 8
# The share of neighbourhoods centred where the roster's penalty lies (a day drawn in proportion to its cover and
# requests' penalty, a first member of staff in proportion to their requests' penalty); the rest are drawn at random.
FOCUS_SHARE = 0.5
# Seconds a part may take at first. Parts that reach the limit with a better roster but no proof are not a reason to
# wait longer (a part's size shrinks instead); only a part of a shape's smallest size that finds nothing at all is.
PART_SECONDS = 0.5
# A shape of neighbourhood whose smallest part has more cells than this (staff x days x shift types) is not drawn:
# two staff over a year of 32 shift types took longer than a part may to find even the roster it was hinted with.
SHAPE_CAP = 6000
# Local search one or two cells at a time (``local.improve``) runs before the first part and again after every
# ``LOCAL_EVERY`` parts (twice as many after a round that gained nothing), each time until ``LOCAL_STALL`` moves in a
# row gain nothing (ADR 0032, 7 December, night); 0: never.
LOCAL_EVERY = 20
LOCAL_STALL = 20000


@dataclass
class Part:
    """A neighbourhood: these staff, on days ``start`` to ``end - 1``, are free; everything else is fixed."""

    staff: Sequence[str]
    start: int
    end: int


@dataclass
class SubResult:
    status: str  # "optimal", "feasible", "infeasible", "unknown"
    cells: Cells  # the free part's new shifts (a day off absent)
    objective: int | None  # of the free part alone (what it can change), None without a solution


@dataclass
class Search:
    """The state of a search: the best roster and its cost, and the trace of improvements over time."""

    roster: Cells
    cost: int
    trace: list[tuple[float, int]] = field(default_factory=list)  # (seconds since the start, cost)
    iterations: int = 0
    improvements: int = 0


def _lin(terms: Sequence[Any], weights: Sequence[int] | None = None) -> Any:
    """A weighted sum of CP-SAT literals and ints: an int when every term is fixed."""
    weights = weights if weights is not None else [1] * len(terms)
    constant = 0
    variables: list[Any] = []
    coefficients: list[int] = []
    for t, w in zip(terms, weights, strict=True):
        if isinstance(t, int):
            constant += t * w
        else:
            variables.append(t)
            coefficients.append(w)
    if not variables:
        return constant
    return _linear_expr().weighted_sum(variables, coefficients) + constant


def _linear_expr() -> Any:
    from ortools.sat.python.cp_model import LinearExpr

    return LinearExpr


def build_part(
    instance: Instance,
    roster: Mapping[tuple[str, int], str],
    part: Part,
    *,
    locked: Mapping[tuple[str, int], str | None],
    previous: Mapping[tuple[str, int], str],
    change_weight: int,
) -> tuple[Any, dict[tuple[str, int, str], Any]]:
    """The CP-SAT model of ``part`` with the rest of ``roster`` fixed. Its objective is the penalty the free part
    can change: requests and change charges of the free cells, and cover on the free days."""
    from ortools.sat.python import cp_model

    m = cp_model.CpModel()
    days, shifts = instance.days, instance.shifts
    free_staff = set(part.staff)
    a, b = part.start, part.end
    x: dict[tuple[str, int, str], Any] = {}
    objective: list[Any] = []

    rows: dict[str, dict[int, str]] = {sid: {} for sid in part.staff}
    for (person, d), sh in roster.items():
        if person in free_staff:
            rows[person][d] = sh
    for sid in part.staff:
        s = instance.staff[sid]
        off = instance.days_off.get(sid, set())
        allowed = [sh for sh in shifts if s.max_shifts.get(sh, 0) > 0]
        row = rows[sid]
        # Only the days a rule can tie to the free ones are modelled one by one (the window and a margin as long as
        # the longest run a rule counts); the rest of the row is fixed, and enters the totals as constants.
        margin = max(s.max_consecutive, s.min_consecutive, s.min_days_off) + 1
        lo, hi = max(a - margin, 0), min(b + margin, days)
        # work[d]: 1/0 worked, or a BoolVar; cell[d][shift]: the literal or constant for that shift
        work: dict[int, Any] = {}
        cell: dict[int, dict[str, Any]] = {}
        for d in range(lo, hi):
            if a <= d < b and d not in off and (sid, d) not in locked:
                options = {sh: m.new_bool_var(f"x_{sid}_{d}_{sh}") for sh in allowed}
                for sh, v in options.items():
                    x[sid, d, sh] = v
                if options:
                    w = m.new_bool_var(f"w_{sid}_{d}")
                    m.add(sum(options.values()) == w)
                    work[d] = w
                else:
                    work[d] = 0
                cell[d] = options
            else:
                fixed = locked[sid, d] if (sid, d) in locked and a <= d < b else row.get(d)
                if d in off and a <= d < b:
                    fixed = None
                work[d] = 0 if fixed is None else 1
                cell[d] = {} if fixed is None else {fixed: 1}
        outside = {sh: 0 for sh in shifts}
        for d, sh in row.items():
            if not lo <= d < hi:
                outside[sh] += 1

        # forbidden successions touching the window: shifts that forbid the same followers, grouped, as one
        # linear constraint a day (at most one shift a day makes "at most one of these" exact)
        for d in range(max(a - 1, 0), min(b, days - 1)):
            groups: dict[frozenset[str], list[Any]] = {}
            for first, value in cell[d].items():
                if shifts[first].cannot_follow:
                    groups.setdefault(shifts[first].cannot_follow, []).append(value)
            for followers, firsts in groups.items():
                seconds = [v for sh, v in cell[d + 1].items() if sh in followers]
                both = _lin([*firsts, *seconds])
                if not isinstance(both, int):
                    m.add(both <= 1)
        # per-type maxima, total minutes (the fixed days outside the modelled ones as a constant)
        for sh in shifts:
            total = _lin([cell[d].get(sh, 0) for d in range(lo, hi)])
            if not isinstance(total, int):
                m.add(total + outside[sh] <= s.max_shifts.get(sh, 0))
        pairs = [(cell[d][sh], shifts[sh].minutes) for d in range(lo, hi) for sh in cell[d]]
        minutes = _lin([p for p, _ in pairs], [w for _, w in pairs])
        if not isinstance(minutes, int):
            minutes += sum(shifts[sh].minutes * n for sh, n in outside.items())
            m.add(minutes <= s.max_minutes)
            m.add(minutes >= s.min_minutes)
        # at most max_consecutive working days in any window of max_consecutive + 1 that touches the free days
        k = s.max_consecutive
        for t in range(max(a - k, 0), min(b, days - k)):
            span = _lin([work[d] for d in range(t, t + k + 1)])
            if not isinstance(span, int):
                m.add(span <= k)
        # no run of work shorter than min_consecutive, no run of days off shorter than min_days_off, between two
        # days of the other kind (a run at the edge of the horizon may continue outside it)
        for length in range(1, s.min_consecutive):
            for d in range(max(1, a - length), min(days - length, b + 1)):
                _clause(m, [work[d - 1], *[_neg(work[d + i]) for i in range(length)], work[d + length]])
        for length in range(1, s.min_days_off):
            for d in range(max(1, a - length), min(days - length, b + 1)):
                _clause(m, [_neg(work[d - 1]), *[work[d + i] for i in range(length)], _neg(work[d + length])])
        # weekends
        weekends: list[Any] = []
        for week in range(days // 7):
            sat, sun = (work[d] if lo <= d < hi else int(d in row) for d in (7 * week + 5, 7 * week + 6))
            if isinstance(sat, int) and isinstance(sun, int):
                weekends.append(max(sat, sun))
            elif (isinstance(sat, int) and sat == 1) or (isinstance(sun, int) and sun == 1):
                weekends.append(1)
            else:
                y = m.new_bool_var(f"we_{sid}_{week}")
                m.add_max_equality(y, [v for v in (sat, sun) if not isinstance(v, int)])
                weekends.append(y)
        total_weekends = _lin(weekends)
        if not isinstance(total_weekends, int):
            m.add(total_weekends <= s.max_weekends)
        # a re-solve moves as little as possible from the previous roster
        if change_weight:
            for d in range(a, b):
                if (sid, d) in locked or (sid, d) not in previous:
                    continue
                before = previous[sid, d]
                kept = x.get((sid, d, before))
                objective.append(change_weight * (1 - kept) if kept is not None else change_weight)

    for r in instance.on_requests:
        if r.staff in free_staff and a <= r.day < b:
            wanted = x.get((r.staff, r.day, r.shift))
            objective.append(r.weight * (1 - wanted) if wanted is not None else r.weight)
    for r in instance.off_requests:
        if r.staff in free_staff and a <= r.day < b:
            unwanted = x.get((r.staff, r.day, r.shift))
            if unwanted is not None:
                objective.append(r.weight * unwanted)
    base: dict[tuple[int, str], int] = {}
    for (person, d), sh in roster.items():
        if a <= d < b and person not in free_staff:
            base[d, sh] = base.get((d, sh), 0) + 1
    for (person, d), kept in locked.items():
        if a <= d < b and person in free_staff and kept is not None:
            base[d, kept] = base.get((d, kept), 0) + 1
    by_cell: dict[tuple[int, str], list[Any]] = {}
    for (_person, d, sh), v in x.items():
        by_cell.setdefault((d, sh), []).append(v)
    n = len(instance.staff)
    for c in instance.cover:
        if not a <= c.day < b:
            continue
        assigned = base.get((c.day, c.shift), 0) + _lin(by_cell.get((c.day, c.shift), []))
        if isinstance(assigned, int):
            continue  # nothing free can change it
        under = m.new_int_var(0, c.requirement, f"u_{c.day}_{c.shift}")
        over = m.new_int_var(0, n, f"o_{c.day}_{c.shift}")
        m.add(assigned - c.requirement == over - under)
        objective += [c.weight_under * under, c.weight_over * over]
    m.minimize(_lin(objective))
    return m, x


def _neg(v: Any) -> Any:
    return 1 - v if isinstance(v, int) else v.negated()


def _clause(m: Any, literals: Sequence[Any]) -> None:
    """At least one literal true; constants folded."""
    if any(v == 1 for v in literals if isinstance(v, int)):
        return
    rest = [v for v in literals if not isinstance(v, int)]
    if not rest:
        m.add_bool_or([m.new_constant(0)])  # every literal fixed false: the part cannot be feasible
        return
    m.add_bool_or(rest)


def part_cost(
    instance: Instance,
    roster: Mapping[tuple[str, int], str],
    part: Part,
    *,
    previous: Mapping[tuple[str, int], str],
    change_weight: int,
) -> int:
    """What the free part's objective is for ``roster``, computed by hand (the same terms ``build_part`` uses)."""
    free = set(part.staff)
    a, b = part.start, part.end
    cost = 0
    for r in instance.on_requests:
        if r.staff in free and a <= r.day < b and roster.get((r.staff, r.day)) != r.shift:
            cost += r.weight
    for r in instance.off_requests:
        if r.staff in free and a <= r.day < b and roster.get((r.staff, r.day)) == r.shift:
            cost += r.weight
    counts: dict[tuple[int, str], int] = {}
    for (_person, d), sh in roster.items():
        if a <= d < b:
            counts[d, sh] = counts.get((d, sh), 0) + 1
    for c in instance.cover:
        if a <= c.day < b:
            got = counts.get((c.day, c.shift), 0)
            cost += max(c.requirement - got, 0) * c.weight_under + max(got - c.requirement, 0) * c.weight_over
    if change_weight:
        for (person, d), before in previous.items():
            if person in free and a <= d < b and roster.get((person, d)) != before:
                cost += change_weight
    return cost


def total_cost(
    instance: Instance,
    roster: Mapping[tuple[str, int], str],
    previous: Mapping[tuple[str, int], str],
    change_weight: int,
) -> int:
    return part_cost(
        instance,
        roster,
        Part(list(instance.staff), 0, instance.days),
        previous=previous,
        change_weight=change_weight,
    )


def solve_part(
    instance: Instance,
    roster: Mapping[tuple[str, int], str],
    part: Part,
    *,
    locked: Mapping[tuple[str, int], str | None],
    previous: Mapping[tuple[str, int], str],
    change_weight: int,
    time_limit: float,
    workers: int,
    seed: int,
    deterministic: bool,
    stop: threading.Event,
    hint: bool = True,
    first: bool = False,
) -> SubResult:
    """Re-solve ``part`` with the rest of ``roster`` fixed, hinted with the current roster; with ``first``, stop at
    the first roster of the part that keeps every rule (the greedy start's repair: the search improves it later)."""
    from ortools.sat.python import cp_model

    model, x = build_part(instance, roster, part, locked=locked, previous=previous, change_weight=change_weight)
    if hint:
        for (sid, d, sh), v in x.items():
            model.add_hint(v, roster.get((sid, d)) == sh)
    solver = cp_model.CpSolver()
    params = solver.parameters
    params.num_workers = max(workers, 1)
    params.random_seed = seed
    params.stop_after_first_solution = first
    if deterministic:
        # a limit in the solver's own deterministic time, not the clock: the same answer on any machine
        params.max_deterministic_time = max(time_limit, 0.01)
        params.interleave_search = True
    else:
        params.max_time_in_seconds = max(time_limit, 0.05)
    done = threading.Event()

    def watch() -> None:
        while not stop.wait(0.1):
            if done.is_set():
                return
        solver.stop_search()

    if not stop.is_set():
        threading.Thread(target=watch, daemon=True).start()
    status = solver.solve(model)
    done.set()
    if status == cp_model.INFEASIBLE:
        return SubResult("infeasible", {}, None)
    if status not in (cp_model.OPTIMAL, cp_model.FEASIBLE):
        return SubResult("unknown", {}, None)
    cells = {(sid, d): sh for (sid, d, sh), v in x.items() if solver.boolean_value(v)}
    return SubResult("optimal" if status == cp_model.OPTIMAL else "feasible", cells, round(solver.objective_value))


def _apply(roster: Cells, part: Part, cells: Mapping[tuple[str, int], str]) -> Cells:
    free = set(part.staff)
    out = {k: v for k, v in roster.items() if not (k[0] in free and part.start <= k[1] < part.end)}
    out.update(cells)
    return out


def _with_locked(roster: Cells, locked: Mapping[tuple[str, int], str | None]) -> Cells:
    out = dict(roster)
    for k, v in locked.items():
        if v is None:
            out.pop(k, None)
        else:
            out[k] = v
    return out


def construct(
    instance: Instance,
    *,
    locked: Mapping[tuple[str, int], str | None],
    previous: Mapping[tuple[str, int], str],
    change_weight: int,
    workers: int,
    seed: int,
    deterministic: bool,
    stop: threading.Event,
    deadline: Callable[[], float],
) -> tuple[Cells | None, bool]:
    """The first feasible roster: each member of staff in turn, given the rows chosen before them, a row built
    greedily; where that breaks a rule, the row with as many days of work as the rules allow (``dense_row``); where
    that breaks one too, a row by CP-SAT for them alone (hinted with it). Returns (roster, proven): None with
    proven=True when someone has no feasible row at all."""
    roster = _with_locked({}, locked)
    counts: dict[tuple[int, str], int] = {}
    for (_person, d), sh in roster.items():
        counts[d, sh] = counts.get((d, sh), 0) + 1
    for s in construction_order(instance):
        if stop.is_set() or deadline() <= 0:
            return None, False
        fixed = {d: sh for (person, d), sh in locked.items() if person == s.id}
        row = greedy_row(instance, s.id, counts, fixed)
        if row_problems(instance, s.id, row):
            row = dense_row(instance, s.id, counts, fixed) or row
        if row_problems(instance, s.id, row):
            part = Part([s.id], 0, instance.days)
            trial = _apply(roster, part, {(s.id, d): sh for d, sh in row.items()})
            got = solve_part(
                instance,
                trial,
                part,
                locked=locked,
                previous=previous,
                change_weight=change_weight,
                time_limit=30.0 if deterministic else min(max(deadline(), 0.05), 30.0),
                workers=workers,
                seed=seed,
                deterministic=deterministic,
                stop=stop,
                first=True,  # a row that keeps the rules is enough here: waiting for the best cost for each of a
                # hundred staff in turn left the largest instances with no roster at all in a minute
            )
            if got.status == "infeasible":
                return None, True
            if got.status == "unknown":
                return None, False
            row = {d: sh for (_p, d), sh in got.cells.items()}
        for d, sh in row.items():
            counts[d, sh] = counts.get((d, sh), 0) + 1
        roster = _with_locked(
            _apply(roster, Part([s.id], 0, instance.days), {(s.id, d): sh for d, sh in row.items()}), locked
        )
    return roster, False


def construction_order(instance: Instance) -> list[Staff]:
    """The order the first roster is built in: the most constrained first, most days of leave, then most minutes."""
    return sorted(
        instance.staff.values(),
        key=lambda s: (-len(instance.days_off.get(s.id, set())), -s.min_minutes, s.id),
    )


def where_it_costs(
    instance: Instance,
    roster: Mapping[tuple[str, int], str],
    locked: Mapping[tuple[str, int], str | None] | None = None,
) -> tuple[list[int], dict[str, int]]:
    """The roster's penalty by day (cover and requests) and by member of staff (their requests): where a
    neighbourhood is likeliest to gain. A request on a locked day cannot change, and is left out."""
    locked = locked or {}
    by_day = [0] * instance.days
    by_staff = dict.fromkeys(instance.staff, 0)
    for r in instance.on_requests:
        if roster.get((r.staff, r.day)) != r.shift and (r.staff, r.day) not in locked:
            by_day[r.day] += r.weight
            by_staff[r.staff] += r.weight
    for r in instance.off_requests:
        if roster.get((r.staff, r.day)) == r.shift and (r.staff, r.day) not in locked:
            by_day[r.day] += r.weight
            by_staff[r.staff] += r.weight
    counts: dict[tuple[int, str], int] = {}
    for (_person, d), sh in roster.items():
        counts[d, sh] = counts.get((d, sh), 0) + 1
    for c in instance.cover:
        got = counts.get((c.day, c.shift), 0)
        by_day[c.day] += max(c.requirement - got, 0) * c.weight_under + max(got - c.requirement, 0) * c.weight_over
    return by_day, by_staff


SHAPES = ("group", "window", "rectangle")
SHAPE_WEIGHTS = (0.35, 0.3, 0.35)


def smallest(instance: Instance, shape: str) -> float:
    """The fewest free staff-days a part of this shape has: two staff over the horizon, two days for everyone, or
    two staff over a week."""
    days, staff = instance.days, len(instance.staff)
    if shape == "group":
        return float(min(2, staff) * days)
    if shape == "window":
        return float(min(2, days) * staff)
    return float(min(2, staff) * min(7, days))


def choose_part(
    instance: Instance,
    rng: random.Random,
    size: float,
    focus: tuple[Sequence[int], Mapping[str, int]] | None = None,
    shape: str | None = None,
) -> Part:
    """A neighbourhood of about ``size`` free staff-days in one of three shapes: a group of staff over the whole
    horizon, a window of days for everyone, or a group of staff over a window (``shape``, or drawn at random among
    those the size allows). With ``focus`` (``where_it_costs``), the window is centred on a day drawn in proportion
    to its penalty and the group starts from someone drawn in proportion to theirs; without, both are drawn at
    random."""
    staff = list(instance.staff)
    days = instance.days
    size = max(size, 2.0)
    centre, first = None, None
    if focus is not None:
        by_day, by_staff = focus
        if any(by_day):
            centre = rng.choices(range(days), weights=by_day)[0]
        if any(by_staff.values()):
            first = rng.choices(list(by_staff), weights=list(by_staff.values()))[0]

    def window(width: int) -> int:
        if centre is None:
            return rng.randrange(0, days - width + 1)
        return min(max(centre - rng.randrange(width), 0), days - width)

    if shape is None:
        draw = rng.random()
        if draw < 0.35 and days * 2 <= size * 1.5:
            shape = "group"
        elif draw < 0.65 and len(staff) * 2 <= size * 1.5:
            shape = "window"
        else:
            shape = "rectangle"
    if shape == "group":
        count = max(2, min(len(staff), round(size / days)))
        return Part(_related(instance, rng, count, first), 0, days)
    if shape == "window":
        width = max(2, min(days, round(size / len(staff))))
        start = window(width)
        return Part(staff, start, start + width)
    # a rectangle: between 2 staff and everyone, over a window of at least a week where the horizon allows
    width = max(min(7, days), min(days, round(size / max(2, min(len(staff), rng.randint(2, 8))))))
    count = max(1, min(len(staff), round(size / width)))
    start = window(width)
    return Part(_related(instance, rng, count, first), start, start + width)


def _related(instance: Instance, rng: random.Random, count: int, first_id: str | None = None) -> list[str]:
    """``count`` staff, most of them able to work the shift types of a first one (``first_id``, or drawn at random),
    so that swaps between them are possible."""
    staff = list(instance.staff.values())
    first = instance.staff[first_id] if first_id is not None else rng.choice(staff)
    kinds = {sh for sh, n in first.max_shifts.items() if n > 0}
    alike = [s.id for s in staff if s.id != first.id and kinds & {sh for sh, n in s.max_shifts.items() if n > 0}]
    others = [s.id for s in staff if s.id != first.id and s.id not in set(alike)]
    rng.shuffle(alike)
    rng.shuffle(others)
    return [first.id, *(alike + others)[: count - 1]]


def search(
    instance: Instance,
    start: Cells,
    *,
    locked: Mapping[tuple[str, int], str | None],
    previous: Mapping[tuple[str, int], str],
    change_weight: int,
    workers: int,
    seed: int,
    deterministic: bool,
    stop: threading.Event,
    deadline: Callable[[], float],
    clock: Callable[[], float],
    iterations: int | None = None,
    on_improve: Callable[[Search], None] | None = None,
    trace: list[tuple[float, int]] | None = None,
) -> Search:
    """Large neighbourhood search from ``start`` until ``deadline()`` reaches 0, ``stop`` is set or ``iterations``
    parts have been re-solved. Only a better roster replaces the best."""
    rng = random.Random(seed)
    cost = total_cost(instance, start, previous, change_weight)
    state = Search(dict(start), cost, trace if trace is not None else [(clock(), cost)])
    cells = len(instance.staff) * instance.days
    # each shape's size adapts on its own: a window of days for everyone may be solved whole while a group of staff
    # over the horizon of the same size times out
    first_size = float(min(cells, max(2 * instance.days, 2 * len(instance.staff), 60)))
    sizes = {shape: max(first_size, smallest(instance, shape)) for shape in SHAPES}
    # a shape whose smallest part is too big to re-solve quickly is not drawn (two staff over a year of 32 shift
    # types); a rectangle always can be
    weights = [
        w if shape == "rectangle" or smallest(instance, shape) * len(instance.shifts) <= SHAPE_CAP else 0.0
        for shape, w in zip(SHAPES, SHAPE_WEIGHTS, strict=True)
    ]
    step = 0.1 if deterministic else PART_SECONDS  # seconds a part may take (deterministic time in deterministic mode)
    focus: tuple[list[int], dict[str, int]] | None = None  # where the roster's penalty lies, until the roster changes

    local_at, local_every = 0, LOCAL_EVERY  # the part after which local search runs next, and how often

    def small_moves() -> None:
        nonlocal focus, local_at, local_every
        base = state.cost

        def told(delta: int) -> None:
            state.cost = base + delta
            state.improvements += 1
            state.trace.append((clock(), state.cost))
            if on_improve:
                on_improve(state)

        roster, delta = local.improve(
            instance,
            state.roster,
            locked=locked,
            previous=previous,
            change_weight=change_weight,
            seed=rng.randrange(1 << 30),
            moves=LOCAL_STALL * 50,  # a cap for deterministic mode, where no clock ends the round
            stall=LOCAL_STALL,
            stop=stop,
            deadline=None if deterministic else deadline,
            on_improve=told,
        )
        if delta < 0:
            state.roster, state.cost, focus = roster, base + delta, None
        # a round that gained nothing waits twice as long for the next: the parts have the time
        local_every = LOCAL_EVERY if delta < 0 else local_every * 2
        local_at = state.iterations + local_every

    while not stop.is_set() and (iterations is None or state.iterations < iterations):
        if LOCAL_EVERY and state.iterations >= local_at:
            small_moves()
        left = deadline()
        if left <= 0.05:
            break
        focused = rng.random() < FOCUS_SHARE
        if focused and focus is None:
            focus = where_it_costs(instance, state.roster, locked)
        shape = rng.choices(SHAPES, weights=weights)[0]
        part = choose_part(instance, rng, sizes[shape], focus if focused else None, shape)
        before = part_cost(instance, state.roster, part, previous=previous, change_weight=change_weight)
        got = solve_part(
            instance,
            state.roster,
            part,
            locked=locked,
            previous=previous,
            change_weight=change_weight,
            time_limit=step if deterministic else min(step, left),
            workers=workers,
            seed=rng.randrange(1 << 30),
            deterministic=deterministic,
            stop=stop,
        )
        state.iterations += 1
        after = None
        if got.objective is not None:
            candidate = _apply(state.roster, part, got.cells)
            after = part_cost(instance, candidate, part, previous=previous, change_weight=change_weight)
        if after is not None and after <= before:  # equal moves too: the search drifts across plateaux
            better = after < before
            state.roster = candidate
            focus = None
            state.cost = state.cost - before + after
            if better:
                state.improvements += 1
                state.trace.append((clock(), state.cost))
                if on_improve:
                    on_improve(state)
        # adapt: grow while parts are solved to optimality (the neighbourhood is too easy), shrink when they time out;
        # more time for every part only when a part of its shape's smallest size finds nothing at all
        if got.status == "optimal":
            sizes[shape] = min(cells, sizes[shape] * 1.15)
        elif got.status in ("feasible", "unknown"):
            floor = smallest(instance, shape)
            if got.status == "unknown" and sizes[shape] <= floor and not deterministic:
                step = min(step * 1.1, 5.0)
            sizes[shape] = max(floor, sizes[shape] * 0.85)
    return state


def greedy_row(
    instance: Instance,
    sid: str,
    counts: Mapping[tuple[int, str], int],
    fixed: Mapping[int, str | None],
) -> dict[int, str]:
    """A row of shifts for one member of staff, day by day, without a solver: runs of work between the minimum
    and maximum length, days off in runs long enough, weekends within the limit, paced towards the middle of the
    minutes allowed, each day the shift whose cover is furthest short. It may still break a rule (the caller
    checks with ``row_problems`` and repairs with CP-SAT)."""
    s = instance.staff[sid]
    shifts = instance.shifts
    days = instance.days
    off = instance.days_off.get(sid, set())
    need = {(c.day, c.shift): c.requirement for c in instance.cover}
    under = {(c.day, c.shift): c.weight_under for c in instance.cover}
    wanted = {(r.day, r.shift): r.weight for r in instance.on_requests if r.staff == sid}
    unwanted = {(r.day, r.shift): r.weight for r in instance.off_requests if r.staff == sid}
    left = {sh: s.max_shifts.get(sh, 0) for sh in shifts}
    row: dict[int, str] = {}
    minutes = 0
    run = 0  # days worked in a row up to yesterday
    rest = days  # days off in a row up to yesterday (the start of the horizon counts as long rest)
    weekends: set[int] = set()
    for d in range(days):
        prev = row.get(d - 1)
        if d in fixed:
            choice = fixed[d]
        else:
            must_work = 0 < run < s.min_consecutive
            must_rest = run >= s.max_consecutive or (run == 0 and rest < s.min_days_off)
            week = d // 7
            weekend_day = d % 7 in (5, 6) and week < days // 7
            over_weekends = weekend_day and week not in weekends and len(weekends) >= s.max_weekends
            # starting a run needs min_consecutive free days ahead (no leave, no weekend beyond the limit)
            if run == 0 and not must_rest:
                for x in range(d, min(d + s.min_consecutive, days)):
                    new_weekend = x % 7 in (5, 6) and x // 7 < days // 7 and x // 7 not in weekends
                    if x in off or x in fixed or (new_weekend and len(weekends | {week}) > s.max_weekends):
                        must_rest = True
            behind = minutes < s.max_minutes * (d + 1) / days  # ahead of pace early: leave, weekends come later
            work = not must_rest and not over_weekends and d not in off and (must_work or behind)
            choice = None
            if work:
                best = None
                for sh in shifts:
                    if left[sh] <= 0 or (prev is not None and sh in shifts[prev].cannot_follow):
                        continue
                    if minutes + shifts[sh].minutes > s.max_minutes:
                        continue
                    short = need.get((d, sh), 0) - counts.get((d, sh), 0)
                    score = (short > 0) * under.get((d, sh), 0) * 10 + short + wanted.get((d, sh), 0)
                    score -= unwanted.get((d, sh), 0) + (over_weekends * 1000)
                    if best is None or score > best[0]:
                        best = (score, sh)
                choice = best[1] if best else None
        if choice is not None:
            row[d] = choice
            left[choice] -= 1
            minutes += shifts[choice].minutes
            run, rest = run + 1, 0
            if d % 7 in (5, 6) and d // 7 < days // 7:
                weekends.add(d // 7)
        else:
            run, rest = 0, rest + 1
    # too few minutes: lengthen runs by a day at either end where the rules allow
    d = 0
    while minutes < s.min_minutes and d < days:
        if d not in row and d not in off and d not in fixed:
            before, after = row.get(d - 1), row.get(d + 1)
            run_before = next((i for i in range(1, days) if d - i < 0 or (d - i) not in row), 1) - 1
            run_after = next((i for i in range(1, days) if d + i >= days or (d + i) not in row), 1) - 1
            # the days off that remain on each side must stay long enough (or reach the edge)
            gap_left = next((i for i in range(1, days + 1) if d - i < 0 or (d - i) in row), 1) - 1
            gap_right = next((i for i in range(1, days + 1) if d + i >= days or (d + i) in row), 1) - 1
            ok_left = before is not None or d - gap_left - 1 < 0 or gap_left >= s.min_days_off
            ok_right = after is not None or d + gap_right + 1 >= days or gap_right >= s.min_days_off
            joins = (before is not None) or (after is not None)
            weekend_ok = not (d % 7 in (5, 6) and d // 7 < days // 7) or (
                d // 7 in weekends or len(weekends) < s.max_weekends
            )
            if joins and ok_left and ok_right and weekend_ok and run_before + run_after + 1 <= s.max_consecutive:
                for sh in shifts:
                    if left[sh] <= 0 or minutes + shifts[sh].minutes > s.max_minutes:
                        continue
                    if (before is not None and sh in shifts[before].cannot_follow) or (
                        after is not None and after in shifts[sh].cannot_follow
                    ):
                        continue
                    row[d] = sh
                    left[sh] -= 1
                    minutes += shifts[sh].minutes
                    if d % 7 in (5, 6) and d // 7 < days // 7:
                        weekends.add(d // 7)
                    break
        d += 1
    _swap_towards_limits(instance, sid, row, left, fixed)
    return row


def _swap_towards_limits(
    instance: Instance, sid: str, row: dict[int, str], left: dict[str, int], fixed: Mapping[int, str | None]
) -> None:
    """Minutes outside the limits: swap shifts of ``row`` for longer or shorter ones where the rules allow
    (``left``: the shifts of each type still allowed, kept up to date)."""
    s = instance.staff[sid]
    shifts = instance.shifts
    target = (s.min_minutes + s.max_minutes) / 2
    minutes = sum(shifts[sh].minutes for sh in row.values())
    for d in sorted(row):
        if s.min_minutes <= minutes <= s.max_minutes:
            break
        if d in fixed:
            continue
        now = row[d]
        for sh in shifts:
            change = shifts[sh].minutes - shifts[now].minutes
            if left[sh] <= 0 or change == 0 or (change > 0) != (minutes < s.min_minutes):
                continue
            if abs(minutes + change - target) > abs(minutes - target) + abs(change) / 2 + 1:
                continue
            before, after = row.get(d - 1), row.get(d + 1)
            if (before is not None and sh in shifts[before].cannot_follow) or (
                after is not None and after in shifts[sh].cannot_follow
            ):
                continue
            row[d] = sh
            left[sh] -= 1
            left[now] += 1
            minutes += change
            break


def dense_row(
    instance: Instance,
    sid: str,
    counts: Mapping[tuple[int, str], int],
    fixed: Mapping[int, str | None],
) -> dict[int, str]:
    """A row with as many days of work as the rules allow, for staff whose minutes leave little slack (a year at
    70% of the days, where ``greedy_row``'s day-by-day pacing falls a few shifts short). The days are chosen for the
    whole horizon at once by dynamic programming: the state is the run of work or of rest up to the day (and whether
    the week's weekend is already worked); the weekend limit is kept by a price on each weekend worked, raised until
    the row keeps it; among rows with as many days, those on the days whose cover is furthest short. Each day of
    work then takes the shift whose cover is furthest short, of those after which one shift could finish the run;
    then, while the minutes are over the maximum, a day comes off an end of a run (or a whole run goes) where cover
    needs it least, and shifts are swapped for longer or shorter ones as ``greedy_row`` does. It may still break a
    rule: the caller checks it (``row_problems``)."""
    s = instance.staff[sid]
    shifts = instance.shifts
    days = instance.days
    off = instance.days_off.get(sid, set())
    need = {(c.day, c.shift): c.requirement for c in instance.cover}
    allowed = [sh for sh in shifts if s.max_shifts.get(sh, 0) > 0]

    def short(d: int) -> int:
        return max((need.get((d, sh), 0) - counts.get((d, sh), 0) for sh in allowed), default=0)

    # how much a day of work is wanted, beyond the day itself: under 1 over the whole horizon, so it only breaks ties
    scores = [short(d) for d in range(days)]
    top = max(max(scores, default=0), 1)
    tie = [max(v, 0) / top / (days + 1) for v in scores]

    def may_work(d: int) -> bool | None:
        """True: must work; False: must rest; None: either."""
        if d in fixed:
            return fixed[d] is not None
        return False if d in off or not allowed else None

    def weekend(d: int) -> bool:
        return d % 7 in (5, 6) and d // 7 < days // 7

    def best_days(price: float) -> tuple[list[bool], int]:
        # state: (working, run length (rest saturated at min_days_off), the run began on day 0, weekend worked)
        start = (False, s.min_days_off, False, False)
        layer: dict[tuple[bool, int, bool, bool], float] = {start: 0.0}
        back: list[dict[tuple[bool, int, bool, bool], tuple[tuple[bool, int, bool, bool], bool]]] = []
        for d in range(days):
            rule = may_work(d)
            nxt: dict[tuple[bool, int, bool, bool], float] = {}
            came: dict[tuple[bool, int, bool, bool], tuple[tuple[bool, int, bool, bool], bool]] = {}
            for state, value in layer.items():
                working, length, edge, worked_weekend = state
                if d % 7 == 0:
                    worked_weekend = False
                if rule is not False and (
                    (working and length < s.max_consecutive) or (not working and length >= s.min_days_off)
                ):
                    gain = 1.0 + tie[d] - (price if weekend(d) and not worked_weekend else 0.0)
                    to = (True, length + 1 if working else 1, edge if working else d == 0, worked_weekend or weekend(d))
                    if value + gain > nxt.get(to, -1e18):
                        nxt[to], came[to] = value + gain, (state, True)
                if rule is not True and (not working or length >= s.min_consecutive or edge):
                    to = (False, min(length + 1, s.min_days_off) if not working else 1, False, worked_weekend)
                    if value > nxt.get(to, -1e18):
                        nxt[to], came[to] = value, (state, False)
            layer = nxt
            back.append(came)
            if not layer:
                return [], 0
        state = max(layer, key=lambda k: layer[k])
        worked = [False] * days
        for d in range(days - 1, -1, -1):
            state, worked[d] = back[d][state]
        return worked, sum(1 for w in range(days // 7) if worked[7 * w + 5] or worked[7 * w + 6])

    worked, used = best_days(0.0)
    if used > s.max_weekends:
        low, high = 0.0, 3.0
        worked, used = best_days(high)
        for _ in range(12):
            middle = (low + high) / 2
            trial, n = best_days(middle)
            if trial and n <= s.max_weekends:
                high, worked, used = middle, trial, n
            else:
                low = middle
    if not worked:
        return {}
    row: dict[int, str] = {}
    left = {sh: s.max_shifts.get(sh, 0) for sh in shifts}
    minutes = 0
    for d in range(days):
        if not worked[d]:
            continue
        if fixed.get(d) is not None:
            choice = fixed[d]
        else:
            prev = row.get(d - 1)
            ahead = 0  # days of work after this one in the run
            while d + ahead + 1 < days and worked[d + ahead + 1]:
                ahead += 1
            choice, best = None, None
            for sh in allowed:
                if left[sh] <= 0 or (prev is not None and sh in shifts[prev].cannot_follow):
                    continue
                if ahead and not any(
                    x not in shifts[sh].cannot_follow
                    and x not in shifts[x].cannot_follow
                    and left[x] - (x == sh) >= ahead
                    for x in allowed
                ):
                    continue  # the rest of the run could not be finished with one shift that may follow itself
                score = need.get((d, sh), 0) - counts.get((d, sh), 0)
                if best is None or score > best:
                    choice, best = sh, score
        if choice is None:
            continue  # the caller's check finds the broken run
        row[d] = choice
        left[choice] -= 1
        minutes += shifts[choice].minutes
    # too many minutes: a day off an end of a run that stays long enough (or still reaches the edge of the
    # horizon), else a whole run, where cover needs them least; then shifts swapped for shorter or longer ones
    while minutes > s.max_minutes:
        runs = []
        for d in sorted(row):
            if d - 1 not in row:
                runs.append([d])
            else:
                runs[-1].append(d)
        ends, whole = [], []
        for run in runs:
            first, last = run[0], run[-1]
            free = [d for d in run if d not in fixed]
            if len(free) == len(run) and minutes - sum(shifts[row[d]].minutes for d in run) >= s.min_minutes:
                whole.append((sum(scores[d] for d in run) / len(run), first, run))
            if len(run) < 2:
                continue
            for d, still_at_edge in ((first, last == days - 1), (last, first == 0)):
                if d not in fixed and (len(run) - 1 >= s.min_consecutive or still_at_edge):
                    ends.append((scores[d], d))
        if not ends and not whole:
            break
        for d in [min(ends)[1]] if ends else min(whole)[2]:
            sh = row.pop(d)
            minutes -= shifts[sh].minutes
            left[sh] += 1
    _swap_towards_limits(instance, sid, row, left, fixed)
    return row


def row_problems(instance: Instance, sid: str, row: Mapping[int, str]) -> bool:
    """Whether the row breaks a hard constraint (the same rules as the evaluator, for one person)."""

    single = Instance(
        instance.name,
        instance.days,
        instance.shifts,
        {sid: instance.staff[sid]},
        {sid: instance.days_off.get(sid, set())},
    )
    return not evaluate(single, {(sid, d): sh for d, sh in row.items()}).feasible
