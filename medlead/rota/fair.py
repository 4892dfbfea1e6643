"""Which waiting rota generation a free worker takes next (issue 35, item 4): per-trust round robin. Pure: no
Django import, so the order can be tested against a hand-written table.

The rule, in order:

1. a trust already running ``per_trust`` generations waits for one of them to finish (no trust fills every worker);
2. of the other trusts with work waiting, the one served least recently goes first: a trust never served (or not
   since its last changeover) before any trust that was, then the trust whose last generation started longest ago;
3. a tie between trusts goes to the one whose oldest waiting generation was asked for first;
4. within the chosen trust, its oldest waiting generation (then the lowest id).

So a trust that queues fifty generations gets one turn in each round, and another trust's single generation waits
for at most one generation of each trust ahead of it, never for the fifty."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from dataclasses import dataclass


@dataclass(frozen=True)
class Waiting:
    """A generation asked for and not yet taken by a worker."""

    id: int
    trust: int
    queued_at: dt.datetime


def next_job(
    waiting: Iterable[Waiting],
    *,
    running: Mapping[int, int],
    last_served: Mapping[int, dt.datetime | None],
    per_trust: int,
) -> Waiting | None:
    """The generation to start now, or None when nothing may start (nothing waits, or every trust with work waiting
    is at its limit). ``running`` counts each trust's generations on a live worker; ``last_served`` is when each
    trust's most recent generation started (missing or None: never)."""
    oldest: dict[int, Waiting] = {}
    for job in waiting:
        if per_trust > 0 and running.get(job.trust, 0) >= per_trust:
            continue
        first = oldest.get(job.trust)
        if first is None or (job.queued_at, job.id) < (first.queued_at, first.id):
            oldest[job.trust] = job
    if not oldest:
        return None

    def turn(job: Waiting) -> tuple[bool, dt.datetime, dt.datetime, int]:
        served = last_served.get(job.trust)
        # never served sorts first; the placeholder date only breaks ties among the never-served
        return (served is not None, served or job.queued_at, job.queued_at, job.id)

    return min(oldest.values(), key=turn)


def order(
    waiting: Iterable[Waiting],
    *,
    last_served: Mapping[int, dt.datetime | None],
    start: dt.datetime,
    step: dt.timedelta = dt.timedelta(seconds=1),
) -> list[int]:
    """The order one worker would take ``waiting`` in, each generation starting ``step`` after the one before, from
    ``start``: what the rule above means for a queue, for tests and the benchmark's report."""
    left = list(waiting)
    served = dict(last_served)
    taken: list[int] = []
    now = start
    while left:
        job = next_job(left, running={}, last_served=served, per_trust=0)
        if job is None:  # pragma: no cover (with no limit, something always may start)
            break
        taken.append(job.id)
        left.remove(job)
        served[job.trust] = now
        now += step
    return taken
