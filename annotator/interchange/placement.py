"""Imported annotations placed on our sentences (pure).

A reader gives document offsets; our documents are split into sentences by our segmenter
(:mod:`annotator.documents.segment`), and annotations are per sentence with sentence
offsets. Placement maps every entity, stance label and event onto its sentence, and says
what did not fit instead of dropping it:

* a span that crosses a sentence boundary, or does not start and end on token boundaries;
  with ``snap`` it is cut to the sentence holding most of it and widened to whole tokens
  (counted as snapped), with ``report`` (and ``fail``) it is refused and listed;
* a label, stance target, event type or role that is not in the project's schema (after the
  ``label_map``, e.g. ``{"PER": "PERSON"}``): always refused and listed, as is anything
  the annotation validator (:func:`annotator.annotations.validation.validate_annotation`)
  still refuses, such as an overlap in a project that does not allow overlapping entities.

``fail`` means the caller aborts if any misfit is listed. A stance label with no target
goes to the schema's only target (if there is exactly one). Every sentence an annotator
covered (an example, a sentence, or the whole document) gets an annotation, empty or not.
"""

from __future__ import annotations

from bisect import bisect_right
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, Literal

from annotator.annotations.validation import validate_annotation

from .offsets import WhitespaceMap
from .types import AnnotationIn, DocumentIn, Where

Policy = Literal["snap", "report", "fail"]
POLICIES: tuple[Policy, ...] = ("snap", "report", "fail")


@dataclass(frozen=True, slots=True)
class SentenceSlot:
    """One of our sentences: document offsets, its text and tokens (sentence offsets)."""

    index: int
    start: int
    end: int
    text: str
    tokens: Sequence[Sequence[int]]


@dataclass(frozen=True, slots=True)
class Misfit:
    where: Where
    annotator: str  # "" for gold
    reason: str
    action: Literal["snapped", "refused"]

    def __str__(self) -> str:
        who = self.annotator or "gold"
        return f"{self.where}: {who}: {self.reason} ({self.action})"

    def as_dict(self) -> dict[str, Any]:
        return {
            "file": self.where.file, "line": self.where.line, "detail": self.where.detail,
            "annotator": self.annotator, "reason": self.reason, "action": self.action,
        }


@dataclass(slots=True)
class Placed:
    """A document's annotations on its sentences: annotator → sentence index → labels."""

    annotations: dict[str, dict[int, dict[str, Any]]] = field(default_factory=dict)
    seconds: dict[str, dict[int, float]] = field(default_factory=dict)
    gold: dict[int, dict[str, Any]] = field(default_factory=dict)
    misfits: list[Misfit] = field(default_factory=list)
    spans: int = 0  # entities placed (annotators, not gold)
    snapped: int = 0


class _Schema:
    def __init__(self, schema: Mapping[str, Any]) -> None:
        self.raw = dict(schema)
        self.entities = {t["name"] for t in schema.get("entity_types", []) if isinstance(t, dict)}
        stance = schema.get("stance") if isinstance(schema.get("stance"), dict) else {}
        self.targets: list[str] = list(stance.get("targets", [])) if stance else []
        self.stance_labels = set(stance.get("labels", [])) if stance else set()
        self.roles = {
            t["name"]: set(t.get("roles", [])) for t in schema.get("event_types", []) if isinstance(t, dict)
        }


