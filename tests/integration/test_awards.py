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


# The 2025 round's questions answered as for a consultant with nothing against them, written out by hand from the
# GOV.UK guidance (data/awards.yaml): obligations met, truthful, no investigation or sanction, the trust rated good.
GOOD = {"contractual_obligations": "yes", "truthful": "yes", "investigations": "no", "regulator_rating": "Good"}


def prepared(user: User, round_year: int = 2027) -> Application:
    assert user.person is not None
    app = services.start(actor=user, person=user.person, round_year=round_year, level="N1")
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
    with pytest.raises(ValidationError, match="Answer every question"):
        services.verify(
            actor=md,
            application=app,
            checks={**GOOD, "truthful": "maybe"},
            investigations_note="",
            statement="",
            today=TODAY,
        )
    done = services.verify(
        actor=md,
        application=app,
        checks=GOOD,
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
    # an empty draft is not offered for submission: what it still needs is listed instead (issue 31)
    assert "verification</button>" not in page and "Before you can submit it" in page
    assert 'name="level_awarded"' not in page  # the outcome is the employer's, and only once verified


def test_the_employer_never_verifies_its_own_application(trust: Trust, md: User) -> None:
    app = prepared(md)
    with pytest.raises(PermissionDenied):
        services.verify(
            actor=md,
            application=app,
            checks=GOOD,
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
            checks=GOOD,
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


def test_from_the_2025_round_the_employer_answers_the_guidances_questions(trust: Trust, md: User) -> None:
    """GOV.UK, Clinical Impact Awards: guidance, changes for the 2025 round: employers no longer write citations;
    they verify that the applicant is meeting their contractual obligations, has been truthful in their application,
    and whether there are any investigations and sanctions in place, and are asked their CQC rating."""
    assert [q["name"] for q in services.questions(trust, 2025)] == [
        "Is the applicant meeting their contractual obligations?",
        "Has the applicant been truthful in their application?",
        "Are there any investigations or sanctions in place about the applicant?",
        "Your organisation's Care Quality Commission rating",
    ]
    assert services.questions(trust, 2024) == []  # the 2024 round asked the employer for a citation instead
    assert services.statement_rule(trust, 2024)["required"] is True
    assert services.statement_rule(trust, 2025)["required"] is False
    app = prepared(consultant(trust), round_year=2025)
    url = f"/t/{trust.code}/awards/{app.pk}/"
    page = client_for(md).get(url).content.decode()
    assert "Has the applicant been truthful in their application?" in page
    assert 'name="check_truthful" type="radio" value="yes"' in page or 'value="yes"' in page
    assert "citation" not in page
    # a question left unanswered is refused on the form; all answered, with no concerns written, is recorded
    unanswered = {f"check_{k}": v for k, v in GOOD.items() if k != "truthful"}
    assert client_for(md).post(f"{url}verification/", unanswered).status_code == 200
    assert Application.objects.get(pk=app.pk).status == "submitted"
    answered = {f"check_{k}": v for k, v in GOOD.items()}
    assert client_for(md).post(f"{url}verification/confirm/", answered).status_code == 302
    done = Application.objects.get(pk=app.pk)
    assert done.status == "verified" and done.checks == GOOD and done.statement == ""
    page = client_for(md).get(url).content.decode()
    assert "Has the applicant been truthful in their application? Yes" in page
    assert "Are there any investigations or sanctions in place about the applicant? No" in page


def test_a_2024_round_application_needs_the_employers_citation(trust: Trust, md: User) -> None:
    app = prepared(consultant(trust), round_year=2024)
    with pytest.raises(ValidationError, match="citation"):
        services.verify(actor=md, application=app, checks={}, investigations_note="", statement="", today=TODAY)
    done = services.verify(
        actor=md, application=app, checks={}, investigations_note="", statement="A national leader.", today=TODAY
    )
    assert done.status == "verified"


def test_an_open_investigation_cannot_be_answered_no(trust: Trust, md: User) -> None:
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
    with pytest.raises(ValidationError, match="answer yes"):
        services.verify(
            actor=md, application=app, checks=GOOD, investigations_note="Disclosed.", statement="", today=TODAY
        )
    done = services.verify(
        actor=md,
        application=app,
        checks={**GOOD, "investigations": "yes"},
        investigations_note="An investigation under MHPS is open.",
        statement="",
        today=TODAY,
    )
    assert done.checks["investigations"] == "yes"


@pytest.mark.parametrize(
    ("round_year", "starts"),
    [
        (2025, dt.date(2026, 4, 1)),  # the guidance's own example: awards in the 2025 round start on 1 April 2026
        (2027, dt.date(2028, 4, 1)),
        (2024, None),  # the 2024 round's awards were backdated: medlead records no start of its own
    ],
)
def test_an_award_starts_on_1_april_after_its_round(trust: Trust, md: User, round_year: int, starts: object) -> None:
    app = prepared(consultant(trust), round_year=round_year)
    checks = GOOD if round_year >= 2025 else {}
    app = services.verify(actor=md, application=app, checks=checks, investigations_note="", statement="x", today=TODAY)
    hr = make_user((Role.MEDICAL_STAFFING, trust))
    awarded = services.outcome(actor=hr, application=app, level_awarded="N1")
    assert awarded.starts_on == starts
    if starts == dt.date(2026, 4, 1):
        page = client_for(md).get(f"/t/{trust.code}/awards/{app.pk}/").content.decode()
        assert "The award starts on 1 April 2026 and lasts 5 years" in page
    other = services.verify(
        actor=md,
        application=prepared(consultant(trust), round_year=round_year),
        checks=checks,
        investigations_note="",
        statement="x",
        today=TODAY,
    )
    assert services.outcome(actor=hr, application=other, level_awarded="").starts_on is None  # not awarded


def test_the_employers_concerns_are_not_shown_to_the_applicant_from_the_2025_round(trust: Trust, md: User) -> None:
    """GOV.UK, Clinical Impact Awards guidance 2025: "Employers can still detail any concerns they may have, but this
    information will only be available to the central Advisory Committee on Clinical Impact Awards team"."""
    doctor = consultant(trust)
    app = services.verify(
        actor=md,
        application=prepared(doctor),
        checks=GOOD,
        investigations_note="",
        statement="Concerns about the dates given for the service redesign.",
        today=TODAY,
    )
    url = f"/t/{trust.code}/awards/{app.pk}/"
    assert "Concerns about the dates given" not in client_for(doctor).get(url).content.decode()
    assert "Concerns about the dates given" in client_for(md).get(url).content.decode()
