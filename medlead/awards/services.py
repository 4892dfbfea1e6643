"""Writes for award applications: prepare (the consultant), submit, verify (the employer: the medical director or
medical staffing, never for their own), record the outcome. Each checks the policy, validates and is audited."""

from __future__ import annotations

import datetime as dt
from functools import cache
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction

from medlead.awards.models import Application, Status
from medlead.concerns.selectors import doctor_has_open_case
from medlead.core import services as core
from medlead.core.dates import today
from medlead.core.policy import Perm, require
from medlead.core.reference_data import in_force, read
from medlead.development.models import Experience
from medlead.jobplans.models import JobPlan
from medlead.leadership.models import CycleStatus, FeedbackCycle
from medlead.organisation.models import Person, Trust
from medlead.rulebook.selectors import Value, unconfirmed_for, value_for, values_on
from medlead.rulebook.unconfirmed import Unconfirmed
from medlead.structure.selectors import current_holdings


@cache
def rules() -> dict[str, Any]:
    return read("awards.yaml")


def domain_names() -> dict[str, str]:
    return {d["code"]: d["name"] for d in in_force(rules()["domains"], today())}


YES_NO = ("yes", "no")
AWARDS = "awards.yaml"


def round_day(trust: Trust | int, round_year: int) -> dt.date:
    """The day a round opened (``round_opens``): a round is judged by the rules in force then. Its month and day are
    as ``trust`` applied them on 1 January of the round's year (its confirmation, else the national 1 April); before
    the 2025 round, whose opening day the guidance gives, the national file's."""
    start = dt.date(round_year, 1, 1)
    keys = [(AWARDS, "round_opens.month", start), (AWARDS, "round_opens.day", start)]
    found = values_on(trust, keys)
    opens = rules()["round_opens"]
    month = found[(AWARDS, "round_opens.month")].value if (AWARDS, "round_opens.month") in found else opens["month"]
    day = found[(AWARDS, "round_opens.day")].value if (AWARDS, "round_opens.day") in found else opens["day"]
    return dt.date(round_year, int(month), int(day))


def questions(trust: Trust | int, round_year: int) -> list[dict[str, Any]]:
    """The questions the employer answers for an application in this round, each with the answers it takes: yes or
    no, or its own choices (from the 2025 round; none before)."""
    return [
        {**q, "answers": tuple(q.get("choices") or YES_NO)}
        for q in in_force(rules()["verification"], round_day(trust, round_year))
    ]


def statement_rule(trust: Trust | int, round_year: int) -> dict[str, Any]:
    """What the employer writes for this round: a citation (required) until 2024, any concerns (optional) from 2025."""
    return in_force(rules()["employer_statement"], round_day(trust, round_year))[0]


def award_starts(trust: Trust | int, round_year: int) -> dt.date | None:
    """The day a new award of this round starts: 1 April of the year after the round from the 2025 round; None for
    earlier rounds, whose awards were backdated as their letters said."""
    rule = next(iter(in_force(rules()["award_start"], round_day(trust, round_year))), None)
    if rule is None:
        return None
    return dt.date(round_year + int(rule["years_after_round"]), int(rule["month"]), int(rule["day"]))


# The round's rules a trust may confirm, in plain words: the application's page names those still national defaults.
ROUND_RULES = {
    (AWARDS, "levels"): "the award levels",
    (AWARDS, "award_years"): "how long an award lasts",
}


def round_unconfirmed(trust: Trust, round_year: int) -> Unconfirmed:
    """ "This round's rule (...) is the national default; your trust has not confirmed it yet." where a rule the
    round is judged by awaits the trust's confirmation on the day it opened, else nothing."""
    return unconfirmed_for(trust, round_day(trust, round_year), ROUND_RULES, "round's rule", "round's rules")


def levels(trust: Trust, round_year: int) -> list[str]:
    """The award levels ``trust`` applies in this round: its confirmation in force on the day the round opened, else
    the national levels (N1, N2, N3)."""
    return [str(lv) for lv in value_for(trust, AWARDS, "levels", round_day(trust, round_year)).value]


