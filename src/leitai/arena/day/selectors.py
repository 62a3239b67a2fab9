"""Reads of the day: sheet counts and progress, the tally of the final sheets (and of the rankings, 排序测评),
the records of the day, the public (big-screen) state and a judge's own state.

No read here ever returns a judge's individual scores to anyone but that judge (judge_state)."""

from __future__ import annotations

import time

from django.db.models import Count, Max, Prefetch, Q
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils import translation

from leitai.arena.base.models import Arena, ArenaEvent
from leitai.arena.base.policies import public_groups
from leitai.arena.day.models import (
    Comment,
    FloorRequest,
    Question,
    ScoreSheet,
    ScoreSheetRevision,
    Shortcoming,
)
from leitai.arena.day.selectors_screen import screen_state
from leitai.arena.setup.models import Contestant, Judge
from leitai.arena.setup.selectors import (
    contestant_with_submission,
    contestants,
    has_active_token,
    is_recused,
    links_of,
    recused,
    round_code,
    rubric_of,
    rules_of,
    submission_items,
    unit_parents,
)
from leitai.core.judging import flow as arena_flow
from leitai.core.judging.flow import ACTIVE, QUESTIONS, REVEALED, SPEECH, WAITING
from leitai.core.judging.points import PointsResult, RankEntry, points_tally
from leitai.core.judging.tally import Rubric, Sheet, TallyResult, boundary_ties, tally
from leitai.lang import page_lang


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


def _result(c: Contestant, shown: bool, sheets: dict[int, dict[str, int]]) -> dict | None:
    """A shown result, without its rank (the state's "ranks" carries them); a group with too few sheets to stay
    anonymous shows None (policies.public_groups)."""
    if not shown or c.score is None and c.rank is None:
        return None
    return {"score": c.score, "groups": public_groups(c.group_scores, sheets.get(c.pk))}


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
    from leitai.arena.day.selectors import ranking_progress

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
                   # the question queue: who holds the floor (and until when), the waiting hands' ids in turn
                   "floor": floor_state(arena, cur),
                   # a page of the slides on the screen (the console shows them page by page)
                   "slides": ({"page": cur.slide_page, "pages": cur.slide_pages,
                               "url": reverse("arena:screen_slide", args=[arena.pk, cur.pk, cur.slide_page])}
                              if cur.slide_page and cur.stage in ACTIVE else None)}
    shown = {c.pk for c in cs if published or c.stage == REVEALED}
    sheets = group_sheet_counts(arena) if shown else {}
    rows = [{"id": c.pk, "unit": c.unit.name, "unit_code": c.unit.code, "order": c.order, "stage": c.stage,
             "stage_label": arena_flow.label(c.stage), "stage_label_en": arena_flow.label(c.stage, "en"),
             "result": _result(c, c.pk in shown, sheets)}
            for c in cs]
    # The ranks of the results shown so far, apart from the results: a reveal moves the others' ranks, and only
    # this small map changes with them (the reveal's patch stays the same size from the first to the last).
    ranks = {str(c.pk): c.rank for c in cs if c.pk in shown and (c.score is not None or c.rank is not None)}
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
        # the screen's own stage: the stars-and-flags board before the first contestant (selectors_screen)
        "screen": screen_state(arena),
        "ranks": ranks,
    }


def results_of(state: dict) -> list[dict]:
    """The results a public state shows, best first: {id, unit, unit_code, score, rank, groups}. The stream
    carries them as each contestant's "result" plus the "ranks" map; the API's state and the big screen
    (live.js, the same rule) list them like this."""
    ranks = state.get("ranks") or {}
    rows = [{"id": c["id"], "unit": c["unit"], "unit_code": c["unit_code"], "score": c["result"]["score"],
             "rank": ranks.get(str(c["id"])), "groups": c["result"]["groups"]}
            for c in state.get("contestants", []) if c.get("result")]
    return sorted(rows, key=lambda r: (r["rank"] is None, r["rank"] or 0))


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


def eligible_judges(arena) -> list[Judge]:
    """Judges who rank: a live phone link, not on paper, recused from no contestant."""
    parents = unit_parents()
    contestants = list(arena.contestants.values_list("unit_id", flat=True))
    out = []
    for j in arena.judges.select_related("group").prefetch_related("recused_units"):
        if j.paper or not has_active_token(j):
            continue
        listed = {u.pk for u in j.recused_units.all()}
        if any(recused(j.unit_id, listed, u, parents) for u in contestants):
            continue
        out.append(j)
    return out


