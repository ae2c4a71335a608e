"""Load: simulated annotators against the whole stack, and a count that nothing acknowledged
was lost.

    python bench/run.py load [--annotators 50] [--seconds 60] [--web-workers 4]

Set-up (documented choice): a scratch PostgreSQL database ``accord_bench_load`` on 127.0.0.1
(re-created each run), Redis database 11 on 127.0.0.1 as Celery broker, result backend and
cache (so nothing touches the dev or test data), gunicorn (``--web-workers`` sync workers)
and one Celery worker, all on loopback. A project with 2,000 sentences (overlap 2) and N
annotators with tokens is created first.

Each simulated annotator (threads, spread over 5 client processes, keep-alive
``http.client`` connections) loops: ``GET /api/projects/{id}/next/`` -> ``PUT`` a draft ->
``PUT`` it submitted, each save naming the version it read, until the time is up (or no work
is left). Printed: requests and p50/p95/p99 per endpoint; the run fails if any answer is a
5xx. Afterwards every acknowledged save (a 200) is looked up in the database: the annotation
revision with that (annotator, sentence, version) must exist with the acknowledged status,
and each annotation's stored version must be the last one acknowledged.
"""

from __future__ import annotations

import argparse
import http.client
import json
import multiprocessing
import os
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections import Counter, defaultdict
from pathlib import Path
from typing import Any

from bench.common import ROOT, django_setup, fresh_database

DB_NAME = "accord_bench_load"
REDIS_URL = "redis://127.0.0.1:6379/11"
CLIENT_PROCESSES = 5
TEXT = ("Russia and North Korea signed a pact in Pyongyang on Thursday. Seoul protested loudly. "
        "Tokyo stayed silent about the troops. Observers said Moscow could share weapons. ")


# -- child processes on the Django settings --------------------------------------------------


