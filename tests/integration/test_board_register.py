"""The board register on medlead's own pages (issue 29, item 1): the company secretary and the chair keep the
board's seats with a reason, a check of the answers and a confirmation; a seat that opens fit and proper records
(the chair, the senior independent director) waits for a second approver who is neither the requester nor the
person seated; ordinary seats and the end of a term take effect at once; the superuser has no way to a seat; bad
input is a form error; another trust's register is not found."""

from __future__ import annotations

import datetime as dt
import html
import re
from typing import Any

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from medlead.accounts.models import AccessRequest, Role, User
from medlead.core.audit import AuditEvent
from medlead.core.dates import today
from medlead.core.policy import Perm, can
from medlead.organisation import services
from medlead.organisation.models import BoardMember, Person, Trust
from tests.conftest import client_for
from tests.factories import PersonFactory, make_user

pytestmark = pytest.mark.django_db

REASON = "Appointed by the council of governors on 2 March."


def manager(trust: Trust, first: str, last: str) -> Person:
    return PersonFactory(trust=trust, kind="manager", grade="", first_name=first, last_name=last, gmc_number="")


@pytest.fixture
def cosec(trust: Trust) -> User:
    return make_user((Role.COMPANY_SECRETARY, trust), username="cosec", email="cosec@example.org")


@pytest.fixture
def caldicott(trust: Trust) -> User:
    return make_user((Role.CALDICOTT_GUARDIAN, trust), username="caldicott", email="caldicott@example.org")


@pytest.fixture
def root(trust: Trust) -> User:
    return make_user((Role.SYSTEM_ADMIN, None), username="root", is_superuser=True, is_staff=True)


@pytest.fixture
def newcomer(trust: Trust) -> Person:
    return manager(trust, "Nadia", "Okafor")


def board(trust: Trust) -> str:
    return f"/t/{trust.code}/fit-and-proper/board/"


def checked(client: Client, url: str, data: dict[str, str]) -> dict[str, str]:
    """Post the answers; the check page must show them and carry them, as hidden fields, to the confirmation."""
    check = client.post(url, data | {"step": "check"})
    page = check.content.decode()
    assert check.status_code == 200 and "Check your answers" in page, page[:3000]
    return {
        name: html.unescape(value)
        for name, value in re.findall(r'<input type="hidden" name="([\w\[\]]+)" value="([^"]*)">', page)
        if name != "csrfmiddlewaretoken"
    }


def add(client: Client, trust: Trust, data: dict[str, str]) -> Any:
    carried = checked(client, board(trust) + "add/", data)
    return client.post(board(trust) + "add/confirm/", carried, follow=True)


def chair_answers(person: Person) -> dict[str, str]:
    return {"person": str(person.pk), "role": "chair", "start": "2026-04-01", "voting": "on", "reason": REASON}


# ------------------------------------------------------------------------------------------ ordinary seats


def test_the_company_secretary_adds_a_non_executive_director_at_once(
    trust: Trust, cosec: User, newcomer: Person
) -> None:
    client = client_for(cosec)
    assert client.get(board(trust)).status_code == 200
    form = client.get(board(trust) + "add/").content.decode()
    assert "Add a board member" in form and "Start of the term" in form

    data = {
        "person": str(newcomer.pk),
        "role": "non_executive",
        "start": "2026-04-01",
        "term_ends": "2029-03-31",
        "voting": "on",
        "reason": REASON,
    }
    check = client.post(board(trust) + "add/", data | {"step": "check"}).content.decode()
    for said in ("Nadia Okafor", "Non-executive director", "1 April 2026", "31 March 2029", REASON):
        assert said in check, said
    assert "Confirming makes the change now" in check
    assert not BoardMember.objects.exists()  # nothing until confirmed

    page = add(client, trust, data)
    assert page.status_code == 200
    assert "Member added: the seat counts from the next page." in page.content.decode()
    seat = BoardMember.objects.get()
    assert (seat.trust, seat.person, seat.role) == (trust, newcomer, "non_executive")
    assert (seat.start, seat.term_ends, seat.end) == (dt.date(2026, 4, 1), dt.date(2029, 3, 31), None)
    assert seat.voting and not seat.interim and not seat.senior_independent
    assert not AccessRequest.objects.exists()
    event = AuditEvent.objects.get(model="organisation.boardmember", action="create")
    assert event.actor_username == "cosec" and REASON in event.note
    assert "Nadia Okafor" in client.get(board(trust)).content.decode()


