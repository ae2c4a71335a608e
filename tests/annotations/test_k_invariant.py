"""No sentence ever holds more than k submitted annotations (issue 9, item 7).

A submission needs a live assignment; on an expired one it is accepted only while the
sentence still has room, else 409 with a clear message and the draft kept. The invariant
holds when many annotators race (real PostgreSQL, threads)."""

from __future__ import annotations

import threading
from datetime import timedelta

import pytest
from django.db import connection
from django.utils import timezone
from rest_framework.test import APIClient

from annotator.annotations.models import Annotation, AnnotationStatus, Assignment, AssignmentState
from annotator.annotations.services import annotation_put
from annotator.core.errors import Conflict
from annotator.documents.models import Sentence
from annotator.projects.models import Role
from tests.factories import ARTICLE, MembershipFactory, ProjectFactory, UserFactory, add_text


def _client(project, username):  # type: ignore[no-untyped-def]
    user = UserFactory(username=username)
    MembershipFactory(project=project, user=user, role=Role.ANNOTATOR)
    client = APIClient()
    client.force_authenticate(user)
    return user, client


def body(text: str, version: int, status: str = "draft") -> dict:
    start = text.index("Putin")
    return {"entities": [{"start": start, "end": start + 5, "label": "PER"}], "stance": [], "events": [],
            "status": status, "version": version}


def _age(user, seconds: int) -> None:  # type: ignore[no-untyped-def]
    Assignment.objects.filter(annotator=user).update(assigned_at=timezone.now() - timedelta(seconds=seconds))


@pytest.fixture
def k1(db):  # type: ignore[no-untyped-def]
    project = ProjectFactory(overlap=1, assignment_timeout_minutes=1)
    add_text(project, ARTICLE)
    return project


def test_a_late_submission_on_a_sentence_that_filled_up_is_a_409_and_the_draft_is_kept(k1):
    """The issue's story: ana drafts, goes quiet for 70 s, ben takes and submits, ana submits."""
    ana, ana_client = _client(k1, "ana")
    _, ben_client = _client(k1, "ben")
    sentence = ana_client.get(f"/api/projects/{k1.id}/next/").json()["sentence"]
    url = f"/api/sentences/{sentence['id']}/annotation/"
    assert ana_client.put(url, body(sentence["text"], 0), format="json").status_code == 200
    _age(ana, 70)
    assert ben_client.get(f"/api/projects/{k1.id}/next/").json()["sentence"]["id"] == sentence["id"]
    assert ben_client.put(url, body(sentence["text"], 0, "submitted"), format="json").status_code == 200

    late = ana_client.put(url, body(sentence["text"], 1, "submitted"), format="json")

    assert late.status_code == 409
    answer = late.json()
    assert answer["field"] == "status"
    assert "already has its 1 annotator" in answer["detail"] and "draft is kept" in answer["detail"]
    assert answer["current"]["status"] == "draft" and answer["current"]["version"] == 1
    assert Annotation.objects.filter(sentence_id=sentence["id"], status=AnnotationStatus.SUBMITTED).count() == 1
    kept = Annotation.objects.get(annotator=ana)
    assert (kept.status, kept.version) == (AnnotationStatus.DRAFT, 1)
    assert ana_client.get(url).json()["status"] == "draft"  # she can still see it


def test_a_late_submission_is_accepted_while_the_sentence_has_room_and_takes_its_place(k1):
    ana, ana_client = _client(k1, "ana")
    _, ben_client = _client(k1, "ben")
    sentence = ana_client.get(f"/api/projects/{k1.id}/next/").json()["sentence"]
    url = f"/api/sentences/{sentence['id']}/annotation/"
    ana_client.put(url, body(sentence["text"], 0), format="json")
    _age(ana, 70)

    assert ana_client.put(url, body(sentence["text"], 1, "submitted"), format="json").status_code == 200

    assignment = Assignment.objects.get(annotator=ana)
    assert assignment.state == AssignmentState.DONE
    # her submission holds the sentence's one place: ben is given the next sentence
    assert ben_client.get(f"/api/projects/{k1.id}/next/").json()["sentence"]["id"] != sentence["id"]


