"""Helpers shared by benchmarks: a scratch PostgreSQL database and a Django child process."""

from __future__ import annotations

import os
import resource
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PG_ADMIN_URL = os.environ.get("BENCH_PG_URL", "postgresql://postgres@127.0.0.1:5432/postgres")


def fresh_database(name: str) -> str:
    """Drop and create database ``name``; returns its URL."""
    import psycopg

    with psycopg.connect(PG_ADMIN_URL, autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        conn.execute(f'CREATE DATABASE "{name}"')
    return PG_ADMIN_URL.rsplit("/", 1)[0] + f"/{name}"


def run_child(args: list[str], database_url: str, **env: str) -> int:
    """Run ``bench/run.py ARGS`` in a fresh process on the development settings with the
    given database, so its peak RSS is its own."""
    child_env = {
        **os.environ,
        "DATABASE_URL": database_url,
        "DJANGO_SETTINGS_MODULE": "annotator.settings.development",
        "DEBUG": "false",
        **env,
    }
    return subprocess.call([sys.executable, str(ROOT / "bench" / "run.py"), *args], cwd=ROOT, env=child_env)


def peak_rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def django_setup() -> None:
    import django

    sys.path.insert(0, str(ROOT))
    django.setup()
