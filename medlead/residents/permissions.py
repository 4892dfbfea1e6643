"""Who may open a resident doctor's own rota page and change their calendar address: the doctor, and only while
they are on a rota of their trust (issue 32). Nobody else has a "My rota" of another doctor: a rota coordinator
reads the rota itself (``rota``)."""

from __future__ import annotations

from typing import Any

from medlead.core import policy
from medlead.core.policy import Perm, PersonFact, all_of, described, person_fact, person_id
from medlead.organisation.models import Person
from medlead.organisation.permissions import OWN
from medlead.residents.selectors import on_a_rota
from medlead.rota.models import RotaMember


@described("on a rota of the trust, and still on its staff")
def _on_a_rota(actor: Any, person: Any) -> bool:
    if not isinstance(person, Person):
        return False
    if person.pk != person_id(actor):
        return on_a_rota(person)
    # the actor's own: the rotas they are on, read with their other facts
    return person.active and any(trust == person.trust_id for _, trust, _, _ in person_fact(actor, "rota_trusts"))


# the trusts with a rota the person is on
policy.register_facts(
    rota_trusts=PersonFact(rows=lambda pid, _: RotaMember.objects.filter(person_id=pid), trust="trust_id")
)


policy.register(
    {
        # the object is the doctor: their own page and their own feed, never another's
        Perm.VIEW_MY_ROTA: all_of(OWN, _on_a_rota),
        Perm.MANAGE_CALENDAR_FEED: all_of(OWN, _on_a_rota),
    }
)
