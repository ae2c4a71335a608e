"""The unit bootstrap: seeded, deterministic, and equal in distribution to naive resampling."""

from __future__ import annotations

import math

import numpy as np
import pytest

from annotator.agreement import alpha_bootstrap, alpha_ci, krippendorff_alpha, set_alpha_bootstrap

RNG = np.random.default_rng(7)
DATA = RNG.integers(0, 3, size=(3, 200)).astype(float)
DATA[0, :120] = DATA[1, :120]  # some real agreement
DATA[RNG.random(DATA.shape) < 0.1] = np.nan


def test_same_seed_gives_same_interval() -> None:
    assert alpha_ci(DATA, seed=3) == alpha_ci(DATA, seed=3)


def test_different_seeds_give_different_intervals() -> None:
    assert alpha_ci(DATA, seed=3) != alpha_ci(DATA, seed=4)


def test_interval_brackets_the_estimate() -> None:
    res = alpha_bootstrap(DATA, "ordinal", n_boot=500)
    assert res.low < res.alpha < res.high
    assert res.alpha == pytest.approx(krippendorff_alpha(DATA, "ordinal"))


def test_pattern_bootstrap_matches_naive_unit_resampling() -> None:
    # Naive reference: resample unit columns with replacement, recompute alpha.
    rng = np.random.default_rng(11)
    n_units = DATA.shape[1]
    naive = [krippendorff_alpha(DATA[:, rng.integers(0, n_units, n_units)]) for _ in range(1500)]
    low, high = np.quantile(naive, [0.025, 0.975])
    ours = alpha_bootstrap(DATA, n_boot=4000, seed=1)
    # Monte Carlo error of a 2.5% quantile with these sizes is well below 0.02
    assert ours.low == pytest.approx(low, abs=0.02)
    assert ours.high == pytest.approx(high, abs=0.02)


def test_undefined_alpha_gives_nan_interval_with_note() -> None:
    res = alpha_bootstrap([[1, 1, 1], [1, 1, 1]])
    assert math.isnan(res.low) and math.isnan(res.high) and res.note


def test_resamples_with_undefined_alpha_are_counted() -> None:
    # one disagreeing unit among many agreeing ones: some resamples miss it entirely
    data = [[1] * 9 + [1], [1] * 9 + [2]]
    res = alpha_bootstrap(data, n_boot=300, seed=0)
    assert res.undefined > 0 and res.note and "left out" in res.note


def test_set_alpha_bootstrap_is_deterministic() -> None:
    units = [[{"A"}, {"A", "B"}], [set(), set()], [{"B"}, {"B"}], [{"A"}, set()]] * 5
    first = set_alpha_bootstrap(units, n_boot=200, seed=5)
    assert first == set_alpha_bootstrap(units, n_boot=200, seed=5)
    assert first.low <= first.alpha <= first.high
