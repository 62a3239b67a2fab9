"""Reads for the ranking pages, the bulletin and the API: which ranking to show and its table (成绩单)."""

from __future__ import annotations

from django.db.models import Q
from django.http import Http404
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from leitai.core.intervals import indistinguishable, uncertain_cut
from leitai.core.periods import label
from leitai.core.ranking.index import FLAG_CATEGORY, FLAG_RED, FLAG_YELLOW
from leitai.indicators.models import Category, Indicator
from leitai.lang import page_lang
from leitai.units.models import UnitKind

from .models import AssessmentPlan, Ranking, RankingCorrection

FIXED_SORTS = ("rank", "unit", "score", "movement", "stars")
DROP_REASONS = {"no_data": gettext_lazy("无数据"), "no_spread": gettext_lazy("各单位数值相同，无法区分")}


def period_label(period) -> str:
    """The label an office prints: monthly figures are year-to-date (2024年1-4月)."""
    return label(period.code, ytd=period.kind == "month", lang=page_lang())


def visible_rankings(user):
    """Rankings a user may see: organizers see drafts too; everyone else what was published."""
    qs = Ranking.objects.select_related("plan_version__plan", "period")
    if user.is_authenticated and user.is_organizer:
        return qs
    return qs.filter(status__in=[Ranking.Status.PUBLISHED, Ranking.Status.SUPERSEDED])


def get_visible_ranking(user, pk) -> Ranking:
    """One ranking, or 404 when it does not exist or is a draft the user may not see."""
    try:
        return visible_rankings(user).get(pk=pk)
    except (Ranking.DoesNotExist, ValueError):
        raise Http404


def corrections_of(ranking: Ranking) -> dict:
    """What corrected this ranking (it is a corrected version) and what corrected it (it was superseded by one)."""
    made = (RankingCorrection.objects.select_related("from_ranking", "unit", "by_user")
            .filter(to_ranking=ranking).first())
    later = list(RankingCorrection.objects.select_related("to_ranking", "unit", "by_user")
                 .filter(from_ranking=ranking).order_by("at", "id"))
    return {"corrects": made, "corrected_by": later}


def published(plan=None, period_code=None):
    qs = Ranking.objects.filter(status=Ranking.Status.PUBLISHED).select_related("plan_version__plan", "period")
    if plan is not None:
        qs = qs.filter(plan_version__plan=plan)
    if period_code:
        qs = qs.filter(period__code=period_code)
    return qs.order_by("-period__start", "-published_at", "-pk")


def board_choice(plan_code: str | None, period_code: str | None) -> dict:
    """The board's picker: published plans, the chosen plan's published periods and the ranking shown."""
    plans = list(AssessmentPlan.objects.filter(versions__rankings__status=Ranking.Status.PUBLISHED).distinct())
    plan = next((p for p in plans if p.code == plan_code), None)
    if plan is None:
        latest = published().first()
        plan = latest.plan_version.plan if latest else None
    ranking = None
    periods = []
    if plan is not None:
        rankings = list(published(plan))
        periods = [r.period for r in rankings]
        ranking = next((r for r in rankings if r.period.code == period_code), rankings[0] if rankings else None)
    return {"plans": plans, "plan": plan, "periods": periods, "ranking": ranking}


def group_names(spec: dict) -> dict[str, str]:
    """Group code → display name: the spec's own name, else the indicator category of that code."""
    cats = dict(Category.objects.values_list("code", "name"))
    return {g["code"]: g.get("name") or cats.get(g["code"]) or g["code"] for g in spec.get("groups") or []}


def _subtree(spec: dict, root: str) -> set[str]:
    codes, changed = {root}, True
    while changed:
        changed = False
        for g in spec.get("groups") or []:
            if g.get("parent") in codes and g["code"] not in codes:
                codes.add(g["code"])
                changed = True
    return codes


def flag_view(flag: dict, names: dict[str, str]) -> dict:
    """A stored flag as shown everywhere (board, unit page, bulletin): its kind, css class, text and title."""
    kind = flag.get("kind")
    if kind == FLAG_RED:
        return {"kind": FLAG_RED, "css": "flag-red", "text": _("红旗"), "title": _("红旗：综合排名靠前")}
    if kind == FLAG_YELLOW:
        return {"kind": FLAG_YELLOW, "css": "flag-yellow", "text": _("黄旗"), "title": _("黄旗：综合排名靠后")}
    # FLAG_CATEGORY: the best unit of a top-level group
    name = flag.get("label") or names.get(flag.get("code"), flag.get("code"))
    return {"kind": FLAG_CATEGORY, "css": "flag-cat", "text": _("类别旗·%(name)s") % {"name": name}, "title": _("类别第一")}


