"""Reads of the results page: the frozen rows once published (with the ledger points written), the tally so far
before (organizer only), the records of the day and what became of each shortcoming and pledge."""

from __future__ import annotations

from django.utils import timezone
from django.utils.translation import gettext

from leitai.arena.base.models import Arena
from leitai.arena.base.policies import GROUP_SCORE_MIN_SHEETS, public_groups
from leitai.arena.day import intervals as day_intervals
from leitai.arena.day import selectors as day_selectors
from leitai.arena.day.models import Comment, Question, Shortcoming
from leitai.arena.results.models import ResultCorrection
from leitai.arena.setup import selectors as setup_selectors
from leitai.arena.setup.models import SubmissionItem
from leitai.core.judging.tally import bonus_by_rank
from leitai.core.tracking import rules as flow
from leitai.lang import page_lang
from leitai.rankings.models import Adjustment
from leitai.units.models import Unit


def result_versions(arena: Arena) -> list[dict]:
    """Every published version of the result, oldest first: 1 is the publication, 2, 3 … its corrections
    (who, when, why, old → new). None is ever changed or removed."""
    versions = [{"version": 1, "at": arena.published_at, "by": arena.published_by, "reason": "", "changes": [],
                 "rows": arena.result.get("rows", [])}]
    for c in ResultCorrection.objects.filter(arena=arena).select_related("by_user").order_by("version"):
        versions.append({"version": c.version, "at": c.at, "by": c.by_user, "reason": c.reason, "changes": c.changes,
                         "rows": c.rows})
    return versions


def rows_in_force(arenas) -> dict[int, list[dict]]:
    """arena id → its published rows in force: the latest correction's, else the publication's (one query for
    the corrections of all the arenas)."""
    out = {a.pk: a.result.get("rows", []) for a in arenas}
    for c in ResultCorrection.objects.filter(arena__in=list(out)).order_by("version").only("arena_id", "rows"):
        out[c.arena_id] = c.rows
    return out


def published_rows(arena: Arena, rows: list[dict] | None = None) -> list[dict]:
    """The frozen rows (of the latest version unless given), with each unit's ledger entry: the one in force,
    else the last withdrawn one (shown as withdrawn)."""
    if rows is None:
        rows = rows_in_force([arena])[arena.pk]
    ledger: dict[str, Adjustment] = {}
    for a in (Adjustment.objects.filter(source=f"arena:{arena.pk}").select_related("unit")
              .order_by("-withdrawn", "created_at", "id")):
        ledger[a.unit.code] = a  # the last one wins: in force after withdrawn, newer after older
    return [{**r, "ledger": ledger.get(r["unit"])} for r in rows]


def _preview_ranking(arena: Arena) -> list[dict]:
    """排序测评 before publication: the ranks and points of the rankings in so far."""
    found = day_selectors.ranking_rows(arena)
    bonus = bonus_by_rank({code: r["rank"] for code, r in found.items()}, arena.bonus_rule or {})
    sheets = arena.rank_sheets.count()
    rows = []
    for c in setup_selectors.contestants(arena):
        r = found.get(c.unit.code, {})
        rows.append({"contestant": c.pk, "unit": c.unit.code, "unit_name": c.unit.name,
                     "person": c.person.name if c.person else "", "title": c.title, "order": c.order,
                     "score": r.get("score"), "rank": r.get("rank"), "groups": r.get("groups", {}),
                     "sheets": sheets if r else 0, "bonus": bonus.get(c.unit.code, 0.0), "ledger": None})
    rows.sort(key=lambda r: (r["rank"] is None, r["rank"] or 0, r["order"]))
    return rows


def preview_rows(arena: Arena) -> list[dict]:
    """Before publication (organizer only): the tally of the final sheets so far, bonus as it would be."""
    if arena.scoring_mode == "rank":
        return _preview_ranking(arena)
    result, _rubric = day_selectors.tally_arena(arena)
    contestants = {c.unit.code: c for c in setup_selectors.contestants(arena)}
    bonus = bonus_by_rank(result.ranks, arena.bonus_rule or {})
    rows = []
    for row in result.ranked():
        c = contestants[row.contestant]
        rows.append({"contestant": c.pk, "unit": c.unit.code, "unit_name": c.unit.name,
                     "person": c.person.name if c.person else "", "title": c.title, "order": c.order,
                     "score": row.score, "rank": row.rank or None, "groups": row.group_scores,
                     "sheets": len(row.totals), "bonus": bonus.get(row.contestant, 0.0), "ledger": None})
    return rows


def public_rows(arena: Arena, rows: list[dict]) -> list[dict]:
    """Result rows as every public surface shows them (page, API): the score of a judge group with fewer than
    GROUP_SCORE_MIN_SHEETS sheets is None and its code listed in "hidden_groups". Copies: the frozen rows stay."""
    sheets = day_selectors.group_sheet_counts(arena)
    out = []
    for r in rows:
        counts = sheets.get(r["contestant"], {})
        groups = public_groups(r.get("groups"), counts)
        hidden = [code for code, v in (r.get("groups") or {}).items() if v is not None and groups[code] is None]
        out.append({**r, "groups": groups, "hidden_groups": hidden})
    return out


def overrides(arena: Arena) -> list[dict]:
    """Reveals and publications below the quorum, each with the organizer's reason and what was missing."""
    rows = []
    for o in day_selectors.quorum_overrides(arena):
        rows.append({**o, "gap_texts": [day_selectors.gap_text(g, page_lang()) for g in o["gaps"]]})
    return rows


def _chart(rows: list[dict]) -> dict:
    ranked = [r for r in rows if r["score"] is not None]
    return {"units": [r["unit_name"] for r in ranked], "scores": [r["score"] for r in ranked]}


