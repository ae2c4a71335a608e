"""Label schema validation: one test per error path, defaults, and a never-raises property."""

from __future__ import annotations

import copy
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from annotator.projects.schema import (
    DEFAULT_PALETTE,
    MAX_ENTITY_TYPES,
    MAX_EVENT_TYPES,
    MAX_NAME_LENGTH,
    RESERVED_HOTKEYS,
    normalize_label_schema,
    validate_label_schema,
)

TARGET = "the Russia–North Korea mutual defence pact"


def valid_schema() -> dict[str, Any]:
    return {
        "entity_types": [
            {"name": "PER", "hotkey": "p", "color": "#e69f00", "description": "People."},
            {"name": "GPE", "hotkey": "g"},
            {"name": "ORG"},
        ],
        "allow_overlapping_entities": False,
        "stance": {"targets": [TARGET], "labels": ["favor", "against", "neutral", "none"]},
        "event_types": [
            {"name": "Movement:Transport", "roles": ["Agent", "Artifact", "Destination"]},
            {"name": "Contact:Meet", "roles": ["Entity", "Time", "Place"]},
        ],
    }


def fields(errors: list[dict[str, str]]) -> list[str]:
    return [e["field"] for e in errors]


def errors_for(mutate: Any) -> list[dict[str, str]]:
    schema = valid_schema()
    mutate(schema)
    return validate_label_schema(schema)


# --- valid input -------------------------------------------------------------------


def test_valid_schema_has_no_errors() -> None:
    assert validate_label_schema(valid_schema()) == []


def test_minimal_schema_is_valid() -> None:
    assert validate_label_schema({"entity_types": []}) == []


def test_contract_example_schema_is_valid() -> None:
    schema = {
        "entity_types": [{"name": "GPE", "hotkey": "g", "color": "#4e79a7", "description": "..."}],
        "allow_overlapping_entities": False,
        "stance": {
            "targets": ["the Russia–North Korea defence pact"],
            "labels": ["favor", "against", "neutral", "none"],
        },
        "event_types": [
            {"name": "Movement:Transport", "roles": ["Agent", "Artifact", "Vehicle", "Origin", "Destination", "Time"]}
        ],
    }
    assert validate_label_schema(schema) == []


def test_errors_are_field_message_dicts() -> None:
    errors = errors_for(lambda s: s["entity_types"][1].update(hotkey="s"))
    assert errors and all(set(e) == {"field", "message"} for e in errors)
    assert all(isinstance(e["message"], str) and e["message"].endswith(".") for e in errors)


def test_reserved_hotkeys_constant() -> None:
    assert RESERVED_HOTKEYS == {"s", "u", "e", "?", " ", *"0123456789"}


# --- top level ---------------------------------------------------------------------


@pytest.mark.parametrize("value", [None, [], "schema", 3, 2.5, True])
def test_schema_not_an_object(value: object) -> None:
    assert fields(validate_label_schema(value)) == [""]


def test_unknown_top_level_key() -> None:
    assert fields(errors_for(lambda s: s.update(entity_type=[]))) == ["entity_type"]


def test_missing_entity_types() -> None:
    assert fields(errors_for(lambda s: s.pop("entity_types"))) == ["entity_types"]


def test_allow_overlapping_entities_not_bool() -> None:
    assert fields(errors_for(lambda s: s.update(allow_overlapping_entities=1))) == ["allow_overlapping_entities"]


# --- entity types ------------------------------------------------------------------


def test_entity_types_not_a_list() -> None:
    assert fields(errors_for(lambda s: s.update(entity_types={"name": "PER"}))) == ["entity_types"]


def test_too_many_entity_types() -> None:
    many = [{"name": f"T{i}"} for i in range(MAX_ENTITY_TYPES + 1)]
    errors = errors_for(lambda s: s.update(entity_types=many))
    assert fields(errors) == ["entity_types"]
    assert str(MAX_ENTITY_TYPES) in errors[0]["message"]


def test_entity_type_not_an_object() -> None:
    assert fields(errors_for(lambda s: s["entity_types"].append("LOC"))) == ["entity_types[3]"]


