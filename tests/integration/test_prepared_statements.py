"""PostgreSQL prepares a query a connection runs again (ADR 0030), and keeps the queries of many pages: with psycopg's
default of 100, the pages of a few accounts pushed each other's out."""

from __future__ import annotations

import pytest
from django.conf import settings
from django.db import connection

from medlead.organisation.models import Trust

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.skipif(settings.DATABASES["default"]["ENGINE"].endswith("sqlite3"), reason="PostgreSQL's own"),
]


def prepared(table: str) -> int:
    with connection.cursor() as cursor:
        cursor.execute("SELECT count(*) FROM pg_prepared_statements WHERE statement LIKE %s", [f"%{table}%"])
        row = cursor.fetchone()
    return int(row[0])


def test_a_query_run_again_is_prepared_and_the_connection_keeps_many() -> None:
    before = prepared("organisation_region")
    list(Trust.objects.filter(region__code="NOWHERE"))
    assert prepared("organisation_region") == before  # once is not enough
    list(Trust.objects.filter(region__code="ELSEWHERE"))  # the same query with another value
    assert prepared("organisation_region") == before  # run twice: prepared when it runs again
    list(Trust.objects.filter(region__code="ANYWHERE"))
    assert prepared("organisation_region") == before + 1
    assert connection.connection.prepared_max == settings.MEDLEAD_PG_PREPARED_MAX == 500
