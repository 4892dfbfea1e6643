"""Self-assessment and 360 feedback: confidentiality, private links, bad input, email failure, trust view."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core import mail
from django.test import Client, override_settings
from django.utils import timezone

from medlead.accounts.models import Role
from medlead.core import dates
from medlead.core.actors import SystemActor
from medlead.core.audit import AuditEvent
from medlead.leadership import services, tokens
from medlead.leadership.models import CycleItemScore, FeedbackCycle, Framework, Rater, SelfAssessment
from medlead.organisation.models import Grade, Person, Trust
from tests.conftest import client_for
from tests.factories import PersonFactory, make_user, pdf_bytes

# The system, acting for the tests where no person does (set-up, workers).
SYSTEM = SystemActor("test set-up")

pytestmark = pytest.mark.django_db
TODAY = dates.today()


@pytest.fixture
def subject(trust: Trust) -> Person:
    return PersonFactory(trust=trust, grade=Grade.CONSULTANT, email="subject@example.org")


@pytest.fixture
def hlm() -> Framework:
    return Framework.objects.get(code="hlm", trust=None)


def open_cycle(subject: Person, hlm: Framework, facilitator: Person | None = None) -> FeedbackCycle:
    """A cycle with a facilitator (a coach), who approves its nominations."""
    return services.cycle_open(
        actor=SYSTEM,
        subject=subject,
        framework=hlm,
        closes_on=TODAY + dt.timedelta(days=14),
        facilitator=facilitator or PersonFactory(trust=subject.trust, email=f"coach{subject.pk}@example.org"),
        today=TODAY,
    )


def nominate(cycle: FeedbackCycle, nominees: list[tuple[str, str, str]], actor=SYSTEM) -> list[Rater]:
    """Nominate raters and have the facilitator approve them all (confirming unknown addresses)."""
    raters = services.raters_nominate(actor=actor, cycle=cycle, nominees=nominees)
    ids = [r.pk for r in raters]
    services.raters_approve(actor=SYSTEM, cycle=cycle, approve=ids, confirm_unknown=ids)
    return [Rater.objects.get(pk=i) for i in ids]


def invitations() -> list:
    return [m for m in mail.outbox if "raters to approve" not in m.subject]


def answer(rater: Rater, score: int, comment: str = "", submit: bool = True) -> None:
    items = rater.cycle.framework.items.all()
    client = Client()
    data = {f"b-{i.pk}": str(score) for i in items} | {f"i-{i.pk}": "3" for i in items} | {"comment": comment}
    if submit:
        data["submit"] = "1"
    client.post(f"/feedback/{tokens.make(rater.pk, rater.nonce)}/", data)


def test_national_frameworks_are_loaded_with_sources() -> None:
    codes = set(Framework.objects.filter(trust=None).values_list("code", flat=True))
    assert codes == {"md-person-spec", "hlm", "lcf-board-2024", "mlcf", "management-fundamentals", "mlf-2025"}
    assert Framework.objects.get(code="hlm").items.count() == 9
    assert Framework.objects.get(code="mlcf").items.count() == 20
    assert Framework.objects.get(code="hlm").scale == ["Essential", "Proficient", "Strong", "Exemplary"]


def test_nhs_englands_management_and_leadership_framework_is_offered_with_its_source(trust: Trust) -> None:
    """Issue 30, item 9: the framework NHS England's board approved for launch on 23 September 2025 is listed, with
    its source and date; its standards were not found in a public text, so it has no items of medlead's invention
    and is not offered to rate against until the trust imports them."""
    mlf = Framework.objects.get(code="mlf-2025", trust=None)
    assert mlf.name == "Management and Leadership Framework (NHS England, 2025)"
    assert "Approve the Management and Leadership Framework for launch" in mlf.source
    assert mlf.items.count() == 0
    user = make_user((Role.DOCTOR, trust), person=PersonFactory(trust=trust))
    client = client_for(user)
    home = client.get(f"/t/{trust.code}/leadership/").content.decode()
    assert "Management and Leadership Framework (NHS England, 2025)" in home
    page = client.get(f"/t/{trust.code}/leadership/frameworks/{mlf.pk}/").content.decode()
    assert "23 September 2025" in page and "your trust can import them" in page
    start = client.get(f"/t/{trust.code}/leadership/self-assessments/new/").content.decode()
    assert "Healthcare Leadership Model" in start and "Management and Leadership Framework" not in start


def test_self_assessment_draft_submit_and_gap_to_target_role(trust: Trust, subject: Person) -> None:
    user = make_user((Role.DOCTOR, trust), person=subject)
    spec = Framework.objects.get(code="md-person-spec")
    a = services.assessment_start(actor=user, person=subject, framework=spec, target_role="medical_director")
    client = client_for(user)
    items = list(spec.items.all())
    client.post(
        f"/t/{trust.code}/leadership/self-assessments/{a.pk}/",
        {f"level-{items[0].pk}": "1", f"evidence-{items[0].pk}": "Led the sepsis project"},
    )
    a.refresh_from_db()
    assert a.submitted_at is None and a.ratings.get(item=items[0]).evidence == "Led the sepsis project"
    url = f"/t/{trust.code}/leadership/self-assessments/{a.pk}/"
    submitted = {f"level-{items[0].pk}": "1", f"evidence-{items[0].pk}": "Led the sepsis project", "submit": "1"}
    asked = client.post(url, submitted).content.decode()
    # 1 of the items rated: the draft is kept and the doctor is asked before the assessment is locked
    assert f"{len(items) - 1} of {len(items)} items are not rated" in asked
    a.refresh_from_db()
    assert a.submitted_at is None
    client.post(url, submitted | {"confirm_partial": "yes"})
    a.refresh_from_db()
    assert a.submitted_at is not None
    page = client.get(url).content.decode()
    assert "Gap to the target role" in page and "2 levels" in page
    assert "Led the sepsis project" in page  # the evidence is shown again once submitted
    other = make_user((Role.MEDICAL_DIRECTOR, trust), person=PersonFactory(trust=trust))
    assert client_for(other).get(f"/t/{trust.code}/leadership/self-assessments/{a.pk}/").status_code == 404


def test_out_of_range_self_rating_is_refused(trust: Trust, subject: Person, hlm: Framework) -> None:
    a = services.assessment_start(actor=SYSTEM, person=subject, framework=hlm)
    item = hlm.items.all()[0]
    with pytest.raises(Exception, match="choose a level from 1 to 4"):
        services.assessment_save(actor=SYSTEM, assessment=a, ratings={item.pk: {"level": 9}})
    assert not a.ratings.exists()


def test_nomination_refuses_self_and_duplicates_and_saves_nothing(
    trust: Trust, subject: Person, hlm: Framework
) -> None:
    cycle = open_cycle(subject, hlm)
    with pytest.raises(Exception) as refused:
        services.raters_nominate(
            actor=SYSTEM,
            cycle=cycle,
            nominees=[
                ("peer", "A", "a@example.org"),
                ("peer", "Me", "SUBJECT@example.org"),
                ("peer", "A again", "a@example.org"),
            ],
        )
    assert "you cannot nominate yourself" in str(refused.value) and "already nominated" in str(refused.value)
    assert cycle.raters.exclude(group="self").count() == 0 and not mail.outbox


def test_invitations_go_in_the_order_raters_were_nominated(
    trust: Trust, subject: Person, hlm: Framework, django_capture_on_commit_callbacks
) -> None:
    """The approval page lists nominations by group; the invitations still go in the order they were made."""
    cycle = open_cycle(subject, hlm)
    raters = services.raters_nominate(
        actor=SYSTEM,
        cycle=cycle,
        nominees=[
            ("line_manager", "Lena Manager", "lena@example.org"),
            ("peer", "Pat Peer", "pat@example.org"),
            ("direct_report", "Dora Report", "dora@example.org"),
        ],
    )
    ids = [r.pk for r in raters]
    with django_capture_on_commit_callbacks(execute=True):
        services.raters_approve(actor=SYSTEM, cycle=cycle, approve=ids[::-1], confirm_unknown=ids)
    assert [m.to for m in invitations()] == [["lena@example.org"], ["pat@example.org"], ["dora@example.org"]]


def test_subject_sees_counts_never_who_answered_and_report_only_after_close(
    trust: Trust, subject: Person, hlm: Framework, django_capture_on_commit_callbacks
) -> None:
    user = make_user((Role.DOCTOR, trust), person=subject)
    cycle = open_cycle(subject, hlm)
    with django_capture_on_commit_callbacks(execute=True):
        nominate(
            actor=user,
            cycle=cycle,
            nominees=[
                ("line_manager", "Lena Manager", "lena@example.org"),
                *[("peer", f"Peer Person{n}", f"p{n}@example.org") for n in range(3)],
                ("direct_report", "Dora Report", "dora@example.org"),
            ],
        )
    sent = invitations()
    assert len(sent) == 5 and "identifiable" in next(m for m in sent if m.to == ["lena@example.org"]).body
    for r in cycle.raters.exclude(group="self"):
        answer(r, 3, comment=f"Comment from {r.group}")
    client = client_for(user)
    page = client.get(f"/t/{trust.code}/leadership/360/{cycle.pk}/").content.decode()
    assert "5 of 5" in page
    # the subject sees whom they nominated (issue 31), each only as invited: never who has answered
    listed = page[page.index('id="nominees"') : page.index("</ul>", page.index('id="nominees"'))]
    assert listed.count("<li>") == 5 and listed.count(": Invited</li>") == 5
    assert "Lena Manager" in listed and "dora@example.org" in listed and "answer" not in listed.lower()
    assert (
        client.get(f"/t/{trust.code}/leadership/360/{cycle.pk}/report/").status_code == 404
    )  # still open: no report yet
    client.post(f"/t/{trust.code}/leadership/360/{cycle.pk}/close/", {"confirm": "yes"})
    report = client.get(f"/t/{trust.code}/leadership/360/{cycle.pk}/report/").content.decode()
    assert "Peers" in report and "Direct reports" not in report  # one direct report: not shown alone
    assert "Comment from direct_report" not in report  # folded residual under three: dropped
    for secret in ("Lena", "Peer Person", "Dora", "@example.org"):
        assert secret not in report
    from tests.pdf_text import pdf_text

    text = pdf_text(client.get(f"/t/{trust.code}/leadership/360/{cycle.pk}/report/pdf/").content)
    assert trust.name in text and subject.display_name in text and f"GMC {subject.gmc_number}" in text
    assert "Confidential" in text and "Lena" not in text and "Peer Person" not in text
    audit = AuditEvent.objects.filter(model="leadership.rater")
    # five nominations and five approvals, none copying who the raters are
    assert audit.count() == 10 and all(e.changes == {} and "@" not in e.object_repr for e in audit)


def test_facilitator_sees_report_managers_do_not(trust: Trust, subject: Person, hlm: Framework) -> None:
    facilitator = PersonFactory(trust=trust)
    cycle = open_cycle(subject, hlm, facilitator=facilitator)
    services.cycle_close(actor=SYSTEM, cycle=cycle)
    url = f"/t/{trust.code}/leadership/360/{cycle.pk}/report/"
    assert client_for(make_user((Role.DOCTOR, trust), person=facilitator)).get(url).status_code == 200
    assert (
        client_for(make_user((Role.MEDICAL_DIRECTOR, trust), person=PersonFactory(trust=trust))).get(url).status_code
        == 404
    )
    assert client_for(make_user((Role.CLINICAL_DIRECTOR, trust))).get(url).status_code == 404


def test_links_invalid_submitted_and_closed(trust: Trust, subject: Person, hlm: Framework) -> None:
    cycle = open_cycle(subject, hlm)
    (rater,) = nominate(cycle, [("peer", "A", "a@example.org")])
    link = f"/feedback/{tokens.make(rater.pk, rater.nonce)}/"
    assert Client().get("/feedback/not-a-token/").status_code == 404
    assert Client().get(f"/feedback/{tokens.make(rater.pk, 'wrong-nonce')}/").status_code == 404
    answer(rater, 2, submit=False)
    rater.refresh_from_db()
    assert rater.submitted_at is None and rater.responses.count() == 9  # a draft
    answer(rater, 3)
    page = Client().get(link)
    assert page.status_code == 410 and "already submitted" in page.content.decode()
    (late,) = nominate(cycle, [("peer", "B", "b@example.org")])
    FeedbackCycle.objects.filter(pk=cycle.pk).update(closes_on=TODAY - dt.timedelta(days=1))
    page = Client().get(f"/feedback/{tokens.make(late.pk, late.nonce)}/")
    assert page.status_code == 410 and "has closed" in page.content.decode()


@override_settings(
    EMAIL_BACKEND="django.core.mail.backends.smtp.EmailBackend", EMAIL_HOST="127.0.0.1", EMAIL_PORT=1, EMAIL_TIMEOUT=2
)
def test_an_undeliverable_invitation_is_retried_then_shown_as_failed(
    trust: Trust, subject: Person, hlm: Framework, django_capture_on_commit_callbacks
) -> None:
    user = make_user((Role.DOCTOR, trust), person=subject)
    cycle = open_cycle(subject, hlm)
    (rater,) = services.raters_nominate(actor=user, cycle=cycle, nominees=[("peer", "A", "nobody@example.org")])
    with django_capture_on_commit_callbacks(execute=True):
        services.raters_approve(actor=SYSTEM, cycle=cycle, approve=[rater.pk], confirm_unknown=[rater.pk])
    rater.refresh_from_db()
    assert rater.send_failed and rater.invited_at is None
    page = client_for(user).get(f"/t/{trust.code}/leadership/360/{cycle.pk}/").content.decode()
    assert "could not be reached" in page and "nobody@example.org" in page


def test_trust_view_suppresses_items_with_fewer_than_three_cycles(trust: Trust, hlm: Framework) -> None:
    md = make_user((Role.MEDICAL_DIRECTOR, trust))
    item = hlm.items.first()
    for _ in range(2):
        cycle = open_cycle(PersonFactory(trust=trust), hlm)
        FeedbackCycle.objects.filter(pk=cycle.pk).update(status="closed")
        CycleItemScore.objects.create(cycle=cycle, item=item, others_mean=3.0, respondents=5)
    page = client_for(md).get(f"/t/{trust.code}/leadership/trust/?framework=hlm").content.decode()
    assert "Too few to show" in page
    cycle = open_cycle(PersonFactory(trust=trust), hlm)
    FeedbackCycle.objects.filter(pk=cycle.pk).update(status="closed")
    CycleItemScore.objects.create(cycle=cycle, item=item, others_mean=2.0, respondents=5)
    page = client_for(md).get(f"/t/{trust.code}/leadership/trust/?framework=hlm").content.decode()
    assert "2.67" in page
    assert client_for(make_user((Role.DOCTOR, trust))).get(f"/t/{trust.code}/leadership/trust/").status_code == 403


def test_trust_framework_import(trust: Trust) -> None:
    md = make_user((Role.MEDICAL_DIRECTOR, trust))
    fw, errors = services.framework_import(
        actor=md,
        trust=trust,
        name="CD profile",
        code="cd-profile",
        scale=["Low", "High"],
        filename="f.csv",
        content=b"domain,code,item\nLeading,l1,Chairs the directorate meeting\nLeading,l1,Dup\n",
    )
    assert fw is None and errors == ["row 3, column 'code': 'l1' is also on row 2"]
    fw, errors = services.framework_import(
        actor=md,
        trust=trust,
        name="CD profile",
        code="cd-profile",
        scale=["Low", "High"],
        filename="f.csv",
        content=b"domain,code,item\nLeading,l1,Chairs the directorate meeting\n",
    )
    assert errors == [] and fw is not None and fw.items.count() == 1 and fw.trust == trust
    assert SelfAssessment.objects.count() == 0


def test_evidence_files_are_for_their_owner_only(
    trust: Trust, subject: Person, hlm: Framework, tmp_path, settings
) -> None:
    from django.core.files.uploadedfile import SimpleUploadedFile

    settings.MEDIA_ROOT = tmp_path
    user = make_user((Role.DOCTOR, trust), person=subject)
    a = services.assessment_start(actor=user, person=subject, framework=hlm)
    item = hlm.items.all()[0]
    client = client_for(user)
    client.post(
        f"/t/{trust.code}/leadership/self-assessments/{a.pk}/",
        {f"level-{item.pk}": "2", f"file-{item.pk}": SimpleUploadedFile("certificate.pdf", pdf_bytes())},
    )
    rating = a.ratings.get(item=item)
    url = f"/t/{trust.code}/leadership/self-assessments/{a.pk}/files/{rating.pk}/"
    download = client.get(url)
    assert download.status_code == 200 and b"".join(download.streaming_content) == pdf_bytes()
    other = make_user((Role.MEDICAL_DIRECTOR, trust), person=PersonFactory(trust=trust))
    assert client_for(other).get(url).status_code == 404


def test_refused_nominations_are_listed_on_the_page(trust: Trust, subject: Person, hlm: Framework) -> None:
    user = make_user((Role.DOCTOR, trust), person=subject)
    cycle = open_cycle(subject, hlm)
    page = (
        client_for(user)
        .post(
            f"/t/{trust.code}/leadership/360/{cycle.pk}/",
            {
                "group-0": "peer",
                "name-0": "Me",
                "email-0": "subject@example.org",
            },
        )
        .content.decode()
    )
    assert "There is a problem: nobody was nominated" in page and "you cannot nominate yourself" in page


def test_report_trend_follows_the_subjects_closed_cycles(trust: Trust, subject: Person, hlm: Framework) -> None:
    from medlead.leadership.selectors import cycle_trend

    item = hlm.items.all()[0]
    cycles = []
    for mean in (2.0, 3.5):
        c = open_cycle(subject, hlm)
        FeedbackCycle.objects.filter(pk=c.pk).update(status="closed", closed_at=timezone.now())
        CycleItemScore.objects.create(cycle=c, item=item, others_mean=mean, respondents=4)
        cycles.append(c)
    assert [m for _, m in cycle_trend(cycles[1])] == [2.0, 3.5]


def test_submitting_feedback_takes_the_same_queries_for_9_items_as_for_22(
    trust: Trust, subject: Person, hlm: Framework
) -> None:
    """A rater's submission was 61 queries for the 9-item Healthcare Leadership Model and 139 for a 22-item
    framework: it must not grow with the number of items (issue 11)."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    counts = {}
    for framework in (hlm, Framework.objects.get(code="md-person-spec", trust=None)):
        cycle = open_cycle(subject, framework)
        rater = nominate(cycle, [("peer", "Dr P", "p@example.org")])[0]
        with CaptureQueriesContext(connection) as queries:
            answer(rater, 3)
        assert Rater.objects.get(pk=rater.pk).submitted_at is not None
        counts[framework.items.count()] = len(queries)
        cycle.delete()
    assert set(counts) == {9, 22}
    assert counts[9] == counts[22], counts
    assert counts[22] <= 12, counts


