"""A page keeps what it built until a record it read changes (``core.kept``, ADR 0039): the trust's home page is served
from the cache, and built again after any change to what it counts, however the change is written, and for nobody who
may no longer see it. These tests commit their writes (``transaction=True``, beside the demo trust for its reference
data), as a server does: a connection holding
writes it has not committed neither serves nor keeps a kept value."""

from __future__ import annotations

import datetime as dt
import io
from pathlib import Path
from typing import Any

import pytest
from django.core.management import call_command
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext

from medlead.accounts.models import Role, RoleAssignment, User
from medlead.core import bulk, kept
from medlead.core.actors import SystemActor
from medlead.governance import services as governance
from medlead.governance.models import MetricValue
from medlead.jobplans.models import JobPlan
from medlead.organisation.models import BoardMember, Grade, Person, Trust
from medlead.revalidation.models import Appraisal
from medlead.rota import services as rota_services
from medlead.rota.models import Duty, ExceptionReport
from medlead.structure.models import Holding, PortfolioAssignment, PortfolioFunction, Post
from tests.conftest import client_for
from tests.factories import (
    HoldingFactory,
    PersonFactory,
    PostFactory,
    SpecialtyFactory,
    TrustFactory,
    make_clinical_director,
    make_user,
)

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.usefixtures("demo_trust")]  # its reference data
WAITING = "job plans agreed by the doctor, waiting for your signature"


def agreed_plans(trust: Trust, specialty: object, n: int) -> None:
    for _ in range(n):
        person = PersonFactory(trust=trust, grade=Grade.CONSULTANT, specialty=specialty)
        JobPlan.objects.create(trust=trust, person=person, year=2026, state="agreed")


def test_the_home_page_is_kept_until_a_record_it_counts_changes_however_it_is_written() -> None:
    trust = TrustFactory()
    cardiology = SpecialtyFactory(trust=trust)
    cd = make_clinical_director(trust, cardiology)
    agreed_plans(trust, cardiology, 2)
    client = client_for(cd)

    def page() -> str:
        response = client.get(f"/t/{trust.code}/")
        assert response.status_code == 200
        return response.content.decode()

    assert f"2 {WAITING}" in page()
    with CaptureQueriesContext(connection) as served:
        assert f"2 {WAITING}" in page()
    # served from the cache: the job plans are not read again
    assert not any(JobPlan._meta.db_table in q["sql"] for q in served.captured_queries)

    agreed_plans(trust, cardiology, 1)  # a save
    assert f"3 {WAITING}" in page()
    JobPlan.objects.filter(trust=trust).update(state="signed")  # a queryset's update: no signal is sent
    assert WAITING not in page() and "Nothing needs you today." in page()


def test_an_account_whose_role_is_taken_away_is_not_served_the_page_it_was_shown() -> None:
    trust = TrustFactory()
    cd = make_clinical_director(trust, SpecialtyFactory(trust=trust))
    client = client_for(cd)
    assert client.get(f"/t/{trust.code}/").status_code == 200
    RoleAssignment.objects.filter(user=cd).delete()
    # the trust is no longer theirs to know of
    assert client.get(f"/t/{trust.code}/").status_code == 404


class Counter:
    """A build that counts a trust's people, and how many times it was built."""

    def __init__(self, trust: Trust) -> None:
        self.trust, self.builds = trust, 0

    def __call__(self) -> int:
        self.builds += 1
        return Person.objects.filter(trust=self.trust).count()


def test_a_kept_value_follows_every_kind_of_write() -> None:
    trust = TrustFactory()
    PersonFactory(trust=trust)
    count = Counter(trust)
    assert [kept.kept("people", count), kept.kept("people", count)] == [1, 1]
    assert count.builds == 1

    PersonFactory(trust=trust)
    assert kept.kept("people", count) == 2
    Person.objects.filter(trust=trust).update(active=False)  # a write to the table, though not to what is counted
    assert kept.kept("people", count) == 2 and count.builds == 3
    Person.objects.filter(trust=trust).first().delete()  # type: ignore[union-attr]
    assert kept.kept("people", count) == 1
    if connection.vendor == "postgresql":  # a COPY, which passes no statement of Django's
        bulk.copy_create(Person, [Person(trust=trust, first_name="A", last_name="B")])
        assert kept.kept("people", count) == 2
    builds = count.builds
    with connection.cursor() as cursor:  # a statement it cannot read: every kept value is built again
        cursor.execute("CREATE TEMPORARY TABLE scratch (n integer)")
    kept.kept("people", count)
    assert count.builds == builds + 1


