"""Receipts and the hash chain for ranking arenas (排序测评): each stored ranking gets its receipt and chain entry,
the phone shows it, the export carries sheets.csv, CHAIN.jsonl and HEAD, `leitai arena verify` passes on it and
fails at the right place on every kind of tampering, and the public lookup finds a ranking."""

from __future__ import annotations

import hashlib
import json

import pytest
from click.testing import CliRunner
from django.urls import reverse

from leitai.arena import services
from leitai.arena.base import chain
from leitai.arena.models import Arena, ArenaChainEntry, RankSheetRevision
from leitai.cli import main
from leitai.core.judging.receipts import (
    GENESIS,
    chain_entry,
    chain_hash,
    rank_receipt,
    short_head,
    show_receipt,
)
from tests.arena.day.test_ranking import RANKINGS, _ranks, ranking_arena  # noqa: F401 (the fixture)

pytestmark = pytest.mark.django_db


def _entries(arena, kind: str) -> list[dict]:
    prev, out = GENESIS, []
    for n, e in enumerate(ArenaChainEntry.objects.filter(arena=arena).order_by("seq"), 1):
        assert e.seq == n and e.prev_hash == prev and chain_hash(prev, e.data) == e.hash
        prev = e.hash
        if e.kind == kind:
            out.append(json.loads(e.data)["payload"])
    return out


def test_every_ranking_revision_gets_its_receipt_and_chain_entry(ranking_arena, organizer, contestants, panel):  # noqa: F811
    services.set_ranking(ranking_arena, organizer, "open")
    l1 = panel.judges["L1"]
    first = services.submit_ranking(l1, _ranks("KBA", contestants), "k1")
    again = services.submit_ranking(l1, _ranks("KBA", contestants), "k1")
    changed = services.submit_ranking(l1, _ranks("ABK", contestants), "k2")
    # A retry of the first key after the change still answers what that key stored.
    late = services.submit_ranking(l1, _ranks("KBA", contestants), "k1")
    assert not first.duplicate and again.duplicate and late.duplicate
    assert again.receipt == late.receipt == first.receipt and (again.version, late.version) == (1, 1)
    assert changed.version == 2 and changed.receipt != first.receipt
    revs = list(RankSheetRevision.objects.filter(sheet__judge=l1).order_by("version"))
    assert [r.receipt for r in revs] == [first.receipt, changed.receipt]
    for r in revs:
        assert len(r.secret) == 32
        assert r.receipt == rank_receipt(ranking_arena.pk, l1.anon_code, r.ranks, r.version, r.secret)
    assert revs[1].ranks == {"A": 1, "B": 2, "K": 3}
    sheets = _entries(ranking_arena, "rank_sheet")
    assert [(p["judge"], p["version"], p["receipt"], p["action"]) for p in sheets] == [
        (l1.anon_code, 1, first.receipt, "submit"), (l1.anon_code, 2, changed.receipt, "change")]
    assert [p["state"] for p in _entries(ranking_arena, "ranking")] == ["open"]
    # The chain carries neither the secret nor the ranks (before publication, whose entry lists the places).
    data = " ".join(ArenaChainEntry.objects.filter(arena=ranking_arena).values_list("data", flat=True))
    assert all(r.secret not in data for r in revs) and '"ranks"' not in data


def test_a_refused_ranking_leaves_no_chain_entry(ranking_arena, organizer, contestants, panel):  # noqa: F811
    from leitai.core.errors import LeitaiError

    services.set_ranking(ranking_arena, organizer, "open")
    before = ArenaChainEntry.objects.filter(arena=ranking_arena).count()
    with pytest.raises(LeitaiError):
        services.submit_ranking(panel.judges["L1"], {contestants["A"].pk: 1, contestants["B"].pk: 1,
                                                     contestants["K"].pk: 3})
    assert ArenaChainEntry.objects.filter(arena=ranking_arena).count() == before