def _sort_key(key: str, rows_view: list[dict], columns: dict):
    def rank_key(r):
        return (r["rank"] is None, r["rank"] or 0, r["unit"].sort_order, r["unit"].code)

    if key == "unit":
        return lambda r: (r["unit"].sort_order, r["unit"].code)
    if key == "score":
        return lambda r: r["score"]
    if key == "movement":
        return lambda r: r["movement"]
    if key == "stars":
        return lambda r: len(r["stars"])
    if key in columns["group_index"]:
        k = columns["group_index"][key]
        return lambda r: r["groups"][k]
    if key in columns["indicator_index"]:
        k = columns["indicator_index"][key]
        return lambda r: r["values"][k]["value"]
    return rank_key


def board_table(ranking, kind: str | None = None, category: str | None = None,
                sort: str | None = None, direction: str | None = None, open_groups=None) -> dict:
    """The ranking as a table: columns, rows (filtered and sorted), notes and the chart's data.

    `layout` orders the screen's columns: each group's score, then its indicators only if the group is open
    (asked for, the chosen category, or holding the sorted column); indicators outside any group always show.
    `rows[i]["cells"]` follows it, and `rows[i]["by_group"]` holds every value by group for the phone cards."""
    spec = ranking.spec
    names = group_names(spec)
    top_groups = [g["code"] for g in spec.get("groups") or [] if not g.get("parent")]
    if category and category not in names:
        category = None
    shown_groups = [g["code"] for g in spec.get("groups") or []]
    shown_inds = [i for i in spec["indicators"]]
    if category:
        sub = _subtree(spec, category)
        shown_groups = [g for g in shown_groups if g in sub]
        shown_inds = [i for i in shown_inds if i.get("group") in sub]
    catalogue = {i.code: i for i in Indicator.objects.filter(code__in=[i["code"] for i in spec["indicators"]])}
    ind_cols = []
    for i in shown_inds:
        ind = catalogue.get(i["code"])
        ind_cols.append({"code": i["code"], "name": ind.name if ind else (i.get("name") or i["code"]),
                         "measure": ind.measure if ind else "", "decimals": ind.decimals if ind else 2,
                         "direction": i.get("direction", 1), "weight": i.get("weight", 1), "group": i.get("group")})
    ind_name = {c["code"]: c["name"] for c in ind_cols}
    for i in spec["indicators"]:
        ind_name.setdefault(i["code"], catalogue[i["code"]].name if i["code"] in catalogue else i["code"])
    values = {(u, c): v for u, c, v in ranking.inputs}
    adjustments: dict[str, list[dict]] = {}
    for a in spec.get("adjustments") or []:
        adjustments.setdefault(a["unit"], []).append(a)

    rows = []
    all_rows = list(ranking.rows.select_related("unit"))
    unit_names = {r.unit.code: r.unit.name for r in all_rows}
    intervals = interval_views(all_rows)
    for r in all_rows:
        if kind and r.unit.kind != kind:
            continue
        code = r.unit.code
        rows.append({
            "unit": r.unit, "rank": r.rank, "score": r.score, "base_score": r.base_score,
            "adjustment": r.adjustment, "previous_rank": r.previous_rank, "movement": r.movement,
            "stars": r.stars, "stars_title": "、".join(ind_name.get(c, c) for c in r.stars),
            "flags": [flag_view(f, names) for f in r.flags],
            "groups": [r.group_scores.get(g) for g in shown_groups],
            "values": [{"value": values.get((code, c["code"])), "decimals": c["decimals"],
                        "star": c["code"] in r.stars, "missing": c["code"] in r.missing,
                        "rank": r.indicator_ranks.get(c["code"])} for c in ind_cols],
            "weak": [ind_name.get(c, c) for c in r.weak],
            "adjustments": adjustments.get(code, []),
            "interval": intervals.get(code),
        })
    columns = {"group_index": {g: k for k, g in enumerate(shown_groups)},
               "indicator_index": {c["code"]: k for k, c in enumerate(ind_cols)}}
    valid = set(FIXED_SORTS) | set(columns["group_index"]) | set(columns["indicator_index"])
    if sort not in valid:
        sort, direction = "rank", None  # an unknown column falls back to the board's own order
    default_dir = "asc" if sort in ("rank", "unit") else "desc"
    direction = direction if direction in ("asc", "desc") else default_dir
    key = _sort_key(sort, rows, columns)
    present = [r for r in rows if key(r) is not None]
    # Blanks (no score, no value) stay at the bottom whichever way the column is sorted.
    present.sort(key=key, reverse=direction == "desc")
    rows = present + [r for r in rows if key(r) is None]

    missing_notes = [{"unit": unit_names.get(u, u), "indicators": [ind_name.get(c, c) for c in codes]}
                     for u, codes in (ranking.report.get("missing") or {}).items()]
    dropped = [{"code": d["code"], "name": ind_name.get(d["code"], d["code"]),
                "reason": str(DROP_REASONS.get(d["reason"], d["reason"]))} for d in ranking.report.get("dropped", [])]
    ranked = sorted((r for r in rows if r["score"] is not None), key=lambda r: (r["rank"] or 0, r["unit"].sort_order))
    chart = {"units": [r["unit"].name for r in ranked], "scores": [r["score"] for r in ranked],
             "title": _("综合得分"), "axis": _("得分")}
    # A chosen category shows its indicators at once.
    layout, opened = _layout(shown_groups, ind_cols, names, set(open_groups or []) | set(shown_groups if category else ()),
                             sort)
    for row in rows:
        row["cells"] = [{"kind": "group", "score": row["groups"][c["index"]]} if c["kind"] == "group"
                        else {"kind": "indicator", **row["values"][c["index"]]} for c in layout]
        row["by_group"] = _by_group(row, shown_groups, ind_cols, names)
    return {
        "ranking": ranking, "rows": rows, "indicators": ind_cols, "layout": layout, "open_groups": sorted(opened),
        "groups": [{"code": g, "name": names.get(g, g)} for g in shown_groups],
        "top_groups": [{"code": g, "name": names.get(g, g)} for g in top_groups],
        "kinds": [(k, UnitKind(k).label) for k in ranking.plan_version.plan.unit_kinds if k in UnitKind.values],
        "kind": kind or "", "category": category or "", "sort": sort, "dir": direction,
        "missing_notes": missing_notes, "dropped": dropped, "chart": chart,
        # Every bonus/deduction item the ranking counted, whatever the filter shows.
        "adjustment_items": [{"unit": unit_names.get(a["unit"], a["unit"]), "points": a["points"], "reason": a["reason"]}
                             for a in spec.get("adjustments") or []],
        "period_label": period_label(ranking.period),
        "interval_legend": interval_legend(ranking) if intervals else "",
    }


