"""span_f1: exact vs overlap, one-to-one matching, labels must match, undefined cases."""

from __future__ import annotations

import math

import pytest

from annotator.agreement import span_f1, span_f1_per_label, span_f1_total, span_scores


def test_exact_needs_same_offsets_and_label() -> None:
    gold = [(0, 6, "GPE"), (10, 15, "PER")]
    pred = [(0, 6, "GPE"), (10, 14, "PER"), (20, 25, "ORG")]
    assert span_f1(gold, pred) == {
        "precision": pytest.approx(1 / 3),
        "recall": 0.5,
        "f1": pytest.approx(2 / 5),
        "matched": 1,
        "a": 2,
        "b": 3,
    }


def test_overlap_counts_intersecting_ranges() -> None:
    assert span_f1([(10, 15, "PER")], [(10, 14, "PER")], match="overlap")["f1"] == 1.0


def test_overlap_requires_same_label() -> None:
    assert span_f1([(0, 6, "GPE")], [(0, 6, "ORG")], match="overlap")["matched"] == 0


def test_touching_spans_do_not_overlap() -> None:
    # end-exclusive offsets: [0, 5) and [5, 9) share no character
    assert span_f1([(0, 5, "X")], [(5, 9, "X")], match="overlap")["matched"] == 0


def test_overlap_is_one_to_one_two_predictions_on_one_gold_span() -> None:
    res = span_f1([(0, 10, "X")], [(0, 4, "X"), (5, 10, "X")], match="overlap")
    assert (res["matched"], res["precision"], res["recall"]) == (1, 0.5, 1.0)


def test_overlap_uses_maximum_matching_not_first_come() -> None:
    # Greedy in input order pairs (0,5) with (4,7) and leaves (6,9) unmatched; the maximum
    # matching pairs (0,5)-(0,3) and (6,9)-(4,7).
    gold = [(0, 5, "X"), (6, 9, "X")]
    pred = [(4, 7, "X"), (0, 3, "X")]
    assert span_f1(gold, pred, match="overlap")["matched"] == 2


def test_exact_duplicates_match_at_most_once_each() -> None:
    res = span_f1([(0, 2, "X")], [(0, 2, "X"), (0, 2, "X")])
    assert (res["matched"], res["precision"]) == (1, 0.5)


def test_dict_spans_are_accepted() -> None:
    gold = [{"start": 0, "end": 6, "label": "GPE"}]
    assert span_f1(gold, [(0, 6, "GPE")])["f1"] == 1.0


def test_both_empty_is_nan_with_note() -> None:
    res = span_scores([], [])
    assert all(math.isnan(x) for x in (res.precision, res.recall, res.f1)) and res.note


def test_one_side_empty_gives_zero_f1_and_nan_precision() -> None:
    res = span_f1([(0, 1, "X")], [])
    assert res["f1"] == 0.0 and res["recall"] == 0.0 and math.isnan(res["precision"])


def test_bad_offsets_raise() -> None:
    with pytest.raises(ValueError):
        span_f1([(5, 2, "X")], [])


def test_unknown_match_mode_raises() -> None:
    with pytest.raises(ValueError):
        span_f1([], [], match="fuzzy")  # type: ignore[arg-type]


def test_per_label_results() -> None:
    gold = [(0, 6, "GPE"), (10, 15, "PER")]
    pred = [(0, 6, "GPE"), (10, 14, "PER")]
    out = span_f1_per_label(gold, pred)
    assert list(out) == ["GPE", "PER"]
    assert out["GPE"]["f1"] == 1.0 and out["PER"]["f1"] == 0.0
    assert span_f1_per_label(gold, pred, match="overlap")["PER"]["f1"] == 1.0


def test_total_sums_counts_over_documents() -> None:
    res = span_f1_total([([(0, 2, "X")], [(0, 2, "X")]), ([(0, 2, "X")], [])])
    assert (res.matched, res.a, res.b, res.f1) == (1, 2, 1, pytest.approx(2 / 3))
