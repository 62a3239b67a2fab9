"""The judges' audit in the product: links and the calibration rule (services, pages, API, admin), the
organizer's live audit page, the anonymised audit on the published results page, and the export that
`leitai arena audit` and `leitai arena tally --links` reproduce byte for byte under a calibration."""

from __future__ import annotations

import json
import re

import pytest
from click.testing import CliRunner
from django.test import Client
from django.urls import reverse

from leitai.arena import services
from leitai.arena.models import Arena, ArenaEvent, JudgeLink
from leitai.cli import main
from leitai.core.errors import LeitaiError, SpecError

pytestmark = pytest.mark.django_db

BASE = {"A": 7.0, "B": 8.0, "K": 6.0}
# Offsets per judge on A, B, K (marks on the 0.5 step). P1 is 2 above everyone (lenient: T = 0.5); the others
# stay within the threshold (hand-checked in docs/uncertainty.md's example: P3 −0.06 ± 1.6, P5 0.17 ± 0.72).
OFFSETS = {"L1": (0, 0, 0), "L2": (0.5, 0, 0), "L3": (0, 0, 0), "P1": (2, 2, 2), "P2": (0, 0, 0),
           "P3": (0.5, 0, -0.5), "P4": (-0.5, 0, 0.5), "P5": (0, 0.5, 0)}


def score_day(arena, organizer, contestants, panel, sheet, stage_to, codes=("A", "B", "K"), close=True):
    for n, code in enumerate(("A", "B", "K")):
        if code not in codes:
            continue
        c = stage_to(contestants[code], "scoring_open", organizer)
        for name, judge in panel.judges.items():
            if not judge.paper and not services.is_recused(judge, c):
                services.submit_sheet(judge, c, sheet(BASE[code] + OFFSETS[name][n]), f"{name}-{code}")
        if close or code != codes[-1]:  # close=False: the last one stays open for scoring
            stage_to(c, "revealed", organizer)


@pytest.fixture
def calibrated(arena, organizer, contestants, panel, sheet, stage_to):
    """Drop the judges flagged lenient or severe; P2 is linked to A; the whole day scored and published."""
    services.set_calibration(arena, organizer, {"method": "drop_flagged", "flags": ["lenient", "severe"]})
    services.add_link(arena, organizer, panel["P2"].pk, contestants["A"].pk, "挂钩联系单位")
    score_day(arena, organizer, contestants, panel, sheet, stage_to)
    return services.publish_results(Arena.objects.get(pk=arena.pk), organizer)


def test_calibration_is_checked_and_frozen_once_scoring_opens(arena, organizer, reporter_a, contestants, stage_to):
    with pytest.raises(SpecError, match="calibration"):
        services.set_calibration(arena, organizer, {"method": "drop_flagged", "flags": ["rude"]})
    services.set_calibration(arena, organizer, {"method": "standardize"})
    assert Arena.objects.get(pk=arena.pk).calibration == {"method": "standardize"}
    assert ArenaEvent.objects.filter(arena=arena, kind="calibration_set").count() == 1
    from django.core.exceptions import PermissionDenied

    with pytest.raises(PermissionDenied):
        services.set_calibration(arena, reporter_a, {})
    stage_to(contestants["A"], "scoring_open", organizer)
    with pytest.raises(LeitaiError, match="评分已经开始"):
        services.set_calibration(arena, organizer, {})
    assert Arena.objects.get(pk=arena.pk).calibration == {"method": "standardize"}


def test_links_are_recorded_logged_and_withdrawn(arena, organizer, contestants, panel, other_arena):
    link = services.add_link(arena, organizer, panel["P2"].pk, contestants["A"].pk, " 曾任职 ")
    assert link.relation == "曾任职"
    with pytest.raises(LeitaiError, match="已经记录"):
        services.add_link(arena, organizer, panel["P2"].pk, contestants["A"].pk, "同一区县")
    with pytest.raises(LeitaiError, match="关联关系"):
        services.add_link(arena, organizer, panel["P3"].pk, contestants["A"].pk, "  ")
    foreign = other_arena.judges.first()
    with pytest.raises(LeitaiError, match="不属于本场"):
        services.add_link(arena, organizer, foreign.pk, contestants["A"].pk, "x")
    services.remove_link(arena, organizer, link.pk)
    assert not JudgeLink.objects.exists()
    kinds = list(ArenaEvent.objects.filter(arena=arena, kind__startswith="judge_link").values_list("kind", flat=True))
    assert kinds == ["judge_link_added", "judge_link_removed"]


