"""Sign-ins that end when the browser closes (LEITAI_SESSION_BROWSER): for organizers by default — the
accounts that publish rankings and run the arena, often on shared office or venue computers — for everyone
with `all`, for nobody with `none` (everyone then stays signed in for two weeks, Django's default)."""

from __future__ import annotations

from django.conf import settings


def ends_with_browser(user) -> bool:
    mode = getattr(settings, "LEITAI_SESSION_BROWSER", "organizers")
    return mode == "all" or (mode == "organizers" and bool(getattr(user, "is_organizer", False)))


def on_login(sender, request, user, **kwargs) -> None:
    """user_logged_in: a session cookie without an expiry date for those whose sign-in ends with the browser."""
    if request is not None and hasattr(request, "session") and ends_with_browser(user):
        request.session.set_expiry(0)
