"""Reads every room needs: the arena itself."""

from __future__ import annotations

from django.shortcuts import get_object_or_404

from leitai.arena.base.models import Arena


def get_arena(pk: int) -> Arena:
    """The arena with its period, plan and ordering ranking (404 when unknown)."""
    return get_object_or_404(Arena.objects.select_related("period", "plan", "order_ranking"), pk=pk)
