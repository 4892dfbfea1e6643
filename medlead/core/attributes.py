"""The design system's ``nhsukAttributes`` macro, in Python (issue 20: rendering).

nhsuk-frontend-jinja renders every component's extra attributes through a Jinja macro, called several times per
form field and once per option of every select: a tenth to a quarter of a form page's time. medlead's copy of
``nhsuk/macros/attributes.jinja`` calls this function instead. It writes the same attributes (names, values, quotes,
escaping) without the line breaks and indentation the macro leaves inside a tag: ``tests/unit/test_attributes.py``
compares the two over a table of inputs."""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping
from typing import Any

from jinja2 import Undefined
from markupsafe import Markup, escape


def _missing(value: Any) -> bool:
    return value is None or isinstance(value, Undefined)


def nhsuk_attributes(attributes: Any) -> Markup:
    if isinstance(attributes, str):
        # As the macro does: a string of attributes is written by a template, never by a user, and goes out as it is.
        return Markup(attributes)  # noqa: S704
    if not isinstance(attributes, Mapping):
        return Markup("")
    html = ""
    for name, item in attributes.items():
        options = item if isinstance(item, Mapping) else {"value": item, "type": "string", "optional": False}
        raw = options.get("value")
        optional = options.get("optional") is True
        value: Any
        if _missing(raw):
            value, escaped = None, ""
        elif isinstance(raw, Markup):
            value, escaped = _UNSET, str(raw)
        elif options.get("type") == "array" and isinstance(raw, Iterable):
            dumped = json.dumps(list(raw) if not isinstance(raw, str) else raw)
            dumped = dumped.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")
            value, escaped = _UNSET, dumped.replace("'", "\\u0027")
        else:
            value, escaped = raw, str(escape(raw))
        if optional and value is True:
            html = f"{html} {escape(name)}"
        elif (optional and value is not None and value is not False) or not optional:
            shown = str(value).lower() if isinstance(value, bool) else escaped
            quote = "'" if '"' in escaped else '"'
            html = f"{html} {escape(name)}={quote}{shown}{quote}"
    return Markup(html)  # noqa: S704 - every name and value in it was escaped above


class _Unset:
    """A value the macro leaves unset (a safe string or an array): neither none, nor true, nor false."""


_UNSET = _Unset()
