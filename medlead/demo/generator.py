"""The demo-data generator: realistic, synthetic trusts (about 1,500 doctors each) with a board, divisions,
posts, holders, job shares, vacancies, interim holders and a portfolio with gaps; and the demo accounts.

Deterministic for a given seed. Bulk inserts throughout, so that 50 trusts build in reasonable time.
Demo data is not audited (it is not anybody's change) and is refused by production settings.
"""

from __future__ import annotations

import datetime as dt
import itertools
import random
from collections import Counter
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from medlead.accounts import services as access
from medlead.accounts.models import Role, RoleAssignment, User
from medlead.awards.models import Application, Status
from medlead.awards.services import domain_names
from medlead.awards.services import questions as award_questions
from medlead.concerns import services as cases
from medlead.core import audit as auditor
from medlead.core import dates
from medlead.core.actors import SystemActor
from medlead.core.reference_data import read as read_data
from medlead.demo import board, fppt, region, rules
from medlead.demo.region import DEMO_PASSWORD
from medlead.development import catalogue
from medlead.development.models import (
    Action,
    ActionStatus,
    CareerPlan,
    DevelopmentPlan,
    Experience,
    ExperienceKind,
    Goal,
    GoalOrigin,
    Interest,
    MdExperience,
    Mentor,
    MentoringMeeting,
    Mentorship,
    MentorshipStatus,
    Opening,
    OpeningStatus,
    Opportunity,
    PlanStatus,
    ReadinessShare,
)
from medlead.feedback import questionnaires as feedback_questionnaires
from medlead.feedback import release as feedback_release
from medlead.feedback import services as feedback_services
from medlead.feedback.models import FeedbackAdministrator, Questionnaire
from medlead.jobplans import pa
from medlead.jobplans.models import Activity, JobPlan, State
from medlead.jobplans.selectors import current_year, policy_for, to_activity
from medlead.leadership.frameworks import load_national
from medlead.leadership.models import (
    FeedbackCycle,
    Framework,
    FrameworkItem,
    Rater,
    Response,
    SelfAssessment,
    SelfRating,
)
from medlead.leadership.services import assessment_start, cycle_close, cycle_open, raters_nominate
from medlead.leave import services as leave_services
from medlead.organisation import services as organisation_services
from medlead.organisation.models import (
    TRAINEE_GRADES,
    BoardMember,
    BoardRole,
    Committee,
    Contract,
    Division,
    EqualityMonitoring,
    EthnicGroup,
    Grade,
    Person,
    Region,
    Sex,
    Site,
    Specialty,
    StaffKind,
    Trust,
)
from medlead.revalidation import services as revalidation_services
from medlead.revalidation.models import (
    Appraisal,
    AppraisalStatus,
    Appraiser,
    Concern,
    Connection,
    Recommendation,
    SupportingInfo,
)
from medlead.revalidation.rules import add_months
from medlead.revalidation.selectors import appraisal_year, edition_on, si_domains
from medlead.rota import generation, publication
from medlead.rota import services as rota_services
from medlead.rota import swaps as shift_swaps
from medlead.rota.engine import fines
from medlead.rota.models import (
    AbsenceReason,
    Duty,
    ExceptionReport,
    Outcome,
    Preference,
    ReportKind,
    ReportStatus,
    RosterPlan,
    Rota,
    RotaMember,
    RotaPublication,
    ShiftSwap,
)
from medlead.rota.selectors import fine_payer, fine_rates
from medlead.rota.services import classify
from medlead.structure import reference_data
from medlead.structure.models import (
    Holding,
    PortfolioArea,
    PortfolioAssignment,
    PortfolioFunction,
    Post,
    PostType,
)
from medlead.talent.models import Nomination, Readiness, ReviewedRole, Successor, TalentReview

# The demo is written through the services as the system would write it, for this stated reason.
DEMO = SystemActor("demo data")

GRADE_MIX = [  # (grade, share of doctors)
    (Grade.CONSULTANT, 0.40),
    (Grade.SPECIALTY_DOCTOR, 0.08),
    (Grade.SPECIALIST, 0.04),
    (Grade.ASSOCIATE_SPECIALIST, 0.02),
    (Grade.LOCALLY_EMPLOYED, 0.06),
    (Grade.FOUNDATION, 0.12),
    (Grade.CORE_TRAINEE, 0.12),
    (Grade.SPECIALTY_REGISTRAR, 0.16),
]
D = Decimal


class DemoDataRefused(Exception):
    pass


@dataclass
class Built:
    trust: Trust
    md: Person
    people: list[Person]


