from __future__ import annotations

import pytest
from django.test import Client

from medlead.accounts.models import Role
from medlead.core.audit import AuditEvent
from medlead.organisation.models import Person, Trust
from tests.conftest import client_for
from tests.factories import PersonFactory, make_user

pytestmark = pytest.mark.django_db


def test_person_edit_records_who_and_what_changed(md_user, trust: Trust) -> None:
    person = PersonFactory(trust=trust, last_name="Old")
    client = client_for(md_user)
    data = {
        "kind": "doctor",
        "first_name": person.first_name,
        "last_name": "New",
        "gmc_number": person.gmc_number,
        "staff_number": person.staff_number,
        "grade": "consultant",
        "contract": "permanent",
        "ltft_fraction": "1.00",
        "contracted_pas": "10",
    }
    assert client.post(f"/t/{trust.code}/people/{person.pk}/edit/", data).status_code == 302
    event = AuditEvent.objects.get(model="organisation.person", action="update")
    assert event.actor_username == "md-test"
    assert event.changes == {"last_name": ["Old", "New"]}
    assert event.trust_id == trust.pk


def test_invalid_gmc_number_is_explained_and_nothing_saved(md_user, trust: Trust) -> None:
    client = client_for(md_user)
    response = client.post(
        f"/t/{trust.code}/people/new/",
        {
            "kind": "doctor",
            "first_name": "A",
            "last_name": "B",
            "gmc_number": "12AB567",
            "grade": "consultant",
            "contract": "permanent",
            "ltft_fraction": "1.00",
        },
    )
    assert response.status_code == 200
    assert "A GMC number is exactly 7 digits" in response.content.decode()
    assert not Person.objects.exists()
    assert not AuditEvent.objects.exists()


def test_audit_events_cannot_be_changed_or_deleted(md_user, trust: Trust) -> None:
    PersonFactory(trust=trust)
    event = AuditEvent.objects.create(action="create", model="x.y", object_pk="1")
    event.note = "tampered"
    with pytest.raises(PermissionError):
        event.save()
    with pytest.raises(PermissionError):
        event.delete()


def test_audit_log_is_for_system_administrators_only(md_user, trust: Trust) -> None:
    assert client_for(md_user).get("/audit/").status_code == 403
    admin = make_user((Role.SYSTEM_ADMIN, trust))
    assert client_for(admin).get("/audit/").status_code == 200


def test_the_audit_trail_is_not_in_the_django_admin(trust: Trust) -> None:
    """The trail is read only through its own pages (which keep MHPS cases out and confidential records unnamed);
    the admin neither lists nor deletes an event."""
    superuser = make_user(is_staff=True, is_superuser=True)
    event = AuditEvent.objects.create(action="create", model="x.y", object_pk="1")
    client = client_for(superuser)
    assert client.get("/admin/audit/auditevent/").status_code == 404
    assert client.get(f"/admin/audit/auditevent/{event.pk}/change/").status_code == 404
    assert client.post(f"/admin/audit/auditevent/{event.pk}/delete/", {"post": "yes"}).status_code == 404
    assert AuditEvent.objects.filter(pk=event.pk).exists()


def test_openapi_schema_describes_the_api() -> None:
    schema = Client().get("/api/openapi.json").json()
    assert schema["openapi"].startswith("3.")
    assert "/api/trusts/{trust_code}/posts/" in schema["paths"]
    assert "/api/trusts/{trust_code}/structure-health/" in schema["paths"]


def test_api_create_person_validates_and_audits(md_user, trust: Trust) -> None:
    client = client_for(md_user)
    url = f"/api/trusts/{trust.code}/people/"
    bad = client.post(
        url,
        {"kind": "doctor", "first_name": "A", "last_name": "B", "gmc_number": "123"},
        content_type="application/json",
    )
    assert bad.status_code == 400
    assert "gmc_number" in bad.json()
    assert not Person.objects.exists()
    good = client.post(
        url,
        {"kind": "doctor", "first_name": "A", "last_name": "B", "gmc_number": "1234567", "grade": "consultant"},
        content_type="application/json",
    )
    assert good.status_code == 201, good.content
    assert Person.objects.get().trust == trust
    assert AuditEvent.objects.filter(model="organisation.person", action="create").count() == 1


def test_api_refuses_writes_without_permission(doctor_user, trust: Trust) -> None:
    response = client_for(doctor_user).post(
        f"/api/trusts/{trust.code}/people/", {"first_name": "A", "last_name": "B"}, content_type="application/json"
    )
    assert response.status_code == 403
    assert not Person.objects.exists()


def test_repeated_failed_sign_ins_lock_the_account(trust: Trust) -> None:
    make_user((Role.DOCTOR, trust), username="victim")
    client = Client()
    for _ in range(5):
        client.post("/accounts/login/", {"username": "victim", "password": "wrong"})
    response = client.post("/accounts/login/", {"username": "victim", "password": "pw-correct-horse"})
    assert response.status_code == 429
    assert "locked" in response.content.decode()
    assert "_auth_user_id" not in client.session


