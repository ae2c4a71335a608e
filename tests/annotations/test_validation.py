"""Annotation validation: one test per error path, valid payloads, and a never-raises property."""

from __future__ import annotations

from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from annotator.annotations.validation import MAX_ENTITIES, validate_annotation, validate_span

TARGET = "the Russia–North Korea mutual defence pact"
SCHEMA: dict[str, Any] = {
    "entity_types": [{"name": "PER"}, {"name": "GPE"}, {"name": "NORP"}, {"name": "DATE"}],
    "allow_overlapping_entities": False,
    "stance": {"targets": [TARGET], "labels": ["favor", "against", "neutral", "none"]},
    "event_types": [
        {"name": "Movement:Transport", "roles": ["Agent", "Artifact", "Origin", "Destination", "Time"]},
        {"name": "Contact:Meet", "roles": ["Entity", "Time", "Place"]},
    ],
}
#       0         1         2         3         4         5
#       012345678901234567890123456789012345678901234567890123456789
TEXT = "Russian lawmakers met Putin in Moscow on Thursday.  Troops went"
OVERLAP_SCHEMA = {**SCHEMA, "allow_overlapping_entities": True}


def valid_payload() -> dict[str, Any]:
    return {
        "entities": [
            {"start": 0, "end": 7, "label": "NORP", "text": "Russian"},
            {"start": 22, "end": 27, "label": "PER"},
            {"start": 31, "end": 37, "label": "GPE"},
            {"start": 41, "end": 49, "label": "DATE"},
        ],
        "stance": [{"target": TARGET, "label": "none"}],
        "events": [
            {
                "type": "Contact:Meet",
                "trigger": {"start": 18, "end": 21, "text": "met"},
                "arguments": [
                    {"role": "Entity", "start": 0, "end": 17, "text": "Russian lawmakers"},
                    {"role": "Entity", "start": 22, "end": 27},
                    {"role": "Place", "start": 31, "end": 37},
                ],
            }
        ],
        "status": "submitted",
        "version": 3,
        "unsure": False,
        "seconds": 40,
        "skip_reason": "",
        "note": "",
    }


def fields(errors: list[dict[str, str]]) -> list[str]:
    return [e["field"] for e in errors]


def errors_for(mutate: Any, schema: dict[str, Any] = SCHEMA, text: str = TEXT) -> list[dict[str, str]]:
    payload = valid_payload()
    mutate(payload)
    return validate_annotation(schema, text, payload)


def first_entity(**changes: object) -> Any:
    return lambda p: p["entities"][0].update(changes)


# --- valid payloads ----------------------------------------------------------------


def test_valid_payload_has_no_errors() -> None:
    assert validate_annotation(SCHEMA, TEXT, valid_payload()) == []


def test_text_fixture_is_as_drawn() -> None:
    assert TEXT[22:27] == "Putin" and TEXT[31:37] == "Moscow" and TEXT[41:49] == "Thursday"


def test_empty_payload_is_valid() -> None:
    assert validate_annotation(SCHEMA, TEXT, {}) == []


def test_empty_lists_are_valid() -> None:
    assert validate_annotation(SCHEMA, TEXT, {"entities": [], "stance": [], "events": []}) == []


def test_contract_example_shape_is_valid() -> None:
    payload = {
        "entities": [{"start": 0, "end": 7, "label": "NORP"}],
        "stance": [{"target": TARGET, "label": "neutral"}],
        "events": [{"type": "Movement:Transport", "trigger": {"start": 59, "end": 63}, "arguments": []}],
        "status": "submitted",
        "version": 3,
    }
    assert TEXT[59:63] == "went"
    assert validate_annotation(SCHEMA, TEXT, payload) == []


def test_offsets_count_code_points_not_utf16_units() -> None:
    text = "🙂 Putin smiled."  # the emoji is one code point, two UTF-16 units
    payload = {"entities": [{"start": 2, "end": 7, "label": "PER", "text": "Putin"}]}
    assert validate_annotation(SCHEMA, text, payload) == []


def test_event_without_arguments_key_is_valid() -> None:
    assert errors_for(lambda p: p["events"][0].pop("arguments")) == []


def test_span_at_end_of_sentence_is_valid() -> None:
    assert errors_for(lambda p: p["entities"].append({"start": 59, "end": 63, "label": "DATE"})) == []


# --- payload level -----------------------------------------------------------------


