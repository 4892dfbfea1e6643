from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import FileResponse, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from medlead.core import dates
from medlead.core.charts import bar_chart
from medlead.core.pdf import pdf_response
from medlead.core.policy import Perm, can, read, require
from medlead.core.views import form_page
from medlead.development.selectors import evidence_counts
from medlead.leadership import selectors, services, tokens
from medlead.leadership.forms import NOMINEE_GROUPS, OpenCycleForm, StartAssessmentForm
from medlead.leadership.models import Approval, FeedbackCycle, Framework, RaterGroup, SelfAssessment
from medlead.leadership.workflows import FEEDBACK_CYCLE
from medlead.organisation.models import Person, Trust
from medlead.organisation.selectors import own_person, trust_for


def _person(request: HttpRequest, trust_code: str) -> tuple[Trust, Person]:
    return own_person(request.user, trust_code)


def home(request: HttpRequest, trust_code: str) -> HttpResponse:
    trust = trust_for(request.user, trust_code)
    person = getattr(request.user, "person", None)
    mine = person is not None and person.trust_id == trust.pk
    return render(
        request,
        "leadership/home.jinja",
        {
            "current_trust": trust,
            "section": "leadership",
            "has_person": mine,
            "assessments": SelfAssessment.objects.filter(person=person).select_related("framework") if mine else [],
            "cycles": FeedbackCycle.objects.filter(subject=person).select_related("framework") if mine else [],
            "facilitating": FeedbackCycle.objects.filter(facilitator=person, status="closed").select_related("subject")
            if mine
            else [],
            "to_approve": selectors.cycles_to_approve(actor=request.user, trust=trust),
            "frameworks": selectors.frameworks_for(trust),
            "can_aggregate": can(request.user, Perm.VIEW_LEADERSHIP_AGGREGATE, trust),
            "can_import": can(request.user, Perm.MANAGE_FRAMEWORKS, trust),
        },
    )


def assessment_new(request: HttpRequest, trust_code: str) -> HttpResponse:
    trust, person = _person(request, trust_code)
    form = StartAssessmentForm(request.POST or None, frameworks=selectors.frameworks_for(trust))
    if request.method == "POST" and form.is_valid():
        a = services.assessment_start(
            actor=request.user,
            person=person,
            framework=form.cleaned_data["framework"],
            target_role=form.cleaned_data["target_role"],
        )
        return redirect("leadership:assessment", trust_code=trust.code, pk=a.pk)
    return form_page(
        request, trust=trust, section="leadership", form=form, title="Start a self-assessment", button="Continue"
    )


def assessment(request: HttpRequest, trust_code: str, pk: int) -> HttpResponse:
    trust = trust_for(request.user, trust_code)
    a = get_object_or_404(SelfAssessment.objects.select_related("framework"), trust=trust, pk=pk)
    require(request.user, Perm.VIEW_ASSESSMENT, a)
    items = list(a.framework.items.all())
    errors: list[str] = []
    unrated_to_confirm = 0
    if request.method == "POST":
        ratings = {}
        for item in items:
            raw = request.POST.get(f"level-{item.pk}", "")
            ratings[item.pk] = {
                "level": int(raw) if raw.isdigit() else None,
                "evidence": request.POST.get(f"evidence-{item.pk}", ""),
                "links": request.POST.get(f"links-{item.pk}", ""),
                "file": request.FILES.get(f"file-{item.pk}"),
            }
        submit = "submit" in request.POST
        unrated = sum(1 for r in ratings.values() if not r["level"])
        # Submitting locks the assessment: with items unrated, save the draft and ask first.
        confirm_first = submit and unrated and request.POST.get("confirm_partial") != "yes"
        try:
            services.assessment_save(
                actor=request.user, assessment=a, ratings=ratings, submit=submit and not confirm_first
            )
            if confirm_first:
                unrated_to_confirm = unrated
            else:
                messages.success(request, "Self-assessment submitted." if submit else "Draft saved.")
                return redirect("leadership:assessment", trust_code=trust.code, pk=a.pk)
        except ValidationError as exc:
            errors = exc.messages
    existing = {r.item_id: r for r in a.ratings.all()}
    history = selectors.assessment_history(person_id=a.person_id, framework=a.framework)
    domains = list(dict.fromkeys(i.domain for i in items))
    chart = (
        bar_chart(
            [
                (f"{h['assessment'].submitted_at:%d %b %Y}: {d}", h["domains"].get(d, 0))
                for h in history[-3:]
                for d in domains
            ],
            title=f"Your self-assessments on {a.framework.name}, by domain",
            width=720,
        )
        if history
        else ""
    )
    return render(
        request,
        "leadership/assessment.jinja",
        {
            "current_trust": trust,
            "section": "leadership",
            "a": a,
            "items": items,
            "existing": existing,
            "errors": errors,
            "unrated_to_confirm": unrated_to_confirm,
            "gaps": selectors.gaps(assessment=a) if a.submitted_at else [],
            # the experience log counts as evidence (issue 4)
            "logged": evidence_counts(a.person),
            "chart": chart,
            "history": history,
            "domains": domains,
        },
    )


