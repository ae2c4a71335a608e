"""Train/dev/test assignment by document, stable across re-exports (pure, no Django).

A document's split depends only on ``(seed, document id)`` and the ratios:
``sha256(f"{seed}:{document_id}")`` → a number in [0, 1) → the split whose cumulative ratio
interval holds it. Adding or removing other documents never moves a document; changing the seed
or the ratios does. All sentences of a document share its split, so no document is in two
splits.
"""

from __future__ import annotations

import csv
import hashlib
from collections.abc import Iterable, Sequence
from pathlib import Path

DEFAULT_RATIOS: tuple[tuple[str, float], ...] = (
    ("train", 0.8),
    ("dev", 0.1),
    ("test", 0.1),
)
SPLITS_CSV = "splits.csv"


def split_bucket(document_id: object, *, seed: int | str = 0) -> float:
    """A uniform, stable number in [0, 1) for ``(seed, document_id)``."""
    digest = hashlib.sha256(f"{seed}:{document_id}".encode()).digest()
    return int.from_bytes(digest[:8], "big") / 2**64


def assign_split(
    document_id: object,
    *,
    seed: int | str = 0,
    ratios: Sequence[tuple[str, float]] = DEFAULT_RATIOS,
) -> str:
    """The split of a document. ``ratios`` are ``(name, weight)`` pairs in order; weights
    are normalised, so ``(("train", 8), ("dev", 1), ("test", 1))`` works too."""
    total = float(sum(w for _, w in ratios))
    if not ratios or total <= 0 or any(w < 0 for _, w in ratios):
        raise ValueError("ratios must be non-negative with a positive sum")
    x = split_bucket(document_id, seed=seed) * total
    acc = 0.0
    for name, weight in ratios:
        acc += weight
        if x < acc:
            return name
    return ratios[-1][0]  # float rounding at the top end


def write_splits_csv(
    documents: Iterable[tuple[object, str, str]], path: str | Path
) -> int:
    """Write ``document_id,title,split`` rows (header included) to ``path``; returns the row
    count. ``documents`` yields ``(document_id, title, split)`` in the order to write."""
    n = 0
    with open(path, "w", encoding="utf-8", newline="") as fh:
        writer = csv.writer(fh, lineterminator="\n")
        writer.writerow(("document_id", "title", "split"))
        for document_id, title, split in documents:
            writer.writerow((document_id, title, split))
            n += 1
    return n
