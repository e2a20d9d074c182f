"""List filters for orders; bad values are 400s naming the filter."""

from __future__ import annotations

from typing import Any

import django_filters
from django import forms
from django.db.models import Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _
from django_filters.fields import IsoDateTimeField
from rest_framework.exceptions import ValidationError

from lianxin.core.models import Organisation
from lianxin.core.serializer_fields import EARLIEST_DATE, LATEST_DATE
from lianxin.orders.choices import AppealType, AssignmentState, Channel, Status
from lianxin.orders.models import Assignment, Order


class _StrictBooleanField(forms.NullBooleanField):
    """true/false/1/0, or absent; anything else is an error rather than silently no filter."""

    widget = forms.TextInput

    def to_python(self, value: Any) -> bool | None:  # type: ignore[override]  # None is "no filter"
        text = str(value or "").strip().lower()
        if text in ("", "none"):
            return None
        if text in ("true", "1", "yes"):
            return True
        if text in ("false", "0", "no"):
            return False
        raise forms.ValidationError(_("须为 true 或 false"), code="invalid")


class BooleanFilter(django_filters.BooleanFilter):
    field_class = _StrictBooleanField


class _BoundedDateTimeField(IsoDateTimeField):
    """Far-off years overflow the database's timezone conversion; they are an input error, not a 500."""

    def to_python(self, value: Any) -> Any:
        moment = super().to_python(value)
        if moment is not None and not EARLIEST_DATE <= moment.date() <= LATEST_DATE:
            raise forms.ValidationError(
                _("时间须在 %(start)s 至 %(end)s 之间") % {"start": EARLIEST_DATE, "end": LATEST_DATE}, code="invalid"
            )
        return moment


class DateTimeFilter(django_filters.IsoDateTimeFilter):
    field_class = _BoundedDateTimeField


class OrderFilter(django_filters.FilterSet):
    # distinct=False: these filters join nothing, and SELECT DISTINCT would sort every matching row.
    status = django_filters.MultipleChoiceFilter(choices=Status.choices, distinct=False)
    channel = django_filters.MultipleChoiceFilter(choices=Channel.choices, distinct=False)
    appeal_type = django_filters.MultipleChoiceFilter(choices=AppealType.choices, distinct=False)
    category = django_filters.CharFilter(method="filter_category", help_text="Category code or its prefix.")
    district = django_filters.CharFilter(field_name="district__code")
    town = django_filters.CharFilter(field_name="town__code")
    unit = django_filters.CharFilter(method="filter_unit", help_text="Assigned to this unit or its sub-units.")
    overdue = BooleanFilter(method="filter_overdue")
    supervised = BooleanFilter()
    received_after = DateTimeFilter(field_name="received_at", lookup_expr="gte")
    received_before = DateTimeFilter(field_name="received_at", lookup_expr="lt")
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
