"""The league table: figures per lead unit from analytics.kpis, sorted, with definitions and overdue counts."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.test import Client
from django.utils import timezone

from lianxin.analytics import kpis
from lianxin.core.models import User
from lianxin.orders.models import Order
from lianxin.public import league
from lianxin.public.tests.helpers import drive, web_order

pytestmark = pytest.mark.django_db


def rows(page: str) -> dict[str, list[str]]:
    """unit code → the five figures as shown."""
    out = {}
    for code, body in re.findall(r'<tr data-unit="([^"]+)">(.*?)</tr>', page, re.S):
        out[code] = re.findall(r'data-key="[a-z_]+">([^<]*)</td>', body)
    return out


@pytest.fixture
def month_orders(users: dict[str, User]) -> str:
    base = timezone.now() - dt.timedelta(minutes=90)
    step = dt.timedelta(minutes=5)
    drive(web_order(received=base), users, "closed", unit="330903001", step=step)
    drive(web_order(received=base + step), users, "closed", unit="330903001", step=step, satisfaction="basically")
    drive(web_order(received=base + 2 * step), users, "handling", unit="dept-zjj", step=step)
    water = drive(web_order(received=base + 3 * step), users, "replied", unit="util-water", step=step)
    from lianxin.orders import actions

    actions.callback(water.pk, users["callback"], contacted=True, solved=False, satisfaction="unsatisfied")
    # Overdue now: received 40 days ago (an earlier month), signed, never replied.
    old = timezone.now() - dt.timedelta(days=40)
    drive(web_order(received=old), users, "handling", unit="dept-zjj", step=dt.timedelta(hours=1))
    return timezone.localtime(base).strftime("%Y-%m")


def test_figures_sorted_by_composite_with_definitions(month_orders: str) -> None:
    response = Client().get(f"/public/league/?month={month_orders}")
    assert response.status_code == 200
    page = response.content.decode()
    table = rows(page)
    # received, 按期答复率, 办结率, 满意率, 综合评分 (0.1 × response + 0.5 × solved + 0.4 × satisfaction, out of 100)
    assert table["330903001"] == ["2", "100.0%", "100.0%", "95.0%", "98.0"]
    assert table["util-water"] == ["1", "100.0%", "0.0%", "0.0%", "10.0"]
    assert table["dept-zjj"] == ["1", "—", "0.0%", "—", "—"]
    assert list(table) == ["330903001", "util-water", "dept-zjj"]
    assert 'id="total-received">4<' in page
    assert 'id="overdue-now">1<' in page
    for key in league.SORT_KEYS:  # each definition beside its heading, without repeating the heading
        text = kpis.DEFINITIONS[key]
        assert (text.partition(" = ")[2] or text) in page
    assert f"口径版本 {kpis.DEFINITIONS_VERSION}" in page
    for secret in ("王建国", "13958076543"):
        assert secret not in page


def test_sorting_by_another_figure(month_orders: str) -> None:
    page = Client().get(f"/public/league/?month={month_orders}&sort=closed_rate").content.decode()
    assert next(iter(rows(page))) == "330903001"
    page = Client().get(f"/public/league/?month={month_orders}&sort=bogus").content.decode()
    assert list(rows(page)) == ["330903001", "util-water", "dept-zjj"]


def test_figures_match_kpis_compute_over_all_orders(month_orders: str) -> None:
    month = league.parse_month(month_orders)
    assert month is not None
    expected = kpis.compute(Order.objects.all(), month.period())
    shown = rows(Client().get(f"/public/league/?month={month_orders}").content.decode())
    from lianxin.public.templatetags.public_tags import figure

    for unit in expected["units"]:
        assert shown[unit["unit"]["code"]] == [figure(unit[key], key) for key in league.SORT_KEYS]


def test_unknown_month_falls_back_with_a_notice() -> None:
    response = Client().get("/public/league/?month=1999-01")
    assert response.status_code == 200 and "只能查看最近12个月" in response.content.decode()
    empty = Client().get("/public/league/").content.decode()
    assert "该月暂无已分派承办单位的工单" in empty
