"""Pages for talent spotting and succession: nominations, talent reviews, succession plans with risk, and the
pipeline dashboard for the medical director."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST, require_safe

from medlead.core.dates import today
from medlead.core.policy import Perm, can, read
from medlead.core.views import form_page
from medlead.organisation.models import Trust
from medlead.organisation.selectors import trust_for
from medlead.structure.models import Post
from medlead.talent import selectors, services
from medlead.talent.forms import (
    NominationForm,
    ReviewForm,
    SuccessorChangeForm,
    SuccessorForm,
    SuccessorRemoveForm,
)
from medlead.talent.models import Readiness, TalentReview

SECTION = "talent"


def _render(request: HttpRequest, template: str, trust: Any, **context: Any) -> HttpResponse:
    return render(request, template, {"current_trust": trust, "section": SECTION, **context})


def succession(request: HttpRequest, trust_code: str) -> HttpResponse:
    trust = trust_for(request.user, trust_code, Perm.MANAGE_TALENT)
    rows = selectors.succession_plan(trust=trust, today=today())
    return _render(
        request,
        "talent/succession.jinja",
        trust,
        rows=rows,
        at_risk=sum(1 for r in rows if r["risk"].at_risk),
    )


def _post(request: HttpRequest, trust_code: str, pk: int) -> tuple[Trust, Post]:
    trust = trust_for(request.user, trust_code, Perm.MANAGE_TALENT)
    return trust, get_object_or_404(Post.objects.select_related("post_type", "division"), trust=trust, pk=pk)


def _post_page(request: HttpRequest, trust: Trust, post: Post, failed: forms.Form | None = None) -> HttpResponse:
    """A post's succession plan; ``failed`` is a form just sent and refused, shown with its errors."""
    row = next((r for r in selectors.succession_plan(trust=trust, today=today()) if r["post"].pk == post.pk), None)
    if row is None:  # not a medical management post: it has no succession plan
        raise Http404("This post has no succession plan.")
    return _render(
        request,
        "talent/post.jinja",
        trust,
        row=row,
        post=post,
        failed=failed if failed is not None and not isinstance(failed, SuccessorForm) else None,
        form=failed if isinstance(failed, SuccessorForm) else SuccessorForm(trust=trust),
        readiness=Readiness.choices,
    )


@require_safe
def succession_post(request: HttpRequest, trust_code: str, pk: int) -> HttpResponse:
    trust, post = _post(request, trust_code, pk)
    return _post_page(request, trust, post)


def _act(
    request: HttpRequest, trust: Trust, post: Post, form: forms.Form, save: Callable[[dict[str, Any]], object]
) -> HttpResponse:
    if form.is_valid():
        try:
            save(form.cleaned_data)
            messages.success(request, "Succession plan updated.")
            return redirect("talent:post", trust_code=trust.code, pk=post.pk)
        except ValidationError as exc:
            if hasattr(exc, "error_dict") and set(exc.error_dict) <= set(form.fields):
                form.add_error(None, exc)
            else:
                form.add_error(None, exc.messages)
    return _post_page(request, trust, post, failed=form)


@require_POST
def successor_add(request: HttpRequest, trust_code: str, pk: int) -> HttpResponse:
    trust, post = _post(request, trust_code, pk)
    return _act(
        request,
        trust,
        post,
        SuccessorForm(request.POST, trust=trust),
        lambda d: services.successor_add(actor=request.user, post=post, **d),
    )


@require_POST
def successor_change(request: HttpRequest, trust_code: str, pk: int) -> HttpResponse:
    trust, post = _post(request, trust_code, pk)
    return _act(
        request,
        trust,
        post,
        SuccessorChangeForm(request.POST, post=post),
        lambda d: services.successor_update(actor=request.user, successor=d["successor"], readiness=d["readiness"]),
    )


@require_POST
def successor_remove(request: HttpRequest, trust_code: str, pk: int) -> HttpResponse:
    trust, post = _post(request, trust_code, pk)
    return _act(
        request,
        trust,
        post,
        SuccessorRemoveForm(request.POST, post=post),
        lambda d: services.successor_remove(actor=request.user, successor=d["successor"]),
    )


def pipeline(request: HttpRequest, trust_code: str) -> HttpResponse:
    trust = trust_for(request.user, trust_code, Perm.MANAGE_TALENT)
    return _render(
        request,
        "talent/pipeline.jinja",
        trust,
        p=selectors.pipeline(trust),
        nominations=selectors.nominations(trust)[:50],
    )


def nominate(request: HttpRequest, trust_code: str) -> HttpResponse:
    trust = trust_for(request.user, trust_code, Perm.NOMINATE_TALENT)
    form = NominationForm(request.POST or None, trust=trust, exclude=getattr(request.user, "person_id", None))
    if request.method == "POST" and form.is_valid():
        try:
            services.nominate(actor=request.user, trust=trust, **form.cleaned_data)
            messages.success(request, "Thank you: your nomination goes to the medical director's talent review.")
            return redirect("talent:nominate", trust_code=trust.code)
        except ValidationError as exc:
            form.add_error(None, exc)
    return form_page(request, trust=trust, section=SECTION, form=form, title="Nominate a future leader")


def reviews(request: HttpRequest, trust_code: str) -> HttpResponse:
    trust = trust_for(request.user, trust_code)
    visible = selectors.reviews_visible_to(request.user, trust)
    if not visible and not can(request.user, Perm.MANAGE_TALENT, trust):
        raise PermissionDenied
    return _render(
        request,
        "talent/reviews.jinja",
        trust,
        reviews=visible,
        can_add=can(request.user, Perm.MANAGE_TALENT, trust),
    )


def review_new(request: HttpRequest, trust_code: str) -> HttpResponse:
    trust = trust_for(request.user, trust_code, Perm.MANAGE_TALENT)
    form = ReviewForm(request.POST or None, trust=trust, initial={"reviewed_on": today()})
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        try:
            r = services.review_record(
                actor=request.user,
                trust=trust,
                person=d["person"],
                reviewed_on=d["reviewed_on"],
                reviewers=list(d["reviewers"]),
                readiness={d["role"]: d["readiness"]},
                notes=d["notes"],
                today=today(),
            )
            return redirect("talent:review", trust_code=trust.code, pk=r.pk)
        except ValidationError as exc:
            form.add_error(None, exc)
    return form_page(request, trust=trust, section=SECTION, form=form, title="Record a talent review")


def review(request: HttpRequest, trust_code: str, pk: int) -> HttpResponse:
    trust = trust_for(request.user, trust_code)
    r = get_object_or_404(TalentReview.objects.select_related("person"), trust=trust, pk=pk)
    read(request.user, Perm.VIEW_TALENT_REVIEW, r, why="talent review read")
    return _render(request, "talent/review.jinja", trust, r=r)
