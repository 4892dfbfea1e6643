"""Writes for a doctor's development. Each validates, explains what is wrong, saves all or nothing and is
audited (mentoring meeting notes as withheld: see ``core.audit.snapshot``)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from medlead.core import dates, notify
from medlead.core import services as core
from medlead.core.policy import Forbidden, Perm, require
from medlead.development.models import (
    Action,
    ActionStatus,
    CareerPlan,
    CareerYear,
    DevelopmentPlan,
    Experience,
    Goal,
    GoalOrigin,
    Interest,
    InterestStatus,
    Mentor,
    MentoringMeeting,
    Mentorship,
    MentorshipStatus,
    Opening,
    OpeningPublication,
    OpeningStatus,
    Opportunity,
    PlanReview,
    PlanStatus,
    ReadinessShare,
)
from medlead.development.selectors import current_plan, in_regions_bank, plan_progress, publishable_trusts
from medlead.development.workflows import DEVELOPMENT_PLAN, MENTORSHIP, OPENING
from medlead.leadership.models import FrameworkItem
from medlead.organisation.models import Person, Trust
from medlead.structure.models import PostType
from medlead.structure.selectors import line_managers


def _notify(person_ids: Sequence[int | None], subject: str, body: str, emails: list[str] | None = None) -> None:
    notify.email(emails or [], person_ids=person_ids, subject=subject, body=body)


def _own(actor: Any, person: Person) -> None:
    require(actor, Perm.EDIT_DEVELOPMENT_RECORD, person)


# ------------------------------------------------------------------------------------------ career plan


@transaction.atomic
def career_plan_save(
    *,
    actor: Any,
    person: Person,
    data: dict[str, Any],
    later_roles: list[PostType] | None = None,
    years: list[tuple[int, Decimal, Decimal]] | None = None,
) -> CareerPlan:
    """Create or update the career plan. ``years`` (year, clinical PAs, management PAs) replaces the planned
    split; each year once, within 30 years, and no more than 20 PAs a week in all."""
    _own(actor, person)
    errors = []
    this_year = dates.today().year
    seen: set[int] = set()
    for n, (year, clinical, management) in enumerate(years or [], start=1):
        if year in seen:
            errors.append(f"Planned split, row {n}: {year} is already planned.")
        seen.add(year)
        if not this_year - 1 <= year <= this_year + 30:
            errors.append(f"Planned split, row {n}: give a year from {this_year - 1} to {this_year + 30}.")
        if clinical < 0 or management < 0:
            errors.append(f"Planned split, row {n}: PAs cannot be negative.")
        elif clinical + management > 20:
            errors.append(f"Planned split, row {n}: {clinical + management} PAs a week is more than 20.")
    if errors:
        raise ValidationError(errors)
    plan = CareerPlan.objects.filter(person=person).first()
    if plan is None:
        plan = core.create(actor=actor, obj=CareerPlan(trust_id=person.trust_id, person=person, **data))
    else:
        plan = core.update(actor=actor, obj=plan, data=data)
    if later_roles is not None:
        plan.later_roles.set(later_roles)
    if years is not None:
        plan.years.all().delete()
        CareerYear.objects.bulk_create(
            [CareerYear(plan=plan, year=y, clinical_pas=c, management_pas=m) for y, c, m in sorted(years)]
        )
    return plan


def target_role_set(*, actor: Any, person: Person, role: PostType) -> CareerPlan:
    return career_plan_save(actor=actor, person=person, data={"target_role": role})


# --------------------------------------------------------------------------------------------- the PDP


def plan_start(
    *, actor: Any, person: Person, target_role: PostType | None, starts_on: dt.date, ends_on: dt.date
) -> DevelopmentPlan:
    _own(actor, person)
    if DevelopmentPlan.objects.filter(person=person).exclude(status=PlanStatus.CLOSED).exists():
        raise ValidationError("You already have a current development plan; close it before starting another.")
    if ends_on > starts_on + dt.timedelta(days=3 * 366):
        raise ValidationError({"ends_on": "A development plan runs for at most three years."})
    return core.create(
        actor=actor,
        obj=DevelopmentPlan(
            trust_id=person.trust_id, person=person, target_role=target_role, starts_on=starts_on, ends_on=ends_on
        ),
    )


def _editable(actor: Any, plan: DevelopmentPlan) -> None:
    DEVELOPMENT_PLAN.require_edit(actor, plan)


def _unagree(actor: Any, plan: DevelopmentPlan, why: str) -> None:
    """A changed plan is no longer the plan that was agreed: back to draft."""
    if plan.status in DEVELOPMENT_PLAN.sources_of(PlanStatus.DRAFT):
        DEVELOPMENT_PLAN.move(actor, plan, PlanStatus.DRAFT)
        core.update(actor=actor, obj=plan, data={"status": PlanStatus.DRAFT, "agreed_at": None}, note=f"changed: {why}")


@transaction.atomic
def goal_add(
    *, actor: Any, plan: DevelopmentPlan, text: str, item: FrameworkItem | None = None, origin: str = GoalOrigin.OWN
) -> Goal:
    _editable(actor, plan)
    goal = core.create(actor=actor, obj=Goal(plan=plan, text=text.strip(), item=item, origin=origin))
    _unagree(actor, plan, "goal added")
    return goal


@transaction.atomic
def action_add(
    *,
    actor: Any,
    goal: Goal,
    text: str,
    opportunity: Opportunity | None = None,
    due_on: dt.date | None = None,
) -> Action:
    plan = goal.plan
    _editable(actor, plan)
    if due_on is not None and not plan.starts_on <= due_on <= plan.ends_on + dt.timedelta(days=365):
        raise ValidationError({"due_on": f"Choose a date from {plan.starts_on:%d %B %Y} within the plan's period."})
    action = core.create(actor=actor, obj=Action(goal=goal, text=text.strip(), opportunity=opportunity, due_on=due_on))
    _unagree(actor, plan, "action added")
    return action


@transaction.atomic
def action_set_status(*, actor: Any, action: Action, status: str, today: dt.date) -> Action:
    plan = action.goal.plan
    _editable(actor, plan)
    if status not in ActionStatus.values:
        raise ValidationError({"status": "Choose a status."})
    # Progress is not a change of plan: an agreed plan stays agreed while its actions get done.
    return core.update(
        actor=actor,
        obj=action,
        data={"status": status, "completed_on": today if status == ActionStatus.DONE else None},
    )


@transaction.atomic
def suggestion_add(
    *,
    actor: Any,
    person: Person,
    opportunity: Opportunity,
    item: FrameworkItem | None,
    role: PostType | None,
    today: dt.date,
    origin: str = "",
) -> Action:
    """Put a suggested opportunity into the current plan (starting a one-year plan if there is none): under the
    goal for the gap it builds, or a new goal for it whose origin is the gap's source (self-assessment or 360)."""

    plan = current_plan(person) or plan_start(
        actor=actor, person=person, target_role=role, starts_on=today, ends_on=today + dt.timedelta(days=365)
    )
    if Action.objects.filter(goal__plan=plan, opportunity=opportunity).exists():
        raise ValidationError(f"'{opportunity.title}' is already in your plan.")
    goal = None
    if item is not None:
        goal = plan.goals.filter(item=item).first()
    if goal is None:
        goal = goal_add(
            actor=actor,
            plan=plan,
            text=f"Develop: {item.text}" if item else f"Prepare for the {role.name.lower() if role else 'next'} role",
            item=item,
            origin=origin if origin in GoalOrigin.values else GoalOrigin.TARGET_ROLE,
        )
    return action_add(
        actor=actor,
        goal=goal,
        text=opportunity.title,
        opportunity=opportunity,
        due_on=min(plan.ends_on, today + dt.timedelta(days=182)),
    )