def test_entity_type_unknown_key() -> None:
    assert fields(errors_for(lambda s: s["entity_types"][0].update(colour="#000000"))) == ["entity_types[0].colour"]


def test_entity_type_without_name() -> None:
    assert fields(errors_for(lambda s: s["entity_types"][2].pop("name"))) == ["entity_types[2].name"]


def test_entity_type_name_not_a_string() -> None:
    assert fields(errors_for(lambda s: s["entity_types"][2].update(name=7))) == ["entity_types[2].name"]


def test_entity_type_name_empty() -> None:
    assert fields(errors_for(lambda s: s["entity_types"][2].update(name=""))) == ["entity_types[2].name"]


@pytest.mark.parametrize("name", [" ORG", "ORG ", "ORG\n"])
def test_entity_type_name_with_surrounding_whitespace(name: str) -> None:
    errors = errors_for(lambda s: s["entity_types"][2].update(name=name))
    assert fields(errors) == ["entity_types[2].name"]
    assert "whitespace" in errors[0]["message"]


def test_entity_type_name_too_long() -> None:
    errors = errors_for(lambda s: s["entity_types"][2].update(name="X" * (MAX_NAME_LENGTH + 1)))
    assert fields(errors) == ["entity_types[2].name"]


def test_entity_type_name_with_control_character() -> None:
    assert fields(errors_for(lambda s: s["entity_types"][2].update(name="OR\x00G"))) == ["entity_types[2].name"]


def test_duplicate_entity_type_name() -> None:
    errors = errors_for(lambda s: s["entity_types"][2].update(name="PER"))
    assert fields(errors) == ["entity_types[2].name"]
    assert "entity_types[0]" in errors[0]["message"]


def test_entity_type_names_are_case_sensitive() -> None:
    assert errors_for(lambda s: s["entity_types"][2].update(name="per")) == []


@pytest.mark.parametrize("hotkey", sorted(RESERVED_HOTKEYS) + ["S", "U", "E"])
def test_reserved_hotkey(hotkey: str) -> None:
    errors = errors_for(lambda s: s["entity_types"][2].update(hotkey=hotkey))
    assert fields(errors) == ["entity_types[2].hotkey"]
    assert "reserved" in errors[0]["message"]


def test_hotkey_not_a_string() -> None:
    assert fields(errors_for(lambda s: s["entity_types"][2].update(hotkey=1))) == ["entity_types[2].hotkey"]


@pytest.mark.parametrize("hotkey", ["", "ab"])
def test_hotkey_not_one_character(hotkey: str) -> None:
    assert fields(errors_for(lambda s: s["entity_types"][2].update(hotkey=hotkey))) == ["entity_types[2].hotkey"]


@pytest.mark.parametrize("hotkey", ["\t", "\x07", "\u00a0"])
def test_hotkey_not_printable(hotkey: str) -> None:
    assert fields(errors_for(lambda s: s["entity_types"][2].update(hotkey=hotkey))) == ["entity_types[2].hotkey"]


def test_hotkey_null_means_none() -> None:
    assert errors_for(lambda s: s["entity_types"][2].update(hotkey=None)) == []


def test_duplicate_hotkey() -> None:
    errors = errors_for(lambda s: s["entity_types"][2].update(hotkey="p"))
    assert fields(errors) == ["entity_types[2].hotkey"]
    assert "entity_types[0]" in errors[0]["message"]


def test_duplicate_hotkey_differing_in_case() -> None:
    assert fields(errors_for(lambda s: s["entity_types"][2].update(hotkey="P"))) == ["entity_types[2].hotkey"]


@pytest.mark.parametrize("color", ["red", "#fff", "#12345g", "4e79a7", 0x4E79A7, None])
def test_bad_color(color: object) -> None:
    assert fields(errors_for(lambda s: s["entity_types"][0].update(color=color))) == ["entity_types[0].color"]


def test_description_not_a_string() -> None:
    assert fields(errors_for(lambda s: s["entity_types"][0].update(description=None))) == [
        "entity_types[0].description"
    ]


