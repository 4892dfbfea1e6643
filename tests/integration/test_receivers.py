"""Who receives what, as dated data (issue 34, item 5): the rows the data migration seeds, ``receiver`` and
``region_of`` by date (a change dated ahead takes effect on its day, without a release), ``Trust.region`` kept in step
by the daily task and when a row is saved in the Django admin, and the fit and proper and revalidation pages naming
the receiver for the record's date. Expected answers written by hand."""

from __future__ import annotations

import datetime as dt

import pytest

from medlead.accounts.models import Role
from medlead.core.actors import SystemActor
from medlead.core.audit import AuditEvent
from medlead.fitproper.models import AnnualReturn
from medlead.organisation.models import Receiver, ReceiverKind, Trust
from medlead.organisation.receivers import receiver, region_of
from medlead.organisation.receivers_sync import regions_in_step
from medlead.organisation.tasks import regions_in_step as daily_task
from tests.conftest import client_for
from tests.factories import PersonFactory, RegionFactory, TrustFactory, make_user

pytestmark = pytest.mark.django_db

D = dt.date
SYSTEM = SystemActor("a test")


def _row(**fields: object) -> Receiver:
    row = Receiver(source_title="A test's source", **fields)
    row.full_clean()
    row.save()
    return row


def test_the_national_rows_come_from_the_data_file() -> None:
    rows = {r.kind: r for r in Receiver.objects.filter(trust=None, region=None)}
    fppt, hlro = rows[ReceiverKind.FPPT_RETURN], rows[ReceiverKind.HIGHER_LEVEL_RO]
    assert (fppt.body, fppt.applies_from, fppt.verified) == ("NHS England's regional director", D(2023, 9, 30), True)
    assert "framework for board members" in fppt.source_title and fppt.source_url.startswith("https://www.england")
    assert hlro.body == "NHS England's higher-level responsible officer for the region"
    assert (hlro.applies_from, hlro.verified) == (D(2013, 4, 1), False)  # regulation 12 not read: to be confirmed
    assert "legislation.gov.uk/uksi/2013/391" in hlro.source_url


def test_a_change_entered_ahead_takes_effect_on_its_day(trust: Trust) -> None:
    _row(kind=ReceiverKind.FPPT_RETURN, body="The body named from April 2027", applies_from=D(2027, 4, 1))
    assert receiver(ReceiverKind.FPPT_RETURN, trust, on=D(2027, 3, 31)).body == "NHS England's regional director"  # type: ignore[union-attr]
    assert receiver(ReceiverKind.FPPT_RETURN, trust, on=D(2027, 4, 1)).body == "The body named from April 2027"  # type: ignore[union-attr]
    # before the framework, no one
    assert receiver(ReceiverKind.FPPT_RETURN, trust, on=D(2023, 9, 29)) is None


def test_a_region_or_a_trust_of_its_own_wins_over_the_nation(trust: Trust) -> None:
    other = TrustFactory(region=trust.region)
    _row(kind=ReceiverKind.HIGHER_LEVEL_RO, region=trust.region, body="The region's own", applies_from=D(2026, 1, 1))
    _row(kind=ReceiverKind.HIGHER_LEVEL_RO, trust=other, body="The trust's own", applies_from=D(2026, 6, 1))
    on = D(2026, 7, 1)
    assert receiver(ReceiverKind.HIGHER_LEVEL_RO, trust, on=on).body == "The region's own"  # type: ignore[union-attr]
    assert receiver(ReceiverKind.HIGHER_LEVEL_RO, other, on=on).body == "The trust's own"  # type: ignore[union-attr]
    elsewhere = TrustFactory()
    assert receiver(ReceiverKind.HIGHER_LEVEL_RO, elsewhere, on=on).body.startswith("NHS England")  # type: ignore[union-attr]


def test_a_trust_moves_region_on_the_day_and_its_record_follows(trust: Trust) -> None:
    north, south = trust.region, RegionFactory()
    _row(kind=ReceiverKind.REGION, trust=trust, belongs_to=south, applies_from=D(2027, 1, 1))
    assert region_of(trust, on=D(2026, 12, 31)) == north
    assert region_of(trust, on=D(2027, 1, 1)) == south
    # the daily task, the day before: nothing moves; on the day: the trust record moves, audited
    assert regions_in_step(actor=SYSTEM, today=D(2026, 12, 31)) == 0
    assert regions_in_step(actor=SYSTEM, today=D(2027, 1, 1)) == 1
    trust.refresh_from_db()
    assert trust.region == south
    event = AuditEvent.objects.filter(model="organisation.trust", object_pk=str(trust.pk), action="update").last()
    assert event is not None and "region_id" in event.changes
    # its region before the move stays as it was; a second run moves nothing
    assert region_of(trust, on=D(2026, 12, 31)) == north
    assert regions_in_step(actor=SYSTEM, today=D(2027, 1, 1)) == 0


