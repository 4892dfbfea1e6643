"""Rotas in the app: import, week-grid edits re-checked on every save, exception reports, the guardian."""

from __future__ import annotations

import datetime as dt
import io
from decimal import Decimal

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from medlead.accounts.models import Role
from medlead.core.actors import SystemActor
from medlead.core.audit import AuditEvent
from medlead.organisation.models import Grade, Person, Trust
from medlead.rota import services
from medlead.rota.models import Duty, ExceptionReport, Rota, RotaBreach
from tests.conftest import client_for, text_of
from tests.factories import PersonFactory, make_user

# The system, acting for the tests where no person does (set-up, workers).
SYSTEM = SystemActor("test set-up")

pytestmark = pytest.mark.django_db


@pytest.fixture
def trainee(trust: Trust) -> Person:
    return PersonFactory(trust=trust, grade=Grade.SPECIALTY_REGISTRAR, gmc_number="1111111", email="reg@example.org")


@pytest.fixture
def supervisor(trust: Trust) -> Person:
    return PersonFactory(trust=trust, grade=Grade.CONSULTANT, gmc_number="2222222", email="es@example.org")


def csv_file(text: str, name: str = "rota.csv") -> io.BytesIO:
    f = io.BytesIO(text.encode())
    f.name = name
    return f


def imported(trust: Trust, name: str, rows: str, rule_set: str = "tcs2016-2019") -> Rota:
    """A rota imported from ``rows`` (``doctor,start,end,kind`` lines, without the heading), with no errors."""
    rota, errors = services.rota_import(
        actor=SYSTEM,
        trust=trust,
        name=name,
        rule_set=rule_set,
        filename=f"{name}.csv",
        content=("doctor,start,end,kind\n" + rows).encode(),
    )
    assert rota is not None and errors == []
    return rota


ROTA = (
    "doctor,start,end,kind\n"
    "1111111,2026-01-05T08:00,2026-01-05T21:30,shift\n"  # 13 h 30: a breach
    "1111111,2026-01-06T08:00,2026-01-06T17:00,shift\n"  # 10 h 30 rest: a breach
)


def test_import_creates_rota_checks_it_and_shows_breaches_on_the_grid(
    trust: Trust, trainee: Person, django_capture_on_commit_callbacks
) -> None:
    hr = make_user((Role.MEDICAL_STAFFING, trust))
    client = client_for(hr)
    response = client.post(
        f"/t/{trust.code}/import/rota/",
        {"name": "Medicine", "rule_set": "tcs2016-2019", "file": csv_file(ROTA)},
    )
    assert response.status_code == 302
    dry_run = client.get(response["Location"]).content.decode()
    assert "Add rota: Medicine" in dry_run and "Add duty" in dry_run
    assert not Rota.objects.exists()  # the dry run changed nothing
    with django_capture_on_commit_callbacks(execute=True):
        client.post(response["Location"] + "confirm/")
    rota = Rota.objects.get()
    assert set(RotaBreach.objects.values_list("rule", flat=True)) == {"max_shift_length", "min_rest_between_shifts"}
    page = client.get(f"/t/{trust.code}/rotas/{rota.pk}/?week=2026-01-05").content.decode()
    assert "A shift of 13 h 30 min is longer than the 13 h limit." in page
    assert "Move the next shift 30 min later to restore 11 h rest." in page
    assert "NHS Employers, Working hours and patterns FAQs (2019)" in page  # the rule's source, written out
    assert "08:00–21:30" in page  # shown in local time
    assert "Breaks due: 2 × 30 min" in page  # a shift of more than 9 hours
    assert AuditEvent.objects.filter(model="rota.duty", note__startswith="rota import").count() == 2


def test_import_with_bad_rows_saves_nothing_and_names_each_row(trust: Trust, trainee: Person) -> None:
    rota, errors = services.rota_import(
        actor=SYSTEM,
        trust=trust,
        name="Bad",
        rule_set="tcs2016-2019",
        filename="bad.csv",
        content=b"doctor,start,end,kind\n9999999,2026-01-05T08:00,2026-01-05T17:00,\n"
        b"1111111,2026-01-05T08:00,2026-01-05T07:00,\n1111111,monday,2026-01-05T17:00,nap\n"
        b"1111111,2026-03-29T01:15,2026-03-29T09:00,\n1111111,9999-03-29T01:15,9999-03-29T09:00,\n",
    )
    assert rota is None
    assert errors == [
        "row 2, column 'doctor': no doctor with GMC or staff number '9999999'",
        "row 3, column 'end': the end is not after the start",
        "row 4, column 'start': 'monday' is not a date and time like 2026-01-05T08:00",
        "row 4, column 'kind': 'nap' is not shift, on_call or on_call_work",
        "row 5, column 'start': 01:15 on 29 March 2026 does not exist in the UK: the clocks go forward from 01:00 to "
        "02:00 that night. Give 02:15 if you mean an hour later, or a time before 01:00",
        "row 6, column 'start': choose a date between 2000 and 2100",
        "row 6, column 'end': choose a date between 2000 and 2100",
    ]
    assert not Rota.objects.exists() and not Duty.objects.exists()


