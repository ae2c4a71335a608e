"""Aggregation into candidate gold: majority vote and Dawid–Skene, 100,000 sentences × 3 annotators.

``python bench/run.py aggregation [--sentences N] [--seed S]``

Times the pure :func:`annotator.gold.aggregation.aggregate_gold` (plus iterating every
candidate and building the adjudication queue) on generated data: the demo schema (one stance
target, 33 ACE event types of which 8 occur, 10 entity types), three annotators of different reliability, each
sentence with stance, 0-2 events with arguments and 0-4 entity spans, some near-misses.
Target (issue 5): ≤ 30 s each.
"""

from __future__ import annotations

import argparse
import gc
import json
import random
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
TARGET_SECONDS = 30.0
ANNOTATORS = ("ana", "ben", "chloe")
ACCURACY = {"ana": 0.9, "ben": 0.8, "chloe": 0.65}


def _schema() -> dict[str, Any]:
    return json.loads((ROOT / "fixtures" / "demo" / "schema.json").read_text("utf-8"))


def _truth(rng: random.Random, schema: dict[str, Any]) -> dict[str, Any]:
    """One sentence's true labels on a 40-token sentence (tokens are 6 code points apart)."""
    entity_types = [t["name"] for t in schema["entity_types"]]
    # real news data marks a handful of the 33 ACE types; the rest are never observed
    events = schema["event_types"][:8]
    starts = sorted(rng.sample(range(0, 36), rng.randint(0, 4)))
    entities, used = [], -1
    for s in starts:
        if s <= used:
            continue
        length = rng.randint(1, 2)
        entities.append({"start": s * 6, "end": (s + length) * 6 - 1, "label": rng.choice(entity_types)})
        used = s + length
    evs = []
    for _ in range(rng.choice((0, 0, 0, 1, 1, 2))):
        et = rng.choice(events)
        trig = rng.randint(0, 39)
        args = [{"role": role, "start": a * 6, "end": a * 6 + 5} for role, a in
                zip(rng.sample(et["roles"], min(2, len(et["roles"]))), rng.sample(range(40), 2), strict=False)]
        evs.append({"type": et["name"], "trigger": {"start": trig * 6, "end": trig * 6 + 5}, "arguments": args})
    target = schema["stance"]["targets"][0]
    stance = [{"target": target, "label": rng.choice(schema["stance"]["labels"])}]
    return {"entities": entities, "stance": stance, "events": evs}


def _noisy(rng: random.Random, truth: dict[str, Any], accuracy: float, schema: dict[str, Any]) -> dict[str, Any]:
    """An annotator's version: each decision right with probability ``accuracy``."""
    labels = schema["stance"]["labels"]
    ents = []
    for e in truth["entities"]:
        r = rng.random()
        if r < accuracy:
            ents.append(dict(e))
        elif r < accuracy + (1 - accuracy) / 2:  # near-miss: boundary one token shorter or longer
            ents.append({**e, "end": e["end"] + 6 if e["end"] < 234 else e["end"]})
    stance = [
        {"target": s["target"], "label": s["label"] if rng.random() < accuracy else rng.choice(labels)}
        for s in truth["stance"]
    ]
    events = [ev for ev in truth["events"] if rng.random() < accuracy]
    return {"entities": ents, "stance": stance, "events": events}


def generate(n: int, seed: int = 7) -> Iterator[dict[str, Any]]:
    """``n`` SentenceAnnotations items, deterministic for a seed."""
    rng = random.Random(seed)
    schema = _schema()
    annotation_id = 0
    for i in range(n):
        truth = _truth(rng, schema)
        anns = []
        for name in ANNOTATORS:
            annotation_id += 1
            anns.append({"id": annotation_id, "annotator": name, **_noisy(rng, truth, ACCURACY[name], schema)})
        yield {"sentence_id": i + 1, "annotations": anns}


def time_pure(items: list[dict[str, Any]], method: str) -> tuple[float, float, int, int]:
    """(wall s, CPU s, accepted, queue) of aggregating and reading every candidate."""
    from annotator.gold.aggregation import aggregate_gold

    cpu = time.process_time()
    started = time.perf_counter()
    result = aggregate_gold(items, schema=_schema(), method=method)  # type: ignore[arg-type]
    accepted = sum(1 for c in result.candidates() if not c["needs_adjudication"])
    queue = len(result.adjudication_queue())
    return time.perf_counter() - started, time.process_time() - cpu, accepted, queue


def main(argv: list[str]) -> None:
    parser = argparse.ArgumentParser(prog="bench/run.py aggregation")
    parser.add_argument("--sentences", type=int, default=100_000)
    parser.add_argument("--seed", type=int, default=7)
    args = parser.parse_args(argv)

    started = time.perf_counter()
    items = list(generate(args.sentences, args.seed))
    gc.collect()
    gc.freeze()  # the generated input is long-lived: keep the collector from rescanning it
    print(f"generated {len(items):,} sentences × {len(ANNOTATORS)} annotators in {time.perf_counter() - started:.1f} s")
    for method in ("majority", "dawid-skene"):
        seconds, cpu, accepted, queue = time_pure(items, method)
        verdict = "OK" if seconds <= TARGET_SECONDS else "TOO SLOW"
        print(
            f"{method:<12} {seconds:6.2f} s wall, {cpu:5.2f} s CPU  ({len(items) / seconds:,.0f} sentences/s; "
            f"{accepted:,} accepted, {queue:,} to adjudicate)  target ≤ {TARGET_SECONDS:.0f} s: {verdict} "
            f"({seconds / TARGET_SECONDS:.2f}× the budget)"
        )
