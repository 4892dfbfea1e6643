"""Secondments across trusts (issue 34, ADR 0036): the host trust's structure managers propose one (checked, then
confirmed), the home trust's agree or decline it (checked, then confirmed); both structures then show it. A
secondment's page answers 404 to everyone but the two trusts' structure managers."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.db.models import Q
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.views.decorators.http import require_POST, require_safe

from medlead.core import dates
from medlead.core.policy import Perm, can, read, require
from medlead.core.views import changing, check_page, done_page, form_page, task_list
from medlead.core.work import Waiting
from medlead.organisation.models import Trust
from medlead.organisation.selectors import trust_for
from medlead.structure import selectors, services
from medlead.structure.forms import SecondmentDecisionForm, SecondmentForm
from medlead.structure.models import Holding, Secondment, SecondmentStatus

SECTION = "posts"


def _url(name: str, trust: Trust, pk: int | None = None) -> str:
    return reverse(f"structure:{name}", kwargs={"trust_code": trust.code, **({"pk": pk} if pk else {})})


def _date(day: Any) -> str:
    return f"{day:%-d %B %Y}"


@require_safe
def secondments(request: HttpRequest, trust_code: str) -> HttpResponse:
    """The trust's secondments in (it hosts them) and out (its doctors, at home), for its structure managers."""
    trust = trust_for(request.user, trust_code, Perm.MANAGE_STRUCTURE)
    found = list(selectors.secondments_of(trust)[:200])
    return render(
        request,
        "structure/secondments.jinja",
        {
            "current_trust": trust,
            "section": SECTION,
            "hosted": [s for s in found if s.trust_id == trust.pk],
            "away": [s for s in found if s.home_trust_id == trust.pk],
        },
    )


# --------------------------------------------------------------------------------- the host proposes


def _propose_form(request: HttpRequest, trust: Trust, form: SecondmentForm) -> HttpResponse:
    return form_page(
        request,
        trust=trust,
        section=SECTION,
        form=form,
        title="Record a secondment into a post here",
        lede="A doctor of another trust, seconded to one of this trust's posts for a while. Their home trust agrees "
        "it; until it does, nothing changes in either structure.",
        button="Continue",
        back=(_url("secondments", trust), "Back to secondments"),
    )


def secondment_new(request: HttpRequest, trust_code: str) -> HttpResponse:
    """The form, then "Check your answers" (nothing saved yet)."""
    trust = trust_for(request.user, trust_code, Perm.MANAGE_STRUCTURE)
    form = SecondmentForm(request.POST if request.method == "POST" else None, trust=trust)
    if request.method == "POST" and not changing(request) and form.is_valid():
        d = form.cleaned_data
        return check_page(
            request,
            trust=trust,
            section=SECTION,
            doing="ask the home trust to agree this secondment",
            rows=[
                ("Home trust", d["home_trust"].name),
                ("GMC number", d["gmc_number"]),
                ("Post here", d["host_post"].title),
                ("From", _date(d["starts_on"])),
                ("Until", _date(d["ends_on"])),
            ],
            form=form,
            confirm_url=_url("secondment_confirm", trust),
            change_url=_url("secondment_new", trust),
            change_posts=True,
            says=[
                f"{d['home_trust'].name}'s structure managers are asked to agree it. They find the doctor by GMC "
                "number and name the post the doctor keeps there.",
                f"Once they agree, {d['host_post'].title} is held by the doctor here until {_date(d['ends_on'])}, "
                f"and {d['home_trust'].name}'s structure shows them seconded here, not a vacancy.",
            ],
            button="Ask the home trust",
        )
    return _propose_form(request, trust, form)


@require_POST
def secondment_confirm(request: HttpRequest, trust_code: str) -> HttpResponse:
    trust = trust_for(request.user, trust_code, Perm.MANAGE_STRUCTURE)
    form = SecondmentForm(request.POST, trust=trust)
    if form.is_valid():
        try:
            s = services.secondment_propose(actor=request.user, trust=trust, **form.cleaned_data)
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            return done_page(
                request,
                trust=trust,
                section=SECTION,
                title="The home trust is asked to agree the secondment",
                summary=f"{s.home_trust.name} is asked to agree a secondment to {s.host_post.title} from "
                f"{_date(s.starts_on)} until {_date(s.ends_on)}.",
                next_steps=[
                    f"{s.home_trust.name}'s medical director, associates and medical staffing see it among what needs "
                    "them, and agree or decline it.",
                    f"Once agreed, {s.host_post.title} shows the doctor as its holder until {_date(s.ends_on)}.",
                ],
                links=[(_url("secondment", trust, s.pk), "Go to the secondment")],
            )
    return _propose_form(request, trust, form)


# ---------------------------------------------------------------------------------- a secondment's page


def _secondment(request: HttpRequest, trust_code: str, pk: int) -> tuple[Trust, Secondment]:
    trust = trust_for(request.user, trust_code)
    s = get_object_or_404(
        Secondment.objects.filter(Q(trust=trust) | Q(home_trust=trust)).select_related(
            "trust", "home_trust", "host_post", "home_person", "host_person", "home_holding__post"
        ),
        pk=pk,
    )
    read(request.user, Perm.VIEW_SECONDMENT, s, why="secondment read")
    return trust, s


def _holdings_at_home(s: Secondment) -> tuple[Any, Any]:
    """The doctor's home person record (by GMC number) and their current holdings there."""
    person = services.secondee_at_home(s)
    holdings = (
        selectors.current_holdings(trust=s.home_trust).filter(person=person).select_related("post")
        if person is not None
        else Holding.objects.none()
    )
    return person, holdings