def test_every_edit_checks_the_rota_again(trust: Trust, trainee: Person) -> None:
    rota = services.rota_create(actor=SYSTEM, trust=trust, name="Surgery")
    services.member_add(actor=SYSTEM, rota=rota, person=trainee)
    start = dt.datetime(2026, 1, 5, 8)
    duty, report = services.duty_add(
        actor=SYSTEM, rota=rota, person=trainee, start=start, end=start + dt.timedelta(hours=14)
    )
    assert [b.rule for b in report.breaches] == ["max_shift_length"]
    assert RotaBreach.objects.filter(rota=rota, rule="max_shift_length").exists()
    report = services.duty_delete(actor=SYSTEM, duty=duty)
    assert report.compliant and not RotaBreach.objects.filter(rota=rota).exists()


def test_adding_a_duty_through_the_grid_form_across_midnight(trust: Trust, trainee: Person) -> None:
    hr = make_user((Role.MEDICAL_STAFFING, trust))
    rota = services.rota_create(actor=hr, trust=trust, name="Nights")
    services.member_add(actor=hr, rota=rota, person=trainee)
    response = client_for(hr).post(
        f"/t/{trust.code}/rotas/{rota.pk}/duties/new/",
        {"person": trainee.pk, "day": "2026-01-05", "start": "21:00", "end": "08:00", "kind": "shift"},
    )
    assert response.status_code == 302
    duty = Duty.objects.get()
    assert timezone.localtime(duty.end) - timezone.localtime(duty.start) == dt.timedelta(hours=11)


def test_a_duty_starting_in_the_hour_the_clocks_skip_is_a_form_error(trust: Trust, trainee: Person) -> None:
    hr = make_user((Role.MEDICAL_STAFFING, trust))
    rota = services.rota_create(actor=hr, trust=trust, name="Spring nights")
    services.member_add(actor=hr, rota=rota, person=trainee)
    response = client_for(hr).post(
        f"/t/{trust.code}/rotas/{rota.pk}/duties/new/",
        {"person": trainee.pk, "day": "2026-03-29", "start": "01:30", "end": "09:00", "kind": "shift"},
    )
    assert response.status_code == 200
    assert "01:30 on 29 March 2026 does not exist in the UK" in response.content.decode()
    assert "Give 02:30 if you mean an hour later, or a time before 01:00." in response.content.decode()
    far = client_for(hr).post(  # a date no rota reaches: refused before any clock is worked out
        f"/t/{trust.code}/rotas/{rota.pk}/duties/new/",
        {"person": trainee.pk, "day": "9999-12-31", "start": "01:30", "end": "09:00", "kind": "shift"},
    )
    assert far.status_code == 200 and "Choose a date between 2000 and 2100." in far.content.decode()
    with pytest.raises(ValidationError, match="01:30 on 29 March 2026 does not exist"):  # nor through the service
        services.duty_add(
            actor=hr, rota=rota, person=trainee, start=dt.datetime(2026, 3, 29, 1, 30), end=dt.datetime(2026, 3, 29, 9)
        )
    assert not Duty.objects.exists()


def test_duty_for_a_doctor_not_on_the_rota_is_refused(trust: Trust, trainee: Person) -> None:
    rota = services.rota_create(actor=SYSTEM, trust=trust, name="Empty")
    with pytest.raises(Exception, match="not on this rota"):
        services.duty_add(
            actor=SYSTEM, rota=rota, person=trainee, start=dt.datetime(2026, 1, 5, 8), end=dt.datetime(2026, 1, 5, 17)
        )
    assert not Duty.objects.exists()


def test_doctor_cannot_edit_rotas(doctor_user, trust: Trust) -> None:
    rota = services.rota_create(actor=SYSTEM, trust=trust, name="Locked")
    client = client_for(doctor_user)
    assert client.get(f"/t/{trust.code}/rotas/{rota.pk}/").status_code == 200
    assert client.get(f"/t/{trust.code}/rotas/{rota.pk}/duties/new/").status_code == 403
    assert client.get(f"/t/{trust.code}/import/rota/").status_code == 403


