"""What the arena's pages share besides policies and selectors: a refusal's message in the page's language."""

from __future__ import annotations

from leitai.core.errors import LeitaiError
from leitai.lang import page_lang


def msg(e: LeitaiError) -> str:
    return e.message(page_lang())