def award_years(trust: Trust, round_year: int) -> int:
    """How many years an award of this round lasts for ``trust``: its confirmation in force on the day the round
    opened, else the national five years."""
    return int(value_for(trust, AWARDS, "award_years", round_day(trust, round_year)).value)


def level_meanings() -> dict[str, str]:
    """What each national level means, in the applicants' quick guide's words ("N1": "National 1, the lowest of
    the three levels"); a level a trust applies that the scheme does not name is explained by its code alone."""
    return {str(m["code"]): str(m["name"]) for m in in_force(rules()["level_meanings"], today())}


def level_words(level: str) -> str:
    """A level as a person reads it: "N1 (national 1, the lowest of the three levels)"."""
    meaning = level_meanings().get(level)
    return f"{level} ({meaning[0].lower()}{meaning[1:]})" if meaning else level


def level_note() -> str:
    """How the level of an award is decided (the applicants' quick guide)."""
    return str(rules()["level_note"]["name"])


def domain_word_limit(trust: Trust, round_year: int) -> Value:
    """The most words the application takes in each domain for ``trust`` in this round: its confirmation in force on
    the day the round opened, else medlead's default, which no primary source gives (``Value.awaiting``)."""
    return value_for(trust, AWARDS, "domain_word_limit", round_day(trust, round_year))


def words(text: str) -> int:
    """Words in a text as a word processor counts them: runs of characters between spaces and line breaks."""
    return len(text.split())


def over_limit(domains: dict[str, str], limit: int) -> dict[str, str]:
    """Each domain whose text is longer than ``limit`` words, with the sentence that says by how much."""
    names = domain_names()
    out = {}
    for code, text in domains.items():
        n = words(text)
        if n > limit:
            out[code] = f"{names.get(code, code)}: {n} words, over the limit of {limit}. Cut {n - limit}."
    return out


def _choose(found: list[str], none: bool = False) -> str:
    words = ", ".join(found[:-1]) + f" or {found[-1]}" if len(found) > 1 else "".join(found)
    return f"Choose {words}, or none." if none else f"Choose {words}."


@transaction.atomic
def start(*, actor: Any, person: Person, round_year: int, level: str) -> Application:
    require(actor, Perm.PREPARE_AWARD, person)
    allowed = levels(person.trust, round_year)
    if level not in allowed:
        raise ValidationError({"level": _choose(allowed)})
    if Application.objects.filter(person=person, round_year=round_year).exists():
        raise ValidationError({"round_year": f"You already have an application for the {round_year} round."})
    return core.create(
        actor=actor, obj=Application(trust_id=person.trust_id, person=person, round_year=round_year, level=level)
    )


@transaction.atomic
def domains_save(*, actor: Any, application: Application, domains: dict[str, str]) -> Application:
    application = Application.objects.select_for_update().get(pk=application.pk)
    require(actor, Perm.EDIT_AWARD, application)
    unknown = set(domains) - set(domain_names())
    if unknown:
        raise ValidationError("There is no such domain.")
    too_long = over_limit(domains, int(domain_word_limit(application.trust, application.round_year).value))
    if too_long:
        raise ValidationError(too_long)
    return core.update(actor=actor, obj=application, data={"domains": {k: v.strip() for k, v in domains.items()}})


def submit_missing(application: Application) -> list[str]:
    """The domains with no text saved yet, by name: the application is offered for submission once there are
    none. The application's page, the check page and ``submit`` all ask this."""
    return [name for code, name in domain_names().items() if not application.domains.get(code)]


def domains_problems(domains: dict[str, str], limit: int) -> dict[str, str]:
    """What stops these texts being submitted, by domain: a domain left empty, or longer than ``limit`` words."""
    names = domain_names()
    empty = {code: f"Write something in {name}." for code, name in names.items() if not domains.get(code, "").strip()}
    return empty | over_limit(domains, limit)


