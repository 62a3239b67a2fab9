"""Evidence files: close-out photos and documents, follow-up review photos, pledge verdict evidence. Each
is served only to those who may see the object it belongs to (leitai.uploads serves it safely)."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404
from django.views.decorators.http import require_GET

from leitai import uploads
from leitai.accounts.permissions import can_edit_unit_data

from .models import Attachment, Pledge, ReviewAssignment


def can_see_item_files(user, item) -> bool:
    """The organizers, the responsible unit's reporters, and a citizen supervisor reviewing the item."""
    if not user.is_authenticated:
        return False
    if user.is_organizer or can_edit_unit_data(user, item.unit):
        return True
    return ReviewAssignment.objects.filter(item=item, supervisor=user).exists()


def _attachment(request, pk: int) -> Attachment:
    a = get_object_or_404(Attachment.objects.select_related("item__unit"), pk=pk)
    if not can_see_item_files(request.user, a.item):
        raise PermissionDenied
    return a


@require_GET
def attachment(request, pk: int):
    a = _attachment(request, pk)
    return uploads.file_response(a.file, a.name)


@require_GET
def attachment_thumb(request, pk: int):
    return uploads.thumbnail_response(_attachment(request, pk).file)


@require_GET
def pledge_evidence(request, pk: int):
    """A public pledge's evidence is public with its verdict; otherwise the organizers and the unit's own."""
    p = get_object_or_404(Pledge.objects.select_related("unit"), pk=pk)
    user = request.user
    if not (p.public or (user.is_authenticated and can_edit_unit_data(user, p.unit))):
        raise PermissionDenied
    return uploads.file_response(p.verdict_evidence, f"pledge-{p.pk}-evidence")
