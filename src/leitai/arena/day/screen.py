"""The big screen's own stages, set from the console through the arena's event log so every open screen follows
live: the board of the latest published ranking (通报摘星夺旗) before the first contestant, or back to the day."""

from __future__ import annotations

from django.db import transaction

from leitai.arena.base.events import announce, lock_arena, record_event, refuse_if_published
from leitai.arena.base.policies import require_organizer
from leitai.arena.day.selectors_screen import STARS, VIEWS, announced_ranking
from leitai.core.errors import LeitaiError


@transaction.atomic
def show_on_screen(arena, user, view: str):
    """Put the stars-and-flags board up (view "stars") or take it down (""): organizers, before publication.
    Logged as a "screen" event; the next stage change takes the board down by itself."""
    require_organizer(user)
    arena = lock_arena(arena)
    refuse_if_published(arena)
    if view not in VIEWS:
        raise LeitaiError("大屏环节无效", "Unknown screen stage")
    payload = {"view": view}
    if view == STARS:
        ranking = announced_ranking(arena)
        if ranking is None:
            raise LeitaiError("还没有已发布的排名，无法通报摘星夺旗", "No published ranking to read out yet")
        payload["ranking"] = ranking.pk
    record_event(arena, "screen", user, **payload)
    announce(arena)
    return arena
