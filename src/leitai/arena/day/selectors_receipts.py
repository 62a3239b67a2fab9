"""Reads of the receipts (回执) on the day: a judge's own receipts (我的回执) and a paper judge's, for printing.
A judge sees only their own; nobody sees a secret before publication."""

from __future__ import annotations

from django.shortcuts import get_object_or_404

from leitai.arena.day.models import RankSheetRevision, ScoreSheetRevision
from leitai.arena.setup.models import Judge
from leitai.core.judging.receipts import show_receipt


def receipts_of(judge) -> list[dict]:
    """Every revision of the judge's sheets and of their ranking (排序测评, contestant None), latest first:
    contestant, version, action, time and receipt, and whether it is the current version (the one that
    counts when the sheet is final)."""
    revisions = (ScoreSheetRevision.objects.filter(sheet__judge=judge).exclude(receipt="")
                 .select_related("sheet__contestant__unit").order_by("-at", "-id"))
    out = [{"contestant": r.sheet.contestant, "version": r.version, "action": r.action, "at": r.at,
            "receipt": show_receipt(r.receipt), "current": r.version == r.sheet.version,
            "pending": r.sheet.status != r.sheet.Status.FINAL, "id": r.pk} for r in revisions]
    rankings = (RankSheetRevision.objects.filter(sheet__judge=judge).exclude(receipt="")
                .select_related("sheet").order_by("-at", "-id"))
    out += [{"contestant": None, "version": r.version, "action": "submit" if r.version == 1 else "change",
             "at": r.at, "receipt": show_receipt(r.receipt), "current": r.version == r.sheet.version,
             "pending": False, "id": r.pk} for r in rankings]
    out.sort(key=lambda r: (r["at"], r["id"]), reverse=True)
    return out


def latest_rank_receipt(sheet) -> str:
    """The receipt of a ranking's current version (ABCD-EFGH-JK), "" for one stored before receipts."""
    code = (RankSheetRevision.objects.filter(sheet=sheet, version=sheet.version).order_by("-id")
            .values_list("receipt", flat=True).first())
    return show_receipt(code) if code else ""


def latest_receipt(sheet) -> str:
    """The receipt of the sheet's current version (ABCD-EFGH-JK), "" for a sheet stored before receipts."""
    code = (ScoreSheetRevision.objects.filter(sheet=sheet, version=sheet.version).order_by("-id")
            .values_list("receipt", flat=True).first())
    return show_receipt(code) if code else ""


def paper_judge(arena, judge_id: int) -> Judge:
    """A paper judge of the arena (404 for another arena's judge or a phone judge)."""
    return get_object_or_404(Judge.objects.select_related("group"), pk=judge_id, arena=arena, paper=True)


__all__ = ["latest_rank_receipt", "latest_receipt", "paper_judge", "receipts_of"]
