"""Coverage of exports (issue 10): every sentence has a status and is counted; what the filter
leaves out is never dropped silently; soft labels; brat marks what is not gold; gold is one
consistent snapshot of the latest aggregation run. Real consumers read the files."""

from __future__ import annotations

import csv
import io
import json
import re
import zipfile
from pathlib import Path
from typing import Any

import pytest
from django.core.management import call_command

from annotator.annotations.models import Annotation, AnnotationStatus
from annotator.documents.models import Sentence
from annotator.gold.models import Gold, GoldCandidate
from annotator.gold.selectors import adjudication_queue
from annotator.gold.services import gold_aggregate, gold_save

pytestmark = [pytest.mark.postgres, pytest.mark.django_db]


@pytest.fixture
def disputed_project(demo_gold):  # type: ignore[no-untyped-def]
    """The demo project as the issue found it: majority at 0.9 sends some sentences to
    adjudication, a lead decided one of them, and one sentence has no submitted annotation."""
    project, users = demo_gold
    Gold.objects.filter(project=project).delete()  # demo_gold's hand-made gold: aggregate for real
    last = Sentence.objects.filter(project=project).order_by("document_id", "index").last()
    Annotation.objects.filter(sentence=last).update(status=AnnotationStatus.DRAFT)
    gold_aggregate(project=project, method="majority", threshold=0.9)
    queued = list(GoldCandidate.objects.filter(project=project, needs_adjudication=True).order_by("sentence_id"))
    assert len(queued) >= 3
    decided = queued[0].sentence
    gold_save(sentence=decided, user=users["lead"], labels=queued[0].labels, annotation_ids=[])
    return project, users, {"unannotated": last.pk, "adjudicated": decided.pk}


def _direct_counts(project: Any) -> dict[str, int]:
    """The four statuses counted straight from the tables, independently of the export code."""
    lead = Gold.objects.filter(project=project, source__in=["adjudicated", "accepted"], reopened=False)
    machine = Gold.objects.filter(project=project, source__in=["majority", "dawid-skene"], reopened=False)
    sentences = Sentence.objects.filter(project=project).count()
    disputed = adjudication_queue(project=project).count()
    return {
        "gold": machine.count(),
        "adjudicated": lead.count(),
        "disputed": disputed,
        "unannotated": sentences - machine.count() - lead.count() - disputed,
    }


def _bundle(project: Any, tmp_path: Path, *args: str) -> zipfile.ZipFile:
    out = tmp_path / f"bundle{len(list(tmp_path.iterdir()))}.zip"
    call_command("export_gold", project.slug, "--format", "bundle", "--out", str(out), *args,
                 stdout=io.StringIO(), stderr=io.StringIO())
    return zipfile.ZipFile(out)


def _card_coverage(card: str) -> dict[str, int]:
    section = card.split("## Coverage", 1)[1].split("\n## ", 1)[0]
    rows = {}
    for line in section.splitlines():
        cells = [c.strip() for c in line.strip("|").split("|")]
        if len(cells) == 7 and cells[0] in ("gold", "adjudicated", "disputed", "unannotated"):
            rows[cells[0]] = {"total": int(cells[5]), "exported": int(cells[6])}
    return rows  # type: ignore[return-value]


def test_card_coverage_table_equals_a_direct_count(disputed_project, tmp_path) -> None:
    project, _, _ = disputed_project
    direct = _direct_counts(project)
    assert direct["disputed"] >= 2 and direct["unannotated"] == 1 and direct["adjudicated"] == 1
    bundle = _bundle(project, tmp_path)
    card = bundle.read("README.md").decode()
    table = _card_coverage(card)
    assert {st: row["total"] for st, row in table.items()} == direct
    # the default keeps what is trustworthy for training, and says what it left out and how to get it
    assert {st: row["exported"] for st, row in table.items()} == {**direct, "disputed": 0, "unannotated": 0}
    assert "--status all" in card and "threshold 0.9" in card and "majority vote" in card
    rows = list(csv.DictReader(io.StringIO(bundle.read("coverage.csv").decode())))
    assert len(rows) == Sentence.objects.filter(project=project).count()
    assert {st: sum(r["status"] == st for r in rows) for st in direct} == direct
    gold_lines = bundle.read("jsonl/gold.jsonl").decode().splitlines()
    assert len(gold_lines) == direct["gold"] + direct["adjudicated"] == sum(r["included"] == "1" for r in rows)


