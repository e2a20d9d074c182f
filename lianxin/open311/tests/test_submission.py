"""What a POST becomes: idempotency, GCJ-02 keys, appeal type from the analysis, privacy of GET requests."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from lianxin.open311.coords import gcj02_to_wgs84, out_of_china, wgs84_to_gcj02
from lianxin.open311.tests.conftest import KEY, LAMP, T0

# (WGS-84, GCJ-02) pairs computed with the independent PRCoords implementation (prcoords 1.0.2).
KNOWN = [
    ((30.016, 122.107), (30.01374691607491, 122.11136019990799)),  # Dinghai, Zhoushan
    ((29.9853, 122.2072), (29.982897230876777, 122.2113581301466)),  # Shenjiamen, Zhoushan
    ((39.90872, 116.39748), (39.91012349581456, 116.40372357126593)),  # Tiananmen, Beijing
]


@pytest.mark.parametrize(("wgs", "gcj"), KNOWN)
def test_gcj02_known_points(wgs: tuple[float, float], gcj: tuple[float, float]) -> None:
    assert wgs84_to_gcj02(*wgs) == pytest.approx(gcj, abs=1e-9)
    assert gcj02_to_wgs84(*gcj) == pytest.approx(wgs, abs=1e-8)


def test_gcj02_outside_china_is_unchanged() -> None:
    assert out_of_china(51.5, -0.12)
    assert gcj02_to_wgs84(51.5, -0.12) == (51.5, -0.12)


@pytest.mark.django_db
def test_gcj02_key_converts_to_wgs84(client: Any, api_key: Any) -> None:
    from lianxin.open311.models import Submission

    api_key.coordinates = "gcj02"
    api_key.save()
    wgs, gcj = KNOWN[0]
    data = {**LAMP, "lat": str(gcj[0]), "long": str(gcj[1]), "api_key": KEY}
    number = client.post("/open311/v2/requests.json", data).json()[0]["service_request_id"]
    submission = Submission.objects.select_related("order").get(order__number=number)
    assert (submission.order.latitude, submission.order.longitude) == pytest.approx(wgs, abs=1e-6)
    assert submission.coordinates_received["datum"] == "gcj02"


@pytest.mark.django_db
def test_same_body_within_window_is_one_order(client: Any, api_key: Any, clock: Any) -> None:
    from lianxin.orders.models import Order

    post = {**LAMP, "api_key": KEY}
    with clock(T0):
        first = client.post("/open311/v2/requests.json", post).json()
    with clock(T0 + dt.timedelta(minutes=5)):
        assert client.post("/open311/v2/requests.json", post).json() == first
    with clock(T0 + dt.timedelta(minutes=11)):
        assert client.post("/open311/v2/requests.json", post).json() != first
    with clock(T0 + dt.timedelta(minutes=12)):
        other = client.post("/open311/v2/requests.json", {**post, "description": "另一件事：路灯不亮。"}).json()
    assert other != first
    assert Order.objects.filter(channel="open311").count() == 3


@pytest.mark.django_db
def test_idempotency_key_header_extension(client: Any, api_key: Any, clock: Any) -> None:
    post = {**LAMP, "api_key": KEY}
    with clock(T0):
        first = client.post("/open311/v2/requests.json", post, headers={"Idempotency-Key": "abc-1"}).json()
    with clock(T0 + dt.timedelta(days=2)):
        again = client.post("/open311/v2/requests.json", post, headers={"Idempotency-Key": "abc-1"}).json()
        other = client.post("/open311/v2/requests.json", post, headers={"Idempotency-Key": "abc-2"}).json()
    assert again == first and other != first


@pytest.mark.django_db
def test_appeal_type_left_to_intake_or_marked(client: Any, api_key: Any) -> None:
    from lianxin.orders.models import Order

    data = {k: v for k, v in LAMP.items() if k != "attribute[appeal_type]"}
    number = client.post("/open311/v2/requests.json", {**data, "api_key": KEY}).json()[0]["service_request_id"]
    order = Order.objects.get(number=number)
    assert order.appeal_type  # from the analysis, or 其他 marked for the operator
    if order.appeal_type == "other":
        assert "诉求类型待确认" in order.tags
    assert order.category is not None and order.category.code == "040201"  # service_code wins


@pytest.mark.django_db
def test_minimal_post_address_only(client: Any, api_key: Any) -> None:
    response = client.post(
        "/open311/v2/requests.xml", {"api_key": KEY, "service_code": "030102", "address_string": "普陀区沈家门街道"}
    )
    assert response.status_code == 200, response.content.decode()
    assert b"<service_request_id>" in response.content


@pytest.mark.django_db
def test_get_requests_shows_only_public_orders(client: Any, api_key: Any, users: dict[str, Any], clock: Any) -> None:
    from lianxin.core.models import Category
    from lianxin.orders import actions
    from lianxin.orders.models import Order

    category = Category.objects.get(code="040201")
    with clock(T0):
        actions.create_order(
            users["calltaker"],
            actions.OrderDraft(channel="hotline", appeal_type="complaint", text="热线来电", category=category),
        )
        number = client.post("/open311/v2/requests.json", {**LAMP, "api_key": KEY}).json()[0]["service_request_id"]
    Order.objects.filter(number=number).update(text="请打 13805801234 联系我，身份证 330902199001011234")
    with clock(T0 + dt.timedelta(hours=1)):
        data = client.get("/open311/v2/requests.json").json()
    assert [r["service_request_id"] for r in data] == [number]  # the hotline order is not public
    assert "13805801234" not in data[0]["description"] and "138****1234" in data[0]["description"]
    assert "330902199001011234" not in data[0]["description"]
    Order.objects.filter(number=number).update(is_confidential=True)
    assert client.get(f"/open311/v2/requests/{number}.json").status_code == 404
