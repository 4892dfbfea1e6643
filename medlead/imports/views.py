"""The import pages, for every kind of file: the list of imports a user may run, one upload page keyed by kind (the
dry run), the batch's page with one confirm and one retry, a template file for each kind, and a national layout's
headings."""

from __future__ import annotations

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST

from medlead.core import heartbeat
from medlead.core.imports import KINDS, Kind
from medlead.core.layouts import layouts
from medlead.core.policy import Perm, can, require
from medlead.core.views import form_flow
from medlead.imports import services
from medlead.imports.forms import AnotherFileQuery, LayoutForm, upload_form
from medlead.imports.models import ImportBatch
from medlead.organisation import services as organisation_services
from medlead.organisation.models import Trust
from medlead.organisation.selectors import import_layout, import_layouts, trust_for

RECENT = 10  # imports listed under the upload form
# what a layout page says where the file names specialties and divisions
NEW_REFERENCE_DATA = (
    " A specialty or division in the file that medlead does not know is an error on its row, with the nearest names "
    "medlead knows: a typo never adds one. A new specialty or division is added only from a file in medlead's own "
    "columns whose row says yes in create_specialty (and create_division for a new division)."
)


def _kind(code: str) -> Kind:
    kind = KINDS.get(code)
    if kind is None:
        raise Http404("No such import.")
    return kind


def index(request: HttpRequest, trust_code: str) -> HttpResponse:
    """Every kind of file this user may import here, and the latest of those imports."""
    trust = trust_for(request.user, trust_code)
    kinds = [k for k in KINDS.values() if can(request.user, k.perm, trust)]
    if not kinds:
        require(request.user, Perm.RUN_IMPORT, trust)  # refused, with the reason
    recent = ImportBatch.objects.filter(trust=trust, kind__in=[k.code for k in kinds]).defer("content")[:RECENT]
    return render(
        request,
        "imports/index.jinja",
        {"current_trust": trust, "section": "trust", "kinds": kinds, "recent": recent},
    )


def upload(request: HttpRequest, trust_code: str, kind: str) -> HttpResponse:
    """Step 1, for every kind: upload a file (with the kind's options) and see the dry run: every change it would
    make, or every error."""
    spec = _kind(kind)
    trust = trust_for(request.user, trust_code, spec.perm)
    layouts = import_layouts(trust=trust, kind=spec.code)
    # "Upload another file" from a batch keeps the layout its file came in
    again = AnotherFileQuery(request.GET, layouts=layouts).values()
    form = upload_form(spec.code)(
        request.POST or None, request.FILES or None, trust=trust, kind=spec, layouts=layouts, initial=again
    )
    if request.method == "POST" and form.is_valid():
        file = form.cleaned_data["file"]
        batch = services.check(
            actor=request.user,
            trust=trust,
            kind=spec.code,
            filename=file.name,
            content=file.read(),
            params=form.params(),
        )
        return redirect("imports:batch", trust_code=trust.code, pk=batch.pk)
    recent = ImportBatch.objects.filter(trust=trust, kind=spec.code).defer("content")[:RECENT]
    return render(
        request,
        "imports/upload.jinja",
        {
            "current_trust": trust,
            "section": spec.section,
            "kind": spec,
            "form": form,
            "layouts": layouts,
            "recent": recent,
        },
    )


def _batch(request: HttpRequest, trust_code: str, pk: int) -> tuple[Trust, ImportBatch, Kind]:
    """The batch, for someone who may run its kind of import (else 403; 404 for another trust's)."""
    trust = trust_for(request.user, trust_code)
    batch = get_object_or_404(ImportBatch.objects.defer("content").select_related("trust"), trust=trust, pk=pk)
    kind = _kind(batch.kind)
    require(request.user, kind.perm, trust)
    return trust, batch, kind


def batch(request: HttpRequest, trust_code: str, pk: int) -> HttpResponse:
    """Step 2, for every kind: the dry run's changes or errors, and the confirm (or, when stuck, the retry)."""
    trust, found, kind = _batch(request, trust_code, pk)
    return render(
        request,
        "imports/batch.jinja",
        {
            "current_trust": trust,
            "section": kind.section,
            "batch": found,
            "kind": kind,
            "may_confirm": can(request.user, Perm.CONFIRM_IMPORT, found),
            "may_retry": can(request.user, Perm.RETRY_IMPORT, found),
            "started": found.is_queued and heartbeat.last_beat(found) is not None,
            # "Upload another file" keeps the layout this file came in
            "layout_code": (found.params or {}).get("layout", {}).get("code", ""),
        },
    )


@require_POST
def confirm(request: HttpRequest, trust_code: str, pk: int) -> HttpResponse:
    """Import a checked batch: queued once for a worker, all or nothing (a second confirm does nothing)."""
    trust, found, _ = _batch(request, trust_code, pk)
    services.confirm(actor=request.user, batch=found)
    return redirect("imports:batch", trust_code=trust.code, pk=found.pk)


@require_POST
def retry(request: HttpRequest, trust_code: str, pk: int) -> HttpResponse:
    """Put a batch that has waited too long in the queue back to "checked", to be confirmed again."""
    trust, found, _ = _batch(request, trust_code, pk)
    services.retry(actor=request.user, batch=found)
    return redirect("imports:batch", trust_code=trust.code, pk=found.pk)


def template(request: HttpRequest, trust_code: str, kind: str) -> HttpResponse:
    """A CSV file with the columns of one kind of import and an example row, to fill in."""
    trust = trust_for(request.user, trust_code)
    spec = _kind(kind)
    require(request.user, spec.perm, trust)
    response = HttpResponse(spec.template_csv(), content_type="text/csv")
    response["Content-Disposition"] = f'attachment; filename="medlead-{spec.code}-template.csv"'
    return response


def layout(request: HttpRequest, trust_code: str, code: str) -> HttpResponse:
    """A national file's column headings, as this trust's file names them."""
    trust = trust_for(request.user, trust_code)
    found = import_layout(trust=trust, code=code)
    if found is None:
        raise Http404("No such file layout.")
    kind = _kind(found.kind)
    require(request.user, kind.perm, trust)
    return form_flow(
        request,
        trust=trust,
        section=kind.section,
        form=LayoutForm(request.POST or None, layout=found, default=layouts()[code]),
        title=f"Columns of the {found.label}",
        lede=(
            "medlead reads each of its columns from the heading below. These headings have not been checked against "
            "a live download: if your file names a column differently, write its heading here."
            + (NEW_REFERENCE_DATA if {"specialty", "division"} & set(found.columns) else "")
        ),
        save=lambda data: organisation_services.import_layout_save(
            actor=request.user, trust=trust, code=code, headings=data
        ),
        done=lambda _: redirect("imports:upload", trust_code=trust.code, kind=kind.code),
        saved="The layout's headings are saved. Files checked from now on are read with them.",
    )
