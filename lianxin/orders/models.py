"""The work order (工单), its assignments, requests and append-only timeline."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from django_fsm import FSMField, transition

from lianxin.core.models import Category, Organisation
from lianxin.orders.choices import (
    OPEN_STATUSES,
    AppealType,
    AssignmentRole,
    AssignmentState,
    Channel,
    PetitionKind,
    RequestState,
    Satisfaction,
    Status,
    Urgency,
)

S = Status
HANDLING_SOURCES = [S.DISPATCHED, S.HANDLING]


class DeadlineRuleSet(models.Model):
    """A version of the time-limit rules; orders remember the version they were measured with."""

    version = models.PositiveIntegerField(unique=True)
    name = models.CharField(_("名称"), max_length=100)
    rules = models.JSONField(help_text=_("有序规则列表，见 lianxin/orders/deadline_rules.py"))
    created_at = models.DateTimeField(auto_now_add=True)
    is_current = models.BooleanField(default=False)

    class Meta:
        verbose_name = _("时限规则版本")
        verbose_name_plural = _("时限规则版本")
        ordering = ["-version"]

    def __str__(self) -> str:
        return f"v{self.version} {self.name}"


class Order(models.Model):
    number = models.CharField(_("工单编号"), max_length=24, unique=True, null=True, blank=True)
    verify_code = models.CharField(max_length=8, blank=True)
    idempotency_key = models.CharField(max_length=80, unique=True, null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    channel = models.CharField(_("渠道"), max_length=20, choices=Channel.choices)
    appeal_type = models.CharField(_("诉求类型"), max_length=20, choices=AppealType.choices)
    petition_kind = models.CharField(_("信访类别"), max_length=20, choices=PetitionKind.choices, blank=True)
    urgency = models.CharField(_("紧急程度"), max_length=12, choices=Urgency.choices, default=Urgency.NORMAL)
    category = models.ForeignKey(Category, null=True, blank=True, on_delete=models.PROTECT, verbose_name=_("分类"))
    status = FSMField(_("状态"), max_length=20, choices=Status.choices, default=Status.RECEIVED, protected=True)

    title = models.CharField(_("标题"), max_length=200, blank=True)
    text = models.TextField(_("诉求内容"))
    summary = models.CharField(_("摘要"), max_length=200, blank=True)
    tags = models.JSONField(default=list, blank=True)

    appellant_name = models.CharField(_("诉求人"), max_length=50, blank=True)
    appellant_phones = models.JSONField(_("联系电话"), default=list, blank=True)
    appellant_id_number = models.CharField(_("身份证号"), max_length=18, blank=True)
    appellant_key = models.CharField(max_length=64, blank=True, db_index=True, editable=False)
    is_anonymous = models.BooleanField(_("匿名"), default=False)
    is_confidential = models.BooleanField(_("保密"), default=False)
    reported_unit = models.ForeignKey(
        Organisation, null=True, blank=True, on_delete=models.PROTECT, related_name="+", verbose_name=_("被反映单位")
    )

    district = models.ForeignKey(Organisation, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    town = models.ForeignKey(Organisation, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    community = models.ForeignKey(Organisation, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    address = models.CharField(_("详细地址"), max_length=300, blank=True)
    latitude = models.FloatField(null=True, blank=True)
    longitude = models.FloatField(null=True, blank=True)

    lead_unit = models.ForeignKey(
        Organisation, null=True, blank=True, on_delete=models.PROTECT, related_name="+", verbose_name=_("主办单位")
    )
    parent = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="merged_children", verbose_name=_("并入")
    )

    received_at = models.DateTimeField(_("受理时间"), db_index=True)
    dispatched_at = models.DateTimeField(null=True, blank=True)
    signed_at = models.DateTimeField(null=True, blank=True)
    replied_at = models.DateTimeField(null=True, blank=True)
    closed_at = models.DateTimeField(null=True, blank=True)
    accept_due = models.DateTimeField(null=True, blank=True)
    sign_due = models.DateTimeField(null=True, blank=True)
    reply_due = models.DateTimeField(_("答复期限"), null=True, blank=True, db_index=True)
    callback_due = models.DateTimeField(null=True, blank=True)
    deadline_exact = models.BooleanField(default=True)
    rule_version = models.PositiveIntegerField(default=1)
    was_overdue = models.BooleanField(_("曾超期"), default=False)
    sign_late = models.BooleanField(default=False)
    reminded_at = models.DateTimeField(null=True, blank=True)
    escalated_at = models.DateTimeField(null=True, blank=True)
    supervised = models.BooleanField(_("督办"), default=False)

    reply_text = models.TextField(_("答复内容"), blank=True)
    contacted = models.BooleanField(null=True, blank=True)
    solved = models.BooleanField(_("是否解决"), null=True, blank=True)
    satisfaction = models.CharField(_("满意度"), max_length=12, choices=Satisfaction.choices, blank=True)
    redo_count = models.PositiveIntegerField(default=0)
    return_count = models.PositiveIntegerField(default=0)
    extension_count = models.PositiveIntegerField(default=0)
    type_changed = models.BooleanField(default=False)
    is_repeat = models.BooleanField(_("重复诉求"), default=False, help_text=_("同一诉求人30天内再次反映"))

    ai_suggestions = models.JSONField(default=dict, blank=True)
    ai_model_version = models.CharField(max_length=80, blank=True)
    version = models.PositiveIntegerField(default=1)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("工单")
        verbose_name_plural = _("工单")
        ordering = ["-received_at", "-id"]
        indexes = [
            models.Index(fields=["status", "-received_at"], name="order_status_recv"),
            models.Index(fields=["channel", "-received_at"], name="order_channel_recv"),
            models.Index(fields=["district", "-received_at"], name="order_district_recv"),
            models.Index(fields=["lead_unit", "status"], name="order_lead_status"),
            models.Index(fields=["category", "-received_at"], name="order_category_recv"),
            models.Index(fields=["appeal_type", "-received_at"], name="order_type_recv"),
            models.Index(fields=["status", "sign_due"], name="order_status_signdue"),
            # Open orders are a few percent of all: a small index that counts them by place (the
            # dashboard map, overdue counts) without visiting the table.
            models.Index(
                fields=["district", "town", "status", "sign_due", "reply_due"],
                condition=models.Q(status__in=sorted(OPEN_STATUSES)),
                name="order_open_place",
            ),
        ]

    def __str__(self) -> str:
        return self.number or f"#{self.pk}"

    # Transitions: the state machine itself. Only lianxin.orders.actions calls them.
    @transition(field=status, source=S.RECEIVED, target=S.AWAITING_DISPATCH)
    def t_accept(self) -> None: ...

    @transition(field=status, source=S.RECEIVED, target=S.ANSWERED)
    def t_answer(self) -> None: ...

    @transition(field=status, source=S.AWAITING_DISPATCH, target=S.DISPATCHED)
    def t_dispatch(self) -> None: ...

    @transition(field=status, source=S.DISPATCHED, target=S.HANDLING)
    def t_sign(self) -> None: ...

    @transition(field=status, source=HANDLING_SOURCES, target=S.RETURN_REQUESTED)
    def t_request_return(self) -> None: ...

    @transition(field=status, source=S.RETURN_REQUESTED, target=S.DISPATCHED)
    def t_redispatch(self) -> None: ...

    @transition(field=status, source=S.RETURN_REQUESTED, target=S.DISPATCHED)
    def t_reject_return_unsigned(self) -> None: ...

    @transition(field=status, source=S.RETURN_REQUESTED, target=S.HANDLING)
    def t_reject_return_signed(self) -> None: ...

    @transition(field=status, source=S.HANDLING, target=S.REPLIED)
    def t_reply(self) -> None: ...

    @transition(field=status, source=S.REPLIED, target=S.CALLED_BACK)
    def t_callback(self) -> None: ...

    @transition(field=status, source=[S.REPLIED, S.CALLED_BACK], target=S.CLOSED)
    def t_close(self) -> None: ...

    @transition(field=status, source=[S.REPLIED, S.CALLED_BACK, S.CLOSED], target=S.HANDLING)
    def t_redo(self) -> None: ...


class Assignment(models.Model):
    """One unit's part in an order: the lead unit (主办) or a co-handling unit (协办)."""

    order = models.ForeignKey(Order, on_delete=models.CASCADE, related_name="assignments")
    unit = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="assignments")
    # A copy of unit.path: "assigned to this unit or its sub-units" is one indexed prefix scan.
    unit_path = models.CharField(max_length=400)
    role = models.CharField(max_length=8, choices=AssignmentRole.choices)
    state = models.CharField(max_length=12, choices=AssignmentState.choices, default=AssignmentState.DISPATCHED)
    dispatched_at = models.DateTimeField()
    signed_at = models.DateTimeField(null=True, blank=True)
    replied_at = models.DateTimeField(null=True, blank=True)
    reply_text = models.TextField(blank=True)

    class Meta:
        verbose_name = _("承办分派")
        verbose_name_plural = _("承办分派")
        indexes = [
            models.Index(fields=["unit_path", "state"], name="assign_path_state"),
            # PostgreSQL databases in a non-C collation serve LIKE 'prefix%' only from a pattern-ops index.
            models.Index(
                fields=["unit_path", "state"],
                name="assign_pathpat_state",
                opclasses=["varchar_pattern_ops", "varchar_pattern_ops"],
            ),
            models.Index(fields=["unit", "state"], name="assign_unit_state"),
        ]

    def __str__(self) -> str:
        return f"{self.order} → {self.unit} ({self.role})"


