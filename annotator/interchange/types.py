"""What a reader produces: documents with each annotator's annotations, and problems (pure).

Offsets here are 0-based, end-exclusive Unicode code points relative to the *document*
text (``text[start:end]``), whatever the source format counted; readers convert. Placement
(:mod:`annotator.interchange.placement`) maps them onto our sentences.

Every problem names where it is (file, line when the format has lines, and a detail such as
``task 3, annotation 25``) and why. ``error`` problems make an import refuse everything;
``misfit`` problems are spans or labels that could not be read faithfully (listed, and fatal
under ``--on-misfit fail``); ``note`` problems are facts worth saying (a UTF-16 export
detected, a member file with nothing in it).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Literal

ProblemKind = Literal["error", "misfit", "note"]


@dataclass(frozen=True, slots=True)
class Where:
    file: str
    line: int | None = None
    detail: str = ""

    def __str__(self) -> str:
        out = self.file if self.line is None else f"{self.file}:{self.line}"
        return f"{out} ({self.detail})" if self.detail else out


@dataclass(frozen=True, slots=True)
class Problem:
    where: Where
    reason: str
    kind: ProblemKind = "error"

    def __str__(self) -> str:
        return f"{self.where}: {self.reason}"

    def as_dict(self) -> dict[str, Any]:
        return {
            "file": self.where.file,
            "line": self.where.line,
            "detail": self.where.detail,
            "reason": self.reason,
            "kind": self.kind,
        }


@dataclass(slots=True)
class SpanIn:
    """An entity: document offsets in code points, the source's label."""

    start: int
    end: int
    label: str
    where: Where


@dataclass(slots=True)
class StanceIn:
    """A text-level class (doccano ``cats``, Label Studio ``choices``) that applies to the
    sentences of ``[start, end)`` in the document; ``target`` None: the document's or the
    schema's only target, decided at placement."""

    label: str
    start: int
    end: int
    where: Where
    target: str | None = None


@dataclass(slots=True)
class ArgumentIn:
    role: str
    start: int
    end: int


@dataclass(slots=True)
class EventIn:
    type: str
    trigger_start: int
    trigger_end: int
    arguments: list[ArgumentIn]
    where: Where


@dataclass(slots=True)
class AnnotationIn:
    """One annotator's work on one document (or the document's gold, annotator "")."""

    annotator: str
    where: Where
    entities: list[SpanIn] = field(default_factory=list)
    stance: list[StanceIn] = field(default_factory=list)
    events: list[EventIn] = field(default_factory=list)
    seconds: float | None = None
    # document ranges the annotator worked on (an example, a sentence); None: all of it.
    # A sentence in range with no labels is an annotation with nothing in it, not a gap.
    covered: list[tuple[int, int]] | None = None
    # (start, end, seconds): time spent on a part (a Label Studio task's lead_time); the
    # sentences of each part share its seconds. Without parts, ``seconds`` is spread evenly.
    timed: list[tuple[int, int, float]] = field(default_factory=list)


@dataclass(slots=True)
class DocumentIn:
    """A document's text (its key is the source's id, used to match annotators' copies),
    every annotator's annotations of it, and optional gold."""

    key: str
    title: str
    text: str
    where: Where
    meta: dict[str, Any] = field(default_factory=dict)
    annotations: list[AnnotationIn] = field(default_factory=list)
    gold: AnnotationIn | None = None


@dataclass(slots=True)
class ReadResult:
    format: str
    documents: list[DocumentIn] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)

    @property
    def errors(self) -> list[Problem]:
        return [p for p in self.problems if p.kind == "error"]

    @property
    def misfits(self) -> list[Problem]:
        return [p for p in self.problems if p.kind == "misfit"]

    @property
    def notes(self) -> list[Problem]:
        return [p for p in self.problems if p.kind == "note"]

    @property
    def annotators(self) -> list[str]:
        return sorted({a.annotator for d in self.documents for a in d.annotations})

    def add(self, where: Where, reason: str, kind: ProblemKind = "error") -> None:
        self.problems.append(Problem(where, reason, kind))

    def raise_for_errors(self) -> None:
        if self.errors:
            raise ReadError(self.errors)


@dataclass(slots=True)
class ReadOptions:
    """``as_user``: the annotator name for single-annotator inputs (a CoNLL file, a brat
    folder) instead of the file or folder name; ``users``: Label Studio user id → name;
    ``choice_fields``: which JSON_MIN keys are choices (JSON_MIN mixes them with data)."""

    as_user: str | None = None
    users: dict[int, str] = field(default_factory=dict)
    source_name: str = ""  # the file or folder name the members came from
    choice_fields: tuple[str, ...] = ("stance",)  # Label Studio JSON_MIN keys holding a choice


class ReadError(Exception):
    """The input cannot be imported; ``problems`` says where and why (all of them)."""

    SHOWN = 20

    def __init__(self, problems: list[Problem]) -> None:
        self.problems = problems
        shown = "; ".join(str(p) for p in problems[: self.SHOWN])
        more = f"; and {len(problems) - self.SHOWN} more" if len(problems) > self.SHOWN else ""
        super().__init__(shown + more)
