from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render

from medlead.core import imports as pipeline
from medlead.core.board import board_picture
from medlead.core.dates import today
from medlead.core.policy import Perm, can, require
from medlead.core.views import form_flow
from medlead.core.work import work_for
from medlead.organisation import selectors, services
from medlead.organisation.forms import ImportForm, LayoutForm, PeopleQuery, PersonForm, PickQuery
from medlead.organisation.models import Division, Grade, ImportBatch, Person
from medlead.structure.selectors import StructureToday


def overview(request: HttpRequest, trust_code: str) -> HttpResponse:
    trust = selectors.trust_for(request.user, trust_code)
    day = today()
    # "What needs you" and the board's picture both use the posts' holders and structure health: read once, if at all
    structure = StructureToday(trust, day)
    return render(
        request,
        "organisation/overview.jinja",
        {
            "current_trust": trust,
            "section": "trust",
            "counts": selectors.headcounts(trust=trust),
            "divisions": selectors.divisions_with_specialties(trust=trust),
            "board": selectors.board(trust=trust),
            "committees": selectors.committees(trust=trust),
            "can_import": can(request.user, Perm.RUN_IMPORT, trust),
            "work": work_for(request.user, trust, today=day, structure=structure),
            "picture": board_picture(request.user, trust, today=day, structure=structure),
        },
    )


def people(request: HttpRequest, trust_code: str) -> HttpResponse:
    trust = selectors.trust_for(request.user, trust_code, Perm.VIEW_PEOPLE)
    query = PeopleQuery(request.GET).values()
    search, grade = query["q"] or "", query["grade"] or ""
    division = str(query["division"] or "")  # as the template compares it with each division's id
    qs = selectors.people(trust=trust, search=search, division_id=query["division"], grade=grade)
    page = Paginator(qs, 50).get_page(query["page"])
    # htmx asks for the results only, as the user types; without JavaScript the Filter button loads the page
    template = "organisation/_people_results.jinja" if getattr(request, "htmx", False) else "organisation/people.jinja"
    return render(
        request,
        template,
        {
            "current_trust": trust,
            "section": "people",
            "page": page,
            "search": search,
            "division": division,
            "grade": grade,
            "divisions": Division.objects.filter(trust=trust),
            "grades": Grade.choices,
            "can_manage": can(request.user, Perm.MANAGE_PEOPLE, trust),
        },
    )


def people_pick(request: HttpRequest, trust_code: str) -> HttpResponse:
    """Suggestions for a person picker as the user types: name, GMC number, grade, specialty and current posts
    (what the people directory shows every member of the trust), never contact details."""
    trust = selectors.trust_for(request.user, trust_code)
    query = PickQuery(request.GET).values()
    search = (query["q"] or "")[:100]
    found = (
        selectors.people_to_pick(trust=trust, search=search, scope=query["scope"] or "all") if len(search) >= 2 else []
    )
    return render(
        request,
        "organisation/_people_pick.jinja",
        {"people": found, "search": search, "target": (query["target"] or "")[:80]},
    )


def person_detail(request: HttpRequest, trust_code: str, pk: int) -> HttpResponse:
    trust = selectors.trust_for(request.user, trust_code)
    person = get_object_or_404(Person.objects.select_related("specialty__division", "trust"), trust=trust, pk=pk)
    require(request.user, Perm.VIEW_PERSON, person)
    holdings = list(person.holdings.select_related("post__post_type").order_by("-start"))
    day = today()
    today_holdings = {h.pk for h in holdings if h.is_current(day)}
    return render(
        request,
        "organisation/person_detail.jinja",
        {
            "current_trust": trust,
            "section": "people",
            "person": person,
            "holdings": holdings,
            "current_ids": today_holdings,
            "personal": can(request.user, Perm.VIEW_PERSONAL_DETAILS, person),
            "can_manage": can(request.user, Perm.MANAGE_PEOPLE, trust),
        },
    )


