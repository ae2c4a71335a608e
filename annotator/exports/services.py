"""Building gold-dataset exports: the one code path behind the job, the API and ``export_gold``.

Shape of an export (all files written by the pure writers of :mod:`annotator.exports.formats`):

- ``jsonl`` → ``gold.jsonl`` as is; ``stance-csv`` → ``stance.csv`` as is;
- ``conll``, ``spacy``, ``hf``, ``brat``, ``oneie`` → a zip of the writer's folder plus
  ``MANIFEST.json`` and ``SHA256SUMS``;
- ``bundle`` → a zip of every format in its own folder, ``splits.csv``, a dataset card
  ``README.md`` (Hugging Face YAML + prose, see :mod:`annotator.exports.card`) and the manifest.

Zips are deterministic (sorted members, fixed dates and modes), and no data file carries a
timestamp, so re-exporting unchanged gold gives byte-identical files; only a bundle's card (and
so its manifest) names the export time and version.

Everything is written in a private work folder and moved into place with one ``os.replace`` at
the end: a partial file is never at the destination.
"""

from __future__ import annotations

import csv
import logging
import os
import shutil
import tempfile
import zipfile
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

from django.conf import settings
from django.db import transaction
from django.db.models import Count, Max, Sum
from django.utils import timezone

from annotator.core.errors import DomainError
from annotator.documents.segment import tokenizer_version
from annotator.exports.card import CardStats, card_metadata, dataset_card
from annotator.exports.formats import ExportStats, GoldRecord, get_writer
from annotator.exports.formats.hf import features_yaml_list, hf_features
from annotator.exports.formats.manifest import sha256_file, write_manifest
from annotator.exports.models import Export, ExportFormat, ExportState
from annotator.exports.records import gold_records, iso_utc
from annotator.gold.models import Gold
from annotator.jobs.models import Job
from annotator.jobs.services import job_create
from annotator.projects.models import Project, Role

logger = logging.getLogger(__name__)

EXPORT_JOB_KIND = "export"
EXPORTS_DIR = "exports"
BUNDLE_FORMATS: tuple[str, ...] = ("jsonl", "conll", "spacy", "hf", "brat", "stance-csv", "oneie")
# formats that are one file: shipped as that file, not zipped
SINGLE_FILE = {"jsonl": ("gold.jsonl", ".jsonl", "application/x-ndjson"),
               "stance-csv": ("stance.csv", ".csv", "text/csv; charset=utf-8")}
ZIP_TYPE = "application/zip"
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


def _check_has_gold(project: Project) -> None:
    if not Gold.objects.filter(project=project).exists():
        raise DomainError(
            f"project {project.slug!r} has no gold sentences yet: adjudicate or aggregate annotations first",
            field="project",
        )


def project_split_seed(project: Project) -> int:
    """The project's split seed (a ``split_seed`` field when the project has one, else 0)."""
    return int(getattr(project, "split_seed", 0) or 0)


def export_start(*, project: Project, format: str, created_by: Any, raw: bool = False) -> Export:
    """Create the next version of ``format`` for ``project`` and enqueue its job.

    Preconditions: ``format`` is an :class:`ExportFormat` value and the project has gold
    (else :class:`DomainError` naming the field). The project row is locked while the version
    number is chosen, so two concurrent starts get different versions (the unique constraint
    backs this). Enqueues ``export_job(job.id)`` after commit. Not idempotent by design: each
    call is a new export version.
    """
    from annotator.exports.tasks import export_job  # tasks import this module

    _check_format(format)
    _check_has_gold(project)
    with transaction.atomic():
        Project.objects.select_for_update().filter(pk=project.pk).first()
        latest = Export.objects.filter(project=project, format=format).aggregate(v=Max("version"))["v"] or 0
        version = latest + 1
        filename = export_filename(slug=project.slug, format=format, version=version)
        export = Export.objects.create(
            project=project,
            format=format,
            version=version,
            params={"seed": project_split_seed(project), "raw": bool(raw)},
            filename=filename,
            content_type=export_content_type(format),
            created_by=created_by,
        )
        job = job_create(
            kind=EXPORT_JOB_KIND,
            project=project,
            params={"export": export.pk, "format": format, "version": version},
            created_by=created_by,
            enqueue=lambda job_id: export_job.delay(job_id),
        )
        export.job = job
        export.save(update_fields=["job"])
    return export


