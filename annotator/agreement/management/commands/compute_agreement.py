"""``compute_agreement SLUG [--json]``: the agreement job's computation, in the foreground."""

from __future__ import annotations

import json
from typing import Any

from django.core.management.base import BaseCommand, CommandError

from annotator.agreement.services import agreement_compute
from annotator.projects.models import Project


class Command(BaseCommand):
    help = "Compute the agreement report of a project now (the same code as the Celery job) and store it."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("slug")
        parser.add_argument("--json", action="store_true", help="print the report as JSON on stdout (and nothing else)")

    def handle(self, *args: Any, slug: str, json: bool = False, **options: Any) -> None:
        project = Project.objects.filter(slug=slug).first()
        if project is None:
            raise CommandError(f"no project with slug {slug!r}")

        def progress(fraction: float, message: str = "") -> None:
            # progress always on stderr, so that --json leaves stdout to the report alone
            self.stderr.write(f"{round(100 * fraction):3d}% {message}")

        stored = agreement_compute(project=project, progress=progress)
        self.stderr.write(f"100% stored report {stored.pk} ({stored.seconds:.1f} s, data {stored.data_version})")
        if json:
            self.stdout.write(_dumps(stored.report))
        else:
            self.stdout.write(_summary(stored.report))


def _dumps(report: dict[str, Any]) -> str:
    return json.dumps(report, ensure_ascii=False, indent=2, sort_keys=False)


def _summary(report: dict[str, Any]) -> str:
    lines = [f"{report['project']}: {len(report['annotators'])} annotators, "
             f"{report['sentences_annotated']} of {report['sentences']} sentences annotated"]
    for target, values in report["stance"].items():
        lines.append(f"stance {target}: alpha {values['alpha']} CI95 {values['alpha_ci95']}")
    lines.append(f"entities: exact F1 {report['entities'].get('exact', {}).get('f1')}, "
                 f"overlap F1 {report['entities'].get('overlap', {}).get('f1')}")
    lines.append(f"events: MASI alpha {report['events'].get('masi_alpha')}, "
                 f"trigger F1 {report['events'].get('trigger_f1')}")
    return "\n".join(lines)
