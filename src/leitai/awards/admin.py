"""Admin: kinds and teams can be set up here as on the pages; awards and their log are read-only (they change
only through the pages' approval and revocation, which keep the history). Nothing can be deleted."""

from django.contrib import admin

from leitai.audit.admins import NoDelete

from .models import Award, AwardEvent, AwardKind, Team, TeamMembership


@admin.register(AwardKind)
class AwardKindAdmin(NoDelete):
    list_display = ("name", "code", "basis", "rule", "n", "recipient", "active", "sort_order")
    list_filter = ("basis", "active")
    readonly_fields = ("created_at", "created_by")

    def get_readonly_fields(self, request, obj=None):
        # the code, basis and rule of a kind with awards stay as they are (the register and the assessment read them)
        if obj is not None and obj.awards.exists():
            return (*self.readonly_fields, "code", "basis", "rule")
        return self.readonly_fields


class MembershipInline(admin.TabularInline):
    model = TeamMembership
    extra = 0
    autocomplete_fields = ("person",)

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(Team)
class TeamAdmin(NoDelete):
    list_display = ("name", "unit", "active")
    search_fields = ("name",)
    inlines = [MembershipInline]


class EventInline(admin.TabularInline):
    model = AwardEvent
    extra = 0
    readonly_fields = ("action", "note", "at", "by_user")
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(Award)
class AwardAdmin(NoDelete):
    list_display = ("kind", "recipient", "unit", "person", "team", "date", "status")
    list_filter = ("status", "kind")
    readonly_fields = [f.name for f in Award._meta.fields]
    inlines = [EventInline]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False
