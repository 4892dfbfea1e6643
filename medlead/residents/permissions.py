"""Who may open a resident doctor's own rota page and change their calendar address: the doctor, and only while
they are on a rota of their trust (issue 32). Nobody else has a "My rota" of another doctor: a rota coordinator
reads the rota itself (``rota``)."""

from __future__ import annotations

from typing import Any

from medlead.core import policy
from medlead.core.policy import Perm, all_of, described
from medlead.organisation.models import Person
from medlead.organisation.permissions import OWN
from medlead.residents.selectors import on_a_rota


@described("on a rota of the trust, and still on its staff")
def _on_a_rota(actor: Any, person: Any) -> bool:
    return isinstance(person, Person) and on_a_rota(person)


policy.register(
    {
        # the object is the doctor: their own page and their own feed, never another's
        Perm.VIEW_MY_ROTA: all_of(OWN, _on_a_rota),
        Perm.MANAGE_CALENDAR_FEED: all_of(OWN, _on_a_rota),
    }
)
