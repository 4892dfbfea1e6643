"""Publishing a rota to its doctors on time (issue 32): the check page and confirmation, the notice against the Code
of Practice's standards worked by hand, the doctors told, changes after publication emailed to exactly the doctors
they touch, and the board's monthly "work schedules and rotas issued on time" against a hand-counted table."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core import mail
from django.utils import timezone

from medlead.accounts.models import Role, User
from medlead.core import dates
from medlead.core.actors import SystemActor
from medlead.governance import services as board
from medlead.governance.computed import notice_on_time
from medlead.governance.models import MetricValue
from medlead.organisation.models import Grade, Person, Trust
from medlead.rota import publication, selectors, services
from medlead.rota.models import Duty, Rota, RotaChange, RotaMember, RotaPublication
from tests.conftest import client_for
from tests.factories import PersonFactory, make_user

pytestmark = pytest.mark.django_db
SYSTEM = SystemActor("test set-up")
D = dt.date


@pytest.fixture
def hr(trust: Trust) -> User:
    return make_user((Role.MEDICAL_STAFFING, trust))


@pytest.fixture
def doctors(trust: Trust) -> list[Person]:
    return [PersonFactory(trust=trust, grade=Grade.SPECIALTY_REGISTRAR, email=f"reg{n}@example.org") for n in range(3)]


@pytest.fixture
def rota(trust: Trust, doctors: list[Person]) -> Rota:
    rota = Rota.objects.create(trust=trust, name="Medicine registrars")
    RotaMember.objects.bulk_create([RotaMember(trust=trust, rota=rota, person=p) for p in doctors])
    return rota


def _at(day: dt.date, hour: int) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, dt.time(hour)))


def test_publishing_checks_the_notice_then_confirms_and_tells_each_doctor(
    trust: Trust, hr: User, rota: Rota, doctors: list[Person], django_capture_on_commit_callbacks
) -> None:
    today = dates.today()
    starts = today + dt.timedelta(days=41)  # 5 weeks 6 days: one day short of 6 weeks
    client = client_for(hr)
    base = f"/t/{trust.code}/rotas/{rota.pk}"
    assert client.get(f"{base}/publish/").status_code == 200
    answers = {"starts_on": starts.isoformat(), "work_schedule_issued_on": (today - dt.timedelta(days=15)).isoformat()}
    check = client.post(f"{base}/publish/", answers)
    page = check.content.decode()
    assert "Check your answers before you publish the rota" in page
    # work schedule: 41 + 15 = 56 days, exactly 8 weeks: on time; rota: 41 days: late
    assert "8 weeks before its first day (at least 8 weeks asked): on time" in page
    assert "5 weeks and 6 days before its first day (at least 6 weeks asked): late" in page
    assert "3 doctors" in page
    assert not RotaPublication.objects.exists()  # nothing saved on the check page

    with django_capture_on_commit_callbacks(execute=True):
        done = client.post(f"{base}/publish/confirm/", answers)
    p = RotaPublication.objects.get(rota=rota)
    assert done.status_code == 302 and done["Location"] == f"{base}/publications/{p.pk}/"
    assert (p.published_on, p.work_schedule_on_time, p.rota_on_time, p.published_by) == (today, True, False, hr)
    confirmation = client.get(done["Location"]).content.decode()
    assert "Rota published" in confirmation and "What happens next" in confirmation
    assert sorted(m.to[0] for m in mail.outbox) == sorted(d.email for d in doctors)
    assert all(f"/t/{trust.code}/my-rota/" in m.body for m in mail.outbox)  # where each doctor sees their shifts
    assert "Rotation starting" in client.get(f"{base}/").content.decode()


def test_exactly_six_weeks_is_on_time_and_the_same_rotation_cannot_be_published_twice(
    trust: Trust, hr: User, rota: Rota
) -> None:
    today = dates.today()
    starts = today + dt.timedelta(days=42)
    p = publication.publish(
        actor=hr, rota=rota, starts_on=starts, work_schedule_issued_on=today - dt.timedelta(days=13)
    )
    assert (p.rota_on_time, p.work_schedule_on_time) == (True, False)  # 42 days; 55 days, one short of 8 weeks
    again = client_for(hr).post(
        f"/t/{trust.code}/rotas/{rota.pk}/publish/",
        {"starts_on": starts.isoformat(), "work_schedule_issued_on": today.isoformat()},
    )
    assert "already published" in again.content.decode()
    assert RotaPublication.objects.count() == 1


def test_a_work_schedule_dated_in_the_future_is_a_form_error(trust: Trust, hr: User, rota: Rota) -> None:
    today = dates.today()
    response = client_for(hr).post(
        f"/t/{trust.code}/rotas/{rota.pk}/publish/confirm/",
        {
            "starts_on": (today + dt.timedelta(days=60)).isoformat(),
            "work_schedule_issued_on": (today + dt.timedelta(days=1)).isoformat(),
        },
    )
    assert response.status_code == 200 and "up to today" in response.content.decode()
    assert not RotaPublication.objects.exists()


def test_only_the_rota_coordinator_publishes(trust: Trust, rota: Rota, doctors: list[Person]) -> None:
    doctor = make_user((Role.DOCTOR, trust), person=doctors[0])
    assert client_for(doctor).get(f"/t/{trust.code}/rotas/{rota.pk}/publish/").status_code == 403
    assert client_for(doctor).get(f"/t/{trust.code}/rotas/{rota.pk}/").status_code == 200  # the rota itself


def test_published_rotas_are_only_those_with_a_publication(trust: Trust, hr: User, rota: Rota) -> None:
    other = Rota.objects.create(trust=trust, name="Never published")
    assert list(selectors.published_rotas(trust=trust)) == []
    assert not rota.published
    today = dates.today()
    publication.publish(actor=hr, rota=rota, starts_on=today + dt.timedelta(days=50), work_schedule_issued_on=today)
    assert list(selectors.published_rotas(trust=trust)) == [rota]
    assert rota.published and not other.published


def test_changes_after_publication_email_exactly_the_doctors_they_touch(
    trust: Trust, hr: User, rota: Rota, doctors: list[Person], django_capture_on_commit_callbacks
) -> None:
    today = dates.today()
    day = today + dt.timedelta(days=10)
    services.duty_add(actor=hr, rota=rota, person=doctors[0], start=_at(day, 8), end=_at(day, 17))
    assert not RotaChange.objects.exists()  # not published yet: nobody is told of a draft
    publication.publish(actor=hr, rota=rota, starts_on=today + dt.timedelta(days=3), work_schedule_issued_on=today)
    mail.outbox.clear()

    with django_capture_on_commit_callbacks(execute=True):
        services.duty_add(actor=hr, rota=rota, person=doctors[1], start=_at(day, 9), end=_at(day, 17))
    assert [m.to for m in mail.outbox] == [[doctors[1].email]]
    assert "Added:" in mail.outbox[0].body and "17:00" in mail.outbox[0].body

    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        services.duty_delete(actor=hr, duty=Duty.objects.get(rota=rota, person=doctors[0]))
    assert [m.to for m in mail.outbox] == [[doctors[0].email]]
    assert "Removed:" in mail.outbox[0].body
    assert RotaChange.objects.filter(rota=rota).count() == 2

    # a correction wholly in the past tells nobody
    mail.outbox.clear()
    past = today - dt.timedelta(days=3)
    with django_capture_on_commit_callbacks(execute=True):
        services.duty_add(actor=hr, rota=rota, person=doctors[2], start=_at(past, 8), end=_at(past, 17))
    assert mail.outbox == []


def test_a_regeneration_tells_each_changed_doctor_once(
    trust: Trust, hr: User, rota: Rota, doctors: list[Person], django_capture_on_commit_callbacks
) -> None:
    today = dates.today()
    publication.publish(actor=hr, rota=rota, starts_on=today + dt.timedelta(days=3), work_schedule_issued_on=today)
    day = today + dt.timedelta(days=5)
    kept = Duty(trust=trust, rota=rota, person=doctors[0], start=_at(day, 8), end=_at(day, 17))
    moved = Duty(trust=trust, rota=rota, person=doctors[1], start=_at(day, 8), end=_at(day, 17))
    Duty.objects.bulk_create([kept, moved])
    before = publication.duty_keys(Duty.objects.filter(rota=rota))
    after = publication.duty_keys(
        [
            kept,
            Duty(person=doctors[1], start=_at(day, 9), end=_at(day, 21)),
            Duty(person=doctors[1], start=_at(day + dt.timedelta(days=1), 9), end=_at(day + dt.timedelta(days=1), 21)),
        ]
    )
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        change = publication.duties_changed(rota=rota, before=before, after=after, what="the rota generated again")
    assert [m.to for m in mail.outbox] == [[doctors[1].email]]  # one message, for the one doctor whose duties moved
    body = mail.outbox[0].body
    assert body.count("Added:") == 2 and body.count("Removed:") == 1
    assert change is not None and change.doctors == 1


# The board's figure, counted by hand. Rotations starting in March 2026 (work schedule notice, rota notice: on time?):
#   A  starts 4 Mar, schedule 56 days, rota 42 days     -> both on time                  counted, on time
#   B  starts 11 Mar, schedule 60 days, rota 41 days    -> rota late                     counted, late
#   C  starts 18 Mar, schedule 55 days, rota 50 days    -> work schedule late            counted, late
#   D  starts 25 Mar, schedule 70 days, rota 49 days    -> both on time                  counted, on time
#   E  starts 1 Apr (April: another month)                                               not counted
#   F  starts 31 Mar, published 20 Mar, after the reading day of 15 March                not counted on 15 March
# On 15 March: 2 of 4 on time = 50.0%. On 31 March (F is late: 11 days): 2 of 5 = 40.0%.
TABLE = [
    ("A", D(2026, 3, 4), 56, 42),
    ("B", D(2026, 3, 11), 60, 41),
    ("C", D(2026, 3, 18), 55, 50),
    ("D", D(2026, 3, 25), 70, 49),
    ("E", D(2026, 4, 1), 60, 45),
    ("F", D(2026, 3, 31), 60, 11),
]


def test_the_monthly_metric_against_a_hand_counted_table(trust: Trust, other_trust: Trust, hr: User) -> None:
    for name, starts, schedule_days, rota_days in TABLE:
        rota = Rota.objects.create(trust=trust, name=name)
        RotaMember.objects.create(trust=trust, rota=rota, person=PersonFactory(trust=trust))
        publication.publish(
            actor=SYSTEM,
            rota=rota,
            starts_on=starts,
            work_schedule_issued_on=starts - dt.timedelta(days=schedule_days),
            today=starts - dt.timedelta(days=rota_days),
        )
    # an existing rota recorded as published when publication came (its dates assumed): never counted
    assumed = Rota.objects.create(trust=trust, name="Old")
    RotaPublication.objects.create(
        trust=trust,
        rota=assumed,
        starts_on=D(2026, 3, 2),
        work_schedule_issued_on=D(2026, 3, 1),
        published_on=D(2026, 3, 1),
        work_schedule_weeks=8,
        rota_weeks=6,
        work_schedule_on_time=False,
        rota_on_time=False,
        assumed=True,
    )
    # another trust's rotation: not this trust's figure
    theirs = Rota.objects.create(trust=other_trust, name="Theirs")
    RotaMember.objects.create(trust=other_trust, rota=theirs, person=PersonFactory(trust=other_trust))
    publication.publish(
        actor=SYSTEM, rota=theirs, starts_on=D(2026, 3, 4), work_schedule_issued_on=D(2026, 1, 1), today=D(2026, 1, 2)
    )

    assert notice_on_time(trust, D(2026, 3, 15)) == 50.0
    assert notice_on_time(trust, D(2026, 3, 31)) == 40.0
    assert notice_on_time(trust, D(2026, 5, 15)) is None  # no rotation starts in May: no point

    assert board.computed_metrics_record(trust=trust, today=D(2026, 3, 31)) > 0
    value = MetricValue.objects.get(metric__trust=trust, metric__code="notice_on_time")
    assert (value.period, value.value) == (D(2026, 3, 1), 40.0)
    board.computed_metrics_record(trust=trust, today=D(2026, 5, 15))
    assert MetricValue.objects.filter(metric__trust=trust, metric__code="notice_on_time").count() == 1