def test_a_submission_whose_assignment_was_released_takes_a_free_place_again(k1):
    ana, ana_client = _client(k1, "ana")
    _, ben_client = _client(k1, "ben")
    sentence = ana_client.get(f"/api/projects/{k1.id}/next/").json()["sentence"]
    url = f"/api/sentences/{sentence['id']}/annotation/"
    ana_client.put(url, body(sentence["text"], 0), format="json")
    Assignment.objects.filter(annotator=ana).delete()  # released (timeout sweep, or a lead)

    assert ana_client.put(url, body(sentence["text"], 1, "submitted"), format="json").status_code == 200
    assert Assignment.objects.get(annotator=ana).state == AssignmentState.DONE
    assert ben_client.get(f"/api/projects/{k1.id}/next/").json()["sentence"]["id"] != sentence["id"]


def test_an_autosave_does_not_revive_an_expired_assignment(k1):
    """A draft keeps a *live* assignment alive; an expired one is not brought back, or a
    sentence could hold k+1 live assignments (a lead gave it to ben meanwhile)."""
    from annotator.annotations.assignment import assignment_create

    ana, ana_client = _client(k1, "ana")
    ben, _ = _client(k1, "ben")
    sentence = ana_client.get(f"/api/projects/{k1.id}/next/").json()["sentence"]
    url = f"/api/sentences/{sentence['id']}/annotation/"
    ana_client.put(url, body(sentence["text"], 0), format="json")
    _age(ana, 70)
    assignment_create(project=k1, sentence=Sentence.objects.get(pk=sentence["id"]), annotator=ben)

    assert ana_client.put(url, body(sentence["text"], 1), format="json").status_code == 200  # the draft is saved

    old = timezone.now() - timedelta(seconds=60)
    assert Assignment.objects.get(annotator=ana).assigned_at < old  # still expired
    assert ana_client.put(url, body(sentence["text"], 2, "submitted"), format="json").status_code == 409


def test_resubmitting_own_submitted_work_needs_no_room(k1):
    ana, ana_client = _client(k1, "ana")
    sentence = ana_client.get(f"/api/projects/{k1.id}/next/").json()["sentence"]
    url = f"/api/sentences/{sentence['id']}/annotation/"
    ana_client.put(url, body(sentence["text"], 0, "submitted"), format="json")
    _age(ana, 3600)  # a done assignment never expires
    assert ana_client.put(url, body(sentence["text"], 1, "submitted"), format="json").status_code == 200


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_racing_submissions_never_exceed_k_submitted_annotations():
    """Eight annotators with drafts on expired assignments and four newcomers asking for
    work submit at the same moment on a k=2 sentence: at most two submissions win."""
    project = ProjectFactory(overlap=2, assignment_timeout_minutes=1)
    add_text(project, "Putin met Kim in Pyongyang.")
    sentence = Sentence.objects.get(project=project)
    late = [UserFactory() for _ in range(8)]
    fresh = [UserFactory() for _ in range(4)]
    long_ago = timezone.now() - timedelta(minutes=5)
    for user in late + fresh:
        MembershipFactory(project=project, user=user, role=Role.ANNOTATOR)
    for user in late:
        Assignment.objects.create(project=project, sentence=sentence, annotator=user)
        annotation_put(sentence_id=sentence.pk, annotator=user, payload=body(sentence.text, 0))
    Assignment.objects.filter(annotator__in=late).update(assigned_at=long_ago)
    barrier = threading.Barrier(len(late) + len(fresh))
    outcomes: list[str] = []
    errors: list[BaseException] = []

    def submit(user, version: int, ask_first: bool) -> None:  # type: ignore[no-untyped-def]
        from annotator.annotations.assignment import assignment_next
        from annotator.core.errors import NotFound

        try:
            barrier.wait(timeout=30)
            if ask_first and assignment_next(project=project, annotator=user) is None:
                outcomes.append("none left")
                return
            annotation_put(sentence_id=sentence.pk, annotator=user, payload=body(sentence.text, version, "submitted"))
            outcomes.append("submitted")
        except Conflict:
            outcomes.append("full")
        except NotFound:
            outcomes.append("not assigned")
        except BaseException as exc:  # reported below
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=submit, args=(u, 1, False)) for u in late]
    threads += [threading.Thread(target=submit, args=(u, 0, True)) for u in fresh]
    for t in threads:
        t.start()
    for t in threads:
        t.join(60)
    assert not errors, errors
    submitted = Annotation.objects.filter(sentence=sentence, status=AnnotationStatus.SUBMITTED).count()
    assert submitted == outcomes.count("submitted")
    assert 1 <= submitted <= 2, outcomes
    live = Assignment.objects.filter(sentence=sentence).exclude(state=AssignmentState.OPEN, assigned_at__lt=long_ago
                                                                + timedelta(minutes=1)).count()
    assert live <= 2