def test_status_all_gives_every_sentence_and_a_disputed_one_has_its_raw_labels(disputed_project, tmp_path) -> None:
    project, _, ids = disputed_project
    out = tmp_path / "all.jsonl"
    stdout = io.StringIO()
    call_command("export_gold", project.slug, "--format", "jsonl", "--status", "all", "--raw", "--out", str(out),
                 stdout=stdout, stderr=io.StringIO())
    records = [json.loads(line) for line in out.read_text().splitlines()]
    assert len(records) == Sentence.objects.filter(project=project).count()
    by_status: dict[str, list[dict[str, Any]]] = {}
    for r in records:
        by_status.setdefault(r["status"], []).append(r)
    disputed = by_status["disputed"][0]
    submitted = Annotation.objects.filter(sentence_id=disputed["sentence"]["id"], status=AnnotationStatus.SUBMITTED)
    assert len(disputed["raw"]) == submitted.count() == 3
    assert disputed["confidence"] < 0.9 and disputed["provenance"]["candidate"] is True
    assert {e["label"] for r in disputed["raw"] for e in r["entities"]} <= {
        e["label"] for a in submitted for e in a.labels["entities"]}
    unannotated = by_status["unannotated"]
    assert [r["sentence"]["id"] for r in unannotated] == [ids["unannotated"]] and unannotated[0]["raw"] == []
    adjudicated = by_status["adjudicated"][0]
    assert adjudicated["sentence"]["id"] == ids["adjudicated"] and adjudicated["confidence"] == 1.0
    assert adjudicated["provenance"]["by"] == "lead"
    assert "left out:" not in stdout.getvalue()
    # the default leaves the disputed ones out, and says so
    stdout = io.StringIO()
    call_command("export_gold", project.slug, "--format", "jsonl", "--out", str(tmp_path / "default.jsonl"),
                 stdout=stdout, stderr=io.StringIO())
    statuses = {json.loads(line)["status"] for line in (tmp_path / "default.jsonl").read_text().splitlines()}
    assert statuses == {"gold", "adjudicated"}
    assert re.search(r"left out: \d+ disputed, 1 unannotated", stdout.getvalue())


def test_min_confidence_leaves_out_less_sure_gold_but_keeps_a_leads_decision(disputed_project, tmp_path) -> None:
    project, _, ids = disputed_project
    out = tmp_path / "sure.jsonl"
    call_command("export_gold", project.slug, "--format", "jsonl", "--min-confidence", "0.99", "--out", str(out),
                 stdout=io.StringIO(), stderr=io.StringIO())
    records = [json.loads(line) for line in out.read_text().splitlines()]
    assert ids["adjudicated"] in {r["sentence"]["id"] for r in records}
    assert all(r["confidence"] >= 0.99 for r in records)
    unsure = Gold.objects.filter(project=project, source="majority", confidence__lt=0.99).count()
    assert len(records) == Gold.objects.filter(project=project).count() - unsure


def test_majority_dawid_skene_majority_exports_no_stale_gold(demo_gold, tmp_path) -> None:
    project, _ = demo_gold
    Gold.objects.filter(project=project).delete()
    gold_aggregate(project=project, method="majority", threshold=0.9)
    gold_aggregate(project=project, method="dawid-skene", threshold=0.5)
    gold_aggregate(project=project, method="majority", threshold=0.9)
    out = tmp_path / "gold.jsonl"
    call_command("export_gold", project.slug, "--format", "jsonl", "--out", str(out), stdout=io.StringIO(),
                 stderr=io.StringIO())
    records = [json.loads(line) for line in out.read_text().splitlines()]
    queued = set(GoldCandidate.objects.filter(project=project, needs_adjudication=True).values_list("sentence_id",
                                                                                                    flat=True))
    assert records and {r["provenance"]["source"] for r in records} == {"majority"}
    assert queued and queued.isdisjoint(r["sentence"]["id"] for r in records)


def test_soft_labels_are_present_and_sum_sensibly(demo_gold, tmp_path) -> None:
    import datasets

    project, _ = demo_gold
    Gold.objects.filter(project=project).delete()
    gold_aggregate(project=project, method="dawid-skene", threshold=0.5)
    bundle = _bundle(project, tmp_path, "--status", "all")
    records = [json.loads(line) for line in bundle.read("jsonl/gold.jsonl").decode().splitlines()]
    assert records and all(r["soft"]["method"] == "dawid-skene" for r in records)
    stance_seen = entity_seen = 0
    for r in records:
        for target, s in r["soft"]["stance"].items():
            stance_seen += 1
            assert abs(sum(s["probs"].values()) - 1) < 1e-4 and abs(sum(s["votes"].values()) - 1) < 1e-4
            gold_label = {g["target"]: g["label"] for g in r["gold"]["stance"]}.get(target)
            assert gold_label is None or s["probs"][gold_label] == max(s["probs"].values())
        for e in r["soft"]["entities"]:
            entity_seen += 1
            assert 0 < e["fraction"] <= 1 and e["fraction"] == round(e["votes"] / e["n"], 6)
        for g in r["gold"]["entities"] if r["status"] == "gold" else []:
            match = [e for e in r["soft"]["entities"] if (e["start"], e["end"], e["label"]) == (
                g["start"], g["end"], g["label"])]
            assert match and match[0]["fraction"] >= 0.5  # kept spans had a majority
        for s in r["soft"]["events"].values():
            assert 0 <= s["fraction"] <= 1 and 0 <= s["prob"] <= 1
    assert stance_seen and entity_seen
    folder = tmp_path / "unzipped"
    bundle.extractall(folder)
    ner = datasets.load_dataset(str(folder / "hf"), "ner")
    stance = datasets.load_dataset(str(folder / "hf"), "stance")
    for split in ner:
        for row in ner[split]:
            assert len(row["entity_confidence"]) == len(row["tokens"])
            assert all(0 <= c <= 1 for c in row["entity_confidence"]) and row["status"]
    rows = [row for split in stance for row in stance[split]]
    assert rows and all(abs(sum(row["stance_probs"]) - 1) < 1e-4 for row in rows)
    confusion = json.loads(bundle.read("confusion.json"))
    assert confusion["method"] == "dawid-skene"
    for model in confusion["models"].values():
        assert len(model["confusion"]) == 3 and all(a.startswith("ann-") for a in model["confusion"])
        for matrix in model["confusion"].values():
            assert all(abs(sum(row) - 1) < 1e-4 for row in matrix)


