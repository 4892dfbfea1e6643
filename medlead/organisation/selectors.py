"""Reads of organisation data, always scoped to what the user may see."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from django.core.exceptions import PermissionDenied
from django.db.models import Q, QuerySet
from django.http import Http404

from medlead.core import kept
from medlead.core.layouts import Layout, layouts
from medlead.core.policy import Perm, require, role_scopes
from medlead.core.work import Visit
from medlead.organisation.models import (
    BoardMember,
    Committee,
    Division,
    Grade,
    ImportLayout,
    Person,
    Placement,
    StaffKind,
    Trust,
)


@dataclass(frozen=True)
class _Reach:
    everywhere: bool
    trust_ids: frozenset[int]
    region_ids: frozenset[int]


def _reach(user: Any) -> _Reach:
    """Where ``user`` may see data: where they hold a role, in a region where they hold a regional role, or
    everywhere for a national role. The one place tenancy is decided (as a filter by ``visible_trusts``, for one
    trust by ``trust_for``)."""
    if not user.is_authenticated:
        return _Reach(False, frozenset(), frozenset())
    scopes = role_scopes(user)
    return _Reach(
        any(t is None and r is None for _, t, r in scopes),
        frozenset(t for _, t, _ in scopes if t is not None),
        frozenset(r for _, _, r in scopes if r is not None),
    )


def visible_trusts(user: Any) -> QuerySet[Trust]:
    """The trusts whose data ``user`` may see (``_reach``)."""
    reach = _reach(user)
    if reach.everywhere:
        return Trust.objects.all()
    if not reach.trust_ids and not reach.region_ids:
        return Trust.objects.none()
    return Trust.objects.filter(Q(pk__in=reach.trust_ids) | Q(region_id__in=reach.region_ids))


def trust_for(user: Any, code: str, perm: Perm = Perm.VIEW_ORGANISATION) -> Trust:
    """The trust with this code if ``user`` may see it (else 404, so that other trusts' existence does not
    leak) and holds ``perm`` over it (else 403). Read by its code alone and judged by ``_reach``: every page asks,
    and the filter of ``visible_trusts`` costs more to build than the read."""
    reach = _reach(user)
    trust = Trust.objects.select_related("region").filter(code=code).first() if user.is_authenticated else None
    if trust is None or not (
        reach.everywhere
        or trust.pk in reach.trust_ids
        or (trust.region_id is not None and trust.region_id in reach.region_ids)
    ):
        raise Http404("No such trust.")
    require(user, perm, trust)
    return trust


def own_person(user: Any, code: str) -> tuple[Trust, Person]:
    """The trust and the user's own person record in it, for pages of a doctor's own records (403 for a user
    who is not a person of this trust)."""
    trust = trust_for(user, code)
    person = getattr(user, "person", None)
    if person is None or person.trust_id != trust.pk:
        raise PermissionDenied("These pages are for the trust's doctors' own records.")
    return trust, person


def matching(people: QuerySet[Person], search: str) -> QuerySet[Person]:
    """Those of ``people`` matching every word of ``search`` in their name, or as their GMC or staff number."""
    for word in search.split():
        people = people.filter(
            Q(first_name__icontains=word) | Q(last_name__icontains=word) | Q(gmc_number=word) | Q(staff_number=word)
        )
    return people


def people(
    *, trust: Trust, search: str = "", division_id: int | None = None, grade: str = "", kind: str = ""
) -> QuerySet[Person]:
    qs = matching(Person.objects.filter(trust=trust, active=True).select_related("specialty__division"), search)
    if division_id:
        qs = qs.filter(specialty__division_id=division_id)
    if grade:
        qs = qs.filter(grade=grade)
    if kind:
        qs = qs.filter(kind=kind)
    return qs


def headcounts_on(visit: Visit) -> Callable[[], dict[str, int]]:
    """Active doctors, consultants and non-medical managers in the visit's trust, asked among the home page's
    counts (read with them in one query): a function that gives them once the page has read its counts."""
    people = Person.objects.filter(trust=visit.trust, active=True)
    asked = {
        "doctors": visit.count(people.filter(kind=StaffKind.DOCTOR)),
        "consultants": visit.count(people.filter(grade=Grade.CONSULTANT)),
        "managers": visit.count(people.filter(kind=StaffKind.MANAGER)),
    }
    return lambda: {name: counted.value for name, counted in asked.items()}


def people_by_number(*, trust: Trust) -> dict[str, Person]:
    """Active people of a trust keyed by GMC number and by staff number, for imports."""
    found: dict[str, Person] = {}
    for p in Person.objects.filter(trust=trust, active=True):
        for key in (p.gmc_number, p.staff_number):
            if key:
                found[key] = p
    return found


def email_addresses(person_ids: list[int]) -> list[str]:
    """The email addresses of these people, for those who have one (``core.tasks.send_email`` reads them)."""
    return list(Person.objects.filter(pk__in=person_ids).exclude(email="").values_list("email", flat=True))


@dataclass(frozen=True)
class SpecialtyLine:
    """A specialty on the trust's home page: its name and its active doctors."""

    name: str
    doctors: int


@dataclass(frozen=True)
class DivisionLine:
    """A division on the trust's home page, with its specialties by name."""

    pk: int
    name: str
    specialties: list[SpecialtyLine] = field(default_factory=list)


