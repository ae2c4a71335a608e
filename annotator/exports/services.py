"""Building gold-dataset exports: the one code path behind the job, the API and ``export_gold``.

Shape of an export (all files written by the pure writers of :mod:`annotator.exports.formats`):

- ``jsonl`` → ``gold.jsonl`` as is; ``stance-csv`` → ``stance.csv`` as is;
- ``conll``, ``spacy``, ``hf``, ``brat``, ``oneie`` → a zip of the writer's folder plus
  ``MANIFEST.json`` and ``SHA256SUMS``;
- ``bundle`` → a zip of every format in its own folder, ``splits.csv``, a dataset card
  ``README.md`` (Hugging Face YAML + prose, see :mod:`annotator.exports.card`) and the manifest.

Zips are deterministic (sorted members, fixed dates and modes), and no data file carries a
timestamp, so re-exporting unchanged gold gives byte-identical files. The version is the
content: ``content_sha256`` hashes the data files (every file but the manifest and a bundle's
card); the card states that hash and when that content was first exported, so unchanged data
gives the same card, the same zip and the same version (see :func:`export_run`).

Everything is written in a private work folder and moved into place with one ``os.replace`` at
the end: a partial file is never at the destination.
"""

from __future__ import annotations

import contextlib
import csv
import hashlib
import json
import logging
import os
import shutil
import tempfile
import zipfile
from collections.abc import Callable, Iterator
from datetime import datetime
from pathlib import Path
from typing import Any

from django.conf import settings
from django.db import transaction
from django.db.models import Count, Max, Sum
from django.utils import timezone

from annotator.core.errors import DomainError, PermissionDenied, TooManyRequests
from annotator.documents.segment import tokenizer_version
from annotator.exports.card import CardStats, card_metadata, dataset_card
from annotator.exports.coverage import FilterError, RecordFilter, record_filter
from annotator.exports.formats import ExportStats, GoldRecord, get_writer
from annotator.exports.formats.hf import features_yaml_list, hf_features
from annotator.exports.formats.manifest import content_sha256, file_entries, sha256_file, write_manifest
from annotator.exports.models import Export, ExportFormat, ExportState
from annotator.exports.records import annotator_labeller, gold_records, iso_utc, latest_run, sentence_count
from annotator.exports.selectors import export_data_key
from annotator.gold.models import Gold
from annotator.jobs.models import Job, JobState
from annotator.jobs.services import job_create, job_work_dir
from annotator.projects.models import Project, Role
from annotator.projects.selectors import role_of

logger = logging.getLogger(__name__)

EXPORT_JOB_KIND = "export"
EXPORTS_DIR = "exports"
BUNDLE_FORMATS: tuple[str, ...] = ("jsonl", "conll", "spacy", "hf", "brat", "stance-csv", "oneie")
# formats that are one file: shipped as that file, not zipped
SINGLE_FILE = {"jsonl": ("gold.jsonl", ".jsonl", "application/x-ndjson"),
               "stance-csv": ("stance.csv", ".csv", "text/csv; charset=utf-8")}
ZIP_TYPE = "application/zip"
CARD_NAME = "README.md"  # a bundle's dataset card: not a data file, so not in the content hash
PROGRESS_EVERY = 2000
SPACY_SHARD_SIZE = 2000  # Docs held in memory per split before a DocBin shard is written
ZIP_DATE = (1980, 1, 1, 0, 0, 0)  # the earliest date zip can hold: no real time leaks in

Progress = Callable[[float, str], None]


def _no_progress(fraction: float, message: str = "") -> None:
    return None


# --- names and places ----------------------------------------------------------------------------


def export_filename(*, slug: str, format: str, version: int | None) -> str:
    """``<slug>-<format>-v<version>.<ext>`` (``.jsonl``, ``.csv`` or ``.zip``)."""
    ext = SINGLE_FILE[format][1] if format in SINGLE_FILE else ".zip"
    return f"{slug}-{format}" + (f"-v{version}" if version is not None else "") + ext


def export_content_type(format: str) -> str:
    return SINGLE_FILE[format][2] if format in SINGLE_FILE else ZIP_TYPE


