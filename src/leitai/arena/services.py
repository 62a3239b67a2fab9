"""The arena's public names, one function per use case; the CLI, the demo and the tests call them by these
names (pages and the API call the rooms directly).

The code lives in the rooms: setup/services.py (arena, rubric, contestants, order, panel, tokens, ranking
rules), setup/submissions.py (contestants' materials), day/flow.py (the day), day/scoring.py (paper
sheets), day/sheets.py (phones' sheets), day/ranking.py (排序测评) and results/services.py (publication,
export), results/minutes.py (纪要). The reads listed here (`public_state`, `tally_arena`, `progress`, …) are in the rooms' selectors.
"""

from __future__ import annotations

from leitai.arena.base.events import JudgeRefused, QuorumNotMet, ScoringClosed, announce
from leitai.arena.day.flow import (
    advance,
    raise_shortcoming,
    record_comment,
    record_question,
    reopen_scoring,
    reveal_all,
    show_slides,
)
from leitai.arena.day.ranking import set_ranking, submit_ranking
from leitai.arena.day.scoring import confirm_paper_sheet, enter_paper_sheet
from leitai.arena.day.screen import show_on_screen
from leitai.arena.day.selectors import (
    final_sheets,
    judge_state,
    pending_paper_sheets,
    progress,
    public_state,
    quorum_gaps,
    ranking_progress,
    tally_arena,
)
from leitai.arena.day.sheets import SheetRequest, SubmitOutcome, submit_batch, submit_sheet
from leitai.arena.results.minutes import minutes_docx, minutes_pdf
from leitai.arena.results.services import bonus_reason, export_arena, publish_results
from leitai.arena.setup.links import add_link, remove_link, set_calibration
from leitai.arena.setup.rubrics import DEFAULT_GROUPS, RUBRIC_TEMPLATES
from leitai.arena.setup.selectors import is_recused, judge_for_token, rubric_dict, rubric_of
from leitai.arena.setup.services import (
    add_contestants,
    add_judge,
    create_arena,
    issue_own_token,
    issue_token,
    remove_contestant,
    revoke_token,
    set_order,
    set_quorum,
    set_ranking_rules,
    update_rubric,
)
from leitai.arena.setup.submissions import lock_submissions, save_submission, set_submission_deadline

__all__ = [
    "add_link", "remove_link", "set_calibration",
    "DEFAULT_GROUPS", "RUBRIC_TEMPLATES", "JudgeRefused", "ScoringClosed", "SubmitOutcome", "announce",
    "add_contestants", "add_judge", "advance", "bonus_reason", "confirm_paper_sheet", "create_arena",
    "enter_paper_sheet", "export_arena", "final_sheets", "is_recused", "issue_own_token", "issue_token", "judge_for_token",
    "judge_state", "lock_submissions", "minutes_docx", "minutes_pdf", "SheetRequest", "submit_batch", "pending_paper_sheets", "progress", "public_state", "publish_results",
    "raise_shortcoming", "record_comment", "record_question", "remove_contestant", "reveal_all", "revoke_token",
    "ranking_progress", "set_ranking", "set_ranking_rules", "submit_ranking", "rubric_dict", "rubric_of", "save_submission", "set_order", "set_submission_deadline", "show_on_screen", "show_slides", "submit_sheet",
    "tally_arena", "update_rubric", "QuorumNotMet", "quorum_gaps", "reopen_scoring", "set_quorum",
]
