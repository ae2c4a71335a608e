"""The agreement computation split into chunks of sentences gives the same report as one pass.

Chunks return mergeable statistics (``report.py``); these tests prove that merging them loses
nothing: the report computed in one chunk and in many small ones is the same JSON, bit for bit
(so every number is equal well within 1e-9, and the seeded bootstrap intervals are identical),
on the demo project and on a synthetic project of a few thousand sentences.
"""

from __future__ import annotations

import json
import random
from datetime import UTC, datetime
from typing import Any

import pytest

from annotator.agreement import report as rp
from annotator.agreement.services import (
    agreement_assemble,
    agreement_chunk,
    agreement_chunks,
    agreement_compute,
    agreement_plan,
)
from annotator.annotations.models import Annotation, AnnotationStatus
from annotator.documents.models import Document, Sentence
from annotator.projects.demo import demo_load
from tests.factories import SCHEMA, ProjectFactory, UserFactory

pytestmark = [pytest.mark.postgres, pytest.mark.django_db]

ONE_CHUNK = 10**9
TARGET = SCHEMA["stance"]["targets"][0]
# Contact:Meet is the schema's; the others are not (the report lists them after it)
EVENT_TYPES = ["Contact:Meet", "Conflict:Attack", "Movement:Transport", "Justice:Sue"]


def _without_time(report: dict[str, Any]) -> dict[str, Any]:
    return {k: v for k, v in report.items() if k != "computed_at"}


def _report(project: Any, chunk_annotations: int) -> dict[str, Any]:
    return _without_time(agreement_compute(project=project, chunk_annotations=chunk_annotations).report)


def _labels(rng: random.Random, truth: dict[str, Any]) -> dict[str, Any]:
    """One annotator's version of a sentence's truth: labels kept, changed or dropped."""
    stance = [{"target": TARGET, "label": truth["stance"] if rng.random() < 0.7 else rng.choice(truth["labels"])}]
    if rng.random() < 0.3:  # a second target, not in the schema, with a label not in it either
        stance.append({"target": "the summit", "label": rng.choice(["favor", "sceptical"])})
    if rng.random() < 0.08:  # this annotator left the schema's target unlabelled here
        stance = stance[1:]
    entities = [{"start": s, "end": e, "label": lab} for s, e, lab in truth["entities"] if rng.random() < 0.85]
    if rng.random() < 0.2:
        entities.append({"start": 40, "end": 44 + rng.randrange(3), "label": rng.choice(["PER", "GPE", "ORG"])})
    events = [
        {"type": t, "trigger": {"start": 5 * k, "end": 5 * k + 3 + (rng.random() < 0.1)},
         "arguments": [{"role": "Entity", "start": 0, "end": 4}] if rng.random() < 0.7 else []}
        for k, t in enumerate(truth["events"]) if rng.random() < 0.85
    ]
    if rng.random() < 0.1:
        events.append({"type": rng.choice(EVENT_TYPES), "trigger": {"start": 60, "end": 63}, "arguments": []})
    return {"entities": entities, "stance": stance, "events": events}


def _synthetic_project(n_sentences: int, seed: int = 11) -> Any:
    """A project of ``n_sentences`` with 3 annotators on most sentences, 2 or 4 on some, 1 on a
    few, plus drafts that must not count (bulk inserts: seconds, not minutes)."""
    rng = random.Random(seed)
    project = ProjectFactory(label_schema={**SCHEMA})
    users = [UserFactory(username=f"syn-{seed}-{k}") for k in range(4)]
    document = Document.objects.create(project=project, title="synthetic", text="x" * 80, content_hash="0" * 64,
                                       sentence_count=n_sentences)
    sentences = Sentence.objects.bulk_create(
        Sentence(project=project, document=document, index=k, start=0, end=80, text=f"sentence {k}")
        for k in range(n_sentences)
    )
    now = datetime.now(UTC)
    rows = []
    for sentence in sentences:
        truth = {
            "stance": rng.choice(SCHEMA["stance"]["labels"]),
            "labels": SCHEMA["stance"]["labels"] + ["unclear"],  # "unclear" is not in the schema
            "entities": [(s, s + rng.randint(2, 6), rng.choice(["PER", "GPE", "ORG"]))
                         for s in sorted(rng.sample(range(0, 70, 8), rng.randint(0, 4)))],
            "events": rng.sample(EVENT_TYPES, rng.choice((0, 0, 1, 1, 2))),
        }
        r = rng.random()
        coders = users[:3] if r < 0.8 else users[:2] if r < 0.9 else users if r < 0.97 else users[3:]
        for user in coders:
            rows.append(Annotation(project=project, sentence=sentence, annotator=user, labels=_labels(rng, truth),
                                   status=AnnotationStatus.SUBMITTED, seconds=round(rng.uniform(3, 90), 1),
                                   submitted_at=now))
        if users[3] not in coders and rng.random() < 0.05:
            rows.append(Annotation(project=project, sentence=sentence, annotator=users[3], labels=_labels(rng, truth),
                                   status=AnnotationStatus.DRAFT))
    Annotation.objects.bulk_create(rows, batch_size=2000)
    return project