@transaction.atomic
def submit(*, actor: Any, application: Application, today: dt.date) -> Application:
    application = Application.objects.select_for_update().get(pk=application.pk)
    require(actor, Perm.EDIT_AWARD, application)
    empty = submit_missing(application)
    if empty:
        raise ValidationError(f"Write something in every domain first: {', '.join(empty)}.")
    return core.update(actor=actor, obj=application, data={"status": Status.SUBMITTED, "submitted_on": today})


def verify_problems(
    *, application: Application, checks: dict[str, str], investigations_note: str, statement: str
) -> dict[str, str]:
    """What stops the employer's verification being recorded, by field (none when it can be): every question of
    the round answered; an open case under MHPS, which medlead knows of, disclosed; what the round asks the employer
    to write, where it is required. The check page and ``verify`` both ask this."""
    asked = {q["code"]: q for q in questions(application.trust_id, application.round_year)}
    if set(checks) != set(asked) or any(checks[code] not in q["answers"] for code, q in asked.items()):
        return {"checks": "Answer every question of the verification."}
    errors: dict[str, str] = {}
    if doctor_has_open_case(application.person):
        if checks.get("investigations") == "no":
            errors["check_investigations"] = (
                "There is an open investigation about this consultant: answer yes, and disclose it."
            )
        if not investigations_note.strip():
            errors["investigations_note"] = "There is an open investigation about this consultant: disclose it here."
    written = statement_rule(application.trust_id, application.round_year)
    if written["required"] and not statement.strip():
        errors["statement"] = f"Write {written['name'][0].lower()}{written['name'][1:]}."
    return errors


@transaction.atomic
def verify(
    *,
    actor: Any,
    application: Application,
    checks: dict[str, str],
    investigations_note: str,
    statement: str,
    today: dt.date,
) -> Application:
    """The employer's verification: the round's questions answered, investigations and sanctions disclosed, and
    what the round asks it to write (a citation until 2024, any concerns from 2025). An open case under MHPS must be
    disclosed: medlead knows of it and says so (``verify_problems``)."""

    application = Application.objects.select_for_update().select_related("person").get(pk=application.pk)
    require(actor, Perm.VERIFY_AWARD, application)
    errors = verify_problems(
        application=application, checks=checks, investigations_note=investigations_note, statement=statement
    )
    if errors:
        raise ValidationError(errors)
    return core.update(
        actor=actor,
        obj=application,
        data={
            "status": Status.VERIFIED,
            "checks": checks,
            "investigations_note": investigations_note.strip(),
            "statement": statement.strip(),
            "verified_by": actor.person,
            "verified_on": today,
        },
    )


@transaction.atomic
def outcome(*, actor: Any, application: Application, level_awarded: str) -> Application:
    application = Application.objects.select_for_update().get(pk=application.pk)
    require(actor, Perm.RECORD_AWARD_OUTCOME, application)
    allowed = levels(application.trust, application.round_year)
    if level_awarded and level_awarded not in allowed:
        raise ValidationError({"level_awarded": _choose(allowed, none=True)})
    status = Status.AWARDED if level_awarded else Status.NOT_AWARDED
    starts_on = award_starts(application.trust_id, application.round_year) if level_awarded else None
    return core.update(
        actor=actor,
        obj=application,
        data={"status": status, "level_awarded": level_awarded, "starts_on": starts_on},
    )


def evidence_for(person: Person) -> dict[str, Any]:
    """What medlead already holds that an application can draw on: current management posts, the latest job plan,
    the development log and the 360s the consultant has completed. Five queries."""

    posts = [h.post.title for h in current_holdings(trust=person.trust).filter(person=person).select_related("post")]
    plan = JobPlan.objects.filter(person=person).order_by("-year").first()
    log = list(Experience.objects.filter(person=person).values_list("title", flat=True)[:10])
    cycles = FeedbackCycle.objects.filter(subject=person, status=CycleStatus.CLOSED).count()
    return {
        "posts": posts,
        "job_plan": f"{plan.year}/{(plan.year + 1) % 100:02d}: {plan.get_state_display().lower()}" if plan else "",
        "log": log,
        "cycles": cycles,
    }
