"""Who may do and see what in an arena — the one place pages, the API, exports and the live streams ask.

Organizers (考核办) run everything; the public follows an arena once it is live and sees its results once
published; the organizer sees results from the first reveal on. Judges are not users: their personal link's
token is the key (setup.selectors.judge_for_token)."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.utils import timezone

from leitai.accounts.permissions import can_edit_unit_data
from leitai.arena.base.models import Arena
from leitai.core.judging import flow as arena_flow

PUBLIC_STATUSES = (Arena.Status.LIVE, Arena.Status.FINISHED, Arena.Status.PUBLISHED)

# A judge group's own score (or group rank) is shown publicly only when it counts at least this many sheets:
# a group of one or two would give away a judge's total. The tally, the final score and the recomputable
# export are unchanged.
GROUP_SCORE_MIN_SHEETS = 3


def public_groups(groups: dict | None, sheets: dict | None) -> dict:
    """A contestant's group scores as the public sees them: a group with fewer than GROUP_SCORE_MIN_SHEETS
    sheets (`sheets`: group code → count) shows None."""
    sheets = sheets or {}
    return {code: (value if sheets.get(code, 0) >= GROUP_SCORE_MIN_SHEETS else None)
            for code, value in (groups or {}).items()}


def may_watch(arena: Arena, user) -> bool:
    """The public follows an arena once it is live; before that only organizers see its pages."""
    return arena.status in PUBLIC_STATUSES or is_organizer(user)


def require_organizer(user) -> None:
    """Role check of every organizer service (the pages and the API check too; this is the last line)."""
    if user is None or not is_organizer(user):
        raise PermissionDenied("organizer only")


def actor(user):
    """The user to record as the author, or None for anonymous callers (a judge's phone, the CLI)."""
    return user if user is not None and getattr(user, "is_authenticated", False) else None


def is_organizer(user) -> bool:
    """A signed-in organizer (考核办 staff); anonymous visitors and judges are not."""
    return bool(getattr(user, "is_authenticated", False) and user.is_organizer)


def may_see_results(user, arena: Arena) -> bool:
    """The results page: public once published; the organizer looks from the first reveal on."""
    if arena.status == Arena.Status.PUBLISHED:
        return True
    if not is_organizer(user):
        return False
    # Before the reveal the organizer has the console's counts; scores appear here once shown on the screen.
    return arena.contestants.filter(stage=arena_flow.REVEALED).exists()


def may_read_slides(user, contestant) -> bool:
    """A contestant's slides: public once the arena is published; before, the unit's own data editors (and
    organizers, who may edit every unit's data). Judges read them through their link; the big screen shows
    the page the organizer put up."""
    return contestant.arena.status == Arena.Status.PUBLISHED or (
        getattr(user, "is_authenticated", False) and can_edit_unit_data(user, contestant.unit))


def submissions_closed(arena: Arena, submission=None) -> bool:
    """Read-only once the organizer locked the submissions, the deadline passed or the arena started (live,
    finished or published: the judges score what they read)."""
    if arena.status != Arena.Status.SETUP:
        return True
    if submission is not None and submission.locked:
        return True
    return arena.submission_deadline is not None and timezone.now() >= arena.submission_deadline
