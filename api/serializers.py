"""Request and response shapes. Serializers read attributes only; services do the work."""

from __future__ import annotations

from rest_framework import serializers

from annotator.core.markdown import MAX_CHARS as MARKDOWN_MAX_CHARS
from annotator.jobs.models import JobState
from annotator.projects.models import Project


class ErrorItemSerializer(serializers.Serializer):
    field = serializers.CharField(allow_null=True)
    message = serializers.CharField()


class ErrorSerializer(serializers.Serializer):
    detail = serializers.CharField()
    field = serializers.CharField(allow_null=True)
    errors = ErrorItemSerializer(many=True)


class TokenRequestSerializer(serializers.Serializer):
    username = serializers.CharField()
    password = serializers.CharField(style={"input_type": "password"}, trim_whitespace=False)


class TokenSerializer(serializers.Serializer):
    token = serializers.CharField()


class MeSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    username = serializers.CharField()


class ProjectSerializer(serializers.ModelSerializer):
    role = serializers.SerializerMethodField()
    sentence_count = serializers.IntegerField(read_only=True, default=None)
    document_count = serializers.IntegerField(read_only=True, default=None)

    class Meta:
        model = Project
        fields = [
            "id",
            "slug",
            "name",
            "description",
            "guidelines",
            "guidelines_version",
            "label_schema",
            "overlap",
            "assignment_timeout_minutes",
            "license",
            "role",
            "sentence_count",
            "document_count",
            "created_at",
            "updated_at",
        ]
        read_only_fields = fields

    def get_role(self, project: Project) -> str | None:
        roles = self.context.get("roles") or {}
        return roles.get(project.pk)


class ProjectCreateSerializer(serializers.Serializer):
    slug = serializers.CharField(max_length=100)
    name = serializers.CharField(max_length=200, required=False, allow_blank=True)
    description = serializers.CharField(required=False, allow_blank=True)
    guidelines = serializers.CharField(required=False, allow_blank=True, max_length=MARKDOWN_MAX_CHARS)
    label_schema = serializers.JSONField()
    overlap = serializers.IntegerField(required=False, default=2)


class ProjectUpdateSerializer(serializers.Serializer):
    name = serializers.CharField(max_length=200, required=False)
    description = serializers.CharField(required=False, allow_blank=True)
    guidelines = serializers.CharField(required=False, allow_blank=True, max_length=MARKDOWN_MAX_CHARS)
    label_schema = serializers.JSONField(required=False)
    overlap = serializers.IntegerField(required=False)
    assignment_timeout_minutes = serializers.IntegerField(required=False)
    license = serializers.CharField(required=False, allow_blank=True, max_length=64)
    renames = serializers.JSONField(
        required=False,
        help_text='with a new label_schema: {"entity_types": {"Old": "New"}, "stance_targets": {...}, '
        '"stance_labels": {...}, "event_types": {...}, "roles": {"<old event type>": {"Old": "New"}}}; '
        "stored annotations and gold are rewritten in the same transaction (onto an existing name: a merge)",
    )
    confirm_orphans = serializers.BooleanField(
        required=False, help_text="save a schema that removes names in use, leaving those labels as they are"
    )


class SchemaImpactItemSerializer(serializers.Serializer):
    kind = serializers.ChoiceField(choices=["entity_types", "stance_targets", "stance_labels", "event_types", "roles"])
    name = serializers.CharField()
    event_type = serializers.CharField(required=False, help_text="roles only: the (old) event type of the role")
    annotations = serializers.IntegerField(help_text="annotations that use the name")
    gold = serializers.IntegerField(help_text="gold decisions that use the name")
    renamed_to = serializers.CharField(allow_null=True)


class SchemaImpactSerializer(serializers.Serializer):
    removed = SchemaImpactItemSerializer(many=True)
    unresolved = serializers.IntegerField(help_text="removed names in use without a rename")


class SchemaImpactRequestSerializer(serializers.Serializer):
    label_schema = serializers.JSONField()
    renames = serializers.JSONField(required=False)


class SchemaConflictSerializer(ErrorSerializer):
    impact = SchemaImpactSerializer()


class JobSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    kind = serializers.CharField()
    project = serializers.IntegerField(allow_null=True)
    state = serializers.ChoiceField(choices=JobState.values)
    progress = serializers.IntegerField(min_value=0, max_value=100)
    message = serializers.CharField()
    result = serializers.JSONField(allow_null=True)
    error = serializers.CharField(allow_blank=True)
    worker_alive = serializers.BooleanField(
        allow_null=True, help_text="whether any worker is alive; null unless the job is queued or its worker was lost"
    )
    worker_lost = serializers.BooleanField(
        help_text="running, but its lease expired: the worker running it stopped (the message says what happens next)"
    )
    created_at = serializers.DateTimeField()
    started_at = serializers.DateTimeField(allow_null=True)
    finished_at = serializers.DateTimeField(allow_null=True)


