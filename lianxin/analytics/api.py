from __future__ import annotations

import datetime as dt

from django.utils import timezone
from django.utils.translation import gettext as _
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import serializers
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from lianxin.analytics.kpis import Period, compute
from lianxin.core.models import Organisation, User
from lianxin.core.serializer_fields import EARLIEST_DATE, DateField, TextField
from lianxin.orders.models import Assignment
from lianxin.orders.policy import visible_orders


class KpiQuery(serializers.Serializer):
    start = DateField(required=False, help_text="First day (Asia/Shanghai); default 30 days ago.")
    end = DateField(required=False, help_text="Last day, inclusive; default today.")
    unit = TextField(required=False, help_text="Only orders assigned to this unit or its sub-units.")

    def validate(self, attrs: dict) -> dict:  # type: ignore[type-arg]
        today = timezone.localdate()
        attrs.setdefault("end", today)
        attrs.setdefault("start", max(attrs["end"] - dt.timedelta(days=29), EARLIEST_DATE))
        if attrs["start"] > attrs["end"]:
            raise serializers.ValidationError({"end": [_("结束日期不能早于开始日期")]})
        return attrs


class KpiView(APIView):
    @extend_schema(
        parameters=[
            OpenApiParameter("start", dt.date),
            OpenApiParameter("end", dt.date),
            OpenApiParameter("unit", str),
        ],
        responses={200: {"type": "object"}},
    )
    def get(self, request: Request) -> Response:
        query = KpiQuery(data=request.query_params)
        query.is_valid(raise_exception=True)
        user = request.user
        assert isinstance(user, User)
        tz = timezone.get_current_timezone()
        start = dt.datetime.combine(query.validated_data["start"], dt.time.min, tzinfo=tz)
        end = dt.datetime.combine(query.validated_data["end"] + dt.timedelta(days=1), dt.time.min, tzinfo=tz)
        orders = visible_orders(user)
        code = query.validated_data.get("unit")
        if code:
            org = Organisation.objects.filter(code=code).first()
            if org is None:
                raise serializers.ValidationError({"unit": [_("未知单位编码「%(c)s」") % {"c": code}]})
            orders = orders.filter(pk__in=Assignment.objects.filter(unit_path__startswith=org.path).values("order_id"))
        return Response(compute(orders, Period(start, end)))
