"""Receipts and the hash chain through the product: each stored revision gets its receipt, the chain records
every sheet and step in the same transaction, the export carries both, and `leitai arena verify` passes on
the export and fails at the right place on every kind of tampering."""

from __future__ import annotations

import hashlib
import json

import pytest
from click.testing import CliRunner

from leitai.arena import services
from leitai.arena.base import chain
from leitai.arena.models import ArenaChainEntry, ArenaEvent, ScoreSheetRevision
from leitai.cli import main
from leitai.core.errors import LeitaiError
from leitai.core.judging.receipts import GENESIS, chain_entry, chain_hash, receipt, show_receipt
from tests.arena.results.test_export_roundtrip import MARKS, MIXED_825, day  # noqa: F401 (the fixture)

pytestmark = pytest.mark.django_db


def _chain_intact(arena) -> list[ArenaChainEntry]:
    prev, rows = GENESIS, list(ArenaChainEntry.objects.filter(arena=arena).order_by("seq"))
    for n, e in enumerate(rows, 1):
        assert e.seq == n and e.prev_hash == prev and chain_hash(prev, e.data) == e.hash
        prev = e.hash
    return rows


def test_every_revision_gets_its_own_receipt_and_a_retry_returns_the_same(arena, contestants, panel, organizer,
                                                                           sheet, stage_to):
    a = stage_to(contestants["A"], "scoring_open", organizer)
    first = services.submit_sheet(panel["L1"], a, sheet(7), "k1")
    again = services.submit_sheet(panel["L1"], a, sheet(7), "k1")
    changed = services.submit_sheet(panel["L1"], a, sheet(8), "k2")
    assert again.duplicate and again.receipt == first.receipt
    assert changed.version == 2 and changed.receipt != first.receipt
    revs = list(ScoreSheetRevision.objects.filter(sheet=first.sheet).order_by("version"))
    assert [r.receipt for r in revs] == [first.receipt, changed.receipt]
    for r in revs:
        assert len(r.secret) == 32
        assert r.receipt == receipt(arena.pk, panel["L1"].anon_code, "A", r.scores, r.version, r.secret)
    entries = [json.loads(e.data) for e in _chain_intact(arena) if e.kind == "sheet"]
    assert [(e["payload"]["version"], e["payload"]["receipt"], e["payload"]["action"]) for e in entries] == [
        (1, first.receipt, "submit"), (2, changed.receipt, "change")]
    # The chain carries neither the secret nor the scores.
    assert all(r.secret not in e.data for e in ArenaChainEntry.objects.all() for r in revs)


def test_the_api_answers_the_receipt(arena, contestants, panel, organizer, sheet, stage_to, client):
    a = stage_to(contestants["A"], "scoring_open", organizer)
    response = client.post(f"/api/v1/arena/judge/{panel.tokens['L1']}/sheets", json.dumps({"contestant": a.pk,
                           "scores": sheet(8), "client_key": "api-1"}), content_type="application/json")
    assert response.status_code == 200, response.content
    code = ScoreSheetRevision.objects.get(client_key="api-1").receipt
    assert response.json()["receipt"] == show_receipt(code)


def test_paper_sheets_get_receipts_on_entry_and_confirmation(arena, contestants, panel, paper_judge, organizer,
                                                             staff2, sheet, stage_to):
    a = stage_to(contestants["A"], "scoring_open", organizer)
    entered = services.enter_paper_sheet(organizer, paper_judge, a, sheet(8))
    services.confirm_paper_sheet(staff2, entered)
    revs = list(ScoreSheetRevision.objects.filter(sheet=entered).order_by("version"))
    assert [r.action for r in revs] == ["enter", "confirm"]
    assert len({r.receipt for r in revs}) == 2 and all(r.receipt for r in revs)
    kinds = [e.kind for e in _chain_intact(arena)]
    assert kinds[-4:] == ["sheet", "paper_entered", "sheet", "paper_confirmed"]