def export_relative_path(*, project_id: int, format: str, version: int, filename: str) -> str:
    """Deterministic: a job run twice writes the same place."""
    return f"{EXPORTS_DIR}/{project_id}/{format}/v{version}/{filename}"


def export_absolute_path(export: Export) -> Path:
    return Path(settings.MEDIA_ROOT) / export.path


# --- starting ------------------------------------------------------------------------------------


def _check_format(format: str) -> None:
    if format not in ExportFormat.values:
        raise DomainError(
            f"unknown export format {format!r}; choose one of {', '.join(ExportFormat.values)}", field="format"
        )


def export_filter(*, status: object = None, min_confidence: object = None) -> RecordFilter:
    """The validated record filter (``status``: ``"gold,adjudicated"``, a list or ``"all"``;
    ``min_confidence`` 0-1 or None), or DomainError naming the field."""
    if status is not None and not isinstance(status, (str, list, tuple)):
        raise DomainError("status must be a comma-separated string or a list of statuses", field="status")
    try:
        return record_filter(status=status, min_confidence=min_confidence)  # type: ignore[arg-type]
    except FilterError as exc:
        raise DomainError(str(exc), field=exc.field) from exc


def _keep(params: dict[str, Any]) -> RecordFilter:
    """The record filter an export's ``params`` name (older exports: the default)."""
    return RecordFilter(tuple(params.get("status") or ("gold", "adjudicated")), params.get("min_confidence"))


def _check_has_gold(project: Project, keep: RecordFilter | None = None) -> None:
    if keep is not None and set(keep.statuses) - {"gold", "adjudicated"}:
        if not project.sentences.exists():
            raise DomainError(f"project {project.slug!r} has no sentences yet: import articles first", field="project")
        return
    if not Gold.objects.filter(project=project).exists():
        raise DomainError(
            f"project {project.slug!r} has no gold sentences yet: adjudicate or aggregate annotations first",
            field="project",
        )


def project_split_seed(project: Project) -> int:
    """The project's split seed (a ``split_seed`` field when the project has one, else 0)."""
    return int(getattr(project, "split_seed", 0) or 0)


def export_request_key(*, format: str, params: dict[str, Any], data_key: str) -> str:
    """What makes two export requests identical: format, options and the data they read."""
    blob = json.dumps({"format": format, "params": params, "data": data_key}, sort_keys=True)
    return hashlib.sha256(blob.encode()).hexdigest()


def _active(queryset: Any) -> Any:
    """Exports whose job may still run (a job the sweep gave up on does not count)."""
    return queryset.filter(state__in=[ExportState.QUEUED, ExportState.RUNNING],
                           job__state__in=[JobState.QUEUED, JobState.RUNNING])


