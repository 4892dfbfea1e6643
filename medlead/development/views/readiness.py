"""The readiness report for a role: the doctor's own page and PDF, sharing it and stopping, and a shared report as
the person it was shared with reads it (every read audited)."""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db.models import Q
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.views.decorators.http import require_POST, require_safe

from medlead.core import audit as auditor
from medlead.core.pdf import pdf_response
from medlead.development import forms as f
from medlead.development import selectors, services
from medlead.development.models import ReadinessShare
from medlead.development.views.common import refuse, render_page
from medlead.organisation.models import Person, Trust
from medlead.organisation.selectors import own_person
from medlead.structure.models import PostType

NO_ROLE = "Choose a target role first."


def _role(request: HttpRequest, person: Person) -> PostType | None:
    """The role asked for (``?role=``), else the doctor's target role; None for a role that does not exist."""
    query = f.RoleQueryForm(request.GET)
    if not query.is_valid():
        return None
    return query.cleaned_data["role"] or selectors.target_role(person)


def _page(
    request: HttpRequest, trust: Trust, person: Person, role: PostType, failed: forms.Form | None = None
) -> HttpResponse:
    return render_page(
        request,
        "development/readiness.jinja",
        trust,
        **selectors.readiness(person, role),
        owner=True,
        failed=failed,
        pdf_url=f"{reverse('development:readiness_pdf', kwargs={'trust_code': trust.code})}?role={role.code}",
        shares=selectors.shares_for(person).filter(target_role=role),
        share_form=failed
        if isinstance(failed, f.ShareForm)
        else f.ShareForm(trust_id=trust.pk, exclude=person.pk, initial={"role": role.code}),
    )


@require_safe
def readiness(request: HttpRequest, trust_code: str) -> HttpResponse:
    trust, person = own_person(request.user, trust_code)
    role = _role(request, person)
    if role is None:
        messages.error(request, NO_ROLE)
        return redirect("development:home", trust_code=trust.code)
    return _page(request, trust, person, role)


@require_safe
def readiness_pdf(request: HttpRequest, trust_code: str) -> HttpResponse:
    trust, person = own_person(request.user, trust_code)
    role = _role(request, person)
    if role is None:
        messages.error(request, NO_ROLE)
        return redirect("development:home", trust_code=trust.code)
    return pdf_response(
        request,
        "development/readiness_pdf.jinja",
        selectors.readiness(person, role),
        f"readiness-{role.code}.pdf",
        trust=trust,
        confidential=True,
    )


def _back(trust: Trust, role: PostType) -> HttpResponse:
    return redirect(f"{reverse('development:readiness', kwargs={'trust_code': trust.code})}?role={role.code}")


def _refused(request: HttpRequest, trust: Trust, person: Person, form: forms.Form) -> HttpResponse:
    role = (form.cleaned_data.get("role") if hasattr(form, "cleaned_data") else None) or selectors.target_role(person)
    if role is None:
        messages.error(request, NO_ROLE)
        return redirect("development:home", trust_code=trust.code)
    return _page(request, trust, person, role, failed=form)


@require_POST
def share(request: HttpRequest, trust_code: str) -> HttpResponse:
    trust, person = own_person(request.user, trust_code)
    form = f.ShareForm(request.POST, trust_id=trust.pk, exclude=person.pk)
    if form.is_valid():
        role = form.cleaned_data["role"]
        try:
            s = services.share_readiness(
                actor=request.user, person=person, role=role, shared_with=form.cleaned_data["shared_with"]
            )
            messages.success(request, f"Shared with {s.shared_with.display_name}.")
            return _back(trust, role)
        except ValidationError as exc:
            refuse(form, exc)
    return _refused(request, trust, person, form)


@require_POST
def revoke(request: HttpRequest, trust_code: str) -> HttpResponse:
    trust, person = own_person(request.user, trust_code)
    form = f.RevokeForm(request.POST, person=person)
    if form.is_valid():
        s = form.cleaned_data["share"]
        try:
            services.share_revoke(actor=request.user, share=s)
            messages.success(request, f"No longer shared with {s.shared_with.display_name}.")
            return _back(trust, form.cleaned_data["role"])
        except ValidationError as exc:
            refuse(form, exc)
    return _refused(request, trust, person, form)


def _shared(request: HttpRequest, trust_code: str, pk: int) -> tuple[Trust, ReadinessShare]:
    """A readiness report someone chose to share with the viewer; every read is audited."""
    trust, me = own_person(request.user, trust_code)
    s = get_object_or_404(
        ReadinessShare.objects.select_related("person", "target_role"),
        Q(shared_with=me),
        trust=trust,
        pk=pk,
        revoked_at__isnull=True,
    )
    auditor.audit_read(actor=request.user, obj=s, note="shared readiness report read")
    return trust, s


@require_safe
def readiness_shared(request: HttpRequest, trust_code: str, pk: int) -> HttpResponse:
    trust, s = _shared(request, trust_code, pk)
    return render_page(
        request,
        "development/readiness.jinja",
        trust,
        **selectors.readiness(s.person, s.target_role),
        owner=False,
        pdf_url=reverse("development:readiness_shared_pdf", kwargs={"trust_code": trust.code, "pk": s.pk}),
    )


@require_safe
def readiness_shared_pdf(request: HttpRequest, trust_code: str, pk: int) -> HttpResponse:
    trust, s = _shared(request, trust_code, pk)
    return pdf_response(
        request,
        "development/readiness_pdf.jinja",
        {**selectors.readiness(s.person, s.target_role), "share": s},
        f"readiness-{s.pk}.pdf",
        trust=trust,
        confidential=True,
    )
