"""Schemathesis generates input for every API operation in /api/openapi.json, sent signed in as a medical director
and medical staffing of a trust with data: no answer may be a server error (issue 12). Bounded (a fixed number of
generated requests) so that it runs in every `make test`, on PostgreSQL in CI."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any

import pytest
import schemathesis
from django.core.wsgi import get_wsgi_application
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from medlead.accounts.models import Role
from tests.conftest import client_for
from tests.factories import PersonFactory, PostFactory, make_user

pytestmark = pytest.mark.django_db


@pytest.fixture
def in_test_transaction() -> Iterator[None]:
    """Requests sent straight to the WSGI app would close the database connection when they finish, as in
    production; inside a test's transaction that must not happen (Django's own test client does the same)."""
    from django.core.signals import request_finished, request_started
    from django.db import close_old_connections

    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    yield
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


@pytest.fixture
def api(trust, in_test_transaction: None) -> dict[str, Any]:
    person = PersonFactory(trust=trust)
    post = PostFactory(trust=trust)
    user = make_user((Role.MEDICAL_DIRECTOR, trust), (Role.MEDICAL_STAFFING, trust))
    client = client_for(user)
    schema = schemathesis.openapi.from_wsgi("/api/openapi.json", get_wsgi_application())
    operations = [result.ok() for result in schema.get_all_operations()]  # type: ignore[union-attr]
    assert len(operations) >= 8
    token = "medleadfuzz" + "0" * 21  # a well-formed CSRF token, sent as cookie and header, so writes are tried
    return {
        "trust": trust.code,
        # a record that exists, for each kind of record an address names
        "pks": {"/people/": person.pk, "/posts/": post.pk},
        # the WSGI transport keeps its own cookie jar and drops a Cookie header: cookies go as the case's cookies
        "cookies": {"sessionid": client.cookies["sessionid"].value, "csrftoken": token},
        "headers": {"X-CSRFToken": token},
        "ops": operations,
    }


EXAMPLES_PER_OPERATION = 10
# Answers that stop a request before the view does its work: not signed in, refused, nothing there.
AT_THE_DOOR = {401, 403, 404}


def _sender(api: dict[str, Any], operation: Any, seen: list[int]) -> Callable[[], None]:
    """Generated requests to one operation. Most of them (seven in eight, at each step) keep the user's own session
    rather than a generated one, name a trust the user sees and, for one record's address, a record that exists
    there: otherwise nearly every request stops at the door. Derandomised, so that a run is repeatable."""
    mostly = st.integers(0, 7).map(bool)

    @settings(
        max_examples=EXAMPLES_PER_OPERATION, deadline=None, derandomize=True, suppress_health_check=list(HealthCheck)
    )
    @given(data=st.data())
    def send(data: Any) -> None:
        case = data.draw(operation.as_strategy(), label="case")
        generated = case.cookies or {}
        own = data.draw(mostly, label="the user's own session")  # else the generated session cookie, if any
        case.cookies = (
            {**generated, **api["cookies"]} if own else {"csrftoken": api["cookies"]["csrftoken"], **generated}
        )
        params = case.path_parameters or {}
        if "trust_code" in params and data.draw(mostly, label="a trust the user sees"):
            params["trust_code"] = api["trust"]
            record = next((pk for kind, pk in api["pks"].items() if kind in operation.path), None)
            if "id" in params and record is not None and data.draw(mostly, label="a record that exists"):
                params["id"] = record
        response = case.call(headers=api["headers"])
        seen.append(response.status_code)
        assert response.status_code < 500, f"{case.method} {case.formatted_path} {case.query}: {response.status_code}"

    return send


def test_no_api_operation_answers_a_server_error_and_each_is_reached(api: dict[str, Any]) -> None:
    """No generated request is a server error, and some requests of EVERY operation get past authentication and
    lookup to the view's own work (a fuzzer that only ever hears 404 proves nothing: issue 29)."""
    seen: dict[str, list[int]] = {}
    for operation in api["ops"]:
        _sender(api, operation, seen.setdefault(f"{operation.method.upper()} {operation.path}", []))()
    stuck = {label: sorted(set(statuses)) for label, statuses in seen.items() if set(statuses) <= AT_THE_DOOR}
    assert not stuck, f"operations whose generated requests never got past the door: {stuck}"


def test_the_fuzzer_reaches_the_api_beyond_its_door(api: dict[str, Any]) -> None:
    """The generated requests above are only worth something if some of them get through: check by hand that a
    signed-in request reads and a write is tried past the CSRF check."""
    from django.test import Client

    client = Client()
    cookie = "; ".join(f"{k}={v}" for k, v in api["cookies"].items())
    client.defaults.update({"HTTP_COOKIE": cookie, "HTTP_X_CSRFTOKEN": api["headers"]["X-CSRFToken"]})
    assert client.get(f"/api/trusts/{api['trust']}/people/").status_code == 200
    created = client.post(f"/api/trusts/{api['trust']}/people/", {"first_name": "", "last_name": ""})
    assert created.status_code == 400  # validated, not refused at the door