def test_the_phone_shows_the_ranking_receipt_and_my_receipts_lists_it(ranking_arena, organizer, contestants, panel,  # noqa: F811
                                                                     client):
    services.set_ranking(ranking_arena, organizer, "open")
    token = panel.tokens["P1"]
    form = {f"r_{contestants[c].pk}": n for c, n in (("A", 1), ("B", 2), ("K", 3))}
    page = client.post(reverse("arena:judge_ranking", args=[token]), {**form, "client_key": "phone-r1"}).content.decode()
    code = show_receipt(RankSheetRevision.objects.get(client_key="phone-r1").receipt)
    assert "排序已提交（第 1 版）" in page and code in page and 'id="receipt-box"' in page
    # A reload shows it again; 我的回执 lists it, and not another judge's.
    assert code in client.get(reverse("arena:judge", args=[token])).content.decode()
    other = services.submit_ranking(panel.judges["P2"], _ranks("BAK", contestants), "other")
    mine = client.get(f"/arena/j/{token}/receipts/").content.decode()
    assert code in mine and "排序测评" in mine and show_receipt(other.receipt) not in mine


@pytest.fixture
def ranked(ranking_arena, organizer, contestants, panel):  # noqa: F811
    """The published ranking arena of test_ranking, L1 having changed their ranking once (KBA, then ABK)."""
    services.set_ranking(ranking_arena, organizer, "open")
    services.submit_ranking(panel.judges["L1"], _ranks("KBA", contestants), "first")
    for name, order in RANKINGS.items():
        services.submit_ranking(panel.judges[name], _ranks(order, contestants), f"{name}-final")
    services.set_ranking(Arena.objects.get(pk=ranking_arena.pk), organizer, "closed")
    services.reveal_all(Arena.objects.get(pk=ranking_arena.pk), organizer)
    return services.publish_results(Arena.objects.get(pk=ranking_arena.pk), organizer)


def _export(arena, tmp_path):
    out = tmp_path / "bundle"
    done = CliRunner().invoke(main, ["arena", "export", str(arena.pk), "--out", str(out)])
    assert done.exit_code == 0, done.output
    return out


def _verify(out, *extra):
    return CliRunner().invoke(main, ["arena", "verify", str(out), "--lang", "en", *extra])


def _lines(path):
    return path.read_text(encoding="utf-8").split("\n")


def _write(path, lines):
    path.write_text("\n".join(lines), encoding="utf-8")


def _fails(out, step: int, file: str, line: int | None = None) -> str:
    done = _verify(out)
    assert done.exit_code == 2, done.output
    where = f"check {step} failed: {file}" + (f", line {line}:" if line else "")
    assert where in done.output, done.output
    return done.output


def test_export_and_verify_pass_on_a_published_ranking_arena(ranked, tmp_path, client, panel):
    out = _export(ranked, tmp_path)
    done = _verify(out)
    assert done.exit_code == 0, done.output
    head = (out / "HEAD").read_text().strip()
    assert "all 5 checks passed" in done.output and "7 ranking receipts" in done.output and head in done.output
    assert head == chain.head(ranked.pk)[1]
    assert _verify(out, "--head", f"{head[:4]}-{head[4:8]}-{head[8:12]}").exit_code == 0
    assert "check 2 failed: HEAD" in _verify(out, "--head", "0000-0000-0000").output
    zh = CliRunner().invoke(main, ["arena", "verify", str(out)], env={"LEITAI_LANG": "zh"})
    assert zh.exit_code == 0 and "5 项检查全部通过" in zh.output
    sheets = _lines(out / "sheets.csv")
    assert sheets[0] == "judge,group,version,receipt,secret" and len([s for s in sheets if s]) == 1 + 7
    l1 = panel.judges["L1"].anon_code
    assert next(s for s in sheets if s.startswith(f"{l1},")).split(",")[2] == "2"
    published = [json.loads(x) for x in _lines(out / "CHAIN.jsonl") if x and json.loads(x)["kind"] == "published"]
    for name, key in (("result.csv", "result_sha256"), ("detail.csv", "detail_sha256"), ("rules.json", "rules_sha256")):
        assert published[0]["payload"][key] == hashlib.sha256((out / name).read_bytes()).hexdigest()
    readme = (out / "README.txt").read_text(encoding="utf-8")
    assert "leitai arena verify" in readme and "leitai points tally" in readme and "sheets.csv" in readme
    # The results page shows the head.
    page = client.get(reverse("arena:results", args=[ranked.pk])).content.decode()
    assert short_head(head) in page and head in page


