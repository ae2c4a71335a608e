"""report.py on small hand-made data: its numbers equal the library's on the same data."""

from __future__ import annotations

import json
import math

import numpy as np

from annotator.agreement import (
    alpha_bootstrap,
    fleiss_kappa,
    krippendorff_alpha,
    pairwise_cohen_kappa,
    percent_agreement,
    set_alpha,
    span_f1_total,
)
from annotator.agreement.report import (
    EntityAccumulator,
    EventAccumulator,
    StanceAccumulator,
    assemble_report,
    clean_json,
)

NAMES = ["ann", "bob", "cy"]
T = "the pact"
LABELS = ["favor", "against", "neutral", "none"]
# sentence id -> annotator -> stance label (None: not submitted)
STANCE = {
    1: ["favor", "favor", "favor"], 2: ["against", "against", "neutral"], 3: ["none", "none", "none"],
    4: ["neutral", "favor", "neutral"], 5: ["favor", "favor", None], 6: ["against", "against", "against"],
}
ENTITIES = {
    1: [[(0, 5, "PER"), (10, 14, "GPE")], [(0, 5, "PER"), (10, 14, "GPE")], [(0, 5, "PER")]],
    2: [[(3, 9, "ORG")], [(2, 9, "ORG")], [(3, 9, "GPE")]],
    3: [[], [], []],
    4: [[(0, 4, "GPE"), (6, 8, "GPE")], [(0, 8, "GPE")], [(0, 4, "GPE"), (6, 8, "GPE")]],
}
EVENTS = {
    1: [["Contact:Meet"], ["Contact:Meet"], []],
    2: [["Conflict:Attack", "Contact:Meet"], ["Conflict:Attack"], ["Conflict:Attack"]],
    3: [[], [], []],
    4: [["Movement:Transport"], ["Movement:Transport"], ["Movement:Transport"]],
}


def _stance() -> StanceAccumulator:
    acc = StanceAccumulator([T], LABELS, 3)
    for sid, labels in STANCE.items():
        acc.add(sid, {k: [{"target": T, "label": lab}] for k, lab in enumerate(labels) if lab is not None})
    return acc


def _matrix() -> list[list[str | None]]:
    return [[STANCE[sid][k] for sid in sorted(STANCE)] for k in range(3)]


def test_stance_numbers_equal_the_library():
    section = _stance().finish(NAMES)["section"][T]
    data = _matrix()
    assert math.isclose(section["alpha"], krippendorff_alpha(data), abs_tol=1e-6)
    # the same data, coded in the schema's label order: the interval is the library's, exactly
    codes = [[np.nan if lab is None else LABELS.index(lab) for lab in row] for row in data]
    boot = alpha_bootstrap(codes, n_boot=1000, seed=0)
    assert section["alpha_ci95"] == [round(boot.low, 6), round(boot.high, 6)]
    assert math.isclose(section["percent_agreement"], percent_agreement(data), abs_tol=1e-6)
    kappas = pairwise_cohen_kappa(data, coders=NAMES)
    assert section["pairwise_cohen_kappa"] == {k: round(v.value, 6) for k, v in kappas.items()}
    assert section["items"] == 6


def test_fleiss_is_null_with_a_note_when_items_have_different_numbers_of_annotators():
    section = _stance().finish(NAMES)["section"][T]
    assert section["fleiss_kappa"] is None
    assert "different numbers of annotators" in section["fleiss_kappa_note"]


def test_fleiss_equals_the_library_when_every_item_has_three_annotators():
    acc = StanceAccumulator([T], LABELS, 3)
    complete = {sid: labels for sid, labels in STANCE.items() if None not in labels}
    for sid, labels in complete.items():
        acc.add(sid, {k: [{"target": T, "label": lab}] for k, lab in enumerate(labels)})
    section = acc.finish(NAMES)["section"][T]
    table = [[labels.count(c) for c in LABELS] for labels in complete.values()]
    assert math.isclose(section["fleiss_kappa"], fleiss_kappa(table), abs_tol=1e-6)


def test_undefined_alpha_is_null_with_a_note_never_a_made_up_one():
    acc = StanceAccumulator([T], LABELS, 2)
    for sid in range(3):
        acc.add(sid, {0: [{"target": T, "label": "none"}], 1: [{"target": T, "label": "none"}]})
    section = acc.finish(NAMES[:2])["section"][T]
    assert section["alpha"] is None and "single category" in section["alpha_note"]
    assert section["alpha_ci95"] is None and section["alpha_ci95_note"]


