"""factory_boy factories for test data."""

from __future__ import annotations

import datetime as dt
import io
from decimal import Decimal
from typing import Any

import factory
from pypdf import PdfWriter

from medlead.accounts.models import Role, RoleAssignment, User
from medlead.organisation.models import Division, Grade, Person, Region, Specialty, StaffKind, Trust
from medlead.structure.models import Holding, Post, PostType


class RegionFactory(factory.django.DjangoModelFactory[Region]):
    class Meta:
        model = Region

    code = factory.Sequence(lambda n: f"R{n:02d}")
    name = factory.Sequence(lambda n: f"Region {n}")


class TrustFactory(factory.django.DjangoModelFactory[Trust]):
    class Meta:
        model = Trust

    code = factory.Sequence(lambda n: f"T{n:04d}")
    name = factory.Sequence(lambda n: f"Test Trust {n}")
    region = factory.SubFactory(RegionFactory)


class DivisionFactory(factory.django.DjangoModelFactory[Division]):
    class Meta:
        model = Division

    trust = factory.SubFactory(TrustFactory)
    name = factory.Sequence(lambda n: f"Division {n}")


class SpecialtyFactory(factory.django.DjangoModelFactory[Specialty]):
    class Meta:
        model = Specialty

    trust = factory.SubFactory(TrustFactory)
    division = factory.SubFactory(DivisionFactory, trust=factory.SelfAttribute("..trust"))
    name = factory.Sequence(lambda n: f"Specialty {n}")


class PersonFactory(factory.django.DjangoModelFactory[Person]):
    class Meta:
        model = Person

    trust = factory.SubFactory(TrustFactory)
    kind = StaffKind.DOCTOR
    first_name = factory.Sequence(lambda n: f"First{n}")
    last_name = factory.Sequence(lambda n: f"Last{n}")
    gmc_number = factory.Sequence(lambda n: f"{7000000 + n:07d}")
    staff_number = factory.Sequence(lambda n: f"S{n:06d}")
    grade = Grade.CONSULTANT
    contracted_pas = Decimal("10")


def post_type(code: str) -> PostType:
    return PostType.objects.get(code=code)


class PostFactory(factory.django.DjangoModelFactory[Post]):
    class Meta:
        model = Post

    trust = factory.SubFactory(TrustFactory)
    post_type = factory.LazyFunction(lambda: post_type("clinical_director"))
    title = factory.Sequence(lambda n: f"Post {n}")
    code = factory.Sequence(lambda n: f"P{n:04d}")
    pas_allocated = Decimal("2")
    has_job_description = True


class HoldingFactory(factory.django.DjangoModelFactory[Holding]):
    class Meta:
        model = Holding

    post = factory.SubFactory(PostFactory)
    trust = factory.SelfAttribute("post.trust")
    person = factory.SubFactory(PersonFactory, trust=factory.SelfAttribute("..post.trust"))
    start = dt.date(2024, 4, 1)


def make_user(*roles: tuple[Role, Any], username: str | None = None, **extra: Any) -> User:
    """A user holding each (role, scope): scope is a Trust, a Region or None (national)."""
    user = User.objects.create_user(
        username=username or f"user{User.objects.count() + 1}", password="pw-correct-horse", **extra
    )
    for role, scope in roles:
        RoleAssignment.objects.create(
            user=user,
            role=role,
            trust=scope if isinstance(scope, Trust) else None,
            region=scope if isinstance(scope, Region) else None,
        )
    return user


def make_clinical_director(trust: Trust, *specialties: Any, username: str | None = None) -> User:
    """A clinical director whose current posts cover these specialties: the area they may act in."""
    person = PersonFactory(trust=trust)
    for specialty in specialties:
        HoldingFactory(
            post=PostFactory(trust=trust, post_type=post_type("clinical_director"), specialty=specialty),
            person=person,
        )
    return make_user((Role.CLINICAL_DIRECTOR, trust), (Role.DOCTOR, trust), username=username, person=person)


def pdf_bytes(text_pages: int = 1) -> bytes:
    """A real PDF of blank pages, as an uploaded evidence file must be (``core.uploads`` parses it)."""
    writer = PdfWriter()
    for _ in range(text_pages):
        writer.add_blank_page(width=595, height=842)
    buf = io.BytesIO()
    writer.write(buf)
    return buf.getvalue()


