"""The management structure on the trust's home page: serious findings of structure health for the medical
director and associates, and the findings in the board's picture. Both read one ``StructureToday`` per visit,
shared with the other apps' parts of the page (talent's succession figure reads its post holders)."""

from __future__ import annotations

from collections.abc import Callable

from medlead.accounts.models import Role
from medlead.core.policy import Perm, can, roles_for
from medlead.core.work import Figure, Task, Visit, board_section, needs_you
from medlead.structure.health import Severity
from medlead.structure.models import Secondment, SecondmentStatus
from medlead.structure.selectors import StructureToday


def structure_today(visit: Visit) -> StructureToday:
    """The trust's post holders and structure health on the visit's day, read at most once for the whole page."""
    return visit.shared(StructureToday, lambda: StructureToday(visit.trust, visit.today))


@needs_you(order=40)
def serious_findings(visit: Visit) -> list[Task]:
    if not (
        can(visit.actor, Perm.VIEW_STRUCTURE_HEALTH, visit.trust)
        and roles_for(visit.actor, visit.trust) & {str(Role.MEDICAL_DIRECTOR), str(Role.ASSOCIATE_MEDICAL_DIRECTOR)}
    ):
        return []
    serious = sum(1 for f in structure_today(visit).findings if f.severity == Severity.HIGH)
    if not serious:
        return []
    return [
        Task(
            "serious findings in structure health",
            serious,
            visit.url("structure:health") + "?severity=high",
            one="serious finding in structure health",
        )
    ]


@needs_you(order=41)
def secondments_to_agree(visit: Visit) -> list[Task] | Callable[[], list[Task]]:
    """Secondments of this trust's doctors that another trust proposed, waiting for this trust's agreement
    (issue 34): for its structure managers."""
    if not can(visit.actor, Perm.MANAGE_STRUCTURE, visit.trust):
        return []
    waiting = visit.count(Secondment.objects.filter(home_trust=visit.trust, status=SecondmentStatus.PROPOSED))

    def tasks() -> list[Task]:
        if not waiting.value:
            return []
        return [
            Task(
                "secondments of your doctors to agree",
                waiting.value,
                visit.url("structure:secondments_waiting"),
                one="secondment of one of your doctors to agree",
            )
        ]

    return tasks


@board_section(order=10)
def structure_health(visit: Visit) -> list[Figure]:
    findings = structure_today(visit).findings
    high = sum(1 for f in findings if f.severity == "high")
    return [
        Figure(
            "Medical management structure",
            f"{high} serious {'finding' if high == 1 else 'findings'}",
            f"{len(findings)} findings in all (vacant and interim posts, unheld responsibilities, spans of control).",
            visit.link(Perm.VIEW_STRUCTURE_HEALTH, "structure:health"),
        )
    ]
