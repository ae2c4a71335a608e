"""``export_gold SLUG --format FMT --out PATH``: the export job, run in the foreground.

The same versioned path as the API: an export of unchanged data is the existing version (its
file is copied to PATH, byte for byte); new data becomes the next version, stored under
``MEDIA_ROOT`` like any export (so the ML team can download it too) and copied to PATH.
"""

from __future__ import annotations

import os
import shutil
import sys
import tempfile
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from annotator.core.errors import DomainError
from annotator.exports.card import coverage_summary
from annotator.exports.models import ExportFormat, ExportState
from annotator.exports.services import export_absolute_path, export_filename, export_start
from annotator.exports.tasks import export_job
from annotator.projects.models import Project


class Command(BaseCommand):
    help = (
        "Export a project's gold as FMT (jsonl, conll, spacy, hf, brat, stance-csv, oneie or bundle) to PATH "
        "(a file; or a directory, which gets <slug>-<format>.<ext>). Unchanged data gives the existing version. "
        "Nothing is written at PATH on failure."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("slug")
        parser.add_argument("--format", required=True, choices=ExportFormat.values, dest="fmt")
        parser.add_argument("--out", required=True, help="output file (or existing directory)")
        parser.add_argument("--raw", action="store_true", help="also write every annotator's labels (jsonl)")
        parser.add_argument("--seed", type=int, default=None, help="split seed (default: the project's, 0)")
        parser.add_argument(
            "--status", default=None,
            help="sentences in the files: comma-separated gold,adjudicated,disputed,unannotated or all "
            "(default gold,adjudicated; the card counts every sentence either way)",
        )
        parser.add_argument("--min-confidence", type=float, default=None, dest="min_confidence",
                            help="keep only sentences with at least this confidence (0-1; adjudicated = 1)")
        parser.add_argument("--annotator-names", action="store_true", dest="annotator_names",
                            help="name annotators in raw labels and confusion matrices (default: pseudonymous ids)")

    def handle(
        self, *args: Any, slug: str, fmt: str, out: str, raw: bool, seed: int | None, status: str | None = None,
        min_confidence: float | None = None, annotator_names: bool = False, **options: Any,
    ) -> None:
        project = Project.objects.filter(slug=slug).first()
        if project is None:
            raise CommandError(f"no project with slug {slug!r}")
        path = Path(out)
        if path.is_dir():
            path = path / export_filename(slug=project.slug, format=fmt, version=None)
        if not path.parent.is_dir():
            raise CommandError(f"--out: the folder {str(path.parent)!r} does not exist")
        try:
            export = export_start(project=project, format=fmt, created_by=None, raw=raw, seed=seed, enqueue=False,
                                  enforce_quota=False, status=status, min_confidence=min_confidence,
                                  annotator_names=annotator_names)
        except DomainError as exc:
            raise CommandError(exc.message) from exc
        reused = export.reused and export.state == ExportState.DONE
        if export.state != ExportState.DONE:
            print(f"exporting {fmt} of {slug} (export {export.pk}) ...", file=sys.stderr, flush=True)
            export_job.apply(args=[export.job_id])  # in this process; a worker skips the finished job
            export.refresh_from_db()
        if export.state != ExportState.DONE:
            reason = export.error or f"export {export.pk} is {export.state} (running on a worker?); try again later"
            raise CommandError(f"export failed: {reason}")
        fd, partial = tempfile.mkstemp(prefix=".export-", dir=path.parent)
        os.close(fd)
        try:
            shutil.copyfile(export_absolute_path(export), partial)
            os.replace(partial, path)
        finally:
            Path(partial).unlink(missing_ok=True)
        stats = export.stats
        kind = "existing version" if reused or export.same_as_id else "new version"
        split = max((f["counts"].get("split_tokens", 0) for f in (stats.get("formats") or {}).values()), default=0)
        self.stdout.write(
            f"wrote {path} ({export.size} bytes, sha256 {export.sha256}): {kind} v{export.version}, content sha256 "
            f"{export.content_sha256}; {stats.get('sentences')} sentences; {split} tokens split at span boundaries, "
            f"{stats.get('snapped')} spans trimmed to tokens, {stats.get('excluded_overlapping')} overlapping "
            "entities left out of BIO"
        )
        if stats.get("coverage"):
            self.stdout.write(coverage_summary(stats["coverage"]))
