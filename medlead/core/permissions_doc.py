"""docs/permissions.md, written from the policy itself, so that the document and the code cannot disagree.

The file keeps its hand-written introduction (everything above ``MARKER``); everything below is written here from
the registered rules: for each app, each permission it gives a rule, what it lets one do (``policy.DOING``) and
whom it lets through (the rule's own words, ``policy.describe``); then, for each role, what its holders may do
through that role. A permission without a rule, without a refusal sentence or whose rule (or a part of it) has no
words is an error: ``manage.py permissions_doc`` refuses to write, and ``tests/unit/test_permissions_doc.py``
fails, naming it."""

from __future__ import annotations

from pathlib import Path

from django.apps import apps
from django.conf import settings

from medlead.core.policy import DOING, OWNERS, RULES, Perm, Undescribed, describe, roles_in
from medlead.core.roles import Role

MARKER = (
    "<!-- Everything below is written by `python manage.py permissions_doc` from the rules themselves "
    "(medlead/<app>/permissions.py). Do not edit it by hand: change the rule or its words, then run the command. -->"
)


class Incomplete(Exception):
    """Permissions the document cannot describe, each with why."""

    def __init__(self, problems: list[str]) -> None:
        self.problems = problems
        super().__init__("\n".join(problems))


def path() -> Path:
    return Path(settings.BASE_DIR) / "docs" / "permissions.md"


def _action(perm: Perm) -> str:
    """What the permission lets one do: its refusal sentence without the "who does" after a colon."""
    return DOING[perm].split(": ", 1)[0]


def _cell(text: str) -> str:
    return text.replace("|", "\\|").replace("\n", " ")


def _app_of(module: str) -> tuple[str, str]:
    """(label, heading) of the app whose module registered a rule."""
    config = apps.get_containing_app_config(module) if module else None
    if config is None:
        return "", "Registered outside an app"
    return config.label, f"{config.verbose_name} (`{config.label}`)"


def _words() -> dict[Perm, str]:
    problems: list[str] = []
    words: dict[Perm, str] = {}
    for perm in Perm:
        rule = RULES.get(perm)
        if rule is None:
            problems.append(f"Perm.{perm.name} has no rule: register one in its app's permissions.py.")
            continue
        if perm not in DOING:
            problems.append(f"Perm.{perm.name} does not say what it refuses: add it to DOING in core/policy.py.")
            continue
        try:
            words[perm] = describe(rule)
        except Undescribed as missing:
            parts = ", ".join(missing.names)
            problems.append(
                f"Perm.{perm.name}: part of its rule says nothing about whom it lets through ({parts}): give it words"
                " with core.policy.described (or the builder's words=)."
            )
    if problems:
        raise Incomplete(problems)
    return words


def generated() -> str:
    """The generated part of docs/permissions.md (``Incomplete`` if any permission cannot be described)."""
    words = _words()
    order = {config.label: i for i, config in enumerate(apps.get_app_configs())}
    groups: dict[tuple[str, str], list[Perm]] = {}
    for perm in Perm:
        groups.setdefault(_app_of(OWNERS.get(perm, "")), []).append(perm)
    lines = [
        MARKER,
        "",
        "## Every permission, by the app that gives its rule",
        "",
        '"Who may" is the rule itself, in words. A role counts when it is held for the record\'s trust, its region or '
        'nationally; "its …" is the person the record names in that part.',
    ]
    for (_label, heading), perms in sorted(groups.items(), key=lambda g: order.get(g[0][0], len(order))):
        lines += ["", f"### {heading}", "", "| to … | who may | permission |", "|---|---|---|"]
        lines += [f"| {_cell(_action(p))} | {_cell(words[p])} | `{p.name}` |" for p in perms]
    lines += [
        "",
        "## By role",
        "",
        "What a role's holders may do by holding it, whatever else the rule asks (their area, the record's state, "
        "never their own record: the tables above say). Everything else comes from a relationship to a record, "
        "never from a role.",
        "",
    ]
    for r in Role:
        held = [p for p in Perm if str(r) in roles_in(RULES[p])]
        doing = "; ".join(_action(p) for p in held) or "nothing but what a relationship to a record gives"
        lines.append(f"- **{_cell(str(r.label))}** (`{r.value}`): {_cell(doing)}.")
    return "\n".join(lines) + "\n"


def written(current: str) -> str:
    """The whole file: ``current``'s hand-written introduction, then the generated part."""
    introduction = current.split(MARKER, 1)[0].rstrip("\n")
    return f"{introduction}\n\n{generated()}"
