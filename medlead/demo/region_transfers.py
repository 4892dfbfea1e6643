"""The region's demo (issue 34): doctors who moved between trusts, and their information transfers.

- `moved`: a consultant who was connected to Eastmoor (DEM002: an inactive record there, with four years of
  appraisals and a revalidation recommendation) and now works at Northbridge (DEM001: a new record with the same GMC
  number). Northbridge's responsible officer (`ro`) has asked Eastmoor for their information transfer; it waits for
  Eastmoor's responsible officer (`ro2`), who finds medlead's facts filled in on the form.
- A consultant who moved the same way earlier: Eastmoor sent their information transfer, which `ro` has not read.

Built through the services, as the responsible officers would; draws nothing from the generator's random numbers
(the parts built after this one keep theirs), and the GMC numbers are outside the generator's range.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import TYPE_CHECKING

from medlead.accounts.models import Role, User
from medlead.core import services as core
from medlead.core.actors import SystemActor
from medlead.organisation import services as people
from medlead.organisation.models import Contract, Grade, Person, Specialty, StaffKind, Trust
from medlead.revalidation.models import Appraisal, AppraisalStatus, Connection, Recommendation, RecommendationKind
from medlead.revalidation.selectors import appraisal_year
from medlead.transfers import services as transfers

if TYPE_CHECKING:
    from medlead.demo.region import RegionDemo

DEMO = SystemActor("demo data")  # as medlead.demo.region's (which imports this module)
MOVED_GMC = "6034001"
EARLIER_GMC = "6034002"


def _person(trust: Trust, first: str, last: str, gmc: str, *, active: bool, specialty: str) -> Person:
    found = (
        Specialty.objects.filter(trust=trust, name=specialty).first() or Specialty.objects.filter(trust=trust).first()
    )
    return people.person_create(
        actor=DEMO,
        trust=trust,
        kind=StaffKind.DOCTOR,
        first_name=first,
        last_name=last,
        email=f"{first}.{last}@{trust.code.lower()}.nhs.example".lower(),
        gmc_number=gmc,
        grade=Grade.CONSULTANT,
        specialty=found,
        contract=Contract.PERMANENT,
        contracted_pas=Decimal("10"),
        active=active,
    )


def _history(person: Person, *, connected: dt.date, left: dt.date, today: dt.date) -> None:
    """The doctor's years at their previous trust: a connection that has ended, an appraisal signed off each year,
    and their last revalidation recommendation, submitted to the GMC."""
    revalidated = dt.date(left.year - 2, 5, 14)
    connection = core.create(
        actor=DEMO,
        obj=Connection(
            trust=person.trust,
            person=person,
            connected_on=connected,
            disconnected_on=left,
            submission_date=dt.date(revalidated.year + 5, 5, 14),
            disconnection_reason="Left the trust",
        ),
        note="demo: a doctor who moved",
    )
    last_year = appraisal_year(person.trust, left) - 1
    for year in range(last_year - 3, last_year + 1):
        met = dt.date(year, 6, 12)
        core.create(
            actor=DEMO,
            obj=Appraisal(
                trust=person.trust,
                person=person,
                year=year,
                status=AppraisalStatus.SIGNED_OFF,
                meeting_date=met,
                signed_off_on=met,
                probity_declared=True,
                health_declared=True,
                statements_confirmed=True,
                summary="A constructive discussion of the year's work and plans.",
            ),
            note="demo: a doctor who moved",
        )
    core.create(
        actor=DEMO,
        obj=Recommendation(
            trust=person.trust,
            connection=connection,
            person=person,
            kind=RecommendationKind.REVALIDATE,
            due_date=revalidated,
            made_on=revalidated,
            evidence="Five annual appraisals, colleague and patient feedback, and no concerns.",
            submitted_on=revalidated,
        ),
        note="demo: a doctor who moved",
    )
    assert today >= left


def _joined(person: Person, *, on: dt.date, submission: dt.date) -> None:
    core.create(
        actor=DEMO,
        obj=Connection(trust=person.trust, person=person, connected_on=on, submission_date=submission),
        note="demo: a doctor who moved",
    )


def build(ctx: RegionDemo) -> None:
    today = ctx.gen.today
    home, neighbour = ctx.home.trust, ctx.neighbour.trust
    ro, ro2 = User.objects.filter(username="ro").first(), User.objects.filter(username="ro2").first()
    if ro is None or ro2 is None:
        return

    # `moved`: joined Northbridge a month ago; Northbridge's responsible officer asked Eastmoor five days ago
    left = today - dt.timedelta(days=35)
    before = _person(neighbour, "Amara", "Okafor", MOVED_GMC, active=False, specialty="Cardiology")
    _history(before, connected=dt.date(left.year - 7, 9, 1), left=left, today=today)
    moved = _person(home, "Amara", "Okafor", MOVED_GMC, active=True, specialty="Cardiology")
    _joined(moved, on=left + dt.timedelta(days=1), submission=dt.date(left.year + 3, 5, 14))
    ctx.account("moved", moved, [(Role.DOCTOR, home, None)])
    transfers.request(
        actor=ro,
        trust=home,
        doctor=moved,
        previous_trust=neighbour,
        joined_on=left + dt.timedelta(days=1),
        note="Consultant cardiologist with us from the start of last month.",
        today=today - dt.timedelta(days=5),
    )

    # earlier: a consultant who joined Northbridge in the spring; Eastmoor sent their transfer, not yet read
    left = today - dt.timedelta(days=75)
    earlier_before = _person(neighbour, "Tomasz", "Wren", EARLIER_GMC, active=False, specialty="Respiratory Medicine")
    _history(earlier_before, connected=dt.date(left.year - 5, 2, 1), left=left, today=today)
    earlier = _person(home, "Tomasz", "Wren", EARLIER_GMC, active=True, specialty="Respiratory Medicine")
    _joined(earlier, on=left + dt.timedelta(days=1), submission=dt.date(left.year + 3, 5, 14))
    asked = transfers.request(
        actor=ro,
        trust=home,
        doctor=earlier,
        previous_trust=neighbour,
        joined_on=left + dt.timedelta(days=1),
        today=left + dt.timedelta(days=8),
    )
    transfers.send(
        actor=ro2,
        transfer=asked,
        answers={
            "connected_from": dt.date(left.year - 5, 2, 1),
            "connected_until": left,
            "work": "Consultant in respiratory medicine at Eastmoor General, with a weekly clinic at the community "
            "hospital. Declared private practice at a local independent hospital at each appraisal.",
            "last_appraisal_on": dt.date(appraisal_year(neighbour, left) - 1, 6, 12),
            "appraisals": "An appraisal signed off in each of the last four years, none missed.",
            "last_recommendation": f"Revalidate, made on 14 May {left.year - 2} and submitted to the GMC that day.",
            "revalidation_due_on": dt.date(left.year + 3, 5, 14),
            "engagement": "no",
            "patient_safety": "yes",
            "patient_safety_details": "In 2023 two prescribing incidents with inhaled steroids led to a local review. "
            "He completed a prescribing course and a supervised audit; the review closed the matter with no further "
            "action.",
            "public_confidence": "no",
            "investigations": "no",
            "restrictions": "no",
            "open_matters": "no",
            "declaration": True,
        },
        today=left + dt.timedelta(days=20),
    )
