"""Each demo account's first page says what needs them, and one click takes them there and back (issue 14)."""

from __future__ import annotations

from typing import Any

import pytest

from tests.browser.conftest import assert_accessible, sign_in

DEMO_TRUST = "Northbridge Hospitals NHS Foundation Trust"  # DEM001

pytestmark = pytest.mark.django_db(transaction=True)

# What each demo account should find on its first page (from the demo trust the generator builds)
EXPECTED = {
    "md": "job plans signed by the clinical director, waiting for sign-off",
    "cd": "job plans agreed by the doctor, waiting for your signature",
    "ro": "revalidation recommendations",
    "guardian": "exception reports in the trust still waiting for an outcome",
    "hr": "exception reports waiting for you to agree an outcome",
    "doctor": "appraisals you are to complete as appraiser",
    "ned": "The board's picture",
    "admin": "What needs you",
    "caldicott": "request for access waits for your approval",
    "resident": "Your next shift:",
}


def test_every_demo_account_is_told_what_needs_them_and_gets_there_in_one_click(
    browser: Any, live_server: Any, demo: None
) -> None:
    for username, expected in EXPECTED.items():
        context = browser.new_context(base_url=live_server.url, viewport={"width": 1280, "height": 900})
        page = context.new_page()
        sign_in(page, username)
        if username == "admin":  # a national administrator sees the region's three trusts and picks one
            page.get_by_role("link", name=DEMO_TRUST).click()
        page.wait_for_url("**/t/DEM001/")
        page.get_by_role("heading", name="What needs you").wait_for()
        assert expected in page.content(), (username, page.locator(".nhsuk-card--feature").inner_text())
        assert_accessible(page)
        tasks = page.locator(".nhsuk-card--feature a")
        if tasks.count():
            text = tasks.first.inner_text()
            tasks.first.click()
            page.wait_for_load_state()
            assert page.locator("h1").count() == 1, f"{username}: {text}"
            assert "403" not in page.title() and "Forbidden" not in page.content(), f"{username}: {text}"
            assert_accessible(page)
            page.get_by_role("link", name="Trust", exact=True).first.click()
            page.get_by_role("heading", name="What needs you").wait_for()
        context.close()