# ------------------------------------------------------------------------------------ exception reports


def test_exception_report_flow_with_supervisor_and_guardian_under_version_12(
    trust: Trust, trainee: Person, supervisor: Person, django_capture_on_commit_callbacks
) -> None:
    """An event of 20 January 2026, before version 13 applied: the educational supervisor agrees the outcome."""
    doctor = make_user((Role.DOCTOR, trust), person=trainee)
    es = make_user((Role.DOCTOR, trust), person=supervisor)
    guardian = make_user((Role.GUARDIAN, trust))
    other = make_user((Role.DOCTOR, trust), person=PersonFactory(trust=trust, grade=Grade.CORE_TRAINEE))
    event = dt.date(2026, 1, 20)

    with django_capture_on_commit_callbacks(execute=True):
        response = client_for(doctor).post(
            f"/t/{trust.code}/exception-reports/new/",
            {
                "supervisor": supervisor.pk,
                "occurred_on": event.isoformat(),
                "kind": "hours",
                "extra_minutes": "90",
                "description": "Stayed to hand over a sick patient.",
            },
        )
    report = ExceptionReport.objects.get()
    assert response.status_code == 302
    assert mail.outbox[0].to == ["es@example.org"]

    assert client_for(other).get(f"/t/{trust.code}/exception-reports/{report.pk}/").status_code == 404
    assert (
        client_for(doctor)
        .post(f"/t/{trust.code}/exception-reports/{report.pk}/outcome/", {"outcome": "payment"})
        .status_code
        == 403
    )

    late = (event + dt.timedelta(weeks=5)).isoformat()
    bad = client_for(es).post(
        f"/t/{trust.code}/exception-reports/{report.pk}/outcome/",
        {"outcome": "toil", "toil_hours": "1.5", "toil_by": late},
    )
    assert "within 4 weeks of the event" in bad.content.decode()
    report.refresh_from_db()
    assert report.outcome == ""

    with django_capture_on_commit_callbacks(execute=True):
        ok = client_for(es).post(
            f"/t/{trust.code}/exception-reports/{report.pk}/outcome/",
            {"outcome": "toil", "toil_hours": "1.5", "toil_by": (event + dt.timedelta(weeks=2)).isoformat()},
        )
    assert ok.status_code == 302
    report.refresh_from_db()
    assert report.outcome == "toil" and report.status == "agreed" and report.toil_hours == Decimal("1.5")
    assert mail.outbox[-1].to == ["reg@example.org"]

    assert (
        client_for(es)
        .post(
            f"/t/{trust.code}/exception-reports/{report.pk}/fine/", {"fine_category": "rest_11h", "fine_amount": "100"}
        )
        .status_code
        == 403
    )
    missing = client_for(guardian).post(
        f"/t/{trust.code}/exception-reports/{report.pk}/fine/",
        {"fine_category": "rest_11h", "fine_amount": "120.50", "fine_note": ""},
    )
    assert "Give the hours of the breach" in missing.content.decode()
    assert "basic hourly rate in pounds, more than £0" in missing.content.decode()
    client_for(guardian).post(
        f"/t/{trust.code}/exception-reports/{report.pk}/fine/",
        {"fine_category": "rest_11h", "fine_hours": "1.5", "fine_hourly_rate": "£20.00", "fine_note": ""},
    )
    report.refresh_from_db()
    # 1.5 hours at 4 times £20 = £120: £45 (1.5 times) to the doctor, £75 (2.5 times) to the guardian's fund
    assert report.fine_category == "rest_11h" and report.fine_amount == Decimal("120.00")
    assert (report.fine_to_doctor, report.fine_to_guardian) == (Decimal("45.00"), Decimal("75.00"))
    assert report.fine_payer == "The trust" or report.fine_payer.endswith("department")
    page = client_for(guardian).get(f"/t/{trust.code}/exception-reports/{report.pk}/").content.decode()
    assert "£120.00 (1.5 hours at the penalty rate on a basic rate of £20.00 an hour" in page
    assert AuditEvent.objects.filter(model="rota.exceptionreport", action="update").count() == 2

    listing = client_for(guardian).get(f"/t/{trust.code}/exception-reports/").content.decode()
    assert "Fine" in listing
    assert "Stayed" not in client_for(other).get(f"/t/{trust.code}/exception-reports/").content.decode()


