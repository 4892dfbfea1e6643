"""What an assessment's page shows: its checklist, what is missing, each form its reader may use (blank, or the one
just posted with its errors) and what they may do, answered by the policy here so that the template asks nothing."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django import forms

from medlead.core.policy import Perm, can
from medlead.fitproper import selectors, services
from medlead.fitproper.forms import AttestForm, CheckForm, SignOffForm
from medlead.fitproper.models import Assessment
from medlead.organisation.models import Trust
from medlead.rulebook.unconfirmed import Unconfirmed


def action_form(name: str, assessment: Assessment, data: Any = None) -> forms.Form:
    """One action's form; prefixed, as the forms share field names and a page's ids must be unique."""
    if name == "check":
        return CheckForm(data, checks=services.checks_for(assessment.kind, trust=assessment.trust), prefix="check")
    if name == "attest":
        return AttestForm(data, prefix="attest")
    return SignOffForm(data, prefix="sign")


def assessment_page(
    *, actor: Any, trust: Trust, assessment: Assessment, today: dt.date, posted: tuple[str, forms.Form] | None = None
) -> dict[str, Any]:
    a = assessment
    forms_ = {name: action_form(name, a) for name in ("check", "attest", "sign_off")}
    if posted is not None:
        forms_[posted[0]] = posted[1]
    checklist = selectors.checklist(a)
    return {
        "current_trust": trust,
        "section": "board",
        "a": a,
        "checklist": checklist,
        # when each check falls, where that is the national default the trust has not confirmed yet
        "unconfirmed": Unconfirmed.named(
            "check's timing", [r["check"]["name"] for r in checklist if r["check"].get("awaiting")], "checks' timings"
        ),
        "lcf": selectors.board_self_assessment(a) if a.kind == "annual" else None,
        "missing": services.missing(a),
        "sign_off_missing": services.sign_off_missing(a) if a.outcome == "pending" else [],
        "forms": forms_,
        "today": today,
        "can_register": can(actor, Perm.MANAGE_FPPT, trust),
        "can_manage": can(actor, Perm.MANAGE_FPPT, a) and a.outcome == "pending",
        "can_attest": can(actor, Perm.ATTEST_FPPT, a),
        "can_sign": can(actor, Perm.SIGN_OFF_FPPT, a) and a.outcome == "pending",
    }
