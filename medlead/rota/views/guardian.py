"""The guardian of safe working hours' quarterly report: the page (with the guardian's own figures for the board)
and its PDF, each for the quarter the address names."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render

from medlead.core import kept
from medlead.core.charts import bar_chart
from medlead.core.dates import today
from medlead.core.pdf import pdf_response
from medlead.core.policy import Forbidden, Perm, can
from medlead.core.query import strict
from medlead.organisation.models import Trust
from medlead.organisation.selectors import trust_for
from medlead.rota import selectors, services
from medlead.rota.forms import GuardianQuarterForm, QuarterQuery
from medlead.rota.models import GuardianQuarter
from medlead.structure.selectors import holder_name


def _quarter(request: HttpRequest) -> tuple[int, int]:
    """The quarter the address names, or the current one."""
    chosen: tuple[int, int] | None = strict(QuarterQuery(request.GET))["quarter"]
    return chosen or selectors.quarter_of(today())


REPORTS = "Number of exception reports"


def _context(trust: Trust, year: int, quarter: int, form: Any) -> dict[str, Any]:
    # the same for everyone who may read it: kept (core.kept) until a report, a fine or the guardian's figures change
    data, charts = kept.kept(
        ("rota:guardian_report", trust.pk, year, quarter, today()), lambda: _figures(trust, year, quarter)
    )
    return {
        "current_trust": trust,
        "section": "rotas",
        "r": data,
        "charts": charts,
        "quarters": [
            (f"{y}-Q{q}", selectors.quarter_label(y, q))
            for y, q in selectors.previous_quarters(*selectors.quarter_of(today()), 8)
        ],
        "selected": f"{year}-Q{quarter}",
        "form": form,
    }


def _figures(trust: Trust, year: int, quarter: int) -> tuple[dict[str, Any], dict[str, str]]:
    data = selectors.guardian_report(trust=trust, year=year, quarter=quarter)
    charts = {
        "specialty": bar_chart(data["by_specialty"][:12], title="Exception reports by specialty", axis=REPORTS),
        "kind": bar_chart(data["by_kind"], title="Exception reports by type", axis=REPORTS),
        "trend": bar_chart(
            [(t["label"], t["reports"]) for t in data["trend"]], title="Exception reports by quarter", axis=REPORTS
        ),
    }
    return data, charts


def guardian_report(request: HttpRequest, trust_code: str) -> HttpResponse:
    """The report's page; the guardian records the quarter's access, detriment and information breaches on it."""
    trust = trust_for(request.user, trust_code, Perm.VIEW_GUARDIAN_REPORT)
    year, quarter = _quarter(request)
    form = None
    if can(request.user, Perm.FLAG_FINES, trust):
        form = GuardianQuarterForm(
            request.POST if request.method == "POST" else None,
            instance=GuardianQuarter.objects.filter(trust=trust, year=year, quarter=quarter).first()
            or GuardianQuarter(trust=trust, year=year, quarter=quarter),
        )
        if request.method == "POST" and form.is_valid():
            fields = {f: form.cleaned_data[f] for f in form.Meta.fields}
            services.guardian_quarter_save(actor=request.user, trust=trust, year=year, quarter=quarter, **fields)
            messages.success(request, "Saved for the board report.")
            return redirect(f"{request.path}?quarter={year}-Q{quarter}")
    elif request.method == "POST":
        raise Forbidden(Perm.FLAG_FINES)
    return render(request, "rota/guardian_report.jinja", _context(trust, year, quarter, form))


def guardian_report_pdf(request: HttpRequest, trust_code: str) -> HttpResponse:
    trust = trust_for(request.user, trust_code, Perm.VIEW_GUARDIAN_REPORT)
    year, quarter = _quarter(request)
    context = _context(trust, year, quarter, None)
    context["guardian_name"] = holder_name(trust=trust, post_type="guardian_of_safe_working_hours")
    return pdf_response(
        request,
        "rota/guardian_report_pdf.jinja",
        context,
        f"guardian-report-{trust.code}-{year}-Q{quarter}.pdf",
        trust=trust,
    )
