"""Every form medlead shows answers a tampered post with a form error, a 400 or a redirect, never a server error
(issue 28: "a test posts a non-numeric value to every hidden id field of every form, found by walking the URL
patterns and forms, not a hand-kept list").

The forms are found by walking: each demo account (and a visitor who is not signed in) follows the links of its
home page breadth first, GET only, within the site and a bounded number of pages (a few of each URL shape, taken
from across the page that links them), and every ``<form method="post">`` on those pages (and each of its buttons
with a ``formaction`` of its own) is posted back once per mutation: each hidden field, select, number field,
id-like field and named submit button in turn set to "abc", then each numeric field to "NaN" and to "1e999999";
then, once per hostile value (``HOSTILE``: 100,000 characters, "²", "0000-00-00", SQL, a NUL byte, "-1", a number
too big for any column), every field a person types into (text, textarea, email, the NHS date's day, month and
year, every checkbox) set to it at once, and once more with every field of the form set to it (issue 29: "posts
garbage to every form field of every form"). Each post runs in a savepoint that is rolled back, so a post that
succeeds changes nothing for the pages crawled after it.

The second test walks ``django.urls.get_resolver()``: every URL pattern that accepts POST must have been reached
by some form above, or be listed in ``NOT_REACHED_BY_A_FORM`` with the reason or in ``NOT_IN_THE_DEMO``; a listed
name that a form reaches, or that no longer takes a post, fails it too.
"""

from __future__ import annotations

import inspect
import re
from collections import Counter, deque
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field, replace
from html import unescape
from html.parser import HTMLParser
from typing import Any
from urllib.parse import parse_qsl, urlencode, urljoin, urlsplit

import pytest
from django.db import transaction
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, resolve
from django.urls.exceptions import Resolver404

from medlead.accounts.models import User
from tests.conftest import client_for

pytestmark = pytest.mark.django_db

ACCOUNTS = ["md", "ro", "cd", "doctor", "guardian", "hr", "ned", "chair", "cosec", "caldicott", "admin"]
ANONYMOUS = ""  # a visitor who is not signed in: the sign-in and password-reset forms
START = {ANONYMOUS: "/accounts/login/"}
HOME = "/t/DEM001/"
PAGES_PER_ACCOUNT = 500  # pages fetched for each account (the medical director needed 400 by 6 December 2026)
PAGES_PER_SHAPE = 3  # of each URL shape (its numbers replaced by N): records in different states show other forms
SKIP = ("/logout", "/pdf", "format=", "/export", ".csv", ".xlsx", ".json", "/files/", "/evidence", "/admin/")
ID_LIKE = re.compile(r"(^|[_-])(id|pk|version|do|action|to|kind)$|^\d+$")
NUMERIC_VALUE = re.compile(r"^-?\d+(\.\d+)?$")
# What a person types (or ticks), as opposed to what the page fills in for them.
TYPED = frozenset({"text", "textarea", "email", "search", "url", "tel", "password", "date", "checkbox"})
# Hostile values, each sent to every typed field of a form at once, then to every field of it.
HOSTILE = ["x" * 100_000, "²", "0000-00-00", "' OR 1=1 --", "a\x00b", "-1", "99999999999999999999"]
TYPED_FIELDS = "(every typed field)"
EVERY_FIELD = "(every field)"

