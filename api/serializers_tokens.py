"""Request and response shapes of the scoped API tokens."""

from __future__ import annotations

from rest_framework import serializers

from annotator.accounts.models import TokenScope


class ApiTokenCreateSerializer(serializers.Serializer):
    name = serializers.CharField(max_length=100, help_text="what the token is for, e.g. 'ML pipeline'")
    scope = serializers.ChoiceField(choices=TokenScope.choices, default=TokenScope.FULL)


class ApiTokenSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    name = serializers.CharField()
    scope = serializers.ChoiceField(choices=TokenScope.choices)
    prefix = serializers.CharField(help_text="the key's first characters")
    created_at = serializers.DateTimeField()
    last_used_at = serializers.DateTimeField(allow_null=True)
    revoked_at = serializers.DateTimeField(allow_null=True)


class ApiTokenCreatedSerializer(ApiTokenSerializer):
    key = serializers.CharField(help_text="shown once: use it as `Authorization: Token <key>`")
