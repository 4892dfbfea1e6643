"""Every demo account's home page within a fixed number of SQL queries (issue 35, item 1: at most 15), and the
providers' counts read together in one query (ADR 0030)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from django.db import connection
from django.test import Client

from medlead.accounts.models import User
from medlead.core.dates import today
from medlead.core.work import Visit
from medlead.organisation.models import BoardMember, Grade, Person, Trust
from tests.factories import PersonFactory, make_user

pytestmark = pytest.mark.django_db

# Hand-counted: the target is 15 for every home page (the medical director's is 15; the chair's and a
# non-executive's 14, since the actor's facts are read in one query and the board's MHPS counts in another).
ACCOUNTS = ["admin", "caldicott", "cd", "chair", "cosec", "doctor", "guardian", "hr", "md", "ned", "resident", "ro"]


def home_queries(username: str) -> int:
    client = Client()
    client.force_login(User.objects.get(username=username), backend="django.contrib.auth.backends.ModelBackend")
    client.get("/t/DEM001/")  # the first request of a process reads what later ones share
    executed: list[str] = []

    def count(execute: Callable[..., Any], sql: str, *args: Any) -> Any:
        executed.append(sql)
        return execute(sql, *args)

    with connection.execute_wrapper(count):
        response = client.get("/t/DEM001/")
    assert response.status_code == 200
    return len(executed)


@pytest.mark.parametrize("username", ACCOUNTS)
def test_a_home_page_reads_in_at_most_15_queries(demo_trust: None, username: str) -> None:
    assert home_queries(username) <= 15


def test_the_providers_counts_are_read_in_one_query_and_match_a_hand_count(trust: Trust) -> None:
    for grade in (Grade.CONSULTANT, Grade.CONSULTANT, Grade.CORE_TRAINEE):
        PersonFactory(trust=trust, grade=grade)
    visit = Visit(make_user(), trust, today())
    consultants = visit.count(Person.objects.filter(trust=trust, grade=Grade.CONSULTANT))
    trainees = visit.count(Person.objects.filter(trust=trust, grade=Grade.CORE_TRAINEE))
    any_member = visit.exists(BoardMember.objects.filter(trust=trust))
    nobody = visit.count(Person.objects.none())
    # counted as the queryset's rows, whatever its shape: the distinct grades of three people
    grades = visit.count(Person.objects.filter(trust=trust).values("grade").distinct())
    with pytest.raises(RuntimeError):
        _ = consultants.value  # not read until the page reads every count
    executed: list[str] = []

    def count(execute: Callable[..., Any], sql: str, *args: Any) -> Any:
        executed.append(sql)
        return execute(sql, *args)

    with connection.execute_wrapper(count):
        visit.read_counts()
    assert len(executed) == 1
    assert (consultants.value, trainees.value, any_member.value, nobody.value) == (2, 1, 0, 0)
    assert grades.value == 2
