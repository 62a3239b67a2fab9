"""The arena's live state loader: ``arena:<id>`` channels carry day.selectors.public_state(arena). Registered with
leitai.live when the app starts (apps.ArenaConfig.ready), so live never imports the arena."""

from __future__ import annotations


def load_arena_state(channel: str) -> dict | None:
    """The loader of ``arena:<id>`` channels (sync, runs in a worker thread): the arena's public state."""
    from leitai.arena.base.models import Arena
    from leitai.arena.day.selectors import public_state

    try:
        arena_id = int(channel.split(":", 1)[1])
    except (IndexError, ValueError):
        return None
    arena = Arena.objects.filter(pk=arena_id).first()
    return public_state(arena) if arena is not None else None
