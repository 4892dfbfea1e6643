"""The regional talent pool (issue 34, ADR 0036): a doctor's own place in it (join, checked then confirmed; change
what they share; leave at once), and the search by the region's medical director and each of its trusts' medical
directors, through a trust's pages, over its region's pool."""

from __future__ import annotations

from typing import Any
from urllib.parse import urlencode

from django import forms
from django.contrib import messages
from django.core.exceptions import ObjectDoesNotExist, ValidationError
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST, require_safe

from medlead.core.dates import today
from medlead.core.policy import Perm, require
from medlead.core.views import changing, check_page, done_page
from medlead.development.selectors import target_role
from medlead.organisation.models import Person, Trust
from medlead.organisation.selectors import own_person, trust_for
from medlead.structure.selectors import current_holdings
from medlead.talent import selectors, services
from medlead.talent.forms import PoolJoinForm, PoolQuery
from medlead.talent.models import PoolMember

SECTION = "talent"
PAGE_SIZE = 25


def _render(request: HttpRequest, template: str, trust: Trust, **context: Any) -> HttpResponse:
    return render(request, template, {"current_trust": trust, "section": SECTION, **context})


def _career(person: Person) -> Any:
    """A pool member's career plan as prefetched (only those who share it), or None."""
    try:
        return person.career_plan
    except ObjectDoesNotExist:
        return None


# ---------------------------------------------------------------------------------------- the doctor's own


def _own(request: HttpRequest, trust_code: str) -> tuple[Trust, Person]:
    trust, person = own_person(request.user, trust_code)
    require(request.user, Perm.JOIN_TALENT_POOL, person)
    return trust, person


def _shared_rows(trust: Trust, person: Person, share_career: bool) -> list[tuple[str, str]]:
    """What the region's and its trusts' medical directors would see of this doctor in the pool."""
    posts = [h.post.title for h in current_holdings(trust=trust).filter(person=person).select_related("post")]
    rows = [
        ("Name", person.display_name),
        ("Trust", trust.name),
        ("Grade", person.get_grade_display() or "Not recorded"),
        ("Specialty", person.specialty.name if person.specialty else "Not recorded"),
        ("Current posts", "; ".join(posts) or "None"),
    ]
    if share_career:
        role = target_role(person)
        plan = getattr(person, "career_plan", None) if role else None
        rows += [
            ("Target role", role.name if role else "None set in your career plan"),
            ("Aspirations", (plan.aspirations if plan is not None else "") or "None written in your career plan"),
        ]
    return rows


def pool_mine(request: HttpRequest, trust_code: str) -> HttpResponse:
    """The doctor's place in the pool; its form posts here for "Check your answers" (nothing saved yet), and the
    check page's "Change your answers" posts back here."""
    trust, person = _own(request, trust_code)
    member = selectors.pool_member(person)
    if request.method != "POST":
        initial = {"share_career": bool(member and member.share_career)}
        return _mine_page(request, trust, person, member, PoolJoinForm(initial=initial))
    form = PoolJoinForm(request.POST)
    if changing(request) or not form.is_valid():
        return _mine_page(request, trust, person, member, form)
    return _check(request, trust, person, member, form)


def _mine_page(
    request: HttpRequest, trust: Trust, person: Person, member: PoolMember | None, form: PoolJoinForm
) -> HttpResponse:
    return _render(
        request,
        "talent/pool_mine.jinja",
        trust,
        member=member,
        form=form,
        shared=_shared_rows(trust, person, member.share_career) if member else [],
    )


