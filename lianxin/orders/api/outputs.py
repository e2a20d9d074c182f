"""How an order looks to the person asking: masked or hidden personal data, allowed actions."""

from __future__ import annotations

import functools
from typing import Any

from django.db import models
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from lianxin.core.models import Organisation, PersonalDataAccess, User
from lianxin.core.personal_data import mask_id_number, mask_name, mask_phone, redact_text
from lianxin.orders.choices import AppealType, AssignmentState, Channel, Status
from lianxin.orders.models import Order, OrderEvent
from lianxin.orders.policy import identity_hidden, is_city_wide, may_unmask, visible_orders
from lianxin.orders.transitions import allowed_actions

_DT = serializers.DateTimeField()


def local_iso(moment: Any) -> str | None:
    """Datetimes inside nested dicts in Asia/Shanghai, like the top-level fields."""
    return _DT.to_representation(moment) if moment is not None else None


@functools.cache
def _labels(choices: type[models.TextChoices], language: str) -> dict[str, str]:
    return {value: str(label) for value, label in choices.choices}


def choice_label(choices: type[models.TextChoices], value: str) -> str:
    """A choice's label in the active language, translated once per language, not once per row."""
    return _labels(choices, get_language() or "zh-hans").get(value, value)


def org_ref(org: Organisation | None) -> dict[str, str] | None:
    return {"code": org.code, "name": org.display_name} if org is not None else None


def is_overdue(order: Order, now: Any = None) -> bool:
    moment = now or timezone.now()
    if order.status == Status.DISPATCHED and order.sign_due:
        return bool(moment > order.sign_due)
    if order.status in (Status.HANDLING, Status.RETURN_REQUESTED) and order.reply_due:
        return bool(moment > order.reply_due)
    return False


def appellant_view(order: Order, user: User, unmask: bool) -> dict[str, Any]:
    """Hidden from the unit reported on; masked unless the role needs it and asked, and then audited."""
    if identity_hidden(user, order):
        return {"name": _("（保密）"), "phones": [], "id_number": "", "hidden": True, "masked": True}
    if unmask and may_unmask(user, order):
        fields = ["name", "phones"] + (["id_number"] if order.appellant_id_number else [])
        PersonalDataAccess.objects.create(user=user, object_type="order", object_id=order.pk, fields=fields)
        return {
            "name": order.appellant_name,
            "phones": order.appellant_phones,
            "id_number": order.appellant_id_number,
            "hidden": False,
            "masked": False,
        }
    return {
        "name": order.appellant_name if not order.is_confidential else mask_name(order.appellant_name),
        "phones": [mask_phone(p) for p in order.appellant_phones],
        "id_number": mask_id_number(order.appellant_id_number) if order.appellant_id_number else "",
        "hidden": False,
        "masked": True,
    }


def text_mode(order: Order, user: User, unmask: bool) -> str:
    """How the appeal's own words may be shown: "raw", "masked" (numbers) or "hidden" (no identity)."""
    if identity_hidden(user, order):
        return "hidden"
    return "raw" if unmask and may_unmask(user, order) else "masked"


def shown_text(order: Order, text: str, mode: str) -> str:
    """Free text (title, summary, body) under the same rule as the appellant block."""
    if mode == "raw" or not text:
        return text
    if mode == "hidden":
        return redact_text(text, hide_identity=True, names=(order.appellant_name,))
    masked = redact_text(text, hide_identity=False)
    if order.is_confidential and len(order.appellant_name) >= 2:
        masked = masked.replace(order.appellant_name, mask_name(order.appellant_name))
    return masked


IDENTITY_SUGGESTIONS = ("appellant_name", "phones", "id_number")


def shown_suggestions(order: Order, user: User, mode: str) -> dict[str, Any]:
    """The stored intake analysis, cut to what this viewer may see.

    It holds the phones and name read from the text, and the similar orders the call-taker was shown:
    other orders' words, which a unit must only see when it may see those orders themselves.
    """
    suggestions = dict(order.ai_suggestions or {})
    fields = dict(suggestions.get("fields") or {})
    if mode != "raw":
        for name in IDENTITY_SUGGESTIONS:
            if name in fields and mode == "hidden":
                fields.pop(name)
            elif name in fields:
                value = _masked_value(name, fields[name].get("value"))
                fields[name] = {**fields[name], "value": value, "label": value, "evidence": [], "ranked": []}
        suggestions["fields"] = fields
    similar = suggestions.get("similar") or []
    if similar and not is_city_wide(user):
        ids = [row.get("order_id") for row in similar if isinstance(row, dict)]
        allowed = set(
            visible_orders(user).filter(pk__in=[i for i in ids if isinstance(i, int)]).values_list("pk", flat=True)
        )
        similar = [row for row in similar if isinstance(row, dict) and row.get("order_id") in allowed]
    if mode != "raw":
        similar = [{**row, "text": redact_text(str(row.get("text", "")), hide_identity=False)} for row in similar]
    suggestions["similar"] = similar
    return suggestions


