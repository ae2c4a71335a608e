"""``oneie``: OneIE sentence JSON lines, ``<split>.oneie.json``, as OneIE's
``IEDataset.load_data``/``numberize`` read them (github.com/GAIA-IE/oneie, ``oneie/data.py``).

One object per sentence::

    {"doc_id": "7", "sent_id": "7-101", "sentence": "...",
     "tokens": [...], "pieces": [...], "token_lens": [...],
     "entity_mentions": [{"id", "text", "entity_type", "mention_type", "start", "end"}],
     "relation_mentions": [],
     "event_mentions": [{"id", "event_type", "trigger": {"text", "start", "end"},
                         "arguments": [{"entity_id", "text", "role"}]}]}

- ``start``/``end`` are TOKEN indices, end exclusive. Tokens are the sentence's tokens split
  where a span boundary falls inside one (``split_tokens``), so every mention's, trigger's and
  argument's ``text`` is exactly its character slice of ``sentence``.
- ``pieces``/``token_lens``: the sub-word pieces OneIE feeds its encoder, and how many pieces
  each token has (``sum(token_lens) == len(pieces)``, every length ≥ 1). By default the pieces
  are the tokens themselves (``tokenizer="whitespace"``: one piece per token), which OneIE loads
  as is; a model with its own vocabulary wants its own pieces: pass ``tokenizer=<name>`` of any
  installed Hugging Face tokenizer (``transformers`` is imported only then; it is not a
  dependency of Accord), or re-piece an exported file with :func:`repiece_file`. A token for
  which the tokenizer gives no piece gets the tokenizer's unknown token (``empty_pieces``).
- Entities: all of them, overlapping ones too (OneIE resolves overlaps itself);
  ``entity_type`` is the label and ``mention_type`` is ``UNK`` (Accord does not annotate
  NAM/NOM/PRO).
- An event argument whose tokens are an entity mention's points at that mention; any other
  argument gets a mention of its own with ``entity_type`` ``Argument`` and ``mention_type``
  ``ARG`` (:data:`ARGUMENT_ENTITY_TYPE`, :data:`ARGUMENT_MENTION_TYPE`; counted as
  ``argument_mentions``), so a model can tell argument-only spans from entities.
- A sentence without tokens is left out (``empty_sentence``): OneIE indexes ``tokens[-1]``.
"""

from __future__ import annotations

import json
import os
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any, TextIO

from annotator.exports.formats import ExportStats, GoldRecord, LabelSchema
from annotator.exports.formats._common import (
    TokenIndex,
    align_spans,
    record_split,
    record_tokens,
    run_writer,
)
from annotator.exports.formats.conll import clean_tokens

ENTITY_MENTION_TYPE = "UNK"
ARGUMENT_ENTITY_TYPE = "Argument"
ARGUMENT_MENTION_TYPE = "ARG"
WHITESPACE = "whitespace"
UNK_PIECE = "[UNK]"

Piecer = Callable[[str], list[str]]


def load_piecer(tokenizer: str = WHITESPACE) -> tuple[Piecer, str]:
    """``(token → pieces, unknown piece)`` for ``tokenizer``: ``"whitespace"`` (the token is its
    own piece) or the name or path of a Hugging Face tokenizer, loaded with
    ``transformers.AutoTokenizer.from_pretrained`` (imported here, only when asked)."""
    if tokenizer == WHITESPACE:
        return (lambda token: [token]), UNK_PIECE
    try:
        from transformers import AutoTokenizer  # noqa: PLC0415 - optional, only when asked
    except ImportError as exc:
        raise ValueError(
            f"OneIE pieces with tokenizer {tokenizer!r} need the `transformers` package"
            " (pip install transformers); the default 'whitespace' needs nothing"
        ) from exc
    hf = AutoTokenizer.from_pretrained(tokenizer)
    unk = str(getattr(hf, "unk_token", None) or UNK_PIECE)
    return (lambda token: [str(p) for p in hf.tokenize(token) if p]), unk


def pieces_of(
    words: list[str], piecer: Piecer, unk: str, stats: ExportStats, *, sentence_id: int
) -> tuple[list[str], list[int]]:
    """``(pieces, token_lens)`` for ``words``; a word with no piece gets ``unk``."""
    pieces: list[str] = []
    lens: list[int] = []
    for word in words:
        got = piecer(word)
        if not got:
            stats.problem("empty_pieces", sentence_id=sentence_id, detail=word)
            got = [unk]
        pieces += got
        lens.append(len(got))
    return pieces, lens


