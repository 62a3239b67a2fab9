"""Rectification items (清单督办) as a pure state machine, deadline classes and close-out rates.

    assigned (交办) → in_progress (整改中) → requested (申请销号) → closed (已销号)
                                                   ↘ returned (退回) → in_progress / requested
    closed → reopened (回头看不满意、企业反馈未解决) → in_progress / requested

Only the responsible unit starts work and requests close-out (with evidence); only the organizer verifies
(closes) or returns (with a reason); a failed follow-up review or a "not solved" answer from the one who
raised the item reopens it. Nothing is deleted: every transition is a new log row.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

import numpy as np

from leitai.core.errors import LeitaiError

ASSIGNED = "assigned"
IN_PROGRESS = "in_progress"
REQUESTED = "requested"
CLOSED = "closed"
RETURNED = "returned"
REOPENED = "reopened"
STATES = (ASSIGNED, IN_PROGRESS, REQUESTED, CLOSED, RETURNED, REOPENED)
OPEN_STATES = (ASSIGNED, IN_PROGRESS, REQUESTED, RETURNED, REOPENED)

STATE_LABELS = {
    ASSIGNED: ("已交办", "Assigned"),
    IN_PROGRESS: ("整改中", "In progress"),
    REQUESTED: ("申请销号", "Close-out requested"),
    CLOSED: ("已销号", "Closed"),
    RETURNED: ("已退回", "Returned"),
    REOPENED: ("已重新打开", "Reopened"),
}

# Who acts: the responsible unit, the organizer, or a review (follow-up review / the raiser's answer).
UNIT = "unit"
ORGANIZER = "organizer"
REVIEW = "review"

START = "start"
REQUEST = "request_closeout"
VERIFY = "verify"
RETURN = "return"
REOPEN = "reopen"
ACTIONS = (START, REQUEST, VERIFY, RETURN, REOPEN)

ACTION_LABELS = {
    START: ("开始整改", "Start work"),
    REQUEST: ("申请销号", "Request close-out"),
    VERIFY: ("核验销号", "Verify and close"),
    RETURN: ("退回", "Return"),
    REOPEN: ("重新打开", "Reopen"),
}

# (state, action) → (new state, roles allowed)
RULES: dict[tuple[str, str], tuple[str, tuple[str, ...]]] = {
    (ASSIGNED, START): (IN_PROGRESS, (UNIT,)),
    (RETURNED, START): (IN_PROGRESS, (UNIT,)),
    (REOPENED, START): (IN_PROGRESS, (UNIT,)),
    (ASSIGNED, REQUEST): (REQUESTED, (UNIT,)),
    (IN_PROGRESS, REQUEST): (REQUESTED, (UNIT,)),
    (RETURNED, REQUEST): (REQUESTED, (UNIT,)),
    (REOPENED, REQUEST): (REQUESTED, (UNIT,)),
    (REQUESTED, VERIFY): (CLOSED, (ORGANIZER,)),
    (REQUESTED, RETURN): (RETURNED, (ORGANIZER,)),
    (CLOSED, REOPEN): (REOPENED, (REVIEW, ORGANIZER)),
}

# Actions that must carry text: evidence for a request, a reason for a return or a reopening.
NEEDS_TEXT = (REQUEST, RETURN, REOPEN)


class TransitionError(LeitaiError):
    """An action the workflow does not allow in this state, or not for this role."""


def allowed_actions(state: str, role: str) -> list[str]:
    """The actions `role` may take on an item in `state`, in workflow order."""
    return [a for a in ACTIONS if (state, a) in RULES and role in RULES[(state, a)][1]]


def transition(state: str, action: str, role: str, text: str = "") -> str:
    """The state after `role` takes `action`; raises TransitionError when not allowed."""
    rule = RULES.get((state, action))
    zh_state, en_state = STATE_LABELS.get(state, (state, state))
    zh_action, en_action = ACTION_LABELS.get(action, (action, action))
    if rule is None:
        raise TransitionError(f"“{zh_state}”状态下不能“{zh_action}”", f"Cannot '{en_action}' an item that is {en_state}")
    new_state, roles = rule
    if role not in roles:
        who = {UNIT: "责任单位", ORGANIZER: "考核办", REVIEW: "回头看"}
        allowed = "、".join(who.get(r, r) for r in roles)
        raise TransitionError(f"只有{allowed}可以“{zh_action}”", f"Only {', '.join(roles)} may '{en_action}'")
    if action in NEEDS_TEXT and not text.strip():
        need = {REQUEST: ("整改情况说明", "evidence"), RETURN: ("退回理由", "a reason"), REOPEN: ("重新打开的理由", "a reason")}
        raise TransitionError(f"“{zh_action}”需要填写{need[action][0]}", f"'{en_action}' needs {need[action][1]}")
    return new_state


# ---- deadlines ---------------------------------------------------------------------------------

DUE_SOON_DAYS = 7
LONG_OVERDUE_DAYS = 30

ON_TRACK = "on_track"
DUE_SOON = "due_soon"
OVERDUE = "overdue"
LONG_OVERDUE = "long_overdue"
DONE = "done"


def deadline_class(deadlines: np.ndarray, open_mask: np.ndarray, today: date,
                   due_soon_days: int = DUE_SOON_DAYS, long_overdue_days: int = LONG_OVERDUE_DAYS) -> np.ndarray:
    """Vectorised: for each item, done / on_track / due_soon / overdue / long_overdue as of `today`.

    deadlines: numpy datetime64[D] array; open_mask: True where the item is not closed."""
    days_left = (deadlines.astype("datetime64[D]") - np.datetime64(today, "D")).astype(int)
    out = np.full(deadlines.shape, ON_TRACK, dtype=object)
    out[days_left <= due_soon_days] = DUE_SOON
    out[days_left < 0] = OVERDUE
    out[days_left < -long_overdue_days] = LONG_OVERDUE
    out[~open_mask] = DONE
    return out


@dataclass(frozen=True)
class Rates:
    """Close-out figures for a set of items (a unit, a source, the city)."""

    total: int
    closed: int
    closed_on_time: int
    overdue_open: int
    resolution_rate: float | None  # 化解率: closed / total
    on_time_rate: float | None  # closed on or before the deadline / closed
    avg_days_to_close: float | None


def rates(created: np.ndarray, deadlines: np.ndarray, closed_on: np.ndarray, today: date) -> Rates:
    """Vectorised rates. closed_on is datetime64[D] with NaT where the item is open."""
    total = int(created.shape[0])
    is_closed = ~np.isnat(closed_on)
    closed = int(is_closed.sum())
    on_time = int((is_closed & (closed_on <= deadlines)).sum())
    overdue_open = int((~is_closed & (deadlines < np.datetime64(today, "D"))).sum())
    days = (closed_on[is_closed] - created[is_closed]).astype("timedelta64[D]").astype(float)
    return Rates(
        total, closed, on_time, overdue_open,
        closed / total if total else None,
        on_time / closed if closed else None,
        float(days.mean()) if closed else None,
    )
