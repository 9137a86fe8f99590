"""Stable names: question ids (keys of saved progress) and option keys."""

from __future__ import annotations

import hashlib
import re
import unicodedata

# What an author may write as `id:`. It ends up in HTML ids and localStorage keys.
ID_PATTERN = re.compile(r"[A-Za-z][A-Za-z0-9_-]{0,79}")

_NOT_SLUG = re.compile(r"[^a-z0-9]+")
_MAX_SLUG = 64


def question_id(title: str) -> str:
    """The id of a question without `id:`: a slug of its title, the same on every build.

    >>> question_id("Which function sends a plain-text email?")
    'which-function-sends-a-plain-text-email'
    """
    ascii_title = unicodedata.normalize("NFKD", title).encode("ascii", "ignore").decode()
    slug = _NOT_SLUG.sub("-", ascii_title.lower()).strip("-")
    if len(slug) > _MAX_SLUG:
        cut = slug.rfind("-", 0, _MAX_SLUG + 1)
        slug = slug[: cut if cut > 0 else _MAX_SLUG].rstrip("-")
    if not slug or not slug[0].isalpha():
        slug = "q-" + (slug or _digest(title))
    return slug


def option_key(label: str) -> str:
    """The key saved for a chosen option: a digest of its text, so reordering options keeps answers right."""
    return "o" + _digest(" ".join(label.split()))


def _digest(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:8]
