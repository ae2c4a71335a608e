"""What an export covers and how sure it is: pure, no Django.

Every sentence of a project has exactly one **status** in an export:

- ``gold``: machine gold of the latest aggregation run (majority / Dawid–Skene above its threshold);
- ``adjudicated``: a lead's decision (edited, merged or one annotator's version accepted);
- ``disputed``: at least one submitted annotation but no standing gold: below the threshold,
  never aggregated, or reopened by a lead: exactly the sentences of the adjudication queue;
- ``unannotated``: no submitted annotation and no gold.

and a **confidence**: the aggregation's confidence for ``gold`` (and for ``disputed`` when a run
scored it), 1.0 for ``adjudicated``, ``None`` when nothing scored it. An export keeps the
records whose status is asked for and whose confidence reaches ``min_confidence`` (a record
without a confidence never does); the default keeps what is trustworthy for training,
``gold`` and ``adjudicated``. Whatever is left out is still counted, per status and split,
in the dataset card and the export's stats, and listed in the bundle's ``coverage.csv``.

Soft labels (:func:`soft_labels`) come from the same aggregation run as the status: the vote
fraction of every span anybody marked, of every stance label and event type, and under
Dawid–Skene the posterior of each.
"""

from __future__ import annotations

import hashlib
import hmac
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

STATUSES = ("gold", "adjudicated", "disputed", "unannotated")
DEFAULT_STATUSES = ("gold", "adjudicated")
LEAD_SOURCES = ("adjudicated", "accepted")
MACHINE_SOURCES = ("majority", "dawid-skene")
STATUS_MEANING = {
    "gold": "machine aggregation at or above the threshold",
    "adjudicated": "decided by a lead",
    "disputed": "submitted, but below the threshold or waiting in the adjudication queue",
    "unannotated": "no submitted annotation",
}


class FilterError(ValueError):
    """A bad filter option; ``field`` names it (``status`` or ``min_confidence``)."""

    def __init__(self, message: str, field: str) -> None:
        super().__init__(message)
        self.field = field


@dataclass(frozen=True)
class RecordFilter:
    """Which records an export keeps (see the module docstring)."""

    statuses: tuple[str, ...] = DEFAULT_STATUSES
    min_confidence: float | None = None

    def keeps(self, status: str, confidence: float | None) -> bool:
        if status not in self.statuses:
            return False
        return self.min_confidence is None or (confidence is not None and confidence >= self.min_confidence)

    def as_dict(self) -> dict[str, Any]:
        return {"status": list(self.statuses), "min_confidence": self.min_confidence}

    def describe(self) -> str:
        text = ", ".join(self.statuses)
        if self.min_confidence is not None:
            text += f"; confidence ≥ {self.min_confidence:g}"
        return text


def parse_statuses(value: str | Iterable[str] | None) -> tuple[str, ...]:
    """``"gold,adjudicated"``, a list of names or ``"all"`` → statuses in canonical order;
    ``None`` or empty → the default. Raises :class:`FilterError` naming an unknown status."""
    if value is None:
        return DEFAULT_STATUSES
    names = [v.strip() for v in (value.split(",") if isinstance(value, str) else value)]
    names = [n for n in names if n]
    if not names:
        return DEFAULT_STATUSES
    if "all" in names:
        return STATUSES
    unknown = [n for n in names if n not in STATUSES]
    if unknown:
        raise FilterError(
            f"unknown status {unknown[0]!r}; choose from {', '.join(STATUSES)} or all", field="status"
        )
    return tuple(s for s in STATUSES if s in names)


def record_filter(*, status: str | Iterable[str] | None = None, min_confidence: object = None) -> RecordFilter:
    """The validated filter, or :class:`FilterError`."""
    if min_confidence is not None:
        if isinstance(min_confidence, bool) or not isinstance(min_confidence, (int, float)) or not (
            0 <= float(min_confidence) <= 1
        ):
            raise FilterError("min_confidence must be a number from 0 to 1", field="min_confidence")
        min_confidence = float(min_confidence)
    return RecordFilter(parse_statuses(status), min_confidence)


