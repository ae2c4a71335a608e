import sys
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from annotator.core.errors import DomainError
from annotator.documents.services import articles_import
from annotator.projects.models import Project


class Command(BaseCommand):
    help = "Import articles (.txt, .jsonl, .csv) into a project; all or nothing."

    def add_arguments(self, parser) -> None:
        parser.add_argument("slug")
        parser.add_argument("files", nargs="+")

    def handle(self, *args, **options) -> None:
        project = Project.objects.filter(slug=options["slug"]).first()
        if project is None:
            raise CommandError(f"no project with slug {options['slug']!r}")
        files = []
        for name in options["files"]:
            path = Path(name)
            if not path.is_file():
                raise CommandError(f"{name}: no such file; nothing imported")
            files.append((str(path), path.read_bytes()))

        def progress(fraction: float, message: str) -> None:
            if sys.stderr.isatty():
                self.stderr.write(f"\r{int(fraction * 100):3d}% {message[:60]:<60}", ending="")

        try:
            summary = articles_import(project=project, files=files, progress=progress)
        except DomainError as exc:
            raise CommandError(f"{exc.message}; nothing imported") from None
        if sys.stderr.isatty():
            self.stderr.write("")
        self.stdout.write(summary.line())
