"""Live-layer fixtures: the arena fixtures of tests/arena, and a fresh in-process hub for every test."""

from __future__ import annotations

import pytest

from tests.arena.conftest import (  # noqa: F401 - fixtures shared with the arena tests
    arena,
    contestants,
    other_arena,
    panel,
    paper_judge,
    quarter,
    sheet,
    staff2,
    stage_to,
)


@pytest.fixture(autouse=True)
def fresh_live(settings):
    """Each test starts with the in-process backend and an empty hub (a test may switch backends)."""
    from leitai import live

    settings.LEITAI_LIVE_BACKEND = "inprocess"
    live.reset()
    yield live
    live.reset()
