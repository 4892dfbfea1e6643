import pytest
from medlead.accounts.models import User
from medlead.home.presenters import work_for
from medlead.organisation.models import Trust
from medlead.core import dates
from tests.conftest import client_for
pytestmark = pytest.mark.django_db
ACCOUNTS = ["md", "ro", "cd", "doctor", "guardian", "hr", "ned", "chair", "cosec", "caldicott", "admin"]
def test_dump(demo_trust):
    trust = Trust.objects.get(code="DEM001")
    for a in ACCOUNTS:
        u = User.objects.get(username=a)
        for t in work_for(u, trust, today=dates.today()):
            r = client_for(u).get(t.url)
            print(a, "|", t.count, t.words, "|", t.url, r.status_code, len(r.content))
