"""Gold-dataset export formats: pure writers, no Django.

Input contract
==============
Every writer consumes an *iterable* of :class:`GoldRecord` (one per gold sentence, in document
order: all sentences of a document are consecutive, sorted by ``sentence.index``) plus the
project's label ``schema`` (CONTRACT.md "Label schema"). Records are consumed once, one at a time;
writers never build a list of them, so the Django side can stream straight from the database.

Offsets follow CONTRACT.md: 0-based, end-exclusive, Unicode code points, relative to
``sentence.text`` (``text[start:end]`` is the span). ``sentence.start``/``end`` are the sentence's
code-point offsets in its document; brat uses them to produce document offsets.

``sentence.tokens`` are ``[start, end]`` pairs relative to the sentence text, in order,
non-overlapping (spaCy tokens with whitespace tokens removed).

``document.split`` is ``"train" | "dev" | "test"`` (see :mod:`annotator.exports.splits`); a
record without one is written to ``train`` and counted as ``split_missing``.

Writers
=======
Each format is a class with ``add(record)`` and ``close() -> ExportStats`` (so one pass over the
records can feed several formats, see :func:`write_formats`) and a convenience function
``write_<format>(records, out_dir, *, schema) -> ExportStats``. Output is deterministic: the same
records give byte-identical files, so re-exports diff cleanly and ``SHA256SUMS`` are stable.

Format names (CONTRACT.md ``export_gold --format``): ``jsonl``, ``conll``, ``spacy``, ``hf``,
``brat``, ``stance-csv``, plus ``oneie``. ``bundle`` is assembled by the caller from these and
:func:`annotator.exports.formats.manifest.write_manifest`.
"""

from __future__ import annotations

import importlib
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal, NotRequired, Protocol, TypedDict

__all__ = [
    "FORMATS",
    "DocumentInfo",
    "EntitySpan",
    "EventArgument",
    "EventMention",
    "ExportStats",
    "FormatWriter",
    "GoldLayers",
    "GoldRecord",
    "LabelSchema",
    "Provenance",
    "RawAnnotation",
    "SentenceInfo",
    "StanceLabel",
    "get_writer",
    "write_format",
    "write_formats",
]


# --- record shape -------------------------------------------------------------------------------


class DocumentInfo(TypedDict):
    id: int
    title: str
    source: NotRequired[str]
    # identity outside Accord (see annotator.exports.splits.document_key)
    key: NotRequired[str]
    external_id: NotRequired[str]
    url: NotRequired[str]
    published: NotRequired[str | None]  # ISO date
    meta: NotRequired[dict[str, Any]]
    split: NotRequired[str]
    # Full document text; when present brat writes it verbatim instead of rebuilding it.
    text: NotRequired[str]


class SentenceInfo(TypedDict):
    id: int
    index: int
    start: int  # code-point offset of the sentence in its document
    end: int
    text: str
    tokens: list[list[int]]  # [[start, end], ...] relative to ``text``


class EntitySpan(TypedDict):
    start: int
    end: int
    label: str


class StanceLabel(TypedDict):
    target: str
    label: str


class Offsets(TypedDict):
    start: int
    end: int


class EventArgument(TypedDict):
    role: str
    start: int
    end: int


class EventMention(TypedDict):
    type: str
    trigger: Offsets
    arguments: list[EventArgument]


class GoldLayers(TypedDict):
    entities: list[EntitySpan]
    stance: list[StanceLabel]
    events: list[EventMention]


class Provenance(TypedDict):
    source: Literal["adjudicated", "majority", "dawid-skene", "accepted", "demo"]
    by: NotRequired[str | None]
    at: NotRequired[str | None]  # ISO 8601 UTC, "...Z"
    annotations: NotRequired[list[int]]
    confidence: NotRequired[float | None]
    reopened: NotRequired[bool]  # a lead put this decision back in the adjudication queue
    candidate: NotRequired[bool]  # labels of an aggregation candidate that missed the threshold


class RawAnnotation(TypedDict):
    annotator: str
    entities: list[EntitySpan]
    stance: list[StanceLabel]
    events: list[EventMention]


