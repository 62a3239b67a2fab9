"""Secret link tokens (judges' phones, raisers' feedback links): shown once, stored only as a hash."""

from __future__ import annotations

import hashlib
import secrets


def new_token() -> str:
    """A fresh URL-safe secret (32 characters)."""
    return secrets.token_urlsafe(24)


def hash_token(raw: str) -> str:
    """What the database keeps of a token: its SHA-256, looked up by equality."""
    return hashlib.sha256(str(raw).encode("utf-8")).hexdigest()
