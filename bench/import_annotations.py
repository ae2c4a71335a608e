"""Annotation import benchmark: a Label Studio export of N sentences × 3 annotators through
the same code path as ``manage.py import_annotations``, on PostgreSQL, beside the plain
article import of the same texts in the same run.

    python bench/run.py import-annotations [--sentences 2000] [--annotators 3] [--seed 7]

Each sentence is a task (20 to a document, by ``document_id``) with one annotation per
annotator: about one span per entity and one stance choice, with seeded disagreement.
Both imports run warm, each the best of ``--repeats`` into a fresh project; the annotation
import's time includes reading, segmenting, placing and writing documents, users,
annotations, revisions and done assignments (agreement-ready).
Target (issue 16): <= 5 s for 2,000 sentences × 3 annotators (about 6,000 results).
"""

from __future__ import annotations

import argparse
import json
import random
import tempfile
import time
from pathlib import Path

from bench.common import django_setup, fresh_database, peak_rss_mb, run_child
from bench.import_articles import DAYS, GROUPS, PEOPLE, PLACES, VERBS

TEMPLATES = [
    ("{p} {v} {g} in {pl} on {day}, officials said.", ("p", "g", "pl", "day")),
    ("Observers in {pl} said {g} could share technology with {pl2}.", ("pl", "g", "pl2")),
    ("{p} arrived in {pl} aboard a special train, according to state media.", ("p", "pl")),
    ("Asked whether {g} would respond, {p} declined to comment.", ("g", "p")),
]
KIND = {"p": "PER", "g": "ORG", "pl": "GPE", "pl2": "GPE", "day": "DATE"}
STANCES = ["favor", "against", "neutral", "none"]
SCHEMA = {
    "entity_types": [{"name": n} for n in ("PER", "ORG", "GPE", "DATE")],
    "stance": {"targets": ["the pact"], "labels": STANCES},
}


def export(rng: random.Random, sentences: int, annotators: int) -> tuple[list[dict], list[dict]]:
    """(Label Studio tasks, the same texts as articles: one per document)."""
    tasks, documents = [], {}
    for n in range(sentences):
        template, slots = rng.choice(TEMPLATES)
        values = {"p": rng.choice(PEOPLE), "v": rng.choice(VERBS), "g": rng.choice(GROUPS), "pl": rng.choice(PLACES),
                  "pl2": rng.choice(PLACES), "day": rng.choice(DAYS)}
        text = template.format(**values)
        spans, pos = [], 0
        for slot in sorted(slots, key=lambda s: template.index("{" + s + "}")):
            start = text.index(values[slot], pos)
            spans.append((start, start + len(values[slot]), KIND[slot]))
            pos = start + len(values[slot])
        gold_stance = rng.choice(STANCES)
        annotations = []
        for a in range(annotators):
            result = [
                {"type": "labels", "from_name": "label", "to_name": "text",
                 "value": {"start": s, "end": e, "text": text[s:e], "labels": [label if rng.random() > 0.05 else "ORG"]}}
                for s, e, label in spans if rng.random() > 0.1
            ]
            stance = gold_stance if rng.random() > 0.1 else rng.choice(STANCES)
            result.append({"type": "choices", "from_name": "stance", "to_name": "text", "value": {"choices": [stance]}})
            annotations.append({"completed_by": a + 1, "was_cancelled": False, "lead_time": 10.0, "result": result})
        doc = f"doc-{n // 20}"
        tasks.append({"id": n + 1, "data": {"text": text, "document_id": doc}, "annotations": annotations})
        documents.setdefault(doc, []).append(text)
    articles = [{"title": doc, "text": "\n".join(texts)} for doc, texts in documents.items()]
    return tasks, articles


def child(args: argparse.Namespace) -> None:
    django_setup()
    from django.core.management import call_command

    from annotator.agreement.services import agreement_compute
    from annotator.annotations.models import Annotation
    from annotator.documents.segment import get_pipeline
    from annotator.projects.models import Project
    from annotator.projects.services import project_create

    call_command("migrate", verbosity=0)
    tasks, articles = export(random.Random(args.seed), args.sentences, args.annotators)
    results = sum(len(a["result"]) for t in tasks for a in t["annotations"])
    null = open("/dev/null", "w")  # noqa: SIM115
    with tempfile.TemporaryDirectory() as tmp:
        ls_path, articles_path = Path(tmp) / "export.json", Path(tmp) / "articles.jsonl"
        ls_path.write_text(json.dumps(tasks, ensure_ascii=False), "utf-8")
        articles_path.write_text("\n".join(json.dumps(a, ensure_ascii=False) for a in articles), "utf-8")
        list(get_pipeline().pipe([a["text"] for a in articles]))  # warm spaCy's vocabulary
        article_runs, import_runs = [], []
        for repeat in range(args.repeats):
            plain = project_create(slug=f"bench-articles-{repeat}", label_schema=SCHEMA)
            started = time.perf_counter()
            call_command("import_articles", plain.slug, str(articles_path), stdout=null)
            article_runs.append(time.perf_counter() - started)
            project = project_create(slug=f"bench-annotations-{repeat}", label_schema=SCHEMA, overlap=args.annotators)
            started = time.perf_counter()
            call_command("import_annotations", project.slug, str(ls_path), "--from", "labelstudio", stdout=null, stderr=null)
            import_runs.append(time.perf_counter() - started)
        project = Project.objects.get(slug=f"bench-annotations-{args.repeats - 1}")
        started = time.perf_counter()
        report = agreement_compute(project=project)
        agreement_seconds = time.perf_counter() - started
    best, plain_best = min(import_runs), min(article_runs)
    annotations = Annotation.objects.filter(project=project).count()
    print(f"sentences × annotators     {args.sentences:>8,} × {args.annotators}   ({results:,} Label Studio results, {len(articles)} documents)")
    print(f"annotations imported       {annotations:>10,}")
    print(f"annotation import          {best:>10.2f} s   (best of {args.repeats}: {', '.join(f'{t:.2f}' for t in import_runs)})   target <= 5 s  {'OK' if best <= 5 else 'MISSED'}")
    print(f"plain article import       {plain_best:>10.2f} s   (best of {args.repeats}: {', '.join(f'{t:.2f}' for t in article_runs)}), same texts")
    print(f"annotations / articles     {best / plain_best:>10.1f} x")
    print(f"agreement report after it  {agreement_seconds:>10.2f} s   (entities exact F1 {report.report['entities']['exact']['f1']})")
    print(f"peak RSS                   {peak_rss_mb():>10.0f} MB")


def main(argv: list[str]) -> None:
    parser = argparse.ArgumentParser(prog="bench/run.py import-annotations")
    parser.add_argument("--sentences", type=int, default=2000)
    parser.add_argument("--annotators", type=int, default=3)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument("--child", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.child:
        child(args)
        return
    url = fresh_database("accord_bench_import_annotations")
    print(f"annotation import benchmark on PostgreSQL ({url}), seed {args.seed}")
    raise SystemExit(run_child(
        ["import-annotations", "--child", f"--sentences={args.sentences}", f"--annotators={args.annotators}",
         f"--seed={args.seed}", f"--repeats={args.repeats}"], url,
    ))