def interval_views(rows) -> dict[str, dict]:
    """Per unit code with a rank interval: {median, lo, hi, text "3–8" (empty when lo = hi), indistinguishable
    (its interval overlaps another unit's), title naming those units}. Computed over every row of the ranking
    (core/intervals.indistinguishable), whatever a page filters."""
    ranked = [r for r in rows if r.rank and r.rank_lo]
    if not ranked:
        return {}
    others = indistinguishable([r.rank_lo for r in ranked], [r.rank_hi for r in ranked])
    out = {}
    for r, near in zip(ranked, others, strict=True):
        names = "、".join(ranked[j].unit.name for j in sorted(near, key=lambda j: (ranked[j].rank, ranked[j].unit.sort_order)))
        out[r.unit.code] = {
            "median": r.median_rank, "lo": r.rank_lo, "hi": r.rank_hi,
            "text": f"{r.rank_lo}–{r.rank_hi}" if r.rank_lo != r.rank_hi else "",
            "indistinguishable": bool(near),
            "title": _("统计上无法区分：与 %(units)s 的 90%% 区间重叠") % {"units": names} if near else "",
        }
    return out


def interval_legend(ranking) -> str:
    """The plain-Chinese note printed with intervals (board, bulletin)."""
    u = ranking.uncertainty or {}
    if not u:
        return ""
    return _("名次后括号内是 90%% 区间：把各项权重在 ±%(pct)s%% 内随机变动、重新排名 %(draws)s 次，九成结果落在这个范围里；"
             "没有括号表示名次始终不变。标“≈”的单位与其他单位的区间重叠，统计上无法区分。") % {
        "pct": f"{float(u['jitter']) * 100:g}", "draws": u["draws"]}


