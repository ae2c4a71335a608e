"""Aggregation into candidate gold and a lead's gold decisions, on the demo project."""

from __future__ import annotations

import pytest
from django.contrib.auth import get_user_model

from annotator.annotations.models import Annotation
from annotator.core.errors import Conflict, DomainError
from annotator.gold.models import Gold, GoldCandidate, GoldRevision
from annotator.gold.selectors import adjudication_detail, adjudication_queue
from annotator.gold.services import gold_aggregate, gold_reopen, gold_save

pytestmark = [pytest.mark.postgres, pytest.mark.django_db]


def _rows(project):  # type: ignore[no-untyped-def]
    gold = list(Gold.objects.filter(project=project).order_by("sentence_id").values())
    candidates = list(
        GoldCandidate.objects.filter(project=project).order_by("sentence_id").values().order_by("sentence_id")
    )
    for c in candidates:
        c.pop("computed_at")
    return gold, candidates, GoldRevision.objects.filter(gold__project=project).count()


def test_aggregation_writes_candidates_for_every_sentence_and_gold_only_above_threshold(demo) -> None:
    summary = gold_aggregate(project=demo, method="majority", threshold=0.9)
    assert summary["sentences"] == 12
    assert GoldCandidate.objects.filter(project=demo).count() == 12
    disputed = set(GoldCandidate.objects.filter(project=demo, needs_adjudication=True).values_list("sentence_id", flat=True))
    assert disputed and summary["queue"] == len(disputed)
    gold = Gold.objects.filter(project=demo)
    assert set(gold.values_list("sentence_id", flat=True)).isdisjoint(disputed)
    row = gold.first()
    assert row.source == "majority" and row.confidence >= 0.9 and len(row.annotation_ids) == 3
    assert set(row.annotation_ids) == set(Annotation.objects.filter(sentence_id=row.sentence_id).values_list("id", flat=True))


def test_queue_is_worst_first_and_has_disputed_sentences_with_flags(demo) -> None:
    gold_aggregate(project=demo, method="majority", threshold=0.9)
    queue = list(adjudication_queue(project=demo))
    assert queue
    keys = [(-q.disagreement, -q.flag_count) for q in queue]
    assert keys == sorted(keys)
    flags = GoldCandidate.objects.get(sentence_id=queue[0].id).flags
    assert any(f["kind"].startswith("near_miss") or f["kind"] == "below_threshold" for f in flags)


def test_sentences_without_any_gold_are_in_the_queue_before_aggregation(demo) -> None:
    assert adjudication_queue(project=demo).count() == 12
    assert all(q.disagreement is None for q in adjudication_queue(project=demo))


def test_aggregation_run_twice_leaves_the_same_rows(demo) -> None:
    gold_aggregate(project=demo, method="dawid-skene", threshold=0.5)
    first = _rows(demo)
    summary = gold_aggregate(project=demo, method="dawid-skene", threshold=0.5)
    assert _rows(demo) == first
    assert summary["created"] == summary["updated"] == 0 and summary["unchanged"] == len(first[0])


def test_aggregation_never_overwrites_gold_decided_by_a_lead(demo) -> None:
    lead = get_user_model().objects.get(username="lead")
    sentence = demo.sentences.order_by("index").first()
    mine = {"entities": [], "stance": [], "events": []}
    gold_save(sentence=sentence, user=lead, labels=mine, annotation_ids=[])
    gold_aggregate(project=demo, method="majority", threshold=0.5)
    gold = Gold.objects.get(sentence=sentence)
    assert (gold.source, gold.labels, gold.version, gold.decided_by) == ("adjudicated", mine, 1, lead)
    assert adjudication_queue(project=demo).filter(pk=sentence.pk).count() == 0


def test_machine_gold_is_replaced_with_a_new_version_when_the_method_changes(demo) -> None:
    gold_aggregate(project=demo, method="majority", threshold=0.5)
    gold_aggregate(project=demo, method="dawid-skene", threshold=0.5)
    gold = Gold.objects.filter(project=demo).first()
    assert gold.source == "dawid-skene" and gold.version == 2
    assert list(gold.revisions.values_list("source", flat=True)) == ["majority", "dawid-skene"]


def test_bad_method_or_threshold_names_the_field(demo) -> None:
    with pytest.raises(DomainError) as err:
        gold_aggregate(project=demo, method="vote")
    assert err.value.field == "method"
    with pytest.raises(DomainError) as err:
        gold_aggregate(project=demo, threshold=0)
    assert err.value.field == "threshold"


def test_accepting_one_version_records_provenance_and_history(demo) -> None:
    lead = get_user_model().objects.get(username="lead")
    sentence = demo.sentences.order_by("index").first()
    ann = Annotation.objects.filter(sentence=sentence).order_by("id").first()
    gold = gold_save(sentence=sentence, user=lead, labels=ann.labels, annotation_ids=[ann.id], version=0)
    assert (gold.source, gold.annotation_ids, gold.decided_by, gold.version) == ("accepted", [ann.id], lead, 1)
    edited = {**ann.labels, "entities": ann.labels["entities"][:1]}
    gold = gold_save(sentence=sentence, user=lead, labels=edited, annotation_ids=[ann.id], version=1)
    assert gold.source == "adjudicated" and gold.version == 2
    history = adjudication_detail(sentence=sentence)["history"]
    assert [h["version"] for h in history] == [1, 2] and history[0]["decided_by"] == "lead"


