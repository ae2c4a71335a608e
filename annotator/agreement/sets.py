"""Krippendorff's alpha over set-valued annotations with the MASI distance. Pure stdlib + numpy.

Reference: R. Passonneau (2006), "Measuring Agreement on Set-Valued Items (MASI) for Semantic and
Pragmatic Annotation", LREC. MASI = J * M with J the Jaccard index and M the monotonicity weight
(1 identical, 2/3 one set contains the other, 1/3 overlapping, 0 disjoint); distance = 1 - MASI.
Equal to ``nltk.metrics.agreement.AnnotationTask(distance=masi_distance).alpha()`` on the same
data (nltk 3.10 uses the exact thirds), except that nltk fails on two empty sets (0/0) while we
define that distance as 0, and nltk returns 1 where alpha is undefined while we return NaN.
"""

from __future__ import annotations

from collections.abc import Callable, Hashable, Iterable, Mapping, Sequence
from typing import Any

import numpy as np
import numpy.typing as npt

from annotator.agreement._data import MISSING, unit_counts
from annotator.agreement.alpha import (
    AlphaResult,
    BootstrapResult,
    Distance,
    alpha_from_counts,
    bootstrap_from_counts,
)

SetDistance = Callable[[frozenset[Any], frozenset[Any]], float]
# One unit: coder -> set of labels (an absent coder is missing), or one entry per coder with
# None for missing.
Unit = Mapping[Hashable, Iterable[Hashable] | None] | Sequence[Iterable[Hashable] | None]


def masi_distance(a: Iterable[Hashable], b: Iterable[Hashable]) -> float:
    """MASI distance 1 - J * M between two label sets (Passonneau 2006).

    Two empty sets are identical: distance 0 (nltk divides 0 by 0 there). An empty and a
    non-empty set are at distance 1.
    """
    sa, sb = frozenset(a), frozenset(b)
    union = len(sa | sb)
    if union == 0:
        return 0.0
    inter = len(sa & sb)
    if inter == len(sa) == len(sb):
        m = 1.0
    elif inter == min(len(sa), len(sb)):
        m = 2 / 3
    elif inter > 0:
        m = 1 / 3
    else:
        m = 0.0
    return 1.0 - inter / union * m


def jaccard_distance(a: Iterable[Hashable], b: Iterable[Hashable]) -> float:
    """1 - |a & b| / |a | b|; 0 for two empty sets."""
    sa, sb = frozenset(a), frozenset(b)
    union = len(sa | sb)
    return 0.0 if union == 0 else 1.0 - len(sa & sb) / union


def _encode_units(units: Iterable[Unit]) -> tuple[npt.NDArray[np.int64], list[frozenset[Any]]]:
    """Coders x units codes into the distinct sets (first-seen order)."""
    rows: list[dict[Hashable, frozenset[Any]]] = []
    for unit in units:
        items = unit.items() if isinstance(unit, Mapping) else enumerate(unit)
        rows.append({c: frozenset(v) for c, v in items if v is not None})
    coders = list(dict.fromkeys(c for row in rows for c in row))
    column = {c: i for i, c in enumerate(coders)}
    index: dict[frozenset[Any], int] = {}
    codes = np.full((len(coders), len(rows)), MISSING, dtype=np.int64)
    for u, row in enumerate(rows):
        for c, value in row.items():
            codes[column[c], u] = index.setdefault(value, len(index))
    return codes, list(index)


def _set_distance(domain: Sequence[frozenset[Any]], distance: SetDistance) -> Distance:
    v = len(domain)
    d = np.array([[distance(a, b) for b in domain] for a in domain], dtype=np.float64).reshape(v, v)
    return lambda n: np.broadcast_to(d, (*n.shape[:-1], v, v))


def set_alpha_with_note(
    units: Iterable[Unit], distance: SetDistance = masi_distance
) -> AlphaResult:
    """Krippendorff's alpha over sets, e.g. the event types each coder gave each sentence.

    ``units``: one entry per unit, either ``{coder: labels}`` (a coder who did not code the unit
    is absent or ``None``) or a sequence with one ``labels`` (or ``None``) per coder. An empty
    set is a real answer ("no event"), not missing. Units with fewer than two coders are dropped.
    Undefined (NaN with a note): no pairable unit, or zero expected disagreement (every pairable
    set identical).
    """
    codes, domain = _encode_units(units)
    return alpha_from_counts(unit_counts(codes, len(domain)), _set_distance(domain, distance))


def set_alpha(units: Iterable[Unit], distance: SetDistance = masi_distance) -> float:
    """Alpha over sets with ``distance`` (default MASI); NaN if undefined. See
    ``set_alpha_with_note``."""
    return set_alpha_with_note(units, distance).value


def set_alpha_bootstrap(
    units: Iterable[Unit],
    distance: SetDistance = masi_distance,
    *,
    n_boot: int = 1000,
    confidence: float = 0.95,
    seed: int | None = 0,
) -> BootstrapResult:
    """Unit bootstrap interval for ``set_alpha`` (same method as ``alpha_bootstrap``)."""
    codes, domain = _encode_units(units)
    return bootstrap_from_counts(
        unit_counts(codes, len(domain)),
        _set_distance(domain, distance),
        n_boot=n_boot,
        confidence=confidence,
        seed=seed,
    )
