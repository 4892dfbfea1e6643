"""Patient code attempts per client address, counted in Django's cache (a fixed window). A patient types one code
from one card; a hundred codes an hour from one address is someone trying codes, and is refused, so codes cannot be
probed. No library: django-ratelimit decorates a whole view, and here only the attempts at a code count."""

from __future__ import annotations

from django.conf import settings
from django.core.cache import cache
from django.http import HttpRequest

ATTEMPTS = 20  # code attempts a client address may make in one window
WINDOW_SECONDS = 15 * 60


def client_address(request: HttpRequest) -> str:
    """The patient's address. medlead has no other notion of it (sign-in lockouts go by username, not address), so
    this is the one place that reads it: REMOTE_ADDR, unless ``MEDLEAD_PROXY_COUNT`` names how many proxies in front
    of the app servers each append the address they saw to X-Forwarded-For; then the address the outermost of them
    saw (the N-th from the right), which a client cannot forge by sending its own header. Behind a load balancer
    with the setting at 0, every patient would share the balancer's address (README, "Deploying")."""
    hops: int = getattr(settings, "MEDLEAD_PROXY_COUNT", 0)
    remote = str(request.META.get("REMOTE_ADDR") or "unknown")
    if hops <= 0:
        return remote
    seen = [a.strip() for a in str(request.META.get("HTTP_X_FORWARDED_FOR", "")).split(",") if a.strip()]
    return seen[-hops] if len(seen) >= hops else remote


def _key(request: HttpRequest) -> str:
    return "feedback:code-attempts:" + client_address(request)[:64]


def attempt(request: HttpRequest) -> bool:
    """Count one attempt at a code from this request's address; False once the address has used up its window."""
    key = _key(request)
    if cache.add(key, 1, WINDOW_SECONDS):
        return True
    try:
        count = cache.incr(key)
    except ValueError:  # expired between add and incr
        cache.add(key, 1, WINDOW_SECONDS)
        return True
    return count <= ATTEMPTS