def person_edit(request: HttpRequest, trust_code: str, pk: int | None = None) -> HttpResponse:
    trust = selectors.trust_for(request.user, trust_code, Perm.MANAGE_PEOPLE)
    person = get_object_or_404(Person, trust=trust, pk=pk) if pk else None
    form = PersonForm(request.POST or None, instance=person, trust=trust)
    if request.method == "POST" and form.is_valid():
        data = {name: form.cleaned_data[name] for name in form.Meta.fields}
        try:
            if person is None:
                person = services.person_create(actor=request.user, trust=trust, **data)
                messages.success(request, f"{person} added.")
            else:
                person = services.person_update(actor=request.user, person=person, **data)
                messages.success(request, f"{person} updated.")
            return redirect("organisation:person", trust_code=trust.code, pk=person.pk)
        except ValidationError as exc:
            form.add_error(None, exc)
    return render(
        request,
        "organisation/person_form.jinja",
        {"current_trust": trust, "section": "people", "form": form, "person": person},
    )


def import_upload(request: HttpRequest, trust_code: str) -> HttpResponse:
    """Step 1: upload a file and see the dry run: every change it would make, or every error."""
    trust = selectors.trust_for(request.user, trust_code, Perm.RUN_IMPORT)
    layouts = selectors.import_layouts(trust=trust, kind="people")
    form = ImportForm(request.POST or None, request.FILES or None, layouts=layouts)
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        batch = pipeline.check(
            actor=request.user,
            trust=trust,
            kind=form.cleaned_data["kind"],
            filename=upload.name,
            content=upload.read(),
            params=form.params(),
        )
        return redirect("organisation:import_batch", trust_code=trust.code, pk=batch.pk)
    recent = ImportBatch.objects.filter(trust=trust).defer("content")[:10]
    return render(
        request,
        "organisation/import_upload.jinja",
        {
            "current_trust": trust,
            "section": "trust",
            "form": form,
            "recent": recent,
            "people": pipeline.KINDS["people"],
            "posts": pipeline.KINDS["posts"],
            "layouts": layouts,
        },
    )


def import_batch(request: HttpRequest, trust_code: str, pk: int) -> HttpResponse:
    """Step 2, for every kind of import: review the dry run and confirm. The import runs on the task queue, all
    or nothing."""
    trust = selectors.trust_for(request.user, trust_code)
    batch = get_object_or_404(ImportBatch.objects.defer("content").select_related("trust"), trust=trust, pk=pk)
    kind = pipeline.KINDS[batch.kind]
    require(request.user, kind.perm, trust)
    if request.method == "POST":
        if request.POST.get("do") == "retry":
            services.import_retry(actor=request.user, batch=batch)
        else:
            services.import_confirm(actor=request.user, batch=batch)
        return redirect("organisation:import_batch", trust_code=trust.code, pk=batch.pk)
    return render(
        request,
        "organisation/import_batch.jinja",
        {"current_trust": trust, "section": "trust", "batch": batch, "kind": kind},
    )


def import_template(request: HttpRequest, trust_code: str, kind: str) -> HttpResponse:
    """A CSV file with the columns of one kind of import and an example row, to fill in."""
    trust = selectors.trust_for(request.user, trust_code)
    spec = pipeline.KINDS.get(kind)
    if spec is None:
        raise Http404("No such import.")
    require(request.user, spec.perm, trust)
    response = HttpResponse(pipeline.template_csv(spec), content_type="text/csv")
    response["Content-Disposition"] = f'attachment; filename="medlead-{kind}-template.csv"'
    return response


def import_layout(request: HttpRequest, trust_code: str, code: str) -> HttpResponse:
    """A national file's column headings, as this trust's file names them."""
    trust = selectors.trust_for(request.user, trust_code)
    layout = selectors.import_layout(trust=trust, code=code)
    if layout is None:
        raise Http404("No such file layout.")
    require(request.user, pipeline.KINDS[layout.kind].perm, trust)
    form = LayoutForm(request.POST or None, layout=layout)
    back = pipeline.KINDS[layout.kind].page
    return form_flow(
        request,
        trust=trust,
        section="trust",
        form=form,
        title=f"Columns of the {layout.label}",
        lede=(
            "medlead reads each of its columns from the heading below. These headings have not been checked against "
            "a live download: if your file names a column differently, write its heading here."
        ),
        save=lambda data: services.import_layout_save(actor=request.user, trust=trust, code=code, headings=data),
        done=lambda _: redirect(back, trust_code=trust.code),
        saved="The layout's headings are saved. Files checked from now on are read with them.",
    )