def sentence_status(
    *,
    gold_source: str | None,
    reopened: bool,
    candidate_method: str | None,
    needs_adjudication: bool | None,
    submitted: bool,
) -> str:
    """The status of one sentence (see the module docstring). Machine gold counts only while the
    latest run confirms it (same method, not sent to adjudication); a reopened decision is back
    in the queue."""
    if gold_source is not None and not reopened:
        if gold_source in LEAD_SOURCES:
            return "adjudicated"
        if candidate_method is None:
            return "gold"
        if not needs_adjudication and (gold_source not in MACHINE_SOURCES or candidate_method == gold_source):
            return "gold"
    return "disputed" if submitted else "unannotated"


def _fraction(votes: int, n: int) -> float:
    return round(votes / n, 6) if n else 0.0


def soft_labels(method: str, decisions: Mapping[str, Any] | None) -> dict[str, Any]:
    """Soft labels of one sentence from its aggregation candidate's ``decisions``:
    ``entities``/``triggers``: every span anybody marked with ``votes`` of ``n`` and ``fraction``;
    ``stance``: per target the vote fraction of each label (``votes``) and, under Dawid–Skene,
    ``probs`` (the posterior of each label, summing to 1); ``events``: per event type anybody
    marked the vote ``fraction`` and, under Dawid–Skene, ``prob`` (posterior that it is present)."""
    decisions = decisions or {}
    stance: dict[str, Any] = {}
    for target, d in (decisions.get("stance") or {}).items():
        votes = d.get("votes") or {}
        n = sum(votes.values())
        entry: dict[str, Any] = {"votes": {label: _fraction(v, n) for label, v in votes.items()}, "n": n}
        if d.get("probs") is not None:
            entry["probs"] = {label: round(float(p), 6) for label, p in d["probs"].items()}
        stance[target] = entry
    events: dict[str, Any] = {}
    for etype, d in (decisions.get("events") or {}).items():
        entry = {"fraction": _fraction(int(d.get("yes", 0)), int(d.get("n", 0))), "n": int(d.get("n", 0))}
        if d.get("prob") is not None:
            entry["prob"] = round(float(d["prob"]), 6)
        events[etype] = entry
    return {
        "method": method,
        "entities": [{**e, "fraction": _fraction(e["votes"], e["n"])} for e in decisions.get("entities") or []],
        "triggers": [{**e, "fraction": _fraction(e["votes"], e["n"])} for e in decisions.get("triggers") or []],
        "stance": stance,
        "events": events,
    }


def entity_fraction(soft: Mapping[str, Any] | None, start: int, end: int, label: str) -> float | None:
    """The vote fraction of one entity span (0.0 when nobody marked it; None without soft labels)."""
    if not soft:
        return None
    for e in soft.get("entities") or []:
        if e["start"] == start and e["end"] == end and e["label"] == label:
            return float(e["fraction"])
    return 0.0


def pseudonym(secret: str, project_id: int, user_id: int) -> str:
    """A stable pseudonymous annotator id, ``ann-`` + 10 hex digits of an HMAC of the project and
    user ids: the same annotator keeps it across exports of a project, and it cannot be turned
    back into a name without the server's secret."""
    digest = hmac.new(secret.encode(), f"{project_id}:{user_id}".encode(), hashlib.sha256).hexdigest()
    return f"ann-{digest[:10]}"


def token_confidence(
    soft: Mapping[str, Any] | None, tags: list[str], offsets: list[list[int]]
) -> list[float | None]:
    """Per token, the fraction of annotators that agree with its IOB2 tag: for ``B-X``/``I-X``
    the best vote fraction of an ``X`` span over the token, for ``O`` one minus the best vote
    fraction of any span over it. ``None`` for every token without soft labels."""
    if not soft:
        return [None] * len(tags)
    spans = soft.get("entities") or []
    out: list[float | None] = []
    for tag, (a, b) in zip(tags, offsets, strict=True):
        over = [e for e in spans if e["start"] < b and a < e["end"]]
        if tag == "O":
            out.append(round(1.0 - max((float(e["fraction"]) for e in over), default=0.0), 6))
        else:
            out.append(max((float(e["fraction"]) for e in over if e["label"] == tag[2:]), default=0.0))
    return out


def stance_distribution(soft: Mapping[str, Any] | None, target: str, labels: list[str]) -> list[float] | None:
    """The soft stance of one target over ``labels`` (schema order): the Dawid–Skene posterior
    when there is one, else the vote fractions; None without soft labels."""
    entry = ((soft or {}).get("stance") or {}).get(target)
    if not entry:
        return None
    dist = entry.get("probs") or entry.get("votes") or {}
    return [float(dist.get(label, 0.0)) for label in labels]
