"""Stored agreement reports: one row per computation, the newest is what the dashboard shows."""

from __future__ import annotations

from django.db import models

from annotator.jobs.models import Job
from annotator.projects.models import Project


class AgreementReport(models.Model):
    """The report JSON (CONTRACT.md "Agreement report") computed on ``data_version`` of the
    project's submitted annotations. At most one report per job, so a job that runs twice
    overwrites its own row instead of adding a second one; reports from the command line
    (``compute_agreement``) have no job."""

    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="agreement_reports")
    job = models.OneToOneField(Job, null=True, blank=True, on_delete=models.SET_NULL, related_name="agreement_report")
    report = models.JSONField()
    data_version = models.CharField(max_length=100)
    computed_at = models.DateTimeField()
    seconds = models.FloatField(default=0, help_text="how long the computation took")

    class Meta:
        ordering = ["-computed_at", "-id"]
        indexes = [models.Index(fields=["project", "-computed_at"], name="agreement_report_latest")]

    def __str__(self) -> str:
        return f"agreement report {self.pk} of project {self.project_id}"
