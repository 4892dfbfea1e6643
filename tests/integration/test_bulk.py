"""New records saved in bulk (``core.bulk.copy_create``: COPY on PostgreSQL, ``bulk_create`` elsewhere) come out as
if each were saved alone: ids set, defaults and timestamps filled, and the table's own ids going on from them."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.db import IntegrityError, transaction

from medlead.core.bulk import copy_create
from medlead.organisation.models import Grade, Person, Trust

pytestmark = pytest.mark.django_db


def test_bulk_saved_people_have_ids_defaults_and_timestamps(trust: Trust) -> None:
    people = [
        Person(trust=trust, first_name=f"Ada{i}", last_name="Lovelace", grade=Grade.CONSULTANT, staff_number=f"B{i}")
        for i in range(3)
    ]
    awkward = 'O\'Brien, "Tab\t" \\ Seacole'  # quotes, a comma, a tab and a backslash: COPY must carry them
    people.append(Person(trust=trust, first_name="Mary", last_name=awkward, ltft_fraction="0.6"))
    copy_create(Person, people)
    assert all(p.pk for p in people) and len({p.pk for p in people}) == 4
    for person in people:
        saved = Person.objects.get(pk=person.pk)
        assert (saved.first_name, saved.last_name, saved.trust_id) == (person.first_name, person.last_name, trust.pk)
        assert saved.active is True and saved.kind == "doctor" and saved.contract == "permanent"
        assert saved.created_at is not None and saved.created_at.date() >= dt.date(2026, 1, 1)
    assert Person.objects.get(pk=people[3].pk).ltft_fraction == Decimal("0.6")
    assert Person.objects.get(pk=people[3].pk).last_name == awkward
    after = Person.objects.create(trust=trust, first_name="Next", last_name="One")
    assert after.pk > max(p.pk for p in people)  # the table's ids go on past the bulk-saved ones


def test_a_bulk_save_that_breaks_a_rule_saves_nothing(trust: Trust) -> None:
    Person.objects.create(trust=trust, first_name="A", last_name="B", staff_number="DUP1")
    before = Person.objects.count()
    with pytest.raises(IntegrityError), transaction.atomic():
        copy_create(
            Person,
            [
                Person(trust=trust, first_name="C", last_name="D", staff_number="NEW1"),
                Person(trust=trust, first_name="E", last_name="F", staff_number="DUP1"),
            ],
        )
    assert Person.objects.count() == before


def test_among_finds_the_records_of_the_ids_given_by_key_or_foreign_key_in_one_query_text(trust: Trust) -> None:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from medlead.core.bulk import among
    from medlead.revalidation.models import Connection

    people = [Person.objects.create(trust=trust, first_name=f"P{i}", last_name="Among") for i in range(5)]
    links = [
        Connection.objects.create(
            trust=trust, person=p, connected_on=dt.date(2020, 1, 1), submission_date=dt.date(2028, 1, 1)
        )
        for p in people
    ]
    asked = [people[0].pk, people[3].pk, 10**12]  # one id of nobody
    assert set(Person.objects.filter(among("pk", asked))) == {people[0], people[3]}
    assert set(Connection.objects.filter(among("person_id", asked))) == {links[0], links[3]}
    assert set(Connection.objects.filter(among("person", asked))) == {links[0], links[3]}
    assert list(Person.objects.filter(among("pk", []))) == []
    many = [p.pk for p in people] + list(range(10**9, 10**9 + 2000))
    with CaptureQueriesContext(connection) as two:
        assert Person.objects.filter(among("pk", many[:2])).count() == 2
        assert Person.objects.filter(among("pk", many)).count() == 5
    if connection.vendor == "postgresql":  # one text, one prepared statement, whatever the number of ids
        assert two[0]["sql"].split("ANY")[0] == two[1]["sql"].split("ANY")[0]
