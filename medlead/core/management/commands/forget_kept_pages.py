"""``manage.py forget_kept_pages``: every kept page is built again at its next request (``core.kept``, ADR 0039).

For after the database changed outside medlead (restored from a backup, edited by hand): the cache cannot know. It
moves on the version every kept value depends on; nothing else in the cache (the broker's queue, where it shares
Redis with the cache) is touched."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand

from medlead.core import kept


class Command(BaseCommand):
    help = "Build every kept page again at its next request (after the database changed outside medlead)."

    def handle(self, *args: Any, **options: Any) -> None:
        kept.forget_all()
        self.stdout.write("Every kept page will be built again at its next request.")