def test_a_value_is_not_kept_from_writes_not_yet_committed_nor_from_a_build_that_writes() -> None:
    trust = TrustFactory()
    count = Counter(trust)
    assert kept.kept("people", count) == 0
    with pytest.raises(RuntimeError), transaction.atomic():
        PersonFactory(trust=trust)
        # this connection sees its own write: built, not served from the cache nor kept
        assert kept.kept("people", count) == 1
        raise RuntimeError("rolled back")
    assert kept.kept("people", count) == 0

    def writes() -> int:
        PersonFactory(trust=trust)
        return Person.objects.filter(trust=trust).count()

    assert [kept.kept("writes", writes), kept.kept("writes", writes)] == [1, 2]


def test_a_value_is_kept_until_the_moment_its_build_names_or_a_file_it_read_changes(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    trust = TrustFactory()
    count = Counter(trust)
    start = dt.datetime(2026, 12, 7, 9, 0, tzinfo=dt.UTC)
    monkeypatch.setattr(kept.dates, "now", lambda: start)
    rules = tmp_path / "rules.yaml"
    rules.write_text("a: 1\n")

    def until_ten() -> int:
        kept.changes_at(start + dt.timedelta(hours=1))
        kept.reads_file(rules, rules.stat().st_mtime_ns)
        return count()

    kept.kept("people", until_ten)
    monkeypatch.setattr(kept.dates, "now", lambda: start + dt.timedelta(minutes=59))
    kept.kept("people", until_ten)
    assert count.builds == 1
    monkeypatch.setattr(kept.dates, "now", lambda: start + dt.timedelta(hours=1))
    kept.kept("people", until_ten)
    assert count.builds == 2
    rules.write_text("a: 2\n")
    kept.kept("people", until_ten)
    assert count.builds == 3


def test_a_version_the_cache_lost_never_matches_a_value_kept_before(settings: Any) -> None:
    from django.core.cache import cache

    trust = TrustFactory()
    count = Counter(trust)
    kept.kept("people", count)
    cache.delete(kept._version_key(Person._meta.db_table))
    kept.kept("people", count)
    assert count.builds == 2
    call_command("forget_kept_pages", stdout=io.StringIO())  # after a database restored from a backup
    kept.kept("people", count)
    assert count.builds == 3
    settings.MEDLEAD_KEEP_PAGES = False  # where no shared cache is: built every time
    kept.kept("people", count)
    kept.kept("people", count)
    assert count.builds == 5


def test_a_value_kept_by_one_release_is_never_served_by_the_next(monkeypatch: pytest.MonkeyPatch) -> None:
    trust = TrustFactory()
    count = Counter(trust)
    kept.kept("people", count)
    kept.kept("people", count)
    assert count.builds == 1
    monkeypatch.setattr(kept, "_code", lambda: "the-next-release")  # its sources differ: a field added, say
    kept.kept("people", count)
    assert count.builds == 2


def test_a_user_reading_another_trust_is_never_served_the_first_ones_page() -> None:
    trust, other = TrustFactory(), TrustFactory()
    cd = make_clinical_director(trust, SpecialtyFactory(trust=trust))
    client = client_for(cd)
    assert client.get(f"/t/{trust.code}/").status_code == 200
    assert client.get(f"/t/{other.code}/").status_code == 404
    RoleAssignment.objects.create(user=cd, role=Role.MEDICAL_DIRECTOR, trust=other)
    page = client.get(f"/t/{other.code}/")
    assert page.status_code == 200 and str(other.name) in page.content.decode()


def test_a_cache_that_does_not_answer_leaves_the_page_built_as_without_keeping(settings: Any) -> None:
    trust = TrustFactory()
    cardiology = SpecialtyFactory(trust=trust)
    cd = make_clinical_director(trust, cardiology)
    agreed_plans(trust, cardiology, 1)
    # a Redis nobody listens on (port 1): every call to it fails at once
    settings.CACHES = {
        "default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": "redis://127.0.0.1:1/0"}
    }
    count = Counter(trust)
    # the clinical director and the doctor whose plan waits; built both times
    assert [kept.kept("people", count), kept.kept("people", count)] == [2, 2] and count.builds == 2
    page = client_for(cd).get(f"/t/{trust.code}/").content.decode()
    assert "1 job plan agreed by the doctor, waiting for your signature" in page


