"""Inter-annotator agreement statistics: pure numpy + stdlib, importable without Django.

Public interface (CONTRACT.md, "Python"):

    krippendorff_alpha(reliability_data, level_of_measurement="nominal")  # coders x units
    fleiss_kappa(table)                                # subjects x categories counts
    cohen_kappa(y1, y2, labels=None, weights=None)     # None | "linear" | "quadratic"
    span_f1(spans_a, spans_b, match="exact")           # "exact" | "overlap"
    unitizing_alpha(units, begin, end)                 # units: (coder, start, end, label)

Each returns ``float("nan")`` where the statistic is undefined; the ``*_with_note`` variants say
why. Only pure modules are imported here: the Django app's ``models``/``tasks`` living in this
package must be imported explicitly by Django, never from this file.
"""

from annotator.agreement.alpha import (
    AlphaResult,
    BootstrapResult,
    alpha_bootstrap,
    alpha_ci,
    alpha_with_note,
    coincidences,
    krippendorff_alpha,
)
from annotator.agreement.confusion import (
    Agreement,
    confusion_matrix,
    pairwise_confusion_matrices,
    percent_agreement,
    percent_agreement_with_note,
    specific_agreement,
)
from annotator.agreement.kappa import (
    KappaResult,
    category_counts,
    cohen_kappa,
    cohen_kappa_with_note,
    fleiss_category_kappas,
    fleiss_kappa,
    fleiss_kappa_with_note,
    pairwise_cohen_kappa,
)
from annotator.agreement.sets import (
    jaccard_distance,
    masi_distance,
    set_alpha,
    set_alpha_bootstrap,
    set_alpha_with_note,
)
from annotator.agreement.spans import (
    SpanScores,
    matched_count,
    span_f1,
    span_f1_per_label,
    span_f1_total,
    span_scores,
)
from annotator.agreement.unitizing import (
    UnitizingResult,
    UnitizingStats,
    unitizing_alpha,
    unitizing_alpha_with_note,
)

__all__ = [
    "Agreement",
    "AlphaResult",
    "BootstrapResult",
    "KappaResult",
    "SpanScores",
    "alpha_bootstrap",
    "alpha_ci",
    "alpha_with_note",
    "category_counts",
    "cohen_kappa",
    "cohen_kappa_with_note",
    "coincidences",
    "confusion_matrix",
    "fleiss_category_kappas",
    "fleiss_kappa",
    "fleiss_kappa_with_note",
    "jaccard_distance",
    "krippendorff_alpha",
    "masi_distance",
    "matched_count",
    "pairwise_cohen_kappa",
    "pairwise_confusion_matrices",
    "percent_agreement",
    "percent_agreement_with_note",
    "set_alpha",
    "set_alpha_bootstrap",
    "set_alpha_with_note",
    "span_f1",
    "span_f1_per_label",
    "span_f1_total",
    "span_scores",
    "specific_agreement",
    "unitizing_alpha",
    "unitizing_alpha_with_note",
    "UnitizingResult",
    "UnitizingStats",
]