@pytest.mark.parametrize("value", [None, [], "x", 1, 1.5, True])
def test_payload_not_an_object(value: object) -> None:
    assert fields(validate_annotation(SCHEMA, TEXT, value)) == [""]


def test_unknown_payload_key() -> None:
    assert fields(errors_for(lambda p: p.update(entitys=[]))) == ["entitys"]


@pytest.mark.parametrize("key", ["entities", "stance", "events"])
def test_label_section_not_a_list(key: str) -> None:
    assert fields(errors_for(lambda p: p.update({key: None}))) == [key]


def test_too_many_entities() -> None:
    many = [{"start": 0, "end": 7, "label": "NORP"}] * (MAX_ENTITIES + 1)
    assert fields(errors_for(lambda p: p.update(entities=many))) == ["entities"]


def test_too_many_stance_items() -> None:
    many = [{"target": TARGET, "label": "none"}] * 101
    assert fields(errors_for(lambda p: p.update(stance=many))) == ["stance"]


def test_too_many_events() -> None:
    many = [{"type": "Contact:Meet", "trigger": {"start": 18, "end": 21}}] * 101
    assert fields(errors_for(lambda p: p.update(events=many))) == ["events"]


# --- spans -------------------------------------------------------------------------


@pytest.mark.parametrize("value", [True, False, 1.0, "0", None, [0]])
def test_start_not_an_int(value: object) -> None:
    errors = errors_for(first_entity(start=value))
    assert fields(errors) == ["entities[0].start"]
    assert "integer" in errors[0]["message"]


@pytest.mark.parametrize("value", [True, 7.0, "7"])
def test_end_not_an_int(value: object) -> None:
    assert fields(errors_for(first_entity(end=value))) == ["entities[0].end"]


def test_start_missing() -> None:
    assert fields(errors_for(lambda p: p["entities"][0].pop("start"))) == ["entities[0].start"]


def test_end_missing() -> None:
    assert fields(errors_for(lambda p: p["entities"][0].pop("end"))) == ["entities[0].end"]


def test_negative_start() -> None:
    errors = errors_for(first_entity(start=-1))
    assert fields(errors) == ["entities[0].start"]
    assert "negative" in errors[0]["message"]


def test_end_past_sentence() -> None:
    errors = errors_for(lambda p: p["entities"].append({"start": 59, "end": 64, "label": "DATE"}))
    assert fields(errors) == ["entities[4].end"]
    assert "length 63" in errors[0]["message"]


def test_huge_offsets() -> None:
    errors = errors_for(first_entity(start=10**30, end=10**31))
    assert fields(errors) == ["entities[0].end"]


def test_empty_span() -> None:
    errors = errors_for(first_entity(start=7, end=7))
    assert fields(errors) == ["entities[0].end"]
    assert "greater than" in errors[0]["message"]


def test_reversed_span() -> None:
    assert fields(errors_for(first_entity(start=7, end=0))) == ["entities[0].end"]


def test_span_starting_with_whitespace() -> None:
    errors = errors_for(lambda p: p["entities"][1].update(start=21))  # " Putin"
    assert fields(errors) == ["entities[1].start"]
    assert "starts with whitespace" in errors[0]["message"]


def test_span_ending_with_whitespace() -> None:
    errors = errors_for(lambda p: p["entities"][1].update(end=28))  # "Putin "
    assert fields(errors) == ["entities[1].end"]
    assert "ends with whitespace" in errors[0]["message"]


def test_span_text_mismatch() -> None:
    errors = errors_for(first_entity(text="Russia"))
    assert fields(errors) == ["entities[0].text"]
    assert "'Russian'" in errors[0]["message"]


def test_span_text_not_a_string() -> None:
    assert fields(errors_for(first_entity(text=7))) == ["entities[0].text"]


def test_validate_span_direct() -> None:
    assert validate_span(TEXT, 0, 7, "x") == []
    assert fields(validate_span(TEXT, 0, 8, "x")) == ["x.end"]
    assert fields(validate_span(TEXT, None, None, "x")) == ["x.start", "x.end"]


def test_span_on_empty_sentence() -> None:
    assert fields(validate_span("", 0, 1, "e")) == ["e.end"]


# --- entities ----------------------------------------------------------------------


def test_entity_not_an_object() -> None:
    assert fields(errors_for(lambda p: p["entities"].append([0, 7, "NORP"]))) == ["entities[4]"]


