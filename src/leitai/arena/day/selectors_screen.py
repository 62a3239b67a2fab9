"""Reads of the big screen's own stages: which stage the organizer put up (the arena's event log says it) and the
board of the latest published ranking read out before the first contestant (通报摘星夺旗).

The board speaks the rankings' vocabulary (rankings.selectors.flag_view: one name per flag everywhere), in
Chinese and in English, because the screen's state is shared by every viewer and each page picks its language."""

from __future__ import annotations

from django.utils import translation

from leitai.arena.base.models import ArenaEvent
from leitai.core.periods import label as period_label
from leitai.indicators.models import Indicator
from leitai.rankings.models import Ranking
from leitai.rankings.selectors import flag_view, group_names, published

STARS = "stars"
VIEWS = (STARS, "")
# A stage change (or the reveal of all) takes the board down by itself: calling the first contestant needs no
# second tap. The latest of these events decides what the screen shows.
SCREEN_EVENTS = ("screen", "stage", "revealed_all")


def screen_view(arena) -> str:
    """"stars" while the organizer has the board up, else "" (the screen follows the contestants)."""
    last = (ArenaEvent.objects.filter(arena_id=arena.pk, kind__in=SCREEN_EVENTS).order_by("-seq")
            .values_list("kind", "payload").first())
    if last is None or last[0] != "screen":
        return ""
    view = (last[1] or {}).get("view", "")
    return view if view in VIEWS else ""


def announced_ranking(arena) -> Ranking | None:
    """The latest published ranking of the arena's plan (else of the plan its order follows, else of any plan)."""
    plan = arena.plan
    if plan is None and arena.order_ranking_id:
        plan = arena.order_ranking.plan_version.plan
    return published(plan).first()


def _flag(flag: dict, names: dict[str, str]) -> dict:
    with translation.override("en"):
        en = flag_view(flag, names)
    with translation.override("zh-hans"):
        zh = flag_view(flag, names)
    return {"kind": zh["kind"], "css": zh["css"], "text": str(zh["text"]), "text_en": str(en["text"]),
            "title": str(zh["title"]), "title_en": str(en["title"])}


def stars_board(arena) -> dict | None:
    """The latest published ranking as the screen reads it out: rank, movement, stars (by indicator name) and
    flags of the arena's contestants (of every unit ranked when none of them is). None without a ranking."""
    ranking = announced_ranking(arena)
    if ranking is None:
        return None
    rows = list(ranking.rows.select_related("unit").order_by("rank", "unit__sort_order", "unit__code"))
    entered = set(arena.contestants.values_list("unit_id", flat=True))
    mine = [r for r in rows if r.unit_id in entered]
    shown = mine or rows
    names = group_names(ranking.spec)
    codes = {c for r in shown for c in r.stars}
    indicators = dict(Indicator.objects.filter(code__in=codes).values_list("code", "name"))
    ytd = ranking.period.kind == "month"
    return {
        "ranking": ranking.pk,
        "plan": ranking.plan_version.plan.name,
        "period": period_label(ranking.period.code, ytd=ytd, lang="zh-hans"),
        "period_en": period_label(ranking.period.code, ytd=ytd, lang="en"),
        "contestants_only": bool(mine),
        "rows": [{"unit": r.unit.name, "unit_code": r.unit.code, "rank": r.rank, "score": r.score,
                  "movement": r.movement, "stars": [indicators.get(c, c) for c in r.stars],
                  "flags": [_flag(f, names) for f in r.flags]} for r in shown],
    }


def screen_state(arena) -> dict:
    """The screen's own stage for public_state: {"view": ""}, or the board while it is up."""
    view = screen_view(arena)
    if view == STARS:
        return {"view": STARS, "board": stars_board(arena)}
    return {"view": view}
