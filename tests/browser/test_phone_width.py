"""Every page a demo account reaches from its home page fits a 375 px phone without scrolling sideways (issue 31):
the home page, each link on it (its tasks and the header's menu) and the pages named in the issue, for every demo
role. A wide grid may scroll inside its own container; the page itself never does."""

from __future__ import annotations

import re
from typing import Any
from urllib.parse import urlsplit

import pytest

from medlead.fitproper.models import Assessment
from medlead.jobplans.models import JobPlan
from medlead.rota.models import Rota
from tests.browser.conftest import sign_in

pytestmark = pytest.mark.django_db(transaction=True)

PHONE = {"width": 375, "height": 812}
ACCOUNTS = ["md", "ro", "cd", "doctor", "guardian", "hr", "ned", "chair", "cosec", "caldicott", "admin", "resident"]
# the region's accounts (issue 34): each lands on its own trust's page, or the regional medical director on the region's
ACCOUNTS += ["rmd", "md2", "ro2", "mentor2", "hr3", "guardian3", "moved", "placed"]
SKIP = ("/logout", "format=", "/csv/", "/pdf/", "/export", ".csv", ".xlsx", "/template", "/files/", "/admin/")
LINK = re.compile(r"^/(t/DEM00\d|regions)/")
WIDTH = "Math.max(document.documentElement.scrollWidth, document.body.scrollWidth)"


def _named_pages() -> dict[str, list[str]]:
    """The pages the issue measured too wide, for the accounts that read them."""
    assessment = Assessment.objects.order_by("pk").first()
    rotas = Rota.objects.filter(trust__code="DEM001").order_by("pk")
    plan = JobPlan.objects.filter(trust__code="DEM001", person__user__username="doctor").order_by("-year").first()
    assert assessment and rotas and plan
    return {
        "chair": [f"/t/DEM001/fit-and-proper/assessments/{assessment.pk}/"],
        "guardian": [f"/t/DEM001/rotas/{rota.pk}/" for rota in rotas],
        "ro": ["/t/DEM001/revalidation/"],
        "doctor": [f"/t/DEM001/job-plans/{plan.pk}/"],
        "cd": ["/t/DEM001/job-plans/"],
    }


def test_every_page_a_demo_account_reaches_fits_a_375_px_phone(browser: Any, live_server: Any, demo: None) -> None:
    named = _named_pages()
    too_wide: list[str] = []
    measured = 0
    for username in ACCOUNTS:
        context = browser.new_context(base_url=live_server.url, viewport=PHONE)
        page = context.new_page()
        sign_in(page, username)
        page.wait_for_url(lambda url: "/accounts/login/" not in url)
        if username == "admin":  # a national administrator lands on the list of trusts (three in the demo region)
            page.goto("/t/DEM001/")
        landed = urlsplit(page.url).path
        hrefs = page.eval_on_selector_all("a[href]", "els => els.map(e => e.getAttribute('href'))")
        urls = [landed, *named.get(username, [])]
        urls += [h.split("#")[0] for h in hrefs if LINK.match(h) and not any(s in h for s in SKIP)]
        seen: set[str] = set()
        for url in urls:
            if url in seen:
                continue
            seen.add(url)
            response = page.goto(url)
            if response is None or response.status != 200:
                continue
            measured += 1
            width = page.evaluate(WIDTH)
            if width > PHONE["width"]:
                too_wide.append(f"{username} {url}: {width} px")
        context.close()
    assert measured > 40, measured
    assert not too_wide, "\n".join(too_wide)
