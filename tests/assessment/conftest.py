"""Assessment fixtures: the arena fixtures of tests/arena and the tracking ones, reused."""

from tests.arena.conftest import arena, contestants, panel, quarter, sheet, stage_to  # noqa: F401