class GoldRecord(TypedDict):
    document: DocumentInfo
    sentence: SentenceInfo
    gold: GoldLayers
    provenance: NotRequired[Provenance]
    raw: NotRequired[list[RawAnnotation]]
    # see annotator.exports.coverage: gold | adjudicated | disputed | unannotated (absent = gold)
    status: NotRequired[str]
    confidence: NotRequired[float | None]
    soft: NotRequired[dict[str, Any] | None]  # soft labels of the aggregation run, or None


class EntityType(TypedDict, total=False):
    name: str
    hotkey: str
    color: str
    description: str


class StanceSchema(TypedDict):
    targets: list[str]
    labels: list[str]


class EventType(TypedDict):
    name: str
    roles: list[str]


class LabelSchema(TypedDict, total=False):
    """CONTRACT.md label schema."""

    entity_types: list[EntityType]
    allow_overlapping_entities: bool
    stance: StanceSchema
    event_types: list[EventType]


# --- stats --------------------------------------------------------------------------------------

MAX_PROBLEM_EXAMPLES = 50  # keep stats small for 100k-sentence exports


@dataclass
class ExportStats:
    """What a writer did: counters (``sentences``, ``entities``, ``snapped``, ...), the files it
    wrote (relative to its output directory) and a bounded sample of problems."""

    format: str
    counts: Counter[str] = field(default_factory=Counter)
    files: list[str] = field(default_factory=list)
    problems: list[dict[str, Any]] = field(default_factory=list)

    def problem(
        self, kind: str, *, sentence_id: int | None = None, detail: str = ""
    ) -> None:
        """Count a problem of ``kind``; keep the first few as examples."""
        self.counts[kind] += 1
        if len(self.problems) < MAX_PROBLEM_EXAMPLES:
            self.problems.append(
                {"kind": kind, "sentence_id": sentence_id, "detail": detail}
            )

    def as_dict(self) -> dict[str, Any]:
        return {
            "format": self.format,
            "counts": dict(sorted(self.counts.items())),
            "files": sorted(self.files),
            "problems": list(self.problems),
        }


class FormatWriter(Protocol):
    """A streaming writer: construct with ``(out_dir, *, schema)``, ``add`` records, ``close``."""

    def add(self, record: GoldRecord) -> None: ...

    def close(self) -> ExportStats: ...


# --- registry (lazy: spaCy and datasets are slow to import) -------------------------------------

FORMATS: dict[str, str] = {
    "jsonl": "annotator.exports.formats.jsonl:JsonlWriter",
    "conll": "annotator.exports.formats.conll:ConllWriter",
    "spacy": "annotator.exports.formats.spacy_docbin:SpacyWriter",
    "hf": "annotator.exports.formats.hf:HfWriter",
    "brat": "annotator.exports.formats.brat:BratWriter",
    "stance-csv": "annotator.exports.formats.stance_csv:StanceCsvWriter",
    "oneie": "annotator.exports.formats.oneie:OneieWriter",
}


def get_writer(name: str) -> type:
    """The writer class for format ``name`` (a key of :data:`FORMATS`); ``KeyError`` otherwise."""
    module_name, _, cls_name = FORMATS[name].partition(":")
    return getattr(importlib.import_module(module_name), cls_name)  # type: ignore[no-any-return]


def write_format(
    name: str,
    records: Iterable[GoldRecord],
    out_dir: str | Path,
    *,
    schema: LabelSchema,
) -> ExportStats:
    """Write ``records`` in format ``name`` into ``out_dir`` (created if missing)."""
    return write_formats(records, {name: out_dir}, schema=schema)[name]


def write_formats(
    records: Iterable[GoldRecord],
    targets: dict[str, str | Path] | Sequence[tuple[str, str | Path]],
    *,
    schema: LabelSchema,
) -> dict[str, ExportStats]:
    """Write ``records`` in several formats in ONE pass; ``targets`` maps format → directory.

    One pass matters: records usually stream from the database and are read exactly once.
    """
    items = list(targets.items()) if isinstance(targets, dict) else list(targets)
    writers = [
        (name, get_writer(name)(Path(out), schema=schema)) for name, out in items
    ]
    for record in records:
        for _, writer in writers:
            writer.add(record)
    return {name: writer.close() for name, writer in writers}
