"""Every page and API endpoint each demo account reaches, measured against the floor (issue 20, target 1).

For each demo account: its home page, every page it links to, and one page of each shape linked from those (a
shape is the address with its numbers taken out), plus the API's list endpoints; PDFs and exports included. Each
is requested BENCH_PAGE_REQUESTS times with Django's test client (no network: the figures are the application's
own cost) and compared with a bare sign-in page measured in the same run (before each account's pages; the median
of those is the floor). Called by ``bench/run.py`` at 1 trust and
again at 50, so that queries per page can be compared as the data grows.
"""

from __future__ import annotations

import gc
import os
import re
import statistics
import time
from dataclasses import dataclass
from html import unescape
from typing import Any

ACCOUNTS = ("md", "ro", "cd", "doctor", "guardian", "hr", "ned", "admin", "chair", "cosec", "caldicott")
SKIP = ("/logout", "/accounts/", "/import/template/")
API = (
    "/api/trusts/",
    "/api/trusts/{code}/divisions/",
    "/api/trusts/{code}/specialties/",
    "/api/trusts/{code}/people/",
    "/api/trusts/{code}/posts/",
    "/api/trusts/{code}/portfolio/",
    "/api/trusts/{code}/org-chart/",
    "/api/trusts/{code}/structure-health/",
    "/api/trusts/{code}/succession/",
    "/api/trusts/{code}/fhir/practitioners/",
    "/api/opportunities/",
)
# A PDF or export, judged against its own target, not the floor: by its format in the address, or its last part
# (``/guardian-report/pdf/``, ``/return/2026/csv/``).
FILES = ("format=pdf", "format=csv", "format=xlsx", "/export", ".pdf", ".csv", ".xlsx", "/fhir/", "/pdf/", "/csv/")
REQUESTS = int(os.environ.get("BENCH_PAGE_REQUESTS", "8"))
# A PDF or export is made while the person waits: its p95 stays within half a second on these machines (2 cores), at
# 1 trust and at 50. Pages are judged against the floor instead (target: p95 within 3 times it).
FILE_BUDGET_MS = 500
# Issue 35's targets for pages: p95 within 3 times the floor; a home page within 4 times it, in at most 15 queries; a
# PDF under 1 s at p50 (the demo's), an export under 0.5 s.
PAGE_TARGET_X = 3.0
HOME_TARGET_X = 4.0
HOME_QUERIES = 15
PDF_TARGET_MS = 1000.0
EXPORT_TARGET_MS = 500.0


def target(emit: Any, name: str, value: float, unit: str, goal: float, *, most: bool = True) -> None:
    """One target's figure beside the target: ``value`` at most (or, ``most=False``, at least) ``goal``, "missed"
    where it is not met."""
    met = value <= goal if most else value >= goal
    emit(f"target {name}", value, f"{unit} (target {'≤' if most else '≥'} {goal:g}{'' if met else ': MISSED'})")


@dataclass
class Page:
    account: str
    url: str
    queries: int
    p50: float
    p95: float
    size: int
    built: bool = False  # a home page built afresh, as after a change to what it shows (not served as kept)

    @property
    def shape(self) -> str:
        return re.sub(r"\d+", "N", self.url)

    @property
    def is_file(self) -> bool:
        return any(f in self.url for f in FILES)


def _links(content: bytes, code: str) -> set[str]:
    return {unescape(h) for h in re.findall(rf'href="(/t/{code}/[^"#]*)"', content.decode(errors="replace"))}


def reachable(client: Any, code: str) -> list[str]:
    """The account's home page, its links, and one page of each shape one click further."""
    home = client.get(f"/t/{code}/", follow=True)
    first = {f"/t/{code}/"} | _links(home.content, code)
    second: set[str] = set()
    for url in sorted(first):
        if any(s in url for s in SKIP):
            continue
        response = client.get(url)
        if response.status_code == 200 and "text/html" in response.get("Content-Type", ""):
            second |= _links(response.content, code)
    shapes = {re.sub(r"\d+", "N", u) for u in first}
    chosen = set(first)
    for url in sorted(second - first):
        shape = re.sub(r"\d+", "N", url)
        if shape not in shapes:
            shapes.add(shape)
            chosen.add(url)
    return sorted(u for u in chosen if not any(s in u for s in SKIP)) + [a.format(code=code) for a in API]


