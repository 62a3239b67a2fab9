"""The tracking API (/api/v1/tracking/): rectification items and their history, workflow actions, public
pledges, close-out rates, key projects (list, progress) and follow-up review rounds. Reads go through the
rooms' selectors, writes through their services (act, update_project); who sees what is `policies`'."""

from __future__ import annotations

from datetime import date, datetime

from django.core.exceptions import PermissionDenied
from django.utils import timezone
from django.utils.translation import gettext as _
from ninja import Field, Router, Schema
from ninja.security import django_auth
from pydantic import ConfigDict

from leitai.core.errors import LeitaiError
from leitai.core.tracking import rules as flow
from leitai.lang import page_lang

from . import policies
from .board import selectors as board_selectors
from .items import selectors as item_selectors
from .items import services as item_services
from .models import Item
from .pledges import selectors as pledge_selectors
from .projects import selectors as project_selectors
from .projects import services as project_services
from .reviews import selectors as review_selectors

router = Router(tags=["tracking"])


class Error(Schema):
    detail: str


class ItemOut(Schema):
    code: str
    title: str
    source: str
    unit: str
    unit_name: str
    person_name: str
    deadline: date
    priority: str
    state: str
    state_label: str
    assigned_on: date
    closed_on: date | None
    public: bool


class TransitionOut(Schema):
    action: str
    from_state: str
    to_state: str
    text: str
    at: datetime
    by: str
    attachments: list[str]


class MeasureOut(Schema):
    text: str
    due: date | None
    done: bool


class ItemDetailOut(ItemOut):
    description: str
    source_ref: str
    measures: list[MeasureOut]
    transitions: list[TransitionOut]
    allowed_actions: list[str]


class ActionIn(Schema):
    model_config = ConfigDict(extra="forbid", strict=True)
    action: str
    text: str = ""


class PledgeOut(Schema):
    id: int
    unit: str
    unit_name: str
    person: str
    text: str
    indicator: str | None
    comparison: str
    target_value: float | None
    deadline: str | None
    status: str
    verdict_value: float | None
    verdict_note: str


class RatesOut(Schema):
    key: str
    total: int
    closed: int
    closed_on_time: int
    overdue_open: int
    resolution_rate: float | None
    on_time_rate: float | None
    avg_days_to_close: float | None


def _item(i: Item) -> dict:
    return {"code": i.code, "title": i.title, "source": i.source, "unit": i.unit.code, "unit_name": i.unit.name,
            "person_name": i.person_name, "deadline": i.deadline, "priority": i.priority, "state": i.state,
            "state_label": i.get_state_display(), "assigned_on": i.assigned_on, "closed_on": i.closed_on,
            "public": i.public}


def _detail(i: Item, user) -> dict:
    role = policies.role(user, i)
    actions = flow.allowed_actions(i.state, role) if role else []
    transitions = [{"action": t.action, "from_state": t.from_state, "to_state": t.to_state, "text": t.text,
                    "at": t.at, "by": (t.by_user.display_name or t.by_user.username) if t.by_user else t.by_name,
                    "attachments": [a.name for a in t.attachments.all()]}
                   for t in item_selectors.item_history(i)]
    return {**_item(i), "description": i.description, "source_ref": i.source_ref,
            "measures": [{"text": m.text, "due": m.due, "done": m.done} for m in item_selectors.item_measures(i)],
            "transitions": transitions, "allowed_actions": actions}


def _not_found(code: str) -> dict:
    return {"detail": _("整改事项 %(code)s 不存在") % {"code": code}}


@router.get("/items", response=list[ItemOut], summary="Rectification items you may see, filtered")
def list_items(request, unit: str | None = None, state: str | None = None, source: str | None = None,
               overdue: bool | None = None):
    qs = item_selectors.listed_items(request.user, unit=unit, state=state, source=source, overdue=overdue,
                                     today=timezone.localdate())
    return [_item(i) for i in qs]


@router.get("/items/{code}", response={200: ItemDetailOut, 404: Error}, summary="One item with its history")
def item_detail(request, code: str):
    # the whole record (history, measures) as the item page shows it: organizers and the unit's reporters
    item = item_selectors.item_in_full(request.user, code)
    if item is None:
        return 404, _not_found(code)
    return 200, _detail(item, request.user)


@router.post("/items/{code}/actions", auth=django_auth,
             response={200: ItemDetailOut, 401: Error, 403: Error, 404: Error, 422: Error},
             summary="Start, request close-out, verify or return an item")
def item_action(request, code: str, payload: ActionIn):
    item = item_selectors.item_by_code(code)
    if item is None:
        return 404, _not_found(code)
    try:
        item = item_services.act(request.user, item, payload.action, text=payload.text)
    except PermissionDenied:
        return 403, {"detail": _("只有责任单位或考核办可以办理该事项")}
    except LeitaiError as e:
        return 422, {"detail": e.message(page_lang())}
    return 200, _detail(item, request.user)


