"""The import written into a project: all or nothing, attributed, agreement-ready."""

from __future__ import annotations

import json
from io import StringIO
from pathlib import Path

import pytest
from django.contrib.auth import get_user_model
from django.core.management import CommandError, call_command

from annotator.annotations.models import Annotation, AnnotationRevision, Assignment, AssignmentState
from annotator.documents.models import Document, Sentence
from annotator.gold.models import Gold
from annotator.interchange.services import annotations_import
from annotator.interchange.sources import members_from_path
from annotator.interchange.types import ReadOptions
from annotator.projects.models import Membership, Role
from tests.factories import ProjectFactory

pytestmark = pytest.mark.django_db
FIXTURES = Path(__file__).parent / "fixtures"
LABELS = ("PER", "ORG", "GPE", "NORP", "DATE", "CARDINAL")


def schema_for(truth):
    return {
        "entity_types": [{"name": n} for n in LABELS],
        "allow_overlapping_entities": False,
        "stance": {"targets": sorted({r["target"] for r in truth}), "labels": ["favor", "against", "neutral", "none"]},
        "event_types": [],
    }


def run(*args):
    out, err = StringIO(), StringIO()
    call_command("import_annotations", *args, stdout=out, stderr=err)
    return out.getvalue().strip(), err.getvalue()


def agreement(slug):
    out = StringIO()
    call_command("compute_agreement", slug, "--json", stdout=out, stderr=StringIO())
    report = json.loads(out.getvalue())
    for key in ("project", "computed_at", "data_version"):  # who and when, not what
        report.pop(key, None)
    # sentence ids differ between projects; the sentences are named by their text too
    report["disputed"] = [{k: v for k, v in item.items() if k != "id"} for item in report.get("disputed", [])]
    return report


def without_seconds(report):
    """doccano records no time spent; Label Studio's lead_time feeds median_seconds."""
    for figures in report.get("annotator_figures", {}).values():
        figures.pop("median_seconds", None)
    return report


def stored_labels(project):
    """{(sentence text, annotator): labels} of the project's submitted annotations."""
    return {
        (a.sentence.text, a.annotator.username): a.labels
        for a in Annotation.objects.filter(project=project).select_related("sentence", "annotator")
    }


def truth_labels(truth):
    return {
        (row["text"], name): {
            "entities": sorted(a["spans"], key=lambda e: (e["start"], e["end"], e["label"])),
            "stance": [{"target": row["target"], "label": a["stance"]}],
            "events": [],
        }
        for row in truth
        for name, a in row["annotators"].items()
    }


def test_doccano_sample_imports_attributed_and_agreement_runs(samples, truth):
    project = ProjectFactory(label_schema=schema_for(truth), overlap=3)
    out, err = run(project.slug, str(samples / "doccano-export.zip"), "--from", "doccano")
    assert out == (
        "imported 4 documents (4 new), 30 sentences, 3 annotators (3 new), 90 annotations with 222 spans, 0 gold; "
        "misfits: 0 snapped, 0 refused"
    )
    assert stored_labels(project) == truth_labels(truth)
    users = get_user_model().objects.filter(username__in=["ann1", "ann2", "ann3"])
    assert len(users) == 3 and not any(u.has_usable_password() for u in users)
    assert set(Membership.objects.filter(project=project).values_list("user__username", "role")) == {
        ("ann1", Role.ANNOTATOR), ("ann2", Role.ANNOTATOR), ("ann3", Role.ANNOTATOR)}
    assert Assignment.objects.filter(project=project, state=AssignmentState.DONE).count() == 90
    assert AnnotationRevision.objects.filter(annotation__project=project).count() == 90
    report = agreement(project.slug)
    assert report["annotators"] == ["ann1", "ann2", "ann3"] and report["sentences"] == 30
    assert report["entities"]["exact"]["f1"] is not None


def test_labelstudio_and_doccano_samples_give_the_same_agreement_report(samples, truth):
    doccano = ProjectFactory(label_schema=schema_for(truth), overlap=3)
    labelstudio = ProjectFactory(label_schema=schema_for(truth), overlap=3)
    run(doccano.slug, str(samples / "doccano-export.zip"), "--from", "doccano")
    out, _ = run(labelstudio.slug, str(samples / "labelstudio-export.json"), "--from", "labelstudio",
                 "--users", str(samples / "labelstudio-users.json"))
    assert "30 sentences, 3 annotators" in out
    assert stored_labels(labelstudio) == truth_labels(truth)
    assert without_seconds(agreement(labelstudio.slug)) == without_seconds(agreement(doccano.slug))
    seconds = Annotation.objects.filter(project=labelstudio).values_list("seconds", flat=True)
    assert all(s > 0 for s in seconds)  # lead_time


def test_dry_run_writes_nothing_and_counts_the_same(samples, truth):
    project = ProjectFactory(label_schema=schema_for(truth))
    out, _ = run(project.slug, str(samples / "doccano-export.zip"), "--from", "doccano", "--dry-run")
    assert out.startswith("would import 4 documents (4 new), 30 sentences, 3 annotators (3 new), 90 annotations with 222 spans")
    assert Document.objects.count() == 0 and Annotation.objects.count() == 0
    assert not get_user_model().objects.filter(username="ann1").exists()


