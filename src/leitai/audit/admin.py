"""The audit log in the admin: read only, never added to, changed or deleted."""

from __future__ import annotations

import json

from django.contrib import admin
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from .models import Entry


@admin.register(Entry)
class EntryAdmin(admin.ModelAdmin):
    list_display = ("id", "at", "actor", "action", "model", "object_pk", "via", "seq")
    list_filter = ("action", "model")
    search_fields = ("object_pk", "actor", "via")
    date_hierarchy = "at"
    fields = ("id", "at", "actor", "actor_id", "via", "action", "model", "object_pk", "old_values", "new_values",
              "seq", "hash")
    readonly_fields = fields
    list_select_related = ("seal",)

    @admin.display(description=_("链上序号"))
    def seq(self, obj):
        seal = getattr(obj, "seal", None)
        return seal.seq if seal else "—"

    @admin.display(description=_("哈希"))
    def hash(self, obj):
        seal = getattr(obj, "seal", None)
        return seal.hash if seal else "—"

    @admin.display(description=_("原值"))
    def old_values(self, obj):
        return format_html("<pre>{}</pre>", json.dumps(obj.content.get("old"), ensure_ascii=False, indent=2))

    @admin.display(description=_("新值"))
    def new_values(self, obj):
        return format_html("<pre>{}</pre>", json.dumps(obj.content.get("new"), ensure_ascii=False, indent=2))

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
