"""Every "What needs you" link lands on its task (issue 31, item 2): for each demo account, each link on the home
page opens a list of exactly the task's records, near the top of the page, oldest first with each one's age, or the
record itself when there is one; the lists cost a fixed number of queries whatever their length."""

from __future__ import annotations

import datetime as dt
import re
from html import unescape

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from medlead.accounts.models import Role, User
from medlead.core.dates import today
from medlead.jobplans.models import JobPlan, State
from medlead.organisation.models import Grade, Trust
from medlead.revalidation.models import Connection
from medlead.rulebook import services as rulebook
from medlead.rulebook.selectors import values_in_force
from tests.conftest import client_for
from tests.factories import PersonFactory, SpecialtyFactory, make_clinical_director, make_user

pytestmark = pytest.mark.django_db
ACCOUNTS = ["md", "ro", "cd", "doctor", "guardian", "hr", "ned", "chair", "cosec", "caldicott", "admin", "resident"]
# The region's accounts (issue 34), each on its own trust's page: DEM001 the demo trust, DEM002 Eastmoor, DEM003
# Riverside (the lead employer).
HOMES = {"moved": "DEM001", "placed": "DEM001", "md2": "DEM002", "ro2": "DEM002", "mentor2": "DEM002"}
# (not hr3: its one task, a doctor whose colleague and patient feedback is due, opens a list of one, as the list has
# no page per doctor)
HOMES |= {"guardian3": "DEM003"}
TASK = re.compile(r'<li><a href="([^"]+)">(\d+ )?([^<]+)</a>')
MAIN = re.compile(r"<main[^>]*>(.*)</main>", re.DOTALL)
# The first list of records on a page: a table's body rows, or the items of a list of cards.
FIRST_LIST = re.compile(r'<table\b.*?</table>|<ul class="nhsuk-list">.*?</ul>', re.DOTALL)
RECORD = re.compile(r"/\d+/([a-z-]+/)?$")  # one record, or its one task: /job-plans/113/, /360/26/approve/
WAITED = re.compile(r"\b(\d+ days?|today)\b")
FIRST_SCREEN = 700  # the characters of visible text allowed above the list: a title, a sentence or two, a filter
MOST_QUERIES = 30  # a landing page's queries, whatever the number of records on it


def text(html: str) -> str:
    return " ".join(unescape(re.sub(r"<[^>]+>", " ", html)).split())


def home_tasks(client: Client, trust: str = "DEM001") -> list[tuple[str, int | None, str]]:
    page = client.get(f"/t/{trust}/").content.decode()
    work = page.split("What needs you", 1)[1].split("</ul>", 1)[0] if "What needs you" in page else ""
    return [(unescape(url), int(n) if n else None, unescape(words)) for url, n, words in TASK.findall(work)]


def test_every_task_link_of_every_demo_account_lands_on_its_records(demo_trust: None) -> None:
    followed = 0
    for name in [*ACCOUNTS, *HOMES]:
        client = client_for(User.objects.get(username=name))
        for url, count, words in home_tasks(client, HOMES.get(name, "DEM001")):
            with CaptureQueriesContext(connection) as queries:
                response = client.get(url, follow=True)
            where = f"{name}: '{count or ''} {words}' ({url})"
            assert response.status_code == 200, where
            assert len(queries) <= MOST_QUERIES, f"{where}: {len(queries)} queries"
            landed = response.request["PATH_INFO"]
            body = MAIN.search(response.content.decode())
            assert body is not None, where
            main = body.group(1)
            assert "None recorded" not in main, where
            followed += 1
            if count is None or count == 1:  # one's own thing, or one record: the record itself
                if count == 1:
                    assert RECORD.search(landed), f"{where} landed on {landed}, not the record"
                continue
            first = FIRST_LIST.search(main)
            assert first is not None, f"{where}: no list of records"
            above = text(main[: first.start()])
            assert len(above) <= FIRST_SCREEN, f"{where}: {len(above)} characters above the list: {above[:200]}"
            listed = first.group(0)
            body_rows = listed.split("<tbody", 1)[-1]
            rows = body_rows.count("<tr") if listed.startswith("<table") else listed.count("<li")
            assert rows == count, f"{where}: {rows} records listed, the home page said {count}"
            if "Waiting since" in listed or "In force since" in listed or "data-task-list" in listed:
                ages = WAITED.findall(text(body_rows))
                assert len(ages) >= count, f"{where}: not every record shows its age"
    assert followed >= 20, followed  # the demo gives every role something to do


