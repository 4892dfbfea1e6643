"""The responsible officer's annual report to the board: the page, and the same report as a PDF."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from medlead.core import dates, kept
from medlead.core.charts import bar_chart
from medlead.core.pdf import pdf_response
from medlead.core.policy import Perm
from medlead.organisation.models import ReceiverKind, Trust
from medlead.organisation.receivers import receiver
from medlead.organisation.selectors import trust_for
from medlead.revalidation import selectors
from medlead.revalidation.forms import ReportQuery
from medlead.structure.selectors import holder_name


def _report(request: HttpRequest, trust: Trust) -> dict[str, Any]:
    year = ReportQuery(request.GET).values()["year"] or selectors.appraisal_year(trust, dates.today())
    # the same for everyone who may read it: kept (core.kept) until an appraisal, a recommendation or a receiver changes
    figures = kept.kept(("revalidation:report", trust.pk, year, dates.today()), lambda: _figures(trust, year))
    return {"current_trust": trust, "section": "revalidation", **figures}


def _figures(trust: Trust, year: int) -> dict[str, Any]:
    rates = selectors.appraisal_rates(trust=trust, year=year)
    recs = selectors.recommendation_stats(trust=trust, year=year)
    return {
        "year": year,
        "rates": rates,
        "recs": recs,
        "feedback": selectors.feedback_figure(trust=trust, year=year),
        # the trust's higher-level responsible officer as the dated rows say at the report's year end (or today)
        "higher_ro": receiver(ReceiverKind.HIGHER_LEVEL_RO, trust, on=min(dates.today(), dt.date(year + 1, 3, 31))),
        "charts": {
            "status": bar_chart(
                rates["statuses"],
                title=f"Appraisals {year}/{(year + 1) % 100:02d} by status",
                axis="Number of appraisals",
            ),
            "recs": bar_chart(recs["by_kind"], title="Recommendations by kind", axis="Number of recommendations"),
        },
    }


def report(request: HttpRequest, trust_code: str) -> HttpResponse:
    trust = trust_for(request.user, trust_code, Perm.VIEW_RO_REPORT)
    return render(request, "revalidation/report.jinja", _report(request, trust))


def report_pdf(request: HttpRequest, trust_code: str) -> HttpResponse:
    trust = trust_for(request.user, trust_code, Perm.VIEW_RO_REPORT)
    context = _report(request, trust)
    context["ro_name"] = holder_name(trust=trust, post_type="responsible_officer")
    return pdf_response(
        request,
        "revalidation/report_pdf.jinja",
        context,
        f"ro-annual-report-{trust.code}-{context['year']}.pdf",
        trust=trust,
    )