@pytest.fixture(scope="module")
def synthetic(django_db_setup: Any, django_db_blocker: Any) -> Any:
    """3,000 sentences, built once for the module and removed after it."""
    with django_db_blocker.unblock():
        project = _synthetic_project(3000)
        yield project
        project.delete()
        from django.contrib.auth import get_user_model

        get_user_model().objects.filter(username__startswith="syn-").delete()


def test_demo_report_is_the_same_in_one_chunk_and_in_many():
    project = demo_load().project
    whole = _report(project, ONE_CHUNK)
    for size in (1, 5, 7):
        assert len(agreement_plan(project=project, chunk_annotations=size)["chunks"]) > 3
        assert _report(project, size) == whole, f"chunks of {size} annotations"


def test_synthetic_report_is_the_same_in_one_chunk_and_in_many(synthetic):
    whole = _report(synthetic, ONE_CHUNK)
    chunked = _report(synthetic, 700)
    assert len(agreement_plan(project=synthetic, chunk_annotations=700)["chunks"]) >= 10
    assert chunked == whole  # the same JSON: every number equal, the bootstrap CIs identical
    # the data exercised what the merge must get right
    stance = whole["stance"][TARGET]
    assert stance["alpha"] is not None and stance["alpha_ci95"] is not None
    assert "different numbers of annotators" in stance["fleiss_kappa_note"]
    assert "the summit" in whole["stance"] and "sceptical" in whole["stance"]["the summit"]["label_counts"]
    assert "unclear" in stance["label_counts"]
    assert list(whole["events"]["types"])[0] == "Contact:Meet" and len(whole["events"]["types"]) == 4
    assert whole["events"]["masi_alpha_ci95"] is not None
    assert len(whole["disputed"]) == rp.DISPUTED_LIMIT
    assert whole["sentences_annotated"] == 3000
    assert set(whole["annotator_figures"]) == {f"syn-11-{k}" for k in range(4)}


def test_synthetic_numbers_equal_the_library_on_the_whole_matrix(synthetic):
    """The merged statistics are the coders x units data, not an approximation of it."""
    from annotator.agreement import alpha_bootstrap, fleiss_kappa, krippendorff_alpha, pairwise_cohen_kappa

    report = _report(synthetic, 700)
    names = report["annotators"]
    labels = SCHEMA["stance"]["labels"] + ["unclear"]
    rows = Annotation.objects.filter(project=synthetic, status=AnnotationStatus.SUBMITTED).values_list(
        "sentence_id", "annotator__username", "labels")
    units: dict[int, dict[str, str]] = {}
    for sid, name, lab in rows:
        for item in lab["stance"]:
            if item["target"] == TARGET:
                units.setdefault(sid, {})[name] = item["label"]
    order = sorted(units)
    codes = [[labels.index(units[sid][n]) if n in units[sid] else None for sid in order] for n in names]
    stance = report["stance"][TARGET]
    assert stance["alpha"] == pytest.approx(krippendorff_alpha(codes), abs=1e-6)
    boot = alpha_bootstrap(codes, n_boot=rp.N_BOOT, seed=rp.SEED)
    assert stance["alpha_ci95"] == [round(boot.low, 6), round(boot.high, 6)]
    kappas = pairwise_cohen_kappa(codes, coders=names)
    assert stance["pairwise_cohen_kappa"] == pytest.approx({k: v.value for k, v in kappas.items()}, abs=1e-6)
    three = [sid for sid in order if len(units[sid]) == 3]
    table = [[list(units[sid].values()).count(lab) for lab in labels] for sid in three]
    assert fleiss_kappa(table) == pytest.approx(  # the Fleiss figure on the complete 3-coder items
        agreement_fleiss_on(synthetic, three), abs=1e-6)


