from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST

from medlead.core import audit as auditor
from medlead.core import dates
from medlead.core.charts import bar_chart
from medlead.core.params import int_param, year_param
from medlead.core.pdf import pdf_response
from medlead.core.policy import Forbidden, Perm, can, read
from medlead.development.selectors import current_plan
from medlead.organisation.models import Person
from medlead.organisation.selectors import trust_for
from medlead.revalidation import rules, selectors, services
from medlead.revalidation.forms import (
    AllocateForm,
    InputsForm,
    OutputsForm,
    RecommendForm,
    StatusForm,
    SupportingInfoForm,
)
from medlead.revalidation.models import Appraisal
from medlead.revalidation.workflows import APPRAISAL


def home(request: HttpRequest, trust_code: str) -> HttpResponse:
    trust = trust_for(request.user, trust_code, Perm.VIEW_REVALIDATION)
    today = dates.today()
    year = rules.appraisal_year(today)
    return render(
        request,
        "revalidation/home.jinja",
        {
            "current_trust": trust,
            "section": "revalidation",
            "today": today,
            "queue": selectors.due_queue(trust=trust, today=today),
            "rates": selectors.appraisal_rates(trust=trust, year=year),
            "year": year,
            "can_manage": can(request.user, Perm.MANAGE_APPRAISALS, trust),
        },
    )


def doctor(request: HttpRequest, trust_code: str, pk: int) -> HttpResponse:
    trust = trust_for(request.user, trust_code, Perm.VIEW_REVALIDATION)
    person = get_object_or_404(Person, trust=trust, pk=pk)
    today = dates.today()
    record = selectors.doctor_record(person=person, today=today)
    is_ro = can(request.user, Perm.MAKE_RECOMMENDATIONS, trust)
    concerns = (
        services.concerns_read(actor=request.user, person=person)
        if can(request.user, Perm.VIEW_CONCERNS, trust)
        else None
    )
    form = RecommendForm(request.POST or None) if is_ro and record["connection"] else None
    notes: list[rules.Note] = []
    if request.method == "POST" and form is not None and form.is_valid():
        data = form.cleaned_data
        try:
            rec = services.recommend(
                actor=request.user,
                connection=record["connection"],
                kind=data["kind"],
                evidence=data["evidence"],
                today=today,
                defer_to=data["defer_to"],
                defer_reason=data["defer_reason"],
                criteria=form.chosen_criteria(),
                acknowledged=data["acknowledged"],
            )
            messages.success(request, f"{rec.get_kind_display()} recommendation recorded for {person.display_name}.")
            return redirect("revalidation:doctor", trust_code=trust.code, pk=person.pk)
        except ValidationError as exc:
            form.add_error(None, exc)
        notes = services.recommendation_notes(
            connection=record["connection"],
            kind=data["kind"],
            defer_to=data["defer_to"],
            criteria=form.chosen_criteria(),
            today=today,
        )
    for appraisal in record.get("appraisals", {}).values():
        auditor.audit_read(actor=request.user, obj=appraisal, note="outputs read for revalidation")
    return render(
        request,
        "revalidation/doctor.jinja",
        {
            "current_trust": trust,
            "section": "revalidation",
            "person": person,
            "r": record,
            "form": form,
            "concerns": concerns,
            "notes": notes,
            "si_names": selectors.si_names(),
        },
    )


def appraisers(request: HttpRequest, trust_code: str) -> HttpResponse:
    trust = trust_for(request.user, trust_code, Perm.MANAGE_APPRAISALS)
    year = rules.appraisal_year(dates.today())
    doctor_pk = request.GET.get("doctor", "")
    target = Person.objects.filter(trust=trust, pk=int_param(doctor_pk) or 0).first()
    allowed = refused = None
    form = AllocateForm(request.POST or None, initial={"year": year})
    if target is not None:
        allowed, refused = selectors.suggestions(doctor=target, year=year)
        if request.method == "POST" and form.is_valid():
            try:
                appraiser = get_object_or_404(Person, trust=trust, pk=int_param(request.POST.get("appraiser")) or 0)
                services.appraisal_create(
                    actor=request.user,
                    person=target,
                    year=form.cleaned_data["year"],
                    appraiser=appraiser,
                    extension_reason=request.POST.get("extension_reason", "")[:500],
                )
                messages.success(request, f"{appraiser.display_name} will appraise {target.display_name}.")
                return redirect("revalidation:appraisers", trust_code=trust.code)
            except (ValidationError, ValueError) as exc:
                messages.error(request, " ".join(getattr(exc, "messages", [str(exc)])))
    return render(
        request,
        "revalidation/appraisers.jinja",
        {
            "current_trust": trust,
            "section": "revalidation",
            "candidates": selectors.appraiser_candidates(trust=trust, year=year),
            "year": year,
            "target": target,
            "allowed": allowed,
            "refused": refused,
            "extendable": rules.extendable,
            "form": form,
            "doctors": Person.objects.filter(trust=trust, connections__disconnected_on__isnull=True)
            .distinct()
            .exclude(appraisals__year=year)
            .order_by("last_name")[:500],
        },
    )


