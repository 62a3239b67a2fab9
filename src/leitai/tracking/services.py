"""The tracking services (pledges, rectification items, supervision, the transfer from an arena): pages, API
and CLI call these names. Each write runs in a transaction, records its history, raises LeitaiError /
TransitionError for rule violations and PermissionDenied for role violations. The code lives in the rooms'
services modules (items, pledges, supervision, transfer); the preview of a transfer is a read, in
transfer.selectors."""

from leitai.core.tracking.rules import TransitionError

from .items.services import act, add_measure, create_item, reopen, role_of, set_measure_done
from .pledges.services import create_pledge, judge_pledge_manually, judge_pledges
from .reviews.services import create_round, record_verdict
from .supervision.services import SupervisionReport, run_supervision
from .transfer.selectors import can_transfer, transfer_preview
from .transfer.services import TransferError, transfer

__all__ = [
    "SupervisionReport", "TransferError", "TransitionError", "act", "add_measure", "can_transfer", "create_item",
    "create_pledge", "create_round", "record_verdict", "judge_pledge_manually", "judge_pledges", "reopen", "role_of", "run_supervision",
    "set_measure_done", "transfer", "transfer_preview",
]
