"""The audit trail fails closed (issue 29, items 2 and 8): it names the fields a change touched but copies values
only from fields a model declares safe, labels records without their content, and keeps MHPS cases out of the
trust-wide trail, which shows other confidential records only as "a confidential record"."""

from __future__ import annotations

import datetime as dt
import json
import logging
from typing import Any

import pytest
from django.apps import apps
from django.db import models

from medlead.accounts.models import Role, User
from medlead.concerns import services as concerns
from medlead.concerns.models import Case
from medlead.core import audit as auditor
from medlead.core.actors import SystemActor
from medlead.core.audit import AuditEvent
from medlead.organisation.models import Grade, Person, Trust
from tests.conftest import client_for
from tests.factories import HoldingFactory, PersonFactory, PostFactory, make_user, post_type

BEFORE, AFTER = "QZBEFORE", "QZAFTER"
TEXT = (models.CharField, models.TextField, models.JSONField, models.FileField, models.BinaryField)
TODAY = dt.date(2026, 11, 30)


def _medlead_models() -> list[type[models.Model]]:
    return [m for m in apps.get_models() if m.__module__.startswith("medlead.") and m is not AuditEvent]


def _withheld_text(model: type[models.Model]) -> list[models.Field[Any, Any]]:
    """The model's text fields (by introspection) that it has not declared safe to copy."""
    safe = auditor.safe_fields(model)
    return [f for f in model._meta.concrete_fields if isinstance(f, TEXT) and f.attname not in safe]


def _fill(obj: models.Model, marker: str) -> None:
    for f in _withheld_text(type(obj)):
        if isinstance(f, models.JSONField):
            value: Any = {marker: [marker]}
        elif isinstance(f, models.BinaryField):
            value = marker.encode()
        elif isinstance(f, models.FileField):
            value = f"evidence/{marker}.pdf"
        elif isinstance(f, models.EmailField):
            value = f"{marker}@example.org"
        else:
            value = marker
        setattr(obj, f.attname, value)


def _with_related(obj: models.Model, marker: str) -> None:
    """Each record it points to (unsaved, with the marker in their own withheld text), so that a label built from a
    related record is tested too."""
    for f in type(obj)._meta.concrete_fields:
        if f.many_to_one or f.one_to_one:
            related = f.related_model()
            related.pk = 1
            _fill(related, marker)
            setattr(obj, f.name, related)


WITH_TEXT = [m for m in _medlead_models() if _withheld_text(m)]


@pytest.mark.django_db
@pytest.mark.parametrize("model", WITH_TEXT, ids=lambda m: m._meta.label_lower)
def test_no_value_of_a_field_not_declared_safe_reaches_the_trail_or_the_log(
    model: type[models.Model], caplog: Any
) -> None:
    """Every way the trail is written (create, update, read, delete, in bulk), with a marker in every text field
    the model has not declared safe: the trail names the fields, never the marker, in any column."""
    obj = model()
    obj.pk = 424242
    _with_related(obj, AFTER)
    _fill(obj, BEFORE)
    before = auditor.snapshot(obj)
    _fill(obj, AFTER)
    actor = SystemActor("audit test")
    with caplog.at_level(logging.DEBUG):
        auditor.audit_create(actor=actor, obj=obj, note="made")
        auditor.audit_update(actor=actor, obj=obj, before=before, note="changed")
        auditor.audit_read(actor=actor, obj=obj, note="read")
        auditor.audit_delete(actor=actor, obj=obj, note="deleted")
        auditor.audit_bulk_create(actor=actor, objs=[obj], note="imported")
        auditor.audit_bulk_update(actor=actor, pairs=[(obj, before)], note="imported")

    rows = list(AuditEvent.objects.filter(model=model._meta.label_lower, object_pk="424242"))
    assert sorted(r.action for r in rows) == ["create", "create", "delete", "read", "update", "update"]
    for row in rows:
        stored = f"{json.dumps(row.changes)} {row.object_repr} {row.note}"
        assert BEFORE not in stored and AFTER not in stored
    update = next(r for r in rows if r.action == "update")
    names = {f.attname for f in _withheld_text(model)}
    assert set(update.changes) == names  # every changed field is named
    assert all(update.changes[n] == ["(withheld)", "(withheld)"] for n in names)
    assert BEFORE not in caplog.text and AFTER not in caplog.text


