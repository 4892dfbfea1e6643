"""Bad input to the succession and talent actions (a non-numeric id, an id from another post, a readiness that is
not one) is a form error, never a server error, and changes nothing; a valid post still works."""

from __future__ import annotations

from typing import Any

import pytest

from medlead.accounts.models import Role
from medlead.organisation.models import Trust
from medlead.structure.models import PostType
from medlead.talent import services
from medlead.talent.models import Nomination, Successor, TalentReview
from tests.conftest import client_for
from tests.factories import PersonFactory, PostFactory, make_user

pytestmark = pytest.mark.django_db
NOT_IDS = ["abc", "1e999999", "-1", "99999999999999999999", "NaN", ""]


def test_succession_actions_refuse_bad_ids_and_change_nothing(trust: Trust) -> None:
    md = make_user((Role.MEDICAL_DIRECTOR, trust), (Role.DOCTOR, trust), person=PersonFactory(trust=trust))
    cd = PostType.objects.get(code="clinical_director")
    post, other_post = PostFactory(trust=trust, post_type=cd), PostFactory(trust=trust, post_type=cd)
    candidate, other = PersonFactory(trust=trust), PersonFactory(trust=trust)
    mine = services.successor_add(actor=md, post=post, person=candidate, readiness="now")
    theirs = services.successor_add(actor=md, post=other_post, person=other, readiness="now")
    client = client_for(md)
    base = f"/t/{trust.code}/talent/succession/{post.pk}/successors/"
    cases = {
        "readiness/": [{"successor": v, "readiness": "1-2"} for v in [*NOT_IDS, str(theirs.pk)]]
        + [{"successor": mine.pk, "readiness": v} for v in NOT_IDS],
        "remove/": [{"successor": v} for v in [*NOT_IDS, str(theirs.pk)]],
        "add/": [{"person": v, "readiness": "now"} for v in NOT_IDS] + [{"person": other.pk, "readiness": "abc"}],
    }
    for action, posts in cases.items():
        for data in posts:
            response = client.post(base + action, data)
            assert response.status_code == 200, (action, data, response.status_code)
            assert "There is a problem" in response.content.decode()
    assert sorted(Successor.objects.values_list("pk", "readiness")) == sorted([(mine.pk, "now"), (theirs.pk, "now")])
    # the page for a refused addition keeps the readiness chosen
    page = client.post(base + "add/", {"person": "abc", "readiness": "3+"}).content.decode()
    assert '<option value="3+" selected' in page
    assert client.post(base + "readiness/", {"successor": mine.pk, "readiness": "1-2"}).status_code == 302
    assert Successor.objects.get(pk=mine.pk).readiness == "1-2"
    assert client.post(base + "add/", {"person": other.pk, "readiness": "now"}).status_code == 302
    assert client.post(base + "remove/", {"successor": mine.pk}).status_code == 302
    assert set(Successor.objects.filter(post=post).values_list("person", flat=True)) == {other.pk}
    # the page itself is read only
    assert client.post(f"/t/{trust.code}/talent/succession/{post.pk}/", {"remove": mine.pk}).status_code == 405


def test_nominations_and_reviews_refuse_bad_ids(trust: Trust) -> None:
    md = make_user((Role.MEDICAL_DIRECTOR, trust), (Role.DOCTOR, trust), person=PersonFactory(trust=trust))
    client = client_for(md)
    for value in NOT_IDS:
        nomination = {"nominee": value, "role": value, "reason": "Fixed the rota."}
        assert client.post(f"/t/{trust.code}/talent/nominate/", nomination).status_code == 200
        data: dict[str, Any] = {
            "person": value,
            "reviewed_on": value,
            "reviewers": [value],
            "role": value,
            "readiness": value,
        }
        assert client.post(f"/t/{trust.code}/talent/reviews/new/", data | {"notes": "n"}).status_code == 200
    assert not Nomination.objects.exists() and not TalentReview.objects.exists()


def test_a_post_that_is_not_a_management_post_has_no_succession_page(trust: Trust) -> None:
    # issue 29: GET /talent/succession/<a post that is not a management post>/ answered 500
    md = make_user((Role.MEDICAL_DIRECTOR, trust), person=PersonFactory(trust=trust))
    not_management = PostType.objects.filter(management=False).first() or PostType.objects.create(
        code="not_management", name="Not a management post", level=9, management=False
    )
    post = PostFactory(trust=trust, post_type=not_management)
    response = client_for(md).get(f"/t/{trust.code}/talent/succession/{post.pk}/")
    assert response.status_code == 404
