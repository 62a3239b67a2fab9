"""Cuts of a ranking that layers above rankings decide on (award rules "top N" / "bottom N"), so the warning
before publication (selectors.publication_warnings) can check them without rankings importing those layers:
each such app registers a provider in its AppConfig.ready()."""

from __future__ import annotations

from collections.abc import Callable

# provider(ranking) -> [{"label": str, "k": int, "from_bottom": bool}, …]
_PROVIDERS: list[Callable] = []


def register(provider: Callable) -> None:
    if provider not in _PROVIDERS:
        _PROVIDERS.append(provider)


def cuts_for(ranking) -> list[dict]:
    return [cut for provider in _PROVIDERS for cut in provider(ranking)]
