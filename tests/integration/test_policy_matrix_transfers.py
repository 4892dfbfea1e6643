"""Issue 34, the information transfer: rows of the hand-written matrix for its permissions, and its pages, on a world
of three trusts. Nothing here is derived from the policy under test: each row is who a responsible officer would say
may do it.

The world: Northbridge (``new``) asked Eastmoor (``previous``) for a moved doctor's transfer. Northbridge's
responsible officer (``new_ro``, an account with no person, as the demo's), a second responsible officer there who is
a doctor themselves (``ro_doctor``), Eastmoor's responsible officer (``prev_ro``), the doctor (``doctor``, at
Northbridge now), a colleague of theirs, both trusts' medical directors, Northbridge's medical staffing, the system
administrator (a superuser), the region's medical director, and an unrelated trust's responsible officer and
medical director."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client

from medlead.accounts.models import Role
from medlead.core.audit import AuditEvent
from medlead.core.policy import Perm, can
from medlead.organisation.models import Trust
from tests.conftest import client_for
from tests.factories import (
    PersonFactory,
    RegionFactory,
    TrustFactory,
    information_transfer,
    make_user,
    moved_doctor,
)

pytestmark = pytest.mark.django_db

IDENTITIES = [
    "new_ro",
    "ro_doctor",
    "prev_ro",
    "doctor",
    "colleague",
    "new_md",
    "prev_md",
    "hr",
    "admin",
    "rmd",
    "other_ro",
    "other_md",
]
SECRET = "A prescribing review closed with no further action"

EXPECTED: list[tuple[Perm, str, set[str]]] = [
    # asking: each trust's own responsible officers, over their own trust
    (Perm.REQUEST_INFORMATION_TRANSFER, "new", {"new_ro", "ro_doctor"}),
    (Perm.REQUEST_INFORMATION_TRANSFER, "previous", {"prev_ro"}),
    (Perm.REQUEST_INFORMATION_TRANSFER, "other", {"other_ro"}),
    # waiting: the previous responsible officer completes it; the asking trust's withdraw it; both ROs and the doctor
    # know of it; nobody reads it yet
    (Perm.VIEW_INFORMATION_TRANSFER, "waiting", {"new_ro", "ro_doctor", "prev_ro", "doctor"}),
    (Perm.COMPLETE_INFORMATION_TRANSFER, "waiting", {"prev_ro"}),
    (Perm.WITHDRAW_INFORMATION_TRANSFER, "waiting", {"new_ro", "ro_doctor"}),
    (Perm.READ_INFORMATION_TRANSFER, "waiting", set()),
    # sent: only the asking trust's responsible officers read it; the previous one no longer completes it
    (Perm.VIEW_INFORMATION_TRANSFER, "sent", {"new_ro", "ro_doctor", "prev_ro", "doctor"}),
    (Perm.READ_INFORMATION_TRANSFER, "sent", {"new_ro", "ro_doctor"}),
    (Perm.COMPLETE_INFORMATION_TRANSFER, "sent", set()),
    (Perm.WITHDRAW_INFORMATION_TRANSFER, "sent", set()),
    # a transfer about a responsible officer themselves: they see that it exists, never read it
    (Perm.VIEW_INFORMATION_TRANSFER, "own", {"new_ro", "ro_doctor", "prev_ro"}),
    (Perm.READ_INFORMATION_TRANSFER, "own", {"new_ro"}),
    (Perm.WITHDRAW_INFORMATION_TRANSFER, "own", set()),
    # declined or withdrawn: closed for everyone
    (Perm.VIEW_INFORMATION_TRANSFER, "declined", {"new_ro", "ro_doctor", "prev_ro", "doctor"}),
    (Perm.READ_INFORMATION_TRANSFER, "declined", set()),
    (Perm.COMPLETE_INFORMATION_TRANSFER, "declined", set()),
    (Perm.WITHDRAW_INFORMATION_TRANSFER, "withdrawn", set()),
    (Perm.COMPLETE_INFORMATION_TRANSFER, "withdrawn", set()),
]


@pytest.fixture
def world() -> dict[str, Any]:
    region = RegionFactory()
    new = TrustFactory(name="Northbridge Test Trust", region=region)
    previous = TrustFactory(name="Eastmoor Test Trust", region=region)
    other = TrustFactory(name="Westvale Test Trust", region=region)
    before, doctor = moved_doctor(previous, new)
    colleague = PersonFactory(trust=new)
    ro_before, ro_person = moved_doctor(previous, new)  # the second RO moved from Eastmoor too
    users = {
        "new_ro": make_user((Role.RESPONSIBLE_OFFICER, new)),
        "ro_doctor": make_user((Role.RESPONSIBLE_OFFICER, new), (Role.DOCTOR, new), person=ro_person),
        "prev_ro": make_user((Role.RESPONSIBLE_OFFICER, previous), person=PersonFactory(trust=previous)),
        "doctor": make_user((Role.DOCTOR, new), person=doctor),
        "colleague": make_user((Role.DOCTOR, new), person=colleague),
        "new_md": make_user((Role.MEDICAL_DIRECTOR, new), (Role.DOCTOR, new), person=PersonFactory(trust=new)),
        "prev_md": make_user(
            (Role.MEDICAL_DIRECTOR, previous), (Role.DOCTOR, previous), person=PersonFactory(trust=previous)
        ),
        "hr": make_user((Role.MEDICAL_STAFFING, new)),
        "admin": make_user((Role.SYSTEM_ADMIN, None), is_superuser=True, is_staff=True),
        "rmd": make_user((Role.REGIONAL_MEDICAL_DIRECTOR, region)),
        "other_ro": make_user((Role.RESPONSIBLE_OFFICER, other)),
        "other_md": make_user((Role.MEDICAL_DIRECTOR, other), person=PersonFactory(trust=other)),
    }
    asker = users["new_ro"]
    answers = {"connected_from": "2019-09-01", "connected_until": "2026-08-31", "patient_safety": "yes"}
    answers["patient_safety_details"] = SECRET
    records: dict[str, Any] = {
        "new": new,
        "previous": previous,
        "other": other,
        "waiting": information_transfer(doctor, previous, asker),
        "sent": information_transfer(
            doctor, previous, asker, status="sent", answers=answers, sent_by=users["prev_ro"], sent_on="2026-10-20"
        ),
        "own": information_transfer(
            ro_person, previous, asker, status="sent", answers=answers, sent_by=users["prev_ro"], sent_on="2026-10-20"
        ),
        "declined": information_transfer(doctor, previous, asker, status="not_connected", reason="Never ours"),
        "withdrawn": information_transfer(doctor, previous, asker, status="withdrawn", reason="Wrong trust"),
    }
    assert before.pk and ro_before.pk
    return {"users": users, "records": records}


@pytest.mark.parametrize(("perm", "record", "allowed"), EXPECTED, ids=[f"{p.value}@{r}" for p, r, _ in EXPECTED])
def test_the_hand_written_rows(world: dict[str, Any], perm: Perm, record: str, allowed: set[str]) -> None:
    obj = world["records"][record]
    got = {name for name in IDENTITIES if can(world["users"][name], perm, obj)}
    assert got == allowed, f"unexpected: {sorted(got - allowed)}; missing: {sorted(allowed - got)}"


def _url(trust: Trust, transfer: Any, tail: str = "") -> str:
    return f"/t/{trust.code}/information-transfers/{transfer.pk}/{tail}"


# (record, the trust whose address opens it, the page's tail) -> who gets the page; everyone else gets 404: whether
# the record exists is itself confidential, within the trusts as across them.
PAGES: dict[str, tuple[str, str, str, set[str]]] = {
    "the sent transfer, asking side": ("sent", "new", "", {"new_ro", "ro_doctor", "doctor"}),
    "the sent transfer, asked side": ("sent", "previous", "", {"prev_ro"}),
    "the sent transfer's PDF": ("sent", "new", "pdf/", {"new_ro", "ro_doctor"}),
    "the PDF under the asked trust": ("sent", "previous", "pdf/", set()),
    "the waiting request, asked side": ("waiting", "previous", "", {"prev_ro"}),
    "the form to complete": ("waiting", "previous", "complete/", {"prev_ro"}),
    "the form under the asking trust": ("waiting", "new", "complete/", set()),
    "declining": ("waiting", "previous", "not-connected/", {"prev_ro"}),
    "withdrawing": ("waiting", "new", "withdraw/", {"new_ro", "ro_doctor"}),
    "a transfer about oneself, its PDF": ("own", "new", "pdf/", {"new_ro"}),
}


@pytest.mark.parametrize("page", sorted(PAGES))
def test_pages_answer_404_to_everyone_the_rows_do_not_name(world: dict[str, Any], page: str) -> None:
    record, trust, tail, allowed = PAGES[page]
    records = world["records"]
    url = _url(records[trust], records[record], tail)
    assert Client().get(url).status_code == 302  # signed out: to the sign-in page
    for name in IDENTITIES:
        status = client_for(world["users"][name]).get(url).status_code
        if name in allowed:
            assert status == 200, (name, url, status)
        else:
            assert status == 404, (name, url, status)


def test_only_the_asking_trusts_responsible_officer_sees_the_answers(world: dict[str, Any]) -> None:
    records, users = world["records"], world["users"]
    sent = records["sent"]
    shown = {
        name: client_for(users[name]).get(_url(records[trust], sent)).content.decode()
        for name, trust in (("new_ro", "new"), ("doctor", "new"), ("prev_ro", "previous"))
    }
    assert SECRET in shown["new_ro"]
    assert SECRET not in shown["doctor"] and SECRET not in shown["prev_ro"]
    assert "Sent on 20 October 2026" in shown["doctor"] and "You sent it on 20 October 2026" in shown["prev_ro"]


def test_every_read_is_audited_without_its_content(world: dict[str, Any]) -> None:
    records, users = world["records"], world["users"]
    sent = records["sent"]
    client = client_for(users["new_ro"])
    client.get(_url(records["new"], sent))
    client.get(_url(records["new"], sent, "pdf/"))
    reads = AuditEvent.objects.filter(model="transfers.informationtransfer", object_pk=str(sent.pk), action="read")
    assert reads.count() == 2
    assert set(reads.values_list("actor_id", flat=True)) == {users["new_ro"].pk}
    trail = list(AuditEvent.objects.filter(model="transfers.informationtransfer").values_list("changes", "object_repr"))
    assert trail and not any(SECRET in str(changes) or SECRET in label for changes, label in trail)
    # the first read is noted, once; the answers were never copied (the field is named, its value withheld)
    noted = AuditEvent.objects.get(model="transfers.informationtransfer", object_pk=str(sent.pk), action="update")
    assert set(noted.changes) == {"first_read_on"}


@pytest.mark.parametrize("name", ["other_ro", "other_md", "rmd", "admin", "prev_md", "new_md", "hr", "colleague"])
def test_an_account_the_rows_do_not_name_gets_404_for_every_transfer_under_either_trust(
    world: dict[str, Any], name: str
) -> None:
    records = world["records"]
    client = client_for(world["users"][name])
    for record in ("waiting", "sent", "own", "declined", "withdrawn"):
        for trust in ("new", "previous"):
            for tail in ("", "pdf/", "complete/", "withdraw/", "not-connected/"):
                url = _url(records[trust], records[record], tail)
                assert client.get(url).status_code == 404, (name, url)


def test_the_lists_are_each_trusts_responsible_officers(world: dict[str, Any]) -> None:
    records, users = world["records"], world["users"]
    for trust, allowed in (("new", {"new_ro", "ro_doctor"}), ("previous", {"prev_ro"})):
        url = f"/t/{records[trust].code}/information-transfers/"
        for name in IDENTITIES:
            status = client_for(users[name]).get(url).status_code
            if name in allowed:
                assert status == 200, (name, url)
            else:
                # a trust the account does not see at all is not found; one it sees, refused (403)
                assert status in (403, 404), (name, url, status)
                if name in ("other_ro", "other_md"):
                    assert status == 404, (name, url, status)


def test_a_doctor_sees_that_it_happened_on_their_own_page(world: dict[str, Any]) -> None:
    records, users = world["records"], world["users"]
    page = client_for(users["doctor"]).get(f"/t/{records['new'].code}/information-transfers/yours/")
    text = page.content.decode()
    assert page.status_code == 200
    assert "Eastmoor Test Trust" in text and "Sent on 20 October 2026" in text and SECRET not in text


def test_a_user_who_is_not_the_doctor_has_no_page_of_their_own_here(world: dict[str, Any]) -> None:
    records = world["records"]
    url = f"/t/{records['new'].code}/information-transfers/yours/"
    assert client_for(world["users"]["new_ro"]).get(url).status_code == 403  # an RO with no person of the trust
    assert client_for(world["users"]["other_md"]).get(url).status_code == 404
