"""The tracking services (pledges, rectification items, supervision): pages, API and CLI call these names.
Each write runs in a transaction, records its history, raises LeitaiError / TransitionError for rule
violations and PermissionDenied for role violations. The code lives in services_*.py."""

from leitai.core.tracking import TransitionError

from .services_items import act, add_measure, create_item, items_from_arena, reopen, role_of, set_measure_done
from .services_pledges import create_pledge, judge_pledge_manually, judge_pledges, pledges_from_arena
from .services_supervision import SupervisionReport, run_supervision

__all__ = [
    "SupervisionReport", "TransitionError", "act", "add_measure", "create_item", "create_pledge",
    "items_from_arena", "judge_pledge_manually", "judge_pledges", "pledges_from_arena", "reopen", "role_of",
    "run_supervision", "set_measure_done",
]