def export_start(
    *, project: Project, format: str, created_by: Any, raw: bool = False, seed: int | None = None,
    enqueue: bool = True, enforce_quota: bool = True, status: object = None, min_confidence: object = None,
    annotator_names: bool = False,
) -> Export:
    """Start an export of ``format`` for ``project``, or return the identical one that exists.

    Preconditions: ``format`` is an :class:`ExportFormat` value, the record filter is valid
    (:func:`export_filter`) and the project has gold (else :class:`DomainError` naming the
    field); ``annotator_names`` (raw labels and confusion matrices by username instead of
    pseudonymous ids) only for a lead of the project (or no user: the command line), else
    :class:`PermissionDenied`.

    Deduplication: a request with the same format and options while the project's data is
    unchanged (:func:`export_data_key`) returns the existing export instead of a new one (queued,
    running or done; ``export.reused`` is True), so repeating a request costs nothing. Otherwise
    a new Export row and its job are created; with ``enqueue`` the job is enqueued after commit
    (the command line runs it in the foreground instead). The new row has no version yet: the
    job gives it one when it finishes (see :func:`export_run`).

    Quota: with ``enforce_quota``, a project with ``EXPORT_MAX_ACTIVE_JOBS`` export jobs queued
    or running refuses another with :class:`TooManyRequests` (429). The project row is locked
    while this is decided, so concurrent requests are counted one at a time. Safe to call twice.
    """
    from annotator.exports.tasks import export_job  # tasks import this module

    _check_format(format)
    keep = export_filter(status=status, min_confidence=min_confidence)
    if annotator_names and created_by is not None and role_of(user=created_by, project_id=project.pk) != Role.LEAD:
        raise PermissionDenied("only a lead may export annotators' names; others get pseudonymous ids",
                               field="annotator_names")
    _check_has_gold(project, keep)
    params = {"seed": project_split_seed(project) if seed is None else int(seed), "raw": bool(raw),
              **keep.as_dict(), "annotator_names": bool(annotator_names)}
    with transaction.atomic():
        Project.objects.select_for_update().filter(pk=project.pk).first()
        key = export_request_key(format=format, params=params, data_key=export_data_key(project=project))
        same = Export.objects.filter(project=project, format=format, request_key=key)
        existing = (same.filter(state=ExportState.DONE) | _active(same)).order_by("-id").first()
        if existing is not None:
            existing.reused = True
            return existing
        if enforce_quota:
            running = _active(Export.objects.filter(project=project)).count()
            if running >= settings.EXPORT_MAX_ACTIVE_JOBS:
                raise TooManyRequests(
                    f"project {project.slug!r} already has {running} export jobs queued or running (the limit is "
                    f"{settings.EXPORT_MAX_ACTIVE_JOBS}); try again when one has finished",
                    field="format",
                )
        export = Export.objects.create(
            project=project,
            format=format,
            params=params,
            request_key=key,
            content_type=export_content_type(format),
            created_by=created_by,
        )
        job = job_create(
            kind=EXPORT_JOB_KIND,
            project=project,
            params={"export": export.pk, "format": format},
            created_by=created_by,
            enqueue=(lambda job_id: export_job.delay(job_id)) if enqueue else (lambda job_id: None),
        )
        export.job = job
        export.save(update_fields=["job"])
    return export


# --- running -------------------------------------------------------------------------------------


class _ContentExists(Exception):
    """Raised inside a build when its content is an existing version's: nothing to package."""


def _owner(*, project: Project, format: str, content: str) -> Export | None:
    """The version that holds ``content`` (done or expired), if any."""
    return Export.objects.filter(project=project, format=format, content_sha256=content, same_as__isnull=True).first()


def _has_file(export: Export) -> bool:
    return export.state == ExportState.DONE and bool(export.path) and export_absolute_path(export).is_file()


def export_run(*, export_id: int, progress: Progress = _no_progress) -> Export:
    """Build the export's files and resolve it to a version.

    Builds the data files in a private work folder and hashes them (the content SHA-256). When a
    version of this project and format already holds that content, this export becomes an alias
    of it (same version, file and checksums; nothing is written). Otherwise the card, manifest and
    zip are written, and under the project's row lock the next version number is taken and the
    file moved into place in the same transaction that marks the export done, so a failed export
    never takes a number. A version whose file retention deleted is rebuilt byte for byte (its
    card keeps the time its content was first exported) and comes back under its old number.
    Then superseded versions beyond ``EXPORT_KEEP_VERSIONS`` are expired.

    Safe to run twice: a done export is returned untouched; otherwise the work is redone in a
    fresh folder, and the deterministic version path is simply replaced. So one Export row, one
    file.
    """
    with transaction.atomic():
        export = Export.objects.select_for_update().select_related("project").get(pk=export_id)
        if export.state in (ExportState.DONE, ExportState.EXPIRED):
            return export
        project = export.project
        export.state = ExportState.RUNNING
        # the data this build reads (a queued job reads newer data than its request saw)
        export.request_key = export_request_key(
            format=export.format, params=export.params, data_key=export_data_key(project=project)
        )
        export.save(update_fields=["state", "request_key"])
    work_root = Path(settings.MEDIA_ROOT) / EXPORTS_DIR / ".work"
    if export.job_id is not None:  # per job, so the jobs sweep removes what a killed run left
        work_root = job_work_dir(area=EXPORTS_DIR, job_id=export.job_id)
    work_root.mkdir(parents=True, exist_ok=True)
    work = Path(tempfile.mkdtemp(prefix=".run-", dir=work_root))
    found: dict[str, Any] = {}

    def on_content(content: str) -> datetime | None:
        found["content"] = content
        owner = _owner(project=project, format=export.format, content=content)
        if owner is not None and _has_file(owner):
            raise _ContentExists
        found["first"] = owner.first_exported_at if owner is not None else None
        return found["first"]

    try:
        try:
            result = export_build(
                project=project, format=export.format, out_path=work / "file",
                seed=export.params.get("seed", 0), raw=export.params.get("raw", False),
                keep=_keep(export.params), annotator_names=export.params.get("annotator_names", False),
                work_root=work, progress=progress, on_content=on_content,
            )
        except _ContentExists:
            result = None
        with transaction.atomic():
            Project.objects.select_for_update().filter(pk=project.pk).first()
            _finish(export=export, content=found["content"], result=result, built=work / "file",
                    first_exported_at=found.get("first"))
    finally:
        shutil.rmtree(work, ignore_errors=True)
    export_expire_superseded(project=project, format=export.format)
    export.refresh_from_db()
    return export


