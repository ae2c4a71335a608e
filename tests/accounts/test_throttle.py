import threading

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


def test_failures_from_other_addresses_cannot_lock_a_user_out():
    """Issue 9 item 11: anyone could lock any username. Now the lock is per username and
    address, so an attacker elsewhere only locks themselves."""
    UserFactory(username="target")
    for n in range(throttle.LOCK_AFTER + 5):
        APIClient(REMOTE_ADDR=f"10.0.{n}.1").post(
            "/api/auth/token/", {"username": "target", "password": "x"}, format="json"
        )
    attacker = APIClient(REMOTE_ADDR="10.0.0.1")
    for _ in range(throttle.LOCK_AFTER):
        token(attacker, "target")
    assert token(attacker, "target", "pw-accord-test").status_code == 429
    owner = APIClient(REMOTE_ADDR="192.0.2.7")
    assert token(owner, "target", "pw-accord-test").status_code == 200


def test_one_address_trying_many_usernames_is_slowed(monkeypatch):
    clock = [2_000_000.0]
    monkeypatch.setattr(throttle.time, "time", lambda: clock[0])
    client = APIClient(REMOTE_ADDR="198.51.100.9")
    for n in range(throttle.ADDRESS_SLOW_AFTER):
        assert token(client, f"guess{n}").status_code == 400
    slowed = token(client, "someone-new")
    assert slowed.status_code == 429
    assert 1 <= int(slowed["Retry-After"]) <= throttle.ADDRESS_MAX_DELAY + 1
    # slowed, never locked: waiting out the delay lets the next attempt through
    clock[0] += throttle.ADDRESS_MAX_DELAY + 1
    assert token(client, "someone-new").status_code == 400


def test_users_behind_a_trusted_proxy_are_told_apart_by_forwarded_for(settings):
    """Everyone behind a reverse proxy shared one address, so one person's lock was
    everyone's. With TRUSTED_PROXIES naming the proxy, the client is X-Forwarded-For's
    last untrusted hop."""
    settings.TRUSTED_PROXIES = ["10.9.9.9", "172.16.0.0/12"]
    UserFactory(username="ml")

    def via_proxy(client_ip):  # the client's own header, then what two proxies appended
        return APIClient(REMOTE_ADDR="10.9.9.9", HTTP_X_FORWARDED_FOR=f"6.6.6.6, {client_ip}, 172.16.3.4")

    noisy = via_proxy("203.0.113.5")
    for _ in range(throttle.LOCK_AFTER):
        token(noisy)
    assert token(noisy, password="pw-accord-test").status_code == 429
    assert token(via_proxy("203.0.113.6"), password="pw-accord-test").status_code == 200


def test_forwarded_for_from_an_untrusted_peer_is_ignored(settings):
    settings.TRUSTED_PROXIES = ["10.9.9.9"]
    UserFactory(username="ml")
    for n in range(throttle.LOCK_AFTER):
        token(APIClient(REMOTE_ADDR="198.51.100.1", HTTP_X_FORWARDED_FOR=f"203.0.113.{n}"))
    forged = APIClient(REMOTE_ADDR="198.51.100.1", HTTP_X_FORWARDED_FOR="203.0.113.200")
    assert token(forged, password="pw-accord-test").status_code == 429


@pytest.mark.parametrize(
    ("remote", "forwarded", "expected"),
    [
        ("192.0.2.1", "203.0.113.1", "192.0.2.1"),  # peer not trusted: header ignored
        ("10.9.9.9", "203.0.113.1", "203.0.113.1"),
        ("10.9.9.9", "1.1.1.1, 203.0.113.1, 10.9.9.8", "203.0.113.1"),  # skip trusted hops from the right
        ("10.9.9.9", "", "10.9.9.9"),
        ("10.9.9.9", "10.9.9.7", "10.9.9.7"),  # every hop trusted: the leftmost
        ("10.9.9.9", "not-an-address", "not-an-address"),
        ("", "", "unknown"),
    ],
)
def test_client_address_honours_only_trusted_proxies(settings, remote, forwarded, expected):
    settings.TRUSTED_PROXIES = ["10.9.9.0/24"]
    meta = {"REMOTE_ADDR": remote, "HTTP_X_FORWARDED_FOR": forwarded}
    assert throttle.client_address(meta) == expected


@pytest.mark.redis
def test_failure_counts_are_atomic_under_concurrency(settings):
    """Eight threads failing at once on the shared Redis cache: no failure is lost (the
    old read-then-write counter lost some)."""
    settings.CACHES = {
        "default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": settings.TEST_REDIS_URL}
    }
    from django.core.cache import cache as redis_cache

    redis_cache.clear()
    per_thread = 25

    def fail() -> None:
        for _ in range(per_thread):
            throttle.signin_failed(address="203.0.113.77", username="victim")

    threads = [threading.Thread(target=fail) for _ in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert throttle.failure_counts(address="203.0.113.77", username="victim") == (8 * per_thread, 8 * per_thread)
    redis_cache.clear()


def test_the_sign_in_page_is_throttled_too(client):
    UserFactory(username="ann")
    for _ in range(throttle.SLOW_AFTER):
        client.post("/login/", {"username": "ann", "password": "bad"})
    page = client.post("/login/", {"username": "ann", "password": "pw-accord-test"})
    assert page.status_code == 200 and b"too many failed sign-ins" in page.content


def test_a_success_clears_the_users_count_but_not_the_addresss():
    UserFactory(username="ml")
    client = APIClient()
    for _ in range(throttle.SLOW_AFTER - 1):
        token(client)
    assert token(client, password="pw-accord-test").status_code == 200
    assert throttle.failure_counts(address="127.0.0.1", username="ml") == (0, throttle.SLOW_AFTER - 1)
    for n in range(throttle.ADDRESS_SLOW_AFTER - throttle.SLOW_AFTER + 1):
        token(client, f"other{n}")  # this address now has enough failures: it is slowed down
    assert token(client, password="pw-accord-test").status_code == 429


def test_the_admin_sign_in_is_throttled_like_the_page(client):
    """Issue 9 item 3: /admin/login/ took 50 wrong passwords in 14 s, then the right one."""
    UserFactory(username="root", is_staff=True, is_superuser=True)
    for _ in range(throttle.SLOW_AFTER):
        client.post("/admin/login/", {"username": "root", "password": "bad"})
    page = client.post("/admin/login/?next=/admin/", {"username": "root", "password": "pw-accord-test"})
    assert page.status_code == 200 and b"too many failed sign-ins" in page.content
    assert "_auth_user_id" not in client.session
