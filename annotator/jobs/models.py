from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q

from annotator.projects.models import Project


class JobState(models.TextChoices):
    QUEUED = "queued", "Queued"
    RUNNING = "running", "Running"
    DONE = "done", "Done"
    FAILED = "failed", "Failed"


class Job(models.Model):
    """The public state of one background job; tasks update it, clients poll it."""

    kind = models.CharField(max_length=64)
    project = models.ForeignKey(Project, null=True, blank=True, on_delete=models.CASCADE, related_name="jobs")
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    state = models.CharField(max_length=16, choices=JobState.choices, default=JobState.QUEUED)
    progress = models.PositiveSmallIntegerField(default=0)
    message = models.CharField(max_length=1000, blank=True, default="")
    params = models.JSONField(default=dict, blank=True)
    result = models.JSONField(null=True, blank=True)
    error = models.TextField(blank=True, default="")
    attempts = models.PositiveIntegerField(default=0)
    # Celery task ids a running job waits for (an agreement job's chord): while they are
    # queued, or run on a live worker, the workers' sweep keeps the job's lease fresh.
    waiting_on = models.JSONField(default=list, blank=True)
    waiting_since = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    started_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-id"]
        constraints = [
            models.CheckConstraint(condition=Q(state__in=JobState.values), name="job_state_valid"),
            models.CheckConstraint(condition=Q(progress__lte=100), name="job_progress_range"),
        ]
        indexes = [models.Index(fields=["project", "kind", "-id"], name="job_project_kind")]

    def __str__(self) -> str:
        return f"{self.kind}#{self.pk}:{self.state}"


class WorkerHeartbeat(models.Model):
    """A live Celery worker writes its row every few seconds (see heartbeat.py)."""

    hostname = models.CharField(max_length=255, unique=True)
    pid = models.PositiveIntegerField()
    started_at = models.DateTimeField()
    last_seen = models.DateTimeField()
