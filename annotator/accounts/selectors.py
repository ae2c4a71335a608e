"""Reads of API tokens."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet

from .models import ApiToken


def api_tokens_of(*, user: Any) -> QuerySet[ApiToken]:
    """The user's tokens, newest first, revoked ones included (they show when)."""
    return ApiToken.objects.filter(user=user).order_by("-id")
