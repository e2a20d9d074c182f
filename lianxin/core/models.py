"""Organisation tree, users and roles, categories, the working calendar and the audit log."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.models import AbstractUser
from django.db import models
from django.utils.translation import gettext_lazy as _


class OrgKind(models.TextChoices):
    CITY = "city", _("市")
    DISTRICT = "district", _("区/县")
    TOWN = "town", _("乡镇/街道")
    COMMUNITY = "community", _("村/社区")
    GRID = "grid", _("网格")
    DEPARTMENT = "department", _("部门")
    UTILITY = "utility", _("公用事业单位")
    HOTLINE = "hotline", _("热线中心")


class Organisation(models.Model):
    """A node of the organisation tree; `path` makes "this unit and its sub-units" one indexed prefix query."""

    code = models.CharField(_("编码"), max_length=40, unique=True)
    name = models.CharField(_("名称"), max_length=100)
    short_name = models.CharField(_("简称"), max_length=50, blank=True)
    kind = models.CharField(_("类型"), max_length=20, choices=OrgKind.choices)
    parent = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="children", verbose_name=_("上级")
    )
    path = models.CharField(max_length=400, db_index=True, editable=False)
    aliases = models.JSONField(default=list, blank=True)
    duties = models.TextField(_("职责"), blank=True)
    is_active = models.BooleanField(_("启用"), default=True)

    class Meta:
        verbose_name = _("组织")
        verbose_name_plural = _("组织")
        ordering = ["path"]

    def __str__(self) -> str:
        return self.name

    @property
    def display_name(self) -> str:
        return self.short_name or self.name

    def save(self, *args: Any, **kwargs: Any) -> None:
        self.path = (self.parent.path if self.parent else "/") + f"{self.code}/"
        super().save(*args, **kwargs)

    def is_within(self, other: Organisation) -> bool:
        """True when self is `other` or one of its sub-units."""
        return self.path.startswith(other.path)


class Role(models.TextChoices):
    CALL_TAKER = "call_taker", _("话务员")
    DISPATCHER = "dispatcher", _("派单员")
    HANDLER = "handler", _("承办单位")
    GRID_WORKER = "grid_worker", _("网格员")
    VISITOR = "visitor", _("走访干部")
    PETITION_OFFICER = "petition_officer", _("信访工作人员")
    CALLBACK_AGENT = "callback_agent", _("回访员")
    SUPERVISOR = "supervisor", _("督办人员")
    ADMIN = "admin", _("系统管理员")


class User(AbstractUser):
    role = models.CharField(_("角色"), max_length=30, choices=Role.choices, default=Role.HANDLER)
    organisation = models.ForeignKey(
        Organisation, null=True, blank=True, on_delete=models.PROTECT, related_name="users", verbose_name=_("所属单位")
    )
    display_name = models.CharField(_("姓名"), max_length=50, blank=True)

    class Meta:
        verbose_name = _("用户")
        verbose_name_plural = _("用户")

    def __str__(self) -> str:
        return self.display_name or self.username


class TimeLimitTier(models.Model):
    code = models.CharField(max_length=30, unique=True)
    name = models.CharField(_("名称"), max_length=50)
    working_days = models.PositiveIntegerField(null=True, blank=True)
    hours = models.PositiveIntegerField(null=True, blank=True)

    class Meta:
        verbose_name = _("办理时限档")
        verbose_name_plural = _("办理时限档")

    def __str__(self) -> str:
        return self.name


class Category(models.Model):
    """A node of the three-level category tree (大类/中类/小类)."""

    TERRITORIAL_CHOICES = [("", _("固定单位")), ("@town", _("属地乡镇街道")), ("@district", _("属地区县"))]

    code = models.CharField(_("编码"), max_length=20, unique=True)
    name = models.CharField(_("名称"), max_length=100)
    parent = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="children", verbose_name=_("上级")
    )
    level = models.PositiveSmallIntegerField(default=1)
    default_unit = models.ForeignKey(
        Organisation, null=True, blank=True, on_delete=models.SET_NULL, verbose_name=_("默认承办单位")
    )
    territorial = models.CharField(_("属地规则"), max_length=12, blank=True, choices=TERRITORIAL_CHOICES)
    tier = models.ForeignKey(TimeLimitTier, null=True, blank=True, on_delete=models.SET_NULL)
    keywords = models.JSONField(default=list, blank=True)
    is_active = models.BooleanField(default=True)

    class Meta:
        verbose_name = _("诉求分类")
        verbose_name_plural = _("诉求分类")
        ordering = ["code"]

    def __str__(self) -> str:
        return self.name


class HolidayOverride(models.Model):
    """A day whose working status an administrator sets; it wins over the `chinesecalendar` package.

    Needed for years the package does not cover (2027 onward) and for late corrections.
    """

    date = models.DateField(_("日期"), unique=True)
    is_workday = models.BooleanField(_("是否工作日"))
    name = models.CharField(_("说明"), max_length=50, blank=True)

    class Meta:
        verbose_name = _("节假日调整")
        verbose_name_plural = _("节假日调整")
        ordering = ["date"]

    def __str__(self) -> str:
        return f"{self.date} {'班' if self.is_workday else '休'} {self.name}"


class CalendarYear(models.Model):
    """A year whose holidays an administrator has entered completely, so deadlines in it are exact."""

    year = models.PositiveIntegerField(unique=True)
    note = models.CharField(max_length=200, blank=True)

    class Meta:
        verbose_name = _("已维护节假日年度")
        verbose_name_plural = _("已维护节假日年度")

    def __str__(self) -> str:
        return str(self.year)


class PersonalDataAccess(models.Model):
    """Every view of unmasked personal data (domain.md §5)."""

    user = models.ForeignKey(User, on_delete=models.PROTECT)
    at = models.DateTimeField(auto_now_add=True, db_index=True)
    object_type = models.CharField(max_length=30)
    object_id = models.BigIntegerField()
    fields = models.JSONField(default=list)
    reason = models.CharField(max_length=200, blank=True)

    class Meta:
        verbose_name = _("个人信息查看记录")
        verbose_name_plural = _("个人信息查看记录")
        indexes = [models.Index(fields=["object_type", "object_id"])]