def _finish(
    *, export: Export, content: str, result: dict[str, Any] | None, built: Path, first_exported_at: datetime | None
) -> None:
    """Under the project lock: make ``export`` an alias of the version holding ``content``, bring
    back an expired one, or give it the next version number and move ``built`` into place."""
    now = timezone.now()
    project = export.project
    owner = _owner(project=project, format=export.format, content=content)
    if owner is not None and _has_file(owner):
        _alias(export=export, owner=owner, now=now)
        return
    if result is None:  # the owner lost its file after the build checked: build again
        raise RuntimeError("the version holding this content lost its file during the export; run it again")
    if owner is not None:  # expired: the rebuilt file is its file again
        target = export_absolute_path(owner)
        target.parent.mkdir(parents=True, exist_ok=True)
        os.replace(built, target)
        Export.objects.filter(pk=owner.pk).update(
            state=ExportState.DONE, sha256=result["sha256"], size=result["size"], current_at=now
        )
        owner.refresh_from_db()
        _alias(export=export, owner=owner, now=now)
        return
    latest = (
        Export.objects.filter(project=project, format=export.format, same_as__isnull=True).aggregate(v=Max("version"))["v"]
        or 0
    )
    version = latest + 1
    filename = export_filename(slug=project.slug, format=export.format, version=version)
    relative = export_relative_path(project_id=project.pk, format=export.format, version=version, filename=filename)
    target = Path(settings.MEDIA_ROOT) / relative
    target.parent.mkdir(parents=True, exist_ok=True)
    os.replace(built, target)
    Export.objects.filter(pk=export.pk).update(
        state=ExportState.DONE, version=version, filename=filename, path=relative,
        sha256=result["sha256"], size=result["size"], content_sha256=content,
        stats=result["stats"], snapshot=result["snapshot"], error="",
        first_exported_at=result["first_exported_at"], current_at=now, finished_at=now,
    )


def _alias(*, export: Export, owner: Export, now: datetime) -> None:
    Export.objects.filter(pk=owner.pk).update(current_at=now)
    Export.objects.filter(pk=export.pk).update(
        state=ExportState.DONE, version=owner.version, same_as=owner, filename=owner.filename, path=owner.path,
        sha256=owner.sha256, size=owner.size, content_sha256=owner.content_sha256, stats=owner.stats,
        snapshot=owner.snapshot, error="", first_exported_at=owner.first_exported_at, current_at=now,
        finished_at=now,
    )


def export_fail(*, export_id: int, error: str) -> None:
    """Mark an unfinished export failed (a done export stays done). It has no version number."""
    Export.objects.filter(pk=export_id).exclude(state__in=[ExportState.DONE, ExportState.EXPIRED]).update(
        state=ExportState.FAILED, version=None, error=error[:2000], finished_at=timezone.now()
    )


