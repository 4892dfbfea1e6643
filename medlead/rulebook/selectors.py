"""The values in force for a trust on a day: the trust's confirmation in force if any, else the national value.

``value_for`` is the one helper readers use
(``value_for(trust, "guardian_fines.yaml", "calculation.v13.doctor_multiplier", day)``); ``values_in_force`` gives a
page every value at once, in one query whatever their number. ``unconfirmed`` (from values a page read) and
``unconfirmed_for`` (from the keys it used) give the one sentence a page or PDF shows while a value it applied awaits
the trust's confirmation (``includes/unconfirmed.jinja``); ``unconfirmed_over`` the same for values applied to records
of several days (``values_at`` judges each on its own day)."""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections.abc import Iterable, Mapping
from typing import Any

from django.db.models.signals import post_delete, post_save

from medlead.core.memo import once_per_request
from medlead.organisation.models import Trust
from medlead.rulebook import catalogue
from medlead.rulebook.catalogue import NationalValue
from medlead.rulebook.models import ValueConfirmation
from medlead.rulebook.unconfirmed import Unconfirmed


@dataclasses.dataclass(frozen=True)
class Value:
    """A value as a record of this trust on this day is judged by."""

    value: Any
    confirmed: bool  # confirmed (or changed) by the trust
    verified: bool  # verified from its primary source
    national: NationalValue
    confirmation: ValueConfirmation | None = None

    @property
    def awaiting(self) -> bool:
        """Neither verified from a source nor confirmed by the trust: pages say so."""
        return not (self.verified or self.confirmed)

    @property
    def status(self) -> str:
        if self.confirmation is not None:
            return "Changed by this trust" if self.confirmation.changed else "Confirmed by this trust"
        return "Verified from the source" if self.verified else "Not yet confirmed by your trust"


# Bumped whenever a confirmation is saved or deleted in this process: a trust's confirmations remembered on its
# record (below) are read again after that.
_generation = [0]


def _changed(**_: Any) -> None:
    _generation[0] += 1


post_save.connect(_changed, sender=ValueConfirmation, dispatch_uid="rulebook-confirmations-changed")
post_delete.connect(_changed, sender=ValueConfirmation, dispatch_uid="rulebook-confirmations-changed")


def _rows(trust: Trust | int) -> list[ValueConfirmation]:
    """Every confirmation of the trust, oldest first (one query). Read once a request however many records of the
    trust the page holds (``core.memo``), and outside a request remembered on the trust's record, so that a page or a
    task that applies values for several purposes (the home page: five) reads them once; read again once a
    confirmation has changed."""
    generation = _generation[0]
    trust_id = trust.pk if isinstance(trust, Trust) else trust
    memo = trust.__dict__.get("_value_confirmations") if isinstance(trust, Trust) else None
    if memo is not None and memo[0] == generation:
        rows: list[ValueConfirmation] = memo[1]
        return rows
    rows = once_per_request(
        ("value_confirmations", trust_id, generation),
        # not joined to who confirmed each (the values page reads them): a page kept while what it read is unchanged
        # (core.kept) would otherwise be built again whenever any account changed
        lambda: list(ValueConfirmation.objects.filter(trust=trust_id).order_by("applies_from", "created_at", "pk")),
    )
    if isinstance(trust, Trust):
        trust.__dict__["_value_confirmations"] = (generation, rows)
    return rows


def _confirmations(
    trust: Trust, day: dt.date, files: Iterable[str] | None = None
) -> dict[tuple[str, str], ValueConfirmation]:
    """The confirmation in force on ``day`` for each value the trust has confirmed: the latest from that day or
    before (one query, if any)."""
    wanted = None if files is None else set(files)
    found: dict[tuple[str, str], ValueConfirmation] = {}
    for row in _rows(trust):
        if row.applies_from <= day and (wanted is None or row.file in wanted):
            found[(row.file, row.key)] = row  # a later one replaces an earlier one
    return found


def _value(national: NationalValue, confirmation: ValueConfirmation | None) -> Value:
    if confirmation is None:
        return Value(national.value, False, national.verified, national)
    return Value(catalogue.typed(confirmation.value, national.value), True, national.verified, national, confirmation)


def value_for(trust: Trust, file: str, key: str, day: dt.date) -> Value:
    """The value of ``key`` in ``file`` by which a record of ``trust`` dated ``day`` is judged. ``LookupError``
    where the file gives no such value that day (a programming error, never a user's)."""
    national = catalogue.value(file, key, day)
    if national is None:
        raise LookupError(f"{file} gives no value {key} on {day}")
    return _value(national, _confirmations(trust, day, [file]).get((file, key)))


