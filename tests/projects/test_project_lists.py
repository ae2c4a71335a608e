"""The project list, the project detail and the home page: counts by subquery, bounded queries.

They used to annotate two ``Count(distinct)`` over one join of sentences × documents, which is
rows(sentences) × rows(documents) per project: at 50,000 sentences in 2,500 documents the three
reads 500ed after 31 s. How long they take at that size is ``bench/run.py project-lists``;
here, their SQL shape and their query counts.
"""

from __future__ import annotations

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from rest_framework.test import APIClient

from annotator.projects.models import Role
from tests.factories import MembershipFactory, ProjectFactory, UserFactory, add_text

pytestmark = [pytest.mark.django_db, pytest.mark.postgres]

ARTICLE = "Russia and North Korea signed a pact. Seoul protested. Tokyo said nothing."


@pytest.fixture
def member_of_three():
    """A user in three projects; project k has k + 1 articles of three sentences each."""
    user = UserFactory(username="lea")
    projects = []
    for k in range(3):
        project = ProjectFactory()
        MembershipFactory(project=project, user=user, role=Role.LEAD if k == 0 else Role.ANNOTATOR)
        for d in range(k + 1):
            add_text(project, f"{ARTICLE} Article {d} of {project.slug}.", title=f"doc {d}")
        projects.append(project)
    MembershipFactory(project=projects[0], user=UserFactory(username="ann"), role=Role.ANNOTATOR)
    return user, projects


def _api(user) -> APIClient:  # type: ignore[no-untyped-def]
    client = APIClient()
    client.force_authenticate(user)
    return client


def _page(user) -> Client:  # type: ignore[no-untyped-def]
    client = Client()
    client.force_login(user)
    return client


def test_counts_are_right_for_each_project(member_of_three):
    user, projects = member_of_three
    rows = {row["slug"]: row for row in _api(user).get("/api/projects/").json()["results"]}
    for k, project in enumerate(projects):
        sentences = project.sentences.count()
        assert (rows[project.slug]["document_count"], rows[project.slug]["sentence_count"]) == (k + 1, sentences)
        detail = _api(user).get(f"/api/projects/{project.pk}/").json()
        assert (detail["document_count"], detail["sentence_count"]) == (k + 1, sentences)
    home = _page(user).get("/").content.decode()
    assert f"<td>{projects[2].sentences.count()}</td>" in home


@pytest.mark.parametrize("read", ["api-list", "api-detail", "home"])
def test_no_count_distinct_over_the_sentence_document_join(member_of_three, read):
    user, projects = member_of_three
    with CaptureQueriesContext(connection) as queries:
        if read == "api-list":
            assert _api(user).get("/api/projects/").status_code == 200
        elif read == "api-detail":
            assert _api(user).get(f"/api/projects/{projects[2].pk}/").status_code == 200
        else:
            assert _page(user).get("/").status_code == 200
    for query in queries.captured_queries:
        sql = query["sql"].upper()
        assert "COUNT(DISTINCT" not in sql, f"a count over a join that multiplies rows: {sql[:300]}"


def test_the_project_list_query_count_does_not_grow_with_projects(member_of_three, django_assert_max_num_queries):
    user, _ = member_of_three
    client = _api(user)
    with django_assert_max_num_queries(4):  # session/user are forced: count, page, roles (+ slack 1)
        assert _api(user).get("/api/projects/").json()["count"] == 3
    for _ in range(5):
        project = ProjectFactory()
        MembershipFactory(project=project, user=user, role=Role.VIEWER)
        add_text(project, ARTICLE)
    with django_assert_max_num_queries(4):
        assert client.get("/api/projects/").json()["count"] == 8


def test_the_project_detail_query_count_is_pinned(member_of_three, django_assert_max_num_queries):
    user, projects = member_of_three
    client = _api(user)
    with django_assert_max_num_queries(3):  # the permission's role and project, the project with its counts
        assert client.get(f"/api/projects/{projects[2].pk}/").status_code == 200


def test_the_home_page_query_count_does_not_grow_with_projects(member_of_three, django_assert_max_num_queries):
    user, _ = member_of_three
    client = _page(user)
    client.get("/")  # warm the session
    with django_assert_max_num_queries(6):  # session, user, projects, roles, progress, may-create
        assert client.get("/").status_code == 200
    for _ in range(5):
        project = ProjectFactory()
        MembershipFactory(project=project, user=user, role=Role.VIEWER)
        add_text(project, ARTICLE)
    with django_assert_max_num_queries(6):
        assert client.get("/").status_code == 200


def test_the_project_page_query_count_does_not_grow_with_documents(member_of_three, django_assert_max_num_queries):
    """``.only()`` without the project column made Django load it again for every document
    (the related manager sets ``document.project``): 200 extra queries on a big project."""
    user, projects = member_of_three
    client = _page(user)
    client.get(f"/p/{projects[0].slug}/")
    for d in range(5):
        add_text(projects[0], f"{ARTICLE} More {d}.", title=f"more {d}")
    with django_assert_max_num_queries(8):  # session, user, project, role, progress, documents, members (+1)
        response = client.get(f"/p/{projects[0].slug}/")
    assert response.status_code == 200 and "more 4" in response.content.decode()


def test_progress_counts_started_and_complete_sentences(member_of_three):
    from annotator.annotations.models import Annotation, AnnotationStatus
    from annotator.projects.selectors import projects_progress

    user, projects = member_of_three
    project = projects[1]  # overlap 2; two articles
    other = UserFactory(username="bob")
    first, second, third = project.sentences.order_by("id")[:3]
    for sentence, people in ((first, (user, other)), (second, (user,))):
        for person in people:
            Annotation.objects.create(project=project, sentence=sentence, annotator=person, labels={},
                                      status=AnnotationStatus.SUBMITTED)
    Annotation.objects.create(project=project, sentence=third, annotator=user, labels={}, status=AnnotationStatus.DRAFT)
    progress = projects_progress(project_ids=[p.pk for p in projects])
    assert progress[project.pk] == {"sentences": project.sentences.count(), "started": 2, "complete": 1}
    assert progress[projects[0].pk] == {"sentences": projects[0].sentences.count(), "started": 0, "complete": 0}
    assert projects_progress(project_ids=[]) == {}
