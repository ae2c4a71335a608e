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
    IMPORTED = "imported", "Imported from another tool"


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


class AggregationRun(models.Model):
    """One aggregation run. The latest run of a project defines its machine gold: after it, the
    machine Gold rows are exactly the sentences it accepted (lead decisions aside). Exports read
    the method and threshold from here, and ``dawid_skene``: per decision (``stance:<target>``,
    ``event:<type>``) its classes, priors and one confusion matrix per annotator (keyed by user
    id; rows = true class, columns = the annotator's label)."""

    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="aggregation_runs")
    method = models.CharField(max_length=32)
    threshold = models.FloatField()
    computed_at = models.DateTimeField()
    summary = models.JSONField(default=dict, blank=True)
    dawid_skene = models.JSONField(default=dict, blank=True)

    class Meta:
        ordering = ["-computed_at", "-id"]
        indexes = [models.Index(fields=["project", "-computed_at"], name="aggregation_run_latest")]


class GoldCandidate(models.Model):
    """The latest aggregation result of a sentence (one per sentence, replaced by each run):
    the candidate gold, how sure it is, and why it may need a lead. The adjudication queue is
    read from here (``needs_adjudication``, worst ``disagreement`` first)."""

    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="gold_candidates")
    sentence = models.OneToOneField(Sentence, on_delete=models.CASCADE, related_name="gold_candidate")
    method = models.CharField(max_length=32)
    threshold = models.FloatField()
    labels = models.JSONField()
    confidence = models.FloatField()
    disagreement = models.FloatField()
    needs_adjudication = models.BooleanField()
    flags = models.JSONField(default=list, blank=True)
    flag_count = models.PositiveIntegerField(default=0)
    decisions = models.JSONField(default=dict, blank=True)
    annotation_ids = models.JSONField(default=list, blank=True)
    computed_at = models.DateTimeField()
    run = models.ForeignKey(AggregationRun, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")

    class Meta:
        ordering = ["sentence_id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(disagreement__gte=0) & Q(disagreement__lte=1), name="gold_candidate_disagreement_range"
            ),
        ]
        indexes = [
            models.Index(fields=["project", "needs_adjudication", "-disagreement"], name="gold_candidate_queue"),
        ]
