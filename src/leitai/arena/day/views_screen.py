"""The console's control of the big screen's own stages (the stars-and-flags board); the screen itself is
views_console.screen."""

from __future__ import annotations

from django.views.decorators.http import require_POST

from leitai.accounts.permissions import organizer_required
from leitai.arena.base.selectors import get_arena
from leitai.arena.day.screen import show_on_screen
from leitai.arena.day.views_console import acted


@organizer_required
@require_POST
def screen_stage(request, pk: int):
    """Put the latest ranking's stars and flags on the big screen (view=stars) or take them down (view=)."""
    arena = get_arena(pk)
    view = request.POST.get("view", "")
    return acted(request, arena, lambda: show_on_screen(arena, request.user, view))
