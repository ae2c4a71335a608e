"""Reads of API tokens and invitations."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.db.models import QuerySet

from annotator.projects.models import Membership, Role

from .models import ApiToken, Invitation


def api_tokens_of(*, user: Any) -> QuerySet[ApiToken]:
    """The user's tokens, newest first, revoked ones included (they show when)."""
    return ApiToken.objects.filter(user=user).order_by("-id")


def invitations_of(*, project: Any) -> QuerySet[Invitation]:
    """The project's invitations, newest first, with who made and used them."""
    return Invitation.objects.filter(project=project).select_related("created_by", "used_by").order_by("-id")


def may_create_projects(*, user: Any) -> bool:
    """Does the PROJECT_CREATORS setting let ``user`` create projects? ``anyone``: any
    signed-in user; ``staff_and_leads`` (the default): staff, or a lead of some project;
    ``staff``: staff only. (The command line is a server administrator's and always may.)"""
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return False
    rule = settings.PROJECT_CREATORS
    if rule == "anyone" or user.is_staff or user.is_superuser:
        return True
    if rule == "staff_and_leads":
        return Membership.objects.filter(user=user, role=Role.LEAD).exists()
    return False
