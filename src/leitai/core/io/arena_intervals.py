"""The text format of `leitai arena uncertainty`'s OUT.csv: `contestant,rank,median_rank,rank_lo,rank_hi`.

Rows in the order of `leitai arena tally`'s OUT.csv (best first, ties in first-appearance order, the unranked
last with every rank field empty); lines end in "\\n", so the same inputs always give the same bytes. The
rule of the intervals: core/intervals.py; the bootstrap: core/judging/bootstrap.py (docs/uncertainty.md).
`leitai points uncertainty` (a ranking arena) writes the same columns in the order of its DETAIL.csv."""

from __future__ import annotations

import csv
import io

from leitai.core.io.cells import csv_text
from leitai.core.judging.bootstrap import Bootstrap
from leitai.core.judging.tally import TallyResult

COLUMNS = ("contestant", "rank", "median_rank", "rank_lo", "rank_hi")


def interval_rows(result: TallyResult, boot: Bootstrap) -> list[tuple[str, int, int, int, int]]:
    """(contestant, rank, median_rank, rank_lo, rank_hi) in the tally's published order; 0 = not ranked."""
    at = {c: i for i, c in enumerate(boot.contestants)}
    out = []
    for row in result.ranked():
        i = at[row.contestant]
        out.append((row.contestant, int(boot.rank[i]), int(boot.median_rank[i]), int(boot.rank_lo[i]),
                    int(boot.rank_hi[i])))
    return out


def format_intervals_csv(result: TallyResult, boot: Bootstrap) -> str:
    buf = io.StringIO()
    w = csv.writer(buf, lineterminator="\n")
    w.writerow(COLUMNS)
    for contestant, *ranks in interval_rows(result, boot):
        w.writerow([csv_text(contestant), *(str(r) if ranks[0] else "" for r in ranks)])
    return buf.getvalue()


def format_points_intervals_csv(boot: Bootstrap) -> str:
    """`leitai points uncertainty`'s OUT.csv: the same columns, rows in the order of DETAIL.csv (the bootstrap
    of core/judging/bootstrap_points.py keeps it: combined rank, then contestant)."""
    buf = io.StringIO()
    w = csv.writer(buf, lineterminator="\n")
    w.writerow(COLUMNS)
    for i, contestant in enumerate(boot.contestants):
        w.writerow([csv_text(contestant), *(str(int(x[i])) for x in (boot.rank, boot.median_rank, boot.rank_lo,
                                                                       boot.rank_hi))])
    return buf.getvalue()
