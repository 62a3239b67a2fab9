"""The arena's writes, one function per use case; pages, the API and the CLI call them by these names.

The code lives in services_setup (arena, rubric, contestants, order, panel, tokens), services_submissions
(contestants' materials), services_scoring (paper sheets, counts), services_sheets (phones' sheets), services_flow (the day) and services_results
(tally, publication, export); `public_state` (the big screen's state) is a read, in selectors.
"""

from __future__ import annotations

from .rubrics import DEFAULT_GROUPS, RUBRIC_TEMPLATES
from .selectors import judge_state, public_state
from .services_common import JudgeRefused, ScoringClosed, _announce, announce
from .services_flow import (
    advance,
    raise_shortcoming,
    record_comment,
    record_question,
    reveal_all,
    show_slides,
)
from .services_ranking import ranking_progress, set_ranking, set_ranking_rules, submit_ranking
from .services_results import bonus_reason, export_arena, final_sheets, publish_results, tally_arena
from .services_scoring import confirm_paper_sheet, enter_paper_sheet, pending_paper_sheets, progress
from .services_setup import (
    add_contestants,
    add_judge,
    create_arena,
    is_recused,
    issue_token,
    judge_for_token,
    remove_contestant,
    revoke_token,
    rubric_dict,
    rubric_of,
    set_order,
    update_rubric,
)
from .services_sheets import SheetRequest, SubmitOutcome, submit_batch, submit_sheet
from .services_submissions import lock_submissions, save_submission, set_submission_deadline

__all__ = [
    "DEFAULT_GROUPS", "RUBRIC_TEMPLATES", "JudgeRefused", "ScoringClosed", "SubmitOutcome", "_announce", "announce",
    "add_contestants", "add_judge", "advance", "bonus_reason", "confirm_paper_sheet", "create_arena",
    "enter_paper_sheet", "export_arena", "final_sheets", "is_recused", "issue_token", "judge_for_token",
    "judge_state", "lock_submissions", "SheetRequest", "submit_batch", "pending_paper_sheets", "progress", "public_state", "publish_results",
    "raise_shortcoming", "record_comment", "record_question", "remove_contestant", "reveal_all", "revoke_token",
    "ranking_progress", "set_ranking", "set_ranking_rules", "submit_ranking", "rubric_dict", "rubric_of", "save_submission", "set_order", "set_submission_deadline", "show_slides", "submit_sheet",
    "tally_arena", "update_rubric",
]