def export_expire_superseded(*, project: Project, format: str, keep: int | None = None) -> list[int]:
    """Retention: keep the ``keep`` (default ``EXPORT_KEEP_VERSIONS``; 0 keeps all) versions of
    ``format`` most recently current; the others become ``expired``: their file is deleted, their
    rows (and their aliases') stay, with version, checksums and stats, as history. Returns the
    expired version numbers. Safe to run twice and concurrently (under the project's row lock)."""
    keep = settings.EXPORT_KEEP_VERSIONS if keep is None else keep
    if keep <= 0:
        return []
    with transaction.atomic():
        Project.objects.select_for_update().filter(pk=project.pk).first()
        owners = Export.objects.filter(project=project, format=format, same_as__isnull=True, state=ExportState.DONE)
        old = list(owners.order_by("-current_at", "-version")[keep:])
        if not old:
            return []
        Export.objects.filter(project=project, format=format, version__in=[e.version for e in old]).update(
            state=ExportState.EXPIRED
        )
    for export in old:
        path = export_absolute_path(export)
        path.unlink(missing_ok=True)
        with contextlib.suppress(OSError):
            path.parent.rmdir()
    return sorted(int(e.version or 0) for e in old)


def export_snapshot(*, project: Project) -> dict[str, Any]:
    """What data an export holds, in one query: gold sentence and document counts, the newest
    gold decision and the sum of gold versions (changes whenever any gold is re-decided)."""
    agg = Gold.objects.filter(project=project).aggregate(
        sentences=Count("id"),
        documents=Count("sentence__document", distinct=True),
        latest=Max("decided_at"),
        versions=Sum("version"),
    )
    latest = iso_utc(agg["latest"])
    return {
        "gold_sentences": agg["sentences"],
        "documents": agg["documents"],
        "gold_decided_up_to": latest,
        "gold_version_sum": agg["versions"] or 0,
        "description": f"{agg['sentences']} gold sentences in {agg['documents']} documents;"
        f" newest gold decision {latest or 'none'}",
    }


def export_build(
    *,
    project: Project,
    format: str,
    out_path: Path,
    version: int | None = None,
    seed: int = 0,
    raw: bool = False,
    keep: RecordFilter | None = None,
    annotator_names: bool = False,
    work_root: Path | None = None,
    progress: Progress = _no_progress,
    on_content: Callable[[str], datetime | None] | None = None,
) -> dict[str, Any]:
    """Write the ``format`` export of ``project``'s gold to the file ``out_path``.

    ``keep`` chooses the records written (default: statuses ``gold`` and ``adjudicated``); every
    sentence is still counted per status and split in the stats and the card, listed in a
    bundle's ``coverage.csv``, and marked in brat when its text is there but it is not gold.
    ``annotator_names``: raw labels and confusion matrices name annotators (the caller checked
    that a lead asked) instead of pseudonymous ids.

    Streams every sentence from the database once (see :func:`gold_records`), writes in a work folder
    under ``work_root`` (default: next to ``out_path``; it must be on the same file system),
    then moves the one finished file to ``out_path`` atomically. On any error nothing is left at
    ``out_path`` (an older file there is untouched) and the work folder is removed.

    Once the data files are written their content SHA-256 is known; ``on_content(content)``
    returns when that content was first exported (None: now), which the card states, and may
    raise to stop before packaging. ``version`` is unused (the card names the content, not a
    number) and kept for callers. Returns ``{"sha256", "size", "content_sha256",
    "first_exported_at", "stats", "snapshot"}``.
    """
    _check_format(format)
    keep = keep or RecordFilter()
    _check_has_gold(project, keep)
    out_path = Path(out_path)
    out_path.parent.mkdir(parents=True, exist_ok=True)
    work_root = Path(work_root) if work_root is not None else out_path.parent
    work_root.mkdir(parents=True, exist_ok=True)
    work = Path(tempfile.mkdtemp(prefix=".export-", dir=work_root))
    try:
        snapshot = export_snapshot(project=project)
        stats, content, first = _write(
            project=project, format=format, work=work, seed=seed, raw=raw, keep=keep,
            annotator_names=annotator_names, total=sentence_count(project=project),
            progress=progress, on_content=on_content,
        )
        produced = work / "result"
        progress(0.97, "checksumming")
        digest = sha256_file(produced)
        size = produced.stat().st_size
        os.replace(produced, out_path)
    finally:
        shutil.rmtree(work, ignore_errors=True)
    return {"sha256": digest, "size": size, "content_sha256": content, "first_exported_at": first, "stats": stats,
            "snapshot": {**snapshot, "seed": seed, "raw": raw, **keep.as_dict(), "annotator_names": annotator_names}}


