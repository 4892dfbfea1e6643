"""The crawl shared by the tests that walk every page a demo account reaches (tests/integration/test_form_fuzz.py,
test_no_big_selects.py): breadth first from a start page, GET only, within the site, a bounded number of pages and a
few of each URL shape (taken from across the page that links them); each page with its post forms parsed as a
browser would submit them, its GET forms (searches, filters) and its links."""

from __future__ import annotations

import re
from collections import Counter, deque
from collections.abc import Iterator
from dataclasses import dataclass, field, replace
from html import unescape
from html.parser import HTMLParser
from urllib.parse import parse_qsl, urlencode, urljoin, urlsplit

from django.test import Client

ACCOUNTS = ["md", "ro", "cd", "doctor", "guardian", "hr", "ned", "chair", "cosec", "caldicott", "admin", "resident"]
HOME = "/t/DEM001/"
PAGES_PER_ACCOUNT = 500  # pages fetched for each account (the medical director needed 400 by 6 December 2026)
PAGES_PER_SHAPE = 3  # of each URL shape (its numbers replaced by N): records in different states show other forms
SKIP = ("/logout", "/pdf", "format=", "/export", ".csv", ".xlsx", ".json", "/files/", "/evidence", "/admin/")
ID_LIKE = re.compile(r"(^|[_-])(id|pk|version|do|action|to|kind)$|^\d+$")
NUMERIC_VALUE = re.compile(r"^-?\d+(\.\d+)?$")
# What a person types (or ticks), as opposed to what the page fills in for them.
TYPED = frozenset({"text", "textarea", "email", "search", "url", "tel", "password", "date", "checkbox"})


@dataclass
class Form:
    """One ``<form method="post">`` as a browser would submit it by its first named button."""

    action: str
    fields: list[tuple[str, str]] = field(default_factory=list)
    mutable: list[str] = field(default_factory=list)  # hidden, select, number, id-like and button names
    numeric: list[str] = field(default_factory=list)
    typed: list[str] = field(default_factory=list)  # text, textarea, date parts, checkboxes
    button: tuple[str, str] | None = None


class FormParser(HTMLParser):
    """The post forms of a page and the links in it, with the standard library's parser."""

    def __init__(self, page: str) -> None:
        super().__init__(convert_charrefs=True)
        self.page = page
        self.links: list[str] = []
        self.forms: list[Form] = []
        self.searches: list[Form] = []  # GET forms: submitted with their defaults, as one more link
        self._form: Form | None = None
        self._formactions: list[str] = []
        self._select: tuple[str, list[tuple[str, bool]]] | None = None
        self._textarea: str | None = None
        self._get = False
        self._text: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = {k: (v or "") for k, v in attrs}
        if tag == "a" and "href" in a:
            self.links.append(urljoin(self.page, a["href"]))
        elif tag == "form":
            self._form = Form(action=urljoin(self.page, a.get("action") or self.page))
            self._get = a.get("method", "get").lower() != "post"
        elif self._form is None:
            return
        elif tag == "input" and a.get("name"):
            self._input(a)
        elif tag == "button" and a.get("type", "submit") == "submit" and a.get("formaction"):
            self._formactions.append(urljoin(self.page, a["formaction"]))
        elif tag == "button" and a.get("name") and a.get("type", "submit") == "submit":
            if self._form.button is None:
                self._form.button = (a["name"], a.get("value", ""))
                self._form.mutable.append(a["name"])
        elif tag == "select" and a.get("name"):
            self._select = (a["name"], [])
        elif tag == "option" and self._select is not None:
            self._select[1].append((a.get("value", ""), "selected" in a))
        elif tag == "textarea" and a.get("name"):
            self._textarea, self._text = a["name"], []

    def _input(self, a: dict[str, str]) -> None:
        assert self._form is not None
        name, kind, value = a["name"], a.get("type", "text").lower(), a.get("value", "")
        if kind in ("file", "reset", "image"):
            return
        if kind in TYPED and name not in self._form.typed:
            self._form.typed.append(name)
        if kind == "submit":
            if self._form.button is None:
                self._form.button = (name, value)
                self._form.mutable.append(name)
            return
        if kind in ("checkbox", "radio") and "checked" not in a:
            if name not in self._form.mutable and kind == "radio":
                self._form.mutable.append(name)
            return
        self._form.fields.append((name, value))
        chosen = kind in ("hidden", "number", "radio") or ID_LIKE.search(name) or NUMERIC_VALUE.match(value)
        if chosen and name != "csrfmiddlewaretoken" and name not in self._form.mutable:
            self._form.mutable.append(name)
        if kind == "number" or NUMERIC_VALUE.match(value) or "step" in a:
            self._form.numeric.append(name)

    def handle_data(self, data: str) -> None:
        if self._textarea is not None:
            self._text.append(data)

    def handle_endtag(self, tag: str) -> None:
        if self._form is None:
            return
        if tag == "select" and self._select is not None:
            name, options = self._select
            chosen = next((v for v, selected in options if selected), "")
            if not chosen and self._get:  # a filter: choose something, to reach the page it leads to
                chosen = next((v for v, _ in options if v), "")
            self._form.fields.append((name, chosen))
            self._form.mutable.append(name)
            self._select = None
        elif tag == "textarea" and self._textarea is not None:
            self._form.fields.append((self._textarea, "".join(self._text)))
            if self._textarea not in self._form.typed:
                self._form.typed.append(self._textarea)
            self._textarea = None
        elif tag == "form":
            (self.searches if self._get else self.forms).append(self._form)
            # a button with its own ``formaction`` submits the same fields elsewhere: one more form
            for action in self._formactions:
                self.forms.append(replace(self._form, action=action, fields=[*self._form.fields], button=None))
            self._form, self._formactions = None, []


