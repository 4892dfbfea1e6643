"""What the development pages show, built once for the template: the records, and what this user may do with them
(``may_*``), so that templates neither ask permissions nor work out rules."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.db.models import QuerySet

from medlead.core.policy import Perm, can
from medlead.development import selectors
from medlead.development.models import (
    DevelopmentPlan,
    Experience,
    Goal,
    Interest,
    Mentorship,
    MentorshipStatus,
    Opening,
    OpeningStatus,
    PlanStatus,
)
from medlead.development.workflows import DEVELOPMENT_PLAN, MENTORSHIP, OPENING
from medlead.leadership.models import Framework, FrameworkItem
from medlead.organisation.models import Grade, Person, Trust


@dataclass(frozen=True)
class PlanPage:
    plan: DevelopmentPlan
    owner: bool  # the doctor whose plan it is
    goals: QuerySet[Goal]
    progress: dict[str, int]
    reviews: Any
    history: Any  # the owner's earlier plans
    may_edit: bool
    may_request: bool
    may_agree: bool
    may_close: bool
    may_review: bool


def plan_page(actor: Any, plan: DevelopmentPlan) -> PlanPage:
    owner = can(actor, Perm.VIEW_DEVELOPMENT_RECORD, plan)
    return PlanPage(
        plan=plan,
        owner=owner,
        goals=plan.goals.select_related("item").prefetch_related("actions__opportunity"),
        progress=selectors.plan_progress(plan),
        reviews=plan.reviews.select_related("reviewer"),
        history=DevelopmentPlan.objects.filter(person=plan.person).exclude(pk=plan.pk) if owner else [],
        may_edit=DEVELOPMENT_PLAN.can_edit(actor, plan),
        may_request=owner and DEVELOPMENT_PLAN.may_move(actor, plan, PlanStatus.AWAITING),
        may_agree=DEVELOPMENT_PLAN.may_move(actor, plan, PlanStatus.AGREED),
        may_close=DEVELOPMENT_PLAN.may_move(actor, plan, PlanStatus.CLOSED),
        may_review=DEVELOPMENT_PLAN.editable(plan) and can(actor, Perm.VIEW_PDP, plan),
    )


@dataclass(frozen=True)
class OpeningPage:
    opening: Opening
    host: bool  # the page is the opening's own trust's (another trust's doctors see it published to theirs)
    manager: bool  # sees the applications and decides, on the host trust's page
    mine: Interest | None  # this user's own interest
    interests: Any
    is_open: bool
    may_express: bool
    may_decide: bool
    may_publish: bool
    published_to: list[Any]


def opening_page(actor: Any, trust: Trust, opening: Opening, today: Any) -> OpeningPage:
    """An opening as ``trust``'s page shows it to ``actor``. Only on the host trust's own page are applications
    listed, each one the actor may see (``VIEW_APPLICATION``: the host's decision-makers); another trust's medical
    director sees none of their doctors' applications here."""
    host = opening.trust_id == trust.pk
    person = getattr(actor, "person", None)
    has_person = person is not None and person.trust_id == trust.pk
    mine = Interest.objects.filter(opening=opening, person=person).first() if has_person else None
    is_open = opening.takes_interest_on(today)
    may_decide = host and OPENING.may_move(actor, opening, OpeningStatus.DECIDED)
    interests = (
        [
            i
            for i in opening.interests.select_related("person__trust__region", "opening__trust")
            if i.person_id != getattr(person, "pk", None) and can(actor, Perm.VIEW_APPLICATION, i)
        ]
        if host
        else []
    )
    return OpeningPage(
        opening=opening,
        host=host,
        manager=may_decide or bool(interests),
        mine=mine,
        interests=interests,
        is_open=is_open,
        may_express=mine is None and is_open and has_person,
        may_decide=may_decide,
        # only while some trust is left to publish it to
        may_publish=host
        and can(actor, Perm.PUBLISH_OPENING, opening)
        and selectors.publishable_trusts(actor, opening).exists(),
        published_to=[p.to_trust for p in opening.publications.select_related("to_trust")],
    )


@dataclass(frozen=True)
class MentorshipPage:
    mentorship: Mentorship
    meetings: Any
    may_respond: bool
    may_log: bool
    may_end: bool


def mentorship_page(actor: Any, mentorship: Mentorship) -> MentorshipPage:
    return MentorshipPage(
        mentorship=mentorship,
        meetings=mentorship.meetings.all(),
        may_respond=MENTORSHIP.may_move(actor, mentorship, MentorshipStatus.ACTIVE),
        may_log=MENTORSHIP.can_edit(actor, mentorship),
        may_end=MENTORSHIP.may_move(actor, mentorship, MentorshipStatus.ENDED),
    )


def manager_home(actor: Any, trust: Trust, day: dt.date) -> dict[str, Any]:
    """The development home page of someone who is not a doctor of this trust: openings, and what they manage."""
    return {
        "openings": selectors.open_openings(trust, day),
        "can_post": can(actor, Perm.MANAGE_OPENINGS, trust),
        "can_register": can(actor, Perm.MANAGE_MENTOR_REGISTER, trust),
        "can_search_pool": can(actor, Perm.SEARCH_TALENT_POOL, trust),
    }


def doctor_home(actor: Any, trust: Trust, person: Person, day: dt.date) -> dict[str, Any]:
    """A doctor's development home page: their target role, its gaps largest first and the suggestions that close
    them, their plan, mentoring, experience, the trust's openings, and plans and reports waiting for them."""
    role = selectors.target_role(person)
    found, suggested = selectors.suggestions(person, role) if role else ([], [])
    plan = selectors.current_plan(person)
    items_by_key = {
        f"{i.framework.code}/{i.code}": i
        for i in FrameworkItem.objects.filter(framework__trust__isnull=True).select_related("framework")
    }
    return {
        **manager_home(actor, trust, day),
        "person": person,
        "role": role,
        "gaps": sorted(found, key=lambda g: -g.size),
        "no_gaps": selectors.no_gap_reasons(person, role) if role and not found else [],
        "frameworks_for_role": Framework.objects.filter(trust__isnull=True, targets__has_key=role.code).order_by("name")
        if role and not found
        else [],
        "suggested": suggested,
        "items_by_key": items_by_key,
        "plan": plan,
        "progress": selectors.plan_progress(plan) if plan else None,
        "mentorships": selectors.mentorships_for(person),
        "applications": Interest.objects.filter(person=person)
        .select_related("opening__trust")
        .order_by("-created_at")[:10],
        "experiences": Experience.objects.filter(person=person)[:5],
        "shared_with_me": selectors.shared_with_me(person),
        "to_agree": DevelopmentPlan.objects.filter(agreer=person, status=PlanStatus.AWAITING).select_related("person"),
        "shows_awards": shows_awards(person),
    }


def shows_awards(person: Person | None) -> bool:
    """National Clinical Impact Awards are for consultants: only they are shown the way to their applications."""
    return person is not None and person.grade == Grade.CONSULTANT