def evidence_file(request: HttpRequest, trust_code: str, pk: int, rating_pk: int) -> FileResponse:
    """An evidence file, for the doctor whose self-assessment it belongs to only."""
    trust = trust_for(request.user, trust_code)
    a = get_object_or_404(SelfAssessment, trust=trust, pk=pk)
    read(request.user, Perm.VIEW_ASSESSMENT, a, why="evidence file downloaded")
    rating = get_object_or_404(a.ratings.exclude(file=""), pk=rating_pk)
    name = (rating.file.name or "evidence").rsplit("/", 1)[-1]
    return FileResponse(rating.file.open("rb"), as_attachment=True, filename=name)


def cycle_new(request: HttpRequest, trust_code: str) -> HttpResponse:
    trust, person = _person(request, trust_code)
    form = OpenCycleForm(request.POST or None, frameworks=selectors.frameworks_for(trust), trust=trust)
    if request.method == "POST" and form.is_valid():
        try:
            cycle = services.cycle_open(actor=request.user, subject=person, today=dates.today(), **form.cleaned_data)
            return redirect("leadership:cycle", trust_code=trust.code, pk=cycle.pk)
        except ValidationError as exc:
            form.add_error(None, exc)
    return form_page(
        request, trust=trust, section="leadership", form=form, title="Start a 360 feedback cycle", button="Continue"
    )


def cycle(request: HttpRequest, trust_code: str, pk: int) -> HttpResponse:
    trust = trust_for(request.user, trust_code)
    c = get_object_or_404(FeedbackCycle.objects.select_related("framework", "subject"), trust=trust, pk=pk)
    require(request.user, Perm.MANAGE_CYCLE, c)
    errors: list[str] = []
    if request.method == "POST":
        nominees = []
        for n in range(8):
            name, email = request.POST.get(f"name-{n}", "").strip(), request.POST.get(f"email-{n}", "").strip()
            if name or email:
                nominees.append((request.POST.get(f"group-{n}", ""), name, email))
        try:
            if not nominees:
                raise ValidationError("Give at least one rater's name and email address.")
            created = services.raters_nominate(actor=request.user, cycle=c, nominees=nominees)
            who = "your facilitator" if c.facilitator_id else "your line manager"
            messages.success(
                request,
                f"{len(created)} {'nomination' if len(created) == 1 else 'nominations'} sent to {who} for approval; "
                "each invitation goes once approved.",
            )
            return redirect("leadership:cycle", trust_code=trust.code, pk=c.pk)
        except ValidationError as exc:
            errors = exc.messages
    own = c.raters.filter(group=RaterGroup.SELF).first()
    return render(
        request,
        "leadership/cycle.jinja",
        {
            "current_trust": trust,
            "section": "leadership",
            "c": c,
            "counts": selectors.cycle_counts(c),
            "errors": errors,
            "groups": NOMINEE_GROUPS,
            "self_link": tokens.make(own.pk, own.nonce) if own else None,
            "rows": range(8),
            "posted": request.POST if errors else {},
            "confirm_close": request.GET.get("confirm_close") == "1",
            "can_invite": FEEDBACK_CYCLE.can_edit(request.user, c),
        },
    )


