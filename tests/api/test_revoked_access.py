"""Removing or demoting a member revokes their access at once (issue 9, item 6).

Every read and write of a sentence checks the caller's *current* role: a removed member,
or one demoted from annotator, reads nothing and saves nothing, and no late submission
of theirs enters adjudication or agreement. What they submitted while they were an
annotator stays in the data (it was done legitimately). A lead demoted to annotator
loses adjudication.
"""

from __future__ import annotations

import pytest
from django.db import connection
from rest_framework.test import APIClient

from annotator.annotations.models import Annotation, AnnotationRevision, AnnotationStatus, Assignment
from annotator.projects.models import Role
from tests.factories import ARTICLE, MembershipFactory, ProjectFactory, UserFactory, add_text

pytestmark = pytest.mark.django_db


def _client(user) -> APIClient:  # type: ignore[no-untyped-def]
    client = APIClient()
    client.force_authenticate(user)
    return client


def body(text: str, version: int, status: str = "draft") -> dict:
    start = text.index("Putin")
    return {"entities": [{"start": start, "end": start + 5, "label": "PER"}], "stance": [], "events": [],
            "status": status, "version": version}


@pytest.fixture
def team():
    project = ProjectFactory(overlap=2)
    add_text(project, ARTICLE)
    lead, ana, chloe = UserFactory(username="lead"), UserFactory(username="ana"), UserFactory(username="chloe")
    MembershipFactory(project=project, user=lead, role=Role.LEAD)
    MembershipFactory(project=project, user=ana, role=Role.ANNOTATOR)
    MembershipFactory(project=project, user=chloe, role=Role.ANNOTATOR)
    return project, _client(lead), _client(ana), _client(chloe)


def _chloe_has_a_draft(project, chloe) -> dict:  # type: ignore[no-untyped-def]
    sentence = chloe.get(f"/api/projects/{project.id}/next/").json()["sentence"]
    assert chloe.put(f"/api/sentences/{sentence['id']}/annotation/", body(sentence["text"], 0),
                     format="json").status_code == 200
    return sentence


def _refused_everywhere(client: APIClient, sentence: dict, version: int) -> None:
    url = f"/api/sentences/{sentence['id']}/"
    assert client.get(url).status_code == 404
    assert client.get(url + "annotation/").status_code == 404
    for status in ("draft", "submitted", "skipped"):
        extra = {"skip_reason": "gone"} if status == "skipped" else {}
        response = client.put(url + "annotation/", {**body(sentence["text"], version, status), **extra}, format="json")
        assert response.status_code == 404, (status, response.status_code)


def test_a_removed_member_can_no_longer_read_or_save_and_nothing_enters_agreement(team):
    project, lead, _, chloe = team
    sentence = _chloe_has_a_draft(project, chloe)
    assert lead.delete(f"/api/projects/{project.id}/members/chloe/").status_code == 204

    _refused_everywhere(chloe, sentence, version=1)
    stored = Annotation.objects.get(annotator__username="chloe")
    assert (stored.version, stored.status) == (1, AnnotationStatus.DRAFT)
    assert AnnotationRevision.objects.filter(annotation=stored).count() == 1
    assert not Annotation.objects.filter(status=AnnotationStatus.SUBMITTED).exists()
    # nothing of chloe's reaches the lead's adjudication queue
    assert lead.get(f"/api/projects/{project.id}/adjudication/").json()["count"] == 0


def test_a_removed_member_cannot_resubmit_work_they_had_submitted(team):
    project, lead, _, chloe = team
    sentence = _chloe_has_a_draft(project, chloe)
    url = f"/api/sentences/{sentence['id']}/annotation/"
    assert chloe.put(url, body(sentence["text"], 1, "submitted"), format="json").status_code == 200
    assert lead.delete(f"/api/projects/{project.id}/members/chloe/").status_code == 204
    _refused_everywhere(chloe, sentence, version=2)
    assert Annotation.objects.get(annotator__username="chloe").version == 2


@pytest.mark.parametrize("role", [Role.VIEWER, Role.LEAD])
def test_an_annotator_demoted_can_no_longer_read_or_save(team, role):
    project, lead, _, chloe = team
    sentence = _chloe_has_a_draft(project, chloe)
    changed = lead.patch(f"/api/projects/{project.id}/members/chloe/", {"role": role}, format="json")
    assert changed.status_code == 200, changed.content
    _refused_everywhere(chloe, sentence, version=1)
    assert Annotation.objects.get(annotator__username="chloe").version == 1


