"""Board members' fit and proper person records (issue 17): NHS England's FPPT framework as data/fppt.yaml gives it.
Seen by the chair, the company secretary and the member only; every read audited, the evidence never copied."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from medlead.accounts.models import Role, User
from medlead.core.audit import AuditEvent
from medlead.fitproper import services
from medlead.fitproper.models import AnnualReturn, Assessment, Kind
from medlead.organisation.models import BoardMember, Trust
from tests.conftest import client_for
from tests.factories import PersonFactory, make_user
from tests.pdf_text import pdf_text

pytestmark = pytest.mark.django_db
TODAY = dt.date(2026, 11, 30)
EVIDENCE = "Companies House search printed and filed on the record of the member."


def seat(trust: Trust, role: str, **extra: object) -> tuple[BoardMember, User]:
    person = PersonFactory(trust=trust, kind="manager", grade="", email=f"{role}@example.org")
    member = BoardMember.objects.create(trust=trust, role=role, person=person, start=dt.date(2024, 1, 15), **extra)
    return member, make_user((Role.NON_EXECUTIVE, trust), person=person)


@pytest.fixture
def board(trust: Trust) -> dict[str, tuple[BoardMember, User]]:
    return {
        "chair": seat(trust, "chair"),
        "sid": seat(trust, "non_executive", senior_independent=True),
        "ned": seat(trust, "non_executive"),
        "fd": seat(trust, "finance_director"),
    }


@pytest.fixture
def cosec(trust: Trust) -> User:
    return make_user((Role.COMPANY_SECRETARY, trust), person=PersonFactory(trust=trust, kind="manager", grade=""))


def complete(a: Assessment, actor: User) -> None:
    for c in services.checks_for(a.kind):
        if c["code"] != "self_attestation":
            services.check_record(
                actor=actor,
                assessment=a,
                code=c["code"],
                done_on=TODAY,
                outcome="satisfactory",
                evidence=EVIDENCE,
                today=TODAY,
            )


def test_only_the_chair_the_company_secretary_and_the_member_see_a_record(trust: Trust, board, cosec: User) -> None:
    member, member_user = board["ned"]
    a = services.assessment_open(actor=cosec, member=member, kind=Kind.ANNUAL, year=2026, due_on=TODAY)
    services.check_record(
        actor=cosec,
        assessment=a,
        code="disqualified_directors",
        done_on=TODAY,
        outcome="satisfactory",
        evidence=EVIDENCE,
        today=TODAY,
    )
    url = f"/t/{trust.code}/fit-and-proper/assessments/{a.pk}/"
    md = make_user((Role.MEDICAL_DIRECTOR, trust))
    admin = make_user((Role.SYSTEM_ADMIN, None), is_superuser=True, is_staff=True)
    for user in (board["chair"][1], cosec, member_user):
        page = client_for(user).get(url)
        assert page.status_code == 200 and EVIDENCE in page.content.decode()
    for user in (board["fd"][1], md, admin):
        assert client_for(user).get(url).status_code == 404
    assert client_for(md).get(f"/t/{trust.code}/fit-and-proper/").status_code == 403
    reads = AuditEvent.objects.filter(action="read", model="fitproper.assessment", object_pk=str(a.pk))
    assert reads.count() == 3
    assert not any(EVIDENCE in str(e.changes) or EVIDENCE in e.note for e in AuditEvent.objects.all())


def test_a_member_is_fit_and_proper_only_when_every_check_is_recorded_and_they_have_attested(
    trust: Trust, board, cosec: User
) -> None:
    member, member_user = board["fd"]
    chair = board["chair"][1]
    a = services.assessment_open(actor=cosec, member=member, kind=Kind.ANNUAL, year=2026, due_on=TODAY)
    with pytest.raises(ValidationError, match="cannot be signed off yet"):
        services.sign_off(actor=chair, assessment=a, outcome="fit", note="", today=TODAY)
    complete(a, cosec)
    with pytest.raises(ValidationError, match="self-attestation"):
        services.sign_off(actor=chair, assessment=a, outcome="fit", note="", today=TODAY)
    with pytest.raises(PermissionDenied):  # only the member attests
        services.attest(actor=chair, assessment=a, note="", today=TODAY)
    services.attest(actor=member_user, assessment=a, note="Nothing to declare.", today=TODAY)
    services.check_record(
        actor=cosec,
        assessment=a,
        code="insolvency",
        done_on=TODAY,
        outcome="concern",
        evidence="A judgment.",
        today=TODAY,
    )
    with pytest.raises(ValidationError, match="say why"):
        services.sign_off(actor=chair, assessment=a, outcome="fit", note="", today=TODAY)
    with pytest.raises(PermissionDenied):  # the company secretary keeps the records; the chair decides
        services.sign_off(actor=cosec, assessment=a, outcome="fit", note="Explained.", today=TODAY)
    done = services.sign_off(actor=chair, assessment=a, outcome="fit", note="Explained and settled.", today=TODAY)
    assert done.outcome == "fit" and done.decided_by == chair.person
    with pytest.raises(ValidationError, match="signed off"):
        services.check_record(
            actor=cosec,
            assessment=a,
            code="insolvency",
            done_on=TODAY,
            outcome="satisfactory",
            evidence="x",
            today=TODAY,
        )


def test_the_senior_independent_director_signs_off_the_chair(trust: Trust, board, cosec: User) -> None:
    member, chair_user = board["chair"]
    a = services.assessment_open(actor=cosec, member=member, kind=Kind.ANNUAL, year=2026, due_on=TODAY)
    complete(a, cosec)
    services.attest(actor=chair_user, assessment=a, note="", today=TODAY)
    with pytest.raises(PermissionDenied):
        services.sign_off(actor=chair_user, assessment=a, outcome="fit", note="", today=TODAY)
    signed = services.sign_off(actor=board["sid"][1], assessment=a, outcome="fit", note="", today=TODAY)
    assert signed.decided_by == board["sid"][0].person


def test_the_annual_return_needs_every_decision_and_names_the_chair(trust: Trust, board, cosec: User) -> None:
    chair = board["chair"][1]
    assessments = {
        name: services.assessment_open(actor=cosec, member=m, kind=Kind.ANNUAL, year=2026, due_on=TODAY)
        for name, (m, _) in board.items()
    }
    with pytest.raises(ValidationError, match="Decide every member's assessment"):
        services.return_submit(actor=chair, trust=trust, year=2026, today=TODAY)
    for name, a in assessments.items():
        complete(a, cosec)
        services.attest(actor=board[name][1], assessment=a, note="", today=TODAY)
        signer = board["sid"][1] if name == "chair" else chair
        services.sign_off(actor=signer, assessment=a, outcome="fit", note="", today=TODAY)
    with pytest.raises(PermissionDenied):
        services.return_submit(actor=cosec, trust=trust, year=2026, today=TODAY)
    services.return_submit(actor=chair, trust=trust, year=2026, today=TODAY)
    client = client_for(cosec)
    csv_text = client.get(f"/t/{trust.code}/fit-and-proper/return/2026/csv/").content.decode()
    assert csv_text.splitlines()[0] == "Staff number,Name,Board role,Interim,Assessment,Outcome,Decided on,Decided by"
    assert csv_text.count("Fit and proper") == 4
    pdf = " ".join(pdf_text(client.get(f"/t/{trust.code}/fit-and-proper/return/2026/pdf/").content).split())
    assert trust.name in pdf and "2026" in pdf and board["chair"][0].person.display_name in pdf
    assert "Signed off on 30 November 2026" in pdf


def test_the_cycle_opens_assessments_as_they_fall_due_once(trust: Trust, board) -> None:
    # seats started on 15 January 2024: the appointment assessment at once; the 2027 annual one 30 days ahead
    assert services.cycle(trust=trust, today=dt.date(2026, 11, 30)) == 4
    assert services.cycle(trust=trust, today=dt.date(2026, 11, 30)) == 0
    assert services.cycle(trust=trust, today=dt.date(2026, 12, 16)) == 4
    annual = Assessment.objects.filter(kind=Kind.ANNUAL)
    assert {a.due_on for a in annual} == {dt.date(2027, 1, 15)} and annual.count() == 4


def test_a_leavers_reference_is_kept_until_they_are_75(trust: Trust, board, cosec: User) -> None:
    member, _ = board["ned"]
    with pytest.raises(ValidationError, match="last day"):
        services.leaver_reference(actor=cosec, member=member, content="x", completed_on=TODAY)
    BoardMember.objects.filter(pk=member.pk).update(end=TODAY)
    member.refresh_from_db()
    ref = services.leaver_reference(
        actor=cosec, member=member, content="No complaints.", completed_on=TODAY, born_on=dt.date(1961, 5, 2)
    )
    assert ref.keep_until == dt.date(2036, 5, 2)


def test_the_chair_is_told_of_terms_ending_and_assessments_overdue(trust: Trust, board, cosec: User) -> None:
    from medlead.home.presenters import work_for

    member, _ = board["ned"]
    BoardMember.objects.filter(pk=member.pk).update(term_ends=TODAY + dt.timedelta(days=30))
    services.assessment_open(actor=cosec, member=member, kind=Kind.ANNUAL, year=2026, due_on=TODAY - dt.timedelta(1))
    words = [t.words for t in work_for(board["chair"][1], trust, today=TODAY)]
    assert "board member's term of office ends within 90 days, or has ended" in words
    assert "board member's fit and proper assessment is overdue" in words
    cosec_tasks = work_for(cosec, trust, today=TODAY)
    assert cosec_tasks[0].words == "board member's fit and proper assessment is overdue"  # urgent, so first
    assert "board member's term of office ends within 90 days, or has ended" in [t.words for t in cosec_tasks]
    page = client_for(cosec).get(f"/t/{trust.code}/fit-and-proper/").content.decode()
    assert "Ends within 90 days" in page and "Overdue" in page


def test_the_annual_appraisal_draws_on_the_board_leadership_framework(trust: Trust, board, cosec: User) -> None:
    from django.utils import timezone

    from medlead.fitproper.selectors import board_self_assessment
    from medlead.leadership.models import Framework, SelfAssessment

    member, member_user = board["ned"]
    a = services.assessment_open(actor=cosec, member=member, kind=Kind.ANNUAL, year=2026, due_on=TODAY)
    assert board_self_assessment(a) is None
    lcf = Framework.objects.get(code="lcf-board-2024", trust__isnull=True)
    done = SelfAssessment.objects.create(trust=trust, person=member.person, framework=lcf, submitted_at=timezone.now())
    assert board_self_assessment(a) == done
    page = client_for(member_user).get(f"/t/{trust.code}/fit-and-proper/assessments/{a.pk}/").content.decode()
    assert "the member submitted a self-assessment against it" in page


def test_the_sign_off_is_offered_only_when_it_can_be_taken_then_checked_then_confirmed(
    trust: Trust, board, cosec: User
) -> None:
    """Issue 31: no "Sign it off" while checks are missing (the page lists them, and a forced post is refused with
    the reason); then check your answers, nothing saved until confirmed, and a page saying what happens next."""
    member, member_user = board["fd"]
    chair = client_for(board["chair"][1])
    a = services.assessment_open(actor=cosec, member=member, kind=Kind.ANNUAL, year=2026, due_on=TODAY)
    base = f"/t/{trust.code}/fit-and-proper/assessments/{a.pk}/"
    page = chair.get(base).content.decode()
    assert "Before you can sign it off" in page and "nhsuk-task-list" in page
    assert "Insolvency and bankruptcy register search" in page and "The board member&#39;s self-attestation" in page
    assert "sign-off/check/" not in page  # the decision is not offered
    forced = chair.post(base + "sign-off/", {"sign-outcome": "fit", "sign-note": ""})
    assert "cannot be signed off yet" in forced.content.decode()
    a.refresh_from_db()
    assert a.outcome == "pending"

    complete(a, cosec)
    services.attest(actor=member_user, assessment=a, note="", today=TODAY)
    assert "sign-off/check/" in chair.get(base).content.decode()
    check = chair.post(base + "sign-off/check/", {"sign-outcome": "fit", "sign-note": "All clear."})
    text = check.content.decode()
    assert "Check your answers before you sign the assessment off" in text
    assert "Fit and proper" in text and "All clear." in text and "Change" in text
    assert 'name="sign-outcome" value="fit"' in text
    assert 'name="csrfmiddlewaretoken"' in text  # the confirm posts from a browser too
    a.refresh_from_db()
    assert a.outcome == "pending"  # nothing saved before the confirm
    back = chair.post(base + "sign-off/check/", {"sign-outcome": "fit", "sign-note": "All clear.", "step": "change"})
    assert "All clear." in back.content.decode() and "Check your answers" not in back.content.decode()

    done = chair.post(base + "sign-off/", {"sign-outcome": "fit", "sign-note": "All clear."})
    assert done.status_code == 302 and done["Location"] == base + "decided/"
    confirmation = chair.get(done["Location"]).content.decode()
    assert "Assessment signed off" in confirmation and "What happens next" in confirmation
    assert "3 are still to decide" in confirmation  # the chair, the senior independent director, the other NED
    a.refresh_from_db()
    assert a.outcome == "fit"


def test_the_return_is_offered_only_when_every_decision_is_taken_then_checked_then_confirmed(
    trust: Trust, board, cosec: User
) -> None:
    chair = client_for(board["chair"][1])
    url = f"/t/{trust.code}/fit-and-proper/return/2026/"
    assessments = {
        name: services.assessment_open(actor=cosec, member=m, kind=Kind.ANNUAL, year=2026, due_on=TODAY)
        for name, (m, _) in board.items()
    }
    page = chair.get(url).content.decode()
    assert "Before you can sign off the return" in page and "not yet decided" in page
    assert "return/2026/check/" not in page
    assert chair.get(url + "check/")["Location"] == url  # the check page is not reached either
    forced = chair.post(url + "sign-off/", follow=True).content.decode()
    assert "Decide every member&#39;s assessment for 2026 first" in forced
    for name, a in assessments.items():
        complete(a, cosec)
        services.attest(actor=board[name][1], assessment=a, note="", today=TODAY)
        signer = board["sid"][1] if name == "chair" else board["chair"][1]
        services.sign_off(actor=signer, assessment=a, outcome="fit", note="", today=TODAY)
    assert "return/2026/check/" in chair.get(url).content.decode()
    check = chair.get(url + "check/").content.decode()
    assert "Check your answers before you sign off the annual return for 2026" in check
    assert board["fd"][0].person.display_name in check and "Confirm and sign off the return" in check
    assert not AnnualReturn.objects.exists()  # nothing saved before the confirm
    done = chair.post(url + "sign-off/")
    assert done["Location"] == url + "signed-off/"
    confirmation = chair.get(done["Location"]).content.decode()
    assert "Annual return for 2026 signed off" in confirmation
    assert "Send its PDF to NHS England&#39;s regional director" in confirmation
    assert AnnualReturn.objects.filter(trust=trust, year=2026).count() == 1
