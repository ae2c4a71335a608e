"""Gold API: permission matrix, queue, adjudication view, save/409/reopen, aggregation job."""

from __future__ import annotations

from typing import Any

import pytest
from django.contrib.auth import get_user_model
from rest_framework.test import APIClient

from annotator.annotations.models import Annotation
from annotator.gold.models import Gold, GoldRevision
from annotator.gold.services import gold_aggregate
from annotator.jobs.models import Job
from annotator.projects.models import Membership, Role
from tests.factories import UserFactory

pytestmark = [pytest.mark.postgres, pytest.mark.django_db]
EMPTY = {"entities": [], "stance": [], "events": []}


def client_for(username: str | None) -> APIClient:
    client = APIClient()
    if username:
        client.force_authenticate(get_user_model().objects.get(username=username))
    return client


@pytest.fixture
def people(demo) -> dict[str, str | None]:  # type: ignore[no-untyped-def]
    """role → username: lead, annotator (ana, who annotated everything), viewer, non-member, anonymous."""
    viewer = UserFactory(username="vera")
    Membership.objects.create(project=demo, user=viewer, role=Role.VIEWER)
    UserFactory(username="outsider")
    return {"lead": "lead", "annotator": "ana", "viewer": "vera", "non-member": "outsider", "anonymous": None}


def _routes(demo) -> list[tuple[str, str, dict[str, Any] | None]]:  # type: ignore[no-untyped-def]
    sentence = demo.sentences.order_by("index").first()
    return [
        ("get", f"/api/projects/{demo.id}/adjudication/", None),
        ("post", f"/api/projects/{demo.id}/aggregate/", {"method": "majority", "threshold": 0.5}),
        ("get", f"/api/sentences/{sentence.id}/adjudication/", None),
        ("put", f"/api/sentences/{sentence.id}/gold/", {"labels": EMPTY, "annotation_ids": []}),
        ("post", f"/api/sentences/{sentence.id}/gold/reopen/", None),
    ]


EXPECTED = {
    # project routes answer 403 to members without the lead role; sentence routes 404 (they do not
    # confirm what a sentence holds); outsiders always 404; anonymous callers are refused
    "annotator": {"projects": 403, "sentences": 404},
    "viewer": {"projects": 403, "sentences": 404},
    "non-member": {"projects": 404, "sentences": 404},
    "anonymous": {"projects": 403, "sentences": 403},
}


@pytest.mark.parametrize("role", list(EXPECTED))
def test_only_leads_reach_gold_routes(demo, people, role, django_capture_on_commit_callbacks) -> None:
    client = client_for(people[role])
    for method, url, body in _routes(demo):
        response = getattr(client, method)(url, body, format="json")
        kind = "projects" if url.startswith("/api/projects/") else "sentences"
        assert response.status_code == EXPECTED[role][kind], (role, method, url, response.content)
        assert b"Putin" not in response.content
    assert not Gold.objects.filter(project=demo).exists()
    assert not Job.objects.exists()


def test_lead_reaches_every_gold_route(demo, people, django_capture_on_commit_callbacks, monkeypatch) -> None:
    from annotator.gold import tasks

    monkeypatch.setattr(tasks.aggregate_gold_job, "delay", lambda job_id: None)
    client = client_for("lead")
    gold_aggregate(project=demo, threshold=0.5)
    codes = []
    for method, url, body in _routes(demo):
        codes.append(getattr(client, method)(url, body, format="json").status_code)
    assert codes == [200, 202, 200, 200, 200]


def test_queue_lists_worst_first_with_pinned_queries(demo, people, django_assert_max_num_queries) -> None:
    gold_aggregate(project=demo, threshold=0.9)
    client = client_for("lead")
    with django_assert_max_num_queries(6):
        body = client.get(f"/api/projects/{demo.id}/adjudication/?page_size=5").json()
    assert body["count"] >= 5 and len(body["results"]) == 5
    scores = [(-r["disagreement"], -r["flag_count"]) for r in body["results"]]
    assert scores == sorted(scores)
    assert {"id", "text", "document_title", "gold_source", "reopened", "submitted"} <= set(body["results"][0])


def test_adjudication_view_shows_every_version_candidate_gold_and_history(demo, people, django_assert_max_num_queries) -> None:
    gold_aggregate(project=demo, threshold=0.9)
    client = client_for("lead")
    first = client.get(f"/api/projects/{demo.id}/adjudication/").json()["results"][0]
    with django_assert_max_num_queries(10):
        body = client.get(f"/api/sentences/{first['id']}/adjudication/").json()
    assert [a["annotator"] for a in body["annotations"]] == ["ana", "ben", "chloe"]
    assert body["candidate"]["needs_adjudication"] is True and body["candidate"]["flags"]
    assert body["sentence"]["text"] and body["sentence"]["tokens"]
    assert body["queue"]["position"] == 1 and body["queue"]["next"] is not None


def test_save_gold_then_stale_version_is_409_with_current_and_history(demo, people) -> None:
    client = client_for("lead")
    sentence = demo.sentences.order_by("index").first()
    ann = Annotation.objects.filter(sentence=sentence).order_by("id").first()
    url = f"/api/sentences/{sentence.id}/gold/"
    saved = client.put(url, {"labels": ann.labels, "annotation_ids": [ann.id], "version": 0}, format="json")
    assert saved.status_code == 200, saved.content
    assert saved.json()["source"] == "accepted" and saved.json()["decided_by"] == "lead"
    stale = client.put(url, {"labels": EMPTY, "annotation_ids": [], "version": 0}, format="json")
    assert stale.status_code == 409 and stale.json()["field"] == "version"
    assert stale.json()["current"]["version"] == 1
    again = client.put(url, {"labels": EMPTY, "annotation_ids": [ann.id], "version": 1}, format="json")
    assert again.json()["version"] == 2 and again.json()["source"] == "adjudicated"
    history = client.get(f"/api/sentences/{sentence.id}/adjudication/").json()["history"]
    assert [h["source"] for h in history] == ["accepted", "adjudicated"]


def test_bad_gold_labels_are_400_naming_the_field(demo, people) -> None:
    client = client_for("lead")
    sentence = demo.sentences.order_by("index").first()
    bad = {**EMPTY, "entities": [{"start": 0, "end": 99999, "label": "PER"}]}
    response = client.put(f"/api/sentences/{sentence.id}/gold/", {"labels": bad, "annotation_ids": []}, format="json")
    assert response.status_code == 400 and response.json()["field"] == "labels.entities[0].end"
    assert not Gold.objects.filter(sentence=sentence).exists()


def test_reopen_marks_gold_reopened_and_appends_a_revision(demo, people) -> None:
    client = client_for("lead")
    sentence = demo.sentences.order_by("index").first()
    assert client.post(f"/api/sentences/{sentence.id}/gold/reopen/").status_code == 404  # no gold yet
    client.put(f"/api/sentences/{sentence.id}/gold/", {"labels": EMPTY, "annotation_ids": []}, format="json")
    body = client.post(f"/api/sentences/{sentence.id}/gold/reopen/").json()
    assert body["reopened"] is True and body["version"] == 2
    assert GoldRevision.objects.filter(gold__sentence=sentence).count() == 2
    queue = client.get(f"/api/projects/{demo.id}/adjudication/?page_size=100").json()["results"]
    assert sentence.id in [r["id"] for r in queue]


def test_aggregate_rejects_an_unknown_method(demo, people) -> None:
    response = client_for("lead").post(f"/api/projects/{demo.id}/aggregate/", {"method": "vote"}, format="json")
    assert response.status_code == 400 and response.json()["field"] == "method"
