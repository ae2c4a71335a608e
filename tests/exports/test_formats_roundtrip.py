"""Round trips through the real consumers: spaCy, datasets, seqeval, csv, brat rules."""

from __future__ import annotations

import csv
import json
import re
from pathlib import Path
from typing import Any

import pytest

from annotator.exports.formats import FORMATS, write_format, write_formats
from annotator.exports.formats.brat import annotation_conf

from .test_formats_common import S_EMOJI, SCHEMA, TARGET, fixture_records

ALL = list(FORMATS)


@pytest.fixture(scope="module")
def exported(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, dict[str, Any]]:
    out = tmp_path_factory.mktemp("export")
    stats = write_formats(fixture_records(), {f: out / f for f in ALL}, schema=SCHEMA)
    return out, stats


def _files(root: Path) -> dict[str, bytes]:
    return {
        p.relative_to(root).as_posix(): p.read_bytes()
        for p in root.rglob("*")
        if p.is_file()
    }


def test_reexport_is_byte_identical(exported: tuple[Path, Any], tmp_path: Path) -> None:
    out, _ = exported
    write_formats(fixture_records(), {f: tmp_path / f for f in ALL}, schema=SCHEMA)
    first, second = _files(out), _files(tmp_path)
    assert sorted(first) == sorted(second)
    assert [k for k in first if first[k] != second[k]] == []


def test_stats_count_split_tokens_and_overlapping(exported: tuple[Path, Any]) -> None:
    _, stats = exported
    conll = stats["conll"].counts
    assert conll["split_tokens"] == 2  # "Un" after "Kim Jong U", "Vladivostok" before "ivostok"
    assert conll["snapped"] == 0
    assert conll["excluded_overlapping"] == 2  # Russia and North Korea inside the pact
    assert conll["sentences"] == 5


def test_jsonl_keeps_every_record_sorted_and_unescaped(
    exported: tuple[Path, Any],
) -> None:
    out, _ = exported
    lines = (out / "jsonl" / "gold.jsonl").read_text(encoding="utf-8").splitlines()
    assert len(lines) == 5
    assert "🚀" in lines[0]  # ensure_ascii=False
    rec = json.loads(lines[0])
    assert list(rec) == sorted(rec)
    e = rec["gold"]["entities"][0]
    assert rec["sentence"]["text"][e["start"] : e["end"]] == "Russia"


def _conll_rows(path: Path) -> list[list[str]]:
    return [
        line.split() for line in path.read_text(encoding="utf-8").splitlines() if line
    ]


def test_conll_never_writes_missing_tag(exported: tuple[Path, Any]) -> None:
    out, _ = exported
    for path in (out / "conll").glob("*.conll"):
        rows = _conll_rows(path)
        assert all(len(r) == 4 for r in rows)
        assert all(r[3] == "O" or re.fullmatch(r"[BI]-\w+", r[3]) for r in rows), path


def test_conll_gold_vs_gold_scores_one_in_strict_iob2(
    exported: tuple[Path, Any],
) -> None:
    from seqeval.metrics import f1_score
    from seqeval.scheme import IOB2

    out, _ = exported
    sents: list[list[str]] = []
    for path in sorted((out / "conll").glob("*.conll")):
        for block in path.read_text(encoding="utf-8").split("\n\n"):
            tags = [
                ln.split()[3]
                for ln in block.splitlines()
                if ln and not ln.startswith("-DOC")
            ]
            if tags:
                sents.append(tags)
    assert f1_score(sents, sents, mode="strict", scheme=IOB2) == 1.0


def test_conll_read_by_spacy_converter_splits_documents(tmp_path: Path) -> None:
    from spacy.training.converters import conll_ner_to_docs

    records = list(fixture_records())
    for r in records:
        r["document"]["split"] = "train"
    write_format("conll", records, tmp_path, schema=SCHEMA)
    docs = list(
        conll_ner_to_docs(
            (tmp_path / "train.conll").read_text(encoding="utf-8"), no_print=True
        )
    )
    assert len(docs) == 3
    assert [(e.text, e.label_) for e in docs[0].ents] == [
        ("Russia", "GPE"),
        ("Pyongyang", "GPE"),
        ("Russia – North Korea defence pact", "ORG"),
        ("Seoul", "GPE"),
    ]
    assert [(e.text, e.label_) for e in docs[1].ents] == [
        ("Kim Jong U", "PER"),
        ("ivostok", "GPE"),
    ]