def test_entity_unknown_key() -> None:
    assert fields(errors_for(first_entity(type="NORP"))) == ["entities[0].type"]


def test_entity_without_label() -> None:
    assert fields(errors_for(lambda p: p["entities"][0].pop("label"))) == ["entities[0].label"]


def test_entity_label_not_a_string() -> None:
    assert fields(errors_for(first_entity(label=None))) == ["entities[0].label"]


def test_entity_label_not_in_schema() -> None:
    errors = errors_for(first_entity(label="LOC"))
    assert fields(errors) == ["entities[0].label"]
    assert "'LOC'" in errors[0]["message"]


def test_entity_label_is_case_sensitive() -> None:
    assert fields(errors_for(first_entity(label="norp"))) == ["entities[0].label"]


def test_duplicate_entity() -> None:
    errors = errors_for(lambda p: p["entities"].append({"start": 22, "end": 27, "label": "PER"}))
    assert fields(errors) == ["entities[4]"]
    assert "repeats entities[1]" in errors[0]["message"]


def test_duplicate_entity_rejected_even_when_overlap_allowed() -> None:
    errors = errors_for(lambda p: p["entities"].append({"start": 22, "end": 27, "label": "PER"}), OVERLAP_SCHEMA)
    assert fields(errors) == ["entities[4]"]


def test_overlapping_entities() -> None:
    errors = errors_for(lambda p: p["entities"].append({"start": 0, "end": 17, "label": "NORP"}))
    assert fields(errors) == ["entities[4]"]
    assert "overlaps entities[0]" in errors[0]["message"]


def test_same_span_two_labels_is_an_overlap() -> None:
    assert fields(errors_for(lambda p: p["entities"].append({"start": 22, "end": 27, "label": "GPE"}))) == [
        "entities[4]"
    ]


def test_overlap_allowed_by_schema() -> None:
    assert errors_for(lambda p: p["entities"].append({"start": 0, "end": 17, "label": "NORP"}), OVERLAP_SCHEMA) == []


def test_adjacent_entities_do_not_overlap() -> None:
    payload = {"entities": [{"start": 0, "end": 3, "label": "PER"}, {"start": 3, "end": 7, "label": "PER"}]}
    assert validate_annotation(SCHEMA, TEXT, payload) == []


# --- stance ------------------------------------------------------------------------


def test_stance_item_not_an_object() -> None:
    assert fields(errors_for(lambda p: p.update(stance=["favor"]))) == ["stance[0]"]


def test_stance_item_unknown_key() -> None:
    assert fields(errors_for(lambda p: p["stance"][0].update(score=1))) == ["stance[0].score"]


def test_stance_without_target() -> None:
    assert fields(errors_for(lambda p: p["stance"][0].pop("target"))) == ["stance[0].target"]


def test_stance_target_not_a_string() -> None:
    assert fields(errors_for(lambda p: p["stance"][0].update(target=0))) == ["stance[0].target"]


def test_stance_target_not_in_schema() -> None:
    # A hyphen instead of the schema's en dash is a different target.
    errors = errors_for(lambda p: p["stance"][0].update(target=TARGET.replace("–", "-")))
    assert fields(errors) == ["stance[0].target"]


def test_stance_without_label() -> None:
    assert fields(errors_for(lambda p: p["stance"][0].pop("label"))) == ["stance[0].label"]


def test_stance_label_not_a_string() -> None:
    assert fields(errors_for(lambda p: p["stance"][0].update(label=1))) == ["stance[0].label"]


def test_stance_label_not_in_schema() -> None:
    assert fields(errors_for(lambda p: p["stance"][0].update(label="Favor"))) == ["stance[0].label"]


def test_two_stance_items_for_one_target() -> None:
    errors = errors_for(lambda p: p["stance"].append({"target": TARGET, "label": "favor"}))
    assert fields(errors) == ["stance[1].target"]


def test_missing_target_allowed_by_default() -> None:
    assert errors_for(lambda p: p.update(stance=[])) == []


def test_missing_target_rejected_when_all_targets_required() -> None:
    payload = valid_payload()
    payload["stance"] = []
    assert fields(validate_annotation(SCHEMA, TEXT, payload, require_all_targets=True)) == ["stance"]
    assert validate_annotation(SCHEMA, TEXT, valid_payload(), require_all_targets=True) == []


# --- events ------------------------------------------------------------------------


def test_event_not_an_object() -> None:
    assert fields(errors_for(lambda p: p["events"].append("Contact:Meet"))) == ["events[1]"]


