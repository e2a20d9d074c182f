from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.contrib.auth.admin import UserAdmin
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from lianxin.core.models import (
    CalendarYear,
    Category,
    HolidayOverride,
    Organisation,
    PersonalDataAccess,
    TimeLimitTier,
    User,
)


@admin.register(Organisation)
class OrganisationAdmin(admin.ModelAdmin):
    list_display = ["code", "name", "kind", "parent", "is_active"]
    list_filter = ["kind", "is_active"]
    search_fields = ["code", "name", "short_name"]
    raw_id_fields = ["parent"]


@admin.register(User)
class LianxinUserAdmin(UserAdmin):
    list_display = ["username", "display_name", "role", "organisation", "is_active"]
    list_filter = ["role", "is_active"]
    fieldsets = (*UserAdmin.fieldsets, (_("连心"), {"fields": ("role", "organisation", "display_name")}))  # type: ignore[misc]
    raw_id_fields = ["organisation"]


@admin.register(Category)
class CategoryAdmin(admin.ModelAdmin):
    list_display = ["code", "name", "level", "default_unit", "territorial", "tier", "is_active"]
    list_filter = ["level", "territorial", "tier", "is_active"]
    search_fields = ["code", "name"]
    raw_id_fields = ["parent", "default_unit"]


admin.site.register(TimeLimitTier)


@admin.register(HolidayOverride)
class HolidayOverrideAdmin(admin.ModelAdmin):
    list_display = ["date", "is_workday", "name"]
    list_filter = ["is_workday"]
    date_hierarchy = "date"


admin.site.register(CalendarYear)


@admin.register(PersonalDataAccess)
class PersonalDataAccessAdmin(admin.ModelAdmin):
    list_display = ["at", "user", "object_type", "object_id", "fields"]
    list_filter = ["object_type"]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False
