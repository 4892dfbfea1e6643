"""Pages for the board's view: metrics with their SPC charts (``metrics``), meetings with their decisions and
actions and the action log (``meetings``), the medical director's board report (``reports``), and the register of
external bodies (``external``). Metric values are imported through the ``imports`` app."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest, HttpResponse

from medlead.core.views import form_flow

SECTION = "board"


def board_form(request: HttpRequest, **kwargs: Any) -> HttpResponse:
    """A page with one form of the board's section."""
    return form_flow(request, section=SECTION, **kwargs)
