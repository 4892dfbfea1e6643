"""Appraisal on Good medical practice 2024 (issue 33, item 3; ADR 0028): an appraisal judged on or after 30 January
2024 is organised by the four domains, one judged before keeps the undivided layout; supporting information is filed
under its type's usual domain unless the doctor chooses another; the page and the PDF show the domains; bad input
is a form error or a 404; the appraisal's content stays the doctor's and the appraiser's."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from medlead.accounts.models import Role, User
from medlead.core.policy import Forbidden
from medlead.organisation.models import Grade, Person, Trust
from medlead.revalidation import selectors, services
from medlead.revalidation.models import Appraisal, AppraisalStatus, SupportingInfo
from medlead.rulebook.models import ValueConfirmation
from tests.conftest import client_for
from tests.factories import PersonFactory, make_user
from tests.pdf_text import pdf_text

pytestmark = pytest.mark.django_db

# Good medical practice 2024's four domains, as the GMC names them (gmc-uk.org, "The duties of medical professionals
# registered with the GMC"), in order.
DOMAINS_2024 = [
    "Knowledge, skills and development",
    "Patients, partnership and communication",
    "Colleagues, culture and safety",
    "Trust and professionalism",
]
# Each type of supporting information's usual domain (data/good_medical_practice.yaml, medlead's proposal), by hand.
USUAL_DOMAIN = {
    "cpd": "Knowledge, skills and development",
    "qi": "Knowledge, skills and development",
    "significant_events": "Colleagues, culture and safety",
    "colleague_feedback": "Colleagues, culture and safety",
    "patient_feedback": "Patients, partnership and communication",
    "complaints": "Trust and professionalism",
}
CODE = {
    "Knowledge, skills and development": "knowledge",
    "Patients, partnership and communication": "patients",
    "Colleagues, culture and safety": "colleagues",
    "Trust and professionalism": "trust",
}
BAD = ["abc", "NaN", "1e999999", "-1", "99999999999999999999", ""]


@pytest.fixture
def doctor(trust: Trust) -> Person:
    return PersonFactory(trust=trust, grade=Grade.CONSULTANT, gmc_number="1234567")


@pytest.fixture
def appraiser(trust: Trust) -> Person:
    return PersonFactory(trust=trust, grade=Grade.CONSULTANT)


def _appraisal(trust: Trust, doctor: Person, appraiser: Person, meeting: dt.date | None, year: int = 2023) -> Appraisal:
    return Appraisal.objects.create(
        trust=trust,
        person=doctor,
        appraiser=appraiser,
        year=year,
        meeting_date=meeting,
        status=AppraisalStatus.BOOKED if meeting else AppraisalStatus.NOT_STARTED,
    )


def _own(trust: Trust, person: Person) -> Any:
    return client_for(make_user((Role.DOCTOR, trust), person=person))


@pytest.mark.parametrize(
    ("year", "meeting", "by_domain", "edition"),
    [
        # (appraisal year, meeting date, organised by the 2024 domains?, the edition the page names): by hand
        (2023, dt.date(2024, 1, 29), False, "Good medical practice (2013)"),
        (2023, dt.date(2024, 1, 30), True, "Good medical practice 2024"),
        (2023, None, True, "Good medical practice 2024"),  # not booked: judged on its year's last day, 31 March 2024
        (2022, None, False, "Good medical practice (2013)"),  # judged on 31 March 2023
        (2012, None, False, ""),  # before Good medical practice (2013) came into effect on 22 April 2013
    ],
)
def test_the_30_january_2024_boundary_decides_the_layout(
    trust: Trust,
    doctor: Person,
    appraiser: Person,
    year: int,
    meeting: dt.date | None,
    by_domain: bool,
    edition: str,
) -> None:
    a = _appraisal(trust, doctor, appraiser, meeting, year)
    found = selectors.appraisal_edition(a)
    assert (found.by_domain, found.title) == (by_domain, edition)
    assert [name for _, name in found.domains] == (DOMAINS_2024 if by_domain else [])
    page = _own(trust, doctor).get(f"/t/{trust.code}/appraisals/{a.pk}/").content.decode()
    for name in DOMAINS_2024:
        assert (f"Your practice against Good medical practice: {name}" in page) is by_domain, name
    if edition:
        assert f"Held under {edition}" in page
    if not by_domain and edition:
        assert "keeps the layout it was written in" in page


def test_supporting_information_is_filed_under_its_types_usual_domain_and_the_doctor_may_move_it(
    trust: Trust, doctor: Person, appraiser: Person
) -> None:
    a = _appraisal(trust, doctor, appraiser, dt.date(2024, 1, 30))
    client = _own(trust, doctor)
    url = f"/t/{trust.code}/appraisals/{a.pk}/"
    for kind in USUAL_DOMAIN:
        assert client.post(url + "supporting-information/", {"kind": kind, "title": f"{kind} item"}).status_code == 302
    filed = {si.kind: si.domain for si in a.supporting_info.all()}
    assert filed == {kind: CODE[name] for kind, name in USUAL_DOMAIN.items()}
    # the doctor chooses another domain when adding, or moves an item later
    client.post(url + "supporting-information/", {"kind": "cpd", "title": "Ethics course", "domain": "trust"})
    assert a.supporting_info.get(title="Ethics course").domain == "trust"
    item = a.supporting_info.get(kind="complaints")
    response = client.post(url + "supporting-information/domain/", {"item": item.pk, "domain": "patients"})
    assert response.status_code == 302
    item.refresh_from_db()
    assert item.domain == "patients"
    page = client.get(url).content.decode()
    for name in DOMAINS_2024:
        assert f"<h3>{name}</h3>" in page


def test_the_day_before_nothing_is_filed_under_a_domain(trust: Trust, doctor: Person, appraiser: Person) -> None:
    a = _appraisal(trust, doctor, appraiser, dt.date(2024, 1, 29))
    client = _own(trust, doctor)
    url = f"/t/{trust.code}/appraisals/{a.pk}/"
    client.post(url + "supporting-information/", {"kind": "cpd", "title": "Course", "domain": "trust"})
    assert a.supporting_info.get().domain == ""
    assert client.post(url + "supporting-information/domain/", {"item": 1, "domain": "trust"}).status_code == 403


def _confirm(trust: Trust, key: str, value: str, by: User) -> None:
    ValueConfirmation.objects.create(
        trust=trust,
        file="good_medical_practice.yaml",
        key=f"domain_of_supporting_information.{key}",
        value=value,
        national_value="colleagues",
        applies_from=dt.date(2024, 1, 30),
        confirmed_by=by,
        document_title="Appraisal policy",
        document_date=dt.date(2024, 1, 1),
    )


def test_the_trusts_own_filing_is_the_default_where_it_names_a_domain(
    trust: Trust, doctor: Person, appraiser: Person
) -> None:
    ro = make_user((Role.RESPONSIBLE_OFFICER, trust))
    _confirm(trust, "significant_events", "trust", ro)
    _confirm(trust, "colleague_feedback", "not a domain", ro)
    day = dt.date(2024, 2, 1)
    filed = selectors.si_domains(trust, day)
    assert filed["significant_events"] == "trust"  # the trust's choice
    assert filed["colleague_feedback"] == "colleagues"  # not a domain's code: the national proposal stands
    assert selectors.si_domains(trust, dt.date(2024, 1, 29)) == {}


def test_the_inputs_and_summary_are_written_under_each_domain(trust: Trust, doctor: Person, appraiser: Person) -> None:
    a = _appraisal(trust, doctor, appraiser, dt.date(2025, 6, 2), year=2025)
    url = f"/t/{trust.code}/appraisals/{a.pk}/"
    own = _own(trust, doctor)
    reflections = {"reflection_knowledge": "Kept up to date", "reflection_trust": "Declared interests"}
    assert (
        own.post(url + "inputs/", reflections | {"probity_declared": "on", "health_declared": "on"}).status_code == 302
    )
    a.refresh_from_db()
    assert a.domain_reflections == {"knowledge": "Kept up to date", "trust": "Declared interests"}
    by_appraiser = _own(trust, appraiser)
    half = {"summary_knowledge": "Good CPD", "summary_patients": "Strong feedback", "new_pdp": "Leadership course"}
    response = by_appraiser.post(url + "outputs/", half | {"statements_confirmed": "on", "sign_off": "on"})
    page = response.content.decode()
    assert response.status_code == 200 and "the summary under Colleagues, culture and safety" in page
    every = half | {"summary_colleagues": "Led the rota review", "summary_trust": "No concerns"}
    assert (
        by_appraiser.post(url + "outputs/", every | {"statements_confirmed": "on", "sign_off": "on"}).status_code == 302
    )
    a.refresh_from_db()
    assert a.status == AppraisalStatus.SIGNED_OFF and a.signed_off_on is not None
    assert a.domain_summaries == {
        "knowledge": "Good CPD",
        "patients": "Strong feedback",
        "colleagues": "Led the rota review",
        "trust": "No concerns",
    }


def test_the_pdf_shows_the_domains_and_names_trust_person_period_and_who_signed(
    trust: Trust, doctor: Person, appraiser: Person, django_assert_max_num_queries: Any
) -> None:
    a = _appraisal(trust, doctor, appraiser, dt.date(2024, 6, 3), year=2024)
    Appraisal.objects.filter(pk=a.pk).update(
        status=AppraisalStatus.SIGNED_OFF,
        signed_off_on=dt.date(2024, 6, 10),
        domain_summaries={
            "knowledge": "Good CPD",
            "patients": "Strong feedback",
            "colleagues": "Kind",
            "trust": "Fine",
        },
        domain_reflections={"knowledge": "My private reflection"},
        new_pdp="Leadership course",
    )
    SupportingInfo.objects.create(trust=trust, appraisal=a, kind="cpd", title="Secret course title", domain="knowledge")
    ro = client_for(make_user((Role.RESPONSIBLE_OFFICER, trust)))
    with django_assert_max_num_queries(25):
        response = ro.get(f"/t/{trust.code}/appraisals/{a.pk}/pdf/")
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    text = pdf_text(response.content)
    for said in [
        trust.name,
        doctor.display_name,
        "GMC number 1234567",
        "1 April 2024 to 31 March 2025",
        appraiser.display_name,
        "Good medical practice 2024",
        *DOMAINS_2024,
        "Good CPD",
        "Strong feedback",
        "Leadership course",
        "Continuing professional development 1",
        "Agreement and sign-off",
        "10 June 2024",
    ]:
        assert said in text, said
    # the outputs leave the building, the inputs do not
    assert "My private reflection" not in text and "Secret course title" not in text


def test_an_earlier_appraisals_pdf_keeps_the_undivided_summary(trust: Trust, doctor: Person, appraiser: Person) -> None:
    a = _appraisal(trust, doctor, appraiser, dt.date(2024, 1, 29))
    Appraisal.objects.filter(pk=a.pk).update(summary="An undivided summary")
    text = pdf_text(_own(trust, doctor).get(f"/t/{trust.code}/appraisals/{a.pk}/pdf/").content)
    assert "An undivided summary" in text and "Good medical practice (2013)" in text
    assert "Not signed off: a draft".lower() in text.lower()
    for name in DOMAINS_2024:
        assert name not in text


def test_bad_input_is_a_form_error_or_not_found_and_changes_nothing(
    trust: Trust, doctor: Person, appraiser: Person
) -> None:
    a = _appraisal(trust, doctor, appraiser, dt.date(2024, 3, 1))
    item = SupportingInfo.objects.create(trust=trust, appraisal=a, kind="cpd", title="Course", domain="knowledge")
    other = _appraisal(trust, PersonFactory(trust=trust), appraiser, dt.date(2024, 3, 1))
    elsewhere = SupportingInfo.objects.create(
        trust=trust, appraisal=other, kind="cpd", title="Theirs", domain="knowledge"
    )
    own = _own(trust, doctor)
    url = f"/t/{trust.code}/appraisals/{a.pk}/"
    for value in BAD:
        response = own.post(url + "supporting-information/domain/", {"item": item.pk, "domain": value})
        assert response.status_code == 200 and b"nhsuk-error-summary" in response.content, value
        response = own.post(url + "supporting-information/domain/", {"item": value, "domain": "trust"})
        assert response.status_code == 200 and b"nhsuk-error-summary" in response.content, value
        response = own.post(url + "supporting-information/", {"kind": "cpd", "title": "t", "domain": value or "x"})
        assert response.status_code == 200 and b"nhsuk-error-summary" in response.content, value
    # another appraisal's item is not this appraisal's to move: not found, as if it did not exist
    assert (
        own.post(url + "supporting-information/domain/", {"item": elsewhere.pk, "domain": "trust"}).status_code == 404
    )
    item.refresh_from_db()
    elsewhere.refresh_from_db()
    assert (item.domain, elsewhere.domain, a.supporting_info.count()) == ("knowledge", "knowledge", 1)


def test_the_content_stays_the_doctors_and_the_appraisers(trust: Trust, doctor: Person, appraiser: Person) -> None:
    a = _appraisal(trust, doctor, appraiser, dt.date(2024, 3, 1))
    Appraisal.objects.filter(pk=a.pk).update(
        domain_reflections={"knowledge": "My private reflection"}, domain_summaries={"knowledge": "Agreed summary"}
    )
    SupportingInfo.objects.create(trust=trust, appraisal=a, kind="cpd", title="Secret course title", domain="knowledge")
    url = f"/t/{trust.code}/appraisals/{a.pk}/"
    ro = client_for(make_user((Role.RESPONSIBLE_OFFICER, trust)))
    page = ro.get(url).content.decode()
    assert "Agreed summary" in page and "My private reflection" not in page and "Secret course title" not in page
    clients = {who.pk: _own(trust, who) for who in (doctor, appraiser)}
    for client in clients.values():
        seen = client.get(url).content.decode()
        assert "My private reflection" in seen and "Secret course title" in seen
    stranger = _own(trust, PersonFactory(trust=trust))
    assert stranger.get(url).status_code == 404 and stranger.get(url + "pdf/").status_code == 404
    # only the doctor files their supporting information
    item = a.supporting_info.get()
    moved = clients[appraiser.pk].post(url + "supporting-information/domain/", {"item": item.pk, "domain": "trust"})
    assert moved.status_code == 403
    with pytest.raises(Forbidden):
        services.supporting_info_domain(actor=make_user((Role.RESPONSIBLE_OFFICER, trust)), item=item, domain="trust")
    item.refresh_from_db()
    assert item.domain == "knowledge"
