"""Agreement endpoints: the permission matrix, 202 + job, 404 with a message, pinned queries."""

from __future__ import annotations

import pytest
from rest_framework.test import APIClient

from annotator.agreement.models import AgreementReport
from annotator.agreement.services import agreement_compute
from annotator.jobs.models import Job
from annotator.projects.models import Role
from tests.factories import ARTICLE, MembershipFactory, ProjectFactory, UserFactory, add_text

pytestmark = [pytest.mark.postgres, pytest.mark.django_db]


@pytest.fixture
def people():
    project = ProjectFactory()
    add_text(project, ARTICLE)
    users = {role: MembershipFactory(project=project, role=role).user for role in (Role.LEAD, Role.ANNOTATOR, Role.VIEWER)}
    users["other annotator"] = MembershipFactory(project=project, role=Role.ANNOTATOR).user
    users["non-member"] = UserFactory()
    users["anonymous"] = None
    return project, users


def _client(user) -> APIClient:  # type: ignore[no-untyped-def]
    client = APIClient()
    if user is not None:
        client.force_authenticate(user)
    return client


START = {"lead": 202, "annotator": 403, "viewer": 403, "other annotator": 403, "non-member": 404, "anonymous": 403}
READ = {"lead": 200, "annotator": 403, "viewer": 200, "other annotator": 403, "non-member": 404, "anonymous": 403}


@pytest.mark.parametrize("who", list(START))
def test_start_permission_matrix(people, who, django_capture_on_commit_callbacks):
    project, users = people
    with django_capture_on_commit_callbacks(execute=False):
        response = _client(users[who]).post(f"/api/projects/{project.id}/agreement/", {}, format="json")
    assert response.status_code == START[who], response.content
    if who == "lead":
        assert Job.objects.get(pk=response.json()["job"]).kind == "agreement"


@pytest.mark.parametrize("who", list(READ))
def test_latest_and_history_permission_matrix(people, who):
    project, users = people
    agreement_compute(project=project)
    latest = _client(users[who]).get(f"/api/projects/{project.id}/agreement/latest/")
    history = _client(users[who]).get(f"/api/projects/{project.id}/agreement/reports/")
    assert latest.status_code == READ[who]
    assert history.status_code == READ[who]


def test_latest_is_404_with_a_clear_message_before_any_report(people):
    project, users = people
    response = _client(users["lead"]).get(f"/api/projects/{project.id}/agreement/latest/")
    assert response.status_code == 404
    assert "no agreement report yet" in response.json()["detail"]


def test_latest_returns_the_newest_report_with_its_data_version(people):
    project, users = people
    agreement_compute(project=project)
    newest = agreement_compute(project=project)
    body = _client(users["lead"]).get(f"/api/projects/{project.id}/agreement/latest/").json()
    assert body["report_id"] == newest.pk
    assert body["data_version"] == newest.data_version == "0@-"
    assert body["job"] is None
    assert {"project", "computed_at", "annotators", "sentences", "stance", "events", "entities"} <= set(body)


def test_history_list_query_count_is_pinned(people, django_assert_max_num_queries):
    project, users = people
    for _ in range(5):
        agreement_compute(project=project)
    client = _client(users["lead"])
    with django_assert_max_num_queries(6):  # permission + project lookups, count, page; not per row
        response = client.get(f"/api/projects/{project.id}/agreement/reports/")
    assert response.json()["count"] == 5 == AgreementReport.objects.filter(project=project).count()
