"""Structured logs with a request id.

Every request gets an id: the one a trusted proxy sent in ``X-Request-ID`` (letters, digits, dot, dash and
underscore, at most 64 characters), or a new one. It is returned in the response's ``X-Request-ID``, added to every
log line written while the request runs, carried to the Celery tasks the request queues and to their log lines, and
the request ends with one line saying what it was (method, path, status, duration, user id). In production
(``MEDLEAD_LOG_FORMAT=json``, the default there) each line is one JSON object. Log lines name records by id, never
by their content."""

from __future__ import annotations

import contextvars
import logging
import re
import time
import uuid
from collections.abc import Callable
from typing import Any

from django.http import HttpRequest, HttpResponse

request_id: contextvars.ContextVar[str] = contextvars.ContextVar("request_id", default="-")
_VALID = re.compile(r"^[A-Za-z0-9._-]{1,64}$")
log = logging.getLogger("medlead.request")


class RequestIdFilter(logging.Filter):
    """Adds ``request_id`` to every record (``-`` outside a request or task)."""

    def filter(self, record: logging.LogRecord) -> bool:
        record.request_id = request_id.get()
        return True


class RequestIdMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        offered = request.headers.get("X-Request-ID", "")
        rid = offered if _VALID.match(offered) else uuid.uuid4().hex
        token = request_id.set(rid)
        started = time.perf_counter()
        try:
            response = self.get_response(request)
            response["X-Request-ID"] = rid
            user = getattr(request, "user", None)
            log.info(
                "request",
                extra={
                    "method": request.method,
                    "path": request.path,
                    "status": response.status_code,
                    "duration_ms": round((time.perf_counter() - started) * 1000, 1),
                    "user_id": getattr(user, "pk", None),
                },
            )
            return response
        finally:
            request_id.reset(token)


def connect_celery() -> None:
    """Carry the request id from the request that queued a task to the worker that runs it."""
    from celery.signals import before_task_publish, task_postrun, task_prerun

    @before_task_publish.connect(weak=False)
    def _send(headers: dict[str, Any] | None = None, **_: Any) -> None:
        if headers is not None:
            headers["request_id"] = request_id.get()

    @task_prerun.connect(weak=False)
    def _start(task: Any = None, **_: Any) -> None:
        rid = getattr(getattr(task, "request", None), "request_id", None) or uuid.uuid4().hex
        request_id.set(str(rid))

    @task_postrun.connect(weak=False)
    def _end(**_: Any) -> None:
        request_id.set("-")