def timed(client: Any, url: str, requests: int = REQUESTS) -> tuple[int, int, float, float, int]:
    """Status, SQL queries, p50 and p95 in milliseconds, and size of one page (after one request to warm it)."""
    from django.db import connection

    client.get(url)
    executed: list[str] = []

    def count(execute: Any, sql: str, *args: Any) -> Any:
        executed.append(sql)
        return execute(sql, *args)

    with connection.execute_wrapper(count):
        response = client.get(url)
    times = []
    for _ in range(requests):
        started = time.perf_counter()
        client.get(url)
        times.append((time.perf_counter() - started) * 1000)
    times.sort()
    p95 = times[min(len(times) - 1, int(0.95 * len(times)))]
    return response.status_code, len(executed), statistics.median(times), p95, len(response.content)


def measure(code: str) -> tuple[Page, list[Page]]:
    """The floor (a bare sign-in page) and every (account, page) the accounts reach, with their figures."""
    from django.test import Client

    from medlead.accounts.models import User
    from medlead.core import kept

    class AfterAChange(Client):
        """A client for whom every kept page was made stale just before each request."""

        def get(self, *args: Any, **kwargs: Any) -> Any:
            kept.forget_all()
            return super().get(*args, **kwargs)

    # The benchmark's process still holds every object the demo generator made; a real worker does not. Freeze them
    # out of the garbage collector's sight, or its full collections (150 ms here) land in the figures.
    gc.collect()
    gc.freeze()
    # The floor is measured again before each account's pages, and its median taken: on a shared 2-core machine one
    # measurement of a 4 ms page can be off by half over a run of several minutes.
    floors = []
    pages = []
    for name in ACCOUNTS:
        user = User.objects.filter(username=name).first()
        if user is None:
            continue
        floors.append(timed(Client(), "/accounts/login/"))
        client = Client()
        client.force_login(user, backend="django.contrib.auth.backends.ModelBackend")
        for url in reachable(client, code):
            status, queries, p50, p95, size = timed(client, url)
            if status == 200:
                pages.append(Page(name, url, queries, p50, p95, size))
        # The home page is kept until what it shows changes (core.kept, ADR 0039): the figures above are of the page
        # as served between changes; these of the page as built after one (every kept page forgotten before each
        # request, as a write to what it read would: the build, its account read again, and the cache's round trips).
        stale = AfterAChange()
        stale.force_login(user, backend="django.contrib.auth.backends.ModelBackend")
        status, queries, p50, p95, size = timed(stale, f"/t/{code}/")
        if status == 200:
            pages.append(Page(name, f"/t/{code}/", queries, p50, p95, size, built=True))
    _, queries, _, _, size = floors[0]
    p50 = statistics.median(f[2] for f in floors)
    p95 = statistics.median(f[3] for f in floors)
    return Page("anonymous", "/accounts/login/", queries, p50, p95, size), pages


