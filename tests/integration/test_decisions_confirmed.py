"""Decisions that count are checked and confirmed (issue 31, items 1 and 3): a job-plan signature, closing a 360,
issuing the board report, an MHPS exclusion and outcome. For each: nothing is saved before "Confirm"; the
confirmation says what happens next; a decision that cannot be taken is not offered (what is missing is listed
instead), and a forced post is refused with the reason."""

from __future__ import annotations

import datetime as dt
import html
from decimal import Decimal
from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from medlead.concerns import services as concerns
from medlead.concerns.models import Case, Measure
from medlead.core import dates
from medlead.core.actors import SystemActor
from medlead.core.roles import Role
from medlead.governance import services as board
from medlead.governance.models import BoardReport
from medlead.jobplans import services as jobplans
from medlead.jobplans.models import JobPlan
from medlead.leadership import services as leadership
from medlead.leadership.models import FeedbackCycle, Framework, Rater
from medlead.organisation.models import Grade, Person, Trust
from tests.conftest import client_for
from tests.factories import (
    HoldingFactory,
    PersonFactory,
    PostFactory,
    SpecialtyFactory,
    make_clinical_director,
    make_user,
    post_type,
)
from tests.pdf_text import pdf_text

SYSTEM = SystemActor("test set-up")
pytestmark = pytest.mark.django_db


# ------------------------------------------------------------------------------------------------ job plans


@pytest.fixture
def consultant(trust: Trust) -> Person:
    return PersonFactory(
        trust=trust, grade=Grade.CONSULTANT, specialty=SpecialtyFactory(trust=trust, name="Cardiology")
    )


def agreed_plan(person: Person, *, contracted: str = "10") -> JobPlan:
    """An agreed plan of ten weekly sessions, 2 of them SPA, for a contract of ``contracted`` PAs."""
    plan = jobplans.plan_create(actor=SYSTEM, person=person, year=2026)
    for i in range(10):
        day, half = divmod(i, 2)
        jobplans.activity_add(
            actor=SYSTEM,
            plan=plan,
            version=JobPlan.objects.get(pk=plan.pk).version,
            category="spa" if i < 2 else "dcc",
            title=f"Session {i}",
            frequency="weekly",
            weekday=day,
            start=dt.time(9 if half == 0 else 13),
            end=dt.time(13 if half == 0 else 17),
        )
    JobPlan.objects.filter(pk=plan.pk).update(state="agreed", contracted_pas=Decimal(contracted))
    return JobPlan.objects.get(pk=plan.pk)


def test_a_clinical_director_checks_then_confirms_a_signature(trust: Trust, consultant: Person) -> None:
    cd = make_clinical_director(trust, consultant.specialty)
    plan = agreed_plan(consultant)
    client = client_for(cd)
    base = f"/t/{trust.code}/job-plans/{plan.pk}/"
    page = client.get(base).content.decode()
    assert f'href="{base}sign/"' in page and "Sign as clinical director" in page

    check = client.get(f"{base}sign/").content.decode()
    assert "Check your answers before you sign this job plan" in check
    assert "10.00 PAs" in check and "Sign this job plan" in check
    assert JobPlan.objects.get(pk=plan.pk).state == "agreed"  # nothing saved by looking

    response = client.post(f"{base}sign/confirm/", {"version": plan.version})
    assert response.status_code == 302 and response["Location"] == f"{base}signed/"
    plan.refresh_from_db()
    assert plan.state == "signed_cd" and plan.cd_signed_by == cd
    done = client.get(f"{base}signed/").content.decode()
    assert "Job plan signed" in done and "What happens next" in done
    assert "now waits for the medical director" in done


def test_a_plan_that_does_not_add_up_is_not_offered_for_signature(trust: Trust, consultant: Person) -> None:
    cd = make_clinical_director(trust, consultant.specialty)
    plan = agreed_plan(consultant, contracted="12")  # 10 PAs planned, 12 contracted
    client = client_for(cd)
    base = f"/t/{trust.code}/job-plans/{plan.pk}/"
    page = client.get(base).content.decode()
    assert f'href="{base}sign/"' not in page
    assert "Before this job plan can be signed" in page
    assert "The plan adds up to 10.00 PAs but the contract is for 12.00" in page

    blocked = client.get(f"{base}sign/").content.decode()
    assert "This job plan cannot be signed yet" in blocked and "Check your answers" not in blocked

    forced = client.post(f"{base}sign/confirm/", {"version": plan.version})
    assert forced.status_code == 200
    text = forced.content.decode()
    assert "There is a problem: nothing was signed" in text and "the contract is for 12.00" in text
    assert JobPlan.objects.get(pk=plan.pk).state == "agreed"


def test_a_signature_is_never_one_click_from_the_old_button(trust: Trust, consultant: Person) -> None:
    cd = make_clinical_director(trust, consultant.specialty)
    plan = agreed_plan(consultant)
    base = f"/t/{trust.code}/job-plans/{plan.pk}/"
    response = client_for(cd).post(f"{base}transition/", {"to": "signed_cd", "version": plan.version})
    assert response.status_code == 302 and response["Location"] == f"{base}sign/"
    assert JobPlan.objects.get(pk=plan.pk).state == "agreed"


def test_the_medical_director_signs_off_after_checking(trust: Trust, consultant: Person) -> None:
    md = make_user((Role.MEDICAL_DIRECTOR, trust), person=PersonFactory(trust=trust))
    plan = agreed_plan(consultant)
    JobPlan.objects.filter(pk=plan.pk).update(state="signed_cd")
    client = client_for(md)
    base = f"/t/{trust.code}/job-plans/{plan.pk}/"
    assert "Check your answers before you sign off this job plan" in client.get(f"{base}sign/").content.decode()
    assert JobPlan.objects.get(pk=plan.pk).state == "signed_cd"
    client.post(f"{base}sign/confirm/", {"version": JobPlan.objects.get(pk=plan.pk).version})
    assert JobPlan.objects.get(pk=plan.pk).state == "signed"
    done = client.get(f"{base}signed/").content.decode()
    assert "Job plan signed off" in done and "What happens next" in done


