"""Serializers of the agreement area (response shapes for the OpenAPI schema)."""

from __future__ import annotations

from rest_framework import serializers

from annotator.agreement.models import AgreementReport


class AgreementStartSerializer(serializers.Serializer):
    fan_out = serializers.ChoiceField(
        choices=["auto", "always", "never"], default="auto", required=False,
        help_text="auto: spread across workers (a Celery chord, one task per layer) on large projects",
    )


class AgreementJobSerializer(serializers.Serializer):
    job = serializers.IntegerField(help_text="poll GET /api/jobs/{job}/")


class AgreementReportSerializer(serializers.Serializer):
    """The agreement report (CONTRACT.md "Agreement report"); an undefined value is null with a
    sibling ``<key>_note``. Plus where it came from: ``report_id``, ``job``, ``data_version``."""

    report_id = serializers.IntegerField()
    job = serializers.IntegerField(allow_null=True)
    data_version = serializers.CharField(help_text="count@latest update of the submitted annotations it was computed on")
    project = serializers.CharField()
    computed_at = serializers.DateTimeField()
    annotators = serializers.ListField(child=serializers.CharField())
    sentences = serializers.IntegerField()
    sentences_annotated = serializers.IntegerField()
    stance = serializers.JSONField(help_text='{"<target>": {"alpha","alpha_ci95","fleiss_kappa","percent_agreement","items","pairwise_cohen_kappa"}}')
    events = serializers.JSONField(help_text='{"types": {"<type>": {"alpha","items","positives"}},"masi_alpha","trigger_f1","argument_f1","parts": {"trigger_identification","trigger_classification","argument_identification","argument_classification" (each {"f1","precision","recall","pairs"}),"per_type","per_role"}}')
    entities = serializers.JSONField(help_text='{"exact": {"f1"},"overlap": {"f1"},"per_label","pairwise","unitizing_alpha": {"alpha","per_label": {"<label>": {"alpha","units"}}}}')
    annotator_figures = serializers.JSONField(help_text='{"<username>": {"items","median_seconds","mean_agreement",...}}')
    heatmaps = serializers.JSONField(help_text="annotator x annotator agreement per layer")
    confusion = serializers.JSONField(help_text="label confusion matrices per layer")
    disputed = serializers.JSONField(help_text='[{"id","text","score","layers"}] most disagreement first')
    readings = serializers.JSONField(help_text="what counts as good for each measure, with its source")


class AgreementHistorySerializer(serializers.ModelSerializer):
    job = serializers.IntegerField(source="job_id", allow_null=True)

    class Meta:
        model = AgreementReport
        fields = ["id", "job", "data_version", "computed_at", "seconds"]
