from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q


class Project(models.Model):
    """An annotation project: its label schema, guidelines and how work is handed out."""

    name = models.CharField(max_length=200)
    slug = models.SlugField(max_length=100, unique=True)
    description = models.TextField(blank=True, default="")
    guidelines = models.TextField(blank=True, default="", help_text="Markdown")
    guidelines_html = models.TextField(
        blank=True, default="", editable=False, help_text="the guidelines rendered and sanitised when saved"
    )
    guidelines_version = models.PositiveIntegerField(default=1)
    label_schema = models.JSONField(default=dict)
    overlap = models.PositiveSmallIntegerField(default=2, help_text="annotators per sentence (k)")
    assignment_timeout_minutes = models.PositiveIntegerField(default=120)
    license = models.CharField(
        max_length=64, blank=True, default="", help_text="the gold data's license, e.g. cc-by-4.0 (empty: unknown)"
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["id"]
        constraints = [
            models.CheckConstraint(condition=Q(overlap__gte=1) & Q(overlap__lte=50), name="project_overlap_range"),
            models.CheckConstraint(condition=Q(assignment_timeout_minutes__gte=1), name="project_timeout_positive"),
        ]

    def __str__(self) -> str:
        return self.slug


class Role(models.TextChoices):
    LEAD = "lead", "Lead"
    ANNOTATOR = "annotator", "Annotator"
    VIEWER = "viewer", "Viewer"


class Membership(models.Model):
    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="memberships")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="memberships")
    role = models.CharField(max_length=16, choices=Role.choices)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["id"]
        constraints = [
            models.UniqueConstraint(fields=["project", "user"], name="membership_unique_user"),
            models.CheckConstraint(condition=Q(role__in=Role.values), name="membership_role_valid"),
        ]

    def __str__(self) -> str:
        return f"{self.user_id}@{self.project_id}:{self.role}"
