"""Versioned, immutable gold-dataset exports.

An ``Export`` row is one request for an export. Its version is the content: when the job has
built the files it hashes the data files (``content_sha256``, see
:func:`annotator.exports.formats.manifest.content_sha256`). New content gets the next version
number of that (project, format) and owns the file; content that an earlier version already
holds makes this row an alias of that version (``same_as``: same version, file and checksums),
so unchanged data never makes a new version. Only a finished export has a version, so a failed
one consumes no number. Older versions beyond ``EXPORT_KEEP_VERSIONS`` per format are
``expired``: their files are deleted, their rows kept as history.
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
    EXPIRED = "expired", "Expired (file deleted by retention)"


class Export(models.Model):
    """One export request and, once done, the version it resolved to. ``path`` is relative to
    ``MEDIA_ROOT`` (``exports/<project id>/<format>/v<version>/<file name>``) and only exists
    once ``state`` is ``done``: the job writes elsewhere and moves the finished file into place.

    ``request_key`` fingerprints (format, options, the project's data) so an identical request
    finds this row instead of starting a job; ``current_at`` is when a request last resolved to
    this version (``latest`` and retention order by it)."""

    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="exports")
    format = models.CharField(max_length=16, choices=ExportFormat.choices)
    version = models.PositiveIntegerField(null=True, blank=True)  # set when done
    state = models.CharField(max_length=16, choices=ExportState.choices, default=ExportState.QUEUED)
    job = models.OneToOneField(Job, null=True, blank=True, on_delete=models.SET_NULL, related_name="export")
    params = models.JSONField(default=dict, blank=True)  # {"seed": int, "raw": bool}
    path = models.CharField(max_length=500, blank=True, default="")
    filename = models.CharField(max_length=200, blank=True, default="")
    content_type = models.CharField(max_length=100, blank=True, default="")
    sha256 = models.CharField(max_length=64, blank=True, default="")  # of the file
    content_sha256 = models.CharField(max_length=64, blank=True, default="")  # of the data files
    request_key = models.CharField(max_length=64, blank=True, default="")
    same_as = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.CASCADE, related_name="aliases",
        help_text="the version this request resolved to when its content already existed",
    )
    first_exported_at = models.DateTimeField(null=True, blank=True)  # of this content; the card says it
    current_at = models.DateTimeField(null=True, blank=True)
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
            # one owner per version and per content; aliases (same_as) repeat both
            models.UniqueConstraint(
                fields=["project", "format", "version"], condition=Q(same_as__isnull=True), name="export_unique_version"
            ),
            models.UniqueConstraint(
                fields=["project", "format", "content_sha256"],
                condition=Q(same_as__isnull=True) & ~Q(content_sha256=""),
                name="export_unique_content",
            ),
            # only finished (or since expired) exports have a version: a failure consumes none
            models.CheckConstraint(
                condition=Q(state__in=["done", "expired"], version__isnull=False)
                | (~Q(state__in=["done", "expired"]) & Q(version__isnull=True)),
                name="export_version_iff_finished",
            ),
            models.CheckConstraint(condition=Q(format__in=ExportFormat.values), name="export_format_valid"),
            models.CheckConstraint(condition=Q(state__in=ExportState.values), name="export_state_valid"),
            # a finished export always names its file and checksum
            models.CheckConstraint(
                condition=~Q(state="done") | (~Q(path="") & ~Q(sha256="")), name="export_done_has_file"
            ),
        ]
        indexes = [
            models.Index(fields=["project", "format", "state", "-current_at"], name="export_current"),
            models.Index(fields=["project", "format", "request_key"], name="export_request"),
        ]

    # set by export_start on the row it returns: True when an identical request already had it
    reused: bool = False

    def __str__(self) -> str:
        return f"export#{self.pk}:{self.format}:v{self.version}:{self.state}"
