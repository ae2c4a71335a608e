"""report.py on small hand-made data: its numbers equal the library's on the same data."""

from __future__ import annotations

import json
import math

import numpy as np
import pytest

from annotator.agreement import (
    alpha_bootstrap,
    fleiss_kappa,
    krippendorff_alpha,
    pairwise_cohen_kappa,
    percent_agreement,
    set_alpha,
    span_f1_total,
    unitizing_alpha,
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


def test_entity_unitizing_alpha_equals_the_library_on_the_concatenated_sentences():
    """Sentences without a given length stretch to their furthest span end; concatenated in
    order, they are one continuum for ``unitizing_alpha``."""
    section = _entities().finish(NAMES)["section"]
    units, offset = [], 0
    for per in ENTITIES.values():
        for k, spans in enumerate(per):
            units += [(k, offset + s, offset + e, lab) for s, e, lab in spans]
        offset += max((e for spans in per for _, e, _ in spans), default=0)
    expected = unitizing_alpha(units, 0, offset, coders=[0, 1, 2])
    got = section["unitizing_alpha"]
    assert math.isclose(got["alpha"], expected["alpha"], abs_tol=1e-6)
    assert {label: v["alpha"] for label, v in got["per_label"].items()} == pytest.approx(expected["by_label"], abs=1e-6)
    assert list(got["per_label"]) == ["PER", "GPE", "ORG"]  # schema order


def test_nested_identical_entities_are_full_agreement_in_any_order():
    """Label Studio scores a pair of identical nested spans about 50%."""
    nested = [{"start": 0, "end": 20, "label": "ORG"}, {"start": 0, "end": 7, "label": "GPE"},
              {"start": 0, "end": 7, "label": "ORG"}]
    acc = EntityAccumulator(["ORG", "GPE"])
    acc.add(1, {0: nested, 1: nested[::-1], 2: [nested[1], nested[2], nested[0]]}, length=30)
    section = acc.finish(NAMES)["section"]
    assert section["exact"]["f1"] == section["overlap"]["f1"] == 1.0
    assert section["unitizing_alpha"]["alpha"] == 1.0
    assert all(v["alpha"] == 1.0 for v in section["unitizing_alpha"]["per_label"].values())


def test_event_parts_in_the_report_equal_the_pure_counts():
    acc = EventAccumulator(["Conflict:Attack"], 3)
    attack = {"type": "Conflict:Attack", "trigger": {"start": 10, "end": 16},
              "arguments": [{"role": "Attacker", "start": 0, "end": 6}]}
    other = {"type": "Contact:Meet", "trigger": {"start": 10, "end": 16},
             "arguments": [{"role": "Entity", "start": 0, "end": 6}]}
    acc.add(1, {0: [attack], 1: [attack], 2: [other]})
    parts = acc.finish(NAMES)["section"]["parts"]
    assert set(parts) == {"trigger_identification", "trigger_classification", "argument_identification",
                          "argument_classification", "per_type", "per_role"}
    assert parts["trigger_identification"]["f1"] == 1.0
    assert parts["trigger_classification"]["f1"] == pytest.approx(1 / 3, abs=1e-6)  # (1 + 0 + 0) / 3 pairs
    assert parts["argument_identification"]["f1"] == pytest.approx(1 / 3, abs=1e-6)
    assert list(parts["per_type"]) == ["Conflict:Attack", "Contact:Meet"]


def test_structure_figures_can_be_left_out():
    entities = EntityAccumulator(["PER"], structure=False)
    entities.add(1, {0: [{"start": 0, "end": 3, "label": "PER"}], 1: []})
    events = EventAccumulator([], 2, structure=False)
    events.add(1, {0: [], 1: []})
    assert "unitizing_alpha" not in entities.finish(NAMES[:2])["section"]
    assert "unitizing_alpha" not in entities.partial()
    assert "parts" not in events.finish(NAMES[:2])["section"]


def test_unitizing_alpha_is_null_with_a_note_when_nobody_marked_an_entity():
    acc = EntityAccumulator()
    acc.add(1, {0: [], 1: []}, length=40)
    section = acc.finish(NAMES[:2])["section"]["unitizing_alpha"]
    assert section["alpha"] is None and section["alpha_note"]


def test_a_span_past_the_end_of_its_sentence_stretches_the_continuum():
    acc = EntityAccumulator()
    acc.add(1, {0: [{"start": 0, "end": 50, "label": "X"}], 1: [{"start": 3, "end": 4, "label": "X"}]}, length=10)
    acc.add(2, {0: [{"start": 0, "end": 5, "label": "X"}], 1: [{"start": 0, "end": 5, "label": "X"}]}, length=10)
    section = acc.finish(NAMES[:2])["section"]["unitizing_alpha"]
    assert section["characters"] == 60 and section["alpha"] is not None
