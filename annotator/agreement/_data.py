"""Turning reliability data into integer codes and per-unit value counts.

Pure numpy + stdlib; no Django. Shared by every statistic in this package so that they agree on
what "missing" means: ``None``, a float NaN, or (in a numpy string array, where ``np.asarray``
turns ``np.nan`` into the text ``"nan"``) the string ``"nan"``, as the ``krippendorff`` package does.
"""

from __future__ import annotations

from collections.abc import Hashable, Iterable, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
import numpy.typing as npt

MISSING = -1
"""Code used for a missing value in an encoded matrix."""

# The integer fast path builds a lookup table as long as the value range; beyond this it is
# cheaper to sort (np.unique).
_MAX_INT_RANGE = 1 << 20


@dataclass(frozen=True)
class Encoded:
    """Reliability data as integer codes.

    ``codes`` has the input's shape (coders x units for alpha); ``codes[i, j]`` indexes ``domain``
    or is ``MISSING``. ``domain`` holds the distinct values as Python objects, in ascending order
    when they can be sorted (first-seen order otherwise), or in the order of an explicit
    ``value_domain``. ``numeric`` is ``domain`` as float64 when every value is a real number.
    """

    codes: npt.NDArray[np.int64]
    domain: list[Any]
    numeric: npt.NDArray[np.float64] | None


def is_missing(value: object) -> bool:
    """True for ``None`` and float NaN (Python or numpy)."""
    if value is None:
        return True
    try:
        return bool(value != value)  # NaN is the only value unequal to itself
    except (TypeError, ValueError):
        return False


def _is_real(value: object) -> bool:
    return isinstance(value, (int, float, np.integer, np.floating)) and not isinstance(
        value, (bool, np.bool_)
    )


def _sorted_or_seen(values: Iterable[Hashable]) -> list[Any]:
    seen = list(dict.fromkeys(values))
    try:
        return sorted(seen)  # type: ignore[type-var]
    except TypeError:  # mixed, unorderable types: order only matters for non-nominal levels
        return seen


def _encode_numeric(arr: npt.NDArray[Any]) -> tuple[npt.NDArray[np.int64], npt.NDArray[np.float64]]:
    """Codes and sorted distinct values of a numeric array (NaN = missing)."""
    if arr.dtype.kind == "b":
        arr = arr.astype(np.int64)
    missing = np.isnan(arr) if arr.dtype.kind == "f" else None
    if arr.size == 0 or (missing is not None and missing.all()):
        return np.full(arr.shape, MISSING, dtype=np.int64), np.empty(0, dtype=np.float64)
    # fmin/fmax skip NaN without copying the present values out
    lo, hi = np.fmin.reduce(arr, axis=None), np.fmax.reduce(arr, axis=None)
    # NaN - floor(NaN) is NaN, and NaN > 0 is False: missing values pass the test
    integral = arr.dtype.kind in "iu" or not bool((arr - np.floor(arr) > 0).any())
    if integral and hi - lo < _MAX_INT_RANGE:
        # O(n) instead of a sort: most annotation data are small integer codes. Shift by one so
        # that missing becomes slot 0, which maps back to MISSING.
        shifted = arr - (lo - 1)
        if missing is not None:
            shifted = np.where(missing, 0, shifted)
        slot = shifted.astype(np.int64)
        seen = np.bincount(slot.ravel())
        seen[0] = 0
        lookup = np.cumsum(seen > 0) - 1
        lookup[0] = MISSING
        domain = (np.flatnonzero(seen) - 1 + lo).astype(np.float64)
        return lookup[slot], domain
    codes = np.full(arr.shape, MISSING, dtype=np.int64)
    present = ~missing if missing is not None else np.ones(arr.shape, dtype=bool)
    domain, found = np.unique(arr[present], return_inverse=True)
    codes[present] = found
    return codes, domain.astype(np.float64)