# ------------------------------------------------------------------------------------------- the board report

SECTIONS = [
    "Quality and safety",
    "Medical workforce",
    "Revalidation and appraisal",
    "Safe working hours",
    "Leadership and succession",
    "Concerns about practice, in aggregate",
]
CODES = ["quality_safety", "workforce", "revalidation", "safe_working", "leadership", "concerns"]


@pytest.fixture
def md(trust: Trust) -> Any:
    person = PersonFactory(trust=trust, grade=Grade.CONSULTANT, first_name="Meera", last_name="Shah")
    return make_user((Role.MEDICAL_DIRECTOR, trust), person=person)


@pytest.fixture
def ned(trust: Trust) -> Any:
    return make_user((Role.NON_EXECUTIVE, trust))


def draft(md: Any, trust: Trust, *, written: int) -> BoardReport:
    """A draft report for the board of 10 December 2026 with the first ``written`` sections' narratives."""
    meeting = board.meeting_create(actor=md, trust=trust, body="trust_board", on=dt.date(2026, 12, 10))
    report = board.report_start(actor=md, meeting=meeting)
    for code in CODES[:written]:
        report = board.narrative_set(actor=md, report=report, section=code, text=f"About {code}.")
    return report


def test_the_draft_report_is_a_task_list_with_issue_near_the_top(md: Any, trust: Trust) -> None:
    report = draft(md, trust, written=4)
    base = f"/t/{trust.code}/board/reports/{report.pk}/"
    page = client_for(md).get(base).content.decode()
    assert "DRAFT" in page
    tasks = page[page.index('id="tasks"') : page.index("The report</h2>")]
    for name in SECTIONS:
        assert name in tasks
    assert tasks.count("Narrative written") == 4 and tasks.count("No narrative yet") == 2
    assert "2 sections still need one" in tasks
    assert f'href="{base}issue/"' not in page  # not offered while two sections have no narrative

    refused = client_for(md).get(f"{base}issue/").content.decode()
    assert "There is a problem: the report was not issued" in refused
    assert "write a narrative for Leadership and succession, Concerns about practice, in aggregate." in refused
    forced = client_for(md).post(f"{base}issue/confirm/", {"version": report.version})
    assert "write a narrative for Leadership and succession" in forced.content.decode()
    assert BoardReport.objects.get(pk=report.pk).status == "draft"


def test_the_narrative_form_has_a_back_link_a_hint_and_refuses_nothing(md: Any, trust: Trust) -> None:
    report = draft(md, trust, written=0)
    base = f"/t/{trust.code}/board/reports/{report.pk}/"
    form = client_for(md).get(f"{base}sections/workforce/").content.decode()
    assert f'<a class="nhsuk-back-link" href="{base}#tasks">Back to the report</a>' in form
    assert "Leave a blank line between paragraphs." in form
    empty = client_for(md).post(f"{base}sections/workforce/", {"text": "   "}, follow=True)
    text = empty.content.decode()
    assert "There is a problem" in text and "Write the narrative for this section" in text
    assert "is saved" not in text
    assert BoardReport.objects.get(pk=report.pk).narratives.get("workforce") is None
    saved = client_for(md).post(f"{base}sections/workforce/", {"text": "Job planning recovers."}, follow=True)
    assert "The narrative for Medical workforce is saved." in saved.content.decode()


def test_issuing_is_checked_then_confirmed(md: Any, ned: Any, trust: Trust) -> None:
    report = draft(md, trust, written=6)
    base = f"/t/{trust.code}/board/reports/{report.pk}/"
    client = client_for(md)
    page = client.get(base).content.decode()
    issue = page.index(f'href="{base}issue/"')
    assert issue < page.index('id="section-quality_safety"')  # "Issue" before the report's sections, not after them

    check = client.get(f"{base}issue/").content.decode()
    assert "Check your answers before you issue the report" in check
    assert "Trust board, 10 December 2026" in check
    assert BoardReport.objects.get(pk=report.pk).status == "draft"  # nothing saved by looking
    assert client_for(ned).get(base).status_code == 404  # a draft: the medical director's office only

    response = client.post(f"{base}issue/confirm/", {"version": report.version})
    assert response.status_code == 302 and response["Location"] == f"{base}issued/"
    report.refresh_from_db()
    assert report.status == "issued" and report.issued_by == md.person
    done = client.get(f"{base}issued/").content.decode()
    assert "Report issued to the board" in done and "What happens next" in done
    assert "start a new version from the meeting" in done
    assert client_for(ned).get(base).status_code == 200  # issued: the board reads it


def test_a_non_executive_cannot_open_an_unissued_draft(md: Any, ned: Any, trust: Trust) -> None:
    report = draft(md, trust, written=6)
    base = f"/t/{trust.code}/board/reports/{report.pk}/"
    for url in (base, f"{base}pdf/", f"{base}issue/", f"{base}sections/workforce/"):
        assert client_for(ned).get(url).status_code == 404, url
    assert client_for(ned).post(f"{base}issue/confirm/", {"version": 1}).status_code == 404
    meeting = client_for(ned).get(f"/t/{trust.code}/board/meetings/{report.meeting.pk}/").content.decode()
    assert f"/board/reports/{report.pk}/" not in meeting
    assert (
        f"/board/reports/{report.pk}/"
        in client_for(md).get(f"/t/{trust.code}/board/meetings/{report.meeting.pk}/").content.decode()
    )