def test_report_for_extra_hours_needs_the_minutes(trust: Trust, trainee: Person, supervisor: Person) -> None:
    doctor = make_user((Role.DOCTOR, trust), person=trainee)
    response = client_for(doctor).post(
        f"/t/{trust.code}/exception-reports/new/",
        {"supervisor": supervisor.pk, "occurred_on": "2026-01-05", "kind": "hours", "description": "Late."},
    )
    assert "Give the extra time worked" in response.content.decode()
    assert not ExceptionReport.objects.exists()


def test_consultant_cannot_submit_exception_reports(trust: Trust, supervisor: Person) -> None:
    user = make_user((Role.DOCTOR, trust), person=supervisor)
    assert client_for(user).get(f"/t/{trust.code}/exception-reports/new/").status_code == 403


# ------------------------------------------------------------------------------------ guardian's report


def test_quarterly_report_counts_and_pdf(trust: Trust, trainee: Person, supervisor: Person) -> None:
    for day, kind, fine in [
        (dt.date(2026, 7, 2), "hours", "rest_11h"),
        (dt.date(2026, 8, 3), "rest", ""),
        (dt.date(2026, 10, 1), "breaks", ""),
    ]:
        ExceptionReport.objects.create(
            trust=trust,
            doctor=trainee,
            supervisor=supervisor,
            occurred_on=day,
            kind=kind,
            extra_minutes=60,
            description="x",
            fine_category=fine,
            fine_amount=Decimal("200") if fine else None,
        )
    guardian = make_user((Role.GUARDIAN, trust))
    client = client_for(guardian)
    page = client.get(f"/t/{trust.code}/guardian-report/?quarter=2026-Q2").content.decode()
    assert "Q2 2026/27" in page  # the NHS financial year's second quarter: July to September
    assert "from 1 July 2026 to 30 September 2026: <strong>2</strong>" in page
    assert "Fines: 1, totalling £200" in page
    pdf = client.get(f"/t/{trust.code}/guardian-report/pdf/?quarter=2026-Q2")
    assert pdf["Content-Type"] == "application/pdf"
    assert pdf.content.startswith(b"%PDF") and len(pdf.content) > 5000
    from tests.pdf_text import pdf_text

    text = pdf_text(pdf.content)
    assert trust.name in text and "1 July 2026 to 30 September 2026" in text
    assert "Guardian of safe working hours" in text and "Agreement and sign-off" in text and "Produced" in text


def test_doctor_cannot_see_the_guardian_report(doctor_user, trust: Trust) -> None:
    assert client_for(doctor_user).get(f"/t/{trust.code}/guardian-report/").status_code == 403


def test_import_page_lists_every_bad_row(trust: Trust, trainee: Person) -> None:
    hr = make_user((Role.MEDICAL_STAFFING, trust))
    bad = "doctor,start,end\n9999999,2026-01-05T08:00,2026-01-05T17:00\n1111111,later,2026-01-05T17:00\n"
    page = (
        client_for(hr)
        .post(
            f"/t/{trust.code}/import/rota/",
            {"name": "Bad", "rule_set": "tcs2016-2019", "file": csv_file(bad)},
            follow=True,
        )
        .content.decode()
    )
    assert "2 problems: nothing was imported" in page
    assert "Row 2, column &#39;doctor&#39;: no doctor with GMC or staff number &#39;9999999&#39;" in page
    assert "Row 3, column &#39;start&#39;" in page
    assert "Import 0 changes" not in page  # nothing to confirm
    assert not Rota.objects.exists()


def test_guardian_quarters_are_nhs_financial_year_quarters() -> None:
    import datetime as dt

    from medlead.rota.selectors import quarter_bounds, quarter_label, quarter_of

    assert quarter_bounds(2026, 1) == (dt.date(2026, 4, 1), dt.date(2026, 7, 1))
    assert quarter_bounds(2026, 3) == (dt.date(2026, 10, 1), dt.date(2027, 1, 1))
    assert quarter_bounds(2026, 4) == (dt.date(2027, 1, 1), dt.date(2027, 4, 1))
    assert quarter_of(dt.date(2026, 11, 30)) == (2026, 3) and quarter_label(2026, 3) == "Q3 2026/27"
    assert quarter_of(dt.date(2027, 3, 31)) == (2026, 4) and quarter_of(dt.date(2027, 4, 1)) == (2027, 1)


