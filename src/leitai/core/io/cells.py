"""Spreadsheet cells that cannot attack their reader (CSV / formula injection, CWE-1236).

A spreadsheet program treats a cell whose text begins with `=`, `+`, `-` or `@` as a formula (and a tab or a
line break in front of one is skipped), so a pledge text such as `=HYPERLINK("http://…")` or
`=cmd|' /C calc'!A0` would run on the computer of whoever opens the export. The established remedy (OWASP
"CSV Injection", ASVS 1.2.10) is to put a single quote in front of such a cell: spreadsheet programs then
show it as text. Every .xlsx and .csv Leitai writes goes through here:

- `formula_like(text)`: whether a text would be read as a formula;
- `csv_text(value)`: the text of a CSV cell, with the quote in front when needed. Numbers Leitai writes itself
  (scores, points, ranks) never pass through it: a negative score stays `-1.5`;
- `csv_code(text)`: the inverse, for the readers of the offline contract files (`leitai index compute`,
  `arena tally`, `points tally`): a code written as `'=x` reads back as `=x`, so an export recomputes byte
  for byte. To keep that exact, a text that itself begins with a quote gets one more (`'a` → `''a`).

.xlsx files are written by `leitai.exports` with the same test (`formula_like`): there the cell is stored
as text with Excel's own quote-prefix flag, so it shows (and imports back) unchanged.
"""

from __future__ import annotations

TRIGGERS = ("=", "+", "-", "@", "\t", "\r", "\n")
QUOTE = "'"


def formula_like(text: str) -> bool:
    """True when a spreadsheet would read `text` as (the start of) a formula."""
    return bool(text) and text[0] in TRIGGERS


def csv_text(value) -> str:
    """A text cell for a CSV file: `'` in front of one that would be read as a formula (or starts with `'`).

    Line breaks become "\n": the contract files end their lines in "\n", so Python's csv writer quotes a
    field holding one, but would leave a lone carriage return bare and split the row for every reader."""
    text = "" if value is None else str(value)
    if "\r" in text:
        text = text.replace("\r\n", "\n").replace("\r", "\n")
    if formula_like(text) or text.startswith(QUOTE):
        return QUOTE + text
    return text


def csv_code(text: str) -> str:
    """The text `csv_text` wrote: one leading `'` dropped when a trigger character or another `'` follows."""
    if len(text) > 1 and text[0] == QUOTE and (text[1] in TRIGGERS or text[1] == QUOTE):
        return text[1:]
    return text
