"""Creating, using and revoking scoped API tokens (see ``models.ApiToken``)."""

from __future__ import annotations

import hashlib
import secrets
from datetime import timedelta
from typing import Any

from django.db import transaction
from django.utils import timezone

from annotator.core.errors import DomainError, NotFound

from .models import ApiToken, TokenScope

KEY_PREFIX = "acc_"
MAX_ACTIVE_TOKENS = 50
# last_used_at is a hint for people, not an audit log: write it at most this often.
LAST_USED_RESOLUTION = timedelta(minutes=1)


def key_hash(key: str) -> str:
    return hashlib.sha256(key.encode("utf-8", "surrogatepass")).hexdigest()


def api_token_create(*, user: Any, name: str, scope: str = TokenScope.FULL) -> tuple[ApiToken, str]:
    """A new token for ``user``; returns the row and the key, which is never stored or shown
    again. Raises DomainError (field ``scope`` / ``name``) on a bad value or too many tokens."""
    if scope not in TokenScope.values:
        raise DomainError(f"scope must be one of {', '.join(TokenScope.values)}", field="scope")
    name = (name or "").strip()
    if not name or len(name) > 100:
        raise DomainError("name must be 1 to 100 characters", field="name")
    with transaction.atomic():
        active = ApiToken.objects.select_for_update().filter(user=user, revoked_at__isnull=True)
        if len(active) >= MAX_ACTIVE_TOKENS:
            raise DomainError(f"at most {MAX_ACTIVE_TOKENS} active tokens; revoke one first", field="name")
        key = KEY_PREFIX + secrets.token_urlsafe(40)
        token = ApiToken.objects.create(user=user, name=name, scope=scope, prefix=key[:8], key_hash=key_hash(key))
    return token, key


def api_token_revoke(*, user: Any, token_id: int) -> ApiToken:
    """Revoke one of ``user``'s tokens (kept for the record). Safe to run twice; someone
    else's token is NotFound, never revealed."""
    token = ApiToken.objects.filter(pk=token_id, user=user).first()
    if token is None:
        raise NotFound("no such token")
    if token.revoked_at is None:
        token.revoked_at = timezone.now()
        token.save(update_fields=["revoked_at"])
    return token


def api_token_authenticate(*, key: str) -> ApiToken | None:
    """The active token with this key (its user loaded), or None. Marks it used."""
    if not key.startswith(KEY_PREFIX) or len(key) > 200:
        return None
    token = (
        ApiToken.objects.select_related("user")
        .filter(key_hash=key_hash(key), revoked_at__isnull=True, user__is_active=True)
        .first()
    )
    if token is None:
        return None
    now = timezone.now()
    if token.last_used_at is None or now - token.last_used_at > LAST_USED_RESOLUTION:
        ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
        token.last_used_at = now
    return token
