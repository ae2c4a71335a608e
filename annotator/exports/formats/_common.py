"""Helpers shared by the format writers: token alignment, overlap resolution, naming."""

from __future__ import annotations

import re
from bisect import bisect_left, bisect_right
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from annotator.exports.formats import ExportStats, FormatWriter, GoldRecord

SPLITS = ("train", "dev", "test")
# Hugging Face names the development split ``validation`` (its token-classification examples
# and ``Trainer`` scripts expect that key); every other format keeps ``dev`` (spaCy's
# ``paths.dev``, CoNLL's train/dev/test, OneIE's ``dev.oneie.json``, ``splits.csv``).
HF_SPLIT_NAMES = {"dev": "validation"}
HF_SPLITS = tuple(HF_SPLIT_NAMES.get(s, s) for s in SPLITS)


def hf_split(split: str) -> str:
    """The Hugging Face name of one of our splits (``dev`` → ``validation``)."""
    return HF_SPLIT_NAMES.get(split, split)


def run_writer(writer: FormatWriter, records: Iterable[GoldRecord]) -> ExportStats:
    """Feed every record to ``writer`` and close it (also on error, so files are flushed)."""
    try:
        for record in records:
            writer.add(record)
    finally:
        stats = writer.close()
    return stats


def record_split(record: GoldRecord, stats: ExportStats) -> str:
    """The record's split; missing or unknown splits go to ``train`` and are counted."""
    split = record["document"].get("split")
    if split in SPLITS:
        return str(split)
    stats.problem(
        "split_missing", sentence_id=record["sentence"]["id"], detail=f"split={split!r}"
    )
    return "train"


def span_cuts(record: GoldRecord) -> list[int]:
    """Sorted character positions where a gold span starts or ends: entities, event triggers
    and event arguments (spans with offsets that are not ints are ignored here; the writers
    count them as invalid)."""
    gold = record["gold"]
    cuts: set[int] = set()

    def add(item: object) -> None:
        if isinstance(item, dict):
            start, end = item.get("start"), item.get("end")
            if isinstance(start, int) and isinstance(end, int):
                cuts.update((start, end))

    for ent in gold.get("entities", []):
        add(ent)
    for event in gold.get("events", []):
        add(event.get("trigger"))
        for arg in event.get("arguments", []):
            add(arg)
    return sorted(cuts)


def exact_tokens(
    tokens: Iterable[list[int]],
    cuts: Sequence[int],
    stats: ExportStats,
) -> list[list[int]]:
    """``tokens`` with every token split where a cut falls strictly inside it.

    Why: a span boundary inside a token ("U.S." in the token "U.S.-led") cannot be written to a
    token format without widening the span ("U.S.-led" as GPE) or cutting the token. We cut it
    ("U.S.", "-led"), so every exported span's text equals its character slice. Each token so
    split is counted once as ``split_tokens``. ``cuts`` must be sorted; ``tokens`` are sorted,
    non-overlapping ``[start, end]`` pairs. Unsplit tokens are returned as given (not copied).
    """
    tokens = tokens if isinstance(tokens, list) else list(tokens)
    if not cuts:
        return tokens
    starts = [t[0] for t in tokens]
    inside: dict[int, list[int]] = {}  # token index -> cuts strictly inside it
    for cut in cuts:
        i = bisect_right(starts, cut) - 1
        if i >= 0 and starts[i] < cut < tokens[i][1]:
            inside.setdefault(i, []).append(cut)
    if not inside:
        return tokens  # the common case: spans begin and end on token boundaries
    # a count, not a problem example: the bounded examples are kept for real problems
    stats.counts["split_tokens"] += len(inside)
    out: list[list[int]] = []
    for i, token in enumerate(tokens):
        inner = inside.get(i)
        if inner is None:
            out.append(token)
            continue
        pos = token[0]
        for cut in inner:
            out.append([pos, cut])
            pos = cut
        out.append([pos, token[1]])
    return out


def record_tokens(record: GoldRecord, stats: ExportStats) -> list[list[int]]:
    """The tokens every token format writes for a record: its tokens, split at span
    boundaries (:func:`exact_tokens`)."""
    return exact_tokens(record["sentence"]["tokens"], span_cuts(record), stats)