def test_the_organizer_sees_the_named_audit_live_with_its_chart(client, login, arena, organizer, reporter_a,
                                                                contestants, panel, sheet, stage_to):
    # Two contestants scored, the second still open: the audit already shows P1 as lenient.
    score_day(arena, organizer, contestants, panel, sheet, stage_to, codes=("A", "B"), close=False)
    page = reverse("arena:audit", args=[arena.pk])
    assert client.get(page).status_code == 302  # sign in first
    assert login(reporter_a).get(page).status_code == 403
    html = login(organizer).get(page).content.decode()
    assert 'class="lt-chart lt-intervals"' in html and "hx-trigger=\"every 5s\"" in html
    row = re.search(r"<tr class=\"flagged\">(.*?)</tr>", html, re.S).group(1)
    assert "P1" in row and "偏宽" in row and panel["P1"].anon_code in row
    assert html.count('class="flagged"') == 1
    body = client.get(reverse("arena:audit_body", args=[arena.pk])).content.decode()
    assert body.startswith('<section class="card" id="audit-body"') and "偏宽" in body
    # The calibration form is locked once scoring has opened.
    assert 'id="calibration-locked"' in html and "<fieldset disabled>" in html


def test_links_and_calibration_through_the_page(login, arena, organizer, contestants, panel):
    c = login(organizer)
    r = c.post(reverse("arena:audit_add_link", args=[arena.pk]),
               {"judge": panel["P3"].pk, "contestant": contestants["B"].pk, "relation": "同一区县"})
    assert r.status_code == 302 and JudgeLink.objects.get().relation == "同一区县"
    r = c.post(reverse("arena:audit_add_link", args=[arena.pk]),
               {"judge": panel["P3"].pk, "contestant": contestants["B"].pk, "relation": "again"})
    assert r.status_code == 400 and "已经记录" in r.content.decode()
    r = c.post(reverse("arena:audit_calibration", args=[arena.pk]),
               {"method": "drop_flagged", "flags": ["lenient", "favours_linked"], "threshold": "0.8"})
    assert r.status_code == 302
    assert Arena.objects.get(pk=arena.pk).calibration == {"method": "drop_flagged", "flags": ["lenient", "favours_linked"],
                                                          "threshold": 0.8}
    r = c.post(reverse("arena:audit_calibration", args=[arena.pk]), {"method": "drop_flagged", "threshold": "-2"})
    assert r.status_code == 400 and "threshold" in r.content.decode()
    link = JudgeLink.objects.get()
    assert c.post(reverse("arena:audit_remove_link", args=[arena.pk, link.pk])).status_code == 302
    assert not JudgeLink.objects.exists()


