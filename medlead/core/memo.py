"""What one request reads once however many parts of its page ask: a memo that lives for one request (set by
``RequestMemoMiddleware``) and is absent outside one (a task, a command, a test calling a selector), where every
call reads afresh.

A selector keys its entry by what it read (``("value_confirmations", trust_id)``) and, where a write in the same
request can change it, by a generation that the write bumps, so that a page never shows what it read before its
own change.
"""

from __future__ import annotations

import contextvars
from collections.abc import Callable, Hashable, Iterator
from contextlib import contextmanager
from typing import TypeVar

from django.http import HttpRequest, HttpResponse

T = TypeVar("T")

_memo: contextvars.ContextVar[dict[Hashable, object] | None] = contextvars.ContextVar("request_memo", default=None)


def once_per_request(key: Hashable, build: Callable[[], T]) -> T:
    """``build()``'s answer, built once in this request under ``key`` (built every time outside a request)."""
    memo = _memo.get()
    if memo is None:
        return build()
    if key not in memo:
        memo[key] = build()
    found: T = memo[key]  # type: ignore[assignment]  # the key's owner stores one type under it
    return found


@contextmanager
def fresh() -> Iterator[None]:
    """Within a request, a new empty memo until the block ends (then the request's own again): what the block asks
    is read afresh (``core.kept`` builds a value this way, so that it watches every read). What the block read is
    then the request's too, where the request had not read it: a kept value built inside another passes on what it
    read (``kept``), so the outer one may use it without reading it again."""
    outer = _memo.get()
    if outer is None:
        yield
        return
    inner: dict[Hashable, object] = {}
    token = _memo.set(inner)
    try:
        yield
    finally:
        _memo.reset(token)
    for key, value in inner.items():
        outer.setdefault(key, value)


class RequestMemoMiddleware:
    """Gives each request its own empty memo, dropped when the response is made."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        token = _memo.set({})
        try:
            return self.get_response(request)
        finally:
            _memo.reset(token)
