"""The lead's management API: members, roles, progress, schema validation, preview."""

from __future__ import annotations

import pytest
from django.contrib.auth import get_user_model
from rest_framework.test import APIClient

from annotator.annotations.models import Annotation, Assignment, AssignmentState
from annotator.projects.models import Membership, Role
from tests.factories import SCHEMA, MembershipFactory, ProjectFactory, UserFactory, add_text

pytestmark = [pytest.mark.django_db, pytest.mark.postgres]

GOOD_PASSWORD = "correct-horse-battery-staple-9"


def client_for(user=None) -> APIClient:
    client = APIClient()
    if user is not None:
        client.force_authenticate(user)
    return client


@pytest.fixture
def world():
    """A project with a lead, an annotator and a viewer; another project's annotator; a stranger;
    ``pal``, an annotator of a third project the same lead leads (so she may add pal by name)."""
    project = ProjectFactory()
    other = ProjectFactory()
    third = ProjectFactory()
    MembershipFactory(project=third, role=Role.LEAD, user=UserFactory(username="lea"))
    MembershipFactory(project=third, role=Role.ANNOTATOR, user=UserFactory(username="pal"))
    people = {
        "lead": MembershipFactory(project=project, role=Role.LEAD, user=UserFactory(username="lea")).user,
        "annotator": MembershipFactory(project=project, role=Role.ANNOTATOR, user=UserFactory(username="ann")).user,
        "other_annotator": MembershipFactory(project=other, role=Role.ANNOTATOR, user=UserFactory(username="oth")).user,
        "viewer": MembershipFactory(project=project, role=Role.VIEWER, user=UserFactory(username="vic")).user,
        "non_member": UserFactory(username="nobody"),
        "anonymous": None,
    }
    return project, people


# Expected status per caller: leads succeed, other members are refused (403), anyone
# outside the project gets 404 (the project's existence is not confirmed), anonymous 401/403.
MATRIX = {"annotator": 403, "other_annotator": 404, "viewer": 403, "non_member": 404}


def _call(client: APIClient, project, method: str):  # type: ignore[no-untyped-def]
    base = f"/api/projects/{project.id}"
    if method == "list":
        return client.get(f"{base}/members/")
    if method == "add":
        return client.post(f"{base}/members/", {"username": "pal", "role": "annotator"}, format="json")
    if method == "role":
        return client.patch(f"{base}/members/ann/", {"role": "viewer"}, format="json")
    if method == "remove":
        return client.delete(f"{base}/members/ann/")
    if method == "validate":
        return client.post(f"{base}/schema/validate/", SCHEMA, format="json")
    raise AssertionError(method)


@pytest.mark.parametrize("method,ok", [("list", 200), ("add", 201), ("role", 200), ("remove", 204), ("validate", 200)])
@pytest.mark.parametrize("who", ["lead", "annotator", "other_annotator", "viewer", "non_member", "anonymous"])
def test_permission_matrix_of_the_member_and_schema_endpoints(world, who, method, ok):
    project, people = world
    response = _call(client_for(people[who]), project, method)
    if who == "lead":
        assert response.status_code == ok, response.content
    elif who == "anonymous":
        assert response.status_code in (401, 403)
    else:
        assert response.status_code == MATRIX[who], response.content
    if who != "lead":  # nothing changed
        assert Membership.objects.get(project=project, user=people["annotator"]).role == Role.ANNOTATOR
        assert not Membership.objects.filter(project=project, user__username="pal").exists()


@pytest.mark.parametrize("who", ["lead", "annotator", "other_annotator", "viewer", "non_member"])
def test_project_free_helpers_answer_any_signed_in_user(world, who):
    _, people = world
    client = client_for(people[who])
    assert client.post("/api/label-schema/validate/", SCHEMA, format="json").json() == {"valid": True, "errors": []}
    assert (
        client.post("/api/markdown/preview/", {"text": "**hi**"}, format="json").json()["html"]
        == "<p><strong>hi</strong></p>"
    )


def test_project_free_helpers_refuse_anonymous_callers():
    assert client_for().post("/api/label-schema/validate/", SCHEMA, format="json").status_code in (401, 403)
    assert client_for().post("/api/markdown/preview/", {"text": "x"}, format="json").status_code in (401, 403)


def test_markdown_preview_strips_script_and_event_handlers(world):
    _, people = world
    text = "Hi <script>alert(1)</script> <img src=x onerror=alert(2)> [a](javascript:alert(3))"
    html = client_for(people["lead"]).post("/api/markdown/preview/", {"text": text}, format="json").json()["html"]
    assert "<script" not in html and "onerror" not in html and "javascript:" not in html


