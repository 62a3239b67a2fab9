"""The arena API (/api/v1/arena/): arenas, the live public state, published results, judges' sheets by
token, and the organizer's flow and publication.

A judge's phone is identified by the token in the path only (no session, so no CSRF: ninja checks CSRF in
its session auth, which this endpoint does not use). Organizer endpoints use the session and CSRF.
Errors: 403 refused (role, token, another arena, recusal), 404 unknown, 409 the flow does not allow it
now (scoring not open or closed, published), 422 invalid input (scores, rules).
"""

from __future__ import annotations

from datetime import datetime

from django.core.exceptions import PermissionDenied
from django.utils.translation import gettext as _
from ninja import Field, Router, Schema
from ninja.security import django_auth
from pydantic import ConfigDict

from leitai.arena.base.answers import error_body, refusal
from leitai.arena.base.models import Arena
from leitai.arena.base.policies import is_organizer
from leitai.arena.day import flow, sheets
from leitai.arena.day import selectors as day_selectors
from leitai.arena.day.gate import submission_gate
from leitai.arena.day.sheets import sheet_answer
from leitai.arena.results import selectors as results_selectors
from leitai.arena.results import services
from leitai.arena.results.audit import audit_state
from leitai.arena.setup import links as setup_links
from leitai.arena.setup import selectors as setup_selectors
from leitai.core.errors import LeitaiError, SpecError
from leitai.core.judging import flow as arena_flow
from leitai.lang import page_lang

router = Router(tags=["arena"])


class Error(Schema):
    detail: str


class ArenaOut(Schema):
    id: int
    name: str
    kind: str
    kind_name: str
    status: str
    period: str
    held_at: datetime | None
    venue: str
    reveal_mode: str


class ResultRowOut(Schema):
    contestant: int
    unit: str
    unit_name: str
    person: str
    title: str
    order: int
    score: float | None
    rank: int | None
    groups: dict[str, float | None]
    sheets: int
    bonus: float


class CorrectionOut(Schema):
    version: int = Field(..., description="2, 3, …: version 1 is the publication")
    at: datetime
    by: str | None
    reason: str
    changes: list[dict] = Field(..., description="[{unit, unit_name, field, old, new}]")


class ResultsOut(Schema):
    arena: ArenaOut
    published_at: datetime | None
    version: int = Field(..., description="the version of `rows`: 1 as published, higher after corrections")
    rubric: dict
    rows: list[ResultRowOut]
    tally_csv: str
    uncertainty: dict | None = Field(None, description="rank intervals, judges resampled (docs/uncertainty.md): "
                                     "{draws, seed, csv, rows: {unit: [rank, median_rank, rank_lo, rank_hi]}}; "
                                     "null for arenas published before them and for ranking arenas")
    corrections: list[CorrectionOut]


class SheetIn(Schema):
    model_config = ConfigDict(extra="forbid", strict=True)

    contestant: int = Field(..., description="contestant id")
    scores: dict[str, float] = Field(..., description="criterion code → score")
    client_key: str = Field(..., min_length=1, max_length=64,
                            description="idempotency key: the same key again returns the stored sheet")


class SheetOut(Schema):
    status: str = Field(..., description="submitted | duplicate")
    version: int
    receipt: str = Field(..., description="the stored revision's receipt code, ABCD-EFGH-JK (回执码, docs/contracts.md)")


class AdvanceIn(Schema):
    model_config = ConfigDict(extra="forbid", strict=True)

    stage: str = Field(..., description=" | ".join(arena_flow.STAGES))
    override_reason: str = Field("", max_length=500,
                                 description="revealed below the quorum: the organizer's reason (logged, shown on the results page)")


class PublishIn(Schema):
    model_config = ConfigDict(extra="forbid", strict=True)

    override_reason: str = Field("", max_length=500,
                                 description="published below the quorum: the organizer's reason (logged, shown on the results page)")


