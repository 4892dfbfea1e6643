"""Seeds the deployment test's empty production database (run by ``manage.py shell``): one trust, the medical
staffing lead who signs in through single sign-on, an action whose owner is overdue a reminder, and the audit trail's
first row (whatever the other tests do first, the backup test finds a trail to restore and to guard)."""

import datetime as dt

from medlead.accounts.models import Role
from medlead.core import audit as auditor
from medlead.core import dates
from medlead.core.actors import SystemActor
from medlead.governance.models import Action
from tests.factories import PersonFactory, TrustFactory, make_user

trust = TrustFactory(code="RDP", name="Deployment Test NHS Trust")
lead = make_user((Role.MEDICAL_STAFFING, trust), username="staffing-lead", sso_subject="uid-ada")
owner = PersonFactory(trust=trust, email="action.owner@example.nhs.uk")
Action.objects.create(trust=trust, title="Publish the rota gaps", owner=owner, due=dates.today() - dt.timedelta(days=3))
auditor.audit_create(actor=SystemActor("deployment test seed"), obj=trust, note="seeded")
print("seeded")
