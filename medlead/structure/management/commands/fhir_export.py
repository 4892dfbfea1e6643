"""``manage.py fhir_export TRUST_CODE [--out FILE]``: the trust's doctors as a FHIR R4 Bundle (UK Core Practitioner
and PractitionerRole), as the API gives it. Exit status 2 for an unknown trust."""

from __future__ import annotations

import json
import sys
from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from medlead.core.dates import today
from medlead.organisation.models import Trust
from medlead.structure.fhir import bundle


class Command(BaseCommand):
    help = "Write a trust's doctors and their management posts as a FHIR R4 Bundle (JSON)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("trust_code")
        parser.add_argument("--out", default="", help="A file to write; standard output without it.")

    def handle(self, *args: Any, **options: Any) -> None:
        trust = Trust.objects.filter(code=options["trust_code"]).first()
        if trust is None:
            sys.stderr.write(f"No trust with the code {options['trust_code']!r}.\n")
            sys.exit(2)
        text = json.dumps(bundle(trust=trust, on=today()), indent=1)
        if options["out"]:
            with open(options["out"], "w", encoding="utf-8") as fh:
                fh.write(text)
        else:
            self.stdout.write(text)
