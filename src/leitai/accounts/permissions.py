"""Who may do what: one place for the role rules, used by pages, API and CLI alike."""

from __future__ import annotations

from functools import wraps

from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied


def can_edit_unit_data(user, unit) -> bool:
    """Organizers edit every unit's data; a reporter only their own unit and the units below it."""
    if not user.is_authenticated:
        return False
    if user.is_organizer:
        return True
    return user.is_reporter and unit.is_within(user.unit)


def organizer_required(view):
    """Page decorator: sign-in for the anonymous, 403 for signed-in users who are not organizers."""

    @wraps(view)
    def wrapped(request, *args, **kwargs):
        if not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path())
        if not request.user.is_organizer:
            raise PermissionDenied
        return view(request, *args, **kwargs)

    return wrapped


def data_editor_required(view):
    """Page decorator: organizers and unit reporters (which units they may touch is checked per row)."""

    @wraps(view)
    def wrapped(request, *args, **kwargs):
        if not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path())
        if not (request.user.is_organizer or request.user.is_reporter):
            raise PermissionDenied
        return view(request, *args, **kwargs)

    return wrapped