def _check(
    request: HttpRequest, trust: Trust, person: Person, member: PoolMember | None, form: PoolJoinForm
) -> HttpResponse:
    """Joining: "Check your answers" shows exactly what medical directors will see."""
    share = form.cleaned_data["share_career"]
    return check_page(
        request,
        trust=trust,
        section=SECTION,
        doing="join the talent pool" if member is None else "change what you share in the talent pool",
        facts=[("Pool", f"The talent pool of {trust.region.name}" if trust.region else "")],
        rows=_shared_rows(trust, person, share),
        form=form,
        confirm_url=reverse("talent:pool_join", kwargs={"trust_code": trust.code}),
        change_url=reverse("talent:pool_mine", kwargs={"trust_code": trust.code}),
        change_posts=True,
        says=[
            f"The regional medical director and the medical director of each trust in {trust.region.name} "
            "can find you when they search the pool, and see what is listed here: nothing else of your records."
            if trust.region
            else "",
            "You can change what you share, or leave the pool, at any time: leaving removes you at once.",
        ],
        button="Join the talent pool" if member is None else "Save what I share",
    )


@require_POST
def pool_join(request: HttpRequest, trust_code: str) -> HttpResponse:
    trust, person = _own(request, trust_code)
    joining = selectors.pool_member(person) is None
    form = PoolJoinForm(request.POST)
    if form.is_valid():
        try:
            services.pool_join(actor=request.user, person=person, share_career=form.cleaned_data["share_career"])
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            if not joining:
                messages.success(request, "Saved: the pool shows what you chose.")
                return redirect("talent:pool_mine", trust_code=trust.code)
            return done_page(
                request,
                trust=trust,
                section=SECTION,
                title="You are in the talent pool",
                summary=f"Medical directors across {trust.region.name if trust.region else 'the region'} can now "
                "find you in the pool.",
                next_steps=[
                    "A medical director who is interested in you will contact you: nothing changes in your job "
                    "unless you agree.",
                    "Keep your career plan up to date if you share your target role and aspirations.",
                    "You can leave the pool at any time, from the same page: you are removed at once.",
                ],
                links=[(reverse("talent:pool_mine", kwargs={"trust_code": trust.code}), "Your place in the pool")],
            )
    return _mine_page(request, trust, person, selectors.pool_member(person), form)


@require_POST
def pool_leave(request: HttpRequest, trust_code: str) -> HttpResponse:
    trust, person = _own(request, trust_code)
    form = forms.Form(request.POST)
    if form.is_valid():
        try:
            services.pool_leave(actor=request.user, person=person)
            messages.success(request, "You have left the talent pool: no search finds you from now on.")
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
    return redirect("talent:pool_mine", trust_code=trust.code)


# --------------------------------------------------------------------------------------------- the search


@require_safe
def pool(request: HttpRequest, trust_code: str) -> HttpResponse:
    """The region's pool, as this trust's medical director or the region's medical director searches it: a page of
    25 in a fixed number of queries, whatever the pool's size."""
    trust = trust_for(request.user, trust_code, Perm.SEARCH_TALENT_POOL)
    region = trust.region
    if region is None:
        return _render(request, "talent/pool.jinja", trust, region=None, query=None, rows=[], page=None)
    trusts = Trust.objects.filter(region=region).order_by("name")
    query = PoolQuery(request.GET, specialties=selectors.pool_specialties(region), trusts=trusts)
    chosen = query.values()
    found = selectors.pool_search(
        region=region,
        specialty=chosen["specialty"] or "",
        grade=chosen["grade"] or "",
        role=chosen["role"],
        trust=chosen["trust"],
        on=today(),
    )
    page = Paginator(found, PAGE_SIZE).get_page(chosen["page"] or 1)
    rows = [
        {"m": m, "posts": getattr(m.person, "now", []), "career": _career(m.person) if m.share_career else None}
        for m in page
    ]
    return _render(
        request,
        "talent/pool.jinja",
        trust,
        region=region,
        query=query,
        rows=rows,
        page=page,
        filters=urlencode(
            {
                "specialty": chosen["specialty"] or "",
                "grade": chosen["grade"] or "",
                "role": chosen["role"].code if chosen["role"] else "",
                "trust": chosen["trust"].code if chosen["trust"] else "",
            }
        ),
    )
