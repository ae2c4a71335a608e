"""Imported spans placed on our sentences: nothing dropped silently (snap, report, map)."""

from __future__ import annotations

from pathlib import Path

from annotator.documents.segment import segment_text
from annotator.interchange.placement import SentenceSlot, place_document
from annotator.interchange.readers import read
from annotator.interchange.sources import members_from_path
from annotator.interchange.types import AnnotationIn, DocumentIn, SpanIn, StanceIn, Where

FIXTURES = Path(__file__).parent / "fixtures"
SCHEMA = {
    "entity_types": [{"name": n} for n in ("PER", "ORG", "GPE", "NORP", "DATE", "CARDINAL")],
    "stance": {"targets": ["the pact"], "labels": ["favor", "against", "neutral", "none"]},
    "event_types": [{"name": "Contact-Meet", "roles": ["Entity"]}],
}


def slots(text: str) -> list[SentenceSlot]:
    return [SentenceSlot(s.index, s.start, s.end, s.text, s.tokens) for s in segment_text(text)]


def truth_schema(truth) -> dict:
    return {**SCHEMA, "stance": {"targets": sorted({r["target"] for r in truth}), "labels": ["favor", "against", "neutral", "none"]}}


def test_samples_place_on_our_sentences_exactly(samples, truth):
    result = read("doccano", members_from_path(samples / "doccano-export.zip"))
    by_text = {r["text"]: r for r in truth}
    checked = 0
    for doc in result.documents:
        sentences = slots(doc.text)
        assert len(sentences) == len(doc.meta["examples"])  # one sentence per example
        placed = place_document(doc, sentences, schema=truth_schema(truth), policy="report")
        assert placed.misfits == []
        for s in sentences:
            row = by_text[s.text]
            for name, want in row["annotators"].items():
                got = placed.annotations[name][s.index]
                assert got["entities"] == sorted(want["spans"], key=lambda e: (e["start"], e["end"], e["label"]))
                assert got["stance"] == [{"target": row["target"], "label": want["stance"]}]
                checked += 1
    assert checked == 90


def _brat(policy, label_map=None):
    result = read("brat", members_from_path(FIXTURES / "brat"))
    (doc,) = result.documents
    return doc, place_document(doc, slots(doc.text), schema=SCHEMA, policy=policy, label_map=label_map)


def test_brat_report_refuses_and_lists_unknown_label_and_cross_sentence_span():
    doc, placed = _brat("report")
    reasons = sorted((m.annotator, m.where.line, m.action, m.reason.split(" [")[0]) for m in placed.misfits)
    assert reasons == [
        ("ann1", 7, "refused", "the Entity argument is in another sentence than the trigger"),
        ("ann2", 2, "refused", "the label 'LOC' is not in the schema"),
        ("ann2", 4, "refused", "ORG span"),
    ]
    assert "crosses a sentence boundary" in [m for m in placed.misfits if m.where.line == 4][0].reason
    ann1 = placed.annotations["ann1"]
    assert sorted(ann1) == [0, 1]
    s0, s1 = slots(doc.text)
    assert [(s0.text[e["start"]:e["end"]], e["label"]) for e in ann1[0]["entities"]] == [
        ("Zoë", "PER"), ("Rene\u0301 Dubois", "PER"), ("Kyiv", "GPE")]
    assert [(s1.text[e["start"]:e["end"]], e["label"]) for e in ann1[1]["entities"]] == [("Kim Jong-un", "PER"), ("Monday", "DATE")]
    # the event's argument in the other sentence is listed, the rest of the event kept
    (event,) = ann1[1]["events"]
    assert [s1.text[a["start"]:a["end"]] for a in event["arguments"]] == ["Kim Jong-un"]


def test_brat_snap_cuts_a_cross_sentence_span_to_the_sentence_holding_most_and_counts_it():
    doc, placed = _brat("snap", {"LOC": "GPE"})
    assert placed.snapped == 1
    (snap,) = [m for m in placed.misfits if m.action == "snapped"]
    assert snap.annotator == "ann2" and "crossed 2 sentences" in snap.reason
    s1 = slots(doc.text)[1]
    assert [(s1.text[e["start"]:e["end"]], e["label"]) for e in placed.annotations["ann2"][1]["entities"]] == [("The pact", "ORG")]
    # --map LOC=GPE placed the unknown label
    assert {"start": 26, "end": 30, "label": "GPE"} in placed.annotations["ann2"][0]["entities"]


