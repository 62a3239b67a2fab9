"""Admin for indicators, periods, observations (with their value history), targets and import batches."""

from django import forms
from django.contrib import admin
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from leitai.audit.admins import NoDelete, ReadOnly
from leitai.core.errors import LeitaiError
from leitai.lang import page_lang

from . import services
from .models import (
    AnnualTarget,
    Category,
    ImportBatch,
    Indicator,
    Observation,
    ObservationRevision,
    Period,
    Reference,
    ReferencePeer,
    ReferenceRevision,
)


@admin.register(Category)
class CategoryAdmin(admin.ModelAdmin):
    list_display = ("code", "name", "sort_order")
    search_fields = ("code", "name")


@admin.register(Indicator)
class IndicatorAdmin(admin.ModelAdmin):
    list_display = ("code", "name", "measure", "direction", "category", "value_type", "frequency",
                    "plausible_min", "plausible_max", "active")
    list_filter = ("category", "direction", "value_type", "frequency", "active")
    search_fields = ("code", "name", "name_en", "description")
    list_select_related = ("category",)


@admin.register(Period)
class PeriodAdmin(admin.ModelAdmin):
    list_display = ("code", "__str__", "kind", "year", "number", "start", "end")
    list_filter = ("kind", "year")
    search_fields = ("code",)


class RevisionInline(admin.TabularInline):
    """Read-only: the history is written by the services, never edited by hand."""

    model = ObservationRevision
    extra = 0
    can_delete = False
    fields = ("changed_at", "changed_by", "old_value", "new_value", "old_status", "new_status", "source", "reason")
    readonly_fields = fields
    ordering = ("-changed_at", "-id")

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False


class ObservationForm(forms.ModelForm):
    class Meta:
        model = Observation
        fields = ("unit", "indicator", "period", "value", "status")

    def clean(self):
        data = super().clean()
        unit = data.get("unit") or (self.instance.unit if self.instance.unit_id else None)
        indicator = data.get("indicator") or (self.instance.indicator if self.instance.indicator_id else None)
        if unit and indicator:
            try:
                services.checked_value(unit, indicator, data.get("value"))
            except LeitaiError as exc:
                raise ValidationError({"value": exc.message(page_lang())})
        return data


@admin.register(Observation)
class ObservationAdmin(admin.ModelAdmin):
    form = ObservationForm
    list_display = ("unit", "indicator", "period", "value", "status", "updated_at", "updated_by")
    list_filter = ("period", "status", "indicator__category", "unit__kind")
    search_fields = ("unit__code", "unit__name", "indicator__code", "indicator__name")
    list_select_related = ("unit", "indicator", "period", "updated_by")
    autocomplete_fields = ("unit", "indicator")
    readonly_fields = ("updated_at", "updated_by")
    inlines = [RevisionInline]

    def get_readonly_fields(self, request, obj=None):
        # Once saved, an observation is corrected in value and status only; its key stays.
        return (*self.readonly_fields, "unit", "indicator", "period") if obj else self.readonly_fields

    def save_model(self, request, obj, form, change):
        # Through the service, so an edit in the admin is checked and recorded like any other.
        saved = services.set_observation(request.user, obj.unit, obj.indicator, obj.period, obj.value,
                                         status=obj.status, reason=str(_("后台修改")), source="admin")
        if saved is not None:
            obj.pk = saved.pk
        elif obj.pk is None:
            obj.save()  # "no value" for a figure never reported: an empty row, nothing to record

    def has_delete_permission(self, request, obj=None):
        return False  # revisions point at observations: a figure is corrected, not deleted


@admin.register(AnnualTarget)
class AnnualTargetAdmin(admin.ModelAdmin):
    list_display = ("unit", "indicator", "year", "value")
    list_filter = ("year", "indicator")
    search_fields = ("unit__name", "unit__code", "indicator__name", "indicator__code")
    list_select_related = ("unit", "indicator")
    autocomplete_fields = ("unit", "indicator")

    def has_delete_permission(self, request, obj=None):
        return False  # a target is corrected (the change is in the audit log), never deleted


@admin.register(ImportBatch)
class ImportBatchAdmin(ReadOnly):
    """Batches come from the import page or `leitai import`: the history of what was imported, by whom."""

    list_display = ("created_at", "file_name", "status", "row_count", "created_count", "changed_count", "created_by")
    list_filter = ("status",)
    search_fields = ("file_name",)
    readonly_fields = ("file_name", "file", "shape", "period", "status", "row_count", "created_count",
                       "changed_count", "report", "created_at", "created_by", "committed_at")


class ReferenceRevisionInline(admin.TabularInline):
    """Read-only: written by the services with every change."""

    model = ReferenceRevision
    extra = 0
    can_delete = False
    fields = ("changed_at", "changed_by", "old_value", "new_value", "old_rank", "new_rank", "old_total", "new_total",
              "source")
    readonly_fields = fields
    ordering = ("-changed_at", "-id")

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(Reference)
class ReferenceAdmin(ReadOnly):
    """Read-only here: figures are imported or entered on /data/references/, so every change has a revision."""

    list_display = ("indicator", "period", "kind", "unit", "peer", "value", "rank", "total", "updated_at")
    list_filter = ("kind", "period", "indicator__category")
    search_fields = ("indicator__code", "indicator__name", "unit__name", "peer__name")
    list_select_related = ("indicator", "period", "unit", "peer")
    readonly_fields = ("kind", "indicator", "period", "unit", "peer", "value", "rank", "total", "updated_at",
                       "updated_by")
    inlines = [ReferenceRevisionInline]


@admin.register(ReferencePeer)
class ReferencePeerAdmin(NoDelete):
    """An outside peer: its note and the city's units that 对标 it."""

    list_display = ("name", "note", "created_at")
    search_fields = ("name", "note")
    filter_horizontal = ("units",)
    readonly_fields = ("created_at",)

    def get_readonly_fields(self, request, obj=None):
        return (*self.readonly_fields, "name") if obj else self.readonly_fields  # its figures are keyed by name