def _write(
    *, project: Project, format: str, work: Path, seed: int, raw: bool, keep: RecordFilter, annotator_names: bool,
    total: int, progress: Progress, on_content: Callable[[str], datetime | None] | None,
) -> tuple[dict[str, Any], str, datetime]:
    data = work / "data"
    data.mkdir()
    schema = dict(project.label_schema or {})
    formats = BUNDLE_FORMATS if format == ExportFormat.BUNDLE else (format,)
    wants_text = "brat" in formats
    records = _counted(
        gold_records(project=project, seed=seed, include_raw=raw, document_text=wants_text,
                     annotator_names=annotator_names), total, progress
    )
    card_stats = CardStats()
    run = latest_run(project=project)
    if format == ExportFormat.BUNDLE:
        targets = {name: data / name for name in formats}
        writer_stats = _fan_out(records, targets, schema, card_stats=card_stats, splits_csv=data / "splits.csv",
                                keep=keep, coverage_csv=data / "coverage.csv",
                                raw_jsonl=data / "raw.jsonl" if raw else None)
        if run and run["dawid_skene"]:
            _write_confusion(data / "confusion.json", run, annotator_labeller(project=project, names=annotator_names))
    else:
        writer_stats = _fan_out(records, {format: data}, schema, card_stats=card_stats, splits_csv=None, keep=keep)
    entries = file_entries(data)
    card_excluded = (CARD_NAME,) if format == ExportFormat.BUNDLE else ()
    content = content_sha256(e for e in entries if e["path"] not in card_excluded)
    first = (on_content(content) if on_content is not None else None) or timezone.now()
    result = work / "result"
    if format in SINGLE_FILE:
        os.replace(data / SINGLE_FILE[format][0], result)
    else:
        if format == ExportFormat.BUNDLE:
            progress(0.95, "writing the dataset card")
            card = data / CARD_NAME
            card.write_text(
                _card(project=project, schema=schema, stats=card_stats, writer_stats=writer_stats,
                      hf_dir=data / "hf", content=content, first_exported_at=first, seed=seed, formats=formats,
                      keep=keep, run=run),
                encoding="utf-8", newline="\n",
            )
            entries.append({"path": CARD_NAME, "bytes": card.stat().st_size, "sha256": sha256_file(card)})
        write_manifest(data, entries=entries, content=content, content_excludes=card_excluded)
        progress(0.96, "zipping")
        zip_folder(data, result)
    stats = {
        "sentences": sum(card_stats.sentences.values()),
        "coverage": card_stats.coverage_dict(),
        "filter": keep.as_dict(),
        "splits": card_stats.as_dict(),
        "formats": {name: s.as_dict() for name, s in writer_stats.items()},
        "snapped": max((s.counts.get("snapped", 0) for s in writer_stats.values()), default=0),
        "excluded_overlapping": max((s.counts.get("excluded_overlapping", 0) for s in writer_stats.values()), default=0),
    }
    return stats, content, first


def _counted(records: Iterator[GoldRecord], total: int, progress: Progress) -> Iterator[GoldRecord]:
    done = 0
    for record in records:
        yield record
        done += 1
        if done % PROGRESS_EVERY == 0:
            progress(0.95 * done / max(total, 1), f"{done} of {total} sentences")


