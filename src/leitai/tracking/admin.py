"""Admin for tracking: items, pledges and key projects can be looked up and their descriptive fields
corrected; the workflow itself (states, close dates, verdicts) moves only through the services, and the
logs (transitions, reminders, changes, notices) are read-only. Nothing is ever deleted."""

from django.contrib import admin

from leitai.audit.admins import NoDelete, ReadOnly
from leitai.core.tracking.rules import CLOSED

from .items import services as item_services
from .models import (
    Attachment,
    Feedback,
    Item,
    KeyProject,
    Measure,
    Notice,
    Pledge,
    ProjectChange,
    Reminder,
    ReviewAssignment,
    ReviewRound,
    Transition,
)


class MeasureInline(admin.TabularInline):
    model = Measure
    extra = 0
    can_delete = False


class TransitionInline(admin.TabularInline):
    model = Transition
    extra = 0
    can_delete = False
    readonly_fields = ("action", "from_state", "to_state", "text", "at", "by_user", "by_name")

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(Item)
class ItemAdmin(NoDelete):
    """A closed (verified) item is read-only here; an open one's fields may be corrected, and each correction
    is written to the item's own history (a transition "后台修改": field, old → new) and the audit log."""

    list_display = ("code", "title", "unit", "source", "state", "deadline", "closed_on", "public")
    list_filter = ("state", "source", "priority", "public", "unit")
    search_fields = ("code", "title", "description", "person_name", "raised_by")
    date_hierarchy = "deadline"
    readonly_fields = ("code", "state", "closed_on", "assigned_on", "created_by", "arena_shortcoming", "arena_item",
                       "import_batch")
    inlines = [MeasureInline, TransitionInline]

    def has_add_permission(self, request):
        return False  # items are handed out through the tracking pages (code, first transition, notice)

    def has_change_permission(self, request, obj=None):
        return super().has_change_permission(request, obj) and not (obj is not None and obj.state == CLOSED)

    def save_model(self, request, obj, form, change):
        changes = []
        if change:
            for name in form.changed_data:
                field = obj._meta.get_field(name)
                old = form.initial.get(name)
                if field.is_relation and old is not None:
                    old = field.related_model._default_manager.filter(pk=old).first()
                changes.append((str(field.verbose_name), old, getattr(obj, name)))
        super().save_model(request, obj, form, change)
        item_services.record_edit(request.user, obj, changes)


@admin.register(Pledge)
class PledgeAdmin(NoDelete):
    list_display = ("text", "unit", "person", "indicator", "comparison", "target_value", "deadline", "status")
    list_filter = ("status", "source", "public", "unit")
    search_fields = ("text",)
    readonly_fields = ("status", "verdict_value", "verdict_note", "verdict_evidence", "verdict_at", "verdict_by",
                       "arena_item", "created_by", "repeat", "repeat_start", "project_batch", "project_stage")


@admin.register(KeyProject)
class KeyProjectAdmin(NoDelete):
    list_display = ("code", "name", "unit", "batch", "stage", "planned_start", "actual_start", "closed")
    list_filter = ("stage", "closed", "batch", "unit")
    search_fields = ("code", "name")


@admin.register(ReviewRound)
class ReviewRoundAdmin(ReadOnly):
    list_display = ("name", "method", "sample_size", "seed", "created_at")


@admin.register(Transition)
class TransitionAdmin(ReadOnly):
    list_display = ("item", "action", "from_state", "to_state", "at", "by_user", "by_name")
    list_filter = ("action",)
    search_fields = ("item__code", "text")


@admin.register(Reminder)
class ReminderAdmin(ReadOnly):
    list_display = ("item", "kind", "day", "channel", "sent", "error")
    list_filter = ("kind", "sent", "channel")
    date_hierarchy = "day"


@admin.register(Notice)
class NoticeAdmin(ReadOnly):
    list_display = ("text", "unit", "for_organizers", "item", "created_at")
    list_filter = ("for_organizers",)


for model in (Attachment, ReviewAssignment, Feedback, ProjectChange):
    admin.site.register(model, ReadOnly)
