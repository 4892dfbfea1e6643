"""The on-call availability supplement as the trust applies it (issue 30, ADR 0018): each category's table of the
consultant contract 2003 (1 in 1 to 4, 1 in 5 to 8, 1 in 9 or less often) is a value the medical workforce lead
confirms or changes row by row, from a date. A job plan is judged by the table in force for its trust on the first
day of its year (1 April); until the trust confirms its category's table, the plan says the supplement is the
national default. Expected percentages are read from the tables by hand."""

from __future__ import annotations

import datetime as dt
from html import unescape

import pytest
from django.http.response import HttpResponseBase

from medlead.accounts.models import Role, User
from medlead.jobplans.models import JobPlan
from medlead.organisation.models import Grade, Trust
from medlead.rulebook.models import ValueConfirmation
from tests.conftest import client_for
from tests.factories import PersonFactory, make_user
from tests.pdf_text import pdf_text

pytestmark = pytest.mark.django_db

ITEM = "job_planning.yaml:on_call_supplement.A"
NOTICE = "This availability supplement is the national default; your trust has not confirmed it yet."


@pytest.fixture
def lead(trust: Trust) -> User:
    """The trust's medical workforce lead (medical staffing), who may confirm values."""
    return make_user((Role.MEDICAL_STAFFING, trust), username="workforce-lead")


@pytest.fixture
def md(trust: Trust) -> User:
    return make_user((Role.MEDICAL_DIRECTOR, trust), username="medical-director")


def answers(**changes: str) -> dict[str, str]:
    """The trust's own category A table, from 1 April 2026: 1 in 1 to 3: 10%; 1 in 4 to 6: 6%; less often: 2%."""
    rows = {"row1_upto": "3", "row1_percent": "10", "row2_upto": "6", "row2_percent": "6", "row3_percent": "2"}
    return {
        "item": ITEM,
        "decision": "change",
        **rows,
        "applies_from": "2026-04-01",
        "document_title": "Local agreement on on-call availability supplements",
        "document_date": "2026-02-04",
        "document_detail": "paragraph 3",
        "note": "",
    } | changes


def text(response: HttpResponseBase) -> str:
    return " ".join(unescape(response.content.decode()).split())


def plan(trust: Trust, year: int, category: str, every_n: int) -> JobPlan:
    person = PersonFactory(trust=trust, grade=Grade.CONSULTANT)
    return JobPlan.objects.create(
        trust=trust, person=person, year=year, on_call_category=category, on_call_every_n=every_n
    )


def supplement(user: User, p: JobPlan) -> str:
    shown = text(client_for(user).get(f"/t/{p.trust.code}/job-plans/{p.pk}/"))
    return shown.split("Availability supplement: ", 1)[1].split(" of basic salary", 1)[0]


def test_the_form_shows_the_national_rows_and_the_check_page_the_trusts(trust: Trust, lead: User) -> None:
    client = client_for(lead)
    form = text(client.get(f"/t/{trust.code}/rules/confirm/?item={ITEM}"))
    assert "1 in 1 to 4: 8%; 1 in 5 to 8: 5%; 1 in 9 or less often: 3%" in form
    assert "The largest N in row 1 (on call 1 in N)" in form and "The percentage of basic salary in row 6" in form
    check = text(client.post(f"/t/{trust.code}/rules/confirm/", answers()))
    assert "Check your answers" in check
    assert "1 in 1 to 3: 10%; 1 in 4 to 6: 6%; 1 in 7 or less often: 2%" in check
    assert ValueConfirmation.objects.count() == 0  # nothing saved until confirmed