def test_while_a_360_runs_a_lone_raters_moment_of_answering_does_not_show(
    trust: Trust, subject: Person, hlm: Framework
) -> None:
    from medlead.leadership.selectors import cycle_counts

    cycle = open_cycle(subject, hlm)
    nominees = [("direct_report", "Dr D", "d@example.org")] + [
        ("peer", f"Dr P{n}", f"p{n}@example.org") for n in range(3)
    ]
    raters = nominate(cycle, nominees)
    before = cycle_counts(cycle)
    answer(next(r for r in raters if r.group == "direct_report"), 3)
    after = cycle_counts(cycle)
    assert (
        before["per_group"]["Direct reports"]
        == after["per_group"]["Direct reports"]
        == {
            "invited": 1,
            "responded": None,
        }
    )
    assert after["per_group"]["Peers"] == {"invited": 3, "responded": 0}
    assert (before["responded"], after["responded"]) == (0, 1)  # in total only


def test_a_rater_can_say_not_observed_and_it_counts_as_no_answer(trust: Trust, subject: Person, hlm: Framework) -> None:
    from medlead.leadership.models import Response

    cycle = open_cycle(subject, hlm)
    rater = nominate(cycle, [("peer", "Dr P", "p@example.org")])[0]
    items = list(hlm.items.all())
    link = f"/feedback/{tokens.make(rater.pk, rater.nonce)}/"
    assert "Not observed" in Client().get(link).content.decode()
    data = {f"b-{i.pk}": "3" for i in items[1:]} | {f"b-{items[0].pk}": "n", "submit": "1"}
    Client().post(link, data)
    answer = Response.objects.get(rater=rater, item=items[0])
    assert answer.behaviour is None and Rater.objects.get(pk=rater.pk).submitted_at is not None