def test_changing_your_answers_keeps_them(trust: Trust, cosec: User, newcomer: Person) -> None:
    client = client_for(cosec)
    data = {"person": str(newcomer.pk), "role": "finance_director", "start": "2026-04-01", "reason": REASON}
    carried = checked(client, board(trust) + "add/", data)
    again = client.post(board(trust) + "add/", carried | {"step": "change"}).content.decode()
    assert "Nadia Okafor" in again and REASON in again and 'value="finance_director" selected' in again
    assert not BoardMember.objects.exists()


def test_ending_a_term_takes_effect_at_once_and_closes_the_chairs_records(trust: Trust, cosec: User) -> None:
    chair_p = manager(trust, "Clara", "Chair")
    chair = make_user((Role.NON_EXECUTIVE, trust), username="chair", person=chair_p)
    seat = BoardMember.objects.create(trust=trust, person=chair_p, role="chair", start=dt.date(2023, 1, 1))
    assert client_for(chair).get(f"/t/{trust.code}/fit-and-proper/").status_code == 200

    client = client_for(cosec)
    url = board(trust) + f"{seat.pk}/end/"
    carried = checked(client, url, {"end": today().isoformat(), "reason": "Resigned."})
    page = client.post(url + "confirm/", carried, follow=True).content.decode()
    assert "Term ended" in page
    seat.refresh_from_db()
    assert seat.end == today()
    assert not AccessRequest.objects.exists()  # removing access never waits
    assert AuditEvent.objects.filter(model="organisation.boardmember", action="update", note__contains="Resigned.")
    # the former chair's next page: the fit and proper records are closed to them
    assert client_for(User.objects.get(pk=chair.pk)).get(f"/t/{trust.code}/fit-and-proper/").status_code == 403


# ------------------------------------------------------------------------------- seats that open records


def test_seating_a_chair_waits_for_a_second_approver_and_takes_effect_on_approval(
    trust: Trust, cosec: User, caldicott: User, newcomer: Person, django_capture_on_commit_callbacks: Any
) -> None:
    newcomer_account = make_user((Role.NON_EXECUTIVE, trust), username="nadia", person=newcomer)
    client = client_for(cosec)
    check = client.post(board(trust) + "add/", chair_answers(newcomer) | {"step": "check"}).content.decode()
    assert "Confirming asks a second" in check

    with django_capture_on_commit_callbacks(execute=True):
        page = add(client, trust, chair_answers(newcomer))
    text = page.content.decode()
    assert "Request sent" in text and "nothing changes until a second" in text
    assert "Seat Nadia Okafor on the board as chair" in text
    req = AccessRequest.objects.get()
    assert (req.kind, req.status, req.person, req.board_role, req.account) == (
        "board_seat",
        "pending",
        newcomer,
        "chair",
        None,
    )
    assert not BoardMember.objects.exists()
    assert client_for(newcomer_account).get(f"/t/{trust.code}/fit-and-proper/").status_code == 403
    told = [m for m in mail.outbox if m.to == ["caldicott@example.org"]]
    assert len(told) == 1 and "Seat Nadia Okafor on the board as chair" in told[0].body
    assert "Seat Nadia Okafor on the board as chair" in client.get(board(trust)).content.decode()  # waiting

    # the requester cannot approve it
    assert client.post(f"/t/{trust.code}/access/requests/{req.pk}/approve/", {"note": ""}).status_code == 403
    assert not BoardMember.objects.exists()

    # the trust's Caldicott guardian does; the seat is made then, in their name
    approver = client_for(caldicott)
    assert "waits for your approval" in approver.get(f"/t/{trust.code}/").content.decode()
    done = approver.post(f"/t/{trust.code}/access/requests/{req.pk}/approve/", {"note": "Seen the minute."})
    assert done.status_code == 302
    seat = BoardMember.objects.get()
    assert (seat.person, seat.role, seat.start, seat.end) == (newcomer, "chair", dt.date(2026, 4, 1), None)
    req.refresh_from_db()
    assert (req.status, req.decided_by) == ("approved", caldicott)
    event = AuditEvent.objects.get(model="organisation.boardmember", action="create")
    assert event.actor_username == "caldicott" and f"access request {req.pk} approved" in event.note
    assert (
        client_for(User.objects.get(pk=newcomer_account.pk)).get(f"/t/{trust.code}/fit-and-proper/").status_code == 200
    )


