"""Form errors in plain words: Django's generic messages rewritten to name the field and say what to do, as the
NHS design system's error messages do ("Enter your date of birth", not "This field is required.")."""

from __future__ import annotations

from typing import Any

CHOOSE = {"Select", "RadioSelect", "NullBooleanSelect", "CheckboxSelectMultiple", "SelectMultiple"}


def _what(field: Any) -> str:
    """The field's label as words in a sentence: "the start time", "your name"."""
    label = str(field.label or field.name).rstrip(" ?:")
    words = label[0].lower() + label[1:] if label[:2] != label[:2].upper() else label
    first = words.split(" ", 1)[0].lower()
    return words if first in {"the", "a", "an", "your", "their", "how", "what", "which", "who"} else f"the {words}"


def plain_errors(field: Any) -> list[str]:
    """The errors of a bound field, each a sentence that stands on its own in the error summary."""
    widget = field.field.widget.__class__.__name__
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