def values_for(trust: Trust, file: str, keys: Iterable[str], day: dt.date) -> dict[str, Value]:
    """Several values of one file at once (one query)."""
    wanted = set(keys)
    confirmations = _confirmations(trust, day, [file])
    found = {
        v.key: _value(v, confirmations.get((file, v.key))) for v in catalogue.values(day, (file,)) if v.key in wanted
    }
    missing = wanted - set(found)
    if missing:
        raise LookupError(f"{file} gives no value {', '.join(sorted(missing))} on {day}")
    return found


def values_at(trust: Trust | int, wanted: Iterable[tuple[str, str, dt.date]]) -> list[tuple[str, str, dt.date, Value]]:
    """Each asked value (``(file, key, day)``) as the trust applied it on its own day, in one query: the same key on
    several days is judged on each (a quarter's records, some dated before a confirmation and some after). A value
    its file does not give on its day is left out. ``trust`` may be its id."""
    asked = list(dict.fromkeys(wanted))
    if not asked:
        return []
    keys = {(f, k) for f, k, _ in asked}
    by_key: dict[tuple[str, str], list[ValueConfirmation]] = {}
    for row in _rows(trust):
        if (row.file, row.key) in keys:
            by_key.setdefault((row.file, row.key), []).append(row)
    found: list[tuple[str, str, dt.date, Value]] = []
    for file, key, day in asked:
        national = catalogue.value(file, key, day)
        if national is None:
            continue
        in_force = [r for r in by_key.get((file, key), []) if r.applies_from <= day]
        found.append((file, key, day, _value(national, in_force[-1] if in_force else None)))
    return found


def values_on(trust: Trust | int, wanted: Iterable[tuple[str, str, dt.date]]) -> dict[tuple[str, str], Value]:
    """Values of several files, each on its own day (``(file, key, day)``), in one query: a value its file does not
    give on its day is left out (the caller decides what a missing value means). ``trust`` may be its id."""
    return {(file, key): value for file, key, _, value in values_at(trust, wanted)}


def unconfirmed(what: str, values: Iterable[Value], plural: str = "") -> Unconfirmed:
    """What a page says of the values it applied (``what``: "rate", ``plural``: "rates"): "This rate is the national
    default; your trust has not confirmed it yet." where any awaits the trust's confirmation, else nothing. No
    query: from values the page has read."""
    return Unconfirmed(what, sum(1 for v in values if v.awaiting), plural)


def unconfirmed_over(
    trust: Trust | int, wanted: Iterable[tuple[str, str, dt.date]], what: str, plural: str = ""
) -> Unconfirmed:
    """The sentence for values a page applied to several records, each on its record's day (``(file, key, day)``;
    one query): said where any of them awaits the trust's confirmation, counting each value once however many
    records used it."""
    awaiting = {(file, key): v for file, key, _, v in values_at(trust, wanted) if v.awaiting}
    return unconfirmed(what, awaiting.values(), plural)


def unconfirmed_for(
    trust: Trust | int,
    day: dt.date,
    keys: Iterable[tuple[str, str]] | Mapping[tuple[str, str], str],
    what: str,
    plural: str = "",
) -> Unconfirmed:
    """The sentence for the values ``keys`` (``(file, key)``) a page applied to a record of ``trust`` dated ``day``
    (one query); a key its file does not give that day is not the page's to mention. Where ``keys`` maps each to its
    plain name, the sentence names those awaiting confirmation."""
    found = values_on(trust, [(file, key, day) for file, key in keys])
    if not isinstance(keys, Mapping):
        return unconfirmed(what, found.values(), plural)
    return Unconfirmed.named(what, [name for k, name in keys.items() if k in found and found[k].awaiting], plural)


def values_in_force(trust: Trust, day: dt.date) -> list[Value]:
    """Every national value on ``day`` as this trust applies it (one query)."""
    confirmations = _confirmations(trust, day)
    return [_value(v, confirmations.get((v.file, v.key))) for v in catalogue.values(day)]


def awaiting_count(trust: Trust, day: dt.date) -> int:
    """How many values in force on ``day`` are neither verified from a source nor confirmed by the trust."""
    return sum(1 for v in values_in_force(trust, day) if v.awaiting)


def history(trust: Trust, file: str, key: str) -> list[ValueConfirmation]:
    """Every confirmation of one value by the trust, latest first."""
    return list(
        ValueConfirmation.objects.filter(trust=trust, file=file, key=key)
        .select_related("confirmed_by")
        .order_by("-applies_from", "-created_at")
    )