def _fan_out(
    records: Iterator[GoldRecord],
    targets: dict[str, Path],
    schema: dict[str, Any],
    *,
    card_stats: CardStats,
    splits_csv: Path | None,
    keep: RecordFilter | None = None,
    coverage_csv: Path | None = None,
    raw_jsonl: Path | None = None,
) -> dict[str, ExportStats]:
    """One pass over the records into every writer. Only brat gets the document text: the
    other writers would copy it into every sentence's line. Records ``keep`` leaves out go to
    no writer but are counted (``card_stats.coverage``), listed in ``coverage_csv``, and handed
    to a writer's ``skip`` when it has one (brat marks them in the document text it writes).
    ``raw_jsonl``: one line per sentence with submitted annotations, kept or not (ids, split,
    status, confidence, ``raw``): the crowd's labels of every submitted sentence."""
    keep = keep or RecordFilter()
    writers = [
        (name, get_writer(name)(Path(out), schema=schema, **({"shard_size": SPACY_SHARD_SIZE} if name == "spacy" else {})))
        for name, out in targets.items()
    ]
    skips = [(name, writer.skip) for name, writer in writers if hasattr(writer, "skip")]
    csv_file = open(splits_csv, "w", encoding="utf-8", newline="") if splits_csv else None  # noqa: SIM115
    cov_file = open(coverage_csv, "w", encoding="utf-8", newline="") if coverage_csv else None  # noqa: SIM115
    raw_file = open(raw_jsonl, "w", encoding="utf-8", newline="\n") if raw_jsonl else None  # noqa: SIM115
    try:
        splits = csv.writer(csv_file, lineterminator="\n") if csv_file else None
        if splits:
            splits.writerow(("document_id", "title", "split"))  # as exports.splits.write_splits_csv
        cover = csv.writer(cov_file, lineterminator="\n") if cov_file else None
        if cover:
            cover.writerow(("document_id", "sentence_id", "split", "start", "end", "status", "confidence", "included"))
        last_document = None
        for record in records:
            document = record["document"]
            status, confidence = record.get("status", "gold"), record.get("confidence")
            included = keep.keeps(status, confidence)
            card_stats.cover(record, included)
            if cover:
                sentence = record["sentence"]
                cover.writerow((document["id"], sentence["id"], document.get("split", ""), sentence["start"],
                                sentence["end"], status, "" if confidence is None else confidence, int(included)))
            if raw_file and record.get("raw"):
                sentence = record["sentence"]
                raw_file.write(json.dumps({
                    "document_id": document["id"], "sentence_id": sentence["id"], "split": document.get("split"),
                    "text": sentence["text"], "status": status, "confidence": confidence, "raw": record["raw"],
                }, ensure_ascii=False, sort_keys=True) + "\n")
            if splits and document["id"] != last_document:
                last_document = document["id"]
                splits.writerow((document["id"], document.get("title", ""), document.get("split", "")))
            if not included:
                for name, skip in skips:
                    skip(record if name == "brat" else _lean(record))
                continue
            lean = _lean(record)
            for name, writer in writers:
                writer.add(record if name == "brat" else lean)
            card_stats.add(lean)
    finally:
        if csv_file:
            csv_file.close()
        if cov_file:
            cov_file.close()
        if raw_file:
            raw_file.close()
    return {name: writer.close() for name, writer in writers}


def _lean(record: GoldRecord) -> GoldRecord:
    """The record without the document text (same keys and order)."""
    document = record["document"]
    if "text" not in document:
        return record
    lean_document = document.copy()
    del lean_document["text"]
    return {**record, "document": lean_document}  # type: ignore[typeddict-item]


def _write_confusion(path: Path, run: dict[str, Any], label: Callable[[int], str]) -> None:
    """``confusion.json``: the latest run's Dawid–Skene confusion matrices, annotators named by
    ``label`` (pseudonymous ids unless a lead asked for names)."""
    models = {
        key: {**model, "confusion": {label(int(a)): m for a, m in sorted(model["confusion"].items())}}
        for key, model in sorted(run["dawid_skene"].items())
    }
    body = {"method": run["method"], "threshold": run["threshold"], "computed_at": iso_utc(run["computed_at"]),
            "note": "confusion[annotator][true class][their label] = P(label | true class); classes in order",
            "models": models}
    path.write_text(json.dumps(body, ensure_ascii=False, sort_keys=True, indent=1) + "\n", encoding="utf-8")

