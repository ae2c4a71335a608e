import pytest
from django.db import connection
from rest_framework.test import APIClient

from annotator.annotations.models import Annotation, AnnotationRevision, Assignment
from annotator.jobs.models import Job
from annotator.projects.models import Role
from tests.factories import ARTICLE, MembershipFactory, ProjectFactory, UserFactory, add_text

pytestmark = pytest.mark.django_db


@pytest.fixture
def project():
    project = ProjectFactory(overlap=2)
    add_text(project, ARTICLE)
    return project


def member(project, role="annotator", **kwargs):
    user = UserFactory(**kwargs)
    MembershipFactory(project=project, user=user, role=role)
    client = APIClient()
    client.force_authenticate(user)
    return user, client


def payload(sentence_text: str, version: int = 0, status: str = "submitted") -> dict:
    start = sentence_text.index("Putin")
    return {
        "entities": [{"start": start, "end": start + 5, "label": "PER"}],
        "stance": [{"target": "the pact", "label": "neutral"}],
        "events": [{"type": "Contact:Meet", "trigger": {"start": start + 6, "end": start + 9}, "arguments": [{"role": "Entity", "start": start, "end": start + 5}]}],
        "status": status,
        "version": version,
        "seconds": 12.5,
    }


def test_next_serves_sentences_in_document_order_with_context(project):
    _, client = member(project)
    body = client.get(f"/api/projects/{project.id}/next/").json()
    sentence = body["sentence"]
    assert sentence["index"] == 0 and sentence["text"] == "Putin met Kim in Pyongyang."
    assert sentence["tokens"][0] == [0, 5]
    assert sentence["document"]["title"] == "An article"
    assert [c["index"] for c in sentence["context"]["after"]] == [1, 2]
    assert body["annotation"] is None
    assert body["progress"] == {"done": 0, "assigned": 1, "remaining": 5}
    # Asking again returns the same open sentence (a reload resumes work).
    assert client.get(f"/api/projects/{project.id}/next/").json()["sentence"]["id"] == sentence["id"]


def test_save_submit_then_next_moves_on_and_history_is_kept(project):
    user, client = member(project)
    first = client.get(f"/api/projects/{project.id}/next/").json()["sentence"]
    url = f"/api/sentences/{first['id']}/annotation/"
    saved = client.put(url, payload(first["text"], status="draft"), format="json")
    assert saved.status_code == 200 and saved.json()["version"] == 1
    submitted = client.put(url, payload(first["text"], version=1), format="json").json()
    assert submitted["version"] == 2 and submitted["status"] == "submitted"
    assert client.get(url).json()["entities"] == [{"start": 0, "end": 5, "label": "PER"}]
    assert list(AnnotationRevision.objects.values_list("version", flat=True)) == [1, 2]
    assert Assignment.objects.get(annotator=user, sentence_id=first["id"]).state == "done"
    following = client.get(f"/api/projects/{project.id}/next/").json()["sentence"]
    assert following["index"] == 1


def test_a_stale_version_gets_409_and_changes_nothing(project):
    _, client = member(project)
    first = client.get(f"/api/projects/{project.id}/next/").json()["sentence"]
    url = f"/api/sentences/{first['id']}/annotation/"
    client.put(url, payload(first["text"], status="draft"), format="json")
    client.put(url, payload(first["text"], version=1, status="draft"), format="json")
    stale = client.put(url, {**payload(first["text"], version=1), "entities": []}, format="json")
    assert stale.status_code == 409
    assert stale.json()["field"] == "version" and stale.json()["current"]["version"] == 2
    assert Annotation.objects.get().labels["entities"] != []


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"entities": [{"start": -1, "end": 5, "label": "PER"}]}, "entities[0].start"),
        ({"entities": [{"start": 0, "end": 500, "label": "PER"}]}, "entities[0].end"),
        ({"entities": [{"start": 0, "end": 5, "label": "NOPE"}]}, "entities[0].label"),
        ({"stance": [{"target": "other", "label": "favor"}]}, "stance[0].target"),
        ({"events": [{"type": "Life:Die", "trigger": {"start": 0, "end": 5}, "arguments": []}]}, "events[0].type"),
        ({"status": "done"}, "status"),
        ({"version": "one"}, "version"),
        ({"seconds": -3}, "seconds"),
    ],
)
def test_bad_annotations_get_400_naming_the_field_and_save_nothing(project, change, field):
    _, client = member(project)
    first = client.get(f"/api/projects/{project.id}/next/").json()["sentence"]
    response = client.put(f"/api/sentences/{first['id']}/annotation/", {**payload(first["text"]), **change}, format="json")
    assert response.status_code == 400
    assert field in [e["field"] for e in response.json()["errors"]]
    assert not Annotation.objects.exists()


