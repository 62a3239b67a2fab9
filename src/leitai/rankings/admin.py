"""Admin: plans with their versions (a version's rules are read-only once a ranking used them),
bonus/deduction items, and rankings (read-only: they are computed and published through the services)."""

import json

from django.contrib import admin
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from .models import Adjustment, AssessmentPlan, PlanVersion, Ranking, RankingCorrection, RankingRow


class PlanVersionInline(admin.TabularInline):
    model = PlanVersion
    extra = 0
    fields = ("number", "note", "spec", "created_by", "created_at")
    readonly_fields = ("created_at",)
    verbose_name = _("方案版本")
    verbose_name_plural = _("方案版本（规则修改请在“考核方案”页面保存为新版本）")

    def get_readonly_fields(self, request, obj=None):
        # Versions already used by a ranking are frozen; the admin only lets the unused ones be corrected.
        if obj is not None and Ranking.objects.filter(plan_version__plan=obj).exists():
            return ("number", "note", "spec", "created_by", "created_at")
        return self.readonly_fields

    def has_add_permission(self, request, obj=None):
        return False  # new versions go through the plan page, which validates the rules

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(AssessmentPlan)
class AssessmentPlanAdmin(admin.ModelAdmin):
    list_display = ("code", "name", "unit_kinds", "active", "version_count")
    search_fields = ("code", "name")
    list_filter = ("active",)
    inlines = [PlanVersionInline]

    def has_delete_permission(self, request, obj=None):
        return obj is None or not Ranking.objects.filter(plan_version__plan=obj).exists()

    @admin.display(description=_("版本数"))
    def version_count(self, obj):
        return obj.versions.count()


@admin.register(Adjustment)
class AdjustmentAdmin(admin.ModelAdmin):
    """The ledger: entries are registered and withdrawn on the 加减分事项 page (checked, and who withdrew
    is recorded) and a published arena's or ranking's points are corrected by their correction action;
    here they are only looked at — never changed in place, never deleted."""

    list_display = ("unit", "period", "plan", "points", "reason", "source", "withdrawn", "created_by", "created_at")
    list_filter = ("withdrawn", "period", "plan", "source")
    search_fields = ("unit__name", "reason")
    readonly_fields = ("unit", "period", "plan", "points", "reason", "source", "created_at", "created_by", "withdrawn",
                       "withdrawn_at", "withdrawn_by")
    raw_id_fields = ("unit",)

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False  # withdrawn, never deleted


@admin.register(RankingCorrection)
class RankingCorrectionAdmin(admin.ModelAdmin):
    list_display = ("from_ranking", "to_ranking", "unit", "old_points", "new_points", "reason", "by_user", "at")
    readonly_fields = ("from_ranking", "to_ranking", "unit", "old_points", "new_points", "reason", "adjustment",
                       "by_user", "at")

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


class RankingRowInline(admin.TabularInline):
    model = RankingRow
    extra = 0
    fields = ("rank", "unit", "score", "base_score", "adjustment", "previous_rank", "movement", "stars", "flags")
    readonly_fields = fields
    can_delete = False
    verbose_name = _("排名行")
    verbose_name_plural = _("排名行")

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(Ranking)
class RankingAdmin(admin.ModelAdmin):
    list_display = ("__str__", "period", "plan_version", "status", "computed_at", "published_at")
    list_filter = ("status", "plan_version__plan", "period")
    inlines = [RankingRowInline]
    fields = ("plan_version", "period", "status", "computed_at", "computed_by", "published_at", "published_by",
              "spec_pretty", "report_pretty")
    readonly_fields = fields

    @admin.display(description=_("规则快照"))
    def spec_pretty(self, obj):
        return format_html("<pre>{}</pre>", json.dumps(obj.spec, ensure_ascii=False, indent=2))

    @admin.display(description=_("计算说明"))
    def report_pretty(self, obj):
        return format_html("<pre>{}</pre>", json.dumps(obj.report, ensure_ascii=False, indent=2))

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
