"""Shared by the readers of example-based tools (doccano, Label Studio): examples (one
text each) grouped into documents by a document id field, each annotator's labels moved
from example offsets to document offsets (pure)."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from ..types import AnnotationIn, DocumentIn, EventIn, ReadResult, SpanIn, StanceIn, Where

# fields of an example that name its document; examples without one are documents of their own
DOCUMENT_FIELDS = ("document_id", "doc_id", "document")
JOIN = "\n"  # a line break always ends a sentence in our segmenter


@dataclass(slots=True)
class Example:
    key: str
    text: str
    fields: dict[str, Any]
    where: Where
    annotations: dict[str, AnnotationIn] = field(default_factory=dict)
    gold: AnnotationIn | None = None

    @property
    def document_key(self) -> str | None:
        for name in DOCUMENT_FIELDS:
            value = self.fields.get(name)
            if isinstance(value, (str, int)) and not isinstance(value, bool) and str(value):
                return str(value)
        return None

    @property
    def target(self) -> str | None:
        value = self.fields.get("target")
        return value if isinstance(value, str) and value else None


class ExampleSet:
    """Examples by key, in first-seen order; the same key must carry the same text."""

    def __init__(self, result: ReadResult) -> None:
        self.result = result
        self.examples: dict[str, Example] = {}

    def get(self, key: str, text: str, fields: dict[str, Any], where: Where) -> Example | None:
        example = self.examples.get(key)
        if example is None:
            example = self.examples[key] = Example(key, text, fields, where)
        elif example.text != text:
            self.result.add(where, f"example {key!r} has a different text than in {example.where}")
            return None
        return example

    def documents(self) -> list[DocumentIn]:
        groups: dict[str, list[Example]] = {}
        for example in self.examples.values():
            groups.setdefault(example.document_key or f"example-{example.key}", []).append(example)
        out: list[DocumentIn] = []
        for key, examples in groups.items():
            parts: list[str] = []
            per_annotator: dict[str, AnnotationIn] = {}
            gold: AnnotationIn | None = None
            listed: list[dict[str, Any]] = []
            pos = 0
            for example in examples:
                start = pos
                parts.append(example.text)
                pos += len(example.text)
                listed.append({"id": example.key, "start": start, "end": pos})
                for name, ann in example.annotations.items():
                    per_annotator[name] = _merge(per_annotator.get(name), ann, start, name)
                if example.gold is not None:
                    gold = _merge(gold, example.gold, start, "")
                pos += len(JOIN)
            first = examples[0]
            title = key if first.document_key else _title(first.text)
            out.append(
                DocumentIn(
                    key=key,
                    title=title,
                    text=JOIN.join(parts),
                    where=first.where,
                    meta={"examples": listed},
                    annotations=list(per_annotator.values()),
                    gold=gold,
                )
            )
        return out


def _title(text: str) -> str:
    words = text.split()
    return " ".join(words[:12])[:200] or "untitled"


def _merge(into: AnnotationIn | None, ann: AnnotationIn, shift: int, name: str) -> AnnotationIn:
    """``ann`` (example offsets, covering the example) added to ``into`` in document offsets."""
    if into is None:
        into = AnnotationIn(annotator=name, where=ann.where, covered=[])
    assert into.covered is not None
    into.covered.append((shift, shift + (ann.covered[0][1] if ann.covered else 0)))
    into.entities += [SpanIn(s.start + shift, s.end + shift, s.label, s.where) for s in ann.entities]
    into.stance += [StanceIn(s.label, s.start + shift, s.end + shift, s.where, s.target) for s in ann.stance]
    into.events += [
        EventIn(e.type, e.trigger_start + shift, e.trigger_end + shift, e.arguments, e.where) for e in ann.events
    ]
    if ann.seconds is not None:
        into.seconds = (into.seconds or 0.0) + ann.seconds
        into.timed.append((shift, shift + (ann.covered[0][1] if ann.covered else 0), ann.seconds))
    return into
