"""Accounts: creating users with a checked username, and scoped API tokens
(creating, using, revoking; see ``models.ApiToken``)."""

from __future__ import annotations

import hashlib
import secrets
from datetime import timedelta
from typing import Any

from django.contrib.auth import get_user_model
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from annotator.core.errors import DomainError, NotFound

from .models import ApiToken, TokenScope
from .usernames import username_key, username_normalize, username_problem

KEY_PREFIX = "acc_"
MAX_ACTIVE_TOKENS = 50
# last_used_at is a hint for people, not an audit log: write it at most this often.
LAST_USED_RESOLUTION = timedelta(minutes=1)


def username_clean(username: str) -> str:
    """``username`` normalised (NFKC, trimmed) and checked for a *new* account: raises
    DomainError (field ``username``) if it is not a valid name or another account already
    has it in any case (``Ana`` when ``ana`` exists)."""
    name = username_normalize(username)
    problem = username_problem(name)
    if problem:
        raise DomainError(problem, field="username")
    # The database compares case with UPPER(); the case-folded form also catches ß/ss.
    taken = get_user_model().objects.filter(Q(username__iexact=name) | Q(username__iexact=username_key(name)))
    if taken.exists():
        raise DomainError("that username is taken", field="username")
    return name


def password_check_and_set(user: Any, password: str) -> None:
    """Check ``password`` with Django's validators (DomainError, field ``password``) and set
    it on ``user`` (not saved)."""
    try:
        validate_password(password, user)
    except ValidationError as exc:
        raise DomainError(" ".join(exc.messages), field="password") from None
    user.set_password(password)


def user_create(*, username: str, password: str | None = None, email: str = "") -> Any:
    """A new account. The username is checked (``username_clean``); a password is checked
    by Django's validators (DomainError field ``password``) and set, else the account has
    no usable password until its owner sets one (password reset). Precondition: the
    caller may create accounts (an administrator, or an invitation being accepted)."""
    name = username_clean(username)
    User = get_user_model()
    user = User(username=name, email=email or "")
    if password is not None:
        password_check_and_set(user, password)
    else:
        user.set_unusable_password()
    user.save()
    return user


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
