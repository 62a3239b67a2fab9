"""The arena's live channel names (the state loader is the arena's own: leitai.arena.live_state)."""

from __future__ import annotations


def arena_channel(arena_id: int) -> str:
    return f"arena:{arena_id}"
