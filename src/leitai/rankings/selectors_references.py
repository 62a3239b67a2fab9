"""The ranking board's reference rows (对标): for each indicator of the board that has reference figures for
the ranking's period — the province's average and how many of the board's units exceed it, the outside
peers' figures, and the board's units' places in the province. Kept apart from the board's own table so the
board can change around it (its template is rankings/_reference.html)."""

from __future__ import annotations

from leitai.core.ranking import references as refs
from leitai.indicators.models import Indicator
from leitai.indicators.selectors import board_references


def reference_rows(table: dict) -> list[dict]:
    """[{name, measure, decimals, average, above, counted, peers: [(name, value)], ranks: [(unit, rank, total)]}]
    for the board's indicators with reference figures in the ranking's period (empty when none)."""
    ranking = table["ranking"]
    columns = table["indicators"]
    ids = dict(Indicator.objects.filter(code__in=[c["code"] for c in columns]).values_list("code", "id"))
    unit_ids = {r["unit"].pk: r["unit"] for r in table["rows"]}
    out = []
    for k, col in enumerate(columns):
        if col["code"] not in ids:
            continue
        found = board_references(ids[col["code"]], ranking.period_id, unit_ids)
        if found["average"] is None and not found["peers"] and not found["ranks"]:
            continue
        average = found["average"].value if found["average"] is not None else None
        values = [r["values"][k]["value"] for r in table["rows"] if r["values"][k]["value"] is not None]
        above = sum(1 for v in values if refs.exceeds(v, average, col["direction"])) if average is not None else None
        ranks = sorted(((unit_ids[uid], ref.rank, ref.total) for uid, ref in found["ranks"].items()),
                       key=lambda x: (x[1], x[0].sort_order))
        out.append({"name": col["name"], "measure": col["measure"], "decimals": col["decimals"], "average": average,
                    "above": above, "counted": len(values), "direction": col["direction"],
                    "peers": [(p.peer.name, p.value) for p in found["peers"]], "ranks": ranks})
    return out
