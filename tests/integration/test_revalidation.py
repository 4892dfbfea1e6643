"""Appraisal and revalidation in the app: connections, allocation, confidentiality, recommendations, reports."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError

from medlead.accounts.models import Role
from medlead.core import dates
from medlead.core.actors import SystemActor
from medlead.core.audit import AuditEvent
from medlead.organisation.models import Grade, Person, Trust
from medlead.revalidation import services
from medlead.revalidation.models import Appraisal, Appraiser, Concern, ConflictOfInterest, Connection, Recommendation
from medlead.revalidation.tasks import send_appraisal_reminders
from tests.conftest import client_for
from tests.factories import PersonFactory, make_user

# The system, acting for the tests where no person does (set-up, workers).
SYSTEM = SystemActor("test set-up")

pytestmark = pytest.mark.django_db
TODAY = dt.date(2026, 11, 22)


@pytest.fixture
def doctor(trust: Trust) -> Person:
    return PersonFactory(trust=trust, grade=Grade.CONSULTANT, gmc_number="1234567", email="doc@example.org")


@pytest.fixture
def connection(trust: Trust, doctor: Person) -> Connection:
    return Connection.objects.create(
        trust=trust, person=doctor, connected_on=dt.date(2020, 1, 1), submission_date=dt.date(2027, 1, 15)
    )


def test_connection_import_all_or_nothing(trust: Trust, doctor: Person) -> None:
    bad = b"gmc_number,submission_date\n1234567,31/01/2027\n7654321,2027-02-01\n12345,soon\n"
    count, errors = services.connections_import(actor=SYSTEM, trust=trust, filename="c.csv", content=bad, today=TODAY)
    assert count == 0 and not Connection.objects.exists()
    assert errors == [
        "row 3, column 'gmc_number': no doctor with GMC number 7654321 in this trust",
        "row 4, column 'gmc_number': '12345' is not a 7-digit GMC number",
        "row 4, column 'submission_date': 'soon' is not a date like 2027-03-31 or 31/03/2027",
    ]
    count, errors = services.connections_import(
        actor=SYSTEM,
        trust=trust,
        filename="c.csv",
        content=b"gmc_number,submission_date\n1234567,31/01/2027\n",
        today=TODAY,
    )
    assert (count, errors) == (1, [])
    assert Connection.objects.get().submission_date == dt.date(2027, 1, 31)


def test_revalidate_moves_the_date_five_years_and_is_audited(trust: Trust, connection: Connection) -> None:
    ro = make_user((Role.RESPONSIBLE_OFFICER, trust))
    for year in range(2021, 2026):  # the cycle began in appraisal year 2021/22
        a = Appraisal.objects.create(trust=trust, person=connection.person, year=year, status="signed_off")
        for kind in ("cpd", "qi", "significant_events", "complaints"):
            a.supporting_info.create(trust=trust, kind=kind, title=kind)
    Appraisal.objects.filter(year=2022).get().supporting_info.create(
        trust=trust, kind="colleague_feedback", title="360"
    )
    Appraisal.objects.filter(year=2023).get().supporting_info.create(
        trust=trust, kind="patient_feedback", title="Survey"
    )
    response = client_for(ro).post(
        f"/t/{trust.code}/revalidation/doctors/{connection.person_id}/recommend/",
        {"kind": "revalidate", "evidence": "Complete appraisals and feedback."},
    )
    assert response.status_code == 302, response.content.decode()[:3000]
    connection.refresh_from_db()
    assert connection.submission_date == dt.date(2032, 1, 15)
    rec = Recommendation.objects.get()
    assert rec.due_date == dt.date(2027, 1, 15) and rec.made_by == ro
    assert AuditEvent.objects.filter(model="revalidation.recommendation", action="create").exists()


def test_gaps_are_warnings_that_must_be_acknowledged(trust: Trust, connection: Connection) -> None:
    ro = make_user((Role.RESPONSIBLE_OFFICER, trust))
    client = client_for(ro)
    url = f"/t/{trust.code}/revalidation/doctors/{connection.person_id}/recommend/"
    page = client.post(url + "check/", {"kind": "revalidate", "evidence": "x"}).content.decode()
    assert "Confirm that you have weighed the warnings" in page
    assert "Feedback from colleagues: none in this revalidation cycle" in page
    assert not Recommendation.objects.exists()
    assert client.post(url, {"kind": "revalidate", "evidence": "x", "acknowledged": "on"}).status_code == 302


# S37, hand-written: the five conditions for a deferral, each to be confirmed
DEFERRAL_CONDITIONS = [
    "engaging",
    "not_yet_possible",
    "legitimate_reason",
    "outstanding_identified",
    "period_sufficient",
]


def test_a_deferral_needs_all_five_conditions_confirmed(trust: Trust, connection: Connection) -> None:
    for missing in DEFERRAL_CONDITIONS:
        with pytest.raises(ValidationError, match="Every condition for a deferral must be confirmed; 1 is not"):
            services.recommend(
                actor=SYSTEM,
                connection=connection,
                kind="defer",
                evidence="x",
                today=TODAY,
                defer_to=dt.date(2027, 9, 15),
                defer_reason="leave",
                criteria=[c for c in DEFERRAL_CONDITIONS if c != missing],
                acknowledged=True,
            )
    rec = services.recommend(
        actor=SYSTEM,
        connection=connection,
        kind="defer",
        evidence="x",
        today=TODAY,
        defer_to=dt.date(2027, 9, 15),
        defer_reason="leave",
        criteria=DEFERRAL_CONDITIONS,
        acknowledged=True,
    )
    assert sorted(rec.criteria_confirmed) == sorted(DEFERRAL_CONDITIONS)


def test_deferral_needs_reason_and_later_date_and_warns_over_12_months(trust: Trust, connection: Connection) -> None:
    with pytest.raises(ValidationError, match="reason"):
        services.recommend(
            actor=SYSTEM, connection=connection, kind="defer", evidence="x", today=TODAY, defer_to=dt.date(2027, 6, 1)
        )
    with pytest.raises(ValidationError, match="after the current one"):
        services.recommend(
            actor=SYSTEM,
            connection=connection,
            kind="defer",
            evidence="x",
            today=TODAY,
            defer_to=dt.date(2026, 12, 1),
            defer_reason="leave",
        )
    services.recommend(
        actor=SYSTEM,
        connection=connection,
        kind="defer",
        evidence="On maternity leave",
        today=TODAY,
        defer_to=dt.date(2027, 9, 15),
        defer_reason="leave",
        criteria=DEFERRAL_CONDITIONS,
        acknowledged=True,
    )
    connection.refresh_from_db()
    assert connection.submission_date == dt.date(2027, 9, 15)
    notes = services.recommendation_notes(
        connection=connection, kind="defer", defer_to=dt.date(2028, 3, 15), criteria=[], today=TODAY
    )
    assert any("GMC's advice is needed" in n.text for n in notes)


def test_non_engagement_requires_every_criterion(trust: Trust, connection: Connection) -> None:
    with pytest.raises(ValidationError, match="Every condition for non-engagement"):
        services.recommend(
            actor=SYSTEM,
            connection=connection,
            kind="non_engagement",
            evidence="x",
            today=TODAY,
            criteria=["opportunity_given"],
        )
    assert not Recommendation.objects.exists()


def test_only_the_responsible_officer_recommends_and_sees_concerns(trust: Trust, connection: Connection) -> None:
    Concern.objects.create(trust=trust, person=connection.person, summary="Complaints under review")
    md = make_user((Role.MEDICAL_DIRECTOR, trust))
    page = client_for(md).get(f"/t/{trust.code}/revalidation/doctors/{connection.person_id}/").content.decode()
    assert "Complaints under review" not in page and "Make a recommendation" not in page
    for step in ("recommend/check/", "recommend/"):
        refused = client_for(md).post(
            f"/t/{trust.code}/revalidation/doctors/{connection.person_id}/{step}",
            {"kind": "revalidate", "evidence": "x", "acknowledged": "on"},
        )
        assert refused.status_code == 403
    assert not Recommendation.objects.exists()
    ro = make_user((Role.RESPONSIBLE_OFFICER, trust))
    assert (
        "Complaints under review"
        in client_for(ro).get(f"/t/{trust.code}/revalidation/doctors/{connection.person_id}/").content.decode()
    )
    assert AuditEvent.objects.filter(model="revalidation.concern", action="read", actor_username=ro.username).exists()


def test_appraisal_content_is_the_doctors_and_the_appraisers(trust: Trust, doctor: Person) -> None:
    appraiser = PersonFactory(trust=trust)
    a = Appraisal.objects.create(
        trust=trust,
        person=doctor,
        year=2026,
        appraiser=appraiser,
        achievements="Private reflection on a hard year",
        summary="Agreed summary",
    )
    url = f"/t/{trust.code}/appraisals/{a.pk}/"
    ro = make_user((Role.RESPONSIBLE_OFFICER, trust))
    page = client_for(ro).get(url).content.decode()
    assert "Agreed summary" in page and "Private reflection" not in page
    assert AuditEvent.objects.filter(model="revalidation.appraisal", action="read").exists()
    assert "Private reflection" in client_for(make_user((Role.DOCTOR, trust), person=doctor)).get(url).content.decode()
    assert (
        "Private reflection" in client_for(make_user((Role.DOCTOR, trust), person=appraiser)).get(url).content.decode()
    )
    assert client_for(make_user((Role.DOCTOR, trust), person=PersonFactory(trust=trust))).get(url).status_code == 404


def test_sign_off_needs_outputs_and_declarations(trust: Trust, doctor: Person) -> None:
    appraiser = PersonFactory(trust=trust)
    a = Appraisal.objects.create(trust=trust, person=doctor, year=2026, appraiser=appraiser)
    appraiser_user = make_user((Role.DOCTOR, trust), person=appraiser)
    doctor_user = make_user((Role.DOCTOR, trust), person=doctor)
    with pytest.raises(ValidationError, match="probity and health"):
        services.appraisal_update_outputs(
            actor=appraiser_user, appraisal=a, summary="S", new_pdp="P", statements_confirmed=True, sign_off=True
        )
    services.appraisal_update_inputs(actor=doctor_user, appraisal=a, probity_declared=True, health_declared=True)
    # a 2026/27 appraisal is held under Good medical practice 2024: summarised under each of its four domains
    with pytest.raises(ValidationError, match="the summary under Trust and professionalism"):
        services.appraisal_update_outputs(
            actor=appraiser_user, appraisal=a, summary="S", new_pdp="P", statements_confirmed=True, sign_off=True
        )
    by_domain = {"knowledge": "K", "patients": "P", "colleagues": "C", "trust": "T"}
    services.appraisal_update_outputs(
        actor=appraiser_user,
        appraisal=a,
        domain_summaries=by_domain,
        new_pdp="P",
        statements_confirmed=True,
        sign_off=True,
    )
    a.refresh_from_db()
    assert a.status == "signed_off" and a.domain_summaries == by_domain
    with pytest.raises(ValidationError):
        services.appraisal_update_inputs(actor=doctor_user, appraisal=a, achievements="changed later")


def test_allocation_refuses_conflicts_and_reciprocal_appraisals(
    trust: Trust, doctor: Person, django_capture_on_commit_callbacks
) -> None:
    a1, a2 = PersonFactory(trust=trust), PersonFactory(trust=trust)
    for p in (a1, a2):
        Appraiser.objects.create(trust=trust, person=p, trained_on=dt.date(2020, 1, 1))
    ConflictOfInterest.objects.create(trust=trust, appraiser=a1, doctor=doctor, reason="Spouse")
    with pytest.raises(ValidationError, match="conflict of interest"):
        services.appraisal_create(actor=SYSTEM, person=doctor, year=2026, appraiser=a1)
    Appraisal.objects.create(trust=trust, person=a2, year=2026, appraiser=doctor)
    with pytest.raises(ValidationError, match="reciprocal"):
        services.appraisal_create(actor=SYSTEM, person=doctor, year=2026, appraiser=a2)
    a3 = PersonFactory(trust=trust, email="a3@example.org")
    Appraiser.objects.create(trust=trust, person=a3, trained_on=dt.date(2020, 1, 1))
    with django_capture_on_commit_callbacks(execute=True):
        created = services.appraisal_create(actor=SYSTEM, person=doctor, year=2026, appraiser=a3)
    assert created.appraiser == a3 and "Consultant" in created.scope_of_work
    assert {m.to[0] for m in mail.outbox} == {"doc@example.org", "a3@example.org"}


def test_reminders_go_to_doctors_late_in_the_year(
    trust: Trust, doctor: Person, django_capture_on_commit_callbacks
) -> None:
    Appraisal.objects.create(trust=trust, person=doctor, year=2026, status="preparing")
    assert send_appraisal_reminders(trust.pk, "2026-11-22") == 0
    with django_capture_on_commit_callbacks(execute=True):
        assert send_appraisal_reminders(trust.pk, "2027-02-20") == 1
    assert mail.outbox[-1].to == ["doc@example.org"]


def test_annual_report_rates_and_pdf(trust: Trust, connection: Connection) -> None:
    Appraisal.objects.create(trust=trust, person=connection.person, year=2026, status="signed_off")
    Recommendation.objects.create(
        trust=trust,
        connection=connection,
        person=connection.person,
        kind="revalidate",
        due_date=dt.date(2026, 6, 1),
        made_on=dt.date(2026, 7, 1),
        evidence="x",
    )
    ro = make_user((Role.RESPONSIBLE_OFFICER, trust))
    page = client_for(ro).get(f"/t/{trust.code}/revalidation/report/?year=2026").content.decode()
    assert "Appraisal rate for 2026/27: <strong>100.0%</strong>" in page
    assert "(the denominator): 1" in page and "(the numerator): 1" in page
    assert "1 recommendation was made: 0 on time and 1 late." in page
    pdf = client_for(ro).get(f"/t/{trust.code}/revalidation/report/pdf/?year=2026")
    assert pdf.content.startswith(b"%PDF")
    from tests.pdf_text import pdf_text

    text = pdf_text(pdf.content)
    assert trust.name in text and "1 April 2026 to 31 March 2027" in text and "Chair, on behalf of the board" in text


def test_a_completed_360_attaches_as_colleague_feedback(trust: Trust, doctor: Person) -> None:
    from medlead.leadership.models import FeedbackCycle, Framework

    hlm = Framework.objects.get(code="hlm", trust=None)
    mine = FeedbackCycle.objects.create(trust=trust, subject=doctor, framework=hlm, closes_on=TODAY, status="closed")
    other = FeedbackCycle.objects.create(
        trust=trust, subject=PersonFactory(trust=trust), framework=hlm, closes_on=TODAY, status="closed"
    )
    a = Appraisal.objects.create(trust=trust, person=doctor, year=2026)
    user = make_user((Role.DOCTOR, trust), person=doctor)
    with pytest.raises(ValidationError, match="your own completed 360"):
        services.appraisal_update_inputs(actor=user, appraisal=a, colleague_feedback=other)
    services.appraisal_update_inputs(actor=user, appraisal=a, colleague_feedback=mine)
    a.refresh_from_db()
    assert a.colleague_feedback == mine
    assert "a completed 360 attached" in client_for(user).get(f"/t/{trust.code}/appraisals/{a.pk}/").content.decode()


def test_the_annual_appraisal_rate_counts_connected_doctors_once_and_never_passes_100(trust: Trust) -> None:
    """By hand: three doctors connected on 31 March 2027, two of them appraised (one twice recorded as signed off is
    impossible: one appraisal a year), plus two appraised doctors who were not connected on that date (one left in
    2026, one never connected). Rate = 2 / 3 = 66.7%, not 4 / 3."""
    from medlead.revalidation.selectors import appraisal_rates

    connected = [PersonFactory(trust=trust) for _ in range(3)]
    left, never = PersonFactory(trust=trust), PersonFactory(trust=trust)
    for p in connected:
        Connection.objects.create(
            trust=trust, person=p, connected_on=dt.date(2020, 1, 1), submission_date=dt.date(2028, 1, 1)
        )
    Connection.objects.create(
        trust=trust,
        person=left,
        connected_on=dt.date(2020, 1, 1),
        submission_date=dt.date(2028, 1, 1),
        disconnected_on=dt.date(2026, 12, 1),
    )
    for p, status in (
        (connected[0], "signed_off"),
        (connected[1], "completed"),
        (left, "signed_off"),
        (never, "completed"),
    ):
        Appraisal.objects.create(trust=trust, person=p, year=2026, status=status)
    rates = appraisal_rates(trust=trust, year=2026)
    assert (rates["connected"], rates["done"]) == (3, 2)
    assert round(rates["rate"], 1) == 66.7


def test_a_deferral_extends_the_same_cycle_so_its_feedback_still_counts(trust: Trust, connection: Connection) -> None:
    """Due 15 January 2027 (cycle from January 2022, appraisal years 2021/22 on); colleague feedback in 2021/22.
    Deferred to 15 October 2027: the cycle still starts in 2022 and that feedback still counts; the next
    deferral's total is measured from the first due date."""
    from medlead.revalidation.selectors import doctor_record

    ro = make_user((Role.RESPONSIBLE_OFFICER, trust))
    for year in range(2021, 2027):
        a = Appraisal.objects.create(trust=trust, person=connection.person, year=year, status="signed_off")
        for kind in ("cpd", "qi", "significant_events", "complaints"):
            a.supporting_info.create(trust=trust, kind=kind, title=kind)
    first = Appraisal.objects.get(year=2021)
    first.supporting_info.create(trust=trust, kind="colleague_feedback", title="360")
    first.supporting_info.create(trust=trust, kind="patient_feedback", title="Survey")
    services.recommend(
        actor=ro,
        connection=connection,
        kind="defer",
        evidence="Long-term sick leave.",
        today=dt.date(2026, 12, 1),
        defer_to=dt.date(2027, 10, 15),
        defer_reason="leave",
        criteria=DEFERRAL_CONDITIONS,
        acknowledged=True,
    )
    connection.refresh_from_db()
    record = doctor_record(person=connection.person, today=dt.date(2027, 9, 1))
    assert record["cycle_start"] == dt.date(2022, 1, 15) and record["first_due"] == dt.date(2027, 1, 15)
    assert not any("feedback" in g for g in record["gaps"]), record["gaps"]
    notes = services.recommendation_notes(
        connection=connection, kind="defer", defer_to=dt.date(2028, 2, 15), criteria=[], today=dt.date(2027, 9, 1)
    )
    assert any("GMC's advice is needed" in n.text for n in notes)  # 13 months since 15 January 2027


