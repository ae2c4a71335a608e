"""Export formats and gold aggregation at scale: ``python bench/run.py export-formats``.

Prints: JSONL throughput (sentences/s) for 10k and 100k synthetic sentences; wall time and peak
RSS of writing ALL formats for 10k and 100k, each size in a fresh child process so the RSS
figures are separate, and their growth ratio (streaming → close to 1); time of majority vote +
Dawid–Skene on 100k sentences × 3 annotators (matrices only, and the full ``aggregate_gold``
with span voting). Options: ``--sizes 10000,100000``, ``--child N`` (internal).
"""

from __future__ import annotations

import json
import random
import resource
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

SCHEMA: dict[str, Any] = {
    "entity_types": [{"name": n} for n in ("GPE", "ORG", "PER")],
    "allow_overlapping_entities": True,
    "stance": {
        "targets": ["pact", "sanctions"],
        "labels": ["favor", "against", "neutral", "none"],
    },
    "event_types": [
        {"name": "Movement:Transport", "roles": ["Agent", "Artifact"]},
        {"name": "Conflict:Attack", "roles": ["Attacker", "Target"]},
    ],
}
WORDS = [
    "Russia",
    "sent",
    "troops",
    "to",
    "Pyongyang",
    "Seoul",
    "says",
    "the",
    "pact",
    "worries",
    "officials",
    "in",
    "Vladivostok",
    "on",
    "Tuesday",
    "🚀",
    "Kim",
    "met",
]
SENTS_PER_DOC = 20


def synthetic_records(n: int, seed: int = 0) -> Iterator[dict[str, Any]]:
    """``n`` seeded gold records in document order, generated lazily."""
    from annotator.exports.splits import assign_split

    rng = random.Random(seed)
    doc_pos = 0
    for i in range(n):
        doc_id, index = i // SENTS_PER_DOC + 1, i % SENTS_PER_DOC
        if index == 0:
            doc_pos = 0
        words = [rng.choice(WORDS) for _ in range(rng.randint(8, 30))]
        text = " ".join(words) + "."
        tokens, pos = [], 0
        for w in words:
            tokens.append([pos, pos + len(w)])
            pos += len(w) + 1
        tokens.append([pos - 1, pos])
        ents = []
        for _ in range(rng.randint(0, 3)):
            a = rng.randrange(len(words))
            b = min(len(words), a + rng.randint(1, 3))
            ents.append(
                {
                    "start": tokens[a][0],
                    "end": tokens[b - 1][1],
                    "label": rng.choice(["GPE", "ORG", "PER"]),
                }
            )
        events = []
        if rng.random() < 0.3:
            t, a = rng.randrange(len(words)), rng.randrange(len(words))
            events.append(
                {
                    "type": "Movement:Transport",
                    "trigger": {"start": tokens[t][0], "end": tokens[t][1]},
                    "arguments": [
                        {"role": "Artifact", "start": tokens[a][0], "end": tokens[a][1]}
                    ],
                }
            )
        yield {
            "document": {
                "id": doc_id,
                "title": f"Doc {doc_id}",
                "source": "bench",
                "split": assign_split(doc_id, seed=seed),
            },
            "sentence": {
                "id": i + 1,
                "index": index,
                "start": doc_pos,
                "end": doc_pos + len(text),
                "text": text,
                "tokens": tokens,
            },
            "gold": {
                "entities": ents,
                "events": events,
                "stance": [
                    {"target": "pact", "label": rng.choice(SCHEMA["stance"]["labels"])}
                ],
            },
            "provenance": {"source": "majority", "confidence": 1.0},
        }
        doc_pos += len(text) + 1


def _child(n: int) -> None:
    """Write all formats for ``n`` sentences; print one JSON line with time and peak RSS."""
    from annotator.exports.formats import FORMATS, write_formats

    with tempfile.TemporaryDirectory() as tmp:
        t0 = time.perf_counter()
        stats = write_formats(
            synthetic_records(n), {f: Path(tmp) / f for f in FORMATS}, schema=SCHEMA
        )
        seconds = time.perf_counter() - t0
    rss_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # Linux: KiB
    print(
        json.dumps(
            {
                "n": n,
                "seconds": seconds,
                "peak_rss_mb": rss_mb,
                "sentences": stats["jsonl"].counts["sentences"],
            }
        )
    )


