"""PostgreSQL prepares a query a connection runs again (ADR 0030), and keeps the queries of many pages: with psycopg's
default of 100, the pages of a few accounts pushed each other's out."""

from __future__ import annotations

import pytest
from django.conf import settings
from django.db import connection

from medlead.organisation.models import Trust

OPTIONS = settings.DATABASES["default"].get("OPTIONS", {})
pytestmark = [
    pytest.mark.django_db,
    pytest.mark.skipif(OPTIONS.get("prepare_threshold") != 2, reason="PostgreSQL with the default threshold only"),
]


def prepared() -> int:
    with connection.cursor() as cursor:
        # this test's query: the trusts of a region whose name ends so (this count is prepared in its turn)
        cursor.execute("SELECT count(*) FROM pg_prepared_statements WHERE statement LIKE %s", ["%region%UPPER%"])
        row = cursor.fetchone()
    return int(row[0])


def ask(region: str) -> None:
    # a query of this test's own shape: none before it has prepared it
    list(Trust.objects.filter(region__code=region, name__iendswith="the prepared statements test"))


def test_a_query_run_again_is_prepared_and_the_connection_keeps_many() -> None:
    before = prepared()
    ask("NOWHERE")
    ask("ELSEWHERE")  # the same query with another value
    assert prepared() == before  # run twice: prepared when it runs again
    ask("ANYWHERE")
    assert prepared() == before + 1
    assert connection.connection.prepared_max == settings.MEDLEAD_PG_PREPARED_MAX
