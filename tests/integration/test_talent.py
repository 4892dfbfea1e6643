"""Talent spotting and succession: who sees what, risk flags, the pipeline's suppressed diversity."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from medlead.accounts.models import Role
from medlead.core import dates
from medlead.core.audit import WITHHELD, AuditAction, AuditEvent
from medlead.organisation.models import EqualityMonitoring, EthnicGroup, Grade, Sex, Trust
from medlead.structure.models import PostType
from medlead.talent import selectors, services
from medlead.talent.models import Nomination, Successor
from tests.conftest import client_for
from tests.factories import HoldingFactory, PersonFactory, PostFactory, make_user

pytestmark = pytest.mark.django_db
TODAY = dates.today()


@pytest.fixture
def people(trust: Trust) -> dict[str, Any]:
    md_p, amd_p, reviewer_p, subject = (PersonFactory(trust=trust) for _ in range(4))
    return {
        "md": make_user((Role.MEDICAL_DIRECTOR, trust), (Role.DOCTOR, trust), username="md1", person=md_p),
        "amd": make_user((Role.ASSOCIATE_MEDICAL_DIRECTOR, trust), username="amd1", person=amd_p),
        "reviewer": make_user((Role.CLINICAL_DIRECTOR, trust), username="cd1", person=reviewer_p),
        "subject": subject,
        "subject_user": make_user((Role.DOCTOR, trust), username="sub", person=subject),
    }


def test_talent_review_notes_are_for_the_reviewers_and_the_medical_director_only(
    trust: Trust, people: dict[str, Any]
) -> None:
    amd = people["amd"]
    review = services.review_record(
        actor=amd,
        trust=trust,
        person=people["subject"],
        reviewed_on=TODAY,
        reviewers=[people["reviewer"].person],
        readiness={PostType.objects.get(code="clinical_director"): "1-2"},
        notes="Handles conflict well; not yet ready for budgets.",
        today=TODAY,
    )
    url = f"/t/{trust.code}/talent/reviews/{review.pk}/"
    assert "not yet ready for budgets" in client_for(people["reviewer"]).get(url).content.decode()
    assert client_for(people["md"]).get(url).status_code == 200
    assert client_for(amd).get(url).status_code == 404  # recorded it, but is not a reviewer
    assert client_for(people["subject_user"]).get(url).status_code == 404
    reads = AuditEvent.objects.filter(action=AuditAction.READ, model="talent.talentreview")
    assert set(reads.values_list("actor_username", flat=True)) == {"cd1", "md1"}
    created = AuditEvent.objects.get(action=AuditAction.CREATE, model="talent.talentreview")
    assert created.changes["notes"] == [None, WITHHELD]
    listing = client_for(amd).get(f"/t/{trust.code}/talent/reviews/").content.decode()
    assert people["subject"].last_name not in listing


def test_review_input_is_checked_and_nothing_is_saved(trust: Trust, people: dict[str, Any]) -> None:
    with pytest.raises(ValidationError) as exc:
        services.review_record(
            actor=people["amd"],
            trust=trust,
            person=people["subject"],
            reviewed_on=TODAY + dt.timedelta(days=1),
            reviewers=[people["subject"]],
            readiness={},
            notes="",
            today=TODAY,
        )
    assert set(exc.value.messages) == {
        "The review date cannot be in the future.",
        "A person cannot review themselves.",
        "Record readiness for at least one role.",
    }
    with pytest.raises(PermissionDenied):
        services.review_record(
            actor=people["reviewer"],
            trust=trust,
            person=people["subject"],
            reviewed_on=TODAY,
            reviewers=[people["md"].person],
            readiness={},
            notes="",
            today=TODAY,
        )


def test_nominations_are_from_senior_leaders_and_not_duplicated(trust: Trust, people: dict[str, Any]) -> None:
    role = PostType.objects.get(code="clinical_director")
    url = f"/t/{trust.code}/talent/nominate/"
    assert client_for(people["subject_user"]).get(url).status_code == 403
    r = client_for(people["reviewer"]).post(
        url, {"nominee": people["subject"].pk, "role": role.pk, "reason": "Fixed the rota."}
    )
    assert r.status_code == 302
    with pytest.raises(ValidationError, match="already has an open nomination"):
        services.nominate(actor=people["md"], trust=trust, nominee=people["subject"], role=role, reason="Again")
    assert Nomination.objects.count() == 1


def test_succession_plan_flags_posts_without_successors_highest_risk_first(
    trust: Trust, people: dict[str, Any]
) -> None:
    md_post = PostFactory(
        trust=trust, post_type=PostType.objects.get(code="medical_director"), title="Medical director"
    )
    cd_post = PostFactory(trust=trust, post_type=PostType.objects.get(code="clinical_director"), title="CD surgery")
    PostFactory(trust=trust, post_type=PostType.objects.get(code="clinical_lead"), title="Lead")
    HoldingFactory(post=md_post, person=people["md"].person)
    HoldingFactory(post=cd_post, person=people["reviewer"].person)
    services.successor_add(actor=people["md"], post=cd_post, person=people["subject"], readiness="now")
    with pytest.raises(ValidationError, match="holds this post"):
        services.successor_add(actor=people["md"], post=md_post, person=people["md"].person, readiness="now")
    rows = selectors.succession_plan(trust=trust, today=TODAY)
    assert [r["post"].title for r in rows] == ["Medical director", "Lead", "CD surgery"]
    assert [r["risk"].at_risk for r in rows] == [True, True, False]
    page = client_for(people["md"]).get(f"/t/{trust.code}/talent/succession/").content.decode()
    assert "2 of 3 posts are at risk" in page
    assert client_for(people["reviewer"]).get(f"/t/{trust.code}/talent/succession/").status_code == 403
    s = Successor.objects.get()
    client_for(people["md"]).post(
        f"/t/{trust.code}/talent/succession/{cd_post.pk}/successors/remove/", {"successor": s.pk}
    )
    assert not Successor.objects.exists()


def test_pipeline_diversity_is_aggregate_with_small_numbers_suppressed(trust: Trust, people: dict[str, Any]) -> None:
    post = PostFactory(trust=trust)
    docs = [PersonFactory(trust=trust, grade=Grade.CONSULTANT) for _ in range(14)]
    for n, p in enumerate(docs):
        EqualityMonitoring.objects.create(
            trust=trust, person=p, sex=Sex.FEMALE if n < 11 else Sex.MALE, ethnic_group=EthnicGroup.WHITE
        )
        if n < 8 or n == 12:
            Successor.objects.create(trust=trust, post=post, person=p, readiness="3+")
    data = selectors.pipeline(trust)
    assert data["total"] == 9
    sex = {r["label"]: r for r in data["sex"]}
    assert sex["Female"]["pipeline"] is None and sex["Male"]["pipeline"] is None  # 8 and 1: complementary
    assert sex["Female"]["doctors"] == 11
    page = client_for(people["md"]).get(f"/t/{trust.code}/talent/pipeline/").content.decode()
    assert "Counts under 5 are not shown" in page
    assert client_for(people["subject_user"]).get(f"/t/{trust.code}/talent/pipeline/").status_code == 403


def test_the_api_gives_the_succession_plan_to_talent_managers_only(trust: Trust, people: dict[str, Any]) -> None:
    PostFactory(trust=trust, post_type=PostType.objects.get(code="clinical_director"), title="CD medicine")
    url = f"/api/trusts/{trust.code}/succession/"
    assert client_for(people["subject_user"]).get(url).status_code == 403
    rows = client_for(people["md"]).get(url).json()
    assert rows[0]["post"] == "CD medicine" and rows[0]["at_risk"] is True
    assert rows[0]["reasons"][0] == "No successor is named."
    catalogue = client_for(people["subject_user"]).get("/api/opportunities/").json()
    mba = next(o for o in catalogue if o["code"] == "mba")
    assert "management-fundamentals/mf-balance" in mba["builds"] and mba["source_reference"]