# --- running -------------------------------------------------------------------------------------


def export_run(*, export_id: int, progress: Progress = _no_progress) -> Export:
    """Build the export's file and mark it done.

    Safe to run twice: a done export is returned untouched; otherwise the file is rebuilt in a
    fresh work folder and moved to the same deterministic path (replacing a copy a crashed run
    may have moved there), and the row is updated once. So one Export row, one file.
    """
    with transaction.atomic():
        export = Export.objects.select_for_update().select_related("project").get(pk=export_id)
        if export.state == ExportState.DONE:
            return export
        export.state = ExportState.RUNNING
        export.save(update_fields=["state"])
    project = export.project
    relative = export_relative_path(
        project_id=project.pk, format=export.format, version=export.version, filename=export.filename
    )
    target = Path(settings.MEDIA_ROOT) / relative
    work_root = Path(settings.MEDIA_ROOT) / EXPORTS_DIR / ".work"
    result = export_build(
        project=project,
        format=export.format,
        out_path=target,
        version=export.version,
        seed=export.params.get("seed", 0),
        raw=export.params.get("raw", False),
        work_root=work_root,
        progress=progress,
    )
    Export.objects.filter(pk=export.pk).update(
        state=ExportState.DONE,
        path=relative,
        sha256=result["sha256"],
        size=result["size"],
        stats=result["stats"],
        snapshot=result["snapshot"],
        error="",
        finished_at=timezone.now(),
    )
    export.refresh_from_db()
    return export


def export_fail(*, export_id: int, error: str) -> None:
    """Mark an unfinished export failed (a done export stays done)."""
    Export.objects.filter(pk=export_id).exclude(state=ExportState.DONE).update(
        state=ExportState.FAILED, error=error[:2000], finished_at=timezone.now()
    )


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
    work_root: Path | None = None,
    progress: Progress = _no_progress,
) -> dict[str, Any]:
    """Write the ``format`` export of ``project``'s gold to the file ``out_path``.

    Streams the gold from the database once (see :func:`gold_records`), writes in a work folder
    under ``work_root`` (default: next to ``out_path``; it must be on the same file system),
    then moves the one finished file to ``out_path`` atomically. On any error nothing is left at
    ``out_path`` (an older file there is untouched) and the work folder is removed.
    Returns ``{"sha256", "size", "stats", "snapshot"}``.
    """
    _check_format(format)
    _check_has_gold(project)
    out_path = Path(out_path)
    out_path.parent.mkdir(parents=True, exist_ok=True)
    work_root = Path(work_root) if work_root is not None else out_path.parent
    work_root.mkdir(parents=True, exist_ok=True)
    work = Path(tempfile.mkdtemp(prefix=".export-", dir=work_root))
    try:
        snapshot = export_snapshot(project=project)
        stats = _write(project=project, format=format, work=work, version=version, seed=seed, raw=raw,
                       total=snapshot["gold_sentences"], progress=progress)
        produced = work / "result"
        progress(0.97, "checksumming")
        digest = sha256_file(produced)
        size = produced.stat().st_size
        os.replace(produced, out_path)
    finally:
        shutil.rmtree(work, ignore_errors=True)
    return {"sha256": digest, "size": size, "stats": stats, "snapshot": {**snapshot, "seed": seed, "raw": raw}}


