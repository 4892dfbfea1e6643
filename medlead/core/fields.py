"""Form fields shared by every app."""

from __future__ import annotations

import math
import re
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.db.models import Q

from medlead.core.params import MAX_ID, int_param, is_digits


class BoundedModelMultipleChoiceField(forms.ModelMultipleChoiceField):
    """Django's multiple choice of records, but an id that is not a whole number a database id can be ("abc",
    "1e999999", twenty digits) is refused as a choice that does not exist before the database is asked: Django
    passes it to an ``IN`` query, where SQLite and PostgreSQL fail on a number too large."""

    def clean(self, value: Any) -> Any:
        if (self.to_field_name or "pk") == "pk" and isinstance(value, list | tuple):
            for pk in value:
                if int_param(str(pk), lo=1) is None:
                    raise forms.ValidationError(
                        self.error_messages["invalid_choice"], code="invalid_choice", params={"value": pk}
                    )
        return super().clean(value)


# No number medlead keeps (pounds, hours, programmed activities, scores) comes near a million million.
LARGEST_NUMBER = 10**12


def finite_number(value: Any) -> None:
    """Refuse a number that is not finite or is absurdly large. Django's FloatField refuses NaN and infinity, and
    its DecimalField refuses NaN and infinity, but a DecimalField without ``max_digits`` accepts "1e999999" (a
    finite Decimal), which then fails when it is rounded or saved: a server error instead of a form error."""
    if value is None:
        return
    try:
        finite = math.isfinite(value) and abs(value) < LARGEST_NUMBER
    except (TypeError, ValueError, ArithmeticError):
        finite = False
    if not finite:
        raise ValidationError("Enter a number of a sensible size.", code="invalid")


class MoneyField(forms.DecimalField):
    """An amount in pounds, typed as people write it: "120.50", "£120.50" or "£1,200"."""

    default_validators = [finite_number]

    def to_python(self, value: Any) -> Any:
        if isinstance(value, str):
            value = value.strip().replace("£", "").replace(",", "").strip()
        return super().to_python(value)


def describe_person(person: Any) -> str:
    """How a person is told apart from others of the same name: "Dr Zoe Adams, GMC 1234567, Consultant,
    Cardiology"."""
    parts = [person.display_name]
    if person.gmc_number:
        parts.append(f"GMC {person.gmc_number}")
    elif person.staff_number:
        parts.append(f"staff number {person.staff_number}")
    if person.grade:
        parts.append(person.get_grade_display())
    elif person.job_title:
        parts.append(person.job_title)
    if person.specialty_id and person.specialty:
        parts.append(person.specialty.name)
    return ", ".join(parts)


def picked_text(person: Any) -> str:
    """What the picker puts in the box for a chosen person: their name and the number that identifies them."""
    number = (
        f"GMC {person.gmc_number}" if person.gmc_number else (person.staff_number and f"staff {person.staff_number}")
    )
    return f"{person.display_name} ({number})" if number else person.display_name


class PersonPicker(forms.TextInput):
    """A text box for a person: type a name, GMC number or staff number. With JavaScript, matches appear as you
    type (``static/person-picker.js`` and ``structure:people_pick``); without it, the typed text is resolved
    when the form is sent. ``scope`` narrows the suggestions (the field's queryset decides what is accepted)."""

    def __init__(self, scope: str = "all", attrs: dict[str, Any] | None = None) -> None:
        super().__init__(attrs)
        self.scope = scope


# The longest text the person picker searches by: far beyond any name with its GMC number, well inside what a
# database's LIKE takes (SQLite refuses a pattern over 50,000 characters: a server error, not a form error).
PERSON_TEXT_MAX = 200


