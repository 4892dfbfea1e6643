"""The region's demo (issue 34): development across trusts, written through the services as people would.

- DEM002 ("Eastmoor", ``ctx.neighbour``) posts a secondment and publishes it to the region's other trusts; DEM001's
  clinical director (``cd``) applies and shares the application with their own trust, a doctor of DEM003 applies
  without sharing.
- The region's mentor and coach bank: a leader of DEM002 on its register, with the account ``mentor2``, and a mentor
  from DEM001's register, both offered with their agreement.
- The regional talent pool: a few doctors of each trust (some sharing their target role and aspirations) and ``cd``.
  The demo account ``doctor`` is left out of it: the browser walk joins it.
- A secondment of a DEM001 consultant who holds a post at home to a post of DEM002, proposed by DEM002 and agreed by
  DEM001's medical staffing, so that both structures show it; and one proposed by DEM003 (``hr3``) that waits for
  DEM001's agreement (on its structure managers' home pages).
"""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING

from medlead.accounts.models import Role, User
from medlead.core import dates
from medlead.core import services as core
from medlead.core.actors import SystemActor
from medlead.development import services as development
from medlead.development.models import CareerPlan, Mentor, MentorKind, OpeningKind, Opportunity
from medlead.organisation.models import Grade, Person, StaffKind
from medlead.structure import services as structure
from medlead.structure.models import Holding, Post
from medlead.structure.selectors import holders_by_post
from medlead.talent import services as talent

if TYPE_CHECKING:
    from medlead.demo.region import RegionDemo

DEMO = SystemActor("demo data")
MENTOR_ACCOUNT = "mentor2"  # the DEM002 mentor in the region's bank (the README's account table)


def _accounts_people() -> set[int]:
    return set(User.objects.filter(person__isnull=False).values_list("person_id", flat=True))


