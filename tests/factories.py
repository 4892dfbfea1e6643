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
