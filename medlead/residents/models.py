"""A resident doctor's own records beside the rota: the secret address of their personal calendar feed.

The rota itself (rotas, members, duties, breaches) is ``rota``'s; this app reads it for the doctor."""

from __future__ import annotations

from django.db import models

from medlead.organisation.models import Person, TrustOwned


class CalendarFeed(TrustOwned):
    """A doctor's personal calendar feed (``/cal/<address>.ics``, ADR 0023). ``key`` is a long random value; the
    address is the key with a signature made from it by the server's secret key (``feeds.address``), so the
    database alone does not give anyone's address. Replacing the address draws a new key (the old address answers
    404 at once); stopping the feed deletes the row. The key never enters the audit trail."""

    audit_safe = ("person", "replaced_at")

    def audit_label(self) -> str:
        return f"Calendar feed of {self.person.display_name}"

    person = models.OneToOneField(Person, on_delete=models.CASCADE, related_name="calendar_feed")
    key = models.CharField(max_length=64, unique=True)
    replaced_at = models.DateTimeField(null=True, blank=True)

    def __str__(self) -> str:
        return f"Calendar feed of {self.person}"
