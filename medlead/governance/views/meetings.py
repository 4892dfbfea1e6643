"""Meetings of the board and its committees, their papers, decisions and actions, and the action log."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render

from medlead.core.dates import today
from medlead.core.policy import Perm, can, require
from medlead.core.query import strict
from medlead.governance import presenters, selectors, services
from medlead.governance.forms import (
    ActionForm,
    ActionsQuery,
    ActionUpdateForm,
    DecisionForm,
    DecisionQuery,
    MeetingForm,
    PaperForm,
)
from medlead.governance.models import Action, BoardReport, Meeting
from medlead.governance.views import SECTION, board_form
from medlead.organisation.selectors import trust_for


def meetings(request: HttpRequest, trust_code: str) -> HttpResponse:
    trust = trust_for(request.user, trust_code, Perm.VIEW_MEETINGS)
    return render(
        request,
        "governance/meetings.jinja",
        {
            "current_trust": trust,
            "section": SECTION,
            "meetings": Meeting.objects.filter(trust=trust).select_related("committee")[:200],
            "can_manage": can(request.user, Perm.MANAGE_MEETINGS, trust),
        },
    )


def meeting_new(request: HttpRequest, trust_code: str) -> HttpResponse:
    trust = trust_for(request.user, trust_code, Perm.MANAGE_MEETINGS)
    return board_form(
        request,
        trust=trust,
        form=MeetingForm(request.POST or None, trust=trust),
        title="Add a meeting",
        save=lambda d: services.meeting_create(actor=request.user, trust=trust, **d),
        done=lambda mt: redirect("governance:meeting", trust_code=trust.code, pk=mt.pk),
    )


def find_meeting(trust: Any, pk: int) -> Meeting:
    return get_object_or_404(Meeting.objects.select_related("committee"), trust=trust, pk=pk)


def meeting(request: HttpRequest, trust_code: str, pk: int) -> HttpResponse:
    trust = trust_for(request.user, trust_code, Perm.VIEW_MEETINGS)
    mt = find_meeting(trust, pk)
    return render(
        request,
        "governance/meeting.jinja",
        {
            "current_trust": trust,
            "section": SECTION,
            "mt": mt,
            "papers": mt.papers.select_related("presented_by"),
            "decisions": mt.decisions.prefetch_related("actions__owner"),
            "actions": mt.actions.select_related("owner", "metric"),
            "reports": presenters.readable_reports(request.user, trust, mt.reports.all()),
            "today": today(),
            "can_manage": can(request.user, Perm.MANAGE_MEETINGS, trust),
            "can_report": can(request.user, Perm.EDIT_BOARD_REPORT, BoardReport(trust=trust, meeting=mt)),
        },
    )


def paper_add(request: HttpRequest, trust_code: str, pk: int) -> HttpResponse:
    trust = trust_for(request.user, trust_code, Perm.MANAGE_MEETINGS)
    mt = find_meeting(trust, pk)
    return board_form(
        request,
        trust=trust,
        form=PaperForm(request.POST or None, trust=trust),
        title=f"Add a paper to the {mt}",
        save=lambda d: services.paper_add(actor=request.user, meeting=mt, **d),
        done=lambda _: redirect("governance:meeting", trust_code=trust.code, pk=mt.pk),
    )


def decision_add(request: HttpRequest, trust_code: str, pk: int) -> HttpResponse:
    trust = trust_for(request.user, trust_code, Perm.MANAGE_MEETINGS)
    mt = find_meeting(trust, pk)
    return board_form(
        request,
        trust=trust,
        form=DecisionForm(request.POST or None),
        title=f"Record a decision of the {mt}",
        save=lambda d: services.decision_add(actor=request.user, meeting=mt, **d),
        done=lambda _: redirect("governance:meeting", trust_code=trust.code, pk=mt.pk),
    )


def action_add(request: HttpRequest, trust_code: str, pk: int) -> HttpResponse:
    trust = trust_for(request.user, trust_code, Perm.MANAGE_MEETINGS)
    mt = find_meeting(trust, pk)
    decision = strict(DecisionQuery(request.GET, meeting=mt))["decision"]
    return board_form(
        request,
        trust=trust,
        form=ActionForm(request.POST or None, trust=trust),
        title=f"Add an action from the {mt}",
        save=lambda d: services.action_add(actor=request.user, trust=trust, meeting=mt, decision=decision, **d),
        done=lambda _: redirect("governance:meeting", trust_code=trust.code, pk=mt.pk),
    )


def actions(request: HttpRequest, trust_code: str) -> HttpResponse:
    """The action log: overdue first. Everyone sees the actions they own; the board's readers see them all."""
    trust = trust_for(request.user, trust_code)
    asked = strict(ActionsQuery(request.GET))
    mine, closed = asked["mine"] == "1", asked["closed"] == "1"
    qs = selectors.actions_for(actor=request.user, trust=trust, today=today(), mine=mine, open_only=not closed)
    return render(
        request,
        "governance/actions.jinja",
        {
            "current_trust": trust,
            "section": SECTION,
            "actions": qs[:500],
            "mine": mine,
            "closed": closed,
            "today": today(),
            "sees_all": can(request.user, Perm.VIEW_MEETINGS, trust),
        },
    )


def action(request: HttpRequest, trust_code: str, pk: int) -> HttpResponse:
    trust = trust_for(request.user, trust_code)
    a = get_object_or_404(Action.objects.select_related("owner", "meeting", "metric", "decision"), trust=trust, pk=pk)
    require(request.user, Perm.VIEW_ACTION, a)
    # the progress box starts empty: an update is a new note, shown above it once saved (issue 31)
    form = ActionUpdateForm(request.POST or None, initial={"status": a.status, "due": a.due})
    if request.method == "POST" and form.is_valid():
        try:
            services.action_update(actor=request.user, action=a, today=today(), **form.cleaned_data)
            messages.success(request, "Saved.")
            return redirect("governance:action", trust_code=trust.code, pk=a.pk)
        except ValidationError as exc:
            form.add_error(None, exc)
    return render(
        request,
        "governance/action.jinja",
        {
            "current_trust": trust,
            "section": SECTION,
            "a": a,
            "notes": list(a.notes.select_related("by")),
            "form": form,
            "today": today(),
            "can_update": can(request.user, Perm.UPDATE_ACTION, a),
        },
    )
