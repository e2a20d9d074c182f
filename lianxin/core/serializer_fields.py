"""Serializer pieces every API in Lianxin uses: strict input, organisation and category references."""

from __future__ import annotations

from collections.abc import Collection
from typing import Any

from django.utils.translation import gettext as _
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


class OrgField(serializers.SlugRelatedField):
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


class CategoryField(serializers.SlugRelatedField):
    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("queryset", Category.objects.filter(is_active=True))
        kwargs.setdefault("slug_field", "code")
        kwargs.setdefault(
            "error_messages", {"does_not_exist": _("未知分类编码「{value}」"), "invalid": _("分类编码格式有误")}
        )
        super().__init__(**kwargs)


class OrgRefSerializer(serializers.Serializer):
    code = serializers.CharField()
    name = serializers.CharField()


class TextField(serializers.CharField):
    """A string field that refuses numbers and booleans instead of turning them into text."""

    def to_internal_value(self, data: Any) -> str:
        if not isinstance(data, str):
            self.fail("invalid")
        return str(super().to_internal_value(data))