def agreement_fleiss_on(project: Any, sentence_ids: list[int]) -> float:
    """Fleiss' kappa through the accumulator, fed only the given sentences."""
    acc = rp.StanceAccumulator([TARGET], SCHEMA["stance"]["labels"] + ["unclear"], 4)
    rows = Annotation.objects.filter(project=project, status=AnnotationStatus.SUBMITTED,
                                     sentence_id__in=sentence_ids).values_list("sentence_id", "annotator_id", "labels")
    per: dict[int, dict[int, Any]] = {}
    rows = list(rows)
    index = {uid: k for k, uid in enumerate(sorted({uid for _, uid, _ in rows}))}
    for sid, uid, lab in rows:
        per.setdefault(sid, {})[index[uid]] = [s for s in lab["stance"] if s["target"] == TARGET]
    for sid, group in per.items():
        acc.add(sid, group)
    return acc.finish(["a", "b", "c", "d"])["section"][TARGET]["fleiss_kappa"]


def test_chunks_never_split_a_sentence_and_cover_every_annotation(synthetic, django_assert_num_queries):
    with django_assert_num_queries(1):
        chunks = agreement_chunks(project_id=synthetic.pk, size=500)
    assert chunks[0][0] is None and chunks[-1][1] is None
    assert all(a[1] == b[0] for a, b in zip(chunks, chunks[1:], strict=False))
    submitted = Annotation.objects.filter(project=synthetic, status=AnnotationStatus.SUBMITTED)
    sizes = []
    for low, high in chunks:
        rows = submitted
        if low is not None:
            rows = rows.filter(sentence_id__gte=low)
        if high is not None:
            rows = rows.filter(sentence_id__lt=high)
        sizes.append(rows.count())
    assert sum(sizes) == submitted.count()
    # a bound moves to the start of the sentence it falls in: off by less than one sentence (<= 4)
    assert all(abs(n - 500) < 4 for n in sizes[:-1]), sizes


def test_a_chunk_returns_small_json_without_per_sentence_lists(synthetic):
    plan = agreement_plan(project=synthetic, chunk_annotations=ONE_CHUNK)
    partial = agreement_chunk(plan=plan, chunk=0)
    encoded = json.dumps(partial, allow_nan=False)
    assert json.loads(encoded) == json.loads(json.dumps(partial))  # JSON-able as it is
    # 3,000 sentences, ~9,000 annotations; the u-alpha gap-length histograms (distinct lengths,
    # ~1,000 here) and the event part counts per pair and label add ~17,000 characters
    assert len(encoded) < 80_000, len(encoded)
    assert len(partial["disputed"]) == rp.DISPUTED_LIMIT


def test_the_merge_does_not_depend_on_the_order_the_chunks_arrive_in(synthetic):
    plan = agreement_plan(project=synthetic, chunk_annotations=1500)
    partials = [json.loads(json.dumps(agreement_chunk(plan=plan, chunk=k))) for k in range(len(plan["chunks"]))]
    in_order = _without_time(agreement_assemble(plan=plan, partials=partials).report)
    reversed_ = _without_time(agreement_assemble(plan=plan, partials=partials[::-1]).report)
    assert in_order == reversed_ == _report(synthetic, ONE_CHUNK)


def test_a_project_without_submissions_is_one_open_chunk_and_an_empty_report():
    project = ProjectFactory()
    assert agreement_chunks(project_id=project.pk, size=5) == [[None, None]]
    report = agreement_compute(project=project, chunk_annotations=5).report
    assert report["sentences_annotated"] == 0 and report["disputed"] == []
    assert report["stance"][TARGET]["alpha"] is None and report["stance"][TARGET]["alpha_note"]
