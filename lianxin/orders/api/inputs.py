"""Validated input for creating an order and for each action; every error names its field."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.utils import timezone
from django.utils.translation import gettext as _
from rest_framework import serializers

from lianxin.core.models import OrgKind
from lianxin.core.personal_data import normalise_id_number, normalise_phone
from lianxin.core.serializer_fields import (
    CategoryField,
    CodeField,
    DateTimeField,
    FloatField,
    OrgField,
    StrictSerializer,
    TextField,
)
from lianxin.orders.actions.intake import MAX_BATCH
from lianxin.orders.choices import AppealType, Channel, PetitionKind, Satisfaction, Urgency

MAX_TEXT = 5000
UNIT_KINDS = [OrgKind.DISTRICT, OrgKind.TOWN, OrgKind.COMMUNITY, OrgKind.DEPARTMENT, OrgKind.UTILITY]


class OrderCreateInput(StrictSerializer):
    channel = serializers.ChoiceField(choices=Channel.choices)
    appeal_type = serializers.ChoiceField(choices=AppealType.choices, required=False)
    urgency = serializers.ChoiceField(choices=Urgency.choices, required=False)
    petition_kind = serializers.ChoiceField(choices=PetitionKind.choices, required=False)
    text = TextField(max_length=MAX_TEXT, trim_whitespace=True)
    title = TextField(max_length=200, required=False, allow_blank=True)
    category = CategoryField(required=False, allow_null=True)
    appellant_name = TextField(max_length=50, required=False, allow_blank=True)
    appellant_phones = serializers.ListField(child=TextField(max_length=30), max_length=5, required=False)
    appellant_id_number = TextField(max_length=18, required=False, allow_blank=True)
    is_anonymous = serializers.BooleanField(required=False, default=False)
    is_confidential = serializers.BooleanField(required=False, default=False)
    reported_unit = OrgField(kinds=UNIT_KINDS, required=False, allow_null=True)
    district = OrgField(kinds=[OrgKind.DISTRICT], required=False, allow_null=True)
    town = OrgField(kinds=[OrgKind.TOWN], required=False, allow_null=True)
    community = OrgField(kinds=[OrgKind.COMMUNITY], required=False, allow_null=True)
    address = TextField(max_length=300, required=False, allow_blank=True)
    latitude = FloatField(min_value=-90, max_value=90, required=False, allow_null=True)
    longitude = FloatField(min_value=-180, max_value=180, required=False, allow_null=True)
    received_at = DateTimeField(required=False)
    tags = serializers.ListField(child=TextField(max_length=20), max_length=10, required=False)
    analyze = serializers.BooleanField(required=False, default=True, help_text="Run intake analysis and fill blanks.")
    idempotency_key = TextField(max_length=80, required=False)

    def validate_appellant_phones(self, value: list[str]) -> list[str]:
        normalised = []
        for raw in value:
            phone = normalise_phone(raw)
            if phone is None:
                raise serializers.ValidationError(_("电话号码「%(p)s」无效") % {"p": raw})
            normalised.append(phone)
        return list(dict.fromkeys(normalised))

    def validate_appellant_id_number(self, value: str) -> str:
        if not value:
            return ""
        checked = normalise_id_number(value)
        if checked is None:
            raise serializers.ValidationError(_("身份证号格式或校验位有误"))
        return checked

    def validate_received_at(self, value: dt.datetime) -> dt.datetime:
        if value > timezone.now() + dt.timedelta(minutes=5):
            raise serializers.ValidationError(_("受理时间不能晚于当前时间"))
        return value

    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        if (attrs.get("latitude") is None) != (attrs.get("longitude") is None):
            raise serializers.ValidationError({"latitude": [_("经度和纬度须同时提供")]})
        return attrs


class OrderBatchInput(StrictSerializer):
    orders = serializers.ListField(
        child=OrderCreateInput(),
        min_length=1,
        max_length=MAX_BATCH,
        help_text="Orders as for a single create; give each an idempotency_key so that a retried batch "
        "creates nothing twice.",
    )

    def to_internal_value(self, data: Any) -> Any:
        items = data.get("orders") if isinstance(data, dict) else None
        if isinstance(items, list) and len(items) <= MAX_BATCH:
            self._resolve_codes(items)
        return super().to_internal_value(data)

    def _resolve_codes(self, items: list[Any]) -> None:
        """One query per reference field for the whole batch instead of one per distinct code."""
        child = self.fields["orders"].child  # type: ignore[attr-defined]
        for name, field in child.fields.items():
            if not isinstance(field, CodeField):
                continue
            codes = {item.get(name) for item in items if isinstance(item, dict)}
            field.preload({code for code in codes if isinstance(code, str) and "\x00" not in code})


class VersionedInput(StrictSerializer):
    expected_version = serializers.IntegerField(
        required=False, min_value=1, help_text="The version you saw; a colleague's change makes it 409."
    )
    reason = TextField(max_length=1000, required=False, allow_blank=True, default="")


class AnswerInput(VersionedInput):
    reply = TextField(max_length=MAX_TEXT)


class DispatchInput(VersionedInput):
    lead_unit = OrgField(kinds=UNIT_KINDS)
    co_units = serializers.ListField(child=OrgField(kinds=UNIT_KINDS), max_length=10, required=False, default=list)


class ReasonRequiredInput(VersionedInput):
    reason = TextField(max_length=1000)


class ReturnInput(ReasonRequiredInput):
    suggested_unit = OrgField(kinds=UNIT_KINDS, required=False, allow_null=True)


class ExtensionInput(ReasonRequiredInput):
    days = serializers.IntegerField(min_value=1, max_value=90)


class ReplyInput(VersionedInput):
    text = TextField(max_length=MAX_TEXT)
    attachments = serializers.ListField(child=TextField(max_length=300), max_length=10, required=False)


class CallbackInput(VersionedInput):
    contacted = serializers.BooleanField()
    solved = serializers.BooleanField(required=False, allow_null=True, default=None)
    satisfaction = serializers.ChoiceField(choices=Satisfaction.choices, required=False, allow_blank=True, default="")
    redo_if_unsatisfied = serializers.BooleanField(required=False, default=False)


class MergeInput(ReasonRequiredInput):
    into = TextField(max_length=24, help_text="Order number or id of the parent order.")
