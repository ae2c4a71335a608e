from django.core.management.base import BaseCommand, CommandError

from annotator.core.errors import DomainError
from annotator.projects.models import Project, Role
from annotator.projects.services import membership_set, user_ensure


class Command(BaseCommand):
    help = "Add a user to a project with a role (creates the user if missing)."

    def add_arguments(self, parser) -> None:
        parser.add_argument("slug")
        parser.add_argument("username")
        parser.add_argument("--role", required=True, choices=Role.values)
        parser.add_argument("--password", help="set this password (validated by Django's password rules)")

    def handle(self, *args, **options) -> None:
        project = Project.objects.filter(slug=options["slug"]).first()
        if project is None:
            raise CommandError(f"no project with slug {options['slug']!r}")
        try:
            user = user_ensure(username=options["username"], password=options["password"])
            membership_set(project=project, user=user, role=options["role"])
        except DomainError as exc:
            raise CommandError(f"{exc.field}: {exc.message}" if exc.field else exc.message) from None
        self.stdout.write(f"{user.username} is {options['role']} of '{project.slug}'")