def test_skip_needs_a_reason(project):
    _, client = member(project)
    first = client.get(f"/api/projects/{project.id}/next/").json()["sentence"]
    url = f"/api/sentences/{first['id']}/annotation/"
    empty = {"entities": [], "stance": [], "events": [], "status": "skipped", "version": 0}
    assert client.put(url, empty, format="json").json()["field"] == "skip_reason"
    assert client.put(url, {**empty, "skip_reason": "not English"}, format="json").status_code == 200


def test_no_sentence_goes_to_more_than_k_annotators(project):
    seen = []
    for _ in range(3):
        _, client = member(project)
        seen.append(client.get(f"/api/projects/{project.id}/next/").json()["sentence"]["index"])
    assert seen == [0, 0, 1]


def test_blind_another_annotator_never_sees_my_labels(project):
    _, ana = member(project)
    _, ben = member(project)
    first = ana.get(f"/api/projects/{project.id}/next/").json()["sentence"]
    ana.put(f"/api/sentences/{first['id']}/annotation/", payload(first["text"]), format="json")
    # ben is served the same sentence, and sees no annotation in any endpoint
    served = ben.get(f"/api/projects/{project.id}/next/").json()
    assert served["sentence"]["id"] == first["id"] and served["annotation"] is None
    assert ben.get(f"/api/sentences/{first['id']}/annotation/").status_code == 404
    assert ben.get(f"/api/sentences/{first['id']}/").json()["annotation"] is None
    assert all(item["status"] is None for item in ben.get(f"/api/projects/{project.id}/queue/").json()["results"])
    # a third annotator without the sentence cannot read or write it at all
    _, chloe = member(project)
    assert chloe.get(f"/api/sentences/{first['id']}/").status_code == 404
    assert chloe.put(f"/api/sentences/{first['id']}/annotation/", payload(first["text"]), format="json").status_code == 404


@pytest.mark.parametrize("role", ["viewer", "lead", None])
def test_only_annotators_get_work(project, role):
    user = UserFactory()
    if role:
        MembershipFactory(project=project, user=user, role=role)
    client = APIClient()
    client.force_authenticate(user)
    assert client.get(f"/api/projects/{project.id}/next/").status_code == (403 if role else 404)


def test_next_and_put_run_a_fixed_number_of_queries(project, django_assert_max_num_queries):
    for i in range(30):  # a bigger project must not mean more queries
        add_text(project, f"Extra article {i}. It has two sentences.", title=f"x{i}")
    _, client = member(project)
    with django_assert_max_num_queries(18):
        first = client.get(f"/api/projects/{project.id}/next/").json()["sentence"]
    url = f"/api/sentences/{first['id']}/annotation/"
    # A new draft: read, annotation, history, assignment (+ the savepoint pair that the
    # test's own transaction turns the save's transaction into).
    with django_assert_max_num_queries(6):
        assert client.put(url, payload(first["text"], status="draft"), format="json").status_code == 200
    # Autosave, the most frequent request there is: the read (permission test included)
    # and one write statement on PostgreSQL; elsewhere three (+ a savepoint pair in tests).
    with django_assert_max_num_queries(2 if connection.vendor == "postgresql" else 6) as autosave:
        assert client.put(url, payload(first["text"], status="draft", version=1), format="json").status_code == 200
    writes = [q["sql"].split()[0] for q in autosave.captured_queries if "SAVEPOINT" not in q["sql"]]
    assert writes == (["SELECT", "WITH"] if connection.vendor == "postgresql" else ["SELECT", "UPDATE", "INSERT", "UPDATE"])
    # A submission also schedules agreement, and settles its place on the sentence first
    # (one conditional UPDATE of a live assignment; a late one locks and counts instead).
    with django_assert_max_num_queries(12 if connection.vendor == "postgresql" else 16):
        assert client.put(url, payload(first["text"], version=2), format="json").status_code == 200


def test_an_expired_assignment_goes_back_to_the_pool(project):
    from datetime import timedelta

    from django.utils import timezone

    project.overlap = 1
    project.assignment_timeout_minutes = 5
    project.save()
    _, ana = member(project)
    _, ben = member(project)
    first = ana.get(f"/api/projects/{project.id}/next/").json()["sentence"]
    assert ben.get(f"/api/projects/{project.id}/next/").json()["sentence"]["index"] == 1
    Assignment.objects.filter(sentence_id=first["id"]).update(assigned_at=timezone.now() - timedelta(minutes=6))
    _, chloe = member(project)
    assert chloe.get(f"/api/projects/{project.id}/next/").json()["sentence"]["id"] == first["id"]