# ---------------------------------------------------------------------------- issue 33 feedback report
# Questionnaires, questions, exercises and responses built directly, so that the report's side is tested without the
# collecting side's data files. The questionnaires are stand-ins (numbered questions), not the GMC's wording.


def feedback_questionnaire(
    kind: str, *, questions: int = 3, recommended: int | None = None, code: str | None = None
) -> Any:
    from medlead.feedback.models import Question, Questionnaire

    q = Questionnaire.objects.create(
        kind=kind,
        code=code or f"test-{kind}-{Questionnaire.objects.count() + 1}",
        name=f"Test {kind} questionnaire",
        source="A test questionnaire",
        applies_from=dt.date(2012, 12, 3),
        scale=["Poor", "Less than satisfactory", "Satisfactory", "Good", "Very good"],
        recommended_responses=recommended or (15 if kind == "colleague" else 34),
    )
    domains = ["colleagues", "trust", "patients"]
    for n in range(questions):
        Question.objects.create(
            questionnaire=q,
            code=f"q{n + 1}",
            text=f"{kind.capitalize()} question {n + 1}",
            domain=domains[n % len(domains)],
            position=n,
        )
    return q


def feedback_exercise(
    doctor: Person,
    facilitator: Person | None,
    *,
    status: str = "open",
    patients: bool = True,
    colleague_questionnaire: Any = None,
    patient_questionnaire: Any = None,
    **extra: Any,
) -> Any:
    from medlead.feedback.models import Exercise

    return Exercise.objects.create(
        trust=doctor.trust,
        doctor=doctor,
        facilitator=facilitator,
        colleague_questionnaire=colleague_questionnaire or feedback_questionnaire("colleague"),
        patient_questionnaire=(patient_questionnaire or feedback_questionnaire("patient")) if patients else None,
        opens_on=extra.pop("opens_on", dt.date(2026, 9, 1)),
        closes_on=extra.pop("closes_on", dt.date(2026, 10, 31)),
        status=status,
        **extra,
    )


def feedback_response(
    exercise: Any, kind: str, values: list[int | None], *, role: str = "", comment: str = "", **extra: Any
) -> Any:
    """One response: ``values`` answer the questionnaire's questions in order; a comment waits for the facilitator."""
    from medlead.feedback.models import Answer, Response

    questionnaire = exercise.colleague_questionnaire if kind == "colleague" else exercise.patient_questionnaire
    response = Response.objects.create(
        exercise=exercise,
        kind=kind,
        role=role if kind == "colleague" else "",
        comment=comment,
        comment_state="awaiting" if comment else "none",
        **extra,
    )
    for question, value in zip(questionnaire.questions.order_by("position"), values, strict=False):
        Answer.objects.create(response=response, question=question, value=value)
    return response


# ---------------------------------------------------------------------------- issue 34 information transfers
# A doctor who moved between two trusts (a record in each with the same GMC number) and a transfer about them, built
# directly so that the policy and the pages are tested apart from the services that make them.


def moved_doctor(previous: Trust, new: Trust, **extra: Any) -> tuple[Person, Person]:
    """The same doctor's record in ``previous`` (no longer active) and in ``new`` (active), linked by GMC number."""
    before = PersonFactory(trust=previous, active=False, **extra)
    after = PersonFactory(
        trust=new, gmc_number=before.gmc_number, first_name=before.first_name, last_name=before.last_name
    )
    return before, after


def information_transfer(
    doctor: Person, previous_trust: Trust, requested_by: User, *, status: str = "requested", **extra: Any
) -> Any:
    from medlead.transfers.models import InformationTransfer

    previous = Person.objects.filter(trust=previous_trust, gmc_number=doctor.gmc_number).first()
    return InformationTransfer.objects.create(
        trust=doctor.trust,
        previous_trust=previous_trust,
        doctor=doctor,
        previous_person=previous,
        requested_by=requested_by,
        requested_on=extra.pop("requested_on", dt.date(2026, 10, 1)),
        joined_on=extra.pop("joined_on", dt.date(2026, 9, 1)),
        form=extra.pop("form", "mpit-2012"),
        status=status,
        **extra,
    )


# --- issue 34: lead employers and host trusts (placements) --------------------------------------------------------


