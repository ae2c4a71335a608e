"""Label names that CoNLL and brat exports can hold (issue 9, item 17).

CoNLL splits its columns on whitespace, so an entity type ``New Type`` would be read back
as ``B-New``; brat writes names through one safe mapping (``brat_safe_name``), so two names
that map to the same brat name would merge in ``annotation.conf``.
"""

from __future__ import annotations

from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from annotator.exports.formats.brat import brat_type
from annotator.projects.schema import brat_safe_name, validate_label_schema


def schema(**changes: Any) -> dict[str, Any]:
    base: dict[str, Any] = {
        "entity_types": [{"name": "PER"}, {"name": "GPE"}],
        "event_types": [{"name": "Movement:Transport", "roles": ["Agent", "Artifact"]}],
    }
    base.update(changes)
    return base


def test_an_entity_type_name_with_a_space_is_refused_at_its_path_saying_why() -> None:
    errors = validate_label_schema(schema(entity_types=[{"name": "PER"}, {"name": "GPE"}, {"name": "New Type"}]))
    assert [e["field"] for e in errors] == ["entity_types[2].name"]
    assert "whitespace" in errors[0]["message"] and "CoNLL" in errors[0]["message"]


@pytest.mark.parametrize("name", ["New\u00a0Type", "Tab\tType", "New\u2003Type"])
def test_an_entity_type_name_with_any_other_whitespace_is_refused_at_its_path(name: str) -> None:
    errors = validate_label_schema(schema(entity_types=[{"name": "PER"}, {"name": "GPE"}, {"name": name}]))
    assert [e["field"] for e in errors] == ["entity_types[2].name"]


def test_two_entity_types_with_the_same_brat_name_are_refused() -> None:
    errors = validate_label_schema(schema(entity_types=[{"name": "A:B"}, {"name": "A-B"}]))
    assert [e["field"] for e in errors] == ["entity_types[1].name"]
    assert "'A-B'" in errors[0]["message"] and "entity_types[0].name" in errors[0]["message"]


def test_an_event_type_colliding_with_an_entity_type_in_brat_is_refused() -> None:
    errors = validate_label_schema(schema(entity_types=[{"name": "Movement-Transport"}]))
    assert [e["field"] for e in errors] == ["event_types[0].name"]


def test_two_roles_of_one_event_type_with_the_same_brat_name_are_refused() -> None:
    events = [{"name": "Attack", "roles": ["Target", "Place of attack", "Place-of-attack"]}]
    errors = validate_label_schema(schema(event_types=events))
    assert [e["field"] for e in errors] == ["event_types[0].roles[2]"]


def test_the_same_role_in_two_event_types_is_fine() -> None:
    events = [{"name": "Attack", "roles": ["Place"]}, {"name": "Meet", "roles": ["Place"]}]
    assert validate_label_schema(schema(event_types=events)) == []


def test_names_differing_only_in_case_are_allowed_because_names_are_case_sensitive() -> None:
    assert validate_label_schema(schema(entity_types=[{"name": "GPE"}, {"name": "gpe"}])) == []


def test_identical_names_are_still_reported_once_as_duplicates() -> None:
    errors = validate_label_schema(schema(entity_types=[{"name": "GPE"}, {"name": "GPE"}]))
    assert [e["field"] for e in errors] == ["entity_types[1].name"]
    assert "repeats" in errors[0]["message"]


def test_event_type_names_and_roles_with_spaces_are_mapped_for_brat_not_refused() -> None:
    events = [{"name": "Life Event", "roles": ["Place of birth"]}]
    assert validate_label_schema(schema(event_types=events)) == []
    assert brat_safe_name("Life Event") == "Life-Event"


@given(st.text(max_size=30))
def test_the_schema_uses_the_same_brat_mapping_as_the_brat_writer(name: str) -> None:
    assert brat_safe_name(name) == brat_type(name)
