"""Admin for the arena: arenas with their rubric, panel groups and contestants; judges (never the token
hash); score sheets, revisions and the event log read-only, never deleted. The day itself runs through
the organizer's pages, which call the services (events, checks, live updates)."""

from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from leitai.arena.base.models import Arena, ArenaEvent
from leitai.arena.day.models import Comment, Question, ScoreSheet, ScoreSheetRevision, Shortcoming
from leitai.arena.setup.models import Contestant, Criterion, Judge, JudgeGroup, Submission, SubmissionItem


def _scored(arena) -> bool:
    return arena is not None and ScoreSheet.objects.filter(arena=arena).exists()


class _FrozenOnceScored(admin.TabularInline):
    """Rubric rows: editable until the first sheet, then read-only (as services.update_rubric enforces)."""

    extra = 0

    def has_add_permission(self, request, obj=None):
        return not _scored(obj)

    def has_change_permission(self, request, obj=None):
        return not _scored(obj)

    def has_delete_permission(self, request, obj=None):
        return not _scored(obj)


class CriterionInline(_FrozenOnceScored):
    model = Criterion
    fields = ("sort_order", "code", "name", "description", "weight", "max_score", "step")


class JudgeGroupInline(_FrozenOnceScored):
    model = JudgeGroup
    fields = ("sort_order", "code", "name", "weight", "trim")


class ContestantInline(admin.TabularInline):
    model = Contestant
    extra = 0
    fields = ("order", "unit", "person", "title", "stage", "score", "rank")
    readonly_fields = ("stage", "score", "rank")

    def has_delete_permission(self, request, obj=None):
        return obj is None or obj.status == Arena.Status.SETUP


@admin.register(Arena)
class ArenaAdmin(admin.ModelAdmin):
    list_display = ("name", "kind", "period", "held_at", "status", "reveal_mode")
    list_filter = ("status", "kind")
    search_fields = ("name",)
    inlines = [CriterionInline, JudgeGroupInline, ContestantInline]
    readonly_fields = ("status", "draw_seed", "order_method", "order_ranking", "result", "published_at",
                       "published_by", "created_at", "created_by")

    def has_delete_permission(self, request, obj=None):
        # Sheets, revisions and the log are never deleted, so neither is an arena that has any.
        return obj is None or (obj.status == Arena.Status.SETUP and not _scored(obj))


@admin.register(Judge)
class JudgeAdmin(admin.ModelAdmin):
    list_display = ("name", "arena", "group", "anon_code", "paper", "token_hint", "token_revoked_at")
    list_filter = ("arena", "paper")
    search_fields = ("name", "anon_code")
    # token_hash is never shown: the raw token exists only on the judge's printed link.
    fields = ("arena", "group", "name", "title", "unit", "recused_units", "paper", "sort_order", "anon_code",
              "token_hint", "token_issued_at", "token_revoked_at")
    readonly_fields = ("anon_code", "token_hint", "token_issued_at", "token_revoked_at")
    filter_horizontal = ("recused_units",)

    def has_delete_permission(self, request, obj=None):
        return obj is None or not obj.sheets.exists()


class ScoreSheetRevisionInline(admin.TabularInline):
    model = ScoreSheetRevision
    extra = 0
    fields = ("version", "action", "scores", "client_key", "at", "by_user")
    readonly_fields = fields
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False


class _ReadOnly(admin.ModelAdmin):
    """A record written only by the services: visible, never added, changed or deleted here."""

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(ScoreSheet)
class ScoreSheetAdmin(_ReadOnly):
    list_display = ("arena", "contestant", "judge", "total", "status", "source", "version", "updated_at")
    list_filter = ("arena", "status", "source")
    search_fields = ("judge__name", "judge__anon_code", "contestant__unit__name")
    readonly_fields = ("arena", "judge", "contestant", "scores", "total", "status", "source", "entered_by",
                       "confirmed_by", "confirmed_at", "submitted_at", "updated_at", "version")
    inlines = [ScoreSheetRevisionInline]


@admin.register(ArenaEvent)
class ArenaEventAdmin(_ReadOnly):
    list_display = ("arena", "seq", "kind", "at", "by_user")
    list_filter = ("arena", "kind")
    readonly_fields = ("arena", "seq", "kind", "payload", "at", "by_user")


class SubmissionItemInline(admin.TabularInline):
    model = SubmissionItem
    extra = 0
    fields = ("kind", "text", "indicator", "comparison", "target_value", "deadline", "sort_order")


@admin.register(Submission)
class SubmissionAdmin(admin.ModelAdmin):
    list_display = ("contestant", "locked", "slides_name", "updated_at", "updated_by")
    list_filter = ("locked",)
    inlines = [SubmissionItemInline]
    readonly_fields = ("updated_at", "updated_by")


@admin.register(Question)
class QuestionAdmin(admin.ModelAdmin):
    list_display = ("contestant", "asker", "short_text", "at")
    search_fields = ("text", "answer", "asker")
    readonly_fields = ("at", "recorded_by")

    @admin.display(description=_("问题"))
    def short_text(self, obj):
        return obj.text[:40]


@admin.register(Comment)
class CommentAdmin(admin.ModelAdmin):
    list_display = ("contestant", "author", "short_text", "at")
    search_fields = ("text", "author")
    readonly_fields = ("at", "recorded_by")

    @admin.display(description=_("点评内容"))
    def short_text(self, obj):
        return obj.text[:40]


@admin.register(Shortcoming)
class ShortcomingAdmin(admin.ModelAdmin):
    list_display = ("arena", "responsible_unit", "short_text", "deadline", "created_at")
    list_filter = ("arena", "responsible_unit")
    search_fields = ("text",)
    readonly_fields = ("created_at", "created_by")

    @admin.display(description=_("问题"))
    def short_text(self, obj):
        return obj.text[:40]