def test_bad_json_on_line_7_exits_non_zero_naming_file_line_reason_and_writes_nothing():
    project = ProjectFactory()
    with pytest.raises(CommandError, match=r"ann1\.jsonl:7: not valid JSON .*nothing imported"):
        run(project.slug, str(FIXTURES / "jsonl-bad"), "--from", "doccano")
    assert Document.objects.count() == 0 and Annotation.objects.count() == 0
    assert not get_user_model().objects.filter(username="ann1").exists()


def test_brat_t_line_past_the_text_writes_nothing():
    project = ProjectFactory()
    with pytest.raises(CommandError, match=r"ann1/news\.ann:2: T2 offsets 500 504 point past the text"):
        run(project.slug, str(FIXTURES / "brat-bad"), "--from", "brat")
    assert Document.objects.count() == 0


def brat_schema():
    return {
        "entity_types": [{"name": n} for n in ("PER", "GPE", "DATE", "ORG")],
        "event_types": [{"name": "Contact:Meet", "roles": ["Entity"]}],
    }


def test_brat_misfits_are_listed_under_report_and_abort_under_fail():
    project = ProjectFactory(label_schema=brat_schema())
    with pytest.raises(CommandError, match=r"4 misfit\(s\) and on-misfit is fail: .*news\.ann:3.*nothing imported"):
        run(project.slug, str(FIXTURES / "brat"), "--from", "brat", "--on-misfit", "fail")
    assert Document.objects.count() == 0
    out, err = run(project.slug, str(FIXTURES / "brat"), "--from", "brat")
    assert out.endswith("misfits: 0 snapped, 4 refused")
    assert "misfit refused: ann2/news.ann:2 (T2): ann2: the label 'LOC' is not in the schema" in err
    assert "discontinuous" in err and "crosses a sentence boundary" in err
    # the brat-safe event type came back to the schema's name
    (event,) = [e for a in Annotation.objects.filter(annotator__username="ann1") for e in a.labels["events"]]
    assert event["type"] == "Contact:Meet"


def test_map_and_snap_place_what_report_refused():
    project = ProjectFactory(label_schema=brat_schema())
    out, err = run(project.slug, str(FIXTURES / "brat"), "--from", "brat", "--on-misfit", "snap", "--map", "LOC=GPE")
    assert out.endswith("misfits: 1 snapped, 2 refused")
    assert "misfit snapped: ann2/news.ann:4 (T4): ann2: ORG span: crossed 2 sentences" in err


def test_conll_import_with_as_user():
    project = ProjectFactory(label_schema=brat_schema())
    out, _ = run(project.slug, str(FIXTURES / "conll" / "ann1.conll"), "--from", "conll", "--as", "kim")
    assert "2 documents (2 new), 3 sentences, 1 annotator (1 new), 3 annotations with 6 spans" in out


def test_running_an_import_twice_changes_nothing_the_second_time(samples, truth):
    project = ProjectFactory(label_schema=schema_for(truth))
    run(project.slug, str(samples / "doccano-export.zip"), "--from", "doccano")
    out, _ = run(project.slug, str(samples / "labelstudio-export.json"), "--from", "labelstudio",
                 "--users", str(samples / "labelstudio-users.json"))
    assert "4 documents (0 new)" in out and out.endswith("; 90 already imported")
    assert Annotation.objects.count() == 90 and Document.objects.count() == 4


def test_an_import_never_overwrites_other_work(samples, truth):
    project = ProjectFactory(label_schema=schema_for(truth))
    run(project.slug, str(samples / "doccano-export.zip"), "--from", "doccano")
    Annotation.objects.filter(annotator__username="ann2").update(labels={"entities": [], "stance": [], "events": []})
    with pytest.raises(CommandError, match="'ann2' already has another annotation"):
        run(project.slug, str(samples / "labelstudio-export.json"), "--from", "labelstudio",
            "--users", str(samples / "labelstudio-users.json"))


def test_an_existing_user_keeps_their_password_and_role(samples, truth):
    project = ProjectFactory(label_schema=schema_for(truth))
    lead = get_user_model().objects.create_user("ann1", password="a-long-password-1")
    Membership.objects.create(project=project, user=lead, role=Role.LEAD)
    run(project.slug, str(samples / "doccano-export.zip"), "--from", "doccano")
    lead.refresh_from_db()
    assert lead.check_password("a-long-password-1")
    assert Membership.objects.get(project=project, user=lead).role == Role.LEAD


def test_labelstudio_ground_truth_becomes_imported_gold(samples, truth):
    tasks = json.loads((samples / "labelstudio-export.json").read_text("utf-8"))
    tasks[0]["annotations"][0]["ground_truth"] = True
    project = ProjectFactory(label_schema=schema_for(truth))
    summary = annotations_import(
        project=project, format="labelstudio", members=[("export.json", json.dumps(tasks).encode())],
        options=ReadOptions(), on_misfit="report",
    )
    assert summary.gold == 1
    (gold,) = Gold.objects.filter(project=project)
    assert gold.source == "imported" and gold.revisions.count() == 1
    assert gold.sentence.text == tasks[0]["data"]["text"]


