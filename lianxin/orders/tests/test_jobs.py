"""Background jobs: reminders, overdue notices, escalation; idempotent; holiday edits recompute deadlines."""

import datetime as dt
import os
from typing import Any

import pytest
from django.utils import timezone

from lianxin.core.models import HolidayOverride
from lianxin.orders import actions, jobs
from lianxin.orders.actions.base import at_time
from lianxin.orders.models import Order, OrderEvent

pytestmark = pytest.mark.django_db
TZ = timezone.get_fixed_timezone(480)


def handling_order(users: dict[str, Any], signed: dt.datetime) -> Order:
    draft = actions.OrderDraft(channel="hotline", appeal_type="complaint", text="小区门口道路积水严重。")
    with at_time(signed - dt.timedelta(hours=2)):
        order, _ = actions.create_order(users["calltaker"], draft)
    from lianxin.core.models import Organisation

    with at_time(signed - dt.timedelta(hours=1)):
        actions.dispatch(order.pk, users["dispatcher"], lead_unit=Organisation.objects.get(code="dept-zjj"))
    with at_time(signed):
        actions.sign(order.pk, users["zjj"])
    return Order.objects.get(pk=order.pk)


def kinds(order: Order) -> list[str]:
    return list(OrderEvent.objects.filter(order=order).values_list("kind", flat=True))


def test_reminder_then_overdue_notice_then_publication_each_once(users: dict[str, Any]) -> None:
    order = handling_order(users, dt.datetime(2026, 11, 2, 10, tzinfo=TZ))
    assert order.reply_due == dt.datetime(2026, 11, 11, 23, 59, 59, tzinfo=TZ)
    day_before = dt.datetime(2026, 11, 11, 9, tzinfo=TZ)
    assert jobs.scan_deadlines(day_before)["reminders"] == 1
    assert jobs.scan_deadlines(day_before)["reminders"] == 0
    after = dt.datetime(2026, 11, 12, 9, tzinfo=TZ)
    assert jobs.scan_deadlines(after)["overdue_notices"] == 1
    jobs.scan_deadlines(after)
    later = dt.datetime(2026, 11, 19, 9, tzinfo=TZ)
    assert jobs.scan_deadlines(later)["published"] == 1
    order = Order.objects.get(pk=order.pk)
    assert order.was_overdue
    assert kinds(order).count("overdue_notice") == 1 and kinds(order).count("deadline_reminder") == 1


def test_was_overdue_survives_a_late_reply(users: dict[str, Any]) -> None:
    order = handling_order(users, dt.datetime(2026, 11, 2, 10, tzinfo=TZ))
    with at_time(dt.datetime(2026, 11, 13, 10, tzinfo=TZ)):
        actions.reply(order.pk, users["zjj"], text="已处理")
    assert Order.objects.get(pk=order.pk).was_overdue


def test_unsigned_order_escalates_once(users: dict[str, Any]) -> None:
    from lianxin.core.models import Organisation

    draft = actions.OrderDraft(channel="web", appeal_type="help", text="路灯坏了。")
    start = dt.datetime(2026, 11, 2, 10, tzinfo=TZ)
    with at_time(start):
        order, _ = actions.create_order(users["calltaker"], draft)
        actions.dispatch(order.pk, users["dispatcher"], lead_unit=Organisation.objects.get(code="dept-zjj"))
    late = start + dt.timedelta(days=3)
    assert jobs.scan_deadlines(late)["escalations"] == 1
    assert jobs.scan_deadlines(late)["escalations"] == 0
    assert Order.objects.get(pk=order.pk).escalated_at is not None


def test_holiday_added_after_dispatch_moves_open_deadlines(users: dict[str, Any]) -> None:
    order = handling_order(users, dt.datetime(2026, 11, 2, 10, tzinfo=TZ))
    HolidayOverride.objects.create(date=dt.date(2026, 11, 6), is_workday=False, name="临时调整")
    assert jobs.recompute_open_orders() >= 1
    assert Order.objects.get(pk=order.pk).reply_due == dt.datetime(2026, 11, 12, 23, 59, 59, tzinfo=TZ)


@pytest.mark.skipif(not os.environ.get("LIANXIN_TEST_REDIS_URL"), reason="no Redis configured (LIANXIN_TEST_REDIS_URL)")
def test_jobs_run_through_a_redis_queue(users: dict[str, Any]) -> None:
    """The production queue: a real Redis, a task enqueued and executed as a worker would."""
    from huey import RedisHuey

    huey = RedisHuey("lianxin-test", url=os.environ["LIANXIN_TEST_REDIS_URL"])
    huey.flush()
    scan = huey.task()(lambda: jobs.scan_deadlines())
    scan()
    assert len(huey) == 1
    task = huey.dequeue()
    assert task is not None
    huey.execute(task)
    assert len(huey) == 0
    huey.flush()
