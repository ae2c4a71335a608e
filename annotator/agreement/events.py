"""Event agreement by part, the standard ACE event-extraction scoring split. Pure numpy + stdlib.

Definitions (Li, Ji and Huang 2013, "Joint Event Extraction via Structured Prediction with
Global Features", ACL, section 5.1, after Ji and Grishman 2008), with exact character offsets:

- **trigger identification**: a trigger matches one with the same offsets (any type);
- **trigger classification**: ... with the same offsets and event type;
- **argument identification**: an argument matches one with the same offsets in an event of the
  same type (any role);
- **argument classification**: ... and the same role.

Matching is one-to-one (a repeated item matches at most as often as the other side has it).
Between annotators every pair (i < j, i the reference: precision = matched / j's items, recall =
matched / i's items) is scored over the sentences both submitted, counts summed over those
sentences; a figure is the mean over the pairs where it is defined. Per event type: trigger
classification and argument identification and classification restricted to that type; per
role: argument classification restricted to that role (over all types). Identification ignores
the label it would be grouped by, so it has no per-type (triggers) or per-role figure.

Counts are integers per (part, grouping, label, pair): blocks of sentences merge by addition.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping, Sequence
from itertools import combinations
from typing import Any

import numpy as np
import numpy.typing as npt

from annotator.agreement.spans import SpanScores

PARTS = ("trigger_identification", "trigger_classification", "argument_identification", "argument_classification")
# (part, rows: "triggers" | "arguments", key columns after the section, groupings: name -> column)
# trigger rows: coder, section, start, end, type; argument rows: coder, section, type, start, end, role
_SPEC: dict[str, tuple[str, list[int], dict[str, int]]] = {
    "trigger_identification": ("triggers", [2, 3], {}),
    "trigger_classification": ("triggers", [2, 3, 4], {"type": 4}),
    "argument_identification": ("arguments", [2, 3, 4], {"type": 2}),
    "argument_classification": ("arguments", [2, 3, 4, 5], {"type": 2, "role": 5}),
}
Key = tuple[str, str, str, int, int]  # part, grouping ("" = all), label, annotator i, annotator j
IntArray = npt.NDArray[np.int64]


def _unique_rows(rows: IntArray) -> tuple[IntArray, IntArray]:
    """``np.unique(rows, axis=0, return_inverse=True)`` for non-negative ints; packs each row
    into one int64 when the columns' ranges allow (a 1-D sort is much faster than a row sort)."""
    widths = [int(c) + 1 for c in rows.max(axis=0)] if len(rows) else []
    if rows.size and rows.min() >= 0 and math.prod(widths) < 2**62:
        key = np.zeros(len(rows), dtype=np.int64)
        for col, width in enumerate(widths):
            key = key * width + rows[:, col]
        packed, first, inv = np.unique(key, return_index=True, return_inverse=True)
        return rows[first], inv.reshape(-1)
    uniq, inv = np.unique(rows, axis=0, return_inverse=True)
    return uniq, inv.reshape(-1)


class EventPartCounts:
    """Matched / i's / j's item counts per part, grouping, label and annotator pair."""

    def __init__(self) -> None:
        self.counts: dict[Key, list[int]] = {}

    def _add(self, key: Key, values: Sequence[int]) -> None:
        row = self.counts.setdefault(key, [0, 0, 0])
        for x in range(3):
            row[x] += int(values[x])

    @classmethod
    def from_arrays(
        cls, *, triggers: npt.ArrayLike, arguments: npt.ArrayLike, members: npt.ArrayLike,
        types: Sequence[str], roles: Sequence[str],
    ) -> EventPartCounts:
        """Counts of one block of sentences. ``triggers`` rows are (annotator, sentence, start,
        end, type code), ``arguments`` rows (annotator, sentence, type code, start, end, role
        code); ``members[s, k]`` says whether annotator k submitted sentence s. Vectorised."""
        out = cls()
        member = np.asarray(members, dtype=bool)
        if member.ndim != 2 or member.shape[1] < 2:
            return out
        rows = {"triggers": np.asarray(triggers, dtype=np.int64).reshape(-1, 5),
                "arguments": np.asarray(arguments, dtype=np.int64).reshape(-1, 6)}
        names = {"type": list(types), "role": list(roles)}
        pairs = [(i, j) for i, j in combinations(range(member.shape[1]), 2)
                 if bool((member[:, i] & member[:, j]).any())]
        for part, (kind, cols, groupings) in _SPEC.items():
            data = rows[kind]
            if len(data):
                uniq, inv = _unique_rows(data[:, [1, *cols]])
                per_coder = np.zeros((len(uniq), member.shape[1]), dtype=np.int64)
                np.add.at(per_coder, (inv.reshape(-1), data[:, 0]), 1)
                section = uniq[:, 0]
            for i, j in pairs:
                if not len(data):
                    out._add((part, "", "", i, j), (0, 0, 0))
                    continue
                shared = member[section, i] & member[section, j]
                a, b = per_coder[shared, i], per_coder[shared, j]
                matched = np.minimum(a, b)
                out._add((part, "", "", i, j), (int(matched.sum()), int(a.sum()), int(b.sum())))
                for grouping, col in groupings.items():
                    # position of the grouping column among the unique rows' columns
                    label = uniq[shared, 1 + cols.index(col)]
                    width = len(names[grouping])
                    sums = [np.bincount(label, weights=v, minlength=width) for v in (matched, a, b)]
                    for code in np.flatnonzero(sums[1] + sums[2]).tolist():
                        out._add((part, grouping, names[grouping][code], i, j),
                                 (int(sums[0][code]), int(sums[1][code]), int(sums[2][code])))
        return out

    def merge(self, other: EventPartCounts) -> None:
        for key, values in other.counts.items():
            self._add(key, values)

    def partial(self) -> list[list[Any]]:
        return [[*key, *values] for key, values in sorted(self.counts.items())]

    @classmethod
    def from_partial(cls, partial: Iterable[Sequence[Any]]) -> EventPartCounts:
        out = cls()
        for part, grouping, label, i, j, *values in partial:
            out._add((str(part), str(grouping), str(label), int(i), int(j)), values)
        return out

    def summary(self, type_order: Sequence[str] = ()) -> dict[str, Any]:
        """``{part: scores, ..., "per_type": {type: {part: scores}}, "per_role": {role: {part:
        scores}}}``; scores are the mean over annotator pairs (see the module docstring)."""
        grouped: dict[tuple[str, str, str], list[list[int]]] = {}
        for (part, grouping, label, _, _), values in sorted(self.counts.items()):
            grouped.setdefault((part, grouping, label), []).append(values)
        out: dict[str, Any] = {part: averaged(grouped.get((part, "", ""), [])) for part in PARTS}
        for grouping, key in (("type", "per_type"), ("role", "per_role")):
            labels = sorted({label for (_, g, label) in grouped if g == grouping})
            ordered = [t for t in type_order if t in labels] + [t for t in labels if t not in type_order]
            out[key] = {
                label: {part: averaged(grouped[(part, grouping, label)]) for part in PARTS
                        if (part, grouping, label) in grouped}
                for label in ordered
            }
        return out


