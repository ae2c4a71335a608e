"""``aggregate_gold SLUG [--method majority|dawid-skene] [--threshold T] [--json]``: the
aggregation job's computation, in the foreground."""

from __future__ import annotations

import json
from typing import Any

from django.core.management.base import BaseCommand, CommandError

from annotator.core.errors import DomainError
from annotator.gold.services import METHODS, gold_aggregate
from annotator.projects.models import Project


class Command(BaseCommand):
    help = (
        "Aggregate a project's submitted annotations into candidate gold and the adjudication queue "
        "(the same code as the Celery job). Never overwrites gold decided by a lead; safe to run twice."
    )

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("slug")
        parser.add_argument("--method", choices=METHODS, default="majority")
        parser.add_argument("--threshold", type=float, default=0.5, help="fraction of annotators (0-1], default 0.5")
        parser.add_argument("--json", action="store_true", help="print the summary as JSON on stdout (and nothing else)")

    def handle(self, *args: Any, slug: str, method: str, threshold: float, json: bool = False, **options: Any) -> None:
        project = Project.objects.filter(slug=slug).first()
        if project is None:
            raise CommandError(f"no project with slug {slug!r}")

        def progress(fraction: float, message: str = "") -> None:
            self.stderr.write(f"{round(100 * fraction):3d}% {message}")  # stderr: --json keeps stdout clean

        try:
            summary = gold_aggregate(project=project, method=method, threshold=threshold, progress=progress)
        except DomainError as exc:
            raise CommandError(f"{exc.field}: {exc.message}" if exc.field else exc.message) from exc
        if json:
            self.stdout.write(_json(summary))
        else:
            self.stdout.write(
                f"{summary['sentences']} sentences aggregated ({summary['method']}, threshold {summary['threshold']}): "
                f"{summary['created']} gold created, {summary['updated']} updated, {summary['unchanged']} unchanged, "
                f"{summary['kept_lead_gold']} decided by a lead kept, {summary['queue']} to adjudicate"
            )


def _json(summary: dict[str, Any]) -> str:
    return json.dumps(summary, indent=2)
