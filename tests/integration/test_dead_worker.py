"""A worker that dies is visible within a minute or two (issue 29): an import or a rota generation whose worker has
stopped beating (``core.heartbeat``) shows "stopped before it finished" with "Try again" for its owner, while one
that beats, or waits its turn in the queue, does not. The clock is moved through ``medlead.core.dates``."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

import pytest

from medlead.accounts.models import Role, User
from medlead.core import dates, heartbeat
from medlead.core.policy import Perm, can
from medlead.imports.models import ImportBatch
from medlead.jobplans.models import Activity
from medlead.organisation.models import Grade, Trust
from medlead.rota import generation
from medlead.rota.models import PlanStatus, RosterPlan, Rota, RotaMember
from tests.conftest import client_for
from tests.factories import PersonFactory, make_user
from tests.integration.test_import_pipeline import upload

pytestmark = pytest.mark.django_db
QUEUED_AT = dt.datetime(2027, 1, 4, 9, 0, tzinfo=dt.UTC)
STOPPED = "stopped before it finished"


@pytest.fixture
def clock(monkeypatch: pytest.MonkeyPatch) -> Callable[[int], None]:
    """Set the time to so many seconds after QUEUED_AT."""

    def move(seconds: int) -> None:
        monkeypatch.setattr(dates, "now", lambda: QUEUED_AT + dt.timedelta(seconds=seconds))

    return move


def _beat_at(obj: ImportBatch | RosterPlan, seconds: int) -> None:
    heartbeat.Heartbeat.objects.update_or_create(
        key=heartbeat.key_of(obj), defaults={"beat_at": QUEUED_AT + dt.timedelta(seconds=seconds)}
    )


# ------------------------------------------------------------------------------------------------ imports


@pytest.fixture
def queued_import(trust: Trust) -> tuple[User, str, ImportBatch]:
    """A job-plan import confirmed at QUEUED_AT and left queued, as a worker that died leaves it."""
    PersonFactory(trust=trust, gmc_number="1234567", grade=Grade.CONSULTANT)
    hr = make_user((Role.MEDICAL_STAFFING, trust))
    text = "doctor,year,category,title,frequency,weekday,start,end\n1234567,2026,dcc,Clinic,weekly,monday,09:00,13:00\n"
    location = client_for(hr).post(f"/t/{trust.code}/import/job_plans/", {"file": upload("p.csv", text)})["Location"]
    ImportBatch.objects.update(status="queued", updated_at=QUEUED_AT)
    return hr, location, ImportBatch.objects.get()


def test_an_import_whose_worker_stopped_beating_shows_stopped_with_try_again(
    queued_import: tuple[User, str, ImportBatch], clock: Callable[[int], None], django_capture_on_commit_callbacks
) -> None:
    hr, location, batch = queued_import
    client = client_for(hr)
    _beat_at(batch, 30)  # the worker took it 30 seconds after it was queued, and beat once

    clock(30 + 60)  # a minute since the last beat: still running
    page = client.get(location).content.decode()
    assert "The import is running" in page and STOPPED not in page and "Try again" not in page
    assert not can(hr, Perm.RETRY_IMPORT, batch)

    clock(30 + 91)  # more than a minute and a half since the last beat: its worker died
    page = client.get(location).content.decode()
    assert "This import stopped before it finished" in page and "Try again" in page
    assert "Nothing from it has been imported" in page

    client.post(location + "retry/")
    assert ImportBatch.objects.get(pk=batch.pk).status == "checked"
    with django_capture_on_commit_callbacks(execute=True):
        client.post(location + "confirm/")
    assert ImportBatch.objects.get(pk=batch.pk).status == "applied" and Activity.objects.count() == 1


def test_a_confirm_after_try_again_starts_from_no_beat(
    queued_import: tuple[User, str, ImportBatch], clock: Callable[[int], None]
) -> None:
    hr, location, batch = queued_import
    _beat_at(batch, 0)
    clock(200)
    client = client_for(hr)
    client.post(location + "retry/")
    client.post(location + "confirm/")  # queued again (the task is not run here): the old run's beat is forgotten
    assert ImportBatch.objects.get(pk=batch.pk).status == "queued"
    assert heartbeat.last_beat(batch) is None
    ImportBatch.objects.update(updated_at=QUEUED_AT + dt.timedelta(seconds=200))  # when the clock says it was
    assert "The import is running" in client.get(location).content.decode()


def test_an_import_no_worker_has_taken_waits_the_longer_limit(
    queued_import: tuple[User, str, ImportBatch], clock: Callable[[int], None], settings
) -> None:
    hr, location, _ = queued_import
    settings.MEDLEAD_QUEUED_STUCK_MINUTES = 15
    client = client_for(hr)

    clock(14 * 60)  # a busy queue: slow, not dead
    assert "Try again" not in client.get(location).content.decode()
    clock(15 * 60 + 1)
    page = client.get(location).content.decode()
    assert "This import stopped before it finished" in page and "before it began" in page and "Try again" in page


def test_only_whoever_may_run_the_import_may_try_again(
    queued_import: tuple[User, str, ImportBatch], clock: Callable[[int], None], trust: Trust
) -> None:
    _, location, batch = queued_import
    clock(60 * 60)
    doctor = make_user((Role.DOCTOR, trust))
    assert not can(doctor, Perm.RETRY_IMPORT, batch)
    assert client_for(doctor).post(location + "retry/").status_code == 403
    assert ImportBatch.objects.get(pk=batch.pk).status == "queued"


# ------------------------------------------------------------------------------------------------ rota generation


@pytest.fixture
def generating(trust: Trust) -> tuple[User, RosterPlan]:
    """A plan the coordinator asked to generate at QUEUED_AT, which a worker took (generating)."""
    coordinator = make_user((Role.MEDICAL_STAFFING, trust))
    rota = Rota.objects.create(trust=trust, name="Acute medicine")
    for i in range(10):
        person = PersonFactory(trust=trust, grade=Grade.CORE_TRAINEE, last_name=f"Doctor{i}")
        RotaMember.objects.create(trust=trust, rota=rota, person=person)
    plan = generation.plan_save(
        actor=coordinator,
        rota=rota,
        starts_on=dt.date(2027, 1, 4),
        weeks=1,
        template="ward_day_long_night",
        time_limit=5,
    )
    RosterPlan.objects.filter(pk=plan.pk).update(status=PlanStatus.SOLVING, updated_at=QUEUED_AT)
    plan.refresh_from_db()
    return coordinator, plan


def test_a_rota_generation_whose_worker_stopped_shows_stopped_and_generates_again(
    generating: tuple[User, RosterPlan], clock: Callable[[int], None], django_capture_on_commit_callbacks
) -> None:
    coordinator, plan = generating
    client = client_for(coordinator)
    url = f"/t/{plan.trust.code}/rotas/{plan.rota_id}/generate/"
    _beat_at(plan, 5)

    clock(5 + 80)
    page = client.get(url).content.decode()
    assert "Stop and keep the best rota so far" in page and STOPPED not in page
    with django_capture_on_commit_callbacks(execute=True):
        generation.generate_request(actor=coordinator, plan=plan)  # a second click while it runs does nothing
    plan.refresh_from_db()
    assert plan.status == PlanStatus.SOLVING

    clock(5 + 91)
    page = client.get(url).content.decode()
    assert "This rota's generation stopped before it finished" in page and "Try again" in page
    assert "Stop and keep the best rota so far" not in page

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(url + "run/")
    assert response.status_code == 302
    plan.refresh_from_db()
    assert plan.status == PlanStatus.DONE and plan.result["assignment"]  # generated this time, once