def ranking_progress(arena) -> dict:
    return {"submitted": arena.rank_sheets.count(), "expected": len(eligible_judges(arena))}


def entries(arena) -> list[RankEntry]:
    """The counted ranks as core reads them: judges by anonymous code, contestants by unit code, in a fixed
    order (groups, judges, contestants in order of presentation) — the order of the export."""
    order = {code: n for n, code in enumerate(arena.contestants.order_by("order", "id").values_list("unit__code", flat=True))}
    out = []
    sheets = (arena.rank_sheets.select_related("judge__group")
              .order_by("judge__group__sort_order", "judge__sort_order", "judge_id"))
    for s in sheets:
        for code in sorted(s.ranks, key=lambda c: order.get(c, 10**6)):
            out.append(RankEntry(round_code(arena), s.judge.group.code, code, int(s.ranks[code]), s.judge.anon_code))
    return out


def tally_ranking(arena) -> PointsResult | None:
    found = entries(arena)
    return points_tally(found, rules_of(arena)) if found else None


def expected_judges(arena) -> dict[int, int]:
    """Per contestant id, how many judges should score it: not recused, with a live link or on paper."""
    parents = unit_parents()
    # Plain values, not model instances: the big screen's state calls this after every submission, and
    # building hundreds of judges with prefetched managers cost more than storing the sheet (bench_arena).
    listed: dict[int, list[int]] = {}
    for judge_id, unit_id in (Judge.recused_units.through.objects.filter(judge__arena=arena)
                              .values_list("judge_id", "unit_id")):
        listed.setdefault(judge_id, []).append(unit_id)
    judges = [(unit_id, listed.get(pk, [])) for pk, unit_id, paper, token_hash, token_revoked_at
              in arena.judges.order_by().values_list("id", "unit_id", "paper", "token_hash", "token_revoked_at")
              if paper or (token_hash is not None and token_revoked_at is None)]  # has_active_token
    out = {}
    for cid, unit_id in arena.contestants.values_list("id", "unit_id"):
        out[cid] = sum(1 for judge_unit, ids in judges if not recused(judge_unit, ids, unit_id, parents))
    return out


def expected_by_group(arena) -> dict[int, dict[int, int]]:
    """Per contestant id, per judge group id: the judges who should score it (expected_judges, by group)."""
    parents = unit_parents()
    listed: dict[int, list[int]] = {}
    for judge_id, unit_id in (Judge.recused_units.through.objects.filter(judge__arena=arena)
                              .values_list("judge_id", "unit_id")):
        listed.setdefault(judge_id, []).append(unit_id)
    judges = [(group_id, unit_id, listed.get(pk, [])) for pk, group_id, unit_id, paper, token_hash, revoked
              in arena.judges.order_by().values_list("id", "group_id", "unit_id", "paper", "token_hash",
                                                     "token_revoked_at")
              if paper or (token_hash is not None and revoked is None)]
    out: dict[int, dict[int, int]] = {}
    for cid, unit_id in arena.contestants.values_list("id", "unit_id"):
        row = out.setdefault(cid, {})
        for group_id, judge_unit, ids in judges:
            if not recused(judge_unit, ids, unit_id, parents):
                row[group_id] = row.get(group_id, 0) + 1
    return out


def group_sheet_counts(arena) -> dict[int, dict[str, int]]:
    """Per contestant id, per group code: the sheets that count (排序测评: the group's rankings, for everyone)."""
    if arena.scoring_mode == arena_flow.RANK:
        by_group = dict(arena.rank_sheets.values("judge__group__code").annotate(n=Count("id"))
                        .values_list("judge__group__code", "n"))
        return {cid: dict(by_group) for cid in arena.contestants.values_list("id", flat=True)}
    out: dict[int, dict[str, int]] = {}
    for cid, code, n in (ScoreSheet.objects.filter(arena=arena, status=ScoreSheet.Status.FINAL)
                         .values("contestant_id", "judge__group__code").annotate(n=Count("id"))
                         .values_list("contestant_id", "judge__group__code", "n")):
        out.setdefault(cid, {})[code] = n
    return out


