"""The demo's small region (issue 34): the demo trust and two smaller trusts of the same region, one of them a lead
employer of resident doctors, with the accounts that act across them.

``build`` makes the two trusts and the regional and neighbouring accounts, then each part of issue 34 adds its own
records through its services (``region_transfers``, ``region_placements``, ``region_development``,
``region_view``). The README's account table names every account made here.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from medlead.accounts.models import Role, RoleAssignment, User
from medlead.core import audit as auditor
from medlead.core.actors import SystemActor
from medlead.demo import region_development, region_placements, region_transfers, region_view
from medlead.organisation.models import Person, Region, StaffKind, Trust
from medlead.structure.models import Holding

if TYPE_CHECKING:
    from medlead.demo.generator import Built, Generator

DEMO = SystemActor("demo data")
DEMO_PASSWORD = "medlead-demo"  # every demo account's (the README's table)
# The neighbouring trusts are small: a region's picture needs their figures, not another full demo trust.
NEIGHBOUR_DOCTORS = 90
LEAD_EMPLOYER_DOCTORS = 70


@dataclass
class RegionDemo:
    """What each part of the region's demo builds on."""

    gen: Generator
    region: Region
    home: Built  # DEM001, the demo trust: the moved doctor's new trust and the placed resident doctor's host
    neighbour: Built  # DEM002: the moved doctor's previous designated body; publishes an opening to the region
    lead: Built  # DEM003: the lead employer of resident doctors placed in the demo trust
    accounts: list[str] = field(default_factory=list)

    def account(
        self, username: str, person: Person | None, roles: list[tuple[Role, Trust | None, Region | None]]
    ) -> User:
        """A demo account (password as every demo account's), made once; its roles granted as the demo."""
        existing = User.objects.filter(username=username).first()
        if existing is not None:
            return existing
        user = User(
            username=username,
            person=person if person is not None and not User.objects.filter(person=person).exists() else None,
            first_name=person.first_name if person else "",
            last_name=person.last_name if person else "",
            is_demo=True,
        )
        user.set_password(DEMO_PASSWORD)
        user.save()
        grants = RoleAssignment.objects.bulk_create(
            [RoleAssignment(user=user, role=r, trust=t, region=g) for r, t, g in roles]
        )
        auditor.audit_bulk_create(actor=DEMO, objs=grants, note="demo accounts")
        self.accounts.append(username)
        return user


def _holder(trust: Trust, code: str) -> Person | None:
    holding = Holding.objects.filter(trust=trust, post__code=code, end__isnull=True).select_related("person").first()
    return holding.person if holding is not None else None


def _manager(built: Built, n: int) -> Person:
    return [p for p in built.people if p.kind == StaffKind.MANAGER][n]


def build(gen: Generator, home: Built, next_index: int) -> list[str]:
    """The two neighbouring trusts (codes after the demo trusts already built) and the region's accounts."""
    region = home.trust.region
    assert region is not None, "the demo trust belongs to a region"
    neighbour = gen.build_trust(next_index, NEIGHBOUR_DOCTORS, [region])
    lead = gen.build_trust(next_index + 1, LEAD_EMPLOYER_DOCTORS, [region])
    ctx = RegionDemo(gen=gen, region=region, home=home, neighbour=neighbour, lead=lead)

    n, ld = neighbour.trust, lead.trust
    ctx.account("rmd", None, [(Role.REGIONAL_MEDICAL_DIRECTOR, None, region)])
    ctx.account("md2", neighbour.md, [(Role.MEDICAL_DIRECTOR, n, None), (Role.DOCTOR, n, None)])
    ctx.account("ro2", _holder(n, "RO") or neighbour.md, [(Role.RESPONSIBLE_OFFICER, n, None)])
    ctx.account("hr3", _manager(lead, 4), [(Role.MEDICAL_STAFFING, ld, None)])
    ctx.account("guardian3", _holder(ld, "GOSWH"), [(Role.GUARDIAN, ld, None), (Role.DOCTOR, ld, None)])

    for part in (region_view, region_transfers, region_placements, region_development):
        part.build(ctx)
    return ctx.accounts