def test_version_13_routes_extra_hours_to_medical_workforce_within_28_days_and_keeps_the_doctors_choice(
    trust: Trust, trainee: Person, supervisor: Person, django_capture_on_commit_callbacks
) -> None:
    """From 4 February 2026 (version 13 of the 2016 terms and conditions, framework agreement of 31 March 2025):
    extra hours go to HR / medical workforce, not the supervisor; 28 days to submit; the doctor chooses pay or time
    off, which stands unless safe working hours were breached; the supervisor sees nothing without consent."""
    from medlead.rota import services

    doctor = make_user((Role.DOCTOR, trust), person=trainee)
    es = make_user((Role.DOCTOR, trust), person=supervisor)
    hr = make_user((Role.MEDICAL_STAFFING, trust), email="workforce@example.org")
    today = dt.date(2026, 11, 30)
    base = {"kind": "hours", "extra_minutes": 90, "description": "Stayed late."}
    with pytest.raises(ValidationError, match="within 28 days"):
        services.report_submit(
            actor=doctor,
            doctor=trainee,
            today=today,
            occurred_on=today - dt.timedelta(days=29),
            preferred="pay",
            **base,
        )
    with pytest.raises(ValidationError, match="Choose payment or time off"):
        services.report_submit(
            actor=doctor, doctor=trainee, today=today, occurred_on=today - dt.timedelta(days=28), **base
        )
    with django_capture_on_commit_callbacks(execute=True):
        report = services.report_submit(
            actor=doctor,
            doctor=trainee,
            supervisor=supervisor,
            today=today,
            occurred_on=today - dt.timedelta(days=28),
            preferred="pay",
            **base,
        )
    assert (report.rules_version, report.route) == ("v13", "medical_workforce")
    assert mail.outbox[-1].to == ["workforce@example.org"]
    url = f"/t/{trust.code}/exception-reports/{report.pk}/"
    assert client_for(es).get(url).status_code == 404  # not shared with the supervisor
    assert client_for(hr).get(url).status_code == 200
    with pytest.raises(PermissionDenied):
        services.report_agree_outcome(actor=es, report=report, outcome="payment")
    with pytest.raises(ValidationError, match="chose payment"):
        services.report_agree_outcome(
            actor=hr, report=report, outcome="toil", toil_hours=Decimal("1.5"), toil_by=report.occurred_on
        )
    with pytest.raises(ValidationError, match="Say how the additional hours were confirmed"):
        services.report_agree_outcome(actor=hr, report=report, outcome="payment")
    page = client_for(hr).get(url).content.decode()
    assert "Tier 1: an electronic record" in page  # the three tiers, offered as radios
    services.report_agree_outcome(actor=hr, report=report, outcome="payment", hours_verified_by="tier2")
    report = ExceptionReport.objects.get(pk=report.pk)
    assert (report.outcome, report.hours_verified_by) == ("payment", "tier2")
    assert "Tier 2: corroborated by a colleague" in client_for(hr).get(url).content.decode()


def test_version_13_education_reports_go_to_the_director_of_medical_education(trust: Trust, trainee: Person) -> None:
    from medlead.rota import services
    from tests.factories import HoldingFactory, PostFactory, post_type

    dme = PersonFactory(trust=trust, email="dme@example.org")
    HoldingFactory(post=PostFactory(trust=trust, post_type=post_type("director_of_medical_education")), person=dme)
    dme_user = make_user((Role.DOCTOR, trust), person=dme)
    hr = make_user((Role.MEDICAL_STAFFING, trust))
    doctor = make_user((Role.DOCTOR, trust), person=trainee)
    report = services.report_submit(
        actor=doctor,
        doctor=trainee,
        today=dt.date(2026, 3, 10),
        occurred_on=dt.date(2026, 3, 2),
        kind="education",
        description="Teaching cancelled for the ward.",
    )
    assert report.route == "director_of_medical_education"
    with pytest.raises(PermissionDenied):
        services.report_agree_outcome(actor=hr, report=report, outcome="no_action")
    services.report_agree_outcome(actor=dme_user, report=report, outcome="work_schedule_review")
    january = services.report_submit(
        actor=doctor,
        doctor=trainee,
        supervisor=dme,
        today=dt.date(2026, 3, 10),
        occurred_on=dt.date(2026, 2, 3),
        kind="education",
        description="Teaching cancelled.",
    )
    assert (january.rules_version, january.route) == ("v12", "supervisor")  # the day before version 13


