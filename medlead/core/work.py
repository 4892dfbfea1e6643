"""The trust home page's two lists, as a mechanism: "What needs you" (each person's tasks across modules) and the
board's picture (aggregates only, never a person's record). Core knows no app's records.

Each app adds its part in ``<app>/work.py`` (found by ``core.apps`` at startup): a function decorated with
``@needs_you(order=...)`` returns the app's ``Task`` items for one person in one trust today, one decorated with
``@board_section(order=...)`` returns the app's ``Figure`` lines of the board's picture. Each is called with one
``Visit`` per page, on which providers share what more than one of them reads (the structure's post holders, read
once for both lists), so that the page costs a fixed number of queries whatever the trust's size. A provider asks
for counts with ``visit.count(queryset)`` / ``visit.exists(queryset)`` and returns a function of no arguments that
builds its items from their ``value``: ``gather`` calls every provider, reads all the counts in one query, then
calls those functions (ADR 0030). The ``home`` app asks every provider in ``order`` and puts urgent items first.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from functools import cached_property
from typing import Any, TypeVar

from django.core.exceptions import EmptyResultSet
from django.db import connections
from django.db.models import QuerySet
from django.urls import reverse

from medlead.core import kept
from medlead.core.policy import Perm, can, person_id

T = TypeVar("T")


@dataclass(frozen=True)
class Task:
    """One line of "What needs you": a count, with a link to the place to act."""

    text: str
    count: int | None  # None for a thing of one's own ("Prepare your appraisal"), said without a number
    url: str
    urgent: bool = False
    one: str = ""  # the words for a count of exactly one ("job plan agreed by the doctor, ...")

    @property
    def words(self) -> str:
        return self.one if self.count == 1 and self.one else self.text


@dataclass(frozen=True)
class Figure:
    """One line of the board's picture: an aggregate, and the report behind it where the viewer may open it."""

    label: str
    value: str
    detail: str
    url: str = ""


@dataclass
class Counted:
    """A count a provider asked for with ``Visit.count`` (or a yes/no with ``Visit.exists``): its ``value`` is there
    once the page has read every provider's counts together, in one query (``Visit.read_counts``)."""

    queryset: QuerySet[Any]
    exists: bool = False
    _value: int | None = field(default=None, repr=False)

    @property
    def value(self) -> int:
        if self._value is None:
            raise RuntimeError("a count is read after the visit's counts: return a function that builds the items")
        return self._value


@dataclass
class First:
    """The first row's fields of a queryset a provider asked for with ``Visit.first``: its ``value`` (a tuple of the
    fields, or None where there is no row) is there once the page has read every count, in the same query."""

    queryset: QuerySet[Any]
    fields: tuple[str, ...]
    _value: tuple[Any, ...] | None = field(default=None, repr=False)
    _read: bool = field(default=False, repr=False)

    @property
    def value(self) -> tuple[Any, ...] | None:
        if not self._read:
            raise RuntimeError("a row is read after the visit's counts: return a function that builds the items")
        return self._value


