"""An unknown label names the span that carries it, not only its path (issue 9, item 16):
after a schema change a stale label is found without counting entities."""

from __future__ import annotations

from annotator.annotations.validation import validate_annotation
from tests.factories import SCHEMA

TEXT = "Putin met Kim in Pyongyang."


def test_an_unknown_entity_label_names_the_span_text_and_offsets_at_the_same_path() -> None:
    payload = {"entities": [{"start": 0, "end": 5, "label": "PER"}, {"start": 17, "end": 26, "label": "CITY"}]}
    [error] = validate_annotation(SCHEMA, TEXT, payload)
    assert error["field"] == "entities[1].label"
    assert error["message"] == "The entity label 'CITY' of 'Pyongyang' (17-26) is not in the project's schema."


def test_an_unknown_event_type_names_its_trigger() -> None:
    payload = {"events": [{"type": "Meet", "trigger": {"start": 6, "end": 9}, "arguments": []}]}
    [error] = validate_annotation(SCHEMA, TEXT, payload)
    assert error["field"] == "events[0].type" and "of 'met' (6-9)" in error["message"]


def test_an_unknown_role_names_its_argument_span() -> None:
    payload = {"events": [{"type": "Contact:Meet", "trigger": {"start": 6, "end": 9},
                           "arguments": [{"role": "Venue", "start": 17, "end": 26}]}]}
    [error] = validate_annotation(SCHEMA, TEXT, payload)
    assert error["field"] == "events[0].arguments[0].role" and "of 'Pyongyang' (17-26)" in error["message"]


def test_an_unknown_label_on_a_broken_span_still_gets_its_plain_message() -> None:
    payload = {"entities": [{"start": 20, "end": 99, "label": "CITY"}]}
    messages = {e["field"]: e["message"] for e in validate_annotation(SCHEMA, TEXT, payload)}
    assert messages["entities[0].label"] == "The entity label 'CITY' is not in the project's schema."
