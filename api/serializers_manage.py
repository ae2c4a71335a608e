"""Request and response shapes of the lead's management API (members, schema checks,
guidelines preview). Serializers read attributes only; services do the work."""

from __future__ import annotations

from rest_framework import serializers

from annotator.projects.models import Role


class MemberProgressSerializer(serializers.Serializer):
    """One member's work in the project, from ``members_with_progress``."""

    assigned = serializers.IntegerField(help_text="all sentences handed to them (open, done or skipped)")
    open = serializers.IntegerField(help_text="sentences they hold and have not finished")
    submitted = serializers.IntegerField()
    skipped = serializers.IntegerField()
    drafts = serializers.IntegerField()
    median_seconds = serializers.FloatField(allow_null=True, help_text="median time spent on a submitted sentence")
    last_activity = serializers.DateTimeField(allow_null=True, help_text="their latest annotation save")


class MemberSerializer(serializers.Serializer):
    username = serializers.CharField(source="user.username")
    role = serializers.ChoiceField(choices=Role.values)
    joined_at = serializers.DateTimeField(source="created_at")
    progress = MemberProgressSerializer(source="*", read_only=True)


class MemberCreateSerializer(serializers.Serializer):
    username = serializers.CharField(max_length=150)
    role = serializers.ChoiceField(choices=Role.values)
    password = serializers.CharField(
        required=False,
        allow_blank=True,
        trim_whitespace=False,
        style={"input_type": "password"},
        help_text="optional; for a new account (or one without a password yet): Django's password rules apply. Refused (400, field password) for an account that already has a password.",
    )


class MemberRoleSerializer(serializers.Serializer):
    role = serializers.ChoiceField(choices=Role.values)


class SchemaErrorSerializer(serializers.Serializer):
    field = serializers.CharField(
        help_text="path inside the schema, e.g. entity_types[1].hotkey; '' is the whole schema"
    )
    message = serializers.CharField()


class SchemaValidationSerializer(serializers.Serializer):
    valid = serializers.BooleanField()
    errors = SchemaErrorSerializer(many=True)


class MarkdownSerializer(serializers.Serializer):
    text = serializers.CharField(allow_blank=True, trim_whitespace=False, max_length=200_000)


class MarkdownHtmlSerializer(serializers.Serializer):
    html = serializers.CharField(help_text="sanitised HTML (an allow-list of tags; no script, no attributes but href)")
