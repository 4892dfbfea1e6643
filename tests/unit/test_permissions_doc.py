"""docs/permissions.md is written from the policy itself: the file must be what ``manage.py permissions_doc``
writes, and a permission whose rule does not say whom it lets through cannot be documented."""

from __future__ import annotations

from typing import Any

import pytest
from django.core.management import CommandError, call_command

from medlead.core import permissions_doc, policy
from medlead.core.policy import Perm, all_of, any_of, described, not_, rel, role, state_is
from medlead.core.roles import Role


def test_the_file_is_what_the_command_writes() -> None:
    current = permissions_doc.path().read_text(encoding="utf-8")
    assert current == permissions_doc.written(current), (
        "docs/permissions.md differs from the policy: run `python manage.py permissions_doc` and commit the file."
    )


def test_every_permission_is_in_the_file_with_what_it_lets_one_do() -> None:
    text = permissions_doc.path().read_text(encoding="utf-8")
    generated = text.split(permissions_doc.MARKER, 1)[1]
    for perm in Perm:
        assert f"`{perm.name}` |" in generated, perm


def test_the_hand_written_introduction_is_kept() -> None:
    current = "# Who may do what\n\nWritten by hand.\n\n" + permissions_doc.MARKER + "\n\nold generated text\n"
    rewritten = permissions_doc.written(current)
    assert rewritten.startswith("# Who may do what\n\nWritten by hand.\n\n" + permissions_doc.MARKER)
    assert "old generated text" not in rewritten
    assert "| see the audit trail | a system administrator | `VIEW_AUDIT` |" in rewritten


def test_a_rule_without_words_fails_and_names_its_permission(monkeypatch: pytest.MonkeyPatch) -> None:
    def _unexplained(actor: Any, obj: Any) -> bool:
        return True

    monkeypatch.setitem(policy._RULES, Perm.VIEW_AUDIT, any_of(role(Role.SYSTEM_ADMIN), _unexplained))
    with pytest.raises(permissions_doc.Incomplete) as failed:
        permissions_doc.generated()
    assert failed.value.problems == [
        "Perm.VIEW_AUDIT: part of its rule says nothing about whom it lets through (test_a_rule_without_words_fails"
        "_and_names_its_permission.<locals>._unexplained): give it words with core.policy.described (or the "
        "builder's words=)."
    ]
    with pytest.raises(CommandError, match="VIEW_AUDIT"):
        call_command("permissions_doc", "--check")


def test_a_permission_without_a_rule_fails(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delitem(policy._RULES, Perm.VIEW_AUDIT)
    with pytest.raises(permissions_doc.Incomplete, match=r"Perm\.VIEW_AUDIT has no rule"):
        permissions_doc.generated()


def test_rules_read_as_english() -> None:
    @described("the chair of the board")
    def chair(actor: Any, obj: Any) -> bool:
        return False

    cases = [
        (role(Role.MEDICAL_DIRECTOR), "the medical director"),
        (role(Role.MEDICAL_DIRECTOR, Role.RESPONSIBLE_OFFICER), "the medical director or the responsible officer"),
        (
            role(Role.CLINICAL_DIRECTOR, Role.MEDICAL_DIRECTOR, area=True),
            "a clinical director or the medical director (a clinical director only within their own area)",
        ),
        (role(*Role), "anyone with a role in the trust"),
        (
            any_of(rel("appraiser_id"), all_of(chair, not_(rel("person_id", "the doctor")), state_is("draft"))),
            "its appraiser; or the chair of the board, and not the doctor, while it is draft",
        ),
        (
            all_of(any_of(rel("owner_id"), chair), not_(state_is("closed"))),
            "(its owner; or the chair of the board), while it is not closed",
        ),
    ]
    for rule, words in cases:
        assert policy.describe(rule) == words


def test_the_command_writes_the_file(tmp_path: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    target = tmp_path / "permissions.md"
    target.write_text("# Introduction\n", encoding="utf-8")
    monkeypatch.setattr(permissions_doc, "path", lambda: target)
    with pytest.raises(CommandError, match="out of date"):
        call_command("permissions_doc", "--check")
    call_command("permissions_doc")
    text = target.read_text(encoding="utf-8")
    assert text.startswith("# Introduction\n\n" + permissions_doc.MARKER)
    call_command("permissions_doc", "--check")
