"""Rota generation on the task queue: slow work off the request, with a time limit, progress and a stop. Both tasks
run on the ``generation`` queue (``CELERY_TASK_ROUTES``), served by workers of their own, so that emails, imports
and the nightly work never wait behind a solver (ADR 0033)."""

from __future__ import annotations

from types import ModuleType

from celery import shared_task


def _generation() -> ModuleType:
    # inline: rota.generation queues generate_next, so it imports this module: the worker's side comes in here
    from medlead.rota import generation

    return generation


@shared_task(acks_late=True, reject_on_worker_lost=True)
def generate_next() -> int:
    """Generate queued plans in per-trust turn until none may start (``rota.generation.drain``)."""
    return int(_generation().drain())


@shared_task(acks_late=True, reject_on_worker_lost=True)
def generate_rota(plan_id: int) -> None:
    """A message queued before per-trust turns (ADR 0033): that plan, then whatever else waits its turn."""
    _generation().run(plan_id)
    _generation().drain()
