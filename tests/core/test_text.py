"""annotator/core/text.py: what PostgreSQL cannot store, found with the field's path."""

from __future__ import annotations

import json

import pytest
from hypothesis import given
from hypothesis import strategies as st

from annotator.core.errors import DomainError
from annotator.core.text import first_unstorable, text_problem


def test_nul_and_lone_surrogates_are_named() -> None:
    assert "NUL" in (text_problem("a\x00b") or "")
    assert "U+D800" in (text_problem("a\ud800") or "")
    assert "U+DFFF" in (text_problem("\udfff") or "")


def test_an_astral_character_from_a_json_surrogate_pair_is_fine() -> None:
    value = json.loads('"Kim \\ud83d\\ude00 met Putin"')
    assert value == "Kim 😀 met Putin" and text_problem(value) is None


def test_the_path_of_the_first_bad_string_in_document_order() -> None:
    body = {"a": "ok", "label_schema": {"entity_types": [{"name": "X"}, {"name": "Y", "description": "\x00"}]},
            "z": "\ud800"}
    assert first_unstorable(body) == ("label_schema.entity_types[1].description",
                                      "contains a NUL character (U+0000), which cannot be stored")
    assert first_unstorable({"meta": {"k\x00": 1}})[0] == "meta"
    assert first_unstorable(["x", ["\ud800"]])[0] == "[1][0]"
    assert first_unstorable({"fine": ["ü", 1, None, {"ß": True}]}) is None


@given(st.text())
def test_any_text_is_storable_exactly_when_it_encodes_as_utf8_without_nul(value: str) -> None:
    try:
        value.encode("utf-8")
        storable = "\x00" not in value
    except UnicodeEncodeError:
        storable = False
    assert (text_problem(value) is None) == storable


@pytest.mark.parametrize("field", ["note", "skip_reason"])
def test_the_annotation_validator_refuses_them_for_every_caller(field: str) -> None:
    from annotator.annotations.services import annotation_check

    payload = {"status": "skipped", "skip_reason": "garbled", field: "a\x00b"}
    with pytest.raises(DomainError) as info:
        annotation_check(schema={"entity_types": []}, text="Putin met Kim.", payload=payload)
    assert info.value.field == field and "NUL" in info.value.message


def test_counted_pluralises_english_nouns() -> None:
    """Issue 13, bug 11: "1 new articles", "(1 positives)"."""
    from annotator.core.text import counted

    assert counted(1, "new article") == "1 new article"
    assert counted(0, "new article") == "0 new articles"
    assert counted(2, "positive") == "2 positives"
    assert counted(1, "sentence", "sentences") == "1 sentence"
    assert counted(3, "entity", "entities") == "3 entities"
