"""The live flow of an arena day, as a pure state machine.

Each contestant moves through stages; the organizer's console drives them:

    waiting → on_stage → speech → questions → scoring_open → scoring_closed → revealed
                                     (scoring may also open straight after the speech)

A contestant's sheets can be submitted and changed only while its stage is scoring_open; after
scoring_closed they are read-only. Results are revealed per contestant, or all together at the end
when the arena holds results (reveal_mode "end"). Only one contestant is on stage at a time.
"""

from __future__ import annotations

from leitai.core.errors import LeitaiError

WAITING = "waiting"
ON_STAGE = "on_stage"
SPEECH = "speech"
QUESTIONS = "questions"
SCORING_OPEN = "scoring_open"
SCORING_CLOSED = "scoring_closed"
REVEALED = "revealed"

STAGES = (WAITING, ON_STAGE, SPEECH, QUESTIONS, SCORING_OPEN, SCORING_CLOSED, REVEALED)

LABELS = {
    WAITING: ("候场", "Waiting"),
    ON_STAGE: ("登台", "On stage"),
    SPEECH: ("陈述", "Speech"),
    QUESTIONS: ("考问", "Questions"),
    SCORING_OPEN: ("评分中", "Scoring open"),
    SCORING_CLOSED: ("评分结束", "Scoring closed"),
    REVEALED: ("已揭晓", "Revealed"),
}

# Where each stage may go next.
NEXT: dict[str, tuple[str, ...]] = {
    WAITING: (ON_STAGE,),
    ON_STAGE: (SPEECH, WAITING),
    SPEECH: (QUESTIONS, SCORING_OPEN),
    QUESTIONS: (SCORING_OPEN,),
    SCORING_OPEN: (SCORING_CLOSED,),
    SCORING_CLOSED: (REVEALED,),
    REVEALED: (),
}

# 排序测评 (mode "rank"): judges rank all contestants once every one has presented, so a contestant goes from
# its speech or questions straight to "closed", and results are revealed all together after the ranking.
SCORE = "score"
RANK = "rank"
MODES = (SCORE, RANK)
RANK_NEXT: dict[str, tuple[str, ...]] = {**NEXT, SPEECH: (QUESTIONS, SCORING_CLOSED), QUESTIONS: (SCORING_CLOSED,)}


def next_stages(stage: str, mode: str = SCORE) -> tuple[str, ...]:
    """Where a contestant in `stage` may go next in an arena of `mode`."""
    return (RANK_NEXT if mode == RANK else NEXT)[stage]


# Stages in which a contestant is "the one on stage" (holds the stage).
ACTIVE = (ON_STAGE, SPEECH, QUESTIONS, SCORING_OPEN)


class FlowError(LeitaiError):
    """A step the live flow does not allow."""


def label(stage: str, lang: str = "zh-hans") -> str:
    zh, en = LABELS[stage]
    return en if lang.startswith("en") else zh


def check_transition(current: str, target: str, *, other_active: bool = False, reveal_mode: str = "each",
                     all_closed: bool = False, mode: str = SCORE) -> None:
    """Raise FlowError unless a contestant in `current` may move to `target`.

    other_active: another contestant already holds the stage (only one at a time).
    reveal_mode "end": results are held until every contestant's scoring is closed (all_closed).
    """
    if current not in NEXT or target not in NEXT:
        raise FlowError(f"未知的环节：{current} → {target}", f"Unknown stage: {current} → {target}")
    if target not in next_stages(current, mode):
        raise FlowError(
            f"不能从“{label(current)}”进入“{label(target)}”",
            f"Cannot go from '{label(current, 'en')}' to '{label(target, 'en')}'",
        )
    if target == ON_STAGE and other_active:
        raise FlowError("另一位选手仍在台上，请先结束其评分", "Another contestant still holds the stage")
    if target == REVEALED and mode == RANK:
        raise FlowError("排序测评在全体评委排序结束后统一揭晓", "A ranking arena reveals all results after the ranking")
    if target == REVEALED and reveal_mode == "end" and not all_closed:
        raise FlowError("本场设定为最后统一揭晓：所有选手评分结束后才能揭晓",
                        "Results are held to the end: close every contestant's scoring first")


def can_score(stage: str) -> bool:
    """Judges may submit or change a sheet only while scoring is open."""
    return stage == SCORING_OPEN
