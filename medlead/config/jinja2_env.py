"""The Jinja2 environment for every page: nhsuk-frontend-jinja macros, Django's static and url helpers."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from django.conf import settings
from django.contrib.messages import get_messages
from django.templatetags.static import static
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from jinja2 import ChainableUndefined, ChoiceLoader, Environment, PackageLoader

from medlead.core.attributes import nhsuk_attributes
from medlead.core.fields import describe_person, picked_text
from medlead.core.form_errors import plain_errors
from medlead.core.sources import cite


def url(viewname: str, *args: Any, **kwargs: Any) -> str:
    return reverse(viewname, args=args or None, kwargs=kwargs or None)


def format_date(value: Any, fmt: str = "j F Y") -> str:
    """Dates and times in UK style; aware datetimes in the trust's local time (Europe/London). An ISO date string
    (as kept in a stored snapshot, such as an issued board report) is read as a date."""
    if not value:
        return ""
    if isinstance(value, str):
        value = dt.date.fromisoformat(value)
    if isinstance(value, dt.datetime) and timezone.is_aware(value):
        value = timezone.localtime(value)
    return date_format(value, fmt)


def format_pas(value: Any) -> str:
    """Programmed activities, without trailing zeros: 1.50 -> 1.5, 2.00 -> 2."""
    if value is None or value == "":
        return "–"
    text = f"{Decimal(str(value)):.2f}".rstrip("0").rstrip(".")
    return text


def plural(count: Any, singular: str, plural_form: str = "") -> str:
    """ "1 problem", "2 problems"; "1 PA", "1.5 PAs" (anything but exactly one is plural)."""
    word = singular if str(count) in {"1", "1.0", "1.00"} else (plural_form or singular + "s")
    return f"{count} {word}"


def can_do(user: Any, perm: str, obj: Any) -> bool:
    """Templates ask the policy (``medlead.core.policy``), never compare states or roles themselves."""
    from medlead.core.policy import Perm, can

    return can(user, Perm(perm), obj)


def concern_cases(user: Any, trust: Any) -> bool:
    """Whether ``user`` is named on any case in ``trust`` (for the menu; never which)."""
    from medlead.concerns.selectors import cases_for

    return cases_for(actor=user, trust=trust).exists()


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
    env.globals.update(
        {
            "static": static,
            "url": url,
            "can": can_do,
            "plain_errors": plain_errors,
            "concern_cases": concern_cases,
            "describe_person": describe_person,
            "picked_text": picked_text,
            "get_messages": get_messages,
            "nhsuk_attributes": nhsuk_attributes,
            "STATIC_URL": settings.STATIC_URL,
            "assetPath": settings.STATIC_URL + "vendor/nhsuk-frontend/assets",
        }
    )
    env.filters["date_uk"] = format_date
    env.filters["pas"] = format_pas
    env.filters["plural"] = plural
    env.filters["cite"] = cite
    return env