def test_a_list_of_waiting_job_plans_is_oldest_first_with_ages_in_fixed_queries(trust: Trust) -> None:
    cardiology = SpecialtyFactory(trust=trust)
    cd = make_clinical_director(trust, cardiology)
    client = client_for(cd)

    def agreed(n: int, on: dt.datetime) -> None:
        for _ in range(n):
            person = PersonFactory(trust=trust, grade=Grade.CONSULTANT, specialty=cardiology)
            plan = JobPlan.objects.create(trust=trust, person=person, year=2026, state=State.AGREED)
            JobPlan.objects.filter(pk=plan.pk).update(updated_at=on)

    agreed(1, dt.datetime(2026, 5, 1, 9, tzinfo=dt.UTC))
    agreed(1, dt.datetime(2026, 9, 1, 9, tzinfo=dt.UTC))
    url = f"/t/{trust.code}/job-plans/waiting/?state=agreed&year=2026"
    client.get(url)
    counts = []
    for extra in (0, 6):
        agreed(extra, dt.datetime(2026, 10, 1, 9, tzinfo=dt.UTC))
        with CaptureQueriesContext(connection) as q:
            page = client.get(url).content.decode()
        counts.append(len(q))
    assert counts[0] == counts[1], counts
    shown = text(page)
    assert "Job plans agreed by the doctor, waiting for your signature" in shown
    # oldest first: 1 May, then 1 September, then the six of 1 October
    assert shown.index("1 May 2026") < shown.index("1 September 2026") < shown.index("1 October 2026")
    assert shown.count("1 October 2026") == 6


def test_one_plan_waiting_opens_the_plan_itself(trust: Trust) -> None:
    cardiology = SpecialtyFactory(trust=trust)
    cd = make_clinical_director(trust, cardiology)
    person = PersonFactory(trust=trust, grade=Grade.CONSULTANT, specialty=cardiology)
    plan = JobPlan.objects.create(trust=trust, person=person, year=2026, state=State.AGREED)
    response = client_for(cd).get(f"/t/{trust.code}/job-plans/waiting/?state=agreed&year=2026")
    assert response.status_code == 302 and response["Location"] == f"/t/{trust.code}/job-plans/{plan.pk}/"


def test_an_appraisal_not_arranged_is_explained_and_only_a_connected_doctor_is_told(trust: Trust) -> None:
    doctor = PersonFactory(trust=trust, grade=Grade.CONSULTANT)
    Connection.objects.create(
        trust=trust, person=doctor, connected_on=dt.date(2020, 1, 1), submission_date=dt.date(2028, 1, 1)
    )
    user = make_user((Role.DOCTOR, trust), person=doctor)
    home = text(client_for(user).get(f"/t/{trust.code}/").content.decode())
    assert "has not been arranged yet" in home
    page = text(client_for(user).get(f"/t/{trust.code}/appraisals/").content.decode())
    assert "has not been arranged yet. The trust's appraisal and revalidation team arranges each appraisal" in page
    assert "None recorded" not in page
    board_member = make_user((Role.NON_EXECUTIVE, trust), person=PersonFactory(trust=trust, grade=""))
    assert "has not been arranged" not in text(client_for(board_member).get(f"/t/{trust.code}/").content.decode())


def test_values_awaiting_confirmation_land_on_the_rules_page_filtered_and_the_count_follows_a_confirmation(
    demo_trust: None,
) -> None:
    """Issue 30: the medical director's task opens the rules page showing only the values awaiting the trust's
    confirmation; once the medical workforce lead confirms one of them, the task counts one fewer."""
    md = client_for(User.objects.get(username="md"))
    words = "national values await your trust's confirmation"
    (url, count, _), *_ = [t for t in home_tasks(md) if t[2] == words]
    assert url == "/t/DEM001/rules/?show=awaiting" and count is not None and count > 1
    assert not [t for t in home_tasks(client_for(User.objects.get(username="doctor"))) if t[2] == words]

    trust = Trust.objects.get(code="DEM001")
    first = next(v for v in values_in_force(trust, today()) if v.awaiting)
    rulebook.confirm(
        actor=User.objects.get(username="hr"),
        trust=trust,
        file=first.national.file,
        key=first.national.key,
        value=first.national.value,
        applies_from=first.national.applies_from,
        document_title="The trust's copy of the national terms",
        document_date=dt.date(2025, 1, 6),
    )
    assert [n for _, n, w in home_tasks(md) if w == words] == [count - 1]