def my_appraisals(request: HttpRequest, trust_code: str) -> HttpResponse:
    trust = trust_for(request.user, trust_code)
    person_id = getattr(request.user, "person_id", None)
    mine = Appraisal.objects.filter(trust=trust, person_id=person_id).select_related("appraiser") if person_id else []
    appraising = (
        Appraisal.objects.filter(trust=trust, appraiser_id=person_id).select_related("person") if person_id else []
    )
    return render(
        request,
        "revalidation/mine.jinja",
        {
            "current_trust": trust,
            "section": "appraisal",
            "mine": mine,
            "appraising": appraising,
        },
    )


def appraisal(request: HttpRequest, trust_code: str, pk: int) -> HttpResponse:
    trust = trust_for(request.user, trust_code)
    obj = get_object_or_404(Appraisal.objects.select_related("person", "appraiser", "trust"), trust=trust, pk=pk)
    content = can(request.user, Perm.VIEW_APPRAISAL_CONTENT, obj)
    if content:
        read(request.user, Perm.VIEW_APPRAISAL_CONTENT, obj, why="appraisal content read")
    else:
        read(request.user, Perm.VIEW_APPRAISAL_OUTPUTS, obj, why="appraisal outputs read")
    can_inputs = APPRAISAL.editable(obj) and can(request.user, Perm.EDIT_APPRAISAL_INPUTS, obj)
    can_outputs = APPRAISAL.editable(obj) and can(request.user, Perm.EDIT_APPRAISAL_OUTPUTS, obj)
    statuses = services.status_choices(actor=request.user, appraisal=obj)
    initial_inputs = {f: getattr(obj, f) for f in services.INPUT_FIELDS}
    initial_outputs = {f: getattr(obj, f) for f in services.OUTPUT_FIELDS}
    which = request.POST.get("form", "")
    inputs = (
        InputsForm(request.POST if which == "inputs" else None, initial=initial_inputs, person_id=obj.person_id)
        if can_inputs
        else None
    )
    outputs = (
        OutputsForm(request.POST if which == "outputs" else None, initial=initial_outputs) if can_outputs else None
    )
    si_form = SupportingInfoForm(request.POST if which == "si" else None) if can_inputs else None
    status_form = (
        StatusForm(
            request.POST if which == "status" else None,
            initial={"meeting_date": obj.meeting_date},
            choices=statuses,
        )
        if statuses
        else None
    )
    if request.method == "POST":
        target = {"inputs": inputs, "outputs": outputs, "si": si_form, "status": status_form}.get(which)
        if target is None:
            raise Forbidden(message="You cannot change this part of the appraisal.")
        if target.is_valid():
            data = target.cleaned_data
            try:
                if which == "inputs":
                    services.appraisal_update_inputs(actor=request.user, appraisal=obj, **data)
                elif which == "outputs":
                    services.appraisal_update_outputs(actor=request.user, appraisal=obj, **data)
                elif which == "si":
                    services.supporting_info_add(actor=request.user, appraisal=obj, **data)
                else:
                    services.appraisal_set_status(actor=request.user, appraisal=obj, **data)
                messages.success(request, "Saved.")
                return redirect("revalidation:appraisal", trust_code=trust.code, pk=obj.pk)
            except ValidationError as exc:
                obj.refresh_from_db()
                target.add_error(None, exc)
    return render(
        request,
        "revalidation/appraisal.jinja",
        {
            "current_trust": trust,
            "section": "appraisal",
            "a": obj,
            "content": content,
            "inputs": inputs,
            "outputs": outputs,
            "si_form": si_form,
            "status_form": status_form,
            "si_names": selectors.si_names(),
            # the doctor's own development plan, to bring to appraisal as their PDP (issue 4)
            "pdp": current_plan(obj.person) if can_inputs else None,
            "supporting": obj.supporting_info.all() if content else [],
            "si_counts": {k: obj.supporting_info.filter(kind=k).count() for k in selectors.si_names()},
        },
    )


@require_POST
def missed(request: HttpRequest, trust_code: str, pk: int) -> HttpResponse:
    trust = trust_for(request.user, trust_code, Perm.MAKE_RECOMMENDATIONS)
    obj = get_object_or_404(Appraisal, trust=trust, pk=pk)
    try:
        services.missed_decision(actor=request.user, appraisal=obj, approved=request.POST.get("approved") == "yes")
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    return redirect("revalidation:doctor", trust_code=trust.code, pk=obj.person_id)


def report(request: HttpRequest, trust_code: str) -> HttpResponse:
    trust = trust_for(request.user, trust_code, Perm.VIEW_RO_REPORT)
    year = year_param(request.GET.get("year")) or rules.appraisal_year(dates.today())
    rates = selectors.appraisal_rates(trust=trust, year=year)
    recs = selectors.recommendation_stats(trust=trust, year=year)
    context = {
        "current_trust": trust,
        "section": "revalidation",
        "year": year,
        "rates": rates,
        "recs": recs,
        "charts": {
            "status": bar_chart(rates["statuses"], title=f"Appraisals {year}/{(year + 1) % 100:02d} by status"),
            "recs": bar_chart(recs["by_kind"], title="Recommendations by kind"),
        },
    }
    if request.GET.get("format") == "pdf":
        from medlead.structure.selectors import holder_name

        context["ro_name"] = holder_name(trust=trust, post_type="responsible_officer")
        return pdf_response(
            request, "revalidation/report_pdf.jinja", context, f"ro-annual-report-{trust.code}-{year}.pdf", trust=trust
        )
    return render(request, "revalidation/report.jinja", context)
