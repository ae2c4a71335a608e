"""Gold export end to end from PostgreSQL: ``python bench/run.py export-job [--sizes 10000,100000] [--fresh]``.

Data: a separate database ``accord_bench_export`` on the local PostgreSQL (override with
``BENCH_DATABASE_URL``), created and migrated on first use, holding one project per size
(``bench-10000``, ``bench-100000``) with 20-sentence documents and three annotators' submitted
annotations per sentence, inserted with ``bulk_create`` in batches of 5,000 (texts, tokens and labels
from ``bench/export_formats.synthetic_records``; the third annotator drops an entity on a fifth of
the sentences, and on about 15% the three disagree on a stance), then aggregated by the real
``gold_aggregate`` (majority, 0.5: gold plus disputed sentences, candidates with soft labels) and
``ANALYZE``d. Later runs reuse it; ``--fresh`` drops and rebuilds it.

Measures, each in a fresh child process (so peak RSS figures are separate), the same
``export_build`` the job and ``export_gold`` run, from the DB query to the finished file, with
``--status all`` (every sentence, its status, confidence and soft labels; coverage counted):
- JSONL: sentences/s (target ≥ 5,000/s at 100k);
- bundle (every format + card + manifest + zip): wall time and peak RSS at each size, and the RSS
  growth from the smallest to the largest size (target: peak < 500 MB, growth < 20%).
"""

from __future__ import annotations

import json
import os
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any
from urllib.parse import urlparse, urlunparse

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_URL = "postgres://postgres@127.0.0.1:5432/accord_bench_export"
SIZES = (10_000, 100_000)


def _url() -> str:
    return os.environ.get("BENCH_DATABASE_URL", DEFAULT_URL)


def _env() -> dict[str, str]:
    return {**os.environ, "DATABASE_URL": _url(), "DJANGO_SETTINGS_MODULE": "annotator.settings.development",
            "DJANGO_ENV": "development", "PYTHONHASHSEED": "0"}


def _ensure_database(fresh: bool) -> None:
    import psycopg

    parts = urlparse(_url())
    name = parts.path.lstrip("/")
    admin = urlunparse(parts._replace(path="/postgres"))
    with psycopg.connect(admin, autocommit=True) as conn:
        exists = conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", (name,)).fetchone()
        if exists and fresh:
            conn.execute(f'DROP DATABASE "{name}" WITH (FORCE)')
            exists = None
        if not exists:
            conn.execute(f'CREATE DATABASE "{name}"')
    subprocess.run([sys.executable, "manage.py", "migrate", "-v", "0"], cwd=ROOT, env=_env(), check=True)