def test_the_person_seated_cannot_approve_their_own_seat(trust: Trust, cosec: User, caldicott: User) -> None:
    # a system administrator of the trust who is themselves the person to be seated as chair
    admin_p = manager(trust, "Sam", "Admin")
    admin = make_user((Role.SYSTEM_ADMIN, trust), username="sam", person=admin_p)
    add(client_for(cosec), trust, chair_answers(admin_p))
    req = AccessRequest.objects.get()
    assert not can(admin, Perm.DECIDE_ACCESS_REQUEST, req)
    assert client_for(admin).post(f"/t/{trust.code}/access/requests/{req.pk}/approve/", {}).status_code == 403
    assert not BoardMember.objects.exists()
    assert can(caldicott, Perm.DECIDE_ACCESS_REQUEST, req)


def test_a_requester_who_is_also_the_caldicott_guardian_cannot_approve_their_own_request(
    trust: Trust, newcomer: Person
) -> None:
    both = make_user((Role.COMPANY_SECRETARY, trust), (Role.CALDICOTT_GUARDIAN, trust), username="both")
    add(client_for(both), trust, chair_answers(newcomer))
    req = AccessRequest.objects.get()
    assert not can(both, Perm.DECIDE_ACCESS_REQUEST, req)
    assert client_for(both).post(f"/t/{trust.code}/access/requests/{req.pk}/approve/", {}).status_code == 403
    assert not BoardMember.objects.exists()


def test_an_approval_is_checked_again_as_things_stand(
    trust: Trust, cosec: User, caldicott: User, newcomer: Person
) -> None:
    client = client_for(cosec)
    add(client, trust, chair_answers(newcomer))
    first = AccessRequest.objects.get()
    BoardMember.objects.create(trust=trust, person=manager(trust, "Other", "Chair"), role="chair")  # seated since
    page = client_for(caldicott).post(f"/t/{trust.code}/access/requests/{first.pk}/approve/", {"note": ""})
    assert page.status_code == 200 and "The board has a chair, Other Chair: end their term first." in html.unescape(
        page.content.decode()
    )
    first.refresh_from_db()
    assert first.status == "pending" and not BoardMember.objects.filter(person=newcomer).exists()


def test_naming_the_senior_independent_director_waits_and_replaces_the_last_one(
    trust: Trust, cosec: User, caldicott: User
) -> None:
    old = BoardMember.objects.create(
        trust=trust, person=manager(trust, "Olu", "Old"), role="non_executive", senior_independent=True
    )
    new = BoardMember.objects.create(trust=trust, person=manager(trust, "Nia", "New"), role="non_executive")
    client = client_for(cosec)
    url = board(trust) + f"{new.pk}/senior-independent/"
    carried = checked(client, url, {"reason": "Agreed by the board on 2 March."})
    page = client.post(url + "confirm/", carried, follow=True).content.decode()
    assert "Request sent" in page
    new.refresh_from_db()
    assert not new.senior_independent
    req = AccessRequest.objects.get()
    assert (req.kind, req.board_seat, req.person) == ("senior_independent", new, new.person)
    client_for(caldicott).post(f"/t/{trust.code}/access/requests/{req.pk}/approve/", {"note": ""})
    new.refresh_from_db()
    old.refresh_from_db()
    assert new.senior_independent and not old.senior_independent


