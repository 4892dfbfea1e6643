"""Rota generation on the task queue: slow work off the request, with a time limit, progress and a stop. Both tasks
run on the ``generation`` queue (``CELERY_TASK_ROUTES``), served by workers of their own, so that emails, imports
and the nightly work never wait behind a solver (ADR 0033)."""

from __future__ import annotations

from celery import shared_task


@shared_task(acks_late=True, reject_on_worker_lost=True)
def generate_next() -> int:
    """Generate queued plans in per-trust turn until none may start (``rota.generation.drain``)."""
    # inline: rota.generation queues this task, so it imports this module: the worker's side comes in here
    from medlead.rota.generation import drain

    return drain()


@shared_task(acks_late=True, reject_on_worker_lost=True)
def generate_rota(plan_id: int) -> None:
    """A message queued before per-trust turns (ADR 0033): that plan, then whatever else waits its turn."""
    from medlead.rota.generation import drain, run

    run(plan_id)
    drain()
