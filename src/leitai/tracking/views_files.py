"""Evidence files: close-out photos and documents, follow-up review photos, pledge verdict evidence. Each
is served only to those who may see the object it belongs to (leitai.uploads serves it safely)."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404
from django.views.decorators.http import require_GET

from leitai import uploads

from . import policies
from .models import Attachment, Pledge


def _attachment(request, pk: int) -> Attachment:
    a = get_object_or_404(Attachment.objects.select_related("item__unit"), pk=pk)
    if not policies.can_see_item_files(request.user, a.item):
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
    if not policies.can_see_pledge(request.user, p):
        raise PermissionDenied
    return uploads.file_response(p.verdict_evidence, f"pledge-{p.pk}-evidence")
