"""Token authentication for scripts: scoped tokens (``/api/tokens/``) and the legacy key.

``Authorization: Token <key>`` takes either kind of key:

- a scoped ``ApiToken`` key (``acc_...``, stored hashed). A ``full`` token acts as its user;
  an ``exports:read`` token is refused (403) everywhere except the read-only export routes
  in ``EXPORTS_READ_ROUTES`` and revoking itself, so a key handed to an ML pipeline can
  download gold data, log itself out and do nothing else, whatever the user's role allows;
- the key from ``POST /api/auth/token/`` (DRF's ``Token``), full scope, as CONTRACT.md says.

The scope is enforced here, at authentication, rather than by a permission class on each
view: a view that forgets to list the permission cannot widen a limited token.
"""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext_lazy as _
from rest_framework import exceptions
from rest_framework.authentication import TokenAuthentication
from rest_framework.permissions import SAFE_METHODS, BasePermission

from annotator.accounts.models import ApiToken, TokenScope
from annotator.accounts.services import KEY_PREFIX, api_token_authenticate

# URL names (namespace ``api``) an ``exports:read`` token may GET: who am I, which projects,
# and the export list, detail and downloads.
EXPORTS_READ_ROUTES = frozenset({
    "me", "projects", "project-exports", "export", "export-download", "export-latest", "export-latest-download",
})
# ...and (url name, method) pairs beyond reads: any key may revoke itself (log out).
EXPORTS_READ_WRITES = frozenset({("token-revoke", "DELETE")})


def scope_allows(scope: str, *, url_name: str | None, method: str) -> bool:
    """May a token of ``scope`` make this request? (Pure; the table the tests read.)"""
    if scope == TokenScope.FULL:
        return True
    if scope == TokenScope.EXPORTS_READ:
        if (url_name, method) in EXPORTS_READ_WRITES:
            return True
        return method in SAFE_METHODS and url_name in EXPORTS_READ_ROUTES
    return False


def _url_name(request: Any) -> str | None:
    match = getattr(getattr(request, "_request", request), "resolver_match", None)
    if match is None or "api" not in match.namespaces:
        return None
    return str(match.url_name)


class ApiTokenAuthentication(TokenAuthentication):
    """``Authorization: Token <key>`` for scoped and legacy keys (see the module docstring)."""

    def authenticate(self, request: Any) -> tuple[Any, Any] | None:
        result = super().authenticate(request)
        if result is None:
            return None
        user, token = result
        if isinstance(token, ApiToken) and not scope_allows(token.scope, url_name=_url_name(request),
                                                             method=request.method):
            raise exceptions.PermissionDenied(f"this token's scope ({token.scope}) does not allow this request")
        return user, token

    def authenticate_credentials(self, key: str) -> tuple[Any, Any]:
        if key.startswith(KEY_PREFIX):
            token = api_token_authenticate(key=key)
            if token is None:
                raise exceptions.AuthenticationFailed(_("Invalid token."))
            return token.user, token
        return super().authenticate_credentials(key)


class TokenScopeAllows(BasePermission):
    """Belt and braces for views that want it explicitly: refuses a limited token outside
    its routes (authentication already does; this keeps the rule visible in a view)."""

    message = "this token's scope does not allow this request"

    def has_permission(self, request: Any, view: Any) -> bool:
        token = getattr(request, "auth", None)
        if not isinstance(token, ApiToken):
            return True
        return scope_allows(token.scope, url_name=_url_name(request), method=request.method)
