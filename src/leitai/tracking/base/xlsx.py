"""Workbooks written by the tracking exports: a bold header row, frozen below it."""

from __future__ import annotations

from leitai import exports


def workbook(sheets) -> bytes:
    """A workbook of (title, header, rows) sheets: bold header row, frozen below it."""
    import openpyxl
    from openpyxl.styles import Font

    book = openpyxl.Workbook()
    book.remove(book.active)
    for title, header, rows in sheets:
        ws = book.create_sheet(title)
        ws.append(header)
        for c in ws[1]:
            c.font = Font(bold=True)
        for row in rows:
            ws.append(row)
        ws.freeze_panes = "A2"
    return exports.save(book)


def one_sheet(title: str, header: list[str], rows) -> bytes:
    return workbook([(title, header, rows)])