def test_a_refused_step_leaves_no_chain_entry(arena, contestants, panel, organizer, sheet, stage_to):
    a = stage_to(contestants["A"], "scoring_open", organizer)
    before = ArenaChainEntry.objects.filter(arena=arena).count()
    with pytest.raises(LeitaiError):
        services.submit_sheet(panel["L1"], a, {"quality": "x"}, "bad")
    with pytest.raises(LeitaiError):
        services.advance(a, "revealed", organizer)  # scoring still open: refused
    assert ArenaChainEntry.objects.filter(arena=arena).count() == before


def test_the_chain_and_the_step_are_one_transaction(arena, contestants, panel, organizer, sheet, stage_to,
                                                    monkeypatch):
    """A failing chain append takes the sheet and the event with it, and a failing step takes its entry."""
    a = stage_to(contestants["A"], "scoring_open", organizer)
    sheets_before, events_before = ScoreSheetRevision.objects.count(), ArenaEvent.objects.count()
    entries_before = ArenaChainEntry.objects.count()

    def broken(*args, **kwargs):
        raise RuntimeError("disk full")

    monkeypatch.setattr(chain, "append", broken)
    with pytest.raises(RuntimeError):
        services.submit_sheet(panel["L1"], a, sheet(8), "k-broken")
    with pytest.raises(RuntimeError):
        services.advance(a, "scoring_closed", organizer)
    monkeypatch.undo()
    assert ScoreSheetRevision.objects.count() == sheets_before
    assert ArenaEvent.objects.count() == events_before
    assert ArenaChainEntry.objects.count() == entries_before
    from leitai.arena.models import Contestant

    assert Contestant.objects.get(pk=a.pk).stage == "scoring_open"
    # And the other way round: the event is written, then the step fails: neither stays.
    from django.db import transaction

    with pytest.raises(RuntimeError), transaction.atomic():
        services.advance(a, "scoring_closed", organizer)
        raise RuntimeError("after the step")
    assert ArenaChainEntry.objects.count() == entries_before and ArenaEvent.objects.count() == events_before


def test_the_head_is_one_index_probe(arena, contestants, panel, organizer, stage_to, django_assert_max_num_queries):
    stage_to(contestants["A"], "scoring_open", organizer)
    with django_assert_max_num_queries(1):
        seq, head = chain.head(arena.pk)
    assert seq == ArenaChainEntry.objects.filter(arena=arena).count() and head != GENESIS


def _export(day, tmp_path):  # noqa: F811
    out = tmp_path / "bundle"
    done = CliRunner().invoke(main, ["arena", "export", str(day.pk), "--out", str(out)])
    assert done.exit_code == 0, done.output
    return out


def _verify(out, *extra):
    return CliRunner().invoke(main, ["arena", "verify", str(out), "--lang", "en", *extra])


def test_verify_passes_on_the_export(day, tmp_path):  # noqa: F811
    out = _export(day, tmp_path)
    done = _verify(out)
    assert done.exit_code == 0, done.output
    head = (out / "HEAD").read_text().strip()
    assert "all 5 checks passed" in done.output and head in done.output
    assert _verify(out, "--head", f"{head[:4]}-{head[4:8]}-{head[8:12]}").exit_code == 0
    wrong = _verify(out, "--head", "0000-0000-0000")
    assert wrong.exit_code == 2 and "check 2 failed: HEAD" in wrong.output
    # The publication entry names the published files by their SHA-256.
    published = [json.loads(line) for line in (out / "CHAIN.jsonl").read_text().splitlines()
                 if json.loads(line)["kind"] == "published"]
    assert published[0]["payload"]["result_sha256"] == hashlib.sha256((out / "result.csv").read_bytes()).hexdigest()
    # Every counted sheet is listed with its receipt; the chain head is the results page's.
    lines = (out / "sheets.csv").read_text().splitlines()
    assert lines[0] == "judge,group,contestant,version,receipt,secret" and len(lines) == 1 + 9 + 9 + 9
    assert chain.head(day.pk)[1] == head


def _lines(path):
    return path.read_text(encoding="utf-8").split("\n")


def _write(path, lines):
    path.write_text("\n".join(lines), encoding="utf-8")


def _fails(out, step: int, file: str, line: int | None = None):
    done = _verify(out)
    assert done.exit_code == 2, done.output
    where = f"check {step} failed: {file}" + (f", line {line}:" if line else "")
    assert where in done.output, done.output
    return done.output


