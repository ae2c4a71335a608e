"""Gold aggregation: majority vote, span voting, Dawid–Skene."""

from __future__ import annotations

from typing import Any

import numpy as np

from annotator.gold.aggregation import (
    adjudication_queue,
    aggregate_gold,
    dawid_skene,
    majority_vote,
    vote_spans,
)

SCHEMA: dict[str, Any] = {
    "entity_types": [{"name": "GPE"}, {"name": "PER"}],
    "stance": {"targets": ["pact"], "labels": ["favor", "against", "neutral", "none"]},
    "event_types": [{"name": "Movement:Transport", "roles": ["Artifact"]}],
}


def test_majority_tie_picks_first_label_and_is_not_accepted() -> None:
    labels = np.array([[1, 0, -1], [2, 2, 1], [-1, -1, -1], [3, 1, 1]])
    mv = majority_vote(labels, 4, threshold=0.5)
    assert mv.label.tolist() == [0, 2, -1, 1]  # tie 0 vs 1 → 0, deterministic
    assert mv.tie.tolist() == [True, False, False, False]
    assert mv.accepted.tolist() == [False, True, False, True]
    assert np.allclose(mv.confidence[[1, 3]], [2 / 3, 2 / 3])


def test_majority_threshold_is_a_fraction_of_annotators() -> None:
    labels = np.array([[0, 0, 1, 2]])  # 2 of 4
    assert majority_vote(labels, 3, threshold=0.5).accepted[0]
    assert not majority_vote(labels, 3, threshold=0.6).accepted[0]


def test_span_vote_keeps_quorum_and_flags_near_misses() -> None:
    a1 = [(0, 6, "GPE"), (10, 15, "PER")]
    a2 = [(0, 6, "GPE"), (10, 16, "PER")]
    a3 = [(0, 6, "PER")]
    vote = vote_spans([a1, a2, a3], threshold=0.5)
    assert [k[:3] for k in vote.kept] == [(0, 6, "GPE")]
    kinds = sorted(f["kind"] for f in vote.flags)
    assert kinds == ["near_miss_boundary", "near_miss_label"]
    # two annotators saw a PER at 10 but disagreed on the end: unresolved → adjudication
    assert vote.unresolved


def _item(sid: int, anns: list[dict[str, Any]]) -> dict[str, Any]:
    return {
        "sentence_id": sid,
        "annotations": [
            {
                "annotator": f"a{j}",
                "entities": a.get("entities", []),
                "stance": a.get("stance", []),
                "events": a.get("events", []),
            }
            for j, a in enumerate(anns)
        ],
    }


def test_aggregate_gold_candidates_and_queue_order() -> None:
    ev = {
        "type": "Movement:Transport",
        "trigger": {"start": 7, "end": 11},
        "arguments": [{"role": "Artifact", "start": 12, "end": 18}],
    }
    agree = {
        "entities": [{"start": 0, "end": 6, "label": "GPE"}],
        "stance": [{"target": "pact", "label": "neutral"}],
        "events": [ev],
    }
    items = [
        _item(1, [agree, agree, agree]),
        _item(
            2,
            [
                {"stance": [{"target": "pact", "label": "favor"}]},
                {"stance": [{"target": "pact", "label": "against"}]},
            ],
        ),
        _item(3, [agree, agree, {"stance": [{"target": "pact", "label": "favor"}]}]),
    ]
    result = aggregate_gold(iter(items), schema=SCHEMA)
    c1, c2, c3 = result.candidates()
    assert c1["gold"] == {
        "entities": [{"start": 0, "end": 6, "label": "GPE"}],
        "stance": [{"target": "pact", "label": "neutral"}],
        "events": [ev],
    }
    assert c1["confidence"] == 1.0 and not c1["needs_adjudication"]
    assert c2["needs_adjudication"] and c2["gold"]["stance"] == [
        {"target": "pact", "label": "favor"}
    ]  # tie → first in schema order
    assert not c3["needs_adjudication"] and abs(c3["confidence"] - 2 / 3) < 1e-9
    assert [q["sentence_id"] for q in result.adjudication_queue()] == [2]
    assert adjudication_queue([c3, c2, c1])[0]["sentence_id"] == 2


def _synthetic(
    seed: int, items: int, acc: list[float], k: int
) -> tuple[np.ndarray, np.ndarray]:
    rng = np.random.default_rng(seed)
    truth = rng.integers(0, k, items)
    labels = np.empty((items, len(acc)), dtype=np.int64)
    for j, a in enumerate(acc):
        wrong = (
            truth + rng.integers(1, k, items)
        ) % k  # uniform over the other classes
        labels[:, j] = np.where(rng.random(items) < a, truth, wrong)
    return truth, labels


def test_dawid_skene_recovers_reliabilities_and_beats_majority() -> None:
    acc = [0.95, 0.55, 0.5, 0.45, 0.4]
    truth, labels = _synthetic(7, 4000, acc, 3)
    ds = dawid_skene(labels, 3)
    assert ds.converged
    diag = np.array([np.diag(c).mean() for c in ds.confusion])
    assert np.allclose(diag, acc, atol=0.04), diag
    mv = majority_vote(labels, 3)
    assert (ds.label == truth).mean() > (mv.label == truth).mean() + 0.05


def test_dawid_skene_handles_missing_labels_and_is_deterministic() -> None:
    _truth, labels = _synthetic(3, 500, [0.9, 0.8, 0.7], 4)
    labels[::3, 0] = -1
    labels[5] = -1
    a, b = dawid_skene(labels, 4), dawid_skene(labels, 4)
    assert np.array_equal(a.posteriors, b.posteriors)
    assert a.label[5] == -1 and np.isnan(a.confidence[5])
    assert np.allclose(a.posteriors.sum(axis=1), 1.0)


def test_aggregate_with_dawid_skene_reports_posterior_confidence() -> None:
    items = [
        _item(i, [{"stance": [{"target": "pact", "label": "favor"}]}] * 3)
        for i in range(20)
    ]
    result = aggregate_gold(items, schema=SCHEMA, method="dawid-skene")
    first = next(result.candidates())
    assert first["method"] == "dawid-skene"
    assert first["gold"]["stance"] == [{"target": "pact", "label": "favor"}]
    assert first["confidence"] > 0.9
    assert "stance:pact" in result.models
