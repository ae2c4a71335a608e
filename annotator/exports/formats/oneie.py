"""``oneie``: OneIE-style sentence JSON lines, ``<split>.oneie.json``.

One object per sentence::

    {"doc_id": "7", "sent_id": "7-101", "tokens": [...], "sentence": "...",
     "entity_mentions": [{"id", "text", "entity_type", "mention_type", "start", "end"}],
     "relation_mentions": [],
     "event_mentions": [{"id", "event_type", "trigger": {"text", "start", "end"},
                         "arguments": [{"entity_id", "text", "role"}]}]}

``start``/``end`` are TOKEN indices, end exclusive; character spans are widened outward to
tokens (``snapped``). Overlapping entities are all kept (OneIE allows them). An argument whose
token span equals an entity mention's points at it; otherwise a synthetic mention of type
``UNK`` is added (``synthetic_argument_mentions``). ``text`` fields are the snapped sentence
slices. OneIE's model-specific ``pieces``/``token_lens`` are not produced: its preprocessing
adds them for the chosen tokenizer.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from pathlib import Path
from typing import Any, TextIO

from annotator.exports.formats import ExportStats, GoldRecord, LabelSchema
from annotator.exports.formats._common import (
    TokenIndex,
    align_spans,
    record_split,
    run_writer,
)
from annotator.exports.formats.conll import clean_tokens

SYNTHETIC_TYPE = "UNK"


def record_to_oneie(record: GoldRecord, stats: ExportStats) -> dict[str, Any]:
    """The OneIE object of one record (see module docstring)."""
    sentence = record["sentence"]
    sid, text = sentence["id"], sentence["text"]
    offsets, words = clean_tokens(text, sentence["tokens"], stats, sentence_id=sid)
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
                "mention_type": "UNK",
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
                        "entity_type": SYNTHETIC_TYPE,
                        "mention_type": "UNK",
                        "start": key[0],
                        "end": key[1],
                    }
                )
                by_tokens[key] = arg_mid
                stats.counts["synthetic_argument_mentions"] += 1
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
    return {
        "doc_id": str(record["document"]["id"]),
        "sent_id": sent_id,
        "sentence": text,
        "tokens": words,
        "entity_mentions": mentions,
        "relation_mentions": [],
        "event_mentions": events,
    }


class OneieWriter:
    """Streaming writer for ``<split>.oneie.json`` (JSON lines)."""

    def __init__(self, out_dir: Path, *, schema: LabelSchema) -> None:
        out_dir.mkdir(parents=True, exist_ok=True)
        self.out_dir = out_dir
        self.stats = ExportStats("oneie")
        self._files: dict[str, TextIO] = {}

    def add(self, record: GoldRecord) -> None:
        split = record_split(record, self.stats)
        fh = self._files.get(split)
        if fh is None:
            name = f"{split}.oneie.json"
            fh = open(self.out_dir / name, "w", encoding="utf-8", newline="\n")  # noqa: SIM115
            self._files[split] = fh
            self.stats.files.append(name)
        obj = record_to_oneie(record, self.stats)
        fh.write(json.dumps(obj, ensure_ascii=False, sort_keys=True) + "\n")
        self.stats.counts["sentences"] += 1

    def close(self) -> ExportStats:
        for fh in self._files.values():
            fh.close()
        return self.stats


def write_oneie(
    records: Iterable[GoldRecord], out_dir: str | Path, *, schema: LabelSchema
) -> ExportStats:
    """Write ``records`` to ``out_dir/<split>.oneie.json``."""
    return run_writer(OneieWriter(Path(out_dir), schema=schema), records)
