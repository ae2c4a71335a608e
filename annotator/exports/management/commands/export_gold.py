"""``export_gold SLUG --format FMT --out PATH``: the export job's code, in the foreground."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from annotator.core.errors import DomainError
from annotator.exports.models import ExportFormat
from annotator.exports.services import export_build, export_filename, project_split_seed
from annotator.projects.models import Project


class Command(BaseCommand):
    help = (
        "Export a project's gold as FMT (jsonl, conll, spacy, hf, brat, stance-csv, oneie or bundle) to PATH "
        "(a file; or a directory, which gets <slug>-<format>.<ext>). Nothing is written at PATH on failure."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("slug")
        parser.add_argument("--format", required=True, choices=ExportFormat.values, dest="fmt")
        parser.add_argument("--out", required=True, help="output file (or existing directory)")
        parser.add_argument("--raw", action="store_true", help="also write every annotator's labels (jsonl)")
        parser.add_argument("--seed", type=int, default=None, help="split seed (default: the project's, 0)")

    def handle(self, *args: Any, slug: str, fmt: str, out: str, raw: bool, seed: int | None, **options: Any) -> None:
        project = Project.objects.filter(slug=slug).first()
        if project is None:
            raise CommandError(f"no project with slug {slug!r}")
        path = Path(out)
        if path.is_dir():
            path = path / export_filename(slug=project.slug, format=fmt, version=None)
        if not path.parent.is_dir():
            raise CommandError(f"--out: the folder {str(path.parent)!r} does not exist")

        def progress(fraction: float, message: str = "") -> None:
            print(f"\r{int(100 * fraction):3d}% {message}".ljust(60), end="", file=sys.stderr, flush=True)

        try:
            result = export_build(
                project=project, format=fmt, out_path=path, version=None,
                seed=project_split_seed(project) if seed is None else seed, raw=raw, progress=progress,
            )
        except DomainError as exc:
            raise CommandError(exc.message) from exc
        finally:
            print(file=sys.stderr)
        stats = result["stats"]
        self.stdout.write(
            f"wrote {path} ({result['size']} bytes, sha256 {result['sha256']}): {stats['sentences']} sentences; "
            f"{stats['snapped']} spans snapped to tokens, {stats['excluded_overlapping']} overlapping entities "
            "left out of BIO"
        )