def test_description_too_long() -> None:
    assert fields(errors_for(lambda s: s["entity_types"][0].update(description="x" * 5000))) == [
        "entity_types[0].description"
    ]


# --- stance ------------------------------------------------------------------------


def test_stance_not_an_object() -> None:
    assert fields(errors_for(lambda s: s.update(stance=[TARGET]))) == ["stance"]


def test_stance_unknown_key() -> None:
    assert fields(errors_for(lambda s: s["stance"].update(label=["x"]))) == ["stance.label"]


def test_stance_targets_not_a_list() -> None:
    assert fields(errors_for(lambda s: s["stance"].update(targets=TARGET))) == ["stance.targets"]


def test_stance_target_empty() -> None:
    assert fields(errors_for(lambda s: s["stance"]["targets"].append(""))) == ["stance.targets[1]"]


def test_stance_target_not_a_string() -> None:
    assert fields(errors_for(lambda s: s["stance"]["targets"].append(None))) == ["stance.targets[1]"]


def test_duplicate_stance_target() -> None:
    assert fields(errors_for(lambda s: s["stance"]["targets"].append(TARGET))) == ["stance.targets[1]"]


def test_too_many_stance_targets() -> None:
    assert fields(errors_for(lambda s: s["stance"].update(targets=[f"t{i}" for i in range(51)]))) == ["stance.targets"]


def test_duplicate_stance_label() -> None:
    assert fields(errors_for(lambda s: s["stance"]["labels"].append("favor"))) == ["stance.labels[4]"]


def test_stance_label_with_whitespace() -> None:
    assert fields(errors_for(lambda s: s["stance"]["labels"].append("pro "))) == ["stance.labels[4]"]


def test_stance_required_is_accepted_as_a_boolean() -> None:
    assert errors_for(lambda s: s["stance"].update(required=True)) == []
    assert errors_for(lambda s: s["stance"].update(required=False)) == []


def test_stance_required_not_a_boolean() -> None:
    assert fields(errors_for(lambda s: s["stance"].update(required="yes"))) == ["stance.required"]


def test_stance_labels_not_a_list() -> None:
    assert fields(errors_for(lambda s: s["stance"].update(labels="favor"))) == ["stance.labels"]


def test_fewer_than_two_stance_labels_with_a_target() -> None:
    assert fields(errors_for(lambda s: s["stance"].update(labels=["favor"]))) == ["stance.labels"]


def test_no_targets_needs_no_labels() -> None:
    assert errors_for(lambda s: s.update(stance={"targets": [], "labels": []})) == []


# --- event types -------------------------------------------------------------------


def test_event_types_not_a_list() -> None:
    assert fields(errors_for(lambda s: s.update(event_types={}))) == ["event_types"]


def test_too_many_event_types() -> None:
    many = [{"name": f"E{i}", "roles": []} for i in range(MAX_EVENT_TYPES + 1)]
    assert fields(errors_for(lambda s: s.update(event_types=many))) == ["event_types"]


def test_event_type_not_an_object() -> None:
    assert fields(errors_for(lambda s: s["event_types"].append("Life:Die"))) == ["event_types[2]"]


def test_event_type_unknown_key() -> None:
    assert fields(errors_for(lambda s: s["event_types"][0].update(role=[]))) == ["event_types[0].role"]


def test_event_type_without_name() -> None:
    assert fields(errors_for(lambda s: s["event_types"][0].pop("name"))) == ["event_types[0].name"]


def test_event_type_name_empty() -> None:
    assert fields(errors_for(lambda s: s["event_types"][0].update(name=""))) == ["event_types[0].name"]


def test_duplicate_event_type_name() -> None:
    errors = errors_for(lambda s: s["event_types"][1].update(name="Movement:Transport"))
    assert fields(errors) == ["event_types[1].name"]


def test_event_type_without_roles() -> None:
    assert fields(errors_for(lambda s: s["event_types"][0].pop("roles"))) == ["event_types[0].roles"]


def test_event_roles_not_a_list() -> None:
    assert fields(errors_for(lambda s: s["event_types"][0].update(roles="Agent"))) == ["event_types[0].roles"]


