"""The page's language: the one helper every area uses to choose between the Chinese and the English of a
text the system holds in both (core errors, labels, notes)."""

from __future__ import annotations

from django.utils.translation import get_language


def page_lang() -> str:
    """The active language code ("zh-hans" when none is active, e.g. in a command or a worker thread)."""
    return get_language() or "zh-hans"


def is_english() -> bool:
    return page_lang().startswith("en")


def pick(zh: str, en: str) -> str:
    """The page language's half of a (zh, en) pair; the Chinese when there is no English."""
    return en if en and is_english() else zh
