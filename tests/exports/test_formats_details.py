"""Issue 10 item 8 (format details) and issue 9 item 9 (CSV formula injection)."""

from __future__ import annotations

import csv
import json
from pathlib import Path
from typing import Any

import pytest

from annotator.exports.formats import write_format
from annotator.exports.formats.brat import read_type_map

from .test_formats_common import SCHEMA, TARGET, fixture_records, make_doc, span, tokens

# --- brat: type names round-trip ------------------------------------------------------------

CLASH_SCHEMA: dict[str, Any] = {
    "entity_types": [{"name": "Org/Gov"}, {"name": "Argument"}],
    "event_types": [
        {"name": "Contact:Meet", "roles": ["Entity", "Place", "Arg1"]},
        {"name": "Contact-Meet", "roles": ["Entity"]},
    ],
}
S = "Putin met Kim in Vladivostok."


def _ann_types(folder: Path) -> list[tuple[str, list[str]]]:
    """(type, roles) of every T and E line of every .ann file, as brat names."""
    out = []
    for ann in sorted(folder.glob("*.ann")):
        for line in ann.read_text(encoding="utf-8").splitlines():
            tid, body, *_ = line.split("\t")
            if tid.startswith("T"):
                out.append((body.split(" ")[0], []))
            else:
                head, *args = body.split(" ")
                out.append((head.split(":")[0], [a.split(":")[0] for a in args]))
    return out


def test_brat_type_names_round_trip_through_types_json(tmp_path: Path) -> None:
    records = make_doc(1, "train", [(S, {
        "entities": [span(S, "Putin", "Org/Gov"), span(S, "Kim", "Argument")],
        "events": [
            {"type": "Contact:Meet", "trigger": span(S, "met"),
             "arguments": [{"role": "Entity", **span(S, "Putin")}, {"role": "Arg1", **span(S, "Kim")},
                           {"role": "Place", **span(S, "Vladivostok")}]},
            {"type": "Contact-Meet", "trigger": span(S, "met"), "arguments": [{"role": "Entity", **span(S, "Kim")}]},
        ],
    })])
    write_format("brat", records, tmp_path, schema=CLASH_SCHEMA)
    names = read_type_map(tmp_path)
    seen = _ann_types(tmp_path)
    originals = [names["entities"].get(t, names["events"].get(t)) for t, _ in seen]
    assert originals == ["Org/Gov", "Argument", "Contact:Meet", None, "Contact:Meet", "Contact-Meet", "Contact-Meet"]
    # every brat name is brat-safe, distinct per original, and roles map back: our role names
    # never end in a digit, so stripping brat's repeat counter (Target2) is exact
    assert names["events"] == {"Contact-Meet": "Contact:Meet", "Contact-Meet-2": "Contact-Meet"}
    roles = [names["roles"][r.rstrip("0123456789")] for _, rs in seen for r in rs]
    assert roles == ["Entity", "Arg1", "Place", "Entity"]
    conf = (tmp_path / "annotation.conf").read_text(encoding="utf-8")
    assert "Contact-Meet\tEntity*:<ENTITY>, Place*:<ENTITY>, Arg1_*:<ENTITY>" in conf
    assert "Contact-Meet-2\tEntity*:<ENTITY>" in conf
    assert "Contact-Meet | Contact:Meet" in (tmp_path / "visual.conf").read_text(encoding="utf-8")


# --- stance CSV: document id, split, formula injection ---------------------------------------

HOSTILE = ["=HYPERLINK(\"http://x\")", "+1+2", "-2+3", "@SUM(A1)", "\tTab", "\rCR"]