def test_fines_accept_pounds_as_typed_and_offer_the_breaches_in_force_on_the_date(
    trust: Trust, trainee: Person, supervisor: Person
) -> None:
    from medlead.rota.selectors import fine_categories

    guardian = make_user((Role.GUARDIAN, trust))
    report = ExceptionReport.objects.create(
        trust=trust,
        doctor=trainee,
        supervisor=supervisor,
        occurred_on=dt.date(2026, 5, 1),
        kind="rest",
        description="x",
        rules_version="v13",
        route="medical_workforce",
    )
    client_for(guardian).post(
        f"/t/{trust.code}/exception-reports/{report.pk}/fine/",
        {"fine_category": "information_breach", "fine_amount": "£1,120.50", "fine_note": ""},
    )
    report.refresh_from_db()
    assert report.fine_category == "information_breach" and report.fine_amount == Decimal("1120.50")
    assert "on_call_rest_8h" in fine_categories(on=dt.date(2025, 5, 1))
    assert "information_breach" not in fine_categories(on=dt.date(2026, 2, 3))  # version 13's fines start 4 February
    assert "access_within_14_days" in fine_categories(on=dt.date(2026, 2, 4))


def test_a_rota_opens_on_its_first_breach_and_lists_every_breach_with_its_week(trust: Trust, trainee: Person) -> None:
    from medlead.rota import services as rota_services

    hr = make_user((Role.MEDICAL_STAFFING, trust))
    text = (
        "doctor,start,end,kind\n"
        "1111111,2026-01-05T08:00,2026-01-05T17:00,shift\n"  # a compliant first week
        "1111111,2026-01-12T08:00,2026-01-12T21:30,shift\n"  # 13 h 30 in the second week: a breach
    )
    rota, errors = rota_services.rota_import(
        actor=hr, trust=trust, name="Medicine", rule_set="tcs2016-2019", filename="r.csv", content=text.encode()
    )
    assert rota is not None and not errors
    page = client_for(hr).get(f"/t/{trust.code}/rotas/{rota.pk}/").content.decode()
    assert "Every breach on this rota" in page
    assert '<a href="?week=2026-01-12">Mon 12 Jan 2026 08:00' in page
    assert "A shift of 13 h 30 min is longer than the 13 h limit." in page.split("Every breach on this rota")[0]
    assert "<code>" not in page  # no internal rule identifiers


def test_a_rota_page_costs_the_same_queries_however_large_the_rota_and_counts_the_breaches_it_does_not_list(
    trust: Trust, trainee: Person
) -> None:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    hr = make_user((Role.MEDICAL_STAFFING, trust))
    client = client_for(hr)
    others = [PersonFactory(trust=trust, gmc_number=f"33333{i:02d}") for i in range(3)]

    def queries_for(rota: Rota) -> tuple[int, str]:
        client.get(f"/t/{trust.code}/rotas/{rota.pk}/")  # the first request of a session pays for its set-up
        with CaptureQueriesContext(connection) as queries:
            page = client.get(f"/t/{trust.code}/rotas/{rota.pk}/").content.decode()
        return len(queries), page

    small = imported(trust, "Small", ROTA.split("\n", 1)[1])
    # three doctors, each with 80 shifts of 13 h 30 on consecutive days: 80 breaches of the 13-hour limit each at
    # least, 240 in all, more than the 200 the page lists
    rows = "".join(
        f"{p.gmc_number},{dt.date(2026, 1, 5) + dt.timedelta(days=d)}T08:00,"
        f"{dt.date(2026, 1, 5) + dt.timedelta(days=d)}T21:30,shift\n"
        for p in others
        for d in range(80)
    )
    large = imported(trust, "Large", rows)
    breaches = large.breaches.filter(warning=False).count()
    assert large.breaches.filter(rule="max_shift_length").count() == 240 and breaches > 240

    small_queries, small_page = queries_for(small)
    large_queries, large_page = queries_for(large)
    assert small_queries == large_queries <= 15, (small_queries, large_queries)
    assert "2 breaches" in text_of(small_page) and "The first" not in small_page
    assert f"{breaches} breaches" in text_of(large_page)
    assert f"The first 200 of {breaches} are listed." in text_of(large_page)


def test_a_rota_is_judged_by_the_rules_in_force_on_its_first_day(trust: Trust, trainee: Person) -> None:
    # five consecutive long shifts: allowed by the 2016 rules (five), a breach under the 2019 rules (four)
    def rota_from(monday: str, name: str) -> Rota:
        rows = "".join(
            f"1111111,{dt.date.fromisoformat(monday) + dt.timedelta(days=d)}T08:00,"
            f"{dt.date.fromisoformat(monday) + dt.timedelta(days=d)}T19:00,shift\n"
            for d in range(5)
        )
        return imported(trust, name, rows, rule_set="")

    before = rota_from("2019-07-29", "July 2019")
    after = rota_from("2019-08-12", "August 2019")
    assert before.checked_rules == "tcs2016"
    assert after.checked_rules == "tcs2016-2019"
    assert not before.breaches.filter(rule="max_consecutive_long_shifts").exists()
    assert after.breaches.filter(rule="max_consecutive_long_shifts").exists()
    assert "as amended in 2019" in after.checked_rules_name and "tcs" not in after.checked_rules_name


