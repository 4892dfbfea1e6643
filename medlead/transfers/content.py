"""The national form's content, as data (``data/information_transfer.yaml``): its versions, each with its sections
and questions, and how an answer reads on a page. No Django: a transfer is completed on the version in force on the
day it was asked for, kept by its code, so an answer is always read against the questions it answered."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from medlead.core.reference_data import as_people_read, in_force, read

FILE = "information_transfer.yaml"
EXPECTED_DAYS = "expected_reply_days"
KINDS = frozenset({"date", "text", "yes_no", "confirm"})
# The questions whose answers are the period of connection every transfer and its PDF name.
CONNECTED_FROM, CONNECTED_UNTIL = "connected_from", "connected_until"
YES, NO = "yes", "no"


@dataclass(frozen=True)
class Question:
    code: str
    kind: str  # date, text, yes_no (with details asked when yes), confirm (the declaration)
    label: str
    hint: str = ""
    required: bool = True
    prefill: str = ""  # the fact medlead can fill it in with, from its records in the previous trust
    details: str = ""  # for yes_no: the label of the details asked when the answer is yes

    @property
    def details_code(self) -> str:
        return f"{self.code}_details"


@dataclass(frozen=True)
class Section:
    code: str
    title: str
    questions: tuple[Question, ...]


@dataclass(frozen=True)
class FormVersion:
    code: str
    name: str
    applies_from: dt.date
    sections: tuple[Section, ...]
    sources: str  # as people read them: the sources' citations, and "to be confirmed by the trust" where unverified
    verified: bool

    @property
    def questions(self) -> tuple[Question, ...]:
        return tuple(q for s in self.sections for q in s.questions)


def _question(raw: Mapping[str, Any]) -> Question:
    kind = str(raw["kind"])
    if kind not in KINDS:
        raise ValueError(f"{FILE}: question {raw.get('code')!r} has an unknown kind {kind!r}")
    return Question(
        code=str(raw["code"]),
        kind=kind,
        label=str(raw["label"]),
        hint=str(raw.get("hint", "")),
        required=bool(raw.get("required", True)),
        prefill=str(raw.get("prefill", "")),
        details=str(raw.get("details", "")),
    )


def versions() -> tuple[FormVersion, ...]:
    """Every version of the form, in the file's order (the file is parsed once each time it changes)."""
    found = []
    for entry in read(FILE)["forms"]:
        version = FormVersion(
            code=str(entry["code"]),
            name=str(entry["name"]),
            applies_from=entry["applies_from"],
            sections=tuple(
                Section(str(s["code"]), str(s["title"]), tuple(_question(q) for q in s["questions"]))
                for s in entry["sections"]
            ),
            sources=as_people_read(entry),
            verified=entry["verified"] is True,
        )
        codes = [q.code for q in version.questions]
        if len(set(codes)) != len(codes) or not {CONNECTED_FROM, CONNECTED_UNTIL} <= set(codes):
            raise ValueError(f"{FILE}: {version.code} needs unique question codes, the period of connection among them")
        found.append(version)
    return tuple(found)


def in_force_on(day: dt.date) -> FormVersion:
    """The version a request made on ``day`` is completed on: the latest in force that day."""
    entries = in_force(read(FILE)["forms"], day)
    if not entries:
        raise LookupError(f"{FILE} has no form in force on {day}")
    latest = max(entries, key=lambda e: e["applies_from"])
    return named(str(latest["code"]))


def named(code: str) -> FormVersion:
    """The version a transfer was asked on (its ``form``)."""
    for version in versions():
        if version.code == code:
            return version
    raise LookupError(f"{FILE} has no form {code!r}")


def date_of(answers: Mapping[str, Any], code: str) -> dt.date | None:
    value = answers.get(code)
    if not value:
        return None
    try:
        return dt.date.fromisoformat(str(value))
    except ValueError:
        return None


def answer_text(question: Question, answers: Mapping[str, Any]) -> str:
    """An answer as a page, the check of answers and the PDF show it."""
    value = answers.get(question.code)
    if question.kind == "date":
        day = date_of(answers, question.code)
        return f"{day:%-d %B %Y}" if day else "Not given"
    if question.kind == "yes_no":
        if value == YES:
            details = str(answers.get(question.details_code, "")).strip()
            return f"Yes: {details}" if details else "Yes"
        return "No" if value == NO else "Not answered"
    if question.kind == "confirm":
        return "Confirmed" if value else "Not confirmed"
    return str(value).strip() if value else "Not given"


def answered(version: FormVersion, answers: Mapping[str, Any]) -> list[tuple[Section, list[tuple[str, str]]]]:
    """Each section with its questions' labels and answers, as they read."""
    return [(s, [(q.label, answer_text(q, answers)) for q in s.questions]) for s in version.sections]