def test_event_role_empty() -> None:
    assert fields(errors_for(lambda s: s["event_types"][0]["roles"].append(""))) == ["event_types[0].roles[3]"]


def test_duplicate_event_role() -> None:
    assert fields(errors_for(lambda s: s["event_types"][0]["roles"].append("Agent"))) == ["event_types[0].roles[3]"]


def test_too_many_event_roles() -> None:
    many = [f"R{i}" for i in range(51)]
    assert fields(errors_for(lambda s: s["event_types"][0].update(roles=many))) == ["event_types[0].roles"]


def test_event_type_description_not_a_string() -> None:
    assert fields(errors_for(lambda s: s["event_types"][0].update(description=3))) == ["event_types[0].description"]


# --- all errors at once ------------------------------------------------------------


def test_all_errors_are_reported_together() -> None:
    schema = valid_schema()
    schema["entity_types"][0]["hotkey"] = "u"
    schema["entity_types"][1]["color"] = "blue"
    schema["stance"]["labels"] = ["favor"]
    schema["event_types"][1]["roles"] = ["Entity", "Entity"]
    schema["colour"] = 1
    assert sorted(fields(validate_label_schema(schema))) == sorted(
        [
            "entity_types[0].hotkey",
            "entity_types[1].color",
            "stance.labels",
            "event_types[1].roles[1]",
            "colour",
        ]
    )


# --- normalisation -----------------------------------------------------------------


def test_normalize_fills_defaults() -> None:
    normal = normalize_label_schema({"entity_types": [{"name": "PER"}, {"name": "GPE", "color": "#e69f00"}]})
    assert normal["allow_overlapping_entities"] is False
    assert normal["stance"] == {"targets": [], "labels": []}
    assert normal["event_types"] == []
    per, gpe = normal["entity_types"]
    assert per == {"name": "PER", "hotkey": None, "description": "", "color": DEFAULT_PALETTE[1]}
    assert gpe["color"] == "#e69f00"  # kept; and PER's default skipped it


def test_normalize_does_not_modify_its_input() -> None:
    schema = valid_schema()
    before = copy.deepcopy(schema)
    normalize_label_schema(schema)
    assert schema == before


def test_normalize_gives_distinct_default_colours() -> None:
    normal = normalize_label_schema({"entity_types": [{"name": f"T{i}"} for i in range(len(DEFAULT_PALETTE))]})
    assert len({t["color"] for t in normal["entity_types"]}) == len(DEFAULT_PALETTE)


def test_normalize_is_valid_and_idempotent() -> None:
    normal = normalize_label_schema(valid_schema())
    assert validate_label_schema(normal) == []
    assert normalize_label_schema(normal) == normal
    assert normal["event_types"][0]["description"] == ""


# --- robustness --------------------------------------------------------------------

json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats() | st.text(max_size=5),
    lambda children: st.lists(children, max_size=4) | st.dictionaries(st.text(max_size=12), children, max_size=4),
    max_leaves=25,
)
schema_like = st.fixed_dictionaries(
    {},
    optional={
        "entity_types": st.lists(
            st.fixed_dictionaries(
                {},
                optional={
                    "name": st.sampled_from(["PER", "GPE", "", " X"]) | json_values,
                    "hotkey": st.sampled_from(["p", "s", "P", "", "ab"]) | json_values,
                    "color": st.sampled_from(["#000000", "#abc"]) | json_values,
                },
            )
            | json_values,
            max_size=4,
        ),
        "stance": json_values,
        "event_types": json_values,
        "allow_overlapping_entities": json_values,
    },
)


@settings(max_examples=300, deadline=None)
@given(st.one_of(json_values, schema_like))
def test_any_value_returns_a_list_of_errors(value: object) -> None:
    errors = validate_label_schema(value)
    assert isinstance(errors, list)
    assert all(isinstance(e["field"], str) and isinstance(e["message"], str) for e in errors)
    if not errors:
        assert isinstance(value, dict)
        assert validate_label_schema(normalize_label_schema(value)) == []