@dataclass(frozen=True, slots=True)
class TokenSpan:
    """A span mapped onto tokens: tokens ``[first, last)``; ``snapped`` if the character
    offsets did not fall on token boundaries (after :func:`exact_tokens`, only a span that
    begins or ends in whitespace: it is trimmed to the tokens under it)."""

    first: int
    last: int
    label: str
    snapped: bool
    index: int  # position of the span in the input list, for stable tie-breaking


class TokenIndex:
    """Maps character offsets of one sentence onto its tokens (binary search, O(log n))."""

    def __init__(self, tokens: Sequence[Sequence[int]]) -> None:
        self.starts = [int(t[0]) for t in tokens]
        self.ends = [int(t[1]) for t in tokens]

    def __len__(self) -> int:
        return len(self.starts)

    def snap(self, start: int, end: int) -> tuple[int, int, bool] | None:
        """Tokens ``[first, last)`` overlapping ``[start, end)``; ``None`` when
        no token overlaps (e.g. a span made only of whitespace)."""
        first = bisect_right(self.ends, start)  # first token ending after start
        last = bisect_left(self.starts, end)  # tokens starting before end
        if first >= last:
            return None
        snapped = self.starts[first] != start or self.ends[last - 1] != end
        return first, last, snapped

    def char_range(self, first: int, last: int) -> tuple[int, int]:
        return self.starts[first], self.ends[last - 1]


def valid_span(start: object, end: object, text_len: int) -> bool:
    return (
        isinstance(start, int) and isinstance(end, int) and 0 <= start < end <= text_len
    )


def align_spans(
    spans: Iterable[tuple[int, int, str]],
    index: TokenIndex,
    text_len: int,
    stats: ExportStats,
    *,
    sentence_id: int,
    what: str = "entity",
) -> list[TokenSpan]:
    """Snap character spans to tokens, counting ``snapped``, ``invalid_<what>`` and
    ``unalignable_<what>`` (no token under the span) — nothing is dropped silently."""
    out: list[TokenSpan] = []
    for i, (start, end, label) in enumerate(spans):
        if not valid_span(start, end, text_len):
            stats.problem(
                f"invalid_{what}", sentence_id=sentence_id, detail=f"{start}-{end}"
            )
            continue
        hit = index.snap(start, end)
        if hit is None:
            stats.problem(
                f"unalignable_{what}", sentence_id=sentence_id, detail=f"{start}-{end}"
            )
            continue
        first, last, snapped = hit
        if snapped:
            stats.counts["snapped"] += 1
        out.append(TokenSpan(first, last, label, snapped, i))
    return out


def select_non_overlapping(
    spans: Sequence[TokenSpan],
) -> tuple[list[TokenSpan], list[TokenSpan]]:
    """Choose spans for a flat (BIO / ``doc.ents``) layer.

    Rule: longest first (token count), then earliest start, then label name, then input order;
    a span is kept if it shares no token with a kept span. So the outer span of a nesting wins,
    and among partial overlaps the longer one. Returns ``(kept sorted by start, excluded)``.
    Identical duplicates (same tokens and label) are kept once and not counted as excluded.
    """
    order = sorted(
        spans, key=lambda s: (-(s.last - s.first), s.first, s.label, s.index)
    )
    taken: set[int] = set()
    seen: set[tuple[int, int, str]] = set()
    kept: list[TokenSpan] = []
    excluded: list[TokenSpan] = []
    for span in order:
        key = (span.first, span.last, span.label)
        if key in seen:
            continue
        seen.add(key)
        if any(t in taken for t in range(span.first, span.last)):
            excluded.append(span)
            continue
        taken.update(range(span.first, span.last))
        kept.append(span)
    kept.sort(key=lambda s: s.first)
    return kept, excluded


def bio_tags(n_tokens: int, spans: Sequence[TokenSpan]) -> list[str]:
    """IOB2 tags for non-overlapping token spans."""
    tags = ["O"] * n_tokens
    for span in spans:
        tags[span.first] = f"B-{span.label}"
        for t in range(span.first + 1, span.last):
            tags[t] = f"I-{span.label}"
    return tags


def entity_labels(schema: dict) -> list[str]:  # type: ignore[type-arg]
    return [str(e["name"]) for e in schema.get("entity_types", [])]


_UNSAFE_FILE = re.compile(r"[^A-Za-z0-9._-]+")


def safe_filename(value: object) -> str:
    """A file-name-safe rendering of a document id (ids are ints in practice)."""
    name = _UNSAFE_FILE.sub("_", str(value)).strip("._") or "doc"
    return name
