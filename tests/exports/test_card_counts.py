"""annotator/exports/card.py: counts in the dataset card's agreement lines (issue 13, bug 11)."""

from __future__ import annotations

from annotator.exports.card import agreement_lines


def test_one_positive_is_singular() -> None:
    report = {"events": {"types": {"Contact:Meet": {"alpha": 0.5, "positives": 1},
                                   "Conflict:Attack": {"alpha": 0.5, "positives": 3}}}}
    text = "\n".join(agreement_lines(report))
    assert "(1 positive)" in text and "(1 positives)" not in text
    assert "(3 positives)" in text
