"""Krippendorff's unitizing alpha: published worked examples (as DKPro Agreement tests them),
identical and disjoint unitizations, nested spans, missing coders and merging blocks."""

from __future__ import annotations

import math
import random

import numpy as np
import pytest

from annotator.agreement import unitizing_alpha
from annotator.agreement.unitizing import UnitizingStats, unitizing_alpha_with_note


def _units(raw: list[tuple[int, int, int, str]], stretch: float = 1.0) -> list[tuple[int, int, int, str]]:
    """DKPro's ``addUnit(offset, length, rater, category)`` rows as (coder, start, end, label)."""
    return [(r, int(o * stretch), int(o * stretch) + int(n * stretch), c) for o, n, r, c in raw]


# Krippendorff (2004), Content Analysis, 2nd ed., p. 254: two observers, continuum [150, 450),
# categories c and k. Reproduced as in DKPro Agreement (dkpro/dkpro-statistics,
# dkpro-statistics-agreement/src/test/java/org/dkpro/statistics/agreement/unitizing/
# Krippendorff2004Test.java, createExample): D_O(c) = .0144, D_E(c) = .0532, alpha(c) = .7286,
# D_O(k) = 0, D_E(k) = .0490, alpha(k) = 1, alpha = .8591.
K2004 = [(225, 70, 0, "c"), (370, 30, 0, "c"), (220, 80, 1, "c"), (355, 20, 1, "c"), (400, 20, 1, "c"),
         (180, 60, 0, "k"), (300, 50, 0, "k"), (180, 60, 1, "k"), (300, 50, 1, "k")]

# DKPro Agreement, UnitizingAgreementTest.createExample: r0 -11111111-, r1 --1-1-1---
DKPRO_EXAMPLE = [(1, 8, 0, "A"), (2, 1, 1, "A"), (4, 1, 1, "A"), (6, 1, 1, "A")]

# Krippendorff (1995), "On the reliability of unitizing contiguous data", Sociological
# Methodology 25, p. 57: four pairs of coders on 24 positions (DKPro Krippendorff1995Test).
K1995 = [
    (2, 8, 0, "A"), (14, 6, 0, "A"), (4, 4, 1, "A"), (15, 2, 1, "A"),
    (0, 18, 0, "B"), (0, 2, 1, "B"), (2, 1, 1, "B"), (3, 1, 1, "B"), (4, 1, 1, "B"), (5, 1, 1, "B"),
    (6, 3, 1, "B"), (9, 1, 1, "B"),
    (2, 6, 0, "C"), (10, 2, 0, "C"), (14, 4, 0, "C"), (20, 2, 0, "C"), (0, 2, 1, "C"), (4, 4, 1, "C"),
    (10, 4, 1, "C"), (16, 2, 1, "C"), (20, 2, 1, "C"),
    (0, 2, 0, "D"), (2, 8, 0, "D"), (10, 4, 0, "D"), (14, 6, 0, "D"), (20, 4, 0, "D"), (0, 4, 1, "D"),
    (4, 4, 1, "D"), (8, 7, 1, "D"), (15, 2, 1, "D"), (17, 7, 1, "D"),
]


def test_krippendorff_2004_example_per_category_to_four_decimals() -> None:
    result = unitizing_alpha_with_note(_units(K2004), 150, 450)
    assert result.observed["c"] == pytest.approx(0.0144, abs=5e-5)
    assert result.expected["c"] == pytest.approx(0.0532, abs=5e-5)
    assert result.by_label["c"] == pytest.approx(0.7286, abs=5e-5)
    assert result.observed["k"] == 0.0
    assert result.expected["k"] == pytest.approx(0.0490, abs=5e-5)
    assert result.by_label["k"] == 1.0


