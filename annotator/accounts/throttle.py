"""Sign-in throttling, shared by the sign-in page and the token endpoint.

Failures are counted per client address and per username in the shared cache. After
``SLOW_AFTER`` failures each further attempt must wait ``2 ** (n - SLOW_AFTER)`` seconds
after the last failure; after ``LOCK_AFTER`` failures sign-in is refused for
``LOCK_SECONDS``. A success clears the username's count (not the address's, so one
address cannot guess many accounts by mixing in a known one).
"""

from __future__ import annotations

import hashlib
import time
from dataclasses import dataclass

from django.core.cache import cache

SLOW_AFTER = 3
LOCK_AFTER = 10
LOCK_SECONDS = 15 * 60
WINDOW_SECONDS = 15 * 60


@dataclass(frozen=True)
class Verdict:
    allowed: bool
    retry_after: int = 0
    reason: str = ""


def _keys(address: str, username: str) -> list[str]:
    # Hashed: usernames and addresses may hold any character, cache keys may not.
    keys = [f"signin:addr:{hashlib.sha256(address.encode()).hexdigest()[:32]}"]
    if username:
        keys.append(f"signin:user:{hashlib.sha256(username.strip().lower().encode()).hexdigest()[:32]}")
    return keys


def signin_check(*, address: str, username: str) -> Verdict:
    """May this address try to sign in as this username now?"""
    now = time.time()
    worst = Verdict(True)
    for key in _keys(address, username):
        failures, last = cache.get(key, (0, 0.0))
        if failures >= LOCK_AFTER:
            wait = int(last + LOCK_SECONDS - now) + 1
            reason = f"too many failed sign-ins; try again in {wait // 60 + 1} minutes"
        elif failures >= SLOW_AFTER:
            wait = int(last + 2 ** (failures - SLOW_AFTER) - now) + 1
            reason = f"too many failed sign-ins; wait {wait} seconds before trying again"
        else:
            continue
        if wait > 0 and wait > worst.retry_after:
            worst = Verdict(False, wait, reason)
    return worst


def signin_failed(*, address: str, username: str) -> None:
    now = time.time()
    for key in _keys(address, username):
        failures, _ = cache.get(key, (0, 0.0))
        cache.set(key, (failures + 1, now), WINDOW_SECONDS + LOCK_SECONDS)


def signin_succeeded(*, address: str, username: str) -> None:
    if username:
        cache.delete(_keys(address, username)[-1])


def client_address(meta: dict) -> str:
    """The caller's address. X-Forwarded-For is never trusted (a client could forge it);
    behind a proxy, have the proxy or the WSGI server set REMOTE_ADDR."""
    return str(meta.get("REMOTE_ADDR") or "unknown")
