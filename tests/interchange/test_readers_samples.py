"""The readers read the real doccano 1.8.4 and Label Studio 1.23.2 samples exactly
(compared with truth.jsonl: every annotator's spans in code points, and stance)."""

from __future__ import annotations

import json
from typing import Any

from annotator.interchange.readers import read
from annotator.interchange.readers.labelstudio import users_from_json
from annotator.interchange.sources import members_from_path
from annotator.interchange.types import ReadOptions, ReadResult


def per_example(result: ReadResult) -> dict[str, dict[str, Any]]:
    """{example text: {annotator: {"spans": [...], "stance": label}}} in example offsets."""
    out: dict[str, dict[str, Any]] = {}
    for doc in result.documents:
        for ex in doc.meta["examples"]:
            lo, hi = ex["start"], ex["end"]
            text = doc.text[lo:hi]
            entry = out.setdefault(text, {})
            for ann in doc.annotations:
                assert ann.covered is not None
                if (lo, hi) not in ann.covered:
                    continue
                spans = sorted(
                    ({"start": s.start - lo, "end": s.end - lo, "label": s.label} for s in ann.entities if lo <= s.start < hi),
                    key=lambda s: (s["start"], s["end"], s["label"]),
                )
                stance = [s.label for s in ann.stance if s.start == lo]
                entry[ann.annotator] = {"spans": spans, "stance": stance[0] if len(stance) == 1 else stance}
    return out


def expected(truth: list[dict[str, Any]]) -> dict[str, dict[str, Any]]:
    return {
        row["text"]: {
            name: {"spans": sorted(a["spans"], key=lambda s: (s["start"], s["end"], s["label"])), "stance": a["stance"]}
            for name, a in row["annotators"].items()
        }
        for row in truth
    }


def test_doccano_zip_reads_every_span_in_code_points_exactly(samples, truth):
    result = read("doccano", members_from_path(samples / "doccano-export.zip"))
    assert result.errors == [] and result.misfits == []
    assert result.annotators == ["ann1", "ann2", "ann3"]  # admin.jsonl: no labels, noted
    assert any("admin.jsonl" in str(p) and "no labels" in p.reason for p in result.notes)
    assert per_example(result) == expected(truth)
    assert sorted(d.key for d in result.documents) == sorted({r["doc"] for r in truth})


def test_doccano_documents_join_their_examples_in_order(samples, truth):
    result = read("doccano", members_from_path(samples / "doccano-export.zip"))
    for doc in result.documents:
        assert doc.text == "\n".join(r["text"] for r in truth if r["doc"] == doc.key)


def test_labelstudio_json_reads_every_span_and_choice_exactly(samples, truth):
    users = users_from_json((samples / "labelstudio-users.json").read_bytes())
    result = read("labelstudio", members_from_path(samples / "labelstudio-export.json"), ReadOptions(users=users))
    assert result.errors == [] and result.misfits == [] and result.notes == []
    assert result.annotators == ["ann1", "ann2", "ann3"]
    assert per_example(result) == expected(truth)


def test_labelstudio_without_users_file_names_annotators_by_id(samples):
    result = read("labelstudio", members_from_path(samples / "labelstudio-export.json"))
    assert result.annotators == ["ls-user-2", "ls-user-3", "ls-user-4"]


def test_labelstudio_lead_time_becomes_seconds(samples):
    result = read("labelstudio", members_from_path(samples / "labelstudio-export.json"))
    assert all(a.seconds and a.seconds > 0 for d in result.documents for a in d.annotations)


def test_labelstudio_json_min_reads_exactly(samples, truth):
    users = users_from_json((samples / "labelstudio-users.json").read_bytes())
    result = read("labelstudio", members_from_path(samples / "labelstudio-export-min.json"), ReadOptions(users=users))
    assert result.errors == [] and result.misfits == []
    assert per_example(result) == expected(truth)


def test_ui_probe_exports_read_as_the_probe_truth(samples):
    """The exports of spans made by mouse in each tool's real UI: doccano in UTF-16,
    Label Studio in code points, both equal to the probe's code-point truth."""
    for export, probe, fmt in (
        ("doccano-ui-export.zip", "doccano-ui-probe.json", "doccano"),
        ("labelstudio-ui-export.json", "labelstudio-ui-probe.json", "labelstudio"),
    ):
        result = read(fmt, members_from_path(samples / export))
        assert result.errors == [] and result.misfits == [], export
        got = per_example(result)
        truth = json.loads((samples / probe).read_text("utf-8"))
        checked = 0
        for item in truth["sentences"]:
            text = item.get("text")
            if text not in got:
                continue
            (mine,) = got[text].values()
            want = sorted(
                ({"start": s["start"], "end": s["end"], "label": s["label"]} for s in _truth_spans(item)),
                key=lambda s: (s["start"], s["end"], s["label"]),
            )
            assert mine["spans"] == want, (export, text)
            checked += 1
        assert checked == 15, export


def _truth_spans(item: dict[str, Any]) -> list[dict[str, Any]]:
    return [{"start": s["truth_cp"][0], "end": s["truth_cp"][1], "label": s["label"]} for s in item["spans"]]
