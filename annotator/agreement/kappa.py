"""Fleiss' kappa and Cohen's kappa (unweighted, linear, quadratic). Pure numpy + stdlib.

References: J. L. Fleiss (1971), "Measuring nominal scale agreement among many raters",
Psychological Bulletin 76(5); J. Cohen (1960), Educational and Psychological Measurement 20(1);
J. Cohen (1968), "Weighted kappa", Psychological Bulletin 70(4). Conventions follow
``statsmodels.stats.inter_rater.fleiss_kappa`` (method "fleiss") and
``sklearn.metrics.cohen_kappa_score`` (weights by label *position* in ``labels``), so values are
equal to floating-point rounding; undefined values are NaN with a note instead of a warning.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from itertools import combinations
from typing import Any, Literal

import numpy as np
import numpy.typing as npt

from annotator.agreement._data import MISSING, as_matrix, encode, unit_counts

Weights = Literal["linear", "quadratic"] | None


@dataclass(frozen=True)
class KappaResult:
    """A kappa with the reason it is undefined (``value`` is NaN exactly when ``note`` is set).

    ``items`` is the number of subjects (Fleiss) or of units both coders coded (Cohen);
    ``observed``/``expected`` are the observed and chance agreement (for weighted Cohen kappa,
    1 - the weighted disagreements), NaN when there are no items.
    """

    value: float
    note: str | None
    items: int
    observed: float
    expected: float


def _nan_result(note: str, items: int = 0) -> KappaResult:
    nan = float("nan")
    return KappaResult(nan, note, items, nan, nan)


def _check_table(table: npt.ArrayLike) -> npt.NDArray[np.float64]:
    arr = np.asarray(table, dtype=np.float64)
    if arr.size == 0:
        return np.zeros((0, 0))
    if arr.ndim != 2:
        raise ValueError(f"table must be subjects x categories, got shape {arr.shape}")
    if (arr < 0).any():
        raise ValueError("table counts must be non-negative")
    rows = arr.sum(axis=1)
    if not np.all(rows == rows[0]):
        raise ValueError("every subject must be rated by the same number of raters (equal row sums)")
    return arr


def fleiss_kappa_with_note(table: npt.ArrayLike) -> KappaResult:
    """Fleiss' kappa of a subjects x categories count table, with why it is undefined.

    Every row must sum to the same number of raters n (``ValueError`` otherwise). Undefined
    (NaN): no subjects, fewer than two raters per subject, or chance agreement 1 (one category).
    """
    arr = _check_table(table)
    if arr.shape[0] == 0:
        return _nan_result("no subjects")
    n_sub = arr.shape[0]
    n_rat = float(arr[0].sum())
    if n_rat < 2:
        return _nan_result("fewer than two raters per subject", n_sub)
    p_cat = arr.sum(axis=0) / (n_sub * n_rat)
    p_mean = float(((arr * arr).sum(axis=1) - n_rat).mean() / (n_rat * (n_rat - 1.0)))
    p_exp = float((p_cat * p_cat).sum())
    if p_exp >= 1.0:
        return KappaResult(float("nan"), "chance agreement is 1: a single category is used",
                           n_sub, p_mean, p_exp)
    return KappaResult((p_mean - p_exp) / (1.0 - p_exp), None, n_sub, p_mean, p_exp)


def fleiss_kappa(table: npt.ArrayLike) -> float:
    """Fleiss' kappa (statsmodels ``fleiss_kappa(table, method="fleiss")``); NaN if undefined."""
    return fleiss_kappa_with_note(table).value


def fleiss_category_kappas(table: npt.ArrayLike) -> npt.NDArray[np.float64]:
    """Per-category kappas of Fleiss (1971), eq. 9: one per column, NaN for a category nobody
    (or everybody) used.

    kappa_j = 1 - sum_i n_ij (n - n_ij) / (N n (n - 1) p_j q_j).
    """
    arr = _check_table(table)
    if arr.shape[0] == 0:
        return np.zeros(arr.shape[1])
    n_sub, n_rat = arr.shape[0], float(arr[0].sum())
    p = arr.sum(axis=0) / (n_sub * n_rat)
    denom = n_sub * n_rat * (n_rat - 1.0) * p * (1.0 - p)
    num = (arr * (n_rat - arr)).sum(axis=0)
    with np.errstate(divide="ignore", invalid="ignore"):
        out: npt.NDArray[np.float64] = np.where(denom > 0, 1.0 - num / denom, np.nan)
    return out


def category_counts(
    reliability_data: npt.ArrayLike,
    labels: Sequence[Any] | None = None,
    *,
    complete_only: bool = False,
) -> tuple[npt.NDArray[np.int64], list[Any]]:
    """Subjects x categories table from raw labels, for ``fleiss_kappa``.

    ``reliability_data`` is coders x units, like ``krippendorff_alpha`` (the transpose of
    statsmodels' ``aggregate_raters`` input); ``None``/NaN is missing. Columns follow ``labels``
    (default: the sorted distinct values; values outside ``labels`` raise ``ValueError``).
    With ``complete_only`` only units coded by every coder are kept, so rows sum equally.
    """
    enc = encode(as_matrix(reliability_data), value_domain=labels)
    codes = enc.codes
    if complete_only and codes.size:
        codes = codes[:, (codes != MISSING).all(axis=0)]
    return unit_counts(codes, len(enc.domain)).astype(np.int64), list(enc.domain)


