"""Issue 33, the report's side: rows of the hand-written matrix (tests/integration/test_policy_matrix.py) for the
feedback exercise's permissions, on its world. Written by hand: the doctor ("subject"), the facilitator
("colleague", never the doctor), the appraiser of the appraisal the reflection went into ("appraiser"), an unrelated
doctor ("trainee"), the responsible officer and medical staffing, and another trust's medical director."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.utils import timezone

from medlead.core.policy import Perm, can
from medlead.revalidation.models import SupportingInfo
from tests.conftest import client_for
from tests.factories import feedback_exercise
from tests.integration.test_policy_matrix import IDENTITIES, world  # noqa: F401  (the shared world fixture)

pytestmark = pytest.mark.django_db

EXPECTED: list[tuple[Perm, str, set[str]]] = [
    (Perm.START_FEEDBACK_EXERCISE, "trust", {"subject", "colleague", "appraiser", "trainee", "cd_in", "cd_out", "md"}),
    (Perm.VIEW_FEEDBACK_EXERCISE, "fb_open", {"subject", "colleague"}),
    (Perm.MANAGE_FEEDBACK_EXERCISE, "fb_open", {"colleague"}),
    (Perm.RELEASE_FEEDBACK_REPORT, "fb_open", set()),
    (Perm.RELEASE_FEEDBACK_REPORT, "fb_closed", {"colleague"}),
    (Perm.VIEW_FEEDBACK_REPORT, "fb_open", set()),
    (Perm.VIEW_FEEDBACK_REPORT, "fb_closed", {"colleague"}),
    (Perm.VIEW_FEEDBACK_REPORT, "fb_released", {"subject", "colleague"}),
    # once reflected into the appraisal, its appraiser reads the report too
    (Perm.VIEW_FEEDBACK_REPORT, "fb_reflected", {"subject", "colleague", "appraiser"}),
    (Perm.REFLECT_ON_FEEDBACK, "fb_closed", set()),
    (Perm.REFLECT_ON_FEEDBACK, "fb_released", {"subject"}),
    (Perm.VIEW_FEEDBACK_STATUS, "trust", {"ro", "hr"}),
    (Perm.MANAGE_FEEDBACK_ADMINISTRATORS, "trust", {"ro", "hr"}),
]


@pytest.fixture
def feedback(world: dict[str, Any]) -> dict[str, Any]:  # noqa: F811
    records = world["records"]
    subject = records["subject"]
    facilitator = world["users"]["colleague"].person
    appraisal = records["appraisal"]
    made = {
        "fb_open": feedback_exercise(subject, facilitator),
        "fb_closed": feedback_exercise(subject, facilitator, status="closed", closed_at=timezone.now()),
        "fb_released": feedback_exercise(subject, facilitator, status="released", released_at=timezone.now()),
    }
    si = SupportingInfo.objects.create(
        trust=subject.trust, appraisal=appraisal, kind="colleague_feedback", title="Feedback", date=dt.date(2026, 9, 1)
    )
    made["fb_reflected"] = feedback_exercise(
        subject, facilitator, status="released", released_at=timezone.now(), supporting_info=si, reflection="x"
    )
    records.update(made)
    return world


@pytest.mark.parametrize(("perm", "record", "allowed"), EXPECTED, ids=[f"{p.value}@{r}" for p, r, _ in EXPECTED])
def test_the_hand_written_rows(feedback: dict[str, Any], perm: Perm, record: str, allowed: set[str]) -> None:
    obj = feedback["records"][record]
    got = {name for name in IDENTITIES if can(feedback["users"][name], perm, obj)}
    assert got == allowed, f"unexpected: {sorted(got - allowed)}; missing: {sorted(allowed - got)}"


# Pages: 200 for those named, 404 (the record's existence is confidential) for everyone else in the trust who may
# not read it, except the doctor on the facilitator's page (they know their exercise: 403), 302 when signed out.
PAGES = {
    "the released report": ("fb_reflected", "report/", {"subject", "colleague", "appraiser"}, set()),
    "the facilitator's page": ("fb_closed", "facilitate/", {"colleague"}, {"subject"}),
    "the release check": ("fb_closed", "release/check/", {"colleague"}, {"subject"}),
}


@pytest.mark.parametrize("page", sorted(PAGES))
def test_pages_answer_as_the_rows_say(feedback: dict[str, Any], page: str) -> None:
    record, tail, allowed, forbidden = PAGES[page]
    records = feedback["records"]
    url = f"/t/{records['trust'].code}/revalidation-feedback/{records[record].pk}/{tail}"
    for name in IDENTITIES:
        user = feedback["users"][name]
        if user is None:
            from django.test import Client

            assert Client().get(url).status_code == 302, (name, url)
            continue
        status = client_for(user).get(url).status_code
        if name in allowed:
            assert status == 200, (name, url, status)
        elif name in forbidden:
            assert status == 403, (name, url, status)
        else:
            assert status == 404, (name, url, status)


def test_the_ro_pages_are_the_ro_and_medical_staffings(feedback: dict[str, Any]) -> None:
    code = feedback["records"]["trust"].code
    for tail in ("doctors/", "administrators/"):
        for name in IDENTITIES:
            user = feedback["users"][name]
            if user is None:
                continue
            status = client_for(user).get(f"/t/{code}/revalidation-feedback/{tail}").status_code
            expected = 200 if name in {"ro", "hr"} else (404 if name == "other_md" else 403)
            assert status in ((403, 404) if name == "other_md" else (expected,)), (name, tail, status)