def approve_raters(request: HttpRequest, trust_code: str, pk: int) -> HttpResponse:
    """The facilitator or a line manager approves a 360's nominations. Rater identities are read here, audited."""
    trust = trust_for(request.user, trust_code)
    c = get_object_or_404(FeedbackCycle.objects.select_related("framework", "subject"), trust=trust, pk=pk)
    read(request.user, Perm.APPROVE_RATERS, c, why="360 nominations read for approval")
    errors: list[str] = []
    if request.method == "POST":
        ids = {r.pk for r in c.raters.filter(approval=Approval.PENDING)}

        def chosen(name: str) -> list[int]:
            return [int(v) for v in request.POST.getlist(name) if v.isdigit() and int(v) in ids]

        decisions = {rid: request.POST.get(f"decision-{rid}", "") for rid in ids}
        try:
            approved, declined = services.raters_approve(
                actor=request.user,
                cycle=c,
                approve=[rid for rid, d in decisions.items() if d == "approve"],
                decline=[rid for rid, d in decisions.items() if d == "decline"],
                confirm_unknown=chosen("confirm"),
            )
            messages.success(request, f"{approved} approved and invited; {declined} declined.")
            return redirect("leadership:approve", trust_code=trust.code, pk=c.pk)
        except ValidationError as exc:
            errors = exc.messages
    return render(
        request,
        "leadership/approve.jinja",
        {
            "current_trust": trust,
            "section": "leadership",
            "c": c,
            "pending": list(c.raters.filter(approval=Approval.PENDING).order_by("group", "pk")),
            "decided": c.raters.exclude(group=RaterGroup.SELF).exclude(approval=Approval.PENDING).count(),
            "errors": errors,
            "posted": request.POST,
        },
    )


@require_POST
def cycle_action(request: HttpRequest, trust_code: str, pk: int, action: str) -> HttpResponse:
    trust = trust_for(request.user, trust_code)
    c = get_object_or_404(FeedbackCycle, trust=trust, pk=pk)
    require(request.user, Perm.MANAGE_CYCLE, c)
    if action == "remind":
        messages.success(request, f"Reminders sent to {services.reminders_send(actor=request.user, cycle=c)} raters.")
    elif action == "close":
        counts = selectors.cycle_counts(c)
        if counts["responded"] < counts["invited"] and request.POST.get("confirm") != "yes":
            # people are still answering: ask first (a double click or a stray press loses their answers)
            url = reverse("leadership:cycle", kwargs={"trust_code": trust.code, "pk": c.pk})
            return redirect(f"{url}?confirm_close=1")
        services.cycle_close(actor=request.user, cycle=c)
        messages.success(request, "The cycle is closed and your report is ready.")
        return redirect("leadership:report", trust_code=trust.code, pk=c.pk)
    return redirect("leadership:cycle", trust_code=trust.code, pk=c.pk)