def test_a_trusts_table_judges_plans_from_its_date_and_the_national_one_before(
    trust: Trust, other_trust: Trust, lead: User, md: User
) -> None:
    done = client_for(lead).post(f"/t/{trust.code}/rules/confirm/save/", answers(), follow=True)
    assert "Value changed for your trust" in text(done)
    saved = ValueConfirmation.objects.get()
    assert saved.value == [[3, 10.0], [6, 6.0], [999, 2.0]] and saved.applies_from == dt.date(2026, 4, 1)

    # 2026-27 (from 1 April 2026, the confirmation's day): the trust's rows. 1 in 4 is in "1 in 4 to 6": 6%, where
    # the national table gives 8% ("1 in 1 to 4"); 1 in 3 is 10%; 1 in 7 is "or less often": 2% (national 5%)
    assert supplement(md, plan(trust, 2026, "A", 4)) == "6%"
    assert supplement(md, plan(trust, 2026, "A", 3)) == "10%"
    assert supplement(md, plan(trust, 2026, "A", 7)) == "2%"
    # 2025-26 (from 1 April 2025, before the confirmation): the national table
    assert supplement(md, plan(trust, 2025, "A", 4)) == "8%"
    assert supplement(md, plan(trust, 2025, "A", 7)) == "5%"
    # category B is the national table still (1 in 4: 3%), and another trust's category A too (8%)
    assert supplement(md, plan(trust, 2026, "B", 4)) == "3%"
    other_md = make_user((Role.MEDICAL_DIRECTOR, other_trust), username="other-md")
    assert supplement(other_md, plan(other_trust, 2026, "A", 4)) == "8%"


def test_a_plan_says_its_supplement_is_the_national_default_until_its_category_is_confirmed(
    trust: Trust, lead: User, md: User
) -> None:
    client_for(lead).post(f"/t/{trust.code}/rules/confirm/save/", answers(), follow=True)
    confirmed, awaiting, before = plan(trust, 2026, "A", 4), plan(trust, 2026, "B", 4), plan(trust, 2025, "A", 4)
    page = text(client_for(md).get(f"/t/{trust.code}/job-plans/{confirmed.pk}/"))
    assert "Availability supplement: 6%" in page and NOTICE not in page
    for p in (awaiting, before):
        assert NOTICE in text(client_for(md).get(f"/t/{trust.code}/job-plans/{p.pk}/"))
        assert NOTICE in " ".join(
            pdf_text(client_for(md).get(f"/t/{trust.code}/job-plans/{p.pk}/pdf/").content).split()
        )
    assert NOTICE not in " ".join(
        pdf_text(client_for(md).get(f"/t/{trust.code}/job-plans/{confirmed.pk}/pdf/").content).split()
    )
    no_on_call = JobPlan.objects.create(
        trust=trust, person=PersonFactory(trust=trust, grade=Grade.CONSULTANT), year=2026
    )
    assert NOTICE not in text(client_for(md).get(f"/t/{trust.code}/job-plans/{no_on_call.pk}/"))


def test_confirming_the_national_table_leaves_the_arithmetic_and_ends_the_sentence(
    trust: Trust, lead: User, md: User
) -> None:
    same = answers(decision="same")
    client_for(lead).post(f"/t/{trust.code}/rules/confirm/save/", same, follow=True)
    assert ValueConfirmation.objects.get().value == [[4, 8.0], [8, 5.0], [999, 3.0]]
    p = plan(trust, 2026, "A", 5)
    page = text(client_for(md).get(f"/t/{trust.code}/job-plans/{p.pk}/"))
    assert "Availability supplement: 5%" in page and NOTICE not in page


@pytest.mark.parametrize(
    ("changes", "words"),
    [
        ({"row2_upto": "2"}, "Give the rows with the frequencies rising"),
        ({"row2_upto": "3"}, "Give the rows with the frequencies rising"),
        ({"row1_percent": "101"}, "The percentage of basic salary in row 1 must be at most 100."),
        ({"row1_percent": "-1"}, "The percentage of basic salary in row 1 must be at least 0."),
        ({"row1_percent": "lots"}, "Enter the percentage of basic salary in row 1 as a number."),
        ({"row1_upto": "0"}, "The largest N in row 1 (on call 1 in N) must be at least 1."),
        ({"row2_upto": "", "row3_upto": "9"}, "Enter the largest N in row 2: only the last row's may be empty."),
        ({"row2_percent": ""}, "Enter the percentage of basic salary in row 2."),
        (
            {"row1_upto": "", "row1_percent": "", "row2_upto": "", "row2_percent": "", "row3_percent": ""},
            "Give at least one row.",
        ),
    ],
)
def test_bad_rows_are_form_errors(trust: Trust, lead: User, changes: dict[str, str], words: str) -> None:
    response = client_for(lead).post(f"/t/{trust.code}/rules/confirm/save/", answers(**changes))
    page = text(response)
    assert response.status_code == 200 and "There is a problem" in page and words in page
    assert ValueConfirmation.objects.count() == 0