def _masked_value(name: str, value: Any) -> Any:
    if name == "phones" and isinstance(value, list):
        return [mask_phone(str(p)) for p in value]
    if name == "id_number" and isinstance(value, str) and value:
        return mask_id_number(value)
    if name == "appellant_name" and isinstance(value, str):
        return mask_name(value)
    return value


class OrderListOutput(serializers.ModelSerializer):
    status_display = serializers.SerializerMethodField()
    channel_display = serializers.SerializerMethodField()
    appeal_type_display = serializers.SerializerMethodField()
    category = serializers.SerializerMethodField()
    district = serializers.SerializerMethodField()
    town = serializers.SerializerMethodField()
    lead_unit = serializers.SerializerMethodField()
    appellant = serializers.SerializerMethodField()
    overdue = serializers.SerializerMethodField()

    class Meta:
        model = Order
        fields = [
            "id", "number", "status", "status_display", "channel", "channel_display", "appeal_type",
            "appeal_type_display", "urgency", "category", "title", "summary", "district", "town", "address",
            "lead_unit", "appellant", "received_at", "sign_due", "reply_due", "overdue", "was_overdue",
            "supervised", "version",
        ]  # fmt: skip

    def to_representation(self, order: Order) -> dict[str, Any]:
        """The list row built directly: DRF's per-field machinery was most of a 50-row page's CPU time.

        The declared fields above stay for the OpenAPI schema; `test_list_row_matches_declared_fields`
        keeps the two in step.
        """
        request = self.context.get("request")
        user = request.user if request is not None else None
        mode = text_mode(order, user, bool(self.context.get("unmask"))) if isinstance(user, User) else "hidden"
        if type(self) is not OrderListOutput:
            data = dict(super().to_representation(order))
            for name in ("title", "summary", "text"):
                if name in data:
                    data[name] = shown_text(order, data[name], mode)
            if "ai" in data and isinstance(user, User):
                data["ai"] = {**data["ai"], "suggestions": shown_suggestions(order, user, mode)}
            return data
        category = order.category
        return {
            "id": order.pk,
            "number": order.number,
            "status": order.status,
            "status_display": choice_label(Status, order.status),
            "channel": order.channel,
            "channel_display": choice_label(Channel, order.channel),
            "appeal_type": order.appeal_type,
            "appeal_type_display": choice_label(AppealType, order.appeal_type),
            "urgency": order.urgency,
            "category": {"code": category.code, "name": category.name} if category is not None else None,
            "title": shown_text(order, order.title, mode),
            "summary": shown_text(order, order.summary, mode),
            "district": org_ref(order.district),
            "town": org_ref(order.town),
            "address": order.address,
            "lead_unit": org_ref(order.lead_unit),
            "appellant": appellant_view(order, user, unmask=False) if isinstance(user, User) else None,
            "received_at": local_iso(order.received_at),
            "sign_due": local_iso(order.sign_due),
            "reply_due": local_iso(order.reply_due),
            "overdue": is_overdue(order),
            "was_overdue": order.was_overdue,
            "supervised": order.supervised,
            "version": order.version,
        }

    def get_status_display(self, order: Order) -> str:
        return choice_label(Status, order.status)

    def get_channel_display(self, order: Order) -> str:
        return choice_label(Channel, order.channel)

    def get_appeal_type_display(self, order: Order) -> str:
        return choice_label(AppealType, order.appeal_type)

    @extend_schema_field(
        {"type": "object", "nullable": True, "properties": {"code": {"type": "string"}, "name": {"type": "string"}}}
    )
    def get_category(self, order: Order) -> dict[str, str] | None:
        return {"code": order.category.code, "name": order.category.name} if order.category else None

    @extend_schema_field({"type": "object", "nullable": True})
    def get_district(self, order: Order) -> dict[str, str] | None:
        return org_ref(order.district)

    @extend_schema_field({"type": "object", "nullable": True})
    def get_town(self, order: Order) -> dict[str, str] | None:
        return org_ref(order.town)

    @extend_schema_field({"type": "object", "nullable": True})
    def get_lead_unit(self, order: Order) -> dict[str, str] | None:
        return org_ref(order.lead_unit)

    @extend_schema_field({"type": "object"})
    def get_appellant(self, order: Order) -> dict[str, Any]:
        return appellant_view(order, self.context["request"].user, unmask=False)

    def get_overdue(self, order: Order) -> bool:
        return is_overdue(order)


