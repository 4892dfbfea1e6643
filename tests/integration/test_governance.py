"""The board's view (issue 16): metrics and their import, the board report kept as the board saw it, meetings,
decisions and the action log that chases them, and who may see or change each."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError

from medlead.accounts.models import Role, User
from medlead.governance import selectors, services
from medlead.governance.models import Action, BoardReport, Meeting, Metric, MetricValue, ReportStatus
from medlead.home.presenters import work_for
from medlead.imports import services as imports
from medlead.organisation.models import Grade, Person, Trust
from tests.conftest import client_for
from tests.factories import PersonFactory, make_user
from tests.pdf_text import pdf_text

pytestmark = pytest.mark.django_db
TODAY = dt.date(2026, 11, 30)


@pytest.fixture
def md(trust: Trust) -> User:
    person = PersonFactory(trust=trust, grade=Grade.CONSULTANT, first_name="Meera", last_name="Shah")
    return make_user((Role.MEDICAL_DIRECTOR, trust), (Role.DOCTOR, trust), person=person)


@pytest.fixture
def ned(trust: Trust) -> User:
    return make_user((Role.NON_EXECUTIVE, trust))


@pytest.fixture
def owner(trust: Trust) -> User:
    person = PersonFactory(trust=trust, grade=Grade.CONSULTANT, email="owner@example.org")
    return make_user((Role.DOCTOR, trust), person=person)


def shmi(md: User, trust: Trust) -> Metric:
    return services.metric_create(
        actor=md,
        trust=trust,
        code="shmi",
        name="SHMI",
        definition="Deaths against expected.",
        direction="down",
        section="quality_safety",
        target=1.0,
    )


def csv(*rows: str) -> bytes:
    return ("metric,date,value\n" + "\n".join(rows) + "\n").encode()


def test_a_metric_values_file_is_checked_row_by_row_and_changes_nothing_when_wrong(md: User, trust: Trust) -> None:
    shmi(md, trust)
    services.computed_metrics_ensure(trust=trust)
    bad = csv(
        "shmi,2026-01-01,1.01",
        "shmi,2026-01-15,1.02",  # the same month again
        "mortality,2026-02-01,1",
        "shmi,31/02/2026,1",
        "shmi,2026-03-01,lots",
        "appraisal_rate,2026-03-01,90",
    )
    batch = imports.check(actor=md, trust=trust, kind="metric_values", filename="m.csv", content=bad, params={})
    reasons = [e["reason"] for e in batch.summary["errors"]]
    assert reasons == [
        "row 3, column 'date': shmi already has a value for this period on row 2",
        "row 4, column 'metric': the trust has no metric called 'mortality'",
        "row 5, column 'date': '31/02/2026' is not a date like 2026-04-01",
        "row 6, column 'value': 'lots' is not a number",
        "row 7, column 'metric': 'appraisal_rate' is computed by medlead and cannot be imported",
    ]
    assert MetricValue.objects.count() == 0

    good = csv("shmi,2026-01-01,1.01", "shmi,2026-02-01,0.99")
    batch = imports.check(actor=md, trust=trust, kind="metric_values", filename="m.csv", content=good, params={})
    assert batch.summary["errors"] == [] and batch.summary["creates"] == 2
    assert MetricValue.objects.count() == 0  # the dry run kept nothing
    imports.apply(batch=batch)
    assert list(MetricValue.objects.order_by("period").values_list("period", "value")) == [
        (dt.date(2026, 1, 1), 1.01),
        (dt.date(2026, 2, 1), 0.99),
    ]


def test_only_the_office_manages_metrics_and_a_doctor_does_not_see_them(
    md: User, owner: User, ned: User, trust: Trust
) -> None:
    with pytest.raises(PermissionDenied):
        services.metric_create(
            actor=ned, trust=trust, code="x", name="X", definition="x", direction="up", section="workforce"
        )
    shmi(md, trust)
    assert client_for(ned).get(f"/t/{trust.code}/board/").status_code == 200
    assert client_for(owner).get(f"/t/{trust.code}/board/").status_code == 403
    assert client_for(ned).get(f"/t/{trust.code}/board/metrics/new/").status_code == 403


def test_computed_metrics_are_recorded_once_a_month_however_often_they_run(trust: Trust) -> None:
    first = services.computed_metrics_record(trust=trust, today=TODAY)
    again = services.computed_metrics_record(trust=trust, today=TODAY)
    # every computed metric but the notice of rotas (issue 32): no rotation starts this month, so it has no point
    assert first == again == len(services.catalogue()["computed"]) - 1
    assert MetricValue.objects.filter(trust=trust).count() == first
    assert not MetricValue.objects.filter(trust=trust, metric__code="notice_on_time").exists()
    assert set(MetricValue.objects.values_list("period", flat=True)) == {dt.date(2026, 11, 1)}


def test_metric_charts_take_the_same_queries_for_one_metric_or_many(
    md: User, trust: Trust, django_assert_num_queries, django_assert_max_num_queries
) -> None:
    def add(code: str) -> None:
        m = services.metric_create(
            actor=md, trust=trust, code=code, name=code, definition="x", direction="up", section="workforce"
        )
        for month in range(1, 13):
            services.value_record(actor=md, metric=m, on=dt.date(2026, month, 1), value=float(month % 3))

    add("a")
    # the metrics, their values and rebases, and the trust's confirmed chart settings
    with django_assert_num_queries(4):
        assert len(selectors.metric_views(trust=trust)) == 1
    for code in "bcdef":
        add(code)
    # (the trust's confirmations are remembered on its record once read: at most the same four)
    with django_assert_max_num_queries(4):
        views = selectors.metric_views(trust=trust)
    assert len(views) == 6 and all(v.chart is not None for v in views)


def meeting(md: User, trust: Trust, on: dt.date = dt.date(2026, 12, 10)) -> Meeting:
    return services.meeting_create(actor=md, trust=trust, body="trust_board", on=on)


def test_an_issued_report_keeps_what_the_board_was_shown(md: User, ned: User, trust: Trust) -> None:
    metric = shmi(md, trust)
    for month, value in ((1, 1.02), (2, 1.01), (3, 1.03)):
        services.value_record(actor=md, metric=metric, on=dt.date(2026, month, 1), value=value)
    report = services.report_start(actor=md, meeting=meeting(md, trust))
    assert services.report_start(actor=md, meeting=report.meeting).pk == report.pk  # a double click: one draft
    with pytest.raises(PermissionDenied):
        services.narrative_set(actor=ned, report=report, section="quality_safety", text="x")
    with pytest.raises(ValidationError, match="The report cannot be issued yet: write a narrative for"):
        services.report_issue(actor=md, report=report, today=TODAY)
    for code in services.section_names():
        report = services.narrative_set(actor=md, report=report, section=code, text=f"About {code}.")
    report = services.report_issue(actor=md, report=report, today=TODAY)
    assert report.status == ReportStatus.ISSUED and report.issued_by == md.person

    services.value_record(actor=md, metric=metric, on=dt.date(2026, 4, 1), value=0.7)  # later data
    shown = selectors.report_sections(report=BoardReport.objects.get(pk=report.pk), today=TODAY)
    quality = next(s for s in shown if s.code == "quality_safety")
    assert [p["value"] for p in quality.metrics[0]["chart"]["points"]] == [1.02, 1.01, 1.03]
    with pytest.raises(PermissionDenied):
        services.narrative_set(actor=md, report=report, section="quality_safety", text="changed")

    second = services.report_start(actor=md, meeting=report.meeting)
    assert second.version == 2 and second.status == ReportStatus.DRAFT
    assert second.narratives["quality_safety"] == "About quality_safety."


def test_the_report_pdf_names_the_trust_meeting_version_and_who_issued_it(md: User, ned: User, trust: Trust) -> None:
    report = services.report_start(actor=md, meeting=meeting(md, trust))
    for code in services.section_names():
        report = services.narrative_set(actor=md, report=report, section=code, text=f"Narrative for {code}.")
    services.report_issue(actor=md, report=report, today=TODAY)
    response = client_for(ned).get(f"/t/{trust.code}/board/reports/{report.pk}/pdf/")
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    text = " ".join(pdf_text(response.content).split())
    for words in (trust.name, "Trust board, 10 December 2026", "1, issued on 30 November 2026", "Meera Shah"):
        assert words in text
    assert "Narrative for safe_working." in text
    assert client_for(ned).get(f"/t/{trust.code}/board/reports/{report.pk}/issue/").status_code == 403
    confirm = client_for(ned).post(f"/t/{trust.code}/board/reports/{report.pk}/issue/confirm/")
    assert confirm.status_code == 302  # already issued: to its confirmation, nothing changed


def test_the_action_log_chases_actions_and_their_owners(md: User, owner: User, ned: User, trust: Trust) -> None:
    mt = meeting(md, trust, on=dt.date(2026, 10, 1))
    decision = services.decision_add(actor=md, meeting=mt, text="Review the acute medicine rota.")
    assert owner.person is not None
    late = services.action_add(
        actor=md,
        trust=trust,
        title="Review the rota",
        owner=owner.person,
        due=TODAY - dt.timedelta(days=3),
        decision=decision,
    )
    soon = services.action_add(
        actor=md, trust=trust, title="Report back", owner=owner.person, due=TODAY + dt.timedelta(days=5)
    )
    other = services.action_add(
        actor=md,
        trust=trust,
        title="Someone else's",
        owner=PersonFactory(trust=trust),
        due=TODAY - dt.timedelta(days=9),
    )
    assert late.meeting == mt  # from the decision's meeting

    mine = list(selectors.actions_for(actor=owner, trust=trust, today=TODAY))
    assert [a.title for a in mine] == ["Review the rota", "Report back"]  # their own only, overdue first
    everyone = list(selectors.actions_for(actor=ned, trust=trust, today=TODAY))
    assert [a.title for a in everyone] == ["Someone else's", "Review the rota", "Report back"]
    assert client_for(owner).get(f"/t/{trust.code}/board/actions/{other.pk}/").status_code == 403

    words = [t.words for t in work_for(owner, trust, today=TODAY)]
    assert "action you own is overdue" in words and "action you own falls due within a week" in words

    with pytest.raises(ValidationError, match="Say why"):
        services.action_update(actor=owner, action=soon, progress="", status="dropped", today=TODAY)
    with pytest.raises(PermissionDenied):  # an owner does not move their own deadline
        services.action_update(
            actor=owner, action=late, progress="Begun", status="open", today=TODAY, due=TODAY + dt.timedelta(days=30)
        )
    done = services.action_update(actor=owner, action=late, progress="Reviewed.", status="done", today=TODAY)
    assert done.closed_on == TODAY
    with pytest.raises(PermissionDenied):  # a closed action stays closed
        services.action_update(actor=owner, action=done, progress="again", status="open", today=TODAY)


def test_owners_are_reminded_once_before_the_due_date_and_once_when_overdue(
    md: User, owner: User, trust: Trust, django_capture_on_commit_callbacks
) -> None:
    assert owner.person is not None
    action = services.action_add(
        actor=md, trust=trust, title="Name successors", owner=owner.person, due=dt.date(2026, 12, 10)
    )
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        assert services.actions_remind(today=dt.date(2026, 11, 20)) == 0  # more than a week ahead
        assert services.actions_remind(today=dt.date(2026, 12, 4)) == 1
        assert services.actions_remind(today=dt.date(2026, 12, 5)) == 0
        assert services.actions_remind(today=dt.date(2026, 12, 11)) == 1  # now overdue
        assert services.actions_remind(today=dt.date(2026, 12, 12)) == 0
    assert [m.to for m in mail.outbox] == [["owner@example.org"], ["owner@example.org"]]
    assert "is overdue" in mail.outbox[1].subject
    Action.objects.filter(pk=action.pk).update(status="done")
    assert services.actions_remind(today=dt.date(2026, 12, 20)) == 0


def test_external_bodies_and_their_engagements(md: User, ned: User, trust: Trust) -> None:
    body = services.body_add(actor=md, trust=trust, name="Care Quality Commission", kind="cqc")
    with pytest.raises(ValidationError, match="already in the register"):
        services.body_add(actor=md, trust=trust, name="care quality commission", kind="cqc")
    with pytest.raises(PermissionDenied):
        services.body_add(actor=ned, trust=trust, name="A university", kind="university")
    services.engagement_add(actor=md, body=body, on=TODAY, summary="Well-led inspection feedback.", by=md.person)
    page = client_for(md).get(f"/t/{trust.code}/board/external/{body.pk}/")
    assert "Well-led inspection feedback." in page.content.decode()
    assert client_for(ned).get(f"/t/{trust.code}/board/external/").status_code == 403


def test_another_trusts_records_are_not_found(md: User, trust: Trust, other_trust: Trust) -> None:
    other_md = make_user((Role.MEDICAL_DIRECTOR, other_trust))
    mt = meeting(other_md, other_trust)
    report = services.report_start(actor=other_md, meeting=mt)
    assert client_for(md).get(f"/t/{trust.code}/board/reports/{report.pk}/").status_code == 404
    assert client_for(md).get(f"/t/{trust.code}/board/meetings/{mt.pk}/").status_code == 404
    assert isinstance(Person.objects.first(), Person)


def test_specialties_are_compared_in_a_fixed_number_of_queries(
    md: User, ned: User, trust: Trust, django_assert_num_queries
) -> None:
    from medlead.revalidation.models import Appraisal, Connection
    from tests.factories import SpecialtyFactory

    def doctors(n: int, appraised: int) -> None:
        specialty = SpecialtyFactory(trust=trust)
        for i in range(n):
            person = PersonFactory(trust=trust, specialty=specialty)
            Connection.objects.create(
                trust=trust, person=person, connected_on=dt.date(2020, 1, 1), submission_date=dt.date(2028, 1, 1)
            )
            if i < appraised:
                Appraisal.objects.create(
                    trust=trust, person=person, year=2026, status="completed", meeting_date=dt.date(2026, 6, 1)
                )

    doctors(4, 4)
    with django_assert_num_queries(4):
        selectors.specialty_funnels(trust=trust, today=TODAY)
    doctors(30, 3)
    with django_assert_num_queries(4):
        comparisons = selectors.specialty_funnels(trust=trust, today=TODAY)
    # 7 of 34 appraised overall; the second specialty (3 of 30) sits below the first (4 of 4)
    assert sorted((p.n, p.value) for p in comparisons[0].funnel.points) == [(4, 1.0), (30, 0.1)]
    assert comparisons[0].funnel.centre == pytest.approx(7 / 34)
    page = client_for(ned).get(f"/t/{trust.code}/board/compare/")
    assert page.status_code == 200 and "Outside the" in page.content.decode()


def test_a_regional_user_compares_the_trusts_of_the_region(trust: Trust) -> None:
    from medlead.organisation.models import Region
    from tests.factories import TrustFactory

    region = Region.objects.create(code="NE", name="North East")
    Trust.objects.filter(pk=trust.pk).update(region=region)
    others: list[Trust] = [TrustFactory(region=region) for _ in range(3)]
    from medlead.revalidation.models import Appraisal, Connection

    for t in others[:2]:
        for i in range(5):
            person = PersonFactory(trust=t)
            Connection.objects.create(
                trust=t, person=person, connected_on=dt.date(2020, 1, 1), submission_date=dt.date(2028, 1, 1)
            )
            if i == 0:
                Appraisal.objects.create(
                    trust=t, person=person, year=2026, status="completed", meeting_date=dt.date(2026, 6, 1)
                )
    regional = make_user((Role.MEDICAL_DIRECTOR, region))
    local = make_user((Role.MEDICAL_DIRECTOR, trust))
    page = client_for(regional).get(f"/t/{trust.code}/board/compare/?across=trusts").content.decode()
    assert "Trusts in North East compared" in page
    assert others[0].name in page and others[1].name in page and others[2].name not in page  # no doctors there
    # a trust's own medical director sees only their specialties, whatever they ask
    mine = client_for(local).get(f"/t/{trust.code}/board/compare/?across=trusts").content.decode()
    assert "Specialties compared" in mine and "Compare the trusts" not in mine
