"""Reads of who receives what, and of which region a trust belongs to, on a date (issue 34): the rows of
``Receiver`` resolved by the pure rule in ``organisation.receiving`` (the most specific row in force wins). The
table is small (a few rows a region): every read is one query for all of it, whatever the number of trusts."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass

from medlead.organisation.models import Receiver, ReceiverKind, Region, Trust, receiving_row
from medlead.organisation.receiving import membership, receiving


@dataclass(frozen=True)
class Received:
    """Who receives something for a trust on a day, with the row's source as people read it."""

    body: str
    source_title: str
    source_url: str
    verified: bool
    applies_from: dt.date

    def __str__(self) -> str:
        return self.body

    @property
    def named(self) -> str:
        """The body as a document names it: marked when no primary source read confirms it, never stated as fact."""
        return self.body if self.verified else f"{self.body} (to be confirmed)"


def _rows() -> list[Receiver]:
    return list(Receiver.objects.order_by("applies_from", "pk"))


def _received(row: Receiver) -> Received:
    return Received(row.body, row.source_title, row.source_url, row.verified, row.applies_from)


def receivers_for(kind: str, trusts: Iterable[Trust], *, on: dt.date) -> dict[int, Received | None]:
    """For each trust (by id), who receives ``kind`` on ``on``: one query for every trust."""
    rows = _rows()
    pure = [receiving_row(r) for r in rows]
    by_pk = {r.pk: r for r in rows}
    out: dict[int, Received | None] = {}
    for trust in trusts:
        region_id = membership(trust.pk, trust.region_id, pure, on).region_id
        found = receiving(kind, trust.pk, region_id, pure, on)
        out[trust.pk] = _received(by_pk[found.pk]) if found is not None else None
    return out


def receiver(kind: str, trust: Trust, *, on: dt.date) -> Received | None:
    """Who receives ``kind`` (a ``ReceiverKind``) for ``trust`` on ``on``: the most specific row in force that day
    (one naming the trust, else its region that day, else every trust), or None where no row applies yet."""
    return receivers_for(kind, [trust], on=on)[trust.pk]


def region_of(trust: Trust, *, on: dt.date) -> Region | None:
    """The region ``trust`` belongs to on ``on`` (two queries at most: the rows, then the region)."""
    pure = [receiving_row(r) for r in Receiver.objects.filter(kind=ReceiverKind.REGION)]
    region_id = membership(trust.pk, trust.region_id, pure, on).region_id
    if region_id is None:
        return None
    if region_id == trust.region_id and trust.region_id is not None:
        return trust.region
    return Region.objects.filter(pk=region_id).first()
