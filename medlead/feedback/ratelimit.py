"""Patient code attempts per client address, counted in Django's cache (a fixed window). A patient types one code
from one card; a hundred codes an hour from one address is someone trying codes, and is refused, so codes cannot be
probed. No library: django-ratelimit decorates a whole view, and here only the attempts at a code count."""

from __future__ import annotations

from django.core.cache import cache
from django.http import HttpRequest

ATTEMPTS = 20  # code attempts a client address may make in one window
WINDOW_SECONDS = 15 * 60


def _key(request: HttpRequest) -> str:
    return "feedback:code-attempts:" + str(request.META.get("REMOTE_ADDR", "unknown"))[:64]


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