def test_nominations_wait_for_approval_and_unknown_addresses_need_confirming(
    trust: Trust, subject: Person, hlm: Framework, django_capture_on_commit_callbacks
) -> None:
    """Issue 13: a subject could fill a group with addresses they control. Nominations now wait for the facilitator
    or a line manager, and an address nobody in the trust has must be confirmed explicitly."""
    from django.core.exceptions import PermissionDenied, ValidationError

    PersonFactory(trust=trust, email="Known.Colleague@example.org")  # a colleague the trust knows
    coach = PersonFactory(trust=trust, email="coach@example.org")
    cycle = open_cycle(subject, hlm, facilitator=coach)
    subject_user = make_user((Role.DOCTOR, trust), person=subject)
    with django_capture_on_commit_callbacks(execute=True):
        raters = services.raters_nominate(
            actor=subject_user,
            cycle=cycle,
            nominees=[("peer", "Colleague", "known.colleague@example.org"), ("peer", "Sock", "me2@gmail.example")],
        )
    known, unknown = raters
    assert (known.known, unknown.known) == (True, False)
    assert [m.to for m in mail.outbox] == [["coach@example.org"]]  # the approver is told; no invitation yet
    assert all(
        r.approval == "pending" and r.invited_at is None for r in Rater.objects.filter(pk__in=[known.pk, unknown.pk])
    )
    # the subject cannot approve their own nominations; a stranger cannot either
    with pytest.raises(PermissionDenied):
        services.raters_approve(actor=subject_user, cycle=cycle, approve=[known.pk])
    stranger = make_user((Role.DOCTOR, trust), person=PersonFactory(trust=trust))
    with pytest.raises(PermissionDenied):
        services.raters_approve(actor=stranger, cycle=cycle, approve=[known.pk])
    coach_user = make_user((Role.DOCTOR, trust), person=coach)
    # an unknown address is not approved without confirmation, and nothing is approved with it
    with pytest.raises(ValidationError, match="belongs to nobody known to the trust"):
        services.raters_approve(actor=coach_user, cycle=cycle, approve=[known.pk, unknown.pk])
    assert not Rater.objects.filter(approval="approved").exclude(group="self").exists()
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        services.raters_approve(actor=coach_user, cycle=cycle, approve=[known.pk], decline=[unknown.pk])
    assert [m.to for m in mail.outbox] == [["known.colleague@example.org"]]
    assert Rater.objects.get(pk=unknown.pk).approval == "declined"
    # a declined rater's link never works
    assert Client().get(f"/feedback/{tokens.make(unknown.pk, unknown.nonce)}/").status_code == 410
    # the coach's approval page and home show the work; the subject's page counts the decision without names
    page = client_for(subject_user).get(f"/t/{trust.code}/leadership/360/{cycle.pk}/").content.decode()
    assert "0 of 1" in page and "1 nomination was not approved" in page
    # the subject sees what became of the nomination they typed (issue 31): not approved, so never invited
    assert "<strong>Sock</strong> (me2@gmail.example), peers: Not approved: no invitation sent" in page


