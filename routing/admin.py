from django.contrib import admin

from routing.models import Category, Membership, RoutingRule, Team


class MembershipInline(admin.TabularInline):
    model = Membership
    extra = 1
    autocomplete_fields = ["user"]


@admin.register(Team)
class TeamAdmin(admin.ModelAdmin):
    list_display = ["code", "name_zh", "name_en", "supervisor", "active"]
    list_filter = ["active"]
    search_fields = ["code", "name_zh", "name_en"]
    inlines = [MembershipInline]


@admin.register(Category)
class CategoryAdmin(admin.ModelAdmin):
    list_display = ["code", "name_zh", "name_en", "parent", "default_team", "default_severity", "active"]
    list_filter = ["default_team", "default_severity", "active"]
    search_fields = ["code", "name_zh", "name_en", "keywords"]
    list_select_related = ["parent", "default_team"]


@admin.register(RoutingRule)
class RoutingRuleAdmin(admin.ModelAdmin):
    list_display = ["priority", "category", "severity", "channel", "customer_tag", "team", "active"]
    list_editable = ["active"]
    list_filter = ["team", "active"]
    list_select_related = ["category", "team"]
