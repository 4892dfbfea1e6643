"""The demo medical director walks the structure pages and finds them accessible."""

from __future__ import annotations

from typing import Any

import pytest

from tests.browser.conftest import assert_accessible, sign_in

pytestmark = pytest.mark.django_db(transaction=True)


def test_medical_director_walks_structure_and_health(page: Any, demo: None) -> None:
    page.goto("/accounts/login/")
    assert_accessible(page)
    sign_in(page, "md")
    page.wait_for_url("**/t/DEM001/")
    assert page.get_by_role("heading", level=1).inner_text().startswith("Northbridge")
    assert_accessible(page)

    page.get_by_role("link", name="Structure").first.click()
    page.get_by_role("heading", name="Medical management posts").wait_for()
    assert_accessible(page)
    page.get_by_role("link", name="Medical director", exact=True).click()
    page.get_by_role("heading", name="Role profile").wait_for()
    assert "five sessions" in page.content()
    assert_accessible(page)

    page.get_by_role("link", name="Portfolio").first.click()
    page.get_by_role("heading", name="The medical director's portfolio").wait_for()
    assert page.get_by_text("Unheld").count() >= 2
    assert_accessible(page)

    page.get_by_role("link", name="Structure health").first.click()
    page.get_by_role("heading", name="Structure health").wait_for()
    body = page.content()
    assert "Medical director: the post allocates 4 sessions a week" in body
    assert "clinical directors report directly to Medical director" in body
    assert_accessible(page)
    page.get_by_role("link", name="Nobody holds Clinical information technology").click()
    page.get_by_role("heading", name="Who holds Clinical information technology").wait_for()
    assert_accessible(page)


def test_org_chart_search_filter_zoom_and_list_view(page: Any, demo: None) -> None:
    sign_in(page, "md")
    page.wait_for_url("**/t/DEM001/")
    page.goto("/t/DEM001/structure/chart/")
    page.locator(".ml-node").first.wait_for()
    assert page.locator(".ml-node").count() > 40
    assert_accessible(page)

    page.get_by_label("Find a person or post").fill("Guardian of safe")
    page.locator(".ml-node--match").first.wait_for()
    assert "1 match" in page.locator("#chart-status").inner_text()
    # a name on no post: the chart points to the people directory
    page.get_by_label("Find a person or post").fill("Zzyzx")
    directory = page.get_by_role("link", name="Search the people directory for “Zzyzx”")
    directory.wait_for()
    assert (
        "0 matches. Doctors who hold no management post are not on the chart."
        in page.locator("#chart-status").inner_text()
    )
    assert directory.get_attribute("href").endswith("/people/?q=Zzyzx")

    page.get_by_label("Find a person or post").fill("")
    page.get_by_label("Division").select_option(label="Surgery")
    visible = page.locator("li:not([hidden]) > .ml-node").all_inner_texts()
    assert any("Surgery" in t for t in visible)
    assert not any("Cardiology" in t for t in visible)

    page.get_by_role("button", name="Zoom out").click()
    assert page.get_by_role("button", name="90%").count() == 1

    page.get_by_role("link", name="View the same chart as a list").click()
    page.get_by_role("heading", name="Organisation chart (list)").wait_for()
    assert page.get_by_role("link", name="Medical director", exact=True).count() == 1
    assert_accessible(page)


def test_doctor_sees_structure_but_not_structure_health(page: Any, demo: None) -> None:
    sign_in(page, "doctor")
    page.wait_for_url("**/t/DEM001/")
    page.get_by_role("link", name="Structure").first.click()
    assert page.get_by_role("link", name="Structure health").count() == 0
    response = page.goto("/t/DEM001/structure/health/")
    assert response is not None and response.status == 403


def test_people_search_updates_as_you_type(page: Any, demo: None) -> None:
    sign_in(page, "md")
    page.wait_for_url("**/t/DEM001/")
    page.get_by_role("link", name="People").first.click()
    page.get_by_role("heading", name="People").wait_for()
    total = page.locator("#people-results p").first.inner_text()
    page.get_by_label("Name, GMC or staff number").press_sequentially("patel", delay=30)
    page.wait_for_function(
        "total => !document.querySelector('#people-results p').innerText.startsWith(total)", arg=total
    )
    names = page.locator("#people-results tbody tr td:first-child").all_inner_texts()
    assert names and all("Patel" in n for n in names)
    assert "q=patel" in page.url
    assert_accessible(page)