def test_krippendorff_2004_example_overall_alpha() -> None:
    """The book's .8591 is 1 - .0144 / (.0532 + .0490), from D values rounded to 4 decimals;
    unrounded it is .85867 (DKPro asserts .8591 within .0005, as here)."""
    result = unitizing_alpha_with_note(_units(K2004), 150, 450)
    assert unitizing_alpha(_units(K2004), 150, 450)["alpha"] == pytest.approx(0.8591, abs=5e-4)
    rounded = 1 - round(result.observed["c"], 4) / (round(result.expected["c"], 4) + round(result.expected["k"], 4))
    assert round(rounded, 4) == 0.8591


def test_dkpro_unitizing_agreement_example() -> None:
    result = unitizing_alpha_with_note(_units(DKPRO_EXAMPLE), 0, 10)
    assert result.observed["A"] == pytest.approx(0.9100, abs=1e-4)
    assert result.expected["A"] == pytest.approx(0.5351, abs=1e-4)
    assert result.by_label["A"] == pytest.approx(-0.7003, abs=1e-4)


def test_krippendorff_1995_observed_disagreement() -> None:
    result = unitizing_alpha_with_note(_units(K1995), 0, 24)
    assert result.observed == pytest.approx({"A": 0.03125, "B": 2.26736, "C": 0.02777, "D": 0.38715}, abs=1e-5)
    # DKPro's testVaryingLengths: the half-size continuum pins D_E(C) to 5 decimals
    half = unitizing_alpha_with_note(_units(K1995, 12 / 24), 0, 12)
    assert half.expected["C"] == pytest.approx(0.05494, abs=1e-5)


def test_krippendorff_1995_alphas_within_dkpro_tolerance() -> None:
    """DKPro compares with the published alphas within .02 (the paper's D_E has a known slip)."""
    result = unitizing_alpha_with_note(_units(K1995, 1_200_000 / 24), 0, 1_200_000)
    published = {"A": 0.553, "B": -0.926, "C": 0.679, "D": 0.066}
    for label, value in published.items():
        assert result.by_label[label] == pytest.approx(value, abs=0.02), label


def test_single_unit_gives_zero_like_dkpro() -> None:
    assert unitizing_alpha([(0, 0, 1, "X")], 0, 20, coders=[0, 1, 2])["alpha"] == pytest.approx(0.0, abs=1e-12)


def test_empty_is_nan() -> None:
    result = unitizing_alpha_with_note([], 0, 20, coders=[0, 1, 2])
    assert math.isnan(result.alpha) and result.note


def test_one_coder_is_nan() -> None:
    result = unitizing_alpha_with_note([("a", 0, 5, "X")], 0, 20)
    assert math.isnan(result.alpha) and "two coders" in (result.note or "")


def test_identical_unitizations_are_one() -> None:
    spans = [(0, 6, "GPE"), (10, 15, "PER"), (30, 42, "ORG"), (50, 51, "GPE")]
    units = [(coder, s, e, label) for coder in "abc" for s, e, label in spans]
    result = unitizing_alpha(units, 0, 60)
    assert result["alpha"] == 1.0
    assert result["by_label"] == {"GPE": 1.0, "ORG": 1.0, "PER": 1.0}


def test_disjoint_unitizations_are_not_one() -> None:
    """INCEpTION once reported 1.0 for two totally different documents."""
    a = [("a", 0, 10, "X"), ("a", 40, 50, "X")]
    b = [("b", 15, 30, "X"), ("b", 60, 75, "X")]
    result = unitizing_alpha(a + b, 0, 100)
    assert result["alpha"] < 0.5
    assert result["alpha"] != 1.0
    different_labels = unitizing_alpha([("a", 0, 10, "X"), ("b", 0, 10, "Y")], 0, 100)
    assert different_labels["alpha"] < 0.5


def test_nested_identical_spans_are_full_agreement_in_any_order() -> None:
    nested = [(0, 20, "ORG"), (0, 7, "ORG"), (9, 20, "GPE"), (0, 20, "ORG")]
    rng = random.Random(3)
    for _ in range(5):
        a, b = nested[:], nested[:]
        rng.shuffle(a)
        rng.shuffle(b)
        units = [("a", *s) for s in a] + [("b", *s) for s in b]
        assert unitizing_alpha(units, 0, 30) == {"alpha": 1.0, "by_label": {"GPE": 1.0, "ORG": 1.0}}


