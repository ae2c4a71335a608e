"""Annotation save benchmark over the full HTTP stack: gunicorn + PostgreSQL.

    python bench/run.py annotation-save [--clients 8] [--seconds 10] [--workers 4]

Eight client processes (one per annotator, keep-alive connections, token auth) first call
an authenticated no-op endpoint (``GET /api/me/``) and then save drafts of their sentence
(``PUT /api/sentences/{id}/annotation/``, each save naming the version it read) for the same
time. Prints p50/p95/p99, throughput, and save throughput as a share of the no-op's.
Targets (issue 3): save p95 <= 50 ms and throughput >= 40% of the no-op.
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
import time
from pathlib import Path

from bench.common import ROOT, django_setup, fresh_database

SENTENCES_EACH = 20
TEXT = (
    "MOSCOW (AP) — Russian lawmakers on Thursday ratified a pact with North Korea envisioning mutual "
    "military assistance, a move that comes as the U.S. confirmed the deployment of 3,000 North Korean troops to Russia."
)


def setup(clients: int) -> list[dict]:
    """Create the project, annotators, tokens and one assigned sentence each (child process)."""
    django_setup()
    from django.core.management import call_command
    from rest_framework.authtoken.models import Token

    from annotator.annotations.assignment import assignment_create
    from annotator.documents.models import Sentence
    from annotator.documents.parsing import ArticleIn
    from annotator.documents.services import articles_store
    from annotator.projects.demo import DEMO_DIR
    from annotator.projects.services import membership_set, project_create, user_ensure

    call_command("migrate", verbosity=0)
    call_command("collectstatic", interactive=False, verbosity=0)  # served as in production
    schema = json.loads((DEMO_DIR / "schema.json").read_text("utf-8"))
    project = project_create(slug="bench", label_schema=schema, overlap=1)
    articles_store(
        project=project,
        articles=[ArticleIn(title=f"A{i}", text=f"Report {i}: {TEXT}") for i in range(clients * SENTENCES_EACH)],
    )
    sentences = list(Sentence.objects.filter(project=project).order_by("id"))
    people = []
    for n in range(clients):
        user = user_ensure(username=f"annotator{n}")
        membership_set(project=project, user=user, role="annotator")
        mine = sentences[n * SENTENCES_EACH : (n + 1) * SENTENCES_EACH]
        for sentence in mine:
            assignment_create(project=project, sentence=sentence, annotator=user)
        people.append({
            "token": Token.objects.create(user=user).key,
            "sentences": [{"id": s.id, "text": s.text} for s in mine],
        })
    return people


def body(text: str, version: int) -> bytes:
    start = text.index("Russian")
    return json.dumps({
        "entities": [{"start": 0, "end": 6, "label": "GPE"}, {"start": start, "end": start + 7, "label": "NORP"}],
        "stance": [{"target": "the Russia–North Korea mutual defence pact", "label": "neutral"}],
        "events": [],
        "status": "draft",
        "version": version,
        "seconds": 3,
    }).encode()


def client(args: tuple) -> list[float]:
    port, person, mode, seconds, start_at = args
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    headers = {"Authorization": f"Token {person['token']}", "Content-Type": "application/json"}
    latencies: list[float] = []
    versions = [0] * len(person["sentences"])
    turn = 0
    while time.time() < start_at:
        time.sleep(0.001)
    deadline = start_at + seconds
    while time.time() < deadline:
        began = time.perf_counter()
        if mode == "noop":
            conn.request("GET", "/api/me/", headers=headers)
        else:
            # An annotator's autosaves move through their sentences, as in a working day,
            # rather than rewriting one row hundreds of times a second.
            turn = (turn + 1) % len(versions)
            item = person["sentences"][turn]
            conn.request("PUT", f"/api/sentences/{item['id']}/annotation/", body=body(item["text"], versions[turn]), headers=headers)
        response = conn.getresponse()
        payload = response.read()
        latencies.append(time.perf_counter() - began)
        if response.status != 200:
            raise SystemExit(f"{mode}: HTTP {response.status}: {payload[:300]!r}")
        if mode == "save":
            versions[turn] = json.loads(payload)["version"]
    return latencies


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def run_phase(port: int, people: list[dict], mode: str, seconds: float) -> list[list[float]]:
    start_at = time.time() + 1.0
    with multiprocessing.get_context("spawn").Pool(len(people)) as pool:
        return pool.map(client, [(port, p, mode, seconds, start_at) for p in people])


def summary(name: str, per_client: list[list[float]], seconds: float) -> float:
    all_ms = sorted(x * 1000 for c in per_client for x in c)
    q = statistics.quantiles(all_ms, n=100)
    rate = len(all_ms) / seconds
    print(f"{name:<28} {len(all_ms):>7,} requests  {rate:>8,.0f} req/s   p50 {q[49]:6.1f} ms  p95 {q[94]:6.1f} ms  p99 {q[98]:6.1f} ms")
    return rate


def main(argv: list[str]) -> None:
    parser = argparse.ArgumentParser(prog="bench/run.py annotation-save")
    parser.add_argument("--clients", type=int, default=8)
    parser.add_argument("--seconds", type=float, default=10)
    parser.add_argument("--workers", type=int, default=4, help="gunicorn worker processes")
    parser.add_argument("--setup-child", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.setup_child:
        print(json.dumps(setup(args.clients)))
        return

    url = fresh_database("accord_bench_save")
    env = {**os.environ, "DATABASE_URL": url, "DJANGO_SETTINGS_MODULE": "annotator.settings.development",
           "DEBUG": "false", "ALLOWED_HOSTS": "127.0.0.1", "LOG_LEVEL": "WARNING"}
    out = subprocess.run([sys.executable, "bench/run.py", "annotation-save", "--setup-child", f"--clients={args.clients}"],
                         cwd=ROOT, env=env, capture_output=True, text=True, check=True)
    people = json.loads(out.stdout.strip().splitlines()[-1])
    port = free_port()
    server = subprocess.Popen(
        [str(Path(sys.executable).with_name("gunicorn")), "annotator.wsgi", "--bind", f"127.0.0.1:{port}",
         "--workers", str(args.workers), "--log-level", "warning"],
        cwd=ROOT, env=env,
    )
    try:
        deadline = time.time() + 60
        while True:
            try:
                socket.create_connection(("127.0.0.1", port), 0.5).close()
                break
            except OSError:
                if time.time() > deadline or server.poll() is not None:
                    raise SystemExit("gunicorn did not start") from None
                time.sleep(0.2)
        print(f"gunicorn ({args.workers} workers) + PostgreSQL, {args.clients} concurrent clients, {args.seconds:.0f} s per phase")
        run_phase(port, people, "noop", 2)  # warm connections and workers
        noop = summary("no-op GET /api/me/", run_phase(port, people, "noop", args.seconds), args.seconds)
        latencies = run_phase(port, people, "save", args.seconds)
        save = summary("PUT annotation (save)", latencies, args.seconds)
        p95 = statistics.quantiles([x * 1000 for c in latencies for x in c], n=100)[94]
        print(f"save p95 {p95:.1f} ms (target <= 50 ms: {'OK' if p95 <= 50 else 'MISSED'}); "
              f"save / no-op throughput {save / noop:.0%} (target >= 40%: {'OK' if save / noop >= 0.4 else 'MISSED'})")
    finally:
        server.terminate()
        server.wait(20)
