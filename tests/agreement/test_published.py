"""Published worked examples, reproduced to the decimals they were published with."""

from __future__ import annotations

from fractions import Fraction

import krippendorff
import numpy as np
import pytest

from annotator.agreement import (
    alpha_with_note,
    cohen_kappa,
    cohen_kappa_with_note,
    fleiss_kappa,
    fleiss_kappa_with_note,
    krippendorff_alpha,
    percent_agreement,
    specific_agreement,
)

# Krippendorff (2011), "Computing Krippendorff's Alpha-Reliability", section E (4 coders x 12
# units with missing data), https://repository.upenn.edu/asc_papers/43
K2011 = [
    [1, 2, 3, 3, 2, 1, 4, 1, 2, None, None, None],
    [1, 2, 3, 3, 2, 2, 4, 1, 2, 5, None, 3],
    [None, 3, 3, 3, 2, 3, 4, 2, 2, 5, 1, None],
    [1, 2, 3, 3, 2, 4, 4, 1, 2, 5, 1, None],
]
K2011_ALPHA = {"nominal": 0.743, "ordinal": 0.815, "interval": 0.849, "ratio": 0.797}

# Wikipedia, "Fleiss' kappa", worked example: 10 subjects, 14 raters, 5 categories;
# P-bar = 0.378, P-bar_e = 0.213, kappa = 0.210.
WIKI_FLEISS = [
    [0, 0, 0, 0, 14],
    [0, 2, 6, 4, 2],
    [0, 0, 3, 5, 6],
    [0, 3, 9, 2, 0],
    [2, 2, 8, 1, 1],
    [7, 7, 0, 0, 0],
    [3, 2, 6, 3, 0],
    [2, 5, 3, 2, 2],
    [6, 5, 2, 1, 0],
    [0, 2, 2, 3, 7],
]

# Wikipedia, "Cohen's kappa", simple example: 50 proposals, A and B both yes 20, A yes B no 5,
# A no B yes 10, both no 15 -> p_o = 0.7, p_e = 0.5, kappa = 0.4.
WIKI_COHEN_A = ["yes"] * 20 + ["yes"] * 5 + ["no"] * 10 + ["no"] * 15
WIKI_COHEN_B = ["yes"] * 20 + ["no"] * 5 + ["yes"] * 10 + ["no"] * 15


@pytest.mark.parametrize("level", sorted(K2011_ALPHA))
def test_krippendorff_2011_example_matches_published_value(level: str) -> None:
    assert krippendorff_alpha(K2011, level) == pytest.approx(K2011_ALPHA[level], abs=5e-4)


@pytest.mark.parametrize("level", sorted(K2011_ALPHA))
def test_krippendorff_2011_example_matches_krippendorff_package(level: str) -> None:
    data = np.array(K2011, dtype=float)
    expected = krippendorff.alpha(data, level_of_measurement=level)
    assert krippendorff_alpha(data, level) == pytest.approx(expected, abs=1e-12)


def test_krippendorff_2011_example_counts_pairable_values() -> None:
    # The paper's coincidence matrix has n = 40 pairable values in 11 pairable units
    # (unit 12 has a single value and is dropped).
    res = alpha_with_note(K2011)
    assert (res.units, res.pairable_values) == (11, 40)


def test_krippendorff_ordinal_strings_with_value_domain() -> None:
    # The krippendorff package docstring's string version of the same data: ordinal 0.815.
    names = {1: "very low", 2: "low", 3: "mid", 4: "high", 5: "very high"}
    data = [[names.get(v) for v in row] for row in K2011]
    domain = ["very low", "low", "mid", "high", "very high"]
    assert krippendorff_alpha(data, "ordinal", value_domain=domain) == pytest.approx(0.815, abs=5e-4)
    assert krippendorff_alpha(data) == pytest.approx(0.743, abs=5e-4)


def test_krippendorff_package_docstring_example() -> None:
    # Example of the krippendorff package's docstring: nominal 0.691358, interval 0.810845.
    nan = None
    data = [
        [nan, nan, nan, nan, nan, 3, 4, 1, 2, 1, 1, 3, 3, nan, 3],
        [1, nan, 2, 1, 3, 3, 4, 3, nan, nan, nan, nan, nan, nan, nan],
        [nan, nan, 2, 1, 3, 4, 4, nan, 2, 1, 1, 3, 3, nan, 4],
    ]
    assert krippendorff_alpha(data) == pytest.approx(0.691358, abs=1e-6)
    assert krippendorff_alpha(data, "interval") == pytest.approx(0.810845, abs=1e-6)


def test_fleiss_wikipedia_example() -> None:
    res = fleiss_kappa_with_note(WIKI_FLEISS)
    assert res.value == pytest.approx(0.210, abs=5e-4)
    assert res.observed == pytest.approx(0.378, abs=5e-4)
    assert res.expected == pytest.approx(0.213, abs=5e-4)
    assert fleiss_kappa(WIKI_FLEISS) == res.value


