"""Uploaded files (close-out evidence and photos, review photos, pledge evidence, slides): the one place that
decides what may be stored and how a stored file goes back out.

- Only JPEG, PNG, WebP, PDF, DOCX and XLSX are accepted, recognised by their content, never by their
  name: images must open in Pillow, a PDF must start with `%PDF-`, open in PDFium and carry no HTML or
  JavaScript, a DOCX/XLSX must be an Office Open XML package without macros. HTML, SVG and anything else
  are refused with a message naming the file.
- Every upload has a size limit, checked before anything is written to the media folder; and no request
  is read past LEITAI_UPLOAD_MAX_MB (a request carrying files) or DATA_UPLOAD_MAX_MEMORY_SIZE (any other
  body) while it comes in: `BodyLimit` in front of the ASGI application refuses a larger Content-Length at
  once and stops reading a body that grows past the limit (413; config/server.py, from the limits here);
  `LimitedUploadHandler` stops Django's upload handling at the same limit under any server.
- Nothing under the media folder is served directly: each area's view checks that the user may see the
  object the file belongs to, then calls `file_response` — images inline, everything else as an attachment,
  always with `X-Content-Type-Options: nosniff` and the type found by content.
"""

from __future__ import annotations

import hashlib
import io
import re
import zipfile
import zlib
from dataclasses import dataclass

from django.conf import settings
from django.core.files.uploadhandler import FileUploadHandler, StopUpload
from django.http import FileResponse, Http404, HttpResponse
from django.utils.translation import gettext

from leitai.core.errors import LeitaiError


@dataclass(frozen=True)
class Kind:
    code: str
    content_type: str
    extension: str
    label: str