class ContestantOut(Schema):
    id: int
    unit: str
    stage: str
    stage_label: str


def _arena_out(a: Arena) -> dict:
    return {"id": a.pk, "name": a.name, "kind": a.kind, "kind_name": str(a.kind_name), "status": a.status,
            "period": a.period.code, "held_at": a.held_at, "venue": a.venue, "reveal_mode": a.reveal_mode}


def _not_found(what: str, key) -> tuple[int, dict]:
    return 404, {"detail": _("%(what)s %(key)s 不存在") % {"what": what, "key": key}}


def _forbidden() -> dict:
    return {"detail": _("只有考核办（组织者）可以进行此操作")}


@router.get("/", response=list[ArenaOut], summary="Arenas (the public sees those under way and published)")
def list_arenas(request):
    return [_arena_out(a) for a in setup_selectors.visible_arenas(request.user)]


@router.get("/{arena_id}/state", response={200: dict, 404: Error}, summary="The big screen's live state")
def arena_state(request, arena_id: int):
    arena = setup_selectors.arena_for(request.user, arena_id)
    if arena is None:
        return _not_found(_("擂台赛"), arena_id)
    state = day_selectors.public_state(arena)
    return 200, {**state, "results": day_selectors.results_of(state)}


@router.get("/{arena_id}/results", response={200: ResultsOut, 404: Error}, summary="Published results")
def arena_results(request, arena_id: int):
    arena = results_selectors.published_arena(arena_id)
    if arena is None:
        return _not_found(_("已发布的擂台赛"), arena_id)
    r = arena.result
    versions = results_selectors.result_versions(arena)
    return 200, {"arena": _arena_out(arena), "published_at": arena.published_at, "rubric": r.get("rubric") or r.get("rules"),
                 "version": versions[-1]["version"],
                 "rows": results_selectors.public_rows(arena, versions[-1]["rows"]), "tally_csv": r["tally_csv"],
                 "uncertainty": r.get("uncertainty"),
                 "corrections": [{"version": v["version"], "at": v["at"], "by": v["by"].get_username() if v["by"] else None,
                                  "reason": v["reason"], "changes": v["changes"]} for v in versions[1:]]}


@router.post("/judge/{token}/sheets", response={200: SheetOut, 403: Error, 404: Error, 409: Error, 422: Error},
             summary="A judge submits or changes a sheet (idempotent by client_key)")
def submit_sheet(request, token: str, payload: SheetIn):
    # Served by leitai.arena.lean under `leitai serve` (same service, same answers); this handler serves
    # the OpenAPI description, the test client and other servers.
    with submission_gate():
        [outcome] = sheets.submit_batch([sheets.SheetRequest(payload.contestant, payload.scores,
                                                                 payload.client_key, token=token)])
    return sheet_answer(outcome)


@router.get("/judge/{token}/state", response={200: dict, 403: Error},
            summary="A judge's own view: the current contestant, the rubric and the judge's own sheet")
def judge_state(request, token: str):
    judge = setup_selectors.judge_for_token(token)
    if judge is None:
        return 403, {"detail": _("评分链接无效或已失效，请联系工作人员")}
    return 200, day_selectors.judge_state(judge)


@router.post("/{arena_id}/contestants/{contestant_id}/advance", auth=django_auth,
             response={200: ContestantOut, 401: Error, 403: Error, 404: Error, 409: Error, 422: Error},
             summary="Organizer: move a contestant to the next stage")
def advance(request, arena_id: int, contestant_id: int, payload: AdvanceIn):
    if not is_organizer(request.user):
        return 403, _forbidden()
    contestant = setup_selectors.contestant_of(arena_id, contestant_id)
    if contestant is None:
        return _not_found(_("参赛单位"), contestant_id)
    if payload.stage not in arena_flow.STAGES:
        return 422, {"detail": _("未知的环节：%(stage)s") % {"stage": payload.stage}}
    try:
        c = flow.advance(contestant, payload.stage, request.user, override_reason=payload.override_reason)
    except PermissionDenied:
        return 403, _forbidden()
    except LeitaiError as e:
        return refusal(e)
    return 200, {"id": c.pk, "unit": c.unit.name, "stage": c.stage,
                 "stage_label": arena_flow.label(c.stage, page_lang())}


