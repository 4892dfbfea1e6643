"""Access management on medlead's own pages (issue 29): nobody grants access to themselves (on the pages, in the
admin, by command), a sensitive grant waits for a second approver, the Caldicott guardian sees it, every form
refuses bad input as a form error, and the account list costs the same queries however many accounts it shows."""

from __future__ import annotations

import html
import re
from typing import Any

import pytest
from django.core import mail
from django.core.management import CommandError, call_command
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from medlead.accounts.models import AccessRequest, Role, RoleAssignment, User
from medlead.core.audit import AuditEvent
from medlead.organisation.models import Trust
from tests.conftest import client_for
from tests.factories import PersonFactory, make_user

pytestmark = pytest.mark.django_db

REASON = "Started as clinical director of cardiology on 1 March."


@pytest.fixture
def root(trust: Trust) -> User:
    """The system administrator as the demo's ``admin``: a superuser holding the national role."""
    return make_user((Role.SYSTEM_ADMIN, None), username="root", is_superuser=True, is_staff=True)


@pytest.fixture
def trust_admin(trust: Trust) -> User:
    return make_user((Role.SYSTEM_ADMIN, trust), username="trust-admin")


@pytest.fixture
def caldicott(trust: Trust) -> User:
    return make_user((Role.CALDICOTT_GUARDIAN, trust), username="caldicott", email="caldicott@example.org")


@pytest.fixture
def colleague(trust: Trust) -> User:
    return make_user((Role.DOCTOR, trust), username="colleague", person=PersonFactory(trust=trust))


def base(trust: Trust, account: User) -> str:
    return f"/t/{trust.code}/access/accounts/{account.pk}/"


def confirm(client: Client, trust: Trust, account: User, change: str, data: dict[str, str]) -> Any:
    """Check the answers, then confirm them as a person does: posting what the check page carries."""
    check = client.post(base(trust, account) + f"{change}/", data | {"step": "check"})
    page = check.content.decode()
    assert check.status_code == 200 and "Check your answers" in page, page[:3000]
    carried = {
        name: html.unescape(value)
        for name, value in re.findall(r'<input type="hidden" name="(\w+)" value="([^"]*)">', page)
        if name != "csrfmiddlewaretoken"
    }
    assert carried == data
    return client.post(base(trust, account) + f"{change}/confirm/", carried)


# ------------------------------------------------------------------------------ nobody grants themselves access


def test_the_superuser_cannot_grant_itself_a_role_or_a_person_on_the_pages(trust: Trust, root: User) -> None:
    investigator = PersonFactory(trust=trust)
    client = client_for(root)
    page = client.get(base(trust, root)).content.decode()
    assert "Nobody changes their own access" in page
    for change, data in (
        ("grant-role", {"role": "company_secretary", "scope": "trust", "reason": REASON}),
        ("link-person", {"person": str(investigator.pk), "reason": REASON}),
        ("sign-on", {"subject": "my-own-identity", "reason": REASON}),
    ):
        assert client.get(base(trust, root) + f"{change}/").status_code == 403, change
        assert client.post(base(trust, root) + f"{change}/confirm/", data).status_code == 403, change
    root.refresh_from_db()
    assert root.person_id is None and root.sso_subject is None
    assert set(root.role_assignments.values_list("role", flat=True)) == {"system_admin"}
    assert not AccessRequest.objects.exists()


def test_the_superuser_cannot_do_it_in_the_admin_either(trust: Trust, root: User) -> None:
    client = client_for(root)
    for path in (
        "/admin/accounts/user/",
        f"/admin/accounts/user/{root.pk}/change/",
        "/admin/accounts/roleassignment/add/",
        "/admin/auth/group/",
        "/admin/audit/auditevent/",
        "/admin/organisation/person/",
        "/admin/structure/holding/",
        "/admin/jobplans/jobplan/",
        "/admin/concerns/case/",
    ):
        assert client.get(path).status_code == 404, path
    assert client.post(f"/admin/accounts/user/{root.pk}/change/", {"person": "1"}).status_code == 404
    # what stays is reference data
    assert client.get("/admin/organisation/trust/").status_code == 200
    index = client.get("/admin/").content.decode()
    assert "Accounts and roles" not in index and "Audit" not in index and "People" not in index