# --------------------------------------------------------------------------- nobody seats or changes themselves


def test_the_superuser_has_no_board_seats_anywhere(trust: Trust, root: User, newcomer: Person) -> None:
    client = client_for(root)
    assert root.person_id is None  # no person, so no seat of its own to give itself
    assert client.get(board(trust)).status_code == 403
    assert client.get(board(trust) + "add/").status_code == 403
    assert client.post(board(trust) + "add/confirm/", chair_answers(newcomer)).status_code == 403
    for path in ("/admin/organisation/boardmember/", "/admin/organisation/boardmember/add/"):
        assert client.get(path).status_code == 404, path
    assert "Board members" not in client.get("/admin/").content.decode()
    assert not BoardMember.objects.exists() and not AccessRequest.objects.exists()


def test_the_chair_keeps_the_board_but_never_their_own_seat(trust: Trust, newcomer: Person) -> None:
    chair_p = manager(trust, "Clara", "Chair")
    chair = make_user((Role.NON_EXECUTIVE, trust), username="chair", person=chair_p)
    own = BoardMember.objects.create(trust=trust, person=chair_p, role="chair", start=dt.date(2023, 1, 1))
    client = client_for(chair)
    page = client.get(board(trust)).content.decode()
    assert "Your own seat: another officer changes it" in page
    assert client.get(board(trust) + f"{own.pk}/end/").status_code == 403
    assert client.post(board(trust) + f"{own.pk}/end/confirm/", {"end": "2026-01-01", "reason": "x"}).status_code == 403
    # seating themselves a second time is refused too
    data = {"person": str(chair_p.pk), "role": "non_executive", "start": "2026-04-01", "reason": REASON}
    assert client.post(board(trust) + "add/confirm/", data).status_code == 403
    own.refresh_from_db()
    assert own.end is None and BoardMember.objects.count() == 1
    # another member: at once
    add(client, trust, {"person": str(newcomer.pk), "role": "chief_executive", "start": "2026-04-01", "reason": REASON})
    assert BoardMember.objects.filter(person=newcomer, role="chief_executive").exists()


# ----------------------------------------------------------------------------------------- bad input, tenancy


@pytest.mark.parametrize(
    ("field", "value", "error"),
    [
        ("role", "abc", "Choose the seat from the list."),
        ("role", "' OR 1=1 --", "Choose the seat from the list."),
        ("person", "' OR 1=1 --", ""),
        ("person", "0", ""),
        ("person", "x" * 100_000, "at most 200 characters"),
        ("start", "0000-00-00", "Enter the start of the term as a real date"),
        ("start", "²/4/2026", "Enter the start of the term as a real date"),
        ("term_ends", "2020-01-01", "The term of office ends after it starts."),
        ("reason", "x" * 100_000, "A reason is at most 1000 characters."),
        ("reason", "", "Say why."),
    ],
)
def test_bad_input_is_a_form_error_and_changes_nothing(
    trust: Trust, cosec: User, newcomer: Person, field: str, value: str, error: str
) -> None:
    data = {"person": str(newcomer.pk), "role": "non_executive", "start": "2026-04-01", "reason": REASON} | {
        field: value
    }
    client = client_for(cosec)
    for url in (board(trust) + "add/", board(trust) + "add/confirm/"):
        page = client.post(url, data | {"step": "check"})
        text = html.unescape(page.content.decode())
        assert page.status_code == 200 and "There is a problem" in text, (url, text[:2000])
        assert error in text, (url, error)
    assert not BoardMember.objects.exists() and not AccessRequest.objects.exists()


