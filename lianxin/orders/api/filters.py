"""List filters for orders; bad values are 400s naming the filter."""

from __future__ import annotations

from typing import Any

import django_filters
from django.db.models import Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _
from rest_framework.exceptions import ValidationError

from lianxin.core.models import Organisation
from lianxin.orders.choices import AppealType, AssignmentState, Channel, Status
from lianxin.orders.models import Assignment, Order


class OrderFilter(django_filters.FilterSet):
    # distinct=False: these filters join nothing, and SELECT DISTINCT would sort every matching row.
    status = django_filters.MultipleChoiceFilter(choices=Status.choices, distinct=False)
    channel = django_filters.MultipleChoiceFilter(choices=Channel.choices, distinct=False)
    appeal_type = django_filters.MultipleChoiceFilter(choices=AppealType.choices, distinct=False)
    category = django_filters.CharFilter(method="filter_category", help_text="Category code or its prefix.")
    district = django_filters.CharFilter(field_name="district__code")
    town = django_filters.CharFilter(field_name="town__code")
    unit = django_filters.CharFilter(method="filter_unit", help_text="Assigned to this unit or its sub-units.")
    overdue = django_filters.BooleanFilter(method="filter_overdue")
    supervised = django_filters.BooleanFilter()
    received_after = django_filters.IsoDateTimeFilter(field_name="received_at", lookup_expr="gte")
    received_before = django_filters.IsoDateTimeFilter(field_name="received_at", lookup_expr="lt")
    number = django_filters.CharFilter()

    class Meta:
        model = Order
        fields: list[str] = []

    def filter_category(self, qs: QuerySet[Order], name: str, value: str) -> QuerySet[Order]:
        return qs.filter(category__code__startswith=value)

    def filter_unit(self, qs: QuerySet[Order], name: str, value: str) -> QuerySet[Order]:
        org = Organisation.objects.filter(code=value).first()
        if org is None:
            raise ValidationError({"unit": [_("未知单位编码「%(c)s」") % {"c": value}]})
        assigned = Assignment.objects.filter(unit_path__startswith=org.path).exclude(state=AssignmentState.WITHDRAWN)
        return qs.filter(pk__in=assigned.values("order_id"))

    def filter_overdue(self, qs: QuerySet[Order], name: str, value: bool | None) -> QuerySet[Order]:
        if value is None:
            return qs
        now = timezone.now()
        late = Q(status=Status.DISPATCHED, sign_due__lt=now) | Q(
            status__in=[Status.HANDLING, Status.RETURN_REQUESTED], reply_due__lt=now
        )
        return qs.filter(late) if value else qs.exclude(late)

    @property
    def qs(self) -> Any:
        data = self.form.cleaned_data if self.form.is_bound and self.form.is_valid() else {}
        after, before = data.get("received_after"), data.get("received_before")
        if after and before and after >= before:
            raise ValidationError({"received_before": [_("结束时间必须晚于开始时间")]})
        return super().qs