def report(emit: Any, suffix: str, floor: Page, pages: list[Page]) -> None:
    built = [p for p in pages if p.built]
    pages = [p for p in pages if not p.built]
    ordinary = [p for p in pages if not p.is_file]
    files = [p for p in pages if p.is_file]
    ratios = sorted(p.p95 / floor.p95 for p in ordinary)
    emit(f"pages_measured_{suffix}", len(pages), "account x page pairs")
    emit(f"pages_floor_p95_{suffix}", floor.p95, "ms")
    emit(f"pages_p95_over_floor_median_{suffix}", statistics.median(ratios), "x floor")
    emit(f"pages_within_3x_floor_{suffix}", sum(r <= 3 for r in ratios) / len(ratios), "fraction")
    # With BENCH_PAGE_REQUESTS requests a page, p95 is nearly the slowest one, which the machine's own pauses set as
    # much as the page. The medians, each page's p50 against the floor's, show the pages' own cost more steadily.
    typical = sorted(p.p50 / floor.p50 for p in ordinary)
    emit(f"pages_floor_p50_{suffix}", floor.p50, "ms")
    emit(f"pages_p50_over_floor_p50_median_{suffix}", statistics.median(typical), "x floor")
    emit(f"pages_p50_within_3x_floor_p50_{suffix}", sum(r <= 3 for r in typical) / len(typical), "fraction")
    emit(f"pages_largest_kb_{suffix}", max(p.size for p in ordinary) / 1024, "KB")
    for p in sorted(ordinary, key=lambda p: -p.p95)[:10]:
        emit(
            f"page_worst_{suffix} {p.account} {p.url}",
            p.p95 / floor.p95,
            f"x floor (p50 {p.p50:.0f} ms, p95 {p.p95:.0f} ms, {p.queries} queries)",
        )
    homes = [p for p in ordinary if re.fullmatch(r"/t/[^/]+/", p.url)]
    target(
        emit,
        f"pages_within_3x_floor_p95_{suffix}",
        sum(r <= PAGE_TARGET_X for r in ratios) / len(ratios),
        "of pages",
        1.0,
        most=False,
    )
    for p in sorted(homes, key=lambda p: p.account):
        target(emit, f"home_p95_over_floor_{suffix} {p.account}", p.p95 / floor.p95, "x floor", HOME_TARGET_X)
        target(emit, f"home_queries_{suffix} {p.account}", p.queries, "queries", HOME_QUERIES)
    for p in sorted(built, key=lambda p: p.account):
        within = p.p95 / floor.p95 <= HOME_TARGET_X and p.queries <= HOME_QUERIES
        emit(
            f"home_built_{suffix} {p.account}",
            p.p95 / floor.p95,
            f"x floor at p95, built after a change (p50 {p.p50:.0f} ms, p95 {p.p95:.0f} ms, {p.queries} queries; "
            f"within {HOME_TARGET_X:g}x and {HOME_QUERIES} queries: {'yes' if within else 'no'})",
        )
    for p in sorted(files, key=lambda p: -p.p50):
        is_pdf = "pdf" in p.url
        target(
            emit,
            f"{'pdf' if is_pdf else 'export'}_p50_{suffix} {p.account} {p.url}",
            p.p50,
            "ms",
            PDF_TARGET_MS if is_pdf else EXPORT_TARGET_MS,
        )
    if files:
        emit(f"files_p95_max_{suffix}", max(p.p95 for p in files), "ms")
        emit(
            f"files_over_budget_{suffix}",
            sum(p.p95 > FILE_BUDGET_MS for p in files),
            f"files (budget {FILE_BUDGET_MS} ms)",
        )
        for p in sorted(files, key=lambda p: -p.p95)[:5]:
            emit(f"file_worst_{suffix} {p.account} {p.url}", p.p95, f"ms ({p.queries} queries)")


def growth(emit: Any, small: list[Page], large: list[Page]) -> None:
    """Pages whose queries grow with the data: the same account and page shape at 1 trust and at 50."""
    before = {(p.account, p.shape, p.built): p.queries for p in small}
    grown = [(p, before[(p.account, p.shape, p.built)]) for p in large if (p.account, p.shape, p.built) in before]
    more = [(p, q) for p, q in grown if p.queries > q]
    emit("pages_compared_1_vs_50_trusts", len(grown), "account x page pairs")
    emit("pages_with_more_queries_at_50_trusts", len(more), "pages")
    for p, q in sorted(more, key=lambda pq: pq[1] - pq[0].queries)[:10]:
        emit(f"page_queries_grow {p.account} {p.shape}", p.queries - q, f"more queries ({q} -> {p.queries})")
