"""What a trust's IT team runs medlead by: the readiness check and the request id in every log line (issue 19)."""

from __future__ import annotations

import json
import logging
from typing import Any

import pytest
from django.test import Client

from medlead.core.logs import RequestIdFilter, request_id

pytestmark = pytest.mark.django_db


def test_readiness_answers_ready_with_each_check_named():
    response = Client().get("/readyz")

    assert response.status_code == 200
    assert response.json() == {
        "status": "ready",
        "checks": {"database": "ok", "migrations": "ok", "task queue": "ok", "static files": "ok"},
    }


def test_readiness_names_a_broker_that_does_not_answer(settings: Any):
    settings.CELERY_TASK_ALWAYS_EAGER = False
    from medlead.config.celery import app

    app.conf.broker_url = "redis://127.0.0.1:1/0"  # nothing listens on port 1
    try:
        response = Client().get("/readyz")
    finally:
        app.conf.broker_url = settings.CELERY_BROKER_URL

    assert response.status_code == 503
    assert response.json()["checks"]["task queue"].startswith("the task queue's broker does not answer")


def test_a_request_keeps_a_proxys_request_id_and_replaces_a_malformed_one():
    kept = Client().get("/healthz", HTTP_X_REQUEST_ID="lb-7f3a.1")
    replaced = Client().get("/healthz", HTTP_X_REQUEST_ID="<script>")

    assert kept["X-Request-ID"] == "lb-7f3a.1"
    assert replaced["X-Request-ID"] != "<script>"
    assert len(replaced["X-Request-ID"]) == 32


def test_a_log_line_in_production_format_is_one_json_object_with_the_request_id():
    from django.conf import settings
    from django.utils.module_loading import import_string

    config = dict(settings.LOGGING["formatters"]["json"])  # the production formatter, as settings configure it
    formatter = import_string(config.pop("()"))(**config)
    record = logging.LogRecord("medlead.request", logging.INFO, __file__, 1, "request", None, None)
    record.status = 200
    token = request_id.set("abc123")
    try:
        RequestIdFilter().filter(record)
    finally:
        request_id.reset(token)

    line = json.loads(formatter.format(record))

    assert line["request_id"] == "abc123"
    assert line["level"] == "INFO"
    assert line["message"] == "request"
    assert line["status"] == 200