def _entities() -> EntityAccumulator:
    acc = EntityAccumulator(["PER", "GPE", "ORG"])
    for sid, per in ENTITIES.items():
        acc.add(sid, {k: [{"start": s, "end": e, "label": lab} for s, e, lab in spans] for k, spans in enumerate(per)})
    return acc


def _docs(i: int, j: int, label: str | None = None) -> list:
    pick = (lambda spans: [s for s in spans if s[2] == label]) if label else (lambda spans: spans)
    return [(pick(per[i]), pick(per[j])) for per in ENTITIES.values()]


def test_entity_f1_pooled_per_label_and_pairwise_equal_span_f1_total():
    section = _entities().finish(NAMES)["section"]
    pairs = [(0, 1), (0, 2), (1, 2)]
    for match in ("exact", "overlap"):
        expected = span_f1_total([d for i, j in pairs for d in _docs(i, j)], match)
        assert math.isclose(section[match]["f1"], expected.f1, abs_tol=1e-6)
        assert section[match]["matched"] == expected.matched
        for label in ("PER", "GPE", "ORG"):
            per_label = span_f1_total([d for i, j in pairs for d in _docs(i, j, label)], match)
            assert math.isclose(section["per_label"][label][f"{match}_f1"], per_label.f1, abs_tol=1e-6)
        for i, j in pairs:
            pair = span_f1_total(_docs(i, j), match)
            assert math.isclose(section["pairwise"][f"{NAMES[i]}|{NAMES[j]}"][f"{match}_f1"], pair.f1, abs_tol=1e-6)


def _events() -> EventAccumulator:
    acc = EventAccumulator(["Contact:Meet", "Conflict:Attack", "Movement:Transport"], 3)
    for sid, per in EVENTS.items():
        acc.add(sid, {
            k: [{"type": t, "trigger": {"start": n, "end": n + 3}, "arguments": []} for n, t in enumerate(types)]
            for k, types in enumerate(per)
        })
    return acc


def test_event_alphas_equal_the_library():
    section = _events().finish(NAMES)["section"]
    units = [{k: set(types) for k, types in enumerate(per)} for per in EVENTS.values()]
    assert math.isclose(section["masi_alpha"], set_alpha(units), abs_tol=1e-6)
    for event_type, values in section["types"].items():
        data = np.array([[float(event_type in per[k]) for per in EVENTS.values()] for k in range(3)])
        expected = krippendorff_alpha(data)
        if math.isnan(expected):
            assert values["alpha"] is None and values["alpha_note"]
        else:
            assert math.isclose(values["alpha"], expected, abs_tol=1e-6)
        assert values["positives"] == int(data.sum())
        assert values["items"] == 4


def test_assembled_report_has_the_contract_keys_and_is_strict_json():
    parts = [_stance().finish(NAMES), _events().finish(NAMES), _entities().finish(NAMES)]
    report = assemble_report(project="p", computed_at="now", annotators=NAMES, sentences=6, sentences_annotated=6,
                             parts=parts, seconds={0: [1.0, 3.0], 1: [2.0], 2: []}, texts={2: "two"})
    for key in ("project", "computed_at", "annotators", "sentences", "stance", "events", "entities"):
        assert key in report
    assert {"alpha", "alpha_ci95", "fleiss_kappa", "percent_agreement", "items", "pairwise_cohen_kappa"} <= set(report["stance"][T])
    assert {"types", "masi_alpha", "trigger_f1"} <= set(report["events"])
    assert {"exact", "overlap", "per_label", "pairwise"} <= set(report["entities"])
    assert report["annotator_figures"]["ann"]["median_seconds"] == 2.0
    assert report["annotator_figures"]["cy"]["median_seconds"] is None
    assert report["disputed"][0]["id"] == 2 and report["disputed"][0]["text"] == "two"
    json.dumps(report, allow_nan=False)


def test_clean_json_turns_nan_into_null():
    assert clean_json({"a": [float("nan"), 1.0, np.float64("inf")]}) == {"a": [None, 1.0, None]}
