from django.contrib import admin

from complaints.models import Event, TimeLimit


@admin.register(TimeLimit)
class TimeLimitAdmin(admin.ModelAdmin):
    list_display = ["severity", "reply_amount", "reply_unit", "result_amount", "result_unit", "return_visit_days"]


@admin.register(Event)
class EventAdmin(admin.ModelAdmin):
    """The audit trail, for reading only: nothing here can change or delete an event."""

    list_display = ["at", "complaint", "kind", "actor", "origin", "from_status", "to_status"]
    list_filter = ["kind"]
    search_fields = ["complaint__id"]
    list_select_related = ["complaint", "actor"]
    date_hierarchy = "at"

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