def rank_text(rank, lo, hi) -> str:
    """A rank with its interval as printed in the bulletin: "5（3–8）", or "5" when the interval is one rank."""
    if not rank:
        return "—"
    return f"{rank}（{lo}–{hi}）" if lo and hi and lo != hi else str(rank)


def publication_warnings(ranking, cuts=()) -> list[dict]:
    """Before publishing: every decision taken at a cut of the ranking that falls among units it cannot tell
    apart (core/intervals.uncertain_cut) — the red flags (best k), yellow flags (worst k), each category flag
    (best of a top-level group, on that group's rank intervals), each unit's bonus or deduction, and the
    `cuts` of the layers above (award rules: {"label", "k", "from_bottom"}). Each warning: {"what", "units"}."""
    rows = list(ranking.rows.select_related("unit"))
    ranked = [r for r in rows if r.rank and r.rank_lo]
    if not ranked:
        return []
    rank = [r.rank for r in ranked]
    lo = [r.rank_lo for r in ranked]
    hi = [r.rank_hi for r in ranked]
    aw = ranking.spec.get("awards") or {}
    names = group_names(ranking.spec)
    checks = []
    if aw.get("red_flags"):
        checks.append((_("红旗（前 %(k)s 名）") % {"k": aw["red_flags"]}, aw["red_flags"], False))
    if aw.get("yellow_flags"):
        checks.append((_("黄旗（后 %(k)s 名）") % {"k": aw["yellow_flags"]}, aw["yellow_flags"], True))
    for c in cuts:
        checks.append((c["label"], c["k"], c["from_bottom"]))
    out = []

    def warn(what: str, inside: list[int], outside: list[int], units) -> None:
        if inside:
            out.append({"what": what, "inside": [units[i].unit.name for i in inside],
                        "outside": [units[i].unit.name for i in outside]})

    for what, k, bottom in checks:
        warn(what, *uncertain_cut(rank, lo, hi, int(k), from_bottom=bottom), ranked)
    if aw.get("category_flags"):
        for g in ranking.spec.get("groups") or []:
            if g.get("parent"):
                continue
            code = g["code"]
            in_group = [r for r in rows if code in (r.group_intervals or {})]
            iv = [r.group_intervals[code] for r in in_group]
            inside, outside = uncertain_cut([v[0] for v in iv], [v[2] for v in iv], [v[3] for v in iv], 1)
            warn(_("类别旗·%(name)s") % {"name": names.get(code, code)}, inside, outside, in_group)
    near = indistinguishable(lo, hi)
    for i, r in enumerate(ranked):
        if r.adjustment and near[i]:
            warn(_("%(unit)s 的加减分（%(points)s）") % {"unit": r.unit.name, "points": f"{r.adjustment:+g}"},
                 [i], near[i], ranked)
    return out


def _layout(groups: list[str], ind_cols: list[dict], names: dict, open_set: set[str], sort: str) -> tuple[list, set]:
    """The board's columns in screen order (see board_table) and the groups shown open."""
    in_group = {g: [j for j, c in enumerate(ind_cols) if c["group"] == g] for g in groups}
    opened = {g for g in groups if g in open_set and in_group[g]}
    opened |= {c["group"] for c in ind_cols if c["code"] == sort and c["group"] in in_group}
    layout: list[dict] = []
    for k, g in enumerate(groups):
        layout.append({"kind": "group", "index": k, "code": g, "name": names.get(g, g), "open": g in opened,
                       "count": len(in_group[g])})
        if g in opened:
            layout += [{"kind": "indicator", "index": j, "col": ind_cols[j]} for j in in_group[g]]
    layout += [{"kind": "indicator", "index": j, "col": c} for j, c in enumerate(ind_cols) if c["group"] not in in_group]
    return layout, opened


def _by_group(row: dict, groups: list[str], ind_cols: list[dict], names: dict) -> list[dict]:
    """A row's group scores, each with its indicators' values (the phone card's sections)."""
    sections = [{"name": names.get(g, g), "score": row["groups"][k],
                 "values": [{**row["values"][j], "col": c} for j, c in enumerate(ind_cols) if c["group"] == g]}
                for k, g in enumerate(groups)]
    loose = [{**row["values"][j], "col": c} for j, c in enumerate(ind_cols) if c["group"] not in groups]
    if loose:
        sections.append({"name": _("其他指标"), "score": None, "values": loose})
    return sections


