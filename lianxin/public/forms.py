"""The citizen forms. Every form re-renders with what the person typed when something is wrong."""

from __future__ import annotations

import re
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from lianxin.core.models import Organisation, OrgKind
from lianxin.core.personal_data import normalise_phone
from lianxin.orders.choices import AppealType, Satisfaction

TEXT_MIN, TEXT_MAX = 10, 2000
NUMBER_RE = re.compile(r"^[A-Z]{1,4}\d{8,20}$")


def districts() -> list[Organisation]:
    return list(Organisation.objects.filter(kind=OrgKind.DISTRICT, is_active=True).order_by("code"))


def town_choices() -> list[tuple[str, Any]]:
    """Towns grouped under their district, for a select with <optgroup>s."""
    groups: list[tuple[str, Any]] = [("", _("不清楚 / 不选择"))]
    towns = Organisation.objects.filter(kind=OrgKind.TOWN, is_active=True).select_related("parent")
    by_district: dict[str, list[tuple[str, str]]] = {}
    for town in towns.order_by("code"):
        district = town.parent.display_name if town.parent else ""
        by_district.setdefault(district, []).append((town.code, town.display_name))
    groups += [(name, rows) for name, rows in by_district.items()]
    return groups


class AppealForm(forms.Form):
    text = forms.CharField(
        label=_("反映内容"),
        min_length=TEXT_MIN,
        max_length=TEXT_MAX,
        widget=forms.Textarea(attrs={"rows": 6, "placeholder": _("请写清楚事情经过、发生地点和时间，以及您的诉求")}),
        error_messages={
            "required": _("请填写反映内容"),
            "min_length": _("反映内容太短，请至少写%(limit_value)d个字"),
            "max_length": _("反映内容请控制在%(limit_value)d字以内（当前%(show_value)d字）"),
        },
    )
    appeal_type = forms.ChoiceField(
        label=_("诉求类型"),
        choices=AppealType.choices,
        widget=forms.RadioSelect,
        error_messages={"required": _("请选择诉求类型"), "invalid_choice": _("请选择诉求类型")},
    )
    district = forms.ChoiceField(label=_("所在区县"), required=False)
    town = forms.ChoiceField(label=_("所在乡镇（街道）"), required=False)
    address = forms.CharField(
        label=_("详细地址"),
        required=False,
        max_length=200,
        widget=forms.TextInput(attrs={"placeholder": _("如：某某路12号附近")}),
    )
    name = forms.CharField(
        label=_("姓名"), required=False, max_length=30, widget=forms.TextInput(attrs={"autocomplete": "name"})
    )
    phone = forms.CharField(
        label=_("联系电话"),
        required=False,
        max_length=20,
        widget=forms.TextInput(attrs={"inputmode": "tel", "autocomplete": "tel"}),
    )
    confidential = forms.BooleanField(label=_("请求保密：不向被反映的单位或个人透露我的身份"), required=False)
    captcha = forms.IntegerField(
        label=_("验证题"),
        widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "off", "size": 4}),
        error_messages={"required": _("请填写验证题的答案"), "invalid": _("请填写数字")},
    )
    challenge = forms.CharField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.district_objects = {d.code: d for d in districts()}
        district_field = self.fields["district"]
        town_field = self.fields["town"]
        assert isinstance(district_field, forms.ChoiceField) and isinstance(town_field, forms.ChoiceField)
        district_field.choices = [
            ("", _("不清楚 / 不选择")),
            *((c, d.display_name) for c, d in self.district_objects.items()),
        ]
        town_field.choices = town_choices()

    def clean_text(self) -> str:
        return str(self.cleaned_data["text"]).strip()

    def clean_name(self) -> str:
        return str(self.cleaned_data["name"]).strip()

    def clean_phone(self) -> str:
        raw = str(self.cleaned_data["phone"]).strip()
        if not raw:
            return ""
        phone = normalise_phone(raw)
        if phone is None:
            raise forms.ValidationError(_("电话号码格式不正确，请填写11位手机号或带区号的固定电话"))
        return phone

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        district = self.district_objects.get(data.get("district") or "")
        town = None
        if data.get("town"):
            town = Organisation.objects.filter(code=data["town"], kind=OrgKind.TOWN).select_related("parent").first()
        if town is not None and district is not None and not town.is_within(district):
            self.add_error("town", _("所选乡镇（街道）不属于所选区县"))
        data["district_obj"] = district or (town.parent if town is not None else None)
        data["town_obj"] = town
        return data


class TrackForm(forms.Form):
    number = forms.CharField(
        label=_("工单编号"),
        max_length=30,
        widget=forms.TextInput(attrs={"autocomplete": "off", "autocapitalize": "characters", "placeholder": "ZS2026…"}),
        error_messages={"required": _("请填写工单编号")},
    )
    code = forms.CharField(
        label=_("查询码"),
        max_length=10,
        widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "off"}),
        error_messages={"required": _("请填写6位查询码")},
    )

    def clean_number(self) -> str:
        return re.sub(r"\s", "", str(self.cleaned_data["number"])).upper()

    def clean_code(self) -> str:
        return re.sub(r"\s", "", str(self.cleaned_data["code"]))


class RatingForm(TrackForm):
    satisfaction = forms.ChoiceField(
        label=_("您对办理结果是否满意"),
        choices=Satisfaction.choices,
        widget=forms.RadioSelect,
        error_messages={"required": _("请选择满意程度"), "invalid_choice": _("请选择满意程度")},
    )
    comment = forms.CharField(
        label=_("评价意见（选填）"),
        required=False,
        max_length=500,
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"max_length": _("评价意见请控制在%(limit_value)d字以内")},
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["number"].widget = forms.HiddenInput()
        self.fields["code"].widget = forms.HiddenInput()


MONTH_RE = re.compile(r"^(\d{4})-(\d{2})$")
