"""No choice on any page lists more than 200 options (issue 31, item 6): a person is chosen with the person picker
(``core.fields.PersonField``), never from a list of everyone in the trust. Each demo account walks every page it
reaches from its home page (the shared crawl, tests/crawl.py) and the test fails on any ``<select>`` with more than
200 options, naming the page and the field."""

from __future__ import annotations

import re
import time

import pytest

from medlead.accounts.models import User
from tests.conftest import client_for
from tests.crawl import ACCOUNTS, HOME, crawl

pytestmark = pytest.mark.django_db
MOST_OPTIONS = 200
SELECT = re.compile(r"<select\b([^>]*)>(.*?)</select>", re.DOTALL)
NAME = re.compile(r'name="([^"]*)"')


def big_selects(html: str) -> list[tuple[str, int]]:
    found = []
    for attrs, options in SELECT.findall(html):
        n = options.count("<option")
        if n > MOST_OPTIONS:
            name = NAME.search(attrs)
            found.append((name.group(1) if name else "(no name)", n))
    return found


def test_big_selects_are_found() -> None:
    many = "".join(f'<option value="{i}">Dr {i}</option>' for i in range(201))
    assert big_selects(f'<select name="person">{many}</select><select name="x"><option>1</option></select>') == [
        ("person", 201)
    ]
    assert big_selects(f'<select name="person">{many[: many.rindex("<option")]}</select>') == []


def test_no_page_a_demo_account_reaches_has_a_select_over_200_options(demo_trust: None) -> None:
    found: dict[str, str] = {}
    paths: set[str] = set()
    reached = 0
    started = time.monotonic()
    for account in ACCOUNTS:
        client = client_for(User.objects.get(username=account))
        for page in crawl(client, HOME, per_shape=2):
            reached += 1
            paths.add(page.path)
            for name, n in big_selects(page.html):
                found.setdefault(f"{page.path} ({name}): {n} options", account)
    print(f"{reached} pages in {time.monotonic() - started:.0f} s")  # shown with -s: the walk's size and time
    assert reached > 500
    # the two that listed everyone (1,501 and 500 options with the full demo) are among the pages walked
    assert {"/t/DEM001/development/mentors/new/", "/t/DEM001/revalidation/appraisers/"} <= paths
    assert not found, "\n".join(f"{who}: {where}" for where, who in sorted(found.items()))