def cycle_report(request: HttpRequest, trust_code: str, pk: int) -> HttpResponse:
    trust = trust_for(request.user, trust_code)
    c = get_object_or_404(FeedbackCycle.objects.select_related("framework", "subject"), trust=trust, pk=pk)
    read(request.user, Perm.VIEW_360_REPORT, c, why="360 report read")
    data = selectors.cycle_report(c)
    from medlead.leadership.report import ALL

    charts = {
        domain: bar_chart(
            [(g.label, means.get(g.key) or 0) for g in data["groups"]], title=f"{domain}: mean rating by group"
        )
        for domain, means in data["r"].domain_means.items()
    }
    trend = selectors.cycle_trend(c)
    context = {
        "current_trust": trust,
        "section": "leadership",
        "c": c,
        **data,
        "charts": charts,
        "ALL": ALL,
        "trend": bar_chart(trend, title="Others' mean rating, by cycle") if len(trend) > 1 else "",
    }
    if request.GET.get("format") == "pdf":
        return pdf_response(
            request, "leadership/report_pdf.jinja", context, f"360-report-{c.pk}.pdf", trust=trust, confidential=True
        )
    return render(request, "leadership/report.jinja", context)


def rate(request: HttpRequest, token: str) -> HttpResponse:
    """A rater's private page: no account needed. Draft-saving; one submission."""
    parsed = tokens.read(token)
    rater = services.rater_for(*parsed) if parsed else None
    if rater is None:
        return render(request, "leadership/link_invalid.jinja", status=404)
    today = dates.today()
    state = services.link_state(rater, today)
    if state != "open":
        return render(request, f"leadership/link_{state}.jinja", {"rater": rater}, status=410)
    items = list(rater.cycle.framework.items.all())
    errors: list[str] = []
    if request.method == "POST":
        answers = {}
        for item in items:
            b, imp = request.POST.get(f"b-{item.pk}", ""), request.POST.get(f"i-{item.pk}", "")
            answers[item.pk] = (int(b) if b.isdigit() else None, int(imp) if imp.isdigit() else None)
        try:
            services.rater_save(
                rater=rater,
                answers=answers,
                comment=request.POST.get("comment", ""),
                submit="submit" in request.POST,
                today=today,
            )
            if "submit" in request.POST:
                return render(request, "leadership/link_thanks.jinja", {"rater": rater})
            messages.success(request, "Your answers are saved. You can come back to this page to finish.")
            return redirect("leadership:rate", token=token)
        except ValidationError as exc:
            errors = exc.messages
    saved = {r.item_id: r for r in rater.responses.all()}
    return render(
        request,
        "leadership/rate.jinja",
        {
            "rater": rater,
            "items": items,
            "saved": saved,
            "errors": errors,
            "scale": rater.cycle.framework.scale,
            "is_self": rater.group == RaterGroup.SELF,
            "is_lm": rater.group == RaterGroup.LINE_MANAGER,
        },
    )


def trust_view(request: HttpRequest, trust_code: str) -> HttpResponse:
    trust = trust_for(request.user, trust_code, Perm.VIEW_LEADERSHIP_AGGREGATE)
    frameworks = selectors.frameworks_for(trust)
    code = request.GET.get("framework", "hlm")
    framework = frameworks.filter(code=code).first() or frameworks.first()
    data: dict[str, Any] = (
        selectors.trust_view(trust=trust, framework=framework) if framework else {"cycles": 0, "items": []}
    )
    return render(
        request,
        "leadership/trust.jinja",
        {
            "current_trust": trust,
            "section": "leadership",
            "framework": framework,
            "frameworks": frameworks,
            "d": data,
            "min_cycles": selectors.MIN_CYCLES,
            "chart": bar_chart(
                [(i["item__text"], i["mean"]) for i in data["items"] if i["mean"] is not None],
                title="Mean rating by others across the trust",
            )
            if data["items"]
            else "",
        },
    )


def frameworks(request: HttpRequest, trust_code: str, pk: int) -> HttpResponse:
    trust = trust_for(request.user, trust_code)
    fw: Framework = get_object_or_404(selectors.frameworks_for(trust), pk=pk)
    return render(
        request,
        "leadership/framework.jinja",
        {"current_trust": trust, "section": "leadership", "fw": fw, "items": fw.items.all()},
    )