def test_a_less_than_full_time_doctor_is_judged_pro_rata(trust: Trust, trainee: Person) -> None:
    trainee.ltft_fraction = Decimal("0.60")
    trainee.save()
    # one week, 3 shifts of 10 h: 30 h, above 60% of 48 h (28 h 48 min)
    rows = "".join(f"1111111,2026-01-{5 + d:02d}T08:00,2026-01-{5 + d:02d}T18:00,shift\n" for d in (0, 2, 4))
    rota = imported(trust, "LTFT", rows, rule_set="")
    breach = rota.breaches.get(rule="max_avg_weekly_hours")
    assert "the limit is 28 h 48 min (less than full time at 60% of 48 h)" in breach.message


def test_an_early_adopter_of_version_13_judges_reports_from_its_date_of_adoption(
    trust: Trust, trainee: Person, supervisor: Person
) -> None:
    from medlead.rota.selectors import rules_for

    # hand-written from E7: version 13 for every trust from 4 February 2026; early adoption from 19 September 2025
    assert rules_for(dt.date(2026, 1, 10))["code"] == "v12"
    assert rules_for(dt.date(2026, 1, 10), adopted_early=dt.date(2026, 1, 5))["code"] == "v13"
    assert rules_for(dt.date(2026, 1, 4), adopted_early=dt.date(2026, 1, 5))["code"] == "v12"
    assert rules_for(dt.date(2026, 2, 4))["code"] == "v13"

    trust.exception_reporting_v13_from = dt.date(2025, 9, 18)  # before version 13 was published
    with pytest.raises(ValidationError, match="adopted early from 19 September 2025"):
        trust.full_clean()
    trust.exception_reporting_v13_from = dt.date(2026, 2, 4)  # no longer early
    with pytest.raises(ValidationError):
        trust.full_clean()
    trust.exception_reporting_v13_from = dt.date(2026, 1, 5)
    trust.full_clean()
    trust.save()
    doctor = make_user((Role.DOCTOR, trust), person=trainee)
    report = services.report_submit(
        actor=doctor,
        doctor=trainee,
        today=dt.date(2026, 1, 20),
        occurred_on=dt.date(2026, 1, 10),
        kind="hours",
        extra_minutes=60,
        preferred="toil",
        description="Late.",
    )
    assert (report.rules_version, report.route) == ("v13", "medical_workforce")


def test_the_guardian_records_access_detriment_and_breaches_for_the_board(trust: Trust) -> None:
    guardian = make_user((Role.GUARDIAN, trust))
    url = f"/t/{trust.code}/guardian-report/?quarter=2026-Q3"
    bad = client_for(guardian).post(url, {"doctors_starting": "4", "access_late": "5"})
    assert "This cannot be more than the doctors who started" in bad.content.decode()
    ok = client_for(guardian).post(
        url,
        {
            "doctors_starting": "12",
            "access_late": "2",
            "detriment_survey_responses": "30",
            "detriment_reported": "1",
            "information_breaches": "0",
            "narrative": "Two new starters waited three weeks for access.",
        },
    )
    assert ok.status_code == 302
    md = make_user((Role.MEDICAL_DIRECTOR, trust))
    page = client_for(md).get(url).content.decode()
    assert "Not given access to exception reporting within 14 days" in page and "Two new starters" in page
    assert "Save for the board report" not in page  # the medical director reads, the guardian records
    assert client_for(md).post(url, {"doctors_starting": "1"}).status_code == 403


def test_form_errors_name_the_field_and_say_what_to_do(trust: Trust, trainee: Person) -> None:
    hr = make_user((Role.MEDICAL_STAFFING, trust))
    rota = services.rota_create(actor=hr, trust=trust, name="Errors")
    page = client_for(hr).post(f"/t/{trust.code}/rotas/{rota.pk}/duties/new/", {"day": "31/02/2026"}).content.decode()
    assert "This field is required" not in page and "Enter a valid" not in page
    assert "Choose the doctor." in page
    assert "Enter the date as a real date, for example 27 3 2026." in page
    assert "Enter the start time." in page


