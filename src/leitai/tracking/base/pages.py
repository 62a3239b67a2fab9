"""Helpers shared by the tracking pages: the page language's half of core's (zh, en) labels, today, the
deadline badges of item lists, .xlsx downloads, and an import page following its job in the queue."""

from __future__ import annotations

import datetime as dt

import numpy as np
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django_htmx.http import HttpResponseClientRefresh

from leitai import queue
from leitai.core.io.tabular import Problem
from leitai.core.tracking import rules as flow
from leitai.lang import page_lang as lang

DEADLINE_BADGES = {flow.ON_TRACK: ("正常", "ok"), flow.DUE_SOON: ("即将到期", "warn"), flow.OVERDUE: ("已逾期", "bad"),
                   flow.LONG_OVERDUE: ("长期逾期", "bad"), flow.DONE: ("已销号", "ok")}
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
FAILED_ZH = "导入中断，未写入任何数据，请重新上传；如仍失败请联系管理员"
FAILED_EN = "The import broke off and wrote nothing: upload the file again, or ask the administrator"


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


def follow_job(request, key: str | None, template: str, context: dict):
    """An import's job in the queue, seen from its page. While it runs: (the page with a progress bar, or only
    the bar when htmx polls it, or — right after the POST that started it — a redirect to this page's
    address with ?job=, None). Once done: (None, its value), collected (asking again shows the plain page).
    Without a job of this session: (None, None)."""
    state = queue.outcome(request.session, key) if key else None
    if state is None:
        return None, None
    if not state["done"]:
        if request.htmx:
            return render(request, "_job_progress.html", {"running": state["running"]}), None
        if request.method == "POST":
            return redirect(f"{request.path}?job={key}"), None
        return render(request, template, {**context, "running": state["running"]}), None
    if request.htmx:
        return HttpResponseClientRefresh(), None
    queue.forget(request.session, key)
    return None, state["value"]


def import_report(value: dict | None) -> dict | None:
    """An all-or-nothing import's report as the page shows it: every problem's place and message in the page's
    language (at most 500), or the one line of a job that broke off."""
    if value is None:
        return None
    if value.get("failed"):
        problems = [Problem("", None, "", "", "failed", FAILED_ZH, FAILED_EN).as_dict()]
    else:
        problems = value["problems"]
    rows = [Problem(**p) for p in problems[:500]]
    return {"ok": False, "problems": problems,
            "rows": [{"where": p.where(lang()), "message": p.message(lang())} for p in rows]}
