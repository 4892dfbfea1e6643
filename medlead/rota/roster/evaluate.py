"""An independent evaluator for a roster of an ``Instance``: every hard constraint broken, in words, and the
instance's own penalty. It shares nothing with the solver's model, so a roster the solver reports is re-scored
here before anyone is told it is feasible. Pure: no Django import."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from medlead.rota.roster.instance import Instance

Roster = Mapping[tuple[str, int], str]  # (staff, day) -> shift; a day off is absent


@dataclass(frozen=True)
class Evaluation:
    objective: int
    hard: list[str]  # every hard constraint broken, in words

    @property
    def feasible(self) -> bool:
        return not self.hard


def _runs(worked: list[bool], value: bool) -> list[tuple[int, int, bool]]:
    """Maximal runs of ``value``: (start, length, touches the edge of the horizon)."""
    out = []
    start = None
    for d, w in enumerate([*worked, not value]):
        if w == value and start is None:
            start = d
        elif w != value and start is not None:
            out.append((start, d - start, start == 0 or d == len(worked)))
            start = None
    return out


def evaluate(instance: Instance, roster: Roster) -> Evaluation:
    hard: list[str] = []
    days = instance.days
    for (person, day), shift in roster.items():
        if person not in instance.staff or shift not in instance.shifts or not 0 <= day < days:
            hard.append(f"{person} on day {day}: {shift} is not a shift of this instance")
    for s in instance.staff.values():
        row = [roster.get((s.id, d)) for d in range(days)]
        worked = [x is not None for x in row]
        for d in sorted(instance.days_off.get(s.id, set())):
            if worked[d]:
                hard.append(f"{s.id} works on day {d}, a day off")
        for d in range(days - 1):
            a, b = row[d], row[d + 1]
            if a is not None and b is not None and b in instance.shifts[a].cannot_follow:
                hard.append(f"{s.id}: {b} on day {d + 1} may not follow {a}")
        for shift in instance.shifts:
            n = row.count(shift)
            if n > s.max_shifts.get(shift, 0):
                hard.append(f"{s.id} works {n} {shift} shifts, more than {s.max_shifts.get(shift, 0)}")
        minutes = sum(instance.shifts[x].minutes for x in row if x is not None)
        if not s.min_minutes <= minutes <= s.max_minutes:
            hard.append(f"{s.id} works {minutes} minutes, outside {s.min_minutes} to {s.max_minutes}")
        for start, length, edge in _runs(worked, True):
            if length > s.max_consecutive:
                hard.append(f"{s.id} works {length} days in a row from day {start}, more than {s.max_consecutive}")
            if not edge and length < s.min_consecutive:  # a run at the edge may continue outside the horizon
                hard.append(f"{s.id} works {length} days in a row from day {start}, fewer than {s.min_consecutive}")
        for start, length, edge in _runs(worked, False):
            if not edge and length < s.min_days_off:
                hard.append(f"{s.id} has {length} days off from day {start}, fewer than {s.min_days_off}")
        weekends = sum(1 for w in range(days // 7) if worked[7 * w + 5] or worked[7 * w + 6])
        if weekends > s.max_weekends:
            hard.append(f"{s.id} works {weekends} weekends, more than {s.max_weekends}")

    objective = 0
    for r in instance.on_requests:
        if roster.get((r.staff, r.day)) != r.shift:
            objective += r.weight
    for r in instance.off_requests:
        if roster.get((r.staff, r.day)) == r.shift:
            objective += r.weight
    counts: dict[tuple[int, str], int] = {}
    for (_person, day), shift in roster.items():
        counts[day, shift] = counts.get((day, shift), 0) + 1
    for c in instance.cover:
        n = counts.get((c.day, c.shift), 0)
        objective += max(c.requirement - n, 0) * c.weight_under + max(n - c.requirement, 0) * c.weight_over
    return Evaluation(objective, hard)