def _child(argv: list[str]) -> None:
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()
    action, n = argv[0], int(argv[1])
    if action == "populate":
        _populate(n)
        return
    from annotator.exports.coverage import STATUSES, RecordFilter
    from annotator.exports.services import export_build
    from annotator.projects.models import Project

    project = Project.objects.get(slug=f"bench-{n}")
    with tempfile.TemporaryDirectory() as tmp:
        t0, c0 = time.perf_counter(), time.process_time()
        result = export_build(project=project, format=action, out_path=Path(tmp) / "out", version=1,
                              keep=RecordFilter(STATUSES))
        seconds, cpu = time.perf_counter() - t0, time.process_time() - c0
    print(json.dumps({"format": action, "n": n, "seconds": seconds, "cpu": cpu, "size": result["size"],
                      "sentences": result["stats"]["sentences"],
                      "coverage": {k: v["total"] for k, v in result["stats"]["coverage"].items()},
                      "rss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024}))


def _populate(n: int) -> None:
    import random

    from django.contrib.auth import get_user_model
    from django.db import transaction

    from annotator.annotations.models import Annotation
    from annotator.documents.models import Document, Sentence
    from annotator.gold.models import GoldCandidate
    from annotator.gold.services import gold_aggregate
    from annotator.projects.models import Project
    from bench.export_formats import SCHEMA, synthetic_records

    slug = f"bench-{n}"
    if Project.objects.filter(slug=slug).exists():
        if (Sentence.objects.filter(project__slug=slug).count() == n
                and GoldCandidate.objects.filter(project__slug=slug).count() == n):
            return
        Project.objects.filter(slug=slug).delete()
    users = [get_user_model().objects.get_or_create(username=f"bench-annotator-{i}")[0] for i in range(3)]
    rng = random.Random(n)
    targets, stances = SCHEMA["stance"]["targets"], SCHEMA["stance"]["labels"]

    def versions(gold: dict[str, Any]) -> list[dict[str, Any]]:
        stance = [{"target": targets[0], "label": rng.choice(stances)}]
        out = [{**gold, "stance": stance} for _ in users]
        if rng.random() < 0.2 and gold["entities"]:
            out[2] = {**out[2], "entities": gold["entities"][:-1]}
        if rng.random() < 0.15:  # three different stances: no majority, to adjudication
            out = [{**o, "stance": [{"target": targets[0], "label": label}]} for o, label in zip(out, stances, strict=False)]
        return out

    with transaction.atomic():
        project = Project.objects.create(slug=slug, name=f"Bench {n}", label_schema=SCHEMA, overlap=3)
        batch: list[tuple[dict[str, Any], Any]] = []
        documents: dict[int, Document] = {}

        def flush() -> None:
            new_docs = [d for d in {id(d): d for _, d in batch}.values() if d.pk is None]
            Document.objects.bulk_create(new_docs)
            sentences = Sentence.objects.bulk_create([
                Sentence(project=project, document=doc, index=r["sentence"]["index"], start=r["sentence"]["start"],
                         end=r["sentence"]["end"], text=r["sentence"]["text"], tokens=r["sentence"]["tokens"])
                for r, doc in batch
            ])
            Annotation.objects.bulk_create([
                Annotation(project=project, sentence=s, annotator=user, labels=labels, status="submitted")
                for s, (r, _) in zip(sentences, batch, strict=True)
                for user, labels in zip(users, versions(r["gold"]), strict=True)
            ])
            batch.clear()

        for record in synthetic_records(n):
            did = record["document"]["id"]
            doc = documents.get(did)
            if doc is None:
                documents.clear()  # records come in document order
                doc = documents[did] = Document(project=project, title=record["document"]["title"], source="bench",
                                                text="", content_hash=f"{n}-{did}")
            doc.text += ("" if not doc.text else " ") + record["sentence"]["text"]
            doc.sentence_count += 1
            batch.append((record, doc))
            if len(batch) >= 5000 and record["sentence"]["index"] == 19:
                flush()
        if batch:
            flush()
    gold_aggregate(project=project, method="majority", threshold=0.5)
    # fresh planner statistics, as autovacuum would have them: with the estimates of empty
    # tables PostgreSQL picks a plan for the export's cursor that is ~10x slower
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")


def _run_child(action: str, n: int) -> dict[str, Any]:
    out = subprocess.run([sys.executable, __file__, "--child", action, str(n)], cwd=ROOT, env=_env(), check=True,
                         capture_output=True, text=True)
    return json.loads(out.stdout.strip().splitlines()[-1]) if action != "populate" else {}


def main(argv: list[str]) -> None:
    sizes = SIZES
    if "--sizes" in argv:
        sizes = tuple(int(s) for s in argv[argv.index("--sizes") + 1].split(","))
    print(f"database: {_url()}")
    _ensure_database("--fresh" in argv)
    for n in sizes:
        t0 = time.perf_counter()
        _run_child("populate", n)
        print(f"data ready: {n:,} sentences, 3 annotators each, aggregated ({time.perf_counter() - t0:.1f} s, reused when present)")
    jsonl = {n: _run_child("jsonl", n) for n in sizes}
    for n, r in jsonl.items():
        rate = r["sentences"] / r["seconds"]
        print(f"jsonl  {n:>7,} sentences ({', '.join(f'{c:,} {s}' for s, c in r['coverage'].items())}),"
              f" soft labels and coverage on: {r['seconds']:6.2f} s = {rate:8,.0f} sentences/s"
              f" (target >= 5,000: {'ok' if rate >= 5000 else 'MISSED'}), peak RSS {r['rss_mb']:.0f} MB;"
              f" this process's CPU {r.get('cpu', 0):.2f} s = {r['sentences'] / max(r.get('cpu', 0), 1e-9):,.0f}"
              f" sentences per CPU-second, load average {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores")
    bundle = {n: _run_child("bundle", n) for n in sizes}
    for n, r in bundle.items():
        print(f"bundle {n:>7,} sentences (all formats, card, zip): {r['seconds']:6.2f} s"
              f" = {r['sentences'] / r['seconds']:7,.0f} sentences/s, {r['size'] / 1e6:.1f} MB,"
              f" peak RSS {r['rss_mb']:.0f} MB (target < 500: {'ok' if r['rss_mb'] < 500 else 'MISSED'})")
    small, large = min(sizes), max(sizes)
    if small != large:
        growth = bundle[large]["rss_mb"] / bundle[small]["rss_mb"] - 1
        print(f"bundle peak RSS growth {small:,} -> {large:,}: {bundle[small]['rss_mb']:.0f} MB -> "
              f"{bundle[large]['rss_mb']:.0f} MB = {100 * growth:+.1f}% (target < 20%: {'ok' if growth < 0.2 else 'MISSED'})")


if __name__ == "__main__":
    if len(sys.argv) > 2 and sys.argv[1] == "--child":
        sys.path.insert(0, str(ROOT))
        os.chdir(ROOT)
        _child(sys.argv[2:])
    else:
        main(sys.argv[1:])