def quorum_gaps(arena, contestants=None) -> list[dict]:
    """Every (contestant, judge group) below the arena's quorum, in order of presentation and groups:
    {contestant, unit, group, group_name, submitted, expected, needed}. A group needs min(quorum, its
    eligible judges) sheets that count; quorum 0 checks nothing. 排序测评: the groups' rankings, once
    (contestant None)."""
    if not arena.quorum:
        return []
    groups = list(arena.groups.order_by("sort_order", "id"))
    if arena.scoring_mode == arena_flow.RANK:
        eligible: dict[int, int] = {}
        for j in eligible_judges(arena):
            eligible[j.group_id] = eligible.get(j.group_id, 0) + 1
        counts = dict(arena.rank_sheets.values("judge__group_id").annotate(n=Count("id"))
                      .values_list("judge__group_id", "n"))
        return [{"contestant": None, "unit": "", "group": g.code, "group_name": g.name, "submitted": counts.get(g.pk, 0),
                 "expected": eligible.get(g.pk, 0), "needed": min(arena.quorum, eligible.get(g.pk, 0))}
                for g in groups if counts.get(g.pk, 0) < min(arena.quorum, eligible.get(g.pk, 0))]
    wanted = None if contestants is None else {c.pk for c in contestants}
    expected = expected_by_group(arena)
    counts: dict[tuple[int, int], int] = {
        (cid, gid): n for cid, gid, n in ScoreSheet.objects.filter(arena=arena, status=ScoreSheet.Status.FINAL)
        .values("contestant_id", "judge__group_id").annotate(n=Count("id"))
        .values_list("contestant_id", "judge__group_id", "n")}
    gaps = []
    for c in arena.contestants.select_related("unit").order_by("order", "id"):
        if wanted is not None and c.pk not in wanted:
            continue
        for g in groups:
            n, m = counts.get((c.pk, g.pk), 0), expected.get(c.pk, {}).get(g.pk, 0)
            if n < min(arena.quorum, m):
                gaps.append({"contestant": c.pk, "unit": c.unit.name, "group": g.code, "group_name": g.name,
                             "submitted": n, "expected": m, "needed": min(arena.quorum, m)})
    return gaps


def gap_text(gap: dict, lang: str = "zh-hans") -> str:
    """One group below the quorum, e.g. "东城区 群众评委组：9 位评委中 1 位已提交，至少需要 3 份"."""
    if lang.startswith("en"):
        who = gap["unit"] or "Ranking"
        return (f"{who} – {gap['group_name']}: {gap['submitted']} of {gap['expected']} judges submitted, "
                f"at least {gap['needed']} needed")
    who = gap["unit"] or "排序测评"
    return f"{who} {gap['group_name']}：{gap['expected']} 位评委中 {gap['submitted']} 位已提交，至少需要 {gap['needed']} 份"


def unexcused_gaps(arena, contestants=None) -> list[dict]:
    """quorum_gaps without the contestants an earlier override already excused (revealed with a reason)."""
    excused = {cid for o in quorum_overrides(arena) for cid in o["contestants"]}
    return [g for g in quorum_gaps(arena, contestants) if g["contestant"] not in excused]


def tie_warnings(arena) -> list[dict]:
    """Before publication: ties on a bonus or deduction boundary of the arena's rule, by the tally so far
    (排序测评: the combined ranks), e.g. {"rank": 9, "units": [four names], "points": -1.0,
    "places": [0, 0, 0, -1]}. Empty without a rule."""
    if not arena.bonus_rule:
        return []
    if arena.scoring_mode == arena_flow.RANK:
        ranks = {code: row["rank"] for code, row in ranking_rows(arena).items()}
    else:
        ranks = tally_arena(arena)[0].ranks
    names = dict(arena.contestants.values_list("unit__code", "unit__name"))
    return [{"rank": rank, "units": [names.get(c, c) for c in tied], "points": points, "places": places}
            for rank, tied, points, places in boundary_ties(ranks, arena.bonus_rule)]


def quorum_overrides(arena) -> list[dict]:
    """Every reveal or publication below the quorum, with the organizer's reason (the arena's log)."""
    return [{"at": e.at, "by": e.by_user, "reason": e.payload.get("reason", ""), "action": e.payload.get("action", ""),
             "gaps": e.payload.get("gaps", []), "contestants": e.payload.get("contestants", [])}
            for e in ArenaEvent.objects.filter(arena=arena, kind="quorum_override").select_related("by_user")
            .order_by("seq")]


