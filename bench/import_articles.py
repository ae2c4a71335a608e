"""Import benchmark: N synthetic news articles through the same code path as
``manage.py import_articles``, on PostgreSQL.

    python bench/run.py import [--articles 2000] [--seed 7]

Prints sentences per second, peak RSS, and the ratio of our import time to spaCy's own
bare segmentation (``nlp.pipe`` + ``doc.sents``) of the same texts, measured in the same run
(both warm, each the best of five, alternating).
Targets (issue 2): >= 2,000 sentences/s, peak RSS < 500 MB, ratio <= 2.0.
"""

from __future__ import annotations

import argparse
import json
import random
import tempfile
import time
from pathlib import Path

from bench.common import django_setup, fresh_database, peak_rss_mb, run_child

PEOPLE = ["Vladimir Putin", "Kim Jong Un", "Antony Blinken", "Yoon Suk Yeol", "Olaf Scholz", "Emmanuel Macron"]
PLACES = ["Moscow", "Pyongyang", "Seoul", "Kyiv", "Washington", "Kazan", "Tokyo", "Beijing"]
GROUPS = ["the State Duma", "NATO", "the U.N. Security Council", "the Pentagon", "the European Union"]
VERBS = ["met", "criticised", "praised", "warned", "called", "visited"]
TEMPLATES = [
    "{p} {v} {g} in {pl} on {day}, officials said.",
    "The U.S. said {n:,} troops had been deployed to {pl}, calling the move “very serious.”",
    "“We have never doubted {g},” {p} said — a remark that drew attention in {pl}.",
    "Observers in {pl} said {g} could share technology with {pl2} within {n} months.",
    "{p} arrived in {pl} aboard a special train, according to state media.",
    "Asked whether {g} would respond, {p} declined to comment.",
    "Dr. Lee, an analyst at a think tank in {pl}, said the pact was unprecedented.",
]
DAYS = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday"]


def article(rng: random.Random, number: int) -> dict[str, str]:
    paragraphs = []
    for _ in range(rng.randint(4, 7)):
        sentences = [
            rng.choice(TEMPLATES).format(
                p=rng.choice(PEOPLE), v=rng.choice(VERBS), g=rng.choice(GROUPS), pl=rng.choice(PLACES),
                pl2=rng.choice(PLACES), day=rng.choice(DAYS), n=rng.randint(2, 9000),
            )
            for _ in range(rng.randint(2, 5))
        ]
        paragraphs.append(" ".join(sentences))
    return {"title": f"Synthetic report {number}", "text": "\n\n".join(paragraphs), "source": "bench"}


def child(args: argparse.Namespace) -> None:
    django_setup()
    from django.core.management import call_command

    from annotator.documents.models import Sentence
    from annotator.documents.segment import get_pipeline
    from annotator.projects.services import project_create

    call_command("migrate", verbosity=0)
    rng = random.Random(args.seed)
    records = [article(rng, i) for i in range(args.articles)]
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "articles.jsonl"
        path.write_text("\n".join(json.dumps(r, ensure_ascii=False) for r in records), "utf-8")
        texts = [r["text"] for r in records]

        nlp = get_pipeline()
        # A first full pass fills spaCy's vocabulary, which is slower; both sides then run
        # warm, each its best of `--repeats` (each import goes into a fresh project).
        list(nlp.pipe(texts, batch_size=256))
        spacy_runs, ours_runs = [], []
        for repeat in range(args.repeats):
            started = time.perf_counter()
            spacy_sentences = sum(1 for doc in nlp.pipe(texts, batch_size=256) for _ in doc.sents)
            spacy_runs.append(time.perf_counter() - started)
            project = project_create(slug=f"bench-{repeat}", label_schema={"entity_types": []})
            started = time.perf_counter()
            call_command("import_articles", project.slug, str(path), stdout=open("/dev/null", "w"))  # noqa: SIM115
            ours_runs.append(time.perf_counter() - started)
        spacy_seconds, ours_seconds = min(spacy_runs), min(ours_runs)
    sentences = Sentence.objects.filter(project=project).count()
    rate = sentences / ours_seconds
    ratio = ours_seconds / spacy_seconds
    print(f"articles imported          {args.articles:>10,}")
    print(f"sentences imported         {sentences:>10,}   (spaCy bare: {spacy_sentences:,})")
    print(f"import time                {ours_seconds:>10.2f} s   (best of {args.repeats}: {', '.join(f'{t:.2f}' for t in ours_runs)})")
    print(f"spaCy bare segmentation    {spacy_seconds:>10.2f} s   (best of {args.repeats}: {', '.join(f'{t:.2f}' for t in spacy_runs)})")
    print(f"sentences per second       {rate:>10,.0f}   target >= 2,000  {'OK' if rate >= 2000 else 'MISSED'}")
    print(f"peak RSS                   {peak_rss_mb():>10.0f} MB  target < 500 MB  {'OK' if peak_rss_mb() < 500 else 'MISSED'}")
    print(f"ours / spaCy bare          {ratio:>10.2f} x  target <= 2.0  {'OK' if ratio <= 2.0 else 'MISSED'}")


def main(argv: list[str]) -> None:
    parser = argparse.ArgumentParser(prog="bench/run.py import")
    parser.add_argument("--articles", type=int, default=2000)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--repeats", type=int, default=5)
    parser.add_argument("--child", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.child:
        child(args)
        return
    url = fresh_database("accord_bench_import")
    print(f"import benchmark on PostgreSQL ({url}), {args.articles:,} articles, seed {args.seed}")
    raise SystemExit(run_child(
        ["import-articles", "--child", f"--articles={args.articles}", f"--seed={args.seed}", f"--repeats={args.repeats}"], url
    ))
