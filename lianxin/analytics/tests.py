"""KPI figures on a small, known set of orders."""

import datetime as dt
from typing import Any

import pytest
from django.utils import timezone

from lianxin.analytics.kpis import Period, compute, compute_with_weekly, weekly
from lianxin.core.models import Organisation
from lianxin.orders import actions
from lianxin.orders.actions.base import at_time
from lianxin.orders.models import Order

pytestmark = pytest.mark.django_db
TZ = timezone.get_fixed_timezone(480)


def make(users: dict[str, Any], when: dt.datetime, phone: str = "13958076543") -> Order:
    draft = actions.OrderDraft(channel="hotline", appeal_type="complaint", text="噪音扰民", appellant_phones=[phone])
    with at_time(when):
        order, _ = actions.create_order(users["calltaker"], draft)
    return order


def test_rates_and_repeat_appeals(users: dict[str, Any]) -> None:
    zjj = Organisation.objects.get(code="dept-zjj")
    day = dt.datetime(2026, 11, 2, 9, tzinfo=TZ)
    first = make(users, day)
    with at_time(day + dt.timedelta(minutes=5)):
        actions.answer_at_intake(first.pk, users["calltaker"], reply="已解答")
    second = make(users, day + dt.timedelta(days=3))
    with at_time(day + dt.timedelta(days=3, hours=1)):
        actions.dispatch(second.pk, users["dispatcher"], lead_unit=zjj)
        actions.sign(second.pk, users["zjj"])
        actions.reply(second.pk, users["zjj"], text="已处理")
        actions.callback(second.pk, users["callback"], contacted=True, solved=True, satisfaction="basically")
        actions.close(second.pk, users["callback"])
    make(users, day + dt.timedelta(days=4), phone="13600001111")
    result = compute(Order.objects.all(), Period(day - dt.timedelta(days=1), day + dt.timedelta(days=10)))
    total = result["total"]
    assert total["received"] == 3
    assert total["answer_at_intake_rate"] == round(1 / 3, 4)
    assert total["sign_on_time_rate"] == 1.0 and total["reply_on_time_rate"] == 1.0
    assert total["satisfaction_rate"] == 0.9 and total["solved_rate"] == 1.0
    assert total["composite"] == round(0.1 + 0.5 + 0.4 * 0.9, 4)
    assert total["repeat_appeal_rate"] == round(1 / 3, 4)
    assert [u["unit"]["code"] for u in result["units"]] == ["dept-zjj"]
    assert result["definitions"]["satisfaction_rate"]


def _life(users: dict[str, Any], order: Order, when: dt.datetime, unit: Organisation, stage: int) -> None:
    """Take the order `stage` steps along: dispatched, signed, replied, called back and closed."""
    with at_time(when + dt.timedelta(minutes=10)):
        actions.accept(order.pk, users["calltaker"])
        actions.dispatch(order.pk, users["dispatcher"], lead_unit=unit)
        handler = users["zjj"] if unit.code == "dept-zjj" else users["water"]
        if stage >= 2:
            actions.sign(order.pk, handler)
        if stage >= 3:
            actions.reply(order.pk, handler, text="已处理")
        if stage >= 4:
            actions.callback(order.pk, users["callback"], contacted=True, solved=stage > 4, satisfaction="satisfied")
            actions.close(order.pk, users["callback"])


def test_one_scan_gives_the_same_figures_as_separate_reports(users: dict[str, Any]) -> None:
    """The dashboard's single grouped scan agrees with compute() for the period and for each week."""
    zjj, water = Organisation.objects.get(code="dept-zjj"), Organisation.objects.get(code="util-water")
    first_monday = dt.date(2026, 9, 28)
    local = timezone.get_current_timezone()
    # A period that starts and ends mid-week and mid-day, and orders on both sides of every edge,
    # including a local Sunday night / Monday morning pair (the weeks are Asia/Shanghai weeks).
    period = Period(dt.datetime(2026, 10, 14, 15, 0, tzinfo=local), dt.datetime(2026, 11, 13, 15, 0, tzinfo=local))
    moments = [
        dt.datetime(2026, 9, 27, 23, 50, tzinfo=local),  # before the first week
        dt.datetime(2026, 9, 28, 0, 5, tzinfo=local),
        dt.datetime(2026, 10, 11, 23, 55, tzinfo=local),  # Sunday night, week 2
        dt.datetime(2026, 10, 12, 0, 5, tzinfo=local),  # Monday morning, week 3
        period.start - dt.timedelta(minutes=1),
        period.start,
        dt.datetime(2026, 10, 20, 9, tzinfo=local),
        dt.datetime(2026, 11, 2, 9, tzinfo=local),
        period.end - dt.timedelta(minutes=1),
        period.end,
        dt.datetime(2026, 11, 22, 23, 0, tzinfo=local),  # last day of the 8th week
        dt.datetime(2026, 11, 23, 1, 0, tzinfo=local),  # after it
    ]
    for i, when in enumerate(moments):
        order = make(users, when, phone=f"139{i:08d}")
        if i % 3 == 0:
            with at_time(when + dt.timedelta(minutes=5)):
                actions.answer_at_intake(order.pk, users["calltaker"], reply="已解答")
        else:
            _life(users, order, when, zjj if i % 2 else water, stage=i % 6)

    orders = Order.objects.all()
    report, weeks = compute_with_weekly(orders, period, first_monday, 8)
    assert report == compute(orders, period)
    assert report["total"]["received"] == 4 and {u["unit"]["code"] for u in report["units"]} == {
        "dept-zjj",
        "util-water",
    }
    assert [w["week"] for w in weeks] == [first_monday + dt.timedelta(weeks=i) for i in range(8)]
    for row in weeks:
        start = dt.datetime.combine(row["week"], dt.time.min, tzinfo=local)
        expected = compute(orders, Period(start, start + dt.timedelta(weeks=1)), by_unit=False)["total"]
        assert {k: v for k, v in row.items() if k != "week"} == expected, row["week"]
    assert [w["received"] for w in weeks] == [1, 1, 3, 1, 0, 1, 2, 1]
    assert weekly(orders, first_monday, 8) == weeks