def test_docbin_reads_back_entities_spans_cats(exported: tuple[Path, Any]) -> None:
    import spacy
    from spacy.tokens import DocBin

    out, _ = exported
    vocab = spacy.blank("en").vocab
    docs = list(DocBin().from_disk(out / "spacy" / "train.spacy").get_docs(vocab))
    texts = [
        r["sentence"]["text"]
        for r in fixture_records()
        if r["document"]["split"] == "train"
    ]
    assert [d.text for d in docs] == texts
    emoji, nested = docs
    assert [(e.start_char, e.end_char, e.label_) for e in emoji.ents] == [
        (2, 8, "GPE"),
        (S_EMOJI.index("Pyongyang"), len(S_EMOJI) - 1, "GPE"),
    ]
    assert emoji.cats == {
        f"{TARGET}={lab}": float(lab == "neutral") for lab in SCHEMA["stance"]["labels"]
    }
    assert emoji.user_data["sentence_id"] == 700
    assert emoji.user_data["events"][0]["type"] == "Movement:Transport"
    assert [e.text for e in nested.ents] == ["Russia–North Korea defence pact", "Seoul"]
    assert sorted(s.text for s in nested.spans["sc"]) == sorted(
        ["Russia–North Korea defence pact", "Russia", "North Korea", "Seoul"]
    )
    dev = list(DocBin().from_disk(out / "spacy" / "dev.spacy").get_docs(vocab))
    assert dev[0].text == "Kim Jong Un met officials in Vladivostok\non Tuesday."
    assert [e.text for e in dev[0].ents] == ["Kim Jong U", "ivostok"]


def test_docbin_shards_large_splits(tmp_path: Path) -> None:
    from annotator.exports.formats.spacy_docbin import write_spacy

    stats = write_spacy(fixture_records(), tmp_path, schema=SCHEMA, shard_size=1)
    assert "train/00000.spacy" in stats.files and "train/00001.spacy" in stats.files
    assert "dev.spacy" not in stats.files


