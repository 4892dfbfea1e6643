"""medlead's Python ``nhsukAttributes`` writes the attributes the design system's own Jinja macro writes: the same
names, values, quotes and escaping, without the line breaks and indentation the macro leaves inside a tag."""

from __future__ import annotations

import re
from typing import Any

import pytest
from jinja2 import ChainableUndefined, Environment, PackageLoader
from markupsafe import Markup

from medlead.core.attributes import nhsuk_attributes

ORIGINAL = Environment(
    loader=PackageLoader("nhsuk_frontend_jinja"), autoescape=True, undefined=ChainableUndefined
).from_string('{% from "nhsuk/macros/attributes.jinja" import nhsukAttributes %}{{ nhsukAttributes(a) }}')

CASES: list[Any] = [
    None,
    "",
    ' data-raw="yes"',
    Markup(' data-safe="1"'),
    {},
    {"data-module": "nhsuk-header"},
    {"aria-hidden": True},
    {"aria-hidden": False},
    {"aria-hidden": "true"},
    {"hidden": None},
    {"hidden": ""},
    {"data-count": 3},
    {"title": 'He said "hello" & left <now>'},
    {"title": "it's"},
    {"hidden": {"value": True, "optional": True}},
    {"hidden": {"value": False, "optional": True}},
    {"hidden": {"value": None, "optional": True}},
    {"hidden": {"value": "", "optional": True}},
    {"data-list": {"value": ["a", "b<c>", "d'e", "f&g"], "type": "array"}},
    {"data-list": {"value": ["x"], "type": "array", "optional": True}},
    {"data-html": {"value": Markup("<b>bold</b>")}},
    {"data-html": Markup('say "hi"')},
    {"data-x": {"value": "v"}},
    {"a": 1, "b": True, "c": None, "d": {"value": True, "optional": True}, "e<": "f"},
]


@pytest.mark.parametrize("attributes", CASES, ids=range(len(CASES)))
def test_the_python_attributes_match_the_design_systems_macro(attributes: Any) -> None:
    assert _spaced(nhsuk_attributes(attributes)) == _spaced(ORIGINAL.render(a=attributes))


def test_an_undefined_value_writes_nothing() -> None:
    assert str(nhsuk_attributes(ChainableUndefined())) == "" == _spaced(ORIGINAL.render())


def _spaced(html: str) -> str:
    """Markup as a browser reads it: any run of whitespace is one space, and none is needed before a tag's end."""
    return re.sub(r"\s+", " ", str(html)).replace(" >", ">").strip()


def test_medleads_select_writes_what_the_design_systems_select_writes() -> None:
    from django.template import engines

    params = {
        "id": "grade",
        "name": "grade",
        "label": {"text": "Grade"},
        "hint": {"text": "The doctor's grade"},
        "errorMessage": {"text": "Choose a grade"},
        "items": [
            {"value": "", "text": "Choose"},
            {"value": "consultant", "text": "Consultant", "selected": True},
            {"value": "sas", "text": "Specialty doctor & SAS", "attributes": {"data-group": "sas"}},
            {"value": "x", "text": "Retired", "disabled": True},
        ],
    }
    source = '{% from "nhsuk/components/select/macro.jinja" import select %}{{ select(p) }}'
    medlead = engines["jinja2"].env.from_string(source).render(p=params)
    original = Environment(
        loader=PackageLoader("nhsuk_frontend_jinja"), autoescape=True, undefined=ChainableUndefined
    ).from_string(source)

    assert _spaced(medlead) == _spaced(original.render(p=params))
    assert 'data-group="sas"' in medlead
