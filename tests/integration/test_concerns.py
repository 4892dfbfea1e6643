"""Concerns under MHPS: the strictest need-to-know records (issue 15). Expected limits come from MHPS as recorded
in data/mhps.yaml (immediate exclusion at most 2 weeks; formal exclusion at most 4 weeks a period, advice first)."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError

from medlead.accounts.models import Role, User
from medlead.concerns import services
from medlead.concerns.models import Case
from medlead.core.audit import AuditEvent
from medlead.core.dates import today as local_today
from medlead.organisation.models import Grade, Person, Trust
from tests.conftest import client_for
from tests.factories import HoldingFactory, PersonFactory, PostFactory, make_user, pdf_bytes, post_type

pytestmark = pytest.mark.django_db
TODAY = dt.date(2026, 11, 30)
SECRET = "Prescribing concerns raised by pharmacy after two incidents."


@pytest.fixture
def md(trust: Trust) -> User:
    person = PersonFactory(trust=trust, grade=Grade.CONSULTANT, email="md@example.org")
    HoldingFactory(post=PostFactory(trust=trust, post_type=post_type("medical_director")), person=person)
    return make_user((Role.MEDICAL_DIRECTOR, trust), (Role.DOCTOR, trust), person=person)


@pytest.fixture
def consultant(trust: Trust) -> Person:
    return PersonFactory(trust=trust, grade=Grade.CONSULTANT, email="doc@example.org")


def open_case(md: User, consultant: Person) -> Case:
    assert md.person is not None
    return services.case_open(
        actor=md,
        doctor=consultant,
        raised_by="Chief pharmacist",
        raised_on=dt.date(2026, 11, 2),
        categories=["capability"],
        source="incident",
        summary=SECRET,
        case_manager=md.person,
        today=TODAY,
    )


def test_the_medical_director_manages_a_consultants_case(trust: Trust, md: User, consultant: Person) -> None:
    cd = PersonFactory(trust=trust, grade=Grade.CONSULTANT)
    with pytest.raises(ValidationError, match="the medical director is the case manager"):
        services.case_open(
            actor=md,
            doctor=consultant,
            raised_by="x",
            raised_on=TODAY,
            categories=["conduct"],
            source="complaint",
            summary="x",
            case_manager=cd,
            today=TODAY,
        )
    with pytest.raises(ValidationError) as bad:
        services.case_open(
            actor=md,
            doctor=consultant,
            raised_by="x",
            raised_on=TODAY + dt.timedelta(days=1),
            categories=["gossip"],
            source="rumour",
            summary="x",
            case_manager=consultant,
            today=TODAY,
        )
    assert set(bad.value.message_dict) == {"categories", "source", "raised_on", "case_manager"}
    assert not Case.objects.exists()
    doctor_user = make_user((Role.DOCTOR, trust), person=PersonFactory(trust=trust))
    with pytest.raises(PermissionDenied):
        open_case(doctor_user, consultant)


def test_nobody_but_the_people_named_learns_the_case_exists(
    trust: Trust, md: User, consultant: Person, django_capture_on_commit_callbacks
) -> None:
    case = open_case(md, consultant)
    url = f"/t/{trust.code}/concerns/{case.pk}/"
    assert client_for(md).get(url).status_code == 200
    others = [
        make_user((Role.RESPONSIBLE_OFFICER, trust), person=PersonFactory(trust=trust)),
        make_user((Role.CLINICAL_DIRECTOR, trust), (Role.DOCTOR, trust), person=PersonFactory(trust=trust)),
        make_user((Role.DOCTOR, trust), person=consultant),  # the doctor concerned
        make_user((Role.GUARDIAN, trust), person=PersonFactory(trust=trust)),
        make_user((Role.MEDICAL_STAFFING, trust)),
        make_user((Role.NON_EXECUTIVE, trust)),
        make_user((Role.SYSTEM_ADMIN, None)),
    ]
    superuser = User.objects.create_superuser("root", "root@example.org", "x")
    for user in [*others, superuser]:
        client = client_for(user)
        assert client.get(url).status_code == 404, user.username
        assert client.post(f"{url}close/").status_code == 404, user.username
        assert client.get(f"{url}audit/").status_code == 404, user.username
        assert client.get(f"{url}evidence/1/").status_code == 404, user.username
        assert SECRET not in client.get(f"/t/{trust.code}/concerns/").content.decode()
    # naming the HR lead lets them in, and tells them only that they have a task
    hr = PersonFactory(trust=trust, email="hr@example.org")
    with django_capture_on_commit_callbacks(execute=True):
        services.role_appoint(actor=md, case=case, person=hr, role="hr_lead", today=TODAY)
    message = mail.outbox[-1]
    assert message.to == ["hr@example.org"] and "task on a case" in message.body
    assert consultant.last_name not in message.body and SECRET not in message.body
    assert client_for(make_user((Role.MEDICAL_STAFFING, trust), person=hr)).get(url).status_code == 200
    with pytest.raises(ValidationError, match="cannot hold a role on their own case"):
        services.role_appoint(actor=md, case=case, person=consultant, role="case_investigator", today=TODAY)


def test_every_read_is_audited_and_the_trail_never_copies_the_content(
    trust: Trust, md: User, consultant: Person
) -> None:
    case = open_case(md, consultant)
    client_for(md).get(f"/t/{trust.code}/concerns/{case.pk}/")
    client_for(md).get(f"/t/{trust.code}/concerns/{case.pk}/")
    reads = AuditEvent.objects.filter(model="concerns.case", object_pk=str(case.pk), action="read")
    assert reads.count() == 2
    for event in AuditEvent.objects.all():
        text = f"{event.changes} {event.object_repr} {event.note}"
        assert SECRET not in text and "Chief pharmacist" not in text and consultant.last_name not in text


def test_exclusions_keep_to_mhps_limits(trust: Trust, md: User, consultant: Person) -> None:
    case = open_case(md, consultant)
    start = dt.date(2026, 11, 3)
    with pytest.raises(ValidationError, match="at most 14 days"):
        services.measure_add(actor=md, case=case, kind="immediate", starts_on=start, review_by=start + dt.timedelta(15))
    services.measure_add(actor=md, case=case, kind="immediate", starts_on=start, review_by=start + dt.timedelta(14))
    formal = start + dt.timedelta(14)
    with pytest.raises(ValidationError, match="Consult Practitioner Performance Advice before a formal exclusion"):
        services.measure_add(actor=md, case=case, kind="formal", starts_on=formal, review_by=formal + dt.timedelta(28))
    services.advice_add(actor=md, case=case, contacted_on=formal, adviser="PPA adviser", summary="x", today=TODAY)
    with pytest.raises(ValidationError, match="at most 28 days"):
        services.measure_add(actor=md, case=case, kind="formal", starts_on=formal, review_by=formal + dt.timedelta(29))
    services.measure_add(actor=md, case=case, kind="formal", starts_on=formal, review_by=formal + dt.timedelta(28))
    with pytest.raises(ValidationError, match="The review must fall after the start"):
        services.measure_add(actor=md, case=case, kind="restriction", starts_on=formal, review_by=formal)


def test_after_three_formal_periods_advice_is_sought_again(trust: Trust, md: User, consultant: Person) -> None:
    case = open_case(md, consultant)
    start = dt.date(2026, 11, 3)
    services.advice_add(actor=md, case=case, contacted_on=start, adviser="PPA", summary="x", today=TODAY)
    for n in range(3):
        s = start + dt.timedelta(28 * n)
        services.measure_add(actor=md, case=case, kind="formal", starts_on=s, review_by=s + dt.timedelta(28))
    fourth = start + dt.timedelta(84)
    with pytest.raises(ValidationError, match="passed 3 periods"):
        services.measure_add(actor=md, case=case, kind="formal", starts_on=fourth, review_by=fourth + dt.timedelta(28))


def test_a_missed_review_is_said_plainly_and_the_case_cannot_close_around_it(
    trust: Trust, md: User, consultant: Person
) -> None:
    case = open_case(md, consultant)
    start = dt.date(2026, 11, 3)
    services.measure_add(actor=md, case=case, kind="immediate", starts_on=start, review_by=start + dt.timedelta(7))
    page = client_for(md).get(f"/t/{trust.code}/concerns/{case.pk}/").content.decode()
    assert "A review was missed" in page and "right to return to work" in page
    listing = client_for(md).get(f"/t/{trust.code}/concerns/").content.decode()
    assert "Review missed" in listing
    services.decide(
        actor=md, case=case, decision="informal", reasons="Agreed supervision.", decided_on=TODAY, today=TODAY
    )
    with pytest.raises(ValidationError, match="Review or lift every exclusion"):
        services.close(actor=md, case=case, closed_on=TODAY, today=TODAY)
    measure = case.measures.get()
    services.measure_review(actor=md, measure=measure, reviewed_on=TODAY, outcome="lifted", today=TODAY)
    services.close(actor=md, case=case, closed_on=TODAY, today=TODAY)
    assert Case.objects.get(pk=case.pk).status == "closed"


def test_recording_a_concern_through_the_page(trust: Trust, md: User, consultant: Person) -> None:
    client = client_for(md)
    assert md.person is not None
    response = client.post(
        f"/t/{trust.code}/concerns/new/",
        {
            "doctor": consultant.gmc_number,
            "raised_by": "Clinical lead",
            "raised_on[day]": "2",
            "raised_on[month]": "11",
            "raised_on[year]": "2026",
            "categories": ["conduct", "health"],
            "source": "colleague",
            "summary": "A concern.",
            "case_manager": md.person.gmc_number,
        },
    )
    assert response.status_code == 302
    case = Case.objects.get()
    assert case.categories == ["conduct", "health"]
    page = client.get(response["Location"]).content.decode()
    assert "Conduct, Health" in page and "Case manager" in page


def test_reviews_due_reach_the_home_page_and_the_ro_learns_only_that_a_concern_is_open(
    trust: Trust, md: User, consultant: Person
) -> None:
    from medlead.home.presenters import work_for
    from medlead.revalidation.models import Connection
    from medlead.revalidation.services import recommendation_notes

    # The home page judges reviews by the real date, so this test's dates are counted from it, not from TODAY.
    now = local_today()
    case = open_case(md, consultant)
    start = now - dt.timedelta(days=10)
    services.measure_add(actor=md, case=case, kind="immediate", starts_on=start, review_by=now + dt.timedelta(3))
    texts = {t.words: t.count for t in work_for(md, trust, today=now)}
    assert texts.get("case review due within a week") == 1
    page = client_for(md).get(f"/t/{trust.code}/").content.decode()
    assert "1 case review due within a week" in page and 'href="/t/' + trust.code + '/concerns/"' in page
    connection = Connection.objects.create(
        trust=trust, person=consultant, connected_on=dt.date(2020, 1, 1), submission_date=now + dt.timedelta(60)
    )
    notes = recommendation_notes(connection=connection, kind="revalidate", defer_to=None, criteria=[], today=now)
    assert any(n.text == "There are open concerns about this doctor." for n in notes)
    assert all(SECRET not in n.text for n in notes)


def test_investigation_from_terms_of_reference_to_outcome(trust: Trust, md: User, consultant: Person) -> None:
    case = open_case(md, consultant)
    with pytest.raises(ValidationError, match="Name a case investigator"):
        services.investigation_start(
            actor=md, case=case, terms_of_reference="x", started_on=dt.date(2026, 11, 5), today=TODAY
        )
    investigator = PersonFactory(trust=trust)
    services.role_appoint(actor=md, case=case, person=investigator, role="case_investigator", today=TODAY)
    inv = services.investigation_start(
        actor=md, case=case, terms_of_reference="Review prescribing.", started_on=dt.date(2026, 11, 5), today=TODAY
    )
    # 4 weeks and 5 days from the case investigator's appointment on 30 November (data/mhps.yaml, for the trust to
    # confirm): 28 December, then 2 January 2027 (tests/integration/test_mhps_rules.py has the whole timetable)
    assert inv.report_due == dt.date(2027, 1, 2)
    with pytest.raises(ValidationError, match="report before its outcome"):
        services.investigation_update(actor=md, case=case, data={"outcome": "informal"}, today=TODAY)
    services.investigation_update(
        actor=md,
        case=case,
        data={"report": "Two errors, both reported.", "report_received_on": TODAY, "outcome": "informal"},
        today=TODAY,
    )
    page = client_for(md).get(f"/t/{trust.code}/concerns/{case.pk}/").content.decode()
    assert "Informal action" in page and "Review prescribing." in page


def test_health_information_is_a_further_partition(trust: Trust, md: User, consultant: Person) -> None:
    from django.core.files.uploadedfile import SimpleUploadedFile

    case = open_case(md, consultant)
    hr = PersonFactory(trust=trust)
    role = services.role_appoint(actor=md, case=case, person=hr, role="hr_lead", today=TODAY)
    pdf = SimpleUploadedFile("oh-report.pdf", pdf_bytes())
    item = services.evidence_add(
        actor=md,
        case=case,
        kind="document",
        on=TODAY,
        description="Occupational health report.",
        file=pdf,
        health=True,
    )
    hr_client = client_for(make_user((Role.MEDICAL_STAFFING, trust), person=hr))
    url = f"/t/{trust.code}/concerns/{case.pk}/"
    assert "Occupational health report." not in hr_client.get(url).content.decode()
    assert hr_client.get(f"{url}evidence/{item.pk}/").status_code == 404
    services.health_access_set(actor=md, role=role, allowed=True)
    assert "Occupational health report." in hr_client.get(url).content.decode()
    assert hr_client.get(f"{url}evidence/{item.pk}/").status_code == 200


def test_the_board_sees_counts_with_small_numbers_suppressed(trust: Trust, md: User, consultant: Person) -> None:
    from medlead.concerns.selectors import board_counts

    open_case(md, consultant)
    counts = board_counts(trust=trust, today=TODAY)
    assert counts["open"] == 1
    assert counts["by_category"]["Capability (clinical performance)"] is None  # one case: hidden


def test_the_case_audit_is_for_the_case_manager_and_auditor_and_conflicts_are_refused(
    trust: Trust, md: User, consultant: Person
) -> None:
    from medlead.revalidation.models import ConflictOfInterest

    case = open_case(md, consultant)
    friend = PersonFactory(trust=trust)
    ConflictOfInterest.objects.create(trust=trust, appraiser=consultant, doctor=friend, reason="Close friends")
    with pytest.raises(ValidationError, match="declared conflict of interest"):
        services.role_appoint(actor=md, case=case, person=friend, role="case_investigator", today=TODAY)
    investigator = PersonFactory(trust=trust)
    auditor = PersonFactory(trust=trust)
    services.role_appoint(actor=md, case=case, person=investigator, role="case_investigator", today=TODAY)
    services.role_appoint(actor=md, case=case, person=auditor, role="auditor", today=TODAY)
    url = f"/t/{trust.code}/concerns/{case.pk}/audit/"
    client_for(md).get(f"/t/{trust.code}/concerns/{case.pk}/")
    page = client_for(md).get(url).content.decode()
    assert "case read" in page and SECRET not in page
    assert client_for(make_user((Role.DOCTOR, trust), person=auditor)).get(url).status_code == 200
    assert client_for(make_user((Role.DOCTOR, trust), person=investigator)).get(url).status_code == 404


def test_case_content_never_enters_the_django_admin() -> None:
    from django.contrib import admin

    from medlead.concerns import models

    for model in (
        models.Case,
        models.CaseRole,
        models.AdviceContact,
        models.Measure,
        models.Investigation,
        models.Evidence,
    ):
        assert not admin.site.is_registered(model), model


def test_the_home_page_counts_reviews_missed_and_due_within_the_alert_on_the_cases_one_manages(
    trust: Trust, md: User
) -> None:
    from medlead.concerns.models import Measure
    from medlead.home.presenters import work_for

    # review by, done on: counted as (hand-written, MHPS's alert a week before a review, national default)
    table = [
        (TODAY - dt.timedelta(days=1), None, "missed"),
        (TODAY - dt.timedelta(days=30), None, "missed"),
        (TODAY, None, "soon"),
        (TODAY + dt.timedelta(days=7), None, "soon"),
        (TODAY + dt.timedelta(days=8), None, "neither"),
        (TODAY - dt.timedelta(days=5), TODAY - dt.timedelta(days=6), "neither"),  # reviewed
    ]
    for review_by, reviewed_on, _ in table:
        case = open_case(md, PersonFactory(trust=trust, grade=Grade.CONSULTANT))
        Measure.objects.create(
            trust=trust,
            case=case,
            kind="immediate",
            starts_on=review_by - dt.timedelta(days=10),
            review_by=review_by,
            reviewed_on=reviewed_on,
        )
    # a case someone else manages is not the medical director's to review
    other = make_user((Role.MEDICAL_DIRECTOR, trust), person=PersonFactory(trust=trust))
    theirs = open_case(other, PersonFactory(trust=trust, grade=Grade.SPECIALTY_DOCTOR))
    Measure.objects.create(trust=trust, case=theirs, kind="immediate", starts_on=TODAY, review_by=TODAY)
    tasks = {t.text: t.count for t in work_for(md, trust, today=TODAY)}
    assert tasks.get("case reviews missed") == sum(1 for *_, kind in table if kind == "missed")
    assert tasks.get("case reviews due within a week") == sum(1 for *_, kind in table if kind == "soon")


def test_the_reviews_due_soon_list_uses_the_alert_the_trust_confirmed_as_the_home_page_does(
    trust: Trust, md: User
) -> None:
    from medlead.concerns.models import Measure
    from medlead.home.presenters import work_for
    from medlead.rulebook.services import confirm

    now = local_today()  # the list judges reviews by the real date
    confirm(
        actor=md,
        trust=trust,
        file="mhps.yaml",
        key="alert_days_before_review",
        value=14,
        applies_from=dt.date(2026, 1, 1),
        document_title="Managing concerns about doctors: local policy",
        document_date=dt.date(2025, 12, 1),
    )
    cases = [open_case(md, PersonFactory(trust=trust, grade=Grade.CONSULTANT)) for _ in range(2)]
    for case, days in zip(cases, (10, 12), strict=True):  # beyond the national week, within the trust's 14 days
        Measure.objects.create(
            trust=trust, case=case, kind="immediate", starts_on=now, review_by=now + dt.timedelta(days=days)
        )
    tasks = {t.text: t.count for t in work_for(md, trust, today=now)}
    assert tasks.get("case reviews due within 14 days") == 2
    page = client_for(md).get(f"/t/{trust.code}/concerns/waiting/?show=soon").content.decode()
    assert "Case reviews due within 14 days" in page
    assert all(f"Case {case.pk}<" in page or f"Case {case.pk} " in page for case in cases), page


def test_an_overdue_investigation_report_reaches_the_case_manager(trust: Trust, md: User, consultant: Person) -> None:
    from medlead.home.presenters import work_for

    case = open_case(md, consultant)
    services.role_appoint(actor=md, case=case, person=PersonFactory(trust=trust), role="case_investigator", today=TODAY)
    services.investigation_start(
        actor=md, case=case, terms_of_reference="x", started_on=dt.date(2026, 10, 1) + dt.timedelta(35), today=TODAY
    )
    assert not any(t.text == "investigation reports overdue" for t in work_for(md, trust, today=TODAY))
    later = TODAY + dt.timedelta(days=40)
    tasks = {t.words: t for t in work_for(md, trust, today=later)}
    assert tasks["investigation report overdue"].urgent
    page = client_for(md).get(f"/t/{trust.code}/concerns/").content.decode()
    assert "Investigation reports due" in page


def test_the_case_manager_hands_a_consultants_case_to_a_new_medical_director(
    trust: Trust, md: User, consultant: Person
) -> None:
    case = open_case(md, consultant)
    deputy = PersonFactory(trust=trust, grade=Grade.CONSULTANT)
    with pytest.raises(ValidationError, match="the medical director is the case manager"):
        services.case_manager_hand_over(actor=md, case=case, person=deputy, today=TODAY)
    new_md = PersonFactory(trust=trust, grade=Grade.CONSULTANT)
    HoldingFactory(post=PostFactory(trust=trust, post_type=post_type("medical_director")), person=new_md)
    url = f"/t/{trust.code}/concerns/{case.pk}/"
    response = client_for(md).post(f"{url}hand-over/confirm/", {"person": new_md.gmc_number})
    assert response.status_code == 302
    assert client_for(md).get(url).status_code == 404  # the old case manager no longer sees it
    assert client_for(make_user((Role.MEDICAL_DIRECTOR, trust), person=new_md)).get(url).status_code == 200
