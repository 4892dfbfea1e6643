"""Real PDFs from the same templates and SVG charts as the pages, with WeasyPrint."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest, HttpResponse
from django.template.loader import render_to_string


def pdf_response(
    request: HttpRequest,
    template: str,
    context: dict[str, Any],
    filename: str,
    *,
    trust: Any,
    confidential: bool = False,
) -> HttpResponse:
    """A PDF of ``template`` (which extends ``pdf/base.jinja``): every page names ``trust`` and the document, and
    says when it was produced; ``confidential`` marks it so on every page."""
    from django.utils import timezone
    from weasyprint import HTML  # imported here: Pango loads only when a PDF is asked for

    context = {**context, "pdf_trust": trust, "produced": timezone.localtime(), "confidential": confidential}
    html = render_to_string(template, context, request=request)
    response = HttpResponse(
        HTML(string=html, base_url=request.build_absolute_uri("/")).write_pdf(), content_type="application/pdf"
    )
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response
