"""API keys (with their rate-limit counters), per-category service questions, and the submissions log."""

from __future__ import annotations

import secrets
import uuid
from typing import Any

from django.db import models
from django.utils.translation import gettext_lazy as _

from lianxin.core.models import Category


def new_key() -> str:
    return secrets.token_urlsafe(24)


class CoordinateSystem(models.TextChoices):
    WGS84 = "wgs84", _("WGS-84（GPS，Open311 标准）")
    GCJ02 = "gcj02", _("GCJ-02（高德/腾讯地图）")


class ApiKey(models.Model):
    """A client allowed to POST requests; GET methods need no key (GeoReport v2)."""

    key = models.CharField(_("密钥"), max_length=64, unique=True, default=new_key)
    name = models.CharField(_("客户端名称"), max_length=100)
    channel = models.CharField(
        _("渠道名称"), max_length=50, help_text=_("该客户端在工单上显示的来源，如「舟山通APP」，记为工单标签")
    )
    coordinates = models.CharField(
        _("客户端坐标系"),
        max_length=8,
        choices=CoordinateSystem.choices,
        default=CoordinateSystem.WGS84,
        help_text=_("GCJ-02 坐标在入库前转换为 WGS-84"),
    )
    rate_limit_per_minute = models.PositiveIntegerField(_("每分钟请求上限"), default=30)
    is_active = models.BooleanField(_("启用"), default=True, help_text=_("取消勾选即吊销，之后的请求返回 403"))
    contact = models.CharField(_("联系人"), max_length=200, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    revoked_at = models.DateTimeField(_("吊销时间"), null=True, blank=True)

    class Meta:
        verbose_name = _("Open311 API 密钥")
        verbose_name_plural = _("Open311 API 密钥")
        ordering = ["name"]

    def __str__(self) -> str:
        return f"{self.name} ({self.channel})"

    def save(self, *args: Any, **kwargs: Any) -> None:
        if self.is_active:
            self.revoked_at = None
        elif self.revoked_at is None:
            from django.utils import timezone

            self.revoked_at = timezone.now()
        super().save(*args, **kwargs)


class ApiKeyUsage(models.Model):
    """Requests per key per minute: the rate limit is counted here, so every process sees the same count."""

    api_key = models.ForeignKey(ApiKey, on_delete=models.CASCADE, related_name="usage")
    minute = models.DateTimeField()
    count = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["api_key", "minute"], name="open311_usage_key_minute")]


class Datatype(models.TextChoices):
    STRING = "string", "string"
    NUMBER = "number", "number"
    DATETIME = "datetime", "datetime"
    TEXT = "text", "text"
    SINGLE = "singlevaluelist", "singlevaluelist"
    MULTI = "multivaluelist", "multivaluelist"


class ServiceQuestion(models.Model):
    """An attribute of a service definition.

    A question without a category belongs to every service; one on a level-1 or level-2 category to every
    service below it. While no question without a category exists, the built-in default set applies
    (lianxin/open311/questions.py).
    """

    category = models.ForeignKey(
        Category,
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="open311_questions",
        verbose_name=_("分类"),
        help_text=_("留空表示适用于全部服务"),
    )
    code = models.SlugField(_("编码"), max_length=50)
    description = models.CharField(_("问题"), max_length=300)
    datatype = models.CharField(_("数据类型"), max_length=20, choices=Datatype.choices, default=Datatype.STRING)
    datatype_description = models.CharField(_("填写说明"), max_length=200, blank=True)
    required = models.BooleanField(_("必填"), default=False)
    variable = models.BooleanField(_("需要作答"), default=True, help_text=_("不勾选则仅作提示文字展示"))
    order = models.PositiveIntegerField(_("顺序"), default=100)
    values = models.JSONField(
        _("选项"), default=list, blank=True, help_text=_('列表题的选项：[{"key": "a", "name": "选项A"}, …]')
    )
    is_active = models.BooleanField(_("启用"), default=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("Open311 服务问题")
        verbose_name_plural = _("Open311 服务问题")
        ordering = ["order", "code"]
        constraints = [
            models.UniqueConstraint(fields=["category", "code"], name="open311_question_category_code"),
            models.UniqueConstraint(
                fields=["code"], condition=models.Q(category__isnull=True), name="open311_question_global_code"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.code}: {self.description}"


class Submission(models.Model):
    """One accepted POST requests: what the client sent beside the work order it became.

    Personal fields (email, device and account ids) stay here and are never shown by a GET method.
    """

    order = models.OneToOneField("orders.Order", on_delete=models.CASCADE, related_name="open311_submission")
    api_key = models.ForeignKey(ApiKey, on_delete=models.PROTECT, related_name="submissions")
    token = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    body_hash = models.CharField(max_length=64)
    idempotency_key = models.CharField(max_length=80, blank=True)
    created_at = models.DateTimeField(db_index=True)
    attributes = models.JSONField(default=dict, blank=True)
    media_url = models.URLField(max_length=1000, blank=True)
    address_id = models.CharField(max_length=100, blank=True)
    email = models.EmailField(blank=True)
    device_id = models.CharField(max_length=100, blank=True)
    account_id = models.CharField(max_length=100, blank=True)
    coordinates_received = models.JSONField(
        default=dict, blank=True, help_text=_("客户端原始坐标及其坐标系（入库坐标为 WGS-84）")
    )

    class Meta:
        verbose_name = _("Open311 提交记录")
        verbose_name_plural = _("Open311 提交记录")
        ordering = ["-created_at"]
        indexes = [models.Index(fields=["api_key", "body_hash", "created_at"], name="open311_sub_dedup")]

    def __str__(self) -> str:
        return f"{self.api_key.channel} → {self.order}"
