"""KPI figures on a small, known set of orders."""

import datetime as dt
from typing import Any

import pytest
from django.utils import timezone

from lianxin.analytics.kpis import Period, compute
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
