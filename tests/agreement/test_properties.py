"""Property tests: our statistics equal the reference packages on random data with missing values.

References: krippendorff 0.9.0 (``alpha``), statsmodels 0.15 (``fleiss_kappa``), scikit-learn
1.9 (``cohen_kappa_score``), nltk 3.10 (``AnnotationTask`` with ``masi_distance``).
"""

from __future__ import annotations

import math
import warnings
from itertools import combinations
from typing import Any

import krippendorff
import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from nltk.metrics import masi_distance as nltk_masi
from nltk.metrics.agreement import AnnotationTask
from sklearn.metrics import cohen_kappa_score
from statsmodels.stats.inter_rater import aggregate_raters
from statsmodels.stats.inter_rater import fleiss_kappa as sm_fleiss_kappa

from annotator.agreement import (
    category_counts,
    cohen_kappa,
    fleiss_kappa,
    krippendorff_alpha,
    masi_distance,
    pairwise_cohen_kappa,
    set_alpha,
)

SETTINGS = settings(max_examples=60, deadline=None, database=None)
TOL = 1e-9


@st.composite
def reliability_matrices(draw: Any, values: list[Any], missing: bool = True) -> list[list[Any]]:
    coders = draw(st.integers(2, 5))
    units = draw(st.integers(1, 25))
    cell = st.sampled_from(values + [None]) if missing else st.sampled_from(values)
    return [[draw(cell) for _ in range(units)] for _ in range(coders)]


def _package_alpha(data: list[list[Any]], level: str) -> float:
    arr = np.array(data, dtype=float)
    try:
        with warnings.catch_warnings(), np.errstate(all="ignore"):
            warnings.simplefilter("ignore")
            return float(krippendorff.alpha(arr, level_of_measurement=level))
    except ValueError:  # one value in the domain or no pairable unit: undefined
        return float("nan")


@SETTINGS
@given(
    data=reliability_matrices([0, 1, 2, 3, 4]),
    level=st.sampled_from(["nominal", "ordinal", "interval", "ratio"]),
)
def test_alpha_equals_krippendorff_package(data: list[list[Any]], level: str) -> None:
    ours, ref = krippendorff_alpha(data, level), _package_alpha(data, level)
    assert (math.isnan(ours) and math.isnan(ref)) or ours == pytest.approx(ref, abs=TOL)


@SETTINGS
@given(
    data=reliability_matrices([-1.5, 0.25, 1.0, 2.75, 10.0]),
    level=st.sampled_from(["ordinal", "interval", "ratio"]),
)
def test_alpha_equals_package_on_float_values(data: list[list[Any]], level: str) -> None:
    ours, ref = krippendorff_alpha(np.array(data, dtype=float), level), _package_alpha(data, level)
    assert (math.isnan(ours) and math.isnan(ref)) or ours == pytest.approx(ref, abs=TOL)


@SETTINGS
@given(data=reliability_matrices(["favor", "against", "neutral", "none"]))
def test_nominal_alpha_on_strings_equals_package_on_codes(data: list[list[Any]]) -> None:
    code = {"favor": 0, "against": 1, "neutral": 2, "none": 3, None: None}
    coded = [[code[v] for v in row] for row in data]
    ours, ref = krippendorff_alpha(data), _package_alpha(coded, "nominal")
    assert (math.isnan(ours) and math.isnan(ref)) or ours == pytest.approx(ref, abs=TOL)


@SETTINGS
@given(
    subjects=st.integers(1, 20),
    raters=st.integers(2, 6),
    categories=st.integers(2, 5),
    seed=st.integers(0, 2**32 - 1),
)
def test_fleiss_equals_statsmodels(subjects: int, raters: int, categories: int, seed: int) -> None:
    rng = np.random.default_rng(seed)
    ratings = rng.integers(0, categories, size=(subjects, raters))  # statsmodels: subjects x raters
    table, _ = aggregate_raters(ratings)
    ours_table, _ = category_counts(ratings.T)
    assert np.array_equal(ours_table, table)
    with warnings.catch_warnings(), np.errstate(all="ignore"):
        warnings.simplefilter("ignore")
        ref = float(sm_fleiss_kappa(table, method="fleiss"))
    ours = fleiss_kappa(table)
    assert (math.isnan(ours) and not math.isfinite(ref)) or ours == pytest.approx(ref, abs=TOL)


