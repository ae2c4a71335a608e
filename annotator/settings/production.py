"""Production profile (DJANGO_ENV=production): passes ``manage.py check --deploy``."""

from django.core.exceptions import ImproperlyConfigured

from . import env
from .base import *  # noqa: F403

DEBUG = False
if not env.SECRET_KEY or len(env.SECRET_KEY) < 50:
    raise ImproperlyConfigured("SECRET_KEY must be set to 50+ random characters in production")
SECRET_KEY = env.SECRET_KEY
if not env.ALLOWED_HOSTS:
    raise ImproperlyConfigured("ALLOWED_HOSTS must be set in production (comma-separated)")
ALLOWED_HOSTS = env.ALLOWED_HOSTS

SECURE_SSL_REDIRECT = True
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_HSTS_SECONDS = 31_536_000
SECURE_HSTS_INCLUDE_SUBDOMAINS = True
SECURE_HSTS_PRELOAD = True
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SESSION_COOKIE_SECURE = True
SESSION_COOKIE_HTTPONLY = True
CSRF_COOKIE_SECURE = True
X_FRAME_OPTIONS = "DENY"
# Content-Security-Policy: our own scripts and styles only (Django 6 has CSP built in;
# on 5.2 the header is set by annotator.core.middleware).
CONTENT_SECURITY_POLICY = (
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
    "object-src 'none'; base-uri 'none'; frame-ancestors 'none'; form-action 'self'"
)
MIDDLEWARE = [*MIDDLEWARE, "annotator.core.middleware.ContentSecurityPolicyMiddleware"]  # noqa: F405