def test_a_regions_trusts_move_together_and_keep_their_history() -> None:
    north, merged = RegionFactory(), RegionFactory()
    a, b = TrustFactory(region=north), TrustFactory(region=north)
    elsewhere = TrustFactory()
    _row(kind=ReceiverKind.REGION, region=north, belongs_to=merged, applies_from=D(2027, 4, 1))
    assert regions_in_step(actor=SYSTEM, today=D(2027, 4, 1)) == 2
    for t in (a, b):
        t.refresh_from_db()
        assert t.region == merged
        assert region_of(t, on=D(2027, 3, 31)) == north  # recorded as the trust's own move
    assert Receiver.objects.filter(kind=ReceiverKind.REGION, trust__in=[a, b], moves_from=north).count() == 2
    elsewhere_region = elsewhere.region
    elsewhere.refresh_from_db()
    assert elsewhere.region == elsewhere_region


def test_the_daily_task_runs_for_today(trust: Trust) -> None:
    south = RegionFactory()
    _row(kind=ReceiverKind.REGION, trust=trust, belongs_to=south, applies_from=D(2020, 1, 1))
    assert daily_task() == 1
    trust.refresh_from_db()
    assert trust.region == south


def test_a_row_saved_in_the_admin_moves_the_trust_at_once(trust: Trust) -> None:
    south = RegionFactory()
    admin = make_user((Role.SYSTEM_ADMIN, None), is_staff=True, is_superuser=True)
    response = client_for(admin).post(
        "/admin/organisation/receiver/add/",
        {
            "kind": ReceiverKind.REGION,
            "trust": trust.pk,
            "belongs_to": south.pk,
            "applies_from": "2020-01-01",
            "source_title": "The region's letter",
            "source_url": "",
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    trust.refresh_from_db()
    assert trust.region == south
    assert AuditEvent.objects.filter(model="organisation.receiver", action="create").exists()


def test_the_admin_refuses_a_row_that_says_too_little_or_too_much(trust: Trust) -> None:
    admin = make_user((Role.SYSTEM_ADMIN, None), is_staff=True, is_superuser=True)
    response = client_for(admin).post(
        "/admin/organisation/receiver/add/",
        {"kind": ReceiverKind.REGION, "applies_from": "2020-01-01", "source_title": "x", "body": "Someone"},
    )
    page = response.content.decode()
    assert response.status_code == 200
    assert "Choose the region the trust belongs to from this date." in page
    assert "Name the trust that moves" in page
    assert "leave this empty" in page


def test_the_annual_return_names_its_receiver_on_the_day_it_was_signed_off(trust: Trust) -> None:
    cosec = make_user((Role.COMPANY_SECRETARY, trust))
    chair = PersonFactory(trust=trust)
    _row(kind=ReceiverKind.FPPT_RETURN, body="The body named from 2026", applies_from=D(2026, 1, 1))
    AnnualReturn.objects.create(trust=trust, year=2025, submitted_on=D(2025, 12, 10), submitted_by=chair, rows=[])
    signed = client_for(cosec).get(f"/t/{trust.code}/fit-and-proper/return/2025/").content.decode()
    assert "For NHS England&#39;s regional director (NHS England, Fit and proper person test framework" in signed
    draft = client_for(cosec).get(f"/t/{trust.code}/fit-and-proper/return/2026/").content.decode()
    assert "For The body named from 2026 (A test&#39;s source, to be confirmed)" in draft


def test_the_responsible_officers_report_names_the_higher_level_responsible_officer(trust: Trust) -> None:
    ro = make_user((Role.RESPONSIBLE_OFFICER, trust))
    page = client_for(ro).get(f"/t/{trust.code}/revalidation/report/?year=2025").content.decode()
    assert "higher-level responsible officer: NHS England&#39;s higher-level responsible officer for the region" in page
    assert "to be confirmed" in page