def _pair_confusion(
    y1: npt.ArrayLike, y2: npt.ArrayLike, labels: Sequence[Any] | None
) -> tuple[npt.NDArray[np.float64], list[Any]]:
    a = np.asarray(y1)
    b = np.asarray(y2)
    if a.ndim != 1 or b.ndim != 1 or a.shape != b.shape:
        raise ValueError("y1 and y2 must be 1-D and of the same length")
    both = np.stack([a, b]) if a.dtype == b.dtype else np.stack([a.astype(object), b.astype(object)])
    enc = encode(both, value_domain=labels, unknown="drop")
    confusion = confusion_from_codes(enc.codes[0], enc.codes[1], len(enc.domain))
    if labels is None:
        return _compact(confusion, enc.domain)
    return confusion, list(enc.domain)


def _compact(
    confusion: npt.NDArray[np.float64], domain: Sequence[Any]
) -> tuple[npt.NDArray[np.float64], list[Any]]:
    """Drop labels no both-coded unit uses, so that default label positions are those
    scikit-learn derives from the (missing-free) pairs."""
    used = (confusion.sum(axis=0) + confusion.sum(axis=1)) > 0
    return confusion[np.ix_(used, used)], [d for d, u in zip(domain, used, strict=True) if u]


def confusion_from_codes(
    c1: npt.NDArray[np.int64], c2: npt.NDArray[np.int64], n_values: int
) -> npt.NDArray[np.float64]:
    """Confusion matrix (rows: first coder) of two code vectors, skipping missing pairs."""
    keep = (c1 != MISSING) & (c2 != MISSING)
    flat = c1[keep] * n_values + c2[keep]
    return np.bincount(flat, minlength=n_values * n_values).reshape(n_values, n_values).astype(
        np.float64
    )


def kappa_from_confusion(confusion: npt.NDArray[np.float64], weights: Weights = None) -> KappaResult:
    """Cohen's kappa of a square confusion matrix whose axes follow the label order."""
    if weights not in (None, "linear", "quadratic"):
        raise ValueError(f"weights must be None, 'linear' or 'quadratic', got {weights!r}")
    total = float(confusion.sum())
    if total == 0:
        return _nan_result("no unit was coded by both coders (with a label in labels)")
    k = confusion.shape[0]
    expected = np.outer(confusion.sum(axis=1), confusion.sum(axis=0)) / total
    idx = np.arange(k)
    if weights is None:
        w = 1.0 - np.eye(k)
    elif weights == "linear":
        w = np.abs(np.subtract.outer(idx, idx)).astype(np.float64)
    else:
        w = np.subtract.outer(idx, idx).astype(np.float64) ** 2
    observed_dis = float((w * confusion).sum())
    expected_dis = float((w * expected).sum())
    items = round(total)
    if expected_dis == 0:
        return KappaResult(float("nan"), "chance disagreement is zero: one label in common",
                           items, 1.0 - observed_dis / total, 1.0)
    w_max = float(w.max()) or 1.0  # report agreement on the weights' own 0..1 scale
    return KappaResult(
        1.0 - observed_dis / expected_dis,
        None,
        items,
        1.0 - observed_dis / (total * w_max),
        1.0 - expected_dis / (total * w_max),
    )


def cohen_kappa_with_note(
    y1: npt.ArrayLike,
    y2: npt.ArrayLike,
    labels: Sequence[Any] | None = None,
    weights: Weights = None,
) -> KappaResult:
    """Cohen's kappa of two coders' labels for the same units, with why it is undefined.

    ``None``/NaN marks a missing label; only units both coders labelled count. ``labels`` selects
    and orders the categories (values outside it are ignored, as in scikit-learn); weighted kappa
    uses label *positions* in ``labels`` (default: sorted distinct values), as scikit-learn does.
    Undefined (NaN): no unit coded by both, or zero chance disagreement (one label in common).
    """
    confusion, _ = _pair_confusion(y1, y2, labels)
    return kappa_from_confusion(confusion, weights)


def cohen_kappa(
    y1: npt.ArrayLike,
    y2: npt.ArrayLike,
    labels: Sequence[Any] | None = None,
    weights: Weights = None,
) -> float:
    """Cohen's kappa as ``sklearn.metrics.cohen_kappa_score``; NaN if undefined (see
    ``cohen_kappa_with_note``)."""
    return cohen_kappa_with_note(y1, y2, labels, weights).value


def pairwise_cohen_kappa(
    reliability_data: npt.ArrayLike,
    coders: Sequence[str] | None = None,
    labels: Sequence[Any] | None = None,
    weights: Weights = None,
) -> dict[str, KappaResult]:
    """Cohen's kappa for every pair of coders, over the units both coded.

    ``reliability_data`` is coders x units (``None``/NaN missing). Keys are ``"a|b"`` with the
    coders in input order (names from ``coders``, default ``"0"``, ``"1"``, ...). Each pair equals
    ``cohen_kappa`` on that pair's both-coded units: without ``labels``, weighted kappa positions
    come from the labels that pair used (scikit-learn's rule); pass ``labels`` for one fixed scale.
    """
    matrix = as_matrix(reliability_data)
    names = list(coders) if coders is not None else [str(i) for i in range(matrix.shape[0])]
    if len(names) != matrix.shape[0]:
        raise ValueError("one coder name per row of reliability_data")
    enc = encode(matrix, value_domain=labels, unknown="drop")
    v = len(enc.domain)
    out: dict[str, KappaResult] = {}
    for i, j in combinations(range(len(names)), 2):
        confusion = confusion_from_codes(enc.codes[i], enc.codes[j], v)
        if labels is None:
            confusion, _ = _compact(confusion, enc.domain)
        out[f"{names[i]}|{names[j]}"] = kappa_from_confusion(confusion, weights)
    return out