def build(ctx: RegionDemo) -> None:
    today = dates.today()
    md2 = User.objects.get(username="md2")
    md = User.objects.get(username="md")
    hr = User.objects.get(username="hr")
    home, neighbour, lead = ctx.home.trust, ctx.neighbour.trust, ctx.lead.trust
    with_accounts = _accounts_people()

    # --- an opening of DEM002 published to the region's other trusts, with two applications
    opening = development.opening_post(
        actor=md2,
        trust=neighbour,
        data={
            "title": "Secondment: deputy lead for the region's elective recovery programme",
            "kind": OpeningKind.SECONDMENT,
            "description": "Two sessions a week for a year with Eastmoor's elective recovery team, working across "
            "the region's trusts on waiting lists and theatre productivity. Open to consultants of every trust in "
            "the region; your own trust keeps your substantive post.",
            "opportunity": Opportunity.objects.filter(code="secondment").first(),
            "places": 1,
            "closes_on": today + dt.timedelta(days=28),
        },
        today=today,
    )
    development.opening_publish(actor=md2, opening=opening, trusts=[home, lead])
    # DEM001's doctors with a career plan (the demo's aspiring consultants) first, then any of its consultants
    aspiring = [
        plan.person
        for plan in CareerPlan.objects.filter(trust=home)
        .exclude(person_id__in=with_accounts)
        .select_related("person")[:8]
    ]
    others = Person.objects.filter(trust=home, grade=Grade.CONSULTANT).exclude(pk__in=with_accounts).order_by("pk")
    home_doctors = (aspiring + [p for p in others[:8] if p not in aspiring])[:5]
    # the demo's clinical director (``cd``) applies and shares it with DEM001, whose medical director sees it
    applicant = User.objects.get(username="cd").person
    if applicant is not None:
        development.interest_express(
            actor=DEMO,
            person=applicant,
            opening=opening,
            statement="I lead our theatre productivity work and would bring what we learned to the region.",
            today=today,
            share_with_home=True,
        )
    lead_doctor = Person.objects.filter(trust=lead, kind=StaffKind.DOCTOR).order_by("pk").first()
    if lead_doctor is not None:
        development.interest_express(
            actor=DEMO,
            person=lead_doctor,
            opening=opening,
            statement="I would like to learn how elective recovery is run across trusts.",
            today=today,
        )

    # --- the region's mentor and coach bank: a leader of DEM002 (with an account), and one of DEM001's register
    holders = holders_by_post(neighbour)
    leaders = [
        h.person
        for post in Post.objects.filter(trust=neighbour).order_by("-post_type__level", "title")
        for h in holders.get(post.pk, [])
        if h.person_id != ctx.neighbour.md.pk and h.person.kind == StaffKind.DOCTOR
    ]
    if leaders:
        person = leaders[0]
        mentor = core.create(
            actor=DEMO,
            obj=Mentor(
                trust=neighbour,
                person=person,
                kind=MentorKind.BOTH,
                areas="Leading change across organisations; elective recovery; first steps into management",
                capacity=3,
            ),
        )
        ctx.account(MENTOR_ACCOUNT, person, [(Role.DOCTOR, neighbour, None)])
        development.mentor_bank_set(actor=md2, mentor=mentor, offer=True, agreed=True, today=today)
    home_mentor = (
        Mentor.objects.filter(trust=home, active=True, person__isnull=False)
        .exclude(person=ctx.home.md)
        .order_by("pk")
        .first()
    )
    if home_mentor is not None:
        development.mentor_bank_set(actor=md, mentor=home_mentor, offer=True, agreed=True, today=today)

    # --- the regional talent pool: a few doctors of each trust, never the demo accounts' (``doctor`` joins in the walk)
    for n, person in enumerate(home_doctors[:4]):
        talent.pool_join(actor=DEMO, person=person, share_career=n % 2 == 0)
    if applicant is not None:  # ``cd``, aiming at an associate medical director's post, shares their career plan
        talent.pool_join(actor=DEMO, person=applicant, share_career=True)
    for trust in (neighbour, lead):
        doctors = (
            Person.objects.filter(trust=trust, kind=StaffKind.DOCTOR)
            .exclude(pk__in=with_accounts)
            .order_by("grade", "pk")
        )
        chosen = [p for p in doctors if p.grade == Grade.CONSULTANT][:2] + [
            p for p in doctors if p.grade != Grade.CONSULTANT
        ][:1]
        for p in chosen:
            talent.pool_join(actor=DEMO, person=p, share_career=False)

    # --- a DEM001 consultant holding a post at home, seconded to a post of DEM002: proposed by DEM002, agreed by
    # DEM001's medical staffing
    kept = (
        Holding.objects.filter(trust=home, end__isnull=True, person__grade=Grade.CONSULTANT)
        .exclude(person_id__in=with_accounts)
        .exclude(person_id__in=[p.pk for p in home_doctors])
        .select_related("person", "post")
        .order_by("post__post_type__level", "post__title")
        .first()
    )
    posts = list(Post.objects.filter(trust=neighbour).order_by("post_type__level", "title"))
    host_post = next((p for p in posts if not holders.get(p.pk)), posts[0] if posts else None)
    if kept is not None and host_post is not None:
        proposed = structure.secondment_propose(
            actor=md2,
            trust=neighbour,
            home_trust=home,
            gmc_number=kept.person.gmc_number,
            host_post=host_post,
            starts_on=today - dt.timedelta(days=30),
            ends_on=today + dt.timedelta(days=335),
        )
        structure.secondment_decide(actor=hr, secondment=proposed, agree=True, home_holding=kept)

    # and one waiting for DEM001's agreement: DEM003 (the lead employer) asks for another DEM001 consultant
    hr3 = User.objects.get(username="hr3")
    waiting = (
        Person.objects.filter(trust=home, grade=Grade.CONSULTANT)
        .exclude(pk__in=with_accounts)
        .exclude(pk__in=[p.pk for p in home_doctors])
        .exclude(pk__in=[kept.person_id] if kept else [])
        .order_by("-pk")
        .first()
    )
    lead_post = Post.objects.filter(trust=lead).order_by("post_type__level", "title").first()
    if waiting is not None and lead_post is not None:
        structure.secondment_propose(
            actor=hr3,
            trust=lead,
            home_trust=home,
            gmc_number=waiting.gmc_number,
            host_post=lead_post,
            starts_on=today + dt.timedelta(days=60),
            ends_on=today + dt.timedelta(days=240),
        )
