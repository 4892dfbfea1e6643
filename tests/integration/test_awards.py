"""National Clinical Impact Awards, the employer's part (issue 17): the consultant prepares, the employer verifies,
the medical director sees the trust's figures with equality in aggregate only."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from medlead.accounts.models import Role, User
from medlead.awards import selectors, services
from medlead.awards.models import Application
from medlead.organisation.models import EqualityMonitoring, Grade, Trust
from tests.conftest import client_for
from tests.factories import PersonFactory, make_user

pytestmark = pytest.mark.django_db
TODAY = dt.date(2026, 11, 30)


def consultant(trust: Trust, **extra: object) -> User:
    return make_user((Role.DOCTOR, trust), person=PersonFactory(trust=trust, grade=Grade.CONSULTANT, **extra))


@pytest.fixture
def md(trust: Trust) -> User:
    return make_user((Role.MEDICAL_DIRECTOR, trust), person=PersonFactory(trust=trust, grade=Grade.CONSULTANT))


def prepared(user: User) -> Application:
    assert user.person is not None
    app = services.start(actor=user, person=user.person, round_year=2027, level="N1")
    text = {code: f"My work in {name.lower()}." for code, name in services.domain_names().items()}
    app = services.domains_save(actor=user, application=app, domains=text)
    return services.submit(actor=user, application=app, today=TODAY)


def test_a_consultant_applies_and_the_employer_verifies(trust: Trust, md: User) -> None:
    doctor = consultant(trust)
    registrar = make_user((Role.DOCTOR, trust), person=PersonFactory(trust=trust, grade=Grade.SPECIALTY_REGISTRAR))
    with pytest.raises(PermissionDenied):  # consultants apply
        services.start(actor=registrar, person=registrar.person, round_year=2027, level="N1")
    assert doctor.person is not None
    app = services.start(actor=doctor, person=doctor.person, round_year=2027, level="N2")
    with pytest.raises(ValidationError, match="every domain"):
        services.submit(actor=doctor, application=app, today=TODAY)
    colleague = consultant(trust)
    assert client_for(colleague).get(f"/t/{trust.code}/awards/{app.pk}/").status_code == 404
    assert client_for(md).get(f"/t/{trust.code}/awards/{app.pk}/").status_code == 404  # a draft is the doctor's
    app.delete()
    app = prepared(doctor)
    assert client_for(md).get(f"/t/{trust.code}/awards/{app.pk}/").status_code == 200
    with pytest.raises(ValidationError, match="statement"):
        services.verify(
            actor=md,
            application=app,
            checks={v["code"]: True for v in services.rules()["verification"]},
            investigations_note="",
            statement="",
            today=TODAY,
        )
    done = services.verify(
        actor=md,
        application=app,
        checks={v["code"]: True for v in services.rules()["verification"]},
        investigations_note="",
        statement="An outstanding clinical leader.",
        today=TODAY,
    )
    assert done.status == "verified" and done.verified_by == md.person
    hr = make_user((Role.MEDICAL_STAFFING, trust))
    awarded = services.outcome(actor=hr, application=done, level_awarded="N2")
    assert awarded.status == "awarded"


def test_a_draft_shows_its_owner_one_box_per_domain_to_write_in(trust: Trust) -> None:
    doctor = consultant(trust)
    assert doctor.person is not None
    app = services.start(actor=doctor, person=doctor.person, round_year=2027, level="N1")
    page = client_for(doctor).get(f"/t/{trust.code}/awards/{app.pk}/").content.decode()
    for code, name in services.domain_names().items():
        assert f'for="id_{code}"' in page and name in page
    assert "Submit for the employer&#x27;s verification" in page or "Submit for the employer's verification" in page
    assert 'name="level_awarded"' not in page  # the outcome is the employer's, and only once verified


def test_the_employer_never_verifies_its_own_application(trust: Trust, md: User) -> None:
    app = prepared(md)
    with pytest.raises(PermissionDenied):
        services.verify(
            actor=md,
            application=app,
            checks={v["code"]: True for v in services.rules()["verification"]},
            investigations_note="",
            statement="x",
            today=TODAY,
        )


def test_an_open_investigation_must_be_disclosed_without_showing_it(trust: Trust, md: User) -> None:
    from medlead.concerns.models import Case

    doctor = consultant(trust)
    Case.objects.create(
        trust=trust,
        doctor=doctor.person,
        raised_by="x",
        raised_on=TODAY,
        categories=["conduct"],
        source="colleague",
        summary="A private matter.",
    )
    app = prepared(doctor)
    page = client_for(md).get(f"/t/{trust.code}/awards/{app.pk}/").content.decode()
    assert "There is an open case about this consultant" in page and "A private matter." not in page
    with pytest.raises(ValidationError, match="disclose it"):
        services.verify(
            actor=md,
            application=app,
            checks={v["code"]: True for v in services.rules()["verification"]},
            investigations_note="",
            statement="A strong application.",
            today=TODAY,
        )


def test_the_summary_shows_equality_only_in_aggregate_with_small_numbers_hidden(trust: Trust, md: User) -> None:
    for i in range(5):
        doctor = consultant(trust)
        EqualityMonitoring.objects.create(trust=trust, person=doctor.person, sex="female" if i < 4 else "male")
        prepared(doctor)
    data = selectors.summary(trust=trust)
    applicants = dict(data["equality"])["Applicants by sex"]
    # one man is fewer than three: hidden, and so are the four women, or the one could be worked out from the total
    assert applicants == {"Female": None, "Male": None}
    page = client_for(md).get(f"/t/{trust.code}/awards/summary/").content.decode()
    assert "not shown" in page
    hr = make_user((Role.MEDICAL_STAFFING, trust))
    assert client_for(hr).get(f"/t/{trust.code}/awards/summary/").status_code == 403
