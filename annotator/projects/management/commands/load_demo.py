from django.core.management.base import BaseCommand

from annotator.projects.demo import demo_load
from annotator.projects.selectors import project_progress


class Command(BaseCommand):
    help = "Create or refresh the demo project (seed article, a lead, three annotators). Safe to run twice."

    def handle(self, *args, **options) -> None:
        result = demo_load()
        project = result.project
        progress = project_progress(project=project)
        verb = "created" if result.created else "refreshed"
        self.stdout.write(
            f"{verb} demo project '{project.slug}': {progress['sentences']} sentences, "
            f"{result.annotations_written} annotations written"
        )
        if result.practice is not None:
            self.stdout.write(
                f"practice project '{result.practice.slug}': the same article, not yet annotated "
                f"(annotators find work at /p/{result.practice.slug}/annotate/)"
            )
        self.stdout.write("logins (username / password / role):")
        for username, password, role in result.logins:
            self.stdout.write(f"  {username:<8} {password:<14} {role}")
