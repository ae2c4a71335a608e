"""factory_boy factories and small builders that go through the real services."""

from __future__ import annotations

import factory
from django.contrib.auth import get_user_model

from annotator.documents.parsing import ArticleIn
from annotator.documents.services import articles_store
from annotator.projects.models import Membership, Project, Role

SCHEMA = {
    "entity_types": [
        {"name": "PER", "hotkey": "p"},
        {"name": "GPE", "hotkey": "g"},
        {"name": "ORG", "hotkey": "o"},
    ],
    "allow_overlapping_entities": False,
    "stance": {"targets": ["the pact"], "labels": ["favor", "against", "neutral", "none"]},
    "event_types": [{"name": "Contact:Meet", "roles": ["Entity", "Place", "Time"]}],
}


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = get_user_model()
        django_get_or_create = ("username",)
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    @factory.post_generation
    def password(self, create, extracted, **kwargs):  # type: ignore[no-untyped-def]
        self.set_password(extracted or "pw-accord-test")
        if create:
            self.save(update_fields=["password"])


class ProjectFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Project

    slug = factory.Sequence(lambda n: f"project-{n}")
    name = factory.LazyAttribute(lambda o: o.slug.title())
    label_schema = factory.LazyFunction(lambda: {**SCHEMA})
    overlap = 2


class MembershipFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Membership

    project = factory.SubFactory(ProjectFactory)
    user = factory.SubFactory(UserFactory)
    role = Role.ANNOTATOR


def add_text(project: Project, text: str, title: str = "An article") -> None:
    """Import one article through the real segmentation and insert path."""
    articles_store(project=project, articles=[ArticleIn(title=title, text=text)])


ARTICLE = (
    "Putin met Kim in Pyongyang. The U.S. said troops moved. "
    "Russia ratified the pact on Thursday.\n\n"
    "Observers said Moscow could share weapons. Seoul protested. Tokyo stayed silent."
)