def test_a_changed_score_fails_its_receipt(day, tmp_path):  # noqa: F811
    out = _export(day, tmp_path)
    scores = _lines(out / "scores.csv")
    judge, _group, contestant, _c, value = scores[1].split(",")
    scores[1] = scores[1][: -len(value)] + ("9.5" if value != "9.5" else "9.0")
    _write(out / "scores.csv", scores)
    receipts = _lines(out / "sheets.csv")
    line = next(n for n, row in enumerate(receipts, 1) if row.startswith(f"{judge},") and f",{contestant}," in row)
    _fails(out, 3, "sheets.csv", line)


def test_a_wrong_receipt_fails_on_its_line(day, tmp_path):  # noqa: F811
    out = _export(day, tmp_path)
    rows = _lines(out / "sheets.csv")
    fields = rows[5].split(",")
    fields[4] = "0000000000" if fields[4] != "0000000000" else "1111111111"
    rows[5] = ",".join(fields)
    _write(out / "sheets.csv", rows)
    _fails(out, 3, "sheets.csv", 6)


def test_a_removed_sheet_fails(day, tmp_path):  # noqa: F811
    """Removed from scores.csv only: its receipt has no sheet (3); from both files: the chain still has it (4)."""
    out = _export(day, tmp_path)
    rows = _lines(out / "sheets.csv")
    judge, _g, contestant = rows[3].split(",")[:3]
    scores = [s for s in _lines(out / "scores.csv") if not s.startswith(f"{judge},") or f",{contestant}," not in s]
    _write(out / "scores.csv", scores)
    _fails(out, 3, "sheets.csv", 4)
    _write(out / "sheets.csv", rows[:3] + rows[4:])
    output = _fails(out, 4, "CHAIN.jsonl")
    assert f"judge {judge}'s sheet for {contestant}" in output and "removed" in output


def test_an_added_sheet_fails(day, tmp_path):  # noqa: F811
    """Added to scores.csv only: no receipt (3); with a receipt forged for it: not in the chain (4)."""
    out = _export(day, tmp_path)
    scores = _lines(out / "scores.csv")
    extra = [f"J999,public,A,{c},10.0" for c in ("quality", "position", "innovation", "project", "environment",
                                                   "responsibility")]
    _write(out / "scores.csv", scores[:-1] + extra + [""])
    _fails(out, 3, "scores.csv", len(scores))
    secret = "ab" * 16
    code = receipt(day.pk, "J999", "A", dict.fromkeys(("quality", "position", "innovation", "project", "environment",
                                                       "responsibility"), 10.0), 1, secret)
    rows = _lines(out / "sheets.csv")
    _write(out / "sheets.csv", rows[:-1] + [f"J999,public,A,1,{code},{secret}", ""])
    _fails(out, 4, "sheets.csv", len(rows))


def test_reordered_or_edited_chain_entries_fail_on_their_line(day, tmp_path):  # noqa: F811
    out = _export(day, tmp_path)
    original = _lines(out / "CHAIN.jsonl")
    swapped = list(original)
    swapped[4], swapped[5] = swapped[5], swapped[4]
    _write(out / "CHAIN.jsonl", swapped)
    assert "seq should be 5" in _fails(out, 1, "CHAIN.jsonl", 5)
    edited = list(original)
    entry = json.loads(edited[6])
    entry["at"] = "2020-01-01T00:00:00+00:00"
    edited[6] = json.dumps(entry, ensure_ascii=False)
    _write(out / "CHAIN.jsonl", edited)
    assert "content does not match its hash" in _fails(out, 1, "CHAIN.jsonl", 7)
    # Rehashing the edited entry breaks the link to the next one.
    entry["hash"] = chain_hash(entry["prev"], chain_entry(entry["arena"], entry["seq"], entry["kind"], entry["at"],
                                                          entry["payload"]))
    edited[6] = json.dumps(entry, ensure_ascii=False)
    _write(out / "CHAIN.jsonl", edited)
    assert "previous hash" in _fails(out, 1, "CHAIN.jsonl", 8)
    # Removing the last entry: the chain is intact but HEAD no longer matches it.
    _write(out / "CHAIN.jsonl", original[:-2] + [""])
    _fails(out, 2, "HEAD", 1)


