"""Fixtures: an API key, a fixed clock, and a small world of requests posted over Open311."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterator
from contextlib import AbstractContextManager
from typing import Any
from zoneinfo import ZoneInfo

import pytest

SHANGHAI = ZoneInfo("Asia/Shanghai")
T0 = dt.datetime(2025, 5, 20, 10, 0, tzinfo=SHANGHAI)  # a Tuesday, a working day
KEY = "test-key-zhoushantong-0001"


@pytest.fixture
def api_key(db: Any) -> Any:
    from lianxin.open311.models import ApiKey

    return ApiKey.objects.create(key=KEY, name="舟山通APP（测试）", channel="舟山通APP", rate_limit_per_minute=1000)


@pytest.fixture
def clock() -> Callable[[dt.datetime], AbstractContextManager[None]]:
    from lianxin.orders.actions.base import at_time

    return at_time


LAMP = {
    "service_code": "040201",
    "lat": "30.0160",
    "long": "122.1070",
    "description": "路口有流动摊贩占道经营，行人只能走机动车道。",
    "attribute[appeal_type]": "help",
    "attribute[affected_people]": "30",
    "attribute[reply_channels][]": ["sms", "phone"],
    "first_name": "明",
    "last_name": "王",
    "phone": "13805801234",
    "email": "wang@example.com",
    "media_url": "https://example.com/photos/1.jpg",
}
NOISE = {
    "service_code": "030102",
    "address_string": "定海区解放东路188号",
    "description": "楼下商铺音响声音很大，从早放到晚。",
    "attribute[appeal_type]": "complaint",
    "attribute[occurred_at]": "2025-05-19T21:30:00+08:00",
}


@pytest.fixture
def world(client: Any, api_key: Any, clock: Any, users: dict[str, Any]) -> Iterator[dict[str, Any]]:
    """Two requests posted over Open311; the first dispatched and signed, the second answered at intake (closed)."""
    from lianxin.core.models import Organisation
    from lianxin.orders import actions
    from lianxin.orders.models import Order

    with clock(T0):
        first = client.post("/open311/v2/requests.json", {**LAMP, "api_key": KEY}).json()[0]
    with clock(T0 + dt.timedelta(minutes=10)):
        second = client.post("/open311/v2/requests.json", {**NOISE, "api_key": KEY}).json()[0]
    lamp = Order.objects.get(number=first["service_request_id"])
    noise = Order.objects.get(number=second["service_request_id"])
    with clock(T0 + dt.timedelta(minutes=30)):
        actions.dispatch(lamp, users["dispatcher"], lead_unit=Organisation.objects.get(code="dept-zhzf"))
    with clock(T0 + dt.timedelta(minutes=40)):
        actions.answer_at_intake(noise, users["calltaker"], reply="已联系商铺降低音量。")
    with clock(T0 + dt.timedelta(minutes=50)):
        actions.sign(lamp, users["zhzf"])
    yield {"lamp": Order.objects.get(pk=lamp.pk), "noise": Order.objects.get(pk=noise.pk)}
