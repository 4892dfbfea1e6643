"""Roster generation: a rostering problem (``instance``), an independent evaluator (``evaluate``) and a CP-SAT
model (``solve``). Pure: no Django import."""

from medlead.rota.roster.evaluate import Evaluation, evaluate
from medlead.rota.roster.instance import Cover, Instance, InstanceError, Request, Shift, Staff, parse
from medlead.rota.roster.solve import Progress, Result, solve

__all__ = [
    "Cover",
    "Evaluation",
    "Instance",
    "InstanceError",
    "Progress",
    "Request",
    "Result",
    "Shift",
    "Staff",
    "evaluate",
    "parse",
    "solve",
]
