"""Real files of every accepted type, made in memory, and hostile ones (leitai.uploads checks content)."""

from __future__ import annotations

import io
import zipfile


def pdf_bytes(pages: int = 1, text: str = "") -> bytes:
    import pypdfium2 as pdfium

    doc = pdfium.PdfDocument.new()
    for _ in range(pages):
        doc.new_page(320, 180)
    buf = io.BytesIO()
    doc.save(buf)
    doc.close()
    return buf.getvalue()


def image_bytes(fmt: str = "PNG", size=(40, 30)) -> bytes:
    from PIL import Image

    buf = io.BytesIO()
    Image.new("RGB", size, (200, 30, 30)).save(buf, fmt)
    return buf.getvalue()


def docx_bytes() -> bytes:
    import docx

    buf = io.BytesIO()
    d = docx.Document()
    d.add_paragraph("整改情况说明")
    d.save(buf)
    return buf.getvalue()


def xlsx_bytes() -> bytes:
    import openpyxl

    buf = io.BytesIO()
    wb = openpyxl.Workbook()
    wb.active["A1"] = "台账"
    wb.save(buf)
    return buf.getvalue()


SVG = b'<?xml version="1.0"?><svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>'
HTML = b"<!doctype html><html><body><script>alert(document.cookie)</script></body></html>"


def pdf_polyglot() -> bytes:
    """A real PDF that is also an HTML page: browsers sniffing it would run the script."""
    return pdf_bytes().replace(b"%PDF-1.7", b"%PDF-1.7\n<html><script>alert(1)</script></html>", 1)


def docm_bytes() -> bytes:
    """A Word package with a macro project inside."""
    buf = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(docx_bytes())) as src, zipfile.ZipFile(buf, "w") as dst:
        for name in src.namelist():
            dst.writestr(name, src.read(name))
        dst.writestr("word/vbaProject.bin", b"\x00macro")
    return buf.getvalue()


def pdf_with_script(kind: str = "escaped") -> bytes:
    """A real PDF carrying JavaScript: with #xx-escaped names, or hidden in a compressed stream."""
    import zlib

    good = pdf_bytes()
    if kind == "escaped":
        extra = b"9 0 obj << /S /J#61vaScript /J#53 (app.alert(1)) >> endobj\n"
    else:
        hidden = zlib.compress(b"<< /S /JavaScript /JS (app.alert(1)) >>")
        extra = b"9 0 obj << /Length %d /Filter /FlateDecode >>\nstream\n" % len(hidden) + hidden + b"\nendstream endobj\n"
    return good.replace(b"%%EOF", extra + b"%%EOF")
