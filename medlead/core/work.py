"""What needs this person now, across every module they touch: the first thing their trust page shows.

Each entry is a count from the same rules the module pages use (``core.policy``, the workflows, the modules'
selectors), with a link to the place to act, most urgent first. One person with several roles sees one list. A
fixed number of queries, whatever the size of the trust."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from django.db.models import Count, Q
from django.urls import reverse

from medlead.accounts.models import Role
from medlead.core.policy import (
    Perm,
    can,
    has_board_seat,
    person_id,
    roles_for,
)
from medlead.leadership.selectors import cycles_to_approve
from medlead.rota.permissions import exception_reports_to_agree_filter

if TYPE_CHECKING:
    from medlead.structure.selectors import StructureToday


@dataclass(frozen=True)
class Task:
    text: str
    count: int | None  # None for a thing of one's own ("Prepare your appraisal"), said without a number
    url: str
    urgent: bool = False
    one: str = ""  # the words for a count of exactly one ("job plan agreed by the doctor, ...")

    @property
    def words(self) -> str:
        return self.one if self.count == 1 and self.one else self.text


def _plans_to_sign(actor: Any, trust: Any, year: int) -> list[Task]:
    from medlead.jobplans.models import State
    from medlead.jobplans.selectors import plans_waiting

    words = {
        State.AGREED: (
            "job plans agreed by the doctor, waiting for your signature",
            "job plan agreed by the doctor, waiting for your signature",
        ),
        State.SIGNED_CD: (
            "job plans signed by the clinical director, waiting for sign-off",
            "job plan signed by the clinical director, waiting for sign-off",
        ),
    }
    out = []
    for state, qs in plans_waiting(actor=actor, trust=trust, year=year).items():
        n = qs.count()
        if n:
            url = reverse("jobplans:dashboard", kwargs={"trust_code": trust.code}) + f"?waiting=me&year={year}"
            text, one = words[State(state)]
            out.append(Task(text, n, url, one=one))
    return out


def _fit_and_proper(actor: Any, trust: Any, today: dt.date, pid: int | None) -> list[Task]:
    """Board members' fit and proper assessments: overdue ones for the chair and the company secretary; those to
    sign off for whoever signs them; a member's own self-attestation."""
    from medlead.fitproper.models import Assessment, Outcome
    from medlead.organisation.models import BoardMember

    out: list[Task] = []
    manages = can(actor, Perm.MANAGE_FPPT, trust)
    if not manages and pid is None:
        return out
    # the open assessments of the trust's current board: a board's few members, read once
    pending = list(
        Assessment.objects.filter(trust=trust, outcome=Outcome.PENDING, member__end__isnull=True).select_related(
            "member"
        )
    )
    if manages:
        ending = BoardMember.objects.filter(
            trust=trust, end__isnull=True, term_ends__lte=today + dt.timedelta(days=90)
        ).count()
        if ending:
            out.append(
                Task(
                    "board members' terms of office end within 90 days, or have ended",
                    ending,
                    reverse("fitproper:register", kwargs={"trust_code": trust.code}),
                    one="board member's term of office ends within 90 days, or has ended",
                )
            )
        late = sum(1 for a in pending if a.is_overdue(today))
        if late:
            out.append(
                Task(
                    "board members' fit and proper assessments are overdue",
                    late,
                    reverse("fitproper:register", kwargs={"trust_code": trust.code}),
                    True,
                    one="board member's fit and proper assessment is overdue",
                )
            )
    if pid is not None:
        mine = next((a for a in pending if a.member.person_id == pid and a.attested_on is None), None)
        if mine:
            url = reverse("fitproper:assessment", kwargs={"trust_code": trust.code, "pk": mine.pk})
            out.append(Task("Make your fit and proper self-attestation", None, url))
        ready: list[Any] = []
        if has_board_seat(actor, trust):  # only a seat signs
            ready = [a for a in pending if a.attested_on is not None and can(actor, Perm.SIGN_OFF_FPPT, a)]
        if ready:
            out.append(
                Task(
                    "fit and proper assessments ready for your sign-off",
                    len(ready),
                    reverse("fitproper:register", kwargs={"trust_code": trust.code}),
                    one="fit and proper assessment ready for your sign-off",
                )
            )
    return out