def test_a_lazy_value_is_read_while_its_build_is_watched() -> None:
    trust = TrustFactory()
    PersonFactory(trust=trust, last_name="Adeyemi")

    def names() -> object:
        return Person.objects.filter(trust=trust).values_list("last_name", flat=True)  # not read until used

    assert list(kept.kept("names", names)) == ["Adeyemi"]  # type: ignore[call-overload]
    PersonFactory(trust=trust, last_name="Byrne")
    assert sorted(kept.kept("names", names)) == ["Adeyemi", "Byrne"]  # type: ignore[call-overload]


def test_a_value_built_from_another_kept_value_depends_on_what_that_one_read() -> None:
    trust = TrustFactory()
    PersonFactory(trust=trust)
    count = Counter(trust)

    def people() -> int:
        return kept.kept("people", count)

    def page(name: str) -> tuple[str, int]:
        return kept.kept(name, lambda: (name, people()))

    assert page("first") == ("first", 1)  # both built
    assert page("second") == ("second", 1)  # the people kept for the first page are served to the second
    assert count.builds == 1
    PersonFactory(trust=trust)
    # both pages read the people through the kept count: both are built again
    assert [page("first"), page("second")] == [("first", 2), ("second", 2)]
    assert count.builds == 2


def test_structure_health_is_kept_once_for_everyone_and_follows_a_post_falling_vacant() -> None:
    trust = TrustFactory()
    held = HoldingFactory(post=PostFactory(trust=trust, title="Clinical director for cardiology"))
    md = make_user((Role.MEDICAL_DIRECTOR, trust))
    ro = make_user((Role.RESPONSIBLE_OFFICER, trust), (Role.MEDICAL_DIRECTOR, trust))

    def page(user: Any) -> str:
        response = client_for(user).get(f"/t/{trust.code}/structure/health/")
        assert response.status_code == 200
        return response.content.decode()

    assert "Clinical director for cardiology is vacant" not in page(md)
    with CaptureQueriesContext(connection) as served:
        assert "Clinical director for cardiology is vacant" not in page(ro)
    # the findings the medical director's request kept are served to the next person: the posts are not read again
    assert not any(Post._meta.db_table in q["sql"] for q in served.captured_queries)
    Holding.objects.filter(pk=held.pk).update(end=dt.date(2026, 1, 31))
    assert "Clinical director for cardiology is vacant" in page(ro)


def test_the_boards_charts_are_kept_once_for_everyone_and_follow_a_new_value_and_a_rebase() -> None:
    trust = TrustFactory()
    md = make_user((Role.MEDICAL_DIRECTOR, trust))
    ned = make_user((Role.NON_EXECUTIVE, trust))
    shmi = governance.metric_create(
        actor=md,
        trust=trust,
        code="shmi",
        name="SHMI",
        definition="Deaths against expected.",
        direction="down",
        section="quality_safety",
    )
    for month, value in ((1, 1.01), (2, 1.03), (3, 0.99)):
        governance.value_record(actor=md, metric=shmi, on=dt.date(2026, month, 1), value=value)

    def page(user: Any, path: str = "shmi/") -> str:
        response = client_for(user).get(f"/t/{trust.code}/board/metrics/{path}")
        assert response.status_code == 200
        return response.content.decode()

    assert "April 2026" not in page(md)
    with CaptureQueriesContext(connection) as served:
        assert "March 2026" in page(ned)
        assert "SHMI" in client_for(ned).get(f"/t/{trust.code}/board/").content.decode()
    # the charts the medical director's request kept serve the board's view and the metric's page to the next person
    assert not any(MetricValue._meta.db_table in q["sql"] for q in served.captured_queries)
    governance.value_record(actor=md, metric=shmi, on=dt.date(2026, 4, 1), value=1.4)
    assert "April 2026" in page(ned)
    governance.rebase_add(actor=md, metric=shmi, on=dt.date(2026, 3, 1), reason="A new way of counting")
    assert "A new way of counting" in page(ned)
    assert client_for(ned).get(f"/t/{trust.code}/board/metrics/mortality/").status_code == 404


