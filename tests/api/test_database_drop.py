"""The database connection drops: the request fails cleanly with a 503, the next succeeds."""

import psycopg
import pytest
from django.db import connection
from rest_framework.test import APIClient

from tests.factories import MembershipFactory, UserFactory

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]


def kill_our_connection() -> None:
    pid = connection.connection.info.backend_pid
    params = connection.get_connection_params()
    params.pop("cursor_factory", None)
    with psycopg.connect(**{**params, "dbname": params.get("dbname") or connection.settings_dict["NAME"]}, autocommit=True) as admin:
        admin.execute("SELECT pg_terminate_backend(%s)", [pid])


def test_a_dropped_connection_gives_503_then_recovers():
    user = UserFactory()
    MembershipFactory(user=user)
    client = APIClient()
    client.force_authenticate(user)
    assert client.get("/api/projects/").status_code == 200
    connection.ensure_connection()
    kill_our_connection()
    failed = client.get("/api/projects/")
    assert failed.status_code == 503
    assert failed.json()["detail"] == "the database is unavailable; try again shortly"
    assert failed["Retry-After"] == "5"
    assert client.get("/api/projects/").status_code == 200


def test_a_page_answers_503_when_the_connection_dropped(client):
    user = UserFactory()
    client.force_login(user)
    assert client.get("/").status_code == 200
    connection.ensure_connection()
    kill_our_connection()
    failed = client.get("/")
    assert failed.status_code == 503 and b"database is unavailable" in failed.content
    assert client.get("/").status_code == 200
