"""Rules a trust can rely on (issue 30, item 1): a trust confirms or changes a national value from a date, a record
is judged by the value in force for its trust on its date, and the page "Rules and values in force" says of each
value whether it is verified from its source, confirmed by the trust, or awaiting the trust's confirmation."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext

from medlead.accounts.models import Role, User
from medlead.core.audit import AuditEvent
from medlead.core.policy import Forbidden
from medlead.fitproper.services import checks_for
from medlead.organisation.models import Trust
from medlead.rota.selectors import fine_rates
from medlead.rulebook import services
from medlead.rulebook.models import ValueConfirmation
from medlead.rulebook.selectors import value_for, values_in_force
from tests.conftest import client_for
from tests.factories import make_user

pytestmark = pytest.mark.django_db

FINES = "guardian_fines.yaml"
DOCTOR_SHARE = "calculation.v13.doctor_multiplier"
ITEM = f"{FINES}:{DOCTOR_SHARE}"


@pytest.fixture
def hr(trust: Trust) -> User:
    return make_user((Role.MEDICAL_STAFFING, trust), username="hr-test")


def confirm(actor: User, trust: Trust, key: str, value: str, day: dt.date) -> ValueConfirmation:
    return services.confirm(
        actor=actor,
        trust=trust,
        file=FINES,
        key=key,
        value=value,
        applies_from=day,
        document_title="Terms and conditions of service for resident doctors 2016, version 13",
        document_date=dt.date(2026, 2, 4),
        document_detail="schedule 5",
    )


def test_a_confirmation_from_1_april_judges_a_record_of_2_april_not_one_of_31_march(trust: Trust, hr: User) -> None:
    confirm(hr, trust, DOCTOR_SHARE, "1", dt.date(2026, 4, 1))
    confirm(hr, trust, "calculation.v13.guardian_multiplier", "3", dt.date(2026, 4, 1))

    before = value_for(trust, FINES, DOCTOR_SHARE, dt.date(2026, 3, 31))
    assert (before.value, before.confirmed, before.status) == ("1.5", False, "Not yet confirmed by your trust")
    after = value_for(trust, FINES, DOCTOR_SHARE, dt.date(2026, 4, 2))
    assert (after.value, after.confirmed, after.status) == ("1", True, "Changed by this trust")
    # the fine itself: 4 times the basic rate, 1 to the doctor and 3 to the guardian from 1 April; 1.5 and 2.5 before
    assert fine_rates(trust, dt.date(2026, 4, 2)).doctor_multiplier == Decimal("1")
    assert fine_rates(trust, dt.date(2026, 3, 31)).doctor_multiplier == Decimal("1.5")


def test_a_confirmation_is_the_trusts_own(trust: Trust, other_trust: Trust, hr: User) -> None:
    confirm(hr, trust, DOCTOR_SHARE, "1.5", dt.date(2026, 4, 1))
    assert value_for(trust, FINES, DOCTOR_SHARE, dt.date(2026, 5, 1)).status == "Confirmed by this trust"
    assert value_for(other_trust, FINES, DOCTOR_SHARE, dt.date(2026, 5, 1)).status == "Not yet confirmed by your trust"


def test_shares_that_no_longer_add_up_refuse_to_compute_a_fine(trust: Trust, hr: User) -> None:
    confirm(hr, trust, DOCTOR_SHARE, "2", dt.date(2026, 4, 1))  # 2 + 2.5 is not 4
    with pytest.raises(ValidationError):
        fine_rates(trust, dt.date(2026, 4, 2))


def test_a_confirmation_is_audited(trust: Trust, hr: User) -> None:
    saved = confirm(hr, trust, DOCTOR_SHARE, "1.5", dt.date(2026, 4, 1))
    event = AuditEvent.objects.get(object_pk=str(saved.pk), model="rulebook.valueconfirmation")
    assert event.action == "create"


def test_a_doctor_may_not_confirm_a_value(trust: Trust, doctor_user: User) -> None:
    with pytest.raises(Forbidden):
        confirm(doctor_user, trust, DOCTOR_SHARE, "1.5", dt.date(2026, 4, 1))
    client = client_for(doctor_user)
    assert client.get(f"/t/{trust.code}/rules/confirm/?item={ITEM}").status_code == 403
    assert client.post(f"/t/{trust.code}/rules/confirm/save/", {"item": ITEM}).status_code == 403
    # they may read the values their records are judged by
    assert client.get(f"/t/{trust.code}/rules/").status_code == 200


def test_another_trusts_values_are_not_found(trust: Trust, other_trust: Trust, hr: User) -> None:
    assert client_for(hr).get(f"/t/{other_trust.code}/rules/").status_code == 404


def answers(**changes: str) -> dict[str, str]:
    return {
        "item": ITEM,
        "decision": "change",
        "value": "1",
        "applies_from": "2026-04-01",
        "document_title": "Terms and conditions of service for resident doctors 2016, version 13",
        "document_date": "2026-02-04",
        "document_detail": "schedule 5, paragraph 10",
        "note": "Agreed with the local negotiating committee.",
    } | changes


def test_the_confirm_flow_checks_the_answers_then_says_what_happens_next(trust: Trust, hr: User) -> None:
    client = client_for(hr)
    form = client.get(f"/t/{trust.code}/rules/confirm/?item={ITEM}").content.decode()
    assert "The national value is <strong>1.5</strong>" in form
    check = client.post(f"/t/{trust.code}/rules/confirm/", answers())
    page = check.content.decode()
    assert check.status_code == 200 and "Check your answers" in page
    assert ValueConfirmation.objects.count() == 0  # nothing saved until confirmed
    assert "dated from 1 April 2026 will be judged by this value" in page
    done = client.post(f"/t/{trust.code}/rules/confirm/save/", answers(), follow=True)
    text = done.content.decode()
    assert "Value changed for your trust" in text
    assert "dated from 1 April 2026 are judged by this value" in text
    saved = ValueConfirmation.objects.get()
    assert (saved.value, saved.national_value, saved.confirmed_by, saved.applies_from) == (
        "1",
        "1.5",
        hr,
        dt.date(2026, 4, 1),
    )


@pytest.mark.parametrize(
    ("changes", "field", "words"),
    [
        ({"value": "one"}, "value", "Enter a number, like 1.5."),
        ({"applies_from": "31/02/2026"}, "applies_from", ""),
        ({"document_title": ""}, "document_title", ""),
        ({"decision": "maybe"}, "decision", ""),
        ({"item": "guardian_fines.yaml:nonsense"}, "item", ""),
        ({"document_date": "2099-01-01"}, "document_date", "must be today or in the past"),
    ],
)
def test_bad_answers_are_form_errors(trust: Trust, hr: User, changes: dict[str, str], field: str, words: str) -> None:
    response = client_for(hr).post(f"/t/{trust.code}/rules/confirm/save/", answers(**changes))
    if field == "item":
        assert response.status_code == 404  # no such value to confirm
    else:
        page = response.content.decode()
        assert response.status_code == 200 and "There is a problem" in page
        assert field in page and words in page
    assert ValueConfirmation.objects.count() == 0


def test_a_bad_date_on_the_page_shows_today(trust: Trust, hr: User) -> None:
    assert client_for(hr).get(f"/t/{trust.code}/rules/?on=not-a-date").status_code == 200


def test_the_page_costs_the_same_queries_however_many_values_are_confirmed(trust: Trust, hr: User) -> None:
    client = client_for(hr)
    confirm(hr, trust, "calculation.v13.penalty_multiplier", "4", dt.date(2026, 4, 1))
    client.get(f"/t/{trust.code}/rules/")
    with CaptureQueriesContext(connection) as few:
        client.get(f"/t/{trust.code}/rules/")
    for key in (DOCTOR_SHARE, "calculation.v13.guardian_multiplier"):
        confirm(hr, trust, key, "2", dt.date(2026, 4, 1))
    with CaptureQueriesContext(connection) as many:
        client.get(f"/t/{trust.code}/rules/")
    assert len(many) == len(few)


def test_values_in_force_says_each_values_status(trust: Trust, hr: User) -> None:
    confirm(hr, trust, DOCTOR_SHARE, "1.5", dt.date(2026, 4, 1))
    statuses = {(v.national.file, v.national.key): v.status for v in values_in_force(trust, dt.date(2026, 12, 1))}
    assert statuses[(FINES, DOCTOR_SHARE)] == "Confirmed by this trust"
    assert statuses[(FINES, "calculation.v13.penalty_multiplier")] == "Not yet confirmed by your trust"
    # verified from the source: the version 13 fine for access to exception reporting (E6, B5)
    assert statuses[(FINES, "categories.access_within_14_days.basis")] == "Verified from the source"
    # the 2016 rules as first published were replaced on 7 August 2019: not in force in December 2026
    assert not any(file == "rota_rules/tcs2016.yaml" for file, _ in statuses)


def test_the_demo_trust_shows_values_confirmed_by_its_medical_workforce_lead_and_values_awaiting(
    demo_trust: None,
) -> None:
    client = client_for(User.objects.get(username="md"))
    page = client.get("/t/DEM001/rules/").content.decode()
    assert "Confirmed by this trust" in page and "Not yet confirmed by your trust" in page
    lead = User.objects.get(username="hr")  # the demo's medical workforce lead confirmed them (the README's table)
    assert f"by {lead.get_full_name()} on" in page
    assert "Verified from the source" in page
    home = client.get("/t/DEM001/").content.decode()
    assert "national values await your trust&#39;s confirmation" in home or "national values await your trust's" in home
    doctor = client_for(User.objects.get(username="doctor")).get("/t/DEM001/").content.decode()
    assert "await your trust" not in doctor  # only those who may confirm are asked


def test_an_fppt_check_the_trust_moved_to_appointment_only_leaves_the_annual_assessment(
    trust: Trust, md_user: User
) -> None:
    day = dt.date(2026, 6, 1)
    annual = {c["code"]: c["awaiting"] for c in checks_for("annual", day, trust)}
    assert annual["qualifications"] is True  # the national default, awaiting the trust
    services.confirm(
        actor=md_user,
        trust=trust,
        file="fppt.yaml",
        key="checks.qualifications.at",
        value=["appointment"],
        applies_from=dt.date(2026, 4, 1),
        document_title="NHS England Fit and Proper Person Test Framework for board members",
        document_date=dt.date(2023, 8, 2),
    )
    assert "qualifications" not in {c["code"] for c in checks_for("annual", day, trust)}
    assert "qualifications" in {c["code"] for c in checks_for("annual", dt.date(2026, 3, 31), trust)}


@pytest.mark.parametrize("item", ["guardian_fines.yaml:nonsense", "", "x" * 400, f"{ITEM} "])
def test_an_address_naming_no_value_in_force_is_a_400(trust: Trust, hr: User, item: str) -> None:
    response = client_for(hr).get(f"/t/{trust.code}/rules/confirm/", {"item": item})
    assert response.status_code == 400
    assert client_for(hr).get(f"/t/{trust.code}/rules/confirm/", {"item": ITEM}).status_code == 200