def test_a_draft_pdf_is_marked_draft_and_an_issued_one_is_not(md: Any, trust: Trust) -> None:
    report = draft(md, trust, written=6)
    url = f"/t/{trust.code}/board/reports/{report.pk}/pdf/"
    drafted = client_for(md).get(url)
    assert "DRAFT" in pdf_text(drafted.content) and "DRAFT" in drafted["Content-Disposition"]
    board.report_issue(actor=md, report=report, today=dt.date(2026, 12, 3))
    issued = client_for(md).get(url)
    assert "DRAFT" not in pdf_text(issued.content)


# --------------------------------------------------------------------------------------------- closing a 360


def cycle_with(trust: Trust, raters: int, answered: int) -> tuple[Any, FeedbackCycle]:
    """A consultant's 360 with ``raters`` peers invited (and approved), ``answered`` of whom have answered."""
    subject = PersonFactory(trust=trust, grade=Grade.CONSULTANT, email="subject@example.org")
    cycle = leadership.cycle_open(
        actor=SYSTEM,
        subject=subject,
        framework=Framework.objects.get(code="hlm", trust=None),
        closes_on=dt.date(2026, 12, 31),
        facilitator=PersonFactory(trust=trust, first_name="Cora", last_name="Coach", email="coach@example.org"),
        today=dt.date(2026, 12, 1),
    )
    if raters:
        nominees = [("peer", f"Peer {n}", f"peer{n}@example.org") for n in range(raters)]
        ids = [r.pk for r in leadership.raters_nominate(actor=SYSTEM, cycle=cycle, nominees=nominees)]
        leadership.raters_approve(actor=SYSTEM, cycle=cycle, approve=ids, confirm_unknown=ids)
    Rater.objects.filter(
        pk__in=list(cycle.raters.exclude(group="self").values_list("pk", flat=True)[:answered])
    ).update(submitted_at=timezone.now())
    return make_user((Role.DOCTOR, trust), person=subject), cycle


@pytest.mark.parametrize(
    ("raters", "answered", "still_needed"),
    [(0, 0, "Invite raters: 0 invited so far"), (4, 2, "Wait for at least 3 raters to answer: 2 have answered")],
)
def test_a_360_that_cannot_show_a_report_is_not_offered_for_closing(
    trust: Trust, raters: int, answered: int, still_needed: str
) -> None:
    user, cycle = cycle_with(trust, raters, answered)
    client = client_for(user)
    base = f"/t/{trust.code}/leadership/360/{cycle.pk}/"
    page = client.get(base).content.decode()
    assert f'href="{base}close/check/"' not in page
    assert "Before you can close it and see your report" in page and still_needed in page
    if raters == 0:
        assert "Remind those who have not answered" not in page  # nobody to remind
    blocked = client.get(f"{base}close/check/").content.decode()
    assert "This 360 cannot be closed yet" in blocked and still_needed in blocked
    forced = client.post(f"{base}close/", {"confirm": "yes"}).content.decode()
    assert "There is a problem: the 360 was not closed" in forced and still_needed in forced
    assert FeedbackCycle.objects.get(pk=cycle.pk).status == "open"


def test_closing_a_360_is_checked_then_confirmed(trust: Trust) -> None:
    user, cycle = cycle_with(trust, raters=5, answered=3)
    client = client_for(user)
    base = f"/t/{trust.code}/leadership/360/{cycle.pk}/"
    assert f'href="{base}close/check/"' in client.get(base).content.decode()
    check = client.get(f"{base}close/check/").content.decode()
    assert "Check your answers before you close this 360" in check
    assert "3 of 5 people invited" in check and "2: once it is closed they cannot answer" in check
    assert "each group of at least 3 on its own" in check
    assert FeedbackCycle.objects.get(pk=cycle.pk).status == "open"  # nothing saved by looking

    response = client.post(f"{base}close/", {"confirm": "yes"})
    assert response.status_code == 302 and response["Location"] == f"{base}closed/"
    assert FeedbackCycle.objects.get(pk=cycle.pk).status == "closed"
    done = client.get(f"{base}closed/").content.decode()
    assert "Your 360 is closed" in done and "What happens next" in done and "Cora Coach" in done
    assert f'href="{base}report/"' in done


# -------------------------------------------------------------------------------------------------------- MHPS


@pytest.fixture
def case_manager(trust: Trust) -> Any:
    person = PersonFactory(trust=trust, grade=Grade.CONSULTANT)
    HoldingFactory(post=PostFactory(trust=trust, post_type=post_type("medical_director")), person=person)
    return make_user((Role.MEDICAL_DIRECTOR, trust), person=person)


def a_case(case_manager: Any, trust: Trust) -> Case:
    return concerns.case_open(
        actor=case_manager,
        doctor=PersonFactory(trust=trust, grade=Grade.CONSULTANT, first_name="Dana", last_name="Doctor"),
        raised_by="Chief pharmacist",
        raised_on=dates.today() - dt.timedelta(days=10),
        categories=["capability"],
        source="incident",
        summary="Two incidents.",
        case_manager=case_manager.person,
        today=dates.today(),
    )


def test_an_exclusion_is_checked_then_confirmed(case_manager: Any, trust: Trust) -> None:
    case = a_case(case_manager, trust)
    client = client_for(case_manager)
    base = f"/t/{trust.code}/concerns/{case.pk}/"
    start = dates.today()
    answers = {
        "kind": "immediate",
        "starts_on": start.isoformat(),
        "review_by": (start + dt.timedelta(days=14)).isoformat(),
        "details": "",
    }
    check = client.post(f"{base}measures/", answers).content.decode()
    assert "Check your answers before you record this immediate exclusion" in check
    assert "14 days (MHPS allows at most 14)" in check
    assert not Measure.objects.exists()  # nothing saved before "Confirm"

    changed = client.post(f"{base}measures/", answers | {"step": "change"}).content.decode()
    assert "Exclude or restrict" in changed and not Measure.objects.exists()

    response = client.post(f"{base}measures/confirm/", answers)
    measure = Measure.objects.get()
    assert response.status_code == 302 and response["Location"] == f"{base}measures/{measure.pk}/recorded/"
    assert measure.kind == "immediate" and measure.review_by == start + dt.timedelta(days=14)
    done = client.get(response["Location"]).content.decode()
    assert "Immediate exclusion recorded" in done and "What happens next" in done
    assert "the case page says the doctor may return to work" in done


