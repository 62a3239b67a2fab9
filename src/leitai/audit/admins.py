"""Admin bases for the records that are kept (docs/records.md): `NoDelete`, changed in the admin but never deleted
there, and `ReadOnly`, written only by the services — shown, never added, changed or deleted in the admin."""

from __future__ import annotations

from django.contrib import admin


class NoDelete(admin.ModelAdmin):
    def has_delete_permission(self, request, obj=None):
        return False


class ReadOnly(NoDelete):
    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False