class ExtensionRequest(models.Model):
    order = models.ForeignKey(Order, on_delete=models.CASCADE, related_name="extension_requests")
    unit = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="+")
    requested_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    requested_at = models.DateTimeField()
    days = models.PositiveIntegerField()
    reason = models.TextField()
    state = models.CharField(max_length=10, choices=RequestState.choices, default=RequestState.PENDING)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    decision_reason = models.TextField(blank=True)

    class Meta:
        indexes = [models.Index(fields=["state", "requested_at"], name="ext_state_time")]


class ReturnRequest(models.Model):
    order = models.ForeignKey(Order, on_delete=models.CASCADE, related_name="return_requests")
    unit = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="+")
    requested_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    requested_at = models.DateTimeField()
    reason = models.TextField()
    suggested_unit = models.ForeignKey(Organisation, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    state = models.CharField(max_length=10, choices=RequestState.choices, default=RequestState.PENDING)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        indexes = [models.Index(fields=["state", "requested_at"], name="ret_state_time")]


class OrderEvent(models.Model):
    """One line of the append-only timeline; deadlines are recomputed from these."""

    order = models.ForeignKey(Order, on_delete=models.CASCADE, related_name="events")
    seq = models.PositiveIntegerField()
    kind = models.CharField(max_length=30)
    at = models.DateTimeField()
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT)
    actor_role = models.CharField(max_length=30, blank=True)
    actor_unit = models.ForeignKey(Organisation, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    reason = models.TextField(blank=True)
    old_status = models.CharField(max_length=20, blank=True)
    new_status = models.CharField(max_length=20, blank=True)
    data = models.JSONField(default=dict, blank=True)
    deadline = models.DateTimeField(null=True, blank=True, help_text=_("本次操作所对照的期限"))
    rule_version = models.PositiveIntegerField(null=True, blank=True)

    class Meta:
        verbose_name = _("工单轨迹")
        verbose_name_plural = _("工单轨迹")
        ordering = ["order_id", "seq"]
        constraints = [models.UniqueConstraint(fields=["order", "seq"], name="event_order_seq")]
        indexes = [models.Index(fields=["kind", "at"], name="event_kind_at")]

    def save(self, *args: Any, **kwargs: Any) -> None:
        if self.pk is not None:
            raise RuntimeError("The order timeline is append-only.")
        super().save(*args, **kwargs)

    def delete(self, *args: Any, **kwargs: Any) -> Any:
        raise RuntimeError("The order timeline is append-only.")


class ProcessedJob(models.Model):
    """Marks a background job as done for one key, so running it twice does nothing more."""

    key = models.CharField(max_length=120, unique=True)
    done_at = models.DateTimeField(auto_now_add=True)