class Visit:
    """One person looking at one trust's home page on one day: what every provider is given, and where they share
    the reads that more than one of them needs."""

    def __init__(self, actor: Any, trust: Any, today: dt.date) -> None:
        self.actor, self.trust, self.today = actor, trust, today
        self._shared: dict[type[Any], Any] = {}
        self._counts: list[Counted] = []
        self._firsts: list[First] = []

    def count(self, queryset: QuerySet[Any]) -> Counted:
        """How many rows ``queryset`` has, read with every other count of the page in one query."""
        counted = Counted(queryset)
        self._counts.append(counted)
        return counted

    def exists(self, queryset: QuerySet[Any]) -> Counted:
        """Whether ``queryset`` has a row (``value`` 1 or 0), read with the page's counts in one query."""
        counted = Counted(queryset, exists=True)
        self._counts.append(counted)
        return counted

    def first(self, queryset: QuerySet[Any], *fields: str) -> First:
        """The first row's ``fields`` of ``queryset`` (in its order, else by primary key, as ``.first()``), read
        with the page's counts in one query. Name a field that is never empty first: ``value`` is None when every
        field is empty (no row). The values come as the database holds them: ask for numbers and text."""
        found = First(queryset if queryset.ordered else queryset.order_by("pk"), fields)
        self._firsts.append(found)
        return found

    def read_counts(self) -> None:
        """Reads every count (and first row) asked for and not yet read, in one query: ``SELECT (SELECT COUNT(*)
        FROM (...)), (SELECT field FROM ... LIMIT 1), ...`` (nothing when none was asked)."""
        waiting = [c for c in self._counts if c._value is None]
        firsts = [f for f in self._firsts if not f._read]
        self._counts, self._firsts = [], []
        if not waiting and not firsts:
            return
        alias = (waiting[0].queryset if waiting else firsts[0].queryset).db
        parts: list[str] = []
        params: list[Any] = []
        asked: list[Counted] = []
        columns: list[tuple[First, int]] = []  # each first row's place among the columns after the counts
        first_parts: list[str] = []
        first_params: list[Any] = []
        for found in firsts:
            found._read = True
            start = len(first_parts)
            try:
                for name in found.fields:
                    sql, inner_params = found.queryset.values_list(name)[:1].query.get_compiler(using=alias).as_sql()
                    first_parts.append(f"({sql})")
                    first_params.extend(inner_params)
            except EmptyResultSet:
                del first_parts[start:]
                continue
            columns.append((found, start))
        for counted in waiting:
            inner = counted.queryset.order_by()
            if counted.exists:
                inner = inner.values("pk")[:1]
            elif _rows_are_records(inner):
                inner = inner.values("pk")
            try:
                sql, inner_params = inner.query.get_compiler(using=alias).as_sql()
            except EmptyResultSet:  # a queryset that can have no row (``.none()``, ``pk__in=[]``)
                counted._value = 0
                continue
            # the SQL is Django's own compiled query, its values passed apart as parameters
            parts.append(f"(SELECT COUNT(*) FROM ({sql}) AS counted_{len(asked)})")  # noqa: S608
            params.extend(inner_params)
            asked.append(counted)
        if not asked and not first_parts:
            return
        with connections[alias].cursor() as cursor:
            cursor.execute("SELECT " + ", ".join(parts + first_parts), params + first_params)
            row = cursor.fetchone()
        for counted, value in zip(asked, row[: len(asked)], strict=True):
            counted._value = int(value)
        rest = row[len(asked) :]
        for found, start in columns:
            values = tuple(rest[start : start + len(found.fields)])
            found._value = None if all(v is None for v in values) else values

    def shared(self, kind: type[T], build: Callable[[], T]) -> T:
        """The one ``kind`` of this visit, built by the first provider that asks for it."""
        if kind not in self._shared:
            self._shared[kind] = build()
        found: T = self._shared[kind]
        return found

    @cached_property
    def person_id(self) -> int | None:
        """The actor's own person record, if they have one."""
        return person_id(self.actor)

    @cached_property
    def own(self) -> bool:
        """Whether the actor is a member of this trust (their own appraisal, job plan and actions are here)."""
        return self.person_id is not None and getattr(self.actor.person, "trust_id", None) == self.trust.pk

    def changes_at(self, moment: dt.datetime) -> None:
        """What a provider shows stops being true at ``moment`` (a shift that ends), though no record changes: the
        page is not kept past it (``core.kept``; it is kept at most until the day ends, whatever is said here)."""
        kept.changes_at(moment)

    def url(self, name: str, **kwargs: Any) -> str:
        """The address of one of this trust's pages."""
        return reverse(name, kwargs={"trust_code": self.trust.code} | kwargs)

    def link(self, perm: Perm, name: str) -> str:
        """The address of one of this trust's pages if the actor may open it, else "" (no link to a dead end)."""
        return self.url(name) if can(self.actor, perm, self.trust) else ""


