"""Span agreement as precision / recall / F1 between two annotators. Pure stdlib.

Spans are ``(start, end, label)`` (0-based, end-exclusive character offsets, as in CONTRACT.md)
or mappings with ``start``, ``end``, ``label`` keys. ``a`` is the reference side and ``b`` the
compared side: precision = matched / len(b), recall = matched / len(a). F1 is symmetric.

Matching is one-to-one, so no span counts twice:
- ``"exact"``: same start, end and label (spans are a multiset: a repeated span matches at most
  as many times as it occurs on the other side).
- ``"overlap"``: same label and the character ranges intersect (or are identical, so a
  zero-length span still matches itself and every exact match is an overlap match). Pairs are
  chosen by a *maximum-cardinality bipartite matching* per label (augmenting paths, Kuhn's
  algorithm), so the count does not depend on input order, unlike a greedy choice.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Hashable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any, Literal

Span = tuple[int, int, Hashable]
SpanLike = Sequence[Any] | Mapping[str, Any]
Match = Literal["exact", "overlap"]


@dataclass(frozen=True)
class SpanScores:
    """Counts and scores of one comparison; NaN scores with ``note`` where undefined.

    precision is undefined when ``b`` is empty, recall when ``a`` is empty, and f1 (computed as
    2 * matched / (a + b), equal to the harmonic mean whenever both are defined) only when both
    are empty.
    """

    matched: int
    a: int
    b: int
    precision: float
    recall: float
    f1: float
    note: str | None

    @classmethod
    def from_counts(cls, matched: int, a: int, b: int) -> SpanScores:
        """Scores from the number of matched pairs and the two span counts."""
        nan = float("nan")
        notes = []
        if b == 0:
            notes.append("b has no spans: precision undefined")
        if a == 0:
            notes.append("a has no spans: recall undefined")
        if a + b == 0:
            notes.append("f1 undefined")
        return cls(
            matched,
            a,
            b,
            matched / b if b else nan,
            matched / a if a else nan,
            2.0 * matched / (a + b) if a + b else nan,
            "; ".join(notes) or None,
        )

    def as_dict(self) -> dict[str, float | int]:
        """The CONTRACT.md shape: ``{"precision","recall","f1","matched","a","b"}``."""
        return {
            "precision": self.precision,
            "recall": self.recall,
            "f1": self.f1,
            "matched": self.matched,
            "a": self.a,
            "b": self.b,
        }


def _as_span(span: SpanLike) -> Span:
    if isinstance(span, Mapping):
        start, end, label = span["start"], span["end"], span["label"]
    else:
        start, end, label = span
    start, end = int(start), int(end)
    if start < 0 or end < start:
        raise ValueError(f"bad span offsets {start}..{end}: need 0 <= start <= end")
    return start, end, label


def _max_matching(adj: list[list[int]], n_right: int) -> int:
    """Size of a maximum bipartite matching (Kuhn's augmenting paths, iterative DFS)."""
    match_r = [-1] * n_right
    size = 0
    for root in range(len(adj)):
        visited: set[int] = set()
        stack = [(root, iter(adj[root]))]
        via: list[int] = []  # via[i]: right vertex linking stack[i] to stack[i + 1]
        found = False
        while stack and not found:
            _, neighbours = stack[-1]
            for r in neighbours:
                if r in visited:
                    continue
                visited.add(r)
                via.append(r)
                if match_r[r] == -1:
                    for (left, _), right in zip(stack, via, strict=True):
                        match_r[right] = left
                    found = True
                else:
                    stack.append((match_r[r], iter(adj[match_r[r]])))
                break
            else:
                stack.pop()
                if via:
                    via.pop()
        size += found
    return size


def _overlap_matched(a: list[Span], b: list[Span]) -> int:
    by_label_b: dict[Hashable, list[tuple[int, int]]] = defaultdict(list)
    for s, e, label in b:
        by_label_b[label].append((s, e))
    by_label_a: dict[Hashable, list[tuple[int, int]]] = defaultdict(list)
    for s, e, label in a:
        by_label_a[label].append((s, e))
    total = 0
    for label, left in by_label_a.items():
        right = by_label_b.get(label, [])
        adj = [
            [j for j, (s2, e2) in enumerate(right) if (s < e2 and s2 < e) or (s, e) == (s2, e2)]
            for s, e in left
        ]
        total += _max_matching(adj, len(right))
    return total


def matched_count(spans_a: Iterable[SpanLike], spans_b: Iterable[SpanLike], match: Match = "exact") -> int:
    """Number of one-to-one matched pairs between the two span lists (see module docstring)."""
    a = [_as_span(s) for s in spans_a]
    b = [_as_span(s) for s in spans_b]
    if match == "exact":
        return sum((Counter(a) & Counter(b)).values())
    if match == "overlap":
        return _overlap_matched(a, b)
    raise ValueError(f"match must be 'exact' or 'overlap', got {match!r}")


def span_scores(
    spans_a: Iterable[SpanLike], spans_b: Iterable[SpanLike], match: Match = "exact"
) -> SpanScores:
    """``span_f1`` as a ``SpanScores`` with a note saying what is undefined."""
    a = [_as_span(s) for s in spans_a]
    b = [_as_span(s) for s in spans_b]
    return SpanScores.from_counts(matched_count(a, b, match), len(a), len(b))


def span_f1(
    spans_a: Iterable[SpanLike], spans_b: Iterable[SpanLike], match: Match = "exact"
) -> dict[str, float | int]:
    """Precision, recall and F1 of ``spans_b`` against ``spans_a``.

    Returns ``{"precision", "recall", "f1", "matched", "a", "b"}``; a score is NaN where it is
    undefined (both lists empty: all three NaN). See the module docstring for matching rules.
    """
    return span_scores(spans_a, spans_b, match).as_dict()


def span_f1_per_label(
    spans_a: Iterable[SpanLike], spans_b: Iterable[SpanLike], match: Match = "exact"
) -> dict[Hashable, dict[str, float | int]]:
    """``span_f1`` for each label present on either side (keys sorted when sortable)."""
    a = [_as_span(s) for s in spans_a]
    b = [_as_span(s) for s in spans_b]
    labels = list(dict.fromkeys([s[2] for s in a] + [s[2] for s in b]))
    try:
        labels.sort()  # type: ignore[call-arg]
    except TypeError:
        pass
    return {
        label: span_f1([s for s in a if s[2] == label], [s for s in b if s[2] == label], match)
        for label in labels
    }


def span_f1_total(
    documents: Iterable[tuple[Iterable[SpanLike], Iterable[SpanLike]]], match: Match = "exact"
) -> SpanScores:
    """Micro-averaged scores over many ``(spans_a, spans_b)`` pairs (e.g. one per sentence):
    matched, a and b are summed first, so spans never match across documents."""
    matched = n_a = n_b = 0
    for spans_a, spans_b in documents:
        a = [_as_span(s) for s in spans_a]
        b = [_as_span(s) for s in spans_b]
        matched += matched_count(a, b, match)
        n_a += len(a)
        n_b += len(b)
    return SpanScores.from_counts(matched, n_a, n_b)
