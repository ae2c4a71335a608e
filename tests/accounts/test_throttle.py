import pytest
from django.core.cache import cache
from rest_framework.test import APIClient

from annotator.accounts import throttle
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def clear_cache():
    cache.clear()
    yield
    cache.clear()


def token(client, username="ml", password="wrong"):
    return client.post("/api/auth/token/", {"username": username, "password": password}, format="json")


def test_repeated_failures_are_slowed_then_refused_then_reset_by_time(monkeypatch):
    UserFactory(username="ml")
    clock = [1_000_000.0]
    monkeypatch.setattr(throttle.time, "time", lambda: clock[0])
    client = APIClient()
    for _ in range(throttle.SLOW_AFTER):
        assert token(client).status_code == 400
    slowed = token(client, password="pw-accord-test")  # even the right password must wait now
    assert slowed.status_code == 429 and int(slowed["Retry-After"]) >= 1
    clock[0] += 2
    for _ in range(throttle.LOCK_AFTER - throttle.SLOW_AFTER):
        assert token(client).status_code == 400
        clock[0] += 2 ** (throttle.LOCK_AFTER - throttle.SLOW_AFTER) + 1  # wait out each slow-down
    refused = token(client, password="pw-accord-test")
    assert refused.status_code == 429 and "minutes" in refused.json()["detail"]
    clock[0] += throttle.LOCK_SECONDS + 1
    assert token(client, password="pw-accord-test").status_code == 200


def test_failures_for_one_user_from_many_addresses_still_count():
    UserFactory(username="target")
    for n in range(throttle.SLOW_AFTER):
        APIClient(REMOTE_ADDR=f"10.0.0.{n}").post("/api/auth/token/", {"username": "target", "password": "x"}, format="json")
    fresh = APIClient(REMOTE_ADDR="10.0.0.99")
    assert token(fresh, "target", "pw-accord-test").status_code == 429


def test_the_sign_in_page_is_throttled_too(client):
    UserFactory(username="ann")
    for _ in range(throttle.SLOW_AFTER):
        client.post("/login/", {"username": "ann", "password": "bad"})
    page = client.post("/login/", {"username": "ann", "password": "pw-accord-test"})
    assert page.status_code == 200 and b"too many failed sign-ins" in page.content


def test_a_success_clears_the_users_count_but_not_the_addresss():
    UserFactory(username="ml")
    client = APIClient()
    token(client)
    token(client)
    assert token(client, password="pw-accord-test").status_code == 200
    other = APIClient(REMOTE_ADDR="10.1.1.1")
    assert [token(other).status_code for _ in range(3)] == [400, 400, 400]
    token(client)  # this address now has three failures: it is slowed down
    assert token(client, password="pw-accord-test").status_code == 429
