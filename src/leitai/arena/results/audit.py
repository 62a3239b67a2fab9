"""The judges' audit of an arena (评委审计) as the pages and the API show it: the core audit
(core/judging/audit.py) of the sheets that count, with the arena's links and its calibration's threshold;
named for the organizer, anonymised (评委A, 评委B…) for the published results page."""

from __future__ import annotations

import hashlib
import json

from django.core.cache import cache
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from leitai.arena.day.selectors import final_sheets
from leitai.arena.setup.links import scoring_started
from leitai.arena.setup.models import Judge
from leitai.arena.setup.selectors import link_rows, links_of, rubric_dict, rubric_of
from leitai.charts import interval_rows
from leitai.core.judging.audit import AuditResult, audit

# The flags' names on the pages (FLAG_NAMES_ZH is the core's, for the command line).
FLAG_LABELS = {"lenient": gettext_lazy("偏宽"), "severe": gettext_lazy("偏严"), "erratic": gettext_lazy("不稳定"),
               "favours_linked": gettext_lazy("偏向关联单位")}


def anonymous_label(n: int) -> str:
    """评委A … 评委Z, 评委AA …: the n-th judge (0-based) of the anonymised audit."""
    letters = ""
    n += 1
    while n:
        n, r = divmod(n - 1, 26)
        letters = chr(65 + r) + letters
    return _("评委%(code)s") % {"code": letters}


AUDIT_CACHE_SECONDS = 3600


def arena_audit(arena) -> AuditResult:
    """The core audit of the arena's final sheets (judges by anonymous code), with its links and the threshold
    its drop_flagged calibration declares (else the default, 5 % of the highest possible total).

    Kept in the cache under a digest of exactly its inputs (rubric, sheets, links): the organizer's page
    refreshes every few seconds and the published results page is read by the public, while the audit of a
    big panel takes a while; any changed sheet, link or rule is another digest, so nothing stale is shown."""
    rubric = rubric_of(arena)
    threshold = rubric.calibration.threshold if rubric.calibration else None
    sheets, links = final_sheets(arena), links_of(arena)
    inputs = json.dumps([rubric_dict(arena), [[s.judge, s.group, s.contestant, s.scores] for s in sheets],
                         sorted([*k, v] for k, v in links.items())], ensure_ascii=False, sort_keys=True)
    key = f"leitai:audit:{arena.pk}:{hashlib.sha256(inputs.encode()).hexdigest()}"
    result = cache.get(key)
    if result is None:
        result = audit(sheets, rubric, links, threshold)
        cache.set(key, result, AUDIT_CACHE_SECONDS)
    return result


def audit_state(arena, named: bool) -> dict:
    """Rows, chart and threshold of the audit. named: judges by name and title in the panel's order
    (organizer only); otherwise by letter, in order of group then leniency, nothing else about them."""
    result = arena_audit(arena)
    judges = {j.anon_code: j for j in Judge.objects.filter(arena=arena).select_related("group")}
    order = {code: n for n, code in enumerate(judges)}
    group_list = list(arena.groups.all())
    groups = {g.code: g.name for g in group_list}
    if named:  # the panel's order
        lines = sorted(result.rows, key=lambda r: order.get(r.judge, len(order)))
    else:
        # Letters follow the groups, then the leniency (most lenient first), never the panel's order, which the
        # minutes publish: 评委C must not be the third name listed.
        rank = {g.code: n for n, g in enumerate(group_list)}
        lines = sorted(result.rows, key=lambda r: (rank.get(r.group, len(rank)), r.leniency is None,
                                                   -(r.leniency or 0.0), r.judge))
    rows = []
    for n, r in enumerate(lines):
        judge = judges.get(r.judge)
        label = (f"{judge.name}（{judge.title}）" if judge.title else judge.name) if named and judge else anonymous_label(n)
        rows.append({"label": label, "code": r.judge if named else "", "group": groups.get(r.group, r.group),
                     "line": r, "flags": [FLAG_LABELS[f] for f in r.flags], "flagged": bool(r.flags)})
    chart = interval_rows([row["label"] for row in rows], [r.leniency for r in lines],
                          [r.leniency_lo for r in lines], [r.leniency_hi for r in lines], band=result.threshold,
                          flagged=[bool({"lenient", "severe"} & set(r.flags)) for r in lines],
                          title=_("宽严度（与其他评委的平均差及 95% 区间）"), decimals=2)
    label_of = {r.judge: row["label"] for r, row in zip(lines, rows, strict=True)}
    dropped = [{**d, "label": label_of.get(d["judge"], d["judge"] if named else ""),
                "flag_labels": [FLAG_LABELS.get(f, f) for f in d["flags"]]}
               for d in (arena.result or {}).get("dropped", [])]
    return {"rows": rows, "chart": chart, "threshold": result.threshold, "flagged": sum(1 for r in rows if r["flagged"]),
            "calibration": arena.calibration or {}, "dropped": dropped}


def organizer_state(arena) -> dict:
    """The organizer's audit page: the named audit, the links with the judges and contestants to pick, and
    whether the calibration rule can still change."""
    links = link_rows(arena)
    return {"audit": audit_state(arena, named=True), "links": links,
            "flag_choices": list(FLAG_LABELS.items()), "default_flags": ["lenient", "severe"],
            "judges": list(arena.judges.select_related("group")),
            "contestants": list(arena.contestants.select_related("unit").order_by("order", "id")),
            "calibration_locked": scoring_started(arena) or arena.status == arena.Status.PUBLISHED}
