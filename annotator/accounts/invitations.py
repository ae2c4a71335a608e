"""Services of invitations: how a new person joins a project (see ``models.Invitation``).

A lead creates an invitation for a role in their project and hands out the link (or has
it mailed). Whoever opens it picks their own username and password (``invitation_accept_new``)
or, already signed in, joins with their account (``invitation_accept_existing``). The link
works once and expires. Nobody but the account's owner (or a server administrator on the
command line) ever sets a password.

Kept apart from ``services.py`` because it needs the projects' services, and the projects'
services need ``services.user_create``.
"""

from __future__ import annotations

import hashlib
import secrets
from datetime import timedelta
from typing import Any

from django.conf import settings
from django.core.mail import send_mail
from django.db import transaction
from django.utils import timezone

from annotator.core.errors import DomainError, NotFound
from annotator.projects.models import Membership, Project, Role
from annotator.projects.services import membership_set

from .models import Invitation
from .services import user_create

MAX_PENDING = 200
MAX_DAYS = 90
INVALID = "this invitation link is not valid: it was used, revoked or has expired"


def _hash(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8", "surrogatepass")).hexdigest()


def invitation_create(
    *, project: Project, role: str, created_by: Any, days: int | None = None, email: str = ""
) -> tuple[Invitation, str]:
    """A new invitation to ``project`` as ``role``; returns it and the secret token, which
    is never stored or shown again. Precondition: ``created_by`` leads ``project``.
    Raises DomainError (``role``, ``days``, or too many pending invitations)."""
    if role not in Role.values:
        raise DomainError(f"role must be one of {', '.join(Role.values)}", field="role")
    days = settings.INVITATION_DAYS if days is None else days
    if isinstance(days, bool) or not isinstance(days, int) or not 1 <= days <= MAX_DAYS:
        raise DomainError(f"days must be a whole number from 1 to {MAX_DAYS}", field="days")
    now = timezone.now()
    pending = Invitation.objects.filter(project=project, used_at__isnull=True, revoked_at__isnull=True,
                                        expires_at__gt=now)
    if pending.count() >= MAX_PENDING:
        raise DomainError(f"at most {MAX_PENDING} pending invitations; revoke some first", field="role")
    token = secrets.token_urlsafe(32)
    invitation = Invitation.objects.create(
        project=project, role=role, email=email or "", token_hash=_hash(token), created_by=created_by,
        expires_at=now + timedelta(days=days),
    )
    return invitation, token


def invitation_mail(*, invitation: Invitation, url: str) -> None:
    """Mail the link to ``invitation.email`` (EMAIL_BACKEND; the console in development)."""
    if not invitation.email:
        return
    inviter = invitation.created_by.get_username() if invitation.created_by else "A project lead"
    send_mail(
        subject=" ".join(f"Invitation to {invitation.project.name} on Accord".split()),  # no header breaks
        message=(
            f"{inviter} invites you to join the project \"{invitation.project.name}\" as {invitation.role}.\n\n"
            f"Open this link to choose your username and password (it works once, until "
            f"{invitation.expires_at:%Y-%m-%d %H:%M} UTC):\n\n{url}\n"
        ),
        from_email=None,
        recipient_list=[invitation.email],
    )


def invitation_revoke(*, project: Project, invitation_id: int) -> Invitation:
    """Revoke a pending invitation of ``project``. Safe to run twice; an invitation of
    another project is NotFound."""
    invitation = Invitation.objects.filter(pk=invitation_id, project=project).first()
    if invitation is None:
        raise NotFound("no such invitation")
    if invitation.revoked_at is None and invitation.used_at is None:
        invitation.revoked_at = timezone.now()
        invitation.save(update_fields=["revoked_at"])
    return invitation


def invitation_valid(*, token: str) -> Invitation:
    """The pending invitation with this token (its project loaded), or NotFound."""
    if not isinstance(token, str) or not 20 <= len(token) <= 100:
        raise NotFound(INVALID)
    invitation = Invitation.objects.select_related("project").filter(token_hash=_hash(token)).first()
    if invitation is None or invitation.state != "pending":
        raise NotFound(INVALID)
    return invitation


def _claim(token: str) -> Invitation:
    """Lock and check the invitation inside the caller's transaction: two people following
    the same link at once cannot both use it."""
    invitation = invitation_valid(token=token)
    locked = Invitation.objects.select_for_update().get(pk=invitation.pk)
    if locked.state != "pending":
        raise NotFound(INVALID)
    locked.project = invitation.project
    return locked


def invitation_accept_new(*, token: str, username: str, password: str, email: str = "") -> Any:
    """Create the account the invited person chose and make them a member. Raises
    DomainError naming ``username`` or ``password``; NotFound for a used, revoked or
    expired link. Nothing is created unless everything succeeds."""
    with transaction.atomic():
        invitation = _claim(token)
        user = user_create(username=username, password=password, email=email)
        membership_set(project=invitation.project, user=user, role=invitation.role)
        _mark_used(invitation, user)
    return user


def invitation_accept_existing(*, token: str, user: Any) -> Membership:
    """A signed-in person joins with their own account. Someone already a member keeps the
    role they have (an invitation never demotes). The link is used up either way."""
    with transaction.atomic():
        invitation = _claim(token)
        membership = Membership.objects.filter(project=invitation.project, user=user).first()
        if membership is None:
            membership = membership_set(project=invitation.project, user=user, role=invitation.role)
        _mark_used(invitation, user)
    return membership


def _mark_used(invitation: Invitation, user: Any) -> None:
    invitation.used_at = timezone.now()
    invitation.used_by = user
    invitation.save(update_fields=["used_at", "used_by"])
