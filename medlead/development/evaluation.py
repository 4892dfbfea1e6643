"""Measure the suggestion ranking on the labelled set (data/suggestion_eval.yaml). Pure: no Django.

Two rankings are compared: medlead's (gaps and target role) and a baseline that knows only the target role
(the catalogue's role list, then lower effort): what a doctor gets from browsing the catalogue by role.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from medlead.development.suggest import Candidate, Gap, precision_at, rank


@dataclass
class Result:
    name: str
    method: float
    baseline: float
    top: list[str]


def evaluate(profiles: Sequence[dict[str, Any]], candidates: Sequence[Candidate], k: int = 5) -> list[Result]:
    out = []
    for p in profiles:
        gaps = [Gap(item=i, label=i, size=float(size), source=src) for i, size, src in p["gaps"]]
        ranked = [s.code for s in rank(gaps, candidates, target_role=p["role"], audience=p["audience"])]
        role_only = [s.code for s in rank([], candidates, target_role=p["role"], audience=p["audience"])]
        out.append(
            Result(
                name=p["name"],
                method=precision_at(k, ranked, p["expert"]),
                baseline=precision_at(k, role_only, p["expert"]),
                top=ranked[:k],
            )
        )
    return out


def mean(values: Sequence[float]) -> float:
    return round(sum(values) / len(values), 3) if values else 0.0