def work_for(actor: Any, trust: Any, *, today: dt.date, structure: StructureToday | None = None) -> list[Task]:
    """What needs this person in this trust today. ``structure``: the trust's post holders and structure health
    today, where the caller has them (the home page shares them with the board's picture)."""
    from medlead.development.models import DevelopmentPlan, Mentorship, MentorshipStatus, PlanStatus
    from medlead.jobplans.models import JobPlan, State
    from medlead.jobplans.selectors import current_year
    from medlead.revalidation.models import Appraisal, AppraisalStatus
    from medlead.revalidation.rules import appraisal_year
    from medlead.revalidation.selectors import due_queue
    from medlead.rota.models import ExceptionReport, ReportStatus

    code = {"trust_code": trust.code}

    def url(name: str, **kwargs: Any) -> str:
        return reverse(name, kwargs=code | kwargs)

    pid = person_id(actor)
    own = pid is not None and getattr(actor.person, "trust_id", None) == trust.pk
    tasks: list[Task] = []

    if can(actor, Perm.MAKE_RECOMMENDATIONS, trust):
        counts = due_queue(trust=trust, today=today).aggregate(
            n_due=Count("pk"), n_overdue=Count("pk", filter=Q(submission_date__lt=today))
        )
        overdue, due = counts["n_overdue"], counts["n_due"] - counts["n_overdue"]
        queue_url = url("revalidation:home")
        if overdue:
            tasks.append(
                Task(
                    "revalidation recommendations past their submission date",
                    overdue,
                    queue_url,
                    True,
                    one="revalidation recommendation past its submission date",
                )
            )
        if due:
            tasks.append(
                Task(
                    "revalidation recommendations due in the coming months",
                    due,
                    queue_url,
                    one="revalidation recommendation due in the coming months",
                )
            )

    waiting = ExceptionReport.objects.filter(trust=trust, status=ReportStatus.SUBMITTED)
    mine_to_agree = waiting.filter(exception_reports_to_agree_filter(actor, trust)).count()
    reports_url = url("rota:reports")
    if mine_to_agree:
        waiting_url = reports_url + "?waiting=me"
        tasks.append(
            Task(
                "exception reports waiting for you to agree an outcome",
                mine_to_agree,
                waiting_url,
                True,
                one="exception report waiting for you to agree an outcome",
            )
        )
    if can(actor, Perm.VIEW_ALL_EXCEPTION_REPORTS, trust):
        oversight = waiting.count()
        if oversight:
            tasks.append(
                Task(
                    "exception reports in the trust still waiting for an outcome",
                    oversight,
                    reports_url,
                    one="exception report in the trust still waiting for an outcome",
                )
            )

    tasks += _plans_to_sign(actor, trust, current_year())

    if can(actor, Perm.VIEW_STRUCTURE_HEALTH, trust) and roles_for(actor, trust) & {
        str(Role.MEDICAL_DIRECTOR),
        str(Role.ASSOCIATE_MEDICAL_DIRECTOR),
    }:
        from medlead.structure.health import Severity
        from medlead.structure.selectors import StructureToday

        findings = (structure or StructureToday(trust, today)).findings
        serious = sum(1 for f in findings if f.severity == Severity.HIGH)
        if serious:
            tasks.append(
                Task(
                    "serious findings in structure health",
                    serious,
                    url("structure:health"),
                    one="serious finding in structure health",
                )
            )

    if own and pid is not None:
        year = appraisal_year(today)
        mine = Appraisal.objects.filter(person_id=pid, year=year).values_list("status", flat=True).first()
        label = f"{year}/{(year + 1) % 100:02d}"
        own_appraisal: dict[str | None, str] = {
            None: f"Your appraisal for {label} has not been arranged yet",
            AppraisalStatus.NOT_STARTED: f"Your appraisal for {label} has not started",
            AppraisalStatus.PREPARING: f"Prepare your appraisal for {label}",
            AppraisalStatus.MISSED: f"Your appraisal for {label} is recorded as missed",
        }
        if mine in own_appraisal:
            urgent = mine == AppraisalStatus.MISSED
            tasks.append(Task(own_appraisal[mine], None, url("revalidation:mine"), urgent))
        as_appraiser = Appraisal.objects.filter(
            trust=trust, appraiser_id=pid, status__in=[AppraisalStatus.PREPARING, AppraisalStatus.BOOKED]
        ).count()
        if as_appraiser:
            tasks.append(
                Task(
                    "appraisals you are to complete as appraiser",
                    as_appraiser,
                    url("revalidation:mine"),
                    one="appraisal you are to complete as appraiser",
                )
            )
        plan = JobPlan.objects.filter(person_id=pid, state=State.DISCUSSION).values_list("pk", flat=True).first()
        if plan:
            words = "Your job plan is in discussion: agree it when it is right"
            tasks.append(Task(words, None, url("jobplans:plan", pk=plan)))
        to_agree = DevelopmentPlan.objects.filter(trust=trust, agreer_id=pid, status=PlanStatus.AWAITING).count()
        if to_agree:
            tasks.append(
                Task(
                    "development plans you were asked to agree",
                    to_agree,
                    url("development:home"),
                    one="development plan you were asked to agree",
                )
            )
        requests = Mentorship.objects.filter(
            trust=trust, mentor__person_id=pid, status=MentorshipStatus.REQUESTED
        ).count()
        if requests:
            tasks.append(
                Task(
                    "requests for mentoring to answer",
                    requests,
                    url("development:home"),
                    one="request for mentoring to answer",
                )
            )
    from medlead.concerns.selectors import deadlines, report_deadlines, rules

    reviews = deadlines(actor=actor, trust=trust, today=today)
    missed = sum(1 for m in reviews if m.is_missed(today))
    alert = rules()["alert_days_before_review"]
    soon = sum(1 for m in reviews if not m.is_missed(today) and (m.review_by - today).days <= alert)
    cases_url = url("concerns:cases")
    if missed:
        tasks.append(Task("case reviews missed", missed, cases_url, True, one="case review missed"))
    if soon:
        tasks.append(Task("case reviews due within a week", soon, cases_url, one="case review due within a week"))
    late_reports = sum(1 for i in report_deadlines(actor=actor, trust=trust) if i.report_overdue(today))
    if late_reports:
        tasks.append(
            Task("investigation reports overdue", late_reports, cases_url, True, one="investigation report overdue")
        )
    if own and pid is not None:
        from medlead.governance.models import Action, ActionStatus
        from medlead.governance.services import catalogue

        window = today + dt.timedelta(days=int(catalogue()["action_reminder_days"]))
        counts = Action.objects.filter(trust=trust, owner_id=pid, status=ActionStatus.OPEN, due__lte=window).aggregate(
            n_due=Count("pk"), n_late=Count("pk", filter=Q(due__lt=today))
        )
        late, soon = counts["n_late"], counts["n_due"] - counts["n_late"]
        actions_url = url("governance:actions") + "?mine=1"
        if late:
            tasks.append(Task("actions you own are overdue", late, actions_url, True, one="action you own is overdue"))
        if soon:
            tasks.append(
                Task(
                    "actions you own fall due within a week",
                    soon,
                    actions_url,
                    one="action you own falls due within a week",
                )
            )
    tasks += _fit_and_proper(actor, trust, today, pid)
    to_approve = cycles_to_approve(actor=actor, trust=trust)
    if to_approve:
        tasks.append(
            Task(
                "360 feedback cycles with nominations to approve",
                len(to_approve),
                url("leadership:home"),
                one="360 feedback cycle with nominations to approve",
            )
        )

    tasks.sort(key=lambda t: not t.urgent)  # stable: urgent first, then the order above
    return tasks
