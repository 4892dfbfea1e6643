"""The policy is a mechanism that apps fill: each permission gets its rule from exactly one app, a permission
without a rule answers no (and is reported), and the system is let through ``require`` only as a named
``SystemActor``, never as ``None``."""

from __future__ import annotations

import ast
from pathlib import Path
from types import SimpleNamespace

import pytest
from django.core.exceptions import ImproperlyConfigured
from django.http import Http404

from medlead.core import policy
from medlead.core.actors import SystemActor
from medlead.core.policy import DOING, Forbidden, Perm, can, read, register, require, require_known

CORE = Path(__file__).resolve().parents[2] / "medlead" / "core"


def _signed_in() -> SimpleNamespace:
    """An actor that is signed in and holds nothing: every rule built from roles and relationships answers no."""
    return SimpleNamespace(is_authenticated=True, is_active=True, person_id=None)


def test_every_permission_has_a_rule_and_says_what_it_refuses() -> None:
    assert policy.unruled() == [], "Register a rule for each in its app's permissions.py"
    assert set(Perm) <= set(DOING), "Say what each refusal is about in DOING"
    assert not policy.check_every_permission_has_a_rule()


def test_a_permission_is_given_its_rule_once() -> None:
    before = dict(policy.RULES)
    with pytest.raises(ImproperlyConfigured, match="already has a rule"):
        register({Perm.VIEW_AUDIT: lambda actor, obj: True})
    with pytest.raises(TypeError):
        register({"audit.view": lambda actor, obj: True})  # type: ignore[dict-item]
    assert dict(policy.RULES) == before


def test_a_fact_is_supplied_once() -> None:
    with pytest.raises(ImproperlyConfigured, match="already supplied"):
        policy.register_facts(board_seats=lambda pid: [])


def test_a_fact_about_a_person_is_given_as_its_rows() -> None:
    """A function answering for one person (the old way) would never be read with the actor's other facts."""
    with pytest.raises(ImproperlyConfigured, match="is given as a PersonFact"):
        policy.register_facts(mentors=lambda pid: [])
    assert "mentors" not in policy._FACTS


@pytest.mark.django_db
def test_a_fact_that_reads_more_than_the_person_and_the_day_is_refused(monkeypatch: pytest.MonkeyPatch) -> None:
    """The facts query is built once and given each actor's values: a fact that read anything else (here a count
    that moves on each time it is asked) would be frozen at its first value, so it is refused, not cached."""
    from itertools import count

    from medlead.organisation.models import BoardMember

    moving = count(1)
    monkeypatch.setitem(
        policy._FACTS,
        "moving",
        policy.PersonFact(
            rows=lambda pid, day: BoardMember.objects.filter(person_id=pid, pk__gt=next(moving)), trust="trust_id"
        ),
    )
    monkeypatch.setattr(policy, "_PREPARED", {})
    with pytest.raises(ImproperlyConfigured, match="depends on more than the person and the day"):
        policy.facts_of(SimpleNamespace(person_id=1))


def test_a_permission_without_a_rule_answers_no_and_is_reported(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(policy._RULES, Perm.VIEW_AUDIT, lambda actor, obj: True)
    assert can(_signed_in(), Perm.VIEW_AUDIT, object())
    monkeypatch.delitem(policy._RULES, Perm.VIEW_AUDIT)
    assert not can(_signed_in(), Perm.VIEW_AUDIT, object())
    assert policy.unruled() == [Perm.VIEW_AUDIT]
    errors = policy.check_every_permission_has_a_rule()
    assert [e.id for e in errors] == ["medlead.E001"] and "audit.view" in errors[0].msg


def test_none_is_refused_and_the_system_acts_only_as_a_named_system_actor(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(policy._RULES, Perm.VIEW_AUDIT, lambda actor, obj: True)  # would let any person through
    trust = object()
    with pytest.raises(Forbidden):
        require(None, Perm.VIEW_AUDIT, trust)
    with pytest.raises(Http404):  # a confidential read refused is "not found": its existence is confidential too
        read(None, Perm.VIEW_AUDIT, trust, why="no one")
    with pytest.raises(Http404):
        require_known(None, trust, Perm.VIEW_AUDIT)
    system = SystemActor("nightly reminders")
    require(system, Perm.VIEW_AUDIT, trust)  # the code that made it decided, for its stated reason
    require_known(system, trust, Perm.VIEW_AUDIT)
    assert not can(system, Perm.VIEW_AUDIT, trust)  # but it is never anyone who may


def test_core_imports_no_app() -> None:
    """``core.policy`` and ``core.roles`` name no app's module, at the top or inside a function; only the auditor,
    which moves into core in another step of issue 28, is still reached from ``read``."""
    allowed = {"medlead.audit"}
    offences = []
    for name in ("policy.py", "roles.py"):
        tree = ast.parse((CORE / name).read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            modules: list[str] = []
            if isinstance(node, ast.ImportFrom) and node.module:
                modules = [node.module]
            elif isinstance(node, ast.Import):
                modules = [a.name for a in node.names]
            for module in modules:
                if module.startswith("medlead.") and not module.startswith("medlead.core") and module not in allowed:
                    offences.append(f"core/{name}, line {node.lineno}: {module}")
    assert not offences, offences


def test_a_record_is_known_to_whoever_may_do_any_one_of_its_permissions(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(policy._RULES, Perm.VIEW_AUDIT, lambda actor, obj: False)
    monkeypatch.setitem(policy._RULES, Perm.VIEW_ROTAS, lambda actor, obj: True)
    record = object()
    require_known(_signed_in(), record, Perm.VIEW_AUDIT, Perm.VIEW_ROTAS)
    with pytest.raises(Http404):
        require_known(_signed_in(), record, Perm.VIEW_AUDIT)
    with pytest.raises(TypeError):
        require_known(_signed_in(), record)  # no permission named: a mistake, not "nobody"