@router.get("/pledges", response=list[PledgeOut], summary="Public pledges and their verdicts")
def list_pledges(request, unit: str | None = None, status: str | None = None):
    qs = pledge_selectors.public_pledges(unit=unit, status=status)
    return [{"id": p.pk, "unit": p.unit.code, "unit_name": p.unit.name, "person": p.person.name if p.person else "",
             "text": p.text, "indicator": p.indicator.code if p.indicator else None, "comparison": p.comparison,
             "target_value": p.target_value, "deadline": p.deadline.code if p.deadline else None,
             "status": p.status, "verdict_value": p.verdict_value, "verdict_note": p.verdict_note} for p in qs]


@router.get("/rates", auth=django_auth, response={200: list[RatesOut], 401: Error, 403: Error, 422: Error},
            summary="Close-out rates per unit or per source (organizers)")
def rates(request, by: str = "unit"):
    if not request.user.is_organizer:
        return 403, {"detail": _("只有考核办（组织者）可以进行此操作")}
    if by not in board_selectors.BY:
        return 422, {"detail": _("by 应为 unit 或 source")}
    return 200, [{"key": key, **r.__dict__} for key, r in board_selectors.item_rates(by).items()]


# ---- key projects and follow-up reviews -------------------------------------------------------------------

class ProjectOut(Schema):
    code: str
    name: str
    unit: str
    unit_name: str
    batch: str
    stage: str
    stage_label: str
    colour: str
    investment_planned: float | None
    investment_done: float | None
    planned_sign: date | None
    actual_sign: date | None
    planned_start: date | None
    actual_start: date | None
    planned_complete: date | None
    actual_complete: date | None
    closed: bool
    arena: int | None


class ProgressIn(Schema):
    model_config = ConfigDict(extra="forbid")

    stage: str | None = None
    investment_done: float | None = None
    actual_sign: date | None = None
    actual_start: date | None = None
    actual_complete: date | None = None


class ReviewUnitOut(Schema):
    unit: str
    assigned: int
    done: int
    satisfied: int
    basic: int
    not_: int = Field(..., alias="not")
    coverage: float | None
    satisfaction: float | None


class ReviewRoundOut(Schema):
    id: int
    name: str
    method: str
    sample_size: int | None
    seed: str
    created_at: datetime
    total: ReviewUnitOut
    units: list[ReviewUnitOut]


def _project(p, today: date) -> dict:
    return {"code": p.code, "name": p.name, "unit": p.unit.code, "unit_name": p.unit.name, "batch": p.batch,
            "stage": p.stage, "stage_label": str(p.get_stage_display()),
            "colour": getattr(p, "colour", None) or project_selectors.schedule_colour(p, today),
            **{f: getattr(p, f) for f in ("investment_planned", "investment_done", "planned_sign", "actual_sign",
                                          "planned_start", "actual_start", "planned_complete", "actual_complete",
                                          "closed")},
            "arena": p.arena_id}


def _data_editor(user) -> bool:
    return user.is_authenticated and (user.is_organizer or user.is_reporter)


@router.get("/projects", auth=django_auth, response={200: list[ProjectOut], 401: Error, 403: Error},
            summary="Key projects with stage and schedule colour (organizers and reporters), filtered")
def list_projects(request, unit: str | None = None, batch: str | None = None, today: date | None = None):
    if not _data_editor(request.user):
        return 403, {"detail": _("只有考核办或填报单位可以查看重大项目")}
    today = today or date.today()
    return 200, [_project(p, today) for p in project_selectors.board(today, unit=unit or "", batch=batch or "")["projects"]]


@router.post("/projects/{code}", auth=django_auth,
             response={200: ProjectOut, 401: Error, 403: Error, 404: Error, 422: Error},
             summary="Record a key project's progress (the unit's reporter or an organizer); every change is logged")
def project_progress(request, code: str, payload: ProgressIn):
    project = project_selectors.project_by_code(code)
    if project is None:
        return 404, {"detail": _("项目 %(code)s 不存在") % {"code": code}}
    changes = payload.model_dump(exclude_unset=True)
    try:
        project = project_services.update_project(request.user, project, **changes)
    except PermissionDenied:
        return 403, {"detail": _("只有责任单位或考核办可以更新该项目")}
    except LeitaiError as e:
        return 422, {"detail": e.message(page_lang())}
    return 200, _project(project, date.today())


@router.get("/reviews", auth=django_auth, response={200: list[ReviewRoundOut], 401: Error, 403: Error}, by_alias=True,
            summary="Follow-up review rounds (回头看) with coverage and satisfaction per unit (organizers)")
def list_reviews(request):
    if not request.user.is_organizer:
        return 403, {"detail": _("只有考核办（组织者）可以进行此操作")}
    out = []
    for rnd in review_selectors.rounds():
        summary = review_selectors.round_summary(rnd)
        out.append({"id": rnd.pk, "name": rnd.name, "method": rnd.method, "sample_size": rnd.sample_size,
                    "seed": rnd.seed, "created_at": rnd.created_at, "total": {"unit": "", **summary["total"]},
                    "units": summary["units"]})
    return 200, out
