"""Settings shared by every profile. Environment values come from ``env.py`` only."""

from __future__ import annotations

import dj_database_url

from . import env

BASE_DIR = env.BASE_DIR
DEBUG = env.DEBUG
# Development gets a fixed, obviously-unsafe key; production refuses to start without one.
SECRET_KEY = env.SECRET_KEY or "django-insecure-accord-development-only"
ALLOWED_HOSTS = env.ALLOWED_HOSTS or ["localhost", "127.0.0.1", "[::1]", "testserver"]
CSRF_TRUSTED_ORIGINS = env.CSRF_TRUSTED_ORIGINS

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "rest_framework",
    "rest_framework.authtoken",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "django_celery_results",
    "annotator.core",
    "annotator.accounts",
    "annotator.projects",
    "annotator.documents",
    "annotator.annotations",
    "annotator.gold",
    "annotator.agreement",
    "annotator.exports",
    "annotator.jobs",
    "annotator.interchange",
    "api",
    "frontend",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "api.middleware.UnstorableTextMiddleware",  # a NUL in an /api/ URL is a 400, not a 500
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "annotator.core.middleware.DatabaseUnavailableMiddleware",
]

ROOT_URLCONF = "annotator.urls"
WSGI_APPLICATION = "annotator.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
            ],
        },
    },
]

# Parameters bound by the server, so psycopg can prepare the statements a connection runs
# often (autosave's, auth's): PostgreSQL then skips parsing and planning them.
_prepare = env.DATABASE_PREPARE_THRESHOLD.strip().lower()
POSTGRES_OPTIONS = {
    "server_side_binding": True,
    "prepare_threshold": None if _prepare in {"", "off", "none"} else int(_prepare),
}
DATABASES = {"default": dj_database_url.parse(env.DATABASE_URL, conn_max_age=60)}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    env.VAR_DIR.mkdir(parents=True, exist_ok=True)
    # WAL lets the web server read while the worker writes; a write waits up to `timeout`
    # seconds for the lock (busy timeout) and takes it at BEGIN (IMMEDIATE), so one save is
    # one short write transaction instead of a read upgraded to a write (SQLITE_BUSY).
    DATABASES["default"]["OPTIONS"] = {
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
        "transaction_mode": "IMMEDIATE",
        "timeout": 20,
    }
    # Persistent connections (one per gunicorn thread): opening one per request was 23% of
    # `make run`'s busy time (issue 12).
    DATABASES["default"]["CONN_MAX_AGE"] = 600
elif DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
    DATABASES["default"]["OPTIONS"] = POSTGRES_OPTIONS
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
# The cache holds sign-in throttle counts, so it must be shared by all web processes.
if env.CACHE_URL.startswith(("redis://", "rediss://")):
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": env.CACHE_URL}}
else:
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.filebased.FileBasedCache",
            "LOCATION": env.CACHE_URL.removeprefix("file://") or str(env.VAR_DIR / "cache"),
        }
    }
# Sign-in throttling takes the client address from X-Forwarded-For only behind these proxies.
TRUSTED_PROXIES = env.TRUSTED_PROXIES
PROJECT_CREATORS_CHOICES = ("anyone", "staff_and_leads", "staff")
PROJECT_CREATORS = env.PROJECT_CREATORS
if PROJECT_CREATORS not in PROJECT_CREATORS_CHOICES:
    from django.core.exceptions import ImproperlyConfigured

    raise ImproperlyConfigured(f"PROJECT_CREATORS must be one of {', '.join(PROJECT_CREATORS_CHOICES)}")
INVITATION_DAYS = env.INVITATION_DAYS  # an invitation link works once, for this many days
EMAIL_BACKEND = env.EMAIL_BACKEND
EMAIL_HOST, EMAIL_PORT, EMAIL_USE_TLS = env.EMAIL_HOST, env.EMAIL_PORT, env.EMAIL_USE_TLS
EMAIL_HOST_USER, EMAIL_HOST_PASSWORD = env.EMAIL_HOST_USER, env.EMAIL_HOST_PASSWORD
DEFAULT_FROM_EMAIL = env.DEFAULT_FROM_EMAIL
LOGIN_URL = "frontend:login"
LOGIN_REDIRECT_URL = "frontend:home"
LOGOUT_REDIRECT_URL = "frontend:login"

LANGUAGE_CODE = "en-us"
TIME_ZONE = "UTC"
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = env.VAR_DIR / "static"
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}
MEDIA_ROOT = env.MEDIA_ROOT

