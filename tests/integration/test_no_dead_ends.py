"""No demo account's home page, or any page it links to, leads to a page that account cannot open (issue 14: a
board member hit "403 Forbidden" from links medlead itself showed)."""

from __future__ import annotations

import re
from html import unescape

import pytest

from medlead.accounts.models import User
from tests.conftest import client_for

pytestmark = pytest.mark.django_db
ACCOUNTS = ["md", "ro", "cd", "doctor", "guardian", "hr", "ned", "admin"]
SKIP = ("/logout", "/pdf/", "format=csv", "format=xlsx", "/csv/", "/export")


def test_no_link_on_a_home_page_or_one_click_away_is_a_dead_end(demo_trust: None) -> None:
    dead = []
    for name in ACCOUNTS:
        client = client_for(User.objects.get(username=name))
        home = client.get("/t/DEM001/", follow=True)
        assert home.status_code == 200, name
        first = {unescape(h) for h in re.findall(r'href="(/t/DEM001/[^"#]*)"', home.content.decode())}
        second: set[str] = set()
        for url in sorted(first):
            if any(s in url for s in SKIP):
                continue
            response = client.get(url)
            if response.status_code >= 400:
                dead.append(f"{name}: {url} answers {response.status_code}")
            elif response.status_code == 200 and "text/html" in response.get("Content-Type", ""):
                second |= {unescape(h) for h in re.findall(r'href="(/t/DEM001/[^"#]*)"', response.content.decode())}
        shapes: set[str] = set()
        for url in sorted(second - first):
            shape = re.sub(r"\d+", "N", url)
            if shape in shapes or any(s in url for s in SKIP):
                continue
            shapes.add(shape)
            code = client.get(url).status_code
            if code >= 400:
                dead.append(f"{name}: {url} answers {code}")
    assert not dead, "\n".join(dead)