def test_a_sign_in_leaves_kept_pages_standing_and_a_change_to_an_account_does_not() -> None:
    trust = TrustFactory()
    cardiology = SpecialtyFactory(trust=trust)
    cd = make_clinical_director(trust, cardiology)
    agreed_plans(trust, cardiology, 2)
    doctor = make_user((Role.DOCTOR, trust))
    client = client_for(cd)
    assert client.get(f"/t/{trust.code}/").status_code == 200
    client_for(doctor)  # someone signs in: their last sign-in is written
    with CaptureQueriesContext(connection) as served:
        assert f"2 {WAITING}" in client.get(f"/t/{trust.code}/").content.decode()
    assert not any(JobPlan._meta.db_table in q["sql"] for q in served.captured_queries)
    User.objects.filter(pk=cd.pk).update(first_name="Renamed")  # any other change to an account is a change
    with CaptureQueriesContext(connection) as built:
        assert f"2 {WAITING}" in client.get(f"/t/{trust.code}/").content.decode()
    assert any(JobPlan._meta.db_table in q["sql"] for q in built.captured_queries)


@pytest.mark.parametrize(
    ("path", "held", "vacant"),
    [
        ("/t/{code}/structure/posts/", "Ada Holder", 'red">Vacant'),
        ("/t/{code}/structure/posts/{post}/", "Ada Holder", 'red">Vacant'),
        ("/t/{code}/structure/portfolio/", "Ada Holder", "Post vacant"),
        ("/t/{code}/structure/chart/data.json", '"name": "Dr Ada Holder"', '"holders": []'),
        ("/api/trusts/{code}/org-chart/", '"name":"Dr Ada Holder"', '"holders":[]'),
        ("/api/trusts/{code}/posts/", '"name":"Dr Ada Holder"', '"holders":[]'),
    ],
)
def test_the_structure_is_kept_once_for_everyone_and_follows_a_post_falling_vacant(
    path: str, held: str, vacant: str
) -> None:
    trust = TrustFactory()
    post = PostFactory(trust=trust, title="Clinical director for cardiology")
    HoldingFactory(post=post, person=PersonFactory(trust=trust, first_name="Ada", last_name="Holder"))
    PortfolioAssignment.objects.create(
        trust=trust, post=post, function=PortfolioFunction.objects.order_by("pk").first()
    )
    md = make_user((Role.MEDICAL_DIRECTOR, trust))
    cd = make_clinical_director(trust, SpecialtyFactory(trust=trust))
    # the portfolio is kept once for those who may change who holds each function, and once for those who may not
    nextone = make_user((Role.MEDICAL_DIRECTOR, trust)) if "portfolio" in path else cd
    url = path.format(code=trust.code, post=post.pk)

    def page(user: Any) -> str:
        response = client_for(user).get(url)
        assert response.status_code == 200
        return response.content.decode()

    first = page(md)
    assert held in first and vacant not in first
    with CaptureQueriesContext(connection) as served:
        assert held in page(nextone)
    # what the medical director's request kept is served to the next person: the posts are not read again (but for
    # the posts the person holds, among the facts about them the policy reads on every request)
    assert not [q for q in served.captured_queries if Post._meta.db_table in q["sql"] and "fact_name" not in q["sql"]]
    Holding.objects.filter(post=post).update(end=dt.date(2026, 1, 31))
    assert vacant in page(nextone)