def test_a_formal_exclusion_is_not_offered_before_advice(case_manager: Any, trust: Trust) -> None:
    case = a_case(case_manager, trust)
    client = client_for(case_manager)
    base = f"/t/{trust.code}/concerns/{case.pk}/"
    page = client.get(base).content.decode()
    assert "Before a formal exclusion can be recorded" in page
    assert ">Formal exclusion</option>" not in page  # the choice is not there to take
    start = dates.today()
    forced = {
        "kind": "formal",
        "starts_on": start.isoformat(),
        "review_by": (start + dt.timedelta(days=28)).isoformat(),
    }
    refused = client.post(f"{base}measures/", forced).content.decode()
    assert "There is a problem" in refused and "Check your answers" not in refused
    client.post(f"{base}measures/confirm/", forced)
    assert not Measure.objects.exists()

    concerns.advice_add(
        actor=case_manager, case=case, contacted_on=start, adviser="PPA adviser", summary="Exclude.", today=start
    )
    page = client.get(base).content.decode()
    assert "Before a formal exclusion can be recorded" not in page and ">Formal exclusion</option>" in page
    assert (
        "Check your answers before you record this formal exclusion"
        in client.post(f"{base}measures/", forced).content.decode()
    )


def test_the_decision_on_a_case_is_checked_then_confirmed(case_manager: Any, trust: Trust) -> None:
    case = a_case(case_manager, trust)
    client = client_for(case_manager)
    base = f"/t/{trust.code}/concerns/{case.pk}/"
    answers = {
        "decision": "formal",
        "decision_reasons": "Two serious incidents.",
        "decided_on": dates.today().isoformat(),
    }
    check = client.post(f"{base}decision/", answers).content.decode()
    assert "Check your answers before you record the decision" in check
    assert "Formal process under MHPS" in check and "Two serious incidents." in check
    assert Case.objects.get(pk=case.pk).decision == ""  # nothing saved before "Confirm"

    too_late = answers | {"decided_on": (dates.today() + dt.timedelta(days=1)).isoformat()}
    refused = client.post(f"{base}decision/confirm/", too_late).content.decode()
    assert "The decision falls between the concern being raised and today" in refused
    assert Case.objects.get(pk=case.pk).decision == ""

    response = client.post(f"{base}decision/confirm/", answers)
    assert response.status_code == 302 and response["Location"] == f"{base}decision/recorded/"
    assert Case.objects.get(pk=case.pk).decision == "formal"
    done = client.get(response["Location"]).content.decode()
    assert "Decision recorded" in done and "What happens next" in done and "Start the investigation" in done


def test_only_the_case_manager_reaches_a_decision_step(case_manager: Any, trust: Trust) -> None:
    case = a_case(case_manager, trust)
    other = make_user((Role.MEDICAL_DIRECTOR, trust), person=PersonFactory(trust=trust))
    base = f"/t/{trust.code}/concerns/{case.pk}/"
    answers = {"decision": "none", "decision_reasons": "x", "decided_on": dates.today().isoformat()}
    for url in ("decision/", "decision/confirm/", "measures/", "measures/confirm/"):
        assert client_for(other).post(f"{base}{url}", answers).status_code == 404, url
    assert client_for(other).get(f"{base}decision/recorded/").status_code == 404


# ------------------------------------------------------------------ MHPS: reviewing a measure, closing a case


def immediate(case_manager: Any, case: Case, days_ago: int = 3) -> Measure:
    start = dates.today() - dt.timedelta(days=days_ago)
    return concerns.measure_add(
        actor=case_manager, case=case, kind="immediate", starts_on=start, review_by=start + dt.timedelta(days=14)
    )


def carried(page: str) -> dict[str, str]:
    """What the check page carries to its confirmation, as hidden fields."""
    import re

    return {
        name: html.unescape(value)
        for name, value in re.findall(r'<input type="hidden" name="(\w+)" value="([^"]*)">', page)
        if name != "csrfmiddlewaretoken"
    }


def test_continuing_an_exclusion_is_not_offered_before_advice(case_manager: Any, trust: Trust) -> None:
    case = a_case(case_manager, trust)
    measure = immediate(case_manager, case)
    client = client_for(case_manager)
    url = f"/t/{trust.code}/concerns/{case.pk}/measures/{measure.pk}/review/"
    assert url in client.get(f"/t/{trust.code}/concerns/{case.pk}/").content.decode()
    page = client.get(url).content.decode()
    # an immediate exclusion continues only as a formal one (MHPS: 2 weeks at most), which needs advice first
    assert "Before the exclusion can be continued" in page and "Consult Practitioner Performance Advice" in page
    assert 'value="renewed"' not in page and 'value="lifted"' in page and 'value="changed"' in page
    forced = {"outcome": "renewed", "review_by": (dates.today() + dt.timedelta(days=28)).isoformat()}
    assert "There is a problem" in client.post(url, forced).content.decode()
    client.post(url + "confirm/", forced)
    assert Measure.objects.get().reviewed_on is None and Measure.objects.count() == 1


