"""``brat``: standoff files per document plus ``annotation.conf``.

Per document ``<document id>.txt`` and ``<document id>.ann``:
- ``.txt`` is the document text. When ``document["text"]`` is given and every sentence's text is
  found at its ``start`` in it, it is written verbatim. Otherwise the text is rebuilt by placing
  each sentence at its ``start`` and filling the gaps (whose original characters records do not
  carry) with spaces ending in a newline, so every sentence begins a line in brat's viewer and
  offsets still equal document offsets (counted as ``document_text_rebuilt`` when a given text
  did not match).
- ``T`` lines for entities (``T1\\tGPE 0 6\\tRussia``) with document offsets
  (sentence ``start`` + relative offset); event triggers are ``T`` lines typed with the
  brat-safe event type (``Movement:Transport`` → ``Movement-Transport``).
- ``E`` lines (``E1\\tMovement-Transport:T5 Artifact:T3``); an argument whose span equals an
  entity of the same sentence points at that entity's ``T``; other arguments get a ``T`` of type
  ``Argument`` (:data:`ARGUMENT_TYPE`). A repeated role is numbered as brat requires
  (``Artifact``, ``Artifact2``).
- a span containing a line break is written as discontinuous fragments around it, so each
  fragment stays on one line and the ``.ann`` stays one annotation per line; the text column is
  the fragments joined by a space, which is what brat checks.

Every ``T`` line's text equals the ``.txt`` slice (fragments joined by a space).
The document's identity (stable ``key``, ``external_id``, ``url``, ``published``, ``meta`` as
JSON) is an ``AnnotatorNotes`` line on the document's first ``T`` (brat notes need a target; a
document without any ``T`` is counted as ``identity_note_skipped``).
Stance (sentence-level) has no brat equivalent and is not written; ``[attributes]`` is empty.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import Any

from annotator.exports.formats import ExportStats, GoldRecord, LabelSchema
from annotator.exports.formats._common import entity_labels, run_writer, safe_filename

ARGUMENT_TYPE = "Argument"
CONF_NAME = "annotation.conf"
_UNSAFE = re.compile(r"[^A-Za-z0-9_-]+")
# characters str.splitlines() breaks on: none may appear inside an .ann line
_LINE_BREAKS = re.compile("[\n\r\x0b\x0c\x1c\x1d\x1e\x85\u2028\u2029]+")


def brat_type(name: str) -> str:
    """A brat-safe type or role name: anything but letters, digits, ``_`` and ``-`` → ``-``."""
    return _UNSAFE.sub("-", name).strip("-") or "X"


def fragments(text: str, start: int, end: int) -> list[tuple[int, int]]:
    """``[start, end)`` split around line breaks into non-empty fragments."""
    out: list[tuple[int, int]] = []
    pos = start
    for m in _LINE_BREAKS.finditer(text, start, end):
        if m.start() > pos:
            out.append((pos, m.start()))
        pos = m.end()
    if pos < end:
        out.append((pos, end))
    return out


def annotation_conf(schema: LabelSchema) -> str:
    """brat ``annotation.conf`` for the schema: entity types (+ ``Argument``), an overlap rule
    allowing nested/overlapping spans, event types with their roles (each optional and
    repeatable, any entity type as filler), and an empty attributes section."""
    lines = ["[entities]"]
    lines += [brat_type(label) for label in entity_labels(dict(schema))]
    lines.append(ARGUMENT_TYPE)
    lines += [
        "",
        "[relations]",
        "<OVERLAP>\tArg1:<ENTITY>, Arg2:<ENTITY>, <OVL-TYPE>:<ANY>",
    ]
    lines += ["", "[events]"]
    for event in schema.get("event_types", []):
        roles = ", ".join(f"{brat_type(r)}*:<ENTITY>" for r in event.get("roles", []))
        lines.append(
            f"{brat_type(event['name'])}\t{roles}"
            if roles
            else brat_type(event["name"])
        )
    lines += ["", "[attributes]", ""]
    return "\n".join(lines)


def rebuild_text(sentences: Sequence[tuple[int, str]]) -> str:
    """Place sentences (start, text) at their offsets; gaps → spaces ending in a newline."""
    parts: list[str] = []
    pos = 0
    for start, text in sentences:
        if start > pos:
            parts.append(" " * (start - pos - 1) + "\n")
        parts.append(text)
        pos = start + len(text)
    return "".join(parts)


def identity_note(document: Any) -> str:
    """``key=…; external_id=…; url=…; published=…; meta={…}`` on one line (empty values left out)."""
    parts = []
    for field in ("key", "external_id", "url", "published"):
        if document.get(field):
            parts.append(f"{field}={document[field]}")
    if document.get("meta"):
        parts.append("meta=" + json.dumps(document["meta"], ensure_ascii=False, sort_keys=True))
    return _LINE_BREAKS.sub(" ", "; ".join(parts).replace("\t", " "))


class BratWriter:
    """Streaming writer: buffers one document's sentences at a time."""

    def __init__(self, out_dir: Path, *, schema: LabelSchema) -> None:
        out_dir.mkdir(parents=True, exist_ok=True)
        self.out_dir = out_dir
        self.stats = ExportStats("brat")
        (out_dir / CONF_NAME).write_text(
            annotation_conf(schema), encoding="utf-8", newline="\n"
        )
        self.stats.files.append(CONF_NAME)
        self._doc: list[GoldRecord] = []

    def add(self, record: GoldRecord) -> None:
        if self._doc and self._doc[0]["document"]["id"] != record["document"]["id"]:
            self._flush()
        self._doc.append(record)

    def _flush(self) -> None:
        records, self._doc = self._doc, []
        if not records:
            return
        document = records[0]["document"]
        kept: list[GoldRecord] = []
        pos = 0
        for rec in records:
            s = rec["sentence"]
            if s["start"] < pos:
                self.stats.problem("sentence_overlap", sentence_id=s["id"])
                continue
            kept.append(rec)
            pos = s["start"] + len(s["text"])
        given = document.get("text")
        fits = given is not None and all(
            given[
                r["sentence"]["start"] : r["sentence"]["start"]
                + len(r["sentence"]["text"])
            ]
            == r["sentence"]["text"]
            for r in kept
        )
        if given is not None and not fits:
            self.stats.problem("document_text_rebuilt", detail=str(document["id"]))
        text = (
            given
            if fits and given is not None
            else rebuild_text(
                [(r["sentence"]["start"], r["sentence"]["text"]) for r in kept]
            )
        )
        lines: list[str] = []
        counter = {"T": 0, "E": 0}

        def t_line(type_: str, start: int, end: int, sid: int) -> str | None:
            frags = fragments(text, start, end)
            if not frags:
                self.stats.problem(
                    "empty_span", sentence_id=sid, detail=f"{start}-{end}"
                )
                return None
            counter["T"] += 1
            tid = f"T{counter['T']}"
            offs = ";".join(f"{a} {b}" for a, b in frags)
            lines.append(
                f"{tid}\t{type_} {offs}\t{' '.join(text[a:b] for a, b in frags)}"
            )
            return tid

        for rec in kept:
            s = rec["sentence"]
            base, sid, n = s["start"], s["id"], len(s["text"])
            by_span: dict[tuple[int, int], str] = {}
            for ent in rec["gold"].get("entities", []):
                if not (0 <= ent["start"] < ent["end"] <= n):
                    self.stats.problem("invalid_entity", sentence_id=sid)
                    continue
                tid = t_line(
                    brat_type(ent["label"]), base + ent["start"], base + ent["end"], sid
                )
                if tid:
                    by_span.setdefault((ent["start"], ent["end"]), tid)
                    self.stats.counts["entities"] += 1
            for event in rec["gold"].get("events", []):
                trig = event["trigger"]
                etype = brat_type(event["type"])
                if not (0 <= trig["start"] < trig["end"] <= n):
                    self.stats.problem("invalid_trigger", sentence_id=sid)
                    continue
                trig_id = t_line(etype, base + trig["start"], base + trig["end"], sid)
                if trig_id is None:
                    continue
                args: list[str] = []
                seen_roles: dict[str, int] = {}
                for arg in event.get("arguments", []):
                    if not (0 <= arg["start"] < arg["end"] <= n):
                        self.stats.problem("invalid_argument", sentence_id=sid)
                        continue
                    key = (arg["start"], arg["end"])
                    arg_id = by_span.get(key)
                    if arg_id is None:
                        arg_id = t_line(
                            ARGUMENT_TYPE, base + key[0], base + key[1], sid
                        )
                        if arg_id is None:
                            continue
                        by_span[key] = arg_id
                        self.stats.counts["synthetic_argument_spans"] += 1
                    role = brat_type(arg["role"])
                    seen_roles[role] = seen_roles.get(role, 0) + 1
                    suffix = str(seen_roles[role]) if seen_roles[role] > 1 else ""
                    args.append(f"{role}{suffix}:{arg_id}")
                counter["E"] += 1
                lines.append(
                    f"E{counter['E']}\t" + " ".join([f"{etype}:{trig_id}", *args])
                )
                self.stats.counts["events"] += 1
            self.stats.counts["sentences"] += 1

        note = identity_note(document)
        if note and counter["T"]:
            lines.append(f"#1\tAnnotatorNotes T1\t{note}")
        elif note:
            self.stats.problem("identity_note_skipped", detail=str(document["id"]))
        name = safe_filename(document["id"])
        (self.out_dir / f"{name}.txt").write_text(text, encoding="utf-8", newline="")
        (self.out_dir / f"{name}.ann").write_text(
            "".join(line + "\n" for line in lines), encoding="utf-8", newline="\n"
        )
        self.stats.files += [f"{name}.txt", f"{name}.ann"]
        self.stats.counts["documents"] += 1

    def close(self) -> ExportStats:
        self._flush()
        return self.stats


def write_brat(
    records: Iterable[GoldRecord], out_dir: str | Path, *, schema: LabelSchema
) -> ExportStats:
    """Write ``records`` as brat standoff files in ``out_dir``."""
    return run_writer(BratWriter(Path(out_dir), schema=schema), records)
