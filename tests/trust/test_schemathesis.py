"""Schemathesis against our own OpenAPI schema, in process (WSGI, loopback only, no network):
for every operation, bounded generated requests as a project lead never get a 5xx nor a
response that breaks the documented schema or content type.

Driven through schemathesis's Python API (one hypothesis run per operation) rather than its
pytest plugin, which does not load under pytest 9.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
import schemathesis
from hypothesis import HealthCheck, given
from hypothesis import settings as hypothesis_settings
from schemathesis.checks import content_type_conformance, not_a_server_error, response_schema_conformance

from annotator.wsgi import application

pytestmark = [pytest.mark.postgres, pytest.mark.django_db]

MAX_EXAMPLES = 12
SKIP = {("DELETE", "/api/auth/token/revoke/")}  # revoking the fuzzer's own key would turn the rest into 401s


@pytest.fixture(autouse=True)
def keep_the_test_connection() -> Iterator[None]:
    """The WSGI app closes the database connection at the end of each request (Django's
    ``close_old_connections``), which would end the test's transaction; Django's own test
    client disconnects it the same way."""
    from django.core.signals import request_finished, request_started
    from django.db import close_old_connections

    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    yield
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


@pytest.fixture
def lead_token(media_root: Any) -> str:
    from rest_framework.authtoken.models import Token

    from tests.factories import ARTICLE, MembershipFactory, ProjectFactory, UserFactory, add_text

    lead = UserFactory(username="fuzz-lead")
    project = ProjectFactory(slug="fuzz")
    MembershipFactory(project=project, user=lead, role="lead")
    add_text(project, ARTICLE)
    return Token.objects.create(user=lead).key


def test_the_api_answers_generated_requests_within_its_schema(lead_token: str) -> None:
    schema = schemathesis.openapi.from_wsgi("/api/schema/", application)
    headers = {"Authorization": f"Token {lead_token}"}
    failures: list[str] = []
    operations = 0
    for result in schema.get_all_operations():
        operation = result.ok()
        if (operation.method.upper(), operation.path) in SKIP:
            continue
        operations += 1

        @given(case=operation.as_strategy())
        @hypothesis_settings(max_examples=MAX_EXAMPLES, deadline=None, database=None,
                             suppress_health_check=list(HealthCheck))
        def run(case: Any) -> None:
            response = case.call(headers=headers)
            case.validate_response(response, checks=[not_a_server_error, response_schema_conformance,
                                                     content_type_conformance])

        try:
            run()
        except Exception as exc:  # noqa: BLE001 - every operation's failure is collected and reported
            failures.append(f"{operation.method.upper()} {operation.path}: {str(exc)[:1500]}")
    assert operations > 30, f"only {operations} operations found in the schema"
    assert not failures, "\n\n".join(failures)
