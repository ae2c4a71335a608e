"""The save's own SQL (annotator/annotations/sql.py): what each save writes, all or nothing.

On PostgreSQL an autosave of an existing draft is one statement (update, history row,
assignment); elsewhere three statements in a transaction. Both must leave the same rows.
"""

from datetime import timedelta

import pytest
from django.utils import timezone

from annotator.annotations import sql
from annotator.annotations.models import Annotation, AnnotationRevision, Assignment
from annotator.annotations.services import annotation_put
from annotator.core.errors import Conflict, NotFound
from annotator.documents.models import Sentence
from annotator.jobs.models import Job
from tests.factories import ARTICLE, MembershipFactory, ProjectFactory, UserFactory, add_text

pytestmark = pytest.mark.django_db


@pytest.fixture
def setting():
    project = ProjectFactory(overlap=2)
    add_text(project, ARTICLE)
    sentence = Sentence.objects.filter(project=project).order_by("index").first()
    user = UserFactory()
    MembershipFactory(project=project, user=user)
    Assignment.objects.create(project=project, sentence=sentence, annotator=user)
    return project, sentence, user


def body(sentence, version, status="draft", label="PER", **extra):
    start = sentence.text.index("Putin")
    return {"entities": [{"start": start, "end": start + 5, "label": label}], "stance": [], "events": [],
            "status": status, "version": version, "seconds": 2.5, **extra}


def test_each_autosave_writes_the_annotation_its_history_and_keeps_the_assignment_alive(setting):
    _, sentence, user = setting
    annotation_put(sentence_id=sentence.pk, annotator=user, payload=body(sentence, 0))
    # 90 minutes: older than the last save, still within the project's 120-minute timeout
    # (an expired assignment is not revived by an autosave: tests/annotations/test_k_invariant.py).
    long_ago = timezone.now() - timedelta(minutes=90)
    Assignment.objects.filter(annotator=user).update(assigned_at=long_ago)

    saved = annotation_put(sentence_id=sentence.pk, annotator=user, payload=body(sentence, 1, label="GPE", unsure=True, note="n"))

    stored = Annotation.objects.get()
    assert (saved.version, stored.version) == (2, 2)
    assert stored.labels["entities"][0]["label"] == "GPE" and stored.unsure and stored.note == "n"
    assert stored.created_at == saved.created_at and stored.updated_at == saved.updated_at
    history = list(AnnotationRevision.objects.order_by("version").values("version", "labels", "unsure", "seconds", "status"))
    assert [h["version"] for h in history] == [1, 2]
    assert history[1]["labels"] == stored.labels and history[1]["unsure"] and history[1]["seconds"] == 2.5
    assignment = Assignment.objects.get(annotator=user)
    assert assignment.state == "open" and assignment.assigned_at > long_ago and assignment.completed_at is None


def test_a_stale_autosave_writes_nothing_at_all(setting):
    _, sentence, user = setting
    annotation_put(sentence_id=sentence.pk, annotator=user, payload=body(sentence, 0))
    annotation_put(sentence_id=sentence.pk, annotator=user, payload=body(sentence, 1))
    before = Assignment.objects.get(annotator=user).assigned_at
    with pytest.raises(Conflict) as info:
        annotation_put(sentence_id=sentence.pk, annotator=user, payload=body(sentence, 1, label="ORG"))
    assert info.value.current.version == 2
    assert AnnotationRevision.objects.count() == 2
    assert Annotation.objects.get().labels["entities"][0]["label"] == "PER"
    assert Assignment.objects.get(annotator=user).assigned_at == before


def test_the_compare_and_set_refuses_a_version_that_moved_on_between_read_and_write(setting):
    """Two tabs read version 1; the first write wins, the second changes nothing."""
    _, sentence, user = setting
    annotation_put(sentence_id=sentence.pk, annotator=user, payload=body(sentence, 0))
    annotation_id = Annotation.objects.get().pk
    now = timezone.now()
    fields = {"labels": {"entities": [], "stance": [], "events": []}, "status": "draft", "unsure": False, "seconds": 1.0,
              "skip_reason": "", "note": "", "submitted_at": None, "updated_at": now}
    assignment = (sentence.pk, user.pk, {"state": "open", "completed_at": None, "assigned_at": now})
    first = sql.annotation_update(annotation_id=annotation_id, version=1, fields=fields, saved_at=now, assignment=assignment)
    second = sql.annotation_update(annotation_id=annotation_id, version=1, fields=fields, saved_at=now, assignment=assignment)
    assert (first, second) == (True, False)
    assert Annotation.objects.get().version == 2 and AnnotationRevision.objects.count() == 2