# POST-accepting URL patterns no form in a crawled page posts to, each with the reason.
NOT_REACHED_BY_A_FORM: dict[str, str] = {
    "accounts:logout": "the sign-out: the crawl skips it so it stays signed in, and it reads no field",
    "accounts:password_reset_confirm": "reached only from the signed link in a password-reset email",
    "imports:confirm": "an import's confirm: the demo trust has no checked import (tests/integration/test_imports.py)",
    "imports:retry": "an import's retry: the demo trust has no stuck import (test_import_pipeline.py)",
    "access:change_confirm": "a change's confirm, on the check-your-answers page a valid post shows "
    "(tests/integration/test_access.py posts bad input to it)",
    "fitproper:sign_off": "the confirm button of the sign-off's check-your-answers page, shown only after a valid post "
    "(test_fitproper.py posts a refused sign-off to it)",
    "fitproper:return_submit": "offered only once every member's assessment for the year is decided, as in no "
    "demo year "
    "is (test_fitproper.py posts a refused sign-off to it)",
    "revalidation:recommend": "the confirm button of a recommendation's check-your-answers page, shown only after a "
    "valid post (test_revalidation.py posts a refused recommendation to it)",
    "rota:report_fine": "the confirm button of a fine's check-your-answers page, shown only after a valid post "
    "(test_rota_app.py posts a refused fine to it)",
    "fitproper:board_confirm": "the board register's confirm, on the check-your-answers page a valid post shows "
    "(tests/integration/test_board_register.py posts bad input to it)",
    "fitproper:seat_confirm": "a board seat's change confirmed, on its check-your-answers page (as above)",
    "rulebook:confirm_save": "the confirm button of a check-answers page, shown only after a valid post of the "
    "confirm form (the crawl posts tampered values); test_rulebook.py posts it with bad values too",
    "jobplans:sign_confirm": "a signature's confirm, on the check page linked only from a plan waiting for the "
    "reader's signature (the crawl opens three plans of the list); test_decisions_confirmed.py posts to it",
    "concerns:measure_confirm": "an exclusion's confirm, on the check-your-answers page only a valid post of the "
    "case page's form shows (test_decisions_confirmed.py posts refused values to it)",
    "concerns:decision_confirm": "a case decision's confirm, on the check-your-answers page only a valid post of the "
    "case page's form shows (test_decisions_confirmed.py posts refused values to it)",
}
# Forms the demo trust never shows, as no record of its is in the state that shows them (5 December 2026). Each is
# a gap in the sweep, not a reason: give the demo such a record (medlead/demo) and take the name off this list.
NOT_IN_THE_DEMO: set[str] = {
    "rota:generate_again",  # shown once a rota is generated: the demo would run the solver for a minute
    "rota:generate_stop",  # shown only while a rota is being generated, on the task queue
    "rota:report_new",  # a doctor in training's form: no demo account is one
    "revalidation:gmc_submitted",  # shown while a recommendation waits to be submitted to the GMC: the demo has none
    "governance:report_issue_confirm",  # issuing is offered once every section has its narrative: the demo's
    # draft has one of six (the walk in tests/browser/test_board_report_issue_walk.py writes the others and issues it)
    "leadership:cycle_close",  # offered once 3 raters have answered: the demo's open 360 waits for approval
    "leadership:cycle_remind",  # offered once raters are invited: the demo's open 360 waits for approval
}
# Whole URL namespaces no form reaches, with the reason.
NAMESPACES_NOT_REACHED: dict[str, str] = {
    "api": "the API takes JSON from programs, not forms; tests/integration/test_api_fuzz.py fuzzes it",
    "admin": "Django's own admin, its forms validated by Django",
}

# The 5xx found on 5 December 2026 in apps other engineers are rewriting now (issue 28, item 3). The lead removes
# these marks once their branches are merged.
BEING_REWRITTEN: set[str] = set()


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


def _shape(url: str) -> str:
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


def _crawl(client: Client, start: str) -> Iterator[tuple[str, Form]]:
    """Breadth first from the start page: each page's post forms, a few pages of each URL shape."""
    queue, seen, shapes = deque([start]), {start}, Counter([_shape(start)])
    fetched = 0
    while queue and fetched < PAGES_PER_ACCOUNT:
        url = queue.popleft()
        response = client.get(url, follow=True)
        fetched += 1
        if response.status_code != 200 or "text/html" not in response.get("Content-Type", ""):
            continue
        page = response.request["PATH_INFO"]
        parser = FormParser(page)
        parser.feed(response.content.decode())
        for form in parser.forms:
            yield page, form
        searches = [f"{f.action.split('?')[0]}?{urlencode(f.fields)}" for f in parser.searches]
        new: dict[str, list[str]] = {}  # shape -> this page's new links of it, in page order
        for link in parser.links + searches:
            path = _local(unescape(link))
            if path is not None and path not in seen and path not in new.setdefault(_shape(path), []):
                new[_shape(path)].append(path)
        for shape, paths in new.items():
            for path in _spread(paths, PAGES_PER_SHAPE - shapes[shape]):
                seen.add(path)
                shapes[shape] += 1
                queue.append(path)


def _mutations(form: Form) -> Iterator[tuple[str, str]]:
    """(field, value): one field changed; or ``TYPED_FIELDS`` / ``EVERY_FIELD`` and a hostile value for them all."""
    for name in form.mutable:
        yield name, "abc"
    for name in form.numeric:
        yield name, "NaN"
        yield name, "1e999999"
    for value in HOSTILE:
        if form.typed:
            yield TYPED_FIELDS, value
        yield EVERY_FIELD, value


def _changed(form: Form, name: str) -> list[str]:
    if name == TYPED_FIELDS:
        return form.typed
    if name == EVERY_FIELD:
        named = [key for key, _ in form.fields] + form.mutable + form.typed
        return [key for key in dict.fromkeys(named) if key != "csrfmiddlewaretoken"]
    return [name]


def _post(client: Client, form: Form, name: str, value: str) -> tuple[int, str]:
    data: dict[str, list[str]] = {}
    for key, val in form.fields + ([form.button] if form.button else []):
        data.setdefault(key, []).append(val)
    for key in _changed(form, name):
        data[key] = [value]
    savepoint = transaction.savepoint()
    try:
        response = client.post(form.action, data)
        return response.status_code, ""
    except Exception as error:  # the test client re-raises a view's exception: that is the 500 we look for
        return 500, f"{type(error).__name__}: {str(error)[:120]}"
    finally:
        transaction.savepoint_rollback(savepoint)


