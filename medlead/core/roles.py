"""The roles a user may hold over a trust, a region or the whole country: the policy's vocabulary.

They live in core because ``core.policy`` builds its rules from them and core imports no app; the accounts app
stores them (``RoleAssignment.role``) and re-exports the enum, so ``from medlead.accounts.models import Role`` keeps
working."""

from __future__ import annotations

from django.db import models


class Role(models.TextChoices):
    DOCTOR = "doctor", "Doctor"
    CLINICAL_DIRECTOR = "clinical_director", "Clinical director"
    ASSOCIATE_MEDICAL_DIRECTOR = "associate_medical_director", "Associate or deputy medical director"
    MEDICAL_DIRECTOR = "medical_director", "Medical director"
    RESPONSIBLE_OFFICER = "responsible_officer", "Responsible officer"
    GUARDIAN = "guardian", "Guardian of safe working hours"
    MEDICAL_STAFFING = "medical_staffing", "Medical staffing and HR"
    NON_EXECUTIVE = "non_executive", "Non-executive board member"
    CHAIR_CEO = "chair_ceo", "Chair or chief executive"
    COMPANY_SECRETARY = "company_secretary", "Company secretary (board governance)"
    SYSTEM_ADMIN = "system_admin", "System administrator"
    CALDICOTT_GUARDIAN = "caldicott_guardian", "Caldicott guardian"
    # held for a region: its trusts side by side, in aggregate only (issue 34); never a trust's own records
    REGIONAL_MEDICAL_DIRECTOR = "regional_medical_director", "Regional medical director"


# Every role, for rules that any role holder passes (seeing the trust at all).
EVERY_ROLE: tuple[Role, ...] = tuple(Role)
# Every role that works inside a trust: all but the regional medical director's, which reads a region's trusts in
# aggregate only (issue 34) and so never a trust's people, rotas or records.
EVERY_TRUST_ROLE: tuple[Role, ...] = tuple(r for r in Role if r != Role.REGIONAL_MEDICAL_DIRECTOR)