def _annotations(n: int, seed: int = 0) -> Iterator[dict[str, Any]]:
    """``n`` sentences × 3 annotators of varying reliability (stance, events, entities)."""
    rng = random.Random(seed)
    labels = SCHEMA["stance"]["labels"]
    acc = [0.9, 0.75, 0.6]
    for i in range(n):
        truth = {t: rng.choice(labels) for t in ("pact", "sanctions")}
        has_event = rng.random() < 0.3
        anns = []
        for j, a in enumerate(acc):
            stance = [
                {"target": t, "label": lab if rng.random() < a else rng.choice(labels)}
                for t, lab in truth.items()
            ]
            ev = has_event if rng.random() < a else not has_event
            anns.append(
                {
                    "annotator": f"a{j}",
                    "entities": [
                        {
                            "start": 0,
                            "end": 6 if rng.random() < a else 7,
                            "label": "GPE",
                        }
                    ],
                    "stance": stance,
                    "events": [
                        {
                            "type": "Conflict:Attack",
                            "trigger": {"start": 8, "end": 12},
                            "arguments": [],
                        }
                    ]
                    if ev
                    else [],
                }
            )
        yield {"sentence_id": i + 1, "annotations": anns}


def main(argv: list[str]) -> None:
    if argv[:1] == ["--child"]:
        _child(int(argv[1]))
        return
    sizes = [10_000, 100_000]
    if argv[:1] == ["--sizes"]:
        sizes = [int(s) for s in argv[1].split(",")]

    from annotator.exports.formats.jsonl import write_jsonl

    print("== JSONL throughput (in process)")
    for n in sizes:
        with tempfile.TemporaryDirectory() as tmp:
            t0 = time.perf_counter()
            write_jsonl(synthetic_records(n), tmp, schema=SCHEMA)  # type: ignore[arg-type]
            dt = time.perf_counter() - t0
        print(
            f"jsonl  n={n:>7}  {dt:6.2f} s  {n / dt:>9,.0f} sentences/s (incl. generation)"
        )

    print(
        "== all formats (jsonl conll spacy hf brat stance-csv oneie), one child per size"
    )
    results = []
    for n in sizes:
        out = subprocess.run(
            [
                sys.executable,
                str(ROOT / "bench" / "run.py"),
                "export-formats",
                "--child",
                str(n),
            ],
            cwd=ROOT,
            check=True,
            capture_output=True,
            text=True,
        )
        r = json.loads(out.stdout.strip().splitlines()[-1])
        results.append(r)
        print(
            f"all    n={n:>7}  {r['seconds']:6.2f} s  {n / r['seconds']:>9,.0f} sentences/s  "
            f"peak RSS {r['peak_rss_mb']:7.1f} MB"
        )
    if len(results) >= 2:
        ratio = results[-1]["peak_rss_mb"] / results[0]["peak_rss_mb"]
        size_ratio = results[-1]["n"] / results[0]["n"]
        print(
            f"peak RSS growth {results[-1]['n']}/{results[0]['n']}: {ratio:.2f}x "
            f"for {size_ratio:.0f}x the sentences"
        )

    import numpy as np

    from annotator.gold.aggregation import aggregate_gold, dawid_skene, majority_vote

    print("== aggregation, 100,000 sentences x 3 annotators")
    rng = np.random.default_rng(0)
    items, k = 100_000, 4
    truth = rng.integers(0, k, items)
    acc = np.array([0.9, 0.75, 0.6])
    labels = np.where(
        rng.random((items, 3)) < acc, truth[:, None], rng.integers(0, k, (items, 3))
    )
    t0 = time.perf_counter()
    mv = majority_vote(labels, k)
    t1 = time.perf_counter()
    ds = dawid_skene(labels, k)
    t2 = time.perf_counter()
    print(
        f"majority (1 target, K=4)     {t1 - t0:6.3f} s  accuracy {(mv.label == truth).mean():.3f}"
    )
    print(
        f"dawid-skene (1 target, K=4)  {t2 - t1:6.3f} s  accuracy {(ds.label == truth).mean():.3f}"
        f"  iterations {ds.iterations}"
    )
    for method in ("majority", "dawid-skene"):
        t0 = time.perf_counter()
        result = aggregate_gold(_annotations(items), schema=SCHEMA, method=method)  # type: ignore[arg-type]
        t1 = time.perf_counter()
        queue = result.adjudication_queue()
        t2 = time.perf_counter()
        print(
            f"aggregate_gold {method:<12} {t1 - t0:6.2f} s (2 targets, 2 event types, spans; "
            f"incl. generating input) + candidates/queue {t2 - t1:5.2f} s; "
            f"{len(queue)} sentences to adjudicate"
        )


if __name__ == "__main__":
    main(sys.argv[1:])
