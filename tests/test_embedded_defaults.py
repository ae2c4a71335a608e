"""`make run`'s path on the embedded defaults: SQLite and the filesystem broker.

The rest of the suite runs on PostgreSQL; this runs the real commands in a child process
on a fresh SQLite file so the default set-up cannot silently break.
"""

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
