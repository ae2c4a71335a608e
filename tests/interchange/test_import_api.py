"""POST /api/projects/{id}/imports/ with a format: a preview (dry_run) or a job."""

from __future__ import annotations

import pytest
from django.contrib.auth import get_user_model
from django.core.files.uploadedfile import SimpleUploadedFile
from rest_framework.test import APIClient

from annotator.annotations.models import Annotation
from annotator.documents.models import Document
from annotator.interchange.tasks import import_annotations_job
from annotator.jobs.models import Job
from annotator.projects.models import Membership, Role
from tests.factories import ProjectFactory, UserFactory

from .test_import_service import FIXTURES, schema_for

pytestmark = pytest.mark.django_db


@pytest.fixture
def setup(truth):
    project = ProjectFactory(label_schema=schema_for(truth), overlap=3)
    users = {}
    for role in (Role.LEAD, Role.ANNOTATOR, Role.VIEWER):
        users[role] = UserFactory(username=f"api-{role}")
        Membership.objects.create(project=project, user=users[role], role=role)
    users["outsider"] = UserFactory(username="api-outsider")
    for name in ("ann1", "ann2", "ann3"):  # the annotators joined by invitation before the import
        Membership.objects.create(project=project, user=UserFactory(username=name), role=Role.ANNOTATOR)
    return project, users


def client_for(user):
    client = APIClient()
    if user is not None:
        client.force_authenticate(user)
    return client


def post(client, project, samples, **extra):
    upload = SimpleUploadedFile("doccano-export.zip", (samples / "doccano-export.zip").read_bytes())
    return client.post(f"/api/projects/{project.pk}/imports/", {"files": [upload], "format": "doccano", **extra},
                       format="multipart")


@pytest.mark.parametrize(("who", "code"), [(Role.ANNOTATOR, 403), (Role.VIEWER, 403), ("outsider", 404), (None, 401)])
def test_only_a_lead_may_import_annotations(setup, samples, who, code):
    project, users = setup
    response = post(client_for(users.get(who) if who else None), project, samples)
    assert response.status_code in ((401, 403) if code == 401 else (code,))
    assert Job.objects.count() == 0 and Document.objects.count() == 0


def test_dry_run_answers_the_preview_and_writes_nothing(setup, samples):
    project, users = setup
    response = post(client_for(users[Role.LEAD]), project, samples, dry_run="true")
    assert response.status_code == 200, response.content
    body = response.json()
    assert (body["documents"], body["sentences"], body["annotators"], body["spans"]) == (4, 30, ["ann1", "ann2", "ann3"], 222)
    assert sum(body["spans_per_label"].values()) == 222 and body["misfits"] == []
    assert body["summary"].startswith("would import")
    assert Document.objects.count() == 0 and Job.objects.count() == 0


def test_import_runs_as_a_job_with_its_summary_and_is_safe_to_run_twice(setup, samples):
    project, users = setup
    response = post(client_for(users[Role.LEAD]), project, samples)
    assert response.status_code == 202, response.content
    job = Job.objects.get(pk=response.json()["job"])
    assert job.kind == "import_annotations" and job.state == "queued"
    import_annotations_job.apply(args=[job.id])
    job.refresh_from_db()
    assert job.state == "done", job.error
    assert job.result["annotations"] == 90 and job.result["misfit_count"] == 0
    assert Annotation.objects.filter(project=project).count() == 90
    import_annotations_job.apply(args=[job.id])  # a redelivered message for a finished job does nothing
    assert Annotation.objects.filter(project=project).count() == 90


def test_bad_input_is_refused_at_once_naming_file_line_and_reason(setup):
    project, users = setup
    upload = SimpleUploadedFile("ann1.jsonl", (FIXTURES / "jsonl-bad" / "ann1.jsonl").read_bytes())
    response = client_for(users[Role.LEAD]).post(
        f"/api/projects/{project.pk}/imports/", {"files": [upload], "format": "doccano"}, format="multipart")
    assert response.status_code == 400
    body = response.json()
    assert body["field"] == "file" and "ann1.jsonl:7: not valid JSON" in body["detail"]
    assert Job.objects.count() == 0