def test_gold_from_moves_an_annotator_to_gold(samples, truth):
    project = ProjectFactory(label_schema=schema_for(truth))
    summary = annotations_import(
        project=project, format="doccano", members=members_from_path(samples / "doccano-export.zip"), gold_from="ann1",
    )
    assert summary.annotators == ["ann2", "ann3"] and summary.gold == 30
    assert Sentence.objects.filter(project=project, gold__source="imported").count() == 30


def test_more_annotators_per_sentence_than_k_is_noted(samples, truth):
    project = ProjectFactory(label_schema=schema_for(truth), overlap=2)
    summary = annotations_import(project=project, format="doccano", members=members_from_path(samples / "doccano-export.zip"),
                                 dry_run=True)
    assert any("up to 3 annotators per sentence, more than the project's k of 2" in n["reason"] for n in summary.notes)


def test_from_auto_detects_the_format_and_says_why(samples, truth):
    project = ProjectFactory(label_schema=schema_for(truth))
    out, err = run(project.slug, str(samples / "labelstudio-export.json"), "--from", "auto", "--dry-run")
    assert "detected labelstudio: labelstudio-export.json: a list of tasks with 'data' and 'annotations'" in err
    assert "30 sentences, 3 annotators" in out
    with pytest.raises(CommandError, match="no known format recognised"):
        run(project.slug, str(FIXTURES / "brat" / "annotation.conf"), "--from", "auto")


def test_notes_are_grouped_by_file_and_reason(samples, truth):
    tasks = json.loads((samples / "labelstudio-export.json").read_text("utf-8"))
    for task in tasks[:2]:
        task["annotations"][0]["was_cancelled"] = True
    project = ProjectFactory(label_schema=schema_for(truth))
    summary = annotations_import(project=project, format="labelstudio", members=[("e.json", json.dumps(tasks).encode())],
                                 dry_run=True)
    (note,) = [n for n in summary.notes if "cancelled" in n["reason"]]
    assert note["count"] == 2 and "task 0" in note["detail"]
    assert summary.annotations == 88


def test_the_copy_path_names_every_column_and_the_insert_path_writes_the_same(samples, truth, monkeypatch):
    from annotator.interchange import services

    assert services._copy_covers()
    monkeypatch.setattr(services, "_copy_covers", lambda: False)  # as if a new column had no database default
    project = ProjectFactory(label_schema=schema_for(truth), overlap=3)
    run(project.slug, str(samples / "doccano-export.zip"), "--from", "doccano")
    assert stored_labels(project) == truth_labels(truth)
    assert Assignment.objects.filter(project=project, state=AssignmentState.DONE).count() == 90
    assert AnnotationRevision.objects.filter(annotation__project=project).count() == 90


def test_an_import_schedules_the_agreement_job_as_submissions_do(samples, truth):
    from annotator.agreement.services import JOB_KIND
    from annotator.jobs.models import Job

    project = ProjectFactory(label_schema=schema_for(truth))
    run(project.slug, str(samples / "doccano-export.zip"), "--from", "doccano", "--dry-run")
    assert not Job.objects.filter(project=project, kind=JOB_KIND).exists()
    run(project.slug, str(samples / "doccano-export.zip"), "--from", "doccano")
    assert Job.objects.filter(project=project, kind=JOB_KIND, state="queued").count() == 1


def test_each_sentence_keeps_its_own_label_studio_lead_time(samples, truth):
    tasks = json.loads((samples / "labelstudio-export.json").read_text("utf-8"))
    users = {2: "ann1", 3: "ann2", 4: "ann3"}
    want = {(t["data"]["text"], users[a["completed_by"]]): a["lead_time"] for t in tasks for a in t["annotations"]}
    project = ProjectFactory(label_schema=schema_for(truth))
    annotations_import(project=project, format="labelstudio", members=[("e.json", json.dumps(tasks).encode())],
                       options=ReadOptions(users=users))
    got = {(a.sentence.text, a.annotator.username): a.seconds
           for a in Annotation.objects.filter(project=project).select_related("sentence", "annotator")}
    assert got == pytest.approx(want)


def test_the_command_line_matches_names_regardless_of_case_and_maps_annotators(samples, truth):
    project = ProjectFactory(label_schema=schema_for(truth))
    get_user_model().objects.create_user("ANN1")
    out, _ = run(project.slug, str(samples / "doccano-export.zip"), "--from", "doccano", "--annotator", "ann3=carol")
    assert "3 annotators (2 new)" in out
    names = set(Annotation.objects.filter(project=project).values_list("annotator__username", flat=True))
    assert names == {"ANN1", "ann2", "carol"}
    with pytest.raises(CommandError, match="annotator names must be usernames"):
        run(project.slug, str(samples / "doccano-export.zip"), "--from", "doccano", "--annotator", "ann1=a b", "--dry-run")
