"""The rota rule engine: pure Python and NumPy, no Django. Checks rotas against the national terms and
conditions for resident doctors (``data/rota_rules/``)."""

from medlead.rota.engine.check import Breach, Report, check, weekly_averages
from medlead.rota.engine.model import Duty, Rota
from medlead.rota.engine.rules import DEFAULT_RULE_SET, RuleSet, available, load

__all__ = [
    "DEFAULT_RULE_SET",
    "Breach",
    "Duty",
    "Report",
    "Rota",
    "RuleSet",
    "available",
    "check",
    "load",
    "weekly_averages",
]