def _write(
    *, project: Project, format: str, work: Path, version: int | None, seed: int, raw: bool, total: int,
    progress: Progress,
) -> dict[str, Any]:
    data = work / "data"
    data.mkdir()
    schema = dict(project.label_schema or {})
    formats = BUNDLE_FORMATS if format == ExportFormat.BUNDLE else (format,)
    wants_text = "brat" in formats
    records = _counted(
        gold_records(project=project, seed=seed, include_raw=raw, document_text=wants_text), total, progress
    )
    card_stats = CardStats()
    if format == ExportFormat.BUNDLE:
        targets = {name: data / name for name in formats}
        writer_stats = _fan_out(records, targets, schema, card_stats=card_stats, splits_csv=data / "splits.csv")
    else:
        writer_stats = _fan_out(records, {format: data}, schema, card_stats=card_stats, splits_csv=None)
    result = work / "result"
    if format in SINGLE_FILE:
        os.replace(data / SINGLE_FILE[format][0], result)
    else:
        if format == ExportFormat.BUNDLE:
            progress(0.95, "writing the dataset card")
            (data / "README.md").write_text(
                _card(project=project, schema=schema, stats=card_stats, writer_stats=writer_stats,
                      hf_dir=data / "hf", version=version, seed=seed, formats=formats),
                encoding="utf-8", newline="\n",
            )
        write_manifest(data)
        progress(0.96, "zipping")
        zip_folder(data, result)
    return {
        "sentences": sum(card_stats.sentences.values()),
        "splits": card_stats.as_dict(),
        "formats": {name: s.as_dict() for name, s in writer_stats.items()},
        "snapped": max((s.counts.get("snapped", 0) for s in writer_stats.values()), default=0),
        "excluded_overlapping": max((s.counts.get("excluded_overlapping", 0) for s in writer_stats.values()), default=0),
    }


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
) -> dict[str, ExportStats]:
    """One pass over the records into every writer. Only brat gets the document text: the
    other writers would copy it into every sentence's line."""
    writers = [
        (name, get_writer(name)(Path(out), schema=schema, **({"shard_size": SPACY_SHARD_SIZE} if name == "spacy" else {})))
        for name, out in targets.items()
    ]
    csv_file = open(splits_csv, "w", encoding="utf-8", newline="") if splits_csv else None  # noqa: SIM115
    try:
        splits = csv.writer(csv_file, lineterminator="\n") if csv_file else None
        if splits:
            splits.writerow(("document_id", "title", "split"))  # as exports.splits.write_splits_csv
        last_document = None
        for record in records:
            document = record["document"]
            lean = record
            if "text" in document:
                lean_document = document.copy()  # same keys and order, minus the text
                del lean_document["text"]
                lean = {**record, "document": lean_document}
            for name, writer in writers:
                writer.add(record if name == "brat" else lean)
            card_stats.add(lean)
            if splits and document["id"] != last_document:
                last_document = document["id"]
                splits.writerow((document["id"], document.get("title", ""), document.get("split", "")))
    finally:
        if csv_file:
            csv_file.close()
    return {name: writer.close() for name, writer in writers}


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
    hf_dir: Path, version: int | None, seed: int, formats: tuple[str, ...],
) -> str:
    features = {name: features_yaml_list(f) for name, f in hf_features(schema).items()}
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
        export={"version": version if version is not None else "(command line)",
                "exported_at": iso_utc(timezone.now()), "seed": seed, "formats": list(formats)},
    )


def _parquet_info(path: Path) -> tuple[int, int]:
    """Rows and uncompressed bytes of a Parquet file, from its footer."""
    import pyarrow.parquet as pq

    meta = pq.ParquetFile(path).metadata
    return int(meta.num_rows), sum(int(meta.row_group(i).total_byte_size) for i in range(meta.num_row_groups))


def export_job_for(*, job: Job) -> Export:
    """The export a job builds (the job's ``params["export"]``)."""
    return Export.objects.get(pk=job.params["export"])
