"""Shared fixture records for the format tests, plus tests of the shared helpers."""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

import pytest

from annotator.exports.formats import ExportStats
from annotator.exports.formats._common import (
    TokenIndex,
    TokenSpan,
    select_non_overlapping,
)

SCHEMA: dict[str, Any] = {
    "entity_types": [{"name": "GPE"}, {"name": "ORG"}, {"name": "PER"}],
    "allow_overlapping_entities": True,
    "stance": {
        "targets": ["the Russia–North Korea defence pact"],
        "labels": ["favor", "against", "neutral", "none"],
    },
    "event_types": [
        {"name": "Movement:Transport", "roles": ["Agent", "Artifact", "Destination"]},
        {"name": "Conflict:Attack", "roles": ["Attacker", "Target"]},
    ],
}
TARGET = SCHEMA["stance"]["targets"][0]
_TOKEN = re.compile(r"\w+|[^\w\s]")


def tokens(text: str) -> list[list[int]]:
    return [[m.start(), m.end()] for m in _TOKEN.finditer(text)]


def span(
    text: str, needle: str, label: str | None = None, nth: int = 0
) -> dict[str, Any]:
    start = -1
    for _ in range(nth + 1):
        start = text.index(needle, start + 1)
    out: dict[str, Any] = {"start": start, "end": start + len(needle)}
    if label:
        out["label"] = label
    return out


def make_doc(
    doc_id: int,
    split: str,
    sentences: list[tuple[str, dict[str, Any]]],
    *,
    with_text: bool = False,
    gap: str = " ",
) -> Iterator[dict[str, Any]]:
    pos = 0
    full = gap.join(s for s, _ in sentences)
    for index, (text, gold) in enumerate(sentences):
        document: dict[str, Any] = {
            "id": doc_id,
            "title": f"Doc {doc_id}",
            "source": "test",
            "split": split,
        }
        if with_text:
            document["text"] = full
        yield {
            "document": document,
            "sentence": {
                "id": doc_id * 100 + index,
                "index": index,
                "start": pos,
                "end": pos + len(text),
                "text": text,
                "tokens": tokens(text),
            },
            "gold": {
                "entities": gold.get("entities", []),
                "stance": gold.get("stance", []),
                "events": gold.get("events", []),
            },
            "provenance": {
                "source": "adjudicated",
                "by": "lead",
                "at": "2026-01-02T03:04:05Z",
                "annotations": [1, 2],
                "confidence": 0.9,
            },
        }
        pos += len(text) + len(gap)


S_EMOJI = "🚀 Russia sent troops to Pyongyang."
S_NESTED = "The Russia–North Korea defence pact worries Seoul."
S_SNAP = "Kim Jong Un met officials in Vladivostok\non Tuesday."
S_PLAIN = "Nothing happened."


def fixture_records() -> Iterator[dict[str, Any]]:
    """Three documents (train/dev/test) covering emoji offsets, nesting, snapping, events."""
    yield from make_doc(
        7,
        "train",
        [
            (
                S_EMOJI,
                {
                    "entities": [
                        span(S_EMOJI, "Russia", "GPE"),
                        span(S_EMOJI, "Pyongyang", "GPE"),
                    ],
                    "stance": [{"target": TARGET, "label": "neutral"}],
                    "events": [
                        {
                            "type": "Movement:Transport",
                            "trigger": span(S_EMOJI, "sent"),
                            "arguments": [
                                {"role": "Agent", **span(S_EMOJI, "Russia")},
                                {"role": "Artifact", **span(S_EMOJI, "troops")},
                                {"role": "Destination", **span(S_EMOJI, "Pyongyang")},
                            ],
                        }
                    ],
                },
            ),
            (
                S_NESTED,
                {
                    "entities": [
                        span(S_NESTED, "Russia–North Korea defence pact", "ORG"),
                        span(S_NESTED, "Russia", "GPE"),
                        span(S_NESTED, "North Korea", "GPE"),
                        span(S_NESTED, "Seoul", "GPE"),
                    ],
                    "stance": [{"target": TARGET, "label": "against"}],
                },
            ),
        ],
        with_text=True,
    )
    yield from make_doc(
        8,
        "dev",
        [
            # "Vladivos" starts mid-token? no: snap "ivostok" (mid-token) and "Kim Jong U" (partial)
            (
                S_SNAP,
                {
                    "entities": [
                        {
                            "start": 0,
                            "end": 10,
                            "label": "PER",
                        },  # "Kim Jong U" → snapped
                        {**span(S_SNAP, "ivostok"), "label": "GPE"},
                    ],  # mid-token → snapped
                    "events": [
                        {
                            "type": "Conflict:Attack",
                            "trigger": span(S_SNAP, "met"),
                            "arguments": [
                                {"role": "Target", **span(S_SNAP, "officials")},
                                {"role": "Target", **span(S_SNAP, "Tuesday")},
                            ],
                        }
                    ],
                },
            ),
            (S_PLAIN, {}),
        ],
        gap="\n\n",
    )
    yield from make_doc(
        9,
        "test",
        [
            (
                S_EMOJI,
                {
                    "entities": [span(S_EMOJI, "Russia", "GPE")],
                    "stance": [{"target": TARGET, "label": "favor"}],
                },
            ),
        ],
    )


def test_snap_widens_to_token_boundaries() -> None:
    index = TokenIndex(tokens("Kim Jong Un met"))
    assert index.snap(0, 10) == (0, 3, True)
    assert index.snap(0, 3) == (0, 1, False)
    assert index.snap(3, 4) is None  # only whitespace under the span


def test_overlap_rule_keeps_longest_then_earliest() -> None:
    spans = [
        TokenSpan(1, 2, "GPE", False, 0),
        TokenSpan(0, 5, "ORG", False, 1),
        TokenSpan(6, 8, "GPE", False, 2),
        TokenSpan(7, 9, "PER", False, 3),
    ]
    kept, excluded = select_non_overlapping(spans)
    assert [(s.first, s.label) for s in kept] == [(0, "ORG"), (6, "GPE")]
    assert sorted(s.label for s in excluded) == ["GPE", "PER"]


def test_stats_keep_bounded_problem_examples() -> None:
    stats = ExportStats("x")
    for _ in range(500):
        stats.problem("snag", sentence_id=1)
    assert stats.counts["snag"] == 500 and len(stats.problems) == 50


@pytest.fixture
def schema() -> dict[str, Any]:
    return SCHEMA
