"""The arena's models, one module per room (base, setup, day); Django loads them from here and
`leitai.arena.models.X` stays the public name of each. Nothing is deleted: sheets keep every revision."""

from leitai.arena.base.models import Arena, ArenaChainEntry, ArenaEvent, ArenaKind
from leitai.arena.day.models import (
    Comment,
    FloorRequest,
    Question,
    RankSheet,
    RankSheetRevision,
    ScoreSheet,
    ScoreSheetRevision,
    Shortcoming,
)
from leitai.arena.results.models import ResultCorrection
from leitai.arena.setup.models import (
    Contestant,
    Criterion,
    Judge,
    JudgeGroup,
    JudgeLink,
    Submission,
    SubmissionItem,
    SubmissionVersion,
)

__all__ = [
    "Arena", "ArenaChainEntry", "ArenaEvent", "ArenaKind", "Comment", "Contestant", "Criterion", "FloorRequest", "Judge", "JudgeGroup", "JudgeLink", "Question",
    "RankSheet", "RankSheetRevision", "ResultCorrection", "ScoreSheet", "ScoreSheetRevision", "Shortcoming",
    "Submission", "SubmissionItem", "SubmissionVersion",
]
