"""The arena's live channels: ``arena:<id>`` carries leitai.arena.selectors.public_state(arena)."""

from __future__ import annotations


def arena_channel(arena_id: int) -> str:
    return f"arena:{arena_id}"


def load_arena_state(channel: str) -> dict | None:
    """The loader of ``arena:<id>`` channels (sync, runs in a worker thread): the arena's public state."""
    from leitai.arena.models import Arena
    from leitai.arena.selectors import public_state

    try:
        arena_id = int(channel.split(":", 1)[1])
    except (IndexError, ValueError):
        return None
    arena = Arena.objects.filter(pk=arena_id).first()
    return public_state(arena) if arena is not None else None