class JobStartedSerializer(serializers.Serializer):
    job = serializers.IntegerField()


class ImportUploadSerializer(serializers.Serializer):
    files = serializers.ListField(child=serializers.FileField(), allow_empty=False)


class SpanSerializer(serializers.Serializer):
    start = serializers.IntegerField()
    end = serializers.IntegerField()


class EntitySerializer(SpanSerializer):
    label = serializers.CharField()


class StanceSerializer(serializers.Serializer):
    target = serializers.CharField()
    label = serializers.CharField()


class ArgumentSerializer(SpanSerializer):
    role = serializers.CharField()


class EventSerializer(serializers.Serializer):
    type = serializers.CharField()
    trigger = SpanSerializer()
    arguments = ArgumentSerializer(many=True)


class AnnotationSerializer(serializers.Serializer):
    """CONTRACT.md's annotation shape. Used for documentation and output; input is
    validated by the one validation function (annotator.annotations.validation)."""

    entities = EntitySerializer(many=True)
    stance = StanceSerializer(many=True)
    events = EventSerializer(many=True)
    status = serializers.ChoiceField(choices=["draft", "submitted", "skipped"])
    version = serializers.IntegerField(help_text="the version you last read; 0 for a new annotation")
    unsure = serializers.BooleanField(required=False)
    seconds = serializers.FloatField(required=False)
    skip_reason = serializers.CharField(required=False, allow_blank=True)
    note = serializers.CharField(required=False, allow_blank=True)
    updated_at = serializers.DateTimeField(read_only=True)


def annotation_data(annotation) -> dict:  # type: ignore[no-untyped-def]
    """An Annotation row in the CONTRACT.md shape."""
    return {
        **annotation.labels,
        "status": annotation.status,
        "version": annotation.version,
        "unsure": annotation.unsure,
        "seconds": annotation.seconds,
        "skip_reason": annotation.skip_reason,
        "note": annotation.note,
        "updated_at": annotation.updated_at,
    }


class ConflictSerializer(ErrorSerializer):
    current = AnnotationSerializer()


class ContextSentenceSerializer(serializers.Serializer):
    index = serializers.IntegerField()
    text = serializers.CharField()


class ContextSerializer(serializers.Serializer):
    before = ContextSentenceSerializer(many=True)
    after = ContextSentenceSerializer(many=True)


class DocumentBriefSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    title = serializers.CharField()
    source = serializers.CharField()
    published = serializers.DateField(allow_null=True)


class SentenceSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    text = serializers.CharField()
    tokens = serializers.ListField(child=serializers.ListField(child=serializers.IntegerField()))
    index = serializers.IntegerField()
    document = DocumentBriefSerializer()
    document_sentences = serializers.IntegerField()
    context = ContextSerializer()


class ProgressSerializer(serializers.Serializer):
    done = serializers.IntegerField()
    assigned = serializers.IntegerField()
    remaining = serializers.IntegerField()


class QueueNeighboursSerializer(serializers.Serializer):
    """The caller's own assigned sentences before and after this one (document order)."""

    previous = serializers.IntegerField(allow_null=True)
    next = serializers.IntegerField(allow_null=True)


class WorkItemSerializer(serializers.Serializer):
    sentence = SentenceSerializer()
    annotation = AnnotationSerializer(allow_null=True)
    progress = ProgressSerializer()
    queue = QueueNeighboursSerializer()


class QueueItemSerializer(serializers.Serializer):
    sentence = serializers.IntegerField(source="sentence_id")
    document_title = serializers.CharField(source="sentence.document.title")
    index = serializers.IntegerField(source="sentence.index")
    state = serializers.CharField()
    status = serializers.CharField(source="annotation_status", allow_null=True)
    updated_at = serializers.DateTimeField(source="annotation_updated_at", allow_null=True)


class AssignmentSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    sentence = serializers.IntegerField(source="sentence_id")
    sentence_index = serializers.IntegerField(source="sentence.index")
    document = serializers.IntegerField(source="sentence.document_id")
    document_title = serializers.CharField(source="sentence.document.title")
    annotator = serializers.CharField(source="annotator.username")
    state = serializers.CharField()
    assigned_at = serializers.DateTimeField()
    completed_at = serializers.DateTimeField(allow_null=True)


class AssignmentCreateSerializer(serializers.Serializer):
    sentence = serializers.IntegerField()
    annotator = serializers.CharField(help_text="username")
