"""`make run`'s path on the embedded defaults: SQLite and the filesystem broker.

The rest of the suite runs on PostgreSQL; this runs the real commands in a child process
on a fresh SQLite file so the default set-up cannot silently break.
"""

import json
import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def manage(*args: str, env: dict[str, str]) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "manage.py", *args], cwd=ROOT, env=env, capture_output=True, text=True, timeout=300)


def test_migrate_load_demo_and_import_work_on_sqlite(tmp_path):
    env = {
        **{k: v for k, v in os.environ.items() if k not in {"DJANGO_SETTINGS_MODULE", "CELERY_BROKER_URL"}},
        "DATABASE_URL": f"sqlite:///{tmp_path / 'accord.sqlite3'}",
        "MEDIA_ROOT": str(tmp_path / "media"),
        "CACHE_URL": f"file://{tmp_path / 'cache'}",
    }
    for step in (("migrate", "--noinput", "-v0"), ("load_demo",), ("load_demo",)):
        result = manage(*step, env=env)
        assert result.returncode == 0, result.stderr[-3000:]
    assert "refreshed demo project 'demo': 12 sentences, 0 annotations written" in result.stdout
    article = tmp_path / "a.jsonl"
    article.write_text('{"title": "T", "text": "🚀 Putin met Kim. The U.S. objected."}\n', "utf-8")
    imported = manage("import_articles", "demo", str(article), env=env)
    assert imported.returncode == 0, imported.stderr[-3000:]
    assert imported.stdout.strip() == "imported 1 article, 2 sentences"
    report = manage("compute_agreement", "demo", "--json", env=env)
    assert report.returncode == 0, report.stderr[-3000:]
    assert '"project": "demo"' in report.stdout


def test_embedded_default_runs_sqlite_in_wal_with_a_busy_timeout_persistent_connections_and_fast_polling(tmp_path):
    """Issue 12 target 1: `make run` reads while it writes (WAL), a save waits for the write lock
    instead of failing (busy timeout) in one short BEGIN IMMEDIATE transaction, connections
    outlive a request, and the filesystem broker looks for a job every 0.1 s (kombu: 1 s)."""
    env = {
        **{k: v for k, v in os.environ.items() if k not in {"DJANGO_SETTINGS_MODULE", "CELERY_BROKER_URL"}},
        "DATABASE_URL": f"sqlite:///{tmp_path / 'accord.sqlite3'}",
        "MEDIA_ROOT": str(tmp_path / "media"),
        "CACHE_URL": f"file://{tmp_path / 'cache'}",
    }
    probe = (
        "import json; from django.conf import settings; from django.db import connection;"
        "c = connection.cursor();"
        "print(json.dumps({'db': settings.DATABASES['default'], 'broker': settings.CELERY_BROKER_URL,"
        " 'transport': settings.CELERY_BROKER_TRANSPORT_OPTIONS,"
        " 'journal': c.execute('PRAGMA journal_mode').fetchone()[0],"
        " 'busy': c.execute('PRAGMA busy_timeout').fetchone()[0]}, default=str))"
    )
    result = manage("shell", "-c", probe, env=env)
    assert result.returncode == 0, result.stderr[-3000:]
    seen = json.loads(result.stdout.strip().splitlines()[-1])
    assert seen["db"]["ENGINE"] == "django.db.backends.sqlite3"
    assert seen["journal"] == "wal"
    assert seen["busy"] >= 5000
    assert seen["db"]["OPTIONS"]["transaction_mode"] == "IMMEDIATE"
    assert seen["db"]["CONN_MAX_AGE"] and seen["db"]["CONN_MAX_AGE"] >= 60
    assert seen["broker"].startswith("filesystem://")
    assert seen["transport"]["polling_interval"] <= 0.1
