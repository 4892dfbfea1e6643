"""Publishing a rota to its doctors (issue 32): the form (the rotation's first day, when the work schedule was
issued), "Check your answers" with the notice against the Code of Practice's standards and what the doctors will be
told, then the confirmation (ADR 0021, 0026)."""

from __future__ import annotations

import datetime as dt

from django import forms
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.views.decorators.http import require_POST, require_safe

from medlead.core import dates
from medlead.core.fields import NHSDateInput
from medlead.core.page_actions import act
from medlead.core.policy import Perm, require
from medlead.core.views import changing, check_page, done_page, form_page
from medlead.organisation.models import Trust
from medlead.organisation.selectors import trust_for
from medlead.rota import publication
from medlead.rota.models import Rota, RotaPublication
from medlead.rota.notice import Notice


class PublishForm(forms.Form):
    starts_on = forms.DateField(
        label="The rotation starts on", widget=NHSDateInput(), help_text="The first day the doctors work this rota."
    )
    work_schedule_issued_on = forms.DateField(
        label="The work schedule was issued on",
        widget=NHSDateInput(),
        help_text="The day the doctors were sent their generic work schedule for this rotation.",
    )


def _rota(request: HttpRequest, trust_code: str, pk: int) -> tuple[Trust, Rota]:
    trust = trust_for(request.user, trust_code, Perm.VIEW_ROTAS)
    rota = get_object_or_404(Rota, trust=trust, pk=pk)
    require(request.user, Perm.PUBLISH_ROTA, rota)
    return trust, rota


def _url(name: str, rota: Rota, **more: int) -> str:
    return reverse(f"rota:{name}", kwargs={"trust_code": rota.trust.code, "pk": rota.pk, **more})


def _form_page(request: HttpRequest, trust: Trust, rota: Rota, form: forms.Form) -> HttpResponse:
    weeks_schedule, weeks_rota, _ = publication.standards(trust, dates.today())
    return form_page(
        request,
        trust=trust,
        section="rotas",
        form=form,
        title=f"Publish {rota.name} to its doctors",
        lede=f"The Code of Practice asks for the work schedule at least {weeks_schedule} weeks, and the rota at least "
        f"{weeks_rota} weeks, before a rotation starts. You check the notice before anything is published.",
        button="Continue",
        back=(_url("rota", rota), f"Back to {rota.name}"),
    )


def _deadline_words(notice: Notice, due: dt.date) -> str:
    return f"{notice.words[0].upper()}{notice.words[1:]}. The last day on time: {due:%-d %B %Y}."


def publish(request: HttpRequest, trust_code: str, pk: int) -> HttpResponse:
    """The form; posted, "Check your answers" (nothing is saved here), or the form again with what is wrong."""
    trust, rota = _rota(request, trust_code, pk)
    if request.method != "POST":
        return _form_page(request, trust, rota, PublishForm())
    form = PublishForm(request.POST)
    if changing(request) or not form.is_valid():
        return _form_page(request, trust, rota, form)
    try:
        t = publication.terms(rota=rota, **form.cleaned_data)
    except ValidationError as exc:
        form.add_error(None, exc)
        return _form_page(request, trust, rota, form)
    says = [
        f"The rota is published to its {t.doctors} {'doctor' if t.doctors == 1 else 'doctors'}: each is emailed "
        f"that their rota for the rotation starting {t.starts_on:%-d %B %Y} is published, with a link to their "
        "shifts, and from now on each is told by email when a change touches their duties.",
        "The notice is recorded against the standards in force today and counted in the board report's figure "
        f"for {t.starts_on:%B %Y}: work schedules and rotas issued on time.",
    ]
    if not t.on_time:
        says.append("The notice is short of the standard: it is recorded as late, and cannot be changed afterwards.")
    if t.awaiting:
        says.append(
            "The standards are the national values as commentary quotes them; your trust has not confirmed "
            "them yet (the rules and values in force page)."
        )
    return check_page(
        request,
        trust=trust,
        section="rotas",
        doing="publish the rota",
        caption=rota.name,
        facts=[
            ("Rota", rota.name),
            ("Doctors on the rota", str(t.doctors)),
            ("Published on", f"{t.published_on:%-d %B %Y} (today)"),
        ],
        rows=[
            ("The rotation starts on", f"{t.starts_on:%-d %B %Y}"),
            ("The work schedule was issued on", f"{t.work_schedule_issued_on:%-d %B %Y}"),
            ("Work schedule notice", _deadline_words(t.work_schedule, t.work_schedule_deadline)),
            ("Rota notice", _deadline_words(t.rota_notice, t.rota_deadline)),
        ],
        form=form,
        confirm_url=_url("publish_confirm", rota),
        change_url=_url("publish", rota),
        change_posts=True,
        says=says,
        button="Publish the rota",
        back=(_url("rota", rota), f"Back to {rota.name}"),
    )


@require_POST
def publish_confirm(request: HttpRequest, trust_code: str, pk: int) -> HttpResponse:
    """The publication, confirmed on "Check your answers"."""
    trust, rota = _rota(request, trust_code, pk)
    form = PublishForm(request.POST)
    return act(
        request,
        form,
        save=lambda d: publication.publish(actor=request.user, rota=rota, **d),
        done=lambda p: redirect(_url("published", rota, publication=p.pk)),
        page=lambda bound: _form_page(request, trust, rota, bound),
        saved="",
    )


@require_safe
def published(request: HttpRequest, trust_code: str, pk: int, publication: int) -> HttpResponse:
    """The confirmation: what was published, the notice, what happens next."""
    trust, rota = _rota(request, trust_code, pk)
    p = get_object_or_404(RotaPublication, rota=rota, pk=publication)
    verdict = (
        "Both were issued with the notice the Code of Practice asks."
        if p.on_time
        else "The notice was short of the Code of Practice's standard: it is recorded as late."
    )
    return done_page(
        request,
        trust=trust,
        section="rotas",
        title="Rota published",
        summary=f"{rota.name}, for the rotation starting {p.starts_on:%-d %B %Y}: rota notice {p.rota_notice_days} "
        f"days, work schedule notice {p.work_schedule_notice_days} days. {verdict}",
        next_steps=[
            "Each doctor on the rota is emailed now that their rota is published, with a link to their shifts.",
            "From now on, every change to a doctor's duties (a duty added or removed, the rota generated again) "
            "emails the doctors it touches, saying what changed, and is listed on the rota's page.",
            f"The board report counts this rotation in {p.starts_on:%B %Y}'s figure: work schedules and rotas "
            "issued on time.",
        ],
        links=[(_url("rota", rota), f"Back to {rota.name}")],
    )
