from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render

from medlead.core import imports as pipeline
from medlead.core.policy import Perm
from medlead.organisation.selectors import import_layouts, trust_for
from medlead.revalidation.forms import ImportForm


def connections_import(request: HttpRequest, trust_code: str) -> HttpResponse:
    trust = trust_for(request.user, trust_code, Perm.MANAGE_APPRAISALS)
    layouts = import_layouts(trust=trust, kind="connections")
    form = ImportForm(request.POST or None, request.FILES or None, layouts=layouts)
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        batch = pipeline.check(
            actor=request.user,
            trust=trust,
            kind="connections",
            filename=upload.name,
            content=upload.read(),
            params=form.params(),
        )
        return redirect("organisation:import_batch", trust_code=trust.code, pk=batch.pk)
    return render(
        request,
        "revalidation/import.jinja",
        {
            "current_trust": trust,
            "section": "revalidation",
            "form": form,
            "kind": pipeline.KINDS["connections"],
            "layouts": layouts,
        },
    )
