"""What the information transfer views share."""

from __future__ import annotations

from typing import Any

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render

from medlead.core.policy import Perm, require_known
from medlead.organisation.models import Trust
from medlead.organisation.selectors import trust_for
from medlead.transfers import selectors
from medlead.transfers.models import InformationTransfer

SECTION = "revalidation"


def render_page(request: HttpRequest, template: str, trust: Trust, **context: Any) -> HttpResponse:
    return render(request, template, {"current_trust": trust, "section": SECTION, **context})


def load(request: HttpRequest, trust_code: str, pk: int) -> tuple[Trust, InformationTransfer]:
    """The transfer, under the trust that asked for it or the trust asked: known only to both trusts' responsible
    officers and its doctor; 404 for everyone else, as for one that does not exist."""
    trust = trust_for(request.user, trust_code)
    found = selectors.find(trust=trust, pk=pk)
    if found is None:
        raise Http404
    require_known(request.user, found, Perm.VIEW_INFORMATION_TRANSFER)
    return trust, found


def asked_by_here(trust: Trust, transfer: InformationTransfer) -> InformationTransfer:
    """The transfer, opened under the trust that asked for it (else 404: its asking side lives there)."""
    if transfer.trust_id != trust.pk:
        raise Http404
    return transfer


def asked_of_here(trust: Trust, transfer: InformationTransfer) -> InformationTransfer:
    """The transfer, opened under the trust asked for it (else 404: its answering side lives there)."""
    if transfer.previous_trust_id != trust.pk:
        raise Http404
    return transfer
