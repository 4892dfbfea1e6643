"""The register of external bodies, their contacts and the trust's engagements with them."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render

from medlead.core.policy import Perm, can
from medlead.governance import services
from medlead.governance.forms import BodyForm, ContactForm, EngagementForm
from medlead.governance.models import ExternalBody
from medlead.governance.views import SECTION, board_form
from medlead.organisation.selectors import trust_for


def external(request: HttpRequest, trust_code: str) -> HttpResponse:
    trust = trust_for(request.user, trust_code, Perm.VIEW_EXTERNAL)
    return render(
        request,
        "governance/external.jinja",
        {
            "current_trust": trust,
            "section": SECTION,
            "bodies": ExternalBody.objects.filter(trust=trust).prefetch_related("contacts")[:500],
            "can_manage": can(request.user, Perm.MANAGE_EXTERNAL, trust),
        },
    )


def body_new(request: HttpRequest, trust_code: str) -> HttpResponse:
    trust = trust_for(request.user, trust_code, Perm.MANAGE_EXTERNAL)
    return board_form(
        request,
        trust=trust,
        form=BodyForm(request.POST or None),
        title="Add a body to the register",
        save=lambda d: services.body_add(actor=request.user, trust=trust, **d),
        done=lambda b: redirect("governance:body", trust_code=trust.code, pk=b.pk),
    )


def body(request: HttpRequest, trust_code: str, pk: int) -> HttpResponse:
    trust = trust_for(request.user, trust_code, Perm.VIEW_EXTERNAL)
    b = get_object_or_404(ExternalBody, trust=trust, pk=pk)
    return render(
        request,
        "governance/body.jinja",
        {
            "current_trust": trust,
            "section": SECTION,
            "b": b,
            "contacts": b.contacts.all(),
            "engagements": b.engagements.select_related("by")[:200],
            "can_manage": can(request.user, Perm.MANAGE_EXTERNAL, b),
        },
    )


def contact_add(request: HttpRequest, trust_code: str, pk: int) -> HttpResponse:
    trust = trust_for(request.user, trust_code, Perm.MANAGE_EXTERNAL)
    b = get_object_or_404(ExternalBody, trust=trust, pk=pk)
    return board_form(
        request,
        trust=trust,
        form=ContactForm(request.POST or None),
        title=f"Add a contact at {b}",
        save=lambda d: services.contact_add(actor=request.user, body=b, **d),
        done=lambda _: redirect("governance:body", trust_code=trust.code, pk=b.pk),
    )


def engagement_add(request: HttpRequest, trust_code: str, pk: int) -> HttpResponse:
    trust = trust_for(request.user, trust_code, Perm.MANAGE_EXTERNAL)
    b = get_object_or_404(ExternalBody, trust=trust, pk=pk)
    return board_form(
        request,
        trust=trust,
        form=EngagementForm(request.POST or None, trust=trust),
        title=f"Record an engagement with {b}",
        save=lambda d: services.engagement_add(actor=request.user, body=b, **d),
        done=lambda _: redirect("governance:body", trust_code=trust.code, pk=b.pk),
    )
