"""Forms of the workbench: validation of what a person typed; the actions enforce the business rules."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

from django import forms
from django.core.files.uploadedfile import UploadedFile
from django.utils.translation import gettext_lazy as _

from lianxin.core.models import Category, Organisation
from lianxin.orders.choices import AppealType, Channel, Satisfaction, Urgency
from lianxin.web.present import UNIT_KINDS, unit_groups

MAX_ATTACHMENTS = 5
MAX_ATTACHMENT_BYTES = 10 * 1024 * 1024
ALLOWED_EXTENSIONS = {".jpg", ".jpeg", ".png", ".gif", ".pdf", ".doc", ".docx", ".xls", ".xlsx", ".txt"}
PHONE_SPLIT = re.compile(r"[\s,，;；、/]+")


def _units() -> Any:
    return Organisation.objects.filter(kind__in=UNIT_KINDS, is_active=True)


class GroupedUnitSelect(forms.Select):
    """Handling units grouped by kind (departments, utilities, districts, towns)."""

    def optgroups(self, name: str, value: Any, attrs: dict[str, Any] | None = None) -> Any:
        blank: list[Any] = [] if self.allow_multiple_selected else [("", "—")]
        self.choices = blank + list(unit_groups())
        return super().optgroups(name, value, attrs)


class GroupedUnitSelectMultiple(GroupedUnitSelect):
    allow_multiple_selected = True

    def value_from_datadict(self, data: Any, files: Any, name: str) -> Any:
        getter = getattr(data, "getlist", None)
        return getter(name) if getter else data.get(name)


class UnitChoiceField(forms.ModelChoiceField):
    def __init__(self, **kwargs: Any) -> None:
        super().__init__(queryset=_units(), widget=GroupedUnitSelect, **kwargs)


class IntakeForm(forms.Form):
    channel = forms.ChoiceField(label=_("渠道"), choices=Channel.choices, initial=Channel.HOTLINE)
    text = forms.CharField(label=_("来电内容"), widget=forms.Textarea(attrs={"rows": 9}), max_length=5000)
    appeal_type = forms.ChoiceField(label=_("诉求类型"), choices=[("", "—"), *AppealType.choices])
    urgency = forms.ChoiceField(label=_("紧急程度"), choices=Urgency.choices, initial=Urgency.NORMAL)
    category = forms.ModelChoiceField(
        label=_("分类"), queryset=Category.objects.filter(is_active=True).order_by("code"), required=False
    )
    district = forms.ModelChoiceField(
        label=_("区县"), queryset=Organisation.objects.filter(kind="district").order_by("path"), required=False
    )
    town = forms.ModelChoiceField(
        label=_("乡镇街道"), queryset=Organisation.objects.filter(kind="town").order_by("path"), required=False
    )
    address = forms.CharField(label=_("详细地址"), max_length=300, required=False)
    appellant_name = forms.CharField(label=_("诉求人"), max_length=50, required=False)
    appellant_phones = forms.CharField(label=_("联系电话"), max_length=100, required=False)
    is_anonymous = forms.BooleanField(label=_("匿名"), required=False)
    is_confidential = forms.BooleanField(label=_("要求保密"), required=False)
    summary = forms.CharField(label=_("摘要"), max_length=200, required=False)
    reply = forms.CharField(
        label=_("直办答复"), widget=forms.Textarea(attrs={"rows": 3}), max_length=5000, required=False
    )
    idempotency_key = forms.CharField(widget=forms.HiddenInput, max_length=80)
    decision = forms.ChoiceField(choices=[("answer", "answer"), ("accept", "accept")], widget=forms.HiddenInput)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["category"].label_from_instance = lambda c: f"{'　' * (c.level - 1)}{c.name}"  # type: ignore[attr-defined]
        self.fields["town"].label_from_instance = lambda o: o.name  # type: ignore[attr-defined]

    def clean_appellant_phones(self) -> list[str]:
        raw = self.cleaned_data.get("appellant_phones") or ""
        phones = [p for p in PHONE_SPLIT.split(raw) if p]
        for phone in phones:
            if not re.fullmatch(r"\+?[0-9-]{5,20}", phone):
                raise forms.ValidationError(_("电话号码「%(p)s」格式不正确"), params={"p": phone})
        return phones

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("decision") == "answer" and not (data.get("reply") or "").strip():
            self.add_error("reply", _("直办办结须填写答复内容"))
        return data


class ReasonForm(forms.Form):
    reason = forms.CharField(label=_("理由"), max_length=2000, required=False, widget=forms.Textarea(attrs={"rows": 2}))


class ReasonRequiredForm(forms.Form):
    reason = forms.CharField(label=_("理由"), max_length=2000, widget=forms.Textarea(attrs={"rows": 2}))


class AnswerForm(ReasonForm):
    reply = forms.CharField(label=_("答复内容"), max_length=5000, widget=forms.Textarea(attrs={"rows": 3}))


class DispatchForm(ReasonForm):
    lead_unit = UnitChoiceField(label=_("主办单位"))
    co_units = forms.ModelMultipleChoiceField(
        label=_("协办单位"),
        queryset=_units(),
        required=False,
        widget=GroupedUnitSelectMultiple(attrs={"size": 3}),
    )


class BatchDispatchForm(DispatchForm):
    orders = forms.CharField(required=False)

    def __init__(self, data: Any = None, **kwargs: Any) -> None:
        super().__init__(data, **kwargs)
        self.order_ids = [int(v) for v in (data.getlist("orders") if data is not None else []) if str(v).isdigit()]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if not self.order_ids:
            raise forms.ValidationError(_("请至少勾选一张工单"))
        return data


class ReturnForm(ReasonRequiredForm):
    suggested_unit = UnitChoiceField(label=_("建议承办单位"), required=False)


class ExtensionForm(ReasonRequiredForm):
    days = forms.IntegerField(label=_("延期天数"), min_value=1, max_value=60, initial=5)


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("widget", MultipleFileInput())
        super().__init__(*args, **kwargs)

    def clean(self, data: Any, initial: Any = None) -> list[UploadedFile]:
        files = data if isinstance(data, (list, tuple)) else ([data] if data else [])
        if len(files) > MAX_ATTACHMENTS:
            raise forms.ValidationError(_("附件最多 %(n)s 个"), params={"n": MAX_ATTACHMENTS})
        for upload in files:
            if Path(upload.name or "").suffix.lower() not in ALLOWED_EXTENSIONS:
                raise forms.ValidationError(
                    _("附件「%(f)s」类型不允许（允许：图片、PDF、Word、Excel、文本）"), params={"f": upload.name}
                )
            if (upload.size or 0) > MAX_ATTACHMENT_BYTES:
                raise forms.ValidationError(_("附件「%(f)s」超过 10 MB"), params={"f": upload.name})
        return list(files)


class ReplyForm(forms.Form):
    text = forms.CharField(label=_("答复内容"), max_length=5000, widget=forms.Textarea(attrs={"rows": 4}))
    attachments = MultipleFileField(label=_("附件"), required=False)


class CallbackForm(forms.Form):
    contacted = forms.TypedChoiceField(
        label=_("是否联系上"),
        choices=[("1", _("已联系上")), ("0", _("未联系上"))],
        coerce=lambda v: v == "1",
        widget=forms.RadioSelect,
        initial="1",
    )
    solved = forms.TypedChoiceField(
        label=_("是否解决"),
        choices=[("", "—"), ("1", _("已解决")), ("0", _("未解决"))],
        coerce=lambda v: v == "1",
        empty_value=None,
        required=False,
    )
    satisfaction = forms.ChoiceField(label=_("满意度"), choices=[("", "—"), *Satisfaction.choices], required=False)
    reason = forms.CharField(label=_("回访记录"), max_length=2000, required=False)
    redo_if_unsatisfied = forms.BooleanField(label=_("不满意则退回重办"), required=False, initial=True)
    close_after = forms.BooleanField(label=_("满意则直接办结"), required=False, initial=True)


class MergeForm(ReasonRequiredForm):
    into = forms.CharField(label=_("并入工单编号"), max_length=24)
