from django.contrib import admin

from worktime.models import CalendarGap, CoveredYear, WorkdayOverride


@admin.register(WorkdayOverride)
class WorkdayOverrideAdmin(admin.ModelAdmin):
    list_display = ["day", "is_working_day", "reason"]
    list_filter = ["is_working_day"]
    date_hierarchy = "day"


@admin.register(CoveredYear)
class CoveredYearAdmin(admin.ModelAdmin):
    list_display = ["year", "note"]


@admin.register(CalendarGap)
class CalendarGapAdmin(admin.ModelAdmin):
    list_display = ["day", "first_needed_at"]
    date_hierarchy = "day"
