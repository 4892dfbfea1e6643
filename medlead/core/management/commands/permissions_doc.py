"""Write docs/permissions.md's generated part from the registered rules (``core.permissions_doc``)."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from medlead.core import permissions_doc


class Command(BaseCommand):
    help = "Write docs/permissions.md (below its hand-written introduction) from the permission rules themselves."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--check", action="store_true", help="Change nothing; fail if the file is out of date.")

    def handle(self, *args: Any, **options: Any) -> None:
        target = permissions_doc.path()
        current = target.read_text(encoding="utf-8")
        try:
            text = permissions_doc.written(current)
        except permissions_doc.Incomplete as incomplete:
            raise CommandError("Some permissions cannot be described:\n" + "\n".join(incomplete.problems)) from None
        if options["check"]:
            if text != current:
                raise CommandError(f"{target} is out of date: run `python manage.py permissions_doc`.")
            self.stdout.write(f"{target} is up to date.")
            return
        if text == current:
            self.stdout.write(f"{target} is up to date.")
            return
        target.write_text(text, encoding="utf-8")
        self.stdout.write(f"{target} written.")