def test_every_model_is_checked() -> None:
    """Every audited model with text is in the test above; the trail's own table is the only one left out."""
    labels = {m._meta.label_lower for m in WITH_TEXT}
    assert {"concerns.case", "revalidation.appraisal", "fitproper.assessment", "rota.exceptionreport"} <= labels
    assert {"leadership.rater", "development.goal", "jobplans.comment", "governance.boardreport"} <= labels
    assert len(WITH_TEXT) >= 45


# Short codes set by medlead itself (from data files or choices checked by the services), not typed by a person.
CODES = {
    ("rota.exceptionreport", "rules_version"),
    ("rota.exceptionreport", "fine_category"),
    ("revalidation.supportinginfo", "kind"),
    ("revalidation.supportinginfo", "domain"),  # a code of data/good_medical_practice.yaml, checked by the service
    ("leadership.selfassessment", "target_role"),
    ("concerns.case", "decision"),
    ("concerns.measure", "review_outcome"),
    ("fitproper.check", "code"),
    ("awards.application", "level"),
    ("awards.application", "level_awarded"),
}


def test_no_confidential_record_declares_free_text_safe() -> None:
    """On a confidential record (``audit_restricted``) a text field may be copied only if it holds a choice or
    one of the codes above: never what a person wrote."""
    free = [
        (m._meta.label_lower, f.name)
        for m in _medlead_models()
        if getattr(m, "audit_restricted", None) is not None
        for f in m._meta.concrete_fields
        if isinstance(f, TEXT) and f.attname in auditor.safe_fields(m) and not f.choices
    ]
    assert set(free) <= CODES, set(free) - CODES


def test_a_record_is_named_by_its_kind_and_id_never_by_its_str() -> None:
    from medlead.revalidation.models import Concern

    concern = Concern(pk=7, person=Person(first_name="Ada", last_name="Lovelace"), raised_on=TODAY)
    assert "Lovelace" in str(concern)  # its __str__ names the doctor...
    assert auditor.label(concern) == "Concern 7"  # ...the trail does not


# --- MHPS: the case's own history, and nowhere else ---------------------------------------------------------------


@pytest.fixture
def md(trust: Trust) -> User:
    person = PersonFactory(trust=trust, grade=Grade.CONSULTANT)
    HoldingFactory(post=PostFactory(trust=trust, post_type=post_type("medical_director")), person=person)
    return make_user((Role.MEDICAL_DIRECTOR, trust), (Role.DOCTOR, trust), person=person)


MARK = "QZCASEMARK"


def _case_with_markers(md: User, trust: Trust) -> Case:
    """A case, its advice, an exclusion, an investigation, evidence and a decision, with the marker in every text
    a person types, all through the services."""
    assert md.person is not None
    doctor = PersonFactory(trust=trust, grade=Grade.CONSULTANT, last_name=f"Doctor{MARK}")
    case = concerns.case_open(
        actor=md,
        doctor=doctor,
        raised_by=f"raised by {MARK}",
        raised_on=dt.date(2026, 11, 2),
        categories=["health", "capability"],
        source="incident",
        summary=f"summary {MARK}",
        case_manager=md.person,
        today=TODAY,
    )
    concerns.advice_add(
        actor=md, case=case, contacted_on=TODAY, adviser=f"adviser {MARK}", summary=f"advice {MARK}", today=TODAY
    )
    concerns.measure_add(
        actor=md,
        case=case,
        kind="restriction",
        starts_on=dt.date(2026, 11, 3),
        review_by=dt.date(2026, 11, 20),
        details=f"details {MARK}",
    )
    investigator = PersonFactory(trust=trust)
    concerns.role_appoint(actor=md, case=case, person=investigator, role="case_investigator", today=TODAY)
    concerns.investigation_start(
        actor=md, case=case, terms_of_reference=f"terms {MARK}", started_on=dt.date(2026, 11, 4), today=TODAY
    )
    concerns.investigation_update(
        actor=md,
        case=case,
        data={"report": f"report {MARK}", "doctor_comments": f"comments {MARK}", "appeal": f"appeal {MARK}"},
        today=TODAY,
    )
    concerns.evidence_add(actor=md, case=case, kind="interview", on=TODAY, description=f"interview {MARK}")
    concerns.decide(actor=md, case=case, decision="informal", reasons=f"reasons {MARK}", decided_on=TODAY, today=TODAY)
    return case


