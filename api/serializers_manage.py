"""Request and response shapes of the lead's management API (members, schema checks,
guidelines preview). Serializers read attributes only; services do the work."""

from __future__ import annotations

from rest_framework import serializers

from annotator.core.markdown import MAX_CHARS as MARKDOWN_MAX_CHARS
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
        write_only=True,
        style={"input_type": "password"},
        help_text="always refused (400, field password): leads never set passwords; new people join by invitation",
    )


class MemberAddedSerializer(MemberSerializer):
    outcome = serializers.ChoiceField(
        choices=["added", "role_changed", "unchanged"],
        help_text="added (201), role_changed or unchanged (200: they were already a member)",
    )


class InvitationCreateSerializer(serializers.Serializer):
    role = serializers.ChoiceField(choices=Role.values)
    days = serializers.IntegerField(required=False, min_value=1, max_value=90,
                                    help_text="how long the link works (default: the INVITATION_DAYS setting, 7)")
    email = serializers.EmailField(required=False, allow_blank=True,
                                   help_text="optional: mail the link there (EMAIL_BACKEND)")


class InvitationSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    role = serializers.CharField()
    email = serializers.CharField()
    state = serializers.CharField(help_text="pending, used, revoked or expired")
    created_by = serializers.CharField(source="created_by.username", allow_null=True, default=None)
    created_at = serializers.DateTimeField()
    expires_at = serializers.DateTimeField()
    used_at = serializers.DateTimeField(allow_null=True)
    used_by = serializers.CharField(source="used_by.username", allow_null=True, default=None)


class InvitationCreatedSerializer(InvitationSerializer):
    url = serializers.CharField(help_text="the one-time link; shown only now, never stored")


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
    text = serializers.CharField(allow_blank=True, trim_whitespace=False, max_length=MARKDOWN_MAX_CHARS)


class MarkdownHtmlSerializer(serializers.Serializer):
    html = serializers.CharField(help_text="sanitised HTML (an allow-list of tags; no script, no attributes but href)")