def test_quality_improvement_is_needed_once_per_cycle_not_every_year() -> None:
    from medlead.revalidation.rules import missing_in_cycle
    from medlead.revalidation.selectors import si_types

    yearly = {"cpd", "significant_events", "complaints"}
    kinds = {2022: yearly | {"qi", "colleague_feedback", "patient_feedback"}, 2023: set(yearly), 2024: set(yearly)}
    gaps = missing_in_cycle(kinds, [2022, 2023, 2024], si_types())
    assert not any("uality improvement" in g for g in gaps), gaps
    none = missing_in_cycle({2022: set(yearly), 2023: set(yearly)}, [2022, 2023], si_types())
    assert any("uality improvement" in g for g in none)


def test_the_responsible_officer_may_keep_an_appraiser_beyond_three_years_with_a_reason(
    trust: Trust, doctor: Person
) -> None:
    appraiser = PersonFactory(trust=trust)
    Appraiser.objects.create(trust=trust, person=appraiser, trained_on=dt.date(2020, 1, 1))
    for year in (2023, 2024, 2025):
        Appraisal.objects.create(trust=trust, person=doctor, year=year, appraiser=appraiser, status="signed_off")
    hr = make_user((Role.MEDICAL_STAFFING, trust))
    ro = make_user((Role.RESPONSIBLE_OFFICER, trust))
    with pytest.raises(ValidationError, match="change appraiser after three"):
        services.appraisal_create(actor=ro, person=doctor, year=2026, appraiser=appraiser)
    with pytest.raises(PermissionDenied):
        services.appraisal_create(
            actor=hr, person=doctor, year=2026, appraiser=appraiser, extension_reason="Rare specialty"
        )
    kept = services.appraisal_create(
        actor=ro,
        person=doctor,
        year=2026,
        appraiser=appraiser,
        extension_reason="Only trained appraiser in the specialty",
    )
    assert kept.appraiser == appraiser
    event = AuditEvent.objects.filter(model="revalidation.appraisal", object_pk=str(kept.pk), action="create").get()
    assert "Only trained appraiser in the specialty" in event.note