def test_stance_csv_neutralises_formula_cells(tmp_path: Path) -> None:
    schema = {"stance": {"targets": HOSTILE, "labels": ["=cmd", "favor"]}}
    sentences = [(text, {"stance": [{"target": t, "label": "=cmd"}]}) for text, t in zip(HOSTILE, HOSTILE, strict=True)]
    records = list(make_doc(3, "dev", sentences))
    for r in records:  # the tokenizer helper skips the leading tab/CR: not needed here
        r["sentence"]["tokens"] = tokens(r["sentence"]["text"]) or [[0, 1]]
    stats = write_format("stance-csv", records, tmp_path, schema=schema)
    with open(tmp_path / "stance.csv", encoding="utf-8", newline="") as fh:
        rows = list(csv.DictReader(fh))
    assert len(rows) == len(HOSTILE)
    for row, original in zip(rows, HOSTILE, strict=True):
        assert row["target"] == "'" + original and row["sentence"] == "'" + original
        assert row["stance"] == "'=cmd"
        assert (row["document_id"], row["split"]) == ("3", "dev")
    assert stats.counts["neutralised_cells"] == 3 * len(HOSTILE)
    for row in rows:  # no cell a spreadsheet would evaluate
        assert not any(v.startswith(("=", "+", "-", "@", "\t", "\r")) for v in row.values())


def test_stance_csv_prefix_is_reversible_for_text_that_starts_with_a_quote(tmp_path: Path) -> None:
    text = "'Tis the season"
    records = make_doc(4, "train", [(text, {"stance": [{"target": TARGET, "label": "favor"}]})])
    write_format("stance-csv", records, tmp_path, schema=SCHEMA)
    with open(tmp_path / "stance.csv", encoding="utf-8", newline="") as fh:
        (row,) = list(csv.DictReader(fh))
    assert row["sentence"] == "''Tis the season" and row["sentence"][1:] == text


def test_stance_csv_leaves_ordinary_text_alone(tmp_path: Path) -> None:
    write_format("stance-csv", fixture_records(), tmp_path, schema=SCHEMA)
    text = (tmp_path / "stance.csv").read_text(encoding="utf-8")
    assert "'" not in text and TARGET in text


# --- HF: validation split, text and offsets in ner --------------------------------------------


@pytest.fixture
def hf_dir(tmp_path: Path) -> Path:
    write_format("hf", fixture_records(), tmp_path / "hf", schema=SCHEMA)
    return tmp_path / "hf"


def test_hf_dev_split_is_named_validation_and_loads(hf_dir: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("HF_DATASETS_OFFLINE", "1")
    monkeypatch.setenv("HF_HUB_OFFLINE", "1")
    import datasets

    ner = datasets.load_dataset(str(hf_dir), "ner", cache_dir=str(tmp_path / "c"))
    assert list(ner) == ["train", "validation", "test"]
    assert (hf_dir / "ner" / "validation.parquet").exists() and not (hf_dir / "ner" / "dev.parquet").exists()
    row = ner["validation"][0]
    assert row["text"].startswith("Kim Jong Un met")
    assert all(row["text"][a:b] == t for t, (a, b) in zip(row["tokens"], row["token_offsets"], strict=True))
    assert row["entities"][0] == {"start": 0, "end": 10, "label": "PER"}


def test_hf_ner_keeps_overlapping_entities_beside_the_bio_tags(hf_dir: Path) -> None:
    rows = [json.loads(x) for x in (hf_dir / "ner" / "train.jsonl").read_text(encoding="utf-8").splitlines()]
    nested = rows[1]
    assert sorted(nested["text"][e["start"]:e["end"]] for e in nested["entities"]) == sorted(
        ["Russia–North Korea defence pact", "Russia", "North Korea", "Seoul"]
    )
    assert nested["ner_tags"].count("B-GPE") == 1  # BIO keeps the outer span and Seoul


def test_brat_role_names_are_distinct_and_never_end_in_a_digit() -> None:
    from annotator.exports.formats.brat import BratNames

    names = BratNames({"event_types": [{"name": "E", "roles": ["Target", "Target?", "Arg1", "Arg1!"]}]})
    assert names.roles == {"Target": "Target", "Target?": "Target-2_", "Arg1": "Arg1_", "Arg1!": "Arg1_-2_"}


def test_hf_plain_dict_features_equal_datasets_own_for_the_new_ner_columns() -> None:
    from datasets import Features

    from annotator.exports.formats.hf import arrow_schema, features_yaml_list, hf_features

    for config, plain in hf_features(SCHEMA).items():
        real = Features.from_dict(plain)
        assert features_yaml_list(plain) == real._to_yaml_list(), config
        assert arrow_schema(plain).remove_metadata() == real.arrow_schema.remove_metadata(), config
    assert {"text", "token_offsets", "entities"} <= set(hf_features(SCHEMA)["ner"])
