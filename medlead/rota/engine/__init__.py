"""The rota rule engine: pure Python and NumPy, no Django. Checks rotas against the national terms and
conditions for resident doctors (``data/rota_rules/``)."""

from medlead.rota.engine.check import Breach, Report, check, shift_breaks, weekly_averages
from medlead.rota.engine.model import Duty, Rota
from medlead.rota.engine.rules import (
    DEFAULT_RULE_SET,
    RuleSet,
    available,
    breaks_due,
    in_force,
    load,
    names,
    with_values,
)

__all__ = [
    "DEFAULT_RULE_SET",
    "Breach",
    "Duty",
    "Report",
    "Rota",
    "RuleSet",
    "available",
    "breaks_due",
    "check",
    "in_force",
    "load",
    "names",
    "shift_breaks",
    "weekly_averages",
    "with_values",
]