def test_continuing_an_exclusion_is_checked_then_confirmed_with_its_next_review(
    case_manager: Any, trust: Trust
) -> None:
    case = a_case(case_manager, trust)
    measure = immediate(case_manager, case)
    today = dates.today()
    concerns.advice_add(actor=case_manager, case=case, contacted_on=today, adviser="PPA", summary="x", today=today)
    client = client_for(case_manager)
    url = f"/t/{trust.code}/concerns/{case.pk}/measures/{measure.pk}/review/"
    # a formal exclusion is at most 28 days a period (data/mhps.yaml, exclusion.formal_period_max_days)
    too_long = {"outcome": "renewed", "review_by": (today + dt.timedelta(days=29)).isoformat()}
    assert "can last at most 28 days" in client.post(url, too_long).content.decode()
    answers = {"outcome": "renewed", "review_by": (today + dt.timedelta(days=28)).isoformat()}
    check = client.post(url, answers).content.decode()
    assert "Check your answers before you record the review of this immediate exclusion" in check
    assert "Formal exclusion" in check and "28 days (MHPS allows at most 28)" in check
    assert Measure.objects.count() == 1 and Measure.objects.get().reviewed_on is None  # nothing saved yet
    assert "Review the immediate exclusion" in client.post(url, answers | {"step": "change"}).content.decode()

    response = client.post(url + "confirm/", carried(check))
    assert response.status_code == 302
    assert response["Location"] == f"/t/{trust.code}/concerns/{case.pk}/measures/{measure.pk}/reviewed/"
    old, new = Measure.objects.order_by("pk")
    assert (old.reviewed_on, old.review_outcome) == (today, "renewed")
    assert (new.kind, new.starts_on, new.review_by) == ("formal", today, today + dt.timedelta(days=28))
    done = client.get(response["Location"]).content.decode()
    next_review = f"{today + dt.timedelta(days=28):%-d %B %Y}"
    assert "Immediate exclusion continued" in done and "What happens next" in done
    assert f"Review it by {next_review}" in done and "medlead does not email the doctor" in done
    # counted from its first day, across the two periods
    assert f"from its first day, {measure.starts_on:%-d %B %Y}" in done
    # a reload changes nothing; the reviewed measure is not offered for review again
    client.get(response["Location"])
    assert Measure.objects.count() == 2
    assert client.get(url).status_code == 404


def test_lifting_and_changing_a_measure_are_checked_then_confirmed(case_manager: Any, trust: Trust) -> None:
    case = a_case(case_manager, trust)
    first, second = immediate(case_manager, case, 3), immediate(case_manager, case, 2)
    client = client_for(case_manager)
    base = f"/t/{trust.code}/concerns/{case.pk}/measures/"
    today = dates.today()
    check = client.post(f"{base}{first.pk}/review/", {"outcome": "lifted"}).content.decode()
    assert "Lift the immediate exclusion today" in check and "no longer excluded from today" in check
    done = client.get(client.post(f"{base}{first.pk}/review/confirm/", carried(check))["Location"]).content.decode()
    assert "Immediate exclusion lifted" in done and "The doctor may return to work" in done
    assert Measure.objects.get(pk=first.pk).review_outcome == "lifted"

    change = {
        "outcome": "changed",
        "kind": "restriction",
        "review_by": (today + dt.timedelta(days=21)).isoformat(),
        "details": "No unsupervised lists.",
    }
    check = client.post(f"{base}{second.pk}/review/", change).content.decode()
    assert "Change it" in check and "Restriction on practice" in check and "No unsupervised lists." in check
    done = client.get(client.post(f"{base}{second.pk}/review/confirm/", carried(check))["Location"]).content.decode()
    assert "Immediate exclusion changed" in done and "Restriction on practice of " in done
    new = Measure.objects.latest("pk")
    assert (new.kind, new.details, new.review_by) == ("restriction", "No unsupervised lists.", today + dt.timedelta(21))


def test_a_case_that_cannot_be_closed_lists_what_is_missing(case_manager: Any, trust: Trust) -> None:
    case = a_case(case_manager, trust)
    measure = immediate(case_manager, case)
    client = client_for(case_manager)
    base = f"/t/{trust.code}/concerns/{case.pk}/"
    page = client.get(base).content.decode()
    assert "Before the case can be closed" in page and "Record the decision on the case" in page
    assert f"{base}measures/{measure.pk}/review/" in page
    assert f'action="{base}close/"' not in page  # the button is not offered
    forced = client.post(f"{base}close/", {}).content.decode()
    assert "There is a problem" in forced and "Record the decision on the case before closing the case" in forced
    client.post(f"{base}close/confirm/", {})
    assert Case.objects.get(pk=case.pk).status == "open"


def test_closing_a_case_is_checked_then_confirmed(case_manager: Any, trust: Trust) -> None:
    case = a_case(case_manager, trust)
    today = dates.today()
    concerns.decide(actor=case_manager, case=case, decision="none", reasons="Explained.", decided_on=today, today=today)
    client = client_for(case_manager)
    base = f"/t/{trust.code}/concerns/{case.pk}/"
    assert f'action="{base}close/"' in client.get(base).content.decode()
    check = client.post(f"{base}close/", {}).content.decode()
    assert "Check your answers before you close the case" in check and "No further action" in check
    assert Case.objects.get(pk=case.pk).status == "open"  # nothing saved before "Confirm"
    response = client.post(f"{base}close/confirm/", {})
    assert response.status_code == 302 and response["Location"] == f"{base}closed/"
    assert Case.objects.get(pk=case.pk).status == "closed"
    done = client.get(response["Location"]).content.decode()
    assert "Case closed" in done and "What happens next" in done and "no longer counts among the open cases" in done
    assert client.post(f"{base}close/", {}).status_code == 404  # nothing more is done on a closed case


