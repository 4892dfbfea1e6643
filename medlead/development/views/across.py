"""Development across trusts (issue 34, ADR 0036): publishing an opening to other trusts (a decision checked, then
confirmed), an application's own page (its applicant, the deciding trust, and the applicant's own trust only when
shared with it: 404 for everyone else), and offering a mentor to the region's bank."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db.models import Q
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.views.decorators.http import require_POST, require_safe

from medlead.core.dates import today
from medlead.core.policy import Perm, can, read, require
from medlead.core.views import changing, check_page, done_page, form_page
from medlead.development import forms as f
from medlead.development import selectors, services
from medlead.development.models import Interest, Mentor, Opening
from medlead.development.views.common import SECTION, refuse, render_page
from medlead.development.views.openings import opening_of
from medlead.organisation.models import Trust
from medlead.organisation.selectors import trust_for

# ------------------------------------------------------------------------------ publishing an opening


def _publishing(request: HttpRequest, trust_code: str, pk: int) -> tuple[Trust, Opening, f.PublishForm]:
    trust, opening = opening_of(request, trust_code, pk)
    if opening.trust_id != trust.pk:  # published here by another trust: it is published on its own trust's pages
        raise Http404("Publish an opening from its own trust's pages.")
    require(request.user, Perm.PUBLISH_OPENING, opening)
    data = request.POST if request.method == "POST" else None
    return trust, opening, f.PublishForm(data, trusts=selectors.publishable_trusts(request.user, opening))


def _publish_form(request: HttpRequest, trust: Trust, opening: Opening, form: f.PublishForm) -> HttpResponse:
    return form_page(
        request,
        trust=trust,
        section=SECTION,
        form=form,
        title=f"Publish '{opening.title}' to other trusts",
        lede="Doctors of the trusts you choose see it among their openings and apply as your own doctors do. Your "
        "trust still decides; their own trusts see nothing of their applications unless they share them.",
        button="Continue",
        back=(reverse("development:opening", kwargs={"trust_code": trust.code, "pk": opening.pk}), "Back to it"),
    )


def publish(request: HttpRequest, trust_code: str, pk: int) -> HttpResponse:
    """The trusts to publish to, then "Check your answers" (nothing published yet)."""
    trust, opening, form = _publishing(request, trust_code, pk)
    if request.method == "POST" and not changing(request) and form.is_valid():
        names = [t.name for t in form.cleaned_data["trusts"]]
        return check_page(
            request,
            trust=trust,
            section=SECTION,
            doing="publish this opening to other trusts",
            facts=[
                ("Opening", opening.title),
                ("Kind", opening.get_kind_display()),
                ("Closes", f"{opening.closes_on:%-d %B %Y}"),
                ("Decided by", f"{opening.trust.name}'s medical director and associates"),
            ],
            rows=[("Published to the doctors of", "; ".join(names))],
            form=form,
            confirm_url=reverse("development:opening_publish_confirm", kwargs={"trust_code": trust.code, "pk": pk}),
            change_url=reverse("development:opening_publish", kwargs={"trust_code": trust.code, "pk": pk}),
            change_posts=True,
            says=[
                f"The doctors of {'; '.join(names)} see '{opening.title}' among their openings at once and may apply "
                f"until {opening.closes_on:%-d %B %Y}.",
                "You see their applications with your own doctors' and decide them together. Their own trusts see "
                "nothing of an application unless its applicant shares it.",
                "Publishing cannot be taken back: withdraw the opening if it should close.",
            ],
            button="Publish it",
        )
    return _publish_form(request, trust, opening, form)


@require_POST
def publish_confirm(request: HttpRequest, trust_code: str, pk: int) -> HttpResponse:
    trust, opening, form = _publishing(request, trust_code, pk)
    if form.is_valid():
        try:
            made = services.opening_publish(actor=request.user, opening=opening, trusts=form.cleaned_data["trusts"])
        except ValidationError as exc:
            refuse(form, exc)
        else:
            names = "; ".join(p.to_trust.name for p in made)
            return done_page(
                request,
                trust=trust,
                section=SECTION,
                title="The opening is published",
                summary=f"'{opening.title}' is open to the doctors of {names}.",
                next_steps=[
                    f"They see it among their openings and may apply until {opening.closes_on:%-d %B %Y}.",
                    "Their applications appear on the opening's page with your own doctors'. Select from them all "
                    "when you decide: everyone who applied is told the outcome.",
                ],
                links=[
                    (
                        reverse("development:opening", kwargs={"trust_code": trust.code, "pk": opening.pk}),
                        "Go to the opening",
                    )
                ],
            )
    return _publish_form(request, trust, opening, form)


# ------------------------------------------------------------------------------------- an application


def _application(request: HttpRequest, trust_code: str, pk: int) -> tuple[Trust, Interest]:
    """An application reached through the deciding trust's or the applicant's trust's address, read through the
    policy: 404 for anyone it does not name (its existence is confidential)."""
    trust = trust_for(request.user, trust_code)
    interest = get_object_or_404(
        Interest.objects.filter(Q(opening__trust=trust) | Q(person__trust=trust)).select_related(
            "opening__trust", "person__trust__region"
        ),
        pk=pk,
    )
    read(request.user, Perm.VIEW_APPLICATION, interest, why="application read")
    return trust, interest


def _application_page(
    request: HttpRequest, trust: Trust, interest: Interest, failed: f.ApplicationShareForm | None = None
) -> HttpResponse:
    mine = interest.person_id == getattr(request.user, "person_id", None)
    return render_page(
        request,
        "development/application.jinja",
        trust,
        i=interest,
        mine=mine,
        may_share=mine and interest.from_another_trust and can(request.user, Perm.EDIT_DEVELOPMENT_RECORD, interest),
        opening_here=interest.opening.trust_id == trust.pk or interest.person.trust_id == trust.pk,
        failed=failed,
    )


@require_safe
def application(request: HttpRequest, trust_code: str, pk: int) -> HttpResponse:
    trust, interest = _application(request, trust_code, pk)
    return _application_page(request, trust, interest)


@require_POST
def application_share(request: HttpRequest, trust_code: str, pk: int) -> HttpResponse:
    trust, interest = _application(request, trust_code, pk)
    form = f.ApplicationShareForm(request.POST)
    if form.is_valid():
        try:
            services.application_share(
                actor=request.user, interest=interest, share=form.cleaned_data["share"] == "share"
            )
            messages.success(
                request,
                "Your trust's medical director can now see this application."
                if interest.shared_with_home
                else "Your trust's medical director no longer sees this application.",
            )
            return redirect("development:application", trust_code=trust.code, pk=interest.pk)
        except ValidationError as exc:
            refuse(form, exc)
    return _application_page(request, trust, interest, failed=form)


# ------------------------------------------------------------------------------ the region's mentor bank


def mentor_bank(request: HttpRequest, trust_code: str, pk: int) -> HttpResponse:
    """Offer a mentor on this trust's register to the region's bank, with their agreement, or take them out."""
    trust = trust_for(request.user, trust_code, Perm.MANAGE_MENTOR_REGISTER)
    mentor = get_object_or_404(Mentor.objects.select_related("person", "trust"), trust=trust, pk=pk)
    form = f.MentorBankForm(request.POST or None, initial={"offer": "withdraw" if mentor.in_regional_bank else "offer"})
    form.fields["agreed"].label = f"{mentor.display_name} has agreed to mentor doctors of other trusts in the region"
    if request.method == "POST" and form.is_valid():
        offer = form.cleaned_data["offer"] == "offer"
        try:
            services.mentor_bank_set(
                actor=request.user, mentor=mentor, offer=offer, agreed=form.cleaned_data["agreed"], today=today()
            )
            messages.success(
                request,
                f"{mentor.display_name} is in the region's bank: doctors of its trusts may ask them."
                if offer
                else f"{mentor.display_name} is no longer in the region's bank.",
            )
            return redirect("development:mentors", trust_code=trust.code)
        except ValidationError as exc:
            refuse(form, exc)
    where = trust.region.name if trust.region is not None else "the region"
    return form_page(
        request,
        trust=trust,
        section=SECTION,
        form=form,
        title=f"{mentor.display_name} and the mentor and coach bank of {where}",
        lede="Doctors of every trust in the region see the bank and may ask its mentors and coaches. Mentoring stays "
        "private to the pair: nobody else, in either trust, reads it.",
        button="Save",
        back=(reverse("development:mentors", kwargs={"trust_code": trust.code}), "Back to the register"),
    )