def spec_diff(old: dict | None, new: dict) -> list[str]:
    """What changed from one plan version to the next, as short Chinese phrases."""
    if old is None:
        return [_("初始版本：%(n)d 个指标") % {"n": len(new.get("indicators", []))}]
    out = []
    for key, name in (("normalization", _("标准化")), ("aggregation", _("汇总方式")), ("scale", _("分值区间")),
                      ("weak_k", _("短板数")), ("awards", _("摘星夺旗规则")), ("uncertainty", _("名次区间设置"))):
        if old.get(key) != new.get(key):
            out.append(f"{name}: {old.get(key)} → {new.get(key)}")
    for part, name in (("indicators", _("指标")), ("groups", _("分组"))):
        before = {i["code"]: i for i in old.get(part, [])}
        after = {i["code"]: i for i in new.get(part, [])}
        added = [c for c in after if c not in before]
        removed = [c for c in before if c not in after]
        changed = [c for c in after if c in before and after[c] != before[c]]
        if added:
            out.append(_("新增%(what)s %(codes)s") % {"what": name, "codes": ", ".join(added)})
        if removed:
            out.append(_("删除%(what)s %(codes)s") % {"what": name, "codes": ", ".join(removed)})
        for c in changed:
            diffs = [f"{k} {before[c].get(k)}→{after[c].get(k)}" for k in after[c] if after[c].get(k) != before[c].get(k)]
            out.append(f"{name} {c}: " + "; ".join(diffs))
    return out or [_("规则无变化")]


def plan_versions(plan) -> list[dict]:
    """A plan's versions with who made them, when, and what changed."""
    out, prev = [], None
    for v in plan.versions.select_related("created_by").order_by("number"):
        out.append({"version": v, "changes": spec_diff(prev, v.spec), "used": v.rankings.exists()})
        prev = v.spec
    return list(reversed(out))


def plan_rankings(plan):
    return Ranking.objects.filter(plan_version__plan=plan).select_related("period", "plan_version").order_by(
        "-period__start", "-computed_at")


def adjustment_list(period=None, plan=None):
    from .models import Adjustment

    qs = Adjustment.objects.select_related("unit", "period", "plan", "created_by")
    if period is not None:
        qs = qs.filter(period=period)
    if plan is not None:
        qs = qs.filter(Q(plan=plan) | Q(plan__isnull=True))
    return qs.order_by("-created_at", "-pk")


# ---- 完成情况: completion against annual targets, for the monthly bulletin -------------------------

STATUS_LABELS = {"ahead": gettext_lazy("超进度"), "on_track": gettext_lazy("符合进度"), "behind": gettext_lazy("滞后"),
                 "no_data": gettext_lazy("无数据"), "no_target": gettext_lazy("无目标")}


def target_completion(ranking) -> list[dict]:
    """For each ranked unit and each of the plan's indicators with an annual target in the ranking's year:
    the month's value as the ranking froze it (its input snapshot), the target, completion and the share of
    the year elapsed (双过半, core.targets), in board order. Empty when no unit has such targets."""
    from leitai.core.periods import parse
    from leitai.core.ranking.targets import double_half
    from leitai.indicators.models import AnnualTarget

    period = ranking.period
    if period.kind != "month":
        return []
    rows = list(ranking.rows.select_related("unit").order_by("rank", "unit__sort_order"))
    units = [r.unit for r in rows]
    snapshot = {(u, i): v for u, i, v in ranking.inputs}
    in_plan = {i for _u, i in snapshot}
    targets = list(AnnualTarget.objects.filter(unit__in=units, year=period.year, indicator__code__in=in_plan)
                   .select_related("indicator", "unit")
                   .order_by("indicator__category__sort_order", "indicator__sort_order", "indicator__code"))
    fraction = parse(period.code).year_fraction
    order = {u.pk: n for n, u in enumerate(units)}
    out = []
    for t in sorted(targets, key=lambda t: order[t.unit_id]):
        ind = t.indicator
        value = snapshot.get((t.unit.code, ind.code))
        v = double_half(value, t.value, fraction, direction=ind.direction, value_type=ind.value_type)
        completion = v.get("completion")
        out.append({"unit": t.unit, "indicator": ind, "value": value, "target": t.value,
                    "completion": None if completion is None or completion != completion or abs(completion) == float("inf")
                    else 100.0 * completion,
                    "elapsed": 100.0 * v["elapsed"], "status": v["status"], "status_label": STATUS_LABELS[v["status"]]})
    return out