class PersonField(forms.ModelChoiceField):
    """Choose one person from ``queryset`` by what a user knows of them, never from a list of the whole trust.

    Accepts the person's id (as a select would send), a GMC number (seven digits, anywhere in the text, as in
    "Dr Zoe Adams (GMC 1234567)"), a staff number, or a name that matches exactly one person; a name that matches
    several lists them, told apart, and asks for the GMC number."""

    def __init__(self, *args: Any, scope: str = "all", **kwargs: Any) -> None:
        kwargs.setdefault("queryset", None)
        super().__init__(*args, **kwargs)
        self.widget = PersonPicker(scope=scope)
        self.help_text = self.help_text or "Type a name, GMC number or staff number."

    def display(self, value: Any) -> str:
        """The text to show in the box for ``value`` (an id from initial data, or what was typed)."""
        if value in self.empty_values:
            return ""
        if hasattr(value, "display_name"):
            return picked_text(value)
        text = str(value)
        if is_digits(text) and len(text) != 7 and int(text) <= MAX_ID and self.queryset is not None:
            person = self.queryset.filter(pk=int(text)).first()
            if person is not None:
                return picked_text(person)
        return text

    def to_python(self, value: Any) -> Any:
        if value in self.empty_values:
            return None
        if hasattr(value, "display_name"):
            return value
        text = str(value).strip()
        if len(text) > PERSON_TEXT_MAX:
            raise forms.ValidationError(
                f"That is too long for a name, GMC number or staff number (at most {PERSON_TEXT_MAX} characters).",
                code="invalid_choice",
            )
        qs = self.queryset
        assert qs is not None
        if is_digits(text) and len(text) != 7 and int(text) <= MAX_ID:
            found = qs.filter(pk=int(text)).first()
            if found is not None:
                return found
        gmc = re.search(r"(?<!\d)(\d{7})(?!\d)", text)
        if gmc:
            found = qs.filter(Q(gmc_number=gmc.group(1)) | Q(staff_number=gmc.group(1))).first()
            if found is not None:
                return found
            raise forms.ValidationError(f"Nobody here has GMC number {gmc.group(1)}.", code="invalid_choice")
        staff = re.search(r"staff\s+(\S+)\)?$", text)
        number = staff.group(1).rstrip(")") if staff else text
        found = qs.filter(staff_number=number).first() if number else None
        if found is not None:
            return found
        words = [w for w in re.sub(r"\(.*?\)|\bDr\b\.?", " ", text).split() if w]
        matches = qs
        for word in words:
            matches = matches.filter(Q(first_name__icontains=word) | Q(last_name__icontains=word))
        candidates = list(matches.select_related("specialty")[:6]) if words else []
        if len(candidates) == 1:
            return candidates[0]
        if not candidates:
            raise forms.ValidationError(
                f"Nobody you can choose here matches '{text}'. Type a name, GMC number or staff number.",
                code="invalid_choice",
            )
        shown = "; ".join(describe_person(p) for p in candidates[:5])
        more = " and others" if len(candidates) > 5 else ""
        raise forms.ValidationError(
            f"More than one person matches '{text}': {shown}{more}. Type the GMC or staff number of the one you mean.",
            code="invalid_choice",
        )


class NHSDateInput(forms.Widget):
    """The NHS design system's date input: day, month and year boxes (names ``<name>[day]`` and so on). A single
    ``<name>`` value (an ISO date, or 27/3/2026) is accepted too, as an API client or a test sends it."""

    template_name = ""  # rendered by includes/forms.jinja with the design system's dateInput macro

    def __init__(self, attrs: dict[str, Any] | None = None, *, what: str = "") -> None:
        """``what`` names the date in a sentence for its error messages ("the date the action is due"); without
        it, the messages are built from the field's label (``core.form_errors.date_errors``)."""
        super().__init__(attrs)
        self.what = what

    def value_from_datadict(self, data: Any, files: Any, name: str) -> Any:
        if name in data:
            return data.get(name)
        day, month, year = (str(data.get(f"{name}[{part}]", "")).strip() for part in ("day", "month", "year"))
        if not (day or month or year):
            return ""
        if is_digits(day) and is_digits(month) and is_digits(year) and len(year) == 4:
            return f"{year}-{int(month):02d}-{int(day):02d}"
        return f"{day}/{month}/{year}"  # not a date: the field says so, and the boxes keep what was typed

    def value_omitted_from_data(self, data: Any, files: Any, name: str) -> bool:
        return name not in data and f"{name}[day]" not in data

    def id_for_label(self, id_: str) -> str:
        return f"{id_}-day" if id_ else id_

    @staticmethod
    def parts(value: Any) -> dict[str, str]:
        """Day, month and year to show in the boxes, from a date, an ISO string or what was typed."""
        if value in (None, ""):
            return {"day": "", "month": "", "year": ""}
        if hasattr(value, "year"):
            return {"day": str(value.day), "month": str(value.month), "year": str(value.year)}
        text = str(value)
        if "/" in text:
            day, _, rest = text.partition("/")
            month, _, year = rest.partition("/")
            return {"day": day, "month": month, "year": year}
        year, _, rest = text.partition("-")
        month, _, day = rest.partition("-")
        strip = (lambda s: s.lstrip("0") or s) if is_digits(year) else (lambda s: s)
        return {"day": strip(day), "month": strip(month), "year": year}