def test_schema_validation_lists_every_error_with_its_path_and_saves_nothing(world):
    project, people = world
    bad = {**SCHEMA, "entity_types": [{"name": "PER", "hotkey": "p"}, {"name": "ORG", "hotkey": "P"}], "colour": 1}
    body = client_for(people["lead"]).post(f"/api/projects/{project.id}/schema/validate/", bad, format="json").json()
    assert body["valid"] is False
    fields = {e["field"] for e in body["errors"]}
    assert fields == {"colour", "entity_types[1].hotkey"}
    project.refresh_from_db()
    assert [t["name"] for t in project.label_schema["entity_types"]] == ["PER", "GPE", "ORG"]


def test_schema_validation_of_a_non_object_says_so(world):
    project, people = world
    body = client_for(people["lead"]).post(f"/api/projects/{project.id}/schema/validate/", [1, 2], format="json").json()
    assert body["valid"] is False and body["errors"][0]["field"] == ""


def test_adding_a_missing_user_creates_nobody_and_points_to_invitations(world):
    project, people = world
    response = client_for(people["lead"]).post(
        f"/api/projects/{project.id}/members/",
        {"username": "zoe", "role": "annotator", "password": GOOD_PASSWORD},
        format="json",
    )
    assert response.status_code == 400 and response.json()["field"] == "password"
    response = client_for(people["lead"]).post(
        f"/api/projects/{project.id}/members/", {"username": "zoe", "role": "annotator"}, format="json"
    )
    assert response.status_code == 400 and response.json()["field"] == "username"
    assert "invitation" in response.json()["detail"]
    assert not get_user_model().objects.filter(username="zoe").exists()


def test_adding_with_an_unknown_role_is_a_400_naming_role(world):
    project, people = world
    response = client_for(people["lead"]).post(
        f"/api/projects/{project.id}/members/", {"username": "zoe", "role": "boss"}, format="json"
    )
    assert response.status_code == 400 and response.json()["field"] == "role"


def test_the_last_lead_can_be_neither_demoted_nor_removed(world):
    project, people = world
    lead = client_for(people["lead"])
    demote = lead.patch(f"/api/projects/{project.id}/members/lea/", {"role": "annotator"}, format="json")
    assert demote.status_code == 400 and demote.json()["field"] == "role"
    assert lead.delete(f"/api/projects/{project.id}/members/lea/").status_code == 400
    readd = lead.post(f"/api/projects/{project.id}/members/", {"username": "lea", "role": "viewer"}, format="json")
    assert readd.status_code == 400
    assert Membership.objects.get(project=project, user=people["lead"]).role == Role.LEAD


def test_with_a_second_lead_the_first_may_step_down(world):
    project, people = world
    lead = client_for(people["lead"])
    assert lead.patch(f"/api/projects/{project.id}/members/ann/", {"role": "lead"}, format="json").status_code == 200
    assert lead.patch(f"/api/projects/{project.id}/members/lea/", {"role": "viewer"}, format="json").status_code == 200
    # now lea is a viewer and may no longer manage members
    assert lead.get(f"/api/projects/{project.id}/members/").status_code == 403


def test_changing_or_removing_a_non_member_is_404(world):
    project, people = world
    lead = client_for(people["lead"])
    assert (
        lead.patch(f"/api/projects/{project.id}/members/nobody/", {"role": "viewer"}, format="json").status_code == 404
    )
    assert lead.delete(f"/api/projects/{project.id}/members/oth/").status_code == 404


def test_removing_a_member_returns_their_open_sentences_to_the_pool_and_keeps_annotations(world):
    project, people = world
    add_text(project, "Putin met Kim. Seoul protested. Tokyo stayed silent.")
    first, second = list(project.sentences.order_by("index")[:2])
    ann = people["annotator"]
    Assignment.objects.create(project=project, sentence=first, annotator=ann, state=AssignmentState.DONE)
    Assignment.objects.create(project=project, sentence=second, annotator=ann)
    Annotation.objects.create(project=project, sentence=first, annotator=ann, status="submitted")
    assert client_for(people["lead"]).delete(f"/api/projects/{project.id}/members/ann/").status_code == 204
    assert not Membership.objects.filter(project=project, user=ann).exists()
    assert list(Assignment.objects.filter(annotator=ann).values_list("state", flat=True)) == ["done"]
    assert Annotation.objects.filter(annotator=ann).count() == 1


def _progress_fixture(project, annotators):  # type: ignore[no-untyped-def]
    add_text(project, "One. Two. Three. Four. Five. Six.")
    sentences = list(project.sentences.order_by("index"))
    for n, user in enumerate(annotators):
        for i, sentence in enumerate(sentences[: 3 + n % 3]):
            state = AssignmentState.OPEN if i == 0 else AssignmentState.DONE
            Assignment.objects.create(project=project, sentence=sentence, annotator=user, state=state)
            status = "draft" if i == 0 else ("skipped" if i == 1 else "submitted")
            Annotation.objects.create(
                project=project, sentence=sentence, annotator=user, status=status, seconds=10.0 * (i + 1)
            )
    return sentences