def _sklearn_kappa(y1: list[Any], y2: list[Any], labels: list[Any] | None, weights: str | None) -> float:
    pairs = [(a, b) for a, b in zip(y1, y2, strict=True) if a is not None and b is not None]
    if labels is not None:
        pairs = [(a, b) for a, b in pairs if a in labels and b in labels]
    if not pairs:
        return float("nan")
    a, b = zip(*pairs, strict=True)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return float(cohen_kappa_score(list(a), list(b), labels=labels, weights=weights))


@SETTINGS
@given(
    pair=reliability_matrices([0, 1, 2, 3, 4]).filter(lambda d: len(d) >= 2),
    weights=st.sampled_from([None, "linear", "quadratic"]),
    labels=st.one_of(st.none(), st.permutations([0, 1, 2, 3, 4]), st.just([4, 2, 0])),
)
def test_cohen_equals_sklearn_on_both_coded_units(
    pair: list[list[Any]], weights: str | None, labels: list[int] | None
) -> None:
    y1, y2 = pair[0], pair[1]
    ours, ref = cohen_kappa(y1, y2, labels=labels, weights=weights), _sklearn_kappa(y1, y2, labels, weights)
    assert (math.isnan(ours) and math.isnan(ref)) or ours == pytest.approx(ref, abs=TOL)


@SETTINGS
@given(
    data=reliability_matrices(["a", "b", "c"]),
    weights=st.sampled_from([None, "linear", "quadratic"]),
)
def test_pairwise_cohen_equals_sklearn_per_pair(data: list[list[Any]], weights: str | None) -> None:
    names = [f"c{i}" for i in range(len(data))]
    ours = pairwise_cohen_kappa(data, coders=names, weights=weights)
    assert list(ours) == [f"{a}|{b}" for a, b in combinations(names, 2)]
    for (i, j), res in zip(combinations(range(len(data)), 2), ours.values(), strict=True):
        ref = _sklearn_kappa(data[i], data[j], None, weights)
        assert (math.isnan(res.value) and math.isnan(ref)) or res.value == pytest.approx(ref, abs=TOL)


LABEL_SETS = [frozenset(s) for s in ([], ["a"], ["b"], ["a", "b"], ["a", "c"], ["a", "b", "c"], ["c"])]


def _nltk_masi(a: frozenset[str], b: frozenset[str]) -> float:
    # nltk divides 0 by 0 for two empty sets; they are identical, distance 0
    return 0.0 if not a and not b else nltk_masi(a, b)


@SETTINGS
@given(data=reliability_matrices(LABEL_SETS))
def test_set_alpha_equals_nltk_masi_alpha(data: list[list[Any]]) -> None:
    units = [[row[u] for row in data] for u in range(len(data[0]))]
    ours = set_alpha(units)
    triples = [
        (f"c{c}", u, value)
        for c, row in enumerate(data)
        for u, value in enumerate(row)
        if value is not None  # missing values are simply absent for nltk
    ]
    try:
        ref = float(AnnotationTask(data=triples, distance=_nltk_masi).alpha())
    except (ValueError, ZeroDivisionError):
        ref = float("nan")
    pairable_values = {
        value for unit in units if sum(v is not None for v in unit) >= 2 for value in unit if value is not None
    }
    if len(pairable_values) <= 1:
        # nltk returns 1 (or fails) where alpha is undefined; we return NaN
        assert math.isnan(ours)
    else:
        assert ours == pytest.approx(ref, abs=TOL)


@SETTINGS
@given(a=st.sampled_from(LABEL_SETS[1:]), b=st.sampled_from(LABEL_SETS[1:]))
def test_masi_distance_equals_nltk(a: frozenset[str], b: frozenset[str]) -> None:
    assert masi_distance(a, b) == pytest.approx(nltk_masi(a, b), abs=1e-15)
