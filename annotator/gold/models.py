from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q

from annotator.documents.models import Sentence
from annotator.projects.models import Project


class GoldSource(models.TextChoices):
    ADJUDICATED = "adjudicated", "Adjudicated by a lead"
    ACCEPTED = "accepted", "One annotator's version accepted"
    MAJORITY = "majority", "Majority vote"
    DAWID_SKENE = "dawid-skene", "Dawid-Skene"
    DEMO = "demo", "Demo fixture"


class Gold(models.Model):
    """The gold annotation of a sentence (one per sentence), with where it came from."""

    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="gold")
    sentence = models.OneToOneField(Sentence, on_delete=models.CASCADE, related_name="gold")
    labels = models.JSONField()
    source = models.CharField(max_length=32, choices=GoldSource.choices)
    confidence = models.FloatField(null=True, blank=True)
    annotation_ids = models.JSONField(default=list, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    decided_at = models.DateTimeField()
    version = models.PositiveIntegerField(default=1)
    reopened = models.BooleanField(default=False)

    class Meta:
        ordering = ["sentence_id"]
        constraints = [
            models.CheckConstraint(condition=Q(source__in=GoldSource.values), name="gold_source_valid"),
        ]


class GoldRevision(models.Model):
    """Append-only history of gold decisions."""

    gold = models.ForeignKey(Gold, on_delete=models.CASCADE, related_name="revisions")
    version = models.PositiveIntegerField()
    labels = models.JSONField()
    source = models.CharField(max_length=32, choices=GoldSource.choices)
    confidence = models.FloatField(null=True, blank=True)
    annotation_ids = models.JSONField(default=list, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    decided_at = models.DateTimeField()
    reopened = models.BooleanField(default=False)

    class Meta:
        ordering = ["gold_id", "version"]
        constraints = [models.UniqueConstraint(fields=["gold", "version"], name="gold_revision_unique_version")]
