"""Tenancy by construction: a view or API endpoint that queries a trust-owned model must scope the query to a trust
(``trust=…``, ``trust_id=…``, ``trust__…``) or to a record it already fetched through its trust (the doctor, the
360's subject, the plan…). A query by primary key alone, which would reach another trust's record, fails here.

This reads the source (``ast``), so it fails at ``make test`` time, before any request is made."""

from __future__ import annotations

import ast
import pathlib

from django.apps import apps

from medlead.organisation.models import TrustOwned

ROOT = pathlib.Path(__file__).resolve().parents[2] / "medlead"
SCOPING = {"trust", "trust_id", "person", "person_id", "subject", "facilitator", "agreer", "mentee", "job_plan"}


def _scoped(node: ast.AST) -> bool:
    for n in ast.walk(node):
        if isinstance(n, ast.Call):
            for k in n.keywords:
                if k.arg and (k.arg in SCOPING or k.arg.startswith("trust__")):
                    return True
    return False


def unscoped_queries(source: str, owned: set[str]) -> list[int]:
    tree = ast.parse(source)
    parents = {child: parent for parent in ast.walk(tree) for child in ast.iter_child_nodes(parent)}
    found = []
    for n in ast.walk(tree):
        if not (isinstance(n, ast.Attribute) and n.attr == "objects" and isinstance(n.value, ast.Name)):
            continue
        if n.value.id not in owned:
            continue
        top: ast.AST = n
        # climb the whole expression: Model.objects.select_related(…).filter(…), or get_object_or_404(Model…, …)
        while isinstance(parents.get(top), ast.Attribute | ast.Call):
            top = parents[top]
        if not _scoped(top):
            found.append(n.lineno)
    return found


def test_views_and_api_query_trust_owned_models_only_within_a_trust() -> None:
    owned = {m.__name__ for m in apps.get_models() if issubclass(m, TrustOwned)}
    assert {"JobPlan", "Appraisal", "ExceptionReport", "Mentorship"} <= owned
    offences = []
    for path in sorted(ROOT.glob("*/views.py")):
        for line in unscoped_queries(path.read_text(), owned):
            offences.append(f"{path.relative_to(ROOT.parent)}:{line}")
    assert offences == [], "queries of trust-owned models without a trust scope:\n" + "\n".join(offences)


def test_the_check_catches_a_lookup_by_primary_key_alone() -> None:
    bad = "def v(request, pk):\n    return get_object_or_404(JobPlan.objects.select_related('person'), pk=pk)\n"
    good = (
        "def v(request, pk):\n    return get_object_or_404(JobPlan.objects.select_related('person'), trust=t, pk=pk)\n"
    )
    assert unscoped_queries(bad, {"JobPlan"}) == [2]
    assert unscoped_queries(good, {"JobPlan"}) == []