class _Placer:
    def __init__(
        self, sentences: Sequence[SentenceSlot], schema: _Schema, label_map: Mapping[str, str], policy: Policy,
        placed: Placed,
    ) -> None:
        self.sentences = sorted(sentences, key=lambda s: s.start)
        self.starts = [s.start for s in self.sentences]
        self.schema = schema
        self.map = label_map
        self.policy = policy
        self.placed = placed
        self.who = ""
        self.offsets: WhitespaceMap | None = None
        self.source = ""  # the imported document's text

    def misfit(self, where: Where, reason: str, action: Literal["snapped", "refused"] = "refused") -> None:
        self.placed.misfits.append(Misfit(where, self.who, reason, action))
        if action == "snapped":
            self.placed.snapped += 1

    def label(self, name: str) -> str:
        return self.map.get(name, name)

    def to_stored(self, start: int, end: int) -> tuple[int, int] | None:
        if self.offsets is None:
            return start, end
        a, b = self.offsets.start(start), self.offsets.end(end)
        return None if a is None or b is None else (a, b)

    def text_of(self, start: int, end: int) -> str:
        pieces = [s.text[max(start, s.start) - s.start : min(end, s.end) - s.start] for s in self.overlapping(start, end)]
        return " … ".join(pieces)

    def overlapping(self, start: int, end: int) -> list[SentenceSlot]:
        i = max(bisect_right(self.starts, start) - 1, 0)
        out = []
        while i < len(self.sentences) and self.sentences[i].start < end:
            if self.sentences[i].end > start:
                out.append(self.sentences[i])
            i += 1
        return out

    def span(self, start: int, end: int, what: str, where: Where) -> tuple[SentenceSlot, int, int] | None:
        """(sentence, relative start, relative end) for a document span, snapped per policy."""
        stored = self.to_stored(start, end)
        if stored is None:
            self.misfit(where, f"{what} [{start}, {end}) does not start and end on text in the stored document")
            return None
        start, end = stored
        found = self.overlapping(start, end)
        if not found:
            self.misfit(where, f"{what} [{start}, {end}) is outside every sentence")
            return None
        snapped: list[str] = []
        if len(found) > 1:
            if self.policy != "snap":
                self.misfit(where, f"{what} [{start}, {end}) crosses a sentence boundary ({len(found)} sentences)")
                return None
            found.sort(key=lambda s: min(end, s.end) - max(start, s.start), reverse=True)
            snapped.append(f"crossed {len(found)} sentences, cut to the one holding most of it")
        sentence = found[0]
        a, b = max(start, sentence.start) - sentence.start, min(end, sentence.end) - sentence.start
        # one sentence, but reaching over the whitespace around it: a token matter too
        trimmed = not snapped and (a, b) != (start - sentence.start, end - sentence.start)
        if trimmed or a not in {t[0] for t in sentence.tokens} or b not in {t[1] for t in sentence.tokens}:
            covering = [t for t in sentence.tokens if t[0] < b and t[1] > a]
            if self.policy != "snap" or not covering:
                shown = sentence.text[a:b] if not trimmed else self.text_of(start, end)
                self.misfit(where, f"{what} {shown!r} does not start and end on token boundaries")
                return None
            a2, b2 = covering[0][0], covering[-1][1]
            if (a2, b2) != (a, b) or trimmed:
                snapped.append(f"moved to the tokens {sentence.text[a2:b2]!r}")
            a, b = a2, b2
        if snapped:
            self.misfit(where, f"{what}: " + "; ".join(snapped), "snapped")
        return sentence, a, b

    def sentences_of(self, covered: list[tuple[int, int]] | None) -> list[int]:
        if covered is None:
            return [s.index for s in self.sentences]
        out: set[int] = set()
        for lo, hi in covered:
            # trimmed to its non-whitespace text, which is what maps onto a stored copy
            piece = self.source[lo:hi]
            lo, hi = lo + len(piece) - len(piece.lstrip()), hi - (len(piece) - len(piece.rstrip()))
            stored = self.to_stored(lo, hi) if hi > lo else None
            if stored is not None:
                out.update(s.index for s in self.overlapping(*stored))
        return sorted(out)

    def annotation(self, ann: AnnotationIn) -> dict[int, dict[str, Any]]:
        self.who = ann.annotator
        out: dict[int, dict[str, Any]] = {
            i: {"entities": [], "stance": [], "events": []} for i in self.sentences_of(ann.covered)
        }
        wheres: dict[tuple[int, str, int], Where] = {}

        def slot(index: int) -> dict[str, Any]:
            return out.setdefault(index, {"entities": [], "stance": [], "events": []})

        for span in ann.entities:
            label = self.label(span.label)
            if label not in self.schema.entities:
                self.misfit(span.where, f"the label {span.label!r} is not in the schema" + (f" (mapped to {label!r})" if label != span.label else ""))
                continue
            hit = self.span(span.start, span.end, f"{span.label} span", span.where)
            if hit is None:
                continue
            sentence, a, b = hit
            items = slot(sentence.index)["entities"]
            wheres[(sentence.index, "entities", len(items))] = span.where
            items.append({"start": a, "end": b, "label": label})
        for stance in ann.stance:
            label = self.label(stance.label)
            target = self.label(stance.target) if stance.target is not None else (
                self.schema.targets[0] if len(self.schema.targets) == 1 else None
            )
            if target is None or target not in self.schema.targets:
                reason = (
                    f"the stance target {stance.target!r} is not in the schema" if stance.target is not None
                    else f"the stance label {stance.label!r} has no target and the schema has {len(self.schema.targets)} targets"
                )
                self.misfit(stance.where, reason)
                continue
            if label not in self.schema.stance_labels:
                self.misfit(stance.where, f"the stance label {stance.label!r} is not in the schema")
                continue
            scope = self.to_stored(stance.start, stance.end) if stance.end > stance.start else None
            targets = self.overlapping(*scope) if scope else []
            if not targets:
                self.misfit(stance.where, "the stance label's text is in no sentence")
            for sentence in targets:
                items = slot(sentence.index)["stance"]
                wheres[(sentence.index, "stance", len(items))] = stance.where
                items.append({"target": target, "label": label})
        for event in ann.events:
            event_type = self.label(event.type)
            if event_type not in self.schema.roles:
                self.misfit(event.where, f"the event type {event.type!r} is not in the schema")
                continue
            hit = self.span(event.trigger_start, event.trigger_end, f"{event.type} trigger", event.where)
            if hit is None:
                continue
            sentence, a, b = hit
            arguments = []
            for arg in event.arguments:
                role = self.label(arg.role)
                if role not in self.schema.roles[event_type]:
                    self.misfit(event.where, f"the role {arg.role!r} is not a role of {event_type!r} in the schema")
                    continue
                arg_hit = self.span(arg.start, arg.end, f"{arg.role} argument", event.where)
                if arg_hit is None:
                    continue
                if arg_hit[0].index != sentence.index:
                    self.misfit(event.where, f"the {arg.role} argument is in another sentence than the trigger")
                    continue
                arguments.append({"role": role, "start": arg_hit[1], "end": arg_hit[2]})
            items = slot(sentence.index)["events"]
            wheres[(sentence.index, "events", len(items))] = event.where
            items.append({"type": event_type, "trigger": {"start": a, "end": b}, "arguments": arguments})
        by_index = {s.index: s for s in self.sentences}
        for index, labels in out.items():
            self.validated(by_index[index], labels, wheres, ann.where)
        return out

    def validated(self, sentence: SentenceSlot, labels: dict[str, Any], wheres: dict[tuple[int, str, int], Where], fallback: Where) -> None:
        """Drop (and list) what the validator refuses, one item at a time, until it is valid."""
        for _ in range(1000):
            errors = validate_annotation(self.schema.raw, sentence.text, labels)
            if not errors:
                return
            error = errors[0]
            layer, _, rest = error["field"].partition("[")
            if layer not in ("entities", "stance", "events") or not rest:
                labels["entities"], labels["stance"], labels["events"] = [], [], []
                self.misfit(fallback, f"sentence {sentence.index}: {error['message']}; its labels are not imported")
                return
            position = int(rest.split("]", 1)[0])
            items = labels[layer]
            where = wheres.get((sentence.index, layer, position), fallback)
            self.misfit(where, error["message"])
            del items[position]
            # later items of this layer move up by one
            for k in range(position, len(items)):
                if (sentence.index, layer, k + 1) in wheres:
                    wheres[(sentence.index, layer, k)] = wheres[(sentence.index, layer, k + 1)]
        raise RuntimeError("validation did not converge")  # pragma: no cover