def test_a_senior_independent_director_is_a_non_executive(trust: Trust, cosec: User, newcomer: Person) -> None:
    data = {
        "person": str(newcomer.pk),
        "role": "chief_executive",
        "start": "2026-04-01",
        "senior_independent": "on",
        "reason": REASON,
    }
    text = html.unescape(client_for(cosec).post(board(trust) + "add/confirm/", data).content.decode())
    assert "The senior independent director is a non-executive director." in text
    assert not BoardMember.objects.exists()


def test_a_term_cannot_end_in_the_future_or_before_it_started(trust: Trust, cosec: User, newcomer: Person) -> None:
    seat = BoardMember.objects.create(trust=trust, person=newcomer, role="non_executive", start=dt.date(2025, 1, 1))
    client = client_for(cosec)
    for end, error in (
        ((today() + dt.timedelta(days=1)).isoformat(), "enter today or a past date"),
        ("2024-12-31", "it cannot end before that"),
        ("abc", "Enter the date the term ended as a real date"),
    ):
        text = html.unescape(
            client.post(board(trust) + f"{seat.pk}/end/confirm/", {"end": end, "reason": "Left."}).content.decode()
        )
        assert error in text, end
    seat.refresh_from_db()
    assert seat.end is None


def test_another_trusts_register_and_seats_are_not_found(trust: Trust, other_trust: Trust, cosec: User) -> None:
    theirs = BoardMember.objects.create(trust=other_trust, person=manager(other_trust, "T", "Theirs"), role="chair")
    client = client_for(cosec)
    assert client.get(board(other_trust)).status_code == 404
    assert client.get(board(other_trust) + "add/").status_code == 404
    assert client.get(board(trust) + f"{theirs.pk}/end/").status_code == 404  # not a seat of this trust
    assert (
        client.post(board(trust) + f"{theirs.pk}/end/confirm/", {"end": "2026-01-01", "reason": "x"}).status_code == 404
    )
    assert client.get(board(trust) + "nonsense/").status_code == 404
    theirs.refresh_from_db()
    assert theirs.end is None


def test_a_doctor_may_not_keep_the_board(trust: Trust, newcomer: Person) -> None:
    doctor = make_user((Role.DOCTOR, trust), username="doc", person=PersonFactory(trust=trust))
    client = client_for(doctor)
    assert client.get(board(trust)).status_code == 403
    assert client.post(board(trust) + "add/confirm/", chair_answers(newcomer)).status_code == 403
    assert not BoardMember.objects.exists() and not AccessRequest.objects.exists()


def test_the_register_costs_the_same_queries_however_big_the_board(trust: Trust, cosec: User) -> None:
    client = client_for(cosec)

    def seat_some(n: int) -> None:
        for i in range(n):
            BoardMember.objects.create(trust=trust, person=manager(trust, "Member", f"N{i}"), role="non_executive")

    seat_some(2)
    client.get(board(trust))
    with CaptureQueriesContext(connection) as few:
        assert client.get(board(trust)).status_code == 200
    seat_some(10)
    with CaptureQueriesContext(connection) as many:
        assert client.get(board(trust)).status_code == 200
    assert len(many) == len(few)


def test_the_seat_writers_are_no_way_round_the_second_approver(trust: Trust, cosec: User, newcomer: Person) -> None:
    with pytest.raises(ValidationError, match="takes effect only when a second approver approves it"):
        services.board_seat_create(
            actor=cosec, seat=BoardMember(trust=trust, person=newcomer, role="chair"), reason=REASON
        )
    ned = BoardMember.objects.create(trust=trust, person=newcomer, role="non_executive")
    with pytest.raises(ValidationError, match="only when a second approver approves it"):
        services.senior_independent_set(actor=cosec, seat=ned, reason=REASON)
    ned.refresh_from_db()
    assert not ned.senior_independent and BoardMember.objects.count() == 1
