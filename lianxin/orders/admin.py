from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import admin
from django.http import HttpRequest

from lianxin.orders.deadline_rules import RuleError, validate_rules
from lianxin.orders.models import DeadlineRuleSet, Order, OrderEvent


class RuleSetForm(forms.ModelForm):
    class Meta:
        model = DeadlineRuleSet
        fields = ["version", "name", "rules", "is_current"]

    def clean_rules(self) -> Any:
        try:
            return validate_rules(self.cleaned_data["rules"])
        except RuleError as exc:
            raise forms.ValidationError(str(exc)) from exc


@admin.register(DeadlineRuleSet)
class DeadlineRuleSetAdmin(admin.ModelAdmin):
    """Rule sets are versions: orders keep the version they were received under, so edit by adding one."""

    form = RuleSetForm
    list_display = ["version", "name", "is_current", "created_at"]

    def get_readonly_fields(self, request: HttpRequest, obj: Any = None) -> list[str]:
        return ["version", "rules"] if obj is not None else []

    def save_model(self, request: HttpRequest, obj: DeadlineRuleSet, form: Any, change: bool) -> None:
        if obj.is_current:
            DeadlineRuleSet.objects.exclude(pk=obj.pk).update(is_current=False)
        super().save_model(request, obj, form, change)


class ReadOnly(admin.ModelAdmin):
    """Orders change only through actions, and the timeline is append-only: the admin only reads."""

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(Order)
class OrderAdmin(ReadOnly):
    list_display = ["number", "status", "channel", "appeal_type", "lead_unit", "received_at", "reply_due"]
    list_filter = ["status", "channel", "appeal_type"]
    search_fields = ["number"]
    show_full_result_count = False


@admin.register(OrderEvent)
class OrderEventAdmin(ReadOnly):
    list_display = ["order", "seq", "kind", "at", "actor", "new_status"]
    list_filter = ["kind"]
    show_full_result_count = False
