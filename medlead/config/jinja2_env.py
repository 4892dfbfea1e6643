"""The Jinja2 environment for every page: nhsuk-frontend-jinja macros, Django's static and url helpers."""

from __future__ import annotations

import datetime as dt
import functools
import json
import re
from decimal import Decimal
from typing import Any

from django.conf import settings
from django.contrib.messages import get_messages
from django.core.signals import setting_changed
from django.dispatch import receiver
from django.templatetags.static import static
from django.urls import get_script_prefix, get_urlconf, reverse
from django.utils import timezone
from django.utils.dates import MONTHS
from django.utils.formats import date_format
from jinja2 import ChainableUndefined, ChoiceLoader, Environment, PackageLoader, Undefined
from markupsafe import Markup, escape

from medlead.concerns.selectors import named_on_a_case
from medlead.core import dates
from medlead.core.attributes import nhsuk_attributes
from medlead.core.charts import figure
from medlead.core.fields import describe_person, picked_text
from medlead.core.form_errors import plain_errors
from medlead.core.policy import Perm, can
from medlead.core.sources import cite
from medlead.core.uploads import download_note
from medlead.core.work import age


@functools.lru_cache(maxsize=4096)
def _reverse(
    viewname: str, args: tuple[Any, ...], kwargs: tuple[tuple[str, Any], ...], prefix: str, urlconf: Any
) -> str:
    return reverse(viewname, args=args or None, kwargs=dict(kwargs) or None)


def url(viewname: str, *args: Any, **kwargs: Any) -> str:
    """``reverse`` for templates, remembered: a page names the same dozen addresses (its menu, its footer) on every
    request. Keyed by everything ``reverse`` reads: the arguments, the script prefix and the URL configuration."""
    try:
        return _reverse(viewname, args, tuple(sorted(kwargs.items())), get_script_prefix(), get_urlconf())
    except TypeError:  # an argument that cannot be a key (unhashable): work it out afresh
        return reverse(viewname, args=args or None, kwargs=kwargs or None)


@receiver(setting_changed)
def _forget_addresses(setting: str, **kwargs: Any) -> None:
    if setting == "ROOT_URLCONF":
        _reverse.cache_clear()  # (remembered components are keyed by their links, so need no clearing)


_env: Environment | None = None


def _render(name: str, params: Any) -> Markup:
    """The design system's component ``name`` as its macro writes it: the macro is its template, included."""
    assert _env is not None
    html = _env.get_template(f"nhsuk/components/{name}/template.jinja").render(params=params)
    return Markup(html)  # noqa: S704 - the design system's template escaped what it wrote


@functools.lru_cache(maxsize=2048)  # a header is about 5 KB: at most some 10 MB a worker, for any number of trusts
def _remembered(name: str, key: str) -> Markup:
    return _render(name, json.loads(key))


def _plain(value: Any) -> Any:
    """``value`` as JSON data, without undefined entries; ``TypeError`` for anything else (HTML included, which
    a JSON round trip would turn into text)."""
    if isinstance(value, Markup) or not isinstance(value, str | int | float | bool | dict | list | type(None)):
        raise TypeError(type(value).__name__)
    if isinstance(value, dict):
        return {str(k): _plain(v) for k, v in value.items() if not isinstance(v, Undefined)}
    if isinstance(value, list):
        return [_plain(v) for v in value]
    return value


# Components whose templates only write a ``value`` out (into a value attribute, or a text area's text), never test,
# compare or change it (nhsuk-frontend-jinja 0.10.2): their values can be stood in for and put back.
_WRITES_VALUES = frozenset({"input", "textarea", "date-input"})
_STAND_IN = re.compile("\x00([0-9]+)\x00")


def _stand_ins(value: Any, found: list[str], *, values: bool, error: bool = False, key: str = "") -> Any:
    """``value`` (plain data) with what a person typed or a record holds replaced by stand-ins, each text given added
    to ``found``: a field's value or values (``values``: for the components above) and an error message's text,
    which may quote it. An empty value stays empty, so that the template sees the same presence or absence. A text the
    templates would change (trim, or indent after a line break) raises ``TypeError``: it is written afresh."""
    if isinstance(value, dict):
        return {
            k: _stand_ins(
                v, found, values=values, error=error or k == "errorMessage", key="value" if key == "values" else k
            )
            for k, v in value.items()
        }
    if isinstance(value, list):
        return [_stand_ins(v, found, values=values, error=error) for v in value]
    given = (values and key == "value") or (error and key in ("text", "errorMessage"))
    if not given or isinstance(value, bool) or not isinstance(value, str | int | float) or value == "":
        return value
    text = str(value)
    if text != text.strip() or "\n" in text or "\r" in text:
        raise TypeError("a text the templates would change")
    found.append(text)
    return f"\x00{len(found) - 1}\x00"


