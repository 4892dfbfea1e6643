"""Rota generation on the task queue: slow work off the request, with a time limit, progress and a stop."""

from __future__ import annotations

from celery import shared_task


@shared_task(acks_late=True, reject_on_worker_lost=True)
def generate_rota(plan_id: int) -> None:
    # inline: rota.generation queues this task, so it imports this module: the worker's side comes in here
    from medlead.rota.generation import run

    run(plan_id)
