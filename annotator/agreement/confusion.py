"""Observed agreement: percent agreement, specific (per-category) agreement, confusion matrices.

Pure numpy + stdlib. Inputs are coders x units like ``krippendorff_alpha`` (``None``/NaN missing).
These are descriptive (no chance correction); report them beside alpha and kappa.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from itertools import combinations
from typing import Any

import numpy as np
import numpy.typing as npt

from annotator.agreement._data import as_matrix, encode, unit_counts
from annotator.agreement.kappa import confusion_from_codes


@dataclass(frozen=True)
class Agreement:
    """A proportion with the number of units behind it and why it is undefined (value NaN)."""

    value: float
    note: str | None
    units: int


def percent_agreement_with_note(reliability_data: npt.ArrayLike) -> Agreement:
    """Mean pairwise agreement over units with at least two values.

    Per unit: agreeing coder pairs / all coder pairs = sum_c n_uc (n_uc - 1) / (m_u (m_u - 1));
    then the plain mean over those units (Fleiss' P-bar when every unit has all coders).
    Undefined (NaN): no unit has two values.
    """
    enc = encode(as_matrix(reliability_data))
    counts = unit_counts(enc.codes, len(enc.domain)) if enc.codes.size else np.zeros((0, 0), int)
    m = counts.sum(axis=1)
    keep = m >= 2
    if not keep.any():
        return Agreement(float("nan"), "no unit has values from at least two coders", 0)
    c, m = counts[keep].astype(np.float64), m[keep].astype(np.float64)
    per_unit = (c * (c - 1.0)).sum(axis=1) / (m * (m - 1.0))
    return Agreement(float(per_unit.mean()), None, int(keep.sum()))


def percent_agreement(reliability_data: npt.ArrayLike) -> float:
    """``percent_agreement_with_note(...).value`` (a proportion 0..1; NaN if undefined)."""
    return percent_agreement_with_note(reliability_data).value


def specific_agreement(
    reliability_data: npt.ArrayLike, labels: Sequence[Any] | None = None
) -> dict[Any, float]:
    """Specific agreement per category (generalised positive agreement, Uebersax 1982):

        p_s(c) = sum_u n_uc (n_uc - 1) / sum_u n_uc (m_u - 1)

    over units with at least two values: of all the pairings a value ``c`` takes part in, the
    share where the other coder also said ``c``. With two coders this is 2a / (2a + b + c).
    NaN for a category no pairable unit uses. Keys follow ``labels`` (default: sorted values).
    """
    enc = encode(as_matrix(reliability_data), value_domain=labels)
    if enc.codes.size == 0:
        return {label: float("nan") for label in enc.domain}
    counts = unit_counts(enc.codes, len(enc.domain)).astype(np.float64)
    m = counts.sum(axis=1)
    counts, m = counts[m >= 2], m[m >= 2]
    agree = (counts * (counts - 1.0)).sum(axis=0)
    possible = (counts * (m - 1.0)[:, None]).sum(axis=0)
    with np.errstate(divide="ignore", invalid="ignore"):
        values = np.where(possible > 0, agree / possible, np.nan)
    return {label: float(v) for label, v in zip(enc.domain, values, strict=True)}


def confusion_matrix(
    y1: npt.ArrayLike, y2: npt.ArrayLike, labels: Sequence[Any] | None = None
) -> tuple[npt.NDArray[np.int64], list[Any]]:
    """Counts of (coder 1 label = row, coder 2 label = column) over units both coded.

    Returns the matrix and its label order (``labels``, or the sorted values of both coders;
    values outside ``labels`` are ignored, as in scikit-learn).
    """
    a, b = np.asarray(y1), np.asarray(y2)
    if a.ndim != 1 or a.shape != b.shape:
        raise ValueError("y1 and y2 must be 1-D and of the same length")
    both = np.stack([a, b]) if a.dtype == b.dtype else np.stack([a.astype(object), b.astype(object)])
    enc = encode(both, value_domain=labels, unknown="drop")
    v = len(enc.domain)
    return confusion_from_codes(enc.codes[0], enc.codes[1], v).astype(np.int64), list(enc.domain)


def pairwise_confusion_matrices(
    reliability_data: npt.ArrayLike,
    coders: Sequence[str] | None = None,
    labels: Sequence[Any] | None = None,
) -> tuple[dict[str, npt.NDArray[np.int64]], npt.NDArray[np.int64], list[Any]]:
    """Confusion matrix of every coder pair (key ``"a|b"``, rows = ``a``) and their sum.

    All matrices share one label order (returned third). The sum over pairs has rows from the
    earlier coder of each pair; symmetrise it (``s + s.T``) for an order-free view, which is the
    coincidence matrix when every unit has exactly two coders.
    """
    matrix = as_matrix(reliability_data)
    names = list(coders) if coders is not None else [str(i) for i in range(matrix.shape[0])]
    if len(names) != matrix.shape[0]:
        raise ValueError("one coder name per row of reliability_data")
    enc = encode(matrix, value_domain=labels, unknown="drop")
    v = len(enc.domain)
    pairs = {
        f"{names[i]}|{names[j]}": confusion_from_codes(enc.codes[i], enc.codes[j], v).astype(np.int64)
        for i, j in combinations(range(len(names)), 2)
    }
    total = sum(pairs.values(), np.zeros((v, v), dtype=np.int64))
    return pairs, total, list(enc.domain)