def setup_child(annotators: int, sentences: int) -> dict[str, Any]:
    """Create the project, its sentences and the annotators with tokens."""
    django_setup()
    from django.core.management import call_command
    from rest_framework.authtoken.models import Token

    from annotator.documents.parsing import ArticleIn
    from annotator.documents.services import articles_store
    from annotator.projects.demo import DEMO_DIR
    from annotator.projects.services import membership_set, project_create, user_ensure

    call_command("migrate", verbosity=0)
    call_command("collectstatic", interactive=False, verbosity=0)  # served as in production
    schema = json.loads((DEMO_DIR / "schema.json").read_text("utf-8"))
    project = project_create(slug="load", label_schema=schema, overlap=2)
    per_article = TEXT.count(". ")
    articles = [ArticleIn(title=f"A{i}", text=f"Report {i}. {TEXT}") for i in range(sentences // per_article + 1)]
    articles_store(project=project, articles=articles)
    people = []
    for n in range(annotators):
        user = user_ensure(username=f"annotator{n:02d}")
        membership_set(project=project, user=user, role="annotator")
        people.append({"username": user.username, "token": Token.objects.create(user=user).key})
    return {"project": project.pk, "schema": schema, "people": people, "sentences": project.sentences.count()}


def verify_child(acks_path: str) -> dict[str, Any]:
    """Compare the acknowledged saves with the database (see the module docstring)."""
    django_setup()
    from annotator.annotations.models import Annotation, AnnotationRevision

    acks = json.loads(Path(acks_path).read_text())
    stored = {
        (r["annotation__annotator__username"], r["annotation__sentence_id"], r["version"]): r["status"]
        for r in AnnotationRevision.objects.values(
            "annotation__annotator__username", "annotation__sentence_id", "version", "status")
    }
    missing = [a for a in acks if stored.get((a[0], a[1], a[2])) != a[3]]
    last: dict[tuple[str, int], int] = {}
    for username, sentence, version, _status in acks:
        last[(username, sentence)] = max(version, last.get((username, sentence), 0))
    current = {(r["annotator__username"], r["sentence_id"]): r["version"]
               for r in Annotation.objects.values("annotator__username", "sentence_id", "version")}
    behind = [key for key, version in last.items() if current.get(key) != version]
    return {"acknowledged": len(acks), "found": len(acks) - len(missing), "missing": missing[:5],
            "annotations": len(last), "stale": [list(k) for k in behind[:5]], "revisions": len(stored)}


# -- the simulated annotators ---------------------------------------------------------------


def _payload(sentence: dict[str, Any], schema: dict[str, Any], status: str, version: int) -> bytes:
    start, end = sentence["tokens"][0]
    entity = schema["entity_types"][0]["name"]
    stance = [{"target": t, "label": schema["stance"]["labels"][0]} for t in schema.get("stance", {}).get("targets", [])]
    return json.dumps({"entities": [{"start": start, "end": end, "label": entity}], "stance": stance, "events": [],
                       "status": status, "version": version, "seconds": 4}).encode()


def _annotator(port: int, project: int, schema: dict, person: dict, start_at: float, seconds: float,
               out: dict) -> None:
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
    headers = {"Authorization": f"Token {person['token']}", "Content-Type": "application/json"}
    timings: dict[str, list[float]] = defaultdict(list)
    statuses: Counter[str] = Counter()
    acks: list[tuple[str, int, int, str]] = []

    def call(name: str, method: str, path: str, body: bytes | None = None) -> tuple[int, bytes]:
        began = time.perf_counter()
        conn.request(method, path, body=body, headers=headers)
        response = conn.getresponse()
        data = response.read()
        timings[name].append(time.perf_counter() - began)
        statuses[f"{name} {response.status}"] += 1
        return response.status, data

    for _ in range(3):  # warm-up, not timed: connections, gunicorn workers' first imports
        conn.request("GET", "/api/me/", headers=headers)
        conn.getresponse().read()
    while time.time() < start_at:
        time.sleep(0.005)
    deadline = start_at + seconds
    while time.time() < deadline:
        status, data = call("GET next", "GET", f"/api/projects/{project}/next/")
        if status == 204 or status >= 500:
            break
        item = json.loads(data)
        sentence = item["sentence"]
        version = (item["annotation"] or {}).get("version", 0)
        for state in ("draft", "submitted"):
            status, data = call(f"PUT {state}", "PUT", f"/api/sentences/{sentence['id']}/annotation/",
                                _payload(sentence, schema, state, version))
            if status != 200:
                break
            version = json.loads(data)["version"]
            acks.append((person["username"], sentence["id"], version, state))
    conn.close()
    out[person["username"]] = {"timings": timings, "statuses": statuses, "acks": acks}


def client_process(args: tuple) -> dict[str, Any]:
    port, project, schema, people, start_at, seconds = args
    out: dict[str, Any] = {}
    threads = [threading.Thread(target=_annotator, args=(port, project, schema, p, start_at, seconds, out))
               for p in people]
    for t in threads:
        t.start()
    for t in threads:
        t.join(seconds + 120)
    return out


# -- the stack ------------------------------------------------------------------------------


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _wait_port(port: int, process: subprocess.Popen, what: str) -> None:
    deadline = time.time() + 60
    while True:
        try:
            socket.create_connection(("127.0.0.1", port), 0.5).close()
            return
        except OSError:
            if time.time() > deadline or process.poll() is not None:
                raise SystemExit(f"{what} did not start") from None
            time.sleep(0.2)


def _child(env: dict[str, str], *args: str) -> Any:
    out = subprocess.run([sys.executable, "bench/run.py", "load", *args], cwd=ROOT, env=env,
                         capture_output=True, text=True, check=False)
    if out.returncode != 0:
        raise SystemExit(f"child {args[0]} failed:\n{out.stderr[-3000:]}")
    return json.loads(out.stdout.strip().splitlines()[-1])


def _quantiles(values: list[float]) -> tuple[float, float, float]:
    if len(values) < 2:
        v = values[0] * 1000 if values else float("nan")
        return v, v, v
    q = statistics.quantiles([v * 1000 for v in values], n=100)
    return q[49], q[94], q[98]


def main(argv: list[str]) -> None:
    parser = argparse.ArgumentParser(prog="bench/run.py load")
    parser.add_argument("--annotators", type=int, default=50)
    parser.add_argument("--seconds", type=float, default=60)
    parser.add_argument("--sentences", type=int, default=2000)
    parser.add_argument("--web-workers", type=int, default=4)
    parser.add_argument("--setup-child", action="store_true", help=argparse.SUPPRESS)
    parser.add_argument("--verify-child", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.setup_child:
        print(json.dumps(setup_child(args.annotators, args.sentences)))
        return
    if args.verify_child:
        print(json.dumps(verify_child(args.verify_child)))
        return

    url = fresh_database(DB_NAME)
    import redis

    redis.Redis.from_url(REDIS_URL).flushdb()
    env = {**os.environ, "DATABASE_URL": url, "DJANGO_SETTINGS_MODULE": "annotator.settings.development",
           "DEBUG": "false", "ALLOWED_HOSTS": "127.0.0.1", "LOG_LEVEL": "WARNING", "CELERY_BROKER_URL": REDIS_URL,
           "CELERY_RESULT_BACKEND": REDIS_URL, "CACHE_URL": REDIS_URL, "MEDIA_ROOT": tempfile.mkdtemp()}
    setup = _child(env, "--setup-child", f"--annotators={args.annotators}", f"--sentences={args.sentences}")
    port = _free_port()
    server = subprocess.Popen(
        [str(Path(sys.executable).with_name("gunicorn")), "annotator.wsgi", "--bind", f"127.0.0.1:{port}",
         "--workers", str(args.web_workers), "--log-level", "warning", "--timeout", "60"], cwd=ROOT, env=env)
    worker = subprocess.Popen(
        [sys.executable, "-m", "celery", "-A", "annotator", "worker", "--loglevel=WARNING", "--concurrency=1",
         "--without-gossip", "--without-mingle", "-n", f"load-{os.getpid()}@%h"],
        cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True)
    try:
        _wait_port(port, server, "gunicorn")
        people = setup["people"]
        groups = [people[i::CLIENT_PROCESSES] for i in range(CLIENT_PROCESSES)]
        print(f"{len(people)} annotators ({CLIENT_PROCESSES} client processes) for {args.seconds:.0f} s against "
              f"gunicorn ({args.web_workers} workers) + PostgreSQL + Redis + 1 Celery worker on 127.0.0.1; "
              f"{setup['sentences']} sentences, overlap 2")
        start_at = time.time() + 5  # the clients warm up first
        began = time.monotonic()
        with multiprocessing.get_context("spawn").Pool(CLIENT_PROCESSES) as pool:
            parts = pool.map(client_process, [(port, setup["project"], setup["schema"], g, start_at, args.seconds)
                                              for g in groups if g])
        elapsed = time.monotonic() - began - 5
    finally:
        server.terminate()
        server.wait(30)
        os.killpg(worker.pid, 15)
        worker.wait(30)

    results = {k: v for part in parts for k, v in part.items()}
    timings: dict[str, list[float]] = defaultdict(list)
    statuses: Counter[str] = Counter()
    acks: list = []
    for r in results.values():
        for name, values in r["timings"].items():
            timings[name] += values
        statuses.update(r["statuses"])
        acks += r["acks"]
    total = sum(len(v) for v in timings.values())
    print(f"{total:,} requests in {elapsed:.0f} s ({total / elapsed:,.0f} req/s); answers: "
          + ", ".join(f"{k}: {v:,}" for k, v in sorted(statuses.items())))
    for name in ("GET next", "PUT draft", "PUT submitted"):
        p50, p95, p99 = _quantiles(timings.get(name, []))
        print(f"  {name:<14} {len(timings.get(name, [])):>7,} requests   p50 {p50:7.1f} ms   p95 {p95:7.1f} ms   "
              f"p99 {p99:7.1f} ms")
    errors = sum(v for k, v in statuses.items() if k.rsplit(" ", 1)[1].startswith("5"))
    with tempfile.NamedTemporaryFile("w", suffix=".json", delete=False) as handle:
        json.dump(acks, handle)
    check = _child(env, f"--verify-child={handle.name}")
    os.unlink(handle.name)
    print(f"acknowledged saves: {check['acknowledged']:,}; found in the database with the acknowledged version "
          f"and status: {check['found']:,}; annotations whose stored version is the last acknowledged: "
          f"{check['annotations'] - len(check['stale']):,} of {check['annotations']:,}")
    print(f"5xx answers: {errors} (required: 0)  lost saves: {check['acknowledged'] - check['found']} (required: 0)")
    if errors or check["missing"] or check["stale"]:
        raise SystemExit(f"FAILED: {errors} 5xx; missing {check['missing']}; stale {check['stale']}")
    print("OK")
