"""Signs of life from long work on a worker (an import, a rota generation), so that work whose worker died shows
as stopped within a minute or two, not after a long timer.

While the work runs, ``beating(obj)`` writes the time to a row of its own every ``MEDLEAD_HEARTBEAT_SECONDS``,
from a background thread on a database connection of its own, outside the work's transaction: an import holds its
batch's row lock and one transaction for its whole run, and the rota solver computes for minutes without touching
the database, so neither the record nor the work's own connection could carry the beat. ``stopped(obj, ...)`` is
what pages and "Try again" ask: work that beat once and has been silent longer than
``MEDLEAD_WORKER_SILENT_SECONDS`` has stopped; work that never beat (queued, no worker has taken it) is stopped
only once it has waited ``MEDLEAD_QUEUED_STUCK_MINUTES``, since a busy queue is slow, not dead.

A queue that loses its messages (a worker killed on the filesystem broker of ``make run``, Redis's unacknowledged
message waiting an hour for redelivery) is covered the same way: the beat stops and the owner may try again.
"""

from __future__ import annotations

import datetime as dt
import logging
import threading
from collections.abc import Iterator
from contextlib import contextmanager

from django.conf import settings
from django.db import DatabaseError, connection, models

from medlead.core import dates

log = logging.getLogger(__name__)


class Heartbeat(models.Model):
    """The last time a worker said that a piece of work was still running."""

    key = models.CharField(max_length=100, unique=True, help_text="app_label.model_name:pk of the work's record")
    beat_at = models.DateTimeField()

    class Meta:
        app_label = "core"

    def __str__(self) -> str:
        return self.key


def key_of(obj: models.Model) -> str:
    return f"{obj._meta.label_lower}:{obj.pk}"


def beat(obj: models.Model) -> None:
    """Say, now, that the work on ``obj`` is running."""
    Heartbeat.objects.update_or_create(key=key_of(obj), defaults={"beat_at": dates.now()})


def clear(obj: models.Model) -> None:
    """Forget the beats of an earlier run (the work is queued again): a new run starts from no beat."""
    Heartbeat.objects.filter(key=key_of(obj)).delete()


def last_beat(obj: models.Model) -> dt.datetime | None:
    return Heartbeat.objects.filter(key=key_of(obj)).values_list("beat_at", flat=True).first()


def stopped(obj: models.Model, *, queued_at: dt.datetime) -> bool:
    """Whether the work on ``obj``, queued at ``queued_at`` and not finished, has stopped: its worker has been silent
    too long, or no worker took it in a long time."""
    at = last_beat(obj)
    now = dates.now()
    if at is None:
        return now - queued_at > dt.timedelta(minutes=settings.MEDLEAD_QUEUED_STUCK_MINUTES)
    return now - at > dt.timedelta(seconds=settings.MEDLEAD_WORKER_SILENT_SECONDS)


@contextmanager
def beating(obj: models.Model) -> Iterator[None]:
    """Beat for ``obj`` now, on the caller's connection, and then every ``MEDLEAD_HEARTBEAT_SECONDS`` until the block
    ends, from a thread with a database connection of its own. Call it outside the work's transaction, so that the
    first beat is committed and seen by every page at once. A later beat the database refuses (SQLite busy with the
    work's own transaction) is skipped, and the next one tried."""
    beat(obj)
    key = key_of(obj)
    done = threading.Event()
    every = float(settings.MEDLEAD_HEARTBEAT_SECONDS)

    def run() -> None:
        try:
            while not done.wait(every):
                try:
                    # an update, never an insert: the row is the first beat's, so a beat never waits on a row
                    # another transaction has yet to commit
                    Heartbeat.objects.filter(key=key).update(beat_at=dates.now())
                except DatabaseError as exc:
                    log.warning("heartbeat for %s not written (%s); trying again", key, type(exc).__name__)
        finally:
            connection.close()  # this thread's own connection

    thread = threading.Thread(target=run, name=f"heartbeat {key}", daemon=True)
    thread.start()
    try:
        yield
    finally:
        done.set()
        thread.join(timeout=every + 5)
