"""Codes made from Chinese names (pinyin), so office staff name things in Chinese and never type a code.

A code is lowercase letters, digits and hyphens: the full pinyin when it is short (经济发展 → jingjifazhan),
the initials when it is long (县市区月度综合考核 → xsqydzhkh). A code already taken gets -2, -3, … A code,
once stored in a plan version, is kept when the name changes: the editor carries it in a hidden advanced field.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from pypinyin import Style, lazy_pinyin

MAX_FULL = 16
MAX_LEN = 40
_NOT_SLUG = re.compile(r"[^a-z0-9]+")


def _slug(parts: Iterable[str]) -> str:
    return _NOT_SLUG.sub("", "".join(parts).lower())


def pinyin_code(name: str, fallback: str = "x") -> str:
    """A readable code for a Chinese (or mixed) name; never empty."""
    name = str(name or "").strip()
    full = _slug(lazy_pinyin(name, errors=lambda s: list(s)))
    if len(full) <= MAX_FULL:
        code = full
    else:
        code = _slug(lazy_pinyin(name, style=Style.FIRST_LETTER, errors=lambda s: list(s)))
    return (code or fallback)[:MAX_LEN - 4]


def unique_code(name: str, taken: Iterable[str], fallback: str = "x") -> str:
    """pinyin_code(name), made unique against `taken` with -2, -3, … (the caller adds it to `taken`)."""
    taken = set(taken)
    base = pinyin_code(name, fallback)
    code, n = base, 1
    while code in taken:
        n += 1
        code = f"{base}-{n}"
    return code