def test_submitting_an_existing_draft_closes_the_assignment_and_schedules_agreement(setting, settings):
    project, sentence, user = setting
    annotation_put(sentence_id=sentence.pk, annotator=user, payload=body(sentence, 0))
    annotation_put(sentence_id=sentence.pk, annotator=user, payload=body(sentence, 1, status="submitted"))
    assignment = Assignment.objects.get(annotator=user)
    assert assignment.state == "done" and assignment.completed_at is not None
    assert Annotation.objects.get().submitted_at is not None
    assert Job.objects.filter(project=project, kind="agreement").count() == 1


def test_skipping_closes_the_assignment_as_skipped(setting):
    _, sentence, user = setting
    annotation_put(sentence_id=sentence.pk, annotator=user, payload=body(sentence, 0))
    annotation_put(sentence_id=sentence.pk, annotator=user, payload=body(sentence, 1, status="skipped", skip_reason="garbled"))
    assert Assignment.objects.get(annotator=user).state == "skipped"
    assert Annotation.objects.get().skip_reason == "garbled"


def test_the_read_lets_in_only_assigned_or_own_work(setting):
    project, sentence, user = setting
    stranger = UserFactory()
    MembershipFactory(project=project, user=stranger)
    with pytest.raises(NotFound):
        annotation_put(sentence_id=sentence.pk, annotator=stranger, payload=body(sentence, 0))
    assert sql.save_target(sentence_id=10**9, annotator_id=user.pk) is None
    target = sql.save_target(sentence_id=sentence.pk, annotator_id=user.pk)
    assert (target.text, target.version, target.annotation_id, target.schema) == (sentence.text, 0, None, project.label_schema)
    # After the assignment is taken back, their own annotation still lets them in.
    annotation_put(sentence_id=sentence.pk, annotator=user, payload=body(sentence, 0))
    Assignment.objects.filter(annotator=user).delete()
    assert sql.save_target(sentence_id=sentence.pk, annotator_id=user.pk).version == 1


def test_progress_counts_what_is_still_available_to_me(setting):
    """remaining = sentences neither mine nor held by k live assignments; an expired open
    assignment does not hold its sentence."""
    from annotator.annotations.selectors import progress_of

    project, _, me = setting  # `me` holds the first sentence (open)
    project.overlap = 2
    project.save()
    a, b = UserFactory(), UserFactory()
    s = list(Sentence.objects.filter(project=project).order_by("index"))
    assert len(s) >= 6
    long_ago = timezone.now() - timedelta(days=30)
    Assignment.objects.create(project=project, sentence=s[1], annotator=me, state="done")
    Assignment.objects.bulk_create([
        Assignment(project=project, sentence=s[2], annotator=a), Assignment(project=project, sentence=s[2], annotator=b),
        Assignment(project=project, sentence=s[3], annotator=a),
        Assignment(project=project, sentence=s[4], annotator=b, state="done"),
        Assignment(project=project, sentence=s[4], annotator=a),
        Assignment(project=project, sentence=s[5], annotator=a, state="done"),
    ])
    Assignment.objects.create(project=project, sentence=s[3], annotator=b)  # then made expired:
    Assignment.objects.filter(sentence=s[3], annotator=b).update(assigned_at=long_ago)
    # mine: s0, s1; full: s2 (2 live), s4 (done + open); not full: s3 (1 live + 1 expired), s5; rest free
    expected_free = [x for x in s if x not in (s[0], s[1], s[2], s[4])]
    assert progress_of(project=project, annotator=me) == {"done": 1, "assigned": 1, "remaining": len(expected_free)}
    # a sees s2, s3, s4, s5 as theirs, s0 and s1 are held once (by me) so still open to a
    assert progress_of(project=project, annotator=a)["remaining"] == len(s) - 4