def test_sign_in_with_correct_password_works(trust: Trust) -> None:
    make_user((Role.DOCTOR, trust), username="someone")
    response = Client().post("/accounts/login/", {"username": "someone", "password": "pw-correct-horse"})
    assert response.status_code == 302


def test_wrong_password_is_explained(trust: Trust) -> None:
    make_user((Role.DOCTOR, trust), username="someone")
    response = Client().post("/accounts/login/", {"username": "someone", "password": "nope"})
    assert "Enter a correct username and password" in response.content.decode()


def test_the_audit_table_refuses_update_and_delete_at_the_database(trust) -> None:
    """On both PostgreSQL and SQLite a trigger refuses bulk updates and deletes, and raw SQL, which never pass
    through the model's own refusal."""
    from django.db import DatabaseError, connection, transaction

    from medlead.core.audit import AuditEvent

    event = AuditEvent.objects.create(action="create", model="organisation.trust", object_pk=str(trust.pk))
    other = AuditEvent.objects.create(action="create", model="organisation.trust", object_pk=str(trust.pk))

    def raw(sql: str) -> None:
        with connection.cursor() as cursor:
            cursor.execute(sql)

    for statement in (
        lambda: AuditEvent.objects.filter(pk=event.pk).update(note="rewritten"),
        lambda: AuditEvent.objects.filter(pk=event.pk).delete(),
        lambda: AuditEvent.objects.all().delete(),
        lambda: raw("UPDATE audit_auditevent SET note = 'rewritten'"),
        lambda: raw("DELETE FROM audit_auditevent"),
    ):
        with pytest.raises(DatabaseError, match="append-only"), transaction.atomic():
            statement()
    assert [e.note for e in AuditEvent.objects.filter(pk__in=[event.pk, other.pk])] == ["", ""]


def test_pages_carry_a_content_security_policy_and_are_never_cached(md_user, trust) -> None:
    from tests.conftest import client_for

    response = client_for(md_user).get(f"/t/{trust.code}/")
    policy = response["Content-Security-Policy"]
    assert "script-src 'self' 'nonce-" in policy and "'unsafe-inline'" not in policy
    assert "frame-ancestors 'none'" in policy
    assert response["Cache-Control"] == "no-store, private"
    assert response["X-Content-Type-Options"] == "nosniff"


def test_a_forgotten_password_is_reset_by_an_emailed_link(trust, client, django_capture_on_commit_callbacks) -> None:
    import re

    from django.core import mail

    from tests.factories import make_user

    make_user(username="forgetful", email="forgetful@example.org")
    assert "Forgotten your password?" in client.get("/accounts/login/").content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post("/accounts/password-reset/", {"email": "forgetful@example.org"})
    assert response["Location"] == "/accounts/password-reset/sent/"
    with django_capture_on_commit_callbacks(execute=True):
        client.post("/accounts/password-reset/", {"email": "nobody@example.org"})  # same answer, no email
    assert len(mail.outbox) == 1 and mail.outbox[0].to == ["forgetful@example.org"]
    link = re.search(r"http://\S+/accounts/password-reset/\S+/", mail.outbox[0].body)
    assert link is not None
    path = link.group(0).split("://", 1)[1].split("/", 1)[1]
    form_page = client.get("/" + path, follow=True)
    assert "Set a new password" in form_page.content.decode()
    done = client.post(
        form_page.redirect_chain[-1][0] if form_page.redirect_chain else "/" + path,
        {"new_password1": "a-Much-Better-passphrase-42", "new_password2": "a-Much-Better-passphrase-42"},
    )
    assert done["Location"] == "/accounts/password-reset/done/"
    signed_in = client.post("/accounts/login/", {"username": "forgetful", "password": "a-Much-Better-passphrase-42"})
    assert signed_in.status_code == 302


def test_roles_granted_and_removed_from_the_command_line_are_audited(trust) -> None:
    from django.core.management import CommandError, call_command

    from medlead.accounts.models import RoleAssignment
    from medlead.core.audit import AuditEvent
    from tests.factories import make_user

    make_user(username="newcd")
    make_user((Role.SYSTEM_ADMIN, trust), username="it")
    by = ("--by", "it", "--reason", "Appointed clinical director")
    call_command("grant_role", "newcd", "clinical_director", "--trust", trust.code, *by)
    grant = RoleAssignment.objects.get(user__username="newcd", role="clinical_director", trust=trust)
    event = AuditEvent.objects.get(model="accounts.roleassignment", object_pk=str(grant.pk), action="create")
    assert event.actor_username == "it" and "Appointed clinical director" in event.note
    call_command("grant_role", "newcd", "clinical_director", "--trust", trust.code, "--revoke", *by)
    assert not RoleAssignment.objects.filter(user__username="newcd").exists()
    assert AuditEvent.objects.filter(model="accounts.roleassignment", object_pk=str(grant.pk), action="delete").exists()
    with pytest.raises(CommandError, match="No trust with code"):
        call_command("grant_role", "newcd", "doctor", "--trust", "NOPE", *by)
