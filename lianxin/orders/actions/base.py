"""What every order action shares: locking, checks, the timeline entry, deadline recomputation."""

from __future__ import annotations

import datetime as dt
import time
from collections.abc import Callable, Collection, Iterator, Mapping
from contextlib import contextmanager
from contextvars import ContextVar
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django_fsm import can_proceed

from lianxin.core.calendar import WorkCalendar, load_calendar
from lianxin.core.errors import Conflict, Forbidden, NotFound
from lianxin.core.models import User
from lianxin.orders import deadlines
from lianxin.orders.choices import Status
from lianxin.orders.deadline_rules import DEFAULT_RULES
from lianxin.orders.models import DeadlineRuleSet, Order, OrderEvent
from lianxin.orders.policy import visible_orders

# Which due date an action is measured against, for the timeline.
MEASURED_AGAINST = {
    "accepted": "accept_due",
    "dispatched": "accept_due",
    "signed": "sign_due",
    "return_requested": "reply_due",
    "extension_requested": "reply_due",
    "replied": "reply_due",
    "called_back": "callback_due",
    "reminded": "reply_due",
    "supervised": "reply_due",
}
STATE_CHANGE_HOOKS: list[Callable[[int], None]] = []


_clock: ContextVar[dt.datetime | None] = ContextVar("lianxin_clock", default=None)


def now() -> dt.datetime:
    """The current time, or the time set by `at_time` (demo data and imports replay history with it)."""
    return _clock.get() or timezone.now()


@contextmanager
def at_time(moment: dt.datetime) -> Iterator[None]:
    token = _clock.set(moment)
    try:
        yield
    finally:
        _clock.reset(token)


def lock(order: Order | int, actor: User | None, expected_version: int | None = None) -> Order:
    """Re-read the order under a row lock, as the actor may see it; a stale version is a conflict."""
    order_id = order if isinstance(order, int) else order.pk
    base = Order.objects.select_for_update()
    qs = visible_orders(actor, base) if actor is not None else base
    locked = qs.filter(pk=order_id).first()
    if locked is None:
        raise NotFound(_("工单不存在或无权查看"))
    if expected_version is not None and locked.version != expected_version:
        raise Conflict(_("该工单已被他人处理（当前版本 %(v)s），请刷新后重试") % {"v": locked.version})
    return locked


def require_role(actor: User | None, roles: Collection[str], what: str) -> None:
    if actor is None:
        return  # system actions (jobs, public channels) are checked by their callers
    if not (actor.is_superuser or actor.role in roles):
        raise Forbidden(_("当前角色无权%(what)s") % {"what": what})


def require_not_merged(order: Order) -> None:
    if order.parent_id is not None:
        raise Conflict(_("该工单已并入工单 %(n)s，请在主工单上操作") % {"n": order.parent})


def apply_transition(order: Order, method: Callable[[], None], what: str) -> None:
    if not can_proceed(method):
        raise Conflict(
            _("工单当前状态为「%(status)s」，不能%(what)s") % {"status": order.get_status_display(), "what": what}
        )
    method()


# Rule-set versions never change once written, so a process may keep them; the calendar and the
# current version are re-read after a short while, so every process sees an administrator's edit.
_rules_cache: dict[int, list[dict[str, Any]]] = {}
SHARED_STATE_TTL = 30.0
_calendar_cache: tuple[float, WorkCalendar] | None = None
_version_cache: tuple[float, int] | None = None


def rules_for(version: int) -> list[dict[str, Any]]:
    if version not in _rules_cache:
        rule_set = DeadlineRuleSet.objects.filter(version=version).only("rules").first()
        if rule_set is None:
            return DEFAULT_RULES
        _rules_cache[version] = list(rule_set.rules)
    return _rules_cache[version]


def current_rule_version() -> int:
    global _version_cache
    if _version_cache is None or time.monotonic() - _version_cache[0] > SHARED_STATE_TTL:
        current = DeadlineRuleSet.objects.filter(is_current=True).values_list("version", flat=True).first()
        _version_cache = (time.monotonic(), current or 1)
    return _version_cache[1]


def cached_calendar() -> WorkCalendar:
    global _calendar_cache
    if _calendar_cache is None or time.monotonic() - _calendar_cache[0] > SHARED_STATE_TTL:
        _calendar_cache = (time.monotonic(), load_calendar())
    return _calendar_cache[1]


