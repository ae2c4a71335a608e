"""Undefined cases give NaN with a note; inputs are read the way the docstrings say."""

from __future__ import annotations

import math

import numpy as np
import pytest

from annotator.agreement import (
    alpha_with_note,
    category_counts,
    cohen_kappa,
    cohen_kappa_with_note,
    confusion_matrix,
    fleiss_category_kappas,
    fleiss_kappa,
    fleiss_kappa_with_note,
    krippendorff_alpha,
    pairwise_confusion_matrices,
    percent_agreement_with_note,
    set_alpha,
    set_alpha_with_note,
    specific_agreement,
)


def test_alpha_all_coders_agree_on_one_category_is_nan_not_one() -> None:
    res = alpha_with_note([["x", "x", "x"], ["x", "x", "x"]])
    assert math.isnan(res.value) and "same" in (res.note or "")


def test_alpha_without_pairable_units_is_nan_with_note() -> None:
    res = alpha_with_note([[1, None, 3], [None, 2, None]])
    assert math.isnan(res.value) and "pairable" in (res.note or "")


@pytest.mark.parametrize("empty", [[], [[]], [[], []], np.empty((3, 0))])
def test_alpha_of_empty_input_is_nan(empty: object) -> None:
    assert math.isnan(krippendorff_alpha(empty))  # type: ignore[arg-type]


def test_alpha_drops_a_unit_with_one_value() -> None:
    base = [[1, 2, 2, 1], [1, 2, 1, 1]]
    with_single = [[1, 2, 2, 1, 2], [1, 2, 1, 1, None]]
    assert krippendorff_alpha(with_single) == krippendorff_alpha(base)


def test_alpha_nan_and_none_are_both_missing() -> None:
    assert krippendorff_alpha([[1, None, 2], [1, 2, 2]]) == krippendorff_alpha(
        np.array([[1, np.nan, 2], [1, 2, 2]])
    )


def test_alpha_rejects_unknown_level_and_non_numeric_interval() -> None:
    with pytest.raises(ValueError):
        krippendorff_alpha([[1, 2]], "bogus")  # type: ignore[arg-type]
    with pytest.raises(ValueError):
        krippendorff_alpha([["a", "b"], ["a", "a"]], "interval")


def test_alpha_rejects_ragged_rows() -> None:
    with pytest.raises(ValueError):
        krippendorff_alpha([[1, 2, 3], [1, 2]])


def test_fleiss_one_category_is_nan_with_note() -> None:
    res = fleiss_kappa_with_note([[3, 0], [3, 0]])
    assert math.isnan(res.value) and res.note


def test_fleiss_empty_and_single_rater_are_nan() -> None:
    assert math.isnan(fleiss_kappa([]))
    assert math.isnan(fleiss_kappa([[1, 0], [0, 1]]))


def test_fleiss_unequal_rows_raise() -> None:
    with pytest.raises(ValueError):
        fleiss_kappa([[2, 1], [1, 1]])


def test_fleiss_category_kappas_weighted_mean_is_overall_kappa() -> None:
    # Fleiss (1971): overall kappa is the p_j q_j weighted mean of the category kappas.
    table = np.array([[0, 0, 0, 0, 14], [0, 2, 6, 4, 2], [0, 0, 3, 5, 6], [0, 3, 9, 2, 0]])
    kappas = fleiss_category_kappas(table)
    p = table.sum(axis=0) / table.sum()
    used = p > 0
    weighted = (kappas[used] * p[used] * (1 - p[used])).sum() / (p[used] * (1 - p[used])).sum()
    assert math.isnan(kappas[0])  # nobody used category 0
    assert weighted == pytest.approx(fleiss_kappa(table), abs=1e-12)


def test_category_counts_complete_only_drops_units_with_missing() -> None:
    table, labels = category_counts([["a", "b", None], ["a", "a", "b"]], complete_only=True)
    assert labels == ["a", "b"] and table.tolist() == [[2, 0], [1, 1]]


def test_cohen_one_label_in_common_is_nan() -> None:
    res = cohen_kappa_with_note(["a", "a"], ["a", "a"])
    assert math.isnan(res.value) and res.note


def test_cohen_no_both_coded_unit_is_nan() -> None:
    assert math.isnan(cohen_kappa([1, None], [None, 2]))
    assert math.isnan(cohen_kappa([], []))


def test_cohen_rejects_unknown_weights() -> None:
    with pytest.raises(ValueError):
        cohen_kappa([1, 2], [1, 2], weights="cubic")  # type: ignore[arg-type]


def test_percent_agreement_averages_over_units_with_two_values() -> None:
    # unit 1: 3 coders agree (1), unit 2: one pair of three agrees (1/3), unit 3: single value
    res = percent_agreement_with_note([[1, 1, 5], [1, 1, None], [1, 2, None]])
    assert res.value == pytest.approx((1 + 1 / 3) / 2) and res.units == 2


def test_percent_agreement_undefined_without_pairs() -> None:
    assert math.isnan(percent_agreement_with_note([[1, None], [None, 1]]).value)


def test_specific_agreement_unused_category_is_nan() -> None:
    out = specific_agreement([[1, 1], [1, 2]], labels=[1, 2, 3])
    assert out[1] == pytest.approx(2 / 3) and out[2] == 0.0 and math.isnan(out[3])


def test_confusion_matrices_skip_missing_and_sum_over_pairs() -> None:
    data = [["a", "b", None], ["a", "a", "b"], ["b", "a", "b"]]
    pairs, total, labels = pairwise_confusion_matrices(data, coders=["x", "y", "z"])
    assert labels == ["a", "b"]
    assert pairs["x|y"].tolist() == [[1, 0], [1, 0]]
    assert total.tolist() == (pairs["x|y"] + pairs["x|z"] + pairs["y|z"]).tolist()
    matrix, _ = confusion_matrix(data[1], data[2])
    assert matrix.tolist() == pairs["y|z"].tolist()


def test_set_alpha_two_empty_sets_agree() -> None:
    units = [[frozenset(), frozenset()], [{"Attack"}, {"Attack"}], [{"Attack"}, frozenset()]]
    # nominal alpha of the same data with sets as categories (disjoint sets: MASI distance 1)
    nominal = krippendorff_alpha([["-", "A", "A"], ["-", "A", "-"]])
    assert set_alpha(units) == pytest.approx(nominal)


def test_set_alpha_accepts_coder_mappings_with_absent_coders() -> None:
    as_mapping = [{"a1": {"X"}, "a2": {"X", "Y"}}, {"a1": {"Y"}, "a3": {"Y"}}, {"a2": {"X"}}]
    as_rows = [[{"X"}, {"X", "Y"}, None], [{"Y"}, None, {"Y"}], [None, {"X"}, None]]
    assert set_alpha(as_mapping) == set_alpha(as_rows)


def test_set_alpha_identical_sets_everywhere_is_nan() -> None:
    res = set_alpha_with_note([[{"X"}, {"X"}], [{"X"}, {"X"}]])
    assert math.isnan(res.value) and res.note
