"""Who receives what, and which region a trust belongs to, on a date (issue 34): the rule, pure (no Django).

Each row of ``organisation.Receiver`` applies from its date to every trust (a national row), to the trusts of one
region, or to one trust. On a day, the most specific row in force wins: one naming the trust, else one naming its
region, else a national one; among rows equally specific, the latest to take effect.

A trust's region is itself dated. A row naming the trust says where it belongs from its date (and remembers, in
``moves_from``, where it belonged the day before); a row naming a region moves that region's trusts to another from
its date (a reorganisation). Before its first row a trust belongs where that row says it came from; without rows,
where the trust record says (``Trust.region``, kept in step each day by ``receivers_sync``)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass

REGION = "region"  # ReceiverKind.REGION, repeated here so that the rule needs no Django


@dataclass(frozen=True)
class Row:
    """One dated row, as the rule reads it."""

    pk: int
    kind: str
    trust_id: int | None  # the row is for this trust only
    region_id: int | None  # the row is for this region's trusts
    applies_from: dt.date
    belongs_to_id: int | None = None  # for a region row: the region the trust(s) belong to from its date
    moves_from_id: int | None = None  # for a trust's region row: where it belonged the day before

    @property
    def national(self) -> bool:
        return self.trust_id is None and self.region_id is None


def _in_order(rows: Iterable[Row]) -> list[Row]:
    return sorted(rows, key=lambda r: (r.applies_from, r.pk))


@dataclass(frozen=True)
class Membership:
    """A trust's region on a day, and the regional rows (a region's trusts moving together) that took it there
    after its own latest row: the daily task records each as a row of the trust's own."""

    region_id: int | None
    moved_by: tuple[Row, ...] = ()


def membership(trust_id: int, home_region_id: int | None, rows: Iterable[Row], on: dt.date) -> Membership:
    """The region trust ``trust_id`` belongs to on ``on``. ``home_region_id`` is the trust record's region (where it
    belongs when no row says otherwise); ``rows`` may hold every kind and every trust's rows."""
    regional = [r for r in rows if r.kind == REGION]
    own = _in_order(r for r in regional if r.trust_id == trust_id)
    by_region = _in_order(r for r in regional if r.trust_id is None and r.region_id is not None)
    in_force = [r for r in own if r.applies_from <= on]
    since: dt.date | None = None
    if in_force:
        region, since = in_force[-1].belongs_to_id, in_force[-1].applies_from
    elif own:
        # before the trust's first recorded move: where that move took it from
        return Membership(own[0].moves_from_id if own[0].moves_from_id is not None else home_region_id)
    else:
        region = home_region_id
    moved: list[Row] = []
    for r in by_region:
        if r.applies_from <= on and (since is None or r.applies_from > since) and r.region_id == region:
            region = r.belongs_to_id
            moved.append(r)
    return Membership(region, tuple(moved))


def region_on(trust_id: int, home_region_id: int | None, rows: Iterable[Row], on: dt.date) -> int | None:
    """The region's id (see ``membership``)."""
    return membership(trust_id, home_region_id, rows, on).region_id


def specificity(row: Row) -> int:
    """2 for a row naming a trust, 1 for a region's, 0 for a national one."""
    return 2 if row.trust_id is not None else 1 if row.region_id is not None else 0


def receiving(kind: str, trust_id: int, region_id: int | None, rows: Iterable[Row], on: dt.date) -> Row | None:
    """The row of ``kind`` that applies to the trust on ``on`` (``region_id``: its region that day), or None: the
    most specific in force, the latest among equals."""
    fits = [
        r
        for r in rows
        if r.kind == kind
        and r.applies_from <= on
        and (r.trust_id == trust_id or (r.trust_id is None and (r.region_id is None or r.region_id == region_id)))
    ]
    if not fits:
        return None
    return max(fits, key=lambda r: (specificity(r), r.applies_from, r.pk))
