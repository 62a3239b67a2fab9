"""Admin for the arena: arenas with their rubric, panel groups and contestants; judges (never the token
hash); score sheets, revisions and the event log read-only, never deleted. The day itself runs through
the organizer's pages, which call the services (events, checks, live updates).

A published arena is frozen here as everywhere: the arena, its rubric, contestants, judges, submissions,
questions and comments can be looked at, not changed or deleted (a correction of its ledger points goes
through the results page's correction, which keeps the published version). Questions, comments and
submissions are never deleted; every change made here is in the audit log."""

from django import forms
from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from leitai.arena.base.models import Arena, ArenaChainEntry, ArenaEvent
from leitai.arena.day.models import Comment, Question, ScoreSheet, ScoreSheetRevision, Shortcoming
from leitai.arena.results.models import ResultCorrection
from leitai.arena.setup.links import scoring_started
from leitai.arena.setup.models import (
    Contestant,
    Criterion,
    Judge,
    JudgeGroup,
    JudgeLink,
    Submission,
    SubmissionItem,
    SubmissionVersion,
)
from leitai.audit.admins import ReadOnly
from leitai.core.errors import SpecError
from leitai.core.judging.rubric import parse_calibration
from leitai.lang import page_lang


def _scored(arena) -> bool:
    return arena is not None and (ScoreSheet.objects.filter(arena=arena).exists() or arena.rank_sheets.exists()
                                  or arena.status == Arena.Status.PUBLISHED)


def _published(arena) -> bool:
    return arena is not None and arena.status == Arena.Status.PUBLISHED


class _FrozenOncePublished(admin.ModelAdmin):
    """A record of an arena: changed until the arena is published, then only looked at; never deleted."""

    def arena_of(self, obj):
        return obj.contestant.arena

    def has_change_permission(self, request, obj=None):
        return super().has_change_permission(request, obj) and not (obj is not None and _published(self.arena_of(obj)))

    def has_delete_permission(self, request, obj=None):
        return False


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

    def has_add_permission(self, request, obj=None):
        return not _published(obj)

    def has_change_permission(self, request, obj=None):
        return not _published(obj)

    def has_delete_permission(self, request, obj=None):
        return obj is None or obj.status == Arena.Status.SETUP


class ArenaAdminForm(forms.ModelForm):
    class Meta:
        model = Arena
        fields = "__all__"  # noqa: DJ007 - the admin's own field list (readonly_fields) applies

    def clean_calibration(self):
        """The rubric's rules (core/judging/rubric.py), errors naming the field; stored in its canonical form."""
        value = self.cleaned_data.get("calibration") or None
        try:
            parsed = parse_calibration(value)
        except SpecError as e:
            raise forms.ValidationError(e.message(page_lang())) from e
        return parsed.as_dict() if parsed else {}


@admin.register(Arena)
class ArenaAdmin(admin.ModelAdmin):
    list_display = ("name", "kind", "period", "held_at", "status", "reveal_mode")
    list_filter = ("status", "kind")
    search_fields = ("name",)
    inlines = [CriterionInline, JudgeGroupInline, ContestantInline]
    readonly_fields = ("status", "draw_seed", "order_method", "order_ranking", "result", "published_at",
                       "published_by", "created_at", "created_by")
    form = ArenaAdminForm

    def get_readonly_fields(self, request, obj=None):
        # The calibration rule is declared before scoring opens, never changed after (setup.links).
        fields = tuple(super().get_readonly_fields(request, obj))
        return fields + ("calibration",) if obj is not None and scoring_started(obj) else fields

    def has_change_permission(self, request, obj=None):
        return super().has_change_permission(request, obj) and not _published(obj)

    def has_delete_permission(self, request, obj=None):
        # Sheets, revisions and the log are never deleted, so neither is an arena that has any.
        return obj is None or (obj.status == Arena.Status.SETUP and not _scored(obj))


@admin.register(JudgeLink)
class JudgeLinkAdmin(ReadOnly):
    """Links are recorded and withdrawn on the arena's audit page (setup/links.py), which logs each change in the
    arena's record and refuses it after publication; here they are only shown."""

    list_display = ("arena", "judge", "contestant", "relation", "created_at", "created_by")
    list_filter = ("arena",)
    readonly_fields = ("arena", "judge", "contestant", "relation", "created_at", "created_by")


