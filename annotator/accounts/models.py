"""API tokens with a scope, stored hashed; invitations (below).

A token is shown once, when it is created; the database keeps only its SHA-256 (a random
40-byte secret needs no slow hash: there is nothing to guess from a dictionary). ``scope``
limits what the token may do: ``full`` acts as its user through the whole API,
``exports:read`` may only list and download a project's exports (the ML team's scripts).
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone


class TokenScope(models.TextChoices):
    FULL = "full", "Everything the user may do"
    EXPORTS_READ = "exports:read", "Read and download exports only"


class ApiToken(models.Model):
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="api_tokens")
    name = models.CharField(max_length=100)
    scope = models.CharField(max_length=32, choices=TokenScope.choices, default=TokenScope.FULL)
    prefix = models.CharField(max_length=8, help_text="the key's first characters, to recognise it in a list")
    key_hash = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField(auto_now_add=True)
    last_used_at = models.DateTimeField(null=True, blank=True)
    revoked_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-id"]
        constraints = [
            models.CheckConstraint(condition=Q(scope__in=TokenScope.values), name="api_token_scope_valid"),
        ]

    def __str__(self) -> str:
        return f"token#{self.pk}:{self.user_id}:{self.scope}"

    @property
    def is_active(self) -> bool:
        return self.revoked_at is None


class Invitation(models.Model):
    """A one-time link that lets one person join ``project`` with ``role``.

    Only the SHA-256 of the link's secret is stored (like ``ApiToken``). It works once
    (``used_at``), until ``expires_at``, and not after a lead revokes it. Whoever follows it
    picks their own username and password, or, already signed in, joins with their account:
    nobody else ever sets a password for them.
    """

    project = models.ForeignKey("projects.Project", on_delete=models.CASCADE, related_name="invitations")
    role = models.CharField(max_length=16)
    email = models.EmailField(blank=True, default="", help_text="where the link was mailed, if anywhere")
    token_hash = models.CharField(max_length=64, unique=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    expires_at = models.DateTimeField()
    used_at = models.DateTimeField(null=True, blank=True)
    used_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    revoked_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(role__in=["lead", "annotator", "viewer"]), name="invitation_role_valid"
            ),
        ]

    def __str__(self) -> str:
        return f"invitation#{self.pk}@{self.project_id}:{self.role}"

    @property
    def state(self) -> str:
        """``pending``, ``used``, ``revoked`` or ``expired`` (now)."""
        if self.used_at is not None:
            return "used"
        if self.revoked_at is not None:
            return "revoked"
        if self.expires_at <= timezone.now():
            return "expired"
        return "pending"