@dataclass
class Page:
    """One page the crawl reached: the address asked for, the path it ended at, its HTML and its parsed forms."""

    url: str
    path: str
    html: str
    parser: FormParser


def shape(url: str) -> str:
    """A page's kind: its numbers replaced by N, and of its query only the names (a list of 133 values, each
    confirmed at ``confirm/?key=...``, is one kind of page, not 133)."""
    parts = urlsplit(url)
    names = sorted({name for name, _ in parse_qsl(parts.query, keep_blank_values=True)})
    return re.sub(r"\d+", "N", parts.path) + ("?" + "&".join(names) if names else "")


def _local(url: str) -> str | None:
    """The path and query of a link within the site, or None for one elsewhere or one the crawl skips."""
    parts = urlsplit(url)
    if parts.netloc not in ("", "testserver") or not parts.path.startswith("/"):
        return None
    path = parts.path + (f"?{parts.query}" if parts.query else "")
    return None if any(s in path for s in SKIP) else path


def _spread(paths: list[str], room: int) -> list[str]:
    """``room`` of a page's links of one shape, taken from across the page (its first, its last, between): a list
    is usually ordered by its records' state (at risk first, drafts last), and each state shows other forms."""
    if room <= 0:
        return []
    if len(paths) <= room:
        return paths
    if room == 1:
        return paths[:1]
    return [paths[round(k * (len(paths) - 1) / (room - 1))] for k in range(room)]


def crawl(
    client: Client, start: str, *, pages: int = PAGES_PER_ACCOUNT, per_shape: int = PAGES_PER_SHAPE
) -> Iterator[Page]:
    """Breadth first from the start page, GET only: each HTML page reached, at most ``pages`` of them and
    ``per_shape`` of each URL shape (its numbers replaced by N), with its post forms and links."""
    queue, seen, shapes = deque([start]), {start}, Counter([shape(start)])
    fetched = 0
    while queue and fetched < pages:
        url = queue.popleft()
        response = client.get(url, follow=True)
        fetched += 1
        if response.status_code != 200 or "text/html" not in response.get("Content-Type", ""):
            continue
        page = response.request["PATH_INFO"]
        html = response.content.decode()
        parser = FormParser(page)
        parser.feed(html)
        yield Page(url, page, html, parser)
        searches = [f"{f.action.split('?')[0]}?{urlencode(f.fields)}" for f in parser.searches]
        new: dict[str, list[str]] = {}  # shape -> this page's new links of it, in page order
        for link in parser.links + searches:
            path = _local(unescape(link))
            if path is not None and path not in seen and path not in new.setdefault(shape(path), []):
                new[shape(path)].append(path)
        for kind, paths in new.items():
            for path in _spread(paths, per_shape - shapes[kind]):
                seen.add(path)
                shapes[kind] += 1
                queue.append(path)
