"""Schema edits that would orphan labels in use (issue 9, item 16): PATCH answers 409 with the
impact unless it says what to do (renames, merges, or confirm_orphans); a dry-run endpoint
shows the impact; a re-save of an annotation with an unknown label names the span."""

from __future__ import annotations

import copy
from typing import Any

import pytest
from django.utils import timezone
from rest_framework.test import APIClient

from annotator.annotations.assignment import assignment_create
from annotator.annotations.models import Annotation, AnnotationRevision
from annotator.documents.models import Sentence
from annotator.gold.models import Gold, GoldRevision, GoldSource
from annotator.projects.models import Project, Role
from tests.factories import SCHEMA, MembershipFactory, ProjectFactory, UserFactory, add_text

pytestmark = pytest.mark.django_db

PUTIN = {"start": 0, "end": 5, "label": "PER"}  # "Putin"
KIM = {"start": 10, "end": 13, "label": "PER"}  # "Kim"
PYONGYANG_ORG = {"start": 17, "end": 26, "label": "ORG"}  # "Pyongyang", as ORG
MEET = {"type": "Contact:Meet", "trigger": {"start": 6, "end": 9},
        "arguments": [{"role": "Entity", "start": 0, "end": 5}, {"role": "Place", "start": 17, "end": 26}]}


def labels(entities: list[dict[str, Any]], stance: list[dict[str, Any]] | None = None,
           events: list[dict[str, Any]] | None = None) -> dict[str, Any]:
    return {"entities": entities, "stance": stance or [], "events": events or []}


@pytest.fixture
def world() -> dict[str, Any]:
    lead, ann1, ann2 = UserFactory(), UserFactory(), UserFactory()
    project = ProjectFactory(label_schema=copy.deepcopy(SCHEMA))
    MembershipFactory(project=project, user=lead, role=Role.LEAD)
    MembershipFactory(project=project, user=ann1, role=Role.ANNOTATOR)
    MembershipFactory(project=project, user=ann2, role=Role.ANNOTATOR)
    add_text(project, "Putin met Kim in Pyongyang. Seoul protested.")
    first, second = Sentence.objects.filter(project=project).order_by("index")
    stance = [{"target": "the pact", "label": "favor"}]
    Annotation.objects.create(project=project, sentence=first, annotator=ann1,
                              labels=labels([PUTIN, PYONGYANG_ORG], stance, [MEET]))
    Annotation.objects.create(project=project, sentence=first, annotator=ann2, labels=labels([PUTIN, KIM]))
    Gold.objects.create(project=project, sentence=first, labels=labels([PYONGYANG_ORG]), source=GoldSource.ADJUDICATED,
                        decided_by=lead, decided_at=timezone.now())
    client = APIClient()
    client.force_authenticate(lead)
    return {"project": project, "lead": lead, "ann1": ann1, "ann2": ann2, "client": client, "first": first,
            "second": second}


def without(schema: dict[str, Any], *names: str) -> dict[str, Any]:
    new = copy.deepcopy(schema)
    new["entity_types"] = [t for t in new["entity_types"] if t["name"] not in names]
    return new


def patch(world: dict[str, Any], body: dict[str, Any]) -> Any:
    return world["client"].patch(f"/api/projects/{world['project'].pk}/", body, format="json")


def test_removing_an_entity_type_in_use_is_a_409_listing_the_impact_and_changes_nothing(world):
    response = patch(world, {"label_schema": without(SCHEMA, "ORG")})
    assert response.status_code == 409, response.json()
    body = response.json()
    assert body["field"] == "label_schema" and "ORG" in body["detail"]
    assert body["impact"] == {"removed": [{"kind": "entity_types", "name": "ORG", "annotations": 1, "gold": 1,
                                           "renamed_to": None}], "unresolved": 1}
    world["project"].refresh_from_db()
    assert [t["name"] for t in world["project"].label_schema["entity_types"]] == ["PER", "GPE", "ORG"]


def test_removing_an_unused_name_needs_no_decision(world):
    schema = copy.deepcopy(SCHEMA)
    schema["stance"]["labels"] = ["favor", "against", "neutral"]  # "none" is used by nobody
    response = patch(world, {"label_schema": schema})
    assert response.status_code == 200, response.json()


