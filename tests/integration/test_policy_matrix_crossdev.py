"""Issue 34, development across trusts: rows of the hand-written matrix (tests/integration/test_policy_matrix.py)
for applications to another trust's opening, mentoring with a mentor of the region's bank, the regional talent pool
and secondments, on a world of two regions (``tests.factories.cross_trust_world``).

Written by hand, from the issue's words, never from the rules under test: the applicant (a doctor of the home
trust), the host trust's medical director (who decides its opening) and medical staffing, the home trust's medical
director and medical staffing, the mentor (a doctor of the host trust, in the region's bank), the regional medical
director, a national system administrator who is a superuser, and another region's trust's medical director and
doctor. Every identity a row does not name is refused, and a page of a record they may not read is "not found"."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.test import Client

from medlead.core.policy import Perm, can
from medlead.development.models import Interest, Mentorship, Opening, OpeningPublication
from medlead.structure.models import Secondment
from medlead.talent.models import PoolMember
from tests.conftest import client_for
from tests.factories import HoldingFactory, PostFactory, cross_trust_world

pytestmark = pytest.mark.django_db

IDENTITIES = [
    "applicant",
    "md_home",
    "hr_home",
    "md_host",
    "hr_host",
    "mentor",
    "rmd",
    "admin",
    "md_other",
    "doctor_other",
]
# the people of the trusts' structures, who keep them (MANAGE_STRUCTURE): the host's and the home trust's
HOST_MANAGERS = {"md_host", "hr_host", "admin"}
HOME_MANAGERS = {"md_home", "hr_home", "admin"}

EXPECTED: list[tuple[Perm, str, set[str]]] = [
    # an application to the host's opening: its applicant and the host's medical director, who decides it; never the
    # applicant's own trust (unless shared), the region, a superuser or another region
    (Perm.VIEW_APPLICATION, "application", {"applicant", "md_host"}),
    (Perm.VIEW_APPLICATION, "application_shared", {"applicant", "md_host", "md_home"}),
    (Perm.EDIT_DEVELOPMENT_RECORD, "application", {"applicant"}),
    (Perm.DECIDE_OPENING, "opening", {"md_host"}),
    # the host's office or the regional medical director publishes it to other trusts, while it is open
    (Perm.PUBLISH_OPENING, "opening", {"md_host", "rmd"}),
    (Perm.PUBLISH_OPENING, "opening_decided", set()),
    # posting an opening: a trust's medical director, and the regional medical director for a host of their region
    (Perm.MANAGE_OPENINGS, "home", {"md_home", "rmd"}),
    (Perm.MANAGE_OPENINGS, "host", {"md_host", "rmd"}),
    (Perm.MANAGE_OPENINGS, "other", {"md_other"}),
    # mentoring with a mentor of the region's bank: the pair only, across trusts too
    (Perm.VIEW_MENTORSHIP, "mentorship", {"applicant", "mentor"}),
    (Perm.RESPOND_MENTORSHIP, "mentorship", {"mentor"}),
    # the host's register keepers offer its mentors to the region's bank
    (Perm.MANAGE_MENTOR_REGISTER, "mentor_entry", {"md_host", "hr_host"}),
    # the talent pool: each doctor joins for themselves; the region's and each of its trusts' medical directors search
    (Perm.JOIN_TALENT_POOL, "applicant_person", {"applicant"}),
    (Perm.JOIN_TALENT_POOL, "doctor_other_person", {"doctor_other"}),
    (Perm.SEARCH_TALENT_POOL, "home", {"md_home", "rmd"}),
    (Perm.SEARCH_TALENT_POOL, "host", {"md_host", "rmd"}),
    (Perm.SEARCH_TALENT_POOL, "other", {"md_other"}),
    # a secondment from home to host: both trusts' structure managers see it; the home trust's agree it, while waiting
    (Perm.VIEW_SECONDMENT, "secondment", HOST_MANAGERS | HOME_MANAGERS),
    (Perm.AGREE_SECONDMENT, "secondment", HOME_MANAGERS),
    (Perm.AGREE_SECONDMENT, "secondment_agreed", set()),
    (Perm.MANAGE_STRUCTURE, "host", HOST_MANAGERS),
]


@pytest.fixture
def world() -> dict[str, Any]:
    w = cross_trust_world()
    people, opening = w["people"], w["opening"]
    second = PostFactory(trust=w["host"], title="Second opening's post")  # a post to second someone to
    shared_opening = Opening.objects.create(
        trust=w["host"],
        title="A learning set",
        kind="learning_set",
        description="Six meetings.",
        places=8,
        closes_on=opening.closes_on,
    )
    OpeningPublication.objects.create(opening=shared_opening, to_trust=w["home"])
    decided = Opening.objects.create(
        trust=w["host"],
        title="Decided",
        kind="project",
        description="Done.",
        places=1,
        closes_on=opening.closes_on,
        status="decided",
    )
    held = HoldingFactory(post=PostFactory(trust=w["home"], title="Clinical lead"), person=people["applicant"])
    w["records"] = {
        "home": w["home"],
        "host": w["host"],
        "other": w["other"],
        "opening": opening,
        "opening_decided": decided,
        "application": Interest.objects.create(opening=opening, person=people["applicant"], statement="Me."),
        "application_shared": Interest.objects.create(
            opening=shared_opening, person=people["applicant"], statement="Me too.", shared_with_home=True
        ),
        "mentorship": Mentorship.objects.create(
            trust=w["home"], mentee=people["applicant"], mentor=w["mentor"], goals="Across organisations."
        ),
        "mentor_entry": w["mentor"],
        "applicant_person": people["applicant"],
        "doctor_other_person": people["doctor_other"],
        "secondment": Secondment.objects.create(
            trust=w["host"],
            home_trust=w["home"],
            gmc_number=people["applicant"].gmc_number,
            host_post=second,
            starts_on=dt.date(2026, 1, 1),
            ends_on=dt.date(2026, 12, 31),
        ),
        "secondment_agreed": Secondment.objects.create(
            trust=w["host"],
            home_trust=w["home"],
            gmc_number=people["applicant"].gmc_number,
            host_post=second,
            starts_on=dt.date(2025, 1, 1),
            ends_on=dt.date(2025, 6, 30),
            status="agreed",
            home_holding=held,
        ),
    }
    return w


@pytest.mark.parametrize(("perm", "record", "allowed"), EXPECTED, ids=[f"{p.value}@{r}" for p, r, _ in EXPECTED])
def test_the_hand_written_rows(world: dict[str, Any], perm: Perm, record: str, allowed: set[str]) -> None:
    obj = world["records"][record]
    got = {name for name in IDENTITIES if can(world["users"][name], perm, obj)}
    assert got == allowed, f"unexpected: {sorted(got - allowed)}; missing: {sorted(allowed - got)}"


# Pages of a confidential record: 200 for those named, at their own trust's address; "not found" for every other
# identity at every trust's address (the record's existence is confidential, within the region as outside it).
# (record, address tail, the identities and the trust whose address shows it to them)
PAGES: dict[str, tuple[str, str, set[tuple[str, str]]]] = {
    "an application": ("application", "development/applications/{pk}/", {("applicant", "home"), ("md_host", "host")}),
    "a shared application": (
        "application_shared",
        "development/applications/{pk}/",
        {("applicant", "home"), ("md_host", "host"), ("md_home", "home")},
    ),
    "a mentoring record": ("mentorship", "development/mentoring/{pk}/", {("applicant", "home"), ("mentor", "host")}),
    "a secondment": (
        "secondment",
        "structure/secondments/{pk}/",
        {
            ("md_host", "host"),
            ("hr_host", "host"),
            ("md_home", "home"),
            ("hr_home", "home"),
            ("admin", "host"),
            ("admin", "home"),
        },
    ),
}


@pytest.mark.parametrize("page", sorted(PAGES))
def test_pages_answer_as_the_rows_say_and_not_found_to_everyone_else(world: dict[str, Any], page: str) -> None:
    record, tail, shown = PAGES[page]
    obj = world["records"][record]
    for trust_key in ("home", "host", "other"):
        url = f"/t/{world[trust_key].code}/{tail.format(pk=obj.pk)}"
        assert Client().get(url).status_code == 302, url  # signed out: to sign in
        for name in IDENTITIES:
            status = client_for(world["users"][name]).get(url).status_code
            expected = 200 if (name, trust_key) in shown else 404
            assert status == expected, (name, url, status)


def test_the_pool_is_searched_by_the_regions_medical_directors_only_and_shows_only_its_own_region(
    world: dict[str, Any],
) -> None:
    people = world["people"]
    for key, trust in (("applicant", "home"), ("doctor_other", "other")):
        person = people[key]
        PoolMember.objects.create(trust=world[trust], person=person, region=world[trust].region)
    may = {("md_home", "home"), ("rmd", "home"), ("md_host", "host"), ("rmd", "host"), ("md_other", "other")}
    for trust_key in ("home", "host", "other"):
        url = f"/t/{world[trust_key].code}/talent/pool/"
        for name in IDENTITIES:
            response = client_for(world["users"][name]).get(url)
            if (name, trust_key) in may:
                assert response.status_code == 200, (name, url)
                html = response.content.decode()
                # each region's pool holds only its own trusts' doctors
                assert ("Ada Applicant" in html) == (trust_key != "other"), (name, url)
                assert ("Ola Otherdoc" in html) == (trust_key == "other"), (name, url)
            else:
                # a trust one sees but may not search: refused (403); a trust of another region: not found
                assert response.status_code in (403, 404), (name, url, response.status_code)
                visible = name in {"admin"} or (name == "rmd" and trust_key != "other")
                visible = visible or (name, trust_key) in {
                    ("applicant", "home"),
                    ("hr_home", "home"),
                    ("md_home", "home"),
                    ("md_host", "host"),
                    ("hr_host", "host"),
                    ("mentor", "host"),
                    ("md_other", "other"),
                    ("doctor_other", "other"),
                }
                assert response.status_code == (403 if visible else 404), (name, url, response.status_code)


def test_an_unrelated_trusts_accounts_find_nothing_of_the_region(world: dict[str, Any]) -> None:
    """A test per relation: another region's medical director and doctor get 404 for the application, the mentoring
    record and the secondment, at their own trust's address as at the region's."""
    records = world["records"]
    tails = {
        "application": "development/applications/{pk}/",
        "mentorship": "development/mentoring/{pk}/",
        "secondment": "structure/secondments/{pk}/",
    }
    for name in ("md_other", "doctor_other"):
        client = client_for(world["users"][name])
        for record, tail in tails.items():
            for trust_key in ("other", "home", "host"):
                url = f"/t/{world[trust_key].code}/{tail.format(pk=records[record].pk)}"
                assert client.get(url).status_code == 404, (name, url)
        # nor is the host's opening theirs to see or apply for
        opening_url = f"/t/{world['other'].code}/development/openings/{world['opening'].pk}/"
        assert client.get(opening_url).status_code == 404
        assert client.post(opening_url + "interest/", {"statement": "Me"}).status_code == 404
