"""A trust's own validated questionnaire (issue 33, Task A1): the responsible officer or medical staffing loads it
(checked, then confirmed) as a new version; from the day it applies the trust's doctors may choose it, and no other
trust's doctors ever see it."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.core.cache import cache

from medlead.accounts.models import Role, User
from medlead.core import dates
from medlead.feedback.models import AnswerType, Questionnaire
from medlead.feedback.questionnaires import in_force, load_national
from medlead.organisation.models import Trust
from tests.conftest import client_for
from tests.factories import make_user

pytestmark = pytest.mark.django_db
TODAY = dates.today()


@pytest.fixture(autouse=True)
def _questionnaires() -> None:
    load_national()
    cache.clear()


@pytest.fixture
def ro(trust: Trust) -> User:
    return make_user((Role.RESPONSIBLE_OFFICER, trust), username="fbq-ro")


def base(trust: Trust) -> str:
    return f"/t/{trust.code}/revalidation-feedback/questionnaires/"


def good(**changes: str) -> dict[str, str]:
    data = {
        "kind": "colleague",
        "name": "Northbridge colleague survey",
        "source": "Validated by the Northbridge psychometrics unit, 2025",
        "applies_from": TODAY.isoformat(),
        "recommended_responses": "12",
        "scale": "Poor\nFair\nGood\nVery good\nExcellent",
        "not_applicable": "Cannot say",
        "questions": "Clinical knowledge\n\nCommunication with colleagues\nHonesty and integrity\n",
        "introduction": "",
    }
    data.update(changes)
    return data


def test_the_ro_loads_the_trusts_questionnaire_which_its_doctors_may_then_choose(
    ro: User, trust: Trust, other_trust: Trust
) -> None:
    c = client_for(ro)
    assert c.get(base(trust)).status_code == 200
    assert c.get(base(trust) + "new/").status_code == 200
    check = c.post(base(trust) + "new/", good())
    assert check.status_code == 200 and "Check your answers" in check.content.decode()
    assert not Questionnaire.objects.filter(trust=trust).exists()  # nothing saved before confirming
    done = c.post(base(trust) + "new/confirm/", good())
    assert done.status_code == 200 and "The questionnaire is loaded" in done.content.decode()
    q = Questionnaire.objects.get(trust=trust)
    assert (q.kind, q.version, q.recommended_responses, q.scale, q.not_applicable) == (
        "colleague",
        1,
        12,
        ["Poor", "Fair", "Good", "Very good", "Excellent"],
        "Cannot say",
    )
    # three questions on the scale, blank lines ignored, then the comment question
    assert [(x.text, x.answer_type) for x in q.questions.all()] == [
        ("Clinical knowledge", AnswerType.SCALE),
        ("Communication with colleagues", AnswerType.SCALE),
        ("Honesty and integrity", AnswerType.SCALE),
        ("Anything else you would like to say (optional)", AnswerType.TEXT),
    ]
    assert q in in_force(trust, "colleague", TODAY)
    assert in_force(trust, "colleague", TODAY).first() == q  # the trust's own is offered first
    assert q not in in_force(other_trust, "colleague", TODAY)
    assert "Northbridge colleague survey" in c.get(base(trust)).content.decode()


def test_the_same_name_again_is_a_new_version_and_a_future_one_waits_for_its_day(ro: User, trust: Trust) -> None:
    c = client_for(ro)
    c.post(base(trust) + "new/confirm/", good())
    later = TODAY + dt.timedelta(days=30)
    c.post(base(trust) + "new/confirm/", good(applies_from=later.isoformat(), questions="Only one question"))
    versions = list(
        Questionnaire.objects.filter(trust=trust).order_by("version").values_list("version", "applies_from")
    )
    assert versions == [(1, TODAY), (2, later)]
    assert [q.version for q in in_force(trust, "colleague", TODAY) if q.trust_id] == [1]
    assert [q.version for q in in_force(trust, "colleague", later) if q.trust_id] == [2, 1]


@pytest.mark.parametrize(
    ("changes", "says"),
    [
        ({"scale": "Only one"}, "Give from 2 to 10 answers on the scale"),
        ({"scale": "Good\ngood"}, "Each answer on the scale must be different"),
        ({"questions": "\n".join(f"Question {n}" for n in range(61))}, "Give from 1 to 60 questions"),
        ({"questions": "\n \n"}, "Give the questions"),
        ({"kind": "nurse"}, "Choose who answers it"),
        ({"applies_from": "31/02/2026"}, ""),
        ({"recommended_responses": "1e999999"}, ""),
        ({"name": "!!!"}, "Give the questionnaire a name with letters or numbers in it"),
        ({"name": "x" * 100_000, "questions": "a\x00b"}, ""),
    ],
)
def test_bad_input_is_a_form_error(ro: User, trust: Trust, changes: dict[str, str], says: str) -> None:
    c = client_for(ro)
    for path in ("new/", "new/confirm/"):
        r = c.post(base(trust) + path, good(**changes))
        if r.status_code == 400:  # refused before any form (a NUL byte): no page to check
            continue
        assert r.status_code == 200, path
        assert "Check your answers" not in r.content.decode() and says in r.content.decode()
    assert not Questionnaire.objects.filter(trust=trust).exists()


def test_a_name_of_the_other_kind_is_refused(ro: User, trust: Trust) -> None:
    c = client_for(ro)
    c.post(base(trust) + "new/confirm/", good())
    r = c.post(base(trust) + "new/confirm/", good(kind="patient"))
    assert "A questionnaire of the other kind has this name" in r.content.decode()
    assert Questionnaire.objects.filter(trust=trust).count() == 1


def test_a_doctor_may_not_load_one(trust: Trust) -> None:
    doctor = make_user((Role.DOCTOR, trust), username="fbq-doctor")
    c = client_for(doctor)
    assert c.get(base(trust)).status_code == 403
    assert c.post(base(trust) + "new/confirm/", good()).status_code == 403
    assert not Questionnaire.objects.filter(trust=trust).exists()


@pytest.mark.parametrize(
    ("hops", "forwarded", "expected"),
    [
        (0, "203.0.113.9", "10.0.0.2"),  # no proxies named: the connection's address, whatever the header says
        (1, "198.51.100.7, 203.0.113.9", "203.0.113.9"),  # one proxy: the address it saw; the first one is forged
        (2, "198.51.100.7, 203.0.113.9, 10.0.0.5", "203.0.113.9"),
        (1, "", "10.0.0.2"),  # a request that did not come through the proxy
    ],
)
def test_code_attempts_count_by_the_address_the_trusted_proxy_saw(
    settings: Any, hops: int, forwarded: str, expected: str
) -> None:
    from django.test import RequestFactory

    from medlead.feedback.ratelimit import client_address

    settings.MEDLEAD_PROXY_COUNT = hops
    request = RequestFactory().get("/patient-feedback/", REMOTE_ADDR="10.0.0.2", HTTP_X_FORWARDED_FOR=forwarded)
    assert client_address(request) == expected
