"""Login token and the reference lists (units, categories) API clients need to fill an order."""

from __future__ import annotations

from typing import Any

from django.contrib.auth import authenticate
from django.utils.translation import gettext as _
from drf_spectacular.utils import extend_schema, inline_serializer
from rest_framework import generics, serializers
from rest_framework.authtoken.models import Token
from rest_framework.permissions import AllowAny
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from lianxin.core.models import Category, Organisation, OrgKind
from lianxin.core.serializer_fields import StrictSerializer, TextField


class TokenInput(StrictSerializer):
    username = TextField(max_length=150)
    password = TextField(max_length=128, style={"input_type": "password"})


class TokenView(APIView):
    permission_classes = [AllowAny]
    authentication_classes: list[type] = []

    @extend_schema(
        request=TokenInput,
        responses=inline_serializer("TokenOutput", {"token": serializers.CharField(), "role": serializers.CharField()}),
    )
    def post(self, request: Request) -> Response:
        data = TokenInput(data=request.data)
        data.is_valid(raise_exception=True)
        user = authenticate(request, **data.validated_data)
        if user is None or not user.is_active:
            return Response({"detail": _("用户名或密码错误"), "code": "AuthenticationFailed"}, status=400)
        token, _created = Token.objects.get_or_create(user=user)
        return Response({"token": token.key, "role": getattr(user, "role", "")})


class UnitOutput(serializers.ModelSerializer):
    parent: Any = serializers.SlugRelatedField(slug_field="code", read_only=True)  # type: ignore[assignment]

    class Meta:
        model = Organisation
        fields = ["code", "name", "short_name", "kind", "parent"]


class UnitList(generics.ListAPIView):
    serializer_class = UnitOutput
    pagination_class = None

    def get_queryset(self):  # type: ignore[no-untyped-def]
        qs = Organisation.objects.filter(is_active=True).select_related("parent").order_by("path")
        kind = self.request.query_params.get("kind")
        if kind and kind not in OrgKind.values:
            raise serializers.ValidationError({"kind": [_("未知单位类型「%(k)s」") % {"k": kind}]})
        return qs.filter(kind=kind) if kind else qs


class CategoryOutput(serializers.ModelSerializer):
    parent: Any = serializers.SlugRelatedField(slug_field="code", read_only=True)  # type: ignore[assignment]
    default_unit: Any = serializers.SlugRelatedField(slug_field="code", read_only=True)
    tier: Any = serializers.SlugRelatedField(slug_field="code", read_only=True)

    class Meta:
        model = Category
        fields = ["code", "name", "level", "parent", "default_unit", "territorial", "tier"]


class CategoryList(generics.ListAPIView):
    serializer_class = CategoryOutput
    pagination_class = None
    queryset = Category.objects.filter(is_active=True).select_related("parent", "default_unit", "tier")