@pytest.mark.parametrize(("change", "expected"), [
    (lambda s: s["stance"].update(targets=["the treaty"]), ("stance_targets", "the pact", 1, 0)),
    (lambda s: s["stance"].update(labels=["against", "neutral", "none"]), ("stance_labels", "favor", 1, 0)),
    (lambda s: s.update(event_types=[]), ("event_types", "Contact:Meet", 1, 0)),
    (lambda s: s["event_types"][0].update(roles=["Entity", "Time"]), ("roles", "Place", 1, 0)),
])
def test_removing_a_stance_target_label_event_type_or_role_in_use_is_a_409(world, change, expected):
    schema = copy.deepcopy(SCHEMA)
    change(schema)
    response = patch(world, {"label_schema": schema})
    assert response.status_code == 409, response.json()
    [item] = response.json()["impact"]["removed"]
    assert (item["kind"], item["name"], item["annotations"], item["gold"]) == expected


def test_a_rename_rewrites_annotations_and_gold_in_one_go_with_new_versions(world):
    schema = copy.deepcopy(SCHEMA)
    schema["entity_types"][2]["name"] = "Organisation"
    response = patch(world, {"label_schema": schema, "renames": {"entity_types": {"ORG": "Organisation"}}})
    assert response.status_code == 200, response.json()
    mine = Annotation.objects.get(annotator=world["ann1"])
    assert [e["label"] for e in mine.labels["entities"]] == ["PER", "Organisation"]
    assert mine.version == 2 and AnnotationRevision.objects.filter(annotation=mine, version=2).exists()
    assert Annotation.objects.get(annotator=world["ann2"]).version == 1, "an annotation without ORG is untouched"
    gold = Gold.objects.get()
    assert gold.labels["entities"][0]["label"] == "Organisation" and gold.version == 2
    assert GoldRevision.objects.filter(gold=gold, version=2).exists()


def test_a_merge_renames_onto_an_existing_name_and_drops_the_duplicates_it_makes(world):
    Annotation.objects.filter(annotator=world["ann2"]).update(
        labels=labels([PUTIN, {**PUTIN, "label": "GPE"}]))
    response = patch(world, {"label_schema": without(SCHEMA, "GPE", "ORG"),
                             "renames": {"entity_types": {"GPE": "PER", "ORG": "PER"}}})
    assert response.status_code == 200, response.json()
    assert Annotation.objects.get(annotator=world["ann2"]).labels["entities"] == [PUTIN]
    assert Gold.objects.get().labels["entities"] == [{**PYONGYANG_ORG, "label": "PER"}]


def test_renaming_a_role_follows_its_event_type(world):
    schema = copy.deepcopy(SCHEMA)
    schema["event_types"] = [{"name": "Contact:Meeting", "roles": ["Participant", "Place", "Time"]}]
    renames = {"event_types": {"Contact:Meet": "Contact:Meeting"}, "roles": {"Contact:Meet": {"Entity": "Participant"}}}
    response = patch(world, {"label_schema": schema, "renames": renames})
    assert response.status_code == 200, response.json()
    [event] = Annotation.objects.get(annotator=world["ann1"]).labels["events"]
    assert event["type"] == "Contact:Meeting"
    assert [a["role"] for a in event["arguments"]] == ["Participant", "Place"]


def test_confirm_orphans_saves_the_schema_and_keeps_the_stored_labels(world):
    response = patch(world, {"label_schema": without(SCHEMA, "ORG"), "confirm_orphans": True})
    assert response.status_code == 200, response.json()
    assert PYONGYANG_ORG in Annotation.objects.get(annotator=world["ann1"]).labels["entities"]


@pytest.mark.parametrize(("renames", "field"), [
    ({"entity_types": {"ORG": "Nope"}}, "renames.entity_types.ORG"),
    ({"entity_types": {"PER": "GPE"}}, "renames.entity_types.PER"),  # PER is not removed
    ({"colours": {}}, "renames.colours"),
    ({"roles": {"Contact:Meet": {"Place": "Venue"}}}, "renames.roles.Contact:Meet.Place"),
])
def test_bad_renames_are_a_400_naming_the_field_and_change_nothing(world, renames, field):
    response = patch(world, {"label_schema": without(SCHEMA, "ORG"), "renames": renames})
    assert response.status_code == 400
    assert response.json()["field"] == field
    assert Project.objects.get(pk=world["project"].pk).label_schema == world["project"].label_schema