def test_event_unknown_key() -> None:
    assert fields(errors_for(lambda p: p["events"][0].update(args=[]))) == ["events[0].args"]


def test_event_without_type() -> None:
    assert fields(errors_for(lambda p: p["events"][0].pop("type"))) == ["events[0].type"]


def test_event_type_not_a_string() -> None:
    assert fields(errors_for(lambda p: p["events"][0].update(type=["Contact:Meet"]))) == ["events[0].type"]


def test_event_type_not_in_schema() -> None:
    errors = errors_for(lambda p: p["events"][0].update(type="Contact:Phone-Write"))
    # Roles cannot be checked against an unknown type, so only the type is reported.
    assert fields(errors) == ["events[0].type"]


def test_event_without_trigger() -> None:
    assert fields(errors_for(lambda p: p["events"][0].pop("trigger"))) == ["events[0].trigger"]


def test_trigger_not_an_object() -> None:
    assert fields(errors_for(lambda p: p["events"][0].update(trigger=[18, 21]))) == ["events[0].trigger"]


def test_trigger_unknown_key() -> None:
    assert fields(errors_for(lambda p: p["events"][0]["trigger"].update(label="x"))) == ["events[0].trigger.label"]


def test_trigger_bad_offsets() -> None:
    assert fields(errors_for(lambda p: p["events"][0]["trigger"].update(start=True))) == ["events[0].trigger.start"]


def test_trigger_starting_with_whitespace() -> None:
    errors = errors_for(lambda p: p["events"][0]["trigger"].update(start=17, text=" met"))
    assert fields(errors) == ["events[0].trigger.start"]


def test_trigger_text_mismatch() -> None:
    assert fields(errors_for(lambda p: p["events"][0]["trigger"].update(text="meet"))) == ["events[0].trigger.text"]


def test_duplicate_event() -> None:
    errors = errors_for(lambda p: p["events"].append({"type": "Contact:Meet", "trigger": {"start": 18, "end": 21}}))
    assert fields(errors) == ["events[1]"]


def test_same_trigger_two_types_is_allowed() -> None:
    event = {"type": "Movement:Transport", "trigger": {"start": 18, "end": 21}}
    assert errors_for(lambda p: p["events"].append(event)) == []


def test_arguments_not_a_list() -> None:
    assert fields(errors_for(lambda p: p["events"][0].update(arguments={}))) == ["events[0].arguments"]


def test_too_many_arguments() -> None:
    many = [{"role": "Entity", "start": 0, "end": 7}] * 51
    assert fields(errors_for(lambda p: p["events"][0].update(arguments=many))) == ["events[0].arguments"]


def test_argument_not_an_object() -> None:
    assert fields(errors_for(lambda p: p["events"][0]["arguments"].append("Entity"))) == ["events[0].arguments[3]"]


def test_argument_unknown_key() -> None:
    errors = errors_for(lambda p: p["events"][0]["arguments"][0].update(label="PER"))
    assert fields(errors) == ["events[0].arguments[0].label"]


def test_argument_without_role() -> None:
    assert fields(errors_for(lambda p: p["events"][0]["arguments"][0].pop("role"))) == ["events[0].arguments[0].role"]


def test_argument_role_not_a_string() -> None:
    errors = errors_for(lambda p: p["events"][0]["arguments"][0].update(role=None))
    assert fields(errors) == ["events[0].arguments[0].role"]


def test_argument_role_of_another_event_type() -> None:
    errors = errors_for(lambda p: p["events"][0]["arguments"][0].update(role="Destination"))
    assert fields(errors) == ["events[0].arguments[0].role"]
    assert "'Contact:Meet'" in errors[0]["message"]


def test_argument_bad_offsets() -> None:
    errors = errors_for(lambda p: p["events"][0]["arguments"][1].update(end=100))
    assert fields(errors) == ["events[0].arguments[1].end"]


def test_argument_without_offsets() -> None:
    errors = errors_for(lambda p: p["events"][0]["arguments"].append({"role": "Time"}))
    assert fields(errors) == ["events[0].arguments[3].start", "events[0].arguments[3].end"]


def test_argument_text_mismatch() -> None:
    errors = errors_for(lambda p: p["events"][0]["arguments"][0].update(text="lawmakers"))
    assert fields(errors) == ["events[0].arguments[0].text"]