def divisions_with_specialties(*, trust: Trust) -> list[DivisionLine]:
    """The trust's divisions by name, each with its specialties by name and their active doctors (one query)."""
    from django.db.models import Count

    rows = (
        Division.objects.filter(trust=trust)
        .values("pk", "name", "specialties__pk", "specialties__name")
        .annotate(doctors=Count("specialties__people", filter=Q(specialties__people__active=True)))
        .order_by("name", "pk", "specialties__name", "specialties__pk")
    )
    found: dict[int, DivisionLine] = {}
    for row in rows:
        division = found.setdefault(row["pk"], DivisionLine(row["pk"], row["name"]))
        if row["specialties__pk"] is not None:
            division.specialties.append(SpecialtyLine(row["specialties__name"], row["doctors"]))
    return list(found.values())


def board(*, trust: Trust) -> QuerySet[BoardMember]:
    return BoardMember.objects.filter(trust=trust, end__isnull=True).select_related("person__trust")


def committees(*, trust: Trust) -> QuerySet[Committee]:
    return Committee.objects.filter(trust=trust).select_related("chair", "reports_to")


@dataclass(frozen=True)
class About:
    """What the trust is: its divisions with their specialties and doctors, its board and its board committees."""

    divisions: list[DivisionLine]
    board: list[BoardMember]
    committees: list[Committee]


def about(trust: Trust, on: dt.date) -> About:
    """``About`` the trust, the same for everyone in it: kept (``core.kept``) until a division, a specialty, a doctor,
    a board member or a committee changes, or the day ``on`` ends."""
    return kept.kept(
        ("organisation:about", trust.pk, on),
        lambda: About(divisions_with_specialties(trust=trust), list(board(trust=trust)), list(committees(trust=trust))),
    )


def import_layout(*, trust: Trust, code: str) -> Layout | None:
    """A national file layout (``core.layouts``) with the trust's own headings, if it saved any; None if there is no
    such layout."""
    layout = layouts().get(code)
    if layout is None:
        return None
    saved = ImportLayout.objects.filter(trust=trust, code=code).values_list("headings", flat=True).first()
    return layout.with_headings(saved) if saved else layout


def import_layouts(*, trust: Trust, kind: str) -> list[Layout]:
    """The national layouts a file of this kind may come in, with the trust's own headings."""
    found = (import_layout(trust=trust, code=code) for code, layout in layouts().items() if layout.kind == kind)
    return [layout for layout in found if layout is not None]


# --- issue 34 (transfers): a doctor's records linked across trusts by GMC number ---------------------------------


@dataclass(frozen=True)
class LinkedRecord:
    """The same doctor's person record in another trust, as the GMC number links them: which trust holds it and
    whether it is active there. Never the record itself: neither trust reads the other's records through the link."""

    trust_id: int
    trust_code: str
    trust_name: str
    active: bool


def same_doctor_elsewhere(person: Person) -> list[LinkedRecord]:
    """The other trusts on this installation holding a person record with ``person``'s GMC number (the GMC number is
    unique within a trust, so one record a trust), by trust name: one query."""
    if not person.gmc_number:
        return []
    rows = (
        Person.objects.filter(gmc_number=person.gmc_number)
        .exclude(trust_id=person.trust_id)
        .order_by("trust__name", "trust_id")
        .values_list("trust_id", "trust__code", "trust__name", "active")
    )
    return [LinkedRecord(*row) for row in rows]


# --- issue 34: lead employers and host trusts (placements) --------------------------------------------------------


def _placements() -> QuerySet[Placement]:
    return Placement.objects.select_related(
        "employee__specialty", "placed_as__specialty", "host__region", "lead_employer__region"
    )


def placements_out(*, trust: Trust) -> QuerySet[Placement]:
    """The lead employer's resident doctors' placements in other trusts, the latest first."""
    return _placements().filter(lead_employer=trust).order_by("-starts_on", "pk")


def placements_in(*, trust: Trust) -> QuerySet[Placement]:
    """The placements of other trusts' resident doctors in this trust (the host), the latest first."""
    return _placements().filter(host=trust).order_by("-starts_on", "pk")


def placement(*, trust: Trust, pk: int) -> Placement | None:
    """A placement of this trust's doctors (as the lead employer) or into it (as the host); None for any other."""
    return _placements().filter(Q(lead_employer=trust) | Q(host=trust), pk=pk).first()


def overlapping_placement(
    *, employee: Person | None = None, placed_as: Person | None = None, starts_on: Any, ends_on: Any, exclude: int = 0
) -> Placement | None:
    """A placement of the same doctor (by the lead employer's record, or the host's) whose dates meet these."""
    people = Q(pk__in=[])
    if employee is not None:
        people |= Q(employee=employee)
    if placed_as is not None:
        people |= Q(placed_as=placed_as)
    return (
        Placement.objects.filter(people, starts_on__lte=ends_on, ends_on__gte=starts_on)
        .exclude(pk=exclude)
        .select_related("host")
        .first()
    )


def placement_hosts(*, trust: Trust) -> QuerySet[Trust]:
    """The trusts of the installation a lead employer may place its resident doctors in: every other trust."""
    return Trust.objects.exclude(pk=trust.pk).order_by("name")