def test_the_impact_endpoint_answers_without_saving(world, django_assert_max_num_queries):
    url = f"/api/projects/{world['project'].pk}/schema/impact/"
    schema = copy.deepcopy(SCHEMA)
    schema["entity_types"][2]["name"] = "Organisation"
    with django_assert_max_num_queries(6):
        response = world["client"].post(url, {"label_schema": schema}, format="json")
    assert response.status_code == 200
    assert response.json() == {"removed": [{"kind": "entity_types", "name": "ORG", "annotations": 1, "gold": 1,
                                            "renamed_to": None}], "unresolved": 1}
    renamed = world["client"].post(url, {"label_schema": schema, "renames": {"entity_types": {"ORG": "Organisation"}}},
                                   format="json").json()
    assert renamed["unresolved"] == 0 and renamed["removed"][0]["renamed_to"] == "Organisation"
    world["project"].refresh_from_db()
    assert world["project"].label_schema["entity_types"][2]["name"] == "ORG"


def test_the_impact_endpoint_reports_an_invalid_schema_with_its_path(world):
    url = f"/api/projects/{world['project'].pk}/schema/impact/"
    response = world["client"].post(url, {"label_schema": {"entity_types": [{"name": "A B"}]}}, format="json")
    assert response.status_code == 400 and response.json()["field"] == "label_schema.entity_types[0].name"


def test_resaving_an_orphaned_label_names_the_span_text_and_offsets(world):
    patch(world, {"label_schema": without(SCHEMA, "ORG"), "confirm_orphans": True})
    assignment_create(project=world["project"], sentence=world["first"], annotator=world["ann1"])
    client = APIClient()
    client.force_authenticate(world["ann1"])
    mine = Annotation.objects.get(annotator=world["ann1"])
    response = client.put(f"/api/sentences/{world['first'].pk}/annotation/",
                          {**mine.labels, "status": "draft", "version": mine.version}, format="json")
    assert response.status_code == 400
    error = response.json()
    assert error["field"] == "entities[1].label", "the field path stays"
    assert "'Pyongyang'" in error["detail"] and "17" in error["detail"] and "26" in error["detail"]


def test_an_editor_holding_the_labels_from_before_a_rename_cannot_write_the_old_names_back(world):
    assignment_create(project=world["project"], sentence=world["first"], annotator=world["ann1"])
    before = Annotation.objects.get(annotator=world["ann1"])
    schema = copy.deepcopy(SCHEMA)
    schema["entity_types"][2]["name"] = "Organisation"
    assert patch(world, {"label_schema": schema, "renames": {"entity_types": {"ORG": "Organisation"}}}).status_code == 200
    client = APIClient()
    client.force_authenticate(world["ann1"])
    response = client.put(f"/api/sentences/{world['first'].pk}/annotation/",
                          {**before.labels, "status": "draft", "version": before.version}, format="json")
    assert response.status_code in (400, 409), "refused: unknown label, or a stale version"
    assert [e["label"] for e in Annotation.objects.get(pk=before.pk).labels["entities"]] == ["PER", "Organisation"]


def test_a_rename_takes_a_bounded_number_of_queries_however_many_annotations(world, django_assert_max_num_queries):
    from annotator.documents.models import Document

    project = world["project"]
    document = Document.objects.filter(project=project).first()
    for index in range(40):
        sentence = Sentence.objects.create(project=project, document=document, index=100 + index,
                                           start=0, end=26, text="Putin met Kim in Pyongyang.")
        Annotation.objects.create(project=project, sentence=sentence, annotator=world["ann1"],
                                  labels=labels([PYONGYANG_ORG]))
    schema = copy.deepcopy(SCHEMA)
    schema["entity_types"][2]["name"] = "Organisation"
    with django_assert_max_num_queries(25):
        response = patch(world, {"label_schema": schema, "renames": {"entity_types": {"ORG": "Organisation"}}})
    assert response.status_code == 200
    assert Annotation.objects.filter(project=project, version=2).count() == 41