@router.post("/{arena_id}/publish", auth=django_auth, response={200: ResultsOut, 401: Error, 403: Error, 404: Error, 409: Error},
             summary="Organizer: publish the results (once), with bonus points by rank")
def publish(request, arena_id: int, payload: PublishIn | None = None):
    if not is_organizer(request.user):
        return 403, _forbidden()
    arena = setup_selectors.arena_by_id(arena_id)
    if arena is None:
        return _not_found(_("擂台赛"), arena_id)
    try:
        arena = services.publish_results(arena, request.user,
                                         override_reason=payload.override_reason if payload else "")
    except PermissionDenied:
        return 403, _forbidden()
    except LeitaiError as e:
        return 409, error_body(e)
    return arena_results(request, arena.pk)


# Ids beyond a database integer cannot exist (and would overflow SQLite's): 404, not a server error.
_DB_INT = 2**63


class AuditRowOut(Schema):
    judge: str = Field(..., description="organizer: the judge's anonymous code (name and title in `name`); public: 评委A…")
    name: str = Field("", description="organizer only: the judge's name and title")
    group: str
    sheets: int
    leniency: float | None
    leniency_lo: float | None
    leniency_hi: float | None
    consistency: float | None
    favour: float | None
    favour_lo: float | None
    favour_hi: float | None
    flags: list[str] = Field(..., description="lenient | severe | erratic | favours_linked")


class AuditOut(Schema):
    arena: int
    named: bool
    threshold: float
    calibration: dict
    rows: list[AuditRowOut]
    dropped: list[dict]


@router.get("/{arena_id}/audit", response={200: AuditOut, 404: Error},
            summary="The judges' audit: named for the organizer (live), anonymised for the public once published")
def arena_audit(request, arena_id: int):
    named = is_organizer(request.user)
    if not 0 < arena_id < _DB_INT:
        return _not_found(_("擂台赛"), arena_id)
    arena = setup_selectors.arena_by_id(arena_id) if named else results_selectors.published_arena(arena_id)
    if arena is None or arena.scoring_mode == "rank":
        return _not_found(_("擂台赛"), arena_id)
    state = audit_state(arena, named=named)
    rows = [{"judge": r["line"].judge if named else r["label"], "name": r["label"] if named else "",
             "group": r["line"].group, "sheets": r["line"].sheets, "leniency": r["line"].leniency,
             "leniency_lo": r["line"].leniency_lo, "leniency_hi": r["line"].leniency_hi,
             "consistency": r["line"].consistency, "favour": r["line"].favour, "favour_lo": r["line"].favour_lo,
             "favour_hi": r["line"].favour_hi, "flags": list(r["line"].flags)} for r in state["rows"]]
    dropped = [{k: v for k, v in d.items() if k not in ("label", "flag_labels")} | {"judge": d["label"]}
               for d in state["dropped"]] if not named else [
        {k: v for k, v in d.items() if k not in ("label", "flag_labels")} for d in state["dropped"]]
    return 200, {"arena": arena.pk, "named": named, "threshold": state["threshold"],
                 "calibration": state["calibration"], "rows": rows, "dropped": dropped}


class CalibrationIn(Schema):
    model_config = ConfigDict(extra="forbid")

    calibration: dict = Field(..., description='{} (none), {"method": "standardize"} or {"method": "drop_flagged", '
                                                '"flags": ["lenient", "severe", "erratic", "favours_linked"], "threshold"?: T}')