@admin.register(Judge)
class JudgeAdmin(admin.ModelAdmin):
    list_display = ("name", "arena", "group", "anon_code", "paper", "token_hint", "token_revoked_at")
    list_filter = ("arena", "paper")
    search_fields = ("name", "anon_code")
    # token_hash is never shown: the raw token exists only on the judge's printed link.
    fields = ("arena", "group", "name", "title", "unit", "recused_units", "paper", "account", "sort_order", "anon_code",
              "token_hint", "token_issued_at", "token_revoked_at")
    readonly_fields = ("anon_code", "token_hint", "token_issued_at", "token_revoked_at")
    filter_horizontal = ("recused_units",)

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name == "account":  # only 评委 accounts are offered
            kwargs["queryset"] = db_field.related_model.objects.filter(role="judge", is_active=True)
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def has_change_permission(self, request, obj=None):
        return super().has_change_permission(request, obj) and not (obj is not None and _published(obj.arena))

    def has_delete_permission(self, request, obj=None):
        return obj is None or not (obj.sheets.exists() or obj.rank_sheets.exists() or _published(obj.arena))


class ScoreSheetRevisionInline(admin.TabularInline):
    model = ScoreSheetRevision
    extra = 0
    fields = ("version", "action", "scores", "receipt", "client_key", "at", "by_user")
    readonly_fields = fields
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(ScoreSheet)
class ScoreSheetAdmin(ReadOnly):
    list_display = ("arena", "contestant", "judge", "total", "status", "source", "version", "updated_at")
    list_filter = ("arena", "status", "source")
    search_fields = ("judge__name", "judge__anon_code", "contestant__unit__name")
    readonly_fields = ("arena", "judge", "contestant", "scores", "total", "status", "source", "entered_by",
                       "confirmed_by", "confirmed_at", "submitted_at", "updated_at", "version")
    inlines = [ScoreSheetRevisionInline]


@admin.register(ArenaEvent)
class ArenaEventAdmin(ReadOnly):
    list_display = ("arena", "seq", "kind", "at", "by_user")
    list_filter = ("arena", "kind")
    readonly_fields = ("arena", "seq", "kind", "payload", "at", "by_user")


@admin.register(ArenaChainEntry)
class ArenaChainEntryAdmin(ReadOnly):
    """The arena's hash chain (docs/uncertainty.md): shown, never added, changed or deleted here."""

    list_display = ("arena", "seq", "kind", "hash")
    list_filter = ("arena", "kind")
    readonly_fields = ("arena", "seq", "kind", "data", "prev_hash", "hash")


class SubmissionItemInline(admin.TabularInline):
    model = SubmissionItem
    extra = 0
    fields = ("kind", "text", "indicator", "comparison", "target_value", "deadline", "sort_order")
    can_delete = False  # lines are replaced by saving the submission (which keeps the version), never deleted

    def has_add_permission(self, request, obj=None):
        return not (obj is not None and _published(obj.contestant.arena))

    def has_change_permission(self, request, obj=None):
        return not (obj is not None and _published(obj.contestant.arena))


class SubmissionVersionInline(admin.TabularInline):
    model = SubmissionVersion
    extra = 0
    fields = ("number", "saved_at", "saved_by", "slides_name", "items")
    readonly_fields = fields
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(Submission)
class SubmissionAdmin(_FrozenOncePublished):
    list_display = ("contestant", "locked", "slides_name", "updated_at", "updated_by")
    list_filter = ("locked",)
    inlines = [SubmissionItemInline, SubmissionVersionInline]
    readonly_fields = ("updated_at", "updated_by")


@admin.register(Question)
class QuestionAdmin(_FrozenOncePublished):
    list_display = ("contestant", "asker", "short_text", "at")
    search_fields = ("text", "answer", "asker")
    readonly_fields = ("at", "recorded_by")

    def has_add_permission(self, request):
        return False  # recorded on the day (console), where a published arena refuses them

    @admin.display(description=_("问题"))
    def short_text(self, obj):
        return obj.text[:40]


@admin.register(Comment)
class CommentAdmin(_FrozenOncePublished):
    list_display = ("contestant", "author", "short_text", "at")
    search_fields = ("text", "author")
    readonly_fields = ("at", "recorded_by")

    def has_add_permission(self, request):
        return False  # recorded on the day (console), where a published arena refuses them

    @admin.display(description=_("点评内容"))
    def short_text(self, obj):
        return obj.text[:40]


@admin.register(Shortcoming)
class ShortcomingAdmin(admin.ModelAdmin):
    list_display = ("arena", "responsible_unit", "short_text", "deadline", "created_at")
    list_filter = ("arena", "responsible_unit")
    search_fields = ("text",)
    readonly_fields = ("created_at", "created_by")

    def has_delete_permission(self, request, obj=None):
        return False  # a shortcoming raised at the arena becomes a rectification item: kept

    @admin.display(description=_("问题"))
    def short_text(self, obj):
        return obj.text[:40]


@admin.register(ResultCorrection)
class ResultCorrectionAdmin(ReadOnly):
    list_display = ("arena", "version", "reason", "at", "by_user")
    readonly_fields = ("arena", "version", "reason", "changes", "rows", "at", "by_user")
