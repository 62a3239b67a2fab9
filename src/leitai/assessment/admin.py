"""Admin: schemes and assessments are read-only here (pages and services keep their history)."""

from django.contrib import admin

from .models import Assessment, Scheme


@admin.register(Scheme)
class SchemeAdmin(admin.ModelAdmin):
    list_display = ("name", "plan", "year", "updated_at")
    readonly_fields = [f.name for f in Scheme._meta.fields]

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(Assessment)
class AssessmentAdmin(admin.ModelAdmin):
    list_display = ("scheme", "period", "version", "status", "published_at")
    list_filter = ("status",)
    readonly_fields = [f.name for f in Assessment._meta.fields]

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False
