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


def language_of_scope(scope: dict) -> str:
    """The language Django's LocaleMiddleware would pick for an ASGI request that never reaches Django (the
    lean arena paths, refusals in front of Django): the language cookie, else Accept-Language."""
    from django.conf import settings
    from django.utils.translation.trans_real import get_supported_language_variant, parse_accept_lang_header

    headers = {key: value.decode("latin-1") for key, value in scope.get("headers", ())}
    for part in headers.get(b"cookie", "").split(";"):
        name, _, value = part.strip().partition("=")
        if name == settings.LANGUAGE_COOKIE_NAME and value:
            try:
                return get_supported_language_variant(value)
            except LookupError:
                break
    for code, _q in parse_accept_lang_header(headers.get(b"accept-language", "")):
        if code == "*":
            break
        try:
            return get_supported_language_variant(code)
        except LookupError:
            continue
    return settings.LANGUAGE_CODE
