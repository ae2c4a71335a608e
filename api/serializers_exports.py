"""Serializers of the exports area: they validate input and read attributes only."""

from __future__ import annotations

from django.urls import reverse
from rest_framework import serializers

from annotator.exports.models import Export, ExportFormat, ExportState


class ExportStartSerializer(serializers.Serializer):
    format = serializers.ChoiceField(choices=ExportFormat.values)
    raw = serializers.BooleanField(
        default=False, help_text="jsonl/bundle: also write every annotator's submitted labels per sentence"
    )


class ExportStartedSerializer(serializers.Serializer):
    job = serializers.IntegerField()
    export = serializers.IntegerField()


class ExportSerializer(serializers.ModelSerializer):
    """An export as clients see it; ``download`` is set once the file is ready."""

    state = serializers.ChoiceField(choices=ExportState.values)
    job = serializers.IntegerField(source="job_id", allow_null=True)
    created_by = serializers.SerializerMethodField()
    download = serializers.SerializerMethodField()

    class Meta:
        model = Export
        fields = [
            "id", "project", "format", "version", "state", "job", "filename", "content_type", "sha256", "size",
            "stats", "snapshot", "params", "error", "created_by", "created_at", "finished_at", "download",
        ]
        read_only_fields = fields

    def get_created_by(self, obj: Export) -> str | None:
        return obj.created_by.username if obj.created_by_id else None

    def get_download(self, obj: Export) -> str | None:
        if obj.state != ExportState.DONE:
            return None
        return reverse("api:export-download", kwargs={"export_id": obj.pk})
