"""Awards fixtures: the arena fixtures of tests/arena, and the county plan's two published months."""

from tests.arena.conftest import arena, contestants, panel, quarter, sheet, stage_to  # noqa: F401
