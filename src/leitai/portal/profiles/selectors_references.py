"""A unit's page, 对标 with the outside world: its value beside the province's average and the outside
peers' figures it holds itself against, with the gaps in words, and its place in the province."""

from __future__ import annotations

from leitai.core.ranking import references as refs
from leitai.indicators.selectors import unit_references
from leitai.lang import page_lang


def _against(mine, ref, ind) -> dict | None:
    if ref is None:
        return None
    out = {"value": ref.value, "gap": None, "better": None}
    if mine is not None and ref.value is not None:
        zh, en = refs.gap_words(mine, ref.value, ind.measure)
        out["gap"] = en if page_lang().startswith("en") else zh
        ahead = refs.ahead(mine, ref.value, ind.direction)
        out["better"] = "mine" if ahead > 0 else ("theirs" if ahead < 0 else "tie")
    return out


def outside_benchmark(unit) -> dict:
    """{"period", "peers", "rows": [{"indicator", "mine", "average": {value, gap, better}|None,
    "rank": Reference|None, "peers": [{value, gap, better}|None per peer], "peer_pairs": [(peer, that)]}]} — empty rows when nothing concerns
    the unit."""
    found = unit_references(unit)
    rows = []
    for r in found["rows"]:
        ind, mine = r["indicator"], r["value"]
        peers = [_against(mine, r["peers"].get(p.pk), ind) for p in found["peers"]]
        rows.append({"indicator": ind, "mine": mine, "average": _against(mine, r["average"], ind), "rank": r["rank"],
                     "peers": peers, "peer_pairs": list(zip(found["peers"], peers, strict=True))})
    return {"period": found["period"], "peers": found["peers"], "rows": rows}
