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

from lianxin.core.errors import ActionError, Conflict, InvalidInput
from lianxin.core.models import Category, Organisation, User
from lianxin.core.personal_data import appellant_key
from lianxin.orders.actions.base import (
    apply_transition,
    created_event,
    current_rule_version,
    lock,
    now,
    record,
    require_not_merged,
    require_role,
    run_state_change_hooks,
)
from lianxin.orders.choices import Status
from lianxin.orders.models import Order, OrderEvent
from lianxin.orders.policy import CREATE_ROLES, INTAKE_ROLES

# Run after new orders commit, with their ids (e.g. intake indexes them for similar-order search);
# the domain does not import those apps, they register here.
CREATED_HOOKS: list[Callable[[list[int]], None]] = []
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


# A batch is one transaction and one statement per table: big enough for an import file's chunk,
# small enough that a retry of the whole batch after a conflict is cheap.
MAX_BATCH = 500


@dataclass
class NewOrder:
    draft: OrderDraft
    idempotency_key: str | None = None
    field_prefix: str = ""  # where the item sits in a batch request, so an error names it


def create_order(actor: User | None, draft: OrderDraft, idempotency_key: str | None = None) -> tuple[Order, bool]:
    """Create an order in state 受理; the same idempotency key twice gives back the first order."""
    return create_orders(actor, [NewOrder(draft, idempotency_key)])[0]


def create_orders(actor: User | None, items: list[NewOrder]) -> list[tuple[Order, bool]]:
    """Create several orders at once, all or none (bulk intake: imports, channel gateways).

    Each item answers (order, created): an idempotency key seen before, in an earlier request or
    earlier in this batch, gives back that order instead of a new one.
    """
    require_role(actor, CREATE_ROLES, _("登记工单"))
    if not items:
        return []
    if len(items) > MAX_BATCH:
        raise InvalidInput(_("一次最多登记%(n)d件工单") % {"n": MAX_BATCH}, "orders")
    try:
        return _create_orders(actor, items)
    except IntegrityError:
        # Someone committed one of these keys between our check and our insert: their order wins.
        if not any(item.idempotency_key for item in items):
            raise
        return _create_orders(actor, items)


def _create_orders(actor: User | None, items: list[NewOrder]) -> list[tuple[Order, bool]]:
    keys = [item.idempotency_key for item in items if item.idempotency_key]
    existing = {o.idempotency_key: o for o in Order.objects.filter(idempotency_key__in=keys)} if keys else {}
    results: list[tuple[Order, bool] | None] = []
    fresh: list[tuple[int, Order, OrderDraft]] = []
    first_of_key: dict[str, Order] = {}
    moment = now()
    rule_version = current_rule_version()
    for index, item in enumerate(items):
        key = item.idempotency_key
        if key and key in first_of_key:
            results.append(None)  # the same key twice in one batch: filled with the first one's order below
            continue
        try:
            if key and key in existing:
                results.append((_repeated(existing[key], actor), False))
                continue
            draft = item.draft
            _check_places(draft)
            received = draft.received_at or moment
            if received > moment + dt.timedelta(minutes=5):
                raise InvalidInput(_("受理时间不能晚于当前时间"), "received_at")
        except ActionError as error:
            raise type(error)(error.message, f"{item.field_prefix}{error.field or ''}".rstrip(".") or None) from None
        values = {k: v for k, v in draft.__dict__.items() if k != "received_at"}
        order = Order(
            **values,
            received_at=received,
            idempotency_key=key or None,
            created_by=actor,
            verify_code=f"{secrets.randbelow(10**6):06d}",
            appellant_key=appellant_key(draft.appellant_phones, draft.appellant_id_number),
            rule_version=rule_version,
        )
        if key:
            first_of_key[key] = order
        fresh.append((index, order, draft))
        results.append((order, True))
    _flag_repeats([order for _i, order, _d in fresh])
    if fresh:
        with transaction.atomic():
            # Deadlines need no id, so they are set before the insert; the case number needs the id.
            events = [created_event(order, actor, {"channel": draft.channel}) for _i, order, draft in fresh]
            orders = Order.objects.bulk_create([order for _i, order, _d in fresh])
            prefix = getattr(settings, "LIANXIN_CASE_PREFIX", "ZS")
            for order, event in zip(orders, events, strict=True):
                order.number = f"{prefix}{timezone.localtime(order.received_at).strftime('%Y%m%d')}{order.pk:08d}"
                event.order = order
            Order.objects.bulk_update(orders, ["number"])
            OrderEvent.objects.bulk_create(events)
            ids = [order.pk for order in orders]
            run_state_change_hooks(ids)
            for hook in CREATED_HOOKS:
                transaction.on_commit(lambda hook=hook: hook(ids))  # type: ignore[misc]
    return [
        result if result is not None else (first_of_key[str(items[i].idempotency_key)], False)
        for i, result in enumerate(results)
    ]


def _flag_repeats(orders: list[Order]) -> None:
    """Same appellant within 30 days before (earlier orders, or earlier in this batch): one query in all.

    Flagged once at intake, so the repeat-appeal KPI is a plain count instead of a per-row lookup.
    """
    keyed = [o for o in orders if o.appellant_key]
    if not keyed:
        return
    start = min(o.received_at for o in keyed) - REPEAT_WINDOW
    end = max(o.received_at for o in keyed)
    seen: dict[str, list[dt.datetime]] = {}
    earlier = Order.objects.filter(
        appellant_key__in={o.appellant_key for o in keyed}, received_at__gte=start, received_at__lt=end
    ).values_list("appellant_key", "received_at")
    for key, moment in earlier:
        seen.setdefault(key, []).append(moment)
    # In time order, so that an item dated earlier but listed later still counts as the first appeal;
    # equal times count in list order.
    for order in sorted(keyed, key=lambda o: o.received_at):
        moments = seen.setdefault(order.appellant_key, [])
        order.is_repeat = any(order.received_at - REPEAT_WINDOW <= m <= order.received_at for m in moments)
        moments.append(order.received_at)


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
