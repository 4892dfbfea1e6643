"""Form errors in plain words: Django's generic messages rewritten to name the field and say what to do, as the
NHS design system's error messages do ("Enter your date of birth", not "This field is required.")."""

from __future__ import annotations

import re
from typing import Any

CHOOSE = {"Select", "RadioSelect", "NullBooleanSelect", "CheckboxSelectMultiple", "SelectMultiple"}


def _what(field: Any) -> str:
    """The field's label as words in a sentence: "the start time", "your name"."""
    label = str(field.label or field.name).rstrip(" ?:")
    words = label[0].lower() + label[1:] if label[:2] != label[:2].upper() else label
    first = words.split(" ", 1)[0].lower()
    return words if first in {"the", "a", "an", "your", "their", "how", "what", "which", "who"} else f"the {words}"


# Words that show a label already names a date ("Date of the check", "Last day in post", "Start of the term").
DATE_WORDS = frozenset({"date", "day", "start", "end", "birth"})


def _date_what(field: Any) -> str:
    """A date field's name in a sentence: the widget's own words where the form gives them ("the date the action
    is due"), the label where it names a date ("the date of the check"), else the label quoted as the name of a
    date ("the 'Due by' date", never "the due by")."""
    given = getattr(field.field.widget, "what", "")
    if given:
        return str(given)
    label = str(field.label or field.name).rstrip(" ?:")
    if set(re.findall(r"[a-z]+", label.lower())) & DATE_WORDS:
        return _what(field)
    return f"the '{label}' date"


def _missing_part(typed: Any) -> str:
    """Which of day, month and year was left empty in what was typed in the three boxes ("27//2026" lacks the
    month), or "" when all three were typed."""
    text = str(typed or "")
    if text.count("/") != 2:
        return ""
    return next((name for name, part in zip(("day", "month", "year"), text.split("/"), strict=True) if not part), "")


def date_errors(field: Any) -> list[str]:
    """A date field's errors, naming the date as a person would: "Enter the 'Due by' date as a real date", "The date
    the action is due must include a month" (the NHS design system's words when a box was left empty)."""
    what = _date_what(field)
    capital = f"{what[0].upper()}{what[1:]}"
    out = []
    for message in field.errors:
        text = str(message)
        if text == "This field is required.":
            text = f"Enter {what}."
        elif text == "Enter a valid date.":
            part = _missing_part(field.data)
            real = f"Enter {what} as a real date, for example 27 3 2026."
            text = f"{capital} must include a {part}." if part else real
        out.append(text)
    return out


def plain_errors(field: Any) -> list[str]:
    """The errors of a bound field, each a sentence that stands on its own in the error summary."""
    widget = field.field.widget.__class__.__name__
    if widget == "NHSDateInput":
        return date_errors(field)
    what = _what(field)
    out = []
    for message in field.errors:
        text = str(message)
        if text == "This field is required.":
            text = f"Choose {what}." if widget in CHOOSE else f"Enter {what}."
        elif text.startswith("Select a valid choice."):
            text = f"Choose {what} from the list."
        elif text == "Enter a valid date.":
            text = f"Enter {what} as a real date, for example 27 3 2026."
        elif text == "Enter a valid time.":
            text = f"Enter {what} as a time, for example 09:30."
        elif text == "Enter a number." or text == "Enter a whole number.":
            text = f"Enter {what} as a number."
        elif text == "Enter a valid email address.":
            text = f"Enter {what} as an email address, like name@example.nhs.uk."
        elif text.startswith("Ensure this value is greater than or equal to"):
            text = f"{what[0].upper()}{what[1:]} must be at least {text.rsplit(' ', 1)[-1].rstrip('.')}."
        elif text.startswith("Ensure this value is less than or equal to"):
            text = f"{what[0].upper()}{what[1:]} must be at most {text.rsplit(' ', 1)[-1].rstrip('.')}."
        elif text.startswith("Ensure that there are no more than"):
            text = f"{what[0].upper()}{what[1:]}: {text[0].lower()}{text[1:]}"
        out.append(text)
    return out
