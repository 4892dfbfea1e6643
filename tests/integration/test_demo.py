import pytest
from django.core.management import CommandError, call_command
from django.test import override_settings

from medlead.accounts.models import User
from medlead.organisation.models import Person, Trust
from medlead.structure.models import Holding, Post
from medlead.structure.selectors import structure_health

pytestmark = pytest.mark.django_db


def test_demo_trust_has_realistic_structure_with_gaps_and_accounts() -> None:
    call_command("demo_trust", "--doctors", "300")
    trust = Trust.objects.get(code="DEM001")
    # the demo trust's region holds it and two smaller neighbours, one a lead employer (issue 34)
    assert Trust.objects.filter(region=trust.region).count() == 3
    # 300 generated, the two consultants who moved in from Eastmoor (issue 34: demo/region_transfers.py) and the
    # resident doctor Riverside placed here (demo/region_placements.py)
    assert Person.objects.filter(trust=trust, kind="doctor").count() == 300 + 2 + 1
    assert Post.objects.filter(trust=trust, post_type__code="medical_director").count() == 1
    usernames = set(User.objects.values_list("username", flat=True))
    assert {"admin", "md", "ro", "cd", "doctor", "guardian", "hr", "ned"} <= usernames
    assert User.objects.get(username="md").check_password("medlead-demo")
    rules = {f.rule for f in structure_health(trust=trust)}
    assert {"md_min_sessions", "md_max_direct_clinical_directors", "portfolio_unheld", "vacant_post"} <= rules
    shares = [
        p for p in Post.objects.filter(trust=trust) if Holding.objects.filter(post=p, end__isnull=True).count() > 1
    ]
    assert shares


def test_national_dataset_adds_trusts_without_new_accounts() -> None:
    call_command("demo_trust", "--doctors", "60", "--trusts", "3")
    assert Trust.objects.count() == 3 + 2  # the three asked for, and the demo trust's two neighbours
    assert len({t.region_id for t in Trust.objects.all()}) == 3
    assert User.objects.filter(username="md").count() == 1


@override_settings(MEDLEAD_ALLOW_DEMO_DATA=False)
def test_production_settings_refuse_demo_data() -> None:
    with pytest.raises(CommandError, match="production"):
        call_command("demo_trust", "--doctors", "60")
    assert not Trust.objects.exists()
