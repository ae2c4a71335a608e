"""Benchmark the pure agreement library against the reference packages.

``python bench/run.py agreement-library [--units N] [--repeats R] [--seed S]``

Seeded data: N units x 3 coders x 5 categories, about 5% missing. Each measure is timed best of
R repeats, both sides starting from the same raw coders x units matrix (so building tables and
confusion matrices is included on both sides). Target: our alpha at most 1.0x the
``krippendorff`` package.
"""

from __future__ import annotations

import argparse
import time
import warnings
from collections.abc import Callable
from itertools import combinations

import numpy as np


def _best(fn: Callable[[], object], repeats: int) -> tuple[float, object]:
    value = fn()  # untimed warm-up (imports, caches), same for both sides
    best = float("inf")
    for _ in range(repeats):
        start = time.perf_counter()
        value = fn()
        best = min(best, time.perf_counter() - start)
    return best, value


def main(argv: list[str]) -> None:
    """Print a table: measure, ours (s), reference (s), ours/reference, values agree."""
    import krippendorff
    from sklearn.metrics import cohen_kappa_score
    from statsmodels.stats.inter_rater import aggregate_raters
    from statsmodels.stats.inter_rater import fleiss_kappa as sm_fleiss_kappa

    from annotator.agreement import (
        alpha_bootstrap,
        category_counts,
        fleiss_kappa,
        krippendorff_alpha,
        pairwise_cohen_kappa,
    )

    parser = argparse.ArgumentParser(prog="agreement-library")
    parser.add_argument("--units", type=int, default=100_000)
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument("--seed", type=int, default=20240601)
    args = parser.parse_args(argv)

    rng = np.random.default_rng(args.seed)
    truth = rng.integers(0, 5, size=args.units)
    noise = rng.integers(0, 5, size=(3, args.units))
    data = np.where(rng.random((3, args.units)) < 0.7, truth, noise).astype(np.float64)
    data[rng.random(data.shape) < 0.05] = np.nan
    complete = data[:, ~np.isnan(data).any(axis=0)]  # Fleiss needs every rater on every subject

    def ref_fleiss() -> float:
        table, _ = aggregate_raters(complete.T.astype(int))
        return float(sm_fleiss_kappa(table, method="fleiss"))

    def ref_cohen() -> list[float]:
        out = []
        for i, j in combinations(range(3), 2):
            both = ~np.isnan(data[i]) & ~np.isnan(data[j])
            out.append(float(cohen_kappa_score(data[i, both], data[j, both])))
        return out

    rows = [
        (
            "krippendorff alpha (nominal)",
            lambda: krippendorff_alpha(data, "nominal"),
            lambda: float(krippendorff.alpha(data, level_of_measurement="nominal")),
        ),
        (
            "krippendorff alpha (ordinal)",
            lambda: krippendorff_alpha(data, "ordinal"),
            lambda: float(krippendorff.alpha(data, level_of_measurement="ordinal")),
        ),
        (
            "fleiss kappa (raw labels -> table)",
            lambda: fleiss_kappa(category_counts(complete)[0]),
            ref_fleiss,
        ),
        (
            "cohen kappa, 3 coder pairs",
            lambda: [r.value for r in pairwise_cohen_kappa(data).values()],
            ref_cohen,
        ),
    ]
    print(f"agreement library: {args.units:,} units x 3 coders x 5 categories, "
          f"{np.isnan(data).mean():.1%} missing, best of {args.repeats}")
    header = f"{'measure':<36} {'ours (s)':>10} {'reference (s)':>14} {'ours/ref':>9}  values agree"
    print(header)
    print("-" * len(header))
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        for name, ours_fn, ref_fn in rows:
            ours_t, ours_v = _best(ours_fn, args.repeats)
            ref_t, ref_v = _best(ref_fn, args.repeats)
            agree = bool(np.allclose(np.asarray(ours_v), np.asarray(ref_v), rtol=0, atol=1e-9))
            print(f"{name:<36} {ours_t:>10.4f} {ref_t:>14.4f} {ours_t / ref_t:>9.3f}  "
                  f"{'yes' if agree else 'NO'} ({np.round(np.asarray(ours_v), 6).tolist()})")
    boot_t, boot = _best(lambda: alpha_bootstrap(data, n_boot=1000, seed=1), args.repeats)
    print(f"bootstrap 95% CI of nominal alpha, 1000 resamples: {boot_t:.4f} s "  # type: ignore[union-attr]
          f"-> [{boot.low:.4f}, {boot.high:.4f}] around {boot.alpha:.4f}")  # type: ignore[union-attr]
