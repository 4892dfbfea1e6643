"""Issue 31's "small things that add up", each as the user meets it: job planning, the rota plan, imports and the
structure health page."""

from __future__ import annotations

import datetime as dt
import re
from decimal import Decimal

import pytest

from medlead.core.actors import SystemActor
from medlead.jobplans import services as jobplans
from medlead.jobplans.models import JobPlan
from medlead.organisation.models import Grade, Person, Trust
from tests.conftest import client_for
from tests.factories import PersonFactory, SpecialtyFactory, make_clinical_director

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