def test_a_line_manager_approves_on_the_page_and_sees_it_on_their_home(
    trust: Trust, subject: Person, hlm: Framework
) -> None:
    from tests.factories import SpecialtyFactory, make_clinical_director

    subject.specialty_id = SpecialtyFactory(trust=trust, name="Renal medicine").pk
    subject.save()
    subject.refresh_from_db()
    cd_user = make_clinical_director(trust, subject.specialty)
    cycle = services.cycle_open(
        actor=SYSTEM, subject=subject, framework=hlm, closes_on=TODAY + dt.timedelta(days=14), today=TODAY
    )
    (rater,) = services.raters_nominate(actor=SYSTEM, cycle=cycle, nominees=[("peer", "Pat Unknown", "pat@x.example")])
    client = client_for(cd_user)
    assert "1 360 feedback cycle with nominations to approve" in client.get(f"/t/{trust.code}/").content.decode()
    url = f"/t/{trust.code}/leadership/360/{cycle.pk}/approve/"
    page = client.get(url).content.decode()
    assert "Pat Unknown" in page and "Not known to the trust" in page
    refused = client.post(url, {f"decision-{rater.pk}": "approve"}).content.decode()
    assert "confirm it before approving" in refused and Rater.objects.get(pk=rater.pk).approval == "pending"
    assert client.post(url, {f"decision-{rater.pk}": "approve", "confirm": str(rater.pk)}).status_code == 302
    assert Rater.objects.get(pk=rater.pk).approval == "approved"
    assert AuditEvent.objects.filter(model="leadership.feedbackcycle", action="read").exists()
    # the subject never reaches the approval page
    assert client_for(make_user((Role.DOCTOR, trust), person=subject)).get(url).status_code == 404


