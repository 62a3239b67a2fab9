"""Config fixtures: an arena with judges' links (tests/arena's), for the log redaction tests."""

from __future__ import annotations

from tests.arena.conftest import arena, panel, quarter  # noqa: F401 - fixtures shared with the arena tests
