"""Request and response shapes of the gold area (aggregation and adjudication; leads only)."""

from __future__ import annotations

from rest_framework import serializers

from api.serializers import EntitySerializer, ErrorSerializer, EventSerializer, StanceSerializer


class LabelsSerializer(serializers.Serializer):
    """The label layers of CONTRACT.md's annotation shape (no bookkeeping keys)."""

    entities = EntitySerializer(many=True)
    stance = StanceSerializer(many=True)
    events = EventSerializer(many=True)


class AggregateStartSerializer(serializers.Serializer):
    method = serializers.ChoiceField(choices=["majority", "dawid-skene"], default="majority")
    threshold = serializers.FloatField(
        default=0.5, min_value=0.0, max_value=1.0,
        help_text="fraction of a sentence's annotators that must agree (majority), or the posterior "
        "a Dawid–Skene label needs; above 0, at most 1",
    )


class QueueRowSerializer(serializers.Serializer):
    """One sentence waiting for a lead."""

    id = serializers.IntegerField(help_text="sentence id")
    document = serializers.IntegerField(source="document_id")
    document_title = serializers.CharField()
    index = serializers.IntegerField()
    text = serializers.CharField()
    disagreement = serializers.FloatField(allow_null=True, help_text="1 - candidate confidence; null before aggregation")
    flag_count = serializers.IntegerField(allow_null=True)
    gold_source = serializers.CharField(allow_null=True)
    gold_version = serializers.IntegerField(allow_null=True)
    reopened = serializers.BooleanField(allow_null=True)
    submitted = serializers.IntegerField(help_text="submitted annotations of the sentence")


class GoldSerializer(serializers.Serializer):
    version = serializers.IntegerField()
    labels = LabelsSerializer()
    source = serializers.CharField()
    confidence = serializers.FloatField(allow_null=True)
    annotation_ids = serializers.ListField(child=serializers.IntegerField())
    decided_by = serializers.CharField(allow_null=True)
    decided_at = serializers.DateTimeField()
    reopened = serializers.BooleanField()


class GoldSaveSerializer(serializers.Serializer):
    """Body of ``PUT /api/sentences/{id}/gold/``; the labels are checked by the one validation
    function against the project's schema (400 names the field, e.g. ``labels.entities[0].end``)."""

    labels = LabelsSerializer()
    annotation_ids = serializers.ListField(
        child=serializers.IntegerField(), help_text="the annotations this gold was taken from (provenance)"
    )
    version = serializers.IntegerField(
        required=False, allow_null=True,
        help_text="the gold version you last read (0 when there was none); 409 when stale; omit to skip the check",
    )


class GoldConflictSerializer(ErrorSerializer):
    current = GoldSerializer(allow_null=True)


class CandidateSerializer(serializers.Serializer):
    method = serializers.CharField()
    threshold = serializers.FloatField()
    labels = LabelsSerializer()
    confidence = serializers.FloatField()
    disagreement = serializers.FloatField()
    needs_adjudication = serializers.BooleanField()
    flags = serializers.ListField(child=serializers.DictField())
    annotation_ids = serializers.ListField(child=serializers.IntegerField())
    computed_at = serializers.DateTimeField()


class AdjudicationSentenceSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    text = serializers.CharField()
    tokens = serializers.ListField(child=serializers.ListField(child=serializers.IntegerField()))
    document = serializers.IntegerField()
    document_title = serializers.CharField()
    index = serializers.IntegerField()
    project = serializers.IntegerField()


class AnnotatorVersionSerializer(serializers.Serializer):
    id = serializers.IntegerField(help_text="annotation id")
    annotator = serializers.CharField()
    labels = LabelsSerializer()
    unsure = serializers.BooleanField()
    note = serializers.CharField(allow_blank=True)
    version = serializers.IntegerField()
    updated_at = serializers.DateTimeField()


class NeighboursSerializer(serializers.Serializer):
    previous = serializers.IntegerField(allow_null=True)
    next = serializers.IntegerField(allow_null=True)
    position = serializers.IntegerField(allow_null=True)
    size = serializers.IntegerField()


class AdjudicationSerializer(serializers.Serializer):
    sentence = AdjudicationSentenceSerializer()
    annotations = AnnotatorVersionSerializer(many=True)
    not_submitted = serializers.IntegerField()
    candidate = CandidateSerializer(allow_null=True)
    gold = GoldSerializer(allow_null=True)
    history = GoldSerializer(many=True)
    queue = NeighboursSerializer()
