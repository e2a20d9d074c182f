"""Deadline reminders, overdue notices and escalation; recomputation after calendar edits.

Plain functions that background tasks call. Each effect is recorded once per (order, due date)
through ProcessedJob, so running a job twice, or on two workers at once, does nothing more.
"""

from __future__ import annotations

import datetime as dt
import logging

from django.db import IntegrityError, transaction
from django.utils import timezone

from lianxin.core.calendar import load_calendar
from lianxin.orders.actions.base import recompute_deadlines, record
from lianxin.orders.choices import OPEN_STATUSES, Status
from lianxin.orders.models import Order, ProcessedJob

logger = logging.getLogger(__name__)

REMIND_BEFORE = dt.timedelta(hours=24)
PUBLISH_AFTER_WORKDAYS = 5
BATCH = 500


def _iso(moment: dt.datetime | None) -> str:
    return moment.isoformat() if moment is not None else ""


def _once(key: str) -> bool:
    """True the first time a key is claimed; the unique index makes this safe across processes."""
    try:
        with transaction.atomic():
            ProcessedJob.objects.create(key=key)
        return True
    except IntegrityError:
        return False


def _system_event(order_id: int, kind: str, key: str, data: dict[str, str]) -> bool:
    with transaction.atomic():
        order = Order.objects.select_for_update().filter(pk=order_id).first()
        if order is None or not _once(key):
            return False
        if kind == "overdue_notice":
            order.was_overdue = True
        if kind == "sign_escalated":
            order.escalated_at = timezone.now()
        record(order, None, kind, old_status=order.status, data=data)
        return True


def scan_deadlines(now: dt.datetime | None = None) -> dict[str, int]:
    """One pass over open orders near or past their deadlines (indexed by status and due date)."""
    moment = now or timezone.now()
    counts = {"reminders": 0, "overdue_notices": 0, "escalations": 0, "published": 0}
    soon = Order.objects.filter(
        status=Status.HANDLING, parent__isnull=True, reply_due__gt=moment, reply_due__lte=moment + REMIND_BEFORE
    ).values_list("pk", "reply_due")
    for pk, due in soon.iterator(chunk_size=BATCH):
        if _system_event(pk, "deadline_reminder", f"remind:{pk}:{_iso(due)}", {"due": _iso(due)}):
            counts["reminders"] += 1
    late = Order.objects.filter(
        status__in=[Status.HANDLING, Status.RETURN_REQUESTED], parent__isnull=True, reply_due__lt=moment
    ).values_list("pk", "reply_due")
    calendar = load_calendar()
    for pk, due in late.iterator(chunk_size=BATCH):
        if _system_event(pk, "overdue_notice", f"overdue:{pk}:{_iso(due)}", {"due": _iso(due)}):
            counts["overdue_notices"] += 1
        assert due is not None  # filtered by reply_due__lt
        late_days = calendar.workdays_between(timezone.localdate(due), timezone.localdate(moment))
        if late_days >= PUBLISH_AFTER_WORKDAYS and _system_event(
            pk, "overdue_published", f"publish:{pk}:{_iso(due)}", {"due": _iso(due)}
        ):
            counts["published"] += 1
    unsigned = Order.objects.filter(status=Status.DISPATCHED, parent__isnull=True, sign_due__lt=moment).values_list(
        "pk", "sign_due"
    )
    for pk, due in unsigned.iterator(chunk_size=BATCH):
        if _system_event(pk, "sign_escalated", f"escalate:{pk}:{_iso(due)}", {"due": _iso(due)}):
            counts["escalations"] += 1
    return counts


def recompute_open_orders(since: dt.date | None = None) -> int:
    """After a holiday edit: recompute every open order's deadlines from its timeline (in batches)."""
    calendar = load_calendar()
    qs = Order.objects.filter(status__in=list(OPEN_STATUSES)).select_related("category__tier")
    if since is not None:
        qs = qs.filter(
            received_at__gte=timezone.make_aware(dt.datetime.combine(since, dt.time.min)) - dt.timedelta(days=90)
        )
    changed = 0
    for order in qs.iterator(chunk_size=BATCH):
        before = (order.sign_due, order.reply_due, order.callback_due, order.accept_due)
        recompute_deadlines(order, calendar)
        if before != (order.sign_due, order.reply_due, order.callback_due, order.accept_due):
            Order.objects.filter(pk=order.pk).update(
                sign_due=order.sign_due,
                reply_due=order.reply_due,
                callback_due=order.callback_due,
                accept_due=order.accept_due,
                deadline_exact=order.deadline_exact,
                was_overdue=order.was_overdue,
            )
            changed += 1
    return changed
