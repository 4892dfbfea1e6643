"""Rota generation drains in per-trust turn (issue 35, item 4): the worker's loop (``rota.generation.drain``) reads
the waiting plans from the database, skips a trust at its limit and a plan another worker took, and the tasks run
on the generation queue, apart from emails and imports."""

from __future__ import annotations

import datetime as dt

import pytest

from medlead.config.celery import app
from medlead.core import dates, heartbeat
from medlead.core.management.commands.run_local import worker_commands
from medlead.organisation.models import Trust
from medlead.rota import generation
from medlead.rota.models import PlanStatus, RosterPlan, Rota
from tests.factories import TrustFactory

pytestmark = pytest.mark.django_db
T0 = dt.datetime(2027, 7, 26, 9, 0, tzinfo=dt.UTC)


def queued(trust: Trust, name: str, minutes: int, status: str = PlanStatus.QUEUED) -> RosterPlan:
    rota = Rota.objects.create(trust=trust, name=name)
    plan = RosterPlan.objects.create(trust=trust, rota=rota, starts_on=dt.date(2027, 8, 2), template="t")
    RosterPlan.objects.filter(pk=plan.pk).update(status=status, updated_at=T0 + dt.timedelta(minutes=minutes))
    return plan


@pytest.fixture
def solved(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """The worker's solve replaced by a record of what it took, in order, each marked done; the clock, from an hour
    after T0, moves on a second each time it is read."""
    taken: list[str] = []
    ticks = iter(range(3600, 10**6))
    monkeypatch.setattr(dates, "now", lambda: T0 + dt.timedelta(seconds=next(ticks)))

    def solve(plan_id: int) -> None:
        plan = RosterPlan.objects.select_related("rota").get(pk=plan_id)
        assert plan.status == PlanStatus.SOLVING and plan.started_at is not None
        taken.append(plan.rota.name)
        RosterPlan.objects.filter(pk=plan_id).update(status=PlanStatus.DONE)

    monkeypatch.setattr(generation, "_solve", solve)
    return taken


def test_one_worker_serves_each_trust_in_turn(solved: list[str], settings) -> None:
    settings.MEDLEAD_GENERATION_PER_TRUST = 1
    a, b, c = TrustFactory(), TrustFactory(), TrustFactory()
    for i in range(1, 5):
        queued(a, f"A{i}", i)  # the big trust asks first, four times
    queued(b, "B1", 10)
    queued(c, "C1", 11)
    queued(c, "C2", 12)

    assert generation.drain() == 7
    assert solved == ["A1", "B1", "C1", "A2", "C2", "A3", "A4"]


def test_a_trust_at_its_limit_waits_for_its_running_generation(solved: list[str], settings) -> None:
    settings.MEDLEAD_GENERATION_PER_TRUST = 1
    a, b = TrustFactory(), TrustFactory()
    running = queued(a, "A running", 0, status=PlanStatus.SOLVING)
    heartbeat.beat(running)  # its worker is alive
    waiting = queued(a, "A2", 1)
    queued(b, "B1", 2)

    assert generation.drain() == 1
    assert solved == ["B1"]
    waiting.refresh_from_db()
    assert waiting.status == PlanStatus.QUEUED  # taken by whichever worker is free once A's running one ends


def test_a_dead_workers_plan_holds_no_place(solved: list[str], settings) -> None:
    settings.MEDLEAD_GENERATION_PER_TRUST = 1
    a = TrustFactory()
    queued(a, "A dead", 0, status=PlanStatus.SOLVING)  # never beat, and queued long ago (T0): stopped
    queued(a, "A2", 1)

    assert generation.drain() == 1
    assert solved == ["A2"]


def test_a_plan_no_longer_queued_is_not_generated_twice(solved: list[str]) -> None:
    plan = queued(TrustFactory(), "A1", 0)
    generation.run(plan.pk)
    generation.run(plan.pk)  # a second message for the same plan (a double confirm, a redelivery)
    assert generation.drain() == 0
    assert solved == ["A1"]


def test_generation_runs_on_its_own_queue_and_emails_and_imports_on_the_default_one() -> None:
    def queue_of(task: str) -> str:
        route = app.amqp.router.route({}, task)
        return route["queue"].name

    assert queue_of("medlead.rota.tasks.generate_next") == "generation"
    assert queue_of("medlead.rota.tasks.generate_rota") == "generation"
    assert queue_of("medlead.core.tasks.send_email") == "celery"
    assert queue_of("medlead.imports.tasks.apply_import_batch") == "celery"


def test_make_run_starts_a_worker_for_each_queue() -> None:
    queues = set()
    for command in worker_commands("python").values():
        queues.add(command[command.index("-Q") + 1])
    assert queues == {"celery", "generation"}