def test_the_admin_holds_only_the_allow_listed_reference_data() -> None:
    from django.contrib import admin

    from medlead.core.admin import admin_holds_reference_data_only

    registered = {m._meta.label_lower for m in admin.site._registry}
    assert registered == {
        "organisation.region",
        "organisation.receiver",  # who receives what, dated (issue 34)
        "organisation.trust",
        "organisation.division",
        "organisation.site",
        "organisation.specialty",
        "organisation.committee",
        "structure.posttype",
        "structure.portfoliofunction",
        "governance.metric",
        "governance.externalbody",
        "jobplans.jobplanpolicy",
    }
    assert admin_holds_reference_data_only() == []
    # a new registration of anything else fails the system check
    admin.site.register(User)
    try:
        assert [e.id for e in admin_holds_reference_data_only()] == ["medlead.E029"]
    finally:
        admin.site.unregister(User)


def test_the_person_admin_is_gone_so_no_account_link_is_shown_there(trust: Trust, root: User) -> None:
    person = PersonFactory(trust=trust)
    assert client_for(root).get(f"/admin/organisation/person/{person.pk}/change/").status_code == 404


def test_the_commands_refuse_a_change_to_the_acting_account(trust: Trust, root: User) -> None:
    with pytest.raises(CommandError, match="Refused"):
        call_command("grant_role", "root", "company_secretary", "--trust", trust.code, "--by", "root", "--reason", "x")
    with pytest.raises(CommandError, match="Refused"):
        call_command("sso_link", "root", "my-identity", "--by", "root", "--reason", "x")
    with pytest.raises(CommandError, match="--by"):
        call_command("grant_role", "root", "company_secretary", "--trust", trust.code, "--reason", "x")
    with pytest.raises(CommandError, match="--reason"):
        call_command("grant_role", "root", "doctor", "--trust", trust.code, "--by", "root")
    assert set(root.role_assignments.values_list("role", flat=True)) == {"system_admin"}
    root.refresh_from_db()
    assert root.sso_subject is None


def test_grant_role_bootstraps_only_the_first_system_administrator(trust: Trust) -> None:
    first = make_user(username="first")
    second = make_user(username="second")
    call_command("grant_role", "first", "system_admin", "--reason", "The trust's first administrator.")
    assert RoleAssignment.objects.filter(user=first, role="system_admin", trust=None, region=None).exists()
    with pytest.raises(CommandError, match="--by"):
        call_command("grant_role", "second", "system_admin", "--reason", "A second one.")
    assert not second.role_assignments.exists()


def test_a_command_grant_follows_the_page_rules(trust: Trust, root: User, colleague: User) -> None:
    call_command(
        "grant_role", "colleague", "clinical_director", "--trust", trust.code, "--by", "root", "--reason", REASON
    )
    assert RoleAssignment.objects.filter(user=colleague, role="clinical_director", trust=trust).exists()
    call_command(
        "grant_role", "colleague", "responsible_officer", "--trust", trust.code, "--by", "root", "--reason", REASON
    )
    assert not RoleAssignment.objects.filter(user=colleague, role="responsible_officer").exists()
    req = AccessRequest.objects.get(account=colleague)
    assert (req.role, req.role_trust, req.status, req.requested_by) == ("responsible_officer", trust, "pending", root)
    call_command("sso_link", "colleague", "uid-colleague", "--by", "root", "--reason", REASON, "--trust", trust.code)
    colleague.refresh_from_db()
    assert colleague.sso_subject is None  # linked to a person: waits for a second approver
    assert AccessRequest.objects.filter(account=colleague, kind="sso", sso_subject="uid-colleague").exists()


# ------------------------------------------------------------------------------------ a second approver


