"""Creating an order, accepting it for dispatch, or answering it at intake (直办)."""

from __future__ import annotations

import datetime as dt
import secrets
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from lianxin.core.errors import Conflict, InvalidInput
from lianxin.core.models import Category, Organisation, User
from lianxin.core.personal_data import appellant_key
from lianxin.orders.actions.base import (
    apply_transition,
    current_rule_version,
    lock,
    now,
    record,
    require_not_merged,
    require_role,
)
from lianxin.orders.choices import Status
from lianxin.orders.models import Order
from lianxin.orders.policy import CREATE_ROLES, INTAKE_ROLES

# Run after a new order commits (e.g. intake indexes it for similar-order search); the domain
# does not import those apps, they register here.
CREATED_HOOKS: list[Callable[[int], None]] = []
REPEAT_WINDOW = dt.timedelta(days=30)


@dataclass
class OrderDraft:
    """Validated input for a new order; the API, pages, Open311 and imports all build one."""

    channel: str
    appeal_type: str
    text: str
    urgency: str = "normal"
    title: str = ""
    summary: str = ""
    petition_kind: str = ""
    category: Category | None = None
    appellant_name: str = ""
    appellant_phones: list[str] = field(default_factory=list)
    appellant_id_number: str = ""
    is_anonymous: bool = False
    is_confidential: bool = False
    reported_unit: Organisation | None = None
    district: Organisation | None = None
    town: Organisation | None = None
    community: Organisation | None = None
    address: str = ""
    latitude: float | None = None
    longitude: float | None = None
    received_at: dt.datetime | None = None
    tags: list[str] = field(default_factory=list)
    ai_suggestions: dict[str, Any] = field(default_factory=dict)
    ai_model_version: str = ""


def _check_places(draft: OrderDraft) -> None:
    if draft.town and draft.district and not draft.town.is_within(draft.district):
        raise InvalidInput(_("乡镇街道「%(t)s」不属于「%(d)s」") % {"t": draft.town, "d": draft.district}, "town")
    if draft.community and draft.town and not draft.community.is_within(draft.town):
        raise InvalidInput(_("村社区「%(c)s」不属于「%(t)s」") % {"c": draft.community, "t": draft.town}, "community")
    if draft.town and not draft.district:
        draft.district = draft.town.parent
    if draft.community and not draft.town:
        draft.town = draft.community.parent
        draft.district = draft.town.parent if draft.town else None


def _repeated(existing: Order, actor: User | None) -> Order:
    """A repeat of one's own submission gets the first order; someone else's key reveals nothing of it."""
    if existing.created_by_id != (actor.pk if actor is not None else None):
        raise Conflict(_("该幂等键已被其他用户使用，请换一个"), "idempotency_key")
    return existing


def create_order(actor: User | None, draft: OrderDraft, idempotency_key: str | None = None) -> tuple[Order, bool]:
    """Create an order in state 受理; the same idempotency key twice gives back the first order."""
    require_role(actor, CREATE_ROLES, _("登记工单"))
    if idempotency_key:
        existing = Order.objects.filter(idempotency_key=idempotency_key).first()
        if existing is not None:
            return _repeated(existing, actor), False
    _check_places(draft)
    received = draft.received_at or now()
    if received > now() + dt.timedelta(minutes=5):
        raise InvalidInput(_("受理时间不能晚于当前时间"), "received_at")
    values = {k: v for k, v in draft.__dict__.items() if k != "received_at"}
    key = appellant_key(draft.appellant_phones, draft.appellant_id_number)
    # Flagged once at intake, so the repeat-appeal KPI is a plain count instead of a per-row lookup.
    is_repeat = (
        bool(key)
        and Order.objects.filter(
            appellant_key=key, received_at__lt=received, received_at__gte=received - REPEAT_WINDOW
        ).exists()
    )
    try:
        with transaction.atomic():
            order = Order(
                **values,
                received_at=received,
                idempotency_key=idempotency_key or None,
                created_by=actor,
                verify_code=f"{secrets.randbelow(10**6):06d}",
                appellant_key=key,
                is_repeat=is_repeat,
                rule_version=current_rule_version(),
            )
            order.save()
            prefix = getattr(settings, "LIANXIN_CASE_PREFIX", "ZS")
            order.number = f"{prefix}{timezone.localtime(received).strftime('%Y%m%d')}{order.pk:08d}"
            record(order, actor, "created", old_status="", at=received, data={"channel": draft.channel})
            order_id = order.pk
            for hook in CREATED_HOOKS:
                transaction.on_commit(lambda hook=hook: hook(order_id))  # type: ignore[misc]
    except IntegrityError:
        if idempotency_key:
            existing = Order.objects.filter(idempotency_key=idempotency_key).first()
            if existing is not None:
                return _repeated(existing, actor), False
        raise
    return order, True


def accept(order: Order | int, actor: User | None, *, reason: str = "", expected_version: int | None = None) -> Order:
    """受理 → 待派单: the order needs a handling unit."""
    with transaction.atomic():
        locked = lock(order, actor, expected_version)
        require_role(actor, INTAKE_ROLES, _("受理工单"))
        require_not_merged(locked)
        old = locked.status
        apply_transition(locked, locked.t_accept, _("转派单"))
        record(locked, actor, "accepted", old_status=old, reason=reason)
        return locked


def answer_at_intake(
    order: Order | int, actor: User | None, *, reply: str, reason: str = "", expected_version: int | None = None
) -> Order:
    """直办: answered during the contact itself, closed without dispatch."""
    if not reply.strip():
        raise InvalidInput(_("请填写答复内容"), "reply")
    with transaction.atomic():
        locked = lock(order, actor, expected_version)
        require_role(actor, INTAKE_ROLES, _("直办答复"))
        require_not_merged(locked)
        old = locked.status
        apply_transition(locked, locked.t_answer, _("直办办结"))
        moment = now()
        locked.reply_text, locked.replied_at, locked.closed_at = reply.strip(), moment, moment
        record(locked, actor, "answered", old_status=old, reason=reason, data={"reply": reply.strip()})
        return locked


def ensure_open(order: Order) -> None:
    if order.status in (Status.CLOSED, Status.ANSWERED):
        raise Conflict(_("工单已办结"))
