"""The HTTP status and body of every refusal, in the active language: the API and the lean submission path
(day.lean) answer alike. A judge refused → 403, the flow says no (not open, published) → 409, bad input → 422."""

from __future__ import annotations

from leitai.arena.base.events import JudgeRefused
from leitai.core.errors import LeitaiError
from leitai.core.judging.flow import FlowError
from leitai.lang import page_lang


def error_body(e: LeitaiError) -> dict:
    """{"detail": the message in the active language}."""
    return {"detail": e.message(page_lang())}


def refusal(e: LeitaiError) -> tuple[int, dict]:
    """The status and body for a service's refusal."""
    if isinstance(e, JudgeRefused):
        return 403, error_body(e)
    if isinstance(e, FlowError):
        return 409, error_body(e)
    return 422, error_body(e)
