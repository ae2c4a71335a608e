"""Round trips through our own exports: JSONL with raw → import → the same agreement report
and gold; brat → brat reader → the same gold entities."""

from __future__ import annotations

import pytest
from django.utils import timezone

from annotator.annotations.services import labels_clean
from annotator.exports.formats.brat import write_brat
from annotator.exports.formats.jsonl import write_jsonl
from annotator.exports.records import gold_records
from annotator.gold.models import Gold
from annotator.interchange.services import annotations_import
from annotator.interchange.sources import members_from_path
from annotator.interchange.types import ReadOptions
from annotator.projects.models import Project
from tests.factories import ProjectFactory

from .test_import_service import agreement, run, schema_for

pytestmark = pytest.mark.django_db


def project_with_gold(samples, truth) -> Project:
    """The doccano sample imported, with truth's gold on every sentence."""
    project = ProjectFactory(label_schema=schema_for(truth), overlap=3)
    run(project.slug, str(samples / "doccano-export.zip"), "--from", "doccano")
    by_text = {row["text"]: row for row in truth}
    for sentence in project.sentences.all():
        row = by_text[sentence.text]
        labels = {"entities": row["gold"]["spans"], "stance": [{"target": row["target"], "label": row["gold"]["stance"]}], "events": []}
        Gold.objects.create(project=project, sentence=sentence, labels=labels_clean(labels), source="adjudicated", decided_at=timezone.now())
    return project


def gold_by_text(project: Project) -> dict[str, dict]:
    return {g.sentence.text: g.labels for g in Gold.objects.filter(project=project).select_related("sentence")}


def test_our_jsonl_raw_export_imports_into_a_new_project_with_the_same_agreement_report(samples, truth, tmp_path):
    source = project_with_gold(samples, truth)
    # annotators by name: a lead's (or the administrator's) export; others get pseudonymous ids
    write_jsonl(gold_records(project=source, include_raw=True, annotator_names=True), tmp_path,
                schema=source.label_schema)
    copy = ProjectFactory(label_schema=source.label_schema, overlap=3)
    out, _ = run(copy.slug, str(tmp_path / "gold.jsonl"), "--from", "accord", "--on-misfit", "fail")
    assert out.startswith("imported 4 documents (4 new), 30 sentences, 3 annotators (0 new), 90 annotations with 222 spans, 30 gold")
    assert agreement(copy.slug) == agreement(source.slug)
    assert gold_by_text(copy) == gold_by_text(source)
    assert set(Gold.objects.filter(project=copy).values_list("source", flat=True)) == {"imported"}


def test_our_brat_export_read_back_gives_the_same_gold_entities(samples, truth, tmp_path):
    source = project_with_gold(samples, truth)
    write_brat(gold_records(project=source, document_text=True), tmp_path, schema=source.label_schema)
    copy = ProjectFactory(label_schema=source.label_schema)
    summary = annotations_import(
        project=copy, format="brat", members=members_from_path(tmp_path), options=ReadOptions(as_user="gold"),
        gold_from="gold", on_misfit="fail",
    )
    assert summary.gold == 30 and summary.annotators == []
    want = {text: labels["entities"] for text, labels in gold_by_text(source).items()}
    assert {text: labels["entities"] for text, labels in gold_by_text(copy).items()} == want


def test_our_conll_export_read_back_gives_the_same_gold_entities(samples, truth, tmp_path):
    """Per split file, the CoNLL reader gives back every gold entity (as its tokens joined by
    spaces, since CoNLL keeps tokens, not the text between them)."""
    from annotator.exports.formats.conll import write_conll
    from annotator.interchange.readers import read

    source = project_with_gold(samples, truth)
    write_conll(gold_records(project=source), tmp_path, schema=source.label_schema)
    got = []
    for path in sorted(tmp_path.glob("*.conll")):
        result = read("conll", members_from_path(path), ReadOptions(as_user="gold"))
        assert result.errors == [] and result.misfits == []
        for doc in result.documents:
            (ann,) = doc.annotations
            got += [(doc.text[s.start : s.end], s.label) for s in ann.entities]
    want = []
    for gold in Gold.objects.filter(project=source).select_related("sentence"):
        tokens = gold.sentence.tokens
        for e in gold.labels["entities"]:
            inside = [gold.sentence.text[a:b] for a, b in tokens if a >= e["start"] and b <= e["end"]]
            want.append((" ".join(inside), e["label"]))
    assert sorted(got) == sorted(want) and len(want) == 83
