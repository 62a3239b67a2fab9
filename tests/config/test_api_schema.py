"""The API keeps its word (schemathesis): for every operation of /api/v1/openapi.json, generated requests —
anonymous and signed in as the organizer — never get a server error, and every answer has a documented status
code, content type and body. Bounded: a few examples per operation, so it runs in CI."""

from __future__ import annotations

from contextlib import contextmanager

import pytest
import schemathesis
from hypothesis import HealthCheck
from hypothesis import settings as hypothesis_settings
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_schema_conformance,
    status_code_conformance,
)

CHECKS = [not_a_server_error, status_code_conformance, content_type_conformance, response_schema_conformance]
EXAMPLES = 8


@contextmanager
def keeping_the_tests_connection():
    """schemathesis calls the WSGI app directly, whose request signals close "old" connections: inside the
    test's transaction that closes the test's own connection (PostgreSQL; SQLite's in-memory database ignores
    it). Django's test client stops the same handler around each of its requests (and connects it again after,
    so this is done around each call, not once per test)."""
    from django.core import signals
    from django.db import close_old_connections

    for signal in (signals.request_started, signals.request_finished):
        signal.disconnect(close_old_connections)
    try:
        yield
    finally:
        for signal in (signals.request_started, signals.request_finished):
            signal.connect(close_old_connections)


def _app():
    from django.core.wsgi import get_wsgi_application

    return get_wsgi_application()


# pytest-django has set Django up by the time this module is collected; the schema is read from the app.
schema = schemathesis.openapi.from_wsgi("/api/v1/openapi.json", _app())
bounded = hypothesis_settings(max_examples=EXAMPLES, deadline=None, derandomize=True, database=None,
                              suppress_health_check=list(HealthCheck))


@schema.parametrize()
@bounded
def test_the_api_answers_anonymous_callers_as_documented(case, city):
    with keeping_the_tests_connection():
        case.call_and_validate(checks=CHECKS)


@pytest.fixture
def organizer_headers(organizer, client):
    """The organizer's session and CSRF token, as a browser would send them."""
    client.force_login(organizer)
    client.get("/")  # sets the CSRF cookie
    cookies = {k: v.value for k, v in client.cookies.items()}
    return {"Cookie": "; ".join(f"{k}={v}" for k, v in cookies.items()),
            "X-CSRFToken": cookies.get("csrftoken", "")}


@schema.parametrize()
@bounded
def test_the_api_answers_the_organizer_as_documented(case, organizer_headers):
    with keeping_the_tests_connection():
        case.call_and_validate(headers=organizer_headers, checks=CHECKS)


def test_a_refused_input_is_named_in_chinese_and_in_english(client, city):
    response = client.get("/api/v1/data/observations", {"offset": "abc"})
    assert response.status_code == 422
    assert response.json() == {"detail": "查询参数“offset”应为整数"}
    response = client.get("/api/v1/data/observations", {"offset": "abc"}, HTTP_ACCEPT_LANGUAGE="en")
    assert response.json() == {"detail": "query parameter offset must be an integer"}
    response = client.post("/api/v1/arena/judge/x/sheets", data=b"\x00", content_type="application/json")
    assert response.status_code == 400
    assert response.json() == {"detail": "请求体无法读取：应为 JSON"}


def test_the_published_schema_has_no_duplicate_keys(client):
    """Swagger UI refuses a schema with a key twice (e.g. "422" beside 422 before serialising)."""
    import json

    def no_duplicates(pairs):
        keys = [k for k, _ in pairs]
        assert len(keys) == len(set(keys)), keys
        return dict(pairs)

    json.loads(client.get("/api/v1/openapi.json").content, object_pairs_hook=no_duplicates)
