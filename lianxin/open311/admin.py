"""API keys, service questions and the submissions log in the Django admin."""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils import timezone

from lianxin.open311.models import ApiKey, ServiceQuestion, Submission


@admin.register(ApiKey)
class ApiKeyAdmin(admin.ModelAdmin):
    list_display = ("name", "channel", "coordinates", "rate_limit_per_minute", "is_active", "created_at", "revoked_at")
    list_filter = ("is_active", "coordinates")
    search_fields = ("name", "channel", "contact")
    readonly_fields = ("created_at", "revoked_at")
    actions = ["revoke"]

    @admin.action(description="吊销所选密钥")
    def revoke(self, request: HttpRequest, queryset: QuerySet[ApiKey]) -> None:
        queryset.update(is_active=False, revoked_at=timezone.now())


@admin.register(ServiceQuestion)
class ServiceQuestionAdmin(admin.ModelAdmin):
    list_display = ("code", "description", "category", "datatype", "required", "variable", "order", "is_active")
    list_filter = ("datatype", "required", "is_active")
    search_fields = ("code", "description", "category__name", "category__code")
    raw_id_fields = ("category",)


@admin.register(Submission)
class SubmissionAdmin(admin.ModelAdmin):
    list_display = ("order", "api_key", "created_at", "media_url")
    list_filter = ("api_key",)
    search_fields = ("order__number",)
    readonly_fields = [f.name for f in Submission._meta.get_fields() if getattr(f, "concrete", False)]

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False
