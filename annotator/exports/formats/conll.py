"""``conll``: CoNLL-2003-style IOB2 files, one per split (``train.conll``, ``dev.conll``,
``test.conll``), as read by ``spacy convert -c ner`` (``conll_ner_to_docs``) and seqeval.

Layout: four space-separated columns ``TOKEN POS CHUNK NER`` with the placeholders ``-X-`` and
``_`` for the columns we do not have; a blank line after each sentence; every document starts
with ``-DOCSTART- -X- O O`` and a blank line.

Entities:
- a token with a span boundary inside it is split there (``U.S.-led`` with the GPE ``U.S.``
  becomes ``U.S.`` and ``-led``; counted as ``split_tokens``, see
  :func:`~annotator.exports.formats._common.exact_tokens`), so every entity's tokens joined
  as in the text equal its character slice; an entity under no token at all is counted as
  ``unalignable_entity``;
- BIO cannot hold overlapping entities: the rule of :func:`select_non_overlapping` keeps the
  longest (outer) one and counts the others as ``excluded_overlapping``. They are still in the
  span formats (jsonl, spacy ``doc.spans["sc"]``, brat, oneie).
- the tag column is always ``O``, ``B-X`` or ``I-X`` — never ``-`` (missing).

Tokens are the record's tokens; a whitespace-only token is skipped (``whitespace_token``) and
whitespace inside a token is replaced by ``_`` (``token_whitespace_replaced``) because the
format is whitespace-separated.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from pathlib import Path
from typing import TextIO

from annotator.exports.formats import ExportStats, GoldRecord, LabelSchema
from annotator.exports.formats._common import (
    TokenIndex,
    align_spans,
    bio_tags,
    record_split,
    record_tokens,
    run_writer,
    select_non_overlapping,
)

DOCSTART = "-DOCSTART- -X- O O"
_WS = re.compile(r"\s+")


def clean_tokens(
    text: str, tokens: Iterable[Iterable[int]], stats: ExportStats, *, sentence_id: int
) -> tuple[list[list[int]], list[str]]:
    """Token offsets and token strings safe for a whitespace-separated column format."""
    offsets: list[list[int]] = []
    words: list[str] = []
    for start, end in tokens:
        word = text[start:end]
        if not word.strip():
            stats.problem(
                "whitespace_token", sentence_id=sentence_id, detail=f"{start}-{end}"
            )
            continue
        if _WS.search(word):
            stats.problem(
                "token_whitespace_replaced", sentence_id=sentence_id, detail=word
            )
            word = _WS.sub("_", word)
        offsets.append([start, end])
        words.append(word)
    return offsets, words


def sentence_bio(
    record: GoldRecord, stats: ExportStats
) -> tuple[list[str], list[str], list[list[int]]]:
    """``(words, IOB2 tags, token offsets)`` of a record's sentence, counting what happened."""
    sentence = record["sentence"]
    sid = sentence["id"]
    offsets, words = clean_tokens(
        sentence["text"], record_tokens(record, stats), stats, sentence_id=sid
    )
    index = TokenIndex(offsets)
    spans = align_spans(
        (
            (e["start"], e["end"], e["label"])
            for e in record["gold"].get("entities", [])
        ),
        index,
        len(sentence["text"]),
        stats,
        sentence_id=sid,
    )
    kept, excluded = select_non_overlapping(spans)
    for span in excluded:
        stats.problem("excluded_overlapping", sentence_id=sid, detail=span.label)
    stats.counts["entities"] += len(kept)
    return words, bio_tags(len(words), kept), offsets


class ConllWriter:
    """Streaming writer for ``<split>.conll`` files in ``out_dir``."""

    def __init__(self, out_dir: Path, *, schema: LabelSchema) -> None:
        out_dir.mkdir(parents=True, exist_ok=True)
        self.out_dir = out_dir
        self.stats = ExportStats("conll")
        self._files: dict[str, TextIO] = {}
        self._last_doc: dict[str, object] = {}

    def _file(self, split: str) -> TextIO:
        fh = self._files.get(split)
        if fh is None:
            name = f"{split}.conll"
            fh = open(self.out_dir / name, "w", encoding="utf-8", newline="\n")  # noqa: SIM115
            self._files[split] = fh
            self.stats.files.append(name)
        return fh

    def add(self, record: GoldRecord) -> None:
        words, tags, _ = sentence_bio(record, self.stats)
        if not words:
            self.stats.problem("empty_sentence", sentence_id=record["sentence"]["id"])
            return
        split = record_split(record, self.stats)
        fh = self._file(split)
        doc_id = record["document"]["id"]
        if self._last_doc.get(split, object()) != doc_id:
            fh.write(DOCSTART + "\n\n")
            self._last_doc[split] = doc_id
            self.stats.counts["documents"] += 1
        fh.write("".join(f"{w} -X- _ {t}\n" for w, t in zip(words, tags, strict=True)))
        fh.write("\n")
        self.stats.counts["sentences"] += 1
        self.stats.counts["tokens"] += len(words)

    def close(self) -> ExportStats:
        for fh in self._files.values():
            fh.close()
        return self.stats


def write_conll(
    records: Iterable[GoldRecord], out_dir: str | Path, *, schema: LabelSchema
) -> ExportStats:
    """Write ``records`` to ``out_dir/<split>.conll``."""
    return run_writer(ConllWriter(Path(out_dir), schema=schema), records)
