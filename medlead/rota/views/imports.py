"""The rota import's upload page (replaced by the one ``imports`` app's upload page in another step)."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render

from medlead.core import imports as pipeline
from medlead.core.policy import Perm
from medlead.organisation.selectors import trust_for
from medlead.rota.forms import RotaImportForm


def rota_import(request: HttpRequest, trust_code: str) -> HttpResponse:
    trust = trust_for(request.user, trust_code, Perm.MANAGE_ROTAS)
    form = RotaImportForm(request.POST or None, request.FILES or None, trust=trust)
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        specialty = form.cleaned_data["specialty"]
        batch = pipeline.check(
            actor=request.user,
            trust=trust,
            kind="rota",
            filename=upload.name,
            content=upload.read(),
            params={
                "name": form.cleaned_data["name"],
                "rule_set": form.cleaned_data["rule_set"],
                "specialty_id": specialty.pk if specialty else None,
            },
        )
        return redirect("organisation:import_batch", trust_code=trust.code, pk=batch.pk)
    return render(
        request,
        "rota/import.jinja",
        {"current_trust": trust, "section": "rotas", "form": form, "kind": pipeline.KINDS["rota"]},
    )
