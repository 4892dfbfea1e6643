"""The transfer's own page, as each reader may see it, and its PDF for the responsible officer who reads it."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.views.decorators.http import require_safe

from medlead.core.dates import today
from medlead.core.pdf import pdf_response
from medlead.core.policy import Perm, can, read
from medlead.transfers import content, presenters, services
from medlead.transfers.views.common import asked_by_here, load, render_page

WHY = "information transfer read"


@require_safe
def transfer(request: HttpRequest, trust_code: str, pk: int) -> HttpResponse:
    """The facts for both responsible officers and the doctor; the answers too for the asking trust's responsible
    officer once it is sent (every such read audited, and the first one noted)."""
    trust, t = load(request, trust_code, pk)
    reading = t.trust_id == trust.pk and can(request.user, Perm.READ_INFORMATION_TRANSFER, t)
    if reading:
        read(request.user, Perm.READ_INFORMATION_TRANSFER, t, why=WHY)
        t = services.first_read(actor=request.user, transfer=t, today=today())
    return render_page(
        request, "transfers/transfer.jinja", trust, p=presenters.page(request.user, trust, t, reading=reading)
    )


@require_safe
def pdf(request: HttpRequest, trust_code: str, pk: int) -> HttpResponse:
    """The sent transfer as a PDF, for the asking trust's responsible officer only (404 for anyone else): both
    trusts, the doctor, the period of connection, and who completed and sent it."""
    trust, t = load(request, trust_code, pk)
    asked_by_here(trust, t)
    read(request.user, Perm.READ_INFORMATION_TRANSFER, t, why=f"{WHY} (PDF)")
    version = content.named(t.form)
    return pdf_response(
        request,
        "transfers/transfer_pdf.jinja",
        {
            "t": t,
            "version": version,
            "answers": content.answered(version, t.answers),
            "period": presenters.period(t),
            "sent_by": presenters.who(t.sent_by),
            "requested_by": presenters.who(t.requested_by),
        },
        f"information-transfer-{t.pk}.pdf",
        trust=trust,
        confidential=True,
    )