@transaction.atomic
def plan_request_agreement(*, actor: Any, plan: DevelopmentPlan, agreer: Person) -> DevelopmentPlan:
    _editable(actor, plan)
    if agreer.trust_id != plan.trust_id:
        raise ValidationError({"agreer": "Choose a person of your trust."})
    if not plan.goals.exists():
        raise ValidationError("Add at least one goal before asking for agreement.")
    DEVELOPMENT_PLAN.move(actor, plan, PlanStatus.AWAITING)
    plan = core.update(actor=actor, obj=plan, data={"agreer": agreer, "status": PlanStatus.AWAITING})
    _notify(
        [agreer.pk],
        "A development plan to agree",
        f"{plan.person.display_name} has asked you to agree their development plan in medlead.",
    )
    return plan


@transaction.atomic
def plan_agree(*, actor: Any, plan: DevelopmentPlan) -> DevelopmentPlan:
    if plan.status != PlanStatus.AWAITING:
        raise ValidationError("This plan is not waiting for agreement.")
    DEVELOPMENT_PLAN.move(actor, plan, PlanStatus.AGREED)
    plan = core.update(actor=actor, obj=plan, data={"status": PlanStatus.AGREED, "agreed_at": timezone.now()})
    _notify([plan.person_id], "Your development plan is agreed", "Your development plan has been agreed in medlead.")
    return plan


