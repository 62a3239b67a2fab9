"""A contestant's slides (汇报材料): read page by page as images rendered on the server by PDFium, or
downloaded as the PDF. Who may open them: the organizers, the contestant unit's reporters, the arena's
judges through their own link, and everyone once the arena is published. Files are never served from the
media folder directly (leitai.uploads)."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import render
from django.views.decorators.http import require_GET

from leitai import uploads
from leitai.arena.base.models import Arena
from leitai.arena.base.policies import may_read_slides, may_watch
from leitai.arena.day import selectors
from leitai.arena.setup import selectors as setup_selectors
from leitai.arena.setup.models import Contestant


def _slides(contestant: Contestant):
    submission = getattr(contestant, "submission", None)
    if submission is None or not submission.slides:
        raise Http404
    return submission


def _by_user(request, contestant_id: int) -> Contestant:
    c = selectors.contestant_in_arena_or_404(contestant_id)
    if may_read_slides(request.user, c):
        return c
    raise PermissionDenied


def _by_judge(token: str, contestant_id: int) -> Contestant:
    judge = setup_selectors.judge_for_token(token)
    if judge is None:
        raise PermissionDenied
    return selectors.contestant_in_arena_or_404(contestant_id, judge.arena_id)


def _viewer(request, c: Contestant):
    submission = _slides(c)
    try:
        pages = uploads.pdf_page_count(submission.slides)
    except Exception:
        raise Http404
    return render(request, "arena/slides.html", {"contestant": c, "arena": c.arena, "pages": range(1, pages + 1),
                                                 "name": submission.slides_name})


@require_GET
def slides(request, contestant_id: int):
    return _viewer(request, _by_user(request, contestant_id))


@require_GET
def slides_page(request, contestant_id: int, page: int):
    return uploads.pdf_page_response(_slides(_by_user(request, contestant_id)).slides, page)


@require_GET
def slides_pdf(request, contestant_id: int):
    submission = _slides(_by_user(request, contestant_id))
    return uploads.file_response(submission.slides, submission.slides_name or "slides.pdf")


@require_GET
def judge_slides(request, token: str, contestant_id: int):
    return _viewer(request, _by_judge(token, contestant_id))


@require_GET
def judge_slides_page(request, token: str, contestant_id: int, page: int):
    return uploads.pdf_page_response(_slides(_by_judge(token, contestant_id)).slides, page)


@require_GET
def judge_slides_pdf(request, token: str, contestant_id: int):
    submission = _slides(_by_judge(token, contestant_id))
    return uploads.file_response(submission.slides, submission.slides_name or "slides.pdf")


@require_GET
def screen_slide(request, pk: int, contestant_id: int, page: int):
    """A page for the big screen: public like the screen, once the organizer has put these slides on it."""
    c = selectors.contestant_in_arena_or_404(contestant_id, pk)
    # only while the organizer has them on the screen (or once the arena is published)
    if not may_watch(c.arena, request.user) or not (c.slide_page or c.arena.status == Arena.Status.PUBLISHED):
        raise PermissionDenied
    return uploads.pdf_page_response(_slides(c).slides, page, width=1920)
