"""Every .xlsx Leitai writes is saved here, so no cell of it can attack its reader (CSV/formula injection).

openpyxl turns any text that begins with `=` into a live formula, and Excel reads `+`, `-` and `@` as the
start of one when the cell is edited. `save` walks every cell before writing: a text that a spreadsheet would
take for a formula (`leitai.core.io.cells.formula_like`: `=`, `+`, `-`, `@`, tab, carriage return) is stored
as a plain text cell with Excel's quote-prefix flag (what Excel itself does when one types `'=…`): it shows
as typed, stays text when edited, and reads back unchanged on import. Numbers (int, float, dates) that
the exports write themselves are left as they are. The CSV files use the same test (`core.io.cells.csv_text`).
"""

from __future__ import annotations

import io

from leitai.core.io.cells import formula_like


def neutralise(book) -> None:
    """Make every text cell of an openpyxl workbook inert (in place)."""
    for ws in book.worksheets:
        for row in ws.iter_rows():
            for cell in row:
                value = cell.value
                if not isinstance(value, str):
                    continue
                if cell.data_type != "s" or formula_like(value):
                    # openpyxl made "=…" a formula ("f") and "#N/A" an error ("e"): both are text here.
                    cell.data_type = "s"
                    cell.quotePrefix = True


def save(book) -> bytes:
    """The workbook's bytes, every text cell made inert first."""
    neutralise(book)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()