@transaction.atomic
def plan_review(*, actor: Any, plan: DevelopmentPlan, notes: str, today: dt.date) -> PlanReview:
    require(actor, Perm.VIEW_PDP, plan)
    if not DEVELOPMENT_PLAN.editable(plan):
        raise ValidationError("This plan is closed: it is history now.")
    if not notes.strip():
        raise ValidationError({"notes": "Write what was reviewed and agreed."})

    progress = plan_progress(plan)
    return core.create(
        actor=actor,
        obj=PlanReview(
            plan=plan,
            reviewed_on=today,
            reviewer_id=getattr(actor, "person_id", None),
            notes=notes.strip(),
            actions_done=progress["done"],
            actions_total=progress["total"],
        ),
    )


def plan_close(*, actor: Any, plan: DevelopmentPlan) -> DevelopmentPlan:
    DEVELOPMENT_PLAN.move(actor, plan, PlanStatus.CLOSED)
    return core.update(actor=actor, obj=plan, data={"status": PlanStatus.CLOSED})


# ---------------------------------------------------------------------------------------- experience log


@transaction.atomic
def experience_log(
    *, actor: Any, person: Person, data: dict[str, Any], items: list[FrameworkItem], today: dt.date
) -> Experience:
    """Log an activity. Linked to a PDP action, it marks the action done. Framework items default to those the
    catalogue says the opportunity builds."""
    _own(actor, person)
    if data.get("started_on") and data["started_on"] > today:
        raise ValidationError({"started_on": "Log an activity once it has started."})
    action = data.get("action")
    if action is not None and action.goal.plan.person_id != person.pk:
        raise ValidationError({"action": "That action is not in your plan."})
    exp = core.create(actor=actor, obj=Experience(trust_id=person.trust_id, person=person, **data))
    opportunity = data.get("opportunity")
    if not items and opportunity is not None:
        items = list(opportunity.items.all())
    exp.items.set(items)
    if action is not None and action.status != ActionStatus.DONE:
        action_set_status(actor=actor, action=action, status=ActionStatus.DONE, today=today)
    return exp


# ------------------------------------------------------------------------------------------- openings


def opening_post(*, actor: Any, trust: Any, data: dict[str, Any], today: dt.date) -> Opening:
    require(actor, Perm.MANAGE_OPENINGS, trust)
    if data.get("closes_on") and data["closes_on"] < today:
        raise ValidationError({"closes_on": "The closing date cannot be in the past."})
    return core.create(actor=actor, obj=Opening(trust=trust, posted_by=actor, **data))


@transaction.atomic
def opening_publish(*, actor: Any, opening: Opening, trusts: Sequence[Trust]) -> list[OpeningPublication]:
    """Publish an open opening to other trusts (issue 34): their doctors see it in their openings and apply with the
    same flow; the host trust still decides. Only to trusts this actor may publish to (``publishable_trusts``), each
    once."""
    require(actor, Perm.PUBLISH_OPENING, opening)
    if not trusts:
        raise ValidationError({"trusts": "Choose at least one trust to publish it to."})
    allowed = set(publishable_trusts(actor, opening).values_list("pk", flat=True))
    if any(t.pk not in allowed for t in trusts):
        raise ValidationError({"trusts": "Choose trusts from the list: it is already open to those not listed."})
    return [
        core.create(actor=actor, obj=OpeningPublication(opening=opening, to_trust=t, published_by=actor))
        for t in trusts
    ]


def open_to(opening: Opening, person: Person) -> bool:
    """Whether the opening is open to this person's trust: its own, or one it is published to."""
    return opening.trust_id == person.trust_id or opening.publications.filter(to_trust_id=person.trust_id).exists()


