from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q

from annotator.documents.models import Sentence
from annotator.projects.models import Project


class AssignmentState(models.TextChoices):
    OPEN = "open", "Open"
    DONE = "done", "Done"
    SKIPPED = "skipped", "Skipped"


class Assignment(models.Model):
    """A sentence handed to one annotator. At most ``project.overlap`` live ones per
    sentence; an open one older than the project's timeout goes back to the pool."""

    # project and sentence lead the composite index and the unique constraint below.
    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="assignments", db_index=False)
    sentence = models.ForeignKey(Sentence, on_delete=models.CASCADE, related_name="assignments", db_index=False)
    annotator = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="assignments")
    state = models.CharField(max_length=16, choices=AssignmentState.choices, default=AssignmentState.OPEN)
    assigned_at = models.DateTimeField(auto_now_add=True)
    completed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["id"]
        constraints = [
            models.UniqueConstraint(fields=["sentence", "annotator"], name="assignment_unique_annotator"),
            models.CheckConstraint(condition=Q(state__in=AssignmentState.values), name="assignment_state_valid"),
        ]
        indexes = [models.Index(fields=["project", "annotator", "state"], name="assignment_queue")]


class AnnotationStatus(models.TextChoices):
    DRAFT = "draft", "Draft"
    SUBMITTED = "submitted", "Submitted"
    SKIPPED = "skipped", "Skipped"


def empty_labels() -> dict:
    return {"entities": [], "stance": [], "events": []}


class Annotation(models.Model):
    """One annotator's annotation of one sentence (CONTRACT.md shape in ``labels``).

    ``version`` grows by one on every save; a save naming an older version is refused.
    """

    # project and sentence lead the composite index and the unique constraint below.
    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="annotations", db_index=False)
    sentence = models.ForeignKey(Sentence, on_delete=models.CASCADE, related_name="annotations", db_index=False)
    annotator = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="annotations")
    labels = models.JSONField(default=empty_labels)
    status = models.CharField(max_length=16, choices=AnnotationStatus.choices, default=AnnotationStatus.DRAFT)
    unsure = models.BooleanField(default=False)
    note = models.TextField(blank=True, default="")
    skip_reason = models.CharField(max_length=500, blank=True, default="")
    seconds = models.FloatField(default=0)
    version = models.PositiveIntegerField(default=1)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    submitted_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["id"]
        constraints = [
            models.UniqueConstraint(fields=["sentence", "annotator"], name="annotation_unique_annotator"),
            models.CheckConstraint(condition=Q(status__in=AnnotationStatus.values), name="annotation_status_valid"),
            models.CheckConstraint(condition=Q(seconds__gte=0), name="annotation_seconds_nonnegative"),
        ]
        indexes = [models.Index(fields=["project", "status"], name="annotation_project_status")]


class AnnotationRevision(models.Model):
    """Append-only history: one row per save, never updated."""

    annotation = models.ForeignKey(Annotation, on_delete=models.CASCADE, related_name="revisions", db_index=False)
    version = models.PositiveIntegerField()
    labels = models.JSONField()
    status = models.CharField(max_length=16, choices=AnnotationStatus.choices)
    unsure = models.BooleanField(default=False)
    seconds = models.FloatField(default=0)
    saved_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["annotation_id", "version"]
        constraints = [
            models.UniqueConstraint(fields=["annotation", "version"], name="revision_unique_version"),
        ]