def test_a_sensitive_grant_waits_and_takes_effect_only_on_a_second_approval(
    trust: Trust,
    trust_admin: User,
    root: User,
    caldicott: User,
    colleague: User,
    django_capture_on_commit_callbacks: Any,
) -> None:
    client = client_for(trust_admin)
    with django_capture_on_commit_callbacks(execute=True):
        response = confirm(
            client, trust, colleague, "grant-role", {"role": "company_secretary", "scope": "trust", "reason": REASON}
        )
    req = AccessRequest.objects.get(account=colleague)
    assert response.status_code == 302 and response["Location"] == f"/t/{trust.code}/access/requests/{req.pk}/"
    page = client.get(response["Location"]).content.decode()
    assert "Request sent" in page and "nothing changes until a second authorised person" in page
    assert not RoleAssignment.objects.filter(user=colleague, role="company_secretary").exists()
    # the Caldicott guardian is told by email, without the reason
    told = [m for m in mail.outbox if "caldicott@example.org" in m.to]
    assert len(told) == 1 and REASON not in told[0].body

    # the requester cannot approve it, nor can its account's holder
    url = f"/t/{trust.code}/access/requests/{req.pk}/"
    assert client.post(url + "approve/", {"note": ""}).status_code == 403
    colleague_client = client_for(colleague)
    assert colleague_client.post(url + "approve/", {"note": ""}).status_code == 404
    assert not RoleAssignment.objects.filter(user=colleague, role="company_secretary").exists()

    # the trust's Caldicott guardian sees it and approves it
    guardian = client_for(caldicott)
    listed = guardian.get(f"/t/{trust.code}/access/requests/").content.decode()
    assert "colleague" in listed and "Company secretary" in listed and "Waiting for a second approver" in listed
    assert guardian.post(url + "approve/", {"note": "Checked with the chair."}).status_code == 302
    assert RoleAssignment.objects.filter(user=colleague, role="company_secretary", trust=trust).exists()
    req.refresh_from_db()
    assert (req.status, req.decided_by) == ("approved", caldicott)
    grant = RoleAssignment.objects.get(user=colleague, role="company_secretary")
    event = AuditEvent.objects.get(model="accounts.roleassignment", object_pk=str(grant.pk), action="create")
    assert event.actor_id == caldicott.pk and f"access request {req.pk} approved" in event.note
    # decided: nobody decides it again, and the guardian still sees it
    assert guardian.post(url + "refuse/", {"note": "Too late"}).status_code == 403
    assert "Approved" in guardian.get(f"/t/{trust.code}/access/requests/").content.decode()


def test_a_non_sensitive_role_takes_effect_at_once_with_its_reason(
    trust: Trust, trust_admin: User, colleague: User
) -> None:
    response = confirm(
        client_for(trust_admin),
        trust,
        colleague,
        "grant-role",
        {"role": "clinical_director", "scope": "trust", "reason": REASON},
    )
    assert response.status_code == 302 and response["Location"] == base(trust, colleague)
    grant = RoleAssignment.objects.get(user=colleague, role="clinical_director", trust=trust)
    event = AuditEvent.objects.get(model="accounts.roleassignment", object_pk=str(grant.pk), action="create")
    assert event.actor_id == trust_admin.pk and REASON in event.note
    assert not AccessRequest.objects.exists()


def test_every_person_link_waits_and_a_refusal_needs_a_reason(trust: Trust, trust_admin: User, root: User) -> None:
    account = make_user(username="new-starter")
    person = PersonFactory(trust=trust)
    confirm(client_for(trust_admin), trust, account, "link-person", {"person": str(person.pk), "reason": REASON})
    account.refresh_from_db()
    assert account.person_id is None
    req = AccessRequest.objects.get(account=account, kind="person")
    url = f"/t/{trust.code}/access/requests/{req.pk}/"
    other_admin = client_for(root)
    page = other_admin.post(url + "refuse/", {"note": ""})
    assert page.status_code == 200 and "Say why you refuse this request." in page.content.decode()
    req.refresh_from_db()
    assert req.status == "pending"
    assert other_admin.post(url + "refuse/", {"note": "Wrong person: a namesake."}).status_code == 302
    req.refresh_from_db()
    account.refresh_from_db()
    assert (req.status, req.decision_note, account.person_id) == ("refused", "Wrong person: a namesake.", None)


def test_the_requester_may_withdraw_and_nobody_else_may(
    trust: Trust, trust_admin: User, root: User, colleague: User
) -> None:
    confirm(
        client_for(trust_admin),
        trust,
        colleague,
        "grant-role",
        {"role": "guardian", "scope": "trust", "reason": REASON},
    )
    req = AccessRequest.objects.get(account=colleague)
    url = f"/t/{trust.code}/access/requests/{req.pk}/withdraw/"
    assert client_for(root).post(url, {"note": ""}).status_code == 403
    assert client_for(trust_admin).post(url, {"note": ""}).status_code == 302
    req.refresh_from_db()
    assert req.status == "withdrawn"


