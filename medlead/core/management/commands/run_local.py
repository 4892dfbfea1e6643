"""``manage.py run_local [ADDRESS]``: the zero-setup default's two processes, as ``make run`` starts them: the web
server (``runserver``) and one Celery worker on the settings' task queue (Kombu's filesystem transport under
``var/queue`` unless ``CELERY_BROKER_URL`` names another), so a rota's generation or a large import runs on the
worker, never inside a request. Ctrl-C (or SIGTERM) stops both; a worker that dies is replaced, and if the web
server stops, so does the worker."""

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


class Command(BaseCommand):
    help = "Serve medlead and run its task queue's worker beside it, until Ctrl-C (the zero-setup default)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("address", nargs="?", default="127.0.0.1:8000", help="where to serve (runserver's)")

    def handle(self, *args: Any, **options: Any) -> None:
        if settings.CELERY_TASK_ALWAYS_EAGER:
            raise CommandError("CELERY_TASK_ALWAYS_EAGER is set: tasks would run inside requests. Unset it.")
        python = sys.executable
        worker = [
            *(python, "-m", "celery", "-A", "medlead.config.celery", "worker"),
            *("--pool", "solo", "--concurrency", "1", "--without-gossip", "--without-mingle"),
            *("--loglevel", "INFO"),
        ]
        web = [python, "manage.py", "runserver", options["address"]]
        self.stdout.write(f"Task queue: {settings.CELERY_BROKER_URL}; one worker beside the web server.")
        # each in a process group of its own, so that stopping it stops runserver's autoreloading child too
        worker_process = subprocess.Popen(worker, start_new_session=True)  # noqa: S603 (our own command line)
        web_process = subprocess.Popen(web, start_new_session=True)  # noqa: S603 (our own command line)

        def stop(signum: int, frame: Any) -> None:
            raise KeyboardInterrupt

        signal.signal(signal.SIGTERM, stop)
        try:
            while web_process.poll() is None:
                if worker_process.poll() is not None:
                    # a worker that died (killed, out of memory) is replaced; the work it held shows as stopped
                    # on its page within a minute and a half (core.heartbeat), with "Try again"
                    self.stderr.write(f"The worker stopped (exit code {worker_process.returncode}): starting another.")
                    time.sleep(2)
                    worker_process = subprocess.Popen(worker, start_new_session=True)  # noqa: S603 (our own command line)
                time.sleep(0.5)
            self.stderr.write("The web server stopped: stopping the worker.")
        except KeyboardInterrupt:
            self.stdout.write("Stopping the web server and the worker.")
        finally:
            processes = [worker_process, web_process]
            for process in processes:
                _signal_group(process, signal.SIGTERM)
            deadline = time.monotonic() + STOP_WAIT
            for process in processes:
                try:
                    process.wait(timeout=max(0.1, deadline - time.monotonic()))
                except subprocess.TimeoutExpired:
                    _signal_group(process, signal.SIGKILL)
                    process.wait()
