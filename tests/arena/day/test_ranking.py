"""排序测评: judges rank every contestant after the last presentation; the tally is `leitai points tally`'s
rule; publication writes the ledger by rank; the export recomputes byte for byte."""

from __future__ import annotations

import io
import zipfile

import pytest
from click.testing import CliRunner
from django.urls import reverse

from leitai.arena import services
from leitai.arena.models import Arena, RankSheet
from leitai.core.errors import LeitaiError

# Leaders L1 (A B K) and L2 (B A K): sums A 3, B 3, K 6 → A and B share 1, K 3 (L3 sits out: recused from A).
# Public: P1 A B K, P2 A B K, P3 B A K, P4 K A B, P5 A K B: sums A 7, B 11, K 12 → A 1, B 2, K 3.
# Combined (0.6 × leaders + 0.4 × public): A 1.0, B 1.4, K 3.0 → A 1, B 2, K 3; points 3, 2, 1.
RANKINGS = {"L1": "ABK", "L2": "BAK", "P1": "ABK", "P2": "ABK", "P3": "BAK", "P4": "KAB", "P5": "AKB"}


@pytest.fixture
def ranking_arena(arena, organizer, contestants, panel, stage_to):
    services.set_ranking_rules(arena, organizer, "rank")
    for code in ("A", "B", "K"):
        c = stage_to(contestants[code], "speech", organizer)
        services.advance(c, "scoring_closed", organizer)
    return Arena.objects.get(pk=arena.pk)


def _ranks(order: str, contestants) -> dict:
    return {contestants[code].pk: n for n, code in enumerate(order, 1)}


def test_a_contestant_goes_from_speech_to_done_and_the_ranking_opens_after_the_last(arena, organizer, contestants,
                                                                                   panel, stage_to):
    services.set_ranking_rules(arena, organizer, "rank", [5, 3, 1])
    a = stage_to(contestants["A"], "speech", organizer)
    with pytest.raises(LeitaiError):
        services.advance(a, "scoring_open", organizer)  # no scoring per contestant in a ranking arena
    services.advance(a, "scoring_closed", organizer)
    with pytest.raises(LeitaiError, match="还有选手未完成陈述"):
        services.set_ranking(arena, organizer, "open")


