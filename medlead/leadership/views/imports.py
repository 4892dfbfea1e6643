"""Importing a trust's own framework (the file check, then the shared import batch page confirms it)."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect

from medlead.core import imports as pipeline
from medlead.core.policy import Perm
from medlead.core.views import form_page
from medlead.leadership.forms import ImportFrameworkForm
from medlead.organisation.selectors import trust_for


def framework_import(request: HttpRequest, trust_code: str) -> HttpResponse:
    trust = trust_for(request.user, trust_code, Perm.MANAGE_FRAMEWORKS)
    form = ImportFrameworkForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        batch = pipeline.check(
            actor=request.user,
            trust=trust,
            kind="framework",
            filename=upload.name,
            content=upload.read(),
            params={
                "name": form.cleaned_data["name"],
                "code": form.cleaned_data["code"],
                "scale": [s.strip() for s in form.cleaned_data["scale"].split(",") if s.strip()],
            },
        )
        return redirect("organisation:import_batch", trust_code=trust.code, pk=batch.pk)
    return form_page(
        request,
        trust=trust,
        section="leadership",
        form=form,
        title="Import a framework",
        multipart=True,
        button="Check the file",
    )
