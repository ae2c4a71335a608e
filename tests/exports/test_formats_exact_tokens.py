"""Issue 10 item 5: a span boundary inside a token splits the token in every token format,
so each exported entity's text is exactly its character slice ("U.S." in "U.S.-led")."""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import pytest
import spacy
from hypothesis import given, settings
from hypothesis import strategies as st

from annotator.exports.formats import ExportStats, write_formats
from annotator.exports.formats._common import TokenIndex, align_spans, exact_tokens

from .test_formats_common import SCHEMA

TEXT = "The U.S.-led coalition met in Paris."
NLP = spacy.blank("en")


def us_led_record(split: str = "train") -> dict[str, Any]:
    doc = NLP(TEXT)
    tokens = [[t.idx, t.idx + len(t.text)] for t in doc if not t.is_space]
    assert [TEXT[a:b] for a, b in tokens][1] == "U.S.-led"  # spaCy keeps it one token
    start = TEXT.index("U.S.")
    return {
        "document": {"id": 1, "title": "t", "split": split},
        "sentence": {"id": 10, "index": 0, "start": 0, "end": len(TEXT), "text": TEXT, "tokens": tokens},
        "gold": {
            "entities": [
                {"start": start, "end": start + 4, "label": "GPE"},
                {"start": TEXT.index("Paris"), "end": TEXT.index("Paris") + 5, "label": "GPE"},
            ],
            "stance": [],
            "events": [],
        },
    }


@pytest.fixture(scope="module")
def exported(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, dict[str, ExportStats]]:
    out = tmp_path_factory.mktemp("exact")
    stats = write_formats([us_led_record()], {f: out / f for f in ("conll", "hf", "spacy", "oneie")}, schema=SCHEMA)
    return out, stats


def test_exact_tokens_splits_a_token_at_an_inner_boundary_and_counts_it() -> None:
    stats = ExportStats("x")
    assert exact_tokens([[0, 3], [4, 12]], [4, 8], stats) == [[0, 3], [4, 8], [8, 12]]
    assert stats.counts["split_tokens"] == 1
    assert exact_tokens([[0, 3]], [0, 3], stats) == [[0, 3]]  # edges: no split


def test_conll_writes_us_and_led_as_two_tokens(exported: tuple[Path, Any]) -> None:
    out, stats = exported
    rows = [ln.split() for ln in (out / "conll" / "train.conll").read_text(encoding="utf-8").splitlines() if ln]
    rows = [r for r in rows if r[0] != "-DOCSTART-"]
    assert [(r[0], r[3]) for r in rows[:4]] == [("The", "O"), ("U.S.", "B-GPE"), ("-led", "O"), ("coalition", "O")]
    assert stats["conll"].counts["split_tokens"] == 1 and stats["conll"].counts["snapped"] == 0


def test_conll_still_scores_one_in_seqeval_strict(exported: tuple[Path, Any]) -> None:
    from seqeval.metrics import classification_report, f1_score
    from seqeval.scheme import IOB2

    out, _ = exported
    tags = [ln.split()[3] for ln in (out / "conll" / "train.conll").read_text(encoding="utf-8").splitlines()
            if ln and not ln.startswith("-DOC")]
    assert f1_score([tags], [tags], mode="strict", scheme=IOB2) == 1.0
    assert "GPE" in classification_report([tags], [tags], mode="strict", scheme=IOB2)


def test_hf_ner_row_has_the_split_token_and_loads_in_datasets(
    exported: tuple[Path, Any], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("HF_DATASETS_OFFLINE", "1")
    monkeypatch.setenv("HF_HUB_OFFLINE", "1")
    import datasets

    out, _ = exported
    ner = datasets.load_dataset(str(out / "hf"), "ner", cache_dir=str(tmp_path / "c"))
    row = ner["train"][0]
    names = ner["train"].features["ner_tags"].feature.names
    assert row["tokens"][1:3] == ["U.S.", "-led"]
    assert [names[t] for t in row["ner_tags"]][1:3] == ["B-GPE", "O"]
    assert all(row["text"][a:b] == tok for tok, (a, b) in zip(row["tokens"], row["token_offsets"], strict=True))


def test_spacy_entity_text_is_the_character_slice(exported: tuple[Path, Any]) -> None:
    from spacy.tokens import DocBin

    out, _ = exported
    (doc,) = DocBin().from_disk(out / "spacy" / "train.spacy").get_docs(NLP.vocab)
    assert doc.text == TEXT
    assert [(e.text, e.label_) for e in doc.ents] == [("U.S.", "GPE"), ("Paris", "GPE")]
    assert [t.text for t in doc][1:3] == ["U.S.", "-led"]


def test_oneie_mention_text_is_the_character_slice(exported: tuple[Path, Any]) -> None:
    out, _ = exported
    obj = json.loads((out / "oneie" / "train.oneie.json").read_text(encoding="utf-8"))
    us = obj["entity_mentions"][0]
    assert us["text"] == "U.S." and obj["tokens"][us["start"]:us["end"]] == ["U.S."]


def test_a_span_that_begins_in_whitespace_is_trimmed_alike_in_conll_and_spacy(tmp_path: Path) -> None:
    record = us_led_record()
    paris = TEXT.index("Paris")
    record["gold"]["entities"] = [{"start": paris - 1, "end": paris + 5, "label": "GPE"}]  # " Paris"
    stats = write_formats([record], {f: tmp_path / f for f in ("conll", "spacy")}, schema=SCHEMA)
    from spacy.tokens import DocBin

    (doc,) = DocBin().from_disk(tmp_path / "spacy" / "train.spacy").get_docs(NLP.vocab)
    assert [e.text for e in doc.ents] == ["Paris"]
    assert "Paris -X- _ B-GPE" in (tmp_path / "conll" / "train.conll").read_text(encoding="utf-8")
    assert stats["conll"].counts["snapped"] == stats["spacy"].counts["snapped"] == 1


@settings(max_examples=100, deadline=None)
@given(st.data())
def test_after_exact_tokens_every_span_with_non_space_edges_maps_to_exact_tokens(data: st.DataObject) -> None:
    words = data.draw(st.lists(st.text(alphabet="ab.-é🚀", min_size=1, max_size=6), min_size=1, max_size=8))
    text = " ".join(words)
    tokens = [[m.start(), m.end()] for m in re.finditer(r"\S+", text)]
    solid = [i for i, c in enumerate(text) if not c.isspace()]
    spans = []
    for _ in range(data.draw(st.integers(0, 4))):
        a, b = sorted(data.draw(st.lists(st.sampled_from(solid), min_size=2, max_size=2)))
        spans.append((a, b + 1, "X"))  # first and last characters are not spaces
    stats = ExportStats("x")
    cuts = sorted({p for s in spans for p in s[:2]})
    index = TokenIndex(exact_tokens(tokens, cuts, stats))
    for span in align_spans(spans, index, len(text), stats, sentence_id=1):
        start, end, _ = spans[span.index]
        assert index.char_range(span.first, span.last) == (start, end)
    assert stats.counts["snapped"] == 0
