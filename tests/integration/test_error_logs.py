"""Error logs and error reports carry no submitted value beyond a short, truncated repr (issue 29, item 2)."""

from __future__ import annotations

import json
import logging
import sys
from typing import Any

import pytest
from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.test import Client, RequestFactory, override_settings
from django.urls import path
from django.views.debug import get_exception_reporter_class
from pythonjsonlogger.json import JsonFormatter

# A submitted value of 100,000 characters; a run of more than ~200 of them in a log line would be a copy of it.
VALUE = "SUBMITTED" + "z" * 100_000
TOO_MUCH = "z" * 250

KINDS = {"conduct": 1, "capability": 2}


def careless_view(request: HttpRequest) -> HttpResponse:
    """A view with a bug: it looks a posted value up without a form, so a strange value raises a KeyError whose
    message is the whole value."""
    return HttpResponse(str(KINDS[request.POST["kind"]]))


urlpatterns = [path("careless/", careless_view)]


def _formatted(records: list[logging.LogRecord]) -> list[str]:
    """Each record as production (JSON) and development (text) log lines write it."""
    configured: Any = settings.LOGGING
    text = logging.Formatter(configured["formatters"]["text"]["format"])
    as_json = JsonFormatter("%(asctime)s %(levelname)s %(name)s %(message)s")
    out = []
    for record in records:
        record.request_id = getattr(record, "request_id", "-")
        out += [text.format(record), as_json.format(record)]
    return out


@override_settings(ROOT_URLCONF=__name__, DEBUG=False)
def test_a_huge_value_that_causes_an_error_is_not_copied_into_the_log(db: None, caplog: Any) -> None:
    client = Client(raise_request_exception=False)
    with caplog.at_level(logging.INFO):
        response = client.post("/careless/", {"kind": VALUE})
        client.get("/careless/", {"kind": VALUE})  # a refused GET is logged with the request (and its query)

    assert response.status_code == 500
    errors = [r for r in caplog.records if r.levelno >= logging.ERROR]
    assert errors, "the error itself is still logged"
    lines = _formatted(caplog.records)
    assert any("KeyError" in line and "SUBMITTED" in line for line in lines)  # still says what went wrong
    assert not [line for line in lines if TOO_MUCH in line]
    assert all(len(json.loads(line)["message"]) < 300 for line in lines if line.startswith("{"))


def test_a_log_record_made_anywhere_is_capped(caplog: Any) -> None:
    """Any logger, any extra value, any traceback: the cap is applied as the record is made."""
    log = logging.getLogger("some.library")
    with caplog.at_level(logging.INFO):
        try:
            raise ValueError(VALUE)
        except ValueError:
            log.exception("could not use %s", VALUE, extra={"value": VALUE, "count": 3})
    (record,) = caplog.records
    assert TOO_MUCH not in "".join(_formatted([record]))
    assert record.count == 3  # numbers are kept as they are


def test_error_reports_show_no_posted_value() -> None:
    """The development error page and any error email name the posted fields, never their values."""
    request = RequestFactory().post(f"/careless/?again={VALUE}", {"kind": VALUE, "note": "a short one"})
    try:
        careless_view(request)
    except KeyError:
        reporter: Any = get_exception_reporter_class(request)  # the one settings name
        report = reporter(request, *sys.exc_info()).get_traceback_text()
    else:
        pytest.fail("the view should have failed")
    assert "kind" in report and "note" in report
    assert "a short one" not in report
    assert TOO_MUCH not in report
