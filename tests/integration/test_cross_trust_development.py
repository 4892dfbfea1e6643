"""Issue 34, development across trusts: an opening published to other trusts and applied for from one, the
applicant's own trust seeing nothing unless shared; the region's mentor bank; the regional talent pool; secondments
recorded in both structures. Expected answers are written from the issue's words (``tests.factories.
cross_trust_world``: "home" and "host" of one region, "other" of another)."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.core import mail

from medlead.core.audit import AuditEvent
from medlead.core.dates import today
from medlead.development.models import Interest, Mentor, Mentorship, OpeningPublication
from medlead.organisation.models import Grade, Person
from medlead.structure.models import Holding, Secondment
from medlead.structure.selectors import posts, structure_health
from medlead.talent.models import PoolMember
from tests.conftest import client_for
from tests.factories import (
    HoldingFactory,
    PersonFactory,
    PostFactory,
    SpecialtyFactory,
    TrustFactory,
    cross_trust_world,
    post_type,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def w() -> dict[str, Any]:
    return cross_trust_world()


def _url(trust: Any, tail: str) -> str:
    return f"/t/{trust.code}/{tail}"


# ------------------------------------------------------------------------------------- publishing an opening


def test_publishing_is_checked_then_confirmed_and_only_to_the_trusts_offered(w: dict[str, Any]) -> None:
    host, home, other = w["host"], w["home"], w["other"]
    opening = w["opening"]
    OpeningPublication.objects.all().delete()
    third = TrustFactory(region=w["region"], name="Third Hospitals")
    md = client_for(w["users"]["md_host"])
    publish = _url(host, f"development/openings/{opening.pk}/publish/")
    page = md.get(publish).content.decode()
    # the host's medical director may publish to the other trusts of its region: never to its own, nor to another
    # region's (a national installation's every trust would be hundreds of choices)
    assert "Home Hospitals" in page and "Third Hospitals" in page
    assert f'value="{host.pk}"' not in page and f'value="{other.pk}"' not in page
    checked = md.post(publish, {"trusts": [home.pk, third.pk]})
    assert "Check your answers before you publish this opening to other trusts" in checked.content.decode()
    assert not OpeningPublication.objects.exists()  # nothing published until confirmed
    done = md.post(publish + "confirm/", {"trusts": [home.pk, third.pk]})
    assert "The opening is published" in done.content.decode()
    assert set(OpeningPublication.objects.values_list("to_trust__name", flat=True)) == {
        "Home Hospitals",
        "Third Hospitals",
    }
    # a trust already published to is no longer offered; nothing chosen is a form error
    again = md.post(publish, {"trusts": [home.pk]})
    assert again.status_code == 200 and "from the list" in again.content.decode()
    assert "Choose at least one trust" in md.post(publish, {}).content.decode()
    # the regional medical director publishes only within their region
    rmd = client_for(w["users"]["rmd"])
    assert f'value="{other.pk}"' not in rmd.get(publish).content.decode()
    assert rmd.post(publish + "confirm/", {"trusts": [other.pk]}).status_code == 200
    assert not OpeningPublication.objects.filter(to_trust=other).exists()
    # the home trust's medical director cannot publish the host's opening; a doctor neither
    assert (
        client_for(w["users"]["md_home"]).get(_url(home, f"development/openings/{opening.pk}/publish/")).status_code
        == 404
    )
    assert client_for(w["users"]["mentor"]).get(publish).status_code == 403


def test_an_opening_is_seen_only_where_it_is_published(w: dict[str, Any]) -> None:
    home, other, opening = w["home"], w["other"], w["opening"]
    applicant = client_for(w["users"]["applicant"])
    assert opening.title in applicant.get(_url(home, "development/openings/")).content.decode()
    assert "Host Hospitals" in applicant.get(_url(home, f"development/openings/{opening.pk}/")).content.decode()
    doctor_other = client_for(w["users"]["doctor_other"])
    assert opening.title not in doctor_other.get(_url(other, "development/openings/")).content.decode()
    assert doctor_other.get(_url(other, f"development/openings/{opening.pk}/")).status_code == 404


def test_a_doctor_applies_to_another_trusts_opening_which_decides_and_tells_them(
    w: dict[str, Any], django_capture_on_commit_callbacks: Any
) -> None:
    home, host, opening = w["home"], w["host"], w["opening"]
    applicant = client_for(w["users"]["applicant"])
    url = _url(home, f"development/openings/{opening.pk}/")
    assert "medical director see this application" in applicant.get(url).content.decode()
    applicant.post(url + "interest/", {"statement": "I lead theatre productivity."})
    interest = Interest.objects.get()
    assert interest.person == w["people"]["applicant"] and not interest.shared_with_home
    # the host decides, and sees the applicant with their trust; the home trust's medical director sees nothing
    md_host = client_for(w["users"]["md_host"])
    host_page = md_host.get(_url(host, f"development/openings/{opening.pk}/")).content.decode()
    assert "Dr Ada Applicant, Home Hospitals" in host_page and "I lead theatre productivity." in host_page
    md_home = client_for(w["users"]["md_home"])
    home_page = md_home.get(url).content.decode()
    assert "I lead theatre productivity." not in home_page and "Ada Applicant" not in home_page
    assert "Ada Applicant" not in md_home.get(_url(home, "development/openings/")).content.decode()
    # a decision from the home trust's address is refused; from the host's it stands and the applicant is told
    assert md_home.post(url + "decide/", {"selected": [interest.pk]}).status_code == 403
    with django_capture_on_commit_callbacks(execute=True):
        md_host.post(_url(host, f"development/openings/{opening.pk}/decide/"), {"selected": [interest.pk]})
    interest.refresh_from_db()
    assert interest.status == "selected"
    assert [m.to for m in mail.outbox] == [["ada@example.org"]]
    assert "selected" in applicant.get(url).content.decode()


def test_the_applicant_shares_their_application_with_their_own_trust_and_stops(w: dict[str, Any]) -> None:
    home, opening = w["home"], w["opening"]
    applicant = client_for(w["users"]["applicant"])
    applicant.post(
        _url(home, f"development/openings/{opening.pk}/interest/"), {"statement": "Me.", "share_with_home": "on"}
    )
    interest = Interest.objects.get()
    assert interest.shared_with_home
    md_home = client_for(w["users"]["md_home"])
    page = _url(home, f"development/applications/{interest.pk}/")
    assert md_home.get(page).status_code == 200
    listed = md_home.get(_url(home, "development/openings/")).content.decode()
    assert "Applications to other trusts shared with you" in listed and "Dr Ada Applicant" in listed
    # stopping is at once; only the applicant may change it; a value not offered is a form error
    assert client_for(w["users"]["md_home"]).post(page + "sharing/", {"share": "stop"}).status_code == 403
    assert applicant.post(page + "sharing/", {"share": "maybe"}).status_code == 200
    assert applicant.post(page + "sharing/", {"share": "stop"}).status_code == 302
    assert md_home.get(page).status_code == 404
    assert "Ada Applicant" not in md_home.get(_url(home, "development/openings/")).content.decode()
    # the trail names the record only as a confidential one, with the sharing but never the statement
    changes = [e.changes for e in AuditEvent.objects.filter(model="development.interest")]
    assert changes and all("Me." not in str(c) for c in changes)


def test_an_applicant_of_the_host_trust_cannot_share_with_their_own_trust(w: dict[str, Any]) -> None:
    host, opening = w["host"], w["opening"]
    mentor = client_for(w["users"]["mentor"])  # a doctor of the host trust
    url = _url(host, f"development/openings/{opening.pk}/")
    assert "see this application" not in mentor.get(url).content.decode()
    mentor.post(url + "interest/", {"statement": "Me.", "share_with_home": "on"})
    interest = Interest.objects.get()
    assert not interest.shared_with_home  # the host decides it already: nothing to share
    assert (
        mentor.post(_url(host, f"development/applications/{interest.pk}/sharing/"), {"share": "share"}).status_code
        == 200
    )


# ------------------------------------------------------------------------------------- the region's mentor bank


def test_a_mentor_is_offered_to_the_region_only_with_their_agreement(w: dict[str, Any]) -> None:
    host = w["host"]
    other_mentor = Mentor.objects.create(
        trust=host, person=PersonFactory(trust=host), kind="mentor", areas="Finance", capacity=2
    )
    hr = client_for(w["users"]["hr_host"])
    url = _url(host, f"development/mentors/{other_mentor.pk}/region/")
    refused = hr.post(url, {"offer": "offer"})
    assert "has agreed to mentor doctors of other trusts" in refused.content.decode()
    other_mentor.refresh_from_db()
    assert not other_mentor.in_regional_bank
    assert hr.post(url, {"offer": "offer", "agreed": "on"}).status_code == 302
    other_mentor.refresh_from_db()
    assert other_mentor.in_regional_bank and other_mentor.bank_agreed_on == today()
    assert hr.post(url, {"offer": "withdraw"}).status_code == 302
    other_mentor.refresh_from_db()
    assert not other_mentor.in_regional_bank and other_mentor.bank_agreed_on is None
    # another trust's register keepers cannot; a value not offered is a form error
    assert client_for(w["users"]["hr_home"]).get(url.replace(host.code, w["home"].code)).status_code == 404
    assert hr.post(url, {"offer": "everyone"}).status_code == 200


def test_a_doctor_asks_a_mentor_of_the_bank_who_answers_from_their_own_trust(w: dict[str, Any]) -> None:
    home, host, other, mentor = w["home"], w["host"], w["other"], w["mentor"]
    applicant = client_for(w["users"]["applicant"])
    assert "Dr Meg Mentor" in applicant.get(_url(home, "development/mentors/")).content.decode()
    asking = applicant.get(_url(home, "development/mentoring/request/")).content.decode()
    assert "Dr Meg Mentor, Host Hospitals" in asking
    applicant.post(_url(home, "development/mentoring/request/"), {"mentor": mentor.pk, "goals": "Across trusts."})
    m = Mentorship.objects.get()
    assert m.trust == home and m.mentor == mentor
    # the mentor sees it among what needs them at their own trust, and answers there
    mentor_client = client_for(w["users"]["mentor"])
    assert "request for mentoring to answer" in mentor_client.get(_url(host, "")).content.decode()
    waiting = mentor_client.get(_url(host, "development/waiting/?show=mentoring"))
    assert waiting.status_code in (200, 302)
    mentor_client.post(_url(host, f"development/mentoring/{m.pk}/respond/"), {"answer": "accept"})
    m.refresh_from_db()
    assert m.status == "active"
    # another region's doctor is not offered the bank and cannot ask its mentors
    doctor_other = client_for(w["users"]["doctor_other"])
    assert "Meg Mentor" not in doctor_other.get(_url(other, "development/mentors/")).content.decode()
    refused = doctor_other.post(_url(other, "development/mentoring/request/"), {"mentor": mentor.pk, "goals": "x"})
    assert refused.status_code == 200 and Mentorship.objects.count() == 1


def test_a_mentor_taken_out_of_the_bank_is_no_longer_offered(w: dict[str, Any]) -> None:
    mentor = w["mentor"]
    mentor.in_regional_bank, mentor.bank_agreed_on = False, None
    mentor.save()
    applicant = client_for(w["users"]["applicant"])
    response = applicant.post(
        _url(w["home"], "development/mentoring/request/"), {"mentor": mentor.pk, "goals": "Across trusts."}
    )
    assert response.status_code == 200 and not Mentorship.objects.exists()


# ------------------------------------------------------------------------------------------ the talent pool


def test_a_doctor_joins_checked_then_confirmed_changes_what_they_share_and_leaves_at_once(w: dict[str, Any]) -> None:
    from medlead.development.models import CareerPlan

    home = w["home"]
    person = w["people"]["applicant"]
    CareerPlan.objects.create(
        trust=home, person=person, target_role=post_type("clinical_director"), aspirations="Lead surgery."
    )
    applicant = client_for(w["users"]["applicant"])
    mine = _url(home, "talent/pool/me/")
    assert applicant.get(mine).status_code == 200
    checked = applicant.post(mine, {}).content.decode()
    assert "Check your answers before you join the talent pool" in checked and "Lead surgery." not in checked
    assert not PoolMember.objects.exists()
    applicant.post(mine + "join/", {})
    member = PoolMember.objects.get()
    assert member.person == person and member.region == w["region"] and not member.share_career
    md = client_for(w["users"]["md_host"])
    pool = _url(w["host"], "talent/pool/")
    found = md.get(pool).content.decode()
    assert "Dr Ada Applicant" in found and "Home Hospitals" in found and "Lead surgery." not in found
    assert "Not shared" in found
    # sharing the career plan is the doctor's choice
    applicant.post(mine + "join/", {"share_career": "on"})
    found = md.get(pool).content.decode()
    assert "Clinical director" in found and "Lead surgery." in found
    # leaving removes them at once
    applicant.post(mine + "leave/", {})
    assert not PoolMember.objects.exists()
    assert "Ada Applicant" not in md.get(pool).content.decode()
    # nobody joins for another: the medical director has no "my place" page of the applicant's
    assert client_for(w["users"]["md_home"]).post(mine + "join/", {}).status_code == 200
    assert not PoolMember.objects.filter(person=person).exists()


def test_the_pool_is_filtered_by_specialty_grade_target_role_and_trust(w: dict[str, Any]) -> None:
    from medlead.development.models import CareerPlan

    home, host, region = w["home"], w["host"], w["region"]
    surgery_home = SpecialtyFactory(trust=home, name="General surgery")
    surgery_host = SpecialtyFactory(trust=host, name="General surgery")
    medicine = SpecialtyFactory(trust=host, name="Acute medicine")
    rows = [
        ("Sam", home, surgery_home, Grade.CONSULTANT, "clinical_director", True),
        ("Sue", host, surgery_host, Grade.SPECIALTY_REGISTRAR, "clinical_director", False),  # not shared
        ("Max", host, medicine, Grade.CONSULTANT, "medical_director", True),
    ]
    for first, trust, specialty, grade, role, share in rows:
        p = PersonFactory(trust=trust, first_name=first, last_name="Pool", specialty=specialty, grade=grade)
        CareerPlan.objects.create(trust=trust, person=p, target_role=post_type(role))
        PoolMember.objects.create(trust=trust, person=p, region=region, share_career=share)
    rmd = client_for(w["users"]["rmd"])

    def names(query: str) -> set[str]:
        html = rmd.get(_url(home, f"talent/pool/?{query}")).content.decode()
        return {first for first, *_ in rows if f"Dr {first} Pool" in html}

    assert names("") == {"Sam", "Sue", "Max"}
    assert names("specialty=General+surgery") == {"Sam", "Sue"}
    assert names("grade=consultant") == {"Sam", "Max"}
    assert names("role=clinical_director") == {"Sam"}  # Sue does not share her target role
    assert names(f"trust={host.code}") == {"Sue", "Max"}
    assert names("specialty=General+surgery&trust=" + home.code) == {"Sam"}
    # values not offered show the whole pool, never an error
    assert names("specialty=Nope&grade=x&role=nope&trust=ZZZ&page=-1") == {"Sam", "Sue", "Max"}
    assert rmd.get(_url(home, "talent/pool/?page=99999999999999999999")).status_code == 200


def test_the_pool_search_reads_a_constant_number_of_queries_as_the_pool_grows(
    w: dict[str, Any], django_assert_max_num_queries: Any
) -> None:
    home, region = w["home"], w["region"]
    rmd = client_for(w["users"]["rmd"])

    def join(n: int) -> None:
        for _ in range(n):
            p = PersonFactory(trust=home, specialty=SpecialtyFactory(trust=home))
            HoldingFactory(post=PostFactory(trust=home), person=p)
            PoolMember.objects.create(trust=home, person=p, region=region, share_career=True)

    join(3)
    rmd.get(_url(home, "talent/pool/"))
    with django_assert_max_num_queries(14) as small:
        assert rmd.get(_url(home, "talent/pool/")).status_code == 200
    join(40)
    with django_assert_max_num_queries(len(small.captured_queries)):
        html = rmd.get(_url(home, "talent/pool/")).content.decode()
    assert "43 doctors found" in html and "Page 2 of 2" in html


# -------------------------------------------------------------------------------------------- secondments


@pytest.fixture
def seconding(w: dict[str, Any]) -> dict[str, Any]:
    home, host = w["home"], w["host"]
    consultant = PersonFactory(trust=home, first_name="Sid", last_name="Seconded")
    home_post = PostFactory(trust=home, title="Clinical lead for surgery", post_type=post_type("clinical_lead"))
    kept = HoldingFactory(post=home_post, person=consultant, start=dt.date(2023, 1, 1))
    host_post = PostFactory(trust=host, title="Associate medical director (elective recovery)")
    return {**w, "consultant": consultant, "home_post": home_post, "kept": kept, "host_post": host_post}


def _propose(s: dict[str, Any], gmc: str | None = None) -> dict[str, Any]:
    return {
        "home_trust": s["home"].pk,
        "gmc_number": gmc or s["consultant"].gmc_number,
        "host_post": s["host_post"].pk,
        "starts_on": (today() - dt.timedelta(days=10)).isoformat(),
        "ends_on": (today() + dt.timedelta(days=300)).isoformat(),
    }


def test_a_secondment_is_proposed_by_the_host_agreed_by_home_and_shown_in_both_structures(
    seconding: dict[str, Any],
) -> None:
    s = seconding
    home, host = s["home"], s["host"]
    hr_host = client_for(s["users"]["hr_host"])
    checked = hr_host.post(_url(host, "structure/secondments/new/"), _propose(s)).content.decode()
    assert "Check your answers before you ask the home trust to agree this secondment" in checked
    assert not Secondment.objects.exists()
    done = hr_host.post(_url(host, "structure/secondments/new/confirm/"), _propose(s)).content.decode()
    assert "The home trust is asked to agree the secondment" in done
    secondment = Secondment.objects.get()
    assert secondment.status == "proposed" and not Holding.objects.filter(trust=host).exists()
    # the home trust's structure managers see it among what needs them, and answer on their own pages
    hr_home = client_for(s["users"]["hr_home"])
    assert "secondment of one of your doctors to agree" in hr_home.get(_url(home, "")).content.decode()
    page = hr_home.get(_url(home, f"structure/secondments/{secondment.pk}/")).content.decode()
    assert "Dr Sid Seconded" in page and "Clinical lead for surgery" in page
    decide = _url(home, f"structure/secondments/{secondment.pk}/decide/")
    answer = {"decision": "agree", "home_holding": s["kept"].pk}
    assert "Check your answers before you agree this secondment" in hr_home.post(decide, answer).content.decode()
    assert Secondment.objects.get().status == "proposed"
    assert "The secondment is agreed" in hr_home.post(decide + "confirm/", answer).content.decode()
    secondment.refresh_from_db()
    assert secondment.status == "agreed" and secondment.home_holding == s["kept"]
    # the host's post is held by the doctor's host record (made by GMC number) until the secondment ends
    host_person = Person.objects.get(trust=host, gmc_number=s["consultant"].gmc_number)
    assert host_person.full_name == "Sid Seconded" and host_person.contract == "honorary"
    holding = Holding.objects.get(trust=host, post=s["host_post"])
    assert holding.person == host_person and holding.end == secondment.ends_on
    # the home structure still has the post held, shown as seconded, never vacant; the host shows where from
    s["kept"].refresh_from_db()
    assert s["kept"].end is None
    assert all(p.pk != s["home_post"].pk for p in posts(trust=home, vacant=True))
    assert not any(
        f.subject == "post" and f.subject_id == s["home_post"].pk and "vacant" in f.title.lower()
        for f in structure_health(trust=home)
    )
    md_home = client_for(s["users"]["md_home"])
    until = f"{secondment.ends_on:%-d %B %Y}"
    assert f"seconded to Host Hospitals until {until}" in md_home.get(_url(home, "structure/posts/")).content.decode()
    detail = md_home.get(_url(home, f"structure/posts/{s['home_post'].pk}/")).content.decode()
    assert f"Seconded to Host Hospitals until {until}" in detail
    assert "seconded to Host Hospitals" in md_home.get(_url(home, "structure/chart/list/")).content.decode()
    md_host = client_for(s["users"]["md_host"])
    hosted = md_host.get(_url(host, "structure/posts/")).content.decode()
    assert f"on secondment from Home Hospitals until {until}" in hosted
    # it is decided once
    assert hr_home.post(decide + "confirm/", answer).status_code == 403


def test_a_secondment_finds_the_host_record_by_gmc_number_and_can_be_declined(seconding: dict[str, Any]) -> None:
    s = seconding
    home, host = s["home"], s["host"]
    already = PersonFactory(trust=host, gmc_number=s["consultant"].gmc_number, first_name="Sid", last_name="Known")
    hr_host = client_for(s["users"]["hr_host"])
    hr_host.post(_url(host, "structure/secondments/new/confirm/"), _propose(s))
    first = Secondment.objects.get()
    hr_home = client_for(s["users"]["hr_home"])
    hr_home.post(_url(home, f"structure/secondments/{first.pk}/decide/confirm/"), {"decision": "agree"})
    first.refresh_from_db()
    assert first.host_person == already and first.home_holding is None
    assert Person.objects.filter(trust=host, gmc_number=s["consultant"].gmc_number).count() == 1
    hr_host.post(_url(host, "structure/secondments/new/confirm/"), _propose(s))
    second = Secondment.objects.exclude(pk=first.pk).get()
    hr_home.post(_url(home, f"structure/secondments/{second.pk}/decide/confirm/"), {"decision": "decline"})
    second.refresh_from_db()
    assert second.status == "declined" and second.host_holding is None


def test_a_secondment_of_a_gmc_number_unknown_at_home_cannot_be_agreed(seconding: dict[str, Any]) -> None:
    s = seconding
    hr_host = client_for(s["users"]["hr_host"])
    hr_host.post(_url(s["host"], "structure/secondments/new/confirm/"), _propose(s, gmc="9999999"))
    secondment = Secondment.objects.get()
    hr_home = client_for(s["users"]["hr_home"])
    url = _url(s["home"], f"structure/secondments/{secondment.pk}/")
    assert "Nobody here has this GMC number" in hr_home.get(url).content.decode()
    refused = hr_home.post(url + "decide/confirm/", {"decision": "agree"})
    assert "Nobody with GMC number 9999999 works here" in refused.content.decode()
    assert Secondment.objects.get().status == "proposed"


def test_the_host_cannot_agree_its_own_proposal_nor_the_home_trust_propose_into_the_hosts_posts(
    seconding: dict[str, Any],
) -> None:
    s = seconding
    hr_host = client_for(s["users"]["hr_host"])
    hr_host.post(_url(s["host"], "structure/secondments/new/confirm/"), _propose(s))
    secondment = Secondment.objects.get()
    decide = _url(s["host"], f"structure/secondments/{secondment.pk}/decide/confirm/")
    assert hr_host.post(decide, {"decision": "agree"}).status_code == 404  # answered on the home trust's pages
    hr_home = client_for(s["users"]["hr_home"])
    refused = hr_home.post(
        _url(s["home"], "structure/secondments/new/confirm/"), _propose(s) | {"home_trust": s["home"].pk}
    )
    assert refused.status_code == 200 and Secondment.objects.count() == 1  # its own trust is not offered


# -------------------------------------------------------------------------------------------- bad input


BAD = ["", "abc", "-1", "99999999999999999999", "1e999999", "0000-00-00", "\u00b2", "x" * 5000]


def test_bad_input_on_every_form_is_a_form_error_never_a_server_error(seconding: dict[str, Any]) -> None:
    s = seconding
    home, host, opening = s["home"], s["host"], s["opening"]
    interest = Interest.objects.create(opening=opening, person=s["people"]["applicant"], statement="Me.")
    posts_for = {
        "md_host": [
            (_url(host, f"development/openings/{opening.pk}/publish/"), ["trusts"]),
            (_url(host, f"development/openings/{opening.pk}/publish/confirm/"), ["trusts"]),
            (_url(host, f"development/openings/{opening.pk}/decide/"), ["selected"]),
            (_url(host, f"development/mentors/{s['mentor'].pk}/region/"), ["offer", "agreed"]),
            (
                _url(host, "structure/secondments/new/"),
                ["home_trust", "gmc_number", "host_post", "starts_on", "ends_on"],
            ),
            (
                _url(host, "structure/secondments/new/confirm/"),
                ["home_trust", "gmc_number", "host_post", "starts_on", "ends_on"],
            ),
        ],
        "applicant": [
            (_url(home, f"development/openings/{opening.pk}/interest/"), ["statement", "share_with_home"]),
            (_url(home, f"development/applications/{interest.pk}/sharing/"), ["share"]),
            (_url(home, "development/mentoring/request/"), ["mentor", "goals"]),
            (_url(home, "talent/pool/me/"), ["share_career"]),
            (_url(home, "talent/pool/me/join/"), ["share_career"]),
        ],
    }
    for name, forms in posts_for.items():
        client = client_for(s["users"][name])
        for url, fields in forms:
            for value in BAD:
                for field in fields:
                    response = client.post(url, {field: value})
                    assert response.status_code in (200, 302, 400, 403), (name, url, field, value[:20])
    hr_host = client_for(s["users"]["hr_host"])
    hr_host.post(_url(host, "structure/secondments/new/confirm/"), _propose(s))
    secondment = Secondment.objects.get()
    hr_home = client_for(s["users"]["hr_home"])
    for tail in ("decide/", "decide/confirm/"):
        url = _url(home, f"structure/secondments/{secondment.pk}/{tail}")
        for value in BAD[1:]:  # (no post kept at home, "", is an answer: it would agree the secondment)
            for field in ("decision", "home_holding"):
                data = {"decision": "agree", "home_holding": s["kept"].pk, field: value}
                assert hr_home.post(url, data).status_code == 200, (url, field, value[:20])
    assert Secondment.objects.get().status == "proposed"
    # a holding of someone else, or of another trust, is not a post the doctor keeps
    foreign = HoldingFactory(post=PostFactory(trust=home))
    url = _url(home, f"structure/secondments/{secondment.pk}/decide/confirm/")
    assert hr_home.post(url, {"decision": "agree", "home_holding": foreign.pk}).status_code == 200
    assert Secondment.objects.get().status == "proposed"
    # an end before the start, and a GMC number that is not 7 digits
    bad = _propose(s) | {"ends_on": (today() - dt.timedelta(days=30)).isoformat()}
    assert "must end on or after" in hr_host.post(_url(host, "structure/secondments/new/"), bad).content.decode()
    short = hr_host.post(_url(host, "structure/secondments/new/"), _propose(s, gmc="12345")).content.decode()
    assert "A GMC number is exactly 7 digits" in short
    assert Secondment.objects.count() == 1


# -------------------------------------------------------------------------------------------- query counts


def test_the_openings_and_mentors_pages_read_a_constant_number_of_queries(
    w: dict[str, Any], django_assert_max_num_queries: Any
) -> None:
    from medlead.development.models import Opening

    home, host, region = w["home"], w["host"], w["region"]
    applicant = client_for(w["users"]["applicant"])
    md_home = client_for(w["users"]["md_home"])

    def grow(n: int) -> None:
        for k in range(n):
            trust = TrustFactory(region=region)
            o = Opening.objects.create(
                trust=trust,
                title=f"Opening {k}",
                kind="project",
                description="x",
                places=1,
                closes_on=w["opening"].closes_on,
            )
            OpeningPublication.objects.create(opening=o, to_trust=home)
            Mentor.objects.create(
                trust=trust,
                person=PersonFactory(trust=trust),
                kind="mentor",
                areas="x",
                in_regional_bank=True,
                bank_agreed_on=today(),
            )
            Interest.objects.create(opening=o, person=w["people"]["applicant"], statement="x", shared_with_home=True)

    pages = [
        (applicant, _url(home, "development/openings/")),
        (md_home, _url(home, "development/openings/")),
        (applicant, _url(home, "development/mentors/")),
        (applicant, _url(home, "development/mentoring/request/")),
        (client_for(w["users"]["md_host"]), _url(host, f"development/openings/{w['opening'].pk}/")),
    ]
    grow(2)
    counts = []
    for client, url in pages:
        client.get(url)
        with django_assert_max_num_queries(40) as before:
            assert client.get(url).status_code == 200
        counts.append(len(before.captured_queries))
    grow(12)
    for (client, url), count in zip(pages, counts, strict=True):
        with django_assert_max_num_queries(count):
            assert client.get(url).status_code == 200, url


def test_the_secondments_and_posts_pages_read_a_constant_number_of_queries(
    seconding: dict[str, Any], django_assert_max_num_queries: Any
) -> None:
    s = seconding
    home, host = s["home"], s["host"]
    md_home = client_for(s["users"]["md_home"])

    def second(n: int) -> None:
        for _ in range(n):
            person = PersonFactory(trust=home)
            kept = HoldingFactory(post=PostFactory(trust=home), person=person)
            hosted = HoldingFactory(post=PostFactory(trust=host))
            Secondment.objects.create(
                trust=host,
                home_trust=home,
                gmc_number=person.gmc_number,
                host_post=hosted.post,
                starts_on=today() - dt.timedelta(days=5),
                ends_on=today() + dt.timedelta(days=50),
                status="agreed",
                home_person=person,
                home_holding=kept,
                host_holding=hosted,
            )

    second(2)
    urls = [_url(home, "structure/secondments/"), _url(home, "structure/posts/"), _url(home, "structure/chart/list/")]
    counts = []
    for url in urls:
        md_home.get(url)
        with django_assert_max_num_queries(40) as before:
            assert md_home.get(url).status_code == 200
        counts.append(len(before.captured_queries))
    second(15)
    for url, count in zip(urls, counts, strict=True):
        with django_assert_max_num_queries(count):
            html = md_home.get(url).content.decode()
        assert html.count("seconded to Host Hospitals") == 17 or url.endswith("secondments/"), url
