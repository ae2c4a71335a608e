"""The pure coverage rules: statuses, the record filter, soft labels, pseudonymous ids."""

from __future__ import annotations

import pytest

from annotator.exports.coverage import (
    STATUSES,
    FilterError,
    parse_statuses,
    pseudonym,
    record_filter,
    sentence_status,
    soft_labels,
    stance_distribution,
    token_confidence,
)


def _status(**kw):  # type: ignore[no-untyped-def]
    base = {"gold_source": None, "reopened": False, "candidate_method": None, "needs_adjudication": None,
            "submitted": True}
    return sentence_status(**{**base, **kw})


def test_each_sentence_gets_the_status_the_adjudication_queue_implies() -> None:
    assert _status(gold_source="adjudicated", candidate_method="majority", needs_adjudication=True) == "adjudicated"
    assert _status(gold_source="accepted") == "adjudicated"
    assert _status(gold_source="majority", candidate_method="majority", needs_adjudication=False) == "gold"
    assert _status(gold_source="majority") == "gold"  # no run scored it: the gold row stands
    # stale machine gold: another method's, or the current run sends it to a lead
    assert _status(gold_source="dawid-skene", candidate_method="majority", needs_adjudication=False) == "disputed"
    assert _status(gold_source="majority", candidate_method="majority", needs_adjudication=True) == "disputed"
    assert _status(gold_source="adjudicated", reopened=True) == "disputed"
    assert _status(candidate_method="majority", needs_adjudication=True) == "disputed"
    assert _status() == "disputed"  # submitted, never aggregated
    assert _status(submitted=False) == "unannotated"


def test_the_filter_defaults_to_gold_and_adjudicated_and_all_means_every_status() -> None:
    assert parse_statuses(None) == parse_statuses("") == ("gold", "adjudicated")
    assert parse_statuses("all") == STATUSES
    assert parse_statuses("disputed, gold") == ("gold", "disputed")
    with pytest.raises(FilterError) as err:
        parse_statuses("gold,nope")
    assert err.value.field == "status"
    keep = record_filter(status="all", min_confidence=0.8)
    assert keep.keeps("disputed", 0.8) and not keep.keeps("gold", 0.79) and not keep.keeps("unannotated", None)
    for bad in (1.5, -0.1, True, "0.5"):
        with pytest.raises(FilterError):
            record_filter(min_confidence=bad)


def test_soft_labels_are_vote_fractions_and_posteriors() -> None:
    decisions = {
        "stance": {"pact": {"label": "favor", "votes": {"favor": 2, "against": 1},
                            "probs": {"favor": 0.9, "against": 0.1, "neutral": 0.0, "none": 0.0}}},
        "events": {"Attack": {"yes": 1, "n": 3, "prob": 0.2}},
        "entities": [{"start": 0, "end": 6, "label": "GPE", "votes": 2, "n": 3}],
        "triggers": [],
    }
    soft = soft_labels("dawid-skene", decisions)
    assert soft["stance"]["pact"]["votes"] == {"favor": 0.666667, "against": 0.333333}
    assert soft["events"]["Attack"] == {"fraction": 0.333333, "n": 3, "prob": 0.2}
    assert soft["entities"][0]["fraction"] == 0.666667
    assert stance_distribution(soft, "pact", ["favor", "against", "neutral", "none"]) == [0.9, 0.1, 0.0, 0.0]
    assert stance_distribution(soft, "other", ["favor"]) is None
    # token 0 is inside the GPE span 2 of 3 marked; token 1 is outside every span
    assert token_confidence(soft, ["B-GPE", "O"], [[0, 6], [7, 9]]) == [0.666667, 1.0]
    assert token_confidence(soft, ["O", "O"], [[0, 6], [7, 9]]) == [0.333333, 1.0]
    assert token_confidence(None, ["O"], [[0, 1]]) == [None]


def test_pseudonyms_are_stable_per_project_and_hide_the_user() -> None:
    assert pseudonym("s", 1, 7) == pseudonym("s", 1, 7) != pseudonym("s", 2, 7) != pseudonym("t", 1, 7)
    assert pseudonym("s", 1, 7).startswith("ann-") and len(pseudonym("s", 1, 7)) == 14
