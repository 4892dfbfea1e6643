"""No developer's note reaches a user (issue 30): every page a demo account reaches from its home page (two clicks
deep, one page of each shape) and the PDFs among them read without "not verified", an issue number, a newspaper or
a source that is not a primary one."""

from __future__ import annotations

import io
import re
from html import unescape
from typing import Any

import pytest
from pypdf import PdfReader

from medlead.accounts.models import User
from medlead.core.reference_data import read
from tests.conftest import client_for

pytestmark = pytest.mark.django_db
ACCOUNTS = ["md", "ro", "cd", "doctor", "guardian", "hr", "ned", "chair", "cosec"]
SKIP = ("/logout", "format=csv", "format=xlsx", "/csv/", "/export", ".csv", ".xlsx", "/template", "/files/")
LINK = re.compile(r'href="(/t/DEM001/[^"#]*)"')
# what only a developer writes: the words a user must never read
NOTES = [
    re.compile(r"not verified", re.IGNORECASE),
    re.compile(r"\bissues? \d+", re.IGNORECASE),  # "issue 13": a GitHub issue, not a board's issue
    re.compile(r"(?<![\w&])#\d+\b"),  # "#13"
    re.compile(r"newspaper", re.IGNORECASE),
    re.compile(r"not officially confirmed", re.IGNORECASE),
    re.compile(r"secondary (source|commentary)|\(secondary\)", re.IGNORECASE),
    re.compile(r"declaration form", re.IGNORECASE),  # another trust's form is no source
    re.compile(r"\.md\b"),  # the research notes' file names
]


# The titles of the secondary sources in data/sources.yaml: kept in the data for developers, never shown to a user
# (core.sources.cite shows primary sources only).
SECONDARY = tuple(
    str(entry["title"]) for entry in read("sources.yaml")["names"].values() if entry["kind"] == "secondary"
)


def text_of(response: Any) -> str:
    if response.get("Content-Type", "").startswith("application/pdf"):
        return "\n".join(page.extract_text() or "" for page in PdfReader(io.BytesIO(response.content)).pages)
    html = response.content.decode()
    html = re.sub(r"<(script|style)\b.*?</\1>", " ", html, flags=re.DOTALL)
    return unescape(re.sub(r"<[^>]+>", " ", html))


def found_in(text: str) -> list[str]:
    found = [
        text[max(0, text.index(title) - 60) : text.index(title) + len(title) + 40].replace("\n", " ")
        for title in SECONDARY
        if title in text
    ]
    for pattern in NOTES:
        for m in pattern.finditer(text):
            found.append(text[max(0, m.start() - 60) : m.end() + 40].replace("\n", " "))
    return found


def test_no_page_or_pdf_a_demo_account_reaches_shows_a_developers_note(demo_trust: None) -> None:
    notes: dict[str, str] = {}
    for name in ACCOUNTS:
        client = client_for(User.objects.get(username=name))
        seen: set[str] = set()
        frontier = ["/t/DEM001/", "/t/DEM001/rules/"]
        for _depth in range(3):
            following: list[str] = []
            for url in frontier:
                shape = re.sub(r"\d+", "N", url)
                if shape in seen or any(s in url for s in SKIP):
                    continue
                seen.add(shape)
                response = client.get(url)
                if response.status_code != 200:
                    continue
                for note in found_in(text_of(response)):
                    notes.setdefault(f"{url}: {note}", name)
                if "text/html" in response.get("Content-Type", ""):
                    following += sorted({unescape(h) for h in LINK.findall(response.content.decode())})
            frontier = following
    assert not notes, "\n".join(f"{who}: {where}" for where, who in sorted(notes.items()))