def progress(arena) -> dict[int, dict[str, int]]:
    """Per contestant id: {"submitted": sheets that count (paper ones once confirmed), "expected": judges}."""
    counts = dict(ScoreSheet.objects.filter(arena=arena).values("contestant_id")
                  .annotate(n=Count("id", filter=Q(status=ScoreSheet.Status.FINAL)))
                  .values_list("contestant_id", "n"))
    return {cid: {"submitted": counts.get(cid, 0), "expected": m} for cid, m in expected_judges(arena).items()}


def pending_paper_sheets(arena, contestants=None):
    qs = ScoreSheet.objects.filter(arena=arena, status=ScoreSheet.Status.PENDING).select_related("judge", "contestant__unit")
    if contestants is not None:
        qs = qs.filter(contestant__in=contestants)
    return list(qs.order_by("contestant__order", "judge__anon_code"))


def final_sheets(arena, contestants=None) -> list[Sheet]:
    """The sheets that count (phone sheets and confirmed paper sheets) as the core tally reads them.

    Judges are named by their anonymous code, contestants by unit code; the order (contestants in order
    of presentation, then judges) is the order of the export, so the offline tally lists ties the same way."""
    rubric = rubric_of(arena)
    qs = (ScoreSheet.objects.filter(arena=arena, status=ScoreSheet.Status.FINAL)
          .order_by("contestant__order", "contestant_id", "judge__group__sort_order", "judge__sort_order", "judge_id"))
    if contestants is not None:
        qs = qs.filter(contestant__in=contestants)
    # Plain values, not model instances: the reveal and the publication read every sheet of the day (13,000 at
    # 1,000 judges, bench/bench_arena.py). JSON columns do not keep key order on PostgreSQL: write the criteria
    # in rubric order.
    codes = rubric.criterion_codes
    rows = qs.values_list("judge__anon_code", "judge__group__code", "contestant__unit__code", "scores")
    return [Sheet(judge, group, unit, {c: float(scores[c]) for c in codes if c in scores})
            for judge, group, unit, scores in rows]


def tally_arena(arena) -> tuple[TallyResult, Rubric]:
    """Score and rank every contestant (unit codes, in order of presentation) from the final sheets."""
    rubric = rubric_of(arena)
    codes = list(arena.contestants.order_by("order", "id").values_list("unit__code", flat=True))
    return tally(final_sheets(arena), rubric, codes, links=links_of(arena) if rubric.calibration else None), rubric


def ranking_rows(arena) -> dict[str, dict]:
    """排序测评: per unit code, the points as the score, the combined rank and each group's rank."""
    from leitai.arena.day.selectors import tally_ranking

    result = tally_ranking(arena)
    if result is None:
        return {}
    return {r.contestant: {"score": float(r.points), "rank": r.combined_rank, "groups": dict(r.group_ranks)}
            for r in result.detail}


def current_or_chosen(arena, wanted: str | None) -> Contestant | None:
    """The contestant asked for, else the one on stage, else the latest to have been on stage, else the first."""
    contestants = list(arena.contestants.select_related("unit", "person"))
    if wanted and wanted.isdigit():
        for c in contestants:
            if c.pk == int(wanted):
                return c
    active = [c for c in contestants if c.stage in arena_flow.ACTIVE]
    if active:
        return active[0]
    done = [c for c in contestants if c.stage_changed_at and c.stage != arena_flow.WAITING]
    if done:
        return max(done, key=lambda c: c.stage_changed_at)
    return contestants[0] if contestants else None


# A paper sheet is typed in while scoring is open or after it closes, until the result is revealed.
ENTRY_STAGES = [arena_flow.SCORING_OPEN, arena_flow.SCORING_CLOSED]


def console_contestants(arena) -> list[Contestant]:
    """The console's rows: contestants in order with unit, presenter and submission (for the slides button)."""
    return list(arena.contestants.select_related("unit", "person", "submission").order_by("order", "id"))


def contestant_in_arena_or_404(contestant_id: int, arena_id: int | None = None) -> Contestant:
    """A contestant with arena, unit, presenter and submission; 404 when unknown or not of that arena."""
    qs = Contestant.objects.select_related("arena", "unit", "person", "submission")
    if arena_id is not None:
        qs = qs.filter(arena_id=arena_id)
    return get_object_or_404(qs, pk=contestant_id)


