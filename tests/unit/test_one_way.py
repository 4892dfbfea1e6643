"""One email path, after commit (issue 28): read from the source, so new code is held to it too.

Every message goes out through ``medlead.core.notify`` (queued with ``email``, sent by a worker with ``send``), and
every background task started from request or service code is queued once the transaction commits (``after_commit``,
or a ``.delay`` inside ``transaction.on_commit``), so a change that rolls back emails nobody and starts no work."""

from __future__ import annotations

import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2] / "medlead"
NOTIFY = ROOT / "core" / "notify.py"
SENDERS = {"send_mail", "send_mass_mail", "mail_admins", "mail_managers", "EmailMessage", "EmailMultiAlternatives"}


def _modules() -> list[tuple[Path, ast.Module]]:
    return [(p, ast.parse(p.read_text(), str(p))) for p in sorted(ROOT.rglob("*.py")) if "migrations" not in p.parts]


def _where(path: Path, node: ast.AST) -> str:
    return f"{path.relative_to(ROOT.parent)}:{getattr(node, 'lineno', 0)}"


def test_only_core_notify_sends_email() -> None:
    found = []
    for path, tree in _modules():
        if path == NOTIFY:
            continue
        for node in ast.walk(tree):
            if isinstance(node, ast.ImportFrom) and node.module == "django.core.mail":
                found += [_where(path, node) for a in node.names if a.name in SENDERS or a.name == "*"]
            elif isinstance(node, ast.ImportFrom) and node.module == "django.core":
                found += [_where(path, node) for a in node.names if a.name == "mail"]
            elif isinstance(node, ast.Import):
                found += [_where(path, node) for a in node.names if a.name == "django.core.mail"]
    assert found == [], f"send email through medlead.core.notify, not Django's mail functions: {found}"


def _queued_after_commit(node: ast.AST, parents: dict[ast.AST, ast.AST]) -> bool:
    """Whether a call sits in a lambda handed to ``transaction.on_commit``."""
    while node in parents:
        node = parents[node]
        if isinstance(node, ast.Lambda):
            call = parents.get(node)
            func = getattr(call, "func", None)
            return isinstance(call, ast.Call) and getattr(func, "attr", getattr(func, "id", "")) == "on_commit"
    return False


def test_tasks_started_from_requests_and_services_wait_for_the_commit() -> None:
    found = []
    for path, tree in _modules():
        # A worker fanning out (``tasks.py``) and a command run from the shell are in no request's transaction.
        if path == NOTIFY or path.name == "tasks.py" or "commands" in path.parts:
            continue
        parents = {child: parent for parent in ast.walk(tree) for child in ast.iter_child_nodes(parent)}
        for node in ast.walk(tree):
            if (
                isinstance(node, ast.Call)
                and isinstance(node.func, ast.Attribute)
                and node.func.attr in ("delay", "apply_async")
                and not _queued_after_commit(node, parents)
            ):
                found.append(_where(path, node))
    assert found == [], f"queue tasks with medlead.core.notify.after_commit: {found}"