def test_closing_while_raters_are_outstanding_is_checked_first(trust: Trust, subject: Person, hlm: Framework) -> None:
    cycle = open_cycle(subject, hlm)
    nominate(cycle, [("peer", f"Dr P{n}", f"p{n}@example.org") for n in range(4)])
    for r in cycle.raters.exclude(group="self")[:3]:
        answer(r, 3)
    client = client_for(make_user((Role.DOCTOR, trust), person=subject))
    check = client.get(f"/t/{trust.code}/leadership/360/{cycle.pk}/close/check/").content.decode()
    assert "3 of 4 people invited" in check and "1: once it is closed they cannot answer" in check
    assert FeedbackCycle.objects.get(pk=cycle.pk).status == "open"
    url = f"/t/{trust.code}/leadership/360/{cycle.pk}/close/"
    assert client.post(url, {"confirm": "yes"}).status_code == 302
    assert FeedbackCycle.objects.get(pk=cycle.pk).status == "closed"


def test_a_refused_nomination_form_keeps_what_was_typed(trust: Trust, subject: Person, hlm: Framework) -> None:
    user = make_user((Role.DOCTOR, trust), person=subject)
    cycle = open_cycle(subject, hlm)
    page = (
        client_for(user)
        .post(
            f"/t/{trust.code}/leadership/360/{cycle.pk}/",
            {
                "group-0": "peer",
                "name-0": "Good Person",
                "email-0": "good@example.org",
                "name-1": "Bad",
                "email-1": "x",
            },
        )
        .content.decode()
    )
    assert "Nominee 2" in page and 'value="Good Person"' in page and 'value="good@example.org"' in page
    assert '<option value="peer" selected>' in page


