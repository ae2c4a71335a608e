"""Train/dev/test assignment by document, stable across re-exports (pure, no Django).

A document's split depends only on ``(seed, document key)`` and the ratios:
``sha256(f"{seed}:{key}")`` → a number in [0, 1) → the split whose cumulative ratio
interval holds it. Adding or removing other documents never moves a document; changing the seed
or the ratios does. All sentences of a document share its split, so no document is in two
splits.

The key is :func:`document_key`: the article's own id from the import, else its URL, else the
hash of its text. It never involves a database id, so the same corpus imported into two projects
(or two installations) gets the same splits with the same seed.
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


def document_key(*, external_id: str = "", url: str = "", content_hash: str = "") -> str:
    """A document's stable key: ``id:<external id>``, else ``url:<url>``, else
    ``sha256:<content hash>`` (the hash of the text with whitespace runs collapsed, see
    :func:`annotator.documents.parsing.content_hash`). The prefix keeps an id from ever
    colliding with a URL or a hash."""
    if external_id:
        return f"id:{external_id}"
    if url:
        return f"url:{url}"
    if content_hash:
        return f"sha256:{content_hash}"
    raise ValueError("a document key needs an external id, a URL or a content hash")


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
