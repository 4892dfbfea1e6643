"""My rota and the personal calendar feed (issue 32): a resident doctor sees only their own shifts, with who else is
on; anyone else gets 404; the feed's secret address gives the doctor's duties in Europe/London times, a replaced
or stopped address answers 404 at once, and nothing confidential is kept on the device."""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import icalendar
import pytest
from django.conf import settings
from django.test import Client

from medlead.accounts.models import Role, User
from medlead.core import dates
from medlead.core.actors import SystemActor
from medlead.core.audit import AuditEvent
from medlead.organisation.models import Grade, Person, Trust
from medlead.residents import feeds
from medlead.residents.models import CalendarFeed
from medlead.rota import services as rota_services
from medlead.rota.models import Duty, ExceptionReport, Rota, RotaMember, RotaPublication
from tests.conftest import client_for
from tests.factories import PersonFactory, make_user

pytestmark = pytest.mark.django_db

LONDON = ZoneInfo("Europe/London")
UTC = dt.UTC
NOW = dt.datetime(2026, 3, 20, 12, tzinfo=UTC)  # a Friday, before the spring clock change


def london(*args: int) -> dt.datetime:
    return dt.datetime(*args, tzinfo=LONDON)


@pytest.fixture(autouse=True)
def fixed_clock(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(dates, "now", lambda: NOW)
    monkeypatch.setattr(dates, "today", lambda: NOW.date())


def duty(rota: Rota, person: Person, start: dt.datetime, end: dt.datetime, kind: str = "shift") -> Duty:
    return Duty.objects.create(trust=rota.trust, rota=rota, person=person, start=start, end=end, kind=kind)


def registrar(trust: Trust, first: str, last: str) -> Person:
    return PersonFactory(trust=trust, grade=Grade.SPECIALTY_REGISTRAR, first_name=first, last_name=last)


def published(rota: Rota) -> RotaPublication:
    return RotaPublication.objects.create(
        trust=rota.trust,
        rota=rota,
        starts_on=dt.date(2026, 3, 2),
        work_schedule_issued_on=dt.date(2026, 1, 5),
        published_on=dt.date(2026, 1, 19),
        work_schedule_weeks=8,
        rota_weeks=6,
        work_schedule_on_time=True,
        rota_on_time=True,
    )


@pytest.fixture
def world(trust: Trust) -> dict[str, Any]:
    me = registrar(trust, "Asha", "Patel")
    colleague = registrar(trust, "Ben", "Okafor")
    elsewhere = registrar(trust, "Cara", "Nolan")  # on another rota of the trust
    medicine = Rota.objects.create(trust=trust, name="Acute medicine registrars")
    surgery = Rota.objects.create(trust=trust, name="Surgical registrars")
    for rota, person in ((medicine, me), (medicine, colleague), (surgery, elsewhere)):
        RotaMember.objects.create(trust=trust, rota=rota, person=person)
    for rota in (medicine, surgery):  # published to their doctors: only then are the duties theirs to see
        published(rota)
    # my shifts: two past, one across the spring clock change, one after it, one across the autumn change
    duty(medicine, me, london(2026, 3, 16, 8), london(2026, 3, 16, 17))
    duty(medicine, me, london(2026, 3, 17, 8), london(2026, 3, 17, 20, 30))
    duty(medicine, me, london(2026, 3, 28, 21), london(2026, 3, 29, 8))
    duty(medicine, me, london(2026, 3, 30, 8), london(2026, 3, 30, 20, 30))
    duty(medicine, me, london(2026, 10, 24, 21), london(2026, 10, 25, 8))
    # Ben works the same night as me; Cara works it on another rota
    duty(medicine, colleague, london(2026, 3, 28, 21), london(2026, 3, 29, 8))
    duty(medicine, colleague, london(2026, 4, 2, 8), london(2026, 4, 2, 17))
    duty(surgery, elsewhere, london(2026, 3, 28, 21), london(2026, 3, 29, 8))
    users = {
        "me": make_user((Role.DOCTOR, trust), person=me),
        "colleague": make_user((Role.DOCTOR, trust), person=colleague),
        "elsewhere": make_user((Role.DOCTOR, trust), person=elsewhere),
        "consultant": make_user((Role.DOCTOR, trust), person=PersonFactory(trust=trust, grade=Grade.CONSULTANT)),
        "hr": make_user((Role.MEDICAL_STAFFING, trust)),
        "guardian": make_user((Role.GUARDIAN, trust)),
    }
    return {"trust": trust, "me": me, "colleague": colleague, "medicine": medicine, "surgery": surgery, "users": users}


def text(html: str) -> str:
    return re.sub(r" ([:,.)])", r"\1", " ".join(re.sub(r"<[^>]+>", " ", html).split()))


def page(client: Client, trust: Trust) -> str:
    response = client.get(f"/t/{trust.code}/my-rota/")
    assert response.status_code == 200
    return text(response.content.decode())


def test_my_rota_shows_my_next_shifts_with_who_else_is_on_from_my_rota_only(world: dict[str, Any]) -> None:
    shown = page(client_for(world["users"]["me"]), world["trust"])
    next_part = shown.split("Your next shifts", 1)[1].split("This rotation", 1)[0]
    # the shifts of the next 8 weeks, in local time, named by the rules' definitions
    assert "Saturday 28 March 21:00 to 08:00 (Sunday): Night shift" in next_part
    assert "Monday 30 March 08:00 to 20:30: Long shift" in next_part
    assert "October" not in next_part  # further ahead: in the calendar feed
    # who else is on: Ben, of my rota, that night; never Cara of another rota
    assert "On at the same time: Dr Ben Okafor" in next_part
    assert "Cara" not in shown
    # the past shifts are offered for an exception report, not listed as to come
    assert "16 March" not in next_part
    recent = shown.split("Your recent shifts", 1)[1]
    assert "Mon 16 Mar, 08:00 to 17:00: Shift" in recent and "Tue 17 Mar, 08:00 to 20:30: Long shift" in recent
    # sections the other parts of issue 32 fill in
    for heading in ("This rotation", "Your leave", "Shift swaps", "Your calendar", "Your exception reports"):
        assert heading in shown


def test_my_rota_shows_my_hours_breaches_and_reports_and_no_one_elses(world: dict[str, Any]) -> None:
    trust, me, colleague = world["trust"], world["me"], world["colleague"]
    # a 13 h 30 min shift of mine breaks the 13-hour limit; one of Ben's breaks it too
    duty(world["medicine"], me, london(2026, 3, 18, 8), london(2026, 3, 18, 21, 30))
    duty(world["medicine"], colleague, london(2026, 3, 19, 8), london(2026, 3, 19, 21, 30))
    rota_services.rota_check(rota=world["medicine"])
    ExceptionReport.objects.create(
        trust=trust,
        doctor=me,
        occurred_on=dt.date(2026, 3, 18),
        kind="hours",
        extra_minutes=60,
        description="Stayed late",
        rules_version="v13",
        route="medical_workforce",
    )
    ExceptionReport.objects.create(
        trust=trust,
        doctor=colleague,
        occurred_on=dt.date(2026, 3, 19),
        kind="rest",
        description="Ben's report",
        rules_version="v13",
        route="medical_workforce",
    )
    shown = page(client_for(world["users"]["me"]), trust)
    breaches = shown.split("Breaches of the rules in your shifts", 1)[1].split("Your recent shifts", 1)[0]
    assert breaches.count("A shift of 13 h 30 min is longer than the 13 h limit.") == 1
    assert "Wed 18 Mar 08:00" in breaches and "Thu 19 Mar" not in breaches
    assert "Source: NHS Employers" in breaches  # the rule's source, written out as its title
    reports = shown.split("Your exception reports", 1)[1].split("Your leave", 1)[0]
    assert "Extra hours worked, 18 March 2026" in reports and "Awaiting an outcome" in reports
    assert "19 March 2026" not in reports
    # the rotation's hours: mine only, from the engine, with my limit
    rotation = shown.split("This rotation", 1)[1].split("Breaches of the rules", 1)[0]
    assert "Acute medicine registrars" in rotation and "48.0 hours a week on average" in rotation


def test_the_report_extra_hours_link_opens_the_form_filled_in(world: dict[str, Any]) -> None:
    trust = world["trust"]
    client = client_for(world["users"]["me"])
    html = client.get(f"/t/{trust.code}/my-rota/").content.decode()
    link = re.search(r'href="([^"]*exception-reports/new/\?occurred_on=2026-03-16[^"]*)"', html)
    assert link is not None
    form = client.get(link.group(1).replace("&amp;", "&")).content.decode()
    assert 'value="16"' in form and 'value="3"' in form and 'value="2026"' in form  # the date's three boxes
    assert re.search(rf'<option value="{world["medicine"].pk}"\s+selected', form)
    assert re.search(r'value="hours"[^>]*checked|<option value="hours"\s+selected', form)
    # a rota that is not the doctor's own is refused, not filled in
    foreign = client.get(f"/t/{trust.code}/exception-reports/new/?rota={world['surgery'].pk}")
    assert foreign.status_code == 400


@pytest.mark.parametrize("who", ["hr", "guardian", "consultant"])
def test_nobody_else_has_a_my_rota(world: dict[str, Any], who: str) -> None:
    # a rota coordinator, the guardian and a doctor on no rota: no "My rota", and no way to another's
    assert client_for(world["users"][who]).get(f"/t/{world['trust'].code}/my-rota/").status_code == 404


def test_another_trusts_doctor_gets_404(world: dict[str, Any], other_trust: Trust) -> None:
    stranger = make_user((Role.DOCTOR, other_trust), person=registrar(other_trust, "Dan", "Ward"))
    assert client_for(stranger).get(f"/t/{world['trust'].code}/my-rota/").status_code == 404
    assert Client().get(f"/t/{world['trust'].code}/my-rota/").status_code == 302  # signed out: to sign in


def test_the_page_and_the_menu_link_for_those_on_a_rota(world: dict[str, Any]) -> None:
    home = client_for(world["users"]["me"]).get(f"/t/{world['trust'].code}/").content.decode()
    assert f'href="/t/{world["trust"].code}/my-rota/"' in home
    assert "Your next shift: Saturday 28 March, 21:00 to 08:00 (Night shift, Acute medicine registrars)" in text(home)
    hr_home = client_for(world["users"]["hr"]).get(f"/t/{world['trust'].code}/").content.decode()
    assert "my-rota" not in hr_home


def test_my_rota_costs_the_same_queries_however_many_shifts(
    world: dict[str, Any], django_assert_max_num_queries: Any
) -> None:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client = client_for(world["users"]["me"])
    url = f"/t/{world['trust'].code}/my-rota/"
    client.get(url)
    counts = []
    for extra in (0, 30):
        for n in range(extra):
            day = london(2026, 4, 6, 8) + dt.timedelta(days=n)
            duty(world["medicine"], world["me"], day, day + dt.timedelta(hours=9))
            duty(world["medicine"], world["colleague"], day, day + dt.timedelta(hours=9))
            past = london(2026, 3, 1, 8) + dt.timedelta(days=n % 14)
            duty(world["medicine"], world["me"], past, past + dt.timedelta(hours=9))
        with CaptureQueriesContext(connection) as queries:
            assert client.get(url).status_code == 200
        counts.append(len(queries))
    assert counts[0] == counts[1], counts
    with django_assert_max_num_queries(40):
        client.get(url)


# ------------------------------------------------------------------------------------------- the calendar feed


def start_feed(client: Client, trust: Trust) -> str:
    response = client.post(f"/t/{trust.code}/my-rota/calendar/new/")
    assert response.status_code == 302
    html = client.get(f"/t/{trust.code}/my-rota/").content.decode()
    found = re.search(r'id="calendar-address"[^>]*value="([^"]+)"', html)
    assert found is not None
    address = found.group(1)
    assert re.fullmatch(r"http://testserver/cal/[A-Za-z0-9_-]{64}\.ics", address), address
    return address.removeprefix("http://testserver")


def read_feed(path: str) -> icalendar.Calendar:
    response = Client().get(path)  # no sign-in: the address is the key
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/calendar")
    return icalendar.Calendar.from_ical(response.content)


def test_the_feed_gives_my_duties_in_local_time_across_both_clock_changes(world: dict[str, Any]) -> None:
    path = start_feed(client_for(world["users"]["me"]), world["trust"])
    events = {str(e["summary"]) + " " + e.decoded("dtstart").isoformat(): e for e in read_feed(path).walk("VEVENT")}
    got = sorted((e.decoded("dtstart").astimezone(UTC), e.decoded("dtend").astimezone(UTC)) for e in events.values())
    # written by hand: GMT is UTC; BST is UTC+1 (from 01:00 UTC on 29 March to 01:00 UTC on 25 October 2026)
    assert got == [
        (dt.datetime(2026, 3, 16, 8, tzinfo=UTC), dt.datetime(2026, 3, 16, 17, tzinfo=UTC)),
        (dt.datetime(2026, 3, 17, 8, tzinfo=UTC), dt.datetime(2026, 3, 17, 20, 30, tzinfo=UTC)),
        (dt.datetime(2026, 3, 28, 21, tzinfo=UTC), dt.datetime(2026, 3, 29, 7, tzinfo=UTC)),
        (dt.datetime(2026, 3, 30, 7, tzinfo=UTC), dt.datetime(2026, 3, 30, 19, 30, tzinfo=UTC)),
        (dt.datetime(2026, 10, 24, 20, tzinfo=UTC), dt.datetime(2026, 10, 25, 8, tzinfo=UTC)),
    ]
    summaries = {str(e["summary"]) for e in events.values()}
    assert summaries == {
        "Shift: Acute medicine registrars",
        "Long shift: Acute medicine registrars",
        "Night shift: Acute medicine registrars",
    }
    # only what a calendar needs: never another doctor's name, a breach or a report
    for event in events.values():
        assert set(event.keys()) <= {"UID", "DTSTAMP", "DTSTART", "DTEND", "SUMMARY", "LOCATION"}
    body = Client().get(path).content.decode()
    assert "Okafor" not in body and "Nolan" not in body


def test_a_duty_keeps_its_uid_and_a_change_to_the_rota_shows_at_once(world: dict[str, Any]) -> None:
    path = start_feed(client_for(world["users"]["me"]), world["trust"])
    before = {str(e["uid"]) for e in read_feed(path).walk("VEVENT")}
    added = duty(world["medicine"], world["me"], london(2026, 4, 1, 8), london(2026, 4, 1, 17))
    after = {str(e["uid"]) for e in read_feed(path).walk("VEVENT")}
    assert after == before | {f"duty-{added.pk}@medlead"}


def test_the_feed_has_a_short_private_cache_and_pages_are_never_kept(world: dict[str, Any]) -> None:
    client = client_for(world["users"]["me"])
    path = start_feed(client, world["trust"])
    assert Client().get(path)["Cache-Control"] == "private, max-age=300"
    # signed-in pages (My rota among them) are never kept by the browser or a proxy
    assert "no-store" in client.get(f"/t/{world['trust'].code}/my-rota/")["Cache-Control"]


def test_a_replaced_address_answers_404_at_once_and_the_new_one_works(world: dict[str, Any]) -> None:
    client = client_for(world["users"]["me"])
    old = start_feed(client, world["trust"])
    assert client.post(f"/t/{world['trust'].code}/my-rota/calendar/replace/").status_code == 302
    html = client.get(f"/t/{world['trust'].code}/my-rota/").content.decode()
    new = re.search(r'id="calendar-address"[^>]*value="http://testserver([^"]+)"', html)
    assert new is not None and new.group(1) != old
    assert Client().get(old).status_code == 404
    assert Client().get(new.group(1)).status_code == 200


def test_a_stopped_feed_answers_404(world: dict[str, Any]) -> None:
    client = client_for(world["users"]["me"])
    path = start_feed(client, world["trust"])
    assert client.post(f"/t/{world['trust'].code}/my-rota/calendar/stop/").status_code == 302
    assert Client().get(path).status_code == 404
    assert not CalendarFeed.objects.exists()
    html = client.get(f"/t/{world['trust'].code}/my-rota/").content.decode()
    assert "Add my shifts to my calendar" in html and "calendar-address" not in html


def test_a_doctor_who_left_or_whose_account_is_closed_has_no_feed(world: dict[str, Any]) -> None:
    path = start_feed(client_for(world["users"]["me"]), world["trust"])
    User.objects.filter(person=world["me"]).update(is_active=False)
    assert Client().get(path).status_code == 404
    User.objects.filter(person=world["me"]).update(is_active=True)
    Person.objects.filter(pk=world["me"].pk).update(active=False)
    assert Client().get(path).status_code == 404
    Person.objects.filter(pk=world["me"].pk).update(active=True)
    User.objects.filter(person=world["me"]).delete()
    assert Client().get(path).status_code == 404


def test_a_forged_or_mangled_address_answers_404(world: dict[str, Any]) -> None:
    start_feed(client_for(world["users"]["me"]), world["trust"])
    feed = CalendarFeed.objects.get()
    # the key alone (a copy of the database) with a made-up signature opens nothing
    assert Client().get(f"/cal/{feed.key}{'0' * feeds.SIGNATURE_LENGTH}.ics").status_code == 404
    assert Client().get("/cal/short.ics").status_code == 404
    assert Client().get(f"/cal/{feeds.address(feed.key)[:-1]}!.ics").status_code == 404


def test_another_doctors_feed_never_shows_in_mine(world: dict[str, Any]) -> None:
    mine = start_feed(client_for(world["users"]["me"]), world["trust"])
    theirs = start_feed(client_for(world["users"]["colleague"]), world["trust"])
    assert mine != theirs
    my_uids = {str(e["uid"]) for e in read_feed(mine).walk("VEVENT")}
    their_uids = {str(e["uid"]) for e in read_feed(theirs).walk("VEVENT")}
    expected_mine = {
        f"duty-{pk}@medlead" for pk in Duty.objects.filter(person=world["me"]).values_list("pk", flat=True)
    }
    assert my_uids == expected_mine and not my_uids & their_uids


def test_a_feed_is_made_replaced_and_stopped_only_by_its_doctor_and_audited_without_the_key(
    world: dict[str, Any],
) -> None:
    trust = world["trust"]
    client = client_for(world["users"]["me"])
    start_feed(client, trust)
    client.post(f"/t/{trust.code}/my-rota/calendar/replace/")
    key = CalendarFeed.objects.get().key
    client.post(f"/t/{trust.code}/my-rota/calendar/stop/")
    events = AuditEvent.objects.filter(model="residents.calendarfeed").order_by("pk")
    assert [e.action for e in events] == ["create", "update", "delete"]
    assert all(e.actor_id == world["users"]["me"].pk for e in events)
    assert key not in str([e.changes for e in events])
    # a second start is refused while one exists; someone else's post changes nothing of mine
    start_feed(client, trust)
    assert client.post(f"/t/{trust.code}/my-rota/calendar/new/").status_code == 400
    assert client_for(world["users"]["hr"]).post(f"/t/{trust.code}/my-rota/calendar/stop/").status_code == 404
    assert CalendarFeed.objects.filter(person=world["me"]).exists()
    # fetching the feed is not recorded
    before = AuditEvent.objects.count()
    Client().get(f"/cal/{feeds.address(CalendarFeed.objects.get().key)}.ics")
    assert AuditEvent.objects.count() == before


def test_the_service_refuses_a_feed_for_someone_not_on_a_rota(world: dict[str, Any]) -> None:
    from django.core.exceptions import PermissionDenied

    from medlead.residents import services

    with pytest.raises(PermissionDenied):
        services.feed_start(actor=world["users"]["me"], person=world["colleague"])
    consultant = world["users"]["consultant"]
    with pytest.raises(PermissionDenied):
        services.feed_start(actor=consultant, person=consultant.person)
    services.feed_start(actor=SystemActor("test"), person=world["me"])  # the system, for a stated reason


# ------------------------------------------------------------------------------------------- installable


def test_the_manifest_is_public_and_its_icons_exist() -> None:
    response = Client().get("/manifest.webmanifest")
    assert response.status_code == 200 and response["Content-Type"] == "application/manifest+json"
    data = response.json()
    assert data["name"] == "medlead" and data["start_url"] == "/" and data["display"] == "standalone"
    static = Path(settings.BASE_DIR) / "medlead" / "static"
    for icon in data["icons"]:
        assert (static / icon["src"].removeprefix(settings.STATIC_URL)).is_file(), icon["src"]
    assert {"192x192", "512x512"} <= {i["sizes"] for i in data["icons"]}


def test_pages_link_the_manifest_and_no_service_worker_keeps_pages(world: dict[str, Any]) -> None:
    html = client_for(world["users"]["me"]).get(f"/t/{world['trust'].code}/my-rota/").content.decode()
    assert '<link rel="manifest" href="/manifest.webmanifest">' in html
    static = Path(settings.BASE_DIR) / "medlead" / "static"
    scripts = [p for p in static.rglob("*.js") if "vendor" not in p.parts]
    assert scripts and not any("serviceWorker" in p.read_text() for p in scripts)
    assert "serviceWorker" not in html


def test_a_rota_not_yet_published_is_not_on_my_rota_or_in_my_calendar(world: dict[str, Any]) -> None:
    """A rota still being drawn up is the coordinator's: its duties reach the doctor's own pages once published."""
    trust, me = world["trust"], world["me"]
    draft = Rota.objects.create(trust=trust, name="Acute medicine: the next rotation")
    RotaMember.objects.create(trust=trust, rota=draft, person=me)
    duty(draft, me, london(2026, 4, 20, 8), london(2026, 4, 20, 17))
    page = text(client_for(world["users"]["me"]).get(f"/t/{trust.code}/my-rota/").content.decode())
    assert "Monday 20 April" not in page
    published(draft)
    page = text(client_for(world["users"]["me"]).get(f"/t/{trust.code}/my-rota/").content.decode())
    assert "Monday 20 April" in page