def test_the_cycles_waiting_for_a_line_manager_are_read_in_fixed_queries(trust: Trust, hlm: Framework) -> None:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from medlead.leadership.selectors import cycles_to_approve
    from tests.factories import SpecialtyFactory, make_clinical_director

    renal = SpecialtyFactory(trust=trust, name="Renal medicine")
    cd_user = make_clinical_director(trust, renal)

    def cycles_waiting(n: int) -> None:
        for _ in range(n):
            subject = PersonFactory(trust=trust, specialty=renal)
            cycle = services.cycle_open(
                actor=SYSTEM, subject=subject, framework=hlm, closes_on=TODAY + dt.timedelta(days=14), today=TODAY
            )
            services.raters_nominate(
                actor=SYSTEM, cycle=cycle, nominees=[("peer", "Pat", f"pat{subject.pk}@x.example")]
            )

    assert cycles_to_approve(actor=cd_user, trust=trust) == []
    counts, found = [], []
    for n in (1, 3):
        cycles_waiting(n)
        with CaptureQueriesContext(connection) as q:
            found.append(len(cycles_to_approve(actor=cd_user, trust=trust)))
        counts.append(len(q))
    assert found == [1, 4]  # the clinical director manages every subject in their specialty
    assert counts[0] == counts[1], counts
