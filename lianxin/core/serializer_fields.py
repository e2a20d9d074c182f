"""Serializer pieces every API in Lianxin uses: strict input, organisation and category references."""

from __future__ import annotations

import datetime as dt
from collections.abc import Collection
from typing import Any

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from rest_framework import serializers

from lianxin.core.models import Category, Organisation


class StrictSerializer(serializers.Serializer):
    """Rejects fields it does not know, so a typo never passes silently."""

    def to_internal_value(self, data: Any) -> Any:
        if not isinstance(data, dict):
            raise serializers.ValidationError({"non_field_errors": [_("请求体必须是JSON对象")]})
        unknown = sorted(set(data) - set(self.fields))
        if unknown:
            raise serializers.ValidationError({name: [_("未知字段")] for name in unknown})
        return super().to_internal_value(data)


NUL_MESSAGE = gettext_lazy("不能包含空字符（\\u0000）")
# Dates the system can meaningfully hold: far-off years overflow timezone arithmetic and the case number.
EARLIEST_DATE = dt.date(2000, 1, 1)
LATEST_DATE = dt.date(2099, 12, 31)


class CodeField(serializers.SlugRelatedField):
    """A code is a string without NUL: other types and NUL bytes are refused before any query (PostgreSQL
    rejects NUL in text, which would otherwise be a 500)."""

    def to_internal_value(self, data: Any) -> Any:
        if not isinstance(data, str) or "\x00" in data:
            self.fail("invalid")
        # A field instance lives for one request; a batch of 500 orders naming the same few towns
        # and categories asks the database once per code, not once per order.
        resolved: dict[str, Any] = self.__dict__.setdefault("_resolved", {})
        if data not in resolved:
            resolved[data] = super().to_internal_value(data)
        return resolved[data]

    def preload(self, codes: set[str]) -> None:
        """Resolve many codes with one query (bulk input); unknown ones still fail one by one later."""
        queryset = self.get_queryset()
        if codes and queryset is not None:
            resolved: dict[str, Any] = self.__dict__.setdefault("_resolved", {})
            found = queryset.filter(**{f"{self.slug_field}__in": codes})
            resolved.update({getattr(obj, self.slug_field): obj for obj in found})


class OrgField(CodeField):
    """An organisation by its code, optionally limited to some kinds."""

    def __init__(self, kinds: Collection[str] | None = None, **kwargs: Any) -> None:
        self.kinds = kinds
        qs = Organisation.objects.filter(is_active=True)
        if kinds:
            qs = qs.filter(kind__in=list(kinds))
        kwargs.setdefault("queryset", qs)
        kwargs.setdefault("slug_field", "code")
        kwargs.setdefault(
            "error_messages",
            {"does_not_exist": _("未知单位编码「{value}」"), "invalid": _("单位编码格式有误")},
        )
        super().__init__(**kwargs)


class CategoryField(CodeField):
    def __init__(self, **kwargs: Any) -> None:
        # The tier comes along: deadline rules read it for every new order.
        kwargs.setdefault("queryset", Category.objects.filter(is_active=True).select_related("tier"))
        kwargs.setdefault("slug_field", "code")
        kwargs.setdefault(
            "error_messages", {"does_not_exist": _("未知分类编码「{value}」"), "invalid": _("分类编码格式有误")}
        )
        super().__init__(**kwargs)


class OrgRefSerializer(serializers.Serializer):
    code = serializers.CharField()
    name = serializers.CharField()


class TextField(serializers.CharField):
    """A string field that refuses numbers, booleans and NUL bytes instead of turning them into text."""

    default_error_messages = {"null_characters": NUL_MESSAGE}

    def to_internal_value(self, data: Any) -> str:
        if not isinstance(data, str):
            self.fail("invalid")
        if "\x00" in data:
            self.fail("null_characters")
        return str(super().to_internal_value(data))


class DateTimeField(serializers.DateTimeField):
    """A date-time within EARLIEST_DATE..LATEST_DATE; a timezone-less one is Asia/Shanghai time."""

    default_error_messages = {"out_of_range": gettext_lazy("时间须在 {start} 至 {end} 之间")}

    def to_internal_value(self, value: Any) -> dt.datetime:
        moment = super().to_internal_value(value)
        if not EARLIEST_DATE <= moment.date() <= LATEST_DATE:
            self.fail("out_of_range", start=EARLIEST_DATE.isoformat(), end=LATEST_DATE.isoformat())
        return moment


class DateField(serializers.DateField):
    default_error_messages = {"out_of_range": gettext_lazy("日期须在 {start} 至 {end} 之间")}

    def to_internal_value(self, value: Any) -> dt.date:
        day = super().to_internal_value(value)
        if not EARLIEST_DATE <= day <= LATEST_DATE:
            self.fail("out_of_range", start=EARLIEST_DATE.isoformat(), end=LATEST_DATE.isoformat())
        return day


class FloatField(serializers.FloatField):
    """A number: true/false are not 1.0/0.0."""

    def to_internal_value(self, data: Any) -> float:
        if isinstance(data, bool):
            self.fail("invalid")
        return float(super().to_internal_value(data))
