"""Reads for the arena pages, the API and the live stream: lists, a contestant with its submission,
sheet counts, the public (big-screen) state and a judge's own state.

No read here ever returns a judge's individual scores to anyone but that judge (judge_state)."""

from __future__ import annotations

import time

from django.db.models import Count, Max, Prefetch, Q
from django.urls import reverse
from django.utils import translation

from leitai.core import arena_flow
from leitai.core.arena_flow import ACTIVE, QUESTIONS, REVEALED, SPEECH, WAITING
from leitai.lang import page_lang

from .models import Arena, ArenaEvent, Contestant, Judge, ScoreSheet, ScoreSheetRevision, SubmissionItem
from .services_scoring import expected_judges, pending_paper_sheets
from .services_setup import has_active_token, is_recused

PUBLIC_STATUSES = (Arena.Status.LIVE, Arena.Status.FINISHED, Arena.Status.PUBLISHED)


def visible_arenas(user):
    """Organizers see every arena; everybody else those under way or published."""
    qs = Arena.objects.select_related("period")
    if getattr(user, "is_authenticated", False) and user.is_organizer:
        return qs
    return qs.filter(status__in=PUBLIC_STATUSES)


def arena_for(user, arena_id: int) -> Arena | None:
    return visible_arenas(user).filter(pk=arena_id).first()


def contestants(arena):
    """The contestants in order of presentation, with unit and presenter."""
    return arena.contestants.select_related("unit", "person").order_by("order", "id")


def _with_submission(qs):
    items = SubmissionItem.objects.select_related("indicator", "deadline")
    return qs.select_related("unit", "person", "submission").prefetch_related(
        Prefetch("submission__items", queryset=items))


def contestants_with_submission(arena):
    """Contestants in order, each with `submission` (may be missing) and its items prefetched."""
    return _with_submission(arena.contestants.order_by("order", "id"))


def contestant_with_submission(contestant_id: int) -> Contestant | None:
    return _with_submission(Contestant.objects.filter(pk=contestant_id)).first()


def submission_items(contestant) -> list[dict]:
    """A contestant's submission as plain dicts (for the judge's phone and JSON)."""
    sub = getattr(contestant, "submission", None) if hasattr(contestant, "submission") else None
    if sub is None:
        return []
    return [{"kind": i.kind, "kind_label": str(i.get_kind_display()), "text": i.text,
             "indicator": i.indicator.name if i.indicator else None,
             "comparison": i.get_comparison_display() if i.comparison else "", "target_value": i.target_value,
             "deadline": i.deadline.code if i.deadline else None} for i in sub.items.all()]


def sheet_counts(arena) -> dict[int, dict[str, int]]:
    """Per contestant id: final sheets, paper sheets awaiting confirmation, and judges expected."""
    rows = (ScoreSheet.objects.filter(arena=arena).values("contestant_id")
            .annotate(final=Count("id", filter=Q(status=ScoreSheet.Status.FINAL)),
                      pending=Count("id", filter=Q(status=ScoreSheet.Status.PENDING))))
    got = {r["contestant_id"]: r for r in rows}
    return {cid: {"final": got.get(cid, {}).get("final", 0), "pending": got.get(cid, {}).get("pending", 0),
                  "expected": m} for cid, m in expected_judges(arena).items()}


def pending_paper(arena):
    """Paper sheets entered and awaiting a second staff member's confirmation."""
    return pending_paper_sheets(arena)


def judges(arena):
    """The panel with its group, link status (hint only, never the hash) and how many sheets each gave."""
    return (arena.judges.select_related("group", "unit").prefetch_related("recused_units")
            .annotate(sheet_count=Count("sheets")).order_by("group__sort_order", "sort_order", "id"))


def events(arena, after_seq: int = 0, limit: int = 200):
    return ArenaEvent.objects.filter(arena=arena, seq__gt=after_seq).order_by("seq")[:limit]


def latest_seq(arena) -> int:
    return ArenaEvent.objects.filter(arena=arena).aggregate(n=Max("seq"))["n"] or 0


def _ms(when) -> int | None:
    return int(when.timestamp() * 1000) if when else None


def current_contestant(cs: list[Contestant]) -> Contestant | None:
    """The one holding the stage; between two, the last one whose stage changed (its result stays up)."""
    active = [c for c in cs if c.stage in ACTIVE]
    if active:
        return active[0]
    moved = [c for c in cs if c.stage != WAITING and c.stage_changed_at]
    return max(moved, key=lambda c: c.stage_changed_at) if moved else None


def _result(c: Contestant, shown: bool) -> dict | None:
    if not shown or c.score is None and c.rank is None:
        return None
    return {"score": c.score, "rank": c.rank, "groups": dict(c.group_scores or {})}


def _kind_names(arena) -> tuple[str, str]:
    """The arena's type in Chinese and in English, whatever language this thread has active: the public
    state is shared by every viewer, and each page picks the label of its own language."""
    with translation.override("zh-hans"):
        zh = str(arena.kind_name)
    with translation.override("en"):
        return zh, str(arena.kind_name)


def _ranking_counts(arena) -> dict:
    """排序测评: rankings in and expected (the big screen shows them like sheet counts)."""
    if arena.scoring_mode != "rank":
        return {}
    from .services_ranking import ranking_progress

    p = ranking_progress(arena)
    return {"ranking_submitted": p["submitted"], "ranking_expected": p["expected"]}