def test_cohen_wikipedia_two_by_two_example() -> None:
    res = cohen_kappa_with_note(WIKI_COHEN_A, WIKI_COHEN_B)
    assert res.value == pytest.approx(0.4, abs=1e-12)
    assert (res.observed, res.expected) == (pytest.approx(0.7), pytest.approx(0.5))


def test_cohen_two_by_two_specific_and_percent_agreement() -> None:
    # Two coders: specific agreement is 2a / (2a + b + c): yes 40/55, no 30/45; p_o = 0.7.
    data = [WIKI_COHEN_A, WIKI_COHEN_B]
    assert specific_agreement(data) == {
        "no": pytest.approx(30 / 45),
        "yes": pytest.approx(40 / 55),
    }
    assert percent_agreement(data) == pytest.approx(0.7)


def test_weighted_kappa_matches_hand_derivation() -> None:
    """Not a published value: derived by hand with exact fractions (and checked against
    scikit-learn in test_properties). Confusion [[2,1,0],[0,2,1],[1,0,3]], n = 10."""
    y1 = [0, 0, 0, 1, 1, 1, 2, 2, 2, 2]
    y2 = [0, 0, 1, 1, 1, 2, 0, 2, 2, 2]
    conf = [[2, 1, 0], [0, 2, 1], [1, 0, 3]]
    rows = [sum(r) for r in conf]
    cols = [sum(c) for c in zip(*conf, strict=True)]

    def kappa(weight: int) -> Fraction:
        obs = sum(Fraction(abs(i - j) ** weight * conf[i][j]) for i in range(3) for j in range(3))
        exp = sum(
            Fraction(abs(i - j) ** weight * rows[i] * cols[j], 10) for i in range(3) for j in range(3)
        )
        return 1 - obs / exp

    # by hand: linear 1 - 4 / 9 = 5/9; quadratic 1 - 6 / 13.8 = 13/23
    assert kappa(1) == Fraction(5, 9) and kappa(2) == Fraction(13, 23)
    assert cohen_kappa(y1, y2, weights="linear") == pytest.approx(float(kappa(1)), abs=1e-12)
    assert cohen_kappa(y1, y2, weights="quadratic") == pytest.approx(float(kappa(2)), abs=1e-12)


# Fleiss (1971), "Measuring nominal scale agreement among many raters", Psychological
# Bulletin 76: 378-382, Table 1: 30 patients, 6 psychiatrists each, 5 diagnoses (depression,
# personality disorder, schizophrenia, neurosis, other). The data as statsmodels ships them in
# its own tests (R irr's `diagnoses`), read from the installed package rather than copied.
# Published: P-bar = .556, P-bar_e = .220, kappa = .430; category kappas .245 .245 .520 .471 .566.
def _fleiss_1971_table() -> np.ndarray:
    from statsmodels.stats.inter_rater import aggregate_raters
    from statsmodels.stats.tests.test_inter_rater import diagnoses

    table, categories = aggregate_raters(diagnoses)
    assert table.shape == (30, 5) and list(categories) == [1, 2, 3, 4, 5]
    return table


def test_fleiss_1971_table_matches_published_values() -> None:
    from annotator.agreement.kappa import fleiss_category_kappas

    res = fleiss_kappa_with_note(_fleiss_1971_table())
    assert res.value == pytest.approx(0.430, abs=5e-4)
    assert res.observed == pytest.approx(0.556, abs=5e-4)
    assert res.expected == pytest.approx(0.220, abs=5e-4)
    assert fleiss_category_kappas(_fleiss_1971_table()) == pytest.approx([0.245, 0.245, 0.520, 0.471, 0.566], abs=5e-4)


# SAS PROC FREQ's agreement example (also in statsmodels' tests as `table10`): 19 subjects, two
# raters, 3 ordered categories. SAS prints simple kappa 0.4842 and weighted kappa 0.4701 with its
# default Cicchetti-Allison weights, which for equally spaced categories are the linear ones.
SAS_TABLE = [[0, 4, 1], [0, 8, 0], [0, 1, 5]]


def _table_to_labels(table: list[list[int]]) -> tuple[list[int], list[int]]:
    a, b = [], []
    for i, row in enumerate(table):
        for j, n in enumerate(row):
            a += [i] * n
            b += [j] * n
    return a, b


def test_sas_agreement_example_simple_and_weighted_kappa() -> None:
    a, b = _table_to_labels(SAS_TABLE)
    assert cohen_kappa(a, b) == pytest.approx(0.4842, abs=5e-5)
    assert cohen_kappa(a, b, weights="linear") == pytest.approx(0.4701, abs=5e-5)