def _doc(text, spans, stance=()):
    ann = AnnotationIn("a1", Where("f", 1), [SpanIn(s, e, lab, Where("f", 1, f"span {i}")) for i, (s, e, lab) in enumerate(spans)],
                       [StanceIn(lab, 0, len(text), Where("f", 1), None) for lab in stance])
    return DocumentIn("d", "d", text, Where("f"), annotations=[ann])


def test_off_token_span_is_refused_under_report_and_widened_under_snap():
    text = "Kim met Putin's aide in Moscow."
    doc = _doc(text, [(8, 12, "PER")])  # "Puti"
    refused = place_document(doc, slots(text), schema=SCHEMA, policy="report")
    assert refused.annotations["a1"][0]["entities"] == []
    (m,) = refused.misfits
    assert m.action == "refused" and "'Puti' does not start and end on token boundaries" in m.reason
    snapped = place_document(doc, slots(text), schema=SCHEMA, policy="snap")
    assert snapped.annotations["a1"][0]["entities"] == [{"start": 8, "end": 13, "label": "PER"}]
    assert snapped.snapped == 1 and snapped.misfits[0].action == "snapped"


def test_stance_without_target_goes_to_the_only_target_and_unknown_stance_label_is_listed():
    text = "Kim met Putin."
    placed = place_document(_doc(text, [], ["favor", "joy"]), slots(text), schema=SCHEMA)
    assert placed.annotations["a1"][0]["stance"] == [{"target": "the pact", "label": "favor"}]
    (m,) = placed.misfits
    assert "'joy' is not in the schema" in m.reason


def test_overlap_the_schema_forbids_is_refused_by_the_validator_and_listed():
    text = "Kim Jong-un met Putin."
    placed = place_document(_doc(text, [(0, 11, "PER"), (0, 3, "PER")]), slots(text), schema=SCHEMA)
    assert placed.annotations["a1"][0]["entities"] == [{"start": 0, "end": 11, "label": "PER"}]
    (m,) = placed.misfits
    assert "overlaps" in m.reason and m.where.detail == "span 1"


def test_an_annotator_who_covered_a_sentence_without_labels_has_an_empty_annotation():
    text = "Kim met Putin. Nothing here."
    placed = place_document(_doc(text, [(0, 3, "PER")]), slots(text), schema=SCHEMA)
    assert placed.annotations["a1"][1] == {"entities": [], "stance": [], "events": []}


def test_offsets_move_onto_a_stored_copy_that_differs_in_whitespace():
    imported = "Kim  met\nPutin."
    stored = "Kim met Putin."
    placed = place_document(_doc(imported, [(9, 14, "PER")]), slots(stored), schema=SCHEMA, stored_text=stored)
    assert placed.annotations["a1"][0]["entities"] == [{"start": 8, "end": 13, "label": "PER"}]


def test_conll_span_across_our_sentence_boundary_and_crlf_lines():
    lines = ["He O", "left O", "Kyiv B-GPE", ". I-GPE", "Then I-GPE", "Moscow B-GPE", "replied O", ". O"]
    for newline in ("\n", "\r\n"):
        result = read("conll", [("a.conll", newline.join(lines).encode())])
        assert result.errors == []
        (doc,) = result.documents
        sentences = slots(doc.text)
        assert [s.text for s in sentences] == ["He left Kyiv .", "Then Moscow replied ."]
        report = place_document(doc, sentences, schema=SCHEMA, policy="report")
        (m,) = report.misfits
        assert "crosses a sentence boundary" in m.reason and m.where.line == 3
        assert report.annotations["a"][1]["entities"] == [{"start": 5, "end": 11, "label": "GPE"}]
        snap = place_document(doc, sentences, schema=SCHEMA, policy="snap")
        assert snap.annotations["a"][0]["entities"] == [{"start": 8, "end": 14, "label": "GPE"}]  # "Kyiv ."
        assert snap.snapped == 1
