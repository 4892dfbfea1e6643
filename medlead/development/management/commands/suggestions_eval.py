import json
from typing import Any

from django.core.management.base import BaseCommand

from medlead.core.reference_data import read
from medlead.development import evaluation, selectors


class Command(BaseCommand):
    help = "Report the suggestion ranking's precision at k on the labelled set (data/suggestion_eval.yaml)."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("--format", choices=["text", "json"], default="text")

    def handle(self, *args: Any, **options: Any) -> None:
        data = read("suggestion_eval.yaml")
        k = data["k"]
        results = evaluation.evaluate(data["profiles"], selectors.candidates(), k)
        summary = {
            "bench": "suggestions",
            "profiles": len(results),
            f"precision_at_{k}": evaluation.mean([r.method for r in results]),
            f"baseline_role_only_precision_at_{k}": evaluation.mean([r.baseline for r in results]),
        }
        if options["format"] == "json":
            self.stdout.write(json.dumps(summary))
            return
        for r in results:
            self.stdout.write(f"{r.method:.1f}  (role only {r.baseline:.1f})  {r.name}: {', '.join(r.top)}")
        self.stdout.write(
            f"Mean precision@{k} over {len(results)} profiles: {summary[f'precision_at_{k}']}"
            f" (role-only baseline {summary[f'baseline_role_only_precision_at_{k}']})"
        )
