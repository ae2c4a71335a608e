"""Our own JSONL export (``export_gold --format jsonl --raw``) read back (pure).

Each line is a gold record (see ``annotator/exports/formats/jsonl.py``): ``document``
(``id``, ``title``, optional ``text``), ``sentence`` (``start`` in the document, ``text``),
``gold`` and, with ``--raw``, ``raw``: every submitted annotation of the sentence
(``annotator``, ``entities``, ``stance``, ``events``, offsets relative to the sentence).

Documents are the records' ``document.id``; the text is ``document.text`` when the record
carries it and every sentence fits it, else rebuilt by placing each sentence at its start
and filling gaps with spaces ending in a line break (as the brat export does), so the
sentences keep their document offsets and segment the same way again. Each annotator in
``raw`` covers the sentence (an empty annotation is an annotation). ``gold`` becomes the
imported gold. In a bundle zip, ``gold.jsonl`` is read; other files are ignored.
"""

from __future__ import annotations

from typing import Any

from annotator.exports.formats.brat import rebuild_text

from ..sources import Member
from ..types import AnnotationIn, ArgumentIn, DocumentIn, EventIn, ReadOptions, ReadResult, SpanIn, StanceIn, Where
from ._common import jsonl_lines

NAME = "accord"


def _layers(result: ReadResult, labels: Any, base: int, scope: tuple[int, int], who: str, where: Where) -> AnnotationIn | None:
    if not isinstance(labels, dict):
        result.add(where, f"the labels of {who or 'gold'} must be an object")
        return None
    ann = AnnotationIn(annotator=who, where=where, covered=[scope])
    try:
        for e in labels.get("entities") or []:
            ann.entities.append(SpanIn(base + e["start"], base + e["end"], e["label"], where))
        for s in labels.get("stance") or []:
            ann.stance.append(StanceIn(s["label"], scope[0], scope[1], where, s["target"]))
        for ev in labels.get("events") or []:
            args = [ArgumentIn(a["role"], base + a["start"], base + a["end"]) for a in ev.get("arguments") or []]
            ann.events.append(EventIn(ev["type"], base + ev["trigger"]["start"], base + ev["trigger"]["end"], args, where))
    except (KeyError, TypeError) as exc:
        result.add(where, f"the labels of {who or 'gold'} are not in the export's shape (missing or bad {exc})")
        return None
    return ann


def read(members: list[Member], options: ReadOptions) -> ReadResult:
    result = ReadResult(NAME)
    files = [m for m in members if m[0].endswith("gold.jsonl")] or [m for m in members if m[0].endswith(".jsonl")]
    if not files:
        result.add(Where(options.source_name or "(input)"), "no gold.jsonl (or .jsonl) file to read")
    docs: dict[str, dict[str, Any]] = {}
    for name, data in files:
        for number, record in jsonl_lines(result, name, data):
            where = Where(name, number)
            document, sentence = record.get("document"), record.get("sentence")
            if not isinstance(document, dict) or not isinstance(sentence, dict):
                result.add(where, "a record needs 'document' and 'sentence' objects")
                continue
            start, text = sentence.get("start"), sentence.get("text")
            if not isinstance(start, int) or isinstance(start, bool) or not isinstance(text, str) or start < 0:
                result.add(where, "'sentence' needs an integer 'start' and a 'text'")
                continue
            key = str(document.get("id"))
            doc = docs.setdefault(key, {"document": document, "sentences": [], "where": where, "annotations": {}, "gold": None})
            if doc["sentences"] and start < doc["sentences"][-1][0] + len(doc["sentences"][-1][1]):
                result.add(where, "sentences of a document must come in order without overlapping")
                continue
            doc["sentences"].append((start, text))
            scope = (start, start + len(text))
            raw = record.get("raw") or []
            if not isinstance(raw, list):
                result.add(where, "'raw' must be a list")
                continue
            for item in raw:
                who = item.get("annotator") if isinstance(item, dict) else None
                if not isinstance(who, str) or not who:
                    result.add(where, "each 'raw' item needs an 'annotator'")
                    continue
                ann = _layers(result, item, start, scope, who, where)
                if ann is not None:
                    into = doc["annotations"].setdefault(who, AnnotationIn(annotator=who, where=where, covered=[]))
                    _extend(into, ann)
            # a record of an export with --status all says whether its labels are gold; a disputed
            # sentence's best guess or an unannotated one's nothing must not come back as gold
            if record.get("gold") is not None and record.get("status", "gold") in ("gold", "adjudicated"):
                gold = _layers(result, record["gold"], start, scope, "", where)
                if gold is not None:
                    doc["gold"] = gold if doc["gold"] is None else _extend(doc["gold"], gold)
    for key, doc in docs.items():
        given = doc["document"].get("text")
        fits = isinstance(given, str) and all(given[s : s + len(t)] == t for s, t in doc["sentences"])
        documents_text = given if fits else rebuild_text(doc["sentences"])
        title = doc["document"].get("title")
        result.documents.append(
            DocumentIn(
                key=key,
                title=title if isinstance(title, str) and title else key,
                text=documents_text,
                where=doc["where"],
                meta={k: v for k, v in doc["document"].items() if k in ("source",) and isinstance(v, str)},
                annotations=list(doc["annotations"].values()),
                gold=doc["gold"],
            )
        )
    return result


def _extend(into: AnnotationIn, ann: AnnotationIn) -> AnnotationIn:
    into.entities += ann.entities
    into.stance += ann.stance
    into.events += ann.events
    assert into.covered is not None and ann.covered is not None
    into.covered += ann.covered
    return into
