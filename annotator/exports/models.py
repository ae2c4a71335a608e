"""Versioned, immutable gold-dataset exports.

One ``Export`` row per (project, format, version). The background job fills it in; once its
state is ``done`` the row and its file never change again (a new export is a new version).
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q

from annotator.jobs.models import Job
from annotator.projects.models import Project


class ExportFormat(models.TextChoices):
    """CONTRACT.md ``export_gold --format`` names (plus ``oneie``, which the bundle also holds)."""

    JSONL = "jsonl", "JSON Lines (everything)"
    CONLL = "conll", "CoNLL-2003 IOB2"
    SPACY = "spacy", "spaCy DocBin"
    HF = "hf", "Hugging Face datasets"
    BRAT = "brat", "brat standoff"
    STANCE_CSV = "stance-csv", "Stance CSV (SemEval-2016)"
    ONEIE = "oneie", "OneIE event JSON"
    BUNDLE = "bundle", "Bundle: all formats + dataset card"


class ExportState(models.TextChoices):
    QUEUED = "queued", "Queued"
    RUNNING = "running", "Running"
    DONE = "done", "Done"
    FAILED = "failed", "Failed"


class Export(models.Model):
    """One export snapshot. ``path`` is relative to ``MEDIA_ROOT``
    (``exports/<project id>/<format>/v<version>/<file name>``) and only exists once ``state``
    is ``done``: the job writes elsewhere and moves the finished file into place."""

    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="exports")
    format = models.CharField(max_length=16, choices=ExportFormat.choices)
    version = models.PositiveIntegerField()
    state = models.CharField(max_length=16, choices=ExportState.choices, default=ExportState.QUEUED)
    job = models.OneToOneField(Job, null=True, blank=True, on_delete=models.SET_NULL, related_name="export")
    params = models.JSONField(default=dict, blank=True)  # {"seed": int, "raw": bool}
    path = models.CharField(max_length=500, blank=True, default="")
    filename = models.CharField(max_length=200, blank=True, default="")
    content_type = models.CharField(max_length=100, blank=True, default="")
    sha256 = models.CharField(max_length=64, blank=True, default="")
    size = models.BigIntegerField(null=True, blank=True)
    stats = models.JSONField(default=dict, blank=True)
    snapshot = models.JSONField(default=dict, blank=True)  # what data the export holds
    error = models.TextField(blank=True, default="")
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-id"]
        constraints = [
            models.UniqueConstraint(fields=["project", "format", "version"], name="export_unique_version"),
            models.CheckConstraint(condition=Q(format__in=ExportFormat.values), name="export_format_valid"),
            models.CheckConstraint(condition=Q(state__in=ExportState.values), name="export_state_valid"),
            # a finished export always names its file and checksum
            models.CheckConstraint(
                condition=~Q(state="done") | (~Q(path="") & ~Q(sha256="")), name="export_done_has_file"
            ),
        ]
        indexes = [models.Index(fields=["project", "format", "state", "-version"], name="export_latest")]

    def __str__(self) -> str:
        return f"export#{self.pk}:{self.format}:v{self.version}:{self.state}"