def test_what_the_trust_is_is_kept_until_its_board_changes() -> None:
    trust = TrustFactory()
    md = make_user((Role.MEDICAL_DIRECTOR, trust))
    about = f"/t/{trust.code}/about/"
    assert "No board members recorded." in client_for(md).get(about).content.decode()
    BoardMember.objects.create(trust=trust, person=PersonFactory(trust=trust, last_name="Chairwoman"), role="chair")
    assert "Chairwoman" in client_for(md).get(about).content.decode()


def test_a_rota_is_kept_once_for_everyone_and_follows_a_duty_added_and_its_breach() -> None:
    SYSTEM = SystemActor("test set-up")
    trust = TrustFactory()
    doctor = PersonFactory(trust=trust, first_name="Rhys", last_name="Registrar")
    rota = rota_services.rota_create(actor=SYSTEM, trust=trust, name="Surgery")
    rota_services.member_add(actor=SYSTEM, rota=rota, person=doctor)
    start = dt.datetime(2026, 1, 5, 8)
    rota_services.duty_add(actor=SYSTEM, rota=rota, person=doctor, start=start, end=start + dt.timedelta(hours=8))
    md = make_user((Role.MEDICAL_DIRECTOR, trust))
    hr = make_user((Role.MEDICAL_STAFFING, trust))
    url = f"/t/{trust.code}/rotas/{rota.pk}/?week=2026-01-05"

    def page(user: Any) -> str:
        response = client_for(user).get(url)
        assert response.status_code == 200
        return response.content.decode()

    assert "compliant</strong>" in page(md)
    with CaptureQueriesContext(connection) as served:
        assert "Rhys Registrar" in page(hr)
    # the medical director's request kept the rota for the next person: its duties are not read again
    assert not any(Duty._meta.db_table in q["sql"] for q in served.captured_queries)
    day = dt.datetime(2026, 1, 6, 8)
    rota_services.duty_add(actor=SYSTEM, rota=rota, person=doctor, start=day, end=day + dt.timedelta(hours=14))
    assert "1 breach</strong>" in page(hr)
    assert client_for(hr).get(f"/t/{trust.code}/rotas/{rota.pk + 1000}/").status_code == 404


@pytest.mark.parametrize(
    ("path", "model", "first", "second"),
    [
        ("/t/DEM001/revalidation/report/", Appraisal, "md", "ro"),
        ("/t/DEM001/guardian-report/", ExceptionReport, "md", "guardian"),
        ("/t/DEM001/board/compare/", Appraisal, "md", "chair"),
    ],
)
def test_a_trust_wide_report_is_kept_once_for_everyone_and_built_again_after_a_change(
    path: str, model: Any, first: str, second: str
) -> None:
    def read(username: str) -> list[str]:
        with CaptureQueriesContext(connection) as done:
            assert client_for(User.objects.get(username=username)).get(path).status_code == 200
        return [q["sql"] for q in done.captured_queries if model._meta.db_table in q["sql"]]

    assert read(first)  # built, and kept
    assert not read(second)  # served: the records it counts are not read again
    one = model.objects.filter(trust__code="DEM001").order_by("pk").first()
    model.objects.filter(pk=one.pk).update(updated_at=one.updated_at)  # a write, however small
    assert read(second)  # built again


def test_a_kept_metric_page_still_offers_the_values_awaiting_confirmation_only_to_those_who_may_confirm() -> None:
    """The chart and its values are written once for every reader; the sentence beside them about chart settings
    the trust has not confirmed is written with each request, its link for those who may confirm them."""
    page = "/t/DEM001/board/metrics/shmi/"
    link = "Review the values awaiting"
    for username, sees in (("md", True), ("ned", False), ("md", True)):
        response = client_for(User.objects.get(username=username)).get(page)
        assert response.status_code == 200
        html = response.content.decode()
        assert "The values" in html and "not confirmed" in html.replace("has not confirmed", "not confirmed")
        assert (link in html) is sees, username