def test_rankings_are_tallied_published_and_recomputed(ranking_arena, organizer, contestants, panel, client, tmp_path):
    from leitai.commands.points import points as points_cli
    from leitai.rankings.models import Adjustment

    services.set_ranking(ranking_arena, organizer, "open")
    with pytest.raises(LeitaiError, match="需回避"):
        services.submit_ranking(panel.judges["L3"], _ranks("ABK", contestants))
    with pytest.raises(LeitaiError, match="每个名次只能用一次"):
        services.submit_ranking(panel.judges["L1"], {contestants["A"].pk: 1, contestants["B"].pk: 1, contestants["K"].pk: 3})
    with pytest.raises(LeitaiError, match="请为全部 3 个单位排出名次"):
        services.submit_ranking(panel.judges["L1"], {contestants["A"].pk: 1, contestants["B"].pk: 2})
    services.submit_ranking(panel.judges["L1"], _ranks("KBA", contestants), "first")
    for name, order in RANKINGS.items():
        services.submit_ranking(panel.judges[name], _ranks(order, contestants), f"{name}-final")
    again = services.submit_ranking(panel.judges["L1"], _ranks("ABK", contestants), "L1-final")
    assert again.duplicate and again.sheet.version == 2 and again.sheet.revisions.count() == 2
    assert services.ranking_progress(ranking_arena) == {"submitted": 7, "expected": 7}
    with pytest.raises(LeitaiError, match="请先结束排序测评"):
        services.reveal_all(ranking_arena, organizer)
    services.set_ranking(ranking_arena, organizer, "closed")
    with pytest.raises(LeitaiError, match="排序测评未开放"):
        services.submit_ranking(panel.judges["P1"], _ranks("KBA", contestants))
    services.reveal_all(ranking_arena, organizer)
    published = services.publish_results(Arena.objects.get(pk=ranking_arena.pk), organizer)
    assert [(r["unit"], r["rank"], r["score"], r["groups"]) for r in published.result["rows"]] == [
        ("A", 1, 3.0, {"leaders": 1, "public": 1}), ("B", 2, 2.0, {"leaders": 1, "public": 2}),
        ("K", 3, 1.0, {"leaders": 3, "public": 3})]
    assert sorted(Adjustment.objects.filter(source=f"arena:{published.pk}").values_list("unit__code", "points")) == [
        ("A", 2.0), ("B", 1.0), ("K", -1.0)]
    bundle = zipfile.ZipFile(io.BytesIO(client.get(reverse("arena:export", args=[published.pk])).content))
    assert sorted(bundle.namelist()) == ["CHAIN.jsonl", "HEAD", "README-uncertainty.txt", "README.txt", "detail.csv",
                                         "ranks.csv", "result.csv", "rules.json", "sheets.csv", "uncertainty.csv",
                                         "uncertainty.json"]
    for name in ("ranks.csv", "rules.json"):
        (tmp_path / name).write_bytes(bundle.read(name))
    run = CliRunner().invoke(points_cli, ["tally", "--ranks", str(tmp_path / "ranks.csv"), "--rules",
                                          str(tmp_path / "rules.json"), "--out", str(tmp_path / "out.csv"),
                                          "--detail", str(tmp_path / "detail.csv")], env={"LEITAI_LANG": ""})
    assert run.exit_code == 0, run.output
    assert (tmp_path / "out.csv").read_bytes() == bundle.read("result.csv")
    assert (tmp_path / "detail.csv").read_bytes() == bundle.read("detail.csv")
    assert bundle.read("result.csv").decode() == "contestant,points,place\nA,3,1\nB,2,2\nK,1,3\n"
    assert "J0" in bundle.read("ranks.csv").decode() and "L1" not in bundle.read("ranks.csv").decode()
    page = client.get(reverse("arena:results", args=[published.pk])).content.decode()
    assert "排序测评" in page and "leitai points tally" in page and "积分" in page
    # Rank intervals by resampling the judges' rankings, stored at publication and recomputed from the export.
    stored = published.result["uncertainty"]
    assert stored["seed"] == published.pk and stored["draws"] == 1000 and set(stored["rows"]) == {"A", "B", "K"}
    again = CliRunner().invoke(points_cli, ["uncertainty", "--ranks", str(tmp_path / "ranks.csv"), "--rules",
                                            str(tmp_path / "rules.json"), "--draws", "1000", "--seed", str(published.pk),
                                            "--out", str(tmp_path / "u.csv")], env={"LEITAI_LANG": ""})
    assert again.exit_code == 0, again.output
    assert (tmp_path / "u.csv").read_bytes() == bundle.read("uncertainty.csv") == stored["csv"].encode()
    assert "leitai points uncertainty --ranks ranks.csv" in bundle.read("README-uncertainty.txt").decode()
    assert 'id="rank-intervals"' in page and "leitai points uncertainty --ranks ranks.csv" in page
    lo, hi = stored["rows"]["K"][2:]
    assert f"（{lo}）" in page or f"（{lo}–{hi}）" in page


def test_the_phone_and_the_console(ranking_arena, organizer, contestants, panel, client, login):
    token = panel.tokens["P1"]
    url = reverse("arena:judge_ranking", args=[token])
    assert "排序测评未开放或已结束" in client.get(url).content.decode()
    body = login(organizer).get(reverse("arena:console_body", args=[ranking_arena.pk])).content.decode()
    assert "开始排序测评" in body
    login(organizer).post(reverse("arena:console_ranking", args=[ranking_arena.pk]), {"state": "open"},
                          HTTP_HX_REQUEST="true")
    client.logout()
    page = client.get(reverse("arena:judge", args=[token])).content.decode()
    assert 'id="ranking"' in page and "提交排序" in page
    form = {f"r_{contestants[c].pk}": n for c, n in (("A", 1), ("B", 1), ("K", 3))}
    assert "每个名次只能用一次" in client.post(url, {**form, "client_key": "k1"}).content.decode()
    form[f"r_{contestants['B'].pk}"] = 2
    assert "排序已提交（第 1 版）" in client.post(url, {**form, "client_key": "k2"}).content.decode()
    assert RankSheet.objects.get(judge=panel.judges["P1"]).ranks == {"A": 1, "B": 2, "K": 3}
    from leitai.arena.day.selectors import public_state

    state = public_state(ranking_arena)
    assert state["arena"]["ranking"] == "open" and state["arena"]["ranking_submitted"] == 1