def test_an_unknown_format_is_a_400_naming_the_field(setup, samples):
    project, users = setup
    response = post(client_for(users[Role.LEAD]), project, samples, format="excel")
    assert response.status_code == 400 and response.json()["field"] == "format"


def test_the_schema_documents_the_format_field(setup):
    project, users = setup
    schema = client_for(users[Role.LEAD]).get("/api/schema/", {"format": "json"}).json()
    body = schema["paths"]["/api/projects/{id}/imports/"]["post"]["requestBody"]["content"]["multipart/form-data"]["schema"]
    ref = body["$ref"].rsplit("/", 1)[-1]
    assert {"format", "on_misfit", "map", "dry_run"} <= set(schema["components"]["schemas"][ref]["properties"])


def test_auto_format_preview_names_the_detected_format(setup, samples):
    project, users = setup
    response = post(client_for(users[Role.LEAD]), project, samples, format="auto", dry_run="true")
    assert response.status_code == 200
    assert response.json()["format"] == "doccano" and "doccano" in response.json()["detected"]


def test_a_lead_cannot_pull_in_or_create_accounts_and_learns_nothing_about_which_exist(truth, samples):
    project = ProjectFactory(label_schema=schema_for(truth), overlap=3)
    lead = UserFactory(username="api-lead2")
    Membership.objects.create(project=project, user=lead, role=Role.LEAD)
    UserFactory(username="ann1")  # an account elsewhere; ann2 and ann3 do not exist
    preview = post(client_for(lead), project, samples, dry_run="true")
    assert preview.status_code == 200 and preview.json()["not_addable"] == ["ann1", "ann2", "ann3"]
    response = post(client_for(lead), project, samples)
    assert response.status_code == 400
    assert "'ann1', 'ann2', 'ann3': not people you can add by name" in response.json()["detail"]
    assert not get_user_model().objects.filter(username__in=["ann2", "ann3"]).exists()
    assert not Membership.objects.filter(project=project, user__username="ann1").exists()


def test_an_annotator_map_attributes_work_to_members(truth, samples):
    project = ProjectFactory(label_schema=schema_for(truth), overlap=3)
    lead = UserFactory(username="api-lead3")
    Membership.objects.create(project=project, user=lead, role=Role.LEAD)
    for name in ("alice", "bob", "carol"):
        Membership.objects.create(project=project, user=UserFactory(username=name), role=Role.ANNOTATOR)
    response = post(client_for(lead), project, samples, dry_run="true",
                    annotators=["ann1=alice", "ann2=bob", "ann3=carol"])
    assert response.status_code == 200, response.content
    assert response.json()["annotators"] == ["alice", "bob", "carol"] and response.json()["not_addable"] == []


def test_staff_may_attribute_to_any_existing_account(truth, samples):
    project = ProjectFactory(label_schema=schema_for(truth), overlap=3)
    staff = UserFactory(username="api-staff")
    staff.is_staff = True
    staff.save()
    Membership.objects.create(project=project, user=staff, role=Role.LEAD)
    for name in ("ann1", "ann2", "ann3"):
        UserFactory(username=name)
    response = post(client_for(staff), project, samples)
    assert response.status_code == 202, response.content
    import_annotations_job.apply(args=[response.json()["job"]])
    assert set(Membership.objects.filter(project=project, role=Role.ANNOTATOR).values_list("user__username", flat=True)) == {
        "ann1", "ann2", "ann3"}


def test_a_job_whose_starter_is_gone_fails_instead_of_running_trusted(setup, samples):
    project, users = setup
    response = post(client_for(users[Role.LEAD]), project, samples)
    job = Job.objects.get(pk=response.json()["job"])
    Job.objects.filter(pk=job.pk).update(created_by=None)
    import_annotations_job.apply(args=[job.id])
    job.refresh_from_db()
    assert job.state == "failed" and "no longer exists" in job.error
    assert Annotation.objects.filter(project=project).count() == 0