def test_members_list_reports_each_annotators_progress(world):
    project, people = world
    _progress_fixture(project, [people["annotator"]])
    rows = client_for(people["lead"]).get(f"/api/projects/{project.id}/members/").json()["results"]
    assert [(r["username"], r["role"]) for r in rows] == [("ann", "annotator"), ("lea", "lead"), ("vic", "viewer")]
    ann = rows[0]["progress"]
    assert {k: ann[k] for k in ("assigned", "open", "submitted", "skipped", "drafts")} == {
        "assigned": 3,
        "open": 1,
        "submitted": 1,
        "skipped": 1,
        "drafts": 1,
    }
    assert ann["median_seconds"] == 30.0 and ann["last_activity"] is not None
    assert rows[1]["progress"] == {
        "assigned": 0,
        "open": 0,
        "submitted": 0,
        "skipped": 0,
        "drafts": 0,
        "median_seconds": None,
        "last_activity": None,
    }


def test_median_is_the_middle_of_submitted_times(world):
    project, people = world
    add_text(project, "One. Two. Three. Four.")
    for seconds, sentence in zip([5.0, 100.0, 7.0, 9.0], project.sentences.order_by("index"), strict=True):
        Annotation.objects.create(
            project=project, sentence=sentence, annotator=people["annotator"], status="submitted", seconds=seconds
        )
    rows = client_for(people["lead"]).get(f"/api/projects/{project.id}/members/").json()["results"]
    assert rows[0]["progress"]["median_seconds"] == 8.0


def test_members_list_runs_a_fixed_number_of_queries_however_many_members(world, django_assert_max_num_queries):
    project, people = world
    extra = [MembershipFactory(project=project, role=Role.ANNOTATOR).user for _ in range(12)]
    _progress_fixture(project, extra)
    client = client_for(people["lead"])
    # role + project lookups (permission, view), pagination count, the page: one query for all figures
    with django_assert_max_num_queries(6):
        response = client.get(f"/api/projects/{project.id}/members/")
    assert response.json()["count"] == 15


def test_every_new_endpoint_is_in_the_openapi_schema(world):
    _, people = world
    schema = client_for(people["lead"]).get("/api/schema/?format=json").json()
    for path in (
        "/api/projects/{id}/members/",
        "/api/projects/{id}/members/{username}/",
        "/api/projects/{id}/schema/validate/",
        "/api/label-schema/validate/",
        "/api/markdown/preview/",
    ):
        assert path in schema["paths"], path
    member = schema["components"]["schemas"]["Member"]
    assert set(member["properties"]) == {"username", "role", "joined_at", "progress"}


def test_a_lead_cannot_take_over_an_existing_account_by_adding_it_with_a_password(world):
    project, people = world
    response = client_for(people["lead"]).post(
        f"/api/projects/{project.id}/members/",
        {"username": "oth", "role": "annotator", "password": GOOD_PASSWORD},
        format="json",
    )
    assert response.status_code == 400 and response.json()["field"] == "password"
    other = people["other_annotator"]
    other.refresh_from_db()
    assert other.check_password("pw-accord-test") and not other.check_password(GOOD_PASSWORD)
    assert not Membership.objects.filter(project=project, user=other).exists()


def test_an_existing_account_is_added_without_touching_its_password(world):
    project, people = world
    response = client_for(people["lead"]).post(
        f"/api/projects/{project.id}/members/", {"username": "pal", "role": "viewer"}, format="json"
    )
    assert response.status_code == 201 and response.json()["role"] == "viewer"
    assert response.json()["outcome"] == "added"
    assert get_user_model().objects.get(username="pal").check_password("pw-accord-test")


def test_an_account_without_a_password_never_gets_one_from_a_lead(world):
    """The takeover of issue 9: an account with no usable password (added before
    invitations existed) was "added" elsewhere with a password of the adder's choosing."""
    project, people = world
    zoe = get_user_model().objects.create_user("zoe")
    Membership.objects.create(project=project, user=zoe, role=Role.ANNOTATOR)
    again = client_for(people["lead"]).post(
        f"/api/projects/{project.id}/members/",
        {"username": "zoe", "role": "annotator", "password": GOOD_PASSWORD},
        format="json",
    )
    assert again.status_code == 400 and again.json()["field"] == "password"
    zoe.refresh_from_db()
    assert not zoe.has_usable_password()
