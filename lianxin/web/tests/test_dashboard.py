"""The 督办 dashboard: live figures in the page, the map's counts from their own endpoint, countdowns."""

from __future__ import annotations

import datetime as dt
import json
import random
from typing import Any

import pytest
from django.test import Client
from django.utils import timezone

from lianxin.core.calendar import WorkCalendar
from lianxin.orders import actions
from lianxin.web.present import _workdays_between, countdown
from lianxin.web.tests.helpers import dispatched_to, new_order

pytestmark = pytest.mark.django_db


def client_for(username: str) -> Client:
    client = Client()
    assert client.login(username=username, password="lianxin2026")
    return client


def test_dashboard_shows_todays_orders_at_once(users: dict[str, Any]) -> None:
    client = client_for("supervisor")
    before = client.get("/dashboard/?days=7").context["total"]["received"]
    new_order(users)
    page = client.get("/dashboard/?days=7")
    assert page.context["total"]["received"] == before + 1
    body = page.content.decode()
    # The page carries the trend; the map's counts and the chart library come after the load event.
    data = page.context["chart"]
    assert set(data) == {"trend"} and len(data["trend"]["weeks"]) == 8 and data["trend"]["received"][-1] >= 1
    assert 'id="chart-loader"' in body and "/dashboard/map/" in body and "echarts" not in body.split("<body")[0]


def test_map_counts_open_and_overdue_orders_by_place(users: dict[str, Any]) -> None:
    order = dispatched_to(users)
    town = order.town
    assert town is not None
    client = client_for("supervisor")
    response = client.get("/dashboard/map/")
    assert response.status_code == 200 and response["Cache-Control"] == "no-store"
    point = next(p for p in json.loads(response.content)["points"] if p["name"] == town.display_name)
    assert point["n"] >= 1 and point["late"] == 0

    order.sign_due = timezone.now() - dt.timedelta(hours=1)  # unsigned past its deadline: overdue now
    order.save(update_fields=["sign_due"])
    late = next(
        p for p in json.loads(client.get("/dashboard/map/").content)["points"] if p["name"] == town.display_name
    )
    assert late["late"] == point["late"] + 1 and late["n"] == point["n"]


def test_map_follows_the_unit_filter_and_the_role(users: dict[str, Any]) -> None:
    order = dispatched_to(users, "dept-zhzf")
    client = client_for("supervisor")

    def open_count(query: str) -> int:
        points = json.loads(client.get("/dashboard/map/" + query).content)["points"]
        return sum(p["n"] for p in points if order.town and p["name"] == order.town.display_name)

    assert open_count("?unit=dept-zhzf") >= 1 and open_count("?unit=dept-zjj") == 0
    assert 'data-map-url="/dashboard/map/?unit=dept-zhzf"' in client.get("/dashboard/?unit=dept-zhzf").content.decode()
    assert client_for("zjj").get("/dashboard/map/").status_code == 404
    assert Client().get("/dashboard/map/").status_code == 302


def test_dashboard_lists_overdue_orders_with_working_day_countdowns(users: dict[str, Any]) -> None:
    order = actions.sign(dispatched_to(users), users["zjj"])
    order.reply_due = timezone.now() - dt.timedelta(days=400)
    order.save(update_fields=["reply_due"])
    page = client_for("supervisor").get("/dashboard/")
    (item,) = [i for i in page.context["overdue"] if i["order"].pk == order.pk]
    assert item["countdown"].overdue and item["countdown"].workdays > 200
    assert f'data-testid="watch-{order.number}"' in page.content.decode()


def test_countdown_working_days_match_the_calendar() -> None:
    """The shared span answers exactly what WorkCalendar.workdays_between answers, in both directions."""
    rng = random.Random(7)
    base = dt.date(2026, 11, 24)
    calendar = WorkCalendar({dt.date(2027, 1, 4): False, dt.date(2027, 1, 9): True}, frozenset({2027}))
    for i in range(2000):
        if i % 400 == 0:  # a new calendar object (a new request) starts a new span
            calendar = WorkCalendar({dt.date(2027, 1, 4): False, dt.date(2027, 1, 9): True}, frozenset({2027}))
        start = base + dt.timedelta(days=rng.randint(-1500, 500))
        end = base + dt.timedelta(days=rng.randint(-1500, 500))
        assert _workdays_between(calendar, start, end) == calendar.workdays_between(start, end), (start, end)
    other = WorkCalendar({dt.date(2026, 12, 1): False})  # another calendar never reuses the first one's span
    assert _workdays_between(other, dt.date(2026, 11, 30), dt.date(2026, 12, 1)) == 0
    assert _workdays_between(calendar, dt.date(2026, 11, 30), dt.date(2026, 12, 1)) == 1


def test_countdown_text_for_a_deadline_years_ago() -> None:
    now = dt.datetime(2026, 11, 24, 10, tzinfo=timezone.get_current_timezone())
    due = now - dt.timedelta(days=3 * 365)
    result = countdown(due, WorkCalendar(), now)
    assert result.overdue and result.workdays == WorkCalendar().workdays_between(due.date(), now.date())


@pytest.mark.parametrize(
    ("delta", "text"),
    [
        (dt.timedelta(days=10), "剩余"),  # working days, checked below
        (dt.timedelta(hours=30, minutes=5), "剩余 30 小时"),
        (dt.timedelta(minutes=25, seconds=30), "剩余 25 分钟"),
        (-dt.timedelta(hours=14, minutes=10), "已超期 14 小时"),
        (-dt.timedelta(minutes=5), "已超期 5 分钟"),
    ],
)
def test_countdown_reads_short_spans_in_clock_time(delta: dt.timedelta, text: str) -> None:
    now = dt.datetime(2026, 11, 24, 10, tzinfo=timezone.get_current_timezone())  # a Tuesday
    shown = countdown(now + delta, WorkCalendar(), now).text
    assert shown.startswith(text) and ("工作日" in shown) == (abs(delta) >= dt.timedelta(hours=72)), shown


def test_inbox_offers_no_sign_button_while_a_return_waits(users: dict[str, Any]) -> None:
    order = dispatched_to(users)
    actions.request_return(order, users["zjj"], reason="不属于本单位职责")
    body = client_for("zjj").get("/inbox/").content.decode()
    row = body[body.index(f'data-testid="inbox-row-{order.number}"') :].split("</tr>", 1)[0]
    assert "退单待审核" in row and f"sign-{order.number}" not in row and "无期限" not in row
    signable = dispatched_to(users)
    assert f'data-testid="sign-{signable.number}"' in client_for("zjj").get("/inbox/").content.decode()


def test_dashboard_names_the_current_week_and_lists_every_unit(users: dict[str, Any]) -> None:
    for code in ("dept-zjj", "dept-zhzf", "util-water"):
        dispatched_to(users, code)
    page = client_for("supervisor").get("/dashboard/?days=7")
    trend = page.context["chart"]["trend"]
    assert trend["weeks"][-1] == "本周" and all(w[2] == "-" for w in trend["weeks"][:-1])
    codes = [row["unit"]["code"] for row in page.context["unit_rows"]]
    assert {"dept-zjj", "dept-zhzf", "util-water"} <= set(codes)
    assert len(codes) == len(page.context["report"]["units"])
