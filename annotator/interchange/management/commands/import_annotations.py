"""``import_annotations SLUG PATH --from FORMAT``: other tools' annotations, attributed."""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError

from annotator.core.errors import DomainError
from annotator.interchange.placement import POLICIES
from annotator.interchange.readers import READERS
from annotator.interchange.readers.labelstudio import users_from_json
from annotator.interchange.services import AUTO, annotations_import, label_map_parse, members_read_error
from annotator.interchange.sources import members_from_path
from annotator.interchange.types import ReadError, ReadOptions
from annotator.projects.models import Project

MISFITS_SHOWN = 50


class Command(BaseCommand):
    help = (
        "Import annotations made in another tool (doccano, Label Studio, brat, CoNLL, Accord JSONL); all or nothing. "
        "For the server's administrator: annotators are matched to any account by name, and missing ones are "
        "created without a usable password."
    )

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("slug")
        parser.add_argument("path", help="a file, a zip, or a folder")
        parser.add_argument("--from", dest="format", required=True, choices=[*sorted(READERS), AUTO],
                            help="the tool that made PATH; auto: detect it (and say why)")
        parser.add_argument("--as", dest="as_user", help="annotator name for a single-annotator file or folder")
        parser.add_argument("--map", action="append", default=[], metavar="OLD=NEW", help="rename a label (repeatable)")
        parser.add_argument("--on-misfit", choices=POLICIES, default="report",
                            help="snap: cut/widen to sentence and tokens (counted); report: refuse and list; fail: abort")
        parser.add_argument("--dry-run", action="store_true", help="read, place and count; write nothing")
        parser.add_argument("--users", help="Label Studio users (GET /api/users/ response) to name completed_by ids")
        parser.add_argument("--annotator", action="append", default=[], metavar="OLD=NEW",
                            help="attribute the file's annotator OLD to the account NEW (repeatable)")
        parser.add_argument("--gold-from", help="this annotator's work is imported as gold instead")
        parser.add_argument("--json", action="store_true", help="print the summary (with every misfit) as JSON")

    def handle(self, *args: Any, **options: Any) -> None:
        project = Project.objects.filter(slug=options["slug"]).first()
        if project is None:
            raise CommandError(f"no project with slug {options['slug']!r}")
        users: dict[int, str] = {}
        if options["users"]:
            try:
                users = users_from_json(Path(options["users"]).read_bytes())
            except (OSError, ValueError) as exc:
                raise CommandError(f"{options['users']}: not a Label Studio users file ({exc}); nothing imported") from None
        path = Path(options["path"])

        def progress(fraction: float, message: str) -> None:
            if sys.stderr.isatty():
                self.stderr.write(f"\r{int(fraction * 100):3d}% {message[:60]:<60}", ending="")

        try:
            members = members_from_path(path)
            summary = annotations_import(
                project=project,
                format=options["format"],
                members=members,
                options=ReadOptions(as_user=options["as_user"], users=users, source_name=path.name),
                label_map=label_map_parse(options["map"]),
                on_misfit=options["on_misfit"],
                dry_run=options["dry_run"],
                gold_from=options["gold_from"],
                annotator_map=label_map_parse(options["annotator"], field="annotator"),
                progress=progress,
            )
        except ReadError as exc:
            raise CommandError(members_read_error(exc).message) from None
        except DomainError as exc:
            message = exc.message if "nothing imported" in exc.message else f"{exc.message}; nothing imported"
            raise CommandError(message) from None
        if sys.stderr.isatty():
            self.stderr.write("")
        if options["json"]:
            self.stdout.write(json.dumps(summary.as_dict(), ensure_ascii=False, indent=2))
            return
        for misfit in summary.misfits[:MISFITS_SHOWN]:
            where = misfit["file"] + (f":{misfit['line']}" if misfit["line"] else "")
            where += f" ({misfit['detail']})" if misfit["detail"] else ""
            who = f"{misfit['annotator']}: " if misfit["annotator"] else ""
            self.stderr.write(f"misfit {misfit['action']}: {where}: {who}{misfit['reason']}")
        if summary.detected:
            self.stderr.write(f"detected {summary.format}: {summary.detected}")
        for note in summary.notes:
            where = note["file"] + (f":{note['line']}" if note["line"] else "")
            times = f" (×{note['count']})" if note.get("count", 1) > 1 else ""
            self.stderr.write(f"note: {where + ': ' if where else ''}{note['reason']}{times}")
        if len(summary.misfits) > MISFITS_SHOWN:
            self.stderr.write(f"... and {len(summary.misfits) - MISFITS_SHOWN} more misfits (--json lists them all)")
        self.stdout.write(summary.line())
