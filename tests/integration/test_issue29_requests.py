"""Every request issue 29 lists as answering 500 ("Still 500" and "More 500s found by reading") is replayed against
the demo trust: each answers a 400 or the page again with an error summary, and nothing changes.

Where the issue's address has since been split into one view per action (a case's actions, a plan's actions, the
succession plan's changes, stopping a share), the request is replayed twice: as the issue wrote it (it must not
be a server error and must change nothing: a page that is only read answers 405) and to the action's own address
with the same values.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import pytest
from django.test import Client

from medlead.accounts.models import User
from medlead.concerns.models import Case, CaseRole, Measure
from medlead.core.audit import AuditEvent
from medlead.development.models import Action, DevelopmentPlan, ReadinessShare
from medlead.leadership import tokens
from medlead.leadership.models import Rater
from medlead.organisation.models import Person
from medlead.structure.models import Post, PostType
from tests.conftest import client_for

pytestmark = pytest.mark.django_db

T = "/t/DEM001"
HOSTILE = ["abc", "0000-00-00", "' OR 1=1 --", "x" * 100_000, "²", "-1", "99999999999999999999", "NaN"]


@dataclass
class Replay:
    who: str  # the demo account, or "" for a visitor with a rater's link
    method: str
    url: Callable[[], str]
    data: Callable[[], dict[str, Any]]
    literal: bool = False  # the issue's own address, now read only: anything but a 5xx, nothing changed


def _case_managed_by_md(with_measure: bool = False) -> Case:
    md = User.objects.get(username="md")
    cases = Case.objects.filter(
        trust__code="DEM001", status="open", roles__person_id=md.person_id, roles__role="case_manager"
    ).order_by("pk")
    if with_measure:
        cases = cases.filter(pk__in=Measure.objects.values("case_id"))
    case = cases.first()
    assert case is not None, "the demo has an open case managed by the medical director"
    return case


def _own_plan() -> DevelopmentPlan:
    plan = DevelopmentPlan.objects.filter(person__user__username="cd").order_by("pk").first()
    assert plan is not None, "the demo clinical director has a development plan of their own"
    return plan


def _succession_post() -> Post:
    post = Post.objects.filter(trust__code="DEM001", post_type__management=True).order_by("pk").first()
    assert post is not None
    return post


def _not_a_management_post() -> Post:
    post = Post.objects.filter(trust__code="DEM001", post_type__management=False).first()
    if post is None:
        kind = PostType.objects.filter(management=False).first() or PostType.objects.create(
            code="not_management", name="Not a management post", level=9, management=False
        )
        post = Post.objects.create(trust=_succession_post().trust, post_type=kind, title="Not a management post")
    return post


def _rater() -> Rater:
    """A rater of the demo's open 360 whose link is open: the demo's nominations wait for approval, so the test
    approves one, as its facilitator would."""
    rater = (
        Rater.objects.filter(cycle__trust__code="DEM001", cycle__status="open", submitted_at__isnull=True)
        .exclude(group="self")
        .order_by("pk")
        .first()
    )
    assert rater is not None, "the demo has a nominated rater of an open 360"
    if rater.approval != "approved":
        Rater.objects.filter(pk=rater.pk).update(approval="approved")
    return rater


def _rater_link() -> str:
    rater = _rater()
    return f"/feedback/{tokens.make(rater.pk, rater.nonce)}/"


def _rater_item() -> str:
    return str(_rater().cycle.framework.items.order_by("pk").first().pk)  # type: ignore[union-attr]


def _a_case_role(case: Case) -> CaseRole:
    role = case.roles.exclude(role="case_manager").first()
    assert role is not None
    return role


def _case(path: str, with_measure: bool = False) -> Callable[[], str]:
    return lambda: f"{T}/concerns/{_case_managed_by_md(with_measure).pk}/{path}"


def _review() -> Callable[[], str]:
    def url() -> str:
        md = User.objects.get(username="md")
        measure = (
            Measure.objects.filter(
                reviewed_on__isnull=True,
                case__trust__code="DEM001",
                case__status="open",
                case__roles__person_id=md.person_id,
                case__roles__role="case_manager",
            )
            .order_by("pk")
            .first()
        )
        assert measure is not None, "the demo has an exclusion or restriction for the medical director to review"
        return f"{T}/concerns/{measure.case_id}/measures/{measure.pk}/review/"

    return url


def _plan(path: str) -> Callable[[], str]:
    return lambda: f"{T}/development/plans/{_own_plan().pk}/{path}"


def _post(path: str) -> Callable[[], str]:
    return lambda: f"{T}/talent/succession/{_succession_post().pk}/{path}"


REPLAYS: dict[str, Replay] = {}
for n, value in enumerate(HOSTILE):
    # md POST /concerns/2/ action=health&role=<value>: now the case's "health-access" action
    REPLAYS[f"case health role={n}"] = Replay(
        "md", "post", _case("health-access/"), lambda v=value: {"role": v, "allowed": "yes"}
    )
    REPLAYS[f"case health role={n} (as the issue wrote it)"] = Replay(
        "md", "post", _case(""), lambda v=value: {"action": "health", "role": v, "allowed": "yes"}, literal=True
    )
REPLAYS |= {
    # a measure is now reviewed at its own address (issue 31): the outcome is what the form checks
    "case review outcome=continue": Replay("md", "post", _review(), lambda: {"outcome": "continue"}),
    "case review measure=abc (as the issue wrote it)": Replay(
        "md", "post", _case("", True), lambda: {"action": "review", "measure": "abc"}, literal=True
    ),
    "plan action goal=abc": Replay(
        "cd", "post", _plan("actions/add/"), lambda: {"goal": "abc", "text": "Shadow the medical director"}
    ),
    "plan action goal=abc (as the issue wrote it)": Replay(
        "cd", "post", _plan(""), lambda: {"do": "action", "goal": "abc"}, literal=True
    ),
    "plan status action=abc": Replay(
        "cd", "post", _plan("actions/status/"), lambda: {"action": "abc", "status": "done"}
    ),
    "plan status action=abc (as the issue wrote it)": Replay(
        "cd", "post", _plan(""), lambda: {"do": "status", "action": "abc"}, literal=True
    ),
    "readiness revoke=abc": Replay(
        "doctor",
        "post",
        lambda: f"{T}/development/readiness/stop-sharing/",
        lambda: {"share": "abc", "role": "medical_director"},
    ),
    "readiness revoke=abc (as the issue wrote it)": Replay(
        "doctor",
        "post",
        lambda: f"{T}/development/readiness/?role=medical_director",
        lambda: {"revoke": "abc"},
        literal=True,
    ),
    "succession remove=abc": Replay("md", "post", _post("successors/remove/"), lambda: {"successor": "abc"}),
    "succession remove=abc (as the issue wrote it)": Replay(
        "md", "post", _post(""), lambda: {"remove": "abc"}, literal=True
    ),
    "succession change=abc": Replay(
        "md", "post", _post("successors/readiness/"), lambda: {"successor": "abc", "readiness": "now"}
    ),
    "succession change=abc (as the issue wrote it)": Replay(
        "md", "post", _post(""), lambda: {"change": "abc", "readiness": "now"}, literal=True
    ),
    "career clinical=NaN": Replay(
        "doctor",
        "post",
        lambda: f"{T}/development/career/",
        lambda: {"year-0": "2027", "clinical-0": "NaN", "management-0": "1"},
    ),
    "career clinical=1e999999": Replay(
        "doctor",
        "post",
        lambda: f"{T}/development/career/",
        lambda: {"year-0": "2027", "clinical-0": "1e999999", "management-0": "1"},
    ),
    "career year=99999999999999999999": Replay(
        "doctor",
        "post",
        lambda: f"{T}/development/career/",
        lambda: {"year-0": "99999999999999999999", "clinical-0": "1", "management-0": "1"},
    ),
    # "More 500s found by reading": "²" is a digit to str.isdigit, not to int
    "rater link rating=²": Replay("", "post", _rater_link, lambda: {f"b-{_rater_item()}": "²", "comment": "x"}),
    "rater link importance=²": Replay("", "post", _rater_link, lambda: {f"i-{_rater_item()}": "²", "comment": "x"}),
    "date widget day=²": Replay(
        "md",
        "post",
        _case("advice/"),
        lambda: {
            "contacted_on[day]": "²",
            "contacted_on[month]": "1",
            "contacted_on[year]": "2026",
            "adviser": "An adviser",
            "summary": "Advice",
        },
    ),
    "person picker person=²": Replay(
        "md", "post", _case("people/"), lambda: {"person": "²", "role": "case_investigator"}
    ),
    "person picker search=²": Replay("md", "post", _case("hand-over/"), lambda: {"person": "²", "person_search": "²"}),
}


def _writes() -> list[tuple[Any, ...]]:
    """Every write medlead made (each is audited; reads are audited too and are not changes)."""
    return list(AuditEvent.objects.exclude(action="read").order_by("pk").values_list("pk", "model", "action"))


def _state() -> tuple[Any, ...]:
    return (
        _writes(),
        list(Measure.objects.order_by("pk").values_list("pk", "reviewed_on", "review_outcome")),
        list(CaseRole.objects.order_by("pk").values_list("pk", "health_access")),
        list(Action.objects.order_by("pk").values_list("pk", "status")),
        list(ReadinessShare.objects.order_by("pk").values_list("pk", "revoked_at")),
        Person.objects.count(),
    )


@pytest.mark.parametrize("name", sorted(REPLAYS))
def test_each_request_of_issue_29_is_refused_in_plain_words_and_changes_nothing(demo_trust: None, name: str) -> None:
    replay = REPLAYS[name]
    client = client_for(User.objects.get(username=replay.who)) if replay.who else Client()
    url, data = replay.url(), replay.data()
    before = _state()
    response = getattr(client, replay.method)(url, data)
    status = response.status_code
    assert status < 500, (name, status)
    if replay.literal:
        assert status in (400, 405) or (status == 200 and "There is a problem" in response.content.decode()), (
            name,
            status,
        )
    elif status != 400:
        assert status == 200, (name, status)
        assert "There is a problem" in response.content.decode(), name  # the error summary, in plain words
    assert _state() == before, name


def test_the_succession_page_of_a_post_that_is_not_a_management_post_is_not_found(demo_trust: None) -> None:
    # md GET /talent/succession/<a post that is not a management post>/ answered 500
    post = _not_a_management_post()
    response = client_for(User.objects.get(username="md")).get(f"{T}/talent/succession/{post.pk}/")
    assert response.status_code == 404


def test_a_rater_link_still_takes_a_good_answer(demo_trust: None) -> None:
    """The refusals above are not a link that refuses everything: a draft with a rating from the scale is kept."""
    url = _rater_link()
    response = Client().post(url, {f"b-{_rater_item()}": "1", "comment": "Listens well"})
    assert response.status_code == 302
    assert Rater.objects.filter(comment="Listens well").count() == 1
