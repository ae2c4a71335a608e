"""The production profile passes Django's deployment checks with no warnings."""

import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent


def run_manage(*args: str, **env: str) -> subprocess.CompletedProcess:
    clean = {k: v for k, v in os.environ.items() if k not in {"DJANGO_SETTINGS_MODULE", "DEBUG", "DJANGO_ALLOW_ASYNC_UNSAFE"}}
    return subprocess.run(
        [sys.executable, "manage.py", *args], cwd=ROOT, env={**clean, **env}, capture_output=True, text=True, timeout=120
    )


def test_production_profile_passes_check_deploy_with_no_warnings():
    result = run_manage(
        "check",
        "--deploy",
        "--fail-level",
        "WARNING",
        DJANGO_ENV="production",
        SECRET_KEY="x" * 20 + "a-very-long-random-production-secret-key-1234567890",
        ALLOWED_HOSTS="accord.example.org",
        DATABASE_URL="sqlite:////tmp/accord-check.sqlite3",
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


def test_production_profile_refuses_to_start_without_a_secret_key():
    result = run_manage("check", DJANGO_ENV="production", SECRET_KEY="", ALLOWED_HOSTS="a.example.org")
    assert result.returncode != 0
    assert "SECRET_KEY must be set" in result.stderr


@pytest.mark.parametrize("value", ["Production", "prod", "PRODUCTION", "staging", ""])
def test_an_unknown_django_env_is_refused_instead_of_running_the_development_profile(value):
    """Issue 9 item 19: a typo must not silently serve the development profile (DEBUG, the
    published key)."""
    result = run_manage("check", DJANGO_ENV=value, SECRET_KEY="x" * 60, ALLOWED_HOSTS="a.example.org")
    assert result.returncode != 0
    assert "DJANGO_ENV" in result.stderr and "production" in result.stderr