def test_the_web_download_verifies_too(ranked, tmp_path):
    out = tmp_path / "web"
    out.mkdir()
    for name, data in services.export_arena(ranked).items():
        (out / name).write_bytes(data)
    assert _verify(out).exit_code == 0


def _judge_line(out, judge: str) -> int:
    return next(n for n, row in enumerate(_lines(out / "sheets.csv"), 1) if row.startswith(f"{judge},"))


def test_a_changed_rank_fails_its_receipt(ranked, tmp_path, panel):
    out = _export(ranked, tmp_path)
    p4 = panel.judges["P4"].anon_code
    ranks = _lines(out / "ranks.csv")
    # P4 ranked K A B; swap A and B (still a valid ranking).
    for n, row in enumerate(ranks):
        if f",{p4},A," in row:
            ranks[n] = row[:-1] + "3"
        elif f",{p4},B," in row:
            ranks[n] = row[:-1] + "2"
    _write(out / "ranks.csv", ranks)
    output = _fails(out, 3, "sheets.csv", _judge_line(out, p4))
    assert f"judge {p4}'s ranking" in output


def test_a_wrong_receipt_fails_on_its_line(ranked, tmp_path):
    out = _export(ranked, tmp_path)
    rows = _lines(out / "sheets.csv")
    fields = rows[3].split(",")
    fields[3] = "0000000000" if fields[3] != "0000000000" else "1111111111"
    rows[3] = ",".join(fields)
    _write(out / "sheets.csv", rows)
    _fails(out, 3, "sheets.csv", 4)


def test_a_removed_ranking_fails(ranked, tmp_path):
    """Removed from ranks.csv only: its receipt has no ranking (3); from both files: the chain still has it (4)."""
    out = _export(ranked, tmp_path)
    rows = _lines(out / "sheets.csv")
    judge = rows[2].split(",")[0]
    _write(out / "ranks.csv", [r for r in _lines(out / "ranks.csv") if f",{judge}," not in r])
    _fails(out, 3, "sheets.csv", 3)
    _write(out / "sheets.csv", rows[:2] + rows[3:])
    output = _fails(out, 4, "CHAIN.jsonl")
    assert f"judge {judge}'s ranking" in output and "removed" in output


def test_an_added_ranking_fails(ranked, tmp_path):
    """Added to ranks.csv only: no receipt (3, on its first line); with a receipt forged for it: not in the
    chain (4)."""
    out = _export(ranked, tmp_path)
    ranks = _lines(out / "ranks.csv")
    round_code = ranks[1].split(",")[0]
    extra = [f"{round_code},public,J999,{c},{n}" for n, c in enumerate("ABK", 1)]
    _write(out / "ranks.csv", ranks[:-1] + extra + [""])
    _fails(out, 3, "ranks.csv", len(ranks))
    secret = "ab" * 16
    code = rank_receipt(ranked.pk, "J999", {"A": 1, "B": 2, "K": 3}, 1, secret)
    rows = _lines(out / "sheets.csv")
    _write(out / "sheets.csv", rows[:-1] + [f"J999,public,1,{code},{secret}", ""])
    _fails(out, 4, "sheets.csv", len(rows))


def test_an_edited_chain_line_fails_on_its_line(ranked, tmp_path):
    out = _export(ranked, tmp_path)
    lines = _lines(out / "CHAIN.jsonl")
    n = next(i for i, x in enumerate(lines) if x and json.loads(x)["kind"] == "rank_sheet")
    entry = json.loads(lines[n])
    entry["payload"]["version"] = 7
    lines[n] = json.dumps(entry, ensure_ascii=False)
    _write(out / "CHAIN.jsonl", lines)
    assert "content does not match its hash" in _fails(out, 1, "CHAIN.jsonl", n + 1)
    # Rehashed: the next entry no longer links to it.
    entry["hash"] = chain_hash(entry["prev"], chain_entry(entry["arena"], entry["seq"], entry["kind"], entry["at"],
                                                          entry["payload"]))
    lines[n] = json.dumps(entry, ensure_ascii=False)
    _write(out / "CHAIN.jsonl", lines)
    assert "previous hash" in _fails(out, 1, "CHAIN.jsonl", n + 2)


