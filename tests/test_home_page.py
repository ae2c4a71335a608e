import pytest

from annotator.annotations.services import annotation_save
from annotator.projects.models import Role
from annotator.projects.selectors import project_progress, projects_progress
from tests.factories import ARTICLE, MembershipFactory, ProjectFactory, UserFactory, add_text

pytestmark = pytest.mark.django_db


def test_progress_counts_started_and_complete_sentences_per_project():
    project = ProjectFactory(overlap=2)
    add_text(project, ARTICLE)
    ann, bob = UserFactory(), UserFactory()
    first, second = project.sentences.order_by("index")[:2]
    for user in (ann, bob):
        annotation_save(sentence=first, annotator=user, payload={"status": "submitted", "version": 0})
    annotation_save(sentence=second, annotator=ann, payload={"status": "submitted", "version": 0})
    annotation_save(sentence=second, annotator=bob, payload={"status": "draft", "version": 0})
    empty = ProjectFactory()
    assert project_progress(project=project) == {"sentences": 6, "started": 2, "complete": 1}
    assert projects_progress(project_ids=[empty.pk])[empty.pk] == {"sentences": 0, "complete": 0, "started": 0}


def test_my_projects_page_does_not_query_per_project(client, django_assert_max_num_queries):
    user = UserFactory()
    for _ in range(8):
        project = ProjectFactory()
        add_text(project, ARTICLE)
        MembershipFactory(project=project, user=user, role=Role.ANNOTATOR)
    client.force_login(user)
    with django_assert_max_num_queries(6):
        response = client.get("/")
    assert response.status_code == 200 and response.content.count(b"<progress") == 8
