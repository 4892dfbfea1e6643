"""Every page's header and footer come from the design system's macros, remembered per distinct parameters, and
addresses from ``url``, remembered per arguments (issue 20, rendering): the same HTML and addresses as made afresh."""

from __future__ import annotations

import pytest
from django.template import engines
from django.urls import reverse, set_script_prefix
from markupsafe import Markup

from medlead.config.jinja2_env import component, url

HEADER = {
    "service": {"text": "medlead", "href": "/"},
    "organisation": {"name": "Demo <Hospitals> & Partners"},
    "navigation": {"items": [{"href": "/t/X/", "text": "Trust", "current": True}, {"href": "/o", "text": "Sign out"}]},
}


def _afresh(name: str, params: dict) -> str:
    env = engines["jinja2"].env
    return str(getattr(env.get_template(f"nhsuk/components/{name}/macro.jinja").module, name)(params))


def test_a_remembered_header_is_the_macros_own_html_with_text_escaped() -> None:
    engines["jinja2"]
    first, again = str(component("header", HEADER)), str(component("header", HEADER))
    assert first == again == _afresh("header", HEADER)
    assert "Demo &lt;Hospitals&gt; &amp; Partners" in first
    assert 'aria-current="page"' in first


def test_parameters_that_differ_give_their_own_header() -> None:
    other = {**HEADER, "organisation": {"name": "Another Trust"}}
    assert "Another Trust" in component("header", other) and "Another Trust" not in component("header", HEADER)


def test_html_in_the_parameters_is_rendered_as_html_each_time_not_remembered_as_text() -> None:
    footer = {"copyright": {"text": "medlead"}, "meta": {"html": Markup("<strong>Open</strong> source")}}
    assert "<strong>Open</strong> source" in component("footer", footer)


@pytest.mark.parametrize("prefix", ["/", "/medlead/"])
def test_addresses_are_those_reverse_gives_under_any_script_prefix(prefix: str) -> None:
    set_script_prefix(prefix)
    try:
        for _ in range(2):
            assert url("core:home") == reverse("core:home") and url("core:home").startswith(prefix)
            assert url("organisation:person", trust_code="ABC", pk=7) == reverse(
                "organisation:person", kwargs={"trust_code": "ABC", "pk": 7}
            )
    finally:
        set_script_prefix("/")