# Uploads and bodies are bounded; the importer has its own per-file limit. A multipart
# body is refused on its declared length before it is read, and a request over
# FILE_UPLOAD_MAX_MEMORY_SIZE spools its files to disk (annotator/core/uploads.py).
DATA_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
FILE_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
FILE_UPLOAD_HANDLERS = [
    "annotator.core.uploads.CappedUploadHandler",
    "django.core.files.uploadhandler.MemoryFileUploadHandler",
    "django.core.files.uploadhandler.TemporaryFileUploadHandler",
]
IMPORT_MAX_UPLOAD_BYTES = 100 * 1024 * 1024  # the whole upload; the reverse proxy says the same (README)
IMPORT_MAX_FILE_BYTES = 50 * 1024 * 1024
IMPORT_MAX_ARTICLE_CHARS = 1_000_000
EXPORT_MAX_ACTIVE_JOBS = env.EXPORT_MAX_ACTIVE_JOBS
EXPORT_KEEP_VERSIONS = env.EXPORT_KEEP_VERSIONS

REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "rest_framework.authentication.SessionAuthentication",
        "api.authentication.ApiTokenAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    # JSON nested deeper than a bound is a 400, not a RecursionError (see api/parsers.py).
    "DEFAULT_PARSER_CLASSES": [
        "api.parsers.BoundedJSONParser",
        "rest_framework.parsers.FormParser",
        "rest_framework.parsers.MultiPartParser",
    ],
    "DEFAULT_PAGINATION_CLASS": "api.pagination.Pagination",
    "PAGE_SIZE": 50,
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "EXCEPTION_HANDLER": "api.errors.exception_handler",
}
SPECTACULAR_SETTINGS = {
    "TITLE": "Accord API",
    "DESCRIPTION": "Label news sentences, measure agreement, export gold datasets.",
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    "COMPONENT_SPLIT_REQUEST": True,
}

# Celery: JSON only, late acks (tasks are idempotent), bounded time, results of chords only.
CELERY_BROKER_URL = env.CELERY_BROKER_URL
if CELERY_BROKER_URL.startswith("filesystem://"):
    _queue_dir = env.VAR_DIR / "broker"
    for _sub in ("queue", "processed", "control"):
        (_queue_dir / _sub).mkdir(parents=True, exist_ok=True)
    CELERY_BROKER_TRANSPORT_OPTIONS = {
        "data_folder_in": str(_queue_dir / "queue"),
        "data_folder_out": str(_queue_dir / "queue"),
        "processed_folder": str(_queue_dir / "processed"),
        "control_folder": str(_queue_dir / "control"),
        "store_processed": False,
        # kombu polls the folder once a second by default: most of a job's latency (issue 12).
        "polling_interval": 0.1,
    }
else:
    CELERY_BROKER_TRANSPORT_OPTIONS = {"visibility_timeout": 3600}
CELERY_RESULT_BACKEND = env.CELERY_RESULT_BACKEND
CELERY_RESULT_EXTENDED = False
CELERY_TASK_IGNORE_RESULT = True
CELERY_ACCEPT_CONTENT = ["json"]
CELERY_TASK_SERIALIZER = "json"
CELERY_RESULT_SERIALIZER = "json"
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TASK_SOFT_TIME_LIMIT = 30 * 60
CELERY_TASK_TIME_LIMIT = 32 * 60
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
CELERY_WORKER_HIJACK_ROOT_LOGGER = False
CELERY_TIMEZONE = "UTC"
# A worker writes a heartbeat row this often; a queued job with no fresh heartbeat says so.
WORKER_HEARTBEAT_SECONDS = 5
WORKER_STALE_AFTER_SECONDS = 20
# A running job renews its lease every third of this; unrenewed, its worker is taken for dead.
JOB_LEASE_SECONDS = 60
JOB_MAX_ATTEMPTS = 3
JOB_RESEND_QUEUED_AFTER = 300
JOB_SWEEP_SECONDS = 15
# A job waiting for its chord's tasks keeps its lease while they are queued or run on live
# workers, for at most this long (a queued task cannot be told from a lost one).
JOB_WAIT_LIMIT_SECONDS = 6 * 3600

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s: %(message)s"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain"}},
    "root": {"handlers": ["console"], "level": env.LOG_LEVEL},
    "loggers": {"django.db.backends": {"level": "WARNING"}},
}