def test_demoting_an_annotator_returns_their_open_sentences_to_the_pool(team):
    project, lead, _, chloe = team
    _chloe_has_a_draft(project, chloe)
    assert Assignment.objects.filter(annotator__username="chloe", state="open").count() == 1
    lead.patch(f"/api/projects/{project.id}/members/chloe/", {"role": Role.VIEWER}, format="json")
    assert not Assignment.objects.filter(annotator__username="chloe", state="open").exists()


def test_access_comes_back_with_the_annotator_role(team):
    """The check is the current role, nothing cached: made annotator again, chloe
    finds her draft and can save it."""
    project, lead, _, chloe = team
    sentence = _chloe_has_a_draft(project, chloe)
    lead.patch(f"/api/projects/{project.id}/members/chloe/", {"role": Role.VIEWER}, format="json")
    lead.patch(f"/api/projects/{project.id}/members/chloe/", {"role": Role.ANNOTATOR}, format="json")
    assert chloe.get(f"/api/sentences/{sentence['id']}/annotation/").json()["version"] == 1
    saved = chloe.put(f"/api/sentences/{sentence['id']}/annotation/", body(sentence["text"], 1), format="json")
    assert saved.status_code == 200


def test_work_submitted_before_removal_stays_in_the_data(team):
    """Decision: a removed member's submitted annotations were done legitimately; they stay
    in adjudication, agreement and exports. Only their access goes."""
    from annotator.agreement.services import agreement_compute

    project, lead, ana, chloe = team
    sentence = _chloe_has_a_draft(project, chloe)
    url = f"/api/sentences/{sentence['id']}/annotation/"
    chloe.put(url, body(sentence["text"], 1, "submitted"), format="json")
    ana_sentence = ana.get(f"/api/projects/{project.id}/next/").json()["sentence"]
    assert ana_sentence["id"] == sentence["id"]
    ana.put(url, body(sentence["text"], 0, "submitted"), format="json")
    lead.delete(f"/api/projects/{project.id}/members/chloe/")

    detail = lead.get(f"/api/sentences/{sentence['id']}/adjudication/").json()
    assert sorted(a["annotator"] for a in detail["annotations"]) == ["ana", "chloe"]
    report = agreement_compute(project=project)
    assert "chloe" in report.report["annotators"]


def test_a_lead_demoted_to_annotator_loses_adjudication(team):
    project, lead, ana, chloe = team
    other_lead = UserFactory(username="lead2")
    MembershipFactory(project=project, user=other_lead, role=Role.LEAD)
    sentence = _chloe_has_a_draft(project, chloe)
    chloe.put(f"/api/sentences/{sentence['id']}/annotation/", body(sentence["text"], 1, "submitted"), format="json")
    adjudication = f"/api/sentences/{sentence['id']}/adjudication/"
    assert lead.get(adjudication).status_code == 200
    _client(other_lead).patch(f"/api/projects/{project.id}/members/lead/", {"role": Role.ANNOTATOR}, format="json")
    assert lead.get(adjudication).status_code == 404
    gold = {"labels": {"entities": [], "stance": [], "events": []}, "annotation_ids": [], "version": 0}
    assert lead.put(f"/api/sentences/{sentence['id']}/gold/", gold, format="json").status_code == 404
    assert lead.get(f"/api/projects/{project.id}/adjudication/").status_code == 403


def test_the_role_check_rides_in_the_autosave_read(team, django_assert_max_num_queries):
    """The autosave stays two statements on PostgreSQL: the role is tested inside the read."""
    project, _, _, chloe = team
    sentence = _chloe_has_a_draft(project, chloe)
    url = f"/api/sentences/{sentence['id']}/annotation/"
    with django_assert_max_num_queries(2 if connection.vendor == "postgresql" else 6) as autosave:
        assert chloe.put(url, {**body(sentence["text"], 1), "note": "x"}, format="json").status_code == 200
    reads = [q["sql"] for q in autosave.captured_queries if q["sql"].startswith("SELECT")]
    assert len(reads) == 1 and "projects_membership" in reads[0]