@dataclass
class Sweep:
    errors: dict[str, list[str]] = field(default_factory=dict)  # app -> failures
    reached: set[str] = field(default_factory=set)  # url names posted to
    posts: int = 0


_SWEEP: list[Sweep] = []


def _app_of(view: Callable[..., Any]) -> str:
    module = view.__module__.split(".")
    return module[1] if module[0] == "medlead" and len(module) > 1 else module[0]


def _sweep() -> Sweep:
    sweep = Sweep()
    for account in [ANONYMOUS, *ACCOUNTS]:
        client = Client() if account == ANONYMOUS else client_for(User.objects.get(username=account))
        done: set[tuple[str, str, str]] = set()
        for _page, form in _crawl(client, START.get(account, HOME)):
            path = urlsplit(form.action).path
            try:
                match = resolve(path)
            except Resolver404:
                continue
            sweep.reached.add(match.view_name)
            for name, value in _mutations(form):
                key = (_shape(form.action), name, value)
                if key in done:
                    continue
                done.add(key)
                sweep.posts += 1
                status, error = _post(client, form, name, value)
                if status >= 500:
                    who = account or "visitor"
                    sweep.errors.setdefault(_app_of(match.func), []).append(
                        f"{who}: POST {form.action} {name}={value[:40]!r} answers {status} {error}"
                    )
    return sweep


@pytest.fixture
def sweep(request: pytest.FixtureRequest, _demo_snapshot: Any) -> Sweep:
    """The crawl and posts run once, for the first test that asks; the others read its findings. (The demo
    snapshot is built before this test's transaction opens: SQLite attaches it only outside a transaction.)"""
    if not _SWEEP:
        request.getfixturevalue("demo_trust")
        _SWEEP.append(_sweep())
    return _SWEEP[0]


APPS = ["accounts", "organisation", "structure", "rota", "jobplans", "revalidation", "leadership", "development"]
APPS += ["talent", "concerns", "governance", "fitproper", "awards", "audit", "core", "home", "imports"]
OTHERS = "any other app"


def _apps() -> list[Any]:
    return [
        pytest.param(app, marks=pytest.mark.xfail(reason=f"being fixed in the {app} views rewrite", strict=False))
        if app in BEING_REWRITTEN
        else app
        for app in [*APPS, OTHERS]
    ]


@pytest.mark.parametrize("app", _apps())
def test_no_tampered_form_post_is_a_server_error(sweep: Sweep, app: str) -> None:
    assert sweep.posts > 0
    if app == APPS[0]:
        print(f"form fuzz: {sweep.posts} posts")  # shown with -s: the run's size, to keep its time in check
    found = [e for a, errors in sweep.errors.items() if a == app or (app == OTHERS and a not in APPS) for e in errors]
    assert not found, "\n".join(found)


def _patterns(resolver: URLResolver, namespace: str = "") -> Iterator[tuple[str, URLPattern]]:
    for entry in resolver.url_patterns:
        if isinstance(entry, URLResolver):
            inner = ":".join(filter(None, [namespace, entry.namespace or ""]))
            yield from _patterns(entry, inner)
        elif entry.name:
            yield ":".join(filter(None, [namespace, entry.name])), entry


def _accepts_post(view: Callable[..., Any]) -> bool:
    """A class-based view with a ``post`` method; a function view limited by ``require_http_methods`` to a list
    with POST in it, or one whose own code reads POST."""
    view_class = getattr(view, "view_class", None)
    if view_class is not None:
        return callable(getattr(view_class, "post", None))
    wrapper: Any = view
    while wrapper is not None:
        for name, cell in zip(wrapper.__code__.co_freevars, wrapper.__closure__ or (), strict=True):
            if name == "request_method_list":
                return "POST" in cell.cell_contents
        wrapper = getattr(wrapper, "__wrapped__", None)
    return "POST" in inspect.getsource(inspect.unwrap(view))


def test_every_url_that_takes_a_post_is_reached_by_a_form(sweep: Sweep) -> None:
    missed = [
        name
        for name, pattern in _patterns(get_resolver())
        if name.split(":")[0] not in NAMESPACES_NOT_REACHED
        and name not in NOT_REACHED_BY_A_FORM
        and name not in NOT_IN_THE_DEMO
        and _accepts_post(pattern.callback)
        and name not in sweep.reached
    ]
    assert not missed, "POST URLs no crawled form reaches: " + ", ".join(sorted(missed))
    names = {name for name, pattern in _patterns(get_resolver()) if _accepts_post(pattern.callback)}
    stale = (set(NOT_REACHED_BY_A_FORM) | NOT_IN_THE_DEMO) - names
    assert not stale, f"Listed as not reached, but no longer URL names that take a post: {sorted(stale)}"
    reached = (set(NOT_REACHED_BY_A_FORM) | NOT_IN_THE_DEMO) & sweep.reached
    assert not reached, f"Listed as not reached, but a crawled form reaches them: {sorted(reached)}"
