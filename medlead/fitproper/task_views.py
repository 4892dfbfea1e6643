"""The page "What needs you" opens for fit and proper persons: exactly the board members' records of one task
(assessments overdue, terms of office ending, assessments ready for the reader's sign-off), oldest first, each with
its age; the assessment itself when there is one."""

from __future__ import annotations

import datetime as dt

from django import forms
from django.http import HttpRequest, HttpResponse
from django.urls import reverse
from django.views.decorators.http import require_safe

from medlead.core import dates
from medlead.core.policy import Forbidden, Perm, can, has_board_seat
from medlead.core.query import QueryForm
from medlead.core.views import task_list
from medlead.core.work import Waiting
from medlead.fitproper.models import Assessment, Outcome
from medlead.organisation.models import BoardMember
from medlead.organisation.selectors import trust_for

SHOWN = {
    "overdue": ("Board members' fit and proper assessments that are overdue", "Due on"),
    "ending": ("Board members' terms of office ending within 90 days, or ended", "Term ends"),
    "ready": ("Fit and proper assessments ready for your sign-off", "Attested on"),
}


class WaitingQuery(QueryForm):
    show = forms.ChoiceField(label="Which records", choices=[(k, k) for k in SHOWN], required=False)


@require_safe
def waiting(request: HttpRequest, trust_code: str) -> HttpResponse:
    trust = trust_for(request.user, trust_code)
    show = WaitingQuery(request.GET).values()["show"] or "overdue"
    today = dates.today()
    manages = can(request.user, Perm.MANAGE_FPPT, trust)
    if show != "ready" and not manages:
        raise Forbidden(Perm.MANAGE_FPPT)
    items: list[Waiting] = []
    if show == "ending":
        register = reverse("fitproper:register", kwargs={"trust_code": trust.code})
        members = BoardMember.objects.filter(
            trust=trust, end__isnull=True, term_ends__lte=today + dt.timedelta(days=90)
        ).select_related("person")
        items = [
            Waiting(m.person.display_name, f"{register}#member-{m.pk}", m.term_ends, m.get_role_display())
            for m in members
            if m.term_ends is not None
        ]
    else:
        pending = Assessment.objects.filter(
            trust=trust, outcome=Outcome.PENDING, member__end__isnull=True
        ).select_related("member__person")
        if show == "overdue":
            chosen = [a for a in pending.filter(due_on__lt=today)]
        else:  # only a seat signs, and only what the reader may sign
            seat = has_board_seat(request.user, trust)
            chosen = [
                a
                for a in pending.filter(attested_on__isnull=False)
                if seat and can(request.user, Perm.SIGN_OFF_FPPT, a)
            ]
        items = [
            Waiting(
                a.member.person.display_name,
                reverse("fitproper:assessment", kwargs={"trust_code": trust.code, "pk": a.pk}),
                a.due_on if show == "overdue" else (a.attested_on or a.due_on),
                f"{a.get_kind_display()} assessment, due {a.due_on:%-d %B %Y}",
            )
            for a in chosen
        ]
    title, since = SHOWN[show]
    return task_list(
        request,
        trust=trust,
        section="board",
        title=title,
        items=items,
        today=today,
        since_label=since,
        back=(reverse("fitproper:register", kwargs={"trust_code": trust.code}), "All board members' records")
        if manages
        else None,
    )