def test_stale_version_is_refused_and_changes_nothing(demo) -> None:
    lead = get_user_model().objects.get(username="lead")
    sentence = demo.sentences.order_by("index").first()
    empty = {"entities": [], "stance": [], "events": []}
    gold_save(sentence=sentence, user=lead, labels=empty, annotation_ids=[], version=0)
    with pytest.raises(Conflict):
        gold_save(sentence=sentence, user=lead, labels=empty, annotation_ids=[], version=0)
    assert Gold.objects.get(sentence=sentence).version == 1
    assert GoldRevision.objects.filter(gold__sentence=sentence).count() == 1


def test_gold_labels_are_validated_against_the_schema(demo) -> None:
    lead = get_user_model().objects.get(username="lead")
    sentence = demo.sentences.order_by("index").first()
    bad = {"entities": [{"start": 0, "end": 3, "label": "NOPE"}], "stance": [], "events": []}
    with pytest.raises(DomainError) as err:
        gold_save(sentence=sentence, user=lead, labels=bad, annotation_ids=[])
    assert err.value.field == "labels.entities[0].label"
    other = Annotation.objects.exclude(sentence=sentence).first()
    with pytest.raises(DomainError) as err:
        gold_save(sentence=sentence, user=lead, labels={"entities": [], "stance": [], "events": []}, annotation_ids=[other.id])
    assert err.value.field == "annotation_ids"


def test_reopen_puts_gold_back_in_the_queue_and_keeps_history(demo) -> None:
    lead = get_user_model().objects.get(username="lead")
    gold_aggregate(project=demo, method="majority", threshold=0.5)
    sentence = demo.sentences.order_by("index").first()
    empty = {"entities": [], "stance": [], "events": []}
    gold_save(sentence=sentence, user=lead, labels=empty, annotation_ids=[])
    assert not adjudication_queue(project=demo).filter(pk=sentence.pk).exists()
    gold = gold_reopen(sentence=sentence, user=lead)
    assert gold.reopened and gold_reopen(sentence=sentence, user=lead).version == gold.version
    assert adjudication_queue(project=demo).filter(pk=sentence.pk).exists()
    gold_aggregate(project=demo, method="majority", threshold=0.5)  # still never overwritten
    assert Gold.objects.get(sentence=sentence).labels == empty
    history = list(GoldRevision.objects.filter(gold=gold).values_list("source", "reopened"))
    assert history == [("majority", False), ("adjudicated", False), ("adjudicated", True)]


def _machine_gold(project):  # type: ignore[no-untyped-def]
    return dict(Gold.objects.filter(project=project).values_list("sentence_id", "source"))


def test_majority_then_dawid_skene_then_majority_leaves_no_stale_gold(demo) -> None:
    # the sequence: what a single majority run at 0.9 leaves is the reference
    gold_aggregate(project=demo, method="majority", threshold=0.9)
    reference = _machine_gold(demo)
    gold_aggregate(project=demo, method="dawid-skene", threshold=0.5)
    assert len(_machine_gold(demo)) > len(reference)  # Dawid–Skene at 0.5 accepts more sentences
    summary = gold_aggregate(project=demo, method="majority", threshold=0.9)
    assert _machine_gold(demo) == reference and set(reference.values()) == {"majority"}
    assert summary["withdrawn"] > 0
    queued = set(GoldCandidate.objects.filter(project=demo, needs_adjudication=True).values_list("sentence_id", flat=True))
    assert queued and queued.isdisjoint(reference)


def test_aggregation_leaves_gold_a_lead_reopened_alone(demo) -> None:
    lead = get_user_model().objects.get(username="lead")
    gold_aggregate(project=demo, method="majority", threshold=0.5)
    gold = Gold.objects.filter(project=demo).first()
    gold_reopen(sentence=gold.sentence, user=lead)
    summary = gold_aggregate(project=demo, method="majority", threshold=0.9)
    again = Gold.objects.get(pk=gold.pk)
    assert again.reopened and (again.labels, again.version) == (gold.labels, gold.version + 1)
    assert summary["kept_reopened"] == 1


def test_machine_gold_of_a_sentence_without_submissions_is_withdrawn(demo) -> None:
    gold_aggregate(project=demo, method="majority", threshold=0.5)
    sentence_id = Gold.objects.filter(project=demo).values_list("sentence_id", flat=True).first()
    Annotation.objects.filter(sentence_id=sentence_id).update(status="draft")
    gold_aggregate(project=demo, method="majority", threshold=0.5)
    assert not Gold.objects.filter(sentence_id=sentence_id).exists()


def test_a_run_records_method_threshold_and_dawid_skene_confusion_matrices(demo) -> None:
    from annotator.gold.models import AggregationRun

    gold_aggregate(project=demo, method="dawid-skene", threshold=0.5)
    run = AggregationRun.objects.get(project=demo)
    assert (run.method, run.threshold, run.summary["sentences"]) == ("dawid-skene", 0.5, 12)
    annotators = {str(i) for i in Annotation.objects.filter(project=demo).values_list("annotator_id", flat=True)}
    target = demo.label_schema["stance"]["targets"][0]
    model = run.dawid_skene[f"stance:{target}"]
    assert set(model["confusion"]) == annotators and model["classes"] == demo.label_schema["stance"]["labels"]
    for matrix in model["confusion"].values():
        assert all(abs(sum(row) - 1) < 1e-4 for row in matrix)
    assert GoldCandidate.objects.filter(project=demo, run=run).count() == 12
    candidate = GoldCandidate.objects.filter(project=demo, decisions__stance__has_key=target).first()
    probs = candidate.decisions["stance"][target]["probs"]
    assert abs(sum(probs.values()) - 1) < 1e-6
    assert all(0 < e["votes"] <= e["n"] == 3 for e in candidate.decisions["entities"])