def test_a_lead_sees_and_changes_who_has_what(project):
    ana, ana_client = member(project, username="ana")
    _, lead = member(project, role=Role.LEAD)
    first = ana_client.get(f"/api/projects/{project.id}/next/").json()["sentence"]
    listing = lead.get(f"/api/projects/{project.id}/assignments/?annotator=ana").json()
    assert listing["count"] == 1 and listing["results"][0]["sentence"] == first["id"]
    assert ana_client.get(f"/api/projects/{project.id}/assignments/").status_code == 403
    assert lead.delete(f"/api/assignments/{listing['results'][0]['id']}/").status_code == 204
    created = lead.post(f"/api/projects/{project.id}/assignments/", {"sentence": first["id"], "annotator": "ana"}, format="json")
    assert created.status_code == 201 and created.json()["annotator"] == "ana"
    again = lead.post(f"/api/projects/{project.id}/assignments/", {"sentence": first["id"], "annotator": "ana"}, format="json")
    assert again.status_code == 400 and again.json()["field"] == "sentence"


def test_the_work_item_names_my_previous_and_next_sentence_and_nobody_elses(project):
    from annotator.documents.models import Sentence

    ana, client = member(project)
    ben, _ = member(project)
    last = Sentence.objects.filter(project=project).order_by("index").last()
    Assignment.objects.create(project=project, sentence=last, annotator=ben)  # ahead of ana, not hers
    first = client.get(f"/api/projects/{project.id}/next/").json()
    assert first["queue"] == {"previous": None, "next": None}
    url = f"/api/sentences/{first['sentence']['id']}/annotation/"
    assert client.put(url, payload(first["sentence"]["text"]), format="json").status_code == 200
    second = client.get(f"/api/projects/{project.id}/next/").json()
    assert second["queue"] == {"previous": first["sentence"]["id"], "next": None}
    back = client.get(f"/api/sentences/{first['sentence']['id']}/").json()
    assert back["queue"] == {"previous": None, "next": second["sentence"]["id"]}
    assert back["annotation"]["status"] == "submitted"
    assert Assignment.objects.filter(annotator=ana).count() == 2


def test_progress_gives_current_counts_and_hides_other_projects(project):
    """What "All done" shows once next/ answers 204 (issue 13, bug 1)."""
    _, client = member(project)
    assert client.get(f"/api/projects/{project.id}/progress/").json() == {"done": 0, "assigned": 0, "remaining": 6}
    first = client.get(f"/api/projects/{project.id}/next/").json()["sentence"]
    client.put(f"/api/sentences/{first['id']}/annotation/", payload(first["text"]), format="json")
    assert client.get(f"/api/projects/{project.id}/progress/").json() == {"done": 1, "assigned": 0, "remaining": 5}
    other = ProjectFactory()
    assert client.get(f"/api/projects/{other.id}/progress/").status_code == 404


def test_a_submission_while_agreement_waits_does_not_query_to_schedule_it(
    project, django_assert_max_num_queries, django_capture_on_commit_callbacks
):
    """Issue 12: the 2 scheduling queries (project, waiting job) are skipped when one waits."""
    _, client = member(project)
    first = client.get(f"/api/projects/{project.id}/next/").json()["sentence"]
    with django_capture_on_commit_callbacks(execute=True):  # the scheduled job is committed
        assert client.put(f"/api/sentences/{first['id']}/annotation/", payload(first["text"]), format="json").status_code == 200
    assert Job.objects.filter(project=project, kind="agreement").count() == 1
    second = client.get(f"/api/projects/{project.id}/next/").json()["sentence"]
    empty = {"entities": [], "stance": [], "events": [], "status": "submitted", "version": 0, "seconds": 3.0}
    with django_assert_max_num_queries(12) as submit:
        saved = client.put(f"/api/sentences/{second['id']}/annotation/", empty, format="json")
        assert saved.status_code == 200, saved.content
    assert not [q["sql"] for q in submit.captured_queries if "jobs_job" in q["sql"] or 'FROM "projects_project"' in q["sql"]]
    assert Job.objects.filter(project=project, kind="agreement").count() == 1


def test_a_required_stance_target_missing_on_submit_gets_400_naming_stance(project):
    """Issue 13, bug 8: ``"stance": {"required": true}`` makes the API refuse a submission
    (not a draft) without a label for every target, with the field and the target named."""
    project.label_schema = {**project.label_schema, "stance": {**project.label_schema["stance"], "required": True}}
    project.save(update_fields=["label_schema"])
    _, client = member(project)
    first = client.get(f"/api/projects/{project.id}/next/").json()["sentence"]
    url = f"/api/sentences/{first['id']}/annotation/"
    draft = client.put(url, {**payload(first["text"], status="draft"), "stance": []}, format="json")
    assert draft.status_code == 200
    refused = client.put(url, {**payload(first["text"], version=1), "stance": []}, format="json")
    assert refused.status_code == 400
    assert refused.json()["field"] == "stance" and "the pact" in refused.json()["detail"]
    assert Annotation.objects.get().status == "draft"
