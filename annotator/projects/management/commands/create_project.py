import json
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from annotator.core.errors import DomainError
from annotator.projects.services import project_create


class Command(BaseCommand):
    help = "Create a project with a label schema (JSON file, see README)."

    def add_arguments(self, parser) -> None:
        parser.add_argument("slug")
        parser.add_argument("--schema", required=True, help="label schema JSON file")
        parser.add_argument("--name", default="")
        parser.add_argument("--overlap", type=int, default=2, help="annotators per sentence (k), default 2")
        parser.add_argument("--guidelines", help="Markdown file with the annotation guidelines")

    def handle(self, *args, **options) -> None:
        path = Path(options["schema"])
        try:
            schema = json.loads(path.read_text("utf-8"))
        except FileNotFoundError:
            raise CommandError(f"{path}: no such file") from None
        except (UnicodeDecodeError, json.JSONDecodeError) as exc:
            line = getattr(exc, "lineno", None)
            raise CommandError(f"{path}{f', line {line}' if line else ''}: not valid JSON: {exc}") from None
        guidelines = Path(options["guidelines"]).read_text("utf-8") if options["guidelines"] else ""
        try:
            project = project_create(
                slug=options["slug"],
                name=options["name"],
                label_schema=schema,
                overlap=options["overlap"],
                guidelines=guidelines,
            )
        except DomainError as exc:
            details = "\n".join(f"  {e['field']}: {e['message']}" for e in exc.errors[1:])
            raise CommandError(f"{path}: {exc.message}" + (f"\n{details}" if details else "")) from None
        self.stdout.write(f"created project '{project.slug}' (id {project.pk}, overlap {project.overlap})")