def record_to_oneie(
    record: GoldRecord,
    stats: ExportStats,
    *,
    piecer: Piecer | None = None,
    unk: str = UNK_PIECE,
) -> dict[str, Any] | None:
    """The OneIE object of one record (see module docstring); ``None`` for no tokens."""
    sentence = record["sentence"]
    sid, text = sentence["id"], sentence["text"]
    offsets, words = clean_tokens(
        text, record_tokens(record, stats), stats, sentence_id=sid
    )
    if not words:
        stats.problem("empty_sentence", sentence_id=sid)
        return None
    index = TokenIndex(offsets)
    sent_id = f"{record['document']['id']}-{sid}"

    def slice_text(first: int, last: int) -> str:
        a, b = index.char_range(first, last)
        return text[a:b]

    mentions: list[dict[str, Any]] = []
    by_tokens: dict[tuple[int, int], str] = {}
    ents = record["gold"].get("entities", [])
    for span in align_spans(
        ((e["start"], e["end"], e["label"]) for e in ents),
        index,
        len(text),
        stats,
        sentence_id=sid,
    ):
        mid = f"{sent_id}-E{len(mentions)}"
        mentions.append(
            {
                "id": mid,
                "text": slice_text(span.first, span.last),
                "entity_type": span.label,
                "mention_type": ENTITY_MENTION_TYPE,
                "start": span.first,
                "end": span.last,
            }
        )
        by_tokens.setdefault((span.first, span.last), mid)

    events: list[dict[str, Any]] = []
    for event in record["gold"].get("events", []):
        trig = event["trigger"]
        tspans = align_spans(
            [(trig["start"], trig["end"], event["type"])],
            index,
            len(text),
            stats,
            sentence_id=sid,
            what="trigger",
        )
        if not tspans:
            continue
        t = tspans[0]
        arguments = []
        aspans = align_spans(
            ((a["start"], a["end"], a["role"]) for a in event.get("arguments", [])),
            index,
            len(text),
            stats,
            sentence_id=sid,
            what="argument",
        )
        for arg in aspans:
            key = (arg.first, arg.last)
            arg_mid = by_tokens.get(key)
            if arg_mid is None:
                arg_mid = f"{sent_id}-E{len(mentions)}"
                mentions.append(
                    {
                        "id": arg_mid,
                        "text": slice_text(*key),
                        "entity_type": ARGUMENT_ENTITY_TYPE,
                        "mention_type": ARGUMENT_MENTION_TYPE,
                        "start": key[0],
                        "end": key[1],
                    }
                )
                by_tokens[key] = arg_mid
                stats.counts["argument_mentions"] += 1
            arguments.append(
                {"entity_id": arg_mid, "text": slice_text(*key), "role": arg.label}
            )
        events.append(
            {
                "id": f"{sent_id}-EV{len(events)}",
                "event_type": event["type"],
                "trigger": {
                    "text": slice_text(t.first, t.last),
                    "start": t.first,
                    "end": t.last,
                },
                "arguments": arguments,
            }
        )
    stats.counts["entity_mentions"] += len(mentions)
    stats.counts["event_mentions"] += len(events)
    pieces, token_lens = pieces_of(
        words, piecer or (lambda w: [w]), unk, stats, sentence_id=sid
    )
    return {
        "doc_id": str(record["document"]["id"]),
        "sent_id": sent_id,
        "sentence": text,
        "tokens": words,
        "pieces": pieces,
        "token_lens": token_lens,
        "entity_mentions": mentions,
        "relation_mentions": [],
        "event_mentions": events,
    }


class OneieWriter:
    """Streaming writer for ``<split>.oneie.json`` (JSON lines)."""

    def __init__(
        self, out_dir: Path, *, schema: LabelSchema, tokenizer: str = WHITESPACE
    ) -> None:
        self.piecer, self.unk = load_piecer(tokenizer)  # fails before any file is made
        out_dir.mkdir(parents=True, exist_ok=True)
        self.out_dir = out_dir
        self.stats = ExportStats("oneie")
        self.tokenizer = tokenizer
        self._files: dict[str, TextIO] = {}

    def add(self, record: GoldRecord) -> None:
        split = record_split(record, self.stats)
        obj = record_to_oneie(record, self.stats, piecer=self.piecer, unk=self.unk)
        if obj is None:
            return
        fh = self._files.get(split)
        if fh is None:
            name = f"{split}.oneie.json"
            fh = open(self.out_dir / name, "w", encoding="utf-8", newline="\n")  # noqa: SIM115
            self._files[split] = fh
            self.stats.files.append(name)
        fh.write(json.dumps(obj, ensure_ascii=False, sort_keys=True) + "\n")
        self.stats.counts["sentences"] += 1

    def close(self) -> ExportStats:
        for fh in self._files.values():
            fh.close()
        return self.stats


def write_oneie(
    records: Iterable[GoldRecord],
    out_dir: str | Path,
    *,
    schema: LabelSchema,
    tokenizer: str = WHITESPACE,
) -> ExportStats:
    """Write ``records`` to ``out_dir/<split>.oneie.json`` (pieces from ``tokenizer``)."""
    return run_writer(
        OneieWriter(Path(out_dir), schema=schema, tokenizer=tokenizer), records
    )


def repiece_file(src: str | Path, dst: str | Path, *, tokenizer: str) -> int:
    """Rewrite an exported ``.oneie.json`` with ``pieces``/``token_lens`` from ``tokenizer``
    (e.g. ``"bert-large-cased"``, the model OneIE is trained with); returns the line count.
    For ML teams who got the default whitespace pieces and train with another encoder."""
    piecer, unk = load_piecer(tokenizer)
    stats = ExportStats("oneie")
    n = 0
    dst = Path(dst)
    part = dst.with_name(dst.name + ".part")  # dst may be src: write aside, then replace
    with open(src, encoding="utf-8") as inp, open(
        part, "w", encoding="utf-8", newline="\n"
    ) as out:
        for line in inp:
            if not line.strip():
                continue
            obj = json.loads(line)
            obj["pieces"], obj["token_lens"] = pieces_of(
                obj["tokens"], piecer, unk, stats, sentence_id=-1
            )
            out.write(json.dumps(obj, ensure_ascii=False, sort_keys=True) + "\n")
            n += 1
    os.replace(part, dst)
    return n
