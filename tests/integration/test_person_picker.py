"""Choosing a person by what a user knows of them (issue 14): never a list of the whole trust."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from medlead.accounts.models import Role
from medlead.core.fields import PersonField
from medlead.development.models import Mentor
from medlead.organisation.models import Grade, Person, Trust
from medlead.revalidation.models import Connection
from tests.conftest import client_for
from tests.factories import HoldingFactory, PersonFactory, PostFactory, SpecialtyFactory, make_user, post_type

pytestmark = pytest.mark.django_db


@pytest.fixture
def adamses(trust: Trust) -> list[Person]:
    cardio = SpecialtyFactory(trust=trust, name="Cardiology")
    renal = SpecialtyFactory(trust=trust, name="Renal medicine")
    return [
        PersonFactory(
            trust=trust,
            first_name="Zoe",
            last_name="Adams",
            gmc_number=f"765432{n}",
            staff_number=f"S{n}",
            grade=Grade.CONSULTANT,
            specialty=cardio if n % 2 else renal,
        )
        for n in range(4)
    ]


def field(trust: Trust) -> PersonField:
    return PersonField(queryset=Person.objects.filter(trust=trust))


def test_a_gmc_number_staff_number_or_picked_text_chooses_the_person(trust: Trust, adamses: list[Person]) -> None:
    f = field(trust)
    assert f.clean("7654322") == adamses[2]
    assert f.clean("Dr Zoe Adams (GMC 7654321)") == adamses[1]
    assert f.clean("S3") == adamses[3]
    assert f.clean(str(adamses[0].pk)) == adamses[0]  # what a select would send


def test_a_name_shared_by_four_lists_them_told_apart(trust: Trust, adamses: list[Person]) -> None:
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError) as refused:
        field(trust).clean("Zoe Adams")
    text = refused.value.messages[0]
    assert "More than one person matches 'Zoe Adams'" in text
    assert "Dr Zoe Adams, GMC 7654320, Consultant, Renal medicine" in text
    assert "Dr Zoe Adams, GMC 7654321, Consultant, Cardiology" in text
    assert "Type the GMC or staff number" in text
    with pytest.raises(ValidationError, match="Nobody you can choose here matches 'Nobody Here'"):
        field(trust).clean("Nobody Here")
    with pytest.raises(ValidationError, match="Nobody here has GMC number 1111111"):
        field(trust).clean("1111111")


def test_someone_outside_the_fields_choices_cannot_be_chosen(trust: Trust, adamses: list[Person]) -> None:
    from django.core.exceptions import ValidationError

    only_cardiology = PersonField(queryset=Person.objects.filter(trust=trust, specialty__name="Cardiology"))
    with pytest.raises(ValidationError):
        only_cardiology.clean("7654320")  # renal
    assert only_cardiology.clean("Zoe Adams 7654321") == adamses[1]


def test_suggestions_show_number_grade_specialty_and_posts_in_fixed_queries(
    trust: Trust, adamses: list[Person]
) -> None:
    HoldingFactory(
        post=PostFactory(trust=trust, post_type=post_type("clinical_director"), title="CD Cardiology"),
        person=adamses[1],
    )
    user = make_user((Role.DOCTOR, trust), person=PersonFactory(trust=trust))
    client = client_for(user)
    url = f"/t/{trust.code}/structure/people/pick/?q=zoe+ada&target=id_person"
    page = client.get(url).content.decode()
    assert page.count('class="ml-pick"') == 4
    assert "GMC 7654321, Consultant, Cardiology" in page and "CD Cardiology" in page
    assert 'data-value="Dr Zoe Adams (GMC 7654321)"' in page
    with CaptureQueriesContext(connection) as few:
        client.get(url)
    for n in range(30):
        PersonFactory(trust=trust, first_name="Zoe", last_name=f"Adamson{n}")
    with CaptureQueriesContext(connection) as many:
        client.get(url)
    assert len(many) == len(few)
    assert "@" not in page  # never contact details


def test_the_post_holder_form_no_longer_lists_the_trust(trust: Trust, adamses: list[Person]) -> None:
    for _ in range(40):
        PersonFactory(trust=trust)
    post = PostFactory(trust=trust, post_type=post_type("clinical_director"))
    md = make_user((Role.MEDICAL_DIRECTOR, trust))
    page = client_for(md).get(f"/t/{trust.code}/structure/posts/{post.pk}/holders/new/").content.decode()
    assert page.count("<option") < 10
    assert "Type a name, GMC number or staff number." in page
    response = client_for(md).post(
        f"/t/{trust.code}/structure/posts/{post.pk}/holders/new/", {"person": "Zoe Adams", "start": "2026-04-01"}
    )
    body = response.content.decode()
    assert "More than one person matches" in body and 'value="Zoe Adams"' in body  # what was typed is kept


def test_absurd_input_is_refused_plainly(trust: Trust, adamses: list[Person]) -> None:
    from django.core.exceptions import ValidationError

    for text in ("9" * 30, "'; drop table", "Dr", "(GMC)"):
        with pytest.raises(ValidationError):
            field(trust).clean(text)


def test_the_mentor_register_and_the_appraisers_page_choose_a_doctor_with_the_picker(
    trust: Trust, adamses: list[Person]
) -> None:
    """Issue 31: the two choices that listed everyone (1,501 and 500 options) take a name or a GMC number."""
    for _ in range(40):
        PersonFactory(trust=trust)
    md = make_user((Role.MEDICAL_DIRECTOR, trust))
    page = client_for(md).get(f"/t/{trust.code}/development/mentors/new/").content.decode()
    assert page.count("<option") < 10 and "Type a name, GMC number or staff number." in page
    response = client_for(md).post(
        f"/t/{trust.code}/development/mentors/new/",
        {"person": "GMC 7654322", "kind": "mentor", "areas": "Leading a directorate", "capacity": "2"},
    )
    assert response.status_code == 302
    assert Mentor.objects.get(trust=trust).person == adamses[2]

    for person in adamses:
        Connection.objects.create(
            trust=trust, person=person, connected_on=dt.date(2020, 1, 1), submission_date=dt.date(2028, 1, 1)
        )
    ro = make_user((Role.RESPONSIBLE_OFFICER, trust))
    page = client_for(ro).get(f"/t/{trust.code}/revalidation/appraisers/").content.decode()
    assert page.count("<option") < 10 and "Doctor without an appraiser this year" in page
    # the doctors who revalidate soonest, as a start; the 40 with no connection are not among them
    assert page.count('href="?doctor=') == 4 and f'href="?doctor={adamses[0].pk}"' in page
    page = client_for(ro).get(f"/t/{trust.code}/revalidation/appraisers/?doctor=7654321").content.decode()
    assert f"Suggestions for {adamses[1].display_name}" in page
    page = client_for(ro).get(f"/t/{trust.code}/revalidation/appraisers/?doctor=Zoe+Adams").content.decode()
    assert "More than one person matches" in page and "Suggestions for" not in page