def test_a_changed_result_fails(ranked, tmp_path):
    out = _export(ranked, tmp_path)
    result = _lines(out / "result.csv")
    assert result[1:4] == ["A,3,1", "B,2,2", "K,1,3"]
    result[1], result[2] = "B,3,1", "A,2,2"
    _write(out / "result.csv", result)
    output = _fails(out, 5, "result.csv", 2)
    assert "does not match the rankings" in output
    zh = CliRunner().invoke(main, ["arena", "verify", str(out)], env={"LEITAI_LANG": "zh"})
    assert zh.exit_code == 2 and "第 5 项检查未通过：result.csv 第 2 行" in zh.output


def test_changed_rules_with_a_matching_result_fail_on_the_publication_digest(ranked, tmp_path):
    from leitai.commands.points import points as points_cli

    out = _export(ranked, tmp_path)
    rules = json.loads((out / "rules.json").read_text(encoding="utf-8"))
    rules["points"] = [9, 5, 1]
    (out / "rules.json").write_text(json.dumps(rules, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
    done = CliRunner().invoke(points_cli, ["tally", "--ranks", str(out / "ranks.csv"), "--rules",
                                           str(out / "rules.json"), "--out", str(out / "result.csv"), "--detail",
                                           str(out / "detail.csv")], env={"LEITAI_LANG": ""})
    assert done.exit_code == 0, done.output
    _fails(out, 5, "rules.json")


def test_the_public_lookup_finds_a_ranking(ranked, client, panel):
    l1 = panel.judges["L1"]
    first, last = RankSheetRevision.objects.filter(sheet__judge=l1).order_by("version")
    page = client.get(f"/arena/{ranked.pk}/receipt/", {"code": show_receipt(last.receipt)}).content.decode()
    assert "已计入" in page and l1.anon_code in page and last.secret in page and "排序测评" in page
    assert 'id="receipt-ranks"' in page and "第 1 名" in page and "sheets.csv" in page
    page = client.get("/arena/receipt/", {"code": first.receipt.lower()}).content.decode()
    assert "此版本已被第 2 版取代" in page and first.secret not in page


def test_the_lookup_says_nothing_before_publication(ranking_arena, organizer, contestants, panel, client):  # noqa: F811
    services.set_ranking(ranking_arena, organizer, "open")
    outcome = services.submit_ranking(panel.judges["L1"], _ranks("ABK", contestants), "k")
    page = client.get("/arena/receipt/", {"code": outcome.receipt}).content.decode()
    assert "未找到该回执" in page and panel.judges["L1"].anon_code not in page


def test_an_arena_published_before_ranking_receipts_exports_without_them_and_says_so(ranked, tmp_path):
    from django.db import connection

    with connection.cursor() as cursor:  # as a database upgraded from before ranking receipts has it
        cursor.execute(f"UPDATE {RankSheetRevision._meta.db_table} SET receipt = '', secret = ''")
    out = _export(ranked, tmp_path)
    assert not (out / "CHAIN.jsonl").exists() and not (out / "HEAD").exists() and not (out / "sheets.csv").exists()
    readme = (out / "README.txt").read_text(encoding="utf-8")
    assert "排序回执启用之前发布" in readme and "published before rankings had receipts" in readme
    output = _fails(out, 1, "CHAIN.jsonl")
    assert "before rankings had receipts" in output and "leitai points tally" in output
    # …and its results page shows no chain head (there is no chain in its bundle to check it against).
    from django.test import Client
    from django.urls import reverse

    page = Client().get(reverse("arena:results", args=[ranked.pk])).content.decode()
    assert 'id="chain-head"' in page and "链头" not in page and 'id="receipt-check-link"' in page