def test_approvers_see_waiting_requests_on_what_needs_them(
    trust: Trust, trust_admin: User, root: User, caldicott: User, colleague: User
) -> None:
    confirm(
        client_for(trust_admin),
        trust,
        colleague,
        "grant-role",
        {"role": "medical_director", "scope": "trust", "reason": REASON},
    )
    needs = "request for access waits for your approval"
    assert needs in client_for(caldicott).get(f"/t/{trust.code}/").content.decode()
    assert needs in client_for(root).get(f"/t/{trust.code}/").content.decode()
    assert needs not in client_for(trust_admin).get(f"/t/{trust.code}/").content.decode()  # their own request


def test_a_trust_administrator_reaches_only_their_own_trust(
    trust: Trust, other_trust: Trust, trust_admin: User
) -> None:
    elsewhere = make_user((Role.DOCTOR, other_trust), username="elsewhere")
    client = client_for(trust_admin)
    assert client.get(f"/t/{other_trust.code}/access/").status_code == 404
    assert client.get(base(trust, elsewhere)).status_code == 404
    assert base(trust, elsewhere) not in client.get(f"/t/{trust.code}/access/?q=elsewhere").content.decode()
    # a national role is a national administrator's to give
    form = client.get(base(trust, make_user((Role.DOCTOR, trust))) + "grant-role/").content.decode()
    assert "Every trust in the country" not in form


def test_nobody_but_administrators_opens_the_access_pages(trust: Trust, md_user: User, caldicott: User) -> None:
    assert client_for(md_user).get(f"/t/{trust.code}/access/").status_code == 403
    assert client_for(caldicott).get(f"/t/{trust.code}/access/").status_code == 403
    assert client_for(caldicott).get(f"/t/{trust.code}/access/requests/").status_code == 200
    assert client_for(md_user).get(f"/t/{trust.code}/access/requests/").status_code == 403


# ------------------------------------------------------------------------------------- the other changes


def test_removing_a_role_unlinking_and_deactivating_take_effect_at_once(
    trust: Trust, trust_admin: User, colleague: User
) -> None:
    client = client_for(trust_admin)
    grant = colleague.role_assignments.get()
    confirm(client, trust, colleague, "remove-role", {"grant": str(grant.pk), "reason": "Left the trust."})
    assert not colleague.role_assignments.exists()
    confirm(client, trust, colleague, "unlink-person", {"reason": "Left the trust."})
    confirm(client, trust, colleague, "deactivate", {"reason": "Left the trust."})
    colleague.refresh_from_db()
    assert colleague.person_id is None and not colleague.is_active
    notes = list(AuditEvent.objects.filter(note__contains="Left the trust.").values_list("note", flat=True))
    assert sorted(n.split(":")[0] for n in notes) == ["account deactivated", "person unlinked", "role removed"]


def test_a_sign_on_identifier_for_an_account_without_access_is_set_at_once(trust: Trust, trust_admin: User) -> None:
    account = make_user((Role.DOCTOR, trust), username="plain")
    confirm(client_for(trust_admin), trust, account, "sign-on", {"subject": "uid-plain", "reason": REASON})
    account.refresh_from_db()
    assert account.sso_subject == "uid-plain"


def test_change_your_answers_goes_back_with_the_answers_kept(trust: Trust, trust_admin: User, colleague: User) -> None:
    data = {"role": "clinical_director", "scope": "trust", "reason": REASON, "step": "change"}
    page = client_for(trust_admin).post(base(trust, colleague) + "grant-role/", data).content.decode()
    assert "Check your answers" not in page and REASON in page and "There is a problem" not in page
    assert not RoleAssignment.objects.filter(user=colleague, role="clinical_director").exists()


BAD = ["", "abc", "0", "-1", "99999999999999999999", "1e999999", "²", "' OR 1=1 --", "x" * 100_000]


