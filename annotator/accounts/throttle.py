"""Sign-in throttling, shared by the sign-in page, the admin's sign-in and the token endpoint.

Two counters of failures live in the shared cache:

- per **username and address**: after ``SLOW_AFTER`` failures each further attempt must
  wait ``2 ** (n - SLOW_AFTER)`` seconds after the last failure; after ``LOCK_AFTER`` that
  pair is refused for ``LOCK_SECONDS``. Someone guessing elsewhere locks only themselves,
  never the account's owner (a per-username lock let anyone lock anyone out).
- per **address**: after ``ADDRESS_SLOW_AFTER`` failures (any usernames) each attempt from
  that address waits ``2 ** (n - ADDRESS_SLOW_AFTER)`` seconds, at most
  ``ADDRESS_MAX_DELAY``. It slows a guesser spraying many usernames; it never locks, so
  people sharing an address (an office, an unconfigured proxy) are slowed, not shut out.

A success clears the pair's count, not the address's (one address cannot guess many
accounts by mixing in a known one). Counters are atomic (``cache.add`` then
``cache.incr``: one round trip each on Redis), so concurrent failures are all counted.

The client's address is ``REMOTE_ADDR``, unless that peer is listed in the
``TRUSTED_PROXIES`` setting: then it is X-Forwarded-For's last hop that is not a trusted
proxy (each proxy appends the address it saw; everything left of that is the client's
own claim and is ignored).
"""

from __future__ import annotations

import hashlib
import ipaddress
import time
import unicodedata
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

from django.conf import settings
from django.core.cache import cache

SLOW_AFTER = 3
LOCK_AFTER = 10
LOCK_SECONDS = 15 * 60
WINDOW_SECONDS = 15 * 60
ADDRESS_SLOW_AFTER = 20
ADDRESS_MAX_DELAY = 60


@dataclass(frozen=True)
class Verdict:
    allowed: bool
    retry_after: int = 0
    reason: str = ""


def _digest(*parts: str) -> str:
    # Hashed: usernames and addresses may hold any character, cache keys may not.
    return hashlib.sha256("\x00".join(parts).encode("utf-8", "surrogatepass")).hexdigest()[:32]


def _username_key(username: str) -> str:
    """The form of a username the counters use: the same person however they type it."""
    return unicodedata.normalize("NFKC", username.strip()).casefold()


def _pair_key(address: str, username: str) -> str:
    return f"signin:pair:{_digest(address, _username_key(username))}"


def _address_key(address: str) -> str:
    return f"signin:addr:{_digest(address)}"


def _counts(keys: list[str]) -> dict[str, Any]:
    return cache.get_many([*keys, *(f"{k}:last" for k in keys), *(f"{k}:lock" for k in keys)])


def signin_check(*, address: str, username: str) -> Verdict:
    """May this address try to sign in as this username now? (Reads only.)"""
    now = time.time()
    pair, addr = _pair_key(address, username), _address_key(address)
    values = _counts([pair, addr])
    waits: list[tuple[float, str]] = []
    locked_until = values.get(f"{pair}:lock")
    if locked_until is not None and locked_until > now:
        waits.append((locked_until - now, "too many failed sign-ins; try again in {minutes} minutes"))
    pair_failures = int(values.get(pair) or 0)
    if pair_failures >= SLOW_AFTER:
        delay = 2 ** min(pair_failures - SLOW_AFTER, 20)
        waits.append((values.get(f"{pair}:last", 0.0) + delay - now, "too many failed sign-ins; wait {seconds} seconds before trying again"))
    addr_failures = int(values.get(addr) or 0)
    if addr_failures >= ADDRESS_SLOW_AFTER:
        delay = min(2 ** min(addr_failures - ADDRESS_SLOW_AFTER, 20), ADDRESS_MAX_DELAY)
        waits.append((values.get(f"{addr}:last", 0.0) + delay - now, "too many failed sign-ins from your address; wait {seconds} seconds before trying again"))
    wait, template = max(waits, default=(0.0, ""))
    if wait <= 0:
        return Verdict(True)
    seconds = int(wait) + 1
    return Verdict(False, seconds, template.format(seconds=seconds, minutes=seconds // 60 + 1))


def _incr(key: str, timeout: int) -> int:
    """Add one to ``key`` atomically (created at 0 with ``timeout`` if missing)."""
    for _ in range(3):
        cache.add(key, 0, timeout)
        try:
            return int(cache.incr(key))
        except ValueError:  # expired between add and incr: create it again
            continue
    return 1


def signin_failed(*, address: str, username: str) -> None:
    now = time.time()
    ttl = WINDOW_SECONDS + LOCK_SECONDS
    pair, addr = _pair_key(address, username), _address_key(address)
    if _incr(pair, ttl) >= LOCK_AFTER:
        cache.set(f"{pair}:lock", now + LOCK_SECONDS, LOCK_SECONDS)
    _incr(addr, ttl)
    # Only a hint for the delay; concurrent writers all write "about now".
    cache.set_many({f"{pair}:last": now, f"{addr}:last": now}, ttl)


def signin_succeeded(*, address: str, username: str) -> None:
    if username:
        pair = _pair_key(address, username)
        cache.delete_many([pair, f"{pair}:last", f"{pair}:lock"])


def failure_counts(*, address: str, username: str) -> tuple[int, int]:
    """(failures of this username from this address, failures from this address)."""
    pair, addr = _pair_key(address, username), _address_key(address)
    values = cache.get_many([pair, addr])
    return int(values.get(pair) or 0), int(values.get(addr) or 0)


@lru_cache(maxsize=8)
def _networks(entries: tuple[str, ...]) -> tuple[ipaddress.IPv4Network | ipaddress.IPv6Network, ...]:
    return tuple(ipaddress.ip_network(entry.strip(), strict=False) for entry in entries if entry.strip())


def _trusted(address: str, networks: Iterable[ipaddress.IPv4Network | ipaddress.IPv6Network]) -> bool:
    try:
        ip = ipaddress.ip_address(address)
    except ValueError:
        return False
    return any(ip in net for net in networks)


def client_address(meta: Mapping[str, Any]) -> str:
    """The caller's address: ``REMOTE_ADDR``, or, when that peer is a trusted proxy
    (setting ``TRUSTED_PROXIES``: addresses or networks), X-Forwarded-For's last hop that
    is not one. A client that is not behind a trusted proxy cannot choose its address."""
    remote = str(meta.get("REMOTE_ADDR") or "").strip()
    networks = _networks(tuple(getattr(settings, "TRUSTED_PROXIES", ()) or ()))
    if not remote:
        return "unknown"
    if not networks or not _trusted(remote, networks):
        return remote
    hops = [hop.strip() for hop in str(meta.get("HTTP_X_FORWARDED_FOR") or "").split(",") if hop.strip()]
    client = remote
    for hop in reversed(hops):
        client = hop
        if not _trusted(hop, networks):
            break
    return client
