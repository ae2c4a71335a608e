"""Krippendorff's unitizing alpha (u-alpha) for span boundaries and labels. Pure numpy + stdlib.

References: K. Krippendorff (1995), "On the reliability of unitizing contiguous data",
Sociological Methodology 25:47-76; K. Krippendorff (2004), *Content Analysis*, 2nd ed., pp.
251-256 (the worked example our tests reproduce); the DKPro Agreement implementation
(``dkpro/dkpro-statistics``, ``KrippendorffAlphaUnitizingAgreement``), whose tests we reproduce
to four decimals.

Per category c (a label), with m coders who all unitize a continuum of length L:

    D_O(c) = sum over ordered coder pairs, over every pair of their overlapping segments
             (units of c and the gaps between them) of delta^2 / (m (m - 1) L^2)
    delta^2 = (begin difference)^2 + (end difference)^2   for two overlapping units
            = length^2                                     for a unit lying wholly in a gap
            = 0                                            otherwise
    D_E(c) = (2 / L) * sum over units u of c of [(N_c - 1)(2 l^3 - 3 l^2 + l) / 3
             + l^2 * sum over gaps G >= l of (G - l + 1)] / (m L (m L - 1) - sum l (l - 1))
    alpha(c) = 1 - D_O(c) / D_E(c);  alpha = 1 - sum_c D_O(c) / sum_c D_E(c)

(``alpha`` equals DKPro's overall value, which is the ratio of the mean D_O to the mean D_E.)

Decisions, for a corpus of sentences rather than one text:

- **One continuum.** The sentences are concatenated, in sentence order, into one continuum per
  coder: Krippendorff's u-alpha is defined on one continuum, and its expected disagreement
  places every unit at every position of it, across sentence ends. Observed disagreement is
  local (units never cross a sentence), expected disagreement sees gaps that run over sentence
  ends.
- **Missing coders.** A sentence counts only among the coders who coded it (m_s of them) and
  only if m_s >= 2, as pairable units do in coding alpha: its observed disagreement is weighted
  1 / (m_s - 1) instead of 1 / (m - 1), each coder's continuum is the sentences that coder
  coded, and m L becomes the total coded length N = sum over sentences of m_s L_s. With the same
  coders everywhere this is exactly the formula above (the L factors cancel in the ratio).
- **Overlapping units of one label by one coder** (nested entities of the same label, or a
  duplicate) break the "units and gaps partition the continuum" assumption. They are spread
  over *layers* (interval partitioning in (start, -end) order: the outer span on layer 0, a
  span inside it on layer 1), each layer its own category; a label's alpha sums D_O and D_E
  over its layers. Identical nested annotations therefore give full agreement in any order.
- Zero-length units cover no character and are ignored.

Everything kept between sentences is an integer (observed sums per m_s, histograms of unit and
gap lengths, each coder's coded length and first/last unit per category), so blocks of
sentences merge (``UnitizingStats.merged``, in sentence order) into exactly the statistics of
one pass: the same floats, to the last bit.
"""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Hashable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import numpy.typing as npt

IntArray = npt.NDArray[np.int64]
Category = tuple[str, int]  # (label, layer)

NOTE_NO_UNITS = "no units: nobody marked a span on a continuum coded by two annotators"
NOTE_FEW_CODERS = "fewer than two coders: nothing to compare"
NOTE_NO_EXPECTED = "expected disagreement is zero"


@dataclass
class _Cat:
    """Integer statistics of one category over a block of the continuum."""

    observed: Counter[int] = field(default_factory=Counter)  # m_s -> sum of delta^2 over ordered pairs
    lengths: Counter[int] = field(default_factory=Counter)  # unit length -> units
    gaps: Counter[int] = field(default_factory=Counter)  # interior gap length -> gaps
    ends: dict[int, tuple[int, int]] = field(default_factory=dict)  # coder -> (first start, last end)


@dataclass(frozen=True)
class UnitizingResult:
    """u-alpha overall and per label, with D_O and D_E; NaN (with a note) where undefined."""

    alpha: float
    note: str | None
    by_label: dict[str, float]
    notes: dict[str, str]
    observed: dict[str, float]
    expected: dict[str, float]
    units: dict[str, int]

    def as_dict(self) -> dict[str, Any]:
        """The CONTRACT.md shape: ``{"alpha": float, "by_label": {label: float}}``."""
        return {"alpha": self.alpha, "by_label": dict(self.by_label)}


