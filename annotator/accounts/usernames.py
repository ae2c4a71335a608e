"""What a username may be (pure: no Django).

A username is shown on pages, in exports' dataset cards and in agreement reports, and
people recognise each other by it, so it must be plain and unambiguous:

- normalised to Unicode NFKC (full-width ``ｌｅａｄ`` is ``lead``, the ligature ``ﬁ`` is ``fi``);
- letters, digits and ``. @ + - _`` only (Django's own username rule): no markup
  characters (``< > & " '``), no whitespace, no control or format characters (a
  right-to-left override cannot disguise one name as another);
- 1 to 150 characters;
- unique regardless of case: ``username_key`` is the form two names are compared in.
"""

from __future__ import annotations

import re
import unicodedata

MAX_LENGTH = 150
ALLOWED = re.compile(r"[\w.@+-]+")


def username_key(username: str) -> str:
    """The form in which two usernames are the same name (NFKC, then case-folded)."""
    return unicodedata.normalize("NFKC", unicodedata.normalize("NFKC", username).casefold())


def username_problem(username: object) -> str | None:
    """Why ``username`` (already NFKC-normalised) cannot be a username, or None."""
    if not isinstance(username, str) or not username:
        return "a username is needed"
    if len(username) > MAX_LENGTH:
        return f"a username has at most {MAX_LENGTH} characters"
    if not ALLOWED.fullmatch(username) or any(unicodedata.category(c).startswith("C") for c in username):
        return "a username may hold only letters, digits and . @ + - _ (no spaces, markup or control characters)"
    return None


def username_normalize(username: str) -> str:
    return unicodedata.normalize("NFKC", (username or "").strip())
