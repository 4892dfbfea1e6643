"""Every page's header and footer, and every form's labels and hints, come from the design system's macros,
remembered per distinct parameters; addresses come from ``url``, remembered per arguments (issue 20, rendering).
Each must be exactly what the design system's own macro, or ``reverse``, gives afresh."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from django.template import engines
from django.urls import reverse, set_script_prefix
from jinja2 import ChainableUndefined, ChoiceLoader, Environment, FileSystemLoader, PackageLoader
from markupsafe import Markup

from medlead.config.jinja2_env import component, url
from medlead.core.attributes import nhsuk_attributes

TEMPLATES = Path(__file__).resolve().parents[2] / "medlead" / "templates"


@pytest.fixture(scope="module")
def design_system(tmp_path_factory: pytest.TempPathFactory) -> Environment:
    """The design system's own macros, with nothing of medlead's but its attributes macro (compared with the
    design system's in test_attributes.py)."""
    engines["jinja2"]
    own = tmp_path_factory.mktemp("templates")
    (own / "nhsuk" / "macros").mkdir(parents=True)
    (own / "nhsuk" / "macros" / "attributes.jinja").write_text(
        (TEMPLATES / "nhsuk" / "macros" / "attributes.jinja").read_text()
    )
    env = Environment(
        loader=ChoiceLoader([FileSystemLoader(own), PackageLoader("nhsuk_frontend_jinja")]),
        autoescape=True,
        undefined=ChainableUndefined,
        extensions=["jinja2.ext.do", "jinja2.ext.loopcontrols"],
    )
    env.globals["nhsuk_attributes"] = nhsuk_attributes
    return env


def afresh(env: Environment, name: str, params: dict[str, Any]) -> str:
    macro = {"date-input": "dateInput"}.get(name, name)
    return str(getattr(env.get_template(f"nhsuk/components/{name}/macro.jinja").module, macro)(params))


HEADER = {
    "service": {"text": "medlead", "href": "/"},
    "organisation": {"name": "Demo <Hospitals> & Partners"},
    "navigation": {"items": [{"href": "/t/X/", "text": "Trust", "current": True}, {"href": "/o", "text": "Sign out"}]},
}
CASES = [
    ("header", HEADER),
    ("footer", {"meta": {"items": [{"href": "/api/", "text": "API"}]}, "copyright": {"text": "medlead – open"}}),
    ("label", {"text": "Start date", "for": "id_start", "classes": "nhsuk-label--s"}),
    ("label", {"text": "What happened?", "for": "id_what", "isPageHeading": True, "size": "l"}),
    ("label", {"text": "A & B <c>", "attributes": {"data-x": "1"}}),
    ("hint", {"text": "For example, 27 3 2026", "id": "start-hint"}),
    ("hint", {"html": Markup("<strong>Required</strong> for sign-off")}),
    # form fields: their values and error messages are stood in for and put back, escaped as the template would
    ("input", {"id": "id_title", "name": "title", "label": {"text": "Title"}, "value": "A & \"B\" <c> 'd'"}),
    ("input", {"id": "id_n", "name": "n", "label": {"text": "N"}, "value": 7, "inputmode": "decimal"}),
    ("input", {"id": "id_e", "name": "e", "label": {"text": "Email"}, "value": ""}),
    (
        "input",
        {
            "id": "id_pas",
            "name": "pas",
            "label": {"text": "PAs"},
            "value": "ten",
            "errorMessage": {"text": "“ten” is not a number: give 10 as digits"},
            "hint": {"text": "For example, 1.5"},
        },
    ),
    ("textarea", {"id": "id_note", "name": "note", "label": {"text": "Note"}, "value": "Line one\r\n<b>two</b> & 3"}),
    ("textarea", {"id": "id_note", "name": "note", "label": {"text": "Note"}, "value": ""}),
    # text that looks like a stand-in is put back as typed, not taken for one
    (
        "input",
        {"id": "id_x", "name": "x", "label": {"text": "X"}, "value": "a\x001\x00b", "errorMessage": {"text": "c"}},
    ),
    # an error given as plain words, one on two lines, one with spaces around it (the templates trim and indent)
    ("input", {"id": "id_y", "name": "y", "label": {"text": "Y"}, "value": "1", "errorMessage": "Give a number"}),
    ("input", {"id": "id_z", "name": "z", "label": {"text": "Z"}, "errorMessage": {"text": "First line\nsecond"}}),
    ("input", {"id": "id_w", "name": "w", "label": {"text": "W"}, "errorMessage": {"text": "  padded  "}}),
    # choices: which is chosen is part of what is remembered; an error's words are stood in for
    (
        "radios",
        {
            "idPrefix": "id_decision",
            "name": "decision",
            "fieldset": {"legend": {"text": "What does your trust apply?"}},
            "hint": {"text": "Choose one"},
            "errorMessage": {"text": "Choose <one> & go"},
            "items": [
                {"value": "same", "text": "The national value", "checked": False},
                {"value": "change", "text": "A different value", "checked": True},
            ],
        },
    ),
    (
        "radios",
        {
            "idPrefix": "id_kind",
            "name": "kind",
            "value": "b",
            "items": [{"value": "a", "text": "A"}, {"value": "b", "text": "B", "hint": {"text": "Second"}}],
        },
    ),
    (
        "checkboxes",
        {
            "idPrefix": "id_days",
            "name": "days",
            "fieldset": {"legend": {"text": "Days"}},
            "classes": "nhsuk-checkboxes--small",
            "items": [{"value": "1", "text": "Monday", "checked": True}, {"value": "2", "text": "Tuesday"}],
        },
    ),
    (
        "select",
        {
            "id": "id_opportunity",
            "name": "opportunity",
            "label": {"text": "Which opportunity"},
            "errorMessage": {"text": "Choose one"},
            "items": [
                {"value": "", "text": "---------", "selected": False},
                {"value": "12", "text": "Chair a <quality> & safety review", "selected": True},
                {"value": "13", "text": "Shadow the medical director", "selected": False},
            ],
        },
    ),
    (
        "select",
        {
            "id": "id_g",
            "name": "g",
            "label": {"text": "Grade"},
            "value": "b",
            "items": [{"value": "a", "text": "A"}, {"value": "b", "text": "B"}],
        },
    ),
    ("button", {"text": "Continue"}),
    ("button", {"text": "Save & send", "classes": "nhsuk-button--secondary", "attributes": {"name": "go"}}),
    (
        "date-input",
        {
            "id": "id_on",
            "namePrefix": "on",
            "fieldset": {"legend": {"text": "On"}},
            "values": {"day": "7", "month": "12", "year": "2026"},
        },
    ),
    (
        "date-input",
        {
            "id": "id_start",
            "namePrefix": "start",
            "fieldset": {"legend": {"text": "Start date"}},
            "hint": {"text": "For example, 27 3 2026"},
            "errorMessage": {"text": "31 2 2026 is not a date"},
            "items": [
                {"name": "day", "value": "31", "width": 2, "classes": "nhsuk-input--error"},
                {"name": "month", "value": "2", "width": 2, "classes": "nhsuk-input--error"},
                {"name": "year", "value": "", "width": 4, "classes": "nhsuk-input--error"},
            ],
        },
    ),
]


@pytest.mark.parametrize(("name", "params"), CASES)
def test_a_remembered_component_is_the_design_systems_own_html(
    design_system: Environment, name: str, params: dict[str, Any]
) -> None:
    expected = afresh(design_system, name, params)
    assert str(component(name, params)) == expected
    assert str(component(name, params)) == expected  # and again, remembered


def test_text_is_escaped_and_html_stays_html() -> None:
    assert "Demo &lt;Hospitals&gt; &amp; Partners" in component("header", HEADER)
    assert "<strong>Required</strong> for sign-off" in component(
        "hint", {"html": Markup("<strong>Required</strong> for sign-off")}
    )
    assert "&lt;strong&gt;" in component("hint", {"text": "<strong>Required</strong>"})


def test_a_fields_value_is_not_remembered_and_each_page_shows_its_own() -> None:
    """What a person typed, or a record holds, is never kept in the memory of remembered components: two values of
    the same field share one remembered entry, and each is written where it belongs."""
    from medlead.config.jinja2_env import _remembered

    field = {"id": "id_gmc", "name": "gmc", "label": {"text": "GMC number (remembered once)"}}
    first = component("input", {**field, "value": "7012345", "errorMessage": {"text": "7012345 is taken"}})
    remembered = _remembered.cache_info().currsize
    second = component("input", {**field, "value": "7654321", "errorMessage": {"text": "7654321 is taken"}})
    assert _remembered.cache_info().currsize == remembered  # the second value found the first one's entry
    assert 'value="7012345"' in first and "7654321" not in first
    assert 'value="7654321"' in second and "7012345" not in second
    # the same for an error given as plain words, and a date given as its values
    date = {"id": "id_born", "namePrefix": "born", "fieldset": {"legend": {"text": "Date of birth (remembered once)"}}}
    component("date-input", {**date, "values": {"day": "1", "month": "2", "year": "1970"}, "errorMessage": "Not 1970"})
    remembered = _remembered.cache_info().currsize
    later = component(
        "date-input", {**date, "values": {"day": "3", "month": "4", "year": "1980"}, "errorMessage": "Not 1980"}
    )
    assert _remembered.cache_info().currsize == remembered
    assert 'value="1980"' in later and "Not 1980" in later and "1970" not in later


def test_a_hidden_field_is_carried_not_shown() -> None:
    """A value the form carries for its next step (a record's version, the value being confirmed) is a hidden input:
    no label, no box a person could change, no file name or key on the screen."""
    from django import forms

    class Carried(forms.Form):
        item = forms.CharField(widget=forms.HiddenInput)
        note = forms.CharField(label="Note")

    page = engines["jinja2"].from_string('{% import "includes/forms.jinja" as forms %}{{ forms.fields(form) }}')
    html = page.render({"form": Carried(initial={"item": "board_report.yaml:action_reminder_days"})})
    assert '<input type="hidden" name="item" value="board_report.yaml:action_reminder_days"' in html
    assert ">Item<" not in html.replace(" ", "").replace("\n", "") and 'type="text" value="board_report' not in html
    assert "Note" in html
    # its error (a tampered or stale value) is listed in words, with no link to a box that is not there
    bound = Carried(data={"note": "x"})
    summary = '{% import "includes/forms.jinja" as forms %}{{ forms.error_summary(form) }}'
    listed = engines["jinja2"].from_string(summary).render({"form": bound})
    assert "Enter the item." in listed
    assert 'href="#id_item"' not in listed


def test_parameters_that_differ_give_their_own_header() -> None:
    other = {**HEADER, "organisation": {"name": "Another Trust"}}
    assert "Another Trust" in component("header", other) and "Another Trust" not in component("header", HEADER)


@pytest.mark.parametrize("prefix", ["/", "/medlead/"])
def test_addresses_are_those_reverse_gives_under_any_script_prefix(prefix: str) -> None:
    set_script_prefix(prefix)
    try:
        for _ in range(2):
            assert url("home:index") == reverse("home:index") and url("home:index").startswith(prefix)
            assert url("organisation:person", trust_code="ABC", pk=7) == reverse(
                "organisation:person", kwargs={"trust_code": "ABC", "pk": 7}
            )
    finally:
        set_script_prefix("/")


def test_a_button_given_content_by_a_call_block_is_the_design_systems_own(design_system: Environment) -> None:
    source = (
        '{% from "nhsuk/components/button/macro.jinja" import button %}'
        '{% call button({"text": "Go"}) %}<b>x</b>{% endcall %}'
    )
    assert engines["jinja2"].from_string(source).render({}) == design_system.from_string(source).render()
