"""Schemathesis generates input for every API operation in /api/openapi.json, sent signed in as a medical director
and medical staffing of a trust with data: no answer may be a server error (issue 12). Bounded (a fixed number of
generated requests) so that it runs in every `make test`, on PostgreSQL in CI."""

from __future__ import annotations

from collections.abc import Iterator
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
    PersonFactory(trust=trust)
    PostFactory(trust=trust)
    user = make_user((Role.MEDICAL_DIRECTOR, trust), (Role.MEDICAL_STAFFING, trust))
    client = client_for(user)
    schema = schemathesis.openapi.from_wsgi("/api/openapi.json", get_wsgi_application())
    operations = [result.ok() for result in schema.get_all_operations()]  # type: ignore[union-attr]
    assert len(operations) >= 8
    token = "medleadfuzz" + "0" * 21  # a well-formed CSRF token, sent as cookie and header, so writes are tried
    return {
        "trust": trust.code,
        "headers": {
            "Cookie": f"sessionid={client.cookies['sessionid'].value}; csrftoken={token}",
            "X-CSRFToken": token,
        },
        "ops": operations,
        "seen": [],
    }


@settings(max_examples=150, deadline=None, suppress_health_check=list(HealthCheck))
@given(data=st.data())
def test_no_api_operation_answers_a_server_error(api: dict[str, Any], data: Any) -> None:
    operation = data.draw(st.sampled_from(api["ops"]), label="operation")
    case = data.draw(operation.as_strategy(), label="case")
    if case.path_parameters and "trust_code" in case.path_parameters and data.draw(st.booleans()):
        case.path_parameters["trust_code"] = api["trust"]  # half the time, a trust the user can see
    response = case.call(headers=api["headers"])
    api["seen"].append((case.method, response.status_code))
    assert response.status_code < 500, f"{case.method} {case.formatted_path} {case.query}: {response.status_code}"


def test_the_fuzzer_reaches_the_api_beyond_its_door(api: dict[str, Any]) -> None:
    """The generated requests above are only worth something if some of them get through: check by hand that a
    signed-in request reads and a write is tried past the CSRF check."""
    from django.test import Client

    client = Client()
    client.defaults.update({"HTTP_COOKIE": api["headers"]["Cookie"], "HTTP_X_CSRFTOKEN": api["headers"]["X-CSRFToken"]})
    assert client.get(f"/api/trusts/{api['trust']}/people/").status_code == 200
    created = client.post(f"/api/trusts/{api['trust']}/people/", {"first_name": "", "last_name": ""})
    assert created.status_code == 400  # validated, not refused at the door
