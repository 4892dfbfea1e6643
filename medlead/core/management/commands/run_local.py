"""``manage.py run_local [ADDRESS]``: the zero-setup default's processes, as ``make run`` starts them: the web
server (``runserver``) and two Celery workers on the settings' task queue (Kombu's filesystem transport under
``var/queue`` unless ``CELERY_BROKER_URL`` names another): one for the default queue (imports, emails, the daily
work) and one for the ``generation`` queue (rota generation, ADR 0033), so long work never runs inside a request and
an email never waits behind a solver. Ctrl-C (or SIGTERM) stops them all; a worker that dies is replaced, and if
the web server stops, so do the workers."""

from __future__ import annotations

import contextlib
import os
import signal
import subprocess
import sys
import time
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser

STOP_WAIT = 15  # seconds each process has to finish its work before it is killed


def _signal_group(process: subprocess.Popen[bytes], signum: int) -> None:
    with contextlib.suppress(ProcessLookupError):  # already gone, with everything it started
        os.killpg(process.pid, signum)


def worker_commands(python: str) -> dict[str, list[str]]:
    """One single-process worker for each queue: what each serves, and its command line."""
    base = [
        *(python, "-m", "celery", "-A", "medlead.config.celery", "worker"),
        *("--pool", "solo", "--concurrency", "1", "--without-gossip", "--without-mingle", "--loglevel", "INFO"),
    ]
    return {
        "imports, emails and the daily work": [*base, "-Q", "celery", "-n", "default@%h"],
        # one message at a time: a wake-up it has not started stays in the queue for another worker
        "rota generation": [*base, "-Q", "generation", "-n", "generation@%h", "--prefetch-multiplier", "1"],
    }


class Command(BaseCommand):
    help = "Serve medlead and run its task queue's worker beside it, until Ctrl-C (the zero-setup default)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("address", nargs="?", default="127.0.0.1:8000", help="where to serve (runserver's)")

    def handle(self, *args: Any, **options: Any) -> None:
        if settings.CELERY_TASK_ALWAYS_EAGER:
            raise CommandError("CELERY_TASK_ALWAYS_EAGER is set: tasks would run inside requests. Unset it.")
        workers = worker_commands(sys.executable)
        web = [sys.executable, "manage.py", "runserver", options["address"]]
        serves = " and one for ".join(workers)
        self.stdout.write(f"Task queue: {settings.CELERY_BROKER_URL}; beside the web server, a worker for {serves}.")
        # each in a process group of its own, so that stopping it stops runserver's autoreloading child too
        running = {queue: subprocess.Popen(command, start_new_session=True) for queue, command in workers.items()}  # noqa: S603 (our own command lines)
        web_process = subprocess.Popen(web, start_new_session=True)  # noqa: S603 (our own command line)

        def stop(signum: int, frame: Any) -> None:
            raise KeyboardInterrupt

        signal.signal(signal.SIGTERM, stop)
        try:
            while web_process.poll() is None:
                for queue, process in running.items():
                    if process.poll() is not None:
                        # a worker that died (killed, out of memory) is replaced; the work it held shows as stopped
                        # on its page within a minute and a half (core.heartbeat), with "Try again"
                        self.stderr.write(
                            f"The worker for {queue} stopped (exit code {process.returncode}): starting another."
                        )
                        time.sleep(2)
                        running[queue] = subprocess.Popen(workers[queue], start_new_session=True)  # noqa: S603 (our own command line)
                time.sleep(0.5)
            self.stderr.write("The web server stopped: stopping the workers.")
        except KeyboardInterrupt:
            self.stdout.write("Stopping the web server and the workers.")
        finally:
            processes = [*running.values(), web_process]
            for process in processes:
                _signal_group(process, signal.SIGTERM)
            deadline = time.monotonic() + STOP_WAIT
            for process in processes:
                try:
                    process.wait(timeout=max(0.1, deadline - time.monotonic()))
                except subprocess.TimeoutExpired:
                    _signal_group(process, signal.SIGKILL)
                    process.wait()
