"""No page a user reads shows a citation key, an internal rule identifier or a data file's name (issue 14)."""

from __future__ import annotations

import re
from html import unescape

import pytest

from medlead.accounts.models import User
from medlead.core.sources import cite
from tests.conftest import client_for

pytestmark = pytest.mark.django_db

# what a page must never say: the data files' source keys and internal identifiers
FORBIDDEN = re.compile(
    r"\b(bmj1997|nhsconfed:|fmlm2017|rcpsych:|nhsi-fmlm|tcs2016|rest_after_nights|max_shift_length|"
    r"\.md\b|\[S\d+\]|E[1-8](?=[,:)])|C1(?=[,:)])|M1(?=[,:)])|B[156](?=[,:)]))"
)
SKIP = ("/admin/", "/accounts/logout", "/pdf/", "format=csv", "format=xlsx", "/csv/", "/api/", "/files/", "/export")


def visible_text(html: str) -> str:
    html = re.sub(r"<(script|style)[^>]*>.*?</\1>", " ", html, flags=re.S)
    return unescape(re.sub(r"<[^>]+>", " ", html))


def test_cite_writes_keys_out() -> None:
    assert cite("E1, E3 (fine 3): no shift longer than 13 h") == (
        "NHS Employers, Working hours and patterns FAQs (2019); NHS Employers, Guidance for guardians of safe "
        "working hours to identify contractual breaches (2023) (fine 3): no shift longer than 13 h"
    )
    assert cite("fmlm2017: case study") == "NHS Improvement and FMLM, 2017, Medical director's role guide: case study"


def test_cite_shows_primary_sources_only() -> None:
    # a secondary source (data/sources.yaml says which) is left out, with its own bracketed detail
    assert cite("B1: the 2019 changes; P1: Hansard, 3 July 2019") == (
        "Hansard, written answer, 3 July 2019: Hansard, 3 July 2019"
    )
    assert cite("E1, C1 (para 3): 48 h") == "NHS Employers, Working hours and patterns FAQs (2019): 48 h"
    assert cite("[E1][M1]") == "NHS Employers, Working hours and patterns FAQs (2019)"
    # nothing primary left: the trust is to confirm the value, said once
    assert cite("bmj1997: external relationships") == "to be confirmed by the trust"
    assert cite("C1: night shift; M1 (to be confirmed by the trust)") == "to be confirmed by the trust"
    assert cite("S33; S31 (to be confirmed by the trust)") == (
        "Care Quality Commission, Regulation 5: fit and proper persons (directors) (to be confirmed by the trust)"
    )
    # a title written out, with no key, reads as it is
    assert cite("NHS England revalidation information sheet 50 (2023)") == (
        "NHS England revalidation information sheet 50 (2023)"
    )


@pytest.mark.parametrize("username", ["md", "guardian", "ro", "cd", "doctor", "hr", "ned"])
def test_pages_within_two_clicks_of_home_show_no_internal_codes(username: str, demo_trust: None) -> None:
    client = client_for(User.objects.get(username=username))
    seen: set[str] = set()
    per_shape: dict[str, int] = {}
    frontier = ["/t/DEM001/"]
    problems = []
    for _depth in range(3):
        next_frontier = []
        for url in frontier:
            shape = re.sub(r"\d+", "N", url.split("?")[0])  # two of each kind of page: one person, one post...
            if url in seen or per_shape.get(shape, 0) >= 2:
                continue
            per_shape[shape] = per_shape.get(shape, 0) + 1
            seen.add(url)
            response = client.get(url)
            if response.status_code != 200 or "text/html" not in response.get("Content-Type", ""):
                continue
            html = response.content.decode()
            text = visible_text(html)
            found = FORBIDDEN.search(text)
            if found:
                problems.append(f"{url}: '{text[max(0, found.start() - 40) : found.end() + 40].strip()}'")
            for href in re.findall(r'href="(/t/DEM001/[^"#]*)"', html):
                href = unescape(href)
                if not any(s in href for s in SKIP):
                    next_frontier.append(href)
        frontier = next_frontier
    assert len(seen) > 20
    assert not problems, "\n".join(problems[:20])
