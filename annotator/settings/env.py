"""Every environment read of the project happens here, once.

Each variable has an embedded default so that ``make run`` works on a fresh machine:
a SQLite file and a filesystem message broker in the project folder (see README).
"""

from __future__ import annotations

import os
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parent.parent.parent
VAR_DIR = BASE_DIR / "var"  # local state for the embedded defaults (git-ignored)


def _bool(name: str, default: bool) -> bool:
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


DJANGO_ENVS = ("development", "production")
DJANGO_ENV = os.environ.get("DJANGO_ENV", "development")
if DJANGO_ENV not in DJANGO_ENVS:
    # A typo ("prod", "Production") must not quietly run the development profile with
    # DEBUG on and the published key: refuse to start instead.
    from django.core.exceptions import ImproperlyConfigured

    raise ImproperlyConfigured(
        f"DJANGO_ENV={DJANGO_ENV!r} is not one of: {', '.join(DJANGO_ENVS)} (lowercase, exactly)"
    )
DEBUG = _bool("DEBUG", DJANGO_ENV == "development")
SECRET_KEY = os.environ.get("SECRET_KEY", "")
ALLOWED_HOSTS = [h.strip() for h in os.environ.get("ALLOWED_HOSTS", "").split(",") if h.strip()]
CSRF_TRUSTED_ORIGINS = [
    o.strip() for o in os.environ.get("CSRF_TRUSTED_ORIGINS", "").split(",") if o.strip()
]
DATABASE_URL = os.environ.get("DATABASE_URL", f"sqlite:///{VAR_DIR / 'accord.sqlite3'}")
# PostgreSQL: a statement a connection has run this often is prepared (parsed and planned
# once). "off" behind a pooler in transaction mode that cannot keep prepared statements.
DATABASE_PREPARE_THRESHOLD = os.environ.get("DATABASE_PREPARE_THRESHOLD", "5")
CELERY_BROKER_URL = os.environ.get("CELERY_BROKER_URL", "filesystem://")
CELERY_RESULT_BACKEND = os.environ.get("CELERY_RESULT_BACKEND", "django-db")
CACHE_URL = os.environ.get("CACHE_URL", f"file://{VAR_DIR / 'cache'}")
# Reverse proxies whose X-Forwarded-For is believed (addresses or networks, comma-separated).
TRUSTED_PROXIES = [p.strip() for p in os.environ.get("TRUSTED_PROXIES", "").split(",") if p.strip()]
# Who may create projects: anyone, staff_and_leads (staff, or a lead of some project), staff.
PROJECT_CREATORS = os.environ.get("PROJECT_CREATORS", "staff_and_leads")
INVITATION_DAYS = int(os.environ.get("INVITATION_DAYS", "7"))
# Mail (password reset, invitations): Django's console backend prints mails in development.
EMAIL_BACKEND = os.environ.get("EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend")
EMAIL_HOST = os.environ.get("EMAIL_HOST", "localhost")
EMAIL_PORT = int(os.environ.get("EMAIL_PORT", "25"))
EMAIL_HOST_USER = os.environ.get("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = os.environ.get("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = _bool("EMAIL_USE_TLS", False)
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "accord@localhost")
MEDIA_ROOT = Path(os.environ.get("MEDIA_ROOT", str(VAR_DIR / "media")))
LOG_LEVEL = os.environ.get("LOG_LEVEL", "INFO")
# Exports: running or queued export jobs per project (one more is a 429), and finished
# versions kept per project and format (older ones' files are deleted, their rows kept).
EXPORT_MAX_ACTIVE_JOBS = int(os.environ.get("EXPORT_MAX_ACTIVE_JOBS", "2"))
EXPORT_KEEP_VERSIONS = int(os.environ.get("EXPORT_KEEP_VERSIONS", "5"))
CI = _bool("CI", False)
# Test-only: where the test suite finds its real services (tests/ and annotator.settings.test).
TEST_DATABASE_URL = os.environ.get("TEST_DATABASE_URL", "postgres://postgres@127.0.0.1:5432/test")
TEST_REDIS_URL = os.environ.get("TEST_REDIS_URL", "redis://127.0.0.1:6379/15")


def settings_module() -> str:
    """The settings module for DJANGO_ENV (used by manage.py, wsgi.py and celery.py)."""
    return "annotator.settings.production" if DJANGO_ENV == "production" else "annotator.settings.development"