def interest_express(
    *, actor: Any, person: Person, opening: Opening, statement: str, today: dt.date, share_with_home: bool = False
) -> Interest:
    """Apply for an opening of one's own trust or of another trust that published it to one's trust; an applicant
    from another trust may let their own trust's medical director see the application (``share_with_home``)."""
    _own(actor, person)
    if not open_to(opening, person):
        raise Forbidden(message="You can apply only for openings open to your trust's doctors.")
    if not opening.takes_interest_on(today):
        raise ValidationError("This opening has closed.")
    if not statement.strip():
        raise ValidationError({"statement": "Say briefly why you want it and what you would bring."})
    if Interest.objects.filter(opening=opening, person=person).exists():
        raise ValidationError("You have already expressed interest in this opening.")
    interest = core.create(
        actor=actor,
        obj=Interest(
            opening=opening,
            person=person,
            statement=statement.strip(),
            shared_with_home=share_with_home and opening.trust_id != person.trust_id,
        ),
    )
    return interest


def application_share(*, actor: Any, interest: Interest, share: bool) -> Interest:
    """The applicant shares their application to another trust's opening with their own trust's medical director's
    office, or stops sharing it (at once)."""
    require(actor, Perm.EDIT_DEVELOPMENT_RECORD, interest)
    if not interest.from_another_trust:
        raise ValidationError("Your own trust's medical director already decides this application.")
    return core.update(actor=actor, obj=interest, data={"shared_with_home": share})


@transaction.atomic
def opening_decide(*, actor: Any, opening: Opening, selected_ids: list[int]) -> Opening:
    """Select from those interested; everyone who expressed interest is told the outcome."""
    if opening.status != OpeningStatus.OPEN:
        raise ValidationError("This opening has already been decided.")
    OPENING.move(actor, opening, OpeningStatus.DECIDED)
    interests = list(opening.interests.exclude(status=InterestStatus.WITHDRAWN).select_related("person"))
    valid = {i.pk for i in interests}
    if not selected_ids:
        raise ValidationError("Select at least one person, or withdraw the opening.")
    if not set(selected_ids) <= valid:
        raise ValidationError("Select only people who expressed interest.")
    if len(selected_ids) > opening.places:
        raise ValidationError(f"There are {opening.places} places; you selected {len(selected_ids)}.")
    chosen: list[int] = []
    others: list[int] = []
    for i in interests:
        status = InterestStatus.SELECTED if i.pk in selected_ids else InterestStatus.NOT_SELECTED
        core.update(actor=actor, obj=i, data={"status": status})
        (chosen if status == InterestStatus.SELECTED else others).append(i.person_id)
    opening = core.update(
        actor=actor, obj=opening, data={"status": OpeningStatus.DECIDED, "decided_at": timezone.now()}
    )
    _notify(chosen, f"Selected: {opening.title}", f"You have been selected for '{opening.title}'. Congratulations.")
    _notify(
        others,
        f"Not selected this time: {opening.title}",
        f"Thank you for your interest in '{opening.title}'. You were not selected this time.",
    )
    return opening


# ---------------------------------------------------------------------------------------------- mentoring


@transaction.atomic
def mentorship_request(*, actor: Any, mentee: Person, mentor: Any, goals: str) -> Mentorship:
    """Ask a mentor or coach of one's own trust's register, or of the region's bank (issue 34). The mentorship is the
    mentee's trust's record; the mentor answers from their own trust's pages; its log is the pair's alone."""
    _own(actor, mentee)
    if not mentor.active or not (mentor.trust_id == mentee.trust_id or in_regions_bank(mentor, mentee.trust)):
        raise ValidationError("Choose a mentor or coach from the register or the region's bank.")
    if mentor.person_id == mentee.pk:
        raise ValidationError("You cannot be your own mentor.")
    if not goals.strip():
        raise ValidationError({"goals": "Say what you would like help with."})
    if mentor.person_id and mentor.person_id in line_managers(mentee):
        raise ValidationError("Choose a mentor outside your own line management.")
    load = mentor.mentorships.filter(status__in=[MentorshipStatus.REQUESTED, MentorshipStatus.ACTIVE]).count()
    if load >= mentor.capacity:
        raise ValidationError(f"{mentor.display_name} has no capacity left; choose another.")
    if mentor.mentorships.filter(
        mentee=mentee, status__in=[MentorshipStatus.REQUESTED, MentorshipStatus.ACTIVE]
    ).exists():
        raise ValidationError(f"You already have a request or mentoring with {mentor.display_name}.")
    m = core.create(
        actor=actor, obj=Mentorship(trust_id=mentee.trust_id, mentee=mentee, mentor=mentor, goals=goals.strip())
    )
    _notify(
        [mentor.person_id],
        "A request for mentoring",
        f"{mentee.display_name} has asked you to be their {mentor.get_kind_display().lower()}"
        + (" in medlead." if mentor.person_id else f". Please reply to them at {mentee.email or 'their trust email'}."),
        emails=[] if mentor.person_id else [mentor.email],
    )
    return m


