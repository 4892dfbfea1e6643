from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from medlead.core.audit import AuditEvent
from medlead.organisation.models import Trust
from medlead.structure.models import Holding, PortfolioAssignment, PortfolioFunction, Post
from tests.conftest import client_for
from tests.factories import HoldingFactory, PersonFactory, PostFactory, post_type

pytestmark = pytest.mark.django_db


@pytest.fixture
def structure(trust: Trust) -> dict:
    md = PostFactory(
        trust=trust, post_type=post_type("medical_director"), title="Medical director", pas_allocated=Decimal("4")
    )
    HoldingFactory(post=md)
    cds = [PostFactory(trust=trust, reports_to=md, title=f"Clinical director {i}") for i in range(8)]
    for cd in cds[:7]:
        HoldingFactory(post=cd)
    return {"md": md, "cds": cds}


def test_structure_health_page_lists_findings_with_links_and_sources(md_user, trust: Trust, structure: dict) -> None:
    response = client_for(md_user).get(f"/t/{trust.code}/structure/health/")
    html = response.content.decode()
    assert response.status_code == 200
    assert "Medical director: the post allocates 4 sessions a week" in html
    assert "8 clinical directors report directly to Medical director" in html
    assert "Clinical director 7 is vacant" in html
    assert f"/t/{trust.code}/structure/posts/{structure['md'].pk}/" in html
    # the five-sessions rule's only source is a journal article (a secondary source): the trust confirms it
    assert "extremely difficult to do in less than five sessions" not in html
    assert "Source: to be confirmed by the trust" in html
    assert "Nobody holds Clinical strategy" in html


def test_structure_health_query_count_does_not_grow_with_posts(
    md_user, trust: Trust, structure: dict, django_assert_max_num_queries
) -> None:
    client = client_for(md_user)
    client.get(f"/t/{trust.code}/structure/health/")
    for i in range(20):
        HoldingFactory(post=PostFactory(trust=trust, reports_to=structure["md"], title=f"Extra {i}"))
    with django_assert_max_num_queries(12):
        assert client.get(f"/t/{trust.code}/structure/health/").status_code == 200


def test_the_list_of_posts_costs_the_same_queries_however_many_posts_and_holders(
    md_user, trust: Trust, structure: dict
) -> None:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client = client_for(md_user)
    url = f"/t/{trust.code}/structure/posts/"
    client.get(url)
    with CaptureQueriesContext(connection) as before:
        client.get(url)
    for i in range(20):
        HoldingFactory(post=PostFactory(trust=trust, reports_to=structure["md"], title=f"Extra {i}"))
    with CaptureQueriesContext(connection) as after:
        page = client.get(url).content.decode()
    assert len(after) == len(before) <= 13, (len(before), len(after))
    # the current holders read once, for the list and for span of control
    assert sum('FROM "structure_holding"' in q["sql"] for q in after.captured_queries) == 1
    assert "Extra 19" in page


def test_org_chart_data_has_holders_job_shares_and_lines(md_user, trust: Trust, structure: dict) -> None:
    share = structure["cds"][0]
    HoldingFactory(post=share)
    data = client_for(md_user).get(f"/t/{trust.code}/structure/chart/data.json").json()
    node = next(n for n in data["nodes"] if n["id"] == share.pk)
    assert len(node["holders"]) == 2
    assert node["reports_to"] == structure["md"].pk
    assert len(data["nodes"]) == 9


def test_chart_list_view_nests_posts_under_their_manager(md_user, trust: Trust, structure: dict) -> None:
    html = client_for(md_user).get(f"/t/{trust.code}/structure/chart/list/").content.decode()
    md_at = html.index(">Medical director<")
    assert md_at < html.index(">Clinical director 0<")
    assert "vacant" in html


def test_adding_a_holder_records_audit_and_a_second_makes_a_job_share(md_user, trust: Trust, structure: dict) -> None:
    post = structure["cds"][7]
    person, other = PersonFactory(trust=trust), PersonFactory(trust=trust)
    client = client_for(md_user)
    url = f"/t/{trust.code}/structure/posts/{post.pk}/holders/new/"
    assert client.post(url, {"person": person.pk, "start": "2025-04-01"}).status_code == 302
    assert client.post(url, {"person": other.pk, "start": "2025-04-01"}).status_code == 302
    assert Holding.objects.filter(post=post).count() == 2
    html = client.get(f"/t/{trust.code}/structure/posts/{post.pk}/").content.decode()
    assert "Job share" in html
    event = AuditEvent.objects.filter(model="structure.holding", action="create").first()
    assert event is not None and event.actor_username == md_user.username


