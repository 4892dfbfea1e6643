"""Templates ask permissions by ``Perm`` member, never by string (issue 28, "typed permissions everywhere").

A permission named by string is invisible to mypy and to a search for the member, and a typo in it would simply
answer no. The first tests read every template's syntax tree (Jinja's own parser, so a call split across lines or
tags is still found) and list each ``can(...)`` whose permission is a string literal, and each string literal that
spells a permission's name (a string passed on to ``can`` through a variable, as a sub-navigation's list once did).
The last tests show that the templates' ``can`` refuses a string outright.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from django.template import engines
from jinja2 import Environment, nodes

from medlead.config.jinja2_env import can_do
from medlead.core.policy import Perm

TEMPLATES = Path(__file__).resolve().parents[2] / "medlead" / "templates"
PERMISSION_NAMES = {str(p) for p in Perm}


def _templates() -> list[Path]:
    found = sorted(p for p in TEMPLATES.rglob("*") if p.is_file() and p.suffix in {".jinja", ".html", ".txt"})
    assert len(found) > 100, "the templates were not found"
    return found


def _trees() -> list[tuple[str, nodes.Template]]:
    # the real environment's extensions (do, loopcontrols), so every template parses
    env: Environment = engines["jinja2"].env
    return [(str(p.relative_to(TEMPLATES)), env.parse(p.read_text(encoding="utf-8"))) for p in _templates()]


def test_no_template_asks_can_with_a_string() -> None:
    offences = []
    for name, tree in _trees():
        for call in tree.find_all(nodes.Call):
            if not (isinstance(call.node, nodes.Name) and call.node.name == "can"):
                continue
            perm = call.args[1] if len(call.args) > 1 else next((k.value for k in call.kwargs if k.key == "perm"), None)
            if isinstance(perm, nodes.Const) and isinstance(perm.value, str):
                offences.append(f"{name}, line {call.lineno}: can(..., {perm.value!r}, ...)")
    assert not offences, "Ask with a Perm member (Perm.VIEW_PEOPLE), not a string:\n" + "\n".join(offences)


def test_no_template_spells_a_permission_as_a_string() -> None:
    offences = [
        f"{name}, line {const.lineno}: {const.value!r}"
        for name, tree in _trees()
        for const in tree.find_all(nodes.Const)
        if isinstance(const.value, str) and const.value in PERMISSION_NAMES
    ]
    assert not offences, "Name permissions by Perm member, not by string:\n" + "\n".join(offences)


def test_the_scan_finds_a_string_permission() -> None:
    """The scan above would see an offence: a template written the old way is caught."""
    env: Environment = engines["jinja2"].env
    tree = env.parse('{% if can(request.user, "organisation.view_people", current_trust) %}x{% endif %}')
    calls = [c for c in tree.find_all(nodes.Call) if isinstance(c.node, nodes.Name) and c.node.name == "can"]
    assert len(calls) == 1 and isinstance(calls[0].args[1], nodes.Const)


def test_the_templates_can_refuses_a_string() -> None:
    with pytest.raises(TypeError, match="Perm member"):
        can_do(None, "organisation.view_people", object())


def test_a_template_asking_by_string_fails_and_by_member_answers() -> None:
    env = engines["jinja2"]
    by_string = env.from_string('{{ can(user, "organisation.view_people", trust) }}')
    with pytest.raises(TypeError):
        by_string.render({"user": None, "trust": object()})
    by_member = env.from_string("{{ can(user, Perm.VIEW_PEOPLE, trust) }}")
    assert by_member.render({"user": None, "trust": object()}) == "False"
