from __future__ import annotations

from django.db import models
from django.db.models import F, Q

from annotator.projects.models import Project


class Document(models.Model):
    """One imported article. ``content_hash`` keeps the same text out of a project twice.

    ``external_id`` and ``url`` are the article's identity outside Accord (the ``id`` and
    ``url`` of an imported JSONL line or CSV row; empty when the file had none): exports carry
    them, and :func:`annotator.exports.splits.document_key` keys the splits by them."""

    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="documents")
    title = models.CharField(max_length=1000)
    source = models.CharField(max_length=1000, blank=True, default="")
    external_id = models.CharField(max_length=500, blank=True, default="")
    url = models.CharField(max_length=2000, blank=True, default="")
    published = models.DateField(null=True, blank=True)
    text = models.TextField()
    meta = models.JSONField(default=dict, blank=True)
    content_hash = models.CharField(max_length=64)
    sentence_count = models.PositiveIntegerField(default=0)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["id"]
        constraints = [
            models.UniqueConstraint(fields=["project", "content_hash"], name="document_unique_content"),
        ]

    def __str__(self) -> str:
        return self.title


class Sentence(models.Model):
    """A sentence of a document: ``document.text[start:end] == text``.

    ``tokens`` holds ``[[start, end], ...]`` code-point offsets relative to ``text``.
    ``project`` is denormalised so that work queues and exports read one table.
    """

    # No single-column FK indexes: the composite index and the unique constraint below lead
    # with these columns, and every extra index slows bulk import.
    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="sentences", db_index=False)
    document = models.ForeignKey(Document, on_delete=models.CASCADE, related_name="sentences", db_index=False)
    index = models.PositiveIntegerField()
    start = models.PositiveIntegerField()
    end = models.PositiveIntegerField()
    text = models.TextField()
    tokens = models.JSONField(default=list)

    class Meta:
        ordering = ["document_id", "index"]
        constraints = [
            models.UniqueConstraint(fields=["document", "index"], name="sentence_unique_index"),
            models.CheckConstraint(condition=Q(start__lt=F("end")), name="sentence_start_before_end"),
        ]
        indexes = [models.Index(fields=["project", "document", "index"], name="sentence_project_order")]

    def __str__(self) -> str:
        return f"{self.document_id}#{self.index}"