def shortcomings_and_items(arena: Arena) -> list[dict]:
    """Every shortcoming of the arena — the contestants' own and those raised from comments — with the
    rectification item it became (its state, overdue or not), in stage order."""
    today = timezone.localdate()
    rows = []
    for si in (SubmissionItem.objects.filter(submission__contestant__arena=arena, kind=SubmissionItem.Kind.SHORTCOMING)
               .select_related("submission__contestant__unit", "rect_item")
               .order_by("submission__contestant__order", "sort_order", "id")):
        rows.append({"text": si.text, "contestant": si.submission.contestant.unit.name, "origin": "",
                     "unit": si.submission.contestant.unit.name, "deadline": None,
                     "item": getattr(si, "rect_item", None), "order": si.submission.contestant.order})
    for s in Shortcoming.objects.filter(arena=arena).select_related("responsible_unit", "contestant__unit", "comment",
                                                                   "item"):
        rows.append({"text": s.text, "contestant": s.contestant.unit.name if s.contestant else "",
                     "origin": s.comment.author if s.comment else "", "unit": s.responsible_unit.name,
                     "deadline": s.deadline, "item": getattr(s, "item", None),
                     "order": s.contestant.order if s.contestant else 10**6})
    for r in rows:
        item = r["item"]
        r["overdue"] = bool(item and item.state in flow.OPEN_STATES and item.deadline < today)
        if item:
            r["deadline"] = item.deadline
    rows.sort(key=lambda r: r["order"])
    return rows


def results_state(arena, version: int | None = None) -> dict:
    """Everything the results page shows: ranks, scores per group, ledger points (of the latest published
    version, or of `version`), every version with its corrections, the chart, the records of the day, the
    shortcomings and pledges with what became of them (转入督办), the rules."""
    published = arena.status == Arena.Status.PUBLISHED
    versions = result_versions(arena) if published else []
    shown = next((v for v in versions if v["version"] == version), versions[-1] if versions else None)
    rows = public_rows(arena, published_rows(arena, shown["rows"]) if published else preview_rows(arena))
    # Rank intervals: stored at publication; before it (the organizer's preview) from the final sheets so far,
    # as publication would store them.
    if published:
        uncertainty = arena.result.get("uncertainty")
    else:
        uncertainty = day_intervals.record(arena) if rows else None
    rows = day_intervals.annotate(rows, uncertainty)
    groups = list(arena.groups.all())
    for r in rows:
        r["group_list"] = [(r["groups"] or {}).get(g.code) for g in groups]
        r["group_cells"] = [{"value": (r["groups"] or {}).get(g.code), "hidden": g.code in r["hidden_groups"]}
                            for g in groups]
    # What became of them in the lists (转入督办): Item.arena_item / arena_shortcoming and Pledge.arena_item,
    # reached by their related names (tracking sits above arena).
    pledges = (SubmissionItem.objects.filter(submission__contestant__arena=arena, kind=SubmissionItem.Kind.PLEDGE)
               .select_related("submission__contestant__unit", "indicator", "deadline", "pledge")
               .order_by("submission__contestant__order", "sort_order", "id"))
    return {
        "arena": arena, "published": published, "rows": rows, "groups": groups,
        "any_hidden": any(r["hidden_groups"] for r in rows), "min_group_sheets": GROUP_SCORE_MIN_SHEETS,
        "quorum_overrides": overrides(arena),
        "uncertainty": uncertainty, "any_indistinct": any(r["indistinct"] for r in rows),
        "versions": versions, "shown_version": shown["version"] if shown else None,
        "latest_version": versions[-1]["version"] if versions else None,
        "criteria": list(arena.criteria.all()), "chart": _chart(rows),
        "questions": Question.objects.filter(contestant__arena=arena).select_related("contestant__unit", "judge")
        .order_by("contestant__order", "at", "id"),
        "comments": Comment.objects.filter(contestant__arena=arena).select_related("contestant__unit", "judge")
        .order_by("contestant__order", "at", "id"),
        "shortcomings": shortcomings_and_items(arena),
        "pledges": pledges,
        # Key projects shown at this arena (set on the tracking board: KeyProject.arena, related name).
        "projects": arena.projects.select_related("unit").order_by("unit__sort_order", "unit__code", "batch", "code"),
        "tie_break": [g.name for code in (arena.tie_break or []) for g in groups if g.code == code],
        "ranking": arena.scoring_mode == "rank",
        "rank_points": arena.rank_points or list(range(arena.contestants.count(), 0, -1)),
    }


def published_arena(arena_id: int) -> Arena | None:
    """A published arena (the API's results): None when unknown or not yet published."""
    return Arena.objects.select_related("period").filter(pk=arena_id, status=Arena.Status.PUBLISHED).first()


def minutes_state(arena: Arena) -> dict:
    """What the minutes (纪要) of a published arena record: the results page's state (latest version) with the
    group scores as every public surface shows them (public_rows), the order of appearance and the judges by group."""
    state = results_state(arena)
    groups = state["groups"]
    for r in state["rows"]:  # already public_rows
        r["group_list"] = [(r["groups"] or {}).get(g.code) for g in groups]
    judges = list(setup_selectors.judges(arena))
    panel = [{"group": g.name, "judges": [j for j in judges if j.group_id == g.pk]} for g in groups]
    city = Unit.objects.filter(kind="city").order_by("sort_order", "code").first()
    return {**state, "appearance": setup_selectors.contestants(arena), "panel": [p for p in panel if p["judges"]],
            "issuer": (city.name if city else "") + gettext("考核办"),
            "hidden_groups": state["any_hidden"]}
