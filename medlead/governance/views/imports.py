"""The metric values' import upload page (replaced by the one ``imports`` app's upload page in another step)."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render

from medlead.core import imports as pipeline
from medlead.core.policy import Perm
from medlead.governance.forms import ImportForm
from medlead.governance.views import SECTION
from medlead.organisation.selectors import trust_for


def metric_import(request: HttpRequest, trust_code: str) -> HttpResponse:
    trust = trust_for(request.user, trust_code, Perm.MANAGE_METRICS)
    form = ImportForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        batch = pipeline.check(
            actor=request.user,
            trust=trust,
            kind="metric_values",
            filename=upload.name,
            content=upload.read(),
            params={},
        )
        return redirect("organisation:import_batch", trust_code=trust.code, pk=batch.pk)
    return render(
        request,
        "governance/import.jinja",
        {"current_trust": trust, "section": SECTION, "form": form, "kind": pipeline.KINDS["metric_values"]},
    )
