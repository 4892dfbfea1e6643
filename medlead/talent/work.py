"""Succession on the trust's home page: posts at risk and the leadership pipeline, in the board's picture."""

from __future__ import annotations

from collections.abc import Callable

from medlead.core.policy import Perm
from medlead.core.work import Figure, Visit, board_section
from medlead.structure.work import structure_today
from medlead.talent.selectors import pipeline_set, succession_risks


@board_section(order=50)
def succession(visit: Visit) -> Callable[[], list[Figure]]:
    in_pipeline = visit.count(pipeline_set(visit.trust))
    return lambda: _succession(visit, in_pipeline.value)


def _succession(visit: Visit, in_pipeline: int) -> list[Figure]:
    posts = succession_risks(structure=structure_today(visit))
    at_risk = sum(1 for p in posts if p.at_risk)
    return [
        Figure(
            "Succession and the leadership pipeline",
            f"{at_risk} of {len(posts)} posts at risk",
            f"{in_pipeline} doctors in the leadership pipeline (nominated, reviewed as ready, or named successors).",
            visit.link(Perm.MANAGE_TALENT, "talent:succession"),
        )
    ]
