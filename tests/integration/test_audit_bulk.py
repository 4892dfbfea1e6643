"""Bulk audit writes (imports): one event per record, with what changed, by whom, in the caller's transaction. On
PostgreSQL these go through COPY, so CI runs this against the real path."""

from __future__ import annotations

import pytest
from django.db import transaction

from medlead.accounts.models import Role
from medlead.core import audit as auditor
from medlead.core.actors import SystemActor
from medlead.core.audit import AuditEvent
from medlead.organisation.models import Person, Trust
from tests.factories import PersonFactory, make_user

# The system, acting for the tests where no person does (set-up, workers).
SYSTEM = SystemActor("test set-up")

pytestmark = pytest.mark.django_db(transaction=True)


def test_a_bulk_create_and_update_write_one_event_each_with_the_changes() -> None:
    trust = Trust.objects.create(code="AUD1", name="Audit Trust", region=PersonFactory().trust.region)
    lead = make_user((Role.MEDICAL_STAFFING, trust), username="bulk-lead")
    people = Person.objects.bulk_create(
        [Person(trust=trust, kind="doctor", first_name=f"Ann{i}", last_name="Lee") for i in range(3)]
    )
    with transaction.atomic():
        auditor.audit_bulk_create(actor=lead, objs=people, note="import")
    before = [(p, auditor.snapshot(p)) for p in people]
    people[0].last_name = 'O\'Brien "Jr"'
    with transaction.atomic():
        auditor.audit_bulk_update(actor=lead, pairs=before, note="import")

    created = AuditEvent.objects.filter(trust_id=trust.pk, action="create", model="organisation.person")
    assert sorted(e.changes["first_name"] for e in created) == [[None, "Ann0"], [None, "Ann1"], [None, "Ann2"]]
    assert {(e.actor_id, e.actor_username, e.note) for e in created} == {(lead.pk, "bulk-lead", "import")}
    updated = AuditEvent.objects.get(trust_id=trust.pk, action="update")
    assert updated.object_pk == str(people[0].pk)
    assert updated.changes == {"last_name": ["Lee", 'O\'Brien "Jr"']}


def test_bulk_events_roll_back_with_the_import_that_wrote_them() -> None:
    person: Person = PersonFactory()  # type: ignore[assignment]
    with pytest.raises(RuntimeError), transaction.atomic():
        auditor.audit_bulk_create(actor=SYSTEM, objs=[person], note="import")
        raise RuntimeError("the import failed")

    assert not AuditEvent.objects.filter(object_pk=str(person.pk), note="import").exists()


@pytest.mark.django_db(transaction=False)  # the post types loaded by migration stay
def test_records_whose_names_read_the_database_are_audited_in_bulk() -> None:
    """A holding's name reads its person and post: on PostgreSQL that must happen before the COPY opens (a query
    inside an open COPY waits for ever)."""
    from medlead.structure.models import Holding
    from tests.factories import HoldingFactory

    made = [HoldingFactory().pk for _ in range(3)]
    fresh = list(Holding.objects.filter(pk__in=made))  # names not loaded: each str() queries

    with transaction.atomic():
        auditor.audit_bulk_create(actor=SYSTEM, objs=fresh, note="import")

    reprs = set(
        AuditEvent.objects.filter(model="structure.holding", note="import").values_list("object_repr", flat=True)
    )
    assert reprs == {str(h) for h in Holding.objects.filter(pk__in=made)}


def test_the_system_is_recorded_by_the_reason_it_gives() -> None:
    person: Person = PersonFactory()  # type: ignore[assignment]
    auditor.audit_create(actor=SystemActor("import worker"), obj=person, note="import")
    auditor.audit_bulk_create(actor=SystemActor("demo data"), objs=[person], note="bulk")

    rows = AuditEvent.objects.filter(object_pk=str(person.pk), model="organisation.person")
    assert {(e.actor_id, e.actor_username, e.note) for e in rows} == {
        (None, "system: import worker", "import"),
        (None, "system: demo data", "bulk"),
    }


@pytest.mark.parametrize("write", ["create", "bulk", "read"])
def test_a_write_without_an_actor_is_refused_and_leaves_no_row(write: str) -> None:
    person: Person = PersonFactory()  # type: ignore[assignment]
    with pytest.raises(TypeError, match=r"SystemActor"):
        if write == "create":
            auditor.audit_create(actor=None, obj=person)
        elif write == "bulk":
            auditor.audit_bulk_create(actor=None, objs=[person])
        else:
            auditor.audit_read(actor=None, obj=person)

    assert not AuditEvent.objects.filter(object_pk=str(person.pk), model="organisation.person").exists()
