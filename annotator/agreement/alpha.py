"""Krippendorff's alpha via the coincidence matrix, with a unit bootstrap.

Pure numpy + stdlib. References: K. Krippendorff (2011), "Computing Krippendorff's
Alpha-Reliability", https://repository.upenn.edu/asc_papers/43 ; A. F. Hayes and K. Krippendorff
(2007), "Answering the call for a standard reliability measure for coding data", Communication
Methods and Measures 1(1). Results equal ``krippendorff.alpha`` (package ``krippendorff``) to
floating-point rounding, except that our default level is nominal and undefined cases are NaN.

    alpha = 1 - D_o / D_e = 1 - (n - 1) * sum(o_ck * d_ck) / sum(n_c * n_k * d_ck)

where ``o`` is the coincidence matrix of the pairable values (units coded by at least two coders),
``n_c`` its margins, ``n`` the number of pairable values and ``d`` the metric's squared distance.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any, Literal

import numpy as np
import numpy.typing as npt

from annotator.agreement._data import as_matrix, encode, unit_counts

Level = Literal["nominal", "ordinal", "interval", "ratio"]
LEVELS: tuple[str, ...] = ("nominal", "ordinal", "interval", "ratio")

# A distance takes pairable-value margins n (shape (..., V)) and returns d (shape (..., V, V)).
# Only the ordinal metric uses n; the others broadcast a fixed matrix.
Distance = Callable[[npt.NDArray[np.float64]], npt.NDArray[np.float64]]

NOTE_NO_PAIRABLE = "no pairable units: no unit has values from at least two coders"
NOTE_ONE_VALUE = (
    "expected disagreement is zero: all pairable values are the same (a single category)"
)


@dataclass(frozen=True)
class AlphaResult:
    """Alpha with the reason it is undefined.

    ``value`` is NaN exactly when ``note`` is set. ``units`` counts pairable units (at least two
    values), ``pairable_values`` is n, ``observed``/``expected`` are D_o and D_e (NaN when n = 0).
    """

    value: float
    note: str | None
    units: int
    pairable_values: int
    observed: float
    expected: float


@dataclass(frozen=True)
class BootstrapResult:
    """A percentile bootstrap interval for alpha.

    ``low``/``high`` are NaN (with ``note``) when alpha itself is undefined. ``undefined`` counts
    resamples whose alpha was undefined; they are left out of the percentiles (noted if any).
    """

    low: float
    high: float
    alpha: float
    confidence: float
    n_boot: int
    undefined: int
    note: str | None


def _nominal(v: int) -> Distance:
    d = 1.0 - np.eye(v)
    return lambda n: np.broadcast_to(d, (*n.shape[:-1], v, v))


def _ordinal(v: int) -> Distance:
    idx = np.arange(v)
    lo = np.minimum.outer(idx, idx)
    hi = np.maximum.outer(idx, idx)

    def dist(n: npt.NDArray[np.float64]) -> npt.NDArray[np.float64]:
        # sum_{g=c..k} n_g - (n_c + n_k) / 2, squared (Krippendorff 2011, ordinal metric)
        cs = np.concatenate([np.zeros((*n.shape[:-1], 1)), np.cumsum(n, axis=-1)], axis=-1)
        between = cs[..., hi + 1] - cs[..., lo]
        half = (n[..., :, None] + n[..., None, :]) / 2.0
        out: npt.NDArray[np.float64] = (between - half) ** 2
        return out

    return dist


def _interval(values: npt.NDArray[np.float64]) -> Distance:
    d = np.subtract.outer(values, values) ** 2
    return lambda n: np.broadcast_to(d, (*n.shape[:-1], *d.shape))


def _ratio(values: npt.NDArray[np.float64]) -> Distance:
    diff = np.subtract.outer(values, values)
    total = np.add.outer(values, values)
    # 0 where both values are 0, as the krippendorff package does
    d = np.divide(diff, total, out=np.zeros_like(diff), where=total != 0) ** 2
    return lambda n: np.broadcast_to(d, (*n.shape[:-1], *d.shape))


def level_distance(
    level: str, domain: Sequence[Any], numeric: npt.NDArray[np.float64] | None
) -> Distance:
    """The distance of a level of measurement over an ordered value domain."""
    if level not in LEVELS:
        raise ValueError(f"level_of_measurement must be one of {LEVELS}, got {level!r}")
    v = len(domain)
    if level == "nominal":
        return _nominal(v)
    if level == "ordinal":
        return _ordinal(v)
    if numeric is None:
        raise ValueError(f"{level} alpha needs numeric values; got {list(domain)[:5]!r}")
    return _interval(numeric) if level == "interval" else _ratio(numeric)


def pairable_counts(counts: npt.NDArray[np.float64]) -> npt.NDArray[np.float64]:
    """Rows of a units x values count matrix with at least two values (the pairable units)."""
    # einsum: much faster than sum(axis=1) or a BLAS gemv on a tall, narrow matrix
    keep = np.einsum("uc->u", counts) >= 2
    return counts if keep.all() else counts[keep]


def coincidences(counts: npt.NDArray[np.float64]) -> npt.NDArray[np.float64]:
    """Coincidence matrix o (V x V) of pairable units' value counts (units x V).

    o_ck = sum_u n_uc * (n_uk - [c == k]) / (m_u - 1), Krippendorff (2011) section C.
    """
    counts = np.asarray(counts, dtype=np.float64)
    inv = 1.0 / (np.einsum("uc->u", counts) - 1.0)
    o: npt.NDArray[np.float64] = counts.T @ (counts * inv[:, None])
    o[np.diag_indices_from(o)] -= np.einsum("u,uc->c", inv, counts)
    return o


def alpha_from_counts(counts: npt.NDArray[np.float64], distance: Distance) -> AlphaResult:
    """Alpha from per-unit value counts (units x V; units with < 2 values are dropped)."""
    counts = pairable_counts(counts)
    if counts.shape[0] == 0:
        return AlphaResult(float("nan"), NOTE_NO_PAIRABLE, 0, 0, float("nan"), float("nan"))
    o = coincidences(counts)
    n_c = o.sum(axis=0)
    n = float(n_c.sum())
    d = distance(n_c)
    observed_sum = float((o * d).sum())
    expected_sum = float((np.outer(n_c, n_c) * d).sum())
    d_o = observed_sum / n
    d_e = expected_sum / (n * (n - 1.0))
    if expected_sum == 0.0:
        return AlphaResult(float("nan"), NOTE_ONE_VALUE, counts.shape[0], round(n), d_o, d_e)
    value = 1.0 - (n - 1.0) * observed_sum / expected_sum
    return AlphaResult(value, None, counts.shape[0], round(n), d_o, d_e)


def _prepare(
    reliability_data: npt.ArrayLike, level: str, value_domain: Sequence[Any] | None
) -> tuple[npt.NDArray[np.float64], Distance]:
    if level not in LEVELS:
        raise ValueError(f"level_of_measurement must be one of {LEVELS}, got {level!r}")
    enc = encode(as_matrix(reliability_data), value_domain=value_domain)
    if level in ("ordinal", "interval", "ratio") and value_domain is None and enc.numeric is None:
        raise ValueError(f"{level} alpha on non-numeric values needs an ordered value_domain")
    distance = level_distance(level, enc.domain, enc.numeric)
    return unit_counts(enc.codes, len(enc.domain)), distance


def alpha_with_note(
    reliability_data: npt.ArrayLike,
    level_of_measurement: Level = "nominal",
    *,
    value_domain: Sequence[Any] | None = None,
) -> AlphaResult:
    """Krippendorff's alpha and, when undefined, why.

    ``reliability_data``: coders x units (list of rows or a 2-D array); ``None``/NaN is missing.
    Values may be numbers, or any hashable (e.g. strings) for nominal; ordinal strings need an
    ordered ``value_domain`` (as in the ``krippendorff`` package). Units with fewer than two
    values are dropped. Undefined (value NaN, ``note`` set): no pairable unit, or zero expected
    disagreement (one category among all pairable values) -- never a made-up 0 or 1.
    """
    counts, distance = _prepare(reliability_data, level_of_measurement, value_domain)
    return alpha_from_counts(counts, distance)


def krippendorff_alpha(
    reliability_data: npt.ArrayLike,
    level_of_measurement: Level = "nominal",
    *,
    value_domain: Sequence[Any] | None = None,
) -> float:
    """Krippendorff's alpha (default nominal); NaN where undefined. See ``alpha_with_note``.

    Same value as ``krippendorff.alpha(reliability_data, level_of_measurement=...)``; note that
    package defaults to interval.
    """
    return alpha_with_note(
        reliability_data, level_of_measurement, value_domain=value_domain
    ).value


def _patterns(
    counts: npt.NDArray[np.float64],
) -> tuple[npt.NDArray[np.float64], npt.NDArray[np.int64]]:
    """Distinct rows of ``counts`` and how often each occurs."""
    counts = counts.astype(np.int64)
    base = int(counts.max()) + 1
    v = counts.shape[1]
    if v * np.log2(base) < 62:
        # one integer key per row: a 1-D unique is much faster than unique(axis=0)
        weights = base ** np.arange(v, dtype=np.int64)
        _, first, freq = np.unique(counts @ weights, return_index=True, return_counts=True)
        return counts[first].astype(np.float64), freq
    rows, freq = np.unique(counts, axis=0, return_counts=True)
    return rows.astype(np.float64), freq


def bootstrap_from_counts(
    counts: npt.NDArray[np.float64],
    distance: Distance,
    *,
    n_boot: int = 1000,
    confidence: float = 0.95,
    seed: int | None = 0,
) -> BootstrapResult:
    """Percentile bootstrap of alpha, resampling pairable units with replacement.

    Resampling U units with replacement only changes how often each distinct count pattern
    occurs, and those frequencies are multinomial(U, f / U); so each replicate is a weighted sum
    of per-pattern coincidence matrices (exact, vectorised, independent of U).
    """
    if not 0.0 < confidence < 1.0:
        raise ValueError("confidence must be between 0 and 1")
    if n_boot < 1:
        raise ValueError("n_boot must be at least 1")
    point = alpha_from_counts(counts, distance)
    if point.note is not None:
        nan = float("nan")
        return BootstrapResult(nan, nan, nan, confidence, n_boot, n_boot, point.note)
    counts = pairable_counts(counts)
    rows, freq = _patterns(counts)
    n_units, v = counts.shape[0], counts.shape[1]
    per_pattern = _pattern_coincidences(rows)
    rng = np.random.default_rng(seed)
    draws = rng.multinomial(n_units, freq / freq.sum(), size=n_boot).astype(np.float64)
    values = np.empty(n_boot)
    chunk = max(1, 4_000_000 // max(1, v * v + len(rows)))
    for start in range(0, n_boot, chunk):
        o = (draws[start : start + chunk] @ per_pattern).reshape(-1, v, v)
        n_c = o.sum(axis=2)
        n = n_c.sum(axis=1)
        d = distance(n_c)
        obs = (o * d).sum(axis=(1, 2))
        exp = (n_c[:, :, None] * n_c[:, None, :] * d).sum(axis=(1, 2))
        with np.errstate(divide="ignore", invalid="ignore"):
            values[start : start + chunk] = np.where(exp > 0, 1.0 - (n - 1.0) * obs / exp, np.nan)
    finite = values[np.isfinite(values)]
    undefined = n_boot - finite.size
    if finite.size == 0:
        nan = float("nan")
        return BootstrapResult(nan, nan, point.value, confidence, n_boot, undefined,
                               "alpha undefined in every resample")
    tail = (1.0 - confidence) / 2.0
    low, high = np.quantile(finite, [tail, 1.0 - tail])
    note = (
        f"{undefined} of {n_boot} resamples had undefined alpha and were left out"
        if undefined
        else None
    )
    return BootstrapResult(float(low), float(high), point.value, confidence, n_boot, undefined, note)


def _pattern_coincidences(rows: npt.NDArray[np.float64]) -> npt.NDArray[np.float64]:
    """Per-row coincidence matrices, flattened: shape (rows, V * V)."""
    m = rows.sum(axis=1).astype(np.float64)
    outer = rows[:, :, None] * rows[:, None, :] - rows[:, :, None] * np.eye(rows.shape[1])
    return (outer / (m - 1.0)[:, None, None]).reshape(rows.shape[0], -1)


def alpha_bootstrap(
    reliability_data: npt.ArrayLike,
    level_of_measurement: Level = "nominal",
    *,
    n_boot: int = 1000,
    confidence: float = 0.95,
    seed: int | None = 0,
    value_domain: Sequence[Any] | None = None,
) -> BootstrapResult:
    """Bootstrap confidence interval for Krippendorff's alpha, with a note when undefined.

    Nonparametric percentile bootstrap over units (units resampled with replacement, as in
    Hayes & Krippendorff 2007's "resample units" reading; their KALPHA macro instead resamples
    pairable values, so its intervals differ slightly). Deterministic for a given ``seed``
    (numpy ``default_rng``). Inputs as in ``alpha_with_note``.
    """
    counts, distance = _prepare(reliability_data, level_of_measurement, value_domain)
    return bootstrap_from_counts(
        counts, distance, n_boot=n_boot, confidence=confidence, seed=seed
    )


def alpha_ci(
    reliability_data: npt.ArrayLike,
    level_of_measurement: Level = "nominal",
    *,
    n_boot: int = 1000,
    confidence: float = 0.95,
    seed: int | None = 0,
) -> tuple[float, float]:
    """``(low, high)`` of ``alpha_bootstrap``; ``(nan, nan)`` when alpha is undefined."""
    res = alpha_bootstrap(
        reliability_data, level_of_measurement, n_boot=n_boot, confidence=confidence, seed=seed
    )
    return res.low, res.high