@pytest.mark.django_db
def test_an_mhps_case_is_in_its_own_history_only(trust: Trust, md: User, caplog: Any) -> None:
    with caplog.at_level(logging.DEBUG):
        case = _case_with_markers(md, trust)
        history = client_for(md).get(f"/t/{trust.code}/concerns/{case.pk}/audit/")

    # the case manager sees the case's history: each part, who and what changed, never the content
    assert history.status_code == 200
    page = history.content.decode()
    for what in ("Case 1", "Advice contact", "Measure", "Investigation", "Evidence", "Case role"):
        assert what.split()[0] in page
    assert "decision: " in page and "informal" in page  # a decision's code is safe to copy; its reasons are not
    assert "decision_reasons: changed" in page
    events = AuditEvent.objects.filter(trust_id=trust.pk, model__startswith="concerns.")
    assert events.count() >= 9
    for event in AuditEvent.objects.all():
        stored = f"{json.dumps(event.changes)} {event.object_repr} {event.note}"
        assert MARK not in stored and "capability" not in stored  # not even the categories
    assert MARK not in caplog.text

    # the trust-wide trail lists nothing of it, asked for it by name or not, though it lists the trust's other events
    admin = make_user((Role.SYSTEM_ADMIN, trust))
    auditor.audit_create(actor=md, obj=PersonFactory(trust=trust))  # an ordinary record, which the trail lists
    for url in ("/audit/?model=concerns.case", "/audit/?model=concerns.measure", "/audit/"):
        listed = client_for(admin).get(url).content.decode()
        assert "concerns." not in listed and "Case " not in listed and "a confidential record</td>" not in listed
    assert "organisation.person" in client_for(admin).get("/audit/").content.decode()

    # and the system administrator cannot reach the case's history either
    assert client_for(admin).get(f"/t/{trust.code}/concerns/{case.pk}/audit/").status_code == 404


@pytest.mark.django_db
def test_the_trust_wide_trail_shows_other_confidential_records_without_saying_which(trust: Trust) -> None:
    from medlead.fitproper.models import Assessment

    admin = make_user((Role.SYSTEM_ADMIN, trust))
    a = Assessment(pk=31, trust=trust, kind="annual", year=2026)
    auditor.audit_create(actor=SystemActor("audit test"), obj=a)
    auditor.audit_read(actor=admin, obj=a, note="fit and proper assessment read")
    page = client_for(admin).get("/audit/").content.decode()
    assert page.count("a confidential record</td>") == 2
    assert "fitproper" not in page and "Fit and proper" not in page and "assessment read" not in page


@pytest.mark.django_db
def test_rows_written_before_the_allow_list_show_only_what_is_safe_now(trust: Trust) -> None:
    """A row the old withheld-list let through is shown with "changed" for every field not safe today."""
    AuditEvent.objects.create(
        trust_id=trust.pk,
        action="update",
        model="jobplans.jobplan",
        object_pk="5",
        object_repr="Job plan 5",
        changes={"objectives": ["Cut the clinic list", "Leave the trust"], "state": ["draft", "discussion"]},
    )
    page = client_for(make_user((Role.SYSTEM_ADMIN, trust))).get("/audit/").content.decode()
    assert "objectives: changed" in page and "state: draft → discussion" in page
    assert "Cut the clinic list" not in page and "Leave the trust" not in page