@require_safe
def secondment(request: HttpRequest, trust_code: str, pk: int) -> HttpResponse:
    trust, s = _secondment(request, trust_code, pk)
    home = s.home_trust_id == trust.pk
    may_decide = home and can(request.user, Perm.AGREE_SECONDMENT, s)
    person, holdings = _holdings_at_home(s) if may_decide else (None, Holding.objects.none())
    return render(
        request,
        "structure/secondment.jinja",
        {
            "current_trust": trust,
            "section": SECTION,
            "s": s,
            "home": home,
            "may_decide": may_decide,
            "person": person,
            "form": SecondmentDecisionForm(holdings=holdings) if may_decide and person is not None else None,
        },
    )


def _decide_form(request: HttpRequest, trust_code: str, pk: int) -> tuple[Trust, Secondment, SecondmentDecisionForm]:
    trust, s = _secondment(request, trust_code, pk)
    if s.home_trust_id != trust.pk:  # the home trust answers, on its own pages
        raise Http404("The home trust answers on its own pages.")
    require(request.user, Perm.AGREE_SECONDMENT, s)
    _, holdings = _holdings_at_home(s)
    return trust, s, SecondmentDecisionForm(request.POST, holdings=holdings)


def _decide_page(request: HttpRequest, trust: Trust, s: Secondment, form: SecondmentDecisionForm) -> HttpResponse:
    return form_page(
        request,
        trust=trust,
        section=SECTION,
        form=form,
        title=f"A secondment to {s.trust.name}",
        button="Continue",
        back=(_url("secondment", trust, s.pk), "Back to the secondment"),
    )


@require_POST
def secondment_decide(request: HttpRequest, trust_code: str, pk: int) -> HttpResponse:
    """The home trust's answer, then "Check your answers" (nothing saved yet)."""
    trust, s, form = _decide_form(request, trust_code, pk)
    if changing(request) or not form.is_valid():
        return _decide_page(request, trust, s, form)
    agree = form.cleaned_data["decision"] == "agree"
    kept = form.cleaned_data["home_holding"]
    person = services.secondee_at_home(s)
    return check_page(
        request,
        trust=trust,
        section=SECTION,
        doing="agree this secondment" if agree else "decline this secondment",
        facts=[
            ("Doctor", f"{person.display_name} (GMC {s.gmc_number})" if person else f"GMC {s.gmc_number}"),
            ("Seconded to", f"{s.host_post.title}, {s.trust.name}"),
            ("From", _date(s.starts_on)),
            ("Until", _date(s.ends_on)),
        ],
        rows=[("Your answer", "Agree" if agree else "Decline")]
        + ([("Post kept here", kept.post.title if kept else "None")] if agree else []),
        form=form,
        confirm_url=_url("secondment_decide_confirm", trust, s.pk),
        change_url=_url("secondment_decide", trust, s.pk),
        change_posts=True,
        says=[
            f"{s.trust.name}'s structure shows the doctor holding {s.host_post.title} until {_date(s.ends_on)}.",
            (
                f"Ours shows {kept.post.title} still held by them, seconded to {s.trust.name} until "
                f"{_date(s.ends_on)}: it is not counted vacant."
                if kept
                else "Our structure is unchanged: they hold no post in it."
            ),
        ]
        if agree
        else [f"{s.trust.name} sees that you declined it; neither structure changes."],
        button="Agree the secondment" if agree else "Decline the secondment",
    )


@require_POST
def secondment_decide_confirm(request: HttpRequest, trust_code: str, pk: int) -> HttpResponse:
    trust, s, form = _decide_form(request, trust_code, pk)
    if form.is_valid():
        agree = form.cleaned_data["decision"] == "agree"
        try:
            s = services.secondment_decide(
                actor=request.user, secondment=s, agree=agree, home_holding=form.cleaned_data["home_holding"]
            )
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            return done_page(
                request,
                trust=trust,
                section=SECTION,
                title="The secondment is agreed" if agree else "The secondment is declined",
                summary=(
                    f"{s.host_person.display_name if s.host_person else 'The doctor'} is seconded to "
                    f"{s.host_post.title}, {s.trust.name}, from {_date(s.starts_on)} until {_date(s.ends_on)}."
                    if agree
                    else f"{s.trust.name} sees that you declined the secondment to {s.host_post.title}."
                ),
                next_steps=[
                    f"{s.trust.name}'s structure shows them holding {s.host_post.title} until {_date(s.ends_on)}.",
                    (
                        f"Ours shows {s.home_holding.post.title} held by them, seconded until {_date(s.ends_on)}."
                        if s.home_holding
                        else "Ours is unchanged."
                    ),
                ]
                if agree
                else ["Neither structure changes."],
                links=[(_url("secondment", trust, s.pk), "Go to the secondment")],
            )
    return _decide_page(request, trust, s, form)


# ------------------------------------------------------------------------------------ what needs you


@require_safe
def waiting(request: HttpRequest, trust_code: str) -> HttpResponse:
    """The secondments of this trust's doctors waiting for its agreement, oldest first (the one, when one)."""
    trust = trust_for(request.user, trust_code, Perm.MANAGE_STRUCTURE)
    items = [
        Waiting(
            f"To {s.host_post.title}, {s.trust.name}, from {_date(s.starts_on)}",
            _url("secondment", trust, s.pk),
            dates.day_of(s.created_at),
        )
        for s in Secondment.objects.filter(home_trust=trust, status=SecondmentStatus.PROPOSED).select_related(
            "trust", "host_post"
        )
    ]
    return task_list(
        request,
        trust=trust,
        section=SECTION,
        title="Secondments of your doctors to agree",
        items=items,
        today=dates.today(),
        since_label="Asked on",
        back=(_url("secondments", trust), "All secondments"),
    )
