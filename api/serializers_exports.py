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
    status = serializers.CharField(
        required=False, allow_null=True, default=None,
        help_text="which sentences go into the files: comma-separated statuses (gold, adjudicated, disputed, "
        "unannotated) or `all`; default `gold,adjudicated`. Every sentence is counted in the card either way.",
    )
    min_confidence = serializers.FloatField(
        required=False, allow_null=True, default=None, min_value=0.0, max_value=1.0,
        help_text="keep only sentences whose confidence is at least this (adjudicated = 1.0; none = left out)",
    )
    annotator_names = serializers.BooleanField(
        default=False, help_text="leads only: name annotators in raw labels and confusion matrices "
        "(otherwise stable pseudonymous ids `ann-…`)",
    )


class ExportStartedSerializer(serializers.Serializer):
    job = serializers.IntegerField(allow_null=True)
    export = serializers.IntegerField()
    reused = serializers.BooleanField(
        help_text="true when an identical request (same format and options, unchanged data) already had this export"
    )


class ExportSerializer(serializers.ModelSerializer):
    """An export as clients see it; ``download`` is set once the file is ready."""

    state = serializers.ChoiceField(choices=ExportState.values)
    job = serializers.IntegerField(source="job_id", allow_null=True)
    version = serializers.IntegerField(allow_null=True, help_text="set when done; the same content keeps its version")
    same_as = serializers.IntegerField(
        source="same_as_id", allow_null=True, help_text="the export that first held this content, when this one reused it"
    )
    created_by = serializers.SerializerMethodField()
    download = serializers.SerializerMethodField()

    class Meta:
        model = Export
        fields = [
            "id", "project", "format", "version", "state", "job", "filename", "content_type", "sha256", "size",
            "content_sha256", "same_as", "first_exported_at", "current_at",
            "stats", "snapshot", "params", "error", "created_by", "created_at", "finished_at", "download",
        ]
        read_only_fields = fields

    def get_created_by(self, obj: Export) -> str | None:
        return obj.created_by.username if obj.created_by_id else None

    def get_download(self, obj: Export) -> str | None:
        if obj.state != ExportState.DONE:
            return None
        return reverse("api:export-download", kwargs={"export_id": obj.pk})
