"""What an application's page shows: its domains, the employer's verification, what medlead holds for the
applicant, each form its reader may use (blank, or the one just posted with its errors) and what they may do,
answered by the policy here so that the template asks nothing."""

from __future__ import annotations

from typing import Any

from django import forms

from medlead.awards import selectors, services
from medlead.awards.forms import DomainsForm, OutcomeForm, VerifyForm
from medlead.awards.models import Application
from medlead.core.policy import Perm, can, person_id
from medlead.organisation.models import Trust


def action_form(name: str, app: Application, data: Any = None) -> forms.Form:
    """One action's form: the domains (saved as a draft, or saved and submitted), the verification, the outcome.
    An action this page does not have is a programming error, not the outcome's form."""
    if name in ("domains", "draft", "submit"):
        limit = int(services.domain_word_limit(app.trust, app.round_year).value)
        return DomainsForm(data, initial=app.domains, limit=limit)
    if name == "verify":
        return VerifyForm(data, trust=app.trust_id, round_year=app.round_year)
    if name == "outcome":
        return OutcomeForm(data)
    raise ValueError(f"An award application has no action {name!r}.")


def _answer(value: Any) -> str:
    """An answer as the page shows it: the round's answer, or, for a verification recorded before the questions,
    whether the item was confirmed."""
    if isinstance(value, bool):
        return "confirmed" if value else "not confirmed"
    return str(value).capitalize() if value else "not answered"


def application_page(
    *, actor: Any, trust: Trust, app: Application, posted: tuple[str, forms.Form] | None = None
) -> dict[str, Any]:
    forms_ = {name: action_form(name, app) for name in ("domains", "verify", "outcome")}
    if posted is not None:
        name, form = posted
        forms_["domains" if name in ("draft", "submit") else name] = form
    own = app.person_id == person_id(actor)
    written = services.statement_rule(app.trust_id, app.round_year)
    return {
        "current_trust": trust,
        "section": "development",
        "app": app,
        "forms": forms_,
        "domains": services.domain_names(),
        "answers": [
            (q["name"], _answer(app.checks.get(q["code"]))) for q in services.questions(app.trust_id, app.round_year)
        ],
        "written": written,
        # from the 2025 round the employer's concerns go to the national committee's team, not to the applicant
        "show_statement": not own or written.get("applicant_sees", True),
        "award_years": services.award_years(app.trust, app.round_year),
        "unconfirmed": services.round_unconfirmed(app.trust, app.round_year),
        "level_words": services.level_words(app.level),
        "level_note": services.level_note(),
        "word_limit": services.domain_word_limit(app.trust, app.round_year),
        "evidence": services.evidence_for(app.person) if own else None,
        "can_edit": can(actor, Perm.EDIT_AWARD, app),
        "submit_missing": [
            (f"Write and save {name}", f"#id_{code}", False)
            for code, name in services.domain_names().items()
            if name in services.submit_missing(app)
        ],
        "can_verify": can(actor, Perm.VERIFY_AWARD, app),
        "can_outcome": can(actor, Perm.RECORD_AWARD_OUTCOME, app),
        "open_case": selectors.open_case_known(actor, app),
    }
