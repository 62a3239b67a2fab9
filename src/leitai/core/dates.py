"""Dates as offices write them in spreadsheets: real date cells, 2024-05-31, 2024/5/31, 2024.5.31, 2024年5月31日."""

from __future__ import annotations

import datetime as dt
import re
import unicodedata

_DATE = re.compile(r"^(\d{4})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})\s*日?$")


def parse_day(raw) -> dt.date | None:
    """The date in a cell; None for an empty cell; ValueError for text that is not a date."""
    if raw is None or (isinstance(raw, str) and not raw.strip()):
        return None
    if isinstance(raw, dt.datetime):
        return raw.date()
    if isinstance(raw, dt.date):
        return raw
    # NFKC turns full-width digits and spaces (１２, 　) into plain ones.
    match = _DATE.match(unicodedata.normalize("NFKC", str(raw)).strip())
    if not match:
        raise ValueError(f"not a date: {raw!r}")
    return dt.date(*(int(g) for g in match.groups()))  # an impossible day (2024-02-30) raises ValueError too
