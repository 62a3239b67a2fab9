"""Helpers shared by the tracking pages: the page language's half of core's (zh, en) labels, today, the
deadline badges of item lists, and .xlsx downloads."""

from __future__ import annotations

import datetime as dt

import numpy as np
from django.http import HttpResponse
from django.utils import timezone

from leitai.core.tracking import rules as flow
from leitai.lang import page_lang as lang

DEADLINE_BADGES = {flow.ON_TRACK: ("正常", "ok"), flow.DUE_SOON: ("即将到期", "warn"), flow.OVERDUE: ("已逾期", "bad"),
                   flow.LONG_OVERDUE: ("长期逾期", "bad"), flow.DONE: ("已销号", "ok")}
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def label(pair: tuple[str, ...]) -> str:
    """The page language's half of a core (zh, en) label: core has no Django, so gettext cannot reach it."""
    return pair[-1] if lang().startswith("en") else pair[0]


def today() -> dt.date:
    return timezone.localdate()


def annotate_due(items, day: dt.date) -> list:
    """Each item with .due_label and .due_css from the vectorised deadline classes."""
    items = list(items)
    if items:
        deadlines = np.array([i.deadline for i in items], dtype="datetime64[D]")
        open_mask = np.array([i.state != flow.CLOSED for i in items])
        for item, cls in zip(items, flow.deadline_class(deadlines, open_mask, day), strict=True):
            item.due_label, item.due_css = DEADLINE_BADGES[cls]
            item.state_label = label(flow.STATE_LABELS[item.state])
    return items


def xlsx_response(data: bytes, name: str) -> HttpResponse:
    response = HttpResponse(data, content_type=XLSX)
    response["Content-Disposition"] = f"attachment; filename*=UTF-8''{name}"
    return response