def test_drop_flagged_is_recorded_published_anonymised_and_reproduced(calibrated, client, login, organizer, panel,
                                                                      tmp_path):
    arena = calibrated
    p1 = panel["P1"].anon_code
    assert [(d["judge"], d["flags"]) for d in arena.result["dropped"]] == [(p1, ["lenient"])]
    assert arena.result["rubric"]["calibration"] == {"method": "drop_flagged", "flags": ["lenient", "severe"]}
    # Public A without P1: (7 + 7.5 + 6.5 + 7) / 4 = 7 (four sheets: not trimmed).
    row_a = next(r for r in arena.result["rows"] if r["unit"] == "A")
    assert row_a["groups"]["public"] == 7.0
    # The published page: the anonymised audit, no judge's name in it, and the dropped judge by letter.
    html = client.get(reverse("arena:results", args=[arena.pk])).content.decode()
    section = re.search(r'<section class="card" id="public-audit">(.*?)</section>', html, re.S).group(1)
    assert "评委A" in section and "偏宽" in section and "lt-intervals" in section
    for judge in panel.judges.values():
        assert judge.name not in section and judge.anon_code not in section
    assert "按校准规则剔除的评委" in section
    # The export reproduces result.csv with --links, and audit.csv with `arena audit`.
    out = tmp_path / "export"
    assert CliRunner().invoke(main, ["arena", "export", str(arena.pk), "--out", str(out)]).exit_code == 0
    assert (out / "links.csv").read_text(encoding="utf-8") == f"judge,contestant,relation\n{panel['P2'].anon_code},A,挂钩联系单位\n"
    done = CliRunner().invoke(main, ["arena", "tally", "--scores", str(out / "scores.csv"), "--rubric",
                                     str(out / "rubric.json"), "--links", str(out / "links.csv"),
                                     "--out", str(tmp_path / "out.csv")])
    assert done.exit_code == 0, done.output
    assert (tmp_path / "out.csv").read_bytes() == (out / "result.csv").read_bytes()
    done = CliRunner().invoke(main, ["arena", "audit", "--scores", str(out / "scores.csv"), "--rubric",
                                     str(out / "rubric.json"), "--links", str(out / "links.csv"),
                                     "--out", str(tmp_path / "audit.csv")])
    assert done.exit_code == 0, done.output
    assert (tmp_path / "audit.csv").read_bytes() == (out / "audit.csv").read_bytes()
    assert f"\n{p1},public,3," in (out / "audit.csv").read_text(encoding="utf-8")
    _bundle_checks_out(out, tmp_path)
    # Without the calibration the result would differ: P1 counts.
    rubric = json.loads((out / "rubric.json").read_text(encoding="utf-8"))
    del rubric["calibration"]
    (tmp_path / "plain.json").write_text(json.dumps(rubric), encoding="utf-8")
    CliRunner().invoke(main, ["arena", "tally", "--scores", str(out / "scores.csv"), "--rubric",
                              str(tmp_path / "plain.json"), "--out", str(tmp_path / "plain.csv")])
    assert (tmp_path / "plain.csv").read_bytes() != (out / "result.csv").read_bytes()


def test_standardize_is_published_and_reproduced(arena, organizer, contestants, panel, sheet, stage_to, tmp_path):
    services.set_calibration(arena, organizer, {"method": "standardize"})
    score_day(arena, organizer, contestants, panel, sheet, stage_to)
    published = services.publish_results(Arena.objects.get(pk=arena.pk), organizer)
    assert "dropped" not in published.result
    # The revealed scores equal the published ones (the reveal recomputes calibrated scores from all revealed).
    revealed = {c.unit.code: c.score for c in published.contestants.select_related("unit")}
    assert revealed == {r["unit"]: r["score"] for r in published.result["rows"]}
    out = tmp_path / "export"
    CliRunner().invoke(main, ["arena", "export", str(published.pk), "--out", str(out)])
    done = CliRunner().invoke(main, ["arena", "tally", "--scores", str(out / "scores.csv"), "--rubric",
                                     str(out / "rubric.json"), "--out", str(tmp_path / "out.csv")])
    assert done.exit_code == 0 and (tmp_path / "out.csv").read_bytes() == (out / "result.csv").read_bytes()
    assert json.loads((out / "rubric.json").read_text(encoding="utf-8"))["calibration"] == {"method": "standardize"}
    _bundle_checks_out(out, tmp_path)


def _bundle_checks_out(out, tmp_path):
    """A calibrated arena's bundle passes `arena verify` (which recomputes the calibrated result, with links.csv),
    and its rank intervals come back from `arena uncertainty` (the bootstrap resamples the calibrated totals)."""
    done = CliRunner().invoke(main, ["arena", "verify", str(out)])
    assert done.exit_code == 0, done.output
    params = json.loads((out / "uncertainty.json").read_text(encoding="utf-8"))
    done = CliRunner().invoke(main, ["arena", "uncertainty", "--scores", str(out / "scores.csv"), "--rubric",
                                     str(out / "rubric.json"), "--draws", str(params["draws"]), "--seed",
                                     str(params["seed"]), "--links", str(out / "links.csv"),
                                     "--out", str(tmp_path / "u.csv")])
    assert done.exit_code == 0, done.output
    assert (tmp_path / "u.csv").read_bytes() == (out / "uncertainty.csv").read_bytes()


