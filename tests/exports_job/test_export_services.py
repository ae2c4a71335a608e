"""The export code path behind the job, the API and the CLI: files, idempotence, atomicity."""

from __future__ import annotations

import json
import zipfile
from pathlib import Path

import pytest

from annotator.exports import services
from annotator.exports.models import Export, ExportState
from annotator.exports.services import export_absolute_path, export_run, export_start
from annotator.exports.tasks import export_job
from annotator.jobs.models import Job, JobState

pytestmark = [pytest.mark.postgres, pytest.mark.django_db]


def _start(project, user, fmt, django_capture_on_commit_callbacks):  # type: ignore[no-untyped-def]
    # capture (do not run) the on-commit enqueue: these tests run the job in-process
    with django_capture_on_commit_callbacks(execute=False):
        return export_start(project=project, format=fmt, created_by=user)


def test_jsonl_export_writes_one_line_per_gold_sentence(demo_gold, media_root, django_capture_on_commit_callbacks):
    project, users = demo_gold
    export = _start(project, users["lead"], "jsonl", django_capture_on_commit_callbacks)
    export = export_run(export_id=export.pk)
    assert export.state == ExportState.DONE
    path = export_absolute_path(export)
    assert path == Path(media_root) / f"exports/{project.pk}/jsonl/v1/demo-jsonl-v1.jsonl"
    lines = path.read_text(encoding="utf-8").splitlines()
    assert len(lines) == project.gold.count() == export.stats["sentences"] == 12
    first = json.loads(lines[0])
    assert first["sentence"]["text"][first["gold"]["entities"][0]["start"]:first["gold"]["entities"][0]["end"]]
    assert first["provenance"]["source"] == "majority" and first["document"]["split"] in ("train", "dev", "test")
    assert export.sha256 == services.sha256_file(path) and export.size == path.stat().st_size
    assert export.snapshot["gold_sentences"] == 12


def test_job_run_twice_leaves_one_export_and_one_file(demo_gold, media_root, django_capture_on_commit_callbacks):
    project, users = demo_gold
    export = _start(project, users["lead"], "bundle", django_capture_on_commit_callbacks)
    export_job.apply(args=[export.job_id])
    first = Export.objects.get(pk=export.pk)
    # a redelivered message after the job finished: the runner skips it
    export_job.apply(args=[export.job_id])
    # a redelivery that races in before the job row is finished: export_run skips a done export
    Job.objects.filter(pk=export.job_id).update(state=JobState.RUNNING)
    export_job.apply(args=[export.job_id])
    assert Export.objects.filter(project=project).count() == 1
    again = Export.objects.get(pk=export.pk)
    assert (again.state, again.sha256, again.finished_at) == (ExportState.DONE, first.sha256, first.finished_at)
    files = [p for p in (Path(media_root) / "exports").rglob("*") if p.is_file()]
    assert files == [export_absolute_path(again)]


def _members(path: Path) -> dict[str, bytes]:
    with zipfile.ZipFile(path) as zf:
        return {name: zf.read(name) for name in zf.namelist()}


def test_reexport_of_unchanged_gold_is_the_same_version_and_bytes_card_included(
    demo_gold, media_root, django_capture_on_commit_callbacks
):
    project, users = demo_gold
    first = {}
    for fmt in ("jsonl", "stance-csv", "conll", "spacy", "hf", "brat", "oneie", "bundle"):
        first[fmt] = export_run(export_id=_start(project, users["lead"], fmt, django_capture_on_commit_callbacks).pk)
    project.save(update_fields=["updated_at"])  # new requests (not deduplicated), same data
    for fmt, v1 in first.items():
        again = export_run(export_id=_start(project, users["lead"], fmt, django_capture_on_commit_callbacks).pk)
        assert again.pk != v1.pk and (again.version, again.sha256, again.path) == (1, v1.sha256, v1.path), fmt
    v1, v2 = (_members(export_absolute_path(first["bundle"])), _members(export_absolute_path(again)))
    assert v1 == v2


