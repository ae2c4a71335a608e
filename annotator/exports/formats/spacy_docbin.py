"""``spacy``: ``DocBin`` files for ``spacy train``, one per split.

Per sentence one ``Doc``:
- words and spaces come from the token offsets, split where a span boundary falls inside a
  token (``split_tokens``, as in every token format); text between tokens that is not a single space
  becomes its own token (as spaCy does for extra whitespace), so ``doc.text == sentence text``
  and character offsets mean the same in the Doc and in the record;
- ``doc.ents``: the non-overlapping entities (``doc.char_span``: exact after the split; a span
  that begins or ends in whitespace is trimmed to its tokens and counted as ``snapped``;
  overlap rule of :func:`select_non_overlapping`: longest/outer first);
- ``doc.spans["sc"]``: ALL entities (also the overlapping ones), expanded to tokens;
- ``doc.cats``: for each target with a gold stance, one key per stance label,
  ``"<target>=<label>"`` → 1.0 for the gold label, 0.0 for the others (targets without a gold
  stance get no keys, which spaCy's multilabel textcat treats as unknown, not as negative);
- ``doc.user_data``: ``document_id``, ``document_key``, ``document_external_id``, ``document_url``,
  ``document_published``, ``document_meta``, ``document_title``, ``sentence_id``, ``sentence_index``,
  ``sentence_start``, ``split``, exact character ``entities``, ``stance``, ``events`` and
  ``provenance`` (plain JSON-able values).

Files: ``<split>.spacy``; a split with more than ``shard_size`` sentences is written instead as
``<split>/00000.spacy``, ``<split>/00001.spacy``, ... (spaCy's corpus reader accepts a directory),
which bounds memory. Read back with
``DocBin().from_disk(path).get_docs(spacy.blank("en").vocab)``.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import srsly.msgpack
from spacy.tokens import Doc, DocBin
from spacy.vocab import Vocab

from annotator.exports.formats import ExportStats, GoldRecord, LabelSchema, StanceLabel
from annotator.exports.formats._common import (
    TokenSpan,
    record_split,
    record_tokens,
    run_writer,
    select_non_overlapping,
    valid_span,
)

SPAN_KEY = "sc"
DEFAULT_SHARD_SIZE = 10_000


_ENCODERS: dict[str, Any] | None = None  # srsly's msgpack encoders, looked up once per process


@contextmanager
def cached_msgpack_encoders() -> Iterator[None]:
    """Serve srsly's msgpack encoder registry from a cache while the block runs.

    Why: every ``srsly.msgpack_dumps`` builds a ``Packer`` whose ``__init__`` asks the catalogue
    registry for all encoders, and the registry re-scans the installed packages' entry points
    each time. ``DocBin.add`` dumps three times per Doc (user data, span groups), so ~75% of the
    writer's time went to those scans. The encoders do not change while we write; the cache
    is an instance attribute on that one registry, removed again on exit.
    """
    registry = srsly.msgpack.msgpack_encoders
    if "get_all" in vars(registry):  # already cached by an enclosing block
        yield
        return
    global _ENCODERS
    if _ENCODERS is None:
        _ENCODERS = registry.get_all()
    encoders = _ENCODERS
    registry.get_all = lambda: dict(encoders)  # type: ignore[method-assign]
    try:
        yield
    finally:
        del registry.get_all


def words_and_spaces(
    text: str, tokens: Sequence[Sequence[int]]
) -> tuple[list[str], list[bool]]:
    """spaCy ``words``/``spaces`` that reproduce ``text`` exactly from token offsets."""
    words: list[str] = []
    spaces: list[bool] = []
    pos = 0

    def gap(upto: int) -> None:
        chunk = text[pos:upto]
        if not chunk:
            return
        if words and not spaces[-1] and chunk[0] == " ":
            spaces[-1] = True
            chunk = chunk[1:]
        if chunk:
            words.append(chunk)
            spaces.append(False)

    for start, end in tokens:
        if start < pos or end <= start or end > len(text):
            continue  # malformed or overlapping token: its text stays in the gap
        gap(start)
        words.append(text[start:end])
        spaces.append(False)
        pos = end
    gap(len(text))
    return words, spaces


def cats_for(
    stance: Iterable[StanceLabel], labels: Sequence[str]
) -> dict[str, float]:
    """``{"<target>=<label>": 1.0 | 0.0}`` for every target with a gold stance."""
    cats: dict[str, float] = {}
    for item in stance:
        target, gold = item["target"], item["label"]
        for label in [*labels, *([gold] if gold not in labels else [])]:
            cats[f"{target}={label}"] = 1.0 if label == gold else 0.0
    return cats


def record_to_doc(
    record: GoldRecord,
    vocab: Vocab,
    stats: ExportStats,
    *,
    stance_labels: Sequence[str],
) -> Doc:
    """Build the Doc of one record (see module docstring)."""
    sentence = record["sentence"]
    sid = sentence["id"]
    text = sentence["text"]
    words, spaces = words_and_spaces(text, record_tokens(record, stats))
    doc = Doc(vocab, words=words, spaces=spaces)
    if (
        doc.text != text
    ):  # cannot happen by construction; guard the offset contract anyway
        stats.problem("doc_text_mismatch", sentence_id=sid)

    spans = []
    token_spans: list[TokenSpan] = []
    for ent in record["gold"].get("entities", []):
        start, end, label = ent["start"], ent["end"], ent["label"]
        if not valid_span(start, end, len(text)):
            stats.problem("invalid_entity", sentence_id=sid, detail=f"{start}-{end}")
            continue
        span = doc.char_span(start, end, label=label, alignment_mode="strict")
        if span is None:  # begins or ends in whitespace (or in a gap token): trim to tokens
            span = doc.char_span(start, end, label=label, alignment_mode="contract")
        if span is None:
            stats.problem(
                "unalignable_entity", sentence_id=sid, detail=f"{start}-{end}"
            )
            continue
        if span.start_char != start or span.end_char != end:
            stats.counts["snapped"] += 1
        spans.append(span)
        token_spans.append(
            TokenSpan(
                span.start, span.end, label, span.start_char != start, len(spans) - 1
            )
        )
    kept, excluded = select_non_overlapping(token_spans)
    for ex in excluded:
        stats.problem("excluded_overlapping", sentence_id=sid, detail=ex.label)
    doc.ents = [spans[k.index] for k in kept]
    doc.spans[SPAN_KEY] = spans
    stance = record["gold"].get("stance", [])
    doc.cats = cats_for(stance, stance_labels)

    document = record["document"]
    doc.user_data.update(
        {
            "document_id": document["id"],
            "document_key": document.get("key"),
            "document_external_id": document.get("external_id"),
            "document_url": document.get("url"),
            "document_published": document.get("published"),
            "document_meta": dict(document.get("meta") or {}),
            "document_title": document.get("title"),
            "sentence_id": sid,
            "sentence_index": sentence["index"],
            "sentence_start": sentence["start"],
            "split": document.get("split"),
            "entities": [dict(e) for e in record["gold"].get("entities", [])],
            "stance": [dict(s) for s in stance],
            "events": [dict(e) for e in record["gold"].get("events", [])],
            "provenance": dict(record.get("provenance") or {}),
        }
    )
    stats.counts["entities"] += len(spans)
    stats.counts["ents"] += len(kept)
    return doc


class _Split:
    def __init__(self) -> None:
        self.vocab = Vocab()
        self.docbin = DocBin(store_user_data=True)
        self.shards = 0


class SpacyWriter:
    """Streaming writer for ``<split>.spacy`` (or sharded ``<split>/NNNNN.spacy``)."""

    def __init__(
        self,
        out_dir: Path,
        *,
        schema: LabelSchema,
        shard_size: int = DEFAULT_SHARD_SIZE,
    ) -> None:
        out_dir.mkdir(parents=True, exist_ok=True)
        self.out_dir = out_dir
        self.shard_size = shard_size
        self.stance_labels = list(schema.get("stance", {}).get("labels", []))
        self.stats = ExportStats("spacy")
        self._splits: dict[str, _Split] = {}

    def add(self, record: GoldRecord) -> None:
        split = record_split(record, self.stats)
        state = self._splits.setdefault(split, _Split())
        with cached_msgpack_encoders():
            state.docbin.add(
                record_to_doc(
                    record, state.vocab, self.stats, stance_labels=self.stance_labels
                )
            )
        self.stats.counts["sentences"] += 1
        if len(state.docbin) >= self.shard_size:
            self._flush(split, state, final=False)

    def _flush(self, split: str, state: _Split, *, final: bool) -> None:
        if final and state.shards == 0:
            name = f"{split}.spacy"
        else:
            name = f"{split}/{state.shards:05d}.spacy"
            (self.out_dir / split).mkdir(exist_ok=True)
        if final and state.shards > 0 and len(state.docbin) == 0:
            return
        with cached_msgpack_encoders():
            state.docbin.to_disk(self.out_dir / name)
        self.stats.files.append(name)
        state.shards += 1
        # a fresh vocab per shard keeps the string store from growing with the corpus
        state.vocab = Vocab()
        state.docbin = DocBin(store_user_data=True)

    def close(self) -> ExportStats:
        for split in sorted(self._splits):
            self._flush(split, self._splits[split], final=True)
        self._splits.clear()
        return self.stats


def write_spacy(
    records: Iterable[GoldRecord],
    out_dir: str | Path,
    *,
    schema: LabelSchema,
    shard_size: int = DEFAULT_SHARD_SIZE,
) -> ExportStats:
    """Write ``records`` to DocBin files in ``out_dir`` (see module docstring)."""
    return run_writer(
        SpacyWriter(Path(out_dir), schema=schema, shard_size=shard_size), records
    )