def zip_folder(folder: Path, out: Path) -> None:
    """Zip ``folder``'s files deterministically: sorted relative names, a fixed date and mode,
    so equal folders give equal bytes. Streams each file (large exports fit in memory)."""
    with zipfile.ZipFile(out, "w", compression=zipfile.ZIP_DEFLATED) as zf:
        for path in sorted(p for p in folder.rglob("*") if p.is_file()):
            info = zipfile.ZipInfo(path.relative_to(folder).as_posix(), date_time=ZIP_DATE)
            info.external_attr = 0o644 << 16
            info.compress_type = zipfile.ZIP_DEFLATED
            big = path.stat().st_size > (1 << 30)
            with path.open("rb") as src, zf.open(info, "w", force_zip64=big) as dst:
                shutil.copyfileobj(src, dst, 1 << 20)


def latest_agreement_report(*, project: Project) -> dict[str, Any] | None:
    """The newest agreement report's JSON, or None (also while the agreement app has no model)."""
    try:
        from annotator.agreement.models import AgreementReport  # type: ignore[import-not-found]
    except ImportError:
        return None
    row = AgreementReport.objects.filter(project=project).order_by("-computed_at").first()
    return dict(row.report) if row is not None else None


def _card(
    *, project: Project, schema: dict[str, Any], stats: CardStats, writer_stats: dict[str, ExportStats],
    hf_dir: Path, content: str, first_exported_at: datetime, seed: int, formats: tuple[str, ...],
    keep: RecordFilter, run: dict[str, Any] | None,
) -> str:
    features = {name: features_yaml_list(f) for name, f in hf_features(schema).items()}  # type: ignore[arg-type]
    hf_splits: dict[str, dict[str, int]] = {}
    hf_bytes: dict[str, dict[str, int]] = {}
    for config in ("ner", "stance"):
        present = sorted(p.stem for p in (hf_dir / config).glob("*.parquet")) if (hf_dir / config).exists() else []
        if present:
            info = {split: _parquet_info(hf_dir / config / f"{split}.parquet") for split in present}
            hf_splits[config] = {split: rows for split, (rows, _) in info.items()}
            hf_bytes[config] = {split: size for split, (_, size) in info.items()}
    metadata = card_metadata(
        name=project.name, license_name=project.license or "unknown",
        features=features, hf_splits=hf_splits, hf_bytes=hf_bytes,
    )
    annotators = project.memberships.filter(role=Role.ANNOTATOR).count()
    return dataset_card(
        metadata=metadata,
        project={"name": project.name, "slug": project.slug, "guidelines_version": project.guidelines_version,
                 "overlap": project.overlap, "annotators": annotators},
        schema=schema,
        stats=stats,
        format_counts={name: dict(s.counts) for name, s in writer_stats.items()},
        agreement=latest_agreement_report(project=project),
        tokenizer=tokenizer_version(),
        export={"content_sha256": content, "exported_at": iso_utc(first_exported_at), "seed": seed,
                "formats": list(formats)},
        selection={"filter": keep.describe(), "statuses": list(keep.statuses), "min_confidence": keep.min_confidence,
                   "run": None if run is None else {"method": run["method"], "threshold": run["threshold"],
                                                    "computed_at": iso_utc(run["computed_at"]),
                                                    "confusion": bool(run["dawid_skene"])},
                   "project_id": project.pk, "slug": project.slug},
    )


def _parquet_info(path: Path) -> tuple[int, int]:
    """Rows and uncompressed bytes of a Parquet file, from its footer."""
    import pyarrow.parquet as pq

    meta = pq.ParquetFile(path).metadata
    return int(meta.num_rows), sum(int(meta.row_group(i).total_byte_size) for i in range(meta.num_row_groups))


def export_job_for(*, job: Job) -> Export:
    """The export a job builds (the job's ``params["export"]``)."""
    return Export.objects.get(pk=job.params["export"])