def test_a_failing_writer_leaves_no_file_and_marks_the_export_failed(
    demo_gold, media_root, django_capture_on_commit_callbacks, monkeypatch
):
    project, users = demo_gold
    export = _start(project, users["lead"], "bundle", django_capture_on_commit_callbacks)

    class Boom:
        def __init__(self, *args, **kwargs) -> None:  # type: ignore[no-untyped-def]
            self.n = 0

        def add(self, record) -> None:  # type: ignore[no-untyped-def]
            self.n += 1
            if self.n == 5:
                raise RuntimeError("disk full")

        def close(self) -> None:
            return None

    real = services.get_writer
    monkeypatch.setattr(services, "get_writer", lambda name: Boom if name == "hf" else real(name))
    export_job.apply(args=[export.job_id])
    export.refresh_from_db()
    job = Job.objects.get(pk=export.job_id)
    assert export.state == ExportState.FAILED and "disk full" in export.error
    assert job.state == JobState.FAILED and "disk full" in job.error
    assert [p for p in (Path(media_root) / "exports").rglob("*") if p.is_file()] == []


def test_unknown_format_and_no_gold_are_refused_naming_the_field(demo_gold):
    from annotator.core.errors import DomainError
    from annotator.gold.models import Gold

    project, users = demo_gold
    with pytest.raises(DomainError) as bad:
        export_start(project=project, format="xlsx", created_by=users["lead"])
    assert bad.value.field == "format"
    Gold.objects.filter(project=project).delete()
    with pytest.raises(DomainError) as empty:
        export_start(project=project, format="jsonl", created_by=users["lead"])
    assert empty.value.field == "project" and "no gold" in empty.value.message


def test_raw_annotations_are_included_on_request_by_pseudonymous_id(
    demo_gold, media_root, django_capture_on_commit_callbacks
):
    project, users = demo_gold
    with django_capture_on_commit_callbacks(execute=False):
        export = export_start(project=project, format="jsonl", created_by=users["viewer"], raw=True)
    lines = export_absolute_path(export_run(export_id=export.pk)).read_text().splitlines()
    ids = [sorted(r["annotator"] for r in json.loads(line)["raw"]) for line in lines]
    assert len(ids[0]) == 3 and all(i.startswith("ann-") for i in ids[0])
    assert all(i == ids[0] for i in ids)  # stable across sentences: learning-from-crowds can use them
    assert not {"ana", "ben", "chloe"} & {i for row in ids for i in row}


def test_a_lead_may_ask_for_annotator_names_and_a_viewer_may_not(
    demo_gold, media_root, django_capture_on_commit_callbacks
):
    from annotator.core.errors import PermissionDenied

    project, users = demo_gold
    with pytest.raises(PermissionDenied) as refused:
        export_start(project=project, format="jsonl", created_by=users["viewer"], raw=True, annotator_names=True)
    assert refused.value.field == "annotator_names"
    with django_capture_on_commit_callbacks(execute=False):
        export = export_start(project=project, format="jsonl", created_by=users["lead"], raw=True,
                              annotator_names=True)
    record = json.loads(export_absolute_path(export_run(export_id=export.pk)).read_text().splitlines()[0])
    assert sorted(r["annotator"] for r in record["raw"]) == ["ana", "ben", "chloe"]
    assert export.params["annotator_names"] is True


def test_the_projects_license_goes_into_the_bundles_dataset_card(demo_gold, media_root, django_capture_on_commit_callbacks):
    from annotator.projects.services import project_update

    project, users = demo_gold
    project_update(project=project, license="cc-by-4.0")
    export = export_run(export_id=_start(project, users["lead"], "bundle", django_capture_on_commit_callbacks).pk)
    card = _members(export_absolute_path(export))["README.md"].decode()
    assert card.startswith("---\nlicense: cc-by-4.0\n")
