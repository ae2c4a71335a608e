"""Serializers of the annotation import (``POST /api/projects/{id}/imports/`` with ``format``)."""

from __future__ import annotations

from rest_framework import serializers

from annotator.interchange.placement import POLICIES
from annotator.interchange.readers import READERS


class ImportRequestSerializer(serializers.Serializer):
    """Articles (``files`` alone) or, with ``format``, annotations made in another tool."""

    files = serializers.ListField(child=serializers.FileField(), allow_empty=False,
                                  help_text="article files; with format: the export (a file or a zip)")
    format = serializers.ChoiceField(choices=[*sorted(READERS), "auto"], required=False,
                                     help_text="import annotations read in this format instead of articles; "
                                               "auto: detected (the preview says why)")
    on_misfit = serializers.ChoiceField(choices=POLICIES, default="report",
                                        help_text="snap (counted), report (refused and listed) or fail (nothing imported)")
    map = serializers.ListField(child=serializers.CharField(), required=False, default=list,
                                help_text="label renames, each OLD=NEW")
    as_user = serializers.CharField(required=False, allow_blank=True, max_length=150,
                                    help_text="annotator name for a single-annotator file")
    users = serializers.FileField(required=False, help_text="Label Studio GET /api/users/ response")
    annotators = serializers.ListField(child=serializers.CharField(), required=False, default=list,
                                       help_text="attribute the file's annotator OLD to the member NEW, each OLD=NEW; "
                                                 "annotators must be members or people you may add by name")
    gold_from = serializers.CharField(required=False, allow_blank=True, max_length=150,
                                      help_text="this annotator's work becomes the imported gold")
    dry_run = serializers.BooleanField(default=False, help_text="answer 200 with the preview; write nothing")


class MisfitSerializer(serializers.Serializer):
    file = serializers.CharField()
    line = serializers.IntegerField(allow_null=True)
    detail = serializers.CharField()
    annotator = serializers.CharField()
    reason = serializers.CharField()
    action = serializers.ChoiceField(choices=["snapped", "refused"])


class ImportPreviewSerializer(serializers.Serializer):
    """What an import would write (``dry_run``), as the job's result also reports it."""

    format = serializers.CharField()
    documents = serializers.IntegerField()
    documents_new = serializers.IntegerField()
    sentences = serializers.IntegerField()
    annotators = serializers.ListField(child=serializers.CharField())
    annotators_new = serializers.IntegerField()
    annotations = serializers.IntegerField()
    spans = serializers.IntegerField()
    spans_per_label = serializers.DictField(child=serializers.IntegerField())
    gold = serializers.IntegerField()
    snapped = serializers.IntegerField()
    refused = serializers.IntegerField()
    misfits = MisfitSerializer(many=True)
    notes = serializers.ListField(child=serializers.DictField())
    dry_run = serializers.BooleanField()
    not_addable = serializers.ListField(child=serializers.CharField(),
                                        help_text="annotators the import would refuse: invite them, or map them to members")
    detected = serializers.CharField(help_text="why this format, when format was auto; else empty")
    summary = serializers.CharField()
