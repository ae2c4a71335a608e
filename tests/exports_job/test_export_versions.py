"""Export versions are the content: dedupe, identical bytes, no gaps, quotas, retention."""

from __future__ import annotations

import hashlib
import io
import json
import zipfile
from pathlib import Path

import pytest
from django.core.management import call_command
from rest_framework.test import APIClient

from annotator.exports import services
from annotator.exports.formats.manifest import content_sha256
from annotator.exports.models import Export, ExportState
from annotator.exports.services import export_absolute_path, export_run, export_start
from annotator.exports.tasks import export_job
from annotator.gold.models import Gold
from annotator.projects.models import Project

pytestmark = [pytest.mark.postgres, pytest.mark.django_db]


def _start(project, user, fmt, capture, **options):  # type: ignore[no-untyped-def]
    with capture(execute=False):  # these tests run the job in-process
        return export_start(project=project, format=fmt, created_by=user, **options)


def _touch(project: Project) -> None:
    """A change the export's data key sees but the exported bytes do not (a project save)."""
    project.save(update_fields=["updated_at"])


def _change_gold(project: Project) -> None:
    gold = Gold.objects.filter(project=project).order_by("sentence_id").first()
    assert gold is not None
    gold.confidence = (gold.confidence or 1.0) / 2  # in the JSONL provenance and the bundle
    gold.version += 1
    gold.save(update_fields=["confidence", "version"])


def test_an_identical_request_returns_the_existing_export_without_a_job(
    demo_gold, media_root, django_capture_on_commit_callbacks
):
    project, users = demo_gold
    first = _start(project, users["lead"], "jsonl", django_capture_on_commit_callbacks)
    again = _start(project, users["viewer"], "jsonl", django_capture_on_commit_callbacks)  # still queued
    assert (again.pk, again.job_id, again.reused, first.reused) == (first.pk, first.job_id, True, False)
    export_run(export_id=first.pk)
    done = _start(project, users["lead"], "jsonl", django_capture_on_commit_callbacks)
    assert (done.pk, done.state, done.version, done.reused) == (first.pk, ExportState.DONE, 1, True)
    other = _start(project, users["lead"], "jsonl", django_capture_on_commit_callbacks, raw=True)
    assert other.pk != first.pk, "other options are another request"
    assert Export.objects.filter(project=project).count() == 2


def test_unchanged_data_gives_one_version_and_changed_data_the_next(
    demo_gold, media_root, django_capture_on_commit_callbacks
):
    project, users = demo_gold
    v1 = export_run(export_id=_start(project, users["lead"], "bundle", django_capture_on_commit_callbacks).pk)
    _touch(project)  # a new request (the data key changed) ...
    same = export_run(export_id=_start(project, users["lead"], "bundle", django_capture_on_commit_callbacks).pk)
    # ... whose content is v1's: the same version, file and checksums, nothing new on disk
    assert same.pk != v1.pk and (same.version, same.same_as_id, same.path) == (1, v1.pk, v1.path)
    assert (same.sha256, same.content_sha256) == (v1.sha256, v1.content_sha256)
    assert [p for p in (Path(media_root) / "exports").rglob("*") if p.is_file()] == [export_absolute_path(v1)]
    _change_gold(project)
    v2 = export_run(export_id=_start(project, users["lead"], "bundle", django_capture_on_commit_callbacks).pk)
    assert (v2.version, v2.same_as_id) == (2, None) and v2.content_sha256 != v1.content_sha256


def test_the_content_sha_is_in_manifest_and_card_and_covers_the_data_files_only(
    demo_gold, media_root, django_capture_on_commit_callbacks
):
    project, users = demo_gold
    export = export_run(export_id=_start(project, users["lead"], "bundle", django_capture_on_commit_callbacks).pk)
    with zipfile.ZipFile(export_absolute_path(export)) as zf:
        manifest = json.loads(zf.read("MANIFEST.json"))
        card = zf.read("README.md").decode()
        sums = zf.read("SHA256SUMS").decode()
        for info in zf.infolist():
            assert info.date_time == (1980, 1, 1, 0, 0, 0), info.filename
        assert zf.namelist() == sorted(zf.namelist())
    data = [e for e in manifest["files"] if e["path"] != "README.md"]
    assert manifest["content_sha256"] == content_sha256(data) == export.content_sha256
    assert manifest["content_excludes"] == ["README.md"]
    # as the card says: the SHA-256 of the SHA256SUMS lines without the card's
    by_hand = "".join(line + "\n" for line in sums.splitlines() if not line.endswith("  README.md"))
    assert hashlib.sha256(by_hand.encode()).hexdigest() == export.content_sha256
    assert export.content_sha256 in card and "(command line)" not in card
    assert services.iso_utc(export.first_exported_at) in card