def test_the_audit_api_named_for_the_organizer_anonymised_for_the_public(calibrated, client, organizer, panel):
    url = f"/api/v1/arena/{calibrated.pk}/audit"
    public = client.get(url).json()
    assert public["named"] is False and [r["judge"] for r in public["rows"]][:3] == ["评委A", "评委B", "评委C"]
    # Letters by group, then most lenient first (not the panel's order, which the minutes publish): P1 is 评委D.
    assert [(r["judge"], r["flags"]) for r in public["rows"] if r["flags"]] == [("评委D", ["lenient"])]
    assert [r["leniency"] for r in public["rows"][3:]] == sorted((r["leniency"] for r in public["rows"][3:]), reverse=True)
    text = json.dumps(public, ensure_ascii=False)
    assert all(j.name not in text and j.anon_code not in text for j in panel.judges.values())
    staff = Client()
    staff.force_login(organizer)
    named = staff.get(url).json()
    p1 = next(r for r in named["rows"] if r["judge"] == panel["P1"].anon_code)
    assert named["named"] is True and p1["flags"] == ["lenient"] and p1["name"].startswith("P1")
    assert named["threshold"] == 0.5 and named["calibration"]["method"] == "drop_flagged"


def test_the_audit_api_is_hidden_before_publication_and_calibration_put(client, arena, organizer, contestants,
                                                                         stage_to):
    assert client.get(f"/api/v1/arena/{arena.pk}/audit").status_code == 404
    staff = Client()
    staff.force_login(organizer)
    url = f"/api/v1/arena/{arena.pk}/calibration"
    put = staff.put(url, json.dumps({"calibration": {"method": "standardize"}}), content_type="application/json")
    assert put.status_code == 200 and put.json() == {"calibration": {"method": "standardize"}}
    bad = staff.put(url, json.dumps({"calibration": {"method": "zscore"}}), content_type="application/json")
    assert bad.status_code == 422 and "calibration" in bad.json()["detail"]
    assert client.put(url, json.dumps({"calibration": {}}), content_type="application/json").status_code == 401
    stage_to(contestants["A"], "scoring_open", organizer)
    late = staff.put(url, json.dumps({"calibration": {}}), content_type="application/json")
    assert late.status_code == 409


def test_the_admin_freezes_the_calibration_once_scoring_opens(login, arena, organizer, contestants, stage_to):
    from django.contrib import admin as django_admin

    from leitai.arena.admin import ArenaAdmin, ArenaAdminForm

    model_admin = ArenaAdmin(Arena, django_admin.site)
    assert "calibration" not in model_admin.get_readonly_fields(None, arena)
    form = ArenaAdminForm(instance=arena)
    form.cleaned_data = {"calibration": {"method": "standardise"}}
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError):
        form.clean_calibration()
    stage_to(contestants["A"], "scoring_open", organizer)
    assert "calibration" in model_admin.get_readonly_fields(None, arena)


def test_the_admin_only_shows_links_which_change_through_the_logged_page(rf, organizer):
    """A link changes the audit (and a drop_flagged result): it is added or withdrawn only through
    setup/links.py, which logs it and refuses after publication — never silently in the admin."""
    from django.contrib import admin as django_admin

    from leitai.arena.setup.models import JudgeLink

    request = rf.get("/admin/")
    request.user = organizer
    request.user.is_superuser = True
    model_admin = django_admin.site._registry[JudgeLink]
    assert not model_admin.has_add_permission(request)
    assert not model_admin.has_change_permission(request)
    assert not model_admin.has_delete_permission(request)


def test_the_audit_is_computed_once_per_set_of_inputs(arena, organizer, contestants, panel, sheet, stage_to,
                                                      monkeypatch):
    from django.core.cache import cache

    from leitai.arena.results import audit as product_audit

    cache.clear()  # an earlier test may have audited the very same inputs (which is right, but counts no call)
    score_day(arena, organizer, contestants, panel, sheet, stage_to, codes=("A", "B"), close=False)
    calls = []
    real = product_audit.audit
    monkeypatch.setattr(product_audit, "audit", lambda *a, **k: calls.append(1) or real(*a, **k))
    first = product_audit.arena_audit(arena)
    again = product_audit.arena_audit(arena)
    assert len(calls) == 1 and [r.judge for r in again.rows] == [r.judge for r in first.rows]
    assert again[panel["P1"].anon_code].flags == ["lenient"]
    # A changed sheet, a link: other inputs, a fresh audit (never a stale one).
    services.submit_sheet(panel["P2"], contestants["B"], sheet(9.5), "P2-B-again")
    product_audit.arena_audit(arena)
    assert len(calls) == 2
    services.add_link(arena, organizer, panel["P2"].pk, contestants["A"].pk, "挂钩联系")
    product_audit.arena_audit(arena)
    assert len(calls) == 3
