"""The reads that list projects, on a project of 50,000 sentences in 2,500 documents (issue 9, item 5).

``python bench/run.py project-lists [--sentences N] [--documents D] [--repeat R] [--keep]``

Set-up: a scratch PostgreSQL database ``accord_bench_lists`` (recreated unless ``--keep``),
migrated; one project with D documents of N/D sentences each (PostgreSQL COPY), a lead and
two annotators who have submitted annotations of 60% of the sentences (so the progress bars
count something), and two small projects beside it. Then, in this process through Django's
test client (the whole view, serializer and template, no HTTP server), as the lead: each read
R times, printing the best and the worst time and the number of SQL queries.

The reads: ``GET /api/projects/``, ``GET /api/projects/{id}/``, the home page ``/`` and the
project page ``/p/<slug>/``. Before the fix the first three took 31 s and then 500ed (two
Count(distinct) over one sentences × documents join). Target: each ≤ 0.5 s.
"""

from __future__ import annotations

import argparse
import os
import sys
import time
from datetime import UTC, datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DB_NAME = "accord_bench_lists"
TARGET_SECONDS = 0.5
TEXT = "Russia and North Korea signed a pact in Pyongyang on Thursday, and Seoul protested. "


def _generate(n_sentences: int, n_documents: int) -> int:
    """The big project (COPY) and two small ones; returns the big project's id."""
    import json

    from django.db import connection

    from annotator.projects.models import Role
    from annotator.projects.services import membership_set, project_create, user_ensure
    from tests.factories import add_text

    schema = json.loads((ROOT / "fixtures" / "demo" / "schema.json").read_text())
    lead = user_ensure(username="lead", password="bench-pass-1")
    annotators = [user_ensure(username=name, password="bench-pass-1") for name in ("ann", "bob")]
    project = project_create(slug="big", name="Big", label_schema=schema, overlap=2, created_by=lead,
                             guidelines=(ROOT / "fixtures" / "demo" / "guidelines.md").read_text("utf-8"))
    for user in annotators:
        membership_set(project=project, user=user, role=Role.ANNOTATOR)
    for slug in ("small-1", "small-2"):
        small = project_create(slug=slug, label_schema=schema, created_by=lead)
        add_text(small, TEXT * 3)
    per_doc = max(n_sentences // n_documents, 1)
    now = datetime.now(UTC)
    length = len(TEXT) - 1
    with connection.cursor() as cursor:
        raw = cursor.connection
        with raw.cursor() as cur:
            with cur.copy("COPY documents_document (project_id, title, source, text, meta, content_hash, "
                          "sentence_count, created_at) FROM STDIN") as copy:
                for d in range(n_documents):
                    copy.write_row((project.pk, f"doc {d}", "", TEXT * per_doc, "{}", f"{d:064d}", per_doc, now))
            doc_ids = [r[0] for r in cur.execute(
                "SELECT id FROM documents_document WHERE project_id = %s ORDER BY id", (project.pk,))]
            with cur.copy('COPY documents_sentence (project_id, document_id, index, start, "end", text, tokens) '
                          "FROM STDIN") as copy:
                for doc_id in doc_ids:
                    for i in range(per_doc):
                        copy.write_row((project.pk, doc_id, i, i * len(TEXT), i * len(TEXT) + length, TEXT[:length], "[]"))
            sentence_ids = [r[0] for r in cur.execute(
                "SELECT id FROM documents_sentence WHERE project_id = %s ORDER BY id", (project.pk,))]
            labels = json.dumps({"entities": [], "stance": [], "events": []})
            with cur.copy("COPY annotations_annotation (project_id, sentence_id, annotator_id, labels, status, unsure, "
                          "note, skip_reason, seconds, version, created_at, updated_at, submitted_at) FROM STDIN") as copy:
                for k, sid in enumerate(sentence_ids):
                    if k % 10 < 6:
                        for user in annotators:
                            copy.write_row((project.pk, sid, user.pk, labels, "submitted", False, "", "", 10.0, 1,
                                            now, now, now))
            cur.execute("ANALYZE")
    return project.pk


def _time(client, path: str, repeat: int) -> tuple[float, float, int, int]:  # type: ignore[no-untyped-def]
    """(best s, worst s, status, queries) of ``repeat`` GETs of ``path``."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    times, status, queries = [], 0, 0
    for _ in range(repeat):
        with CaptureQueriesContext(connection) as captured:
            started = time.perf_counter()
            response = client.get(path)
            times.append(time.perf_counter() - started)
        status, queries = response.status_code, len(captured.captured_queries)
    return min(times), max(times), status, queries


def main(argv: list[str]) -> None:
    parser = argparse.ArgumentParser(prog="bench/run.py project-lists")
    parser.add_argument("--sentences", type=int, default=50_000)
    parser.add_argument("--documents", type=int, default=2_500)
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--keep", action="store_true", help=f"reuse {DB_NAME} if it already holds the data")
    args = parser.parse_args(argv)

    sys.path.insert(0, str(ROOT))
    from bench.common import fresh_database

    url = f"postgres://postgres@127.0.0.1:5432/{DB_NAME}" if args.keep else fresh_database(DB_NAME)
    os.environ.update({"DATABASE_URL": url.replace("postgresql://", "postgres://"), "DEBUG": "false",
                       "DJANGO_SETTINGS_MODULE": "annotator.settings.development", "LOG_LEVEL": "WARNING"})
    import django

    django.setup()
    from django.core.management import call_command
    from django.test import Client

    from annotator.projects.models import Project

    call_command("migrate", verbosity=0)
    project = Project.objects.filter(slug="big").first()
    if project is None or not args.keep:
        started = time.perf_counter()
        project_id = _generate(args.sentences, args.documents)
        print(f"generated {args.sentences:,} sentences in {args.documents:,} documents (60% with 2 submitted "
              f"annotations) and two small projects in {time.perf_counter() - started:.1f} s")
    else:
        project_id = project.pk
    from django.conf import settings
    from django.contrib.auth import get_user_model
    from django.test.utils import override_settings

    # pages name static files; no collectstatic manifest in a scratch run
    override_settings(STORAGES={**settings.STORAGES, "staticfiles": {
        "BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"}}).enable()
    client = Client(HTTP_HOST="localhost")
    client.force_login(get_user_model().objects.get(username="lead"))
    client.get("/api/me/")  # imports and URL resolvers, so the first timed read does not pay for them
    print(f"load average: {' '.join(Path('/proc/loadavg').read_text().split()[:3])} ({os.cpu_count()} CPUs, shared)")
    worst = 0.0
    for name, path in (("GET /api/projects/", "/api/projects/"), ("GET /api/projects/{id}/", f"/api/projects/{project_id}/"),
                       ("home page /", "/"), ("project page /p/big/", "/p/big/")):
        best, slowest, status, queries = _time(client, path, args.repeat)
        worst = max(worst, slowest)
        print(f"{name:<24} {status}  best {best * 1000:7.1f} ms, worst {slowest * 1000:7.1f} ms of {args.repeat}; "
              f"{queries} SQL queries")
    print(f"slowest read {worst * 1000:.0f} ms (target ≤ {TARGET_SECONDS * 1000:.0f} ms; "
          f"before the fix: 31 s and a 500): {'OK' if worst <= TARGET_SECONDS else 'TOO SLOW'}")