@router.put("/{arena_id}/calibration", auth=django_auth, response={200: dict, 401: Error, 403: Error, 404: Error, 409: Error, 422: Error},
            summary="Organizer: declare the calibration rule the tally applies (before scoring opens, never after)")
def put_calibration(request, arena_id: int, payload: CalibrationIn):
    if not is_organizer(request.user):
        return 403, _forbidden()
    arena = setup_selectors.arena_by_id(arena_id) if 0 < arena_id < _DB_INT else None
    if arena is None:
        return _not_found(_("擂台赛"), arena_id)
    try:
        arena = setup_links.set_calibration(arena, request.user, payload.calibration)
    except PermissionDenied:
        return 403, _forbidden()
    except SpecError as e:
        return 422, error_body(e)
    except LeitaiError as e:
        return 409, error_body(e)
    return 200, {"calibration": arena.calibration}


class LinkOut(Schema):
    id: int
    judge_id: int
    judge: str = Field(..., description="the judge's anonymous code (as in LINKS.csv and the audit)")
    judge_name: str
    contestant_id: int
    contestant: str = Field(..., description="the contestant's unit code")
    contestant_name: str
    relation: str


class LinkIn(Schema):
    model_config = ConfigDict(extra="forbid")

    judge_id: int
    contestant_id: int
    relation: str = Field(..., description="how the judge is linked: 曾任职, 同一区县, 挂钩联系…")


def _link_out(link) -> dict:
    return {"id": link.pk, "judge_id": link.judge_id, "judge": link.judge.anon_code, "judge_name": link.judge.name,
            "contestant_id": link.contestant_id, "contestant": link.contestant.unit.code,
            "contestant_name": link.contestant.unit.name, "relation": link.relation}


def _organizer_arena(request, arena_id: int):
    """(arena, None) for an organizer and an existing arena, else (None, the refusal)."""
    if not is_organizer(request.user):
        return None, (403, _forbidden())
    arena = setup_selectors.arena_by_id(arena_id) if 0 < arena_id < _DB_INT else None
    if arena is None:
        return None, _not_found(_("擂台赛"), arena_id)
    return arena, None


@router.get("/{arena_id}/links", auth=django_auth, response={200: list[LinkOut], 401: Error, 403: Error, 404: Error},
            summary="Organizer: the judge–contestant links the audit's favour test uses (LINKS.csv of the export)")
def list_links(request, arena_id: int):
    arena, refused = _organizer_arena(request, arena_id)
    if refused:
        return refused
    return 200, [_link_out(link) for link in setup_selectors.link_rows(arena)]


@router.post("/{arena_id}/links", auth=django_auth,
             response={201: LinkOut, 401: Error, 403: Error, 404: Error, 409: Error},
             summary="Organizer: record a judge's tie to a contestant (logged; refused after publication)")
def post_link(request, arena_id: int, payload: LinkIn):
    arena, refused = _organizer_arena(request, arena_id)
    if refused:
        return refused
    try:
        link = setup_links.add_link(arena, request.user, payload.judge_id, payload.contestant_id, payload.relation)
    except PermissionDenied:
        return 403, _forbidden()
    except LeitaiError as e:
        return 409, error_body(e)
    return 201, _link_out(link)


@router.delete("/{arena_id}/links/{link_id}", auth=django_auth,
               response={204: None, 401: Error, 403: Error, 404: Error, 409: Error},
               summary="Organizer: withdraw a link recorded by mistake (logged; refused after publication)")
def delete_link(request, arena_id: int, link_id: int):
    arena, refused = _organizer_arena(request, arena_id)
    if refused:
        return refused
    if not any(link.pk == link_id for link in setup_selectors.link_rows(arena)):
        return _not_found(_("关联"), link_id)
    try:
        setup_links.remove_link(arena, request.user, link_id)
    except PermissionDenied:
        return 403, _forbidden()
    except LeitaiError as e:
        return 409, error_body(e)
    return 204, None