class UnitizingStats:
    """Mergeable u-alpha statistics of a block of the continuum (a run of sentences).

    Coders are small integers (indexes). ``merged(later)`` appends a later block; the result
    does not depend on how the sentences were split into blocks.
    """

    def __init__(self) -> None:
        self.coded: Counter[int] = Counter()  # coder -> coded length (pairable sentences)
        self.length = 0  # L: the length of the pairable sentences
        self.cats: dict[Category, _Cat] = {}

    # -- building from arrays ------------------------------------------------------------------

    @classmethod
    def from_arrays(
        cls,
        *,
        coder: npt.ArrayLike,
        section: npt.ArrayLike,
        start: npt.ArrayLike,
        end: npt.ArrayLike,
        label: npt.ArrayLike,
        labels: Sequence[str],
        lengths: npt.ArrayLike,
        members: npt.ArrayLike,
    ) -> UnitizingStats:
        """The statistics of one block: units ``(coder[i], section[i], start[i], end[i],
        labels[label[i]])`` with offsets relative to their section (sentence); ``lengths[s]`` is
        section s's length and ``members[s, k]`` says whether coder k coded section s. Sections
        are in continuum order. Vectorised: no Python loop over units (except over the rare
        groups of overlapping same-label units of one coder)."""
        out = cls()
        sec_len = np.asarray(lengths, dtype=np.int64).reshape(-1)
        member = np.asarray(members, dtype=bool).reshape(len(sec_len), -1)
        m_sec = member.sum(axis=1)
        pairable = m_sec >= 2
        coded_mask = member & pairable[:, None]
        out.length = int(sec_len[pairable].sum())
        per_coder = (sec_len[:, None] * coded_mask).sum(axis=0)
        out.coded = Counter({k: int(v) for k, v in enumerate(per_coder.tolist()) if v > 0})
        k = np.asarray(coder, dtype=np.int64).reshape(-1)
        s = np.asarray(section, dtype=np.int64).reshape(-1)
        b = np.asarray(start, dtype=np.int64).reshape(-1)
        e = np.asarray(end, dtype=np.int64).reshape(-1)
        lab = np.asarray(label, dtype=np.int64).reshape(-1)
        if len(k) == 0 or member.shape[1] == 0:
            return out
        if (b < 0).any() or (e > sec_len[s]).any():
            raise ValueError("a unit lies outside its section of the continuum")
        keep = (e > b) & coded_mask[s, np.minimum(k, member.shape[1] - 1)] & (k < member.shape[1])
        k, s, b, e, lab = k[keep], s[keep], b[keep], e[keep], lab[keep]
        if len(k) == 0:
            return out
        depth = _layers(k, s, lab, b, e)
        n_depth = int(depth.max()) + 1
        cat = lab * n_depth + depth
        cat_ids, cat = np.unique(cat, return_inverse=True)
        cat = cat.reshape(-1)
        keys = [(str(labels[int(c) // n_depth]), int(c) % n_depth) for c in cat_ids.tolist()]
        stats = [_Cat() for _ in keys]
        m_unit = m_sec[s]
        # observed: every ordered pair of units of one category in one section, other coders
        order = np.lexsort((k, cat, s))
        k, s, b, e, cat, m_unit = k[order], s[order], b[order], e[order], cat[order], m_unit[order]
        length = e - b
        group_change = np.ones(len(k), dtype=bool)
        group_change[1:] = (s[1:] != s[:-1]) | (cat[1:] != cat[:-1])
        group_start = np.flatnonzero(group_change)
        sizes = np.diff(np.append(group_start, len(k)))
        size_of = np.repeat(sizes, sizes)
        first_of = np.repeat(group_start, sizes)
        left = np.repeat(np.arange(len(k)), size_of)
        offsets = np.arange(len(left)) - np.repeat(np.cumsum(size_of) - size_of, size_of)
        right = first_of[left] + offsets
        cross = (k[left] != k[right]) & (b[left] < e[right]) & (b[right] < e[left])
        left, right = left[cross], right[cross]
        delta = (b[left] - b[right]) ** 2 + (e[left] - e[right]) ** 2
        # a unit lying in a gap of another coder: it overlaps none of that coder's units
        touched = np.sort(left * (int(k.max()) + 1) + k[right])  # (unit, other coder) it overlaps
        touched = touched[np.concatenate((touched[:1] == touched[:1], touched[1:] != touched[:-1]))] // (int(k.max()) + 1)
        overlapped_coders = np.bincount(touched, minlength=len(k))
        isolated = 2 * length**2 * (m_unit - 1 - overlapped_coders)
        m_width = int(m_sec.max()) + 1
        for idx, values in ((left, delta), (np.arange(len(k)), isolated)):
            uniq, inv = np.unique(cat[idx] * m_width + m_unit[idx], return_inverse=True)
            sums = np.zeros(len(uniq), dtype=np.int64)
            np.add.at(sums, inv.reshape(-1), values)
            for key, total in zip(uniq.tolist(), sums.tolist(), strict=True):
                if total:
                    stats[key // m_width].observed[key % m_width] += total
        # unit lengths per category
        l_width = int(length.max()) + 1
        uniq, counts = np.unique(cat * l_width + length, return_counts=True)
        for key, n in zip(uniq.tolist(), counts.tolist(), strict=True):
            stats[key // l_width].lengths[key % l_width] += n
        # gaps: positions on each coder's own continuum (the sections that coder coded, in order)
        section_offset = np.cumsum(sec_len[:, None] * coded_mask, axis=0) - sec_len[:, None] * coded_mask
        pos_b = section_offset[s, k] + b
        pos_e = section_offset[s, k] + e
        order = np.lexsort((pos_b, k, cat))
        kk, cc, pb, pe = k[order], cat[order], pos_b[order], pos_e[order]
        same = (kk[1:] == kk[:-1]) & (cc[1:] == cc[:-1])
        gap = pb[1:] - pe[:-1]
        inner = same & (gap > 0)
        if inner.any():
            g_width = int(gap.max()) + 1
            uniq, counts = np.unique(cc[1:][inner] * g_width + gap[inner], return_counts=True)
            for key, n in zip(uniq.tolist(), counts.tolist(), strict=True):
                stats[key // g_width].gaps[key % g_width] += n
        firsts = np.flatnonzero(np.concatenate(([True], ~same)))
        lasts = np.flatnonzero(np.concatenate((~same, [True])))
        for f, last in zip(firsts.tolist(), lasts.tolist(), strict=True):
            stats[int(cc[f])].ends[int(kk[f])] = (int(pb[f]), int(pe[last]))
        out.cats = dict(zip(keys, stats, strict=True))
        return out

    # -- merging -------------------------------------------------------------------------------

    def merged(self, later: UnitizingStats) -> UnitizingStats:
        """This block followed by ``later`` (the next sentences), as a new block."""
        out = UnitizingStats()
        out.extend(self)
        out.extend(later)
        return out

    def extend(self, later: UnitizingStats) -> None:
        """Append ``later`` (the next sentences) to this block, in place."""
        for key, b in later.cats.items():
            cat = self.cats.get(key)
            if cat is None:
                cat = self.cats[key] = _Cat()
            cat.observed.update(b.observed)
            cat.lengths.update(b.lengths)
            cat.gaps.update(b.gaps)
            for coder, (first, last) in b.ends.items():
                shift = self.coded.get(coder, 0)
                if coder in cat.ends:
                    earlier_first, earlier_last = cat.ends[coder]
                    gap = shift + first - earlier_last
                    if gap > 0:
                        cat.gaps[gap] += 1
                    cat.ends[coder] = (earlier_first, shift + last)
                else:
                    cat.ends[coder] = (shift + first, shift + last)
        self.length += later.length
        self.coded.update(later.coded)

    def partial(self) -> dict[str, Any]:
        """The statistics as JSON (lists, string labels)."""
        return {
            "coded": sorted([k, n] for k, n in self.coded.items()),
            "length": self.length,
            "cats": [
                [label, depth, {
                    "observed": _pairs(cat.observed),
                    "lengths": _pairs(cat.lengths),
                    "gaps": _pairs(cat.gaps),
                    "ends": sorted([k, f, last] for k, (f, last) in cat.ends.items()),
                }]
                for (label, depth), cat in sorted(self.cats.items())
            ],
        }

    @classmethod
    def from_partial(cls, partial: Mapping[str, Any]) -> UnitizingStats:
        """Inverse of ``partial()``."""
        out = cls()
        out.length = int(partial["length"])
        out.coded = Counter({int(k): int(n) for k, n in partial["coded"]})
        for label, depth, stats in partial["cats"]:
            cat = _Cat()
            for name in ("observed", "lengths", "gaps"):
                values, counts = stats[name]
                getattr(cat, name).update(dict(zip(map(int, values), map(int, counts), strict=True)))
            cat.ends = {int(k): (int(f), int(last)) for k, f, last in stats["ends"]}
            out.cats[(str(label), int(depth))] = cat
        return out

    # -- the statistic -------------------------------------------------------------------------

    def disagreements(self) -> dict[Category, tuple[float, float, int]]:
        """(D_O, D_E, units) per category."""
        total = sum(self.coded.values())  # N = m L when every coder coded everything
        out: dict[Category, tuple[float, float, int]] = {}
        if total == 0 or self.length == 0:
            return out
        for key in sorted(self.cats):
            cat = self.cats[key]
            observed = sum(cat.observed[m] / (m - 1) for m in sorted(cat.observed)) / (total * self.length)
            gaps = Counter(cat.gaps)
            for coder, coded in self.coded.items():
                if coder in cat.ends:
                    first, last = cat.ends[coder]
                    for g in (first, coded - last):
                        if g > 0:
                            gaps[g] += 1
                elif coded > 0:
                    gaps[coded] += 1
            ells = np.array(sorted(cat.lengths), dtype=np.float64)
            n_ell = np.array([cat.lengths[int(v)] for v in ells], dtype=np.float64)
            n_units = int(n_ell.sum())
            g_len = np.array(sorted(gaps), dtype=np.float64)
            n_g = np.array([gaps[int(v)] for v in g_len], dtype=np.float64)
            # sum over gaps G >= l of n_G (G - l + 1), from suffix sums over the sorted gaps
            suffix_n = np.append(np.cumsum(n_g[::-1])[::-1], 0.0)
            suffix_g = np.append(np.cumsum((n_g * (g_len + 1.0))[::-1])[::-1], 0.0)
            at = np.searchsorted(g_len, ells, side="left")
            fits = suffix_g[at] - ells * suffix_n[at]
            within = (n_units - 1) * float((n_ell * (2 * ells**3 - 3 * ells**2 + ells)).sum()) / 3.0
            numerator = 2.0 / self.length * (within + float((n_ell * ells**2 * fits).sum()))
            denominator = float(total) * (total - 1) - float((n_ell * ells * (ells - 1)).sum())
            expected = numerator / denominator if denominator > 0 else 0.0
            out[key] = (observed, expected, n_units)
        return out

    def result(self) -> UnitizingResult:
        """u-alpha overall and per label (layers summed), NaN with a note where undefined."""
        nan = float("nan")
        if len(self.coded) < 2:
            return UnitizingResult(nan, NOTE_FEW_CODERS, {}, {}, {}, {}, {})
        per_cat = self.disagreements()
        observed: dict[str, float] = {}
        expected: dict[str, float] = {}
        units: dict[str, int] = {}
        for (label, _), (d_o, d_e, n) in per_cat.items():
            observed[label] = observed.get(label, 0.0) + d_o
            expected[label] = expected.get(label, 0.0) + d_e
            units[label] = units.get(label, 0) + n
        by_label: dict[str, float] = {}
        notes: dict[str, str] = {}
        for label in observed:
            if expected[label] > 0:
                by_label[label] = 1.0 - observed[label] / expected[label]
            else:
                by_label[label] = nan
                notes[label] = NOTE_NO_EXPECTED
        if not per_cat:
            return UnitizingResult(nan, NOTE_NO_UNITS, {}, {}, {}, {}, {})
        d_o = sum(observed.values())
        d_e = sum(expected.values())
        alpha = 1.0 - d_o / d_e if d_e > 0 else nan
        return UnitizingResult(alpha, None if math.isfinite(alpha) else NOTE_NO_EXPECTED,
                               by_label, notes, observed, expected, units)


def _pairs(counter: Counter[int]) -> list[list[int]]:
    """A histogram as JSON: ``[sorted values, their counts]`` (two flat lists: compact)."""
    values = sorted(counter)
    return [values, [counter[v] for v in values]]


def _layers(coder: IntArray, section: IntArray, label: IntArray, start: IntArray, end: IntArray) -> IntArray:
    """Layer of each unit: 0 unless it overlaps an earlier unit of the same coder, section and
    label in (start, -end) order; then the first layer whose last unit ends at or before its
    start (greedy interval partitioning: the fewest layers, and the same for any input order)."""
    n = len(coder)
    depth = np.zeros(n, dtype=np.int64)
    order = np.lexsort((-end, start, label, section, coder))
    k, s, lab, b, e = coder[order], section[order], label[order], start[order], end[order]
    same = np.zeros(n, dtype=bool)
    same[1:] = (k[1:] == k[:-1]) & (s[1:] == s[:-1]) & (lab[1:] == lab[:-1])
    group = np.cumsum(~same)
    big = int(e.max()) + 1
    running = np.maximum.accumulate(group * big + e) - group * big  # max end so far in the group
    clash = same.copy()
    clash[1:] &= b[1:] < running[:-1]
    if not clash.any():
        return depth
    for g in np.unique(group[clash]).tolist():
        rows = np.flatnonzero(group == g)
        layer_ends: list[int] = []
        for r in rows.tolist():
            for d, last in enumerate(layer_ends):
                if last <= b[r]:
                    layer_ends[d] = int(e[r])
                    depth[order[r]] = d
                    break
            else:
                depth[order[r]] = len(layer_ends)
                layer_ends.append(int(e[r]))
    return depth


def unitizing_stats(
    units: Iterable[Sequence[Any]], begin: int, end: int, *, coders: Iterable[Hashable] | None = None
) -> tuple[UnitizingStats, list[Hashable]]:
    """The statistics of one continuum ``[begin, end)`` that every coder unitized; ``coders``
    (default: the coders of ``units``) names every coder, including one who marked nothing."""
    rows = [tuple(u) for u in units]
    names: list[Hashable] = list(dict.fromkeys(coders)) if coders is not None else []
    index = {c: i for i, c in enumerate(names)}
    label_index: dict[str, int] = {}
    k, b, e, lab = [], [], [], []
    for coder, start, stop, label in rows:
        if coder not in index:
            if coders is not None:
                raise ValueError(f"unit of coder {coder!r} who is not in coders")
            index[coder] = len(names)
            names.append(coder)
        start, stop = int(start), int(stop)
        if not begin <= start <= stop <= end:
            raise ValueError(f"unit {start}..{stop} is not within the continuum [{begin}, {end})")
        k.append(index[coder])
        b.append(start - begin)
        e.append(stop - begin)
        lab.append(label_index.setdefault(str(label), len(label_index)))
    if end < begin:
        raise ValueError("the continuum must have end >= begin")
    stats = UnitizingStats.from_arrays(
        coder=np.array(k, dtype=np.int64), section=np.zeros(len(k), dtype=np.int64),
        start=np.array(b, dtype=np.int64), end=np.array(e, dtype=np.int64),
        label=np.array(lab, dtype=np.int64), labels=list(label_index),
        lengths=[end - begin], members=np.ones((1, len(names)), dtype=bool),
    )
    return stats, names


def unitizing_alpha_with_note(
    units: Iterable[Sequence[Any]], begin: int, end: int, *, coders: Iterable[Hashable] | None = None
) -> UnitizingResult:
    """``unitizing_alpha`` with D_O, D_E and units per label, and notes saying what is undefined."""
    return unitizing_stats(units, begin, end, coders=coders)[0].result()


def unitizing_alpha(
    units: Iterable[Sequence[Any]], begin: int, end: int, *, coders: Iterable[Hashable] | None = None
) -> dict[str, Any]:
    """Krippendorff's u-alpha of ``units`` ``(coder, start, end, label)`` (half-open character
    offsets) on the continuum ``[begin, end)``, overall and per label:
    ``{"alpha": float, "by_label": {label: float}}``; NaN where undefined (no units, fewer than
    two coders). ``coders`` lists every coder when some marked nothing (they still count)."""
    return unitizing_alpha_with_note(units, begin, end, coders=coders).as_dict()