class Generator:
    def __init__(self, seed: int = 1) -> None:
        self.rng = random.Random(seed)
        self.shape = read_data("demo_trust.yaml")
        self.gmc_counter = 3_000_000 + self.rng.randrange(100_000)
        self.today = dates.today()

    # ------------------------------------------------------------------ helpers
    def _name(self) -> tuple[str, str]:
        return self.rng.choice(self.shape["first_names"]), self.rng.choice(self.shape["last_names"])

    def _gmc(self) -> str:
        self.gmc_counter += 1
        return f"{self.gmc_counter:07d}"

    def _date_ago(self, max_years: int) -> dt.date:
        return self.today - dt.timedelta(days=self.rng.randrange(30, 365 * max_years))

    # ------------------------------------------------------------------ building
    def regions(self) -> list[Region]:
        return [Region.objects.get_or_create(code=c, defaults={"name": n})[0] for c, n in self.shape["regions"]]

    def build_trust(self, index: int, doctors: int, regions: list[Region]) -> Built:
        rng = self.rng
        names = self.shape["trust_names"]
        base = names[index % len(names)]
        suffix = "" if index < len(names) else f" {index // len(names) + 1}"
        trust = Trust.objects.create(
            code=f"DEM{index + 1:03d}",
            name=f"{base}{suffix} Hospitals NHS Foundation Trust",
            region=regions[index % len(regions)],
            is_demo=True,
        )
        Site.objects.bulk_create([Site(trust=trust, name=f"{base} {s}") for s in self.shape["sites"]])
        divisions = Division.objects.bulk_create([Division(trust=trust, name=n) for n in self.shape["divisions"]])
        specialties = Specialty.objects.bulk_create(
            [Specialty(trust=trust, name=s, division=d) for d in divisions for s in self.shape["divisions"][d.name]]
        )

        people: list[Person] = []
        weights = [w for _, w in GRADE_MIX]
        grades = [g for g, _ in GRADE_MIX]
        for n in range(doctors):
            grade = rng.choices(grades, weights)[0]
            first, last = self._name()
            trainee = grade in (Grade.FOUNDATION, Grade.CORE_TRAINEE, Grade.SPECIALTY_REGISTRAR)
            ltft = D("1.00") if rng.random() > 0.12 else rng.choice([D("0.6"), D("0.8"), D("0.5")])
            people.append(
                Person(
                    trust=trust,
                    kind=StaffKind.DOCTOR,
                    first_name=first,
                    last_name=last,
                    email=f"{first}.{last}{n}@{trust.code.lower()}.nhs.example".lower().replace("'", ""),
                    staff_number=f"{trust.code}{n:05d}",
                    gmc_number=self._gmc(),
                    grade=grade,
                    specialty=rng.choice(specialties),
                    contract=Contract.TRAINING
                    if trainee
                    else rng.choices([Contract.PERMANENT, Contract.FIXED_TERM, Contract.LOCUM], [85, 10, 5])[0],
                    ltft_fraction=ltft,
                    contracted_pas=(D("10") * ltft).quantize(D("0.01")) if not trainee else None,
                )
            )
        managers = []
        for n, title in enumerate(
            [
                "Chair",
                "Chief executive",
                "Director of nursing",
                "Director of finance",
                "Director of people",
                "Director of operations",
                "Non-executive director",
                "Non-executive director",
                "Non-executive director",
                "Non-executive director",
                "Non-executive director",
            ]
            + [f"Divisional general manager, {d.name}" for d in divisions]
        ):
            first, last = self._name()
            managers.append(
                Person(
                    trust=trust,
                    kind=StaffKind.MANAGER,
                    first_name=first,
                    last_name=last,
                    job_title=title,
                    staff_number=f"{trust.code}M{n:03d}",
                    contract=Contract.PERMANENT,
                )
            )
        people = Person.objects.bulk_create(people + managers, batch_size=1000)
        doctors_list = [p for p in people if p.kind == StaffKind.DOCTOR]
        consultants = [p for p in doctors_list if p.grade == Grade.CONSULTANT]
        mgrs = [p for p in people if p.kind == StaffKind.MANAGER]
        rng.shuffle(consultants)
        pool = itertools.cycle(consultants)  # a small trust's consultants may hold several posts

        md = next(pool)
        board_roles = [
            (BoardRole.CHAIR, mgrs[0]),
            (BoardRole.CHIEF_EXECUTIVE, mgrs[1]),
            (BoardRole.MEDICAL_DIRECTOR, md),
            (BoardRole.NURSING_DIRECTOR, mgrs[2]),
            (BoardRole.FINANCE_DIRECTOR, mgrs[3]),
            (BoardRole.HR_DIRECTOR, mgrs[4]),
            (BoardRole.OPERATIONS_DIRECTOR, mgrs[5]),
        ] + [(BoardRole.NON_EXECUTIVE, m) for m in mgrs[6:11]]
        for r, p in board_roles:  # through the service, as the system (no second approver for the demo's chair)
            organisation_services.board_seat_create(
                actor=DEMO,
                seat=BoardMember(trust=trust, role=r, person=p, start=self._date_ago(6)),
                reason="demo board",
            )
        committees = Committee.objects.bulk_create(
            [
                Committee(trust=trust, name=n, chair=mgrs[0] if i == 0 else rng.choice(mgrs[6:11]))
                for i, n in enumerate(self.shape["committees"])
            ]
        )
        for c in committees[1:]:
            c.reports_to = committees[0]
        Committee.objects.bulk_update(committees[1:], ["reports_to"])
        committees[0].members.set([p for _, p in board_roles])
        committees[1].members.set([md, mgrs[2], mgrs[6]])

        self._posts(trust, index, md, pool, divisions, specialties, people)
        self._job_plans(trust, people)
        if index == 0:
            self._rotas(trust, people, consultants)
            self._revalidation(trust, people)
            self._feedback(trust, people)
            self._development(trust, people, md)
        self._equality(trust, people)
        return Built(trust, md, people)

    def _job_plans(self, trust: Trust, people: list[Person]) -> None:
        """A job plan this year for every consultant and SAS doctor, in every state, with management time for
        the posts they hold, and a few that fail the checks."""

        rng = self.rng
        year = current_year()
        policy = policy_for(trust, year=year)
        policies: dict[str, pa.Policy] = {}
        senior = [
            p
            for p in people
            if p.grade in (Grade.CONSULTANT, Grade.SPECIALIST, Grade.SPECIALTY_DOCTOR, Grade.ASSOCIATE_SPECIALIST)
        ]
        shares: dict[int, list[tuple[Post, Decimal]]] = {}
        for h in Holding.objects.filter(trust=trust, end__isnull=True).select_related("post__post_type"):
            if h.post.post_type.management:
                holders = (
                    Holding.objects.filter(post=h.post, end__isnull=True).count() if h.post.code in ("DMD",) else 1
                )
                shares.setdefault(h.person_id, []).append((h.post, h.post.pas_allocated / holders))
        states = (
            [State.SIGNED] * 9
            + [State.SIGNED_CD] * 3
            + [State.AGREED] * 2
            + [State.DISCUSSION] * 3
            + [State.DRAFT] * 2
            + [State.MEDIATION, State.APPEAL]
        )
        plans, activities = [], []
        for person in senior:
            contract = person.contracted_pas or D("10")
            plan = JobPlan(
                trust=trust,
                person=person,
                year=year,
                state=rng.choice(states),
                contracted_pas=contract,
                on_call_category=rng.choice(["", "A", "B"]),
            )
            plan.on_call_every_n = rng.choice([4, 6, 8, 10, 12]) if plan.on_call_category else None
            plan.objectives = "Deliver the division's elective recovery plan; lead one quality improvement project."
            items: list[Activity] = []
            anr = D("0")
            for post, pas in shares.get(person.pk, []):
                items.append(
                    Activity(
                        trust=trust,
                        category="anr",
                        title=post.title,
                        post=post,
                        frequency="annualised",
                        annual_hours=(pas * 4 * policy.working_weeks).quantize(D("0.1")),
                    )
                )
                anr += pas
            spa = D("1") if rng.random() < 0.08 else (D("1.5") if rng.random() < 0.3 else D("2"))
            spa = min(spa, contract)
            dcc = max(contract - spa - anr, D("0")) + (D("1") if rng.random() < 0.05 else D("0"))
            slot = 0
            for category, amount in (("spa", spa), ("dcc", dcc)):
                while amount > 0 and slot < 14:
                    part = min(amount, D("1"))
                    weekday, half = divmod(slot, 2)
                    start = 9 * 60 if half == 0 else 13 * 60
                    end = start + int(part * 240)
                    items.append(
                        Activity(
                            trust=trust,
                            category=category,
                            frequency="weekly",
                            weekday=weekday % 7,
                            start=dt.time(start // 60, start % 60),
                            end=dt.time(end // 60, end % 60),
                            title="Supporting professional activities"
                            if category == "spa"
                            else rng.choice(
                                [
                                    "Outpatient clinic",
                                    "Ward round",
                                    "Operating list",
                                    "Multidisciplinary team meeting",
                                    "Patient administration",
                                    "Endoscopy list",
                                ]
                            ),
                            location="" if category == "spa" else "Main site",
                        )
                    )
                    amount -= part
                    slot += 1
            if person.grade not in policies:
                policies[person.grade] = policy_for(trust, grade=person.grade, year=year)
            summary = pa.summarise([to_activity(a) for a in items], policies[person.grade])
            plan.pas_dcc, plan.pas_spa = summary.by_category[pa.Category.DCC], summary.by_category[pa.Category.SPA]
            plan.pas_anr, plan.pas_ext = summary.by_category[pa.Category.ANR], summary.by_category[pa.Category.EXT]
            plan.pas_management, plan.pas_total = sum(summary.by_post.values(), D("0")), summary.total
            plans.append(plan)
            activities.append(items)
        JobPlan.objects.bulk_create(plans, batch_size=1000)
        for plan, items in zip(plans, activities, strict=True):
            for a in items:
                a.job_plan = plan
        Activity.objects.bulk_create([a for items in activities for a in items], batch_size=2000)

    def _revalidation(self, trust: Trust, people: list[Person]) -> None:
        """Connections with submission dates over the next five years (a queue due soon), trained appraisers,
        four years of appraisals with supporting information, earlier recommendations and two open concerns."""

        rng = self.rng
        connected = [p for p in people if p.kind == StaffKind.DOCTOR and p.grade not in TRAINEE_GRADES]
        consultants = [p for p in connected if p.grade == Grade.CONSULTANT]
        appraisers = rng.sample(consultants, k=min(40, len(consultants)))
        Appraiser.objects.bulk_create(
            [Appraiser(trust=trust, person=p, trained_on=self._date_ago(8)) for p in appraisers]
        )
        year_now = appraisal_year(trust, self.today)
        connections, appraisals, infos, recs = [], [], [], []
        si_kinds = ["cpd", "qi", "significant_events", "complaints"]
        for n, person in enumerate(connected):
            submission = self.today + dt.timedelta(days=rng.randrange(-20, 5 * 365))
            if n % 40 == 0:
                submission = self.today + dt.timedelta(days=rng.randrange(5, 110))  # a queue due within 4 months
            conn = Connection(trust=trust, person=person, connected_on=self._date_ago(10), submission_date=submission)
            connections.append(conn)
            for back in range(4):
                year = year_now - back
                choices = [a for a in appraisers if a.pk != person.pk]
                if back == 0:
                    status = rng.choice(
                        [
                            AppraisalStatus.NOT_STARTED,
                            AppraisalStatus.PREPARING,
                            AppraisalStatus.BOOKED,
                            AppraisalStatus.COMPLETED,
                            AppraisalStatus.SIGNED_OFF,
                        ]
                    )
                else:
                    status = AppraisalStatus.MISSED if rng.random() < 0.04 else AppraisalStatus.SIGNED_OFF
                done = status in (AppraisalStatus.COMPLETED, AppraisalStatus.SIGNED_OFF)
                appraisals.append(
                    Appraisal(
                        trust=trust,
                        person=person,
                        year=year,
                        appraiser=rng.choice(choices),
                        status=status,
                        meeting_date=dt.date(year, rng.randrange(5, 13), rng.randrange(1, 28))
                        if done or status == AppraisalStatus.BOOKED
                        else None,
                        scope_of_work=f"{person.get_grade_display()}, {person.specialty or ''}.",
                        achievements="Led a service change; teaching on the foundation programme." if done else "",
                        probity_declared=done,
                        health_declared=done,
                        summary="A constructive discussion of the year's work and plans." if done else "",
                        new_pdp="1. Complete a leadership course. 2. Audit of discharge summaries." if done else "",
                        statements_confirmed=status == AppraisalStatus.SIGNED_OFF,
                        missed_reason="Long-term sick leave" if status == AppraisalStatus.MISSED else "",
                        missed_approved=(rng.random() < 0.5) if status == AppraisalStatus.MISSED else None,
                    )
                )
        # the most urgent recommendation waits on last year's missed appraisal, for the responsible officer to approve
        urgent = min(connections, key=lambda c: c.submission_date)
        urgent.connected_on = min(urgent.connected_on, urgent.submission_date - dt.timedelta(days=6 * 365))
        missed = next(a for a in appraisals if a.person_id == urgent.person_id and a.year == year_now - 1)
        for name, value in {
            "status": AppraisalStatus.MISSED,
            "meeting_date": None,
            "achievements": "",
            "probity_declared": False,
            "health_declared": False,
            "summary": "",
            "new_pdp": "",
            "statements_confirmed": False,
            "missed_reason": "Parental leave for most of the year",
            "missed_approved": None,
        }.items():
            setattr(missed, name, value)
        # appraisals held under Good medical practice 2024 are summarised under its four domains (ADR 0028)
        for a in appraisals:
            edition = edition_on(a.meeting_date or dt.date(a.year + 1, 3, 31))
            if a.status == AppraisalStatus.SIGNED_OFF:
                a.signed_off_on = a.meeting_date
            if a.summary and edition.by_domain:
                a.domain_summaries = {
                    code: f"Discussed {name.lower()} with examples from the year." for code, name in edition.domains
                }
        Connection.objects.bulk_create(connections, batch_size=1000)
        appraisals = Appraisal.objects.bulk_create(appraisals, batch_size=1000)
        domains_on: dict[dt.date, dict[str, str]] = {}
        for a in appraisals:
            if a.status not in (AppraisalStatus.COMPLETED, AppraisalStatus.SIGNED_OFF):
                continue
            day = a.meeting_date or dt.date(a.year + 1, 3, 31)
            filed = domains_on.setdefault(day, si_domains(trust, day))  # each type's usual domain, from 30 Jan 2024
            for kind in si_kinds:
                if rng.random() < 0.9:
                    infos.append(
                        SupportingInfo(
                            trust=trust,
                            appraisal=a,
                            kind=kind,
                            title=f"{kind.replace('_', ' ').capitalize()} {a.year}",
                            domain=filed.get(kind, ""),
                        )
                    )
            if (a.year + a.person_id) % 4 == 0:
                infos.append(
                    SupportingInfo(
                        trust=trust,
                        appraisal=a,
                        kind="colleague_feedback",
                        title="360 colleague feedback",
                        domain=filed.get("colleague_feedback", ""),
                    )
                )
                infos.append(
                    SupportingInfo(
                        trust=trust,
                        appraisal=a,
                        kind="patient_feedback",
                        title="Patient survey",
                        domain=filed.get("patient_feedback", ""),
                    )
                )
        SupportingInfo.objects.bulk_create(infos, batch_size=2000)
        self._give_demo_doctor_appraisals(trust, people, appraisals)
        for conn in rng.sample(connections, k=min(60, len(connections))):
            due = add_months(conn.submission_date, -60)
            made = due - dt.timedelta(days=rng.randrange(-10, 40))
            recs.append(
                Recommendation(
                    trust=trust,
                    connection=conn,
                    person=conn.person,
                    kind="revalidate",
                    due_date=due,
                    made_on=made,
                    submitted_on=made,  # five years ago: long since submitted to the GMC
                    evidence="Five years of appraisals and colleague and patient feedback.",
                )
            )
        Recommendation.objects.bulk_create(recs)
        Concern.objects.bulk_create(
            [
                Concern(
                    trust=trust,
                    person=connections[0].person,
                    summary="Two complaints about communication under local review.",
                ),
                Concern(
                    trust=trust,
                    person=connections[40].person if len(connections) > 40 else connections[-1].person,
                    summary="Conditions on practice agreed with the GMC.",
                ),
            ]
        )

    def _give_demo_doctor_appraisals(self, trust: Trust, people: list[Person], appraisals: list[Any]) -> None:
        """The demo doctor is a trained appraiser with appraisals to complete, whatever the trust's size: their
        first page shows it. Draws nothing from the generator's random numbers, so the rest of the demo is as
        it was."""

        doctor = self._demo_doctor(trust, people)
        open_ = (AppraisalStatus.PREPARING, AppraisalStatus.BOOKED)
        if doctor is None or any(a.appraiser_id == doctor.pk and a.status in open_ for a in appraisals):
            return
        theirs = [a for a in appraisals if a.status in open_ and a.person_id != doctor.pk][:2]
        trained = self.today - dt.timedelta(days=3 * 365)
        Appraiser.objects.get_or_create(trust=trust, person=doctor, defaults={"trained_on": trained})
        Appraisal.objects.filter(pk__in=[a.pk for a in theirs]).update(appraiser=doctor)

    def _revalidation_feedback(self, trust: Trust, doctor: Person, administrator: Person) -> None:
        """The demo doctor's open colleague and patient feedback exercise (issue 33), run by `hr`'s person as the
        trust's feedback administrator: colleagues invited, cards printed, a few answers in. Draws nothing from the
        generator's random numbers."""
        if not Connection.objects.filter(trust=trust, person=doctor).exists():
            Connection.objects.create(
                trust=trust,
                person=doctor,
                connected_on=self.today - dt.timedelta(days=3 * 365),
                submission_date=self.today + dt.timedelta(days=2 * 365),
            )
        FeedbackAdministrator.objects.get_or_create(trust=trust, person=administrator)
        kinds = {q.kind: q for q in Questionnaire.objects.filter(trust=None)}
        exercise = feedback_services.exercise_start(
            actor=DEMO,
            doctor=doctor,
            facilitator=administrator,
            closes_on=self.today + dt.timedelta(days=42),
            colleague_questionnaire=kinds["colleague"],
            patient_questionnaire=kinds["patient"],
            today=self.today,
        )
        roles = ["doctor", "nurse", "nurse", "allied", "manager", "doctor"]
        invitations = feedback_services.colleagues_invite(
            actor=DEMO,
            exercise=exercise,
            invitees=[
                feedback_services.Invitee(f"Demo colleague {n + 1}", f"colleague{n + 1}@demo.medlead.invalid", role)
                for n, role in enumerate(roles)
            ],
        )
        for n, invitation in enumerate(invitations[:3]):
            feedback_services.colleague_answer(
                invitation_id=invitation.pk,
                nonce=invitation.nonce,
                role=invitation.role,
                values={
                    q.pk: 4 + (n + q.position) % 2 for q in kinds["colleague"].questions.filter(answer_type="scale")
                },
                comment="",
                today=self.today,
            )
        cards = feedback_services.cards_print(actor=DEMO, exercise=exercise, count=10)
        for n, card in enumerate(cards[:4]):
            feedback_services.patient_answer(
                code=card.code,
                values={q.pk: 3 + (n + q.position) % 3 for q in kinds["patient"].questions.filter(answer_type="scale")},
                comment="",
                today=self.today,
            )

    def _released_feedback(self, trust: Trust, doctor: Person, administrator: Person) -> None:
        """The clinical director's colleague and patient feedback exercise of this revalidation cycle, run by `hr`'s
        person: answered, closed, released and reflected on, so the report, its PDF and the responsible officer's
        "done" show in the demo (issue 33). Through the services as each person; draws nothing from the generator's
        random numbers."""
        facilitator = User.objects.get(username="hr")
        own = User.objects.get(username="cd")
        started = self.today - dt.timedelta(days=120)
        if not Connection.objects.filter(trust=trust, person=doctor, connected_on__lte=started).exists():
            Connection.objects.create(
                trust=trust,
                person=doctor,
                connected_on=self.today - dt.timedelta(days=4 * 365),
                submission_date=self.today + dt.timedelta(days=365),
            )
        kinds = {q.kind: q for q in Questionnaire.objects.filter(trust=None)}
        exercise = feedback_services.exercise_start(
            actor=DEMO,
            doctor=doctor,
            facilitator=administrator,
            closes_on=started + dt.timedelta(days=42),
            colleague_questionnaire=kinds["colleague"],
            patient_questionnaire=kinds["patient"],
            today=started,
        )
        roles = ["doctor"] * 6 + ["nurse"] * 5 + ["allied", "manager", "manager", "manager"]
        invitations = feedback_services.colleagues_invite(
            actor=DEMO,
            exercise=exercise,
            invitees=[
                feedback_services.Invitee(f"Demo colleague {n + 1}", f"cd-colleague{n + 1}@demo.medlead.invalid", role)
                for n, role in enumerate(roles)
            ],
        )
        scale = list(kinds["colleague"].questions.filter(answer_type="scale"))
        for n, invitation in enumerate(invitations):
            feedback_services.colleague_answer(
                invitation_id=invitation.pk,
                nonce=invitation.nonce,
                role=invitation.role,
                values={q.pk: 4 + (n + q.position) % 2 for q in scale},
                comment="Always makes time to teach on the ward round." if n == 2 else "",
                today=started + dt.timedelta(days=7 + n),
            )
        patient_scale = list(kinds["patient"].questions.filter(answer_type="scale"))
        for n, card in enumerate(feedback_services.cards_print(actor=DEMO, exercise=exercise, count=30)):
            feedback_services.patient_answer(
                code=card.code,
                values={q.pk: 3 + (n + q.position) % 3 for q in patient_scale},
                comment="",
                today=started + dt.timedelta(days=3 + n),
            )
        exercise = feedback_release.exercise_close(actor=facilitator, exercise=exercise)
        for response in feedback_release.awaiting_comments(exercise):
            feedback_release.comment_decide(actor=facilitator, response=response, release=True)
        exercise = feedback_release.report_release(actor=facilitator, exercise=exercise)
        feedback_release.reflect(
            actor=own,
            exercise=exercise,
            reflection="Colleagues value my teaching; patients would like more time to ask questions in clinic, "
            "so I have asked for longer new-patient slots.",
            day=self.today - dt.timedelta(days=60),
        )

    @staticmethod
    def _demo_doctor(trust: Trust, people: list[Person]) -> Person | None:
        """The demo "doctor" account's person: the first consultant holding no post."""
        holders = set(Holding.objects.filter(trust=trust, end__isnull=True).values_list("person_id", flat=True))
        return next((p for p in people if p.grade == Grade.CONSULTANT and p.pk not in holders), None)

    def _feedback(self, trust: Trust, people: list[Person]) -> None:
        """Closed 360s on the Healthcare Leadership Model for 25 consultants (so the trust view has data) and a
        few self-assessments."""

        rng = self.rng
        hlm = Framework.objects.get(code="hlm", trust=None)
        items = list(hlm.items.all())
        consultants = [p for p in people if p.grade == Grade.CONSULTANT][:25]
        groups = ["line_manager", "peer", "peer", "peer", "direct_report", "direct_report", "direct_report", "other"]
        for n, subject in enumerate(consultants):
            cycle = FeedbackCycle.objects.create(
                trust=trust,
                subject=subject,
                framework=hlm,
                closes_on=self.today - dt.timedelta(days=rng.randrange(10, 300)),
            )
            raters = Rater.objects.bulk_create(
                [
                    Rater(
                        cycle=cycle,
                        group="self",
                        name=subject.full_name,
                        email=f"self{subject.pk}@medlead.invalid",
                        submitted_at=timezone.now(),
                        approval="approved",
                        known=True,
                    )
                ]
                + [
                    Rater(
                        cycle=cycle,
                        group=g,
                        name=f"Rater {k}",
                        email=f"rater{n}-{k}@example.org",
                        submitted_at=timezone.now(),
                        comment=rng.choice(["", "Listens well.", "Could delegate more."]),
                        approval="approved",  # these closed cycles' raters were approved and invited
                    )
                    for k, g in enumerate(groups)
                ]
            )
            base = rng.randrange(2, 4)
            Response.objects.bulk_create(
                [
                    Response(
                        rater=r,
                        item=i,
                        behaviour=max(1, min(4, base + rng.choice([-1, 0, 0, 1]))),
                        importance=rng.randrange(2, 5),
                    )
                    for r in raters
                    for i in items
                ]
            )
            cycle_close(actor=DEMO, cycle=cycle)
        spec = Framework.objects.get(code="md-person-spec", trust=None)
        for subject in consultants[:5]:
            a = SelfAssessment.objects.create(
                trust=trust, person=subject, framework=spec, target_role="medical_director", submitted_at=timezone.now()
            )
            SelfRating.objects.bulk_create(
                [SelfRating(assessment=a, item=i, level=rng.randrange(1, 5)) for i in spec.items.all()]
            )

    def _equality(self, trust: Trust, people: list[Person]) -> None:
        """ESR-like equality monitoring for every doctor (synthetic proportions), for the pipeline's aggregate
        diversity view."""

        rng = self.rng
        groups = [
            (EthnicGroup.WHITE, 0.45),
            (EthnicGroup.ASIAN, 0.34),
            (EthnicGroup.BLACK, 0.07),
            (EthnicGroup.MIXED, 0.03),
            (EthnicGroup.OTHER, 0.05),
            (EthnicGroup.NOT_STATED, 0.06),
        ]
        sexes = [(Sex.FEMALE, 0.48), (Sex.MALE, 0.50), (Sex.NOT_STATED, 0.02)]
        EqualityMonitoring.objects.bulk_create(
            [
                EqualityMonitoring(
                    trust=trust,
                    person=p,
                    sex=rng.choices([s for s, _ in sexes], [w for _, w in sexes])[0],
                    ethnic_group=rng.choices([g for g, _ in groups], [w for _, w in groups])[0],
                )
                for p in people
                if p.kind == StaffKind.DOCTOR
            ]
        )

    def _development(self, trust: Trust, people: list[Person], md: Person) -> None:
        """Development plans, experience logs, the mentor register, openings, mentoring, career plans, and talent
        nominations, reviews and succession plans. The demo doctor (the first consultant holding no post) gets a
        person-specification self-assessment and a 360 to work from, but no target role or plan yet."""

        rng, today = self.rng, self.today
        holdings = list(Holding.objects.filter(trust=trust, end__isnull=True).select_related("post__post_type"))
        holder_ids = {h.person_id for h in holdings}
        consultants = [p for p in people if p.grade == Grade.CONSULTANT]
        free = [p for p in consultants if p.pk not in holder_ids]
        if not free:
            return  # a tiny test trust: nobody to develop
        demo_doctor = free[0]  # as _demo_doctor
        spec = Framework.objects.get(code="md-person-spec", trust=None)
        if not SelfAssessment.objects.filter(person=demo_doctor, framework=spec).exists():
            a = SelfAssessment.objects.create(
                trust=trust,
                person=demo_doctor,
                framework=spec,
                target_role="medical_director",
                submitted_at=timezone.now() - dt.timedelta(days=40),
            )
            SelfRating.objects.bulk_create(
                [
                    SelfRating(assessment=a, item=i, level=[2, 3, 1, 3, 2, 4, 1, 2][n % 8])
                    for n, i in enumerate(spec.items.all())
                ]
            )
        opps = {o.code: o for o in Opportunity.objects.prefetch_related("items")}
        roles = {pt.code: pt for pt in PostType.objects.all()}
        items = list(spec.items.all()) + list(Framework.objects.get(code="hlm", trust=None).items.all())

        # the mentor register: internal leaders, former medical directors and external coaches
        leaders = [h.person for h in holdings if h.post.post_type.level >= 3 and h.person_id != md.pk][:5] or [md]
        mentors = Mentor.objects.bulk_create(
            [
                Mentor(
                    trust=trust,
                    person=md,
                    kind="mentor",
                    md_experience=MdExperience.CURRENT,
                    areas="Board work, the medical director's portfolio",
                    capacity=2,
                )
            ]
            + [
                Mentor(
                    trust=trust,
                    person=p,
                    kind=rng.choice(["mentor", "both"]),
                    areas=rng.choice(self.shape["mentor_areas"]),
                    capacity=rng.randrange(2, 4),
                )
                for p in leaders
            ]
            + [Mentor(trust=trust, **m) for m in self.shape["external_mentors"]]
        )
        for m in mentors:
            m.items.set(rng.sample(items, 5))

        # career plans, plans, experiences and mentoring for 30 consultants (not the demo doctor)
        aspiring = free[1:31]
        targets = [
            "medical_director",
            "associate_medical_director",
            "clinical_director",
            "deputy_medical_director",
            "clinical_lead",
        ]
        for n, p in enumerate(aspiring):
            target = roles[targets[n % len(targets)]]
            plan = CareerPlan.objects.create(
                trust=trust, person=p, target_role=target, aspirations="Move into medical management within five years."
            )
            plan.years.create(year=today.year, clinical_pas=D("9"), management_pas=D("1"))
            plan.years.create(year=today.year + 2, clinical_pas=D("8"), management_pas=D("2"))
            for _ in range(rng.randrange(1, 4)):
                o = rng.choice(list(opps.values()))
                e = Experience.objects.create(
                    trust=trust,
                    person=p,
                    kind=ExperienceKind.SHADOWING if "shadow" in o.code else ExperienceKind.OTHER,
                    title=o.title,
                    started_on=today - dt.timedelta(days=rng.randrange(20, 700)),
                    reflection="Saw how decisions are made and who needs to be in the room.",
                    opportunity=o,
                )
                e.items.set(o.items.all())
            if n < 20:
                status = [PlanStatus.DRAFT, PlanStatus.AWAITING, PlanStatus.AGREED, PlanStatus.AGREED][n % 4]
                pdp = DevelopmentPlan.objects.create(
                    trust=trust,
                    person=p,
                    target_role=target,
                    starts_on=today - dt.timedelta(days=rng.randrange(30, 200)),
                    ends_on=today + dt.timedelta(days=rng.randrange(160, 330)),
                    status=status,
                    agreer=leaders[n % len(leaders)] if status != PlanStatus.DRAFT else None,
                    agreed_at=timezone.now() - dt.timedelta(days=20) if status == PlanStatus.AGREED else None,
                )
                for code in rng.sample(sorted(opps), 2):
                    o = opps[code]
                    item = o.items.first()
                    g = Goal.objects.create(
                        plan=pdp,
                        text=f"Develop: {item.text}" if item else o.title,
                        item=item,
                        origin=GoalOrigin.SELF_ASSESSMENT,
                    )
                    Action.objects.create(
                        goal=g,
                        text=o.title,
                        opportunity=o,
                        due_on=pdp.ends_on - dt.timedelta(days=30),
                        status=rng.choice(list(ActionStatus.values[:3])),
                    )
            if n < 8:
                ms = Mentorship.objects.create(
                    trust=trust,
                    mentee=p,
                    mentor=mentors[1 + n % (len(mentors) - 1)],
                    goals="Prepare for my next role.",
                    status=MentorshipStatus.ACTIVE,
                    responded_at=timezone.now(),
                )
                MentoringMeeting.objects.create(
                    mentorship=ms,
                    met_on=today - dt.timedelta(days=30),
                    notes="Talked through the 360 report.",
                    next_steps="Ask to shadow the medical director.",
                )

        # openings from the demo trust's data file: three open, one decided
        openings = Opening.objects.bulk_create(
            [
                Opening(
                    trust=trust,
                    title=o["title"],
                    kind=o["kind"],
                    description=o["description"],
                    opportunity=opps[o["opportunity"]],
                    places=o["places"],
                    closes_on=today + dt.timedelta(days=o["closes_in_days"]),
                    status=OpeningStatus.OPEN if o["closes_in_days"] >= 0 else OpeningStatus.DECIDED,
                    decided_at=None if o["closes_in_days"] >= 0 else timezone.now(),
                )
                for o in self.shape["openings"]
            ]
        )
        shadow = openings[0]
        past = next(o for o in openings if o.status == OpeningStatus.DECIDED)
        Interest.objects.bulk_create(
            [
                Interest(opening=shadow, person=p, statement="I would like to see the role before applying for AMD.")
                for p in aspiring[:3]
            ]
        )
        Interest.objects.bulk_create(
            [
                Interest(
                    opening=past,
                    person=p,
                    statement="I lead our theatre productivity work.",
                    status="selected" if k == 0 else "not_selected",
                )
                for k, p in enumerate(aspiring[3:6])
            ]
        )

        # talent: nominations, reviews and succession plans; some posts are left without successors
        Nomination.objects.bulk_create(
            [
                Nomination(
                    trust=trust,
                    nominee=p,
                    role=roles[rng.choice(targets)],
                    reason="Quietly fixed the rota and the handover; colleagues follow her lead.",
                )
                for p in free[31:46]
            ]
        )
        amd = next((h.person for h in holdings if h.post.post_type.code == "associate_medical_director"), leaders[0])
        for p in free[31:39]:
            r = TalentReview.objects.create(
                trust=trust,
                person=p,
                reviewed_on=today - dt.timedelta(days=rng.randrange(10, 200)),
                notes="Strong with colleagues; needs board exposure before an AMD role.",
            )
            r.reviewers.set([md, amd])
            ReviewedRole.objects.create(
                review=r, role=roles[rng.choice(targets[1:])], readiness=rng.choice(Readiness.values)
            )
        pool = aspiring + free[31:60]
        posts = [h.post for h in holdings] + list(Post.objects.filter(trust=trust, holdings__isnull=True))
        seen: set[int] = set()
        successors = []
        for k, post in enumerate(posts):
            if post.pk in seen or not post.post_type.management:
                continue
            seen.add(post.pk)
            if post.post_type.code == "medical_director" or k % 5 == 0:
                continue  # no successor: flagged at risk (the medical director's own post among them)
            for person in rng.sample(pool, min(len(pool), rng.randrange(1, 3))):
                readiness = rng.choices(Readiness.values, [0.3, 0.45, 0.25])[0]
                successors.append(Successor(trust=trust, post=post, person=person, readiness=readiness))
        Successor.objects.bulk_create(successors, ignore_conflicts=True)

    def _rotas(self, trust: Trust, people: list[Person], consultants: list[Person]) -> None:
        """Three rotas of resident doctors over the last 8 weeks (two with breaches; the third's next 8 weeks planned
        to generate), and exception reports. The first rota's rotation runs on for the next 8 weeks too, so that its
        resident doctors (the `resident` accounts) have shifts to come."""

        rng = self.rng
        # full-time doctors: the four-week cycle below is a full-time pattern (a less-than-full-time doctor's rota
        # would be pro rata)
        trainees = [p for p in people if p.grade in TRAINEE_GRADES and p.ltft_fraction == 1]
        rng.shuffle(trainees)
        start_monday = self.today - dt.timedelta(days=self.today.weekday() + 7 * 8)
        tz = timezone.get_current_timezone()
        # (weekday, start hour, hours): a four-week cycle of days, long days, nights and long evenings
        cycle: list[list[tuple[int, int, float]]] = [
            [(d, 8, 9.0) for d in range(5)],
            [(d, 8, 12.5) for d in range(4)],
            [(d, 21, 11) for d in range(4)],
            [(d, 13, 10.5) for d in range(4)],
        ]
        for r_i, name in enumerate(["Acute medicine registrars", "Surgical core trainees", "Paediatric doctors"]):
            rota = Rota.objects.create(trust=trust, name=name)
            team = trainees[r_i * 8 : r_i * 8 + 8]
            RotaMember.objects.bulk_create([RotaMember(trust=trust, rota=rota, person=p) for p in team])
            duties = []
            for m_i, person in enumerate(team):
                for week in range(16 if r_i == 0 else 8):
                    for weekday, hour, length in cycle[(week + m_i) % 4]:
                        start = dt.datetime.combine(start_monday + dt.timedelta(days=week * 7 + weekday), dt.time(hour))
                        end = start + dt.timedelta(hours=length)
                        duties.append(
                            Duty(
                                trust=trust,
                                rota=rota,
                                person=person,
                                start=start.replace(tzinfo=tz),
                                end=end.replace(tzinfo=tz),
                            )
                        )
            if r_i == 0:  # a fifth night in a row, and a day shift too soon after nights
                night = start_monday + dt.timedelta(days=7 * 2 + 4)
                duties.append(
                    Duty(
                        trust=trust,
                        rota=rota,
                        person=team[0],
                        start=dt.datetime.combine(night, dt.time(21)).replace(tzinfo=tz),
                        end=dt.datetime.combine(night + dt.timedelta(days=1), dt.time(8)).replace(tzinfo=tz),
                    )
                )
            if r_i == 1:  # a long day that overran to 13 h 30
                day = start_monday + dt.timedelta(days=7 * 5 + 5)
                duties.append(
                    Duty(
                        trust=trust,
                        rota=rota,
                        person=team[1],
                        start=dt.datetime.combine(day, dt.time(8)).replace(tzinfo=tz),
                        end=dt.datetime.combine(day, dt.time(21, 30)).replace(tzinfo=tz),
                    )
                )
            Duty.objects.bulk_create(duties)
            rota_services.rota_check(rota=rota)
            if r_i == 2 and len(team) > 3:  # its next eight weeks planned, with a leave and a request; not generated
                plan = generation.plan_save(
                    actor=DEMO, rota=rota, starts_on=start_monday + dt.timedelta(weeks=8), weeks=8, template="twilight"
                )
                generation.absence_add(
                    actor=DEMO,
                    plan=plan,
                    person=team[2],
                    starts_on=plan.starts_on + dt.timedelta(weeks=2),
                    ends_on=plan.starts_on + dt.timedelta(weeks=2, days=4),
                    reason=AbsenceReason.ANNUAL,
                )
                generation.request_add(
                    actor=DEMO,
                    plan=plan,
                    person=team[3],
                    on=plan.starts_on + dt.timedelta(days=12),
                    shift="",
                    wants="off",
                    weight=5,
                )
        # the next rotation's team, its duties not yet planned: a rota coordinator generates them (issue 18)
        ltft = [p for p in people if p.grade in TRAINEE_GRADES and p.ltft_fraction < 1][:2]
        team = trainees[24:32] + ltft
        nxt = Rota.objects.create(trust=trust, name="Acute medicine: the next rotation")
        RotaMember.objects.bulk_create([RotaMember(trust=trust, rota=nxt, person=p) for p in team])

        reports = []
        kinds = list(ReportKind)
        for n in range(36):
            doctor = rng.choice(trainees[:24])
            occurred = self.today - dt.timedelta(days=rng.randrange(1, 250))
            kind = rng.choice(kinds)
            agreed = rng.random() < 0.75
            outcome = rng.choice(list(Outcome)) if agreed else ""
            reports.append(
                ExceptionReport(
                    trust=trust,
                    doctor=doctor,
                    supervisor=rng.choice(consultants[:40]),
                    occurred_on=occurred,
                    kind=kind,
                    extra_minutes=rng.choice([30, 60, 90, 120, 180]) if kind == ReportKind.HOURS else None,
                    description=rng.choice(
                        [
                            "Stayed late to hand over a deteriorating patient.",
                            "No break during a busy take.",
                            "Missed the weekly teaching because the ward was short-staffed.",
                            "Rest between shifts cut short by a late finish.",
                        ]
                    ),
                    status=ReportStatus.AGREED if agreed else ReportStatus.SUBMITTED,
                    outcome=outcome,
                    toil_hours=Decimal("2") if outcome == Outcome.TOIL else None,
                    toil_by=occurred + dt.timedelta(days=14) if outcome == Outcome.TOIL else None,
                    **(_demo_fine(trust, doctor, occurred) if n % 9 == 0 else {}),
                )
            )

        for r in reports:
            if r.fine_category:
                r.fine_payer = fine_payer(r)

        for r in reports:  # judged by the rules in force on the date of each event (version 12 or 13)
            rules = classify(r)
            if rules["doctor_chooses_pay_or_toil"] and r.kind == ReportKind.HOURS:
                r.preferred = Preference.TOIL if r.outcome == Outcome.TOIL else Preference.PAY
                if r.outcome in (Outcome.PAYMENT, Outcome.TOIL) and r.preferred == Preference.PAY:
                    r.outcome = Outcome.PAYMENT
                    r.toil_hours = r.toil_by = None
        ExceptionReport.objects.bulk_create(reports)

    def _posts(
        self,
        trust: Trust,
        index: int,
        md: Person,
        pool: Any,
        divisions: list[Division],
        specialties: list[Specialty],
        people: list[Person],
    ) -> None:
        rng = self.rng
        types = {t.code: t for t in PostType.objects.all()}
        posts: list[Post] = []
        holders: dict[int, list[tuple[Person, bool]]] = {}  # index in posts -> holders
        parent: dict[int, int] = {}

        def add(
            code: str,
            title: str,
            ptype: str,
            pas: str,
            *,
            division: Division | None = None,
            specialty: Specialty | None = None,
            reports: int | None = None,
            holder: Person | bool | None = True,
            jd: bool | None = None,
            required: str | None = None,
        ) -> int:
            p = Post(
                trust=trust,
                code=code,
                title=title,
                post_type=types[ptype],
                division=division,
                specialty=specialty,
                pas_allocated=D(pas),
                has_job_description=jd if jd is not None else rng.random() > 0.1,
                pas_required=D(required) if required else (D(pas) if rng.random() > 0.15 else D(pas) + D("1")),
            )
            posts.append(p)
            i = len(posts) - 1
            if reports is not None:
                parent[i] = reports
            if holder is True:
                holder = next(pool) if rng.random() > 0.08 else None  # about 8% of posts are vacant
            if holder:
                holders[i] = [(holder, rng.random() < 0.05)]
            return i

        # The first demo trust keeps an MD on 4 sessions; the others vary.
        md_i = add(
            "MD",
            "Medical director",
            "medical_director",
            "4" if index == 0 else rng.choice(["6", "8", "10"]),
            holder=md,
            jd=True,
            required="6",
        )
        dmd = add("DMD", "Deputy medical director", "deputy_medical_director", "4", reports=md_i)
        add("RO", "Responsible officer", "responsible_officer", "1", reports=md_i, holder=md, jd=True, required="1")
        amd_quality = add(
            "AMD-Q", "Associate medical director for quality and safety", "associate_medical_director", "3", reports=dmd
        )
        amd_prof = add(
            "AMD-PS",
            "Associate medical director for professional standards",
            "associate_medical_director",
            "3",
            reports=dmd,
        )
        dme = add("DME", "Director of medical education", "director_of_medical_education", "3", reports=md_i)
        gosw = add("GOSWH", "Guardian of safe working hours", "guardian_of_safe_working_hours", "1", reports=md_i)
        add("CALD", "Caldicott guardian", "caldicott_guardian", "1", reports=amd_quality, jd=index % 2 == 0)
        add("CGL", "Clinical governance lead", "clinical_governance_lead", "1", reports=amd_quality)
        by_division = {}
        for d_i, d in enumerate(divisions):
            # In the first trust, Medicine's clinical directors report straight to the medical director.
            direct_to_md = index == 0 and d.name == "Medicine"
            dmd_i = add(
                f"DIVMD-{d_i + 1}",
                f"Divisional medical director, {d.name}",
                "divisional_medical_director",
                "3",
                division=d,
                reports=md_i,
            )
            by_division[d.pk] = md_i if direct_to_md else dmd_i
        for s_i, s in enumerate(specialties):
            cd = add(
                f"CD-{s_i + 1:02d}",
                f"Clinical director, {s.name}",
                "clinical_director",
                rng.choice(["1", "1.5", "2"]),
                division=s.division,
                specialty=s,
                reports=by_division[s.division_id],
            )
            if rng.random() < 0.5:
                add(
                    f"CL-{s_i + 1:02d}",
                    f"Clinical lead, {s.name}",
                    "clinical_lead",
                    rng.choice(["0.5", "1"]),
                    division=s.division,
                    specialty=s,
                    reports=cd,
                )
            if rng.random() < 0.2:
                add(
                    f"CT-{s_i + 1:02d}",
                    f"College tutor, {s.name}",
                    "college_tutor",
                    "0.5",
                    division=s.division,
                    specialty=s,
                    reports=dme,
                )

        posts = Post.objects.bulk_create(posts)
        for child, par in parent.items():
            posts[child].reports_to = posts[par]
        Post.objects.bulk_update(posts, ["reports_to"], batch_size=500)

        # job shares: the deputy medical director post and one clinical director post get a second holder
        for i in (dmd, len(posts) // 2):
            if i in holders:
                holders[i].append((next(pool), False))
        rows = []
        for i, hs in holders.items():
            for person, interim in hs:
                rows.append(
                    Holding(trust=trust, post=posts[i], person=person, start=self._date_ago(5), interim=interim)
                )
        # history: some past holders
        for i in rng.sample(range(len(posts)), k=min(10, len(posts))):
            start = self._date_ago(10)
            rows.append(
                Holding(
                    trust=trust,
                    post=posts[i],
                    person=next(pool),
                    start=start - dt.timedelta(days=900),
                    end=start - dt.timedelta(days=1),
                )
            )
        Holding.objects.bulk_create(rows, batch_size=1000)

        # the portfolio: most functions held; two left unheld; one with the (vacant-prone) guardian post
        owner = {
            "clinical_strategy": md_i,
            "board_advice": md_i,
            "external_relationships": md_i,
            "clinical_standards": amd_quality,
            "professional_leadership": md_i,
            "alignment": dmd,
            "clinical_governance": amd_quality,
            "responsible_officer": md_i,
            "quality_safety": amd_quality,
            "education": dme,
            "medical_staffing": dmd,
            "performance_disciplinary": amd_prof,
            "job_planning_appraisal": amd_prof,
            "safe_working": gosw,
            "caldicott": amd_quality,
            "infection_control": amd_quality,
            "research_development": dmd,
            "occupational_health": amd_prof,
            "complaints_risk": amd_quality,
            "leadership_development": dmd,
            "value_productivity": md_i,
            "safeguarding_medicines": amd_quality,
        }  # left unheld: major_incident, clinical_it
        functions = {f.code: f for f in PortfolioFunction.objects.all()}
        PortfolioAssignment.objects.bulk_create(
            [
                PortfolioAssignment(trust=trust, function=functions[c], post=posts[i])
                for c, i in owner.items()
                if c in functions
            ]
        )

    # ------------------------------------------------------------------ accounts
    def _access_request(self, trust: Trust) -> None:
        """One grant of access waiting for a second approver, so that the Caldicott guardian's page is not empty: the
        system administrator asks for medical staffing to cover the guardian of safe working hours."""
        admin = User.objects.filter(username="admin").first()
        hr = User.objects.filter(username="hr").first()
        if admin is None or hr is None:
            return
        access.role_grant(
            actor=admin,
            user=hr,
            role=Role.GUARDIAN,
            trust=trust,
            reason="To cover the guardian of safe working hours' exception reports during their leave.",
        )

    def demo_accounts(self, built: Built) -> list[str]:

        trust = built.trust
        holders = {
            h.post.code: h.person
            for h in Holding.objects.filter(trust=trust, end__isnull=True).select_related("post", "person")
        }
        consultant = next(
            p for p in built.people if p.grade == Grade.CONSULTANT and p.pk not in {h.pk for h in holders.values()}
        )
        mgrs = [p for p in built.people if p.kind == StaffKind.MANAGER]
        # The demo clinical director acts in their own specialty only: give them the one with most plans to sign.
        agreed = Counter(
            JobPlan.objects.filter(trust=trust, state=State.AGREED).values_list("person__specialty_id", flat=True)
        )
        cd_posts = {p.code: p for p in Post.objects.filter(trust=trust, code__startswith="CD-")}
        cd_code = max(
            (c for c in sorted(cd_posts) if c in holders), key=lambda c: agreed[cd_posts[c].specialty_id or 0]
        )
        accounts: list[tuple[str, Person | None, list[tuple[Role, Trust | None]], bool]] = [
            ("admin", None, [(Role.SYSTEM_ADMIN, None)], True),
            ("md", built.md, [(Role.MEDICAL_DIRECTOR, trust), (Role.DOCTOR, trust)], False),
            ("ro", holders.get("RO", built.md), [(Role.RESPONSIBLE_OFFICER, trust)], False),
            ("cd", holders[cd_code], [(Role.CLINICAL_DIRECTOR, trust), (Role.DOCTOR, trust)], False),
            ("doctor", consultant, [(Role.DOCTOR, trust)], False),
            ("guardian", holders.get("GOSWH"), [(Role.GUARDIAN, trust), (Role.DOCTOR, trust)], False),
            ("hr", mgrs[4], [(Role.MEDICAL_STAFFING, trust)], False),
            ("ned", mgrs[6], [(Role.NON_EXECUTIVE, trust)], False),
            ("chair", mgrs[0], [(Role.CHAIR_CEO, trust)], False),
            ("cosec", mgrs[11] if len(mgrs) > 11 else None, [(Role.COMPANY_SECRETARY, trust)], False),
            # the nursing director, as many trusts' Caldicott guardians are: sees and approves grants of access
            ("caldicott", mgrs[2], [(Role.CALDICOTT_GUARDIAN, trust)], False),
        ]
        # the first rota's resident doctors, each with an account: `resident` (the one whose rota has a breach),
        # then `resident2`, `resident3`, ...
        residents = Rota.objects.get(trust=trust, name="Acute medicine registrars").members.order_by("pk")
        accounts += [
            ("resident" if n == 1 else f"resident{n}", m.person, [(Role.DOCTOR, trust)], False)
            for n, m in enumerate(residents.select_related("person"), start=1)
        ]
        made = []
        for username, person, roles, superuser in accounts:
            if User.objects.filter(username=username).exists():
                continue
            user = User(
                username=username,
                person=person if person and not User.objects.filter(person=person).exists() else None,
                first_name=person.first_name if person else "System",
                last_name=person.last_name if person else "Administrator",
                is_demo=True,
                is_staff=superuser,
                is_superuser=superuser,
            )
            user.set_password(DEMO_PASSWORD)
            user.save()
            grants = RoleAssignment.objects.bulk_create([RoleAssignment(user=user, role=r, trust=t) for r, t in roles])
            auditor.audit_bulk_create(actor=DEMO, objs=grants, note="demo accounts")
            made.append(username)
        if made:
            self._access_request(trust)
            self._shift_swaps(trust)
            self._concerns(trust, built.md, mgrs[4], consultant)
            self._revalidation_feedback(trust, consultant, mgrs[4])
            self._released_feedback(trust, holders[cd_code], mgrs[4])
            self._leave_requests(trust)
            self._supporting_info_filed_by_domain(trust)

            fppt.build(trust=trust, checker=mgrs[11] if len(mgrs) > 11 else mgrs[0], today=dates.today())
            rules.build(trust=trust, lead=User.objects.get(username="hr"), today=dates.today())
            self._award(
                trust, exclude={built.md.pk, consultant.pk}, today=dates.today(), md=built.md, cd=holders[cd_code]
            )
            self._clinical_director_develops(trust, cd=holders[cd_code], md=built.md, today=dates.today())
            self._rota_publications(trust, hr=User.objects.get(username="hr"))
            leaders = [holders[c] for c in sorted(holders) if c.startswith(("AMD", "CD-"))][:4]
            board.build(
                trust=trust,
                md=built.md,
                owners=[holders.get("GOSWH", built.md), *leaders],
                today=dates.today(),
                rng=self.rng,
            )
        return made

    def _supporting_info_filed_by_domain(self, trust: Trust) -> None:
        """The first demo account (in the accounts' order) with an open appraisal held under Good medical practice
        2024 adds a course to it, filed under its type's usual domain, so their appraisal page shows the supporting
        information by domain and the form that files it under another (ADR 0028). Through the service, as the
        doctor; draws nothing from the generator's random numbers."""
        for username in ("doctor", "cd", "md", "guardian", "resident", "resident2", "resident3"):
            user = User.objects.filter(username=username, person__isnull=False).first()
            if user is None or user.person_id is None:
                continue
            for a in Appraisal.objects.filter(trust=trust, person_id=user.person_id).order_by("-year"):
                if a.status == AppraisalStatus.SIGNED_OFF or not edition_on(a.meeting_date or self.today).by_domain:
                    continue
                revalidation_services.supporting_info_add(
                    actor=user,
                    appraisal=a,
                    kind="cpd",
                    title="Advanced life support refresher",
                    date=self.today - dt.timedelta(days=40),
                    reflection="Led two resuscitation attempts since; the course's airway teaching helped.",
                )
                return

    def _leave_requests(self, trust: Trust) -> None:
        """Leave on "Acute medicine registrars" (issue 32), through the leave services: `resident` has a request
        waiting, `resident2` one asked at short notice, `resident3` approved leave (its duties left the rota). The
        first two have their NHS service recorded, so their pages show what is left; the others' pages say what is
        missing."""
        rota = Rota.objects.get(trust=trust, name="Acute medicine registrars")
        people = [m.person for m in rota.members.order_by("pk").select_related("person")]
        hr = User.objects.get(username="hr")
        today = dates.today()
        monday = today + dt.timedelta(days=7 - today.weekday())
        for person, years in ((people[0], 6), (people[1], 2)):
            leave_services.record_save(
                actor=DEMO,
                person=person,
                nhs_service_from=dt.date(today.year - years, 8, 5),
                appointed_on=dt.date(today.year - (1 if today.month < 8 else 0), 8, 5),
            )
        asks = [
            (people[0], "annual", monday + dt.timedelta(weeks=7), 2, ""),  # 7 weeks ahead: notice given
            (people[1], "study", monday + dt.timedelta(days=8), 1, "Regional teaching day"),  # short notice
            (people[2], "annual", monday + dt.timedelta(weeks=3), 2, ""),
        ]
        made = [
            leave_services.submit(
                actor=DEMO,
                person=person,
                rota=rota,
                kind=kind,
                first_day=first,
                last_day=first + dt.timedelta(days=length),
                reason=reason,
            )
            for person, kind, first, length, reason in asks
        ]
        leave_services.decide(actor=hr, request=made[2], approve=True)

    def _rota_publications(self, trust: Trust, hr: User) -> None:
        """Issue 32: the rotas as published to their doctors. The current rotations through the service (on time,
        but "Acute medicine registrars" with 4 weeks' notice of its rota and 5 of its work schedule); "Acute
        medicine: the next rotation" is left for `hr` to publish. A year of earlier rotations (two or three starting
        each month, most on time) in bulk, so the board's chart of "work schedules and rotas issued on time" has
        its points, read from these records."""
        rng = self.rng
        start_monday = self.today - dt.timedelta(days=self.today.weekday() + 7 * 8)
        for name, rota_weeks, schedule_weeks in [
            ("Acute medicine registrars", 4, 5),
            ("Surgical core trainees", 7, 9),
            ("Paediatric doctors", 6, 8),
        ]:
            rota = Rota.objects.get(trust=trust, name=name)
            publication.publish(
                actor=hr if rota_weeks == 4 else DEMO,
                rota=rota,
                starts_on=start_monday,
                work_schedule_issued_on=start_monday - dt.timedelta(weeks=schedule_weeks),
                today=start_monday - dt.timedelta(weeks=rota_weeks),
            )
        rotas = list(Rota.objects.filter(trust=trust, publications__isnull=False).distinct())
        first = (self.today.replace(day=1) - dt.timedelta(days=1)).replace(day=1)
        history = []
        for back in range(12, 0, -1):
            month = first
            for _ in range(back - 1):
                month = (month - dt.timedelta(days=1)).replace(day=1)
            wednesday = month + dt.timedelta(days=(2 - month.weekday()) % 7)
            for rota in rng.sample(rotas, rng.choice([2, 3])):
                rota_days = rng.choice([49, 45, 42, 42, 43, 44, 50, 35, 28, 46])
                schedule_days = rota_days + rng.choice([14, 14, 7, 21, 0])
                published = wednesday - dt.timedelta(days=rota_days)
                history.append(
                    RotaPublication(
                        trust=trust,
                        rota=rota,
                        starts_on=wednesday,
                        work_schedule_issued_on=wednesday - dt.timedelta(days=schedule_days),
                        published_on=published,
                        published_by=hr,
                        work_schedule_weeks=8,
                        rota_weeks=6,
                        work_schedule_on_time=schedule_days >= 56,
                        rota_on_time=rota_days >= 42,
                    )
                )
        made = RotaPublication.objects.bulk_create(history)
        auditor.audit_bulk_create(actor=DEMO, objs=made, note="demo rotations published over the past year")

    def _shift_swaps(self, trust: Trust) -> None:
        """Shift swaps on the first rota (issue 32), made by the resident doctors themselves through the services:
        `resident` has offered a shift to `resident2`, who accepted it (the rota's rules checked for both), so it
        waits for the rota coordinator (`hr`); and `resident` offers another shift to anyone who may take it."""
        users = {u.username: u for u in User.objects.filter(username__in=["resident", "resident2"])}
        if len(users) < 2:
            return
        soon = dates.now() + dt.timedelta(days=2)
        # the rota's shift pattern says its days and long days may be worked by any resident doctor (its nights and
        # evenings are left to the doctor's own grade): the rule of eligibility a swap follows
        rota = Rota.objects.get(trust=trust, name="Acute medicine registrars")
        if not RosterPlan.objects.filter(rota=rota).exists():
            monday = self.today - dt.timedelta(days=self.today.weekday())
            plan = generation.plan_save(
                actor=DEMO, rota=rota, starts_on=monday, weeks=8, template="ward_day_long_night"
            )
            for shift in plan.shifts:
                if shift["code"] in ("D", "L"):
                    generation.shift_set(
                        actor=DEMO,
                        plan=plan,
                        code=shift["code"],
                        needed=shift["needed"],
                        grades=sorted(str(g) for g in TRAINEE_GRADES),
                    )

        def offer(user: User, to: Person | None) -> ShiftSwap | None:
            """The first of the doctor's next shifts the engine lets them give away, or else swap for the colleague's
            shift of the same day."""
            for duty in Duty.objects.filter(person=user.person, start__gt=soon).order_by("start")[:20]:
                returns: list[Duty | None] = [None]
                if to is not None:
                    day = timezone.localtime(duty.start).date()
                    returns += [
                        d for d in shift_swaps.in_return_choices(duty, to) if timezone.localtime(d.start).date() == day
                    ]
                for back in returns:
                    try:
                        return shift_swaps.swap_offer(actor=user, duty=duty, to=to, in_return=back)
                    except ValidationError:  # not one this colleague may take without breaking a rule: the next
                        continue
            return None

        named = offer(users["resident"], users["resident2"].person)
        if named is not None:
            shift_swaps.swap_accept(actor=users["resident2"], swap=named)
        offer(users["resident"], None)

    def _award(self, trust: Trust, exclude: set[int], today: dt.date, md: Person, cd: Person) -> None:
        """National Clinical Impact Award applications: a consultant's, submitted and waiting for the employer;
        another's, verified and waiting for the outcome; the demo clinical director's own, a draft."""

        person = Person.objects.filter(trust=trust, grade=Grade.CONSULTANT).exclude(pk__in=exclude).order_by("pk")[5]
        words = {
            "service": "Led the redesign of the acute stroke pathway: door-to-needle time halved in two years.",
            "leadership": "Clinical director for two years; chaired the regional network.",
            "education": "Training programme director; built the simulation programme.",
            "innovation": "Principal investigator for two national trials.",
            "national": "Member of the national guideline development group.",
        }
        app = Application.objects.create(
            trust=trust,
            person=person,
            round_year=today.year + 1,
            level="N1",
            domains={code: words[code] for code in domain_names()},
            status=Status.SUBMITTED,
            submitted_on=today - dt.timedelta(days=5),
        )
        # another consultant's, verified by the medical director and waiting for the national panel's outcome
        other = (
            Person.objects.filter(trust=trust, grade=Grade.CONSULTANT)
            .exclude(pk__in=exclude | {person.pk, cd.pk})
            .order_by("pk")[6]
        )
        verified = Application.objects.create(
            trust=trust,
            person=other,
            round_year=today.year + 1,
            level="N2",
            domains={code: words[code] for code in domain_names()},
            status=Status.VERIFIED,
            submitted_on=today - dt.timedelta(days=40),
            # obligations met, truthful, no investigation or sanction, the trust rated good
            checks={
                q["code"]: {"investigations": "no", "regulator_rating": "Good"}.get(q["code"], "yes")
                for q in award_questions(trust, today.year + 1)
            },
            statement="",
            verified_by=md,
            verified_on=today - dt.timedelta(days=30),
        )
        # the clinical director's own, being prepared: one domain written so far
        draft = Application.objects.create(
            trust=trust,
            person=cd,
            round_year=today.year + 1,
            level="N1",
            domains={"leadership": words["leadership"]},
            status=Status.DRAFT,
        )
        auditor.audit_bulk_create(actor=DEMO, objs=[app, verified, draft], note="demo award applications")

    def _clinical_director_develops(self, trust: Trust, cd: Person, md: Person, today: dt.date) -> None:
        """The demo clinical director aims at an associate medical director's post: a career plan, a draft
        development plan, their readiness report shared with the medical director, a mentoring request the medical
        director has still to answer, a self-assessment begun, and an open 360 whose nominations wait for the
        medical director (their facilitator) to approve."""

        amd = PostType.objects.get(code="associate_medical_director")
        CareerPlan.objects.create(
            trust=trust,
            person=cd,
            target_role=amd,
            aspirations="An associate medical director's post within three years.",
        )
        opp = Opportunity.objects.filter(items__isnull=False).order_by("code").first()
        pdp = DevelopmentPlan.objects.create(
            trust=trust,
            person=cd,
            target_role=amd,
            starts_on=today - dt.timedelta(days=14),
            ends_on=today + dt.timedelta(days=351),
            status=PlanStatus.DRAFT,
        )
        goal = Goal.objects.create(
            plan=pdp, text="Lead a piece of work across divisions.", origin=GoalOrigin.SELF_ASSESSMENT
        )
        Action.objects.create(
            goal=goal,
            text=opp.title if opp else "Shadow an associate medical director for a month.",
            opportunity=opp,
            due_on=today + dt.timedelta(days=120),
            status=ActionStatus.values[0],
        )
        ReadinessShare.objects.create(trust=trust, person=cd, target_role=amd, shared_with=md)
        mentor = Mentor.objects.filter(trust=trust, person=md).first()
        if mentor is not None:
            Mentorship.objects.create(
                trust=trust, mentee=cd, mentor=mentor, goals="Learn how the medical director's office works."
            )
        assessment_start(actor=DEMO, person=cd, framework=Framework.objects.get(code="hlm", trust=None))
        cycle = cycle_open(
            actor=DEMO,
            subject=cd,
            framework=Framework.objects.get(code="hlm", trust=None),
            closes_on=today + dt.timedelta(days=30),
            facilitator=md,
            today=today,
        )
        raters_nominate(
            actor=DEMO,
            cycle=cycle,
            nominees=[("peer", f"Peer {k}", f"cd-peer{k}@example.org") for k in range(1, 4)],
        )

    def _concerns(self, trust: Trust, md: Person, hr: Person, exclude: Person) -> None:
        """A few MHPS cases in different stages, managed by the demo medical director with the demo HR lead: seen by
        those two accounts only. Built through the services, as a medical director would."""

        today = dates.today()
        doctors = [
            p
            for p in Person.objects.filter(trust=trust, kind=StaffKind.DOCTOR, grade=Grade.SPECIALTY_DOCTOR)
            .exclude(pk__in=[md.pk, exclude.pk])
            .order_by("pk")[:3]
        ]
        stories = [
            (["capability"], "audit", "Outcome data show a high rate of returns to theatre over two quarters."),
            (["conduct"], "colleague", "Colleagues report repeated unprofessional remarks on the ward."),
            (["health", "capability"], "incident", "A medication error during a night shift; the doctor was unwell."),
        ]
        for n, (doctor, (categories, source, summary)) in enumerate(zip(doctors, stories, strict=False)):
            case = cases.case_open(
                actor=DEMO,
                doctor=doctor,
                raised_by="Clinical director",
                raised_on=today - dt.timedelta(days=40 - n * 10),
                categories=categories,
                source=source,
                summary=summary,
                case_manager=md,
                today=today,
            )
            cases.role_appoint(actor=DEMO, case=case, person=hr, role="hr_lead", today=today)
            if n == 1:
                cases.decide(
                    actor=DEMO,
                    case=case,
                    decision="informal",
                    reasons="Agreed with the doctor: feedback and a behaviour plan, reviewed in three months.",
                    decided_on=today - dt.timedelta(days=5),
                    today=today,
                )
            if n == 2:
                investigator = (
                    Person.objects.filter(trust=trust, grade=Grade.CONSULTANT)
                    .exclude(pk__in=[md.pk, exclude.pk, doctor.pk])
                    .order_by("-pk")
                    .first()
                )
                if investigator is not None:
                    cases.role_appoint(
                        actor=DEMO, case=case, person=investigator, role="case_investigator", today=today
                    )
                    cases.investigation_start(
                        actor=DEMO,
                        case=case,
                        terms_of_reference="Establish the events of the night shift and the doctor's fitness to work.",
                        started_on=today - dt.timedelta(days=10),
                        today=today,
                    )
            if n == 0:
                cases.advice_add(
                    actor=DEMO,
                    case=case,
                    contacted_on=today - dt.timedelta(days=30),
                    adviser="Practitioner Performance Advice",
                    summary="Advised a restriction while the data are reviewed.",
                    today=today,
                )
                cases.measure_add(
                    actor=DEMO,
                    case=case,
                    kind="restriction",
                    starts_on=today - dt.timedelta(days=25),
                    review_by=today + dt.timedelta(days=3),
                    details="No complex revision surgery without a second consultant present.",
                )


def generate(*, trusts: int = 1, doctors: int = 1500, seed: int = 1, accounts: bool = True) -> dict[str, Any]:
    if not settings.MEDLEAD_ALLOW_DEMO_DATA:
        raise DemoDataRefused("Demo data cannot be loaded with production settings.")
    # Reference data normally arrives by migration; load it again (idempotent) in case the tables were flushed.
    reference_data.load(PostType, PortfolioArea, PortfolioFunction)

    load_national(Framework, FrameworkItem)
    feedback_questionnaires.load_national()

    catalogue.load(Opportunity, FrameworkItem)
    gen = Generator(seed)
    start_index = Trust.objects.filter(is_demo=True).count()
    built_first = None
    regions = gen.regions()
    for i in range(start_index, start_index + trusts):
        with transaction.atomic():
            built = gen.build_trust(i, doctors, regions)
            if built_first is None:
                built_first = built
    made = gen.demo_accounts(built_first) if accounts and built_first and start_index == 0 else []
    if made and built_first is not None:
        with transaction.atomic():  # the demo trust's neighbours and the region's accounts (issue 34)
            made += region.build(gen, built_first, start_index + trusts)
    _analyze()
    return {"trusts": trusts, "doctors_per_trust": doctors, "accounts": made}


def _analyze() -> None:
    """Refresh the query planner's statistics after a bulk load. Until autovacuum gets to the new tables, PostgreSQL
    plans from empty statistics: measured on the demo, a clinical director's job-plan list took 740 ms instead of
    3 ms. (SQLite's ANALYZE does the same for its planner.)"""
    from django.db import connection

    if connection.in_atomic_block:
        return  # a test's transaction: the tables are small and gone at its end
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")


def _demo_fine(trust: Any, doctor: Any, occurred: dt.date) -> dict[str, Any]:
    """A fine for 2 hours short of 11 hours' rest, computed as the guardian's page computes it (demo hourly rate)."""

    hours, rate = Decimal("2"), Decimal("24.50")
    fine = fines.compute(hours, rate, fine_rates(trust, occurred))
    return {
        "fine_category": "rest_11h",
        "fine_hours": hours,
        "fine_hourly_rate": rate,
        "fine_amount": fine.total,
        "fine_to_doctor": fine.to_doctor,
        "fine_to_guardian": fine.to_guardian,
    }