def test_coder_who_marked_nothing_counts() -> None:
    with_silent = unitizing_alpha([("a", 0, 5, "X"), ("b", 0, 5, "X")], 0, 20, coders=["a", "b", "c"])
    assert with_silent["alpha"] < 1.0
    assert unitizing_alpha([("a", 0, 5, "X"), ("b", 0, 5, "X")], 0, 20)["alpha"] == 1.0


def test_unit_outside_the_continuum_is_rejected() -> None:
    with pytest.raises(ValueError):
        unitizing_alpha([("a", 5, 25, "X")], 0, 20)


def _sections(rng: random.Random, n: int, coders: int) -> list[tuple[int, list[int], list[tuple[int, int, int, int]]]]:
    out = []
    for _ in range(n):
        length = rng.randint(5, 40)
        members = [k for k in range(coders) if rng.random() < 0.8]
        units = []
        for k in members:
            for _ in range(rng.randint(0, 3)):
                s = rng.randrange(length)
                units.append((k, s, min(length, s + rng.randint(1, 8)), rng.randrange(3)))
        out.append((length, members, units))
    return out


def _block(sections: list[tuple[int, list[int], list[tuple[int, int, int, int]]]], coders: int) -> UnitizingStats:
    rows = [(k, i, s, e, lab) for i, (_, _, units) in enumerate(sections) for k, s, e, lab in units]
    arr = np.array(rows, dtype=np.int64).reshape(-1, 5)
    members = np.zeros((len(sections), coders), dtype=bool)
    for i, (_, ms, _) in enumerate(sections):
        members[i, ms] = True
    return UnitizingStats.from_arrays(coder=arr[:, 0], section=arr[:, 1], start=arr[:, 2], end=arr[:, 3],
                                      label=arr[:, 4], labels=["X", "Y", "Z"],
                                      lengths=[n for n, _, _ in sections], members=members)


def test_blocks_merge_to_the_same_bits() -> None:
    rng = random.Random(11)
    sections = _sections(rng, 300, 4)
    whole = _block(sections, 4).result()
    for cuts in ([100, 200], [1, 150, 299], [37]):
        parts = [sections[a:b] for a, b in zip([0, *cuts], [*cuts, len(sections)], strict=True)]
        merged = UnitizingStats()
        for part in parts:
            merged = merged.merged(UnitizingStats.from_partial(_block(part, 4).partial()))
        assert merged.result() == whole


def test_concatenated_sections_equal_one_continuum_when_everyone_codes_everything() -> None:
    """Sentences concatenated with offsets: the same as DKPro's single continuum."""
    rng = random.Random(5)
    sections = _sections(rng, 40, 3)
    for _, members, _ in sections:
        members[:] = [0, 1, 2]
    stats = _block(sections, 3).result()
    offsets = np.cumsum([0] + [n for n, _, _ in sections])
    flat = [(k, offsets[i] + s, offsets[i] + e, "XYZ"[lab]) for i, (_, _, units) in enumerate(sections)
            for k, s, e, lab in units]
    one = unitizing_alpha_with_note(flat, 0, int(offsets[-1]), coders=[0, 1, 2])
    assert one.alpha == pytest.approx(stats.alpha, abs=1e-12)
    assert one.by_label == pytest.approx(stats.by_label, abs=1e-12)


def test_sentence_coded_by_one_annotator_changes_nothing() -> None:
    rng = random.Random(8)
    sections = _sections(rng, 50, 3)
    for _, members, _ in sections:
        members[:] = [0, 1, 2]
    base = _block(sections, 3).result()
    lonely = (25, [1], [(1, 0, 10, 0), (1, 12, 20, 2)])
    assert _block([*sections[:20], lonely, *sections[20:]], 3).result().alpha == pytest.approx(base.alpha, abs=1e-12)