def component(name: str, params: Any) -> Markup:
    """The design system's component ``name`` for ``params``, rendered once per distinct ``params`` of plain text and
    remembered. Every page's header and footer come from a handful of menus, and a form's labels, hints and fields are
    the same on every request but for their values, while the design system's macros cost more than many a page's
    content (a date's three boxes 1.6 ms). A field's value and an error message's text are left out of what is
    remembered: the component is rendered with stand-ins for them, and each is put back, escaped, in its stand-in's
    place, so the memory holds a form's shape (with which of its listed choices are chosen) and never what a person
    typed. Parameters with HTML in them, anything but plain data, and a value on several lines are rendered each time.
    medlead's copies of the design system's label, hint, input, text area, date, radios, checkboxes, select and
    button macros (``templates/nhsuk/components``) call this."""
    found: list[str] = []
    try:
        key = json.dumps(_stand_ins(_plain(params), found, values=name in _WRITES_VALUES), sort_keys=True)
    except TypeError:
        return _render(name, params)
    html = _STAND_IN.sub(lambda m: str(escape(found[int(m[1])])), str(_remembered(name, key)))
    return Markup(html)  # noqa: S704 - the template escaped what it wrote; each text put back was escaped above


def format_date(value: Any, fmt: str = "j F Y") -> str:
    """Dates and times in UK style; aware datetimes in the trust's local time (Europe/London). An ISO date string
    (as kept in a stored snapshot, such as an issued board report) is read as a date."""
    if not value:
        return ""
    if isinstance(value, str):
        value = dt.date.fromisoformat(value)
    if isinstance(value, dt.datetime) and timezone.is_aware(value):
        value = timezone.localtime(value)
    if fmt == "j F Y":  # the usual "6 December 2026", written directly: Django's formatter takes 20 µs a date
        return f"{value.day} {MONTHS[value.month]} {value.year}"
    return date_format(value, fmt)


def format_pas(value: Any) -> str:
    """Programmed activities, without trailing zeros: 1.50 -> 1.5, 2.00 -> 2."""
    if value is None or value == "":
        return "–"
    text = f"{Decimal(str(value)):.2f}".rstrip("0").rstrip(".")
    return text


def paragraphs(text: Any) -> Markup:
    """Plain text as a person typed it, kept as they laid it out: a blank line starts a new paragraph and a single
    line break stays a line break (a browser sends either as CR LF). Every part is escaped; empty text is nothing."""
    if not text:
        return Markup("")
    lines = str(text).replace("\r\n", "\n").replace("\r", "\n")
    paras = [p.strip() for p in re.split(r"\n[ \t]*\n", lines) if p.strip()]
    return Markup("").join(
        Markup("<p>{}</p>").format(Markup("<br>").join(line.strip() for line in p.split("\n"))) for p in paras
    )


def plural(count: Any, singular: str, plural_form: str = "") -> str:
    """ "1 problem", "2 problems"; "1 PA", "1.5 PAs" (anything but exactly one is plural)."""
    word = singular if str(count) in {"1", "1.0", "1.00"} else (plural_form or singular + "s")
    return f"{count} {word}"


def can_do(user: Any, perm: Perm, obj: Any) -> bool:
    """Templates ask the policy (``medlead.core.policy``), never compare states or roles themselves, and ask by
    ``Perm`` member (``Perm.VIEW_PEOPLE``): a permission named by string would go unchecked by mypy and by the
    test that lists every template's questions, so it is refused."""
    if not isinstance(perm, Perm):
        raise TypeError(f"Templates ask can() with a Perm member (such as Perm.VIEW_PEOPLE), not {perm!r}.")
    return can(user, perm, obj)


def csp_nonce(request: Any) -> dict[str, str]:
    """The nonce that lets the design system's one inline script ("js-enabled") run under the
    Content-Security-Policy; reading it makes django-csp add it to the header."""
    nonce = getattr(request, "csp_nonce", None)  # lazy: its truth is "already made", so compare with None
    return {"cspNonce": str(nonce) if nonce is not None else ""}


def environment(**options: Any) -> Environment:
    loader = options.pop("loader")
    options["undefined"] = ChainableUndefined
    options.pop("autoescape", None)
    options["extensions"] = [*options.get("extensions", []), "jinja2.ext.do", "jinja2.ext.loopcontrols"]
    env = Environment(loader=ChoiceLoader([loader, PackageLoader("nhsuk_frontend_jinja")]), autoescape=True, **options)
    global _env
    _env = env
    env.globals.update(
        {
            "static": static,
            "url": url,
            "component": component,
            "figure": figure,
            "can": can_do,
            "Perm": Perm,
            "plain_errors": plain_errors,
            "concern_cases": named_on_a_case,
            "describe_person": describe_person,
            "picked_text": picked_text,
            "get_messages": get_messages,
            "waited": age,
            "nhsuk_attributes": nhsuk_attributes,
            "STATIC_URL": settings.STATIC_URL,
            "assetPath": settings.STATIC_URL + "vendor/nhsuk-frontend/assets",
        }
    )
    env.filters["date_uk"] = format_date
    env.filters["day"] = dates.day_of
    env.filters["pas"] = format_pas
    env.filters["plural"] = plural
    env.filters["paragraphs"] = paragraphs
    env.filters["cite"] = cite
    env.filters["download_note"] = download_note
    return env