@dataclass(frozen=True)
class Waiting:
    """One record on the page a task's link opens: what it is, where to act on it, and since when it has waited
    (the date it reached the state that makes it the reader's task, or the date it fell due)."""

    title: str
    url: str
    since: dt.date
    detail: str = ""


def age(since: dt.date, today: dt.date) -> str:
    """How long a record has waited, in words: "today", "1 day", "12 days"; "in 3 days" for a date to come."""
    days = (today - since).days
    if days < 0:
        return f"in {-days} {'day' if days == -1 else 'days'}"
    if days == 0:
        return "today"
    return f"{days} {'day' if days == 1 else 'days'}"


def oldest_first(items: Iterable[Waiting]) -> list[Waiting]:
    return sorted(items, key=lambda item: (item.since, item.title))


# A provider returns its items, or, when it asked for counts (``visit.count``/``visit.exists``), a function of no
# arguments that builds them from the counts' values: the page calls every provider first, reads all the counts in
# one query, then calls those functions.
WorkProvider = Callable[[Visit], Iterable[Task] | Callable[[], Iterable[Task]]]
FigureProvider = Callable[[Visit], Iterable[Figure] | Callable[[], Iterable[Figure]]]

_WORK: list[tuple[int, WorkProvider]] = []
_FIGURES: list[tuple[int, FigureProvider]] = []


def needs_you(*, order: int) -> Callable[[WorkProvider], WorkProvider]:
    """Registers an app's "What needs you" items. ``order``: where its items stand among those of the same urgency.
    In use: 10 recommendations due, 15 a resident doctor's next shift, 20 exception reports, 30 job plans to sign,
    40 structure health, 50 one's own appraisal, 60 one's own job plan, 70 development plans and mentoring, 80 MHPS
    case deadlines, 90 board actions, 100 fit and proper assessments, 110 360 nominations, 120 requests for access,
    130 national values to confirm."""

    def register(provider: WorkProvider) -> WorkProvider:
        _WORK.append((order, provider))
        return provider

    return register


def board_section(*, order: int) -> Callable[[FigureProvider], FigureProvider]:
    """Registers an app's lines of the board's picture, shown in ``order``. In use: 10 structure health, 20
    appraisal rate, 30 job plans signed off, 40 safe working hours, 50 succession, 60 MHPS cases."""

    def register(provider: FigureProvider) -> FigureProvider:
        _FIGURES.append((order, provider))
        return provider

    return register


def _rows_are_records(queryset: QuerySet[Any]) -> bool:
    """Whether each row of ``queryset`` is one of its model's records as the database joins them (no distinct, values,
    annotation, grouping or union): then its count is the count of its primary keys, and the subquery that is
    counted selects only those (the medical director's page compiled and planned about 30 subqueries of every
    column)."""
    q = queryset.query
    return not (q.distinct or q.values_select or q.annotations or q.group_by is not None or q.combinator)


def _built(found: Iterable[T] | Callable[[], Iterable[T]]) -> list[T]:
    return list(found() if callable(found) else found)


def gather(visit: Visit, *, figures: bool, work: bool = True) -> tuple[list[Task], list[Figure]]:
    """Every provider's items for ``visit`` ("what needs you" where ``work``, the board's picture where ``figures``),
    in the apps' order: each provider is called once, the counts they asked for are read together in one query, then
    their items built."""
    asked = [provider(visit) for provider in work_providers()] if work else []
    pictured = [provider(visit) for provider in figure_providers()] if figures else []
    visit.read_counts()
    return [t for found in asked for t in _built(found)], [f for found in pictured for f in _built(found)]


def work_providers() -> list[WorkProvider]:
    return [provider for _, provider in sorted(_WORK, key=lambda entry: entry[0])]


def figure_providers() -> list[FigureProvider]:
    return [provider for _, provider in sorted(_FIGURES, key=lambda entry: entry[0])]
