"""What the information transfer pages show, built here so that templates neither ask permissions by string nor
compare states: the facts each reader may see, and what each may do."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from django.urls import reverse

from medlead.core.policy import Perm, can
from medlead.organisation.models import Trust
from medlead.transfers import content
from medlead.transfers.models import InformationTransfer


def on(day: dt.date | None) -> str:
    return f"{day:%-d %B %Y}" if day else ""


def who(user: Any) -> str:
    """An account as a page names it: its person's name, else the account's own name."""
    if user is None:
        return ""
    person = getattr(user, "person", None) if getattr(user, "person_id", None) else None
    if person is not None:
        return str(person.display_name)
    return str(user.get_full_name() or user.username)


def url(name: str, trust: Trust, transfer: InformationTransfer | None = None) -> str:
    kwargs: dict[str, Any] = {"trust_code": trust.code}
    if transfer is not None:
        kwargs["pk"] = transfer.pk
    return reverse(f"transfers:{name}", kwargs=kwargs)


def period(transfer: InformationTransfer) -> str:
    """The period of connection the previous responsible officer gave ("" before it is sent)."""
    start = content.date_of(transfer.answers, content.CONNECTED_FROM)
    end = content.date_of(transfer.answers, content.CONNECTED_UNTIL)
    if not (start and end):
        return ""
    return f"{on(start)} to {on(end)}"


def status_words(transfer: InformationTransfer) -> str:
    if transfer.sent:
        return f"Sent on {on(transfer.sent_on)}"
    if transfer.declined:
        return (
            f"Declined on {on(transfer.closed_on)}: {transfer.previous_trust.name} said the doctor was not connected "
            "to it"
        )
    if transfer.withdrawn:
        return f"Withdrawn on {on(transfer.closed_on)}"
    return f"Waiting for the responsible officer of {transfer.previous_trust.name}" + (
        " (a draft is saved)" if transfer.has_draft else ""
    )


@dataclass
class Page:
    """The record's page for one reader: the facts they may see, the answers if they may read them, their actions."""

    transfer: InformationTransfer
    side: str  # "new" (the trust that asked), "previous" (the trust asked) or "doctor"
    facts: list[tuple[str, str]] = field(default_factory=list)
    answers: list[tuple[content.Section, list[tuple[str, str]]]] = field(default_factory=list)
    sources: str = ""
    may_complete: bool = False
    may_withdraw: bool = False
    may_read: bool = False


def page(actor: Any, trust: Trust, transfer: InformationTransfer, *, reading: bool) -> Page:
    """``reading``: the answers are shown (the caller has read them through the policy, audited)."""
    t = transfer
    if trust.pk == t.previous_trust_id:
        side = "previous"
    elif getattr(actor, "person_id", None) == t.doctor_id:
        side = "doctor"
    else:
        side = "new"
    p = Page(t, side)
    p.facts = [
        ("Doctor", f"{t.doctor.display_name} (GMC number {t.doctor.gmc_number})"),
        (
            "Asked for by",
            f"{t.trust.name}, on {on(t.requested_on)}" + (f", by {who(t.requested_by)}" if side != "doctor" else ""),
        ),
        ("Asked of", f"{t.previous_trust.name}, the doctor's previous designated body"),
        (f"Joined {t.trust.name} on", on(t.joined_on)),
        ("Status", status_words(t)),
    ]
    if t.sent and side != "doctor":
        p.facts.append(("Completed and sent by", f"{who(t.sent_by)}, responsible officer, {t.previous_trust.name}"))
    if side == "new" and t.sent:
        p.facts.append(("First read", on(t.first_read_on) or "Not yet"))
    if side != "doctor" and t.note:
        p.facts.append(("Note from the responsible officer who asked", t.note))
    if side != "doctor" and t.reason and (t.declined or t.withdrawn):
        p.facts.append(("Reason", t.reason))
    p.may_complete = side == "previous" and can(actor, Perm.COMPLETE_INFORMATION_TRANSFER, t)
    p.may_withdraw = side == "new" and can(actor, Perm.WITHDRAW_INFORMATION_TRANSFER, t)
    p.may_read = side == "new" and reading
    if p.may_read:
        version = content.named(t.form)
        p.answers = content.answered(version, t.answers)
        p.sources = version.sources
    return p


@dataclass(frozen=True)
class Line:
    """One transfer in a list: who it is about, the other trust, when asked, and where it stands."""

    transfer: InformationTransfer
    url: str
    other: str
    status: str


def lines(trust: Trust, transfers: list[InformationTransfer], *, asked_by_us: bool) -> list[Line]:
    return [
        Line(
            t,
            url("transfer", trust, t),
            t.previous_trust.name if asked_by_us else t.trust.name,
            status_words(t),
        )
        for t in transfers
    ]