def test_duplicate_argument() -> None:
    errors = errors_for(lambda p: p["events"][0]["arguments"].append({"role": "Place", "start": 31, "end": 37}))
    assert fields(errors) == ["events[0].arguments[3]"]


def test_same_span_two_roles_is_allowed() -> None:
    argument = {"role": "Time", "start": 31, "end": 37}
    assert errors_for(lambda p: p["events"][0]["arguments"].append(argument)) == []


# --- all errors at once ------------------------------------------------------------


def test_all_errors_are_reported_together() -> None:
    payload = valid_payload()
    payload["entities"][0]["label"] = "LOC"
    payload["entities"][1]["start"] = False
    payload["stance"][0]["label"] = "pro"
    payload["events"][0]["arguments"][2]["role"] = "Origin"
    payload["mood"] = "tired"
    assert sorted(fields(validate_annotation(SCHEMA, TEXT, payload))) == sorted(
        [
            "entities[0].label",
            "entities[1].start",
            "stance[0].label",
            "events[0].arguments[2].role",
            "mood",
        ]
    )


# --- robustness --------------------------------------------------------------------

json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats() | st.text(max_size=5),
    lambda children: st.lists(children, max_size=4) | st.dictionaries(st.text(max_size=8), children, max_size=4),
    max_leaves=25,
)
offsets = st.integers(min_value=-3, max_value=70) | json_values
span = st.fixed_dictionaries({}, optional={"start": offsets, "end": offsets, "text": st.text(max_size=5) | json_values})
payload_like = st.fixed_dictionaries(
    {},
    optional={
        "entities": st.lists(
            st.fixed_dictionaries(
                {"start": offsets, "end": offsets},
                optional={"label": st.sampled_from(["PER", "GPE", "LOC"]) | json_values},
            )
            | json_values,
            max_size=5,
        )
        | json_values,
        "stance": st.lists(
            st.fixed_dictionaries(
                {}, optional={"target": st.just(TARGET) | json_values, "label": st.just("favor") | json_values}
            )
            | json_values,
            max_size=3,
        )
        | json_values,
        "events": st.lists(
            st.fixed_dictionaries(
                {},
                optional={
                    "type": st.sampled_from(["Contact:Meet", "Life:Die"]) | json_values,
                    "trigger": span | json_values,
                    "arguments": st.lists(
                        st.fixed_dictionaries({}, optional={"role": st.just("Entity") | json_values}) | span,
                        max_size=3,
                    )
                    | json_values,
                },
            )
            | json_values,
            max_size=3,
        )
        | json_values,
        "status": json_values,
    },
)


@settings(max_examples=400, deadline=None)
@given(payload=st.one_of(json_values, payload_like), text=st.sampled_from([TEXT, "", " ", "🙂 x"]))
def test_any_payload_returns_a_list_of_errors(payload: object, text: str) -> None:
    errors = validate_annotation(SCHEMA, text, payload)
    assert isinstance(errors, list)
    assert all(set(e) == {"field", "message"} and isinstance(e["field"], str) for e in errors)


# --- required stance (issue 13, bug 8) ---------------------------------------------
REQUIRED_SCHEMA: dict[str, Any] = {**SCHEMA, "stance": {**SCHEMA["stance"], "required": True}}


@pytest.mark.parametrize("status", ["submitted"])
def test_submission_missing_a_required_stance_target_is_refused_naming_it(status: str) -> None:
    payload = valid_payload()
    payload.update(stance=[], status=status)
    errors = validate_annotation(REQUIRED_SCHEMA, TEXT, payload)
    assert fields(errors) == ["stance"]
    assert TARGET in errors[0]["message"]


@pytest.mark.parametrize("status", ["draft", "skipped", None])
def test_required_stance_does_not_bind_drafts_or_skips(status: str | None) -> None:
    payload = valid_payload()
    payload["stance"] = []
    payload.pop("status", None)  # no status: the API reads it as a draft
    if status:
        payload["status"] = status
    assert validate_annotation(REQUIRED_SCHEMA, TEXT, payload) == []


def test_required_stance_is_met_by_a_label_for_every_target() -> None:
    payload = valid_payload()
    payload["status"] = "submitted"
    assert validate_annotation(REQUIRED_SCHEMA, TEXT, payload) == []


def test_stance_not_required_by_default_even_on_submit() -> None:
    payload = valid_payload()
    payload.update(stance=[], status="submitted")
    assert validate_annotation(SCHEMA, TEXT, payload) == []