def test_an_investigation_without_its_outcome_stops_the_case_closing(case_manager: Any, trust: Trust) -> None:
    case = a_case(case_manager, trust)
    today = dates.today()
    concerns.decide(actor=case_manager, case=case, decision="formal", reasons="x", decided_on=today, today=today)
    concerns.role_appoint(
        actor=case_manager, case=case, person=PersonFactory(trust=trust), role="case_investigator", today=today
    )
    concerns.investigation_start(actor=case_manager, case=case, terms_of_reference="x", started_on=today, today=today)
    page = client_for(case_manager).get(f"/t/{trust.code}/concerns/{case.pk}/").content.decode()
    assert "Before the case can be closed" in page and "Record the investigation&#39;s outcome" in page
    with pytest.raises(ValidationError, match="outcome"):
        concerns.close(actor=case_manager, case=case, closed_on=today, today=today)


# ------------------------------------------------------------------------------------- an award's outcome


def test_an_awards_outcome_is_checked_then_confirmed_and_not_offered_before_verification(trust: Trust) -> None:
    from medlead.awards import services as awards
    from medlead.awards.models import Application

    md = make_user((Role.MEDICAL_DIRECTOR, trust), person=PersonFactory(trust=trust, grade=Grade.CONSULTANT))
    doctor = make_user((Role.DOCTOR, trust), person=PersonFactory(trust=trust, grade=Grade.CONSULTANT))
    assert doctor.person is not None
    app = awards.start(actor=doctor, person=doctor.person, round_year=2027, level="N1")
    url = f"/t/{trust.code}/awards/{app.pk}/"
    domains = {code: f"My work in {name.lower()}." for code, name in awards.domain_names().items()}
    assert client_for(doctor).post(f"{url}submit/confirm/", domains).status_code == 302
    client = client_for(md)
    assert f'action="{url}outcome/"' not in client.get(url).content.decode()  # not verified: not offered
    assert client.post(f"{url}outcome/", {"level_awarded": "N1"}).status_code in (403, 404)

    checks = {f"check_{q['code']}": q["answers"][-1] for q in awards.questions(trust, 2027)}
    assert client.post(f"{url}verification/confirm/", {**checks, "statement": "A leader."}).status_code == 302
    assert f'action="{url}outcome/"' in client.get(url).content.decode()
    check = client.post(f"{url}outcome/", {"level_awarded": "N1"}).content.decode()
    assert "Check your answers before you record the outcome" in check and "Awarded at N1" in check
    assert Application.objects.get(pk=app.pk).level_awarded == ""  # nothing saved before "Confirm"
    response = client.post(f"{url}outcome/confirm/", {"level_awarded": "N1"})
    assert response.status_code == 302 and response["Location"] == f"{url}outcome/recorded/"
    saved = Application.objects.get(pk=app.pk)
    assert (saved.status, saved.level_awarded) == ("awarded", "N1")
    done = client.get(response["Location"]).content.decode()
    assert "Outcome recorded" in done and "What happens next" in done and "Awarded at N1" in done


# ------------------------------------------------- an award's submission and its verification (issue 31, the rest)


def _application(trust: Trust, md: Any = None) -> tuple[Any, Any, Any]:
    from medlead.awards import services as awards

    md = md or make_user((Role.MEDICAL_DIRECTOR, trust), person=PersonFactory(trust=trust, grade=Grade.CONSULTANT))
    doctor = make_user((Role.DOCTOR, trust), person=PersonFactory(trust=trust, grade=Grade.CONSULTANT))
    assert doctor.person is not None
    return md, doctor, awards.start(actor=doctor, person=doctor.person, round_year=2027, level="N1")


# The five domains of the scheme (data/awards.yaml, S76) and medlead's default limit of 500 words a domain.
DOMAINS = {
    "service": "Service delivery and development",
    "leadership": "Leadership",
    "education": "Education, training and people development",
    "innovation": "Innovation and research",
    "national": "Additional national impact",
}


def test_submitting_an_award_application_is_checked_with_each_domains_word_count(trust: Trust) -> None:
    from medlead.awards.models import Application

    _, doctor, app = _application(trust)
    url = f"/t/{trust.code}/awards/{app.pk}/"
    client = client_for(doctor)
    page = client.get(url).content.decode()
    assert f'formaction="{url}submit/"' not in page  # nothing written yet: not offered
    assert "Before you can submit it" in page and "Write and save Leadership" in page
    forced = client.post(f"{url}submit/confirm/", {code: "" for code in DOMAINS}).content.decode()
    assert "There is a problem" in forced and "Write something in" in forced
    assert Application.objects.get(pk=app.pk).status == "draft"

    texts = {code: "word " * (n + 1) for n, code in enumerate(DOMAINS)}  # 1 to 5 words
    client.post(f"{url}draft/", texts)
    assert f'formaction="{url}submit/"' in client.get(url).content.decode()
    texts["national"] = "word " * 12
    check = client.post(f"{url}submit/", texts).content.decode()
    assert "Check your answers before you submit your application" in check
    assert "1 of 500 words" in check and "4 of 500 words" in check and "12 of 500 words" in check
    saved = Application.objects.get(pk=app.pk)
    assert saved.status == "draft" and saved.domains["national"] == "word word word word word"  # nothing saved yet

    response = client.post(f"{url}submit/confirm/", carried(check))
    assert response.status_code == 302 and response["Location"] == f"{url}submitted/"
    saved = Application.objects.get(pk=app.pk)
    assert saved.status == "submitted" and saved.domains["national"] == ("word " * 12).strip()
    done = client.get(response["Location"]).content.decode()
    assert "Application submitted" in done and "What happens next" in done
    assert "Your employer verifies it next" in done
    # from the 2025 round, an award starts on 1 April of the year after its round (data/awards.yaml, award_start)
    assert "If an award is made, it starts on 1 April 2028." in done