def placed_doctor(lead: Trust, host: Trust, *, grade: str = Grade.CORE_TRAINEE) -> tuple[Person, Person]:
    """A resident doctor of ``lead`` and their record at ``host`` (same name, GMC number and grade)."""
    employee = PersonFactory(trust=lead, grade=grade, contracted_pas=None)
    placed_as = PersonFactory(
        trust=host,
        grade=grade,
        contracted_pas=None,
        first_name=employee.first_name,
        last_name=employee.last_name,
        gmc_number=employee.gmc_number,
    )
    return employee, placed_as


def placement(employee: Person, placed_as: Person, *, starts_on: dt.date, ends_on: dt.date, arrangement: str) -> Any:
    """A placement of ``employee`` (of the lead employer) as ``placed_as`` (at the host), straight into the table."""
    from medlead.organisation.models import Placement

    return Placement.objects.create(
        lead_employer=employee.trust,
        host=placed_as.trust,
        employee=employee,
        placed_as=placed_as,
        starts_on=starts_on,
        ends_on=ends_on,
        exception_reporting=arrangement,
    )


# ---------------------------------------------------------------------------- issue 34 development across trusts
# A small world of two regions: the home trust ("home") and the host trust ("host") of one region, and an unrelated
# trust of another region ("other"). Built directly, so that the rules are tested without the demo.


def cross_trust_world() -> dict[str, Any]:
    from medlead.core.dates import today
    from medlead.development.models import Mentor, Opening, OpeningPublication
    from medlead.organisation.models import Grade

    region, elsewhere = RegionFactory(name="North"), RegionFactory(name="South")
    home = TrustFactory(region=region, name="Home Hospitals")
    host = TrustFactory(region=region, name="Host Hospitals")
    other = TrustFactory(region=elsewhere, name="Other Hospitals")
    people = {
        "applicant": PersonFactory(trust=home, first_name="Ada", last_name="Applicant", email="ada@example.org"),
        "md_home": PersonFactory(trust=home, first_name="Hal", last_name="Homemd"),
        "md_host": PersonFactory(trust=host, first_name="Pat", last_name="Hostmd"),
        "mentor": PersonFactory(trust=host, first_name="Meg", last_name="Mentor"),
        "md_other": PersonFactory(trust=other, first_name="Ole", last_name="Othermd"),
        "doctor_other": PersonFactory(
            trust=other, first_name="Ola", last_name="Otherdoc", grade=Grade.SPECIALTY_REGISTRAR
        ),
    }
    users = {
        "applicant": make_user((Role.DOCTOR, home), username="x-applicant", person=people["applicant"]),
        "md_home": make_user(
            (Role.MEDICAL_DIRECTOR, home), (Role.DOCTOR, home), username="x-md-home", person=people["md_home"]
        ),
        "hr_home": make_user((Role.MEDICAL_STAFFING, home), username="x-hr-home"),
        "md_host": make_user(
            (Role.MEDICAL_DIRECTOR, host), (Role.DOCTOR, host), username="x-md-host", person=people["md_host"]
        ),
        "hr_host": make_user((Role.MEDICAL_STAFFING, host), username="x-hr-host"),
        "mentor": make_user((Role.DOCTOR, host), username="x-mentor", person=people["mentor"]),
        "rmd": make_user((Role.REGIONAL_MEDICAL_DIRECTOR, region), username="x-rmd"),
        "admin": make_user((Role.SYSTEM_ADMIN, None), username="x-admin", is_superuser=True, is_staff=True),
        "md_other": make_user(
            (Role.MEDICAL_DIRECTOR, other), (Role.DOCTOR, other), username="x-md-other", person=people["md_other"]
        ),
        "doctor_other": make_user((Role.DOCTOR, other), username="x-doctor-other", person=people["doctor_other"]),
    }
    opening = Opening.objects.create(
        trust=host,
        title="Regional elective recovery secondment",
        kind="secondment",
        description="Two sessions a week.",
        places=1,
        closes_on=today() + dt.timedelta(days=30),
        posted_by=users["md_host"],
    )
    OpeningPublication.objects.create(opening=opening, to_trust=home, published_by=users["md_host"])
    mentor = Mentor.objects.create(
        trust=host,
        person=people["mentor"],
        kind="both",
        areas="Leading across organisations",
        capacity=3,
        in_regional_bank=True,
        bank_agreed_on=dt.date(2026, 1, 5),
    )
    return {
        "region": region,
        "elsewhere": elsewhere,
        "home": home,
        "host": host,
        "other": other,
        "people": people,
        "users": users,
        "opening": opening,
        "mentor": mentor,
    }
