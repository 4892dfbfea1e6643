"""Issue 34's placement pages and a placed doctor's reports under the form sweep's hostile values (as
tests/integration/test_form_fuzz.py does for the demo trust's accounts): the lead employer's `hr3` and `guardian3`,
whose pages start at Riverside (DEM003), and `placed`, at the host. Every form their pages show, and the confirm
forms of the check-your-answers pages a valid post shows, posted back with tampered values: never a server error."""

from __future__ import annotations

import datetime as dt
from urllib.parse import urlsplit

import pytest
from django.test import Client
from django.urls import resolve

from medlead.accounts.models import User
from medlead.core.dates import today
from medlead.organisation.models import TRAINEE_GRADES, Person, Placement, Trust
from tests.conftest import client_for
from tests.crawl import Form, FormParser, crawl
from tests.integration.test_form_fuzz import _mutations, _post

pytestmark = pytest.mark.django_db

STARTS = {
    "hr3": "/t/DEM003/placements/",
    "guardian3": "/t/DEM003/exception-reports/",
    "placed": "/t/DEM001/exception-reports/",
}


def _forms(client: Client, html: str, path: str) -> list[Form]:
    parser = FormParser(path)
    parser.feed(html)
    return parser.forms


def _check_pages(client: Client) -> list[Form]:
    """The confirm forms of the two check-your-answers pages (recording a placement, ending one early)."""
    resident = (
        Person.objects.filter(trust__code="DEM003", grade__in=TRAINEE_GRADES, active=True)
        .exclude(pk__in=Placement.objects.values("employee_id"))
        .order_by("pk")
        .first()
    )
    assert resident is not None
    host = Trust.objects.get(code="DEM002")
    starts = today() + dt.timedelta(days=30)
    record = client.post(
        "/t/DEM003/placements/new/",
        {
            "employee": resident.gmc_number,
            "host": host.pk,
            "starts_on": starts.isoformat(),
            "ends_on": (starts + dt.timedelta(weeks=20)).isoformat(),
            "exception_reporting": "both",
        },
    )
    running = Placement.objects.filter(lead_employer__code="DEM003", ends_on__gt=today()).order_by("pk").first()
    assert running is not None
    end = client.post(f"/t/DEM003/placements/{running.pk}/end/", {"ends_on": today().isoformat()})
    found = []
    for response, path in ((record, "/t/DEM003/placements/new/"), (end, f"/t/DEM003/placements/{running.pk}/end/")):
        html = response.content.decode()
        assert "Check your answers" in html, path
        found += _forms(client, html, path)
    return found


def test_no_tampered_post_to_the_placement_pages_is_a_server_error(demo_trust: None) -> None:
    errors: list[str] = []
    reached: set[str] = set()
    posts = 0
    for username, start in STARTS.items():
        client = client_for(User.objects.get(username=username))
        forms = [form for page in crawl(client, start, pages=60) for form in page.parser.forms]
        if username == "hr3":
            forms += _check_pages(client)
        done: set[tuple[str, str, str]] = set()
        for form in forms:
            path = urlsplit(form.action).path
            reached.add(resolve(path).view_name)
            for name, value in _mutations(form):
                if (path, name, value) in done:
                    continue
                done.add((path, name, value))
                posts += 1
                status, error = _post(client, form, name, value)
                if status >= 500:
                    errors.append(f"{username}: POST {form.action} {name}={value[:40]!r} answers {status} {error}")
    assert posts > 100
    assert not errors, "\n".join(errors)
    assert {
        "organisation:placement_record",
        "organisation:placement_record_confirm",
        "organisation:placement_end",
        "organisation:placement_end_confirm",
        "rota:report_fine_check",
        "rota:report_new",
    } <= reached, sorted(reached)


@pytest.mark.parametrize("who", sorted(STARTS))
def test_bad_query_values_on_the_lists_are_a_400_not_a_500(demo_trust: None, who: str) -> None:
    client = client_for(User.objects.get(username=who))
    base = STARTS[who]
    for query in ("?side=sideways", "?page=abc", "?page=99999999999999999999", "?side=%00"):
        status = client.get(base + query).status_code
        assert status in (200, 400), (base + query, status)
    assert client.get("/t/DEM003/placements/?side=nowhere").status_code in (400, 403, 404)
