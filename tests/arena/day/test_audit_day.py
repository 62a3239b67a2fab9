"""The day's writes in the audit log: phones' sheets one entry per batch (the hot path stays a few statements),
paper sheets and the flow entry by entry; a judge's token never appears."""

from __future__ import annotations

import json

import pytest

from leitai.arena import services
from leitai.arena.day.sheets import SheetRequest, submit_batch
from leitai.audit.models import Entry

pytestmark = pytest.mark.django_db


def test_a_batch_of_phone_sheets_is_one_entry_listing_every_sheet(contestants, panel, organizer, sheet, stage_to):
    c = stage_to(contestants["A"], "scoring_open", organizer)
    last = Entry.objects.order_by("-id").values_list("id", flat=True).first()
    outcomes = submit_batch([SheetRequest(c.pk, sheet(8), f"k-{name}", token=panel.tokens[name])
                             for name in ("L1", "L2", "P1", "P2")])
    assert all(not isinstance(o, Exception) for o in outcomes)
    [entry] = Entry.objects.filter(pk__gt=last)  # one entry for the four sheets
    content = entry.content
    assert (content["action"], content["model"], content["note"]) == ("batch", "arena.scoresheet", "judges' phones")
    rows = content["new"]["rows"]
    assert sorted(r["judge"] for r in rows) == sorted(panel[n].pk for n in ("L1", "L2", "P1", "P2"))
    assert all(r["version"] == 1 and r["action"] == "submit" and r["scores"] == sheet(8) for r in rows)
    text = json.dumps([e.data for e in Entry.objects.all()], ensure_ascii=False)
    assert not any(token in text for token in panel.tokens.values())


def test_a_new_token_is_recorded_hidden(panel, organizer):
    judge = panel["P1"]
    services.issue_token(judge, organizer)
    last = Entry.objects.filter(model="arena.judge", object_pk=str(judge.pk)).order_by("-id").first().content
    assert last["new"]["token_hash"] == "<hidden>" and last["old"]["token_hash"] == "<hidden>"