@pytest.mark.parametrize(
    ("change", "fields"),
    [
        ("grant-role", ("role", "scope", "reason")),
        ("remove-role", ("grant", "reason")),
        ("link-person", ("person", "reason")),
        ("sign-on", ("subject", "reason")),
        ("deactivate", ("reason",)),
    ],
)
def test_bad_input_to_every_change_is_a_form_error(
    trust: Trust, trust_admin: User, colleague: User, change: str, fields: tuple[str, ...]
) -> None:
    target = make_user((Role.DOCTOR, trust))  # linked to no person, holding one role
    # the colleague's factory name ("First10") would match "0": names with no digit, whichever tests ran first
    PersonFactory._meta.model.objects.filter(pk=colleague.person_id).update(first_name="Colin", last_name="Hart")
    good = {"role": "clinical_director", "scope": "trust", "grant": str(target.role_assignments.get().pk)}
    # a name with no digit in it: "0" must match nobody, whichever number the factories have reached
    good |= {
        "person": str(PersonFactory(trust=trust, first_name="Zoe", last_name="Adams").pk),
        "subject": "uid",
        "reason": REASON,
    }
    client = client_for(trust_admin)
    before = (AuditEvent.objects.count(), AccessRequest.objects.count(), RoleAssignment.objects.count())
    for name in fields:
        for value in BAD:
            if name == "subject" and value != "x" * 100_000:
                continue  # any short text is an identifier (blank removes one)
            if name == "reason" and value not in ("", "x" * 100_000):
                continue  # any short text is a reason
            data = {k: good[k] for k in fields} | {name: value}
            for url in (base(trust, target) + f"{change}/", base(trust, target) + f"{change}/confirm/"):
                response = client.post(url, data)
                assert response.status_code == 200, (name, value[:20], url, response.status_code)
                assert "There is a problem" in response.content.decode(), (name, value[:20], url)
    assert (AuditEvent.objects.count(), AccessRequest.objects.count(), RoleAssignment.objects.count()) == before


def test_bad_input_to_the_decisions_and_the_search_is_refused_plainly(
    trust: Trust, trust_admin: User, root: User
) -> None:
    account = make_user((Role.DOCTOR, trust), username="someone")
    confirm(
        client_for(trust_admin), trust, account, "grant-role", {"role": "guardian", "scope": "trust", "reason": REASON}
    )
    req = AccessRequest.objects.get()
    client = client_for(root)
    for value in ("x" * 100_000,):
        assert client.post(f"/t/{trust.code}/access/requests/{req.pk}/refuse/", {"note": value}).status_code == 200
        assert client.post(f"/t/{trust.code}/access/requests/{req.pk}/approve/", {"note": value}).status_code == 200
    req.refresh_from_db()
    assert req.status == "pending"
    for q in ("²", "' OR 1=1 --", "x" * 100_000, "\u0000"):
        assert client.get(f"/t/{trust.code}/access/", {"q": q}).status_code in (200, 400)
    assert client.get(f"/t/{trust.code}/access/requests/99999999999999999999/").status_code == 404


def test_the_account_list_costs_the_same_queries_for_5_accounts_as_for_40(trust: Trust, trust_admin: User) -> None:
    client = client_for(trust_admin)

    def grow(n: int) -> None:
        for _ in range(n):
            make_user((Role.DOCTOR, trust), (Role.CLINICAL_DIRECTOR, trust), person=PersonFactory(trust=trust))

    counts = []
    for n in (5, 35):
        grow(n)
        with CaptureQueriesContext(connection) as queries:
            page = client.get(f"/t/{trust.code}/access/")
        assert page.status_code == 200
        counts.append(len(queries))
    assert counts[0] == counts[1], counts
    assert page.content.decode().count("Clinical director") >= 40


def test_the_demo_trust_has_a_caldicott_guardian_with_a_request_to_see(demo_trust: Any) -> None:
    caldicott = User.objects.get(username="caldicott")
    trust = Trust.objects.get(code="DEM001")
    assert caldicott.role_assignments.filter(role="caldicott_guardian", trust=trust).exists()
    page = client_for(caldicott).get(f"/t/{trust.code}/access/requests/").content.decode()
    assert "hr" in page and "Guardian of safe working hours" in page and "Waiting for a second approver" in page
    assert (
        "request for access waits for your approval" in client_for(caldicott).get(f"/t/{trust.code}/").content.decode()
    )
