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
- Type and role names: brat allows only letters, digits, ``_`` and ``-``, so other characters
  become ``-`` (:func:`brat_type`); two names that would meet (``Contact:Meet`` and
  ``Contact-Meet``) are told apart by a suffix (``Contact-Meet-2``), and a role's name never
  ends in a digit (brat reads that as its repeat counter). The mapping is written beside the
  files so names round-trip: ``types.json``
  (``{"entities"|"events"|"roles": {brat name: original name}, "argument": "Argument"}``, read
  back by :func:`read_type_map`) and brat's own ``visual.conf``, whose ``[labels]`` show the
  original names in brat's viewer.
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
``annotation.conf``, ``visual.conf`` and ``types.json`` are written when the writer closes, so
they also name any label met in the data that the schema lacks.

Sentences that are not gold (a record whose ``status`` is not ``gold``/``adjudicated``, whether
the export keeps it or hands it to :meth:`BratWriter.skip`) get a ``T`` line of type
``Unresolved`` over the sentence and an ``AnnotatorNotes`` ``#`` line saying its status, and are
listed in ``unresolved.tsv``: the ``.txt`` holds their text, and no consumer should read the
absence of an annotation there as "no entity".
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
UNRESOLVED_TYPE = "Unresolved"
UNRESOLVED_LIST = "unresolved.tsv"
RESOLVED = ("gold", "adjudicated")
CONF_NAME = "annotation.conf"
VISUAL_NAME = "visual.conf"
TYPES_NAME = "types.json"
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


class BratNames:
    """One-to-one brat-safe names for a schema's types and roles (see module docstring).

    Entity and event types share brat's type namespace (with the synthetic ``Argument`` type);
    roles have their own."""

    def __init__(self, schema: LabelSchema) -> None:
        self.entities: dict[str, str] = {}
        self.events: dict[str, str] = {}
        self.roles: dict[str, str] = {}
        self.event_roles: dict[str, list[str]] = {}
        self._types_taken: set[str] = set()
        self._roles_taken: set[str] = set()
        for label in entity_labels(dict(schema)):
            self.entity(label)
        self.argument = self._unique(ARGUMENT_TYPE, self._types_taken)
        for event in schema.get("event_types", []):
            self.event(event["name"])
            roles = [str(r) for r in event.get("roles", [])]
            for role in roles:
                self.role(role)
            self.event_roles[event["name"]] = roles

    @staticmethod
    def _unique(base: str, taken: set[str], tail: str = "") -> str:
        name, n = base, 1
        while name in taken:
            n += 1
            name = f"{base}-{n}{tail}"
        taken.add(name)
        return name

    def entity(self, label: str) -> str:
        if label not in self.entities:
            self.entities[label] = self._unique(brat_type(label), self._types_taken)
        return self.entities[label]

    def event(self, name: str) -> str:
        if name not in self.events:
            self.events[name] = self._unique(brat_type(name), self._types_taken)
        return self.events[name]

    def role(self, name: str) -> str:
        if name not in self.roles:
            base = brat_type(name)
            if base[-1].isdigit():
                base += "_"
            self.roles[name] = self._unique(base, self._roles_taken, tail="_")
        return self.roles[name]

    def type_map(self) -> dict[str, object]:
        """``types.json``: brat name → original name per kind, and the synthetic type."""
        return {
            "entities": {b: o for o, b in self.entities.items()},
            "events": {b: o for o, b in self.events.items()},
            "roles": {b: o for o, b in self.roles.items()},
            "argument": self.argument,
        }


def read_type_map(folder: str | Path) -> dict[str, dict[str, str | None]]:
    """The original names of a brat export's types and roles, from its ``types.json``:
    ``{"entities"|"events"|"roles": {brat name: original name}}``; the synthetic argument
    type maps to ``None`` under ``entities``."""
    raw = json.loads((Path(folder) / TYPES_NAME).read_text(encoding="utf-8"))
    out: dict[str, dict[str, str | None]] = {
        k: dict(raw[k]) for k in ("entities", "events", "roles")
    }
    out["entities"][raw["argument"]] = None
    return out


def annotation_conf(schema: LabelSchema, names: BratNames | None = None) -> str:
    """brat ``annotation.conf`` for the schema: entity types (+ ``Argument``), an overlap rule
    allowing nested/overlapping spans, event types with their roles (each optional and
    repeatable, any entity type as filler), and an empty attributes section."""
    names = names or BratNames(schema)
    lines = ["[entities]"]
    lines += list(names.entities.values())
    lines.append(names.argument)
    lines.append(UNRESOLVED_TYPE)
    lines += [
        "",
        "[relations]",
        "<OVERLAP>\tArg1:<ENTITY>, Arg2:<ENTITY>, <OVL-TYPE>:<ANY>",
    ]
    lines += ["", "[events]"]
    for event, brat_name in names.events.items():
        roles = ", ".join(
            f"{names.role(r)}*:<ENTITY>" for r in names.event_roles.get(event, [])
        )
        lines.append(f"{brat_name}\t{roles}" if roles else brat_name)
    lines += ["", "[attributes]", ""]
    return "\n".join(lines)


