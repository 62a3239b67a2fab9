"""转入督办 (organizers): the arena's shortcomings and pledges previewed as rows — responsible unit,
deadline, measures editable, rows untickable — then written all or nothing (transfer.services)."""

from __future__ import annotations

import datetime as dt

from django.contrib import messages
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _

from leitai.accounts.permissions import organizer_required
from leitai.core.errors import LeitaiError
from leitai.core.io.tabular import clean_name
from leitai.indicators.services import ensure_period
from leitai.lang import page_lang as lang

from ..base import selectors as base_selectors
from ..projects import selectors as project_selectors
from . import selectors, services
from .selectors import ITEM


def _edits(post, rows, lookup: dict[str, str]) -> tuple[dict, dict[str, tuple[str, str]]]:
    """The organizer's choices per row from the form, and the rows whose inputs cannot be read."""
    units = base_selectors.units_by_code()
    edits, bad = {}, {}
    for r in rows:
        if r.done:
            continue
        e = {"include": post.get(f"inc-{r.key}") == "on"}
        # a field the form did not send keeps the previewed value; one sent empty is cleared
        if f"unit-{r.key}" in post:
            raw_unit = post[f"unit-{r.key}"].strip()
            code = lookup.get(clean_name(raw_unit)) if raw_unit else None
            if raw_unit and code is None:
                bad[r.key] = (f"找不到单位“{raw_unit}”", f"No unit '{raw_unit}'")
            e["unit"] = units.get(code) if code else None
        if r.kind == ITEM and f"deadline-{r.key}" in post:
            raw_date = post[f"deadline-{r.key}"].strip()
            try:
                e["deadline"] = dt.date.fromisoformat(raw_date) if raw_date else None
            except ValueError:
                bad[r.key] = (f"整改期限“{raw_date}”不是日期（如 2025-03-31）", f"The deadline '{raw_date}' is not a date (e.g. 2025-03-31)")
        if r.kind == ITEM and f"measures-{r.key}" in post:
            e["measures"] = post[f"measures-{r.key}"].splitlines()
        if r.kind != ITEM:
            e.update(_pledge_edits(post, r.key, bad))
        edits[r.key] = e
    return edits, bad


def _period(raw: str, key: str, what: tuple[str, str], bad: dict):
    """A period typed on the page (2025-01, 2025Q2, 2025年3月…), or None (and the row marked bad)."""
    if not raw:
        return None
    try:
        return ensure_period(raw)
    except LeitaiError:
        bad[key] = (f"{what[0]}“{raw}”不是期间（如 2025-01 或 2025Q2）", f"{what[1]} '{raw}' is not a period (e.g. 2025-01 or 2025Q2)")
        return None


def _pledge_edits(post, key: str, bad: dict) -> dict:
    e = {}
    if f"pdeadline-{key}" in post:
        e["deadline"] = _period(post[f"pdeadline-{key}"].strip(), key, ("兑现期限", "The deadline"), bad)
    if post.get(f"repeat-{key}") == "on":
        e["repeat"] = "monthly"
        e["repeat_start"] = _period(post.get(f"start-{key}", "").strip(), key, ("首个核验月", "The first month"), bad)
    batch = post.get(f"batch-{key}", "").strip()
    if batch:
        e["project_batch"], e["project_stage"] = batch, post.get(f"stage-{key}", "started")
    return e


@organizer_required
def transfer(request, pk: int):
    arena = selectors.arena_or_404(pk)
    rows = selectors.transfer_preview(arena)
    errors: dict[str, str] = {}
    if request.method == "POST" and selectors.can_transfer(arena):
        edits, bad = _edits(request.POST, rows, base_selectors.unit_lookup())
        if not bad:
            try:
                items, pledges = services.transfer(arena, request.user, edits)
            except services.TransferError as e:
                bad = e.rows
            except LeitaiError as e:
                messages.error(request, e.message(lang()))
                return redirect(request.path)
            else:
                messages.success(request, _("已转入督办：整改事项 %(items)d 条，承诺 %(pledges)d 条。")
                                 % {"items": len(items), "pledges": len(pledges)})
                return redirect(reverse("tracking:transfer", args=[arena.pk]))
        errors = {k: (en if lang().startswith("en") else zh) for k, (zh, en) in bad.items()}
        # show what the organizer typed, not the defaults
        for r in rows:
            if r.key in edits:
                r.include = edits[r.key]["include"]
                r.typed_unit = request.POST.get(f"unit-{r.key}", "")
                r.typed_deadline = request.POST.get(f"deadline-{r.key}", "")
                r.measures = [m for m in edits[r.key].get("measures", r.measures) if m.strip()]
        messages.error(request, _("有 %(n)d 行无法转入，均未写入，请修改标出的行。") % {"n": len(errors)})
    for r in rows:
        r.error = errors.get(r.key, "")
        r.measures_text = "\n".join(r.measures)
        if not hasattr(r, "include"):
            r.include = True
    pending = [r for r in rows if not r.done]
    return render(request, "tracking/transfer.html", {
        "arena": arena, "rows": rows, "pending": pending, "can": selectors.can_transfer(arena),
        "units": base_selectors.active_units(),
        "batches": project_selectors.batches(),
    })
