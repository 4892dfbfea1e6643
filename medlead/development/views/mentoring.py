"""Mentoring and coaching: the register, asking for a mentor, and a mentoring relationship's page with one view for
each thing done on it (answer the request, log a meeting, end it)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django import forms
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db.models import Q
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.views.decorators.http import require_POST, require_safe

from medlead.core import services as core
from medlead.core.dates import today
from medlead.core.policy import Perm, can, read
from medlead.core.views import form_page
from medlead.development import forms as f
from medlead.development import presenters, selectors, services
from medlead.development.models import Mentor, Mentorship
from medlead.development.views.common import SECTION, refuse, render_page
from medlead.organisation.models import Trust
from medlead.organisation.selectors import own_person, trust_for


@require_safe
def mentors(request: HttpRequest, trust_code: str) -> HttpResponse:
    """The trust's register, and the region's bank: mentors other trusts of the region offered to it (issue 34)."""
    trust = trust_for(request.user, trust_code)
    return render_page(
        request,
        "development/mentors.jinja",
        trust,
        mentors=Mentor.objects.filter(trust=trust, active=True).select_related("person"),
        bank=selectors.regional_bank(trust),
        can_register=can(request.user, Perm.MANAGE_MENTOR_REGISTER, trust),
    )


def mentor_new(request: HttpRequest, trust_code: str) -> HttpResponse:
    trust = trust_for(request.user, trust_code, Perm.MANAGE_MENTOR_REGISTER)
    form = f.MentorForm(request.POST or None, trust=trust, instance=Mentor(trust=trust))
    if request.method == "POST" and form.is_valid():
        mentor = core.create(actor=request.user, obj=form.save(commit=False))
        mentor.items.set(form.cleaned_data["items"])
        messages.success(request, f"{mentor.display_name} is on the register.")
        return redirect("development:mentors", trust_code=trust.code)
    return form_page(
        request,
        trust=trust,
        section=SECTION,
        form=form,
        title="Add a mentor or coach to the register",
        button="Continue",
    )


def mentoring_request(request: HttpRequest, trust_code: str) -> HttpResponse:
    trust, person = own_person(request.user, trust_code)
    role = selectors.target_role(person)
    found = selectors.gaps(person, role) if role else []
    matches = selectors.mentor_matches(person, role, limit=10, found=found)
    bank = selectors.mentor_matches(person, role, limit=10, bank=True, found=found)
    # this trust's register and the region's bank (other trusts' mentors offered to the region)
    offered = Mentor.objects.filter(
        Q(trust=trust) | Q(trust__region_id=trust.region_id, in_regional_bank=True),
        pk__in=[m["mentor"].pk for m in matches + bank],
    ).select_related("trust", "person")
    # a link from the register proposes a mentor; one not offered to this doctor proposes nobody
    query = f.MentorQueryForm(request.GET, mentors=offered)
    proposed = query.cleaned_data["mentor"] if query.is_valid() else None
    form = f.MentoringRequestForm(
        request.POST or None, mentors=offered, trust_id=trust.pk, initial={"mentor": proposed}
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.mentorship_request(
                actor=request.user, mentee=person, mentor=form.cleaned_data["mentor"], goals=form.cleaned_data["goals"]
            )
            messages.success(request, f"Your request has gone to {form.cleaned_data['mentor'].display_name}.")
            return redirect("development:home", trust_code=trust.code)
        except ValidationError as exc:
            form.add_error(None, exc)
    return render_page(
        request, "development/mentoring_request.jinja", trust, form=form, matches=matches, bank=bank, role=role
    )


def _mentorship(request: HttpRequest, trust_code: str, pk: int) -> tuple[Trust, Mentorship]:
    trust = trust_for(request.user, trust_code)
    # the mentee's trust's record, also reached from the mentor's own trust's pages (a mentor of the region's bank)
    m = get_object_or_404(
        Mentorship.objects.filter(Q(trust=trust) | Q(mentor__trust=trust)).select_related(
            "mentee__trust", "mentor__person", "mentor__trust"
        ),
        pk=pk,
    )
    read(request.user, Perm.VIEW_MENTORSHIP, m, why="mentoring log read")
    return trust, m


def _page(request: HttpRequest, trust: Trust, m: Mentorship, failed: forms.Form | None = None) -> HttpResponse:
    return render_page(
        request,
        "development/mentorship.jinja",
        trust,
        page=presenters.mentorship_page(request.user, m),
        m=m,
        failed=failed,
        form=failed if isinstance(failed, f.MeetingForm) else f.MeetingForm(initial={"met_on": today()}),
    )


@require_safe
def mentorship(request: HttpRequest, trust_code: str, pk: int) -> HttpResponse:
    trust, m = _mentorship(request, trust_code, pk)
    return _page(request, trust, m)


def _act(
    request: HttpRequest,
    trust_code: str,
    pk: int,
    form: forms.Form,
    save: Callable[[Mentorship, dict[str, Any]], object],
) -> HttpResponse:
    trust, m = _mentorship(request, trust_code, pk)
    if form.is_valid():
        try:
            save(m, form.cleaned_data)
            messages.success(request, "Saved.")
            return redirect("development:mentorship", trust_code=trust.code, pk=m.pk)
        except ValidationError as exc:
            refuse(form, exc)
    return _page(request, trust, m, failed=form)


@require_POST
def respond(request: HttpRequest, trust_code: str, pk: int) -> HttpResponse:
    return _act(
        request,
        trust_code,
        pk,
        f.RespondForm(request.POST),
        lambda m, d: services.mentorship_respond(actor=request.user, mentorship=m, accept=d["answer"] == "accept"),
    )


@require_POST
def meeting(request: HttpRequest, trust_code: str, pk: int) -> HttpResponse:
    return _act(
        request,
        trust_code,
        pk,
        f.MeetingForm(request.POST),
        lambda m, d: services.meeting_log(actor=request.user, mentorship=m, data=d, today=today()),
    )


@require_POST
def end(request: HttpRequest, trust_code: str, pk: int) -> HttpResponse:
    return _act(
        request,
        trust_code,
        pk,
        forms.Form(request.POST),
        lambda m, d: services.mentorship_end(actor=request.user, mentorship=m),
    )
