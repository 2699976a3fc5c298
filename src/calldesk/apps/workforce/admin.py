from django.contrib import admin

from .models import (
    IntervalVolume,
    OperatorAvailability,
    PlannedShift,
    PlanningSettings,
    ShiftPlan,
    ShiftTemplate,
)


@admin.register(PlanningSettings)
class PlanningSettingsAdmin(admin.ModelAdmin):
    list_display = ("hotline", "service_level", "service_level_seconds", "patience_s", "shrinkage", "max_occupancy")


@admin.register(ShiftTemplate)
class ShiftTemplateAdmin(admin.ModelAdmin):
    list_display = ("name", "hotline", "start_times", "length_minutes", "break_minutes", "is_active")
    list_filter = ("is_active", "hotline")


@admin.register(OperatorAvailability)
class OperatorAvailabilityAdmin(admin.ModelAdmin):
    list_display = ("operator", "weekday", "start", "end")
    list_filter = ("weekday",)
    raw_id_fields = ("operator",)


@admin.register(IntervalVolume)
class IntervalVolumeAdmin(admin.ModelAdmin):
    list_display = ("hotline", "interval_start", "calls", "aht_s", "source")
    list_filter = ("hotline", "source")
    date_hierarchy = "interval_start"


class PlannedShiftInline(admin.TabularInline):
    model = PlannedShift
    extra = 0
    raw_id_fields = ("operator",)


@admin.register(ShiftPlan)
class ShiftPlanAdmin(admin.ModelAdmin):
    list_display = ("hotline", "week_start", "status", "built_at", "built_by")
    list_filter = ("hotline", "status")
    inlines = [PlannedShiftInline]