def test_a_recommendation_is_checked_confirmed_then_submitted_to_the_gmc_before_the_next_is_offered(
    trust: Trust, connection: Connection
) -> None:
    """Issue 31: check your answers (nothing saved), then a confirmation saying "Now submit it on GMC Connect by" the
    submission date, a task on the responsible officer's first page until it is marked submitted, and no form for
    the next cycle until then (a forced post is refused with the reason)."""
    ro = make_user((Role.RESPONSIBLE_OFFICER, trust))
    client = client_for(ro)
    doctor_url = f"/t/{trust.code}/revalidation/doctors/{connection.person_id}/"
    answers = {"kind": "revalidate", "evidence": "Five appraisals, feedback, no concerns.", "acknowledged": "on"}
    check = client.post(doctor_url + "recommend/check/", answers).content.decode()
    assert "Check your answers before you make the recommendation" in check
    assert "Revalidate" in check and "Five appraisals, feedback, no concerns." in check and "Change" in check
    assert "15 January 2027" in check  # the submission date
    assert 'name="csrfmiddlewaretoken"' in check  # the confirm posts from a browser too
    assert not Recommendation.objects.exists()  # nothing saved before the confirm
    back = client.post(doctor_url + "recommend/check/", answers | {"step": "change"}).content.decode()
    assert "Make a recommendation" in back and "Five appraisals, feedback, no concerns." in back

    done = client.post(doctor_url + "recommend/", answers)
    rec = Recommendation.objects.get()
    assert done["Location"] == f"/t/{trust.code}/revalidation/recommendations/{rec.pk}/"
    confirmation = client.get(done["Location"]).content.decode()
    assert "Recommendation recorded" in confirmation
    assert "Now submit it on GMC Connect by 15 January 2027" in confirmation
    assert rec.submitted_on is None

    home = client.get(f"/t/{trust.code}/").content.decode()
    assert "1 revalidation recommendation to submit on GMC Connect" in home
    assert f"/revalidation/recommendations/{rec.pk}/" in home  # the one task links to the record itself
    record = client.get(doctor_url).content.decode()
    assert "Make a recommendation" not in record and "Mark as submitted to the GMC" in record
    forced = client.post(doctor_url + "recommend/", answers).content.decode()
    assert "not yet marked as submitted to the GMC" in forced
    assert Recommendation.objects.count() == 1

    future = client.post(
        f"/t/{trust.code}/revalidation/recommendations/{rec.pk}/submitted/", {"submitted_on": "2099-01-01"}
    )
    assert "cannot be in the future" in future.content.decode()
    today = dates.today()
    marked = client.post(
        f"/t/{trust.code}/revalidation/recommendations/{rec.pk}/submitted/", {"submitted_on": today.isoformat()}
    )
    assert marked["Location"] == doctor_url
    rec.refresh_from_db()
    assert rec.submitted_on == today
    assert "to submit on GMC Connect" not in client.get(f"/t/{trust.code}/").content.decode()
    assert "Make a recommendation" in client.get(doctor_url).content.decode()
