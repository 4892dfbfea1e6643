"""Issue 31's "small things that add up", each as the user meets it: job planning, the rota plan, imports and the
structure health page."""

from __future__ import annotations

import datetime as dt
import re
from decimal import Decimal

import pytest

from medlead.accounts.models import Role
from medlead.core.actors import SystemActor
from medlead.jobplans import services as jobplans
from medlead.jobplans.models import JobPlan
from medlead.organisation.models import Grade, Trust
from medlead.rota import services as rota_services
from medlead.rota.models import Rota, RotaMember, RosterPlan
from tests.conftest import client_for
from tests.factories import PersonFactory, SpecialtyFactory, make_clinical_director, make_user

SYSTEM = SystemActor("test set-up")

pytestmark = pytest.mark.django_db


def text_of(html: str) -> str:
    """The page's words, without tags or runs of white space."""
    return " ".join(re.sub(r"<[^>]+>", " ", html).split())


# ------------------------------------------------------------------------------------- job planning


def test_an_activity_named_after_its_category_does_not_repeat_it(trust: Trust) -> None:
    consultant = PersonFactory(trust=trust, grade=Grade.CONSULTANT, specialty=SpecialtyFactory(trust=trust))
    plan = jobplans.plan_create(actor=SYSTEM, person=consultant, year=2026)
    for title, category, start, location in (
        ("Supporting professional activities", "spa", 9, ""),
        ("Outpatient clinic", "dcc", 13, "Main site"),
    ):
        jobplans.activity_add(
            actor=SYSTEM,
            plan=plan,
            version=JobPlan.objects.get(pk=plan.pk).version,
            category=category,
            title=title,
            frequency="weekly",
            weekday=0,
            start=dt.time(start),
            end=dt.time(start + 4),
            location=location,
        )
    cd = make_clinical_director(trust, consultant.specialty)
    page = text_of(client_for(cd).get(f"/t/{trust.code}/job-plans/{plan.pk}/").content.decode())
    assert "Supporting professional activities (Supporting professional activities)" not in page
    assert "09:00–13:00 Supporting professional activities: 1 PA" in page
    assert "13:00–17:00 Outpatient clinic (Direct clinical care, Main site): 1 PA" in page


# ------------------------------------------------------------------------------------------- rotas


def test_the_rota_plan_asks_how_long_to_search_in_minutes_and_keeps_seconds(trust: Trust) -> None:
    hr = make_user((Role.MEDICAL_STAFFING, trust))
    rota = Rota.objects.create(trust=trust, name="Acute medicine")
    RotaMember.objects.create(trust=trust, rota=rota, person=PersonFactory(trust=trust, grade=Grade.CORE_TRAINEE))
    url = f"/t/{trust.code}/rotas/{rota.pk}/generate/"
    client = client_for(hr)
    page = text_of(client.get(url).content.decode())
    assert "Time limit in seconds" not in page
    assert "How long to search for a better rota" in page
    for words in ("30 seconds", "1 minute", "5 minutes", "30 minutes", "1 hour"):
        assert words in page
    plan = {"starts_on": "2027-01-04", "weeks": "2", "template": "ward_day_long_night", "time_limit": "300"}
    assert client.post(f"{url}plan/", plan).status_code == 302
    assert RosterPlan.objects.get(rota=rota).time_limit == 300  # 5 minutes, kept in seconds
    refused = client.post(f"{url}plan/", plan | {"time_limit": "7"})  # not one of the times offered
    assert refused.status_code == 200 and RosterPlan.objects.get(rota=rota).time_limit == 300


def test_a_rota_with_no_duties_says_so_instead_of_compliant(trust: Trust) -> None:
    hr = make_user((Role.MEDICAL_STAFFING, trust))
    empty = rota_services.rota_create(actor=hr, trust=trust, name="Empty rota")
    worked = rota_services.rota_create(actor=hr, trust=trust, name="Worked rota")
    doctor = PersonFactory(trust=trust, grade=Grade.CORE_TRAINEE)
    RotaMember.objects.create(trust=trust, rota=worked, person=doctor)
    start = dt.datetime(2027, 1, 4, 9, tzinfo=dt.UTC)
    rota_services.duty_add(actor=hr, rota=worked, person=doctor, start=start, end=start + dt.timedelta(hours=8))
    client = client_for(hr)
    listing = text_of(client.get(f"/t/{trust.code}/rotas/").content.decode())
    assert "Empty rota" in listing and "Worked rota" in listing
    assert re.search(r"Empty rota .*?No shifts yet", listing)
    assert listing.count("Compliant") == 1  # the rota with a duty and no breach only
    page = text_of(client.get(f"/t/{trust.code}/rotas/{empty.pk}/").content.decode())
    assert "no shifts yet" in page and "compliant" not in page
    assert "compliant" in text_of(client.get(f"/t/{trust.code}/rotas/{worked.pk}/").content.decode())