def test_holder_end_before_start_is_refused_and_changes_nothing(md_user, trust: Trust, structure: dict) -> None:
    holding = Holding.objects.filter(post=structure["md"]).get()
    response = client_for(md_user).post(f"/t/{trust.code}/structure/holdings/{holding.pk}/end/", {"end": "2020-01-01"})
    assert response.status_code == 200
    assert "on or after the start date" in response.content.decode()
    holding.refresh_from_db()
    assert holding.end is None


def test_reporting_loop_is_refused(md_user, trust: Trust, structure: dict) -> None:
    md = structure["md"]
    cd = structure["cds"][0]
    client = client_for(md_user)
    response = client.post(
        f"/t/{trust.code}/structure/posts/{md.pk}/edit/",
        {"title": md.title, "code": md.code, "post_type": md.post_type_id, "pas_allocated": "4", "reports_to": cd.pk},
    )
    assert response.status_code == 200
    assert "loop" in response.content.decode()
    md.refresh_from_db()
    assert md.reports_to_id is None


def test_assigning_a_portfolio_function_is_audited_and_clears_the_finding(
    md_user, trust: Trust, structure: dict
) -> None:
    client = client_for(md_user)
    response = client.post(f"/t/{trust.code}/structure/portfolio/clinical_it/", {"post": structure["md"].pk})
    assert response.status_code == 302
    assert PortfolioAssignment.objects.get(trust=trust, function__code="clinical_it").post == structure["md"]
    assert AuditEvent.objects.filter(model="structure.portfolioassignment", action="create").exists()
    assert (
        "Nobody holds Clinical information technology"
        not in client.get(f"/t/{trust.code}/structure/health/").content.decode()
    )
    assert PortfolioFunction.objects.count() >= 20


def test_doctor_cannot_change_posts(doctor_user, trust: Trust, structure: dict) -> None:
    client = client_for(doctor_user)
    assert client.get(f"/t/{trust.code}/structure/posts/new/").status_code == 403
    assert (
        client.post(f"/t/{trust.code}/structure/portfolio/clinical_it/", {"post": structure["md"].pk}).status_code
        == 403
    )
    assert not PortfolioAssignment.objects.filter(trust=trust).exists()


def test_current_holdings_exclude_past_and_future(trust: Trust) -> None:
    from medlead.structure.selectors import current_holdings

    post = PostFactory(trust=trust)
    past = HoldingFactory(post=post, start=dt.date(2020, 1, 1), end=dt.date(2021, 1, 1))
    now = HoldingFactory(post=post, start=dt.date(2021, 1, 2))
    future = HoldingFactory(post=post, start=dt.date(2099, 1, 1))
    on = dt.date(2025, 6, 1)
    ids = set(current_holdings(trust=trust, on=on).values_list("pk", flat=True))
    assert ids == {now.pk}
    assert past.pk not in ids and future.pk not in ids
    assert Post.objects.filter(trust=trust).count() == 1


def test_people_search_returns_only_the_results_to_htmx(md_user, trust: Trust) -> None:
    PersonFactory(trust=trust, first_name="Ada", last_name="Lovelace")
    PersonFactory(trust=trust, first_name="Alan", last_name="Turing")
    client = client_for(md_user)
    partial = client.get(f"/t/{trust.code}/people/?q=lovelace", HTTP_HX_REQUEST="true").content.decode()
    assert "Lovelace" in partial and "Turing" not in partial and "<html" not in partial
    full = client.get(f"/t/{trust.code}/people/?q=lovelace").content.decode()
    assert "<html" in full and 'hx-target="#people-results"' in full


def test_a_posts_reporting_line_is_a_link_not_html_shown_as_text(md_user, trust) -> None:
    from tests.factories import PostFactory

    boss = PostFactory(trust=trust, title="Associate medical director <surgery>")
    post = PostFactory(trust=trust, reports_to=boss)
    page = client_for(md_user).get(f"/t/{trust.code}/structure/posts/{post.pk}/").content.decode()
    assert (
        f'<a href="/t/{trust.code}/structure/posts/{boss.pk}/">Associate medical director &lt;surgery&gt;</a>' in page
    )
    assert "&lt;a href" not in page
