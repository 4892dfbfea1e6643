"""Patient cards: each card's address (the public patient page with its code) and its QR code as inline SVG."""

from __future__ import annotations

import io

import segno
from django.conf import settings
from django.urls import reverse
from markupsafe import Markup

from medlead.feedback.models import PatientCard


def address(card: PatientCard) -> str:
    return settings.MEDLEAD_BASE_URL + reverse("feedback:patient", kwargs={"code": card.code})


def start_address() -> str:
    return settings.MEDLEAD_BASE_URL + reverse("feedback:patient_start")


def qr_svg(url: str) -> Markup:
    """A QR code of ``url`` as an SVG element to put inline (segno writes only paths; no script, no external
    reference)."""
    out = io.BytesIO()
    segno.make(url, error="m").save(out, kind="svg", xmldecl=False, svgns=True, scale=3, border=2, title="QR code")
    return Markup(out.getvalue().decode("utf-8"))  # noqa: S704 (segno's own SVG of a URL we built)


def spaced(code: str) -> str:
    """A code as printed: two groups of four, easier to read and type."""
    return f"{code[:4]} {code[4:]}"