def test_a_domain_over_the_limit_is_refused_on_the_check(trust: Trust) -> None:
    from medlead.awards.models import Application

    _, doctor, app = _application(trust)
    url = f"/t/{trust.code}/awards/{app.pk}/"
    client = client_for(doctor)
    client.post(f"{url}draft/", {code: "Some work." for code in DOMAINS})
    refused = client.post(f"{url}submit/", {**{c: "Some work." for c in DOMAINS}, "leadership": "w " * 501})
    text = refused.content.decode()
    assert "Check your answers" not in text and "Leadership: 501 words, over the limit of 500. Cut 1." in text
    assert Application.objects.get(pk=app.pk).status == "draft"


def test_the_employers_verification_is_checked_then_confirmed(trust: Trust) -> None:
    from medlead.awards import services as awards
    from medlead.awards.models import Application

    md, doctor, app = _application(trust)
    url = f"/t/{trust.code}/awards/{app.pk}/"
    client_for(doctor).post(f"{url}submit/confirm/", {code: "My work." for code in DOMAINS})
    client = client_for(md)
    assert f'action="{url}verification/"' in client.get(url).content.decode()
    answers = {
        "check_contractual_obligations": "yes",
        "check_truthful": "yes",
        "check_investigations": "no",
        "check_regulator_rating": "Good",
        "statement": "",
    }
    check = client.post(f"{url}verification/", answers).content.decode()
    assert "Check your answers before you verify the application" in check
    assert "Has the applicant been truthful in their application?" in check and "Good" in check
    assert Application.objects.get(pk=app.pk).status == "submitted"  # nothing saved before "Confirm"
    changed = client.post(f"{url}verification/", answers | {"step": "change"}).content.decode()
    assert "Verify the application" in changed and "Check your answers" not in changed

    response = client.post(f"{url}verification/confirm/", carried(check))
    assert response.status_code == 302 and response["Location"] == f"{url}verification/recorded/"
    saved = Application.objects.get(pk=app.pk)
    assert saved.status == "verified" and saved.verified_by == md.person and saved.checks["truthful"] == "yes"
    done = client.get(response["Location"]).content.decode()
    assert "Application verified" in done and "What happens next" in done
    assert "record it on the application" in done and "starts on 1 April 2028" in done
    # verified: the verification is not offered again, and a forced post is refused
    assert f'action="{url}verification/"' not in client.get(url).content.decode()
    assert client.post(f"{url}verification/confirm/", answers).status_code in (403, 404)
    assert awards.verify_problems(application=saved, checks={}, investigations_note="", statement="") == {
        "checks": "Answer every question of the verification."
    }


def test_an_open_case_must_be_disclosed_before_the_verification_is_checked(case_manager: Any, trust: Trust) -> None:
    from medlead.awards.models import Application

    md, doctor, app = _application(trust, case_manager)
    url = f"/t/{trust.code}/awards/{app.pk}/"
    client_for(doctor).post(f"{url}submit/confirm/", {code: "My work." for code in DOMAINS})
    concerns.case_open(
        actor=md,
        doctor=doctor.person,
        raised_by="x",
        raised_on=dates.today(),
        categories=["conduct"],
        source="colleague",
        summary="x",
        case_manager=md.person,
        today=dates.today(),
    )
    answers = {
        "check_contractual_obligations": "yes",
        "check_truthful": "yes",
        "check_investigations": "no",
        "check_regulator_rating": "Good",
    }
    refused = client_for(md).post(f"{url}verification/", answers).content.decode()
    assert "Check your answers" not in refused and "answer yes, and disclose it" in refused
    forced = client_for(md).post(f"{url}verification/confirm/", answers).content.decode()
    assert "answer yes, and disclose it" in forced
    assert Application.objects.get(pk=app.pk).status == "submitted"


# ---------------------------------------------------------------- the responsible officer on a missed appraisal


def test_the_decision_on_a_missed_appraisal_is_checked_then_confirmed(trust: Trust) -> None:
    from medlead.revalidation.models import Appraisal, AppraisalStatus, Connection

    ro = make_user((Role.RESPONSIBLE_OFFICER, trust), person=PersonFactory(trust=trust, grade=Grade.CONSULTANT))
    doctor = PersonFactory(trust=trust, grade=Grade.CONSULTANT, first_name="Mo", last_name="Missed")
    Connection.objects.create(
        trust=trust, person=doctor, connected_on=dt.date(2022, 1, 1), submission_date=dt.date(2027, 3, 31)
    )
    a = Appraisal.objects.create(
        trust=trust, person=doctor, year=2025, status=AppraisalStatus.MISSED, missed_reason="Parental leave"
    )
    client = client_for(ro)
    record = f"/t/{trust.code}/revalidation/doctors/{doctor.pk}/"
    url = f"/t/{trust.code}/appraisals/{a.pk}/missed/"
    assert f'href="{url}"' in client.get(record).content.decode()
    question = client.get(url).content.decode()
    assert "Do you approve the missed appraisal?" in question and "Parental leave" in question

    check = client.post(url, {"approved": "no"}).content.decode()
    assert "Check your answers before you decide on the missed appraisal" in check
    assert "Not approved" in check and "31 March 2027" in check
    assert Appraisal.objects.get(pk=a.pk).missed_approved is None  # nothing saved before "Confirm"

    response = client.post(f"{url}confirm/", carried(check))
    assert response.status_code == 302 and response["Location"] == f"{url}decided/"
    assert Appraisal.objects.get(pk=a.pk).missed_approved is False
    done = client.get(response["Location"]).content.decode()
    assert "Missed appraisal not approved" in done and "What happens next" in done
    assert "The recommendation for Dr Mo Missed is due by 31 March 2027" in done
    assert "medlead does not email the doctor" in done
    assert "missed without approval" in client.get(record).content.decode()


