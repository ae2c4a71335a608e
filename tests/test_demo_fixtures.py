"""The demo project's data (fixtures/demo/) is consistent with itself and with the code (pure, no DB).

``load_demo`` trusts these files; these tests are what make that trust safe.
"""

from __future__ import annotations

import itertools
import json
from pathlib import Path
from typing import Any

import pytest

from annotator.annotations.validation import validate_annotation
from annotator.documents.segment import segment_text
from annotator.projects.schema import validate_label_schema

DEMO = Path(__file__).resolve().parent.parent / "fixtures" / "demo"
SEED = Path(__file__).resolve().parent.parent / "fixtures" / "seed" / "ap-russia-north-korea-pact.txt"
TARGET = "the Russia–North Korea mutual defence pact"


def load(name: str) -> Any:
    return json.loads((DEMO / name).read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def article() -> dict[str, Any]:
    return load("article.json")


@pytest.fixture(scope="module")
def schema() -> dict[str, Any]:
    return load("schema.json")


@pytest.fixture(scope="module")
def demo() -> dict[str, Any]:
    return load("annotations.json")


def all_annotations(demo: dict[str, Any]) -> list[tuple[int, str, str, dict[str, Any]]]:
    return [
        (row["index"], row["text"], name, annotation)
        for row in demo["sentences"]
        for name, annotation in row["annotations"].items()
    ]


def test_schema_is_valid(schema: dict[str, Any]) -> None:
    assert validate_label_schema(schema) == []


def test_schema_has_the_full_ace_inventory(schema: dict[str, Any]) -> None:
    names = [t["name"] for t in schema["event_types"]]
    assert len(names) == 33
    assert {n.split(":")[0] for n in names} == {
        "Life", "Movement", "Transaction", "Business", "Conflict", "Contact", "Personnel", "Justice",
    }  # fmt: skip


def test_schema_stance_target_uses_en_dash(schema: dict[str, Any]) -> None:
    assert schema["stance"]["targets"] == [TARGET]
    assert schema["stance"]["labels"] == ["favor", "against", "neutral", "none"]


def test_article_text_is_the_seed_body(article: dict[str, Any]) -> None:
    seed = SEED.read_text(encoding="utf-8")
    assert article["text"] == seed[seed.index("MOSCOW (AP) —") :]
    assert article["title"] == seed.splitlines()[0]
    assert article["meta"]["caption"] in seed


def test_article_shape(article: dict[str, Any]) -> None:
    assert article["source"] == "AP" and article["url"] is None and article["published"] == "2024-10-24"
    assert "King Jong Un" in article["text"]  # a typo in the source, kept on purpose
    assert "\u201c" in article["text"] and "\u2014" in article["text"]  # curly quotes and em dash survive


def test_body_segments_into_the_annotated_sentences(article: dict[str, Any], demo: dict[str, Any]) -> None:
    sentences = segment_text(article["text"])
    assert [s.text for s in sentences] == [row["text"] for row in demo["sentences"]]
    assert [row["index"] for row in demo["sentences"]] == list(range(len(sentences)))


def test_every_annotator_annotates_every_sentence(demo: dict[str, Any]) -> None:
    assert demo["annotators"] == ["ana", "ben", "chloe"]
    for row in demo["sentences"]:
        assert sorted(row["annotations"]) == sorted(demo["annotators"])
        for annotation in row["annotations"].values():
            assert [s["target"] for s in annotation["stance"]] == [TARGET]
            assert 15 <= annotation["seconds"] <= 120
            assert isinstance(annotation["unsure"], bool)


def test_some_but_few_annotations_are_unsure(demo: dict[str, Any]) -> None:
    unsure = [a["unsure"] for *_, a in all_annotations(demo)]
    assert 1 <= sum(unsure) <= 3


def test_every_span_text_equals_its_slice(demo: dict[str, Any]) -> None:
    for index, text, name, annotation in all_annotations(demo):
        spans = list(annotation["entities"])
        for event in annotation["events"]:
            spans += [event["trigger"], *event["arguments"]]
        for span in spans:
            assert text[span["start"] : span["end"]] == span["text"], (index, name, span)


def test_every_annotation_passes_validation(schema: dict[str, Any], demo: dict[str, Any]) -> None:
    for index, text, name, annotation in all_annotations(demo):
        assert validate_annotation(schema, text, annotation, require_all_targets=True) == [], (index, name)


def _entity_f1(a: list[tuple[int, int, int, str]], b: list[tuple[int, int, int, str]]) -> float:
    matched = len(set(a) & set(b))
    return 2 * matched / (len(a) + len(b)) if a or b else 1.0


def test_annotators_agree_mostly_but_not_everywhere(demo: dict[str, Any]) -> None:
    def entities(name: str) -> list[tuple[int, int, int, str]]:
        return [
            (row["index"], e["start"], e["end"], e["label"])
            for row in demo["sentences"]
            for e in row["annotations"][name]["entities"]
        ]

    for first, second in itertools.combinations(demo["annotators"], 2):
        f1 = _entity_f1(entities(first), entities(second))
        assert 0.5 <= f1 <= 0.95, (first, second, f1)


def test_annotators_differ_in_stance_and_events(demo: dict[str, Any]) -> None:
    stances = {tuple(a["stance"][0]["label"] for a in row["annotations"].values()) for row in demo["sentences"]}
    assert any(len(set(labels)) > 1 for labels in stances)
    assert any(len(set(labels)) == 1 for labels in stances)
    event_sets = [
        {json.dumps(a["events"], sort_keys=True) for a in row["annotations"].values()} for row in demo["sentences"]
    ]
    assert any(len(s) > 1 for s in event_sets) and any(len(s) == 1 for s in event_sets)
