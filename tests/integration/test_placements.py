"""Issue 34, lead employers and host trusts (ADR 0035): recording a placement (form, check your answers,
confirmation), the doctor's record at the host, ending one early, bad input on every form, the host's rota holding
the placed doctor by the host's rules, their reports reaching the guardians and teams the arrangement names, and
the lists' query counts. Expected answers are worked by hand."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable
from typing import Any

import pytest
from django.core import mail
from django.db import connection
from django.test.utils import CaptureQueriesContext

from medlead.accounts.models import Role
from medlead.core.actors import SystemActor
from medlead.core.audit import AuditEvent
from medlead.core.dates import today
from medlead.organisation.hooks import REPORTS_REACHING_LEAD_EMPLOYER
from medlead.organisation.models import ExceptionReportingBy, Grade, Person, Placement
from medlead.rota import selectors as rota_selectors
from medlead.rota import services as rota_services
from medlead.rota.models import ExceptionReport, ReportKind, ReportStatus, Rota, RotaBreach, Route
from medlead.rulebook import services as rulebook
from tests.conftest import client_for
from tests.factories import PersonFactory, RegionFactory, TrustFactory, make_user, placed_doctor, placement

pytestmark = pytest.mark.django_db

SYSTEM = SystemActor("test set-up")
BOTH, HOST, LEAD = ExceptionReportingBy.BOTH, ExceptionReportingBy.HOST, ExceptionReportingBy.LEAD_EMPLOYER


@pytest.fixture
def w(db: None) -> dict[str, Any]:
    region = RegionFactory()
    lead = TrustFactory(region=region, name="Riverside Trust")
    host = TrustFactory(region=region, name="Northbridge Trust")
    resident = PersonFactory(
        trust=lead,
        grade=Grade.CORE_TRAINEE,
        contracted_pas=None,
        first_name="Ada",
        last_name="Okafor",
        gmc_number="7654321",
        email="ada@lead.example",
        staff_number="LEAD001",
    )
    return {
        "lead": lead,
        "host": host,
        "resident": resident,
        "consultant": PersonFactory(trust=lead, grade=Grade.CONSULTANT),
        "lead_hr": make_user((Role.MEDICAL_STAFFING, lead), username="lead_hr", email="lead-hr@example.org"),
        "lead_guardian": make_user((Role.GUARDIAN, lead), username="lead_guardian"),
        "host_hr": make_user((Role.MEDICAL_STAFFING, host), username="host_hr", email="host-hr@example.org"),
        "host_guardian": make_user((Role.GUARDIAN, host), username="host_guardian"),
    }


def _post(w: dict[str, Any], **changes: Any) -> dict[str, Any]:
    start = today() + dt.timedelta(days=7)
    data = {
        "employee": w["resident"].gmc_number,
        "host": w["host"].pk,
        "starts_on": start.isoformat(),
        "ends_on": (start + dt.timedelta(weeks=26)).isoformat(),
        "exception_reporting": BOTH,
    }
    data.update(changes)
    return {k: v for k, v in data.items() if v is not None}


def _url(w: dict[str, Any], tail: str = "") -> str:
    return f"/t/{w['lead'].code}/placements/{tail}"


# ----------------------------------------------------------------------------------------------- recording one


def test_a_placement_is_checked_then_confirmed_and_the_host_gets_only_a_name_gmc_number_and_grade(
    w: dict[str, Any],
) -> None:
    client = client_for(w["lead_hr"])
    assert client.get(_url(w, "new/")).status_code == 200
    check = client.post(_url(w, "new/"), _post(w))
    page = check.content.decode()
    assert check.status_code == 200 and "Check your answers before you record the placement" in page
    assert "Dr Ada Okafor (GMC 7654321), Core trainee (CT1–CT3)" in page and "Northbridge Trust" in page
    assert not Placement.objects.exists() and not Person.objects.filter(trust=w["host"]).exists()  # nothing yet

    done = client.post(_url(w, "new/confirm/"), _post(w))
    made = Placement.objects.get()
    assert done.status_code == 302 and done["Location"] == _url(w, f"{made.pk}/recorded/")
    confirmation = client.get(done["Location"]).content.decode()
    assert "Placement recorded" in confirmation and "What happens next" in confirmation
    assert "reach both Northbridge Trust&#39;s guardian of safe working hours and yours" in confirmation

    at_host = made.placed_as
    assert (at_host.trust, at_host.first_name, at_host.last_name) == (w["host"], "Ada", "Okafor")
    assert (at_host.gmc_number, at_host.grade, at_host.kind) == ("7654321", Grade.CORE_TRAINEE, "doctor")
    # nothing else of the lead employer's record reaches the host
    assert (at_host.email, at_host.staff_number, at_host.specialty_id) == ("", "", None)
    assert made.employee == w["resident"] and made.exception_reporting == BOTH
    recorded = AuditEvent.objects.filter(actor_id=w["lead_hr"].pk, action="create")
    assert set(recorded.values_list("model", flat=True)) == {"organisation.person", "organisation.placement"}


def test_the_host_record_is_found_by_gmc_number_and_brought_back_if_it_had_left(w: dict[str, Any]) -> None:
    kept = PersonFactory(
        trust=w["host"], grade=Grade.CORE_TRAINEE, gmc_number="7654321", first_name="Ada", last_name="Okafor-Smith"
    )
    kept.active = False
    kept.save()
    client = client_for(w["lead_hr"])
    client.post(_url(w, "new/confirm/"), _post(w))
    made = Placement.objects.get()
    assert made.placed_as == kept
    kept.refresh_from_db()
    assert kept.active and kept.last_name == "Okafor-Smith"  # the host's record, as the host keeps it
    assert Person.objects.filter(trust=w["host"]).count() == 1


BAD_RECORD: dict[str, dict[str, Any]] = {
    "a consultant": {"employee": "CONSULTANT"},
    "another trust's doctor": {"employee": "HOST_DOCTOR"},
    "nobody by that name": {"employee": "Nobody Atall"},
    "a 20-digit id": {"employee": "12345678901234567890"},
    "the lead employer as host": {"host": "LEAD"},
    "a host id that is text": {"host": "abc"},
    "a host id far too large": {"host": "99999999999999999999"},
    "no host": {"host": ""},
    "a date that is no date": {"starts_on": "0000-00-00"},
    "a date that is text": {"ends_on": "soon"},
    "an end before the start": {"ends_on": "2026-01-01", "starts_on": "2026-02-01"},
    "an arrangement medlead does not know": {"exception_reporting": "nobody"},
    "no arrangement": {"exception_reporting": ""},
    "SQL in the doctor box": {"employee": "'; DROP TABLE organisation_person; --"},
    "a very long doctor box": {"employee": "x" * 100_000},
}


@pytest.mark.parametrize("case", sorted(BAD_RECORD))
@pytest.mark.parametrize("step", ["new/", "new/confirm/"])
def test_bad_input_to_the_placement_form_is_a_form_error(w: dict[str, Any], case: str, step: str) -> None:
    other = PersonFactory(trust=w["host"], grade=Grade.CORE_TRAINEE)
    names = {"CONSULTANT": w["consultant"].gmc_number, "HOST_DOCTOR": other.gmc_number, "LEAD": w["lead"].pk}
    changes = {k: names.get(v, v) if isinstance(v, str) else v for k, v in BAD_RECORD[case].items()}
    response = client_for(w["lead_hr"]).post(_url(w, step), _post(w, **changes))
    assert response.status_code == 200, case
    assert "There is a problem" in response.content.decode(), case
    assert not Placement.objects.exists()


def test_a_doctor_is_placed_in_one_host_at_a_time(w: dict[str, Any]) -> None:
    elsewhere = TrustFactory(region=w["host"].region, name="Eastmoor Trust")
    client = client_for(w["lead_hr"])
    client.post(_url(w, "new/confirm/"), _post(w))
    start = today() + dt.timedelta(weeks=10)  # inside the first placement
    response = client.post(_url(w, "new/"), _post(w, host=elsewhere.pk, starts_on=start.isoformat()))
    assert "is already placed in Northbridge Trust" in response.content.decode()
    assert Placement.objects.count() == 1


def test_only_the_lead_employers_medical_staffing_records_placements(w: dict[str, Any]) -> None:
    assert client_for(w["lead_guardian"]).get(_url(w, "new/")).status_code == 403
    assert client_for(w["lead_guardian"]).post(_url(w, "new/confirm/"), _post(w)).status_code == 403
    # the host's medical staffing cannot see the lead employer at all
    assert client_for(w["host_hr"]).post(_url(w, "new/confirm/"), _post(w)).status_code == 404
    assert not Placement.objects.exists()


def test_medical_staffing_never_places_themselves(w: dict[str, Any]) -> None:
    w["lead_hr"].person = w["resident"]
    w["lead_hr"].save()
    response = client_for(w["lead_hr"]).post(_url(w, "new/confirm/"), _post(w))
    assert response.status_code == 403
    assert not Placement.objects.exists()


# ----------------------------------------------------------------------------------------------- ending one early


@pytest.fixture
def running(w: dict[str, Any]) -> Placement:
    employee, at_host = w["resident"], PersonFactory(trust=w["host"], grade=Grade.CORE_TRAINEE, gmc_number="7654321")
    return placement(
        employee,
        at_host,
        starts_on=today() - dt.timedelta(weeks=4),
        ends_on=today() + dt.timedelta(weeks=20),
        arrangement=LEAD,
    )


def test_ending_a_placement_early_is_checked_then_confirmed(w: dict[str, Any], running: Placement) -> None:
    client = client_for(w["lead_hr"])
    page = client.get(_url(w, f"{running.pk}/")).content.decode()
    assert "End the placement early" in page
    new_end = today() + dt.timedelta(days=3)
    check = client.post(_url(w, f"{running.pk}/end/"), {"ends_on": new_end.isoformat()})
    assert "Check your answers before you end the placement early" in check.content.decode()
    running.refresh_from_db()
    assert running.ends_on == today() + dt.timedelta(weeks=20)  # nothing yet
    done = client.post(_url(w, f"{running.pk}/end/confirm/"), {"ends_on": new_end.isoformat()})
    assert done["Location"] == _url(w, f"{running.pk}/ended/")
    assert "Placement ended early" in client.get(done["Location"]).content.decode()
    running.refresh_from_db()
    assert running.ends_on == new_end
    assert AuditEvent.objects.filter(model="organisation.placement", action="update", note="placement ended early")


BAD_END = {
    "yesterday": -1,
    "the day it was to end": 20 * 7,
    "after it was to end": 20 * 7 + 1,
    "before it started": -4 * 7 - 1,
}


@pytest.mark.parametrize("case", [*sorted(BAD_END), "text", "0000-00-00", "nothing"])
@pytest.mark.parametrize("step", ["end/", "end/confirm/"])
def test_bad_input_to_the_end_form_is_a_form_error(w: dict[str, Any], running: Placement, case: str, step: str) -> None:
    value = (today() + dt.timedelta(days=BAD_END[case])).isoformat() if case in BAD_END else case
    response = client_for(w["lead_hr"]).post(
        _url(w, f"{running.pk}/{step}"), {"ends_on": "" if case == "nothing" else value}
    )
    assert response.status_code == 200 and "There is a problem" in response.content.decode(), case
    running.refresh_from_db()
    assert running.ends_on == today() + dt.timedelta(weeks=20)


def test_the_host_sees_the_placement_but_may_not_end_it(w: dict[str, Any], running: Placement) -> None:
    client = client_for(w["host_hr"])
    page = client.get(f"/t/{w['host'].code}/placements/{running.pk}/").content.decode()
    assert "Riverside Trust" in page and "End the placement early" not in page
    assert (
        client.post(f"/t/{w['host'].code}/placements/{running.pk}/end/", {"ends_on": today().isoformat()}).status_code
        == 403
    )


# ------------------------------------------------------------------------------------- the host's rota holds them


def test_the_host_rota_holds_the_placed_doctor_and_checks_them_by_the_hosts_rules(w: dict[str, Any]) -> None:
    _, at_host = placed_doctor(w["lead"], w["host"])
    placement(
        at_host_employee := _, at_host, starts_on=dt.date(2026, 1, 1), ends_on=dt.date(2026, 6, 30), arrangement=BOTH
    )
    assert at_host_employee.trust == w["lead"]
    # the host's medical staffing confirms a 12-hour limit on a shift; the lead employer keeps the national 13
    rulebook.confirm(
        actor=w["host_hr"],
        trust=w["host"],
        file="rota_rules/tcs2016-2019.yaml",
        key="rules.max_shift_length.limit_hours",
        value=12,
        applies_from=dt.date(2026, 1, 1),
        document_title="The host's policy",
        document_date=dt.date(2026, 1, 1),
    )
    rota = rota_services.rota_create(actor=w["host_hr"], trust=w["host"], name="Surgery", rule_set="tcs2016-2019")
    response = client_for(w["host_hr"]).post(
        f"/t/{w['host'].code}/rotas/{rota.pk}/members/new/", {"person": at_host.gmc_number}
    )
    assert response.status_code == 302
    start = dt.datetime(2026, 2, 2, 8)
    rota_services.duty_add(
        actor=w["host_hr"], rota=rota, person=at_host, start=start, end=start + dt.timedelta(hours=12, minutes=30)
    )
    # 12 h 30 min: within the national 13 hours, beyond the host's confirmed 12
    assert list(RotaBreach.objects.filter(rota=rota).values_list("person_id", "rule")) == [
        (at_host.pk, "max_shift_length")
    ]
    assert Rota.objects.get(pk=rota.pk).trust == w["host"]


# ------------------------------------------------------------------------- reports, fines and who is told


def _report(doctor: Person, on: dt.date, **extra: Any) -> ExceptionReport:
    return ExceptionReport.objects.create(
        trust=doctor.trust,
        doctor=doctor,
        rules_version="v13",
        route=Route.MEDICAL_WORKFORCE,
        occurred_on=on,
        kind=ReportKind.HOURS,
        extra_minutes=30,
        description="Late.",
        status=ReportStatus.SUBMITTED,
        **extra,
    )


@pytest.mark.parametrize(
    ("arrangement", "told"),
    [
        (BOTH, {"lead-hr@example.org", "host-hr@example.org"}),
        (LEAD, {"lead-hr@example.org"}),
        (HOST, {"host-hr@example.org"}),
    ],
)
def test_a_new_report_is_announced_to_the_medical_workforce_the_arrangement_names(
    w: dict[str, Any], arrangement: str, told: set[str], django_capture_on_commit_callbacks: Any
) -> None:
    employee, at_host = placed_doctor(w["lead"], w["host"])
    day = today() - dt.timedelta(days=3)
    placement(
        employee,
        at_host,
        starts_on=day - dt.timedelta(days=30),
        ends_on=day + dt.timedelta(days=90),
        arrangement=arrangement,
    )
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        _submit(at_host, day)
    assert {address for message in mail.outbox for address in message.to} == told


def _submit(at_host: Person, day: dt.date) -> None:
    rota_services.report_submit(
        actor=SYSTEM,
        doctor=at_host,
        occurred_on=day,
        kind=ReportKind.HOURS,
        extra_minutes=60,
        description="Stayed late.",
        preferred="pay",
    )


def test_the_lead_employers_guardian_records_the_fine_at_the_hosts_rates(w: dict[str, Any]) -> None:
    employee, at_host = placed_doctor(w["lead"], w["host"])
    placement(employee, at_host, starts_on=dt.date(2026, 3, 1), ends_on=dt.date(2026, 8, 31), arrangement=LEAD)
    report = _report(at_host, dt.date(2026, 5, 4))
    client = client_for(w["lead_guardian"])
    fine = {"fine_category": "shift_over_13h", "fine_hours": "0.5", "fine_hourly_rate": "25", "fine_note": ""}
    check = client.post(f"/t/{w['lead'].code}/exception-reports/{report.pk}/fine/check/", fine)
    assert "0.5 hours × £25.00 × 4 (the penalty rate) = £50.00" in check.content.decode()
    done = client.post(f"/t/{w['lead'].code}/exception-reports/{report.pk}/fine/", fine)
    assert done.status_code == 302
    report.refresh_from_db()
    assert report.fine_amount == 50 and report.trust == w["host"]
    # the host's guardian may not: the arrangement sends this report to the lead employer's guardian only
    host_client = client_for(w["host_guardian"])
    assert host_client.post(f"/t/{w['host'].code}/exception-reports/{report.pk}/fine/", fine).status_code == 404


def test_the_guardians_quarterly_reports_count_the_reports_each_oversees(w: dict[str, Any]) -> None:
    employee, at_host = placed_doctor(w["lead"], w["host"])
    placement(employee, at_host, starts_on=dt.date(2026, 4, 1), ends_on=dt.date(2026, 4, 30), arrangement=LEAD)
    placement(employee, at_host, starts_on=dt.date(2026, 5, 1), ends_on=dt.date(2026, 5, 31), arrangement=BOTH)
    own = PersonFactory(trust=w["host"], grade=Grade.CORE_TRAINEE)
    _report(at_host, dt.date(2026, 4, 10))  # the lead employer's only
    _report(at_host, dt.date(2026, 5, 10))  # both
    _report(own, dt.date(2026, 6, 10))  # the host's own doctor
    # Q1 of 2026/27 is April to June 2026
    assert rota_selectors.guardian_report(trust=w["host"], year=2026, quarter=1)["total"] == 2
    assert rota_selectors.guardian_report(trust=w["lead"], year=2026, quarter=1)["total"] == 2


def test_the_lead_employers_list_counts_each_placements_reports_that_reach_its_guardian(w: dict[str, Any]) -> None:
    employee, at_host = placed_doctor(w["lead"], w["host"])
    both = placement(employee, at_host, starts_on=dt.date(2026, 4, 1), ends_on=dt.date(2026, 6, 30), arrangement=BOTH)
    host_only = placement(
        employee, at_host, starts_on=dt.date(2026, 7, 1), ends_on=dt.date(2026, 9, 30), arrangement=HOST
    )
    for day in (dt.date(2026, 4, 1), dt.date(2026, 6, 30), dt.date(2026, 7, 2)):
        _report(at_host, day)
    _report(PersonFactory(trust=w["host"], grade=Grade.CORE_TRAINEE), dt.date(2026, 5, 5))  # another doctor's
    # two of the doctor's reports fall in the first placement; the third in the second, whose reports reach the
    # host's guardian only
    assert REPORTS_REACHING_LEAD_EMPLOYER([both.pk, host_only.pk]) == {both.pk: 2}
    page = client_for(w["lead_hr"]).get(_url(w)).content.decode()
    cells = re.findall(r'<td class="nhsuk-table__cell">([^<]*)</td>\s*</tr>', page)
    assert cells == ["None: they reach the host's guardian only", "2"]


# --------------------------------------------------------------------------------------------- query counts


def _queries(fetch: Callable[[], Any]) -> int:
    with CaptureQueriesContext(connection) as ctx:
        fetch()
    return len(ctx.captured_queries)


def test_the_placement_lists_cost_the_same_queries_however_many_placements(
    w: dict[str, Any], django_assert_max_num_queries: Any
) -> None:
    client = client_for(w["lead_hr"])
    host_client = client_for(w["host_hr"])

    def add(n: int) -> None:
        for i in range(n):
            employee, at_host = placed_doctor(w["lead"], w["host"])
            start = dt.date(2026, 1, 1) + dt.timedelta(days=i)
            placement(employee, at_host, starts_on=start, ends_on=start + dt.timedelta(days=90), arrangement=BOTH)
            _report(at_host, start)

    add(1)
    client.get(_url(w))
    counts = [
        (
            _queries(lambda: client.get(_url(w))),
            _queries(lambda: host_client.get(f"/t/{w['host'].code}/placements/?side=in")),
        )
    ]
    add(12)
    counts.append(
        (
            _queries(lambda: client.get(_url(w))),
            _queries(lambda: host_client.get(f"/t/{w['host'].code}/placements/?side=in")),
        )
    )
    assert counts[0] == counts[1], counts
    with django_assert_max_num_queries(14):
        client.get(_url(w))


def test_the_lead_employers_guardian_pages_cost_the_same_queries_however_many_placed_reports(
    w: dict[str, Any], django_assert_max_num_queries: Any
) -> None:
    client = client_for(w["lead_guardian"])
    lead = w["lead"].code

    def add(n: int) -> None:
        for _ in range(n):
            employee, at_host = placed_doctor(w["lead"], w["host"])
            placement(employee, at_host, starts_on=dt.date(2026, 1, 1), ends_on=dt.date(2026, 12, 31), arrangement=BOTH)
            _report(at_host, dt.date(2026, 3, 3))
            _report(at_host, dt.date(2026, 3, 4))

    add(1)
    client.get(f"/t/{lead}/")
    pages = [f"/t/{lead}/", f"/t/{lead}/exception-reports/", f"/t/{lead}/exception-reports/?waiting=outcome"]
    before = [_queries(lambda url=url: client.get(url)) for url in pages]
    add(10)
    after = [_queries(lambda url=url: client.get(url)) for url in pages]
    assert before == after
    listed = client.get(f"/t/{lead}/exception-reports/").content.decode()
    assert len(set(re.findall(r"/exception-reports/(\d+)/", listed))) == 22
    assert (
        "22 exception reports in the trust still waiting for an outcome" in client.get(f"/t/{lead}/").content.decode()
    )
    with django_assert_max_num_queries(16):
        client.get(f"/t/{lead}/exception-reports/")


def test_a_placed_doctor_reports_extra_hours_at_the_host_without_naming_a_supervisor(w: dict[str, Any]) -> None:
    """Under version 13 the report goes to medical workforce: a doctor new to the host names no supervisor there."""
    employee, at_host = placed_doctor(w["lead"], w["host"])
    day = today() - dt.timedelta(days=2)
    placement(
        employee, at_host, starts_on=day - dt.timedelta(days=9), ends_on=day + dt.timedelta(days=90), arrangement=BOTH
    )
    doctor = make_user((Role.DOCTOR, w["host"]), person=at_host)
    response = client_for(doctor).post(
        f"/t/{w['host'].code}/exception-reports/new/",
        {
            "occurred_on": day.isoformat(),
            "kind": "hours",
            "extra_minutes": "45",
            "description": "Late.",
            "preferred": "pay",
        },
    )
    report = ExceptionReport.objects.get()
    assert response.status_code == 302 and (report.route, report.supervisor) == (Route.MEDICAL_WORKFORCE, None)
    page = client_for(doctor).get(response["Location"]).content.decode()
    assert "Northbridge Trust&#39;s (the host) and Riverside Trust&#39;s (the doctor&#39;s lead employer)" in page