def test_a_changed_published_result_fails(day, tmp_path):  # noqa: F811
    out = _export(day, tmp_path)
    result = _lines(out / "result.csv")
    result[1], result[2] = result[2].replace(",2,", ",1,"), result[1].replace(",1,", ",2,")
    _write(out / "result.csv", result)
    _fails(out, 5, "result.csv", 2)


def test_a_changed_rubric_with_a_matching_result_fails_on_the_publication_digest(day, tmp_path):  # noqa: F811
    out = _export(day, tmp_path)
    rubric = json.loads((out / "rubric.json").read_text(encoding="utf-8"))
    rubric["groups"][0]["weight"] = 0.9
    (out / "rubric.json").write_text(json.dumps(rubric, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
    tallied = CliRunner().invoke(main, ["arena", "tally", "--scores", str(out / "scores.csv"), "--rubric",
                                        str(out / "rubric.json"), "--out", str(out / "result.csv")])
    assert tallied.exit_code == 0
    _fails(out, 5, "rubric.json")


def test_a_bundle_without_the_chain_names_the_missing_file(day, tmp_path):  # noqa: F811
    out = _export(day, tmp_path)
    (out / "CHAIN.jsonl").unlink()
    _fails(out, 1, "CHAIN.jsonl")


def test_chinese_messages_by_default(day, tmp_path):  # noqa: F811
    out = _export(day, tmp_path)
    (out / "HEAD").write_text("f" * 64 + "\n")
    done = CliRunner().invoke(main, ["arena", "verify", str(out)], env={"LEITAI_LANG": "zh"})
    assert done.exit_code == 2 and "第 2 项检查未通过：HEAD 第 1 行" in done.output


def test_the_marks_fixture_is_what_the_roundtrip_publishes(day):  # noqa: F811
    assert MARKS["K"]["P3"] is MIXED_825 and day.status == "published"


def test_a_batch_adds_one_chain_read_and_one_insert_whatever_its_size(arena, contestants, organizer, sheet,
                                                                      stage_to):
    """The phones' hot path: the chain costs a fixed number of queries per batch (the head, by its index, and
    one bulk insert), not one per sheet."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from leitai.arena.day.sheets import SheetRequest, submit_batch

    judges = [services.add_judge(arena, organizer, group="public", name=f"T{n}") for n in range(10)]
    for j in judges:
        services.issue_token(j, organizer)
    a = stage_to(contestants["A"], "scoring_open", organizer)
    counts = []
    # New sheets, two then eight; then changes of existing sheets, two then eight.
    for prefix, chunk in (("k", judges[:2]), ("k", judges[2:10]), ("c", judges[:2]), ("c", judges[2:10])):
        with CaptureQueriesContext(connection) as seen:
            outcomes = submit_batch([SheetRequest(a.pk, sheet(8), f"{prefix}{j.pk}", judge_id=j.pk) for j in chunk])
        assert all(o.receipt for o in outcomes)
        chain_sql = [q["sql"] for q in seen.captured_queries if "arenachainentry" in q["sql"]]
        assert len(chain_sql) == 2 and chain_sql[1].startswith("INSERT")
        counts.append(len(seen.captured_queries))
    assert counts[0] == counts[1] and counts[2] == counts[3]
    if connection.vendor == "sqlite":
        head_sql = [q["sql"] for q in seen.captured_queries if "arenachainentry" in q["sql"]][0]
        with connection.cursor() as cur:
            plan = " ".join(str(row[-1]) for row in cur.execute("EXPLAIN QUERY PLAN " + head_sql).fetchall())
        # A search through the (arena, seq) index, no scan of the table and no sort.
        assert "SEARCH" in plan and "INDEX" in plan and "TEMP B-TREE" not in plan, plan


@pytest.mark.django_db(transaction=True)
def test_concurrent_submissions_and_steps_keep_one_unbroken_chain(arena, contestants, panel, organizer, sheet,
                                                                  stage_to):
    """Judges submitting while the organizer logs steps: every sheet has its chain entry, seq has no gap or repeat
    and every hash links. PostgreSQL: real threads racing (the arena lock serialises the appends); SQLite (writers
    serialised by IMMEDIATE transactions): the same calls interleaved, one after another."""
    import threading

    from django.db import connection, connections

    a = stage_to(contestants["A"], "scoring_open", organizer)
    names = ["L1", "L2", "P1", "P2", "P3", "P4", "P5"]
    calls = [(services.submit_sheet, (panel[name], a, sheet(5 + n), f"{name}-{n}")) for n in range(3) for name in names]
    calls[::7] = [(services.set_quorum, (arena, organizer, 3 + n % 2)) for n in range(len(calls[::7]))]
    errors: list[BaseException] = []

    def run(fn, args):
        try:
            fn(*args)
        except BaseException as e:  # noqa: BLE001 - reported below
            errors.append(e)
        finally:
            connections.close_all()

    if connection.vendor == "postgresql":
        threads = [threading.Thread(target=run, args=call) for call in calls]
        for t in threads:
            t.start()
        for t in threads:
            t.join(60)
    else:
        for fn, args in calls:
            fn(*args)
    assert errors == []
    rows = _chain_intact(arena)
    sheets = [json.loads(e.data)["payload"] for e in rows if e.kind == "sheet"]
    revisions = ScoreSheetRevision.objects.filter(sheet__arena=arena)
    assert len(sheets) == revisions.count() == len(calls) - len(calls[::7])
    assert {s["receipt"] for s in sheets} == set(revisions.values_list("receipt", flat=True))
    assert sum(1 for e in rows if e.kind == "quorum_set") == len(calls[::7])


def test_a_correction_after_publication_is_chained_and_the_bundle_still_verifies(day, organizer, tmp_path):  # noqa: F811
    from leitai.arena.results.corrections import correct_points

    before = chain.head(day.pk)
    correct_points(day, organizer, "A", -2, "扣分规则理解有误")
    seq, head = chain.head(day.pk)
    last = ArenaChainEntry.objects.get(arena=day, seq=seq)
    assert seq == before[0] + 1 and last.kind == "result_corrected"
    assert json.loads(last.data)["payload"]["unit"] == "A"
    out = _export(day, tmp_path)
    assert (out / "HEAD").read_text().strip() == head
    assert _verify(out, "--head", head[:8]).exit_code == 0


def test_the_bundle_of_the_web_download_verifies_too(day, tmp_path):  # noqa: F811
    """export_arena on the object publish_results returned (its result still in memory, in Python's key order)
    writes the rubric as the database holds it, as the publication's digest does."""
    out = tmp_path / "web"
    out.mkdir()
    for name, data in services.export_arena(day).items():
        (out / name).write_bytes(data)
    assert _verify(out).exit_code == 0


def test_an_arena_published_before_the_chain_exports_without_it_and_says_so(day, tmp_path):  # noqa: F811
    from django.db import connection

    from leitai.arena.base.models import ArenaChainEntry

    with connection.cursor() as cursor:  # as a database upgraded from before the chain has it
        cursor.execute(f"DELETE FROM {ArenaChainEntry._meta.db_table} WHERE arena_id = %s", [day.pk])
    out = _export(day, tmp_path)
    assert not (out / "CHAIN.jsonl").exists() and not (out / "HEAD").exists() and not (out / "sheets.csv").exists()
    readme = (out / "README.txt").read_text(encoding="utf-8")
    assert "哈希链与回执启用之前发布" in readme and "published before receipts and the hash chain existed" in readme
    output = _fails(out, 1, "CHAIN.jsonl")
    assert "published before the hash chain existed" in output and "leitai arena tally" in output
    tallied = CliRunner().invoke(main, ["arena", "tally", "--scores", str(out / "scores.csv"), "--rubric",
                                        str(out / "rubric.json"), "--out", str(tmp_path / "again.csv")])
    assert tallied.exit_code == 0 and (tmp_path / "again.csv").read_bytes() == (out / "result.csv").read_bytes()