def mentorship_respond(*, actor: Any, mentorship: Mentorship, accept: bool) -> Mentorship:
    if mentorship.status != MentorshipStatus.REQUESTED:
        raise ValidationError("This request has already been answered.")
    MENTORSHIP.move(actor, mentorship, MentorshipStatus.ACTIVE if accept else MentorshipStatus.DECLINED)
    m = core.update(
        actor=actor,
        obj=mentorship,
        data={
            "status": MentorshipStatus.ACTIVE if accept else MentorshipStatus.DECLINED,
            "responded_at": timezone.now(),
        },
    )
    _notify(
        [m.mentee_id],
        "Your mentoring request",
        f"{m.mentor.display_name} has {'accepted' if accept else 'declined'} your request.",
    )
    return m


def mentorship_end(*, actor: Any, mentorship: Mentorship) -> Mentorship:
    if mentorship.status != MentorshipStatus.ACTIVE:
        raise ValidationError("Only active mentoring can be ended.")
    MENTORSHIP.move(actor, mentorship, MentorshipStatus.ENDED)
    return core.update(actor=actor, obj=mentorship, data={"status": MentorshipStatus.ENDED, "ended_at": timezone.now()})


def meeting_log(*, actor: Any, mentorship: Mentorship, data: dict[str, Any], today: dt.date) -> MentoringMeeting:
    require(actor, Perm.VIEW_MENTORSHIP, mentorship)
    if not MENTORSHIP.editable(mentorship):
        raise ValidationError("Meetings are logged while the mentoring is active.")
    if data.get("met_on") and data["met_on"] > today:
        raise ValidationError({"met_on": "Log a meeting once it has happened."})
    return core.create(actor=actor, obj=MentoringMeeting(mentorship=mentorship, **data))


@transaction.atomic
def mentor_bank_set(*, actor: Any, mentor: Mentor, offer: bool, agreed: bool, today: dt.date) -> Mentor:
    """Offer a mentor on the trust's register to the region's bank, with their agreement recorded on ``today``, or
    take them out of it (requests already made stay with the pair)."""
    require(actor, Perm.MANAGE_MENTOR_REGISTER, mentor)
    if offer:
        if mentor.trust.region_id is None:
            raise ValidationError("This trust belongs to no region, so there is no regional bank to offer mentors to.")
        if not mentor.active:
            raise ValidationError("Only an active mentor or coach can be offered to the region.")
        if not agreed:
            raise ValidationError(
                {"agreed": f"Confirm that {mentor.display_name} has agreed to mentor doctors of other trusts."}
            )
        data: dict[str, Any] = {"in_regional_bank": True, "bank_agreed_on": today}
    else:
        data = {"in_regional_bank": False, "bank_agreed_on": None}
    return core.update(actor=actor, obj=mentor, data=data, note="the region's mentor and coach bank")


# ---------------------------------------------------------------------------------------- readiness share


def share_readiness(*, actor: Any, person: Person, role: PostType, shared_with: Person) -> ReadinessShare:
    _own(actor, person)
    if shared_with.trust_id != person.trust_id:
        raise ValidationError({"shared_with": "Choose a person of your trust."})
    if ReadinessShare.objects.filter(
        person=person, target_role=role, shared_with=shared_with, revoked_at__isnull=True
    ).exists():
        raise ValidationError(f"Already shared with {shared_with.display_name}.")
    share = core.create(
        actor=actor,
        obj=ReadinessShare(trust_id=person.trust_id, person=person, target_role=role, shared_with=shared_with),
    )
    _notify(
        [shared_with.pk],
        "A readiness report shared with you",
        f"{person.display_name} has shared their readiness report for {role.name.lower()} with you in medlead.",
    )
    return share


def share_revoke(*, actor: Any, share: ReadinessShare) -> ReadinessShare:
    _own(actor, share.person)
    return core.update(actor=actor, obj=share, data={"revoked_at": timezone.now()})