class OrderDetailOutput(OrderListOutput):
    community = serializers.SerializerMethodField()
    assignments = serializers.SerializerMethodField()
    deadlines = serializers.SerializerMethodField()
    parent: Any = serializers.SerializerMethodField()  # type: ignore[assignment]
    merged_children = serializers.SerializerMethodField()
    allowed_actions = serializers.SerializerMethodField()
    callback = serializers.SerializerMethodField()
    ai = serializers.SerializerMethodField()

    class Meta(OrderListOutput.Meta):
        fields = [
            *OrderListOutput.Meta.fields,
            "text", "petition_kind", "tags", "is_anonymous", "is_confidential", "community", "latitude",
            "longitude", "assignments", "deadlines", "parent", "merged_children", "dispatched_at", "signed_at",
            "replied_at", "closed_at", "reply_text", "callback", "redo_count", "return_count", "extension_count",
            "allowed_actions", "ai",
        ]  # fmt: skip

    @extend_schema_field({"type": "object", "nullable": True})
    def get_community(self, order: Order) -> dict[str, str] | None:
        return org_ref(order.community)

    @extend_schema_field({"type": "object"})
    def get_appellant(self, order: Order) -> dict[str, Any]:
        return appellant_view(order, self.context["request"].user, unmask=bool(self.context.get("unmask")))

    @extend_schema_field({"type": "array", "items": {"type": "object"}})
    def get_assignments(self, order: Order) -> list[dict[str, Any]]:
        return [
            {
                "unit": org_ref(a.unit),
                "role": a.role,
                "state": a.state,
                "dispatched_at": local_iso(a.dispatched_at),
                "signed_at": local_iso(a.signed_at),
                "replied_at": local_iso(a.replied_at),
                "reply_text": a.reply_text,
            }
            for a in order.assignments.select_related("unit").exclude(state=AssignmentState.WITHDRAWN)
        ]

    @extend_schema_field({"type": "object"})
    def get_deadlines(self, order: Order) -> dict[str, Any]:
        return {
            "accept_due": local_iso(order.accept_due),
            "sign_due": local_iso(order.sign_due),
            "reply_due": local_iso(order.reply_due),
            "callback_due": local_iso(order.callback_due),
            "exact": order.deadline_exact,
            "rule_version": order.rule_version,
            "sign_late": order.sign_late,
        }

    @extend_schema_field({"type": "string", "nullable": True})
    def get_parent(self, order: Order) -> str | None:
        return order.parent.number if order.parent else None

    @extend_schema_field({"type": "array", "items": {"type": "string"}})
    def get_merged_children(self, order: Order) -> list[str]:
        return [c.number or "" for c in order.merged_children.all()]

    @extend_schema_field({"type": "array", "items": {"type": "string"}})
    def get_allowed_actions(self, order: Order) -> list[str]:
        return allowed_actions(order, self.context["request"].user)

    @extend_schema_field({"type": "object"})
    def get_callback(self, order: Order) -> dict[str, Any]:
        return {"contacted": order.contacted, "solved": order.solved, "satisfaction": order.satisfaction}

    @extend_schema_field({"type": "object"})
    def get_ai(self, order: Order) -> dict[str, Any]:
        return {"model_version": order.ai_model_version, "suggestions": order.ai_suggestions}


class EventOutput(serializers.ModelSerializer):
    actor = serializers.SerializerMethodField()
    actor_unit = serializers.SerializerMethodField()

    class Meta:
        model = OrderEvent
        fields = [
            "seq", "kind", "at", "actor", "actor_role", "actor_unit", "reason", "old_status", "new_status",
            "data", "deadline", "rule_version",
        ]  # fmt: skip

    @extend_schema_field({"type": "string", "nullable": True})
    def get_actor(self, event: OrderEvent) -> str | None:
        return str(event.actor) if event.actor else None

    @extend_schema_field({"type": "object", "nullable": True})
    def get_actor_unit(self, event: OrderEvent) -> dict[str, str] | None:
        return org_ref(event.actor_unit)
