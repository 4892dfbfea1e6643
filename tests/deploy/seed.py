"""Seeds the deployment test's empty production database (run by ``manage.py shell``): one trust, the medical
staffing lead who signs in through single sign-on, and an action whose owner is overdue a reminder."""

import datetime as dt

from medlead.accounts.models import Role
from medlead.core import dates
from medlead.governance.models import Action
from tests.factories import PersonFactory, TrustFactory, make_user

trust = TrustFactory(code="RDP", name="Deployment Test NHS Trust")
lead = make_user((Role.MEDICAL_STAFFING, trust), username="staffing-lead", sso_subject="uid-ada")
owner = PersonFactory(trust=trust, email="action.owner@example.nhs.uk")
Action.objects.create(trust=trust, title="Publish the rota gaps", owner=owner, due=dates.today() - dt.timedelta(days=3))
print("seeded")