def forget_shared_state() -> None:
    """Drop the per-process copies (after a calendar or rule edit in this process, and in tests)."""
    global _calendar_cache, _version_cache
    _calendar_cache = _version_cache = None
    _rules_cache.clear()


def order_attrs(order: Order) -> dict[str, str]:
    category = order.category
    return {
        "channel": order.channel,
        "appeal_type": order.appeal_type,
        "urgency": order.urgency,
        "tier": category.tier.code if category is not None and category.tier is not None else "",
        "category": category.code if category is not None else "",
    }


def recompute_deadlines(order: Order, calendar: WorkCalendar | None = None, at: dt.datetime | None = None) -> None:
    """Set the order's due dates from its whole timeline. `was_overdue` only ever turns on."""
    views = [deadlines.EventView(e.kind, e.at, e.data) for e in order.events.order_by("seq")]
    _apply(order, views, calendar, at)


def _apply(
    order: Order, views: list[deadlines.EventView], calendar: WorkCalendar | None, at: dt.datetime | None
) -> None:
    result = deadlines.compute(views, order_attrs(order), calendar or cached_calendar(), rules_for(order.rule_version))
    order.accept_due, order.sign_due = result.accept_due, result.sign_due
    order.reply_due, order.callback_due = result.reply_due, result.callback_due
    order.deadline_exact = result.exact
    moment = at or now()
    if order.reply_due and order.status in (Status.HANDLING, Status.RETURN_REQUESTED) and moment > order.reply_due:
        order.was_overdue = True
    if order.replied_at and order.reply_due and order.replied_at > order.reply_due:
        order.was_overdue = True


def created_event(order: Order, actor: User | None, data: Mapping[str, Any]) -> OrderEvent:
    """The first timeline event of a new order, with its deadlines applied; the caller saves both.

    Bulk intake builds many of these before one INSERT; `record` is the same for a single order.
    """
    event = OrderEvent(
        order=order,
        seq=1,
        kind="created",
        at=order.received_at,
        actor=actor,
        actor_role=actor.role if actor is not None else "system",
        actor_unit=actor.organisation if actor is not None else None,
        old_status="",
        new_status=order.status,
        data=dict(data),
        rule_version=order.rule_version,
    )
    _apply(order, [deadlines.EventView(event.kind, event.at, event.data)], None, order.received_at)
    order.version += 1
    return event


def run_state_change_hooks(order_ids: list[int]) -> None:
    for order_id in order_ids:
        for hook in STATE_CHANGE_HOOKS:
            transaction.on_commit(lambda hook=hook, order_id=order_id: hook(order_id))  # type: ignore[misc]


def record(
    order: Order,
    actor: User | None,
    kind: str,
    *,
    old_status: str,
    reason: str = "",
    data: Mapping[str, Any] | None = None,
    at: dt.datetime | None = None,
) -> OrderEvent:
    """Append the timeline event, recompute deadlines and save the order; call inside the transaction."""
    moment = at or now()
    measured_field = MEASURED_AGAINST.get(kind)
    measured = getattr(order, measured_field) if measured_field else None
    # One read of the timeline serves both the next sequence number and the deadline replay.
    earlier = [] if kind == "created" else list(order.events.order_by("seq").values_list("seq", "kind", "at", "data"))
    event = OrderEvent.objects.create(
        order=order,
        seq=(earlier[-1][0] if earlier else 0) + 1,
        kind=kind,
        at=moment,
        actor=actor,
        actor_role=actor.role if actor is not None else "system",
        actor_unit=actor.organisation if actor is not None else None,
        reason=reason,
        old_status=old_status,
        new_status=order.status,
        data=dict(data or {}),
        deadline=measured,
        rule_version=order.rule_version,
    )
    views = [deadlines.EventView(k, t, d) for _seq, k, t, d in earlier]
    views.append(deadlines.EventView(event.kind, event.at, event.data))
    _apply(order, views, None, moment)
    order.version += 1
    order.save()
    order_id = order.pk
    for hook in STATE_CHANGE_HOOKS:
        transaction.on_commit(lambda hook=hook: hook(order_id))  # type: ignore[misc]
    return event
