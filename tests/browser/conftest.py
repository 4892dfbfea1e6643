"""Browser tests: Playwright drives Debian's Chromium (never Playwright's own download) against live_server."""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterator
from typing import Any

import pytest

CHROMIUM = os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]


def pytest_collection_modifyitems(config: Any, items: list[Any]) -> None:
    for item in items:
        if "tests/browser" in str(item.fspath):
            item.add_marker(pytest.mark.browser)


@pytest.fixture(scope="session")
def browser() -> Iterator[Any]:
    if not shutil.which(CHROMIUM) and not os.path.exists(CHROMIUM):
        if os.environ.get("MEDLEAD_REQUIRE_BROWSER"):
            pytest.fail(f"Chromium not found at {CHROMIUM}: install Debian's chromium package.")
        pytest.skip(f"Chromium not found at {CHROMIUM} (apt-get install chromium)")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@pytest.fixture
def demo(transactional_db: None, demo_trust: None) -> None:
    """The demo trust (``tests.demo_db``: built once per session) for a walk against the live server."""


@pytest.fixture
def page(browser: Any, live_server: Any) -> Iterator[Any]:
    context = browser.new_context(base_url=live_server.url, viewport={"width": 1280, "height": 900})
    page = context.new_page()
    # Every page meets the Content-Security-Policy: a blocked script or style is a failure, not a silent gap.
    blocked: list[str] = []
    page.on(
        "console",
        lambda msg: blocked.append(f"{page.url}: {msg.text}") if "Content Security Policy" in msg.text else None,
    )
    yield page
    context.close()
    assert not blocked, "\n".join(blocked)


def assert_accessible(page: Any) -> None:
    """axe-core (shipped inside axe-playwright-python) finds no WCAG 2.x A/AA violations on the page: the page a
    click has just asked for, once it has loaded (axe run while the next document is still arriving finds none)."""
    from axe_playwright_python.sync_playwright import Axe

    page.wait_for_load_state("load")
    results = Axe().run(
        page, options={"runOnly": {"type": "tag", "values": ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]}}
    )
    violations = results.response["violations"]
    summary = [f"{v['id']}: {v['help']} ({len(v['nodes'])} nodes: {v['nodes'][0]['target']})" for v in violations]
    assert not violations, f"{page.url}\n" + "\n".join(summary)


def sign_in(page: Any, username: str, password: str = "medlead-demo") -> None:
    page.goto("/accounts/login/")
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password").fill(password)
    page.get_by_role("button", name="Sign in").click()


def fill_date(page: Any, label: str, day: Any) -> None:
    """Fill an NHS date input (day, month and year boxes in a fieldset named ``label``)."""
    group = page.get_by_role("group", name=label)
    group.get_by_label("Day").fill(str(day.day))
    group.get_by_label("Month").fill(str(day.month))
    group.get_by_label("Year").fill(str(day.year))


def follow_nav(page: Any, name: str) -> None:
    """Follow the header's link ``name``, as a user would. The NHS header moves the links that do not fit on its
    line into its "More" menu, and how many fit depends on the fonts the machine has (Arial's metrics, or the
    wider DejaVu Sans where no Arial-compatible font is installed): open that menu when the link is in it."""
    nav = page.get_by_role("navigation", name="Menu")
    link = nav.get_by_role("link", name=name, exact=True)
    if not link.is_visible():
        nav.get_by_role("button", name="More").click()
    link.click()