def test_a_brat_export_marks_sentences_that_are_not_gold(disputed_project, tmp_path) -> None:
    project, _, ids = disputed_project
    bundle = _bundle(project, tmp_path)
    unresolved = list(csv.DictReader(io.StringIO(bundle.read("brat/unresolved.tsv").decode()), delimiter="\t"))
    direct = _direct_counts(project)
    assert len(unresolved) == direct["disputed"] + direct["unannotated"]
    assert {r["in_export"] for r in unresolved} == {"0"}
    first = unresolved[0]
    sentence = Sentence.objects.get(pk=int(first["sentence_id"]))
    text = bundle.read(f"brat/{first['document_id']}.txt").decode()
    ann = bundle.read(f"brat/{first['document_id']}.ann").decode().splitlines()
    marks = {line.split("\t")[0]: line for line in ann if line.split("\t")[1].startswith("Unresolved ")}
    assert len(marks) == len(unresolved)  # one document in the demo
    offsets = [tuple(map(int, line.split("\t")[1].split(" ", 1)[1].split(";")[0].split())) for line in marks.values()]
    assert (sentence.start, sentence.end) in {(a, b) for a, b in offsets} or any(
        a == sentence.start for a, _ in offsets)
    assert text[sentence.start:sentence.end] == sentence.text
    all_notes = [line.split("\t")[0] for line in ann if line.startswith("#")]
    assert len(all_notes) == len(set(all_notes))  # note ids are unique (the identity note too)
    notes = [line for line in ann if line.startswith("#") and "status=" in line]
    assert len(notes) == len(marks)
    assert all(line.split("\t")[1].split()[1] in marks and "not a negative" in line for line in notes)
    assert any("status=unannotated" in line for line in notes) and any("status=disputed" in line for line in notes)
    # no entity of a left-out sentence is written: its T lines are only the marker
    for line in ann:
        if line.startswith("T") and not line.split("\t")[1].startswith("Unresolved"):
            start = int(line.split("\t")[1].split()[1])
            assert not (sentence.start <= start < sentence.end)
    assert "Unresolved" in bundle.read("brat/annotation.conf").decode()


def test_a_raw_bundle_has_every_submitted_sentences_raw_labels(disputed_project, tmp_path) -> None:
    project, _, ids = disputed_project
    bundle = _bundle(project, tmp_path, "--raw")
    lines = [json.loads(line) for line in bundle.read("raw.jsonl").decode().splitlines()]
    submitted = set(Annotation.objects.filter(project=project, status=AnnotationStatus.SUBMITTED)
                    .values_list("sentence_id", flat=True))
    assert {r["sentence_id"] for r in lines} == submitted and ids["unannotated"] not in submitted
    assert {r["status"] for r in lines} == {"gold", "adjudicated", "disputed"}
    assert all(len(r["raw"]) == 3 and all(a["annotator"].startswith("ann-") for a in r["raw"]) for r in lines)


def test_records_of_every_sentence_take_a_fixed_number_of_queries(
    disputed_project, django_assert_max_num_queries
) -> None:
    from annotator.exports.records import gold_records

    project, _, _ = disputed_project
    with django_assert_max_num_queries(2):  # the sentences, one raw chunk (raw implies the labeller)
        records = list(gold_records(project=project, include_raw=True, chunk_size=100))
    assert len(records) == Sentence.objects.filter(project=project).count()
    with django_assert_max_num_queries(4):  # chunks of 5: one raw query per chunk
        assert len(list(gold_records(project=project, include_raw=True, chunk_size=5))) == len(records)


def test_an_export_of_every_status_imports_back_with_only_gold_as_gold(disputed_project, tmp_path) -> None:
    from tests.factories import ProjectFactory

    project, _, _ = disputed_project
    out = tmp_path / "all.jsonl"
    call_command("export_gold", project.slug, "--format", "jsonl", "--status", "all", "--raw", "--annotator-names",
                 "--out", str(out), stdout=io.StringIO(), stderr=io.StringIO())
    copy = ProjectFactory(label_schema=project.label_schema, overlap=3)
    call_command("import_annotations", copy.slug, str(out), "--from", "accord", stdout=io.StringIO(),
                 stderr=io.StringIO())
    direct = _direct_counts(project)
    assert Gold.objects.filter(project=copy).count() == direct["gold"] + direct["adjudicated"]
