"""Structured logs with a request id.

Every request gets an id: the one a trusted proxy sent in ``X-Request-ID`` (letters, digits, dot, dash and
underscore, at most 64 characters), or a new one. It is returned in the response's ``X-Request-ID``, added to every
log line written while the request runs, carried to the Celery tasks the request queues and to their log lines, and
the request ends with one line saying what it was (method, path, status, duration, user id). In production
(``MEDLEAD_LOG_FORMAT=json``, the default there) each line is one JSON object. Log lines name records by id, never
by their content.

Nothing a person submitted reaches a log beyond a short, truncated repr: every log record, from medlead, Django or
any library, is capped as it is made (``install_record_cap``): its message, each line of its traceback and each
extra value at ``MAX_LOGGED`` characters. Django's error reports (the development error page, emails to ADMINS)
show no submitted form value at all (``NoSubmittedValues``)."""

from __future__ import annotations

import contextvars
import logging
import re
import time
import uuid
from collections.abc import Callable
from typing import Any

from django.http import HttpRequest, HttpResponse
from django.views.debug import ExceptionReporter

from medlead.core.error_reports import AlwaysSafeExceptionReporterFilter

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


MAX_LOGGED = 200
# The attributes every LogRecord has; anything else on a record is an ``extra`` value (Django's request, a status).
_STANDARD = frozenset(vars(logging.LogRecord("", 0, "", 0, "", None, None))) | {"message", "asctime", "request_id"}


def cap(text: str) -> str:
    """``text`` cut to ``MAX_LOGGED`` characters, saying how long it was."""
    return text if len(text) <= MAX_LOGGED else f"{text[:MAX_LOGGED]}… ({len(text)} characters)"


def _cap_lines(text: str) -> str:
    return "\n".join(cap(line) for line in text.splitlines())


def cap_record(record: logging.LogRecord) -> logging.LogRecord:
    """A log record that carries no long value: its message capped (formatted now, so no argument is kept), its
    traceback formatted now with each line capped (an exception's message often quotes the value that caused it),
    and each extra value capped (a request's repr shows its query string)."""
    try:
        message = record.getMessage()
    except Exception:  # a malformed call: keep what was given, as text
        message = f"{record.msg!s} {record.args!r}"
    if len(message) > MAX_LOGGED or record.args:
        record.msg, record.args = cap(message), ()
    if record.exc_info and isinstance(record.exc_info, tuple):
        record.exc_text = _cap_lines(logging.Formatter().formatException(record.exc_info))
        record.exc_info = None  # formatters print exc_text; none can format the exception again
    elif record.exc_text:
        record.exc_text = _cap_lines(record.exc_text)
    if record.stack_info:
        record.stack_info = _cap_lines(record.stack_info)
    for key, value in list(vars(record).items()):
        if key in _STANDARD or value is None or isinstance(value, bool | int | float):
            continue
        text = value if isinstance(value, str) else str(value)
        if len(text) > MAX_LOGGED or not isinstance(value, str):
            setattr(record, key, cap(text))
    return record


def install_record_cap() -> None:
    """Every log record made from now on, by any logger, is capped (``cap_record``). In ``Logger.makeRecord``, the
    one place every logger makes its records and the only one that sees their ``extra`` values (a record factory
    runs before they are added); rather than in a handler's filter, so that handlers added later (a test's capture,
    a library's own) see only capped records too."""
    make = logging.Logger.makeRecord
    if getattr(make, "medlead_capped", False):
        return

    def make_record(self: logging.Logger, *args: Any, **kwargs: Any) -> logging.LogRecord:
        return cap_record(make(self, *args, **kwargs))

    make_record.medlead_capped = True  # type: ignore[attr-defined]
    logging.Logger.makeRecord = make_record  # type: ignore[method-assign]


class _Capped:
    """A frame variable whose repr is long, shown capped on an error report."""

    def __init__(self, value: Any) -> None:
        self.text = cap(repr(value))

    def __repr__(self) -> str:
        return self.text


class NoSubmittedValues(AlwaysSafeExceptionReporterFilter):
    """Django's error reports (the development error page; emails to ADMINS, if a deployment sets them) name the
    fields a form posted but show none of their values, and cap every long variable and request header; sensitive
    variables are hidden whatever DEBUG says (``core.error_reports``)."""

    def get_post_parameters(self, request: HttpRequest | None) -> dict[str, Any]:
        if request is None:
            return {}
        return {name: self.cleansed_substitute for name in request.POST}

    def get_safe_request_meta(self, request: HttpRequest) -> dict[str, Any]:
        return {k: cap(v) if isinstance(v, str) else v for k, v in super().get_safe_request_meta(request).items()}

    def get_traceback_frame_variables(self, request: Any, tb_frame: Any) -> Any:
        return [
            (name, _Capped(value) if len(repr(value)) > MAX_LOGGED else value)
            for name, value in super().get_traceback_frame_variables(request, tb_frame)
        ]


class CappedReporter(ExceptionReporter):
    """Django's error report (the development error page, emails to ADMINS) with the exception's message and the
    query string's values capped: an exception's message often quotes the value that caused it."""

    def get_traceback_data(self) -> dict[str, Any]:
        data = super().get_traceback_data()
        for key in ("exception_value", "request_insecure_uri"):
            if data.get(key) is not None:
                data[key] = cap(str(data[key]))
        if data.get("request_GET_items") is not None:
            data["request_GET_items"] = [(k, cap(str(v))) for k, v in data["request_GET_items"]]
        return data


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