def visual_conf(names: BratNames) -> str:
    """brat ``visual.conf``: its ``[labels]`` show each type's and role's original name."""
    pairs = [
        *((b, o) for o, b in names.entities.items()),
        *((b, o) for o, b in names.events.items()),
        *((b, o) for o, b in names.roles.items()),
    ]
    lines = ["[labels]"]
    lines += [f"{b} | {o.replace('|', '/')}" for b, o in pairs]
    lines += ["", "[drawing]", ""]
    return "\n".join(lines)


def write_confs(out_dir: Path, schema: LabelSchema, names: BratNames) -> list[str]:
    """Write ``annotation.conf``, ``visual.conf`` and ``types.json``; returns their names."""
    (out_dir / CONF_NAME).write_text(
        annotation_conf(schema, names), encoding="utf-8", newline="\n"
    )
    (out_dir / VISUAL_NAME).write_text(
        visual_conf(names), encoding="utf-8", newline="\n"
    )
    (out_dir / TYPES_NAME).write_text(
        json.dumps(names.type_map(), ensure_ascii=False, indent=1, sort_keys=True)
        + "\n",
        encoding="utf-8",
        newline="\n",
    )
    return [CONF_NAME, VISUAL_NAME, TYPES_NAME]


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
        self.schema = schema
        self.names = BratNames(schema)
        self.stats = ExportStats("brat")
        self._doc: list[GoldRecord] = []
        self._skipped: set[int] = set()  # ids of sentences of the current document not in the export
        self._unresolved = open(out_dir / UNRESOLVED_LIST, "w", encoding="utf-8", newline="\n")  # noqa: SIM115
        self._unresolved.write("document_id\tsentence_id\tstart\tend\tstatus\tin_export\n")
        self.stats.files.append(UNRESOLVED_LIST)

    def add(self, record: GoldRecord) -> None:
        if self._doc and self._doc[0]["document"]["id"] != record["document"]["id"]:
            self._flush()
        self._doc.append(record)

    def skip(self, record: GoldRecord) -> None:
        """A sentence the export leaves out: its text is in the document, so mark it."""
        self.add(record)
        self._skipped.add(record["sentence"]["id"])

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

        skipped, self._skipped = self._skipped, set()
        for rec in kept:
            s = rec["sentence"]
            base, sid, n = s["start"], s["id"], len(s["text"])
            status = str(rec.get("status") or "gold")
            if status not in RESOLVED or sid in skipped:
                in_export = sid not in skipped
                self._unresolved.write(
                    f"{document['id']}\t{sid}\t{base}\t{base + n}\t{status}\t{int(in_export)}\n"
                )
                mark = t_line(UNRESOLVED_TYPE, base, base + n, sid)
                if mark:
                    counter["#"] = counter.get("#", 0) + 1
                    what = ("its labels here are the aggregation's best guess, below the threshold" if in_export
                            else "left out of this export")
                    lines.append(
                        f"#{counter['#']}\tAnnotatorNotes {mark}\tstatus={status}: not adjudicated, {what};"
                        " a missing annotation here is not a negative"
                    )
                    self.stats.counts[f"unresolved_{status}"] += 1
                if not in_export:
                    continue
            by_span: dict[tuple[int, int], str] = {}
            for ent in rec["gold"].get("entities", []):
                if not (0 <= ent["start"] < ent["end"] <= n):
                    self.stats.problem("invalid_entity", sentence_id=sid)
                    continue
                tid = t_line(
                    self.names.entity(ent["label"]),
                    base + ent["start"],
                    base + ent["end"],
                    sid,
                )
                if tid:
                    by_span.setdefault((ent["start"], ent["end"]), tid)
                    self.stats.counts["entities"] += 1
            for event in rec["gold"].get("events", []):
                trig = event["trigger"]
                etype = self.names.event(event["type"])
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
                            self.names.argument, base + key[0], base + key[1], sid
                        )
                        if arg_id is None:
                            continue
                        by_span[key] = arg_id
                        self.stats.counts["synthetic_argument_spans"] += 1
                    role = self.names.role(arg["role"])
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
            lines.append(f"#{counter.get('#', 0) + 1}\tAnnotatorNotes T1\t{note}")  # after the Unresolved notes
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
        self.stats.files += write_confs(self.out_dir, self.schema, self.names)
        self._unresolved.close()
        return self.stats


def write_brat(
    records: Iterable[GoldRecord], out_dir: str | Path, *, schema: LabelSchema
) -> ExportStats:
    """Write ``records`` as brat standoff files in ``out_dir``."""
    return run_writer(BratWriter(Path(out_dir), schema=schema), records)
