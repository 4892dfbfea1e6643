"""The demo resident doctor on a 375 px phone (issue 32): their home page's next shift leads to My rota, which shows
their next shifts; they make their calendar address, copy it, read it as a calendar would, and replace it (the old
address answers 404 at once). Every page passes axe and fits the screen."""

from __future__ import annotations

from typing import Any

import icalendar
import pytest

from tests.browser.conftest import assert_accessible, sign_in

pytestmark = pytest.mark.django_db(transaction=True)

PHONE = {"width": 375, "height": 812}
WIDTH = "Math.max(document.documentElement.scrollWidth, document.body.scrollWidth)"


def fits(page: Any) -> None:
    assert page.evaluate(WIDTH) <= PHONE["width"], page.url
    assert_accessible(page)


def test_resident_sees_next_shifts_subscribes_and_replaces_the_address(
    browser: Any, live_server: Any, demo: None
) -> None:
    context = browser.new_context(base_url=live_server.url, viewport=PHONE)
    page = context.new_page()
    sign_in(page, "resident")
    page.wait_for_url("**/t/DEM001/")
    task = page.locator(".nhsuk-card--feature a", has_text="Your next shift:")
    assert task.count() == 1
    task.click()
    page.get_by_role("heading", name="My rota", level=1).wait_for()
    fits(page)
    shifts = page.locator("ul.ml-shifts > li")
    assert shifts.count() >= 1
    assert "to" in shifts.first.inner_text()
    for heading in ("Your next shifts", "This rotation", "Your leave", "Shift swaps", "Your calendar"):
        assert page.get_by_role("heading", name=heading, exact=True).count() == 1, heading

    page.get_by_role("button", name="Add my shifts to my calendar").click()
    address = page.get_by_label("Your calendar address")
    address.wait_for()
    fits(page)
    first = address.input_value()
    assert "/cal/" in first and first.endswith(".ics")
    # "copy" it as a person would (select the text), then read it as a calendar app does: no sign-in
    address.select_text()
    feed = page.request.get(first)
    assert feed.status == 200
    events = list(icalendar.Calendar.from_ical(feed.body()).walk("VEVENT"))
    assert len(events) >= shifts.count()

    page.get_by_role("button", name="Replace the address").click()
    page.get_by_text("Your calendar address was replaced").wait_for()
    second = page.get_by_label("Your calendar address").input_value()
    assert second != first
    assert page.request.get(first).status == 404
    assert page.request.get(second).status == 200
    fits(page)
    context.close()
