"""Benchmark the whole agreement job, from the database to the stored report.

``python bench/run.py agreement-job [--sentences N] [--workers 1,2] [--keep] [--database NAME] [--redis URL]``

Set-up (documented choice): a separate PostgreSQL database ``accord_bench`` on 127.0.0.1 is
(re)created with psycopg and migrated; Django runs with ``DATABASE_URL`` pointing at it and
Celery on Redis database 13 (broker and result backend), so nothing touches the dev or test
data. N sentences (default 100,000) x 3 annotators with entities, stance and events are written
with PostgreSQL COPY (seeded random data: a shared "truth" per sentence that each annotator
perturbs). Then, for each worker count, that many real ``celery worker`` processes
(concurrency 1 each) are started, one agreement job is created through the service, and the
time from creating the job to the job being DONE (report stored) is printed with the peak RSS
(VmHWM) of the largest worker process. Targets: <= 60 s with one worker, peak RSS <= 1 GB, and
two workers faster than one (the job is a chord of chunk tasks, so they share the work). The load
average before each run is printed: the machine may be shared.

Structure figures (issue 15): for each worker count the job runs twice, first without the
entity u-alpha and the event parts (job parameter ``structure=False``), then with them, and the
ratio is printed beside the times (target: with <= 1.5x without). ``--database`` and ``--redis``
choose another scratch database and Redis database, so two people can run this at once.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import signal
import subprocess
import sys
import time
from datetime import UTC, datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
ADMIN_URL = "postgresql://postgres@127.0.0.1:5432/postgres"
DB_NAME = "accord_bench"
DB_URL = f"postgres://postgres@127.0.0.1:5432/{DB_NAME}"
REDIS_URL = "redis://127.0.0.1:6379/13"
SENTENCES_PER_DOC = 100
TEXT = ("Russia and North Korea signed a pact in Pyongyang on Thursday, and Seoul protested "
        "while Tokyo stayed silent about the troops. ")


def _env() -> dict[str, str]:
    return {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "annotator.settings.development",
        "DATABASE_URL": DB_URL,
        "CELERY_BROKER_URL": REDIS_URL,
        "CELERY_RESULT_BACKEND": REDIS_URL,
        "LOG_LEVEL": "WARNING",
        "PYTHONUNBUFFERED": "1",
    }


def _recreate_database() -> None:
    import psycopg

    with psycopg.connect(ADMIN_URL, autocommit=True) as conn:
        conn.execute(f"DROP DATABASE IF EXISTS {DB_NAME} WITH (FORCE)")
        conn.execute(f"CREATE DATABASE {DB_NAME}")


def _labels(rng: random.Random, schema: dict, truth: dict) -> dict:
    """One annotator's version of the sentence's truth: each item kept, changed or dropped."""
    types = [t["name"] for t in schema["entity_types"]]
    entities = []
    for s, e, label in truth["entities"]:
        r = rng.random()
        if r < 0.05:
            continue
        if r < 0.10:
            label = rng.choice(types)
        elif r < 0.15:
            s = max(0, s - 2)
        entities.append({"start": s, "end": e, "label": label})
    if rng.random() < 0.05:
        entities.append({"start": 120, "end": 126, "label": rng.choice(types)})
    stance_labels = schema["stance"]["labels"]
    label = truth["stance"] if rng.random() < 0.85 else rng.choice(stance_labels)
    events = []
    for etype, (ts, te), args in truth["events"]:
        if rng.random() < 0.1:
            continue
        if rng.random() < 0.05:
            ts = max(0, ts - 1)
        events.append({"type": etype, "trigger": {"start": ts, "end": te},
                       "arguments": [{"role": r, "start": a, "end": b} for r, a, b in args if rng.random() > 0.1]})
    entities.sort(key=lambda x: (x["start"], x["end"], x["label"]))
    return {"entities": entities, "stance": [{"target": schema["stance"]["targets"][0], "label": label}],
            "events": events}


def _truth(rng: random.Random, schema: dict) -> dict:
    types = [t["name"] for t in schema["entity_types"]]
    starts = sorted(rng.sample(range(0, 110, 11), rng.randint(2, 6)))
    entities = [(s, s + rng.randint(3, 9), rng.choice(types)) for s in starts]
    events = []
    for _ in range(rng.choice((0, 0, 1, 1, 2))):
        event = rng.choice(schema["event_types"])
        t = rng.randrange(0, 100)
        roles = rng.sample(event["roles"], min(len(event["roles"]), rng.randint(1, 3)))
        events.append((event["name"], (t, t + 5), [(r, s, e) for r, (s, e, _) in zip(roles, entities, strict=False)]))
    return {"entities": entities, "stance": rng.choice(schema["stance"]["labels"]), "events": events}


def _generate(n_sentences: int, seed: int) -> int:
    """Project, users, documents, sentences and 3 submitted annotations each (COPY)."""
    from django.db import connection

    from annotator.projects.models import Role
    from annotator.projects.services import membership_set, project_create, user_ensure

    schema = json.loads((ROOT / "fixtures" / "demo" / "schema.json").read_text())
    project = project_create(slug="bench", name="Bench", label_schema=schema, overlap=3)
    users = [user_ensure(username=name, password="bench-pass-1") for name in ("ann", "bob", "cyd")]
    for user in users:
        membership_set(project=project, user=user, role=Role.ANNOTATOR)
    rng = random.Random(seed)
    now = datetime.now(UTC)
    n_docs = (n_sentences + SENTENCES_PER_DOC - 1) // SENTENCES_PER_DOC
    text = TEXT * SENTENCES_PER_DOC
    with connection.cursor() as cursor:
        raw = cursor.connection
        with raw.cursor() as cur, cur.copy(
            "COPY documents_document (project_id, title, source, text, meta, content_hash, sentence_count, created_at) FROM STDIN"
        ) as copy:
            for d in range(n_docs):
                copy.write_row((project.pk, f"doc {d}", "", text, "{}", f"{d:064d}", SENTENCES_PER_DOC, now))
        cur = raw.cursor()
        doc_ids = [r[0] for r in cur.execute("SELECT id FROM documents_document WHERE project_id = %s ORDER BY id", (project.pk,))]
        length = len(TEXT) - 1
        with cur.copy('COPY documents_sentence (project_id, document_id, index, start, "end", text, tokens) FROM STDIN') as copy:
            for k in range(n_sentences):
                d, i = divmod(k, SENTENCES_PER_DOC)
                copy.write_row((project.pk, doc_ids[d], i, i * len(TEXT), i * len(TEXT) + length, TEXT[:length], "[]"))
        sentence_ids = [r[0] for r in cur.execute("SELECT id FROM documents_sentence WHERE project_id = %s ORDER BY id", (project.pk,))]
        with cur.copy(
            "COPY annotations_annotation (project_id, sentence_id, annotator_id, labels, status, unsure, note, "
            "skip_reason, seconds, version, created_at, updated_at, submitted_at) FROM STDIN"
        ) as copy:
            for sid in sentence_ids:
                truth = _truth(rng, schema)
                for user in users:
                    labels = json.dumps(_labels(rng, schema, truth))
                    copy.write_row((project.pk, sid, user.pk, labels, "submitted", False, "", "",
                                    round(rng.uniform(5, 120), 1), 1, now, now, now))
        cur.execute("ANALYZE")
    return project.pk


def _children(pid: int) -> list[int]:
    out = [pid]
    try:
        kids = Path(f"/proc/{pid}/task/{pid}/children").read_text().split()
    except OSError:
        return out
    for kid in kids:
        out += _children(int(kid))
    return out


def _hwm_kb(pid: int) -> int:
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1])
    except OSError:
        pass
    return 0


def _cpu_seconds(pids: list[int]) -> float:
    """User + system CPU seconds of these processes so far (/proc/<pid>/stat, clock ticks)."""
    total = 0
    for pid in pids:
        try:
            fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        total += int(fields[11]) + int(fields[12])  # utime, stime
    return total / os.sysconf("SC_CLK_TCK")


def _run(project_id: int, workers: int, structure: bool = True) -> tuple[float, float, str, float]:
    import redis
    from django.db import connection

    from annotator.agreement.models import AgreementReport
    from annotator.agreement.services import agreement_start
    from annotator.jobs.models import Job, JobState, WorkerHeartbeat
    from annotator.projects.models import Project

    redis.Redis.from_url(REDIS_URL).flushdb()
    WorkerHeartbeat.objects.all().delete()
    procs = [
        subprocess.Popen(
            [sys.executable, "-m", "celery", "-A", "annotator", "worker", "--loglevel=WARNING", "--concurrency=1",
             "--pool=prefork", "--without-gossip", "--without-mingle", "-n", f"bench{k}-{os.getpid()}@%h"],
            cwd=ROOT, env=_env(), stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True,
        )
        for k in range(workers)
    ]
    peak_kb = 0
    try:
        deadline = time.monotonic() + 60
        while WorkerHeartbeat.objects.count() < workers:
            if time.monotonic() > deadline:
                raise SystemExit("workers did not start")
            time.sleep(0.2)
        connection.close()
        cpu_start = _cpu_seconds([pid for proc in procs for pid in _children(proc.pid)])
        start = time.perf_counter()
        job = agreement_start(project=Project.objects.get(pk=project_id), fan_out="auto", structure=structure)
        while True:
            for proc in procs:
                for pid in _children(proc.pid):
                    peak_kb = max(peak_kb, _hwm_kb(pid))
            state = Job.objects.filter(pk=job.pk).values_list("state", flat=True).first()
            if state in (JobState.DONE, JobState.FAILED):
                break
            time.sleep(0.1)
        elapsed = time.perf_counter() - start
        cpu = _cpu_seconds([pid for proc in procs for pid in _children(proc.pid)]) - cpu_start
        job.refresh_from_db()
        if job.state != JobState.DONE:
            raise SystemExit(f"job failed: {job.error}")
        report = AgreementReport.objects.get(job=job).report
        summary = (f"stance α {next(iter(report['stance'].values()))['alpha']}, "
                   f"entities exact F1 {report['entities']['exact']['f1']}, events MASI α {report['events']['masi_alpha']}")
        if structure:
            parts = report["events"]["parts"]
            summary += (f"; entities u-α {report['entities']['unitizing_alpha']['alpha']}; event part F1: trigger id "
                        f"{parts['trigger_identification']['f1']}, class {parts['trigger_classification']['f1']}, "
                        f"argument id {parts['argument_identification']['f1']}, class {parts['argument_classification']['f1']}")
        return elapsed, peak_kb / 1024, summary, cpu
    finally:
        for proc in procs:
            if proc.poll() is None:
                os.killpg(proc.pid, signal.SIGTERM)
        for proc in procs:
            try:
                proc.wait(timeout=30)
            except subprocess.TimeoutExpired:
                os.killpg(proc.pid, signal.SIGKILL)


def _load() -> str:
    """The 1, 5 and 15 minute load averages, as /proc/loadavg has them."""
    return " ".join(Path("/proc/loadavg").read_text().split()[:3])


def main(argv: list[str]) -> None:
    global DB_NAME, DB_URL, REDIS_URL
    parser = argparse.ArgumentParser(prog="agreement-job")
    parser.add_argument("--sentences", type=int, default=100_000)
    parser.add_argument("--workers", default="1,2")
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--keep", action="store_true", help="reuse accord_bench if it already holds the data")
    parser.add_argument("--database", default=DB_NAME, help="scratch PostgreSQL database (dropped and recreated)")
    parser.add_argument("--redis", default=REDIS_URL, help="Redis URL for the broker and results (flushed)")
    args = parser.parse_args(argv)
    DB_NAME, REDIS_URL = args.database, args.redis
    DB_URL = f"postgres://postgres@127.0.0.1:5432/{DB_NAME}"

    os.environ.update(_env())
    sys.path.insert(0, str(ROOT))
    if not args.keep:
        _recreate_database()
    import django

    django.setup()
    from django.core.management import call_command

    from annotator.projects.models import Project

    call_command("migrate", verbosity=0)
    project = Project.objects.filter(slug="bench").first()
    if project is None or not args.keep:
        t0 = time.perf_counter()
        project_id = _generate(args.sentences, args.seed)
        print(f"generated {args.sentences:,} sentences x 3 annotators into {DB_NAME} in {time.perf_counter() - t0:.1f} s")
    else:
        project_id = project.pk
    from annotator.agreement.services import CHUNK_ANNOTATIONS, agreement_chunks
    from annotator.annotations.models import Annotation

    n = Annotation.objects.filter(project_id=project_id).count()
    chunks = len(agreement_chunks(project_id=project_id))
    print(f"{n:,} submitted annotations (entities, stance, events); job fans out as a chord of {chunks} chunk "
          f"tasks (~{CHUNK_ANNOTATIONS:,} annotations each, all layers), then one merge task")
    results = {}
    for workers in [int(w) for w in args.workers.split(",")]:
        print(f"load average before the runs: {_load()} ({os.cpu_count()} CPUs; other people's work shares them)")
        plain, plain_mb, _, plain_cpu = _run(project_id, workers, structure=False)
        print(f"{workers} worker{'s' if workers > 1 else ''} without structure figures: {plain:.1f} s "
              f"(workers' CPU {plain_cpu:.1f} s), peak RSS {plain_mb:.0f} MB")
        elapsed, peak_mb, summary, cpu = _run(project_id, workers)
        results[workers] = elapsed
        verdict = "" if workers != 1 else f"  (target <= 60 s: {'met' if elapsed <= 60 else 'MISSED'})"
        print(f"{workers} worker{'s' if workers > 1 else ''}: {elapsed:.1f} s from job to stored report, "
              f"peak RSS {peak_mb:.0f} MB (target <= 1024 MB: {'met' if peak_mb <= 1024 else 'MISSED'}){verdict}")
        ratio = elapsed / plain
        print(f"   with u-alpha and event part F1: {elapsed:.1f} s vs {plain:.1f} s without = {ratio:.2f}x "
              f"(target <= 1.5x: {'met' if ratio <= 1.5 else 'MISSED'}); workers' CPU {cpu:.1f} s vs "
              f"{plain_cpu:.1f} s = {cpu / max(plain_cpu, 1e-9):.2f}x (steadier than wall time on a shared machine)")
        print(f"   {summary}")
    if 1 in results and 2 in results:
        print(f"speed-up with 2 workers: {results[1] / results[2]:.2f}x")