_UNDEFINED = {
    "f1": "no annotator pair marked any such item",
    "precision": "the second annotator of every pair marked none",
    "recall": "the first annotator (the reference) of every pair marked none",
}


def averaged(pair_counts: Sequence[Sequence[int]]) -> dict[str, Any]:
    """F1, precision and recall: the mean over pairs where each is defined (None with a note
    where no pair defines it), with the number of pairs and the summed counts."""
    scores = [SpanScores.from_counts(int(m), int(a), int(b)) for m, a, b in pair_counts]
    out: dict[str, Any] = {}
    for name in ("f1", "precision", "recall"):
        values = [getattr(s, name) for s in scores if math.isfinite(getattr(s, name))]
        if values:
            out[name] = round(sum(values) / len(values), 6)
        else:
            out[name] = None
            out[f"{name}_note"] = "no annotator pair shares a sentence" if not scores else _UNDEFINED[name]
    out["pairs"] = sum(1 for s in scores if math.isfinite(s.f1))
    out["matched"] = sum(s.matched for s in scores)
    out["a"] = sum(s.a for s in scores)
    out["b"] = sum(s.b for s in scores)
    return out


class EventRows:
    """Collects event rows sentence by sentence (cheap appends) for ``EventPartCounts``."""

    def __init__(self) -> None:
        self._reset()

    def _reset(self) -> None:
        # flat int lists, one extend per item: arrays are built once per block
        self.triggers: list[int] = []  # annotator, sentence, start, end, type
        self.arguments: list[int] = []  # annotator, sentence, type, start, end, role
        self.members: list[int] = []  # sentence, annotator
        self.sections = 0
        self.types: dict[str, int] = {}
        self.roles: dict[str, int] = {}

    def add(self, per_annotator: Mapping[int, Iterable[Mapping[str, Any]] | None]) -> None:
        s = self.sections
        self.sections += 1
        types, roles = self.types, self.roles
        triggers, arguments = self.triggers, self.arguments
        for k, events in per_annotator.items():
            self.members.extend((s, k))
            for ev in events or ():
                name = str(ev["type"])
                t = types.get(name)
                if t is None:
                    t = types[name] = len(types)
                trigger = ev["trigger"]
                triggers.extend((k, s, int(trigger["start"]), int(trigger["end"]), t))
                for arg in ev.get("arguments") or ():
                    role = str(arg["role"])
                    r = roles.get(role)
                    if r is None:
                        r = roles[role] = len(roles)
                    arguments.extend((k, s, t, int(arg["start"]), int(arg["end"]), r))

    def counts(self, n_annotators: int | None = None) -> EventPartCounts:
        """The collected sentences' counts; the collector is emptied."""
        if not self.sections:
            return EventPartCounts()
        at = np.fromiter(self.members, dtype=np.int64, count=len(self.members)).reshape(-1, 2)
        n = max(n_annotators or 0, 1 + int(at[:, 1].max()) if len(at) else 0)
        members = np.zeros((self.sections, n), dtype=bool)
        members[at[:, 0], at[:, 1]] = True
        out = EventPartCounts.from_arrays(
            triggers=np.fromiter(self.triggers, dtype=np.int64, count=len(self.triggers)).reshape(-1, 5),
            arguments=np.fromiter(self.arguments, dtype=np.int64, count=len(self.arguments)).reshape(-1, 6),
            members=members, types=list(self.types), roles=list(self.roles),
        )
        self._reset()
        return out


def event_part_f1(events_a: Iterable[Mapping[str, Any]], events_b: Iterable[Mapping[str, Any]]) -> dict[str, Any]:
    """The four ACE parts (and per type / per role) between two annotations of one sentence in
    the CONTRACT.md event shape, ``events_a`` the reference (e.g. a control item's answer)."""
    rows = EventRows()
    rows.add({0: list(events_a), 1: list(events_b)})
    return rows.counts(2).summary()
