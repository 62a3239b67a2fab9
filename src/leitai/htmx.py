"""The one htmx rule of every page: one view, two renderings — just the fragment when htmx asks for it, the
whole page otherwise (a boosted link and a history restore after a cache miss need the whole page)."""

from __future__ import annotations

from django.shortcuts import render
from django.utils.cache import patch_vary_headers


def is_partial(request) -> bool:
    """True when htmx asked for a fragment (not for a boosted link or a history restore)."""
    htmx = getattr(request, "htmx", None)
    return bool(htmx) and not htmx.boosted and not htmx.history_restore_request


def render_page_or_partial(request, page: str, partial: str, context: dict, status: int = 200):
    """The page, or its fragment for htmx; caches keep the two apart (Vary: HX-Request)."""
    response = render(request, partial if is_partial(request) else page, context, status=status)
    patch_vary_headers(response, ["HX-Request"])
    return response