def _encode_objects(arr: npt.NDArray[Any], string_array: bool) -> Encoded:
    flat = arr.ravel()
    index: dict[Any, int] = {}
    raw = np.full(flat.shape, MISSING, dtype=np.int64)
    for i, value in enumerate(flat.tolist()):
        if value is None or (string_array and value == "nan") or is_missing(value):
            continue
        raw[i] = index.setdefault(value, len(index))
    domain = _sorted_or_seen(index)
    order = np.array([index[v] for v in domain], dtype=np.int64)
    remap = np.empty(len(domain), dtype=np.int64)
    remap[order] = np.arange(len(domain))
    codes = _remap(raw, remap).reshape(arr.shape)
    numeric = (
        np.asarray(domain, dtype=np.float64) if all(_is_real(v) for v in domain) else None
    )
    return Encoded(codes, domain, numeric)


def encode(
    data: npt.ArrayLike,
    *,
    value_domain: Sequence[Any] | None = None,
    unknown: str = "error",
) -> Encoded:
    """Encode ``data`` (any shape) as integer codes into its distinct values.

    With ``value_domain`` the codes index that sequence (its order is kept: it is the order used
    by ordinal, linear and quadratic distances); a value outside it raises ``ValueError`` when
    ``unknown == "error"`` or is treated as missing when ``unknown == "drop"`` (the scikit-learn
    ``labels`` convention).
    """
    arr = np.asarray(data)
    if arr.dtype.kind in "iubf":
        codes, values = _encode_numeric(arr)
        enc = Encoded(codes, values.tolist(), values)
    elif arr.dtype.kind in "US":
        enc = _encode_objects(arr.astype(object), string_array=True)
    elif arr.dtype.kind == "O":
        enc = _encode_objects(arr, string_array=False)
    else:
        raise ValueError(f"cannot use values of dtype {arr.dtype} as ratings")
    if value_domain is None:
        return enc
    wanted = list(value_domain)
    if len(set(wanted)) != len(wanted):
        raise ValueError("value_domain / labels must not repeat a value")
    position = {v: i for i, v in enumerate(wanted)}
    remap = np.array([position.get(v, MISSING) for v in enc.domain], dtype=np.int64)
    if unknown == "error" and (remap == MISSING).any():
        outside = [v for v, r in zip(enc.domain, remap, strict=True) if r == MISSING]
        raise ValueError(f"values outside value_domain: {outside[:5]!r}")
    codes = _remap(enc.codes, remap)
    numeric = np.asarray(wanted, dtype=np.float64) if all(_is_real(v) for v in wanted) else None
    return Encoded(codes, wanted, numeric)


def _remap(codes: npt.NDArray[np.int64], new: npt.NDArray[np.int64]) -> npt.NDArray[np.int64]:
    """``new[codes]``, keeping ``MISSING``: index -1 picks the appended ``MISSING``."""
    out: npt.NDArray[np.int64] = np.append(new, MISSING).astype(np.int64)[codes]
    return out


def unit_counts(codes: npt.NDArray[np.int64], n_values: int) -> npt.NDArray[np.float64]:
    """Per-unit value counts (float64): ``counts[u, c]`` = coders who gave unit ``u`` value ``c``.

    ``codes`` is coders x units with ``MISSING`` for missing values.
    """
    n_units = codes.shape[1]
    width = n_values + 1  # a spare last column collects the missing values
    out = np.zeros(n_units * width)
    base = np.arange(n_units, dtype=np.int64) * width
    for row in codes:  # one pass per coder: a unit appears once per row, so += is safe
        out[base + np.where(row == MISSING, n_values, row)] += 1.0
    # contiguous, so that the matrix products downstream run in BLAS
    return np.ascontiguousarray(out.reshape(n_units, width)[:, :n_values])


def as_matrix(reliability_data: npt.ArrayLike) -> npt.NDArray[Any]:
    """``reliability_data`` as a 2-D array (coders x units); empty input becomes shape (0, 0)."""
    if isinstance(reliability_data, np.ndarray):
        arr = reliability_data
    else:
        rows = [list(r) for r in reliability_data]  # type: ignore[union-attr]
        if len({len(r) for r in rows}) > 1:
            raise ValueError("every coder's row must have one entry per unit (use None for missing)")
        arr = np.asarray(rows) if rows else np.empty((0, 0))
    if arr.size == 0:
        return np.empty((0, 0))
    if arr.ndim != 2:
        raise ValueError(f"reliability data must be 2-D (coders x units), got shape {arr.shape}")
    return arr