def place_document(
    document: DocumentIn,
    sentences: Sequence[SentenceSlot],
    *,
    schema: Mapping[str, Any],
    label_map: Mapping[str, str] | None = None,
    policy: Policy = "report",
    stored_text: str | None = None,
) -> Placed:
    """Place ``document``'s annotations and gold on ``sentences`` (see the module docstring).

    ``stored_text``: the text of the project's existing copy of the document when it differs
    from the imported one in whitespace only (same content hash); offsets are moved onto it.
    """
    placed = Placed()
    placer = _Placer(sentences, _Schema(schema), label_map or {}, policy, placed)
    placer.source = document.text
    if stored_text is not None and stored_text != document.text:
        placer.offsets = WhitespaceMap(document.text, stored_text)
    for ann in document.annotations:
        labels = placer.annotation(ann)
        placed.annotations[ann.annotator] = labels
        placed.spans += sum(len(v["entities"]) for v in labels.values())
        if ann.timed:
            spent: dict[int, float] = {}
            for lo, hi, seconds in ann.timed:
                indices = placer.sentences_of([(lo, hi)])
                for index in indices:
                    spent[index] = spent.get(index, 0.0) + seconds / len(indices)
            placed.seconds[ann.annotator] = spent
        elif ann.seconds is not None and labels:
            placed.seconds[ann.annotator] = {i: ann.seconds / len(labels) for i in labels}
    if document.gold is not None:
        placed.gold = placer.annotation(document.gold)
    return placed