def test_dates_use_the_nhs_date_input_and_keep_what_was_typed(trust: Trust, trainee: Person) -> None:
    hr = make_user((Role.MEDICAL_STAFFING, trust))
    rota = services.rota_create(actor=hr, trust=trust, name="Dates")
    url = f"/t/{trust.code}/rotas/{rota.pk}/duties/new/"
    form = client_for(hr).get(url).content.decode()
    assert 'name="day[day]"' in form and 'name="day[month]"' in form and 'name="day[year]"' in form
    page = client_for(hr).post(url, {"day[day]": "31", "day[month]": "2", "day[year]": "2026"}).content.decode()
    assert "Enter the date as a real date, for example 27 3 2026." in page
    assert 'value="31"' in page and 'value="2026"' in page  # the boxes keep what was typed
    services.member_add(actor=hr, rota=rota, person=trainee)
    ok = client_for(hr).post(
        url,
        {
            "person": trainee.pk,
            "day[day]": "5",
            "day[month]": "1",
            "day[year]": "2026",
            "start": "08:00",
            "end": "17:00",
            "kind": "shift",
        },
    )
    assert ok.status_code == 302
    assert Duty.objects.get(rota=rota).start.date() == dt.date(2026, 1, 5)


def test_the_supervisor_is_chosen_with_the_person_picker(trust: Trust, trainee: Person, supervisor: Person) -> None:
    for _ in range(20):
        PersonFactory(trust=trust, grade=Grade.CONSULTANT)
    doctor = make_user((Role.DOCTOR, trust), person=trainee)
    page = client_for(doctor).get(f"/t/{trust.code}/exception-reports/new/").content.decode()
    assert 'name="supervisor"' in page and "data-person-picker" in page
    assert page.count("<option") < 15  # no list of the trust's consultants


def _rest_report(trust: Trust, doctor: Person, supervisor: Person, day: dt.date) -> ExceptionReport:
    return ExceptionReport.objects.create(
        trust=trust,
        doctor=doctor,
        supervisor=supervisor,
        occurred_on=day,
        kind="rest",
        description="Missed rest",
        rules_version="v12",
        route="supervisor",
    )


def test_a_fine_is_checked_with_its_calculation_then_confirmed_and_the_rate_is_not_typed_twice(
    trust: Trust, trainee: Person, supervisor: Person
) -> None:
    """Issue 31: check your answers shows the fine's calculation and split (nothing saved), the confirmation says
    what happens next, the doctor's hourly rate is filled in from the guardian's last fine for them, and a fine that
    cannot be levied is not offered (a forced post is refused)."""
    guardian = client_for(make_user((Role.GUARDIAN, trust)))
    report = _rest_report(trust, trainee, supervisor, dt.date(2025, 5, 1))
    url = f"/t/{trust.code}/exception-reports/{report.pk}/fine/"
    answers = {"fine_category": "rest_11h", "fine_hours": "1.5", "fine_hourly_rate": "20", "fine_note": ""}
    check = guardian.post(url + "check/", answers).content.decode()
    assert "Check your answers before you record the fine" in check and "Change" in check
    assert 'name="csrfmiddlewaretoken"' in check  # the confirm posts from a browser too
    # by hand: 1.5 hours at 4 times £20 = £120; 1.5 times to the doctor = £45, the rest (£75) to the guardian's fund
    assert "1.5 hours × £20.00 × 4 (the penalty rate) = £120.00" in check
    assert "1.5 × £20.00 × 1.5 = £45.00" in check and "£75.00" in check
    report.refresh_from_db()
    assert report.fine_category == "" and report.fine_amount is None  # nothing saved before the confirm

    done = guardian.post(url, answers)
    assert done["Location"] == url + "recorded/"
    confirmation = guardian.get(done["Location"]).content.decode()
    assert "Fine recorded" in confirmation and "What happens next" in confirmation
    assert "£45.00 is paid to" in confirmation and "£75.00 goes to the guardian&#39;s fund" in confirmation
    report.refresh_from_db()
    assert report.fine_amount == Decimal("120.00")

    later = _rest_report(trust, trainee, supervisor, dt.date(2025, 6, 1))
    page = guardian.get(f"/t/{trust.code}/exception-reports/{later.pk}/").content.decode()
    assert 'value="20.00"' in page and "Filled in from your fine for" in page and "1 May 2025" in page

    old = _rest_report(trust, trainee, supervisor, dt.date(2016, 1, 1))
    page = guardian.get(f"/t/{trust.code}/exception-reports/{old.pk}/").content.decode()
    assert "A fine cannot be levied for this report" in page and "fine/check/" not in page
    forced = guardian.post(f"/t/{trust.code}/exception-reports/{old.pk}/fine/", answers).content.decode()
    assert "There is a problem" in forced and "A fine cannot be levied for this report" in forced
    old.refresh_from_db()
    assert old.fine_category == ""