def arena_status(pk: int) -> Arena | None:
    """Just the arena's id and status (the live stream checks who may watch, then holds no row)."""
    return Arena.objects.filter(pk=pk).only("id", "status").first()


def own_sheet(judge, contestant) -> ScoreSheet | None:
    return ScoreSheet.objects.filter(judge=judge, contestant=contestant).first()


def own_rank_sheet(judge):
    return judge.arena.rank_sheets.filter(judge=judge).first()


def paper_entry_contestants(arena):
    """Contestants whose paper sheets may be typed in (scoring open or closed, not yet revealed)."""
    return arena.contestants.filter(stage__in=ENTRY_STAGES).select_related("unit")


def confirmed_paper_sheets(arena):
    """Paper sheets already confirmed, the latest first, with who typed and who confirmed them."""
    return (ScoreSheet.objects.filter(arena=arena, source="paper", status=ScoreSheet.Status.FINAL)
            .select_related("judge", "contestant__unit", "entered_by", "confirmed_by").order_by("-confirmed_at"))


def has_paper_judges(arena) -> bool:
    return arena.judges.filter(paper=True).exists()


def sheet_or_404(sheet_id: int) -> ScoreSheet:
    return get_object_or_404(ScoreSheet.objects.select_related("arena", "judge", "contestant__unit"), pk=sheet_id)


def contestant_records(contestant) -> dict:
    """One contestant's records of the day: questions, comments (each with whether it became a shortcoming)
    and shortcomings."""
    comments = list(Comment.objects.filter(contestant=contestant).select_related("judge"))
    raised = {s.comment_id for s in Shortcoming.objects.filter(comment__in=comments)}
    return {
        "questions": Question.objects.filter(contestant=contestant).select_related("judge"),
        "comments": [(c, c.pk in raised) for c in comments],
        "shortcomings": Shortcoming.objects.filter(contestant=contestant).select_related("responsible_unit"),
    }


def arena_records(arena) -> list[dict]:
    """Every contestant's records of the day, in order of presentation."""
    rows = arena.contestants.select_related("unit").prefetch_related(
        Prefetch("questions", queryset=Question.objects.select_related("judge")),
        Prefetch("comments", queryset=Comment.objects.select_related("judge")),
        Prefetch("shortcomings", queryset=Shortcoming.objects.select_related("responsible_unit")))
    return [{"contestant": c, "questions": list(c.questions.all()), "comments": list(c.comments.all()),
             "shortcomings": list(c.shortcomings.all())} for c in rows]


def comment_of(contestant, comment_id) -> Comment | None:
    return Comment.objects.filter(contestant=contestant, pk=comment_id).first() if comment_id else None


def floor_queue(contestant) -> list[FloorRequest]:
    """The question queue of a contestant (day/floor.py): the asker holding the floor, then the hands still
    waiting in the order they were raised."""
    open_hands = FloorRequest.objects.filter(contestant=contestant, status__in=FloorRequest.OPEN).select_related("judge")
    return sorted(open_hands, key=lambda h: (h.status != FloorRequest.Status.SPEAKING, h.requested_at, h.pk))


def floor_state(arena, contestant) -> dict:
    """The queue for the live state: the speaker's name and timer, and the waiting requests' ids in turn (a
    judge's phone finds its place by its own request's id; no judge's code or link is in it)."""
    speaking, waiting = None, []
    for hand in floor_queue(contestant):
        if hand.status == FloorRequest.Status.SPEAKING:
            started = _ms(hand.floor_at)
            speaking = {"id": hand.pk, "asker": hand.asker, "started_at": started,
                        "ends_at": started + arena.ask_seconds * 1000 if started is not None else None}
        else:
            waiting.append(hand.pk)
    return {"speaking": speaking, "queue": waiting}


def own_hand(judge, contestant) -> FloorRequest | None:
    """The judge's open request to ask the contestant, if any."""
    return FloorRequest.objects.filter(contestant=contestant, judge=judge, status__in=FloorRequest.OPEN).first()


def hand_of(contestant, hand_id) -> FloorRequest | None:
    return FloorRequest.objects.filter(contestant=contestant, pk=hand_id).first()