def test_an_expired_version_comes_back_byte_identical_under_its_number(
    demo_gold, media_root, django_capture_on_commit_callbacks, settings
):
    project, users = demo_gold
    settings.EXPORT_KEEP_VERSIONS = 1
    v1 = export_run(export_id=_start(project, users["lead"], "bundle", django_capture_on_commit_callbacks).pk)
    original = export_absolute_path(v1).read_bytes()
    saved = {g.pk: (g.confidence, g.version) for g in Gold.objects.filter(project=project)}
    _change_gold(project)
    v2 = export_run(export_id=_start(project, users["lead"], "bundle", django_capture_on_commit_callbacks).pk)
    v1.refresh_from_db()
    assert (v2.version, v1.state) == (2, ExportState.EXPIRED) and not export_absolute_path(v1).exists()
    for pk, (confidence, version) in saved.items():  # the data goes back to v1's
        Gold.objects.filter(pk=pk).update(confidence=confidence, version=version + 10)
    back = export_run(export_id=_start(project, users["lead"], "bundle", django_capture_on_commit_callbacks).pk)
    v1.refresh_from_db()
    assert (back.version, back.same_as_id, v1.state) == (1, v1.pk, ExportState.DONE)
    assert export_absolute_path(v1).read_bytes() == original, "the same data gives the same zip, card included"
    v2.refresh_from_db()
    assert v2.state == ExportState.EXPIRED, "retention keeps the one most recently current"


def test_the_command_line_reuses_the_version_and_writes_identical_bytes(demo_gold, media_root, tmp_path):
    project, _ = demo_gold
    outputs = []
    for name in ("a.zip", "b.zip"):
        out = io.StringIO()
        call_command("export_gold", "demo", "--format", "bundle", "--out", str(tmp_path / name), stdout=out,
                     stderr=io.StringIO())
        outputs.append(out.getvalue())
    assert (tmp_path / "a.zip").read_bytes() == (tmp_path / "b.zip").read_bytes()
    assert "new version v1" in outputs[0] and "existing version v1" in outputs[1]
    card = zipfile.ZipFile(tmp_path / "a.zip").read("README.md").decode()
    assert "(command line)" not in card and "gold dataset" in card
    assert Export.objects.filter(project=project, state=ExportState.DONE).count() == 1


def test_a_failed_export_leaves_no_version_gap(demo_gold, media_root, django_capture_on_commit_callbacks, monkeypatch):
    project, users = demo_gold
    v1 = export_run(export_id=_start(project, users["lead"], "jsonl", django_capture_on_commit_callbacks).pk)
    _change_gold(project)
    broken = _start(project, users["lead"], "jsonl", django_capture_on_commit_callbacks)
    real = services.get_writer

    class Boom:
        def __init__(self, *args, **kwargs) -> None:  # type: ignore[no-untyped-def]
            pass

        def add(self, record) -> None:  # type: ignore[no-untyped-def]
            raise RuntimeError("disk full")

        def close(self) -> None:
            return None

    monkeypatch.setattr(services, "get_writer", lambda name: Boom)
    export_job.apply(args=[broken.job_id])
    broken.refresh_from_db()
    assert (broken.state, broken.version) == (ExportState.FAILED, None)
    monkeypatch.setattr(services, "get_writer", real)
    after = export_run(export_id=_start(project, users["lead"], "jsonl", django_capture_on_commit_callbacks).pk)
    assert (v1.version, after.version) == (1, 2), "the failure took no number"


def test_a_third_concurrent_export_job_is_a_429_naming_the_limit(
    demo_gold, media_root, django_capture_on_commit_callbacks, settings
):
    project, users = demo_gold
    settings.EXPORT_MAX_ACTIVE_JOBS = 2
    client = APIClient()
    client.force_authenticate(users["viewer"])
    url = f"/api/projects/{project.pk}/exports/"
    codes = []
    with django_capture_on_commit_callbacks(execute=False):
        for fmt in ("jsonl", "conll", "hf", "jsonl"):
            codes.append(client.post(url, {"format": fmt}, format="json"))
    assert [r.status_code for r in codes] == [202, 202, 429, 202]
    assert "2 export jobs queued or running" in codes[2].json()["detail"]
    assert "limit is 2" in codes[2].json()["detail"]
    assert codes[3].json()["reused"] is True and codes[3].json()["export"] == codes[0].json()["export"]
    export_run(export_id=codes[0].json()["export"])  # one finishes: room for another
    with django_capture_on_commit_callbacks(execute=False):
        assert client.post(url, {"format": "hf"}, format="json").status_code == 202


def test_retention_keeps_the_newest_versions_and_deletes_older_files(
    demo_gold, media_root, django_capture_on_commit_callbacks, settings
):
    project, users = demo_gold
    settings.EXPORT_KEEP_VERSIONS = 2
    versions = []
    for _ in range(4):
        versions.append(export_run(export_id=_start(project, users["lead"], "jsonl", django_capture_on_commit_callbacks).pk))
        _change_gold(project)
    states = {e.version: e.state for e in Export.objects.filter(project=project)}
    assert states == {1: "expired", 2: "expired", 3: "done", 4: "done"}
    files = sorted(p.name for p in (Path(media_root) / "exports").rglob("*") if p.is_file())
    assert files == ["demo-jsonl-v3.jsonl", "demo-jsonl-v4.jsonl"]
    client = APIClient()
    client.force_authenticate(users["viewer"])
    gone = client.get(f"/api/exports/{versions[0].pk}/download/")
    assert gone.status_code == 410 and "expired" in gone.json()["detail"]
    assert client.get(f"/api/exports/{versions[0].pk}/").json()["sha256"] == versions[0].sha256, "the row stays"
    latest = client.get(f"/api/projects/{project.pk}/exports/latest/jsonl/").json()
    assert (latest["version"], latest["content_sha256"]) == (4, versions[3].content_sha256)
