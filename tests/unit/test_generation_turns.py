"""Which waiting rota generation a free worker takes next (issue 35, item 4; ``medlead.rota.fair``): one trust's
fifty generations do not starve another trust's one. Expected orders are written out by hand from the rule."""

from __future__ import annotations

import datetime as dt

from medlead.rota.fair import Waiting, next_job, order

T0 = dt.datetime(2027, 7, 26, 9, 0, tzinfo=dt.UTC)
A, B, C = 1, 2, 3


def at(minutes: int) -> dt.datetime:
    return T0 + dt.timedelta(minutes=minutes)


def test_a_trust_that_queues_many_takes_one_turn_in_each_round() -> None:
    # A asks for five first, then B for one, then C for two; no trust has been served before
    waiting = [Waiting(i, A, at(i - 1)) for i in range(1, 6)]
    waiting += [Waiting(6, B, at(5)), Waiting(7, C, at(6)), Waiting(8, C, at(7))]
    # A's first (asked for first), then B's and C's before A's second: each round serves each trust once
    assert order(waiting, last_served={}, start=at(10)) == [1, 6, 7, 2, 8, 3, 4, 5]


def test_the_trust_served_least_recently_goes_first_whoever_asked_first() -> None:
    waiting = [Waiting(1, A, at(0)), Waiting(2, B, at(30)), Waiting(3, C, at(20))]
    served = {A: at(-60), B: at(-120), C: None}  # C never served, then B longest ago, then A
    assert order(waiting, last_served=served, start=at(40)) == [3, 2, 1]


def test_within_a_trust_the_oldest_request_goes_first() -> None:
    waiting = [Waiting(9, A, at(5)), Waiting(4, A, at(1)), Waiting(7, A, at(1))]
    assert order(waiting, last_served={}, start=at(10)) == [4, 7, 9]


def test_a_trust_at_its_limit_waits_and_another_trust_is_served() -> None:
    waiting = [Waiting(1, A, at(0)), Waiting(2, B, at(5))]
    # A was served longer ago, but it is already running two: B's goes
    job = next_job(waiting, running={A: 2}, last_served={A: at(-60), B: at(-1)}, per_trust=2)
    assert job is not None and job.id == 2
    # with one running, A is under its limit and its turn comes first
    job = next_job(waiting, running={A: 1}, last_served={A: at(-60), B: at(-1)}, per_trust=2)
    assert job is not None and job.id == 1


def test_nothing_starts_when_every_waiting_trust_is_at_its_limit_or_nothing_waits() -> None:
    waiting = [Waiting(1, A, at(0)), Waiting(2, B, at(5))]
    assert next_job(waiting, running={A: 1, B: 1}, last_served={}, per_trust=1) is None
    assert next_job([], running={}, last_served={}, per_trust=1) is None
    # no limit (0): a trust's running generations hold nothing back
    job = next_job(waiting, running={A: 5, B: 5}, last_served={}, per_trust=0)
    assert job is not None and job.id == 1
