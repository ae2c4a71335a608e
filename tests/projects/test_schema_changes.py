"""The pure side of schema changes (issue 9, item 16): what a new schema removes, which
renames are allowed, and rewriting stored labels so they fit the new schema."""

from __future__ import annotations

import copy
from typing import Any

from hypothesis import given
from hypothesis import strategies as st

from annotator.annotations.validation import validate_annotation
from annotator.projects.schema import check_renames, labels_name_keys, labels_rename, schema_removals
from tests.factories import SCHEMA

TEXT = "Putin met Kim in Pyongyang."


def test_removals_list_each_kind_and_a_role_only_while_its_event_type_lives_on() -> None:
    new = copy.deepcopy(SCHEMA)
    new["entity_types"] = new["entity_types"][:2]
    new["stance"] = {"targets": [], "labels": ["favor", "against"]}
    new["event_types"][0]["roles"] = ["Entity"]
    assert schema_removals(SCHEMA, new) == [
        ("entity_types", "", "ORG"), ("stance_targets", "", "the pact"), ("stance_labels", "", "neutral"),
        ("stance_labels", "", "none"), ("roles", "Contact:Meet", "Place"), ("roles", "Contact:Meet", "Time")]
    gone = {**copy.deepcopy(SCHEMA), "event_types": []}
    assert schema_removals(SCHEMA, gone) == [("event_types", "", "Contact:Meet")], "its roles go with it"


def test_the_roles_of_a_renamed_event_type_are_compared_with_its_successor() -> None:
    new = {**copy.deepcopy(SCHEMA), "event_types": [{"name": "Meet", "roles": ["Entity", "Place"]}]}
    renames = {"event_types": {"Contact:Meet": "Meet"}}
    assert schema_removals(SCHEMA, new, renames) == [("event_types", "", "Contact:Meet"),
                                                      ("roles", "Contact:Meet", "Time")]
    assert check_renames({**renames, "roles": {"Contact:Meet": {"Time": "Place"}}}, SCHEMA, new) == []


def test_renames_must_be_objects_of_removed_names_onto_names_of_the_new_schema() -> None:
    new = copy.deepcopy(SCHEMA)
    new["entity_types"] = new["entity_types"][:2]
    assert check_renames({"entity_types": {"ORG": "GPE"}}, SCHEMA, new) == []
    assert [e["field"] for e in check_renames([], SCHEMA, new)] == ["renames"]
    assert [e["field"] for e in check_renames({"entity_types": []}, SCHEMA, new)] == ["renames.entity_types"]
    assert [e["field"] for e in check_renames({"entity_types": {"ORG": 3}}, SCHEMA, new)] == [
        "renames.entity_types.ORG"]
    assert [e["field"] for e in check_renames({"roles": []}, SCHEMA, new)] == ["renames.roles"]


def test_names_used_by_stored_labels_tolerate_any_shape() -> None:
    labels = {"entities": [{"label": "PER"}, "junk", {"label": 3}], "stance": None,
              "events": [{"type": "Contact:Meet", "arguments": [{"role": "Place"}, None]}]}
    assert labels_name_keys(labels) == {("entity_types", "", "PER"), ("event_types", "", "Contact:Meet"),
                                        ("roles", "Contact:Meet", "Place")}
    assert labels_name_keys("not labels") == set()


def test_a_rename_does_not_change_its_input() -> None:
    labels = {"entities": [{"start": 0, "end": 5, "label": "ORG"}], "stance": [], "events": []}
    before = copy.deepcopy(labels)
    assert labels_rename(labels, {"entity_types": {"ORG": "PER"}})["entities"][0]["label"] == "PER"
    assert labels == before


SPANS = [(0, 5), (10, 13), (17, 26)]  # Putin, Kim, Pyongyang
entity = st.builds(lambda span, label: {"start": span[0], "end": span[1], "label": label},
                   st.sampled_from(SPANS), st.sampled_from(["PER", "GPE", "ORG"]))
stance = st.lists(st.builds(lambda label: {"target": "the pact", "label": label},
                            st.sampled_from(["favor", "against", "neutral", "none"])), max_size=1)
argument = st.builds(lambda span, role: {"role": role, "start": span[0], "end": span[1]},
                     st.sampled_from(SPANS), st.sampled_from(["Entity", "Place", "Time"]))
event = st.builds(lambda args: {"type": "Contact:Meet", "trigger": {"start": 6, "end": 9}, "arguments": args},
                  st.lists(argument, max_size=4, unique_by=lambda a: (a["role"], a["start"])))


@given(st.lists(entity, max_size=6, unique_by=lambda e: (e["start"], e["end"], e["label"])), stance,
       st.lists(event, max_size=1))
def test_labels_valid_before_a_merge_are_valid_after_it(entities: Any, stances: Any, events: Any) -> None:
    """Merging every entity type into PER, stance labels into favor and roles into Entity
    (the new schema allows overlaps so that only the merge's duplicates can break it)."""
    old = {**copy.deepcopy(SCHEMA), "allow_overlapping_entities": True}
    labels = {"entities": entities, "stance": stances, "events": events}
    assert validate_annotation(old, TEXT, labels) == []
    new = {**copy.deepcopy(old), "entity_types": [{"name": "PER"}],
           "stance": {"targets": ["the pact"], "labels": ["favor", "against"]},
           "event_types": [{"name": "Contact:Meet", "roles": ["Entity"]}]}
    renames = {"entity_types": {"GPE": "PER", "ORG": "PER"}, "stance_labels": {"neutral": "favor", "none": "favor"},
               "roles": {"Contact:Meet": {"Place": "Entity", "Time": "Entity"}}}
    assert check_renames(renames, old, new) == []
    assert validate_annotation(new, TEXT, labels_rename(labels, renames)) == []
