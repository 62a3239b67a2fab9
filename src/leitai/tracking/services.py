"""The tracking services (pledges, rectification items, supervision): pages, API and CLI call these names.
Each write runs in a transaction, records its history, raises LeitaiError / TransitionError for rule
violations and PermissionDenied for role violations. The code lives in services_*.py."""

from leitai.core.tracking import TransitionError

from .services_items import act, add_measure, create_item, reopen, role_of, set_measure_done
from .services_pledges import create_pledge, judge_pledge_manually, judge_pledges
from .services_supervision import SupervisionReport, run_supervision
from .services_transfer import TransferError, can_transfer, transfer, transfer_preview

__all__ = [
    "SupervisionReport", "TransferError", "TransitionError", "act", "add_measure", "can_transfer", "create_item",
    "create_pledge", "judge_pledge_manually", "judge_pledges", "reopen", "role_of", "run_supervision",
    "set_measure_done", "transfer", "transfer_preview",
]