def test_hf_folder_loads_offline_with_classlabel_names(
    exported: tuple[Path, Any], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("HF_DATASETS_OFFLINE", "1")
    monkeypatch.setenv("HF_HUB_OFFLINE", "1")
    import datasets

    out, _ = exported
    ner = datasets.load_dataset(str(out / "hf"), "ner", cache_dir=str(tmp_path / "c"))
    assert sorted(ner) == ["test", "train", "validation"]
    names = ner["train"].features["ner_tags"].feature.names
    assert names == ["O", "B-GPE", "I-GPE", "B-ORG", "I-ORG", "B-PER", "I-PER"]
    row = ner["train"][0]
    assert row["tokens"][:3] == ["🚀", "Russia", "sent"]
    assert [names[t] for t in row["ner_tags"]][:3] == ["O", "B-GPE", "O"]
    stance = datasets.load_dataset(
        str(out / "hf"), "stance", cache_dir=str(tmp_path / "c")
    )
    label = stance["train"].features["label"]
    assert label.names == SCHEMA["stance"]["labels"]
    assert [label.int2str(x) for x in stance["train"]["label"]] == [
        "neutral",
        "against",
    ]


def test_brat_t_lines_match_text_and_events_resolve(exported: tuple[Path, Any]) -> None:
    out, _ = exported
    brat = out / "brat"
    conf = (brat / "annotation.conf").read_text(encoding="utf-8")
    for section in ("[entities]", "[relations]", "[events]", "[attributes]"):
        assert section in conf
    assert "Movement-Transport\tAgent*:<ENTITY>" in conf
    n_t = 0
    for ann in sorted(brat.glob("*.ann")):
        text = ann.with_suffix(".txt").read_text(encoding="utf-8")
        ids = set()
        for line in ann.read_text(encoding="utf-8").splitlines():
            tid, body, *rest = line.split("\t")
            if tid.startswith("T"):
                _, offs = body.split(" ", 1)
                frags = [tuple(map(int, f.split())) for f in offs.split(";")]
                assert " ".join(text[a:b] for a, b in frags) == rest[0], line
                ids.add(tid)
                n_t += 1
            elif tid.startswith("E"):
                assert all(a.split(":")[1] in ids for a in body.split(" ")), line
    assert n_t > 0
    ann7 = (brat / "7.ann").read_text(encoding="utf-8")
    assert "E1\tMovement-Transport:T" in ann7 and "Artifact:T" in ann7
    ann8 = (brat / "8.ann").read_text(encoding="utf-8")
    assert "Target:T" in ann8 and "Target2:T" in ann8
    assert (
        (brat / "7.txt").read_text(encoding="utf-8").startswith(S_EMOJI + " The Russia")
    )


def test_brat_conf_is_generated_from_schema() -> None:
    conf = annotation_conf(SCHEMA)
    assert conf.splitlines()[:4] == ["[entities]", "GPE", "ORG", "PER"]
    assert "Conflict-Attack\tAttacker*:<ENTITY>, Target*:<ENTITY>" in conf


def test_stance_csv_has_contract_header(exported: tuple[Path, Any]) -> None:
    out, _ = exported
    with open(out / "stance-csv" / "stance.csv", encoding="utf-8", newline="") as fh:
        rows = list(csv.DictReader(fh))
    # CONTRACT.md's four columns first, then the document and its split
    assert list(rows[0]) == ["id", "target", "sentence", "stance", "document_id", "split"]
    assert [(r["id"], r["stance"], r["document_id"], r["split"]) for r in rows] == [
        ("700", "neutral", "7", "train"),
        ("701", "against", "7", "train"),
        ("900", "favor", "9", "test"),
    ]
    assert rows[0]["sentence"] == S_EMOJI


def test_oneie_token_spans_and_argument_mentions(exported: tuple[Path, Any]) -> None:
    out, _ = exported
    first = json.loads(
        (out / "oneie" / "train.oneie.json").read_text(encoding="utf-8").splitlines()[0]
    )
    mentions = {m["id"]: m for m in first["entity_mentions"]}
    russia = next(m for m in mentions.values() if m["text"] == "Russia")
    assert (russia["start"], russia["end"]) == (1, 2)
    assert first["tokens"][russia["start"]] == "Russia"
    event = first["event_mentions"][0]
    assert event["trigger"] == {"text": "sent", "start": 2, "end": 3}
    roles = {a["role"]: mentions[a["entity_id"]] for a in event["arguments"]}
    # "troops" is no entity: its own mention type, not UNK
    assert (roles["Artifact"]["entity_type"], roles["Artifact"]["mention_type"]) == ("Argument", "ARG")
    assert roles["Agent"]["id"] == russia["id"]


def test_emoji_offsets_survive_every_format(exported: tuple[Path, Any]) -> None:
    out, _ = exported
    # entity "Russia" is at code points 2..8 (the rocket is one code point, two UTF-16 units)
    assert S_EMOJI[2:8] == "Russia"
    assert _conll_rows(out / "conll" / "test.conll")[2] == [
        "Russia",
        "-X-",
        "_",
        "B-GPE",
    ]
    assert "T1\tGPE 2 8\tRussia" in (out / "brat" / "9.ann").read_text(encoding="utf-8")
    line = (out / "jsonl" / "gold.jsonl").read_text(encoding="utf-8").splitlines()[-1]
    rec = json.loads(line)
    assert rec["sentence"]["text"][2:8] == "Russia"
    assert rec["gold"]["entities"][0] == {"start": 2, "end": 8, "label": "GPE"}