KINDS = {k.code: k for k in (
    Kind("jpeg", "image/jpeg", ".jpg", "JPEG"), Kind("png", "image/png", ".png", "PNG"),
    Kind("webp", "image/webp", ".webp", "WebP"), Kind("pdf", "application/pdf", ".pdf", "PDF"),
    Kind("docx", "application/vnd.openxmlformats-officedocument.wordprocessingml.document", ".docx", "Word (.docx)"),
    Kind("xlsx", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", ".xlsx", "Excel (.xlsx)"),
)}
IMAGES = frozenset({"jpeg", "png", "webp"})
DOCUMENTS = frozenset(KINDS)
PDF_ONLY = frozenset({"pdf"})
MB = 1024 * 1024
# Images and rendered pages larger than this many pixels are not decoded (a small file can declare a huge one).
MAX_PIXELS = 40_000_000
# Markers of a file that is also something a browser would run (a polyglot).
_ACTIVE = (b"<html", b"<script", b"<svg", b"<!doctype", b"<body", b"<iframe")


class UploadRefused(LeitaiError):
    """An upload that is not stored: wrong type, too big, or damaged."""


def _read_all(f) -> bytes:
    if hasattr(f, "seek"):
        f.seek(0)
    data = f.read()
    if hasattr(f, "seek"):
        f.seek(0)
    return data


def _image_kind(data: bytes) -> str | None:
    if data.startswith(b"\xff\xd8\xff"):
        kind = "jpeg"
    elif data.startswith(b"\x89PNG\r\n\x1a\n"):
        kind = "png"
    elif data[:4] == b"RIFF" and data[8:12] == b"WEBP":
        kind = "webp"
    else:
        return None
    from PIL import Image

    try:
        with Image.open(io.BytesIO(data)) as im:
            if (im.format or "").lower() not in (kind, "mpo" if kind == "jpeg" else kind):
                return None
            im.verify()
    except Exception:
        return None
    return kind


_NAME_ESCAPE = re.compile(rb"#([0-9a-fA-F]{2})")
_STREAM = re.compile(rb"stream\r?\n(.*?)endstream", re.S)
# Keys that make a PDF act (run a script, launch a program, carry other files or a form engine).
_PDF_ACTIVE = (b"/javascript", b"/js", b"/launch", b"/embeddedfile", b"/richmedia", b"/xfa", b"/submitform")
MAX_INFLATED = 64 * MB


def _inflated(data: bytes) -> list[bytes]:
    """The decompressed content of the PDF's Flate streams (object streams can hide keys), bounded."""
    out, budget = [], MAX_INFLATED
    for m in _STREAM.finditer(data):
        if budget <= 0:
            break
        d = zlib.decompressobj()
        try:
            chunk = d.decompress(m.group(1), budget)
        except zlib.error:
            continue
        budget -= len(chunk)
        out.append(chunk)
    return out


def _pdf_ok(data: bytes) -> bool:
    if not data.startswith(b"%PDF-") or b"%%EOF" not in data[-2048:]:
        return False
    lowered = data.lower()
    if any(marker in lowered for marker in _ACTIVE):
        return False
    for part in (data, *_inflated(data)):
        # names may be written with #xx escapes (/J#61vaScript is /JavaScript)
        text = _NAME_ESCAPE.sub(lambda m: bytes([int(m.group(1), 16)]), part).lower()
        if any(re.search(re.escape(key) + rb"(?![a-z0-9])", text) for key in _PDF_ACTIVE):
            return False
    import pypdfium2 as pdfium
    import pypdfium2.raw as pdfium_c

    try:
        doc = pdfium.PdfDocument(data)
        ok = len(doc) > 0 and pdfium_c.FPDFDoc_GetJavaScriptActionCount(doc.raw) == 0
        doc.close()
        return ok
    except Exception:
        return False


def _office_kind(data: bytes) -> str | None:
    if not data.startswith(b"PK\x03\x04"):
        return None
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as z:
            names = set(z.namelist())
            if "[Content_Types].xml" not in names or any(n.lower().endswith("vbaproject.bin") for n in names):
                return None
            types = z.read("[Content_Types].xml").lower()
    except (zipfile.BadZipFile, KeyError, OSError, ValueError):
        return None
    if "word/document.xml" in names and b"macroenabled" not in types:
        return "docx"
    if "xl/workbook.xml" in names and b"macroenabled" not in types:
        return "xlsx"
    return None


def sniff(data: bytes) -> str | None:
    """The kind of a file from its bytes, or None when it is not one Leitai accepts."""
    if data.startswith(b"%PDF-"):
        return "pdf" if _pdf_ok(data) else None
    if data.startswith(b"PK\x03\x04"):
        return _office_kind(data)
    return _image_kind(data)


def _names(kinds) -> str:
    return "、".join(KINDS[k].label for k in KINDS if k in kinds)


def check_upload(f, allowed=DOCUMENTS, max_mb: float = 20) -> str:
    """The kind of the uploaded file `f`, or UploadRefused naming it: over `max_mb`, empty, or not one of
    `allowed` by content. Called before the file is stored."""
    name = str(getattr(f, "name", "") or "").rsplit("/", 1)[-1] or "文件"
    size = getattr(f, "size", None)
    if size is not None and size > max_mb * MB:
        raise UploadRefused(f"文件“{name}”超过 {max_mb:g} MB，未保存", f"The file '{name}' exceeds {max_mb:g} MB: not stored")
    data = _read_all(f)
    if len(data) > max_mb * MB:
        raise UploadRefused(f"文件“{name}”超过 {max_mb:g} MB，未保存", f"The file '{name}' exceeds {max_mb:g} MB: not stored")
    if not data:
        raise UploadRefused(f"文件“{name}”是空的", f"The file '{name}' is empty")
    kind = sniff(data)
    if kind is None or kind not in allowed:
        labels = "、".join(KINDS[k].label for k in KINDS if k in allowed)
        raise UploadRefused(f"文件“{name}”不是可接受的类型（只接受 {labels}，按文件内容判断，不看扩展名），未保存",
                            f"The file '{name}' is not an accepted type (only {labels.replace('、', ', ')}, "
                            f"judged by its content, not its name): not stored")
    return kind


def check_uploads(files, allowed=DOCUMENTS, max_mb: float = 20) -> list[str]:
    return [check_upload(f, allowed, max_mb) for f in files or ()]


def file_kind(field) -> Kind | None:
    """The kind of a stored file, by its content (None when missing or not acceptable)."""
    try:
        with field.open("rb") as fh:
            data = fh.read()
    except (FileNotFoundError, ValueError, OSError):
        return None
    code = sniff(data)
    return KINDS.get(code) if code else None


def file_response(field, download_name: str = "") -> FileResponse:
    """Serve a stored file after the caller checked the user may see its object: images inline, the rest
    as attachments; the type is the one found by content; never sniffed by the browser. A file stored before
    types were checked (or of another type) still downloads, as application/octet-stream."""
    if not field:
        raise Http404
    try:
        field.open("rb").close()
    except (FileNotFoundError, ValueError, OSError):
        raise Http404
    kind = file_kind(field)
    base = download_name or field.name.rsplit("/", 1)[-1]
    if kind is None:
        response = FileResponse(field.open("rb"), content_type="application/octet-stream", as_attachment=True,
                                filename=base)
    else:
        response = FileResponse(field.open("rb"), content_type=kind.content_type,
                                as_attachment=kind.code not in IMAGES, filename=base.rsplit(".", 1)[0] + kind.extension)
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Security-Policy"] = "default-src 'none'; sandbox"
    response["Cache-Control"] = "private, max-age=3600"
    return response


def thumbnail_response(field, size: int = 320) -> HttpResponse:
    """A JPEG thumbnail (longest side `size`) of a stored image, cached beside the media folder."""
    kind = file_kind(field)
    if kind is None or kind.code not in IMAGES:
        raise Http404
    from PIL import Image

    Image.MAX_IMAGE_PIXELS = MAX_PIXELS
    key = hashlib.sha256(f"{field.name}:{size}".encode()).hexdigest()
    cache = settings.MEDIA_ROOT / "thumbs" / f"{key}.jpg"
    if not cache.exists():
        from PIL import Image, ImageOps

        with field.open("rb") as fh, Image.open(fh) as im:
            if im.width * im.height > MAX_PIXELS:
                raise Http404
            im.draft("RGB", (size * 2, size * 2))  # JPEG: decode at a reduced scale
            im = ImageOps.exif_transpose(im).convert("RGB")
            im.thumbnail((size, size))
            cache.parent.mkdir(parents=True, exist_ok=True)
            tmp = cache.with_suffix(".tmp")
            im.save(tmp, "JPEG", quality=80)
            tmp.replace(cache)
    response = HttpResponse(cache.read_bytes(), content_type="image/jpeg")
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, max-age=86400"
    return response


def pdf_page_count(field) -> int:
    import pypdfium2 as pdfium

    with field.open("rb") as fh:
        doc = pdfium.PdfDocument(fh.read())
    try:
        return len(doc)
    finally:
        doc.close()


def pdf_page_response(field, page: int, width: int = 1600) -> HttpResponse:
    """Page `page` (1-based) of a stored PDF rendered to PNG by PDFium (no outside service), cached."""
    import pypdfium2 as pdfium

    key = hashlib.sha256(f"{field.name}:{page}:{width}".encode()).hexdigest()
    cache = settings.MEDIA_ROOT / "pages" / f"{key}.png"
    if not cache.exists():
        if file_kind(field) is None or file_kind(field).code != "pdf":
            raise Http404
        with field.open("rb") as fh:
            doc = pdfium.PdfDocument(fh.read())
        try:
            if not 1 <= page <= len(doc):
                raise Http404
            pdf_page = doc[page - 1]
            w, h = max(pdf_page.get_width(), 1), max(pdf_page.get_height(), 1)
            # the requested width, but never more than MAX_PIXELS in all (a 1-pt-wide page would explode)
            scale = min(width / w, (MAX_PIXELS / (w * h)) ** 0.5)
            image = pdf_page.render(scale=scale).to_pil()
        finally:
            doc.close()
        cache.parent.mkdir(parents=True, exist_ok=True)
        tmp = cache.with_suffix(".tmp")
        image.save(tmp, "PNG", optimize=True)
        tmp.replace(cache)
    response = HttpResponse(cache.read_bytes(), content_type="image/png")
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, max-age=86400"
    return response


# -- the size of a whole request, while it comes in ------------------------------------------------------------

def upload_limit() -> int:
    """The largest request carrying files, in bytes (LEITAI_UPLOAD_MAX_MB, plus 1 MB for the form's fields)."""
    return int(getattr(settings, "LEITAI_UPLOAD_MAX_MB", 200)) * MB + MB


def body_limit(content_type: str) -> int:
    """The largest body accepted for a request of this content type."""
    if content_type.lower().startswith("multipart/"):
        return upload_limit()
    return int(settings.DATA_UPLOAD_MAX_MEMORY_SIZE or upload_limit())


def too_large_text(limit: int) -> str:
    return gettext("请求内容超过 %(mb)d MB 的上限，未接收") % {"mb": max(1, limit // MB)}


class LimitedUploadHandler(FileUploadHandler):
    """Django upload handler, first in FILE_UPLOAD_HANDLERS: stops reading the request's files once their
    running total passes upload_limit() (under WSGI this is while the body streams in)."""

    def handle_raw_input(self, input_data, META, content_length, boundary, encoding=None):
        self.total = 0
        self.limit = upload_limit()
        if content_length and content_length > self.limit:
            raise StopUpload(connection_reset=True)
        return None

    def receive_data_chunk(self, raw_data, start):
        self.total += len(raw_data)
        if self.total > self.limit:
            raise StopUpload(connection_reset=True)
        return raw_data

    def file_complete(self, file_size):
        return None