def test_a_missed_appraisal_decision_is_not_offered_where_it_cannot_be_taken(trust: Trust) -> None:
    from medlead.revalidation.models import Appraisal, AppraisalStatus

    ro_person = PersonFactory(trust=trust, grade=Grade.CONSULTANT)
    ro = make_user((Role.RESPONSIBLE_OFFICER, trust), person=ro_person)
    client = client_for(ro)
    own = Appraisal.objects.create(
        trust=trust, person=ro_person, year=2025, status=AppraisalStatus.MISSED, missed_reason="Illness"
    )
    signed = Appraisal.objects.create(trust=trust, person=PersonFactory(trust=trust), year=2025)
    for a, reason in ((own, "your responsible officer does"), (signed, "Only a missed or incomplete appraisal")):
        url = f"/t/{trust.code}/appraisals/{a.pk}/missed/"
        assert client.get(url).status_code == 302  # not offered: back to the record
        forced = client.post(f"{url}confirm/", {"approved": "yes"}, follow=True).content.decode()
        assert reason in forced and "There is a problem" in forced
        assert Appraisal.objects.get(pk=a.pk).missed_approved is None


# ------------------------------------------------------------ MHPS: the investigation's outcome, the hand-over


def investigating(case_manager: Any, trust: Trust) -> Case:
    case = a_case(case_manager, trust)
    today = dates.today()
    concerns.decide(actor=case_manager, case=case, decision="formal", reasons="x", decided_on=today, today=today)
    concerns.role_appoint(
        actor=case_manager, case=case, person=PersonFactory(trust=trust), role="case_investigator", today=today
    )
    concerns.investigation_start(actor=case_manager, case=case, terms_of_reference="x", started_on=today, today=today)
    return Case.objects.get(pk=case.pk)


def test_the_investigations_report_then_outcome_are_checked_then_confirmed(case_manager: Any, trust: Trust) -> None:
    from medlead.concerns.models import Investigation

    case = investigating(case_manager, trust)
    client = client_for(case_manager)
    base = f"/t/{trust.code}/concerns/{case.pk}/"
    today = dates.today()
    page = client.get(base).content.decode()
    assert "Before the outcome can be recorded" in page and 'name="outcome"' not in page  # no report yet
    forced = client.post(f"{base}investigation/confirm/", {"outcome": "no_case"}).content.decode()
    assert "There is a problem" in forced and "report before its outcome" in forced
    assert Investigation.objects.get(case=case).outcome == ""

    # a progress note is one save
    assert client.post(f"{base}investigation/update/", {"appeal": "None lodged."}).status_code == 302
    assert Investigation.objects.get(case=case).appeal == "None lodged."

    answers = {"report": "Errors found; systems at fault.", "report_received_on": today.isoformat()}
    check = html.unescape(client.post(f"{base}investigation/update/", answers).content.decode())
    assert "Check your answers before you record the investigation's report" in check
    assert Investigation.objects.get(case=case).report == ""  # nothing saved before "Confirm"
    response = client.post(f"{base}investigation/confirm/", carried(check))
    assert response.status_code == 302 and response["Location"] == f"{base}investigation/recorded/"
    done = client.get(response["Location"]).content.decode()
    # MHPS Part I as the trust applies it: the doctor comments within 10 days of receiving the report (data/mhps.yaml)
    assert "What happens next" in done and "within 10 days of that day" in done

    page = client.get(base).content.decode()
    assert "Before the outcome can be recorded" not in page and 'name="outcome"' in page
    outcome = {"outcome": "no_case", "outcome_on": today.isoformat()}
    check = client.post(f"{base}investigation/update/", outcome).content.decode()
    assert "No case to answer" in check and "Record the outcome" in check
    assert Investigation.objects.get(case=case).outcome == ""
    response = client.post(f"{base}investigation/confirm/", carried(check))
    assert Investigation.objects.get(case=case).outcome == "no_case"
    done = client.get(response["Location"]).content.decode()
    assert "outcome recorded" in done and "tell them the outcome in writing" in done
    assert "Everything closing the case needs is recorded" in done


def test_handing_a_case_over_is_checked_then_confirmed(case_manager: Any, trust: Trust) -> None:
    case = a_case(case_manager, trust)
    client = client_for(case_manager)
    base = f"/t/{trust.code}/concerns/{case.pk}/"
    # a consultant's case: only another holder of the medical director's post may take it over (MHPS Part I, 4)
    page = client.get(base).content.decode()
    assert "Before the case can be handed over" in page and "Nobody else holds the medical director" in page
    assert f'action="{base}hand-over/"' not in page
    deputy = PersonFactory(trust=trust, grade=Grade.CONSULTANT)
    forced = client.post(f"{base}hand-over/confirm/", {"person": deputy.pk}).content.decode()
    assert "There is a problem" in forced
    assert case.roles.get(role="case_manager").person == case_manager.person

    successor = PersonFactory(trust=trust, grade=Grade.CONSULTANT, first_name="Nia", last_name="Next")
    HoldingFactory(post=PostFactory(trust=trust, post_type=post_type("medical_director")), person=successor)
    assert f'action="{base}hand-over/"' in client.get(base).content.decode()
    check = client.post(f"{base}hand-over/", {"person": successor.pk}).content.decode()
    assert "Check your answers before you hand the case over" in check and "Nia Next" in check
    assert case.roles.get(role="case_manager").person == case_manager.person  # nothing saved yet
    response = client.post(f"{base}hand-over/confirm/", carried(check))
    assert response.status_code == 302 and response["Location"] == f"/t/{trust.code}/concerns/handed-over/"
    assert case.roles.get(role="case_manager").person == successor
    done = client.get(response["Location"]).content.decode()
    assert "Case handed over" in done and "What happens next" in done and "Nia Next is told by email" in done
    assert client.get(base).status_code == 404  # the old case manager no longer sees the case