def public_state(arena) -> dict:
    """The big screen's state (JSON-safe): the arena, the current contestant with the count of sheets in
    (never their scores), every contestant's stage, and results once revealed (all once published).

    The event sequence and the sheet count are read FIRST: the reads after them see at least that much, so a
    state never carries a newer seq over older data (the queries are separate snapshots; a state with the new
    seq and the old stage would make the reveal that follows look like a mere counter change to the hub)."""
    seq = latest_seq(arena)
    rev = ScoreSheetRevision.objects.filter(sheet__arena=arena).count()
    arena = Arena.objects.get(pk=arena.pk)
    cs = list(contestants(arena))
    published = arena.status == Arena.Status.PUBLISHED
    cur = current_contestant(cs)
    current = None
    if cur is not None:
        submitted = ScoreSheet.objects.filter(contestant=cur, status=ScoreSheet.Status.FINAL).count()
        speech_ends = (_ms(cur.speech_started_at) + arena.speech_seconds * 1000
                       if cur.stage == SPEECH and cur.speech_started_at else None)
        questions_ends = (_ms(cur.stage_changed_at) + arena.question_seconds * 1000
                          if cur.stage == QUESTIONS and cur.stage_changed_at else None)
        current = {"id": cur.pk, "unit": cur.unit.name, "unit_code": cur.unit.code,
                   "person": cur.person.name if cur.person else "", "title": cur.title, "order": cur.order,
                   "stage": cur.stage, "stage_label": arena_flow.label(cur.stage),
                   "stage_label_en": arena_flow.label(cur.stage, "en"), "speech_ends_at": speech_ends,
                   "questions_ends_at": questions_ends, "submitted": submitted,
                   "expected": expected_judges(arena).get(cur.pk, 0) if cur else 0,
                   # a page of the slides on the screen (the console shows them page by page)
                   "slides": ({"page": cur.slide_page, "pages": cur.slide_pages,
                               "url": reverse("arena:screen_slide", args=[arena.pk, cur.pk, cur.slide_page])}
                              if cur.slide_page and cur.stage in ACTIVE else None)}
    rows = [{"id": c.pk, "unit": c.unit.name, "unit_code": c.unit.code, "order": c.order, "stage": c.stage,
             "stage_label": arena_flow.label(c.stage), "stage_label_en": arena_flow.label(c.stage, "en"),
             "result": _result(c, published or c.stage == REVEALED)}
            for c in cs]
    results = sorted(({"id": r["id"], "unit": r["unit"], "unit_code": r["unit_code"], **r["result"]}
                      for r in rows if r["result"]), key=lambda r: (r["rank"] is None, r["rank"] or 0))
    kind_zh, kind_en = _kind_names(arena)
    return {
        "arena": {"id": arena.pk, "name": arena.name, "kind_name": kind_zh, "kind_name_en": kind_en,
                  "status": arena.status,
                  "reveal_mode": arena.reveal_mode, "scoring_mode": arena.scoring_mode,
                  "ranking": arena.ranking_state, **_ranking_counts(arena),
                  "groups": [{"code": g.code, "name": g.name, "weight": g.weight} for g in arena.groups.all()]},
        "seq": seq,
        # Sheets stored so far (never deleted): orders two states of the same seq that differ by counts.
        "rev": rev,
        "server_time": int(time.time() * 1000),
        "current": current,
        "contestants": rows,
        "results": results,
    }


def judge_state(judge: Judge) -> dict:
    """What a judge's phone shows: the current contestant, whether this judge may score it now, the
    rubric, the contestant's submission and this judge's own sheet — never anyone else's."""
    arena = judge.arena
    cs = list(contestants(arena))
    cur = current_contestant(cs)
    criteria = [{"code": c.code, "name": c.name, "description": c.description, "weight": c.weight,
                 "max": c.max_score, "step": c.step} for c in arena.criteria.all()]
    own = {s.contestant_id: s for s in ScoreSheet.objects.filter(judge=judge)}
    current = None
    if cur is not None:
        cur = contestant_with_submission(cur.pk)
        recused = is_recused(judge, cur)
        mine = own.get(cur.pk)
        current = {"id": cur.pk, "unit": cur.unit.name, "person": cur.person.name if cur.person else "",
                   "title": cur.title, "order": cur.order, "stage": cur.stage,
                   "stage_label": arena_flow.label(cur.stage, page_lang()),
                   "recused": recused,
                   "can_score": (arena_flow.can_score(cur.stage) and not recused and not judge.paper
                                 and has_active_token(judge) and arena.status != Arena.Status.PUBLISHED),
                   "submission": submission_items(cur),
                   "my_sheet": ({"scores": mine.scores, "total": mine.total, "version": mine.version,
                                 "status": mine.status} if mine else None)}
    return {"arena": {"id": arena.pk, "name": arena.name, "kind_name": str(arena.kind_name), "status": arena.status},
            "judge": {"name": judge.name, "group": judge.group.name, "code": judge.anon_code, "paper": judge.paper},
            "seq": latest_seq(arena), "server_time": int(time.time() * 1000), "criteria": criteria,
            "current": current, "submitted": sorted(own)}
