"""The two addresses of this app that need no sign-in: a doctor's secret calendar feed (the address is the key,
ADR 0023) and the web app manifest (no personal data)."""

from __future__ import annotations

from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.templatetags.static import static
from django.urls import reverse
from django.views.decorators.http import require_safe

from medlead.core import dates
from medlead.residents import ical, selectors

# Calendars read a feed every few hours at most; a short private cache spares a busy morning's re-reads while a
# change to the rota still reaches the phone within minutes. Never shared caches (private).
FEED_CACHE = "private, max-age=300"


@require_safe
def feed(request: HttpRequest, token: str) -> HttpResponse:
    found = selectors.feed_at(token)
    if found is None:
        raise Http404
    now = dates.now()
    body = ical.ics(selectors.feed_events(found.person, now), name="My rota (medlead)", stamp=now)
    response = HttpResponse(body, content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = 'inline; filename="my-rota.ics"'
    response["Cache-Control"] = FEED_CACHE
    response["X-Robots-Tag"] = "noindex, nofollow"
    response["Referrer-Policy"] = "no-referrer"
    return response


@require_safe
def manifest(request: HttpRequest) -> JsonResponse:
    """The web app manifest: medlead installable to a phone's home screen. It opens at the home page, which leads a
    resident doctor to My rota. No service worker: nothing is kept on the device (signed-in pages are no-store)."""
    icons = [
        {"src": static(f"icons/medlead-{size}.png"), "sizes": f"{size}x{size}", "type": "image/png"}
        for size in (192, 512)
    ]
    icons.append({"src": static("icons/medlead.svg"), "sizes": "any", "type": "image/svg+xml"})
    data = {
        "name": "medlead",
        "short_name": "medlead",
        "description": "Medical leadership and management: your rota, job plan, appraisal and more.",
        "start_url": reverse("home:index"),
        "scope": "/",
        "display": "standalone",
        "background_color": "#f0f4f5",
        "theme_color": "#005eb8",
        "icons": icons,
    }
    response = JsonResponse(data, content_type="application/manifest+json")
    response["Cache-Control"] = "public, max-age=86400"
    return response
