"""Local search on a roster one or two cells at a time (ADR 0032, 7 December, night). Pure: no Django import.

Before the neighbourhood search's first part and between its parts: thousands of small moves in the time CP-SAT
takes to re-solve one part. Each move changes a cell or two of a roster that keeps every rule:

- **fill**: a shift that cover wants more of on a day is given to someone off that day, or someone working a shift
  of which there are too many switches to it; where their minutes or runs do not allow that, one of their other
  days is given up in exchange (on a weekend day, another weekend they work);
- **trim**: someone working a shift there are too many of that day switches to one there are too few of, or stops;
- **swap**: two people exchange what they do on a day (cover unchanged; requests may gain);
- **change**: someone's day changes to another shift or to a day off, drawn at random.

A move is kept when it costs no more than before (equal moves too, so the search drifts across plateaux) and each
row still keeps its rules, checked only around the days that changed: the shift types' maxima, minutes, weekends,
successions and the runs of work and of rest. The rules are the evaluator's (``evaluate``), which checks the roster
again at the end; this module shares no code with it."""

from __future__ import annotations

import random
import threading
from collections.abc import Callable, Mapping

from medlead.rota.roster.instance import Instance

Cells = dict[tuple[str, int], str]
OFF = -1


class _Roster:
    """The roster as lists of shift indexes (``OFF`` for a day off), with the totals each rule counts kept up to
    date as cells change."""

    def __init__(
        self,
        instance: Instance,
        roster: Mapping[tuple[str, int], str],
        locked: Mapping[tuple[str, int], str | None],
        previous: Mapping[tuple[str, int], str],
        change_weight: int,
    ) -> None:
        self.days = days = instance.days
        self.sids = list(instance.staff)
        self.kids = list(instance.shifts)
        index = {sh: k for k, sh in enumerate(self.kids)}
        person = {sid: i for i, sid in enumerate(self.sids)}
        staff = [instance.staff[sid] for sid in self.sids]
        kinds = range(len(self.kids))
        self.minutes_of = [instance.shifts[sh].minutes for sh in self.kids]
        self.forbidden = [
            {index[b] for b in instance.shifts[sh].cannot_follow if b in index} for sh in self.kids
        ]  # shifts that may not follow this one the next day
        self.max_shifts = [[s.max_shifts.get(sh, 0) for sh in self.kids] for s in staff]
        self.min_minutes = [s.min_minutes for s in staff]
        self.max_minutes = [s.max_minutes for s in staff]
        self.max_run = [s.max_consecutive for s in staff]
        self.min_run = [s.min_consecutive for s in staff]
        self.min_rest = [s.min_days_off for s in staff]
        self.max_weekends = [s.max_weekends for s in staff]
        self.weeks = days // 7
        # who may work each shift type on a day: not on leave, not locked there
        fixed = {(person[sid], d) for sid, d in locked if sid in person}
        self.free = [
            [d not in instance.days_off.get(sid, set()) and (i, d) not in fixed for d in range(days)]
            for i, sid in enumerate(self.sids)
        ]
        self.able = [[i for i in range(len(staff)) if self.max_shifts[i][k] > 0] for k in kinds]

        self.row = [[OFF] * days for _ in staff]
        for (sid, d), sh in roster.items():
            self.row[person[sid]][d] = index[sh]
        self.count = [[r.count(k) for k in kinds] for r in self.row]
        self.minutes = [sum(self.minutes_of[k] for k in r if k != OFF) for r in self.row]
        self.weekends = [sum(1 for w in range(self.weeks) if self._weekend(r, w)) for r in self.row]

        # cover: what each day needs of each shift type and the weights of too few and too many
        self.need = [[0] * len(self.kids) for _ in range(days)]
        self.under = [[0] * len(self.kids) for _ in range(days)]
        self.over = [[0] * len(self.kids) for _ in range(days)]
        for c in instance.cover:
            k = index[c.shift]
            self.need[c.day][k], self.under[c.day][k], self.over[c.day][k] = (
                c.requirement,
                c.weight_under,
                c.weight_over,
            )
        self.have = [[0] * len(self.kids) for _ in range(days)]
        for r in self.row:
            for d, k in enumerate(r):
                if k != OFF:
                    self.have[d][k] += 1
        # what a cell costs of its own, by what it holds: requests, and a change from the previous roster
        self.cell_terms: dict[tuple[int, int], list[tuple[int, int, bool]]] = {}  # (shift, weight, charged unless)
        for q in instance.on_requests:
            if q.staff in person and q.shift in index:
                self.cell_terms.setdefault((person[q.staff], q.day), []).append((index[q.shift], q.weight, True))
        for q in instance.off_requests:
            if q.staff in person and q.shift in index:
                self.cell_terms.setdefault((person[q.staff], q.day), []).append((index[q.shift], q.weight, False))
        if change_weight:
            for (sid, d), sh in previous.items():
                if sid in person and sh in index:
                    self.cell_terms.setdefault((person[sid], d), []).append((index[sh], change_weight, True))
        # the shift types cover wants more of on a day, kept as a list for drawing at random
        self.short: list[tuple[int, int]] = []
        self.short_at: dict[tuple[int, int], int] = {}
        for d in range(days):
            for k in kinds:
                self._mark(d, k)

    def _weekend(self, r: list[int], w: int) -> bool:
        return r[7 * w + 5] != OFF or r[7 * w + 6] != OFF

    def _mark(self, d: int, k: int) -> None:
        short = self.have[d][k] < self.need[d][k] and self.under[d][k] > 0
        if short and (d, k) not in self.short_at:
            self.short_at[d, k] = len(self.short)
            self.short.append((d, k))
        elif not short and (d, k) in self.short_at:
            at = self.short_at.pop((d, k))
            last = self.short.pop()
            if at < len(self.short):
                self.short[at] = last
                self.short_at[last] = at

    def cell_cost(self, i: int, d: int, k: int) -> int:
        terms = self.cell_terms.get((i, d))
        if not terms:
            return 0
        return sum(w for sh, w, unless in terms if (k != sh) == unless)

    def put(self, i: int, d: int, k: int) -> None:
        """Put shift ``k`` (or ``OFF``) in person ``i``'s row on day ``d``, with the row's totals; not the cover."""
        r = self.row[i]
        was = r[d]
        weekend = d < 7 * self.weeks and d % 7 >= 5
        if weekend:
            self.weekends[i] -= self._weekend(r, d // 7)
        if was != OFF:
            self.count[i][was] -= 1
            self.minutes[i] -= self.minutes_of[was]
        if k != OFF:
            self.count[i][k] += 1
            self.minutes[i] += self.minutes_of[k]
        r[d] = k
        if weekend:
            self.weekends[i] += self._weekend(r, d // 7)

    def cover(self, d: int, was: int, k: int) -> int:
        """One person's day ``d`` changes from ``was`` to ``k``: count it, and return what cover's cost changed by."""
        delta = 0
        if was != OFF:
            have = self.have[d][was]
            delta += self.under[d][was] if have <= self.need[d][was] else -self.over[d][was]
            self.have[d][was] = have - 1
            self._mark(d, was)
        if k != OFF:
            have = self.have[d][k]
            delta += self.over[d][k] if have >= self.need[d][k] else -self.under[d][k]
            self.have[d][k] = have + 1
            self._mark(d, k)
        return delta

    def keeps_rules(self, i: int, changed: list[tuple[int, int]]) -> bool:
        """Whether person ``i``'s row keeps every rule, given that it kept them all before ``changed`` (day, what
        the day held before) were made."""
        if not self.min_minutes[i] <= self.minutes[i] <= self.max_minutes[i]:
            return False
        if self.weekends[i] > self.max_weekends[i]:
            return False
        r, count, most = self.row[i], self.count[i], self.max_shifts[i]
        last = self.days - 1
        for d, was in changed:
            k = r[d]
            if k != OFF and count[k] > most[k]:
                return False
            if d > 0 and k != OFF and r[d - 1] != OFF and k in self.forbidden[r[d - 1]]:
                return False
            if d < last and k != OFF and r[d + 1] != OFF and r[d + 1] in self.forbidden[k]:
                return False
            if (was == OFF) != (k == OFF):
                for e in (d - 1, d, d + 1):
                    if 0 <= e <= last and not self._run_ok(i, e):
                        return False
        return True

    def _run_ok(self, i: int, d: int) -> bool:
        """Whether the run (of work or of rest) through day ``d`` keeps the rules; a run at the edge of the horizon
        may continue outside it, so only its maximum counts."""
        r = self.row[i]
        working = r[d] != OFF
        limit = self.max_run[i] if working else self.min_rest[i]  # no need to count further than this
        start, end = d, d + 1
        while start > 0 and (r[start - 1] != OFF) == working and end - start < limit + 1:
            start -= 1
        while end < self.days and (r[end] != OFF) == working and end - start < limit + 1:
            end += 1
        length = end - start
        edge = start == 0 or end == self.days
        if working:
            return length <= self.max_run[i] and (edge or length >= self.min_run[i])
        return edge or length >= self.min_rest[i]

    def cells(self) -> Cells:
        return {(self.sids[i], d): self.kids[k] for i, r in enumerate(self.row) for d, k in enumerate(r) if k != OFF}


def improve(
    instance: Instance,
    roster: Mapping[tuple[str, int], str],
    *,
    locked: Mapping[tuple[str, int], str | None],
    previous: Mapping[tuple[str, int], str],
    change_weight: int,
    seed: int,
    moves: int,
    stall: int | None = None,
    stop: threading.Event | None = None,
    deadline: Callable[[], float] | None = None,
    on_improve: Callable[[int], None] | None = None,
) -> tuple[Cells, int]:
    """Up to ``moves`` moves from ``roster``, which must keep every rule; fewer if ``stall`` moves in a row gain
    nothing, ``deadline()`` reaches 0 or ``stop`` is set. ``on_improve`` is told what the cost has changed by so far,
    now and then while it falls. Returns the roster and what its cost changed by (never more than 0)."""
    rng = random.Random(seed)
    state = _Roster(instance, roster, locked, previous, change_weight)
    row, free, able, have, need = state.row, state.free, state.able, state.have, state.need
    days, people = state.days, len(state.sids)
    total = 0

    def attempt(changes: list[tuple[int, int, int]]) -> bool:
        """Make the changes (person, day, shift); keep them if each row keeps its rules and they cost no more."""
        nonlocal total
        undo = [(i, d, row[i][d]) for i, d, _k in changes]
        for i, d, k in changes:
            state.put(i, d, k)
        touched: dict[int, list[tuple[int, int]]] = {}
        for i, d, was in undo:
            touched.setdefault(i, []).append((d, was))
        if all(state.keeps_rules(i, changed) for i, changed in touched.items()):
            delta = 0
            for (i, d, was), (_i, _d, k) in zip(undo, changes, strict=True):
                delta += state.cell_cost(i, d, k) - state.cell_cost(i, d, was) + state.cover(d, was, k)
            if delta <= 0:
                total += delta
                return True
            for (_i, d, was), (_j, _e, k) in zip(reversed(undo), reversed(changes), strict=True):
                state.cover(d, k, was)
        for i, d, was in reversed(undo):
            state.put(i, d, was)
        return False

    def give_up_a_day(i: int, d: int) -> list[int]:
        """Days person ``i`` might give up for working day ``d``: the ends of the runs beside it, and a few other
        days they work, where there is too much of their shift."""
        r = row[i]
        out = []
        e = d - 1
        while e >= 0 and r[e] != OFF:
            e -= 1
        if e < d - 1:
            out.append(e + 1)
        e = d + 1
        while e < days and r[e] != OFF:
            e += 1
        if e > d + 1:
            out.append(e - 1)
        for _ in range(3):
            e = rng.randrange(days)
            if r[e] != OFF and have[e][r[e]] > need[e][r[e]]:
                out.append(e)
        return [e for e in out if free[i][e]]

    def give_up_a_weekend(i: int, d: int) -> list[list[int]]:
        """Weekends person ``i`` might give up for working on day ``d`` (a weekend day): the days they work of up to
        three of eight weekends drawn at random, those where they work only one day first."""
        r, w = row[i], d // 7
        if r[7 * w + 5] != OFF or r[7 * w + 6] != OFF:
            return []  # this weekend is worked already: no other need be given up
        worked = []
        for _ in range(8):
            v = rng.randrange(state.weeks)
            days_worked = [e for e in (7 * v + 5, 7 * v + 6) if r[e] != OFF]
            if days_worked and all(free[i][e] for e in days_worked):
                worked.append(days_worked)
        worked.sort(key=len)
        return worked[:3]

    def fill(d: int, k: int) -> None:
        if not able[k]:
            return  # nobody may work this shift: it stays short
        for _ in range(6):
            i = rng.choice(able[k])
            if not free[i][d] or row[i][d] == k:
                continue
            if attempt([(i, d, k)]):
                return
            if row[i][d] == OFF:
                for e in give_up_a_day(i, d):
                    if e != d and attempt([(i, d, k), (i, e, OFF)]):
                        return
                if d < 7 * state.weeks and d % 7 >= 5:  # a weekend day: give up another weekend for this one
                    added = [(i, d, k)]
                    other = d + 1 if d % 7 == 5 else d - 1  # the weekend's other day, worked too if it can be
                    if row[i][other] == OFF and free[i][other]:
                        added.append((i, other, next(iter(short_on(i, other)), k)))
                    for weekend in give_up_a_weekend(i, d):
                        given_up = [(i, f, OFF) for f in weekend]
                        if attempt([added[0], *given_up]) or (len(added) == 2 and attempt([*added, *given_up])):
                            return

    def short_on(i: int, d: int) -> list[int]:
        """The shifts person ``i`` may work that day ``d`` has too few of."""
        most = state.max_shifts[i]
        return [b for b, wanted in enumerate(need[d]) if have[d][b] < wanted and most[b] > 0]

    def trim(d: int) -> None:
        i = rng.randrange(people)
        k = row[i][d]
        if k == OFF or not free[i][d] or have[d][k] <= need[d][k]:
            return
        for b in [*short_on(i, d), OFF]:
            if attempt([(i, d, b)]):
                return

    def swap(d: int) -> None:
        i, j = rng.randrange(people), rng.randrange(people)
        a, b = row[i][d], row[j][d]
        if i == j or a == b or not (free[i][d] and free[j][d]):
            return
        if (b == OFF or state.max_shifts[i][b] > 0) and (a == OFF or state.max_shifts[j][a] > 0):
            attempt([(i, d, b), (j, d, a)])

    def change(d: int) -> None:
        i = rng.randrange(people)
        b = rng.randrange(-1, len(need[d]))  # OFF or a shift type
        if free[i][d] and row[i][d] != b and (b == OFF or state.max_shifts[i][b] > 0):
            attempt([(i, d, b)])

    last_gain, told = 0, 0
    for done in range(moves):
        if done % 2000 == 0:
            if (stop is not None and stop.is_set()) or (deadline is not None and deadline() <= 0):
                break
            if on_improve is not None and total < told:
                on_improve(total)
                told = total
        if stall is not None and done - last_gain > stall:
            break
        before = total
        draw = rng.random()
        if draw < 0.5 and state.short:
            fill(*rng.choice(state.short))
        elif draw < 0.7:
            trim(rng.randrange(days))
        elif draw < 0.9:
            swap(rng.randrange(days))
        else:
            change(rng.randrange(days))
        if total < before:
            last_gain = done
    if on_improve is not None and total < told:
        on_improve(total)
    return state.cells(), total
