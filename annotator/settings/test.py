"""The test profile: real PostgreSQL and Redis when they answer (always in CI).

On a laptop without them the suite falls back to SQLite and skips what needs a real
server, saying so in the report header (see tests/conftest.py).
"""

import os
import socket
from urllib.parse import urlparse

import dj_database_url

from . import env
from .base import *  # noqa: F403


def _reachable(url: str, default_port: int) -> bool:
    parts = urlparse(url)
    try:
        with socket.create_connection((parts.hostname or "127.0.0.1", parts.port or default_port), 1):
            return True
    except OSError:
        return False


POSTGRES_AVAILABLE = _reachable(env.TEST_DATABASE_URL, 5432)
REDIS_AVAILABLE = _reachable(env.TEST_REDIS_URL, 6379)
TEST_REDIS_URL = env.TEST_REDIS_URL
TEST_DATABASE_URL = env.TEST_DATABASE_URL
REQUIRE_SERVICES = env.CI

if POSTGRES_AVAILABLE:
    DATABASES = {"default": dj_database_url.parse(env.TEST_DATABASE_URL)}
    DATABASES["default"]["OPTIONS"] = POSTGRES_OPTIONS  # noqa: F405 - as in production
    # One test database per pytest process, so parallel runs never collide.
    DATABASES["default"]["TEST"] = {"NAME": f"test_accord_{os.getpid()}"}
else:
    DATABASES = {"default": {"ENGINE": "django.db.backends.sqlite3", "NAME": ":memory:"}}

CELERY_BROKER_URL = env.TEST_REDIS_URL
CELERY_BROKER_TRANSPORT_OPTIONS = {"visibility_timeout": 3600}
CELERY_RESULT_BACKEND = env.TEST_REDIS_URL
CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
WHITENOISE_AUTOREFRESH = True  # tests serve static files from the app folders, not var/static
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
WORKER_HEARTBEAT_SECONDS = 1
JOB_LEASE_SECONDS = 4
JOB_SWEEP_SECONDS = 1
JOB_RESEND_QUEUED_AFTER = 30
